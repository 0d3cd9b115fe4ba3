"""Targets as data: the Perjanjian Kinerja the agency signs every year, a new Renstra's yearly
targets and the rencana aksi, maintained by planners as CSV in ``inbox/target/``.

Columns: ``jenis_target`` (PERKIN, RENSTRA, RENAKSI), ``tahun``, ``periode`` (TW1-TW4, TAHUNAN),
``indikator_kode``, ``target`` (a number as E-Monev takes it: ``7.75``, ``7,75``, ``1.234.567``),
optional ``keterangan``. Landed like every source (batch, suite ``target__target``, quarantine,
versions): a later file corrects an earlier one for the same indicator, year, period and type, and
the change log of the publish shows what moved. The repository's seed
(``dbt_project/seeds/katalog/target_indikator.csv``) stays as the default that reproduces the
2024 report; a landed target takes precedence over the seed's for its key.
"""

from __future__ import annotations

from pathlib import Path

from ingestion.csvtable import parse_whole, read_records
from ingestion.katalog import indicator_codes
from ingestion.numbers import parse_angka
from ingestion.registry import Entity, ReadContext

SOURCE = "target"
ENTITY = "target"
REQUIRED = ("jenis_target", "tahun", "periode", "indikator_kode", "target")
MAX_BYTES = 20 * 1024 * 1024


def _year(text: str) -> int:
    return parse_whole(text, "tahun (a year such as 2025)")


def read(path: Path, ctx: ReadContext):
    typed = {
        "tahun": _year,
        "target": lambda t: str(parse_angka(t)),
        "jenis_target": str.upper,
        "periode": str.upper,
        "indikator_kode": str.upper,
    }
    return read_records(path, SOURCE, REQUIRED, ("keterangan",), typed, MAX_BYTES)


ENTITIES = (
    Entity(
        source=SOURCE,
        entity=ENTITY,
        label="target",
        doc="targets of the Perkin, the Renstra and the rencana aksi per indicator, year and period",
        suffixes=(".csv",),
        columns=(
            ("jenis_target", "varchar"),
            ("tahun", "integer"),
            ("periode", "varchar"),
            ("indikator_kode", "varchar"),
            ("target", "decimal(38, 6)"),
            ("keterangan", "varchar"),
        ),  # fmt: skip
        read=read,
        suite="target__target",
        suite_parameters=lambda ctx: {"kode_katalog": indicator_codes(ctx)},
        after=("katalog.indikator",),  # a new indicator lands before its targets
        sample="target_*.csv",
    ),
)
