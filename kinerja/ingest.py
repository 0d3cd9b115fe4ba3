"""Ingest step: every file in the inbox is parsed, validated (Great Expectations) and landed.

What a source's files are, how they are read and checked, and in which order the entities land
comes from the source registry (:mod:`ingestion.registry`): this module is the one loop over it.
A file whose content was landed before is a no-op. A file that fails parsing or validation is
copied to ``quarantine/`` with a reason file and nothing of it is loaded; the run then fails,
naming every rejected file, row and reason, after publishing what else landed.
"""

from __future__ import annotations

import csv
import os
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from ingestion import registry
from ingestion.errors import InputFileError, RowProblem
from ingestion.registry import Entity, StagedRows
from kinerja import landing, quality
from kinerja.config import DBT_PROJECT_DIR, Settings
from kinerja.errors import PipelineError
from kinerja.progress import Reporter, silent

DUCKDB_MEMORY_LIMIT = os.environ.get("KINERJA_DUCKDB_MEMORY_LIMIT", "6GB")


@dataclass
class IngestReport:
    landed: list[landing.Batch] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    rejected: list[InputFileError] = field(default_factory=list)
    ignored: list[dict[str, str]] = field(default_factory=list)  # sumber, berkas, alasan: not read, and why

    def as_dict(self) -> dict:
        return {
            "landed": [b.batch_id for b in self.landed],
            "unchanged": [str(p) for p in self.unchanged],
            "rejected": [rejection(e) for e in self.rejected],
            "ignored": list(self.ignored),
        }


def rejection(exc: InputFileError) -> dict[str, str]:
    """A rejected file as the status of its source records it (and the DAG passes it between tasks)."""
    return {"sumber": exc.source, "berkas": exc.file.name, "karantina": str(exc.quarantined or ""), "alasan": str(exc)}


class Context:
    """What readers may ask of the pipeline (:class:`ingestion.registry.ReadContext`): lookups
    computed once per run (refreshed when their entity lands), and DuckDB databases kept for the run."""

    def __init__(self, settings: Settings, progress: Reporter = silent) -> None:
        self.settings = settings
        self.progress = progress
        self.batch_id = ""
        self.landed_at = ""
        self.scratch = settings.state_dir / "staging"
        self._seeds: dict[tuple[str, str], set[str]] = {}
        self._values: dict[tuple[str, str, str], set[str]] = {}
        self._databases: dict[str, object] = {}
        self._released = False  # GX datasources released without a collection (validate_sql)
        for leftover in self.scratch.glob("stage-*"):  # from a killed run (ingest runs under the run lock)
            leftover.unlink(missing_ok=True)

    def begin(self, stamp: landing.Stamp) -> None:
        self.batch_id, self.landed_at = stamp.batch_id, stamp.landed_at
        self.scratch.mkdir(parents=True, exist_ok=True)

    def seed_codes(self, seed: str, column: str) -> set[str]:
        key = (seed, column)
        if key not in self._seeds:
            with (DBT_PROJECT_DIR / "seeds" / f"{seed}.csv").open(newline="", encoding="utf-8") as fh:
                self._seeds[key] = {row[column] for row in csv.DictReader(fh)}
        return self._seeds[key]

    def landed_files(self, source: str, entity: str) -> list[Path]:
        return [b.rows_path(self.settings.landing_dir) for b in landing.landed_batches(self.settings.landing_dir, source, entity)]

    def landed_values(self, source: str, entity: str, column: str) -> set[str]:
        key = (source, entity, column)
        if key not in self._values:
            files = self.landed_files(source, entity)
            values: set[str] = set()
            if files:
                import duckdb

                con = duckdb.connect()
                try:
                    sql = f'select distinct "{column}" from read_parquet(?)'
                    values = {r[0] for r in con.execute(sql, [[str(f) for f in files]]).fetchall()}
                finally:
                    con.close()
            self._values[key] = values
        return self._values[key]

    def landed(self, entity: Entity) -> None:
        """A batch of ``entity`` landed: lookups over it are out of date."""
        for key in [k for k in self._values if k[:2] == (entity.source, entity.entity)]:
            del self._values[key]

    def _config(self) -> dict:
        spill = self.settings.state_dir / "duckdb_tmp"
        spill.mkdir(parents=True, exist_ok=True)
        return {"memory_limit": DUCKDB_MEMORY_LIMIT, "temp_directory": str(spill), "preserve_insertion_order": False}

    def duckdb(self, database: str):
        if database not in self._databases:
            import duckdb

            from kinerja import gx_duckdb

            self._databases[database] = duckdb.connect(database, config=gx_duckdb.shared_memory_config(self._config()))
        return self._databases[database]

    def validate_sql(self, suite: str, database: str, table: str, parameters: dict, key: str) -> list[tuple[str, str, list[str]]]:
        """The suite run inside ``database`` through a connection of its own (so it sees the
        table as it is now, not a snapshot); (column, reason, keys) of each failed critical check."""
        from kinerja import gx_duckdb

        ctx = quality.context()
        datasource = gx_duckdb.add_datasource(ctx, f"{suite}-{uuid.uuid4().hex}", database, self._config())
        try:
            info = quality.current_batch()
            label = f"ingest {info.path.name}" if info else f"ingest {table}"
            outcome = quality.validate_sql(datasource, suite, f"select * from {table}", parameters, key_column=key, label=label)
        finally:
            gx_duckdb.release(datasource, collect=False)  # one database, one configuration: collected once, in close()
            self._released = True
            ctx.data_sources.delete(datasource.name)
        grouped: dict[tuple[str, str], list[str]] = {}
        for column, message, bad in outcome.bad_keys:
            grouped.setdefault((column or "", message), []).append(bad)
        found = [(column, message, keys) for (column, message), keys in grouped.items()]
        keyed = {f"{message} ({key} {bad})" for _, message, keys in found for bad in keys}
        # a failure without rows (a check that could not run, a table-level check) still rejects the file
        found += [(p.column or "", p.problem, []) for p in outcome.problems if p.problem not in keyed]
        return found

    def close(self) -> None:
        for con in self._databases.values():
            con.close()
        self._databases.clear()
        if self._released:  # the in-memory databases GX used are let go only now (gx_duckdb.release)
            import gc

            gc.collect()
            self._released = False
        for leftover in self.scratch.glob("stage-*"):
            leftover.unlink(missing_ok=True)


def folder_entries(inbox: Path, source: str) -> list[Path]:
    """Entries of ``inbox/<source>/`` in delivery order (modification time, then name): when two
    files of one run carry the same figure, the one delivered last lands last and wins. Symbolic
    links are listed too (refused by :func:`unsafe_entry`, never followed); dot-files (uploads in
    progress) are not."""
    folder = inbox / source
    if not folder.is_dir():
        return []
    entries = [p for p in folder.iterdir() if not p.name.startswith(".")]
    return sorted(entries, key=lambda p: (p.lstat().st_mtime_ns, p.name))


def ignored_reason(path: Path, declared: list[Entity]) -> str | None:
    """Why an entry of a source folder is not read at all (a folder, a file type the source does
    not take), naming what the source accepts; None for an entry that is read or rejected."""
    accepted = sorted({s for e in declared for s in e.suffixes})
    if path.is_dir() and not path.is_symlink():
        return f"is a folder; {declared[0].label} files go straight into this folder ({', '.join(accepted)})"
    if not path.name.lower().endswith(tuple(accepted)):
        kinds = ", ".join(accepted)
        return f"is not a file type this source reads; it takes {kinds} files (convert the file, or unpack it if it is compressed)"
    return None


def unsafe_entry(path: Path, source: str) -> InputFileError | None:
    """An inbox entry that is not read at all: a symbolic link (it may point anywhere, e.g.
    ``../../etc/passwd``) or a name with path marks or control characters."""
    if path.is_symlink():
        target = os.readlink(path)
        return InputFileError(
            path,
            [RowProblem(None, None, f"is a symbolic link (to {target!r}); the inbox takes files, not links, so it was not read")],
            source,
        )
    if any(not c.isprintable() for c in path.name) or "\\" in path.name or ".." in path.name:
        problem = (
            f"file name {path.name!r} holds path marks ('..', '\\') or control characters; rename it to a plain name and send it again"
        )
        return InputFileError(path, [RowProblem(None, None, problem)], source)
    return None


def unclaimed(path: Path, source: str, declared: list[Entity]) -> InputFileError | None:
    """A file of a source folder that no entity of the source takes although its type is accepted
    (a folder with several entities tells them apart by the start of the file name)."""
    name = path.name.lower()
    if not any(name.endswith(e.suffixes) for e in declared) or any(e.takes(path) for e in declared):
        return None
    starts = [p for e in declared for p in e.prefixes]
    problem = f"the file name must start with {', '.join(starts[:-1])} or {starts[-1]}, so Kinerja knows which export it is"
    return InputFileError(path, [RowProblem(None, None, problem)], source)


def ingest(settings: Settings, progress: Reporter = silent, sources: list[str] | None = None) -> IngestReport:
    """Land every new inbox file of every declared entity (or of the given ``sources``), in the
    registry's order. A rejected file is quarantined and listed in the report; the caller decides
    (:func:`kinerja.pipeline.run`): what landed is published, the run then fails."""
    report = IngestReport()
    ctx = Context(settings, progress)
    declared_sources = registry.sources()
    if sources is None and settings.inbox.is_dir():  # every entry of the inbox is accounted for
        for folder in sorted(settings.inbox.iterdir()):
            if folder.name not in declared_sources and not folder.name.startswith("."):
                known = ", ".join(declared_sources)
                _ignore(
                    report,
                    progress,
                    folder.name,
                    folder,
                    f"no source is declared for this folder; the inbox has one folder per source ({known})",
                )
    try:
        for source, declared in declared_sources.items():
            if sources is not None and source not in sources:
                continue
            entries = folder_entries(settings.inbox, source)
            for path in entries:
                refused = unsafe_entry(path, source)
                reason = None if refused else ignored_reason(path, declared)
                if reason:
                    _ignore(report, progress, source, path, reason)
                    continue
                refused = refused or unclaimed(path, source, declared)
                if refused is not None:
                    sha = "" if path.is_symlink() else landing.sha256_of(path)
                    reject(settings, report, progress, refused, path, source, sha)
            safe = [p for p in entries if unsafe_entry(p, source) is None and ignored_reason(p, declared) is None]
            for entity in declared:
                _land_entity(settings, report, progress, ctx, entity, [p for p in safe if entity.takes(p)])
    finally:
        ctx.close()
    return report


def _ignore(report: IngestReport, progress: Reporter, source: str, path: Path, reason: str) -> None:
    report.ignored.append({"sumber": source, "berkas": path.name, "alasan": reason})
    progress(f"ingest: {path.name} IGNORED ({source}): {reason}")


def _land_entity(settings: Settings, report: IngestReport, progress: Reporter, ctx: Context, entity: Entity, files: list[Path]) -> None:
    progress(f"ingest: {len(files)} {entity.label} file(s) in {settings.inbox / entity.source}")
    for path in files:
        sha = landing.sha256_of(path, settings.state_dir / "inbox-sha256.json")
        if landing.find_landed(settings.landing_dir, entity.source, entity.entity, sha):
            report.unchanged.append(path)
            progress(f"ingest: {path.name} unchanged since it was landed (sha256 {sha[:12]}), skipped")
            continue
        stamp = landing.Stamp.now(entity.source, sha)
        ctx.begin(stamp)
        try:
            with quality.batch(settings, entity.source, entity.entity, path, progress):
                rows = read_and_validate(entity, path, ctx, progress)
        except InputFileError as exc:
            reject(settings, report, progress, exc, path, entity.source, sha)
            continue
        batch = landing.land(settings.landing_dir, entity.source, entity.entity, path, sha, rows, stamp)
        ctx.landed(entity)
        report.landed.append(batch)
        progress(f"ingest: {path.name} landed as batch {batch.batch_id} ({batch.row_count} rows)")


def read_and_validate(entity: Entity, path: Path, ctx: Context, progress: Reporter = silent):
    """Parse one file with the entity's reader and validate a parsed frame with its suite; the
    rows to land: only the declared columns (a reader may add columns its suite checks)."""
    try:
        rows = entity.read(path, ctx)
    except csv.Error as exc:  # e.g. a field of megabytes: a damaged export, not a bug
        raise InputFileError(path, [RowProblem(None, None, f"not a readable CSV export ({exc})")], entity.source) from None
    except (InputFileError, OSError):
        raise
    except Exception as exc:  # a reader's defect must not end the run nor reach a planner as Python text
        progress(f"ingest: {path.name}: the {entity.label} reader failed ({type(exc).__name__}: {exc}); the file was quarantined")
        problem = (
            f"Kinerja could not read this {entity.label} file; it was kept in quarantine and nothing of it was loaded. "
            "Check that it is an export in the documented format (docs/inbox-formats.md); if it is, send it to the data engineer."
        )
        raise InputFileError(path, [RowProblem(None, None, problem)], entity.source) from None
    if isinstance(rows, StagedRows):
        return rows
    if entity.suite:
        progress(f"ingest: validating {path.name} ({len(rows)} rows) with Great Expectations suite {entity.suite}")
        parameters = entity.suite_parameters(ctx) if entity.suite_parameters else {}
        quality.validate_frame(entity.suite, rows, parameters, path, entity.source)
    return rows[["baris", *(name for name, _ in entity.columns if name in rows.columns)]]


def reject(settings: Settings, report: IngestReport, progress: Reporter, exc: InputFileError, path: Path, source: str, sha: str) -> None:
    exc.source = exc.source or source
    exc.quarantined = landing.quarantine(settings.quarantine_dir, path, str(exc), source, sha).parent
    report.rejected.append(exc)
    progress(f"ingest: {path.name} REJECTED, copy and reason kept in {exc.quarantined}")


def rejection_error(settings: Settings, rejected: list[dict[str, str]], published: bool) -> PipelineError:
    """The message that fails a run with rejected files (``IngestReport.as_dict()['rejected']``):
    what to fix, where the copies are, and what the published warehouse now holds."""
    sources = ", ".join(sorted({r["sumber"] for r in rejected}))
    if published:
        effect = f"the other new data was published; the marts keep the last good data of {sources}, marked stale (USANG) in marts.status_sumber."
    else:
        effect = f"the serving warehouse was not changed; marts.status_sumber marks {sources} stale (USANG)."
    details = "\n\n".join(r["alasan"] for r in rejected)
    return PipelineError(
        f"{len(rejected)} input file(s) rejected; {effect} "
        f"Fix the file(s) and run again (copies and reasons are in {settings.quarantine_dir}).\n\n{details}"
    )


def merge_reports(reports: list[dict]) -> dict:
    """One ingest report (:meth:`IngestReport.as_dict`) from the reports of per-source ingests."""
    return {key: [item for report in reports for item in report.get(key, [])] for key in ("landed", "unchanged", "rejected", "ignored")}
