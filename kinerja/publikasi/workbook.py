"""The workbook planners open: one sheet per LKIP table (xlsxwriter), numbers as numbers.

Each sheet has the table's caption, its header rows merged as in the report, a frozen header,
thousands separators, two decimals for percentages and rupiah without decimals (the separators
follow the reader's locale: 1.234,56 on an Indonesian system), a "Catatan" column pointing at the
footnotes under the table (the same text as a comment on the cell), and print setup: A4
landscape, fit to the page width, the header rows repeated and "Halaman n dari m" in the footer.
"""

from __future__ import annotations

import math
import textwrap
from pathlib import Path

import xlsxwriter

from kinerja.publikasi.model import COUNT, MISSING, PERCENT, RUPIAH, TEXT, Cell, Table

NUMBER_FORMATS = {PERCENT: '0.00" %"', RUPIAH: '"Rp"#,##0', COUNT: "#,##0"}
HEADER_FILL, GROUP_FILL, TOTAL_FILL = "#DCE6F1", "#F2F2F2", "#FFF2CC"
NOTES_WIDTH = 9


def _number_format(cell: Cell) -> str:
    if cell.kind in NUMBER_FORMATS:
        return NUMBER_FORMATS[cell.kind]
    value = float(cell.value)
    return "#,##0" if value == int(value) else "#,##0.0##"


class _Formats:
    def __init__(self, book: xlsxwriter.Workbook) -> None:
        self.book = book
        self.cache: dict[tuple, object] = {}

    def get(self, **props) -> object:
        key = tuple(sorted(props.items()))
        if key not in self.cache:
            base = {"font_name": "Arial", "font_size": 9, "valign": "top", "text_wrap": True}
            self.cache[key] = self.book.add_format(base | props)
        return self.cache[key]

    def cell(self, cell: Cell, row_kind: str) -> object:
        props: dict = {"border": 1}
        if row_kind == "kelompok":
            props |= {"bold": True, "bg_color": GROUP_FILL}
        elif row_kind == "ringkasan":
            props |= {"bold": True, "bg_color": TOTAL_FILL}
        elif row_kind == "nomor":
            props |= {"italic": True, "font_size": 8, "bg_color": HEADER_FILL}
        if cell.bold:
            props["bold"] = True
        if cell.kind in (TEXT, MISSING):
            if cell.center or cell.kind == MISSING:
                props["align"] = "center"
        else:
            props |= {"num_format": _number_format(cell), "align": "right"}
        return self.get(**props)


def _write(sheet, formats: _Formats, r: int, c: int, cell: Cell, fmt_obj) -> None:
    last_row, last_col = r + cell.span_rows - 1, c + cell.span_cols - 1
    numeric = cell.kind not in (TEXT, MISSING)
    if (last_row, last_col) != (r, c):
        sheet.merge_range(r, c, last_row, last_col, None, fmt_obj)
    if numeric:
        sheet.write_number(r, c, float(cell.value), fmt_obj)
    else:
        sheet.write_string(r, c, str(cell.value if cell.value is not None else ""), fmt_obj)


LINE_POINTS = 11.0  # one line of 9 pt Arial
# 9 pt Arial characters per unit of column width (a unit is one "0" of the default 11 pt font):
# LibreOffice set the sample's running text at about 1.6 a unit; 1.4 leaves Excel on Windows,
# whose text runs a little wider, room without the half-empty rows 1.15 gave.
CHARS_PER_UNIT = 1.4
DIGIT_UNITS = 0.8  # units of column width one character of a formatted number takes


def _lines(value: str, width: float) -> int:
    """How many lines a wrapped text takes in a column ``width`` characters wide (an estimate:
    neither Excel nor LibreOffice grows a row for wrapped text written by a library)."""
    per_line = int(max(4.0, width * CHARS_PER_UNIT - 1))
    return sum(max(1, len(textwrap.wrap(part, per_line, break_on_hyphens=False))) for part in str(value).split("\n"))


def _row_heights(table: Table, widths: list[float]) -> list[float]:
    """Height in points of every body row, so that each cell's text fits (merged cells included)."""
    heights = [LINE_POINTS + 3.0] * len(table.rows)
    spanning = []
    for i, row in enumerate(table.rows):
        for c, cell in enumerate(row.cells):
            if cell is None:
                continue
            width = sum(widths[c : c + cell.span_cols])
            # a number never wraps (a cell too narrow shows ###), so it takes one line
            need = (_lines(str(cell.value), width) if cell.kind in (TEXT, MISSING) else 1) * LINE_POINTS + 3.0
            if cell.span_rows == 1:
                heights[i] = max(heights[i], need)
            else:
                spanning.append((i, cell.span_rows, need))
    for i, span, need in spanning:
        have = sum(heights[i : i + span])
        if need > have:
            heights[i + span - 1] += need - have
    return heights


def _shown_length(cell: Cell) -> int:
    """How many characters a number takes as its format shows it (1.234.567,89 %: 14)."""
    value = float(cell.value)
    if cell.kind == PERCENT:
        return len(f"{value:,.2f} %")
    if cell.kind == RUPIAH:
        return len(f"Rp{round(value):,}") + (1 if value < 0 else 0)
    if cell.kind == COUNT or value == int(value):
        return len(f"{round(value):,}")
    return len(f"{value:,.3f}".rstrip("0"))


def _column_widths(table: Table) -> list[float]:
    """The table's widths, each widened to its longest number: a number never wraps, and one wider
    than its column shows as ### (table 3.12's omzet of 4.460.900.000.000 rupiah in 11 units)."""
    widths = list(table.widths) + [12] * (table.columns - len(table.widths))
    for row in table.rows:
        for c, cell in enumerate(row.cells):
            if cell is not None and cell.span_cols == 1 and cell.kind not in (TEXT, MISSING):
                # a 9 pt digit or separator is about 0.8 of a unit; +2 for the cell's padding
                widths[c] = max(widths[c], math.ceil(_shown_length(cell) * DIGIT_UNITS) + 2)
    return widths


def _sheet_name(table: Table) -> str:
    return (table.sheet or table.nomor)[:31]


def write_table(book: xlsxwriter.Workbook, formats: _Formats, table: Table, subtitle: str, footer_label: str) -> None:
    sheet = book.add_worksheet(_sheet_name(table))
    with_notes = any(c is not None and c.notes for row in table.rows for c in row.cells)
    columns = table.columns + (1 if with_notes else 0)
    widths = _column_widths(table)
    for c, width in enumerate(widths[: table.columns]):
        sheet.set_column(c, c, width)
    if with_notes:
        sheet.set_column(table.columns, table.columns, NOTES_WIDTH)

    title = formats.get(bold=True, font_size=12, text_wrap=False, valign="vcenter")
    sheet.write_string(0, 0, table.caption, title)
    sheet.write_string(1, 0, subtitle, formats.get(italic=True, font_size=8, text_wrap=False))
    sheet.set_row(0, 20)

    top = 3
    head = formats.get(bold=True, align="center", valign="vcenter", border=1, bg_color=HEADER_FILL)
    for r, line in enumerate(table.header):
        for c, cell in enumerate(line):
            if cell is not None:
                _write(sheet, formats, top + r, c, cell, head)
    header_heights = [LINE_POINTS + 4.0] * len(table.header)
    for r, line in enumerate(table.header):
        for c, cell in enumerate(line):
            if cell is not None and cell.span_rows == 1:
                header_heights[r] = max(header_heights[r], _lines(str(cell.value), sum(widths[c : c + cell.span_cols])) * LINE_POINTS + 4.0)
    for r, height in enumerate(header_heights):
        sheet.set_row(top + r, height)
    if with_notes:
        if len(table.header) > 1:
            sheet.merge_range(top, table.columns, top + len(table.header) - 1, table.columns, "Catatan", head)
        else:
            sheet.write_string(top, table.columns, "Catatan", head)
    body = top + len(table.header)

    heights = _row_heights(table, widths)
    for i, row in enumerate(table.rows):
        r = body + i
        sheet.set_row(r, heights[i])
        refs: list[int] = []
        for c, cell in enumerate(row.cells):
            if cell is None:
                continue
            _write(sheet, formats, r, c, cell, formats.cell(cell, row.kind))
            refs += [n for n in cell.notes if n not in refs]
            if cell.notes:
                comment = "\n".join(f"{n}) {table.notes[n - 1]}" for n in cell.notes)
                sheet.write_comment(r, c, comment, {"x_scale": 3, "y_scale": 2.5, "font_size": 8})
        if with_notes:
            fill = {"kelompok": GROUP_FILL, "ringkasan": TOTAL_FILL}.get(row.kind)
            note_fmt = formats.get(border=1, align="center", **({"bg_color": fill} if fill else {}))
            sheet.write_string(r, table.columns, ", ".join(str(n) for n in sorted(refs)), note_fmt)

    r = body + len(table.rows) + 1
    note_fmt = formats.get(font_size=8, valign="top", text_wrap=True)
    if table.notes:
        sheet.write_string(r, 0, "Catatan:", formats.get(bold=True, font_size=8, text_wrap=False))
        r += 1
        for n, note in enumerate(table.notes, start=1):
            sheet.merge_range(r, 0, r, columns - 1, f"{n}) {note}", note_fmt)
            total = sum(widths[: table.columns]) + (NOTES_WIDTH if with_notes else 0)
            sheet.set_row(r, _lines(f"{n}) {note}", total * 0.95 * 9 / 8) * 10.0 + 2)  # 8 pt: 9/8 more a line
            r += 1
    if table.source:
        sheet.write_string(r, 0, f"Sumber: gudang data Kinerja, {table.source}", formats.get(italic=True, font_size=8, text_wrap=False))

    sheet.freeze_panes(body, 0)
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.fit_to_pages(1, 0)
    sheet.repeat_rows(top, body - 1)
    sheet.set_margins(left=0.4, right=0.4, top=0.7, bottom=0.7)
    sheet.center_horizontally()
    sheet.set_header(f"&L&8{table.caption.replace('&', '&&')}&R&8{footer_label}")
    sheet.set_footer("&C&8Halaman &P dari &N")
    sheet.ignore_errors({"number_stored_as_text": "A1:XFD1048576"})


def write(path: Path, tables: list[Table], tahun: int, published: str, contents_note: str = "") -> Path:
    """The workbook with a contents sheet first, then one sheet per table."""
    book = xlsxwriter.Workbook(str(path))
    book.set_properties(
        {
            "title": f"Tabel Bab III LKIP {tahun}",
            "subject": "Laporan Kinerja Instansi Pemerintah",
            "author": "Kinerja",
            "company": "Dinas PPKUKM",
        }
    )
    formats = _Formats(book)
    subtitle = f"Dinas PPKUKM Provinsi DKI Jakarta - dari gudang data Kinerja, publikasi {published}"
    contents = book.add_worksheet("Daftar isi")
    contents.set_column(0, 0, 16)
    contents.set_column(1, 1, 110)
    contents.write_string(
        0, 0, f"Tabel Bab III Laporan Kinerja (LKIP) Tahun {tahun}", formats.get(bold=True, font_size=13, text_wrap=False)
    )
    contents.write_string(1, 0, subtitle, formats.get(italic=True, font_size=8, text_wrap=False))
    if contents_note:
        contents.write_string(2, 0, contents_note, formats.get(font_size=9, text_wrap=False))
    head = formats.get(bold=True, border=1, bg_color=HEADER_FILL)
    contents.write_string(4, 0, "Lembar", head)
    contents.write_string(4, 1, "Isi", head)
    link = formats.get(font_color="blue", underline=1, border=1)
    for i, table in enumerate(tables, start=5):
        contents.write_url(i, 0, f"internal:'{_sheet_name(table)}'!A1", link, _sheet_name(table))
        contents.write_string(i, 1, table.caption, formats.get(border=1))
    contents.set_landscape()
    contents.set_paper(9)
    contents.fit_to_pages(1, 0)
    for table in tables:
        write_table(book, formats, table, subtitle, f"LKIP {tahun}")
    book.close()
    return path
