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

from ingestion.errors import RowProblem, fail, reject_if  # noqa: F401 (reject_if: readers import it from here)


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


MAX_HEADER_BYTES = 64 * 1024


UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")  # what Excel writes for "Unicode Text" (UTF-16, tab separated)


def delimiter_of(sample: str | bytes) -> str:
    """The one delimiter rule of every CSV reader, from the header line (or the first lines): a tab
    when it has more tabs than semicolons and commas (Excel's "Text" and "Unicode Text"), else ``;``
    when it has more semicolons than commas, else ``,``."""
    text = sample.decode("latin-1") if isinstance(sample, bytes) else sample
    tabs, semis, commas = text.count("\t"), text.count(";"), text.count(",")
    if tabs > max(semis, commas):
        return "\t"
    return ";" if semis > commas else ","


def sniff(path: Path, data: bytes, source: str) -> tuple[str, str]:
    """Check the start of a file: (encoding, delimiter), or InputFileError for an empty file, an
    HTML page saved under a .csv name or a first line too long to be a header."""
    if not data.strip():
        raise fail(path, source, "the file is empty; expected a header row and data rows")
    if data.startswith(UTF16_BOMS):
        text = data[: 1 << 16].decode("utf-16", errors="ignore")
        if text.lstrip().lower().startswith("<"):
            raise fail(path, source, "this is an HTML/XML page (an error or login page saved as .csv?), not a CSV export")
        return "utf-16", delimiter_of(text.split("\n", 1)[0])
    head = data[:512].lstrip().lower()
    if head.startswith((b"<!doctype", b"<html", b"<?xml", b"<")):
        raise fail(path, source, "this is an HTML/XML page (an error or login page saved as .csv?), not a CSV export")
    try:
        data[: 1 << 20].decode("utf-8")
        encoding = "utf-8"
    except UnicodeDecodeError as exc:
        encoding = "utf-8" if exc.start > (1 << 20) - 4 else "cp1252"
    if b"\n" not in data[:MAX_HEADER_BYTES] and len(data) > MAX_HEADER_BYTES:
        raise fail(
            path, source, f"the first line is longer than {MAX_HEADER_BYTES:,} bytes; expected a header row (is this a CSV export?)", 1
        )
    return encoding, delimiter_of(data.split(b"\n", 1)[0])


def decode(path: Path, data: bytes, source: str) -> tuple[str, str]:
    """The text of an export and its encoding: UTF-16 with its BOM (Excel's "Unicode Text"), UTF-8
    (with or without BOM), else Windows-1252."""
    if data.startswith(UTF16_BOMS):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            raise fail(path, source, "starts like UTF-16 text (Excel's 'Unicode Text') but cannot be decoded as such") from None
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise fail(path, source, "cannot be decoded as UTF-8 or Windows-1252 text")


def read_text(path: Path, source: str, max_bytes: int, what: str = "this export") -> tuple[str, str]:
    """The checked, decoded text of a delimited file and its encoding: the one way every CSV reader
    opens a file (size bound, empty file, HTML page, over-long first line, encoding)."""
    size = path.stat().st_size
    if size > max_bytes:
        raise fail(path, source, f"the file is {size:,} bytes; {what} is expected under {max_bytes:,} bytes")
    data = path.read_bytes()
    sniff(path, data, source)
    return decode(path, data, source)


def read_table(path: Path, source: str, required: tuple[str, ...], max_bytes: int) -> Table:
    text, encoding = read_text(path, source, max_bytes)
    first = text.split("\n", 1)[0]
    delimiter = delimiter_of(first)
    header = [h.strip().lower() for h in next(csv.reader([first], delimiter=delimiter))]
    missing = [c for c in required if c not in header]
    if missing:
        raise fail(
            path,
            source,
            f"header is missing column(s) {', '.join(missing)}; expected {', '.join(required)}, found {_shown(', '.join(header))}",
            1,
        )
    return Table(path, header, encoding, delimiter, text)


def _shown(text: str, limit: int = 300) -> str:
    """Text from a file as an error message quotes it: a header can be one line of megabytes."""
    return text if len(text) <= limit else f"{text[:limit]}... ({len(text):,} characters)"


def parse_whole(text: str, what: str) -> int:
    """A whole number typed in a cell (``12``); ValueError in words a planner reads, never Python's."""
    value = text.strip()
    if not value:
        raise ValueError(f"{what} is empty; expected a whole number such as 12")
    if not value.lstrip("-").isdigit():
        raise ValueError(f"'{text}' is not a whole number; expected {what} as digits such as 12")
    return int(value)


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


def read_records(path: Path, source: str, required: tuple[str, ...], optional: tuple[str, ...], typed: dict, max_bytes: int):
    """A small planner-maintained CSV (targets, catalogue rows) as a pandas DataFrame with ``baris``:
    required and optional columns only (others rejected), each cell typed by ``typed[column]`` (a
    function raising ValueError in a planner's words; text otherwise), every bad cell named by row
    and column. All or nothing."""
    import pandas as pd

    table = read_table(path, source, required, max_bytes)
    unknown = [c for c in table.header if c not in required + optional]
    if unknown:
        raise fail(path, source, f"unexpected column(s) {', '.join(unknown)}; expected only {', '.join(required + optional)}", 1)
    problems: list[RowProblem] = []
    records = []
    for line, cell in table.rows(problems):
        rec: dict = {"baris": line}
        for column in required + optional:
            text = cell.get(column, "")
            try:
                rec[column] = typed[column](text) if column in typed and (text or column in required) else (text or None)
            except ValueError as exc:
                problems.append(RowProblem(line, column, str(exc)))
        records.append(rec)
    reject_if(path, problems, source)
    if not records:
        raise fail(path, source, "the file has a header but no data rows")
    return pd.DataFrame.from_records(records, columns=["baris", *required, *optional])
