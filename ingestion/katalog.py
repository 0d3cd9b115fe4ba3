"""The indicator catalogue as data: new indicators (a new Perkin, a new Renstra 2025-2029) and the
Renstra periods of the strategic indicators, maintained as CSV in ``inbox/katalog/``:

- ``indikator*.csv`` with the columns of ``dbt_project/seeds/katalog/indikator.csv``
  (indikator_kode, indikator_nama, kelompok, sasaran_kode, program_kode, ksd_nama, satuan,
  polaritas, sumber_data, cara_akumulasi, definisi);
- ``renstra*.csv`` with those of ``renstra_periode.csv`` (indikator_kode, periode_renstra,
  tahun_awal, tahun_akhir, kondisi_awal, target_akhir_periode).

A landed row takes precedence over the seed's for its key (indikator_kode; indikator_kode and
periode_renstra), so a new period is data, not a change to the repository.
"""

from __future__ import annotations

from pathlib import Path

from ingestion.csvtable import parse_whole, read_records
from ingestion.numbers import parse_angka
from ingestion.registry import Entity, ReadContext

SOURCE = "katalog"
INDICATOR_COLUMNS = (
    "indikator_kode", "indikator_nama", "kelompok", "sasaran_kode", "program_kode", "ksd_nama", "satuan", "polaritas",
    "sumber_data", "cara_akumulasi", "definisi",
)  # fmt: skip
RENSTRA_COLUMNS = ("indikator_kode", "periode_renstra", "tahun_awal", "tahun_akhir", "kondisi_awal", "target_akhir_periode")
MAX_BYTES = 20 * 1024 * 1024


def indicator_codes(ctx: ReadContext) -> list[str]:
    """Indicator codes of the catalogue: the seed's and those landed from ``inbox/katalog/``."""
    return sorted(ctx.seed_codes("katalog/indikator", "indikator_kode") | ctx.landed_values(SOURCE, "indikator", "indikator_kode"))


def read_indicators(path: Path, ctx: ReadContext):
    upper = {c: str.upper for c in ("indikator_kode", "kelompok", "polaritas", "sumber_data", "cara_akumulasi")}
    required = ("indikator_kode", "indikator_nama", "kelompok", "satuan", "polaritas")
    optional = tuple(c for c in INDICATOR_COLUMNS if c not in required)
    return read_records(path, SOURCE, required, optional, upper, MAX_BYTES)


def read_periods(path: Path, ctx: ReadContext):
    typed = {
        "indikator_kode": str.upper,
        "tahun_awal": lambda t: parse_whole(t, "tahun_awal (the first year of the Renstra)"),
        "tahun_akhir": lambda t: parse_whole(t, "tahun_akhir (the last year of the Renstra)"),
        "kondisi_awal": lambda t: str(parse_angka(t)),
        "target_akhir_periode": lambda t: str(parse_angka(t)),
    }
    return read_records(path, SOURCE, RENSTRA_COLUMNS[:4] + ("target_akhir_periode",), ("kondisi_awal",), typed, MAX_BYTES)


ENTITIES = (
    Entity(
        source=SOURCE,
        entity="indikator",
        label="indicator catalogue",
        doc="new or changed indicators, with the columns of the catalogue seed",
        suffixes=(".csv",),
        prefixes=("indikator",),
        columns=tuple((c, "varchar") for c in INDICATOR_COLUMNS),
        read=read_indicators,
        suite="katalog__indikator",
        sample="indikator*.csv",
    ),
    Entity(
        source=SOURCE,
        entity="renstra",
        label="Renstra period",
        doc="kondisi awal and end-of-period target of the strategic indicators for a Renstra period",
        suffixes=(".csv",),
        prefixes=("renstra",),
        columns=(
            ("indikator_kode", "varchar"),
            ("periode_renstra", "varchar"),
            ("tahun_awal", "integer"),
            ("tahun_akhir", "integer"),
            ("kondisi_awal", "decimal(38, 6)"),
            ("target_akhir_periode", "decimal(38, 6)"),
        ),  # fmt: skip
        read=read_periods,
        suite="katalog__renstra",
        after=("katalog.indikator",),
        sample="renstra*.csv",
    ),
)
