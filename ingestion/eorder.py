"""e-Order (BPPBJ) order exports: agencies ordering from UMKM.

``inbox/eorder/*.csv`` with the columns ``nomor_pesanan, tanggal_pesanan, perangkat_daerah_pemesan,
umkm_id, nilai_pesanan, status (SELESAI | DIPROSES | DIBATALKAN), diperbarui_pada``. An export
lists every order of its period as it stands then; exports overlap, and an order's status moves
on (DIPROSES -> SELESAI). Staging keeps each order's row with the latest ``diperbarui_pada``.
"""

from __future__ import annotations

from pathlib import Path

from ingestion.csvtable import dedupe_rows, parse_date, parse_timestamp, read_table, reject_if
from ingestion.errors import InputFileError, RowProblem
from ingestion.jakpreneur import now_wib, typed_cells
from ingestion.numbers import parse_rupiah
from ingestion.registry import Entity, ReadContext

SOURCE = "eorder"
ENTITY = "pesanan"
COLUMNS = ("nomor_pesanan", "tanggal_pesanan", "perangkat_daerah_pemesan", "umkm_id", "nilai_pesanan", "status", "diperbarui_pada")
MAX_BYTES = 512 * 1024**2


def parse(path: Path, known_umkm: set[str]):
    """Typed rows (a pandas DataFrame with ``baris``) of one export. The rules of a batch (status,
    positive amounts, one row per order) are the suite ``eorder__pesanan``'s."""
    import pandas as pd

    table = read_table(path, SOURCE, COLUMNS, MAX_BYTES)
    problems: list[RowProblem] = []
    records = []
    today = now_wib()
    for line, cell in table.rows(problems):
        rec: dict = {
            "baris": line,
            "nomor_pesanan": cell["nomor_pesanan"],
            "perangkat_daerah_pemesan": " ".join(cell["perangkat_daerah_pemesan"].upper().split()),
            "umkm_id": cell["umkm_id"],
            "status": cell["status"].upper(),
        }
        readers = (
            ("tanggal_pesanan", parse_date),
            ("nilai_pesanan", lambda t: int(parse_rupiah(t, grouped=False))),
            ("diperbarui_pada", parse_timestamp),
        )
        bad = [RowProblem(line, column, message) for column, message in typed_cells(rec, cell, readers)]
        if bad:
            problems.extend(bad)
            continue
        if not rec["nomor_pesanan"]:
            problems.append(RowProblem(line, "nomor_pesanan", "nomor_pesanan is empty"))
        elif rec["umkm_id"] not in known_umkm:
            problems.append(RowProblem(line, "umkm_id", f"UMKM '{rec['umkm_id']}' is not in any landed Jakpreneur registry export"))
        elif rec["tanggal_pesanan"] > today.date() or rec["diperbarui_pada"] > today:
            problems.append(RowProblem(line, "tanggal_pesanan", "the order date or its last update is in the future"))
        elif not rec["perangkat_daerah_pemesan"]:
            problems.append(RowProblem(line, "perangkat_daerah_pemesan", "the ordering agency is empty"))
        records.append(rec)
    records = dedupe_rows(records, "nomor_pesanan", problems)
    reject_if(path, problems, SOURCE)
    if not records:
        raise InputFileError(path, [RowProblem(None, None, "the file has a header but no data rows")], SOURCE)
    return pd.DataFrame.from_records(records, columns=["baris", *COLUMNS])


def read(path: Path, ctx: ReadContext):
    from ingestion.jakpreneur import SOURCE as JAKPRENEUR

    return parse(path, ctx.landed_values(JAKPRENEUR, "umkm", "umkm_id"))


ENTITIES = (
    Entity(
        source=SOURCE,
        entity=ENTITY,
        label="e-Order",
        doc="BPPBJ e-Order exports: agencies' orders to UMKM; exports overlap, an order's latest update wins",
        suffixes=(".csv",),
        columns=(
            ("nomor_pesanan", "varchar"),
            ("tanggal_pesanan", "date"),
            ("perangkat_daerah_pemesan", "varchar"),
            ("umkm_id", "varchar"),
            ("nilai_pesanan", "decimal(18, 2)"),
            ("status", "varchar"),
            ("diperbarui_pada", "timestamp"),
        ),  # fmt: skip
        read=read,
        suite="eorder__pesanan",
        after=("jakpreneur.umkm",),
        sample="pesanan_*.csv",
    ),
)
