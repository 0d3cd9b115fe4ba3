"""SIPD budget step: land every new SIPD export of ``inbox/sipd/`` (XLSX or CSV).

Each file is read by :mod:`ingestion.sipd` (detail rows only, subtotals left out), validated by the
Great Expectations suite ``sipd__anggaran`` and landed as one batch. In staging, the latest landed
export of a unit, year and stage (APBD, Pergeseran, APBD-P, realisasi) replaces earlier ones for
that unit, year and stage: an export is a full snapshot, not a correction of single lines.
"""

from __future__ import annotations

import csv

from ingestion import sipd
from kinerja import landing, quality
from kinerja.config import DBT_PROJECT_DIR, Settings
from kinerja.errors import InputFileError
from kinerja.progress import Reporter, silent

SUITE = "sipd__anggaran"
PROGRAM_CSV = DBT_PROJECT_DIR / "seeds" / "katalog" / "program.csv"


def program_codes() -> set[str]:
    with PROGRAM_CSV.open(newline="", encoding="utf-8") as fh:
        return {row["program_kode"] for row in csv.DictReader(fh)}


def ingest_files(settings: Settings, report, progress: Reporter = silent) -> None:
    from kinerja.ingest import inbox_files

    files = inbox_files(settings.inbox, sipd.SOURCE, (".xlsx", ".csv"))
    progress(f"ingest: {len(files)} SIPD file(s) in {settings.inbox / sipd.SOURCE}")
    codes = None
    for path in files:
        sha = landing.sha256_of(path)
        if landing.find_landed(settings.landing_dir, sipd.SOURCE, sipd.ENTITY, sha):
            report.unchanged.append(path)
            progress(f"ingest: {path.name} unchanged since it was landed (sha256 {sha[:12]}), skipped")
            continue
        try:
            codes = codes or program_codes()
            rows = sipd.parse(path, codes)
            progress(f"ingest: validating {path.name} ({len(rows)} detail rows) with Great Expectations suite {SUITE}")
            frame = rows.assign(**{f"{m}_angka": [None if v is None else float(v) for v in rows[m]] for m in sipd.MONEY})
            quality.validate_frame(SUITE, frame, {}, path, sipd.SOURCE)
        except InputFileError as exc:
            kept = landing.quarantine(settings.quarantine_dir, path, str(exc))
            report.rejected.append(exc)
            progress(f"ingest: {path.name} REJECTED, copy kept in {kept.parent}")
            continue
        rows = rows.assign(
            **{m: [None if v is None else format(v, "f") for v in rows[m]] for m in sipd.MONEY}
        )  # exact, cast to DECIMAL on load
        batch = landing.land(settings.landing_dir, sipd.SOURCE, sipd.ENTITY, path, sha, rows)
        report.landed.append(batch)
        progress(f"ingest: {path.name} landed as batch {batch.batch_id} ({batch.row_count} rows)")
