"""Generate the bundled SIPD sample deterministically: one budget export per year (XLSX, the way
SIPD exports them) whose totals by unit, program and jenis belanja reproduce the report's budget
tables to the rupiah.

    .venv/bin/python scripts/generate_sipd_sample.py

Margins come from ``dbt_project/seeds/rekonsiliasi/anggaran_terbitan.csv`` (the report's tables
1.4/2.7/3.7 by unit, 1.7/2.9/3.10 by program, 1.5/2.10/3.8 by jenis belanja). For every stage the
unit x program table is filled in proportion to both margins (rounding remainders placed by the
north-west corner rule, so the margins hold to the rupiah), then each cell is spread over the jenis
belanja the same way. Realisasi must not exceed its pagu APBD-P on any line, so it is placed
by a maximum flow with the APBD-P cells as capacities, first over unit x program, then over jenis.
Each unit x program x jenis cell becomes two akun lines (60/40) under one sub kegiatan.

Known flaw of the report kept out of the sample: table 1.7/3.10 prints program 3.30.04's 2023
APBD-P and realisasi as a copy of 3.30.05's row; its 2023 APBD is '-', so the sample has 0 there
(the reconciliation explains the difference).
"""

from __future__ import annotations

import csv
import re
import zipfile
from collections import deque
from datetime import datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "dbt_project" / "seeds" / "rekonsiliasi" / "anggaran_terbitan.csv"
OUT = ROOT / "sample_inbox" / "sipd"
UNIT_CODE = "3.31.3.30.2.17.01.{:04d}"
SOURCES = {  # tahun -> stage -> (unit table, program table, jenis table)
    2023: {"APBD": ("1.4", "1.7", "1.5"), "APBD_P": ("1.4", "1.7", "1.5"), "REALISASI": ("3.7", "3.10", "3.8")},
    2024: {
        "APBD": ("2.7", "2.9", "2.10"),
        "PERGESERAN": ("2.7", "2.9", "2.10"),
        "APBD_P": ("2.7", "2.9", "2.10"),
        "REALISASI": ("3.7", "3.10", "3.8"),
    },
}
KNOWN_COPY = {(2023, "3.30.04", "APBD_P"), (2023, "3.30.04", "REALISASI")}
AKUN = {  # jenis belanja -> the two akun lines it is spread over
    "5.1.01": ("5.1.01.01.01.0001", "5.1.01.01.02.0001"),
    "5.1.02": ("5.1.02.01.01.0024", "5.1.02.02.01.0029"),
    "5.1.05": ("5.1.05.05.01.0001", "5.1.05.05.01.0002"),
    "5.2.02": ("5.2.02.05.01.0001", "5.2.02.10.01.0002"),
    "5.2.03": ("5.2.03.01.01.0001", "5.2.03.01.01.0003"),
    "5.2.04": ("5.2.04.01.01.0001", "5.2.04.01.01.0002"),
    "5.2.05": ("5.2.05.01.01.0001", "5.2.05.01.01.0002"),
}


def load() -> dict:
    margins: dict = {}
    names: dict = {}
    with SEED.open(newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            if row["kode"] == "TOTAL":
                continue
            value = int(float(row["nilai_terbitan"]))
            margins[(row["tabel"], row["kode"], int(row["tahun"]), row["ukuran"])] = value
            names.setdefault((row["dimensi"], row["kode"]), row["nama"])
    return {"margins": margins, "names": names}


def margin(data, tabel: str, tahun: int, ukuran: str) -> dict[str, int]:
    out = {k: v for (t, k, y, u), v in data["margins"].items() if t == tabel and y == tahun and u == ukuran}
    for y, kode, u in KNOWN_COPY:
        if y == tahun and u == ukuran and kode in out:
            out[kode] = 0
    return out


def north_west(rows: dict[str, int], cols: dict[str, int]) -> dict[tuple[str, str], int]:
    assert sum(rows.values()) == sum(cols.values()), (sum(rows.values()), sum(cols.values()))
    cells: dict[tuple[str, str], int] = {}
    r_left, c_left = dict(rows), dict(cols)
    r_keys, c_keys = [k for k in rows if rows[k] > 0], [k for k in cols if cols[k] > 0]
    i = j = 0
    while i < len(r_keys) and j < len(c_keys):
        amount = min(r_left[r_keys[i]], c_left[c_keys[j]])
        if amount:
            cells[(r_keys[i], c_keys[j])] = amount
        r_left[r_keys[i]] -= amount
        c_left[c_keys[j]] -= amount
        if r_left[r_keys[i]] == 0:
            i += 1
        if c_left[c_keys[j]] == 0:
            j += 1
    return cells


def proportional(rows: dict[str, int], cols: dict[str, int]) -> dict[tuple[str, str], int]:
    """Every row spread over every column in proportion (row x col / total), rounded down, with
    the rounding remainders placed by the north-west corner rule so both margins hold exactly."""
    total = sum(rows.values())
    assert total == sum(cols.values()), (total, sum(cols.values()))
    cells = {(r, c): rows[r] * cols[c] // total for r in rows for c in cols if rows[r] and cols[c]}
    r_rest = {r: rows[r] - sum(v for (rr, _), v in cells.items() if rr == r) for r in rows}
    c_rest = {c: cols[c] - sum(v for (_, cc), v in cells.items() if cc == c) for c in cols}
    for key, amount in north_west(r_rest, c_rest).items():
        cells[key] = cells.get(key, 0) + amount
    return {k: v for k, v in cells.items() if v}


def max_flow_fill(rows: dict, cols: dict, capacity: dict[tuple, int]) -> dict[tuple, int]:
    """Integer amounts on (row, col) pairs with the given row and column sums, each at most its
    capacity (Edmonds-Karp). Raises if the margins cannot be met under the capacities."""
    flow: dict[tuple, int] = {}
    residual: dict = {}

    def add(u, v, cap):
        residual.setdefault(u, {}).setdefault(v, 0)
        residual.setdefault(v, {}).setdefault(u, 0)
        residual[u][v] += cap

    for r, amount in rows.items():
        add("S", ("r", r), amount)
    for c, amount in cols.items():
        add(("c", c), "T", amount)
    for (r, c), cap in capacity.items():
        add(("r", r), ("c", c), cap)
    total = 0
    while True:
        parent = {"S": None}
        queue = deque(["S"])
        while queue and "T" not in parent:
            u = queue.popleft()
            for v, cap in residual[u].items():
                if cap > 0 and v not in parent:
                    parent[v] = u
                    queue.append(v)
        if "T" not in parent:
            break
        path, v = [], "T"
        while parent[v] is not None:
            path.append((parent[v], v))
            v = parent[v]
        push = min(residual[u][v] for u, v in path)
        for u, v in path:
            residual[u][v] -= push
            residual[v][u] += push
        total += push
    assert total == sum(rows.values()) == sum(cols.values()), (
        f"margins cannot be met under the pagu capacities ({total} of {sum(rows.values())})"
    )
    for (r, c), cap in capacity.items():
        used = cap - residual[("r", r)][("c", c)]
        if used:
            flow[(r, c)] = used
    return flow


def year_cells(data, tahun: int) -> dict[tuple[str, str, str], dict[str, int]]:
    """(unit, program, jenis) -> {stage: amount} for one year."""
    stages = SOURCES[tahun]
    out: dict = {}
    pagu_3d: dict = {}
    for stage, (t_unit, t_program, t_jenis) in stages.items():
        units, programs, jenis = (margin(data, t, tahun, stage) for t in (t_unit, t_program, t_jenis))
        if stage != "REALISASI":
            two = proportional(units, programs)
            three = proportional({f"{u}|{p}": v for (u, p), v in two.items()}, jenis)
        else:
            p2 = {}
            for (u, p, _j), v in pagu_3d.items():
                p2[(u, p)] = p2.get((u, p), 0) + v
            two = max_flow_fill(units, programs, p2)
            three = max_flow_fill(
                {f"{u}|{p}": v for (u, p), v in two.items()}, jenis, {(f"{u}|{p}", j): v for (u, p, j), v in pagu_3d.items()}
            )
        for (cell, j), v in three.items():
            u, p = cell.split("|")
            out.setdefault((u, p, j), {})[stage] = v
            if stage == "APBD_P":
                pagu_3d[(u, p, j)] = v
    return out


def split(amount: int) -> tuple[int, int]:
    first = amount * 6 // 10
    return first, amount - first


def write_export(data, tahun: int, cells: dict) -> Path:
    stages = list(SOURCES[tahun])
    labels = {"APBD": "APBD", "PERGESERAN": "Pergeseran II", "APBD_P": "APBD-P", "REALISASI": "Realisasi"}
    book = Workbook()
    ws = book.active
    ws.title = "Rekap Rekening"
    ws.append(["PEMERINTAH PROVINSI DAERAH KHUSUS JAKARTA"])
    ws.append([f"LAPORAN REALISASI ANGGARAN PER REKENING TAHUN ANGGARAN {tahun}"])
    ws.append(["Dinas Perindustrian, Perdagangan, Koperasi, Usaha Kecil dan Menengah beserta UKPD"])
    for row in (1, 2, 3):
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=8 + len(stages))
        ws.cell(row=row, column=1).font = Font(bold=True)
    ws.append([])
    ws.append(
        ["Kode Unit", "Nama Unit", "Kode Program", "Kode Kegiatan", "Kode Sub Kegiatan", "Kode Akun", "Uraian"]
        + [labels[s] for s in stages]
        + ["%"]
    )
    totals = dict.fromkeys(stages, 0)
    units = sorted({u for u, _, _ in cells}, key=int)
    for u in units:
        code = UNIT_CODE.format(int(u))
        name = data["names"][("UNIT", u)]
        for p in sorted({p for uu, p, _ in cells if uu == u}):
            kegiatan, sub = f"{p}.2.01", f"{p}.2.01.{int(u):04d}"
            program_sum = {s: sum(cells[(u, p, j)].get(s, 0) for uu, pp, j in cells if uu == u and pp == p) for s in stages}
            ws.append(
                [code, name, p, "", "", "", data["names"].get(("PROGRAM", p), p).upper()]
                + [f"{program_sum[s]:,}".replace(",", ".") for s in stages]
                + [""]
            )
            for uu, pp, j in sorted(k for k in cells if k[0] == u and k[1] == p):
                values = cells[(uu, pp, j)]
                parts = {s: split(values.get(s, 0)) for s in stages}
                for line, akun in enumerate(AKUN[j]):
                    amounts = [parts[s][line] for s in stages]
                    if not any(amounts):
                        continue
                    text = [f"{a:,}".replace(",", ".") if a else "-" for a in amounts]
                    apbdp, real = parts.get("APBD_P", (0, 0))[line], parts.get("REALISASI", (0, 0))[line]
                    pct = f"{real / apbdp * 100:.2f}%".replace(".", ",") if apbdp else ""
                    ws.append([code, name, p, kegiatan, sub, akun, f"Belanja {data['names'].get(('JENIS_BELANJA', j), j)}"] + text + [pct])
                    for s, a in zip(stages, amounts, strict=True):
                        totals[s] += a
    ws.append(["", "", "", "", "", "", "TOTAL"] + [f"{totals[s]:,}".replace(",", ".") for s in stages] + [""])
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"sipd_anggaran_{tahun}.xlsx"
    book.properties.creator = "Kinerja sample generator"
    book.properties.created = book.properties.modified = datetime(2025, 1, 31)
    book.save(path)
    _fix_zip_times(path)
    return path


def _fix_zip_times(path: Path) -> None:
    """Same bytes on every run: fixed timestamps on the archive entries and in docProps."""
    with zipfile.ZipFile(path) as src:
        entries = [(info.filename, src.read(info.filename)) for info in src.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for name, payload in entries:
            if name == "docProps/core.xml":
                payload = re.sub(rb"<dcterms:modified([^>]*)>[^<]*<", rb"<dcterms:modified\1>2025-01-31T00:00:00Z<", payload)
            dst.writestr(zipfile.ZipInfo(name, date_time=(2025, 1, 31, 0, 0, 0)), payload, compress_type=zipfile.ZIP_DEFLATED)


def main() -> None:
    data = load()
    for tahun in SOURCES:
        cells = year_cells(data, tahun)
        path = write_export(data, tahun, cells)
        print(f"wrote {path.relative_to(ROOT)} ({len(cells)} unit x program x jenis cells)")


if __name__ == "__main__":
    main()
