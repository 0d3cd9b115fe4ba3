"""SIPD budget step: land every new SIPD export of ``inbox/sipd/`` (XLSX or CSV).

Each file is read by :mod:`ingestion.sipd` (detail rows only, subtotals left out), validated by the
Great Expectations suite ``sipd__anggaran`` and landed as one batch. In staging, the latest landed
export of a unit, year and stage (APBD, Pergeseran, APBD-P, realisasi) replaces earlier ones for
that unit, year and stage: an export is a full snapshot, not a correction of single lines.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

from ingestion import sipd
from kinerja import quality
from kinerja.config import DBT_PROJECT_DIR, Settings
from kinerja.progress import Reporter, silent

SUITE = "sipd__anggaran"
PROGRAM_CSV = DBT_PROJECT_DIR / "seeds" / "katalog" / "program.csv"


def program_codes() -> set[str]:
    with PROGRAM_CSV.open(newline="", encoding="utf-8") as fh:
        return {row["program_kode"] for row in csv.DictReader(fh)}


def ingest_files(settings: Settings, report, progress: Reporter = silent) -> None:
    from kinerja.ingest import ingest_files as land_inbox_files

    codes = program_codes()

    def read(path: Path) -> pd.DataFrame:
        rows = sipd.parse(path, codes)
        progress(f"ingest: validating {path.name} ({len(rows)} detail rows) with Great Expectations suite {SUITE}")
        frame = rows.assign(**{f"{m}_angka": [None if v is None else float(v) for v in rows[m]] for m in sipd.MONEY})
        quality.validate_frame(SUITE, frame, {}, path, sipd.SOURCE)
        # exact amounts as text, cast to DECIMAL when raw.* is loaded
        return rows.assign(**{m: [None if v is None else format(v, "f") for v in rows[m]] for m in sipd.MONEY})

    land_inbox_files(
        settings, report, progress, source=sipd.SOURCE, entity=sipd.ENTITY, label="SIPD", suffixes=(".xlsx", ".csv"), read=read
    )
