"""The publication's building blocks that need no warehouse: Indonesian numbers, the table grid,
the inline charts, the narrative templates and the notice lines."""

from __future__ import annotations

from datetime import datetime
from html.parser import HTMLParser
from types import SimpleNamespace

import pytest

from kinerja.publikasi import bahasa, charts, narrative, notice, workbook
from kinerja.publikasi import format as fmt
from kinerja.publikasi.model import PERCENT, RUPIAH, Table, header, number, text


def test_numbers_are_written_the_indonesian_way():
    assert fmt.persen(102.36265923506147) == "102,36 %"
    assert fmt.rupiah(346143869517) == "Rp346.143.869.517"
    assert fmt.rupiah(-1500.4) == "-Rp1.500"
    assert fmt.bilangan(5430) == "5.430"
    assert fmt.angka(7.749831806655282) == "7,75"
    assert fmt.angka(12.4) == "12,4"
    assert fmt.angka(0.506) == "0,506"
    assert fmt.angka(11542072344.0) == "11.542.072.344"
    assert fmt.angka(100.0) == "100"
    assert fmt.angka(None) == fmt.persen(None) == "-"
    assert fmt.periode("TW3") == "TW III"
    assert fmt.waktu(datetime(2026, 12, 2, 7, 5)) == "2 Desember 2026 14.05 WIB"  # the marts store UTC
    assert fmt.tanda("REALISASI_MELEBIHI_BATAS_SATUAN; REALISASI_10X_TARGET").startswith("realisasi melebihi")


def test_header_cells_are_placed_like_an_html_table():
    grid = header(
        [("No", 1, 2), ("Indikator", 1, 2), ("TW I", 3), ("TW II", 3)],
        [("Target",), ("Realisasi",), ("Capaian",)] * 2,
        columns=8,
    )
    assert [c.value if c else None for c in grid[0]] == ["No", "Indikator", "TW I", None, None, "TW II", None, None]
    assert [c.value if c else None for c in grid[1]] == [None, None, "Target", "Realisasi", "Capaian", "Target", "Realisasi", "Capaian"]
    assert grid[0][0].span_rows == 2 and grid[0][2].span_cols == 3
    with pytest.raises(ValueError, match="leaves a column empty"):
        header([("No",), ("Indikator",)], columns=3)


def test_merging_rows_keeps_the_notes_of_the_cells_it_covers():
    t = Table("9.9", "uji", header([("No",), ("Nilai",)], columns=2))
    t.add([text(1), number(5.0)])
    t.add([text(1, notes=[t.note("catatan")]), number(None, PERCENT)])
    t.merge_down(0, 2, [0])
    assert t.rows[0].cells[0].span_rows == 2 and t.rows[0].cells[0].notes == [1] and t.rows[1].cells[0] is None
    assert t.note("catatan") == 1  # one footnote per text
    with pytest.raises(ValueError, match="3 cells in a table of 2"):
        t.add([text(1), text(2), text(3)])


def test_rows_are_as_tall_as_their_wrapped_text_and_no_taller():
    """A printed table keeps its footnotes on its page: a row gets one line per line its longest
    text wraps to at 9 pt Arial (about 1.4 characters per unit of column width), and a number,
    which never wraps, one line however many digits it has."""
    t = Table("9.9", "uji", header([("Sasaran",), ("Anggaran",)], columns=2), widths=[34, 10])
    t.add([text("Peningkatan Daya Saing Sektor Perdagangan"), number(369604952010, RUPIAH)])  # 41 characters
    t.add([text("Peningkatan Peran Industri Dalam Perekonomian Daerah"), number(1.0)])  # 52: two lines
    t.add(
        [text("Terimplementasinya rencana strategis komunikasi publik untuk program-program prioritas dan strategis Daerah"), number(1.0)]
    )
    one, two, three = (workbook.LINE_POINTS * n + 3.0 for n in (1, 2, 3))
    assert workbook._row_heights(t, t.widths) == [one, two, three]


def test_a_column_is_widened_to_its_longest_number_so_no_cell_shows_hashes():
    """Table 3.12's omzet target of 4.460.900.000.000 rupiah (17 characters) in an 11-unit column
    showed ### in print: a column is as wide as its longest number as formatted, plus padding."""
    t = Table("9.9", "uji", header([("Indikator",), ("Target",), ("Capaian",), ("Pagu",)], columns=4), widths=[30, 11, 11, 11])
    t.add([text("omzet"), number(4460900000000.0), number(117.76, PERCENT), number(369604952010, RUPIAH)])
    t.add([text("persen"), number(7.35), number(3076.923, PERCENT), number(None, RUPIAH)])
    # 4.460.900.000.000 and Rp369.604.952.010: 17 characters, 0.8 unit each, + 2; 3.076,92 % fits in 11
    assert workbook._column_widths(t) == [30, 16, 11, 16]


def test_a_reconciliation_column_reads_as_a_heading():
    assert bahasa.kolom("REALISASI 2023") == "Realisasi 2023"
    assert bahasa.kolom("CAPAIAN 2023") == "Capaian 2023"
    assert bahasa.kolom("Realisasi TAHUNAN") == "Realisasi tahunan"
    for kept in ("APBD-P 2024", "APBD 2023", "% 2024", "TW III Capaian", "Capaian (%) 2024", "Realisasi TW2", ""):
        assert bahasa.kolom(kept) == kept


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def test_charts_are_inline_svg_with_indonesian_labels_and_no_outside_reference():
    svg = charts.horizontal(
        "Capaian",
        ["Kontribusi Sektor Perindustrian terhadap Perekonomian Daerah", "Pertumbuhan"],
        [charts.Series("2024", [None, 105.44])],
        [charts.Reference(100, "target")],
    )
    parser = _Tags()
    parser.feed(svg)
    assert parser.tags[0][0] == "svg" and "xmlns" not in parser.tags[0][1]
    assert "105,44 %" in svg and "belum rilis" in svg  # a missing value is a label, not a zero bar
    assert "http" not in svg and "href" not in svg
    bars = [a for t, a in parser.tags if t == "rect"]
    assert len(bars) == 1
    columns = charts.columns("Triwulan", ["TW I", "TW II"], [charts.Series("Perkin", [99.896, 104.0])])
    assert "99,90 %" in columns and "104,00 %" in columns


def test_the_bundled_narrative_templates_are_valid():
    templates = narrative.load_templates(narrative.DEFAULT_TEMPLATES)
    assert "{capaian}" in templates["indikator"]["tersedia"]


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda s: s.replace("{capaian} dengan", "{capain} dengan"), r"\[indikator\] tersedia uses \{capain\}"),
        (lambda s: s.replace('tersedia = "Indikator', 'tersediaa = "Indikator'), r"section \[indikator\] lacks tersedia"),
        (lambda s: s.replace("{capaian} dengan", "{capaian dengan"), r"\[indikator\] tersedia: .*braces must pair"),
        (lambda s: s + "\n[lain]\nx = 'y'\n", r"unknown section \[lain\]"),
    ],
)
def test_a_broken_template_is_named_with_its_word(tmp_path, edit, message):
    path = tmp_path / "narasi.toml"
    path.write_text(edit(narrative.DEFAULT_TEMPLATES.read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(narrative.TemplateError, match=message):
        narrative.load_templates(path)


def test_a_planner_copy_of_the_templates_is_used(tmp_path, monkeypatch):
    path = tmp_path / "narasi.toml"
    path.write_text(narrative.DEFAULT_TEMPLATES.read_text(encoding="utf-8").replace("ditargetkan", "bertarget"), encoding="utf-8")
    monkeypatch.setenv(narrative.ENV, str(path))
    assert narrative.templates_path() == path
    assert "bertarget" in narrative.load_templates()["indikator"]["tersedia"]


def test_a_change_reads_as_old_to_new_in_indonesian():
    row = {
        "objek": "capaian_indikator",
        "kode": "SS01",
        "nama": "Kontribusi Sektor Perindustrian terhadap Perekonomian Daerah",
        "tahun": 2024,
        "periode": "TAHUNAN",
        "jenis_target": "PERKIN",
        "nilai_lama": None,
        "nilai_baru": 11.61,
        "capaian_lama": None,
        "capaian_baru": 93.629,
        "status_lama": "BELUM_RILIS",
        "status_baru": "TERSEDIA",
        "nilai_nasional_lama": None,
        "nilai_nasional_baru": None,
    }
    assert notice.change_line(row) == (
        "- SS01 Kontribusi Sektor Perindustrian terhadap Perekonomian Daerah, 2024 Tahunan (Perjanjian Kinerja): "
        "N/A (belum rilis) → 11,61 (tersedia), capaian N/A → 93,63 %"
    )
    average = row | {"objek": "ringkasan_capaian", "kode": "PERKIN", "nilai_lama": 102.3627, "nilai_baru": 99.3992}
    average |= {"status_lama": "Sangat Tinggi", "status_baru": "Sangat Tinggi"}
    assert notice.change_line(average).endswith("102,36 % (Sangat Tinggi) → 99,40 % (Sangat Tinggi)")


def test_every_handwritten_reconciliation_explanation_has_an_indonesian_rendering():
    """A row added to the seed penjelasan_selisih.csv without its Indonesian text in
    kinerja/publikasi/penjelasan.toml fails here, naming it (else planners would read English)."""
    import csv
    from pathlib import Path

    from kinerja.publikasi import bahasa

    seed = Path(__file__).resolve().parents[2] / "dbt_project" / "seeds" / "rekonsiliasi" / "penjelasan_selisih.csv"
    with seed.open(encoding="utf-8") as fh:
        texts = {row["penjelasan"] for row in csv.DictReader(fh)}
    assert len(texts) >= 15
    assert [t for t in texts if bahasa.terjemahan(t) is None] == []
    assert bahasa.penjelasan("The report truncates 4,216,268,608 / 437,540,538 = 963.63 % to 963 %.") == (
        "Laporan memotong 4.216.268.608 / 437.540.538 = 963,63 % menjadi 963 %."
    )


def test_composed_explanations_are_rendered_with_indonesian_numbers_and_unknown_ones_labelled():
    from kinerja.publikasi import bahasa

    assert (
        bahasa.penjelasan(
            "The printed figure is the same as row 3.30.05 of the same table (6324124712), a row copied by mistake; the SIPD data gives 0."
        )
        == "Angka tercetak sama dengan baris 3.30.05 pada tabel yang sama (6.324.124.712), baris yang tersalin keliru; data SIPD memberi 0."
    )
    assert (
        bahasa.penjelasan("The printed capaian does not follow from the printed target 61.0 and realisasi 69.5, which give 113.93 %.")
        == "Capaian tercetak tidak sesuai dengan target tercetak 61,0 dan realisasi 69,5, yang menghasilkan 113,93 %."
    )
    assert bahasa.penjelasan(
        "Uses BPS data released after the report went out (bps-20250206): periods then N/A now have values, and BPS revises earlier "
        "years in each release."
    ).startswith("Memakai data BPS yang dirilis setelah laporan terbit (bps-20250206): periode yang dulu N/A kini bernilai")
    assert bahasa.penjelasan("Published N/A: the data was not released when the report went out; computed since from its source.") == (
        "Diterbitkan N/A: data belum dirilis saat laporan terbit; kini dihitung dari sumbernya."
    )
    assert bahasa.penjelasan("Something new.") == "Keterangan teknis (bahasa Inggris): Something new."
    assert bahasa.penjelasan(None) == ""


def test_a_retraction_that_moved_no_figure_is_told_as_a_batch_not_as_a_changed_figure(tmp_path):
    """log_perubahan holds a row of objek batch for every retraction or restore (issue 17); the
    notice names the file, the batch and the reason, and counts no figure for it."""
    retracted = {
        "objek": "batch",
        "kode": "emonev-20261202T101500000000Z-56f1e9d1dfe1",
        "nama": "realisasi_2024.csv",
        "tahun": None,
        "periode": None,
        "jenis_target": None,
        "jenis_perubahan": "DITARIK",
        "status_lama": "DIPAKAI",
        "status_baru": "DITARIK",
        "nilai_lama": None,
        "nilai_baru": None,
        "keterangan": "dikirim ganda oleh unit",
    }
    publication = SimpleNamespace(
        tahun=2024,
        changes=[retracted],
        new_publish=True,
        newly_stale=[],
        stale=[],
        published_at="2026-12-02T10:20:00Z",
        workbook=tmp_path / "tabel-lkip-2024.xlsx",
        page=tmp_path / "laporan-lkip-2024.html",
        narrative=tmp_path / "narasi-lkip-2024.md",
    )
    subject, body = notice.compose(publication)
    assert subject == "[Kinerja] LKIP 2024: 1 batch data ditarik"
    assert "- Berkas realisasi_2024.csv (batch emonev-20261202T101500000000Z-56f1e9d1dfe1) ditarik: dikirim ganda oleh unit" in body
    assert "Tidak ada angka LKIP yang berubah karenanya." in body and "angka berubah" not in body and "None" not in body
