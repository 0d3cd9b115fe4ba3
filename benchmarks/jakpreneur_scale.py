"""Benchmark: Jakpreneur ingest-and-build at scale, against a DuckDB floor and pandas.

    .venv/bin/python benchmarks/jakpreneur_scale.py --transactions 10000000 100000000 [--umkm 500000]

For each size, the generator (scripts/generate_jakpreneur_sample.py) writes a registry and one
transaction file per month for 2023-2024 (not measured). Then, each in its own process, with wall
time and the peak resident memory of its whole process tree (sampled every 0.1 s):

- **warehouse**: what `kinerja run` does for this source: every file checked in DuckDB and landed
  as Parquet (the registry through its Great Expectations suite), raw views, then the dbt models of
  marts.omzet_umkm_triwulan and marts.umkm_naik_kelas with their upstream models and tests;
- **floor**: one DuckDB query computing the same quarterly omzet of binaan and yearly naik kelas
  straight from the generated CSV files;
- **pandas**: a straightforward pandas implementation of the same aggregates, file by file;
- **dbt only**: the same models rebuilt from the landed data above with `--full-refresh` (no ingest):
  what the +1 day line is compared with;
- **+1 day**: one more day of transactions landed and built incrementally on the warehouse above.

The warehouse, floor, pandas and dbt-only paths must give the same figures; the script stops if they do not.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SELECT = "+omzet_umkm_triwulan +umkm_naik_kelas"
PEMBINA = "DPPKUKM"


def _result_rows(rows) -> list[list]:
    return [[int(t), str(p), int(o), None if n is None else int(n), int(b)] for t, p, o, n, b in rows]


def step_floor(data: Path) -> list[list]:
    import duckdb

    con = duckdb.connect()
    rows = con.execute(
        f"""
        with binaan as (
            select umkm_id from read_csv('{data}/umkm_*.csv', all_varchar = true)
            where status_binaan = 'BINAAN' and perangkat_daerah_pembina = '{PEMBINA}'
        ),
        per_triwulan as (
            select t.umkm_id, year(t.waktu) as tahun, quarter(t.waktu) as tw, sum(t.nominal) as omzet
            from read_csv('{data}/transaksi_*.csv', columns = {{'transaksi_id': 'VARCHAR', 'umkm_id': 'VARCHAR',
                'waktu': 'TIMESTAMP', 'kanal': 'VARCHAR', 'jenis': 'VARCHAR', 'nominal': 'DECIMAL(18,2)',
                'transaksi_asal_id': 'VARCHAR'}}, header = true) as t
            semi join binaan using (umkm_id)
            group by all
        ),
        per_tahun as (select umkm_id, tahun, sum(omzet) as omzet from per_triwulan group by all),
        naik as (
            select ini.tahun,
                case when min(ini.tahun) over () < ini.tahun
                    then count(*) filter (where lalu.omzet is not null and ini.omzet > lalu.omzet) end as naik,
                count(*) as bertransaksi
            from per_tahun as ini left join per_tahun as lalu on lalu.umkm_id = ini.umkm_id and lalu.tahun = ini.tahun - 1
            group by ini.tahun
        )
        select q.tahun, 'TW' || q.tw, sum(q.omzet), any_value(naik.naik), any_value(naik.bertransaksi)
        from per_triwulan as q join naik using (tahun)
        group by all order by all
        """
    ).fetchall()
    return _result_rows(rows)


def step_pandas(data: Path) -> list[list]:
    import pandas as pd

    registry = pd.read_csv(next(data.glob("umkm_*.csv")), dtype=str, keep_default_na=False)
    binaan = set(registry.loc[(registry.status_binaan == "BINAAN") & (registry.perangkat_daerah_pembina == PEMBINA), "umkm_id"])
    parts = []
    for path in sorted(data.glob("transaksi_*.csv")):
        frame = pd.read_csv(
            path, usecols=["umkm_id", "waktu", "nominal"], dtype={"umkm_id": str, "nominal": "int64"}, parse_dates=["waktu"]
        )
        frame = frame[frame.umkm_id.isin(binaan)]
        frame = frame.assign(tahun=frame.waktu.dt.year, tw=frame.waktu.dt.quarter)
        parts.append(frame.groupby(["umkm_id", "tahun", "tw"], as_index=False)["nominal"].sum())
    per_tw = pd.concat(parts).groupby(["umkm_id", "tahun", "tw"], as_index=False)["nominal"].sum()
    per_year = per_tw.groupby(["umkm_id", "tahun"], as_index=False)["nominal"].sum()
    previous = per_year.assign(tahun=per_year.tahun + 1)
    joined = per_year.merge(previous, on=["umkm_id", "tahun"], how="left", suffixes=("", "_lalu"))
    first = per_year.tahun.min()
    naik = {t: (None if t == first else int((g.nominal > g.nominal_lalu).sum()), len(g)) for t, g in joined.groupby("tahun")}
    quarters = per_tw.groupby(["tahun", "tw"], as_index=False)["nominal"].sum()
    return [[int(r.tahun), f"TW{r.tw}", int(r.nominal), naik[r.tahun][0], naik[r.tahun][1]] for r in quarters.itertuples()]


def _mart_figures(path: Path) -> list[list]:
    """What every path is compared on, read from a built warehouse file."""
    import duckdb

    con = duckdb.connect(str(path), read_only=True)
    rows = con.execute(
        "select o.tahun, o.periode, o.realisasi_omzet, n.jumlah_umkm_naik_kelas, n.jumlah_umkm_bertransaksi "
        "from marts.omzet_umkm_triwulan as o join marts.umkm_naik_kelas as n using (tahun) where o.realisasi_omzet <> 0 order by all"
    ).fetchall()
    con.close()
    return rows


def step_warehouse(home: Path, inbox: Path) -> list[list]:

    from kinerja import dbt, warehouse
    from kinerja.config import Settings
    from kinerja.ingest import ingest

    settings = Settings.from_env(home=home, inbox=inbox)
    messages: list[str] = []
    with dbt.warmed():  # as `kinerja run` does: dbt imports itself and parses the project during the ingest
        warehouse.prepare_dbt(settings)
        report = ingest(settings, progress=lambda m: None, sources=["jakpreneur"])
        if report.rejected:
            raise SystemExit("\n".join(str(e) for e in report.rejected))
        path = warehouse.build(settings, warehouse.new_run_id(), messages.append, select=SELECT)
    carried = [m for m in messages if "carried" in m]
    settings.warehouse_dir.mkdir(parents=True, exist_ok=True)
    os.replace(path, settings.serving_db)
    rows = _mart_figures(settings.serving_db)
    print(json.dumps({"carried": carried}), file=sys.stderr)
    return _result_rows(rows)


def step_rebuild(home: Path, inbox: Path) -> list[list]:
    """The dbt models alone, rebuilt in full from what is landed (the serving file is left alone)."""

    from kinerja import warehouse
    from kinerja.config import Settings

    settings = Settings.from_env(home=home, inbox=inbox)
    path = warehouse.build(settings, warehouse.new_run_id(), full_refresh=True, select=SELECT)
    rows = _mart_figures(path)
    path.unlink()
    return _result_rows(rows)


def measure(args: list[str]) -> tuple[float, float, list]:
    """Run one step in a child process: (seconds, peak MB of its process tree, its result)."""
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, __file__, *args], stdout=subprocess.PIPE, text=True)
    parent = psutil.Process(proc.pid)
    peak = 0
    while proc.poll() is None:
        try:
            tree = [parent, *parent.children(recursive=True)]
            peak = max(peak, sum(p.memory_info().rss for p in tree if p.is_running()))
        except psutil.Error:
            pass
        time.sleep(0.1)
    out = proc.stdout.read()
    if proc.returncode:
        raise SystemExit(f"step {args} failed ({proc.returncode})")
    return time.perf_counter() - started, peak / 1e6, json.loads(out.strip().splitlines()[-1])


def one_more_day(data: Path, inbox: Path, transactions: int, umkm: int) -> int:
    """A day of transactions after the generated period (2025-01-01), as a new daily file."""
    import duckdb

    per_day = transactions // 731
    out = inbox / "jakpreneur" / "transaksi_2025-01-01.csv"
    duckdb.connect().execute(
        f"""
        copy (
            select printf('TX%012d', {transactions} + i) as transaksi_id, printf('JP%09d', hash({transactions} + i) % {umkm}) as umkm_id,
                timestamp '2025-01-01' + to_seconds(cast(i * 86400 // {per_day} as bigint)) as waktu,
                'QRIS' as kanal, 'PENJUALAN' as jenis, 1000 + cast(hash(i) % 500000 as bigint) as nominal, '' as transaksi_asal_id
            from range({per_day}) as t(i)
        ) to '{out}' (header, timestampformat '%Y-%m-%d %H:%M:%S')
        """
    )
    return per_day


def generate(workdir: Path, transactions: int, umkm: int) -> Path:
    """The generator's registry and monthly transaction files for this size (kept across runs);
    returns their folder."""
    data_root = workdir / f"data-{transactions}"
    data = data_root / "jakpreneur"
    if not (data / "transaksi_2024-12.csv").exists():
        shutil.rmtree(data_root, ignore_errors=True)
        started = time.perf_counter()
        subprocess.run(
            [sys.executable, str(ROOT / "scripts" / "generate_jakpreneur_sample.py"), "--out", str(data_root),
             "--umkm", str(umkm), "--transactions", str(transactions)],
            check=True,
        )  # fmt: skip
        print(f"  generated in {time.perf_counter() - started:.0f} s", flush=True)
    return data


def run_size(transactions: int, umkm: int, workdir: Path) -> list[tuple]:
    data = generate(workdir, transactions, umkm)
    size_gb = sum(p.stat().st_size for p in data.glob("*.csv")) / 1e9
    home = workdir / f"home-{transactions}"
    shutil.rmtree(home, ignore_errors=True)
    inbox = workdir / f"inbox-{transactions}"
    shutil.rmtree(inbox, ignore_errors=True)
    (inbox / "jakpreneur").mkdir(parents=True)
    for path in data.glob("*.csv"):
        os.link(path, inbox / "jakpreneur" / path.name)

    results = {}
    rows = []
    for name, args in (
        ("warehouse", ["--step", "warehouse", str(home), str(inbox)]),
        ("floor", ["--step", "floor", str(data)]),
        ("pandas", ["--step", "pandas", str(data)]),
        ("dbt only", ["--step", "rebuild", str(home), str(inbox)]),
    ):
        print(f"  {name} ...", flush=True)
        seconds, peak, result = measure(args)
        results[name] = result
        rows.append((transactions, name, seconds, peak))
        print(f"    {seconds:.1f} s, peak {peak:.0f} MB", flush=True)
    if not (results["warehouse"] == results["floor"] == results["pandas"] == results["dbt only"]):
        raise SystemExit(f"the paths disagree:\n{json.dumps(results, indent=1)}")
    added = one_more_day(data, inbox, transactions, umkm)
    print("  +1 day ...", flush=True)
    seconds, peak, _ = measure(["--step", "warehouse", str(home), str(inbox)])
    rows.append((transactions, f"+1 day ({added:,} transactions)", seconds, peak))
    print(f"    {seconds:.1f} s, peak {peak:.0f} MB", flush=True)
    print(f"  input {size_gb:.1f} GB of CSV", flush=True)
    shutil.rmtree(home, ignore_errors=True)
    shutil.rmtree(inbox, ignore_errors=True)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--transactions", type=int, nargs="+", default=[10_000_000, 100_000_000])
    parser.add_argument("--umkm", type=int, default=500_000)
    parser.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "kinerja-bench")
    parser.add_argument("--keep-data", action="store_true", help="keep the generated files for another run")
    parser.add_argument("--step", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.step:
        name, *paths = args.step
        result = (
            {"floor": step_floor, "pandas": step_pandas}[name](Path(paths[0]))
            if name in ("floor", "pandas")
            else {"warehouse": step_warehouse, "rebuild": step_rebuild}[name](*map(Path, paths))
        )
        print(json.dumps(result))
        return
    rows = []
    for n in args.transactions:
        print(f"{n:,} transactions, {args.umkm:,} UMKM", flush=True)
        rows += run_size(n, args.umkm, args.workdir)
        if not args.keep_data:
            shutil.rmtree(args.workdir / f"data-{n}", ignore_errors=True)
    mem = psutil.virtual_memory().total / 2**30
    print(
        f"\nJakpreneur scale benchmark — {platform.node()}, {os.cpu_count()} cores, {mem:.0f} GiB, Python {platform.python_version()}, "
        f"{time.strftime('%Y-%m-%d')}"
    )
    print(f"{'transactions':>13} {'path':<34} {'seconds':>8} {'peak MB':>8}  vs floor")
    print("-" * 80)
    by = {(n, name.split(" (")[0]): s for n, name, s, _ in rows}
    for n, name, seconds, peak in rows:
        line = f"{n:>13,} {name:<34} {seconds:>8.1f} {peak:>8.0f}  {seconds / by[n, 'floor']:.2f}x"
        if name.startswith("+1 day"):
            line += f"  ({seconds / by[n, 'warehouse']:.0%} of warehouse, {seconds / by[n, 'dbt only']:.0%} of dbt only)"
        print(line)


if __name__ == "__main__":
    main()
