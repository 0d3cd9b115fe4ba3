"""A BPS statistics table saved from the website as CSV and dropped in the inbox (``inbox/bps/*.csv``).

Accepted layout (documented in the README), as the table pages export it:

    "[Seri 2010] PDRB Atas Dasar Harga Berlaku Menurut Lapangan Usaha (Milyar Rupiah), DKI Jakarta"
    Lapangan Usaha,2023,,,,,2024*,,,,
    ,Triwulan I,Triwulan II,Triwulan III,Triwulan IV,Tahunan,Triwulan I,...
    "A. Pertanian, Kehutanan, dan Perikanan",1234.56,...
    ...
    Sumber: Badan Pusat Statistik

- Title line(s) before the header: the title names the price basis ("Harga Berlaku" = ADHB,
  "Harga Konstan" = ADHK) and the region (names in ``bps.toml``: ``nama_di_judul``); a file
  name containing the domain code (``pdrb_3100_adhb.csv``) also names the region.
- The year row: a year per column or once per block of merged columns; ``*`` / ``**`` after a
  year mark angka sementara / sangat sementara. The period row below it (Triwulan I-IV, Tahunan)
  is optional; without it every column is a year (annual table).
- Comma or semicolon separated, UTF-8 or Windows-1252; numbers as ``1234567.89``,
  ``1.234.567,89`` or ``1,234,567.89``; ``-`` is nihil (zero), ``...`` not available.
- Lines after the data that start with Sumber/Source/Catatan/Keterangan/Note or ``*`` are notes.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from ingestion.bps.answer import COLUMNS, harga_of_label, parse_value, periode_of, status_angka_of
from ingestion.bps.config import BpsConfig
from ingestion.csvtable import delimiter_of, read_text
from ingestion.errors import InputFileError, RowProblem
from ingestion.numbers import parse_angka

SOURCE = "bps"
MAX_BYTES = 20 * 1024 * 1024
_YEAR = re.compile(r"^\s*((?:19|20)\d{2})\s*(\**)\s*$")
_NOTE = re.compile(r"^\s*(sumber|source|catatan|keterangan|note|\*)", re.IGNORECASE)


def _fail(path: Path, message: str, baris: int | None = None, kolom: str | None = None) -> InputFileError:
    return InputFileError(path, [RowProblem(baris, kolom, message)], SOURCE)


def _domain(path: Path, title: str, config: BpsConfig) -> str:
    for code in re.findall(r"(?<!\d)(\d{4})(?!\d)", path.stem):
        if any(d.kode == code for d in config.domains):
            return code
    lowered = title.lower()
    for domain in config.domains:
        if any(name.lower() in lowered for name in domain.nama_di_judul):
            return domain.kode
    names = "; ".join(f"{d.kode} = {', '.join(d.nama_di_judul)}" for d in config.domains)
    raise _fail(
        path,
        f"cannot tell which region the table is for: put the domain code in the file name (e.g. pdrb_3100_adhb.csv) or keep the title line that names it ({names})",
        1,
    )


def _numeric(text: str) -> tuple:
    text = text.strip()
    if text in ("-", "...", "\u2026", "", "\u2013", "\u2014"):
        return parse_value(text)
    return parse_angka(text), None


def parse(path: Path, config: BpsConfig):
    """Typed rows (a pandas DataFrame) of one saved table; raise InputFileError naming every bad row."""
    import pandas as pd

    text, _ = read_text(path, SOURCE, MAX_BYTES, "a BPS table")
    delimiter = delimiter_of("\n".join(text.splitlines()[:10]))
    table = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))

    # The year row is the first row with at least one year cell after the first column.
    year_row = next((i for i, r in enumerate(table) if any(_YEAR.match(c) for c in r[1:])), None)
    if year_row is None:
        raise _fail(path, "no header row with years (e.g. 2023, 2024*) found; is this a BPS table saved as CSV?")
    title = " ".join(" ".join(c for c in r if c.strip()) for r in table[:year_row])
    header_cells = table[year_row]
    title += " " + (header_cells[0] if header_cells else "")
    harga = harga_of_label(title) or harga_of_label(path.stem.replace("_", " "))
    if harga is None:
        raise _fail(path, "the title does not say 'Harga Berlaku' (ADHB) or 'Harga Konstan' (ADHK), nor does the file name (adhb/adhk)", 1)
    lowered = title.lower()
    not_levels = [w for w in ("distribusi", "persentase", "laju", "pertumbuhan", "indeks", "implisit", "per kapita") if w in lowered]
    if not_levels:
        raise _fail(
            path,
            f"the title says '{not_levels[0]}': this is not the PDRB table in miliar rupiah by lapangan usaha that Kinerja computes its shares and growth from",
            1,
        )
    domain = _domain(path, title, config)
    var_id = config.domain(domain).variabel.get(harga)

    # Column -> (year, status, periode); years carry over merged (empty) cells.
    period_cells = table[year_row + 1] if year_row + 1 < len(table) else []
    has_period_row = any(periode_of(None, c) for c in period_cells[1:])
    columns: dict[int, tuple[int, str | None, str]] = {}
    current = None
    for col in range(1, len(header_cells) if not has_period_row else max(len(header_cells), len(period_cells))):
        cell = header_cells[col] if col < len(header_cells) else ""
        match = _YEAR.match(cell)
        if match:
            current = (int(match.group(1)), status_angka_of(cell.strip()))
        if current is None:
            continue
        if has_period_row:
            label = period_cells[col] if col < len(period_cells) else ""
            periode = periode_of(None, label)
            if periode is None:
                if label.strip():
                    raise _fail(path, f"period header {label!r} is not Triwulan I-IV or Tahunan", year_row + 2, f"column {col + 1}")
                continue
        elif match:
            periode = "TAHUNAN"
        else:
            continue
        columns[col] = (current[0], current[1], periode)
    if not columns:
        raise _fail(path, "no year/period columns found under the header", year_row + 1)

    problems: list[RowProblem] = []
    rows = []
    first_data = year_row + (2 if has_period_row else 1)
    for index in range(first_data, len(table)):
        cells = table[index]
        baris = index + 1
        if not cells or not any(c.strip() for c in cells):
            continue
        label = cells[0].strip()
        if _NOTE.match(label) and not any(c.strip() for c in cells[1:]):
            continue
        if not label:
            problems.append(RowProblem(baris, "Lapangan Usaha", "row has values but no lapangan usaha label"))
            continue
        for col, (year, status, periode) in columns.items():
            raw = cells[col] if col < len(cells) else ""
            try:
                nilai, catatan = _numeric(raw)
            except ValueError as exc:
                problems.append(RowProblem(baris, f"{year} {periode}", f"{raw!r}: {exc}"))
                continue
            rows.append(
                {
                    "baris": baris,
                    "domain": domain,
                    "var_id": var_id,
                    "harga": harga,
                    "vervar_kode": None,
                    "uraian": label,
                    "seri": config.seri_of(label),
                    "tahun": year,
                    "periode": periode,
                    "nilai": nilai,
                    "catatan": catatan,
                    "status_angka": status,
                }
            )
    if problems:
        raise InputFileError(path, problems, SOURCE)
    if not rows:
        raise _fail(path, "the table has a header but no data rows")
    return pd.DataFrame(rows, columns=COLUMNS)
