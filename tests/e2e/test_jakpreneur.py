"""Jakpreneur and e-Order: the sample reproduces the report, overlapping exports and refunds,
incremental builds equal full rebuilds, and bad rows are rejected with file, row and reason."""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from kinerja import pipeline, warehouse
from kinerja.dbt import public_marts
from kinerja.errors import PipelineError
from tests.conftest import file_sha256
from tests.e2e.test_end_to_end import query, ringkasan

HEADER = "transaksi_id,umkm_id,waktu,kanal,jenis,nominal,transaksi_asal_id\n"


def test_sample_reproduces_the_report_figures(published):
    settings, _ = published
    values = {
        (k, t, p): (round(r, 2), s)
        for k, t, p, r, s in query(
            settings,
            "select indikator_kode, tahun, periode, realisasi, sumber_data from marts.capaian_indikator "
            "where indikator_kode in ('SS03', 'SS05') and jenis_target = 'PERKIN'",
        )
    }
    assert values[("SS03", 2023, "TAHUNAN")] == (7.35, "JAKPRENEUR")
    assert [values[("SS03", 2024, p)][0] for p in ("TW2", "TW3", "TW4", "TAHUNAN")] == [3.32, 5.19, 7.75, 7.75]
    assert values[("SS05", 2023, "TAHUNAN")] == (89.0, "JAKPRENEUR")
    assert [values[("SS05", 2024, p)][0] for p in ("TW2", "TW3", "TW4", "TAHUNAN")] == [55.15, 68.1, 89.0, 89.0]
    # computed values replace the E-Monev entries and agree with them
    emonev = query(settings, "select status, count(*) from marts.rekonsiliasi_lkip where tabel = 'E-MONEV' group by 1")
    assert emonev == [("COCOK", 4 + 10)]  # 4 BPS (2023) + 10 Jakpreneur entries
    # the Perkin average of the foundation issue is unchanged
    avg, _, n, counted, waiting = ringkasan(settings, "PERKIN", 2024)
    assert (round(avg, 2), n, counted, waiting) == (102.36, 19, 15, 4)

    omzet = query(
        settings,
        "select periode, target_omzet, realisasi_omzet, target_kumulatif, realisasi_kumulatif, round(capaian_persen, 2) "
        "from marts.omzet_umkm_triwulan where tahun = 2024 order by periode",
    )
    assert omzet == [
        ("TW1", Decimal("437540538"), Decimal("4216268608"), Decimal("437540538"), Decimal("4216268608"), 963.63),
        ("TW2", Decimal("7000648607"), Decimal("5464144010"), Decimal("7438189145"), Decimal("9680412618"), 130.14),
        ("TW3", Decimal("7000648607"), Decimal("8569234473"), Decimal("14438837752"), Decimal("18249647091"), 126.39),
        ("TW4", Decimal("3062783765"), Decimal("9460757322"), Decimal("17501621517"), Decimal("27710404413"), 158.33),
    ]
    assert query(
        settings,
        "select jumlah_umkm_naik_kelas, jumlah_umkm_bertransaksi_dua_tahun, target_naik_kelas from marts.umkm_naik_kelas where tahun = 2024",
    ) == [(5430, 6500, 5400)]
    assert query(settings, "select jumlah_umkm_naik_kelas from marts.umkm_naik_kelas where tahun = 2023") == [(None,)]  # no 2022 to compare
    eorder = query(
        settings,
        "select perangkat_daerah_pembina, jumlah_umkm, target_jumlah_umkm from marts.eorder_pemerataan where tahun = 2024 order by perangkat_daerah_pembina",
    )
    assert eorder == [("DINSOS", 5, 5), ("DISPAREKRAF", 6, 5), ("DKPKP", 11, 10), ("DPPAPP", 5, 5), ("DPPKUKM", 22, 20), ("DTKTE", 11, 10)]
    totals = query(
        settings, "select sum(jumlah_umkm), sum(jumlah_transaksi), sum(nilai_transaksi) from marts.eorder_pemerataan where tahun = 2024"
    )
    assert totals == [(60, 416, Decimal("1394308310"))]
    rekon = query(settings, "select status, count(*) from marts.rekonsiliasi_lkip where tabel in ('3.3', '3.4') group by 1 order by 1")
    assert rekon == [("COCOK", 22), ("SELISIH", 1)]  # the SELISIH: TW I capaian printed truncated (963 %), explained
    # the registry arrives in Windows-1252 and is decoded as such
    assert query(settings, "select nama_usaha from staging.stg_jakpreneur__umkm where umkm_id = 'JP0000001'") == [("Kedai Kopi Sédap",)]


def _rows(path: Path) -> list[dict]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def _binaan_sale(settings, month_file: Path) -> dict:
    """A sale of a DPPKUKM binaan from one of the sample's monthly files."""
    binaan = {
        u
        for (u,) in query(
            settings,
            "select umkm_id from staging.stg_jakpreneur__umkm where status_binaan = 'BINAAN' and perangkat_daerah_pembina = 'DPPKUKM'",
        )
    }
    return next(r for r in _rows(month_file) if r["jenis"] == "PENJUALAN" and r["umkm_id"] in binaan and int(r["nominal"]) > 50_000)


def _omzet(settings) -> dict:
    return dict(query(settings, "select tahun || periode, realisasi_omzet from marts.omzet_umkm_triwulan"))


OBJECTS = (
    "select schema_name, table_name from duckdb_tables() where database_name = current_database() union all "
    "select schema_name, view_name from duckdb_views() where database_name = current_database() and not internal order by all"
)


def test_overlap_is_a_no_op_a_refund_reduces_omzet_and_incremental_equals_full_rebuild(home_copy):
    settings = home_copy
    folder = settings.inbox / "jakpreneur"
    before = _omzet(settings)
    objects_before = query(settings, OBJECTS)
    marts_before = {m: query(settings, f"select * from marts.{m} order by all") for m in public_marts() if m != "rekonsiliasi_lkip"}

    # an export overlapping November and December, with rows repeated: nothing new
    november, december = _rows(folder / "transaksi_2024-11.csv"), _rows(folder / "transaksi_2024-12.csv")
    overlap = november[-300:] + december[:300] + december[:50]
    with (folder / "transaksi_2024-11-20_2024-12-10.csv").open("w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(overlap[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(overlap)
    messages: list[str] = []
    result = pipeline.run(settings, progress=messages.append)
    assert len(result.landed) == 1
    assert any("0 new transaction(s); 50 row(s) repeated in the file dropped; 600 transaction(s) landed before" in m for m in messages)
    assert any("incremental state of intermediate.int_omzet_umkm_triwulan_dijumlah carried" in m for m in messages)
    assert {m: query(settings, f"select * from marts.{m} order by all") for m in marts_before} == marts_before

    # a model dropped from the project since this warehouse was built: the next build, which
    # starts from a copy of this file, must not carry its table into the new one
    con = duckdb.connect(str(settings.serving_db))
    con.execute("create table marts.model_yang_dihapus as select 1 as x")
    con.close()

    # a refund in December of a November sale: the fourth quarter's omzet drops by exactly the refund
    sale = _binaan_sale(settings, folder / "transaksi_2024-11.csv")
    refund = 12_345
    (folder / "transaksi_2024-12-30.csv").write_text(
        HEADER + f"RF000000001,{sale['umkm_id']},2024-12-30 10:00:00,{sale['kanal']},REFUND,-{refund},{sale['transaksi_id']}\n"
    )
    pipeline.run(settings)
    after = _omzet(settings)
    assert after["2024TW4"] == before["2024TW4"] - refund
    assert {k: v for k, v in after.items() if k != "2024TW4"} == {k: v for k, v in before.items() if k != "2024TW4"}

    # the incremental build (carried state + two new batches) equals a build from every batch
    full = warehouse.build(settings, warehouse.new_run_id(), full_refresh=True)
    con = duckdb.connect(str(full), read_only=True)
    try:
        table = "select * exclude (batch_id_terakhir) from intermediate.int_omzet_umkm_triwulan_dijumlah order by all"
        rebuilt = con.execute(table).fetchall()
        rebuilt_marts = {
            m: con.execute(f"select * from marts.{m} order by all").fetchall() for m in ("omzet_umkm_triwulan", "umkm_naik_kelas")
        }
    finally:
        con.close()
    assert query(settings, table) == rebuilt
    # the same tables and views as before: of the old file only the incremental state was carried
    assert query(settings, OBJECTS) == objects_before
    assert ("marts", "omzet_umkm_triwulan") in objects_before
    assert {m: query(settings, f"select * from marts.{m} order by all") for m in rebuilt_marts} == rebuilt_marts


def test_bad_transaction_rows_are_rejected_with_file_row_and_reason(home_copy):
    settings = home_copy
    folder = settings.inbox / "jakpreneur"
    serving = file_sha256(settings.serving_db)
    bad = folder / "transaksi_2025-01-05.csv"
    bad.write_text(
        HEADER
        + "T1,JP0000002,2025-01-05 09:00:00,QRIS,PENJUALAN,15000,\n"  # fine
        + "T2,JP9999999,2025-01-05 09:01:00,QRIS,PENJUALAN,15000,\n"  # line 3: unknown UMKM
        + "T3,JP0000002,2099-01-05 09:02:00,QRIS,PENJUALAN,15000,\n"  # line 4: future
        + "T4,JP0000002,2025-01-05 09:03:00,QRIS,PENJUALAN,-15000,\n"  # line 5: negative sale
        + "T5,JP0000002,2025-01-05 09:04:00,QRIS,PENJUALAN,12.500,\n"  # line 6: thousands separator
        + "T6,JP0000002,05/01/2025 09:05,QRIS,PENJUALAN,15000,\n"  # line 7: date format
        + "T7,JP0000002,2025-01-05 09:06:00,QRIS,PENJUALAN,15000,,extra\n"  # line 8: a field too many
        + "T8,JP0000002,2025-01-05 09:07:00,QRIS,REFUND,-5000,\n"  # line 9: refund of nothing
    )
    good = folder / "transaksi_2025-01-06.csv"
    good.write_text(HEADER + "G1,JP0000002,2025-01-06 09:00:00,QRIS,PENJUALAN,20000,\n")
    with pytest.raises(PipelineError) as failure:
        pipeline.run(settings)
    message = str(failure.value)
    for where, reason in (
        ("row 3, column 'umkm_id'", "UMKM is not in any landed Jakpreneur registry export (send the registry first) (transaksi_id T2)"),
        ("row 4, column 'waktu'", "waktu is in the future (transaksi_id T3)"),
        ("row 5, column 'nominal'", "a sale (PENJUALAN) must have a positive nominal"),
        ("row 6, column 'nominal'", "nominal is not an amount in rupiah written as plain digits"),
        ("row 7, column 'waktu'", "waktu is not a time written YYYY-MM-DD HH:MM:SS"),
        ("row 8", "unreadable row"),
        (
            "row 9, column 'transaksi_asal_id'",
            "a REFUND or REVERSAL must name the sale it gives back in transaksi_asal_id (transaksi_id T8)",
        ),
    ):
        assert f"transaksi_2025-01-05.csv, {where}: {reason}" in message, (where, reason, message)
    assert "row 2," not in message
    quarantined = list(settings.quarantine_dir.rglob("transaksi_2025-01-05.csv.reason.txt"))
    assert len(quarantined) == 1 and "row 3" in quarantined[0].read_text()
    # all or nothing per file: nothing of the bad file landed, the good file did and was published
    landed = [p.parent for p in (settings.landing_dir / "jakpreneur" / "transaksi").rglob("batch.json")]
    names = {Path(p / "batch.json").read_text().split('"original_name": "')[1].split('"')[0] for p in landed}
    assert "transaksi_2025-01-06.csv" in names and "transaksi_2025-01-05.csv" not in names
    assert "the other new data was published; the marts keep the last good data of jakpreneur, marked stale (USANG)" in message
    assert file_sha256(settings.serving_db) != serving
    con = duckdb.connect(str(settings.serving_db), read_only=True)
    try:
        good_row = con.execute("select count(*) from raw.jakpreneur__transaksi where transaksi_id = 'G1'").fetchone()[0]
        status = con.execute("select status, berkas_ditolak from marts.status_sumber where sumber = 'jakpreneur'").fetchone()
    finally:
        con.close()
    assert status == ("USANG", "transaksi_2025-01-05.csv")
    assert good_row == 1  # the good file's transaction is in the published build


@pytest.mark.parametrize(
    ("folder", "name", "text", "expected"),
    [
        (
            "eorder",
            "pesanan_2025-01.csv",
            "nomor_pesanan,tanggal_pesanan,perangkat_daerah_pemesan,umkm_id,nilai_pesanan,status,diperbarui_pada\n"
            "EO-1,2025-01-02,BPPBJ,JP9999999,150000,SELESAI,2025-01-03 10:00:00\n",
            "pesanan_2025-01.csv, row 2, column 'umkm_id': UMKM 'JP9999999' is not in any landed Jakpreneur registry export",
        ),
        (
            "eorder",
            "pesanan_2025-02.csv",
            "nomor_pesanan;tanggal_pesanan;perangkat_daerah_pemesan;umkm_id;nilai_pesanan;status;diperbarui_pada\n"
            "EO-2;2025-02-02;BPPBJ;JP0000002;150000;DIKIRIM;2025-02-03 10:00:00\n",
            "pesanan_2025-02.csv, row 2, column 'status': status must be SELESAI, DIPROSES or DIBATALKAN (found 'DIKIRIM')",
        ),
        (
            "jakpreneur",
            "umkm_2025-01-31.csv",
            "umkm_id,nama_usaha,tanggal_daftar,wilayah,status_binaan,perangkat_daerah_pembina,diperbarui_pada\n"
            "JPX1,Usaha Baru,2025-01-10,JAKARTA TIMUR,BINAAN,DINAS LAIN,2025-01-10 08:00:00\n",
            "umkm_2025-01-31.csv, row 2, column 'perangkat_daerah_pembina': a BINAAN UMKM needs its pembina agency",
        ),
        (
            "jakpreneur",
            "transaksi_2025-01-07.csv",
            "<!DOCTYPE html><html><body>Sesi Anda telah berakhir</body></html>",
            "this is an HTML/XML page",
        ),
        (
            "jakpreneur",
            "transaksi_2025-01-08.csv",
            "id,umkm,tanggal,nominal\nT9,JP0000002,2025-01-08,15000\n",
            "header must be exactly transaksi_id, umkm_id, waktu, kanal, jenis, nominal, transaksi_asal_id",
        ),
        (
            "jakpreneur",
            "omzet_januari.csv",
            HEADER,
            "the file name must start with umkm, penilaian or transaksi",
        ),
    ],
)
def test_bad_registry_order_and_transaction_files(home_copy, folder, name, text, expected):
    settings = home_copy
    (settings.inbox / folder / name).write_text(text)
    with pytest.raises(PipelineError) as failure:
        pipeline.run(settings)
    assert expected in str(failure.value)
    assert list(settings.quarantine_dir.rglob(f"{name}.reason.txt"))


def test_transaction_file_with_semicolons_windows_encoding_other_column_order_and_a_quote_in_its_name(home_copy):
    settings = home_copy
    text = (
        "umkm_id;transaksi_id;waktu;kanal;jenis;nominal;transaksi_asal_id\r\n"
        "JP0000002;TRX-\xe91;2025-01-09 08:00:00;qris;Penjualan;25000.00;\r\n"
        "JP0000002;TRX-\xe92;2025-01-09 08:05:00;QRIS;REVERSAL;-25000;TRX-\xe91\r\n"
    )
    (settings.inbox / "jakpreneur" / "transaksi_2025-01-09_kantor'pusat.csv").write_bytes(text.encode("cp1252"))  # a quote in the name
    pipeline.run(settings)
    rows = query(
        settings,
        "select omzet_bersih, nilai_penjualan, jumlah_penjualan, jumlah_pengembalian from intermediate.int_omzet_umkm_triwulan_dijumlah "
        "where umkm_id = 'JP0000002' and tahun = 2025",
    )
    assert rows == [(Decimal("0.00"), Decimal("25000.00"), 1, 1)]
