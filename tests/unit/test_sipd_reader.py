"""The SIPD export reader on real XLSX files written in the test (openpyxl) and on CSV: the layout
SIPD really exports (title rows, merged cells, code columns, Indonesian numbers, subtotal rows),
and every bad shape ending in a message naming file, sheet, row and reason with nothing loaded."""

from __future__ import annotations

from decimal import Decimal

import pytest
from openpyxl import Workbook

from ingestion import sipd
from kinerja.errors import InputFileError

PROGRAMS = {"2.17.01", "2.17.07", "3.30.05", "3.31.02"}
HEADER = ["Kode Program", "Kode Kegiatan", "Kode Sub Kegiatan", "Kode Akun", "Uraian", "APBD", "Pergeseran II", "APBD-P", "Realisasi", "%"]
UNIT = "SKPD : 3.31.3.30.2.17.01.0000 Dinas Perindustrian, Perdagangan, Koperasi, Usaha Kecil dan Menengah"


def detail(
    program="2.17.07",
    akun="5.1.02.01.01.0024",
    apbd="1.000.000",
    geser="1.000.000",
    apbdp="1.200.000",
    realisasi="1.100.000",
    uraian="Belanja Alat Tulis Kantor",
):
    return [program, f"{program}.2.01", f"{program}.2.01.0005", akun, uraian, apbd, geser, apbdp, realisasi, "91,67%"]


def write_xlsx(path, rows, header_row=9, sheet="Rekap Rekening"):
    book = Workbook()
    ws = book.active
    ws.title = sheet
    ws["A1"] = "PEMERINTAH PROVINSI DAERAH KHUSUS IBUKOTA JAKARTA"
    ws.merge_cells("A1:J1")
    ws["A2"] = "LAPORAN REALISASI ANGGARAN PER REKENING TAHUN ANGGARAN 2024"
    ws.merge_cells("A2:J2")
    ws["A4"] = UNIT
    ws.merge_cells("A4:J4")
    for col, label in enumerate(HEADER, start=1):
        ws.cell(row=header_row, column=col, value=label)
    for offset, values in enumerate(rows, start=1):
        for col, value in enumerate(values, start=1):
            ws.cell(row=header_row + offset, column=col, value=value)
    book.save(path)
    return path


def good_rows():
    return [
        ["2.17.07", "", "", "", "PROGRAM PEMBERDAYAAN UMKM", "3.500.000", "3.500.000", "3.700.000", "3.300.000", ""],  # program header
        [
            "2.17.07",
            "2.17.07.2.01",
            "2.17.07.2.01.0005",
            "5.1.02",
            "Belanja Barang dan Jasa",
            "3.500.000",
            "3.500.000",
            "3.700.000",
            "3.300.000",
            "",
        ],  # akun subtotal
        detail(),
        detail(
            akun="5.1.02.01.01.0026", apbd="2.500.000", geser="2.500.000", apbdp="2.500.000", realisasi=None, uraian="Belanja Bahan Cetak"
        ),  # empty realisasi
        ["", "", "", "", "Jumlah Sub Kegiatan", "3.500.000", "3.500.000", "3.700.000", "1.100.000", ""],
        [
            "3.31.02",
            "3.31.02.2.01",
            "3.31.02.2.01.0003",
            "5.2.02.05.01.0001",
            "Belanja Modal Mesin",
            7_000_000,
            7_000_000.0,
            "7.000.000,00",
            "6.999.999",
            "99,99%",
        ],
        ["", "", "", "", "TOTAL", "10.500.000", "10.500.000", "10.700.000", "8.099.999", ""],
    ]


def test_sipd_xlsx_with_title_rows_merged_cells_and_subtotals(tmp_path):
    path = write_xlsx(tmp_path / "sipd_realisasi_2024.xlsx", good_rows())
    rows = sipd.parse(path, PROGRAMS)
    assert list(rows.akun_kode) == ["5.1.02.01.01.0024", "5.1.02.01.01.0026", "5.2.02.05.01.0001"]
    assert list(rows.baris) == [12, 13, 15]  # header on row 9: the file's own row numbers
    assert set(rows.tahun) == {2024} and set(rows.unit_kode) == {"3.31.3.30.2.17.01.0000"}
    assert list(rows.jenis_belanja_kode) == ["5.1.02", "5.1.02", "5.2.02"]
    assert list(rows.pagu_apbdp) == [Decimal(1_200_000), Decimal(2_500_000), Decimal(7_000_000)]
    assert list(rows.realisasi) == [Decimal(1_100_000), Decimal(0), Decimal(6_999_999)]
    assert sum(rows.realisasi) == Decimal(8_099_999)  # the Total row checks out; subtotals not counted


def _rejected(path, *words):
    with pytest.raises(InputFileError) as err:
        sipd.parse(path, PROGRAMS)
    message = str(err.value)
    assert path.name in message and "nothing from it was loaded" in message
    for word in words:
        assert word in message, message
    return message


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (
            lambda r: r.__setitem__(2, detail(program="9.99.99")),
            ["sheet 'Rekap Rekening'", "row 12", "program 9.99.99 is not in the catalogue"],
        ),
        (lambda r: r.__setitem__(2, detail(realisasi="1.300.000")), ["row 12", "realisasi 1300000 is larger than its pagu 1200000"]),
        (lambda r: r.__setitem__(2, detail(apbd="-1.000.000")), ["row 12", "column 'pagu_apbd'", "negative pagu -1000000"]),
        (lambda r: r.__setitem__(2, detail(apbdp="satu juta")), ["row 12", "'satu juta' is not an amount in rupiah"]),
        (
            lambda r: r.__setitem__(6, ["", "", "", "", "TOTAL", "10.500.000", "10.500.000", "10.700.000", "9.099.999", ""]),
            ["row 16", "Total row says 9099999", "add up to 8099999"],
        ),
    ],
    ids=["unknown-program", "realisasi-above-pagu", "negative-pagu", "unreadable-number", "total-mismatch"],
)
def test_bad_rows_name_file_sheet_row_and_reason(tmp_path, change, words):
    rows = good_rows()
    change(rows)
    _rejected(write_xlsx(tmp_path / "sipd_2024.xlsx", rows), *words)


def test_not_a_spreadsheet(tmp_path):
    html = tmp_path / "sipd_2024.xlsx"
    html.write_text("<html><body>Sesi Anda telah berakhir</body></html>")
    _rejected(html, "not a spreadsheet")
    broken = tmp_path / "broken_2024.xlsx"
    broken.write_bytes(b"PK\x03\x04" + b"\x00" * 200)
    _rejected(broken, "not a readable XLSX spreadsheet")
    _rejected(_no_header(tmp_path), "no sheet has a header row")


def _no_header(tmp_path):
    book = Workbook()
    book.active["A1"] = "Laporan kosong"
    path = tmp_path / "kosong_2024.xlsx"
    book.save(path)
    return path


def test_csv_export_with_semicolons_and_indonesian_numbers(tmp_path):
    lines = [
        "LAPORAN PAGU ANGGARAN TAHUN ANGGARAN 2023",
        UNIT,
        "",
        ";".join(HEADER),
        *(";".join("" if v is None else str(v) for v in row) for row in good_rows()),
    ]
    path = tmp_path / "pagu.csv"
    path.write_text("\n".join(lines), encoding="cp1252")
    rows = sipd.parse(path, PROGRAMS)
    assert set(rows.tahun) == {2023} and len(rows) == 3
    assert sum(rows.pagu_apbd) == Decimal(10_500_000)


def test_money_formats():
    assert sipd.parse_rupiah("1.234.567.890") == Decimal(1234567890)
    assert sipd.parse_rupiah("1.234.567.890,50") == Decimal("1234567890.50")
    assert sipd.parse_rupiah("1,234,567,890") == Decimal(1234567890)
    assert sipd.parse_rupiah("5.400") == Decimal(5400)  # money: one dot + 3 digits is thousands
    assert sipd.parse_rupiah("-") == 0 and sipd.parse_rupiah(None) is None and sipd.parse_rupiah("") is None
    assert sipd.parse_rupiah("(1.000)") == Decimal(-1000) and sipd.parse_rupiah("Rp 2.500") == Decimal(2500)
    assert sipd.parse_rupiah(1234567890.0) == Decimal(1234567890)
    with pytest.raises(ValueError):
        sipd.parse_rupiah("1.23.4")


def test_a_large_export_reads_completely(tmp_path):
    """20,000 detail rows under program and sub kegiatan headers; the 200,000-row timing is
    measured by benchmarks/sipd_read.py (figures in the README), not asserted here."""
    path = tmp_path / "besar_2024.xlsx"
    write_large_export(path, 20_000)
    rows = sipd.parse(path, PROGRAMS)
    assert len(rows) == 20_000 and sum(rows.realisasi) == Decimal(18_000_000)


def write_large_export(path, n):
    book = Workbook(write_only=True)
    ws = book.create_sheet("Rekap Rekening")
    ws.append(["LAPORAN REALISASI ANGGARAN TAHUN ANGGARAN 2024"])
    ws.append([UNIT])
    ws.append(HEADER)
    for i in range(n):
        if i % 100 == 0:
            ws.append(
                ["2.17.07", "2.17.07.2.01", f"2.17.07.2.01.{i // 100:04d}", "", "Sub kegiatan", 100_000, 100_000, 100_000, 90_000, None]
            )
        ws.append(
            [
                "2.17.07",
                "2.17.07.2.01",
                f"2.17.07.2.01.{i // 100:04d}",
                f"5.1.02.01.01.{i % 100:04d}",
                "Belanja",
                1000,
                1000,
                1000,
                900,
                "90%",
            ]
        )
    book.save(path)


def _sheet(path, header, rows, title=("LAPORAN TAHUN ANGGARAN 2024", UNIT)):
    book = Workbook()
    ws = book.active
    ws.title = "Rekap"
    for line in title:
        ws.append([line])
    ws.append(header)
    for row in rows:
        ws.append(row)
    book.save(path)
    return path


CODES = ["Kode Program", "Kode Kegiatan", "Kode Sub Kegiatan", "Kode Akun", "Uraian"]


def test_real_export_furniture_is_not_data(tmp_path):
    """A column-number row under the header, the top account '5 BELANJA DAERAH', a program-level
    akun subtotal without a sub kegiatan, a TOTAL typed in the code column and a signature block."""
    rows = [
        ["1", "2", "3", "4", "5", "6", "7 = 6/5"],
        ["2.17.07", "", "", "5", "BELANJA DAERAH", 3000, 2500],
        ["2.17.07", "", "", "5.1.02", "Belanja Barang dan Jasa", 3000, 2500],
        ["2.17.07", "2.17.07.2.01", "2.17.07.2.01.0001", "5.1.02.01.01.0024", "ATK", 1000, 500],
        ["2.17.07", "2.17.07.2.02", "2.17.07.2.02.0003", "5.1.02.01.01.0026", "Cetak", 2000, 2000],
        ["", "", "", "TOTAL", "", 3000, 2500],
        ["", "", "", "", "Jakarta, 31 Desember 2024", "Kepala Dinas", "NIP. 197001011990031001"],
    ]
    parsed = sipd.parse(_sheet(tmp_path / "x.xlsx", [*CODES, "APBD-P (Rp)", "Realisasi (Rp)"], rows), PROGRAMS)
    assert list(parsed.akun_kode) == ["5.1.02.01.01.0024", "5.1.02.01.01.0026"]
    assert sum(parsed.realisasi) == 2500 and sum(parsed.pagu_apbdp) == 3000


def test_latest_pergeseran_and_blank_columns(tmp_path):
    header = [*CODES, "APBD", "Pergeseran I", "Pergeseran II", "APBD-P", "Realisasi"]
    rows = [["2.17.07", "2.17.07.2.01", "2.17.07.2.01.0001", "5.1.02.01.01.0024", "ATK", 1000, 1000, 1200, None, 1100]]
    parsed = sipd.parse(_sheet(tmp_path / "x.xlsx", header, rows), PROGRAMS)
    row = parsed.iloc[0]
    assert row.pagu_pergeseran == 1200  # Pergeseran II, not I
    assert row.pagu_apbdp is None  # a column blank on every row is not in this export
    assert row.realisasi == 1100  # checked against the latest stage present (Pergeseran II)


def test_unit_from_title_cells_prefers_sub_unit(tmp_path):
    title = (
        "SKPD : 3.31.3.30.2.17.01.0000 Dinas PPKUKM",
        "Sub Unit : 3.31.3.30.2.17.01.0008 Unit Pengelola Metrologi",
        "TAHUN ANGGARAN 2023",
    )
    rows = [["3.30.05", "3.30.05.2.01", "3.30.05.2.01.0001", "5.1.02.01.01.0024", "ATK", 1000, 900]]
    parsed = sipd.parse(_sheet(tmp_path / "x.xlsx", [*CODES, "APBD-P", "Realisasi"], rows, title), PROGRAMS)
    assert (parsed.unit_kode[0], parsed.unit_nama[0], parsed.tahun[0]) == ("3.31.3.30.2.17.01.0008", "Unit Pengelola Metrologi", 2023)


def test_bad_year_cell_is_a_row_problem_not_a_crash(tmp_path):
    rows = [["2.17.07", "2.17.07.2.01", "2.17.07.2.01.0001", "5.1.02.01.01.0024", "ATK", "TA dua ribu", 1000, 900]]
    path = _sheet(tmp_path / "tanpa_tahun.xlsx", [*CODES, "Tahun", "APBD-P", "Realisasi"], rows, title=(UNIT,))
    _rejected(path, "row 3", "column 'tahun'", "'TA dua ribu' is not a year")


def test_more_money_formats():
    assert sipd.parse_rupiah("1.000,-") == 1000
    assert sipd.parse_rupiah(None) is None and sipd.parse_rupiah("-") == 0
    assert str(sipd.parse_rupiah(1000.0)) == "1000"
    with pytest.raises(ValueError, match="more than 2 decimals"):
        sipd.parse_rupiah(1234.567)
    with pytest.raises(ValueError):
        sipd.parse_rupiah("(1.000")


def test_export_date_from_the_title():
    assert sipd.data_date(["LAPORAN REALISASI s.d. 31 Desember 2024"]) == "2024-12-31"
    assert sipd.data_date(["Realisasi per tanggal 30/11/2024"]) == "2024-11-30"
    assert sipd.data_date(["REALISASI ANGGARAN S.D. BULAN FEBRUARI 2024"]) == "2024-02-29"
    assert sipd.data_date(["LAPORAN TAHUN ANGGARAN 2024", "Dinas Perindustrian, Perdagangan"]) is None
