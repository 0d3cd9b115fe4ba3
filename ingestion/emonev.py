"""E-Monev realisasi: the planner-maintained CSV of indicator realisations.

Expected layout (documented in the README): a header row with the columns
``tahun, periode, indikator_kode, realisasi`` and optionally ``keterangan``; comma or
semicolon separated; UTF-8 (with or without BOM) or Windows-1252. One row per
indicator x tahun x periode. ``periode`` is ``TW1``..``TW4`` or ``TAHUNAN``.

This module checks the file's structure and types and returns typed rows. Domain rules
(known indicator codes, valid periods, unique keys) are the Great Expectations suite
``expectations/suites/emonev__realisasi.json``, run by :mod:`kinerja.quality`.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ingestion.csvtable import delimiter_of, read_text
from ingestion.errors import InputFileError, RowProblem
from ingestion.katalog import indicator_codes
from ingestion.numbers import parse_angka
from ingestion.registry import Entity, ReadContext

if TYPE_CHECKING:
    import pandas as pd

SOURCE = "emonev"
ENTITY = "realisasi"
REQUIRED_COLUMNS = ("tahun", "periode", "indikator_kode", "realisasi")
OPTIONAL_COLUMNS = ("keterangan",)
MAX_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class ParsedFile:
    path: Path
    rows: pd.DataFrame
    encoding: str
    delimiter: str


def parse(path: Path) -> ParsedFile:
    """Read one E-Monev CSV file; raise :class:`InputFileError` listing every bad row."""
    import pandas as pd

    text, encoding = read_text(path, SOURCE, MAX_BYTES, "an E-Monev export")
    delimiter = delimiter_of(text.split("\n", 1)[0])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        raise InputFileError(path, [RowProblem(None, None, "the file has no header row")], SOURCE) from None
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise InputFileError(
            path,
            [
                RowProblem(
                    1,
                    None,
                    f"header is missing column(s) {', '.join(missing)}; expected {', '.join(REQUIRED_COLUMNS)} (and optionally keterangan), found {', '.join(header) or 'nothing'}",
                )
            ],
            SOURCE,
        )
    unknown = [c for c in header if c not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS]
    if unknown:
        raise InputFileError(
            path,
            [
                RowProblem(
                    1, None, f"unexpected column(s) {', '.join(unknown)}; expected only {', '.join(REQUIRED_COLUMNS + OPTIONAL_COLUMNS)}"
                )
            ],
            SOURCE,
        )
    idx = {c: header.index(c) for c in header}

    problems: list[RowProblem] = []
    records: list[dict] = []
    for line_no, raw in enumerate(reader, start=2):
        if not any(cell.strip() for cell in raw):
            continue
        if len(raw) != len(header):
            problems.append(
                RowProblem(
                    line_no,
                    None,
                    f"has {len(raw)} fields; expected {len(header)} like the header (check the delimiter '{delimiter}' and quotes)",
                )
            )
            continue
        cell = {c: raw[i].strip() for c, i in idx.items()}
        rec: dict = {
            "baris": line_no,
            "periode": cell["periode"].upper(),
            "indikator_kode": cell["indikator_kode"].upper(),
            "keterangan": cell.get("keterangan") or None,
        }
        try:
            rec["tahun"] = int(cell["tahun"])
        except ValueError:
            problems.append(RowProblem(line_no, "tahun", f"'{cell['tahun']}' is not a year; expected four digits such as 2024"))
            continue
        try:
            rec["realisasi"] = str(parse_angka(cell["realisasi"]))
        except ValueError as exc:
            problems.append(RowProblem(line_no, "realisasi", str(exc)))
            continue
        records.append(rec)
    if problems:
        raise InputFileError(path, problems, SOURCE)
    if not records:
        raise InputFileError(path, [RowProblem(None, None, "the file has a header but no data rows")], SOURCE)
    frame = pd.DataFrame.from_records(records, columns=["baris", "tahun", "periode", "indikator_kode", "realisasi", "keterangan"])
    frame = frame.astype(
        {"baris": "int64", "tahun": "int64", "periode": "string", "indikator_kode": "string", "realisasi": "string", "keterangan": "string"}
    )
    return ParsedFile(path=path, rows=frame, encoding=encoding, delimiter=delimiter)


def read(path: Path, ctx: ReadContext) -> pd.DataFrame:
    return parse(path).rows


ENTITIES = (
    Entity(
        source=SOURCE,
        entity=ENTITY,
        label="E-Monev",
        doc="realisasi of indicators without an automatic source, maintained by planners",
        suffixes=(".csv",),
        columns=(
            ("tahun", "integer"),
            ("periode", "varchar"),
            ("indikator_kode", "varchar"),
            ("realisasi", "decimal(38, 6)"),
            ("keterangan", "varchar"),
        ),
        read=read,
        suite="emonev__realisasi",
        suite_parameters=lambda ctx: {"kode_katalog": indicator_codes(ctx)},
        after=("katalog.indikator",),  # a new indicator lands before its realisasi
        sample="realisasi_*.csv",
    ),
)
