"""Benchmark: the Great Expectations suite of Jakpreneur transactions on a 100 M-row table, pushed
down to DuckDB, against the same checks as plain SQL.

    .venv/bin/python benchmarks/validation_scale.py [--transactions 100000000] [--umkm 500000] [--repeat 3]

The generator (scripts/generate_jakpreneur_sample.py, scale mode) writes the registry and one
transaction file per month; the files are read once into a DuckDB file the way the ingest step
stages them (table ``staged``: ids trimmed, ``waktu_ts`` and ``nominal_dec`` typed) with the
registry's ``known_umkm`` (not measured). Then, alternating, each ``--repeat`` times:

- **plain SQL** (the floor): the checks of the suite as SQL in DuckDB
  (:func:`sql_checks` below: the suite's checks written by hand, one scan counting every kind of bad row);
- **Great Expectations**: the suite ``expectations/suites/jakpreneur__transaksi.json`` run through
  :func:`kinerja.quality.validate_sql` on the same table (what the ingest step runs on every file);
  every expectation is SQL executed by DuckDB, no row reaches Python.

Both must find the same number of bad rows (the generator writes none). The median of each is
reported with the ratio; the goal is at most 1.5x.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from datetime import datetime
from pathlib import Path

import duckdb

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.jakpreneur_scale import generate  # noqa: E402
from ingestion.jakpreneur import MAX_REPORTED  # noqa: E402
from kinerja import gx_duckdb, quality  # noqa: E402

NOW = datetime(2026, 1, 1)


def prepare(workdir: Path, transactions: int, umkm: int) -> Path:
    data = generate(workdir, transactions, umkm)
    table = workdir / f"staged-{transactions}.duckdb"
    if not table.exists():
        started = time.perf_counter()
        scratch = table.with_suffix(".part")
        scratch.unlink(missing_ok=True)
        con = duckdb.connect(str(scratch))
        con.execute("set preserve_insertion_order = false")
        con.execute(
            f"""
            create table staged as
            select
                nullif(trim(transaksi_id), '') as transaksi_id, nullif(trim(umkm_id), '') as umkm_id, waktu as waktu_ts,
                upper(trim(kanal)) as kanal, upper(trim(jenis)) as jenis,
                case when strpos(nominal, '.') = 0 or length(nominal) - strpos(nominal, '.') <= 2
                    then try_cast(nominal as decimal(18, 2)) end as nominal_dec,
                nullif(trim(transaksi_asal_id), '') as transaksi_asal_id
            from read_csv('{data}/transaksi_*.csv', header = true, timestampformat = '%Y-%m-%d %H:%M:%S',
                columns = {{'transaksi_id': 'VARCHAR', 'umkm_id': 'VARCHAR', 'waktu': 'TIMESTAMP', 'kanal': 'VARCHAR',
                           'jenis': 'VARCHAR', 'nominal': 'VARCHAR', 'transaksi_asal_id': 'VARCHAR'}})
            """
        )
        con.execute(f"create table known_umkm as select distinct umkm_id from read_csv('{data}/umkm_*.csv', header = true)")
        con.close()
        os.replace(scratch, table)
        print(f"staged into {table.name} in {time.perf_counter() - started:.0f} s", flush=True)
    return table


# Each check: (column, SQL condition that makes a row bad, reason). Evaluated on the rows as read
# (all text, trimmed) joined with their typed values.
_TRANSACTION_CHECKS = (
    ("transaksi_id", "transaksi_id is null", "transaksi_id is empty"),
    ("umkm_id", "umkm_id is null", "umkm_id is empty"),
    ("waktu", "waktu_ts is null", "waktu is empty; expected a time written YYYY-MM-DD HH:MM:SS (WIB)"),
    ("waktu", "waktu_ts > $now", "waktu is in the future"),
    ("waktu", "waktu_ts < timestamp '2015-01-01'", "waktu is before 2015, before Jakpreneur existed"),
    ("nominal", "nominal_dec is null", "nominal is not an amount in rupiah written as plain digits (1250000 or 1250000.50)"),
    ("kanal", "kanal not in ('QRIS', 'EORDER')", "kanal must be QRIS or EORDER"),
    ("jenis", "jenis not in ('PENJUALAN', 'REFUND', 'REVERSAL')", "jenis must be PENJUALAN, REFUND or REVERSAL"),
    ("nominal", "jenis = 'PENJUALAN' and nominal_dec <= 0", "a sale (PENJUALAN) must have a positive nominal; only a REFUND or REVERSAL is negative"),
    ("nominal", "jenis in ('REFUND', 'REVERSAL') and nominal_dec >= 0", "a REFUND or REVERSAL is money given back: nominal must be negative"),
    ("transaksi_asal_id", "jenis in ('REFUND', 'REVERSAL') and transaksi_asal_id is null", "a REFUND or REVERSAL must name the sale it gives back in transaksi_asal_id"),
    ("umkm_id", "umkm_id is not null and umkm_id not in (select umkm_id from known_umkm)", "UMKM is not in any landed Jakpreneur registry export (send the registry first)"),
)  # fmt: skip


def sql_checks(con, now: datetime) -> list[tuple[str, str, list[str]]]:
    """The floor: the checks of the suite ``jakpreneur__transaksi`` written by hand as plain SQL on
    ``staged``: one scan counts every kind of bad row, the ids of bad rows are fetched only when
    there are some. (The pipeline runs only the suite; this copy exists to measure it against.)"""
    counters = ", ".join(f"count(*) filter (where {condition})" for _, condition, _ in _TRANSACTION_CHECKS)
    bad_counts = con.execute(f"select {counters} from staged", {"now": now}).fetchone()
    bad_by_check: list[tuple[str, str, list[str]]] = []
    for (column, condition, reason), count in zip(_TRANSACTION_CHECKS, bad_counts, strict=True):
        if count:
            sql = f"select coalesce(transaksi_id, '(kosong)') from staged where {condition} limit {MAX_REPORTED}"
            bad_by_check.append((column, reason, [r[0] for r in con.execute(sql, {"now": now} if "$now" in condition else {}).fetchall()]))
    return bad_by_check


def plain_sql(table: Path) -> tuple[float, int]:
    started = time.perf_counter()
    con = duckdb.connect(str(table), read_only=True)
    try:
        found = sql_checks(con, NOW)
        rows = con.execute("select count(*) from staged").fetchone()[0]
    finally:
        con.close()
    assert rows > 0
    return time.perf_counter() - started, sum(len(ids) for _, _, ids in found)


def great_expectations(table: Path) -> tuple[float, int]:
    context = quality.context()
    started = time.perf_counter()
    datasource = gx_duckdb.add_datasource(context, f"bench-{time.monotonic_ns()}", str(table), read_only=True)
    try:
        outcome = quality.validate_sql(
            datasource, "jakpreneur__transaksi", "select * from staged", {"sekarang": NOW}, key_column="transaksi_id", label="benchmark"
        )
    finally:
        gx_duckdb.release(datasource)
    return time.perf_counter() - started, len(outcome.problems)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--transactions", type=int, default=100_000_000)
    parser.add_argument("--umkm", type=int, default=500_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/kinerja-validation-bench"))
    args = parser.parse_args()
    args.workdir.mkdir(parents=True, exist_ok=True)
    table = prepare(args.workdir, args.transactions, args.umkm)
    quality.context()  # import GX and make its context before timing (about 10 s, once per process)
    gx_duckdb.patch()
    plain, gx = [], []
    for _ in range(args.repeat):
        seconds, bad_plain = plain_sql(table)
        plain.append(seconds)
        seconds, bad_gx = great_expectations(table)
        gx.append(seconds)
        print(f"  plain SQL {plain[-1]:.1f} s ({bad_plain} bad), Great Expectations {gx[-1]:.1f} s ({bad_gx} problems)", flush=True)
        assert bad_plain == bad_gx == 0, (bad_plain, bad_gx)
    floor, measured = statistics.median(plain), statistics.median(gx)
    print(f"\nmachine: {os.cpu_count()} cores, {platform.python_version()}, duckdb {duckdb.__version__}")
    print(f"table: {args.transactions:,} transactions ({table.stat().st_size / 1e9:.1f} GB DuckDB file)\n")
    print(f"| check | median seconds (of {args.repeat}) | vs plain SQL |")
    print("|---|---:|---:|")
    print(f"| plain SQL in DuckDB (floor) | {floor:.1f} | 1.00x |")
    print(f"| Great Expectations suite, pushed down to DuckDB | {measured:.1f} | {measured / floor:.2f}x |")
    print(f"\ngoal: at most 1.5x -> {'MET' if measured / floor <= 1.5 else 'MISSED'}")


if __name__ == "__main__":
    main()
