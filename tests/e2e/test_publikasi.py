"""What planners receive after a publish, from a real published warehouse: the workbook read back
with openpyxl, the report page parsed with html.parser, the notice received by a real SMTP server
on loopback (aiosmtpd) and a real local webhook receiver (pytest-httpserver)."""

from __future__ import annotations

import base64
import json
import re
import shutil
from html.parser import HTMLParser

import duckdb
import openpyxl
import pytest

from kinerja import pipeline, publikasi
from kinerja.errors import PipelineError
from tests.bps_server import RILIS_2025_02
from tests.smtp_server import free_port

BPS_CODES = ("SS01", "SS02", "SS06", "SS07")
LKIP_SHEETS = ("3.2", "3.3", "3.5", "3.6", "3.7", "3.8", "3.9", "3.10", "3.11", "3.12", "3.13", "3.14", "3.19")


# -- helpers ----------------------------------------------------------------------------------


def names(settings) -> dict[str, str]:
    con = duckdb.connect(str(settings.serving_db), read_only=True)
    try:
        return dict(con.execute("select distinct indikator_kode, indikator_nama from marts.capaian_indikator").fetchall())
    finally:
        con.close()


def rows(ws) -> list[list]:
    return [[c.value for c in line] for line in ws.iter_rows()]


def find(ws, column: int, predicate) -> int:
    """The index (0-based) of the first row whose cell in ``column`` satisfies ``predicate``."""
    for i, line in enumerate(rows(ws)):
        value = line[column] if column < len(line) else None
        if value is not None and predicate(value):
            return i
    raise AssertionError(f"sheet {ws.title}: no row matches in column {column}")


def footnotes(ws) -> dict[int, str]:
    found = {}
    for line in rows(ws):
        m = re.match(r"^(\d+)\) (.*)", str(line[0] or ""), re.S)
        if m:
            found[int(m.group(1))] = m.group(2)
    return found


def notes_of(line: list) -> list[int]:
    text = next((v for v in reversed(line) if v not in (None, "")), "")
    return [int(n) for n in re.findall(r"\d+", str(text))] if re.fullmatch(r"[\d, ]+", str(text)) else []


def workbook(settings):
    path = settings.warehouse_dir / "publikasi" / "tabel-lkip-2024.xlsx"
    assert path.exists(), (
        f"no workbook in {path.parent}: {sorted(p.name for p in path.parent.iterdir()) if path.parent.exists() else 'no folder'}"
    )
    return openpyxl.load_workbook(path)


def drop_later_release(settings) -> None:
    for path in RILIS_2025_02.iterdir():
        shutil.copy(path, settings.inbox / "bps" / path.name)


# -- the workbook -----------------------------------------------------------------------------


def test_workbook_holds_the_published_figures_in_the_report_layout(published):
    settings, _ = published
    book = workbook(settings)
    n = names(settings)
    assert book.sheetnames == ["Daftar isi", *LKIP_SHEETS, "Perubahan", "Selisih LKIP", "Status sumber"]

    ws = book["3.2"]
    assert ws["A1"].value == "Tabel 3.2 Capaian Perjanjian Kinerja Kepala Perangkat Daerah Tahun 2024"
    assert [c.value for c in ws[4]] == [
        "No",
        "Sasaran",
        "Indikator Kinerja",
        "Satuan",
        "Target",
        "Realisasi",
        "Capaian",
        "Kriteria",
        "Catatan",
    ]
    ss03 = rows(ws)[find(ws, 2, lambda v: v == n["SS03"])]
    assert ss03[4] == pytest.approx(7.35) and ss03[5] == pytest.approx(7.75, abs=5e-3) and ss03[6] == pytest.approx(105.44, abs=5e-3)
    assert ss03[7] == "Sangat Tinggi"
    average = rows(ws)[find(ws, 0, lambda v: str(v).startswith("RATA-RATA"))]
    assert average[0] == "RATA-RATA (15 dari 19 indikator dihitung; 4 belum rilis)"
    assert average[6] == pytest.approx(102.36, abs=5e-3) and average[7] == "Sangat Tinggi"
    notes = footnotes(ws)
    for kode in BPS_CODES:  # the four waiting for BPS: N/A, footnoted
        line = rows(ws)[find(ws, 2, lambda v, k=kode: v == n[k])]
        assert line[5] == "N/A" and line[6] == "N/A", line
        assert any("data belum dirilis oleh BPS" in notes[i] for i in notes_of(line)), (line, notes)
    sk02 = rows(ws)[find(ws, 2, lambda v: v == n["SK02"])]
    assert any("tercetak 30.769%" in notes[i] for i in notes_of(sk02))  # the reconciliation difference of this table
    # its explanation in Indonesian (the mart's is English), not labelled as an untranslated note
    assert any("Laporan mencetak realisasi/target tanpa dikali 100 (100 / 3,25 = 30,769)" in notes[i] for i in notes_of(sk02))
    # numbers as numbers, with formats; frozen header; print setup
    capaian = ws.cell(row=find(ws, 2, lambda v: v == n["SS03"]) + 1, column=7)
    assert isinstance(capaian.value, float) and capaian.number_format == '0.00" %"'
    assert ws.freeze_panes == "A5"
    assert ws.page_setup.orientation == "landscape" and int(ws.page_setup.paperSize) == 9
    assert (
        ws.sheet_properties.pageSetUpPr.fitToPage and ws.page_setup.fitToWidth in (None, 1) and ws.page_setup.fitToHeight == 0
    )  # width 1 is the default, left out
    assert "Halaman &P dari &N" in ws.oddFooter.center.text
    assert ws.print_title_rows == "$4:$4"

    ws = book["3.11"]
    assert {str(r) for r in ws.merged_cells.ranges} >= {"E4:G4", "H4:J4", "K4:M4", "N4:P4", "A4:A5"}
    average = rows(ws)[find(ws, 0, lambda v: v == "RATA-RATA")]
    assert [round(average[c], 2) for c in (6, 9, 12, 15)] == [99.90, 104.0, 102.42, 102.36]
    kriteria = rows(ws)[find(ws, 0, lambda v: v == "KRITERIA")]
    assert [kriteria[c] for c in (4, 7, 10, 13)] == ["Sangat Tinggi"] * 4

    ws = book["3.6"]
    years = [c.value for c in ws[5]][4:8]
    assert years == ["2023", "2024", "2025", "2026"]
    average = rows(ws)[find(ws, 0, lambda v: v == "RATA-RATA")]
    assert round(average[12], 2) == 106.15 and round(average[13], 2) == 106.44

    ws = book["3.13"]
    assert ws["E4"].value == "Realisasi" and ws["L4"].value == "Rencana Strategis Akhir Periode (Tahun 2026)"
    average = rows(ws)[find(ws, 0, lambda v: v == "RATA-RATA")]
    assert [round(average[c], 2) for c in (8, 10, 12)] == [101.81, 106.67, 90.44]

    ws = book["3.7"]
    total = rows(ws)[find(ws, 0, lambda v: v == "TOTAL")]
    assert total[2:8] == [pytest.approx(390942943511), pytest.approx(367401794279), pytest.approx(93.98, abs=5e-3)] + [
        pytest.approx(369604952010),
        pytest.approx(346143869517),
        pytest.approx(93.65, abs=5e-3),
    ]
    assert ws.cell(row=find(ws, 0, lambda v: v == "TOTAL") + 1, column=6).number_format == '"Rp"#,##0'

    ws = book["3.19"]
    average = rows(ws)[find(ws, 0, lambda v: v == "RATA-RATA EFISIENSI")]
    # the warehouse's 99.107 (99,11 shown); the LKIP prints 99,10 (truncated), footnoted on the row
    assert average[10] == pytest.approx(99.10, abs=0.01)
    assert any("tercetak 99,10 %" in footnotes(ws)[i] for i in notes_of(average))

    ws = book["3.14"]
    i = find(ws, 2, lambda v: v == n["SS01"])
    main, quarter = rows(ws)[i], rows(ws)[i + 1]
    assert main[5] == "N/A" and main[8] == "N/A"
    assert quarter[2].startswith("Realisasi TW III 2024") and quarter[5] == pytest.approx(11.56) and quarter[8] == pytest.approx(19.02)
    i = find(ws, 2, lambda v: v == n["SS07"])
    assert rows(ws)[i + 1][5] == pytest.approx(7.99) and rows(ws)[i + 1][8] == pytest.approx(4.82)

    # a difference names its column as a heading reads, not as the mart keyed it ("REALISASI 2023")
    ws = book["3.10"]
    stabilisasi = rows(ws)[find(ws, 1, lambda v: v == "Program Stabilisasi Harga Barang Kebutuhan Pokok Dan Barang Penting")]
    assert any(
        footnotes(ws)[i].startswith("Berbeda dengan LKIP terbitan (Realisasi 2023): tercetak Rp6.241.238.500, gudang data Rp0.")
        for i in notes_of(stabilisasi)
    ), (stabilisasi, footnotes(ws))
    for sheet in LKIP_SHEETS:
        assert not [t for t in footnotes(book[sheet]).values() if re.search(r"\((REALISASI|CAPAIAN|PERGESERAN)\b", t)], sheet

    ws = book["Selisih LKIP"]
    differences = [line for line in rows(ws)[4:] if isinstance(line[0], str) and line[0].isdigit()]
    assert len(differences) == 23  # 22 SELISIH + 1 TIDAK_DAPAT_DIHITUNG
    assert {line[3] for line in differences if line[1] == "3.10"} == {"APBD-P 2023", "Realisasi 2023", "% 2023"}
    # every explanation a planner reads is Indonesian: none English, none left labelled as English
    explanations = [line[9] for line in differences]
    assert all(e and not re.match(r"(The|No|Not|Uses|Published|Printed|Mean|Follows|Nine|Table) ", e) for e in explanations), explanations
    assert not any("bahasa Inggris" in e for e in explanations)
    assert "Laporan memotong 4.216.268.608 / 437.540.538 = 963,63 % menjadi 963 %." in explanations
    ws = book["Status sumber"]
    sources = {line[0]: line[1] for line in rows(ws)[4:] if line[1] in ("Terkini", "USANG")}
    assert {"BPS (PDRB)", "E-Monev", "SIPD (anggaran)", "Jakpreneur", "e-Order BPPBJ"} <= set(sources) and set(sources.values()) == {
        "Terkini"
    }
    ws = book["Perubahan"]
    assert ws["A5"].value == "Publikasi ini tidak mengubah angka apa pun."  # the first publish has nothing to compare with


# -- the report page --------------------------------------------------------------------------


class Page(HTMLParser):
    REFERENCING = {"href", "src", "srcset", "action", "xlink:href", "data", "poster", "background", "formaction"}

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []
        self.references: list[str] = []
        self.styles: list[str] = []
        self._in_style = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        self.references += [v for k, v in attrs.items() if k in self.REFERENCING and v is not None]
        self.styles += [attrs["style"]] if "style" in attrs else []
        self._in_style = tag == "style"

    def handle_endtag(self, tag):
        self._in_style = False if tag == "style" else self._in_style

    def handle_data(self, data):
        (self.styles if self._in_style else self.text).append(data)


def parse_page(settings) -> Page:
    page = Page()
    page.feed((settings.warehouse_dir / "publikasi" / "laporan-lkip-2024.html").read_text(encoding="utf-8"))
    return page


def test_report_page_holds_every_table_and_the_charts_and_needs_nothing_outside_itself(published):
    settings, _ = published
    page = parse_page(settings)
    text = " ".join(page.text)
    tags = [t for t, _ in page.tags]
    # every LKIP table (and the three beside them), each as a table
    ids = {a.get("id") for _, a in page.tags}
    for nomor in LKIP_SHEETS:
        assert f"tabel-{nomor.replace('.', '-')}" in ids and f"t-{nomor.replace('.', '-')}" in ids, nomor
    assert tags.count("table") >= len(LKIP_SHEETS) + 3
    # the charts: inline SVG, at least Gambar 3.1, 3.2 and the four others
    assert tags.count("svg") >= 6
    for key in ("gambar-3-1", "gambar-3-2", "capaian-strategis", "outlook", "serapan-unit", "serapan-program", "nasional"):
        assert key in ids, key
    assert "Gambar 3.1" in text and "Gambar 3.2" in text
    # nothing outside itself: only in-page anchors, no script, no stylesheet link, no url() in styles
    assert all(ref.startswith("#") for ref in page.references), [r for r in page.references if not r.startswith("#")]
    assert not {"script", "link", "iframe", "img", "object", "embed"} & set(tags)
    assert not any("url(" in s or "@import" in s for s in page.styles)
    assert "http" not in (settings.warehouse_dir / "publikasi" / "laporan-lkip-2024.html").read_text(encoding="utf-8")
    # Indonesian figures, the sections, warnings as warnings
    assert "102,36 %" in text and "Rp346.143.869.517" in text and "93,65 %" in text
    for heading in ("Apa yang berubah", "Draf narasi", "Hasil validasi", "Berkas yang ditolak", "Status sumber data"):
        assert heading in text, heading
    assert "Lolos dengan peringatan" in text and "Failed" not in text and "USANG" not in text.replace("USANG:", "")
    # English engineering text only under an Indonesian label: the check messages' column says so,
    # and no reconciliation explanation is left in English
    assert "Temuan (pesan aturan, bahasa Inggris)" in text
    assert "The report" not in text and "Keterangan teknis (bahasa Inggris)" not in text
    # the narrative: one paragraph per sasaran, and per strategic indicator
    narrative = (settings.warehouse_dir / "publikasi" / "narasi-lkip-2024.md").read_text(encoding="utf-8")
    assert narrative.count("\n### ") == 17
    assert (
        "Indikator Persentase Pertumbuhan Pelaku UMKM ditargetkan 7,35 % pada Perjanjian Kinerja Tahun 2024 dan terealisasi 7,75 %"
        in narrative
    )
    assert "belum dapat diukur karena data BPS belum dirilis" in narrative


# -- from the public marts only ----------------------------------------------------------------


def test_the_publication_reads_the_public_marts_only(published, tmp_path):
    """A database holding nothing but schema ``marts`` (what a read-only BI role on the PostgreSQL
    serving database sees) gives the same publication: the names, the KSD groups and the Renstra
    targets come from marts.katalog_indikator, not from katalog.*."""
    from kinerja.publikasi import data, tables
    from kinerja.publikasi.basisdata import Warehouse

    settings, _ = published
    only_marts = duckdb.connect(str(tmp_path / "marts_only.duckdb"))
    try:
        only_marts.execute(f"attach '{settings.serving_db}' as serving (read_only)")
        names_ = [r[0] for r in only_marts.execute(
            "select table_name from information_schema.tables where table_catalog = 'serving' and table_schema = 'marts'"
        ).fetchall()]  # fmt: skip
        assert "katalog_indikator" in names_
        only_marts.execute("create schema marts")
        for name in names_:
            only_marts.execute(f"create table marts.{name} as select * from serving.marts.{name}")
        only_marts.execute("detach serving")
        schemas = {r[0] for r in only_marts.execute("select distinct table_schema from information_schema.tables").fetchall()}
        assert schemas == {"marts"}
        report = data.read(Warehouse(only_marts, duckdb.paramstyle))
        built = {t.nomor: t for t in tables.all_tables(report)}
    finally:
        only_marts.close()
    with duckdb.connect(str(settings.serving_db), read_only=True) as con:
        sasaran = dict(con.execute("select sasaran_kode, sasaran_nama from katalog.sasaran").fetchall())
        renstra_2026 = con.execute(
            "select target from katalog.target_indikator where indikator_kode = 'SS01' and tahun = 2026 "
            "and jenis_target = 'RENSTRA' and periode = 'TAHUNAN'"
        ).fetchone()[0]
    assert report.katalog.sasaran["T1"] == sasaran["T1"] == "Peningkatan Peran Industri Dalam Perekonomian Daerah"
    assert report.katalog.renstra[("SS01", 2026)] == pytest.approx(renstra_2026)
    assert report.katalog.renstra_tahun == (2023, 2026)
    assert report.katalog.program_sasaran and set(report.katalog.program_sasaran.values()) <= set(sasaran)
    assert report.katalog.ksd and all(v for v in report.katalog.ksd.values())

    # the tables show names, not codes: table 3.2's sasaran column, table 3.12's programs
    def texts(nomor: str) -> set[str]:
        return {str(c.value) for row in built[nomor].rows for c in row.cells if c is not None and c.value is not None}

    assert sasaran["T1"] in texts("3.2")
    assert {"T1", "S1.1"}.isdisjoint(texts("3.2"))
    with duckdb.connect(str(settings.serving_db), read_only=True) as con:
        program = dict(con.execute("select program_kode, program_nama from katalog.program").fetchall())
    assert {program[k] for k in report.katalog.program_sasaran} <= texts("3.19")


# -- after the later BPS release: the figures, the change log, one notice ----------------------


def test_the_later_release_refreshes_the_workbook_and_tells_the_planners_once(home_copy, smtp, httpserver, monkeypatch):
    settings = home_copy
    inbox, mailto = smtp
    httpserver.expect_request("/hook", method="POST").respond_with_data("ok")
    monkeypatch.setenv("KINERJA_NOTIFY_URLS", f"{mailto},json://127.0.0.1:{httpserver.port}/hook")
    drop_later_release(settings)
    lines: list[str] = []
    pipeline.run(settings, lines.append)

    book = workbook(settings)
    n = names(settings)
    ws = book["3.2"]
    average = rows(ws)[find(ws, 0, lambda v: str(v).startswith("RATA-RATA"))]
    assert average[0] == "RATA-RATA (19 dari 19 indikator dihitung)" and average[6] == pytest.approx(99.40, abs=5e-3)
    expected = {"SS01": 11.61, "SS02": 17.93, "SS06": 3.12, "SS07": 6.24}
    for kode, value in expected.items():
        line = rows(ws)[find(ws, 2, lambda v, k=kode: v == n[k])]
        assert line[5] == pytest.approx(value), line
    assert rows(ws)[find(ws, 2, lambda v: v == n["SS06"])][7] == "Sangat Rendah"
    ws = book["3.13"]
    average = rows(ws)[find(ws, 0, lambda v: v == "RATA-RATA")]
    assert [round(average[c], 2) for c in (8, 10, 12)] == [94.08, 96.16, 87.31]
    ws = book["3.14"]
    i = find(ws, 2, lambda v: v == n["SS01"])
    assert rows(ws)[i][5] == pytest.approx(11.61) and rows(ws)[i][8] == pytest.approx(18.98)  # the year is out: no quarter row
    assert rows(ws)[i + 1][2] != rows(ws)[i][2] and not str(rows(ws)[i + 1][2]).startswith("Realisasi TW")
    ws = book["Perubahan"]
    changes = [line for line in rows(ws)[4:] if isinstance(line[0], str) and line[0].isdigit()]
    assert len(changes) == 29
    moved = {(line[2], line[4], line[5], line[6]): (line[8], line[9], line[12], line[13]) for line in changes}
    assert moved[("SS01", "2024", "Tahunan", "Perjanjian Kinerja")] == ("-", pytest.approx(11.61), "belum rilis", "tersedia")
    assert moved[("PERKIN", "2024", "Tahunan", "Perjanjian Kinerja")][:2] == (
        pytest.approx(102.3627, abs=1e-3),
        pytest.approx(99.3992, abs=1e-3),
    )
    assert moved[("SS07", "2023", "Tahunan", "Perjanjian Kinerja")][:2] == (pytest.approx(9.49), pytest.approx(9.57))

    page = re.sub(r"\s+", " ", " ".join(parse_page(settings).text))
    assert "mengubah 29 angka" in page and "99,40 %" in page

    # one e-mail and one webhook call, in Indonesian, with the workbook
    assert len(inbox.messages) == 1, [m["Subject"] for m in inbox.messages]
    message = inbox.messages[0]
    assert message["Subject"] == "[Kinerja] LKIP 2024: 29 angka berubah"
    body = message.get_body(("plain", "html")).get_content()
    assert (
        "Rata-rata capaian Perjanjian Kinerja, 2024 Tahunan (Perjanjian Kinerja): 102,36 % (Sangat Tinggi) → 99,40 % (Sangat Tinggi)"
        in body
    )
    assert (
        "SS01 Kontribusi Sektor Perindustrian terhadap Perekonomian Daerah, 2024 Tahunan (Perjanjian Kinerja): N/A (belum rilis) → 11,61"
        in body
    )
    assert str(settings.warehouse_dir / "publikasi" / "laporan-lkip-2024.html") in body
    attachments = list(message.iter_attachments())
    assert [a.get_filename() for a in attachments] == ["tabel-lkip-2024.xlsx"]
    assert attachments[0].get_content()[:2] == b"PK"  # a real xlsx (zip)
    calls = [request for request, _ in httpserver.log]
    assert len(calls) == 1
    payload = json.loads(calls[0].get_data())
    assert payload["title"] == "[Kinerja] LKIP 2024: 29 angka berubah" and "99,40 %" in payload["message"]
    assert [a["filename"] for a in payload["attachments"]] == ["tabel-lkip-2024.xlsx"]
    assert base64.b64decode(payload["attachments"][0]["base64"])[:2] == b"PK"
    assert any(line.startswith("publikasi: notice sent to mailto://127.0.0.1") for line in lines), lines

    # a re-run with nothing new sends nothing (and leaves the set as it was)
    before = (settings.warehouse_dir / "publikasi" / "publikasi.json").read_bytes()
    lines.clear()
    pipeline.run(settings, lines.append)
    assert len(inbox.messages) == 1 and len(httpserver.log) == 1, lines
    # ("no notice sent" is in the line that says so: match what a send would print)
    told = [line for line in lines if "notice" in line]
    assert not any("notice sent to" in line for line in told), told
    assert any(line.startswith("publish: nothing new and nothing changed") for line in lines), lines
    assert (settings.warehouse_dir / "publikasi" / "publikasi.json").read_bytes() == before
    # written again for the same publish (e.g. by hand), it tells nothing new either
    again = publikasi.write_publications(settings)
    assert not again.new_publish and len(again.changes) == 29 and publikasi.notify_publication(settings, again) is None
    assert len(inbox.messages) == 1 and len(httpserver.log) == 1


def test_a_dead_smtp_server_fails_the_notice_loudly_and_the_publish_stands(home_copy, monkeypatch):
    settings = home_copy
    port = free_port()  # nothing listens there
    monkeypatch.setenv("KINERJA_NOTIFY_URLS", f"mailtos://kinerja:RAHASIA@127.0.0.1:{port}?to=perencanaan@example.go.id")
    drop_later_release(settings)
    lines: list[str] = []
    result = pipeline.run(settings, lines.append)  # does not raise
    failed = [line for line in lines if "NOTICE FAILED" in line]
    assert len(failed) == 1 and f"mailtos://127.0.0.1:{port}" in failed[0] and "the publish stands" in failed[0], lines
    assert not any("RAHASIA" in line for line in lines) and "RAHASIA" not in result.summary
    assert "99,40 %" in result.summary  # published
    ws = workbook(settings)["3.2"]
    assert rows(ws)[find(ws, 0, lambda v: str(v).startswith("RATA-RATA"))][6] == pytest.approx(99.40, abs=5e-3)
    # asked directly, the notice reports the failure in its result instead of raising
    notice = publikasi.notify_publication(
        settings, publikasi.PublicationSet(**{**vars(publikasi.write_publications(settings)), "new_publish": True})
    )
    assert notice is not None and not notice.ok and notice.failed[0].startswith(f"mailtos://127.0.0.1:{port}: ")


# -- a stale source: a warning on the page and a notice, once ---------------------------------


def test_a_stale_source_is_warned_on_the_page_and_told_once(home_copy, httpserver, monkeypatch):
    settings = home_copy
    httpserver.expect_request("/hook", method="POST").respond_with_data("ok")
    monkeypatch.setenv("KINERJA_NOTIFY_URLS", f"json://127.0.0.1:{httpserver.port}/hook")
    bad = settings.inbox / "emonev" / "koreksi_2024.csv"
    bad.write_text("tahun,periode,indikator_kode,realisasi,keterangan\n2024,TW5,SS03,7.75,\n", encoding="utf-8")
    # with the later release in the same run, so it publishes (the copied home's marts.status_sumber
    # view still points at the original home until a publish re-points it)
    drop_later_release(settings)
    with pytest.raises(PipelineError, match="koreksi_2024.csv"):
        pipeline.run(settings)
    page = parse_page(settings)
    text = re.sub(r"\s+", " ", " ".join(page.text))
    assert any(a.get("role") == "alert" for _, a in page.tags)
    assert "Peringatan: ada sumber data yang USANG." in text and "koreksi_2024.csv" in text and "TW5" in text
    # the parse rejection in the validation results, with its file, row and reason
    assert "Berkas yang ditolak" in text and "koreksi_2024.csv, row 2, column 'periode'" in text, text[text.find("Berkas yang ditolak") :][:600]
    calls = [json.loads(request.get_data()) for request, _ in httpserver.log]
    assert len(calls) == 1 and calls[0]["title"] == "[Kinerja] LKIP 2024: 29 angka berubah; sumber data usang: E-Monev"
    assert "Sumber E-Monev USANG: berkas koreksi_2024.csv ditolak" in calls[0]["message"]
    assert "USANG" in {line[1] for line in rows(workbook(settings)["Status sumber"])}
    lines: list[str] = []
    with pytest.raises(PipelineError):  # rejected again: nothing to publish, still stale, already told
        pipeline.run(settings, lines.append)
    assert len(httpserver.log) == 1, lines
    assert any(line.startswith("publikasi: nothing moved in this publish and no source went stale; no notice sent") for line in lines), (
        lines
    )
    assert "Peringatan: ada sumber data yang USANG." in " ".join(parse_page(settings).text)
