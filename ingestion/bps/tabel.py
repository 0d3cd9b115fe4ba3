"""A BPS statistics table saved from the website as CSV or XLSX and dropped in the inbox (``inbox/bps/*.csv``, ``*.xlsx``).

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
- Comma or semicolon separated, UTF-8 or Windows-1252 (or the XLSX download); numbers as
  ``1234567.89``, ``1.234.567,89`` or ``1,234,567.89``; ``-`` is nihil (zero) where it stands
  among released figures, but a period whose every cell is ``-`` or empty is not released yet
  and loads nothing; ``...`` not available.
- Lines after the data that start with Sumber/Source/Catatan/Keterangan/Note or ``*`` are notes.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from ingestion.bps import identity
from ingestion.bps.answer import COLUMNS, drop_unreleased, harga_of_label, parse_value, periode_of, status_angka_of
from ingestion.bps.config import BpsConfig, Domain
from ingestion.csvtable import delimiter_of, read_text
from ingestion.errors import InputFileError, RowProblem
from ingestion.numbers import parse_angka

SOURCE = "bps"
MAX_BYTES = 20 * 1024 * 1024
_YEAR = re.compile(r"^\s*((?:19|20)\d{2})\s*(\**)\s*$")
_NOTE = re.compile(r"^\s*(sumber|source|catatan|keterangan|note|\*)", re.IGNORECASE)


def _fail(path: Path, message: str, baris: int | None = None, kolom: str | None = None) -> InputFileError:
    return InputFileError(path, [RowProblem(baris, kolom, message)], SOURCE)


def _domain(path: Path, title: str, config: BpsConfig) -> Domain:
    """The configured domain the table is of: the region its title names, matched exactly (a kota
    or kabupaten inside the province is not the province), else the domain code in the file name."""
    region = identity.region_of(title)
    if region is not None:
        for domain in config.domains:
            if identity.region_matches(region, domain):
                return domain
    for code in re.findall(r"(?<!\d)(\d{4})(?!\d)", path.stem):
        for domain in config.domains:
            if domain.kode == code:
                if region is not None:
                    raise _fail(
                        path,
                        f"the title says the table is of {region!r}, but the file name says domain {code} ({domain.nama}); expected {identity.expected(domain, 'ADHB')}",
                        1,
                    )
                return domain
    names = "; ".join(f"{d.kode} = {', '.join(dict.fromkeys((d.nama, *d.nama_di_judul)))}" for d in config.domains)
    if region is not None:
        raise _fail(
            path,
            f"the title says the table is of {region!r}, which is none of the configured regions ({names}); a table of a kota or kabupaten is not the province's",
            1,
        )
    raise _fail(
        path,
        f"cannot tell which region the table is for: put the domain code in the file name (e.g. pdrb_3100_adhb.csv) or keep the title line that names it ({names})",
        1,
    )


def _number_text(value: float) -> str:
    """A spreadsheet number as plain digits (``2757719.0`` -> ``2757719``), never in exponent form."""
    from decimal import Decimal

    text = format(Decimal(repr(value)), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _cells(path: Path) -> list[list[str]]:
    """The table as rows of text cells: a CSV download, or an XLSX download of the same table."""
    if path.suffix.lower() == ".xlsx":
        from python_calamine import CalamineWorkbook

        from ingestion.sipd import check_archive

        check_archive(path, SOURCE, "a BPS table")
        try:
            book = CalamineWorkbook.from_path(str(path))
            grid = book.get_sheet_by_name(book.sheet_names[0]).to_python(skip_empty_area=False)
        except Exception as exc:  # calamine raises its own error types for broken archives
            raise _fail(path, f"not a readable XLSX spreadsheet ({type(exc).__name__})") from None
        return [["" if c is None else (_number_text(c) if isinstance(c, float) else str(c)) for c in row] for row in grid]
    text, _ = read_text(path, SOURCE, MAX_BYTES, "a BPS table")
    delimiter = delimiter_of("\n".join(text.splitlines()[:10]))
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


def _numeric(text: str) -> tuple:
    text = text.strip()
    if text in ("-", "...", "\u2026", "", "\u2013", "\u2014"):
        return parse_value(text)
    return parse_angka(text), None


def parse(path: Path, config: BpsConfig):
    """Typed rows (a pandas DataFrame) of one saved table; raise InputFileError naming every bad row."""
    import pandas as pd

    if path.stat().st_size > MAX_BYTES:
        raise _fail(path, f"the file is {path.stat().st_size:,} bytes; a BPS table is expected under {MAX_BYTES:,} bytes")
    table = _cells(path)

    # The year row is the first row with at least one year cell after the first column.
    year_row = next((i for i, r in enumerate(table) if any(_YEAR.match(c) for c in r[1:])), None)
    if year_row is None:
        raise _fail(path, "no header row with years (e.g. 2023, 2024*) found; is this a BPS table saved as CSV?")
    title = ", ".join(" ".join(c for c in r if c.strip()) for r in table[:year_row] if any(c.strip() for c in r))
    header_cells = table[year_row]
    found = identity.identify(title + " " + (header_cells[0] if header_cells else ""))
    if found.not_levels:
        raise _fail(
            path,
            f"the title {found.title!r} is {found.not_levels}: not the PDRB table in miliar rupiah by lapangan usaha that Kinerja computes its shares and growth from",
            1,
        )
    harga = found.harga or harga_of_label(path.stem.replace("_", " "))
    if harga is None:
        raise _fail(path, "the title does not say 'Harga Berlaku' (ADHB) or 'Harga Konstan' (ADHK), nor does the file name (adhb/adhk)", 1)
    domain = _domain(path, title, config)
    var_id = domain.variabel.get(harga)
    domain = domain.kode

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
                    "uraian": identity.strip_tags(label),
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
    rows = drop_unreleased(rows)
    if not rows:
        raise _fail(path, "the table has a header but no released figures (every period is '-' or empty)")
    return pd.DataFrame(rows, columns=COLUMNS)
