"""Ingest step: every file in the inbox is parsed, validated (Great Expectations) and landed.

A file whose content was landed before is a no-op. A file that fails parsing or validation is
copied to ``quarantine/`` with a reason file and nothing of it is loaded; the step then fails,
naming every rejected file, row and reason, so the serving warehouse stays as it was.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ingestion import emonev
from kinerja import landing, quality
from kinerja.config import Settings
from kinerja.errors import InputFileError, PipelineError
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
            "rejected": [str(e) for e in self.rejected],
        }


def inbox_files(inbox: Path, source: str, suffixes: tuple[str, ...]) -> list[Path]:
    """Files of one source in delivery order (modification time, then name): when two files of one
    run carry the same indicator and period, the one delivered last lands last and wins."""
    folder = inbox / source
    if not folder.is_dir():
        return []
    files = [
        p for p in folder.iterdir() if p.is_file() and not p.is_symlink() and p.suffix.lower() in suffixes and not p.name.startswith(".")
    ]
    return sorted(files, key=lambda p: (p.stat().st_mtime_ns, p.name))


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
        sha = landing.sha256_of(path, settings.state_dir / "inbox-sha256.json")
        if landing.find_landed(settings.landing_dir, source, entity, sha):
            report.unchanged.append(path)
            progress(f"ingest: {path.name} unchanged since it was landed (sha256 {sha[:12]}), skipped")
            continue
        try:
            rows = read(path)
        except InputFileError as exc:
            kept = landing.quarantine(settings.quarantine_dir, path, str(exc))
            report.rejected.append(exc)
            progress(f"ingest: {path.name} REJECTED, copy kept in {kept.parent}")
            continue
        batch = landing.land(settings.landing_dir, source, entity, path, sha, rows)
        report.landed.append(batch)
        progress(f"ingest: {path.name} landed as batch {batch.batch_id} ({batch.row_count} rows)")


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
    """Land every new inbox file; raise PipelineError if any file was rejected."""
    from kinerja import bps, jakpreneur, sipd

    report = IngestReport()
    ingest_emonev(settings, report, progress)
    bps.ingest_files(settings, report, progress)
    sipd.ingest_files(settings, report, progress)
    jakpreneur.ingest_files(settings, report, progress)
    if report.rejected:
        details = "\n\n".join(str(e) for e in report.rejected)
        raise PipelineError(
            f"{len(report.rejected)} input file(s) rejected; the serving warehouse was not changed. "
            f"Fix the file(s) and run again (copies and reasons are in {settings.quarantine_dir}).\n\n{details}"
        )
    return report
