"""SIPD exports through the whole pipeline (year 2025, beside the bundled 2023-2024 sample): landed, validated, built into marts.serapan_anggaran
with exact rupiah; a later export of a unit and stage replaces the earlier one; a bad export is
quarantined and changes nothing."""

from __future__ import annotations

from decimal import Decimal

import duckdb
import pytest
from openpyxl import Workbook

from kinerja import pipeline
from kinerja.errors import PipelineError
from tests.conftest import file_sha256

HEADER = ["Kode Unit", "Nama Unit", "Kode Program", "Kode Kegiatan", "Kode Sub Kegiatan", "Kode Akun", "Uraian"]
DINAS = ("3.31.3.30.2.17.01.0000", "Dinas Perindustrian, Perdagangan, Koperasi, Usaha Kecil dan Menengah")
METRO = ("3.31.3.30.2.17.01.0008", "Unit Pengelola Metrologi")


def export(path, money_columns, lines, title="LAPORAN ANGGARAN TAHUN ANGGARAN 2025"):
    book = Workbook()
    ws = book.active
    ws.title = "Rekap"
    ws["A1"] = title
    ws.merge_cells("A1:K1")
    ws.append([])
    ws.append(HEADER + money_columns)
    for unit, program, akun, *money in lines:
        ws.append([*unit, program, f"{program}.2.01", f"{program}.2.01.0001", akun, "Belanja", *money])
    book.save(path)


PAGU = [  # unit, program, akun, APBD, Pergeseran II, APBD-P
    (DINAS, "2.17.07", "5.1.02.01.01.0024", "1.000.000.000", "1.000.000.000", "1.200.000.000"),
    (DINAS, "3.31.02", "5.2.02.05.01.0001", "500.000.000", "500.000.000", "400.000.000"),
    (METRO, "3.30.06", "5.1.01.01.01.0001", "300.000.000,00", "290.000.000", "310.000.000"),
]
REALISASI = [
    (DINAS, "2.17.07", "5.1.02.01.01.0024", "1.123.456.789"),
    (DINAS, "3.31.02", "5.2.02.05.01.0001", "399.999.999"),
    (METRO, "3.30.06", "5.1.01.01.01.0001", "-"),
]


def serapan(settings):
    con = duckdb.connect(str(settings.serving_db), read_only=True)
    try:
        return {
            (d, k): (a, g, p, r, None if s is None else round(s, 4))
            for d, k, a, g, p, r, s in con.execute(
                "select dimensi, kode, pagu_apbd, pagu_pergeseran, pagu_apbdp, realisasi, serapan_persen from marts.serapan_anggaran where tahun = 2025"
            ).fetchall()
        }
    finally:
        con.close()


def test_pagu_and_realisasi_exports_make_serapan_by_every_dimension(home_copy):
    settings = home_copy
    (settings.inbox / "sipd").mkdir(exist_ok=True)
    export(settings.inbox / "sipd" / "pagu_2025.xlsx", ["APBD", "Pergeseran II", "APBD-P"], PAGU)
    export(settings.inbox / "sipd" / "realisasi_2025.xlsx", ["Realisasi"], REALISASI)
    pipeline.run(settings)
    rows = serapan(settings)
    D = Decimal
    assert rows[("TOTAL", "TOTAL")] == (
        D("1800000000"),
        D("1790000000"),
        D("1910000000"),
        D("1523456788"),
        round(1523456788 / 1910000000 * 100, 4),
    )
    assert rows[("UNIT", METRO[0])] == (D("300000000"), D("290000000"), D("310000000"), D("0"), 0.0)
    assert rows[("PROGRAM", "2.17.07")][3] == D("1123456789")
    assert rows[("JENIS_BELANJA", "5.2.02")][2:4] == (D("400000000"), D("399999999"))
    # sasaran through the catalogue's program mapping: 2.17.07 -> S3.3, 3.31.02 -> S1.1, 3.30.06 -> S2.2
    assert {k for (d, k) in rows if d == "SASARAN"} == {"S1.1", "S2.2", "S3.3"}
    assert rows[("SASARAN", "S1.1")][2:4] == (D("400000000"), D("399999999"))

    # a later realisasi export of the Dinas replaces its earlier one whole; Metrologi keeps its own
    export(
        settings.inbox / "sipd" / "realisasi_2025_revisi.xlsx", ["Realisasi"], [(DINAS, "2.17.07", "5.1.02.01.01.0024", "1.150.000.000")]
    )
    pipeline.run(settings)
    rows = serapan(settings)
    assert rows[("UNIT", DINAS[0])][3] == D("1150000000")
    assert rows[("TOTAL", "TOTAL")][3] == D("1150000000")

    # an export standing at an earlier date, delivered late, does not roll the figures back
    export(
        settings.inbox / "sipd" / "realisasi_2025_oktober.xlsx",
        ["Realisasi"],
        [(DINAS, "2.17.07", "5.1.02.01.01.0024", "999.000.000")],
        title="LAPORAN REALISASI TAHUN ANGGARAN 2025 s.d. 31 Oktober 2025",
    )
    result = pipeline.run(settings)
    assert len(result.landed) == 1
    assert serapan(settings)[("UNIT", DINAS[0])][3] == D("1150000000")


def test_bad_sipd_export_is_quarantined_and_nothing_changes(home_copy):
    settings = home_copy
    (settings.inbox / "sipd").mkdir(exist_ok=True)
    bad = [(DINAS, "2.17.07", "5.1.02.01.01.0024", "1.000.000", "1.000.000", "1.000.000", "2.000.000")]
    export(settings.inbox / "sipd" / "realisasi_2025.xlsx", ["APBD", "Pergeseran II", "APBD-P", "Realisasi"], bad)
    serving_before = file_sha256(settings.serving_db)
    with pytest.raises(PipelineError) as err:
        pipeline.run(settings)
    message = str(err.value)
    assert "realisasi_2025.xlsx" in message and "sheet 'Rekap'" in message and "row 4" in message
    assert "larger than its pagu" in message
    assert file_sha256(settings.serving_db) == serving_before
    assert list(settings.quarantine_dir.rglob("realisasi_2025.xlsx.reason.txt"))
