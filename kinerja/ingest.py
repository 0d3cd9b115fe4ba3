"""Ingest step: every file in the inbox is parsed, validated (Great Expectations) and landed.

A file whose content was landed before is a no-op. A file that fails parsing or validation is
copied to ``quarantine/`` with a reason file and nothing of it is loaded; the step then fails,
naming every rejected file, row and reason, so the serving warehouse stays as it was.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ingestion import emonev
from kinerja import landing, quality
from kinerja.config import Settings
from kinerja.errors import InputFileError, PipelineError, RowProblem
from kinerja.progress import Reporter, silent


@dataclass
class IngestReport:
    landed: list[landing.Batch] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    rejected: list[InputFileError] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "landed": [b.batch_id for b in self.landed],
            "unchanged": [str(p) for p in self.unchanged],
            "rejected": [rejection(e) for e in self.rejected],
        }


def rejection(exc: InputFileError) -> dict[str, str]:
    """A rejected file as the status of its source records it (and the DAG passes it between tasks)."""
    return {"sumber": exc.source, "berkas": exc.file.name, "karantina": str(exc.quarantined or ""), "alasan": str(exc)}


def inbox_files(inbox: Path, source: str, suffixes: tuple[str, ...]) -> list[Path]:
    """Files of one source in delivery order (modification time, then name): when two files of one
    run carry the same indicator and period, the one delivered last lands last and wins. Symbolic
    links are listed too (they are refused by :func:`unsafe_entry`, never followed)."""
    folder = inbox / source
    if not folder.is_dir():
        return []
    files = [p for p in folder.iterdir() if (p.is_symlink() or p.is_file()) and p.suffix.lower() in suffixes and not p.name.startswith(".")]
    return sorted(files, key=lambda p: (p.lstat().st_mtime_ns, p.name))


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
        return InputFileError(
            path,
            [
                RowProblem(
                    None,
                    None,
                    f"file name {path.name!r} holds path marks ('..', '\\') or control characters; rename it to a plain name and send it again",
                )
            ],
            source,
        )
    return None


def ingest_files(
    settings: Settings,
    report: IngestReport,
    progress: Reporter,
    *,
    source: str,
    entity: str,
    label: str,
    suffixes: tuple[str, ...],
    read: Callable[[Path], pd.DataFrame | landing.StagedRows],
    accept: Callable[[Path], bool] | None = None,
) -> None:
    """Land every new inbox file of one source. ``read`` parses and validates one file and returns
    the rows to land (or a Parquet file it already wrote), or raises InputFileError; a file landed
    before (same SHA-256) is skipped, a rejected one is quarantined with its reason. ``accept``
    picks the files of one entity when a source folder holds several."""
    files = [p for p in inbox_files(settings.inbox, source, suffixes) if accept is None or accept(p)]
    progress(f"ingest: {len(files)} {label} file(s) in {settings.inbox / source}")
    for path in files:
        refused = unsafe_entry(path, source)
        if refused is not None:
            reject(settings, report, progress, refused, path, source, "")
            continue
        sha = landing.sha256_of(path, settings.state_dir / "inbox-sha256.json")
        if landing.find_landed(settings.landing_dir, source, entity, sha):
            report.unchanged.append(path)
            progress(f"ingest: {path.name} unchanged since it was landed (sha256 {sha[:12]}), skipped")
            continue
        try:
            with quality.batch(settings, source, entity, path, progress):
                try:
                    rows = read(path)
                except csv.Error as exc:  # e.g. a field of megabytes: a damaged export, not a bug
                    raise InputFileError(path, [RowProblem(None, None, f"not a readable CSV export ({exc})")], source) from None
        except InputFileError as exc:
            reject(settings, report, progress, exc, path, source, sha)
            continue
        batch = landing.land(settings.landing_dir, source, entity, path, sha, rows)
        report.landed.append(batch)
        progress(f"ingest: {path.name} landed as batch {batch.batch_id} ({batch.row_count} rows)")


def reject(settings: Settings, report: IngestReport, progress: Reporter, exc: InputFileError, path: Path, source: str, sha: str) -> None:
    exc.source = exc.source or source
    exc.quarantined = landing.quarantine(settings.quarantine_dir, path, str(exc), source, sha).parent
    report.rejected.append(exc)
    progress(f"ingest: {path.name} REJECTED, copy and reason kept in {exc.quarantined}")


def ingest_emonev(settings: Settings, report: IngestReport, progress: Reporter = silent) -> None:
    codes: list[str] = []

    def read(path: Path) -> pd.DataFrame:
        parsed = emonev.parse(path)
        codes[:] = codes or quality.catalogue_codes()
        progress(f"ingest: validating {path.name} ({len(parsed.rows)} rows) with Great Expectations suite emonev__realisasi")
        quality.validate_frame("emonev__realisasi", parsed.rows, {"kode_katalog": codes}, path, emonev.SOURCE)
        return parsed.rows

    ingest_files(settings, report, progress, source=emonev.SOURCE, entity=emonev.ENTITY, label="E-Monev", suffixes=(".csv",), read=read)


def ingest(settings: Settings, progress: Reporter = silent) -> IngestReport:
    """Land every new inbox file. A rejected file is quarantined and listed in the report; the
    caller decides (:func:`kinerja.pipeline.run`): what landed is published, the run then fails."""
    from kinerja import bps, jakpreneur, sipd

    report = IngestReport()
    ingest_emonev(settings, report, progress)
    bps.ingest_files(settings, report, progress)
    sipd.ingest_files(settings, report, progress)
    jakpreneur.ingest_files(settings, report, progress)
    return report


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
