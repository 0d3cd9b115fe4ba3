"""e-Order (BPPBJ) order exports: agencies ordering from UMKM.

``inbox/eorder/*.csv`` with the columns ``nomor_pesanan, tanggal_pesanan, perangkat_daerah_pemesan,
umkm_id, nilai_pesanan, status (SELESAI | DIPROSES | DIBATALKAN), diperbarui_pada``. An export
lists every order of its period as it stands then; exports overlap, and an order's status moves
on (DIPROSES -> SELESAI). Staging keeps each order's row with the latest ``diperbarui_pada``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ingestion.csvtable import dedupe_rows, parse_date, parse_rupiah, parse_timestamp, read_table, reject_if
from ingestion.jakpreneur import now_wib
from kinerja.errors import InputFileError, RowProblem

SOURCE = "eorder"
ENTITY = "pesanan"
STATUS = ("SELESAI", "DIPROSES", "DIBATALKAN")
COLUMNS = ("nomor_pesanan", "tanggal_pesanan", "perangkat_daerah_pemesan", "umkm_id", "nilai_pesanan", "status", "diperbarui_pada")
MAX_BYTES = 512 * 1024**2


def parse(path: Path, known_umkm: set[str]) -> pd.DataFrame:
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
        try:
            rec["tanggal_pesanan"] = parse_date(cell["tanggal_pesanan"])
            rec["nilai_pesanan"] = parse_rupiah(cell["nilai_pesanan"])
            rec["diperbarui_pada"] = parse_timestamp(cell["diperbarui_pada"])
        except ValueError as exc:
            problems.append(RowProblem(line, None, str(exc)))
            continue
        if not rec["nomor_pesanan"]:
            problems.append(RowProblem(line, "nomor_pesanan", "nomor_pesanan is empty"))
        elif rec["umkm_id"] not in known_umkm:
            problems.append(RowProblem(line, "umkm_id", f"UMKM '{rec['umkm_id']}' is not in any landed Jakpreneur registry export"))
        elif rec["status"] not in STATUS:
            problems.append(RowProblem(line, "status", f"status '{cell['status']}' is not one of {', '.join(STATUS)}"))
        elif rec["nilai_pesanan"] <= 0:
            problems.append(RowProblem(line, "nilai_pesanan", f"nilai_pesanan {rec['nilai_pesanan']} must be positive"))
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
