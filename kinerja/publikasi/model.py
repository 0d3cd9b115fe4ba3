"""A table as the LKIP prints it, independent of where it is drawn: header rows with merged cells,
body rows (group headings, data, averages), footnotes. The workbook and the page both render it,
so a sheet and its table on the page cannot disagree.

Rows are full-width lists of :class:`Cell`; a cell covered by a merge (``span_rows``/``span_cols``
of a cell above or to the left) is ``None``, as in a grid.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

# kinds of cell value: how it is formatted in the workbook and on the page
TEXT, NUMBER, PERCENT, RUPIAH, COUNT, MISSING = "teks", "angka", "persen", "rupiah", "bilangan", "kosong"


@dataclass
class Cell:
    value: Any = None
    kind: str = TEXT
    span_rows: int = 1
    span_cols: int = 1
    notes: list[int] = field(default_factory=list)  # footnote numbers
    bold: bool = False
    center: bool = False


@dataclass
class Row:
    cells: list[Cell | None]
    kind: str = "data"  # data | kelompok (a group heading) | ringkasan (average, total) | nomor (column numbers) | sub
    keys: list[tuple] = field(default_factory=list)  # what a reconciliation row may name to point here


@dataclass
class Table:
    nomor: str  # "3.2", or a short name for the extra sheets
    judul: str
    header: list[list[Cell | None]]
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    widths: list[float] = field(default_factory=list)  # column widths in characters
    source: str = ""  # where the figures come from (shown under the table)
    column_keys: dict[tuple, int] = field(default_factory=dict)  # (ukuran, tahun, periode) -> column
    sheet: str = ""  # sheet name (default: the number)

    @property
    def columns(self) -> int:
        return len(self.header[0]) if self.header else (len(self.rows[0].cells) if self.rows else 0)

    @property
    def caption(self) -> str:
        return f"Tabel {self.nomor} {self.judul}" if self.nomor[:1].isdigit() else self.judul

    def note(self, text: str) -> int:
        """The number of a footnote (added once per distinct text)."""
        if text not in self.notes:
            self.notes.append(text)
        return self.notes.index(text) + 1

    def add(self, cells: list[Cell | None], kind: str = "data", keys: list[tuple] | None = None) -> Row:
        if len(cells) != self.columns:
            raise ValueError(f"table {self.nomor}: a row of {len(cells)} cells in a table of {self.columns} columns")
        row = Row(cells, kind, keys or [])
        self.rows.append(row)
        return row

    def find(self, keys: list[tuple]) -> Row | None:
        for key in keys:
            for row in self.rows:
                if key in row.keys:
                    return row
        return None

    def merge_down(self, first: int, count: int, columns: list[int]) -> None:
        """Merge ``columns`` of rows ``first`` .. ``first + count - 1`` into the first row's cells."""
        if count <= 1:
            return
        for col in columns:
            cell = self.rows[first].cells[col]
            if cell is None:
                continue
            cell.span_rows = count
            for i in range(first + 1, first + count):
                below = self.rows[i].cells[col]
                if below is not None:
                    cell.notes += [n for n in below.notes if n not in cell.notes]
                self.rows[i].cells[col] = None


def header(*rows: list[tuple], columns: int) -> list[list[Cell | None]]:
    """Header rows from ``(text, span_cols, span_rows)`` tuples placed left to right in the first
    free slot, as an HTML table places its cells (so a cell spanning rows leaves a hole below)."""
    grid: list[list[Cell | None | bool]] = [[False] * columns for _ in rows]
    for r, items in enumerate(rows):
        c = 0
        for item in items:
            text, span_cols, span_rows = (tuple(item) + (1, 1))[:3]
            while c < columns and grid[r][c] is not False:
                c += 1
            if c + span_cols > columns or r + span_rows > len(rows):
                raise ValueError(f"header cell {text!r} does not fit ({r}, {c})")
            grid[r][c] = Cell(text, TEXT, span_rows, span_cols, bold=True, center=True)
            for rr in range(r, r + span_rows):
                for cc in range(c, c + span_cols):
                    if (rr, cc) != (r, c):
                        grid[rr][cc] = None
            c += span_cols
    for r, line in enumerate(grid):
        if any(cell is False for cell in line):
            raise ValueError(f"header row {r} leaves a column empty")
    return grid  # type: ignore[return-value]


def text(value: Any, **kw) -> Cell:
    return Cell("" if value is None else str(value), TEXT, **kw)


def number(value: Any, kind: str = NUMBER, missing: str = "-", **kw) -> Cell:
    """A figure, or ``missing`` (a dash, or "N/A" for data not released) when there is none."""
    if value is None:
        return Cell(missing, MISSING, center=True, **kw)
    return Cell(float(value), kind, **kw)


def blank() -> Cell:
    return Cell("", TEXT)
