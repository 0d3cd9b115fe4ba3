"""The pipeline's promises under bad input (docs/operations.md, quality gates): a corpus of bad files
across every source, each rejected with a clear reason and quarantined, none changing the published
warehouse; the source is then marked stale. Also: the marts audit, Data Docs and the plausibility
check of the SDI score."""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import zipfile
from pathlib import Path

import duckdb
import pytest

from kinerja import pipeline
from kinerja.config import SAMPLE_INBOX, Settings
from kinerja.dbt import public_marts
from kinerja.errors import PipelineError
from kinerja.publish import CHANGE_LOG
from tests.conftest import file_sha256

EMONEV_HEADER = "tahun,periode,indikator_kode,realisasi,keterangan\n"
REGISTRY_HEADER = "umkm_id,nama_usaha,tanggal_daftar,wilayah,status_binaan,perangkat_daerah_pembina,diperbarui_pada\n"
TRANSACTION_HEADER = "transaksi_id,umkm_id,waktu,kanal,jenis,nominal,transaksi_asal_id\n"
ORDER_HEADER = "nomor_pesanan,tanggal_pesanan,perangkat_daerah_pemesan,umkm_id,nilai_pesanan,status,diperbarui_pada\n"
SIPD_HEADER = "Kode Unit;Nama Unit;Kode Program;Kode Kegiatan;Kode Sub Kegiatan;Kode Akun;Uraian;APBD;APBD-P;Realisasi\n"


def marts_hash(serving: Path) -> str:
    """A hash of every row of every public mart and the change log (the published figures)."""
    digest = hashlib.sha256()
    con = duckdb.connect(str(serving), read_only=True)
    try:
        for mart in (*public_marts(), CHANGE_LOG):
            for row in con.execute(f"select * from marts.{mart} order by all").fetchall():
                digest.update(repr(row).encode())
    finally:
        con.close()
    return digest.hexdigest()


def _zip_bomb() -> bytes:
    """An .xlsx-named zip whose sheet unpacks to 300 MB of zeros (about 300 KB packed)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            chunk = b"0" * (1 << 20)
            for _ in range(300):
                member.write(chunk)
    return buffer.getvalue()


def _oversized_sheet(path: Path) -> None:
    """A real, small workbook whose sheet spans the whole grid (1,048,576 rows x 16,384 columns)."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet["A1"] = "Kode Program"
    sheet["XFD1048576"] = 1
    book.save(path)


# (source folder, file name, content: str (UTF-8), bytes, or a callable writing the file, words the error must hold)
CORPUS = [
    # E-Monev
    ("emonev", "terpotong.csv", EMONEV_HEADER + "2024,TAHUNAN,SK09,71,koreksi\n2024,TAHU", ["row 3"]),
    # Excel's "Unicode Text" (UTF-16, tabs) and "Text" (tabs) are read; these two lack a column
    ("emonev", "utf16.csv", "tahun\tperiode\tindikator_kode\n2024\tTAHUNAN\tSK09\n".encode("utf-16"), ["header is missing", "realisasi"]),
    ("emonev", "tab.csv", "tahun\tperiode\tindikator_kode\tnilai\n2024\tTAHUNAN\tSK09\t71\n", ["header is missing"]),
    ("emonev", "tanpa_header.csv", "2024,TAHUNAN,SK09,71,koreksi\n", ["header is missing"]),
    ("emonev", "ganda.csv", EMONEV_HEADER + "2024,TAHUNAN,SK09,71,\n2024,TAHUNAN,SK09,72,\n", ["more than once"]),
    ("emonev", "kosong.csv", "", ["empty"]),
    ("emonev", "satu_baris_raksasa.csv", "tahun" + "x" * 3_000_000, ["row 1", "longer than 65,536 bytes"]),
    (
        "jakpreneur",
        "penilaian_medan_raksasa.csv",
        'penilaian_id,umkm_id,tanggal_penilaian,omzet_tahunan,aset,tenaga_kerja,nilai_invoice_ekspor_usd\nP1,"'
        + "x" * 300_000
        + '",2024-01-02,1,1,1,\n',
        ["not a readable CSV export"],
    ),
    ("emonev", "halaman_login.csv", "<!DOCTYPE html><html><body>Silakan login</body></html>", ["HTML"]),
    ("emonev", "angka_ambigu.csv", EMONEV_HEADER + "2024,TAHUNAN,SK15,5.400,\n", ["row 2", "ambiguous"]),
    # BPS
    ("bps", "terpotong.json", '{"status": "OK", "data-availability": "available", "var": [{"val": 1', ["not a BPS WebAPI answer"]),
    ("bps", "blokir_firewall.json", "<html><head><title>403 Forbidden</title></head></html>", ["not a BPS WebAPI answer"]),
    ("bps", "galat.json", '{"status": "Error", "message": "Invalid key"}', ["Invalid key"]),
    ("bps", "null.json", "null", ["answered null"]),
    # SIPD
    ("sipd", "bom_zip.xlsx", _zip_bomb, ["zip bomb"]),
    ("sipd", "lembar_raksasa.xlsx", _oversized_sheet, ["cells"]),
    ("sipd", "halaman_galat.xlsx", "<html><body>Session expired</body></html>", ["not a spreadsheet"]),
    (
        "sipd",
        "format_campuran_2024.csv",
        SIPD_HEADER
        + "3.31.01.0000;DINAS PPKUKM;2.17.07;2.17.07.2.01;2.17.07.2.01.0001;5.1.02.01.01.0024;Belanja;1.000.000;1.000.000;900.000\n"
        + "3.31.01.0000;DINAS PPKUKM;2.17.07;2.17.07.2.01;2.17.07.2.01.0001;5.1.02.01.01.0025;Belanja;1,000,000;1,000,000;900,000\n",
        ["row 3", "Indonesian and English number formats"],
    ),
    # Jakpreneur and e-Order
    (
        "jakpreneur",
        "umkm_tanggal_salah.csv",
        REGISTRY_HEADER + "JPX1,Usaha,31/01/2024,JAKARTA TIMUR,NON_BINAAN,,2024-01-31 08:00:00\n",
        ["row 2", "YYYY-MM-DD"],
    ),
    (
        "jakpreneur",
        "umkm_utf16.csv",
        (REGISTRY_HEADER + "JPX1,Usaha,2024-01-31,JAKARTA TIMUR,NON_BINAAN,,\n").encode("utf-16"),
        ["row 2", "diperbarui_pada", "YYYY-MM-DD HH:MM:SS"],
    ),
    (
        "jakpreneur",
        "transaksi_tanggal_salah.csv",
        TRANSACTION_HEADER + "T1,JP0000002,05/01/2025 09:05,QRIS,PENJUALAN,15000,\n",
        ["row 2", "waktu"],
    ),
    (
        "jakpreneur",
        "transaksi_ganda.csv",
        TRANSACTION_HEADER
        + "T1,JP0000002,2025-01-05 09:00:00,QRIS,PENJUALAN,15000,\nT1,JP0000002,2025-01-05 09:00:00,QRIS,PENJUALAN,16000,\n",
        ["more than once with different values"],
    ),
    (
        "jakpreneur",
        "transaksi_titik_koma.csv",
        TRANSACTION_HEADER + "T1,JP0000002,2025-01-05 09:00:00,QRIS,PENJUALAN,12.500,\n",
        ["row 2", "plain digits"],
    ),
    ("jakpreneur", "rekap_omzet.csv", TRANSACTION_HEADER, ["must start with umkm, penilaian or transaksi"]),
    (
        "eorder",
        "pesanan_status.csv",
        ORDER_HEADER + "EO-9,2025-01-02,BPPBJ,JP0000002,150000,DIKIRIM,2025-01-03 10:00:00\n",
        ["row 2", "DIKIRIM"],
    ),
    ("eorder", "pesanan_kosong.csv", ORDER_HEADER, ["no data rows"]),
    # names and links that point elsewhere
    ("emonev", "tautan.csv", "symlink:/etc/passwd", ["symbolic link"]),
    ("bps", "pdrb..\\..\\etc\\passwd.json", "{}", ["path marks"]),
    ("jakpreneur", "transaksi_baris\nbaru.csv", TRANSACTION_HEADER, ["control characters"]),
    # cells that have no value: never a number
    (
        "sipd",
        "rumus_tanpa_nilai_2024.xlsx",
        lambda: _sipd_with_cell("=SUM(K20:K21)"),
        ["cell K", "formula (=SUM(K20:K21)) saved without its result"],
    ),
    ("sipd", "nilai_galat_2024.xlsx", lambda: _sipd_with_cell("#VALUE!"), ["cell K", "error value #VALUE!"]),
    ("sipd", "ref_galat_2024.xlsx", lambda: _sipd_with_cell("#REF!"), ["error value #REF!"]),
    # messages in words a planner understands, naming row and column
    (
        "jakpreneur",
        "penilaian_tenaga_kosong.csv",
        "penilaian_id,umkm_id,tanggal_penilaian,omzet_tahunan,aset,tenaga_kerja,nilai_invoice_ekspor_usd\nP9,JP0000002,2024-01-02,1000,1000,,\n",
        ["row 2, column 'tenaga_kerja'", "tenaga_kerja (workers) is empty; expected a whole number"],
    ),
    (
        "eorder",
        "pesanan_nilai_kosong.csv",
        ORDER_HEADER + "EO-9,2025-01-02,BPPBJ,JP0000002,,SELESAI,2025-01-03 10:00:00\n",
        ["row 2, column 'nilai_pesanan'"],
    ),
    (
        "jakpreneur",
        "transaksi_unicode.csv",
        (TRANSACTION_HEADER + "T1,JP0000002,2025-01-05 09:00:00,QRIS,PENJUALAN,15000,\n").encode("utf-16"),
        ["UTF-16", "Unicode Text"],
    ),
]


def _sipd_with_cell(value: str) -> bytes:
    """The 2024 SIPD sample with one realisasi cell replaced (openpyxl saves formulas without results)."""
    from openpyxl import load_workbook

    book = load_workbook(SAMPLE_INBOX / "sipd" / "sipd_anggaran_2024.xlsx")
    book.active["K14"] = value
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_the_corpus_has_at_least_25_bad_inputs_across_every_source():
    assert len(CORPUS) >= 25
    assert {folder for folder, *_ in CORPUS} == {"emonev", "bps", "sipd", "jakpreneur", "eorder"}


@pytest.fixture(scope="module")
def shared_home(published, tmp_path_factory) -> Settings:
    """One copy of the published installation that every corpus case runs in, one after another."""
    settings, _ = published
    base = tmp_path_factory.mktemp("corpus")
    shutil.copytree(settings.home, base / "home", ignore=shutil.ignore_patterns("state"))
    shutil.copytree(SAMPLE_INBOX, base / "inbox")
    return Settings.from_env(home=base / "home", inbox=base / "inbox")


@pytest.mark.parametrize(("folder", "name", "content", "expected"), CORPUS, ids=[f"{c[0]}:{c[1]!r}" for c in CORPUS])
def test_bad_input_is_quarantined_with_its_reason_and_changes_nothing(shared_home, folder, name, content, expected):
    settings = shared_home
    target = settings.inbox / folder / name
    target.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str) and content.startswith("symlink:"):
        os.symlink(content.removeprefix("symlink:"), target)
    elif callable(content):
        if name.endswith(".xlsx") and content is _oversized_sheet:
            content(target)
        else:
            target.write_bytes(content())
    else:
        target.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    serving_before = file_sha256(settings.serving_db)
    marts_before = marts_hash(settings.serving_db)
    batches_before = sorted(p.parent.name for p in settings.landing_dir.rglob("batch.json"))
    try:
        with pytest.raises(PipelineError) as failure:
            pipeline.run(settings)
    finally:
        target.unlink()
    message = str(failure.value)
    assert "the serving warehouse was not changed" in message, message
    for word in expected:
        assert word in message, (word, message)
    # nothing landed, nothing published: the same file, the same figures
    assert sorted(p.parent.name for p in settings.landing_dir.rglob("batch.json")) == batches_before
    assert file_sha256(settings.serving_db) == serving_before
    assert marts_hash(settings.serving_db) == marts_before
    # the copy (never for a link) and a readable reason, in quarantine/<source>/
    safe = "".join(c if c.isprintable() and c not in "/\\" else "_" for c in name).lstrip(".")
    reasons = list((settings.quarantine_dir / folder).rglob(f"{safe}.reason.txt"))
    assert len(reasons) == 1, list(settings.quarantine_dir.rglob("*"))
    assert expected[0] in reasons[0].read_text()
    assert (reasons[0].parent / safe).exists() == (not target.is_symlink() and not str(content).startswith("symlink:"))
    # the source is marked stale in the status file that marts.status_sumber reads (this copied home's
    # serving file still points at the original home's; a publish here points it at this one)
    con = duckdb.connect()
    try:
        rows = f"read_parquet('{settings.warehouse_dir / 'status_sumber.parquet'}')"
        status = dict(con.execute(f"select sumber, status from {rows}").fetchall())
        rejected = con.execute(f"select berkas_ditolak from {rows} where sumber = ?", [folder]).fetchone()[0]
    finally:
        con.close()
    assert status[folder] == "USANG" and rejected == name
    assert {s for s, v in status.items() if v == "USANG"} == {folder}


def test_a_file_rejected_again_keeps_one_quarantined_copy(home_copy):
    settings = home_copy
    (settings.inbox / "emonev" / "ganda.csv").write_text(EMONEV_HEADER + "2024,TAHUNAN,SK09,71,\n2024,TAHUNAN,SK09,72,\n")
    for _ in range(2):
        with pytest.raises(PipelineError):
            pipeline.run(settings)
    copies = list(settings.quarantine_dir.rglob("ganda.csv"))
    assert len(copies) == 1 and (copies[0].parent / "ganda.csv.reason.txt").exists()


def test_the_source_turns_current_again_once_the_bad_file_is_gone(home_copy):
    settings = home_copy
    bad = settings.inbox / "emonev" / "ganda.csv"
    bad.write_text(EMONEV_HEADER + "2024,TAHUNAN,SK09,71,\n2024,TAHUNAN,SK09,72,\n")
    with pytest.raises(PipelineError):
        pipeline.run(settings)
    assert "STALE source       : emonev: ganda.csv rejected" in __import__("kinerja.summary", fromlist=["x"]).summarize(settings)
    bad.unlink()
    result = pipeline.run(settings)
    assert "STALE" not in result.summary
    con = duckdb.connect(str(settings.serving_db), read_only=True)
    try:
        assert set(con.execute("select distinct status from marts.status_sumber").fetchall()) == {("TERKINI",)}
        batch = con.execute("select batch_terakhir from marts.status_sumber where sumber = 'emonev'").fetchone()[0]
    finally:
        con.close()
    assert batch.startswith("emonev-")


def test_sdi_score_is_flagged_as_implausible_without_blocking_the_run(published):
    settings, result = published
    con = duckdb.connect(str(settings.serving_db), read_only=True)
    try:
        flagged = con.execute(
            "select indikator_kode, tahun, periode, target, realisasi, capaian_persen, tanda_plausibilitas from marts.capaian_indikator "
            "where tanda_plausibilitas is not null order by all"
        ).fetchall()
        rekon = con.execute(
            "select tabel, periode, status, tanda_plausibilitas from marts.rekonsiliasi_lkip "
            "where indikator_kode = 'SK02' and ukuran = 'CAPAIAN' and tahun = 2024 order by all"
        ).fetchall()
        others = con.execute(
            "select count(*) from marts.rekonsiliasi_lkip where tanda_plausibilitas is not null and indikator_kode <> 'SK02'"
        ).fetchone()[0]
    finally:
        con.close()
    flags = "REALISASI_MELEBIHI_BATAS_SATUAN; REALISASI_10X_TARGET"
    # realisasi 100 against target 3.25 on a 0-4 scale: capaian 3,076.9 % (the report printed 30.769 %)
    assert [(k, t, p, tg, r, round(c, 1), f) for k, t, p, tg, r, c, f in flagged] == [
        ("SK02", 2024, "TAHUNAN", 3.25, 100.0, 3076.9, flags),
        ("SK02", 2024, "TW4", 3.25, 100.0, 3076.9, flags),
    ]
    assert ("3.2", "TAHUNAN", "SELISIH", flags) in rekon and all(r[3] == flags for r in rekon)
    assert others == 0
    assert "Plausibility check : SK02 2024 TAHUNAN realisasi 100 against target 3.25" in result.summary
    # ... and in the Data Docs published next to the warehouse, as a warning of the marts audit
    docs = settings.warehouse_dir / "data_docs"
    pages = list((docs / "validations" / "marts__capaian_indikator").rglob("*.html"))
    assert (docs / "index.html").exists() and pages
    text = pages[-1].read_text()
    assert "[PERINGATAN] plausibility: realisasi is ten or more times its target" in text and "SK02" in text


def test_data_docs_show_every_batch_and_mart_validated_by_the_run(published):
    settings, _ = published
    validations = settings.warehouse_dir / "data_docs" / "validations"
    suites = {p.name for p in validations.iterdir()}
    assert suites == {
        "emonev__realisasi", "bps__pdrb", "sipd__anggaran", "jakpreneur__umkm", "jakpreneur__penilaian", "jakpreneur__transaksi",
        "eorder__pesanan", "marts__capaian_indikator", "marts__ringkasan_capaian", "marts__outlook_sasaran_strategis",
        "marts__perbandingan_nasional", "marts__serapan_anggaran", "marts__omzet_umkm_triwulan", "marts__umkm_naik_kelas",
        "marts__eorder_pemerataan", "marts__rekonsiliasi_lkip", "marts__efisiensi_sasaran", "marts__katalog_indikator",
    }  # fmt: skip
    # one page per landed batch (45) and per audited mart (11: every public mart of dbt's manifest)
    assert len(list(validations.rglob("*.html"))) == 45 + 11
    index = (settings.warehouse_dir / "data_docs" / "index.html").read_text()
    assert "transaksi_2024-01.csv" in index and "marts.serapan_anggaran" in index


def test_a_build_whose_marts_fail_the_audit_is_not_published(home_copy, monkeypatch):
    """Write, audit, publish: a build whose totals do not add up stops before the publish."""
    from kinerja import warehouse

    settings = home_copy
    build = warehouse.build

    def broken_build(*args, **kwargs):
        path = build(*args, **kwargs)
        con = duckdb.connect(str(path))
        con.execute(
            "update marts.serapan_anggaran set realisasi = realisasi + 1 where dimensi = 'UNIT' and tahun = 2024 "
            "and kode = (select min(kode) from marts.serapan_anggaran where dimensi = 'UNIT')"
        )
        con.close()
        return path

    monkeypatch.setattr(warehouse, "build", broken_build)
    (settings.inbox / "emonev" / "koreksi_2024.csv").write_text(EMONEV_HEADER + "2024,TAHUNAN,SK09,66.5,koreksi\n")  # something to build
    serving = file_sha256(settings.serving_db)
    with pytest.raises(PipelineError) as failure:
        pipeline.run(settings)
    message = str(failure.value)
    assert "failed their Great Expectations audit, so it was not published" in message
    assert "marts.serapan_anggaran, column 'realisasi': totals are not consistent" in message and "(kode UNIT)" in message
    assert file_sha256(settings.serving_db) == serving


def test_gx_on_duckdb_through_sql_still_works_with_this_gx_version():
    """The GX internals kinerja/gx_duckdb.py patches are still there and a real SQL validation runs."""
    from kinerja import gx_duckdb

    gx_duckdb.patch()
    gx_duckdb.selftest()
