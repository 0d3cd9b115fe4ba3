"""SIPD budget exports: pagu (APBD, APBD Pergeseran, APBD Perubahan) and realisasi, XLSX or CSV.

Accepted layout (documented in the README), as SIPD's "rekap per rekening" exports come:

- any number of title rows above the header (merged cells are fine); the title may say the year
  (``TAHUN ANGGARAN 2024``) and the unit (``SKPD : 1.02.0.00.0.00.01.0000 Dinas ...``);
- a header row with ``Uraian``, code columns (``Kode Program`` like ``2.17.07``, ``Kode Kegiatan``,
  ``Kode Sub Kegiatan``, ``Kode Akun`` like ``5.1.02.01.01.0024``; optionally ``Kode Unit`` /
  ``Nama Unit`` and ``Tahun``) and one or more money columns: ``APBD`` (pagu murni),
  ``Pergeseran`` (e.g. ``Pergeseran II``), ``APBD-P`` (perubahan) and ``Realisasi``; percentage
  columns (``%``, ``Serapan``) are ignored (the warehouse computes them);
- money as ``1.234.567.890``, ``1.234.567.890,00``, ``1,234,567,890``, a number cell, or ``-`` for zero;
  an empty money cell is zero (an unspent line has an empty realisasi);
- rows without an akun code (program / kegiatan / sub kegiatan headers), rows labelled ``Jumlah`` /
  ``Sub Total`` / ``Total``, and akun rows that have more detailed akun rows below them are subtotals:
  they are not loaded, so nothing is counted twice. A last ``Total`` row is checked against the sum
  of the detail rows.

Detail rows are validated here (a program code the catalogue does not know, a negative pagu, a
realisasi larger than its pagu, an unreadable number); a file is loaded whole or not at all.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from ingestion.csvtable import decode, delimiter_of
from ingestion.errors import InputFileError, RowProblem
from ingestion.numbers import parse_rupiah, rupiah_style
from ingestion.registry import Entity, ReadContext

SOURCE = "sipd"
ENTITY = "anggaran"
MAX_BYTES = 200 * 1024 * 1024
MAX_UNPACKED_BYTES = 1024 * 1024 * 1024  # an XLSX's XML, unpacked
MAX_RATIO = 200  # spreadsheet XML packs 5-30x; far more is a zip bomb
MAX_CELLS = 20_000_000  # the sheet's declared area (rows x columns)
HEADER_SCAN_ROWS = 40
MONEY = ("pagu_apbd", "pagu_pergeseran", "pagu_apbdp", "realisasi")
COLUMNS = [
    "baris", "lembar", "tahun", "unit_kode", "unit_nama", "program_kode", "kegiatan_kode", "sub_kegiatan_kode",
    "akun_kode", "jenis_belanja_kode", "uraian", *MONEY, "tanggal_data",
]  # fmt: skip

_HEADER_ALIASES = {
    "uraian": ("uraian", "uraian rekening", "nama rekening", "uraian kegiatan"),
    "tahun": ("tahun", "tahun anggaran"),
    "unit_kode": ("kode unit", "kode skpd", "kode sub unit", "kode pd", "kode opd", "kode ukpd"),
    "unit_nama": ("nama unit", "nama skpd", "nama sub unit", "unit", "skpd", "pd ukpd", "nama pd"),
    "program_kode": ("kode program", "program kode"),
    "kegiatan_kode": ("kode kegiatan",),
    "sub_kegiatan_kode": ("kode sub kegiatan", "kode subkegiatan"),
    "akun_kode": ("kode akun", "kode rekening", "kode rek", "akun"),
    "pagu_apbd": ("apbd", "pagu apbd", "anggaran murni", "apbd murni", "pagu murni"),
    "pagu_pergeseran": ("pergeseran", "apbd pergeseran", "pagu pergeseran"),
    "pagu_apbdp": (
        "apbd p",
        "apbdp",
        "apbd perubahan",
        "perubahan",
        "pagu apbd p",
        "pagu perubahan",
        "anggaran setelah perubahan",
        "pagu",
        "anggaran",
        "pagu anggaran",  # alone, the current pagu of the export
    ),  # fmt: skip
    "realisasi": ("realisasi", "realisasi belanja", "realisasi anggaran"),
}
_PROGRAM = re.compile(r"^\d+\.\d+\.\d+$")
_AKUN = re.compile(r"^5(\.\d+)*$")
_ANY_CODE = re.compile(r"^\d+(\.\d+)*$")
_GRAND_TOTAL = {"total", "total belanja", "jumlah total", "total keseluruhan", "grand total", "jumlah belanja", "total belanja daerah"}
_SUBTOTAL = re.compile(r"^\s*(jumlah|sub\s*total|subtotal|total)\b", re.IGNORECASE)
_YEAR_IN_TITLE = re.compile(r"tahun\s+(?:anggaran\s+)?((?:19|20)\d{2})", re.IGNORECASE)
_UNIT_IN_TITLE = re.compile(r"^\s*(sub\s*unit|unit|skpd|pd/ukpd|opd)\s*:\s*([0-9][0-9.]*)\s+(.+?)\s*$", re.IGNORECASE)
_BULAN = {
    "januari": 1, "februari": 2, "maret": 3, "april": 4, "mei": 5, "juni": 6, "juli": 7, "agustus": 8,
    "september": 9, "oktober": 10, "november": 11, "desember": 12,
}  # fmt: skip
_AS_OF_DAY = re.compile(
    r"\b(?:s\.?\s*d\.?|s/d|sampai dengan|per tanggal|per|tanggal|posisi)\s*(\d{1,2})\s+([a-z]+)\s+((?:19|20)\d{2})", re.IGNORECASE
)
_AS_OF_NUMERIC = re.compile(
    r"\b(?:s\.?\s*d\.?|s/d|sampai dengan|per tanggal|per|tanggal|posisi)\s*(\d{1,2})[-/.](\d{1,2})[-/.]((?:19|20)\d{2})", re.IGNORECASE
)
_AS_OF_MONTH = re.compile(r"\b(?:s\.?\s*d\.?|s/d|sampai dengan|bulan)\s*(?:bulan\s+)?([a-z]+)\s+((?:19|20)\d{2})", re.IGNORECASE)


def data_date(cells: list[str]) -> str | None:
    """The date an export's figures stand at, from its title ("s.d. 31 Desember 2024", "per tanggal
    30/11/2024", "s.d. Bulan Oktober 2024" = end of that month), as ISO text; None if not stated."""
    import calendar
    from datetime import date

    for cell in cells:
        text = str(cell)
        for match in _AS_OF_DAY.finditer(text):
            month = _BULAN.get(match.group(2).lower())
            if month:
                return date(int(match.group(3)), month, int(match.group(1))).isoformat()
        for match in _AS_OF_NUMERIC.finditer(text):
            return date(int(match.group(3)), int(match.group(2)), int(match.group(1))).isoformat()
        for match in _AS_OF_MONTH.finditer(text):
            month = _BULAN.get(match.group(1).lower())
            if month:
                year = int(match.group(2))
                return date(year, month, calendar.monthrange(year, month)[1]).isoformat()
    return None


_UNIT_PREFERENCE = {"sub unit": 0, "subunit": 0, "unit": 1, "pd/ukpd": 2, "opd": 2, "skpd": 3}


def _unit_from_title(cells: list[str]) -> tuple[str, str] | None:
    found = []
    for cell in cells:
        for line in str(cell).splitlines():
            match = _UNIT_IN_TITLE.match(line)
            if match:
                found.append(
                    (_UNIT_PREFERENCE.get(" ".join(match.group(1).lower().split()), 9), match.group(2).rstrip("."), match.group(3))
                )
    return min(found)[1:] if found else None


def _norm(text) -> str:
    words = re.sub(r"[^0-9a-z%]+", " ", str(text or "").lower()).split()
    if words and words[-1] == "rp":
        words = words[:-1]
    return " ".join(words)


def _code(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip().rstrip(".")


@dataclass(frozen=True)
class _Sheet:
    name: str
    rows: list[list]


def check_archive(path: Path, source: str = SOURCE, what: str = "a SIPD export") -> None:
    """Refuse a zip bomb before anything is decompressed (the sizes a zip declares against a bound
    and a plausible compression ratio), and a sheet whose cells span a huge grid before the reader
    lays it out in memory."""
    import zipfile

    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise InputFileError(
            path, [RowProblem(None, None, f"not a readable XLSX spreadsheet (broken zip archive: {exc})")], source
        ) from None
    with archive:
        members = archive.infolist()
        unpacked = sum(m.file_size for m in members)
        packed = max(sum(m.compress_size for m in members), 1)
        if unpacked > MAX_UNPACKED_BYTES or unpacked / packed > MAX_RATIO:
            raise InputFileError(
                path,
                [
                    RowProblem(
                        None,
                        None,
                        f"the spreadsheet unpacks to {unpacked:,} bytes from {packed:,} ({unpacked / packed:,.0f}x); {what} is "
                        f"expected under {MAX_UNPACKED_BYTES:,} bytes unpacked and {MAX_RATIO}x compression (a zip bomb or a damaged "
                        "file); it was not opened",
                    )
                ],
                source,
            )
        names = _sheet_names(archive)
        for member in members:
            if member.filename.startswith("xl/worksheets/") and member.filename.endswith(".xml"):
                _check_sheet_area(path, archive, member, names.get(member.filename), source, what)


_CELL_REF = re.compile(rb'<(?:c|dimension) r(?:ef)?="(?:[A-Z]+\d+:)?([A-Z]+)(\d+)"')
_CELL = re.compile(rb"<c\b([^>]*?)(?<!/)>(.*?)</c>", re.DOTALL)
_REF = re.compile(rb'\br="([A-Z]+)(\d+)"')
_VALUE = re.compile(rb"<v>(.*?)</v>", re.DOTALL)
_FORMULA = re.compile(rb"<f\b[^>]*?(?:/>|>(.*?)</f>)", re.DOTALL)


def _sheet_names(archive) -> dict[str, str]:
    """``xl/worksheets/sheet1.xml`` -> the sheet's name as the workbook shows it."""
    try:
        book = archive.read("xl/workbook.xml")
        rels = archive.read("xl/_rels/workbook.xml.rels")
    except KeyError:
        return {}
    targets = {m.group(1): m.group(2) for m in re.finditer(rb'<Relationship\b[^>]*?Id="([^"]+)"[^>]*?Target="([^"]+)"', rels)}
    targets.update({m.group(2): m.group(1) for m in re.finditer(rb'<Relationship\b[^>]*?Target="([^"]+)"[^>]*?Id="([^"]+)"', rels)})
    names = {}
    for m in re.finditer(rb'<sheet\b[^>]*?name="([^"]+)"[^>]*?r:id="([^"]+)"', book):
        target = targets.get(m.group(2), b"").decode()
        member = target.lstrip("/") if target.startswith("/") else f"xl/{target}"
        names[member] = m.group(1).decode("utf-8", "replace").replace("&amp;", "&")
    return names


def _check_sheet_area(
    path: Path, archive, member, sheet_name: str | None = None, source: str = SOURCE, what: str = "a SIPD export"
) -> None:
    """Before the reader opens a sheet: a cell written at XFD1048576 makes a tiny file whose grid is
    17 billion cells; and a cell that has no value to read (a formula saved without its result,
    which a reader would take as empty or 0, or an error value such as #REF!) rejects the file,
    naming sheet and cell: a wrong rupiah figure must never load silently."""
    rows = cols = 0
    tail = b""
    unreadable: list[RowProblem] = []
    shown = sheet_name or member.filename.rsplit("/", 1)[-1]
    with archive.open(member) as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            data = tail + chunk
            for letters, number in _CELL_REF.findall(data):
                col = 0
                for ch in letters:
                    col = col * 26 + ch - 64
                rows, cols = max(rows, int(number)), max(cols, col)
            end = 0
            for cell in _CELL.finditer(data):
                end = cell.end()
                attrs, content = cell.group(1), cell.group(2)
                if len(unreadable) >= 50 or (b"<f" not in content and b't="e"' not in attrs):
                    continue
                ref = _REF.search(attrs)
                where = (ref.group(1).decode() + ref.group(2).decode()) if ref else "?"
                row = int(ref.group(2)) if ref else None
                value = _VALUE.search(content)
                text = value.group(1).decode("utf-8", "replace").strip() if value else ""
                if b't="e"' in attrs:
                    unreadable.append(
                        RowProblem(
                            row,
                            f"cell {where}",
                            f"sheet '{shown}': cell {where} holds the error value {text or '(error)'} instead of a value; correct it in the spreadsheet and export again",
                        )
                    )
                elif not text:
                    formula = _FORMULA.search(content)
                    formula_text = (formula.group(1) or b"").decode("utf-8", "replace") if formula else ""
                    unreadable.append(
                        RowProblem(
                            row,
                            where.rstrip("0123456789"),
                            f"sheet '{shown}', cell {where} holds a formula{' (=' + formula_text[:80] + ')' if formula_text else ''} saved without its result, "
                            "so it has no value to read; open the file in Excel or LibreOffice, let it recalculate and save it again (or paste the cells as values)",
                        )
                    )
            tail = data[end:] if end else data
            if len(tail) > 1 << 20:  # no cell is that long: keep only what can still hold a cell reference
                tail = tail[-4096:]
    if rows * max(cols, 1) > MAX_CELLS:
        raise InputFileError(
            path,
            [
                RowProblem(
                    None,
                    None,
                    f"sheet {shown} spans {rows:,} rows x {cols:,} columns; {what} is expected "
                    f"under {MAX_CELLS:,} cells (a formatted empty area or a stray cell far away? delete the unused rows and columns)",
                )
            ],
            source,
        )
    if unreadable:
        raise InputFileError(path, unreadable, source)


def _read_sheets(path: Path) -> list[_Sheet]:
    data = path.read_bytes()[:8]
    if path.stat().st_size == 0:
        raise InputFileError(path, [RowProblem(None, None, "the file is empty; expected a SIPD export (XLSX or CSV)")], SOURCE)
    if path.stat().st_size > MAX_BYTES:
        raise InputFileError(
            path,
            [RowProblem(None, None, f"the file is {path.stat().st_size} bytes; a SIPD export is expected under {MAX_BYTES} bytes")],
            SOURCE,
        )
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        if not data.startswith(b"PK"):
            raise InputFileError(
                path,
                [
                    RowProblem(
                        None, None, "not a spreadsheet: an .xlsx file is a zip archive, this one is not (an HTML page or a renamed file?)"
                    )
                ],
                SOURCE,
            )
        check_archive(path)
        from python_calamine import CalamineWorkbook

        try:
            book = CalamineWorkbook.from_path(str(path))
            return [_Sheet(name, book.get_sheet_by_name(name).to_python(skip_empty_area=False)) for name in book.sheet_names]
        except Exception as exc:  # calamine raises its own error types for broken archives
            raise InputFileError(
                path, [RowProblem(None, None, f"not a readable XLSX spreadsheet ({type(exc).__name__}: {str(exc)[:120]})")], SOURCE
            ) from None
    if path.suffix.lower() == ".csv":
        text, _ = decode(path, path.read_bytes(), SOURCE)
        delimiter = delimiter_of("\n".join(text.splitlines()[:HEADER_SCAN_ROWS]))
        return [_Sheet("csv", list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)))]
    raise InputFileError(path, [RowProblem(None, None, "unknown file type; a SIPD export is .xlsx or .csv")], SOURCE)


def _header(rows: list[list]) -> tuple[int, dict[str, int]] | None:
    for index, row in enumerate(rows[:HEADER_SCAN_ROWS]):
        found: dict[str, int] = {}
        for col, cell in enumerate(row):
            label = _norm(cell)
            for field, aliases in _HEADER_ALIASES.items():
                if field == "pagu_pergeseran" and (label in aliases or label.startswith("pergeseran")):
                    found[field] = col  # the rightmost: Pergeseran II after Pergeseran I
                elif field not in found and label in aliases:
                    found[field] = col
        if "uraian" in found and any(m in found for m in MONEY):
            return index, found
    return None


def parse(path: Path, program_codes: set[str] | None = None):
    """Detail rows (a pandas DataFrame) of one SIPD export; raise InputFileError naming file, sheet, row and reason."""
    import pandas as pd

    sheets = _read_sheets(path)
    problems: list[RowProblem] = []
    out: list[dict] = []
    used = 0
    for sheet in sheets:
        found = _header(sheet.rows)
        if found is None:
            continue
        used += 1
        rows, sheet_problems = _parse_sheet(path, sheet, *found, program_codes)
        problems.extend(sheet_problems)
        out.extend(rows)
    if not used and not problems:
        raise InputFileError(
            path,
            [
                RowProblem(
                    None,
                    None,
                    "no sheet has a header row with 'Uraian' and a pagu or realisasi column (APBD, Pergeseran, APBD-P, Realisasi)",
                )
            ],
            SOURCE,
        )
    if problems:
        raise InputFileError(path, problems, SOURCE)
    if not out:
        raise InputFileError(path, [RowProblem(None, None, "the export has a header but no detail rows with an akun code")], SOURCE)
    return pd.DataFrame(out, columns=COLUMNS)


def _parse_sheet(
    path: Path, sheet: _Sheet, header_index: int, cols: dict[str, int], program_codes: set[str] | None
) -> tuple[list[dict], list[RowProblem]]:
    problems: list[RowProblem] = []

    def where(baris: int | None, kolom: str | None, message: str) -> RowProblem:
        return RowProblem(baris, kolom, f"sheet '{sheet.name}': {message}")

    title_cells = [str(c) for r in sheet.rows[:header_index] for c in r if c not in (None, "")]
    year_match = next((m for m in (_YEAR_IN_TITLE.search(c) for c in title_cells) if m), None) or re.search(
        r"(?<!\d)((?:19|20)\d{2})(?!\d)", path.stem
    )
    title_unit = _unit_from_title(title_cells)
    try:
        tanggal_data = data_date(title_cells)
    except ValueError:  # e.g. "s.d. 31 Februari 2024"
        return [], [where(1, None, f"the date in the title is not a real date: {' '.join(title_cells)[:120]!r}")]
    if "tahun" not in cols and not year_match:
        return [], [
            where(
                header_index + 1,
                None,
                "no year: add a Tahun column or keep the title 'TAHUN ANGGARAN 2024' (or put the year in the file name)",
            )
        ]
    if "unit_kode" not in cols and not title_unit:
        return [], [
            where(header_index + 1, None, "no unit: add Kode Unit / Nama Unit columns or keep the title line 'SKPD : <kode> <nama>'")
        ]
    if "akun_kode" not in cols or "program_kode" not in cols:
        return [], [
            where(header_index + 1, None, "the header needs Kode Program and Kode Akun columns (and Kode Kegiatan, Kode Sub Kegiatan)")
        ]
    money = [m for m in MONEY if m in cols]
    candidates: list[dict] = []
    grand_total: tuple[int, dict] | None = None
    styles: dict[str, tuple[int, str]] = {}  # number format -> first row and text written in it
    for index in range(header_index + 1, len(sheet.rows)):
        row = sheet.rows[index]
        baris = index + 1

        def cell(field: str, row=row):
            col = cols.get(field)
            return row[col] if col is not None and col < len(row) else None

        if not any(c not in (None, "") for c in row):
            continue
        akun = _code(cell("akun_kode"))
        uraian = str(cell("uraian") or "").strip()
        if akun and not _ANY_CODE.match(akun):  # a label typed in the code column ("TOTAL")
            uraian, akun = uraian or akun, ""
        label = _norm(uraian)
        is_grand_total = not akun and label in _GRAND_TOTAL
        if not is_grand_total and (not akun or not _AKUN.match(akun) or _SUBTOTAL.match(uraian)):
            continue  # headers, subtotals, signature lines, column numbers, non-belanja accounts
        amounts: dict[str, Decimal | None] = {}
        bad = False
        for field in money:
            try:
                amounts[field] = parse_rupiah(cell(field))
            except ValueError as exc:
                problems.append(where(baris, field, str(exc)))
                bad = True
                continue
            style = rupiah_style(cell(field))
            if style and not styles:
                styles[style] = (baris, str(cell(field)))
            elif style and style not in styles:
                first_style, (first_row, first_text) = next(iter(styles.items()))
                problems.append(
                    where(
                        baris,
                        field,
                        f"{cell(field)!r} is written in {style} format, but row {first_row} wrote {first_text!r} in {first_style} format; "
                        "one export mixing Indonesian and English number formats is ambiguous (is 1.000 one thousand or one?)",
                    )
                )
                bad = True
        if bad:
            continue
        if is_grand_total:
            grand_total = (baris, amounts)
            continue
        program = _code(cell("program_kode"))
        if not _PROGRAM.match(program):
            problems.append(
                where(baris, "program_kode", f"program code {program!r} is not a Permendagri 90/2019 program code like 2.17.07")
            )
            continue
        if program_codes is not None and program not in program_codes:
            problems.append(
                where(baris, "program_kode", f"program {program} is not in the catalogue (dbt_project/seeds/katalog/program.csv)")
            )
            continue
        tahun_cell = cell("tahun") if "tahun" in cols else None
        tahun_text = _code(tahun_cell)
        if tahun_text:
            year = re.search(r"(?:19|20)\d{2}", tahun_text)
            if not year:
                problems.append(where(baris, "tahun", f"{tahun_cell!r} is not a year"))
                continue
            tahun = int(year.group(0))
        elif year_match:
            tahun = int(year_match.group(1))
        else:
            problems.append(where(baris, "tahun", "no year in the Tahun column, the title or the file name"))
            continue
        unit_kode = _code(cell("unit_kode")) if "unit_kode" in cols else title_unit[0]
        if not unit_kode:
            problems.append(where(baris, "unit_kode", "no unit code"))
            continue
        unit_nama = str(cell("unit_nama") or "").strip() if "unit_nama" in cols else (title_unit[1] if title_unit else "")
        candidates.append(
            {
                "baris": baris,
                "lembar": sheet.name,
                "tahun": tahun,
                "unit_kode": unit_kode,
                "unit_nama": unit_nama,
                "program_kode": program,
                "kegiatan_kode": _code(cell("kegiatan_kode")),
                "sub_kegiatan_kode": _code(cell("sub_kegiatan_kode")),
                "akun_kode": akun,
                "jenis_belanja_kode": ".".join(akun.split(".")[:3]),
                "uraian": uraian,
                **{m: amounts.get(m) for m in MONEY},
                "tanggal_data": tanggal_data,
            }
        )
    # A money column left blank on every detail row is not in this export; otherwise blank = 0.
    present = [m for m in money if any(r[m] is not None for r in candidates)]
    for r in candidates:
        for m in MONEY:
            r[m] = (r[m] if r[m] is not None else Decimal(0)) if m in present else None
    # An akun row with more detailed akun rows below it is a subtotal: within its sub kegiatan, or,
    # when printed without a sub kegiatan / kegiatan, anywhere in its program.
    exact, loose = set(), set()
    for r in candidates:
        parts = r["akun_kode"].split(".")
        for depth in range(1, len(parts)):
            prefix = ".".join(parts[:depth])
            exact.add((r["unit_kode"], r["program_kode"], r["sub_kegiatan_kode"], prefix))
            loose.add((r["unit_kode"], r["program_kode"], prefix))
    leaves = []
    for r in candidates:
        if r["sub_kegiatan_kode"]:
            parent = (r["unit_kode"], r["program_kode"], r["sub_kegiatan_kode"], r["akun_kode"]) in exact
        else:
            parent = (r["unit_kode"], r["program_kode"], r["akun_kode"]) in loose
        if not parent:
            leaves.append(r)
    for r in leaves:
        for field in ("pagu_apbd", "pagu_pergeseran", "pagu_apbdp", "realisasi"):
            if (r[field] or 0) < 0:
                problems.append(where(r["baris"], field, f"negative {'pagu' if field != 'realisasi' else 'realisasi'} {r[field]}"))
        pagu_akhir = next((r[f] for f in ("pagu_apbdp", "pagu_pergeseran", "pagu_apbd") if r[f] is not None), None)
        if r["realisasi"] is not None and pagu_akhir is not None and r["realisasi"] > pagu_akhir:
            problems.append(where(r["baris"], "realisasi", f"realisasi {r['realisasi']} is larger than its pagu {pagu_akhir}"))
    if grand_total is not None and not problems:
        baris, totals = grand_total
        for field in present:
            value = totals.get(field)
            summed = sum((r[field] for r in leaves), Decimal(0))
            if value is not None and summed != value:
                problems.append(
                    where(
                        baris,
                        field,
                        f"the Total row says {value} but the detail rows add up to {summed}; is a detail row missing or a subtotal typed as detail?",
                    )
                )
    return leaves, problems


def read(path: Path, ctx: ReadContext):
    """The detail rows, with each amount as exact text (cast to DECIMAL when raw.* is loaded) and
    as a float ``<amount>_angka`` for the suite's range checks."""
    rows = parse(path, ctx.seed_codes("katalog/program", "program_kode"))
    floats = {f"{m}_angka": [None if v is None else float(v) for v in rows[m]] for m in MONEY}
    return rows.assign(**{m: [None if v is None else format(v, "f") for v in rows[m]] for m in MONEY}, **floats)


ENTITIES = (
    Entity(
        source=SOURCE,
        entity=ENTITY,
        label="SIPD",
        doc="budget exports (pagu APBD, Pergeseran, APBD-P and realisasi) at sub kegiatan x akun grain",
        suffixes=(".xlsx", ".csv"),
        columns=(
            ("lembar", "varchar"),
            ("tahun", "integer"),
            ("unit_kode", "varchar"),
            ("unit_nama", "varchar"),
            ("program_kode", "varchar"),
            ("kegiatan_kode", "varchar"),
            ("sub_kegiatan_kode", "varchar"),
            ("akun_kode", "varchar"),
            ("jenis_belanja_kode", "varchar"),
            ("uraian", "varchar"),
            ("pagu_apbd", "decimal(20, 2)"),
            ("pagu_pergeseran", "decimal(20, 2)"),
            ("pagu_apbdp", "decimal(20, 2)"),
            ("realisasi", "decimal(20, 2)"),
            ("tanggal_data", "date"),
        ),  # fmt: skip
        read=read,
        suite="sipd__anggaran",
        sample="sipd_anggaran_*.xlsx",
    ),
)
