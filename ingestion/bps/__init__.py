"""BPS PDRB source: WebAPI client, answer parser and the saved-table (CSV) reader.

Rows of every path have the same columns (:data:`ingestion.bps.answer.COLUMNS`): domain,
var_id, harga (ADHB/ADHK), vervar_kode, uraian (the BPS row label), seri (TOTAL, C, C_MIGAS,
G or empty), tahun, periode (TW1..TW4, TAHUNAN), nilai (miliar rupiah, exact decimal), catatan.
"""

from __future__ import annotations

from pathlib import Path

from ingestion.registry import Entity, ReadContext

SOURCE = "bps"
ENTITY = "pdrb"
SUITE = "bps__pdrb"


def for_validation(rows):
    """The parsed rows plus ``nilai_angka`` (the figure as a float), which the suite checks."""
    return rows.assign(nilai_angka=[None if v is None else float(v) for v in rows["nilai"]])


def suite_parameters(_ctx=None) -> dict:
    from ingestion.bps.config import load_config

    return {"domain_dikenal": [d.kode for d in load_config().domains]}


def read(path: Path, ctx: ReadContext):
    from ingestion.bps.config import load_config
    from ingestion.bps.saved import parse_file

    return for_validation(parse_file(path, load_config()))


ENTITIES = (
    Entity(
        source=SOURCE,
        entity=ENTITY,
        label="BPS",
        doc="PDRB by lapangan usaha (DKI Jakarta and Indonesia, ADHB and ADHK): saved WebAPI answers, tables saved as CSV or XLSX, and polls",
        suffixes=(".json", ".csv", ".xlsx"),
        columns=(
            ("domain", "varchar"),
            ("var_id", "integer"),
            ("harga", "varchar"),
            ("vervar_kode", "varchar"),
            ("uraian", "varchar"),
            ("seri", "varchar"),
            ("tahun", "integer"),
            ("periode", "varchar"),
            ("nilai", "decimal(38, 6)"),
            ("catatan", "varchar"),
            ("status_angka", "varchar"),
        ),  # fmt: skip
        read=read,
        suite=SUITE,
        suite_parameters=suite_parameters,
        sample="pdrb_*.json",
    ),
)
