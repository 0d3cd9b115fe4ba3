"""Benchmark: reading a 200,000-row SIPD export (XLSX), against the floor of reading the same
sheet's cells with python-calamine alone (no header detection, parsing or validation).

    .venv/bin/python benchmarks/sipd_read.py [--rows 200000]
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from python_calamine import CalamineWorkbook  # noqa: E402

from ingestion import sipd  # noqa: E402
from tests.unit.test_sipd_reader import write_large_export  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "sipd_2024.xlsx"
        started = time.perf_counter()
        write_large_export(path, args.rows)
        written = time.perf_counter() - started
        started = time.perf_counter()
        book = CalamineWorkbook.from_path(str(path))
        cells = sum(len(book.get_sheet_by_name(n).to_python()) for n in book.sheet_names)
        floor = time.perf_counter() - started
        started = time.perf_counter()
        rows = sipd.parse(path, {"2.17.07"})
        elapsed = time.perf_counter() - started
        size = path.stat().st_size
    print(
        f"\nSIPD read benchmark — {platform.node()}, {os.cpu_count()} cores, Python {platform.python_version()}, {time.strftime('%Y-%m-%d')}"
    )
    print(f"{'step':<48} {'seconds':>8}  note")
    print("-" * 100)
    print(f"{'write the test export (openpyxl, not measured)':<48} {written:>8.1f}  {size / 1e6:.1f} MB, {cells} sheet rows")
    print(f"{'floor: calamine reads every cell':<48} {floor:>8.1f}")
    print(
        f"{'ingestion.sipd.parse (detail rows, validated)':<48} {elapsed:>8.1f}  {len(rows)} detail rows, {elapsed / floor:.1f}x the floor"
    )


if __name__ == "__main__":
    main()
