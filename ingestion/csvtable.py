"""Reading a delimited export with a header row, the way agency systems write them.

Comma or semicolon separated (decided from the header line), UTF-8 (with or without BOM) or
Windows-1252, header names case-insensitive, extra columns ignored. Every problem names the
line (header = line 1) so a planner can find it.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from kinerja.errors import InputFileError, RowProblem


@dataclass
class Table:
    path: Path
    header: list[str]
    encoding: str
    delimiter: str
    text: str

    def rows(self, problems: list[RowProblem]) -> Iterator[tuple[int, dict[str, str]]]:
        """(line number, {column: stripped text}) of every non-blank data row; rows with the wrong
        number of fields are reported in ``problems`` and skipped."""
        reader = csv.reader(io.StringIO(self.text, newline=""), delimiter=self.delimiter)
        next(reader)
        for raw in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in raw):
                continue
            if len(raw) != len(self.header):
                problems.append(
                    RowProblem(
                        line,
                        None,
                        f"has {len(raw)} fields; expected {len(self.header)} like the header (check the delimiter '{self.delimiter}' and quotes)",
                    )
                )
                continue
            yield line, {name: cell.strip() for name, cell in zip(self.header, raw, strict=True)}


def sniff(path: Path, data: bytes, source: str) -> tuple[str, str]:
    """Check the start of a file: (encoding, delimiter), or InputFileError for an empty file or an
    HTML page saved under a .csv name."""
    if not data.strip():
        raise InputFileError(path, [RowProblem(None, None, "the file is empty; expected a header row and data rows")], source)
    head = data[:512].lstrip().lower()
    if head.startswith((b"<!doctype", b"<html", b"<?xml", b"<")):
        raise InputFileError(
            path, [RowProblem(None, None, "this is an HTML/XML page (an error or login page saved as .csv?), not a CSV export")], source
        )
    try:
        data[: 1 << 20].decode("utf-8")
        encoding = "utf-8"
    except UnicodeDecodeError as exc:
        encoding = "utf-8" if exc.start > (1 << 20) - 4 else "cp1252"
    if b"\n" not in data[:MAX_HEADER_BYTES] and len(data) > MAX_HEADER_BYTES:
        raise InputFileError(
            path,
            [
                RowProblem(
                    1, None, f"the first line is longer than {MAX_HEADER_BYTES:,} bytes; expected a header row (is this a CSV export?)"
                )
            ],
            source,
        )
    first = data.split(b"\n", 1)[0]
    delimiter = ";" if first.count(b";") > first.count(b",") else ","
    return encoding, delimiter


MAX_HEADER_BYTES = 64 * 1024


def decode(path: Path, data: bytes, source: str) -> tuple[str, str]:
    """The text of an export and its encoding: UTF-8 (with or without BOM), else Windows-1252."""
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise InputFileError(path, [RowProblem(None, None, "cannot be decoded as UTF-8 or Windows-1252 text")], source)


def read_table(path: Path, source: str, required: tuple[str, ...], max_bytes: int) -> Table:
    size = path.stat().st_size
    if size > max_bytes:
        raise InputFileError(
            path, [RowProblem(None, None, f"the file is {size:,} bytes; this export is expected under {max_bytes:,} bytes")], source
        )
    data = path.read_bytes()
    sniff(path, data, source)
    text, encoding = decode(path, data, source)
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    header = [h.strip().lower() for h in next(csv.reader([first], delimiter=delimiter))]
    missing = [c for c in required if c not in header]
    if missing:
        raise InputFileError(
            path,
            [
                RowProblem(
                    1,
                    None,
                    f"header is missing column(s) {', '.join(missing)}; expected {', '.join(required)}, found {_shown(', '.join(header))}",
                )
            ],
            source,
        )
    return Table(path, header, encoding, delimiter, text)


def _shown(text: str, limit: int = 300) -> str:
    """Text from a file as an error message quotes it: a header can be one line of megabytes."""
    return text if len(text) <= limit else f"{text[:limit]}... ({len(text):,} characters)"


def parse_date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(f"'{text}' is not a date written YYYY-MM-DD (e.g. 2024-03-31)") from None


def parse_timestamp(text: str) -> datetime:
    try:
        return datetime.strptime(text, "%Y-%m-%d %H:%M:%S")
    except ValueError:
        try:
            return datetime.strptime(text, "%Y-%m-%d")
        except ValueError:
            raise ValueError(f"'{text}' is not a time written YYYY-MM-DD HH:MM:SS (WIB, e.g. 2024-03-31 14:05:00)") from None


def parse_rupiah(text: str) -> int:
    """Whole rupiah written as plain digits (``1250000``, ``1250000.00``); thousands separators
    are refused, as ``1.250`` could be 1250 or 1.25."""
    value = text.replace(" ", "")
    if value.endswith((".00", ",00")):
        value = value[:-3]
    if not value.lstrip("-").isdigit():
        raise ValueError(f"'{text}' is not an amount in whole rupiah written as plain digits (e.g. 1250000)")
    return int(value)


def reject_if(path: Path, problems: list[RowProblem], source: str) -> None:
    if problems:
        problems.sort(key=lambda p: (p.baris or 0, p.kolom or ""))
        raise InputFileError(path, problems, source)


def dedupe_rows(records: list[dict], key: str, problems: list[RowProblem]) -> list[dict]:
    """Drop rows repeated exactly (exports repeat rows); the same key with other values is an error."""
    seen: dict[str, dict] = {}
    kept = []
    for rec in records:
        first = seen.get(rec[key])
        if first is None:
            seen[rec[key]] = rec
            kept.append(rec)
        elif {k: v for k, v in first.items() if k != "baris"} != {k: v for k, v in rec.items() if k != "baris"}:
            problems.append(
                RowProblem(rec["baris"], key, f"{key} '{rec[key]}' appears again (first at row {first['baris']}) with different values")
            )
    return kept


def sql_literal(value) -> str:
    """A file path (or any text) as a SQL string literal: an inbox file may be named o'brien.csv."""
    return "'" + str(value).replace("'", "''") + "'"
