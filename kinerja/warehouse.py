"""Build step: a fresh DuckDB build file with raw.* loaded from the landing zone, then dbt build.

The build never touches the serving file: it writes ``state/build/kinerja-<run_id>.duckdb``,
which :mod:`kinerja.publish` moves into place only after every dbt model and test passed.
Raw tables are rebuilt from the landing zone on every run, so a run is idempotent and a killed
run leaves nothing behind but a stale build file (removed by the next run).
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from ingestion import bps as bps_source
from ingestion import emonev, eorder, jakpreneur
from ingestion import sipd as sipd_source
from ingestion.csvtable import sql_literal
from kinerja import landing
from kinerja.config import DBT_PROJECT_DIR, Settings
from kinerja.errors import PipelineError
from kinerja.progress import Reporter, silent

# raw.* tables: name -> (source, entity, columns). Each is rebuilt from the landed rows.parquet of
# its source, every column cast to its type (money and figures exact DECIMAL).
_BATCH = ["batch_id varchar", "landed_at timestamp", "baris integer"]
RAW_TABLES: dict[str, tuple[str, str, list[str]]] = {
    "raw.emonev__realisasi": (
        emonev.SOURCE,
        emonev.ENTITY,
        [*_BATCH, "tahun integer", "periode varchar", "indikator_kode varchar", "realisasi decimal(38, 6)", "keterangan varchar"],
    ),
    "raw.bps__pdrb": (
        bps_source.SOURCE,
        bps_source.ENTITY,
        [
            *_BATCH, "domain varchar", "var_id integer", "harga varchar", "vervar_kode varchar", "uraian varchar", "seri varchar",
            "tahun integer", "periode varchar", "nilai decimal(38, 6)", "catatan varchar", "status_angka varchar",
        ],
    ),
    "raw.sipd__anggaran": (
        sipd_source.SOURCE,
        sipd_source.ENTITY,
        [
            *_BATCH, "lembar varchar", "tahun integer", "unit_kode varchar", "unit_nama varchar", "program_kode varchar",
            "kegiatan_kode varchar", "sub_kegiatan_kode varchar", "akun_kode varchar", "jenis_belanja_kode varchar", "uraian varchar",
            "pagu_apbd decimal(20, 2)", "pagu_pergeseran decimal(20, 2)", "pagu_apbdp decimal(20, 2)", "realisasi decimal(20, 2)",
            "tanggal_data date",
        ],
    ),
    "raw.jakpreneur__umkm": (
        jakpreneur.SOURCE,
        "umkm",
        [
            *_BATCH, "umkm_id varchar", "nama_usaha varchar", "tanggal_daftar date", "wilayah varchar", "status_binaan varchar",
            "perangkat_daerah_pembina varchar", "diperbarui_pada timestamp",
        ],
    ),
    "raw.jakpreneur__penilaian": (
        jakpreneur.SOURCE,
        "penilaian",
        [
            *_BATCH, "penilaian_id varchar", "umkm_id varchar", "tanggal_penilaian date", "omzet_tahunan decimal(18, 2)",
            "aset decimal(18, 2)", "tenaga_kerja integer", "nilai_invoice_ekspor_usd decimal(18, 2)",
        ],
    ),
    "raw.eorder__pesanan": (
        eorder.SOURCE,
        eorder.ENTITY,
        [
            *_BATCH, "nomor_pesanan varchar", "tanggal_pesanan date", "perangkat_daerah_pemesan varchar", "umkm_id varchar",
            "nilai_pesanan decimal(18, 2)", "status varchar", "diperbarui_pada timestamp",
        ],
    ),
}  # fmt: skip

# raw.* views over the landed Parquet files, for tables too large to copy into every build:
# transactions stay in the landing zone and the incremental models read only new batches.
RAW_VIEWS: dict[str, tuple[str, str, list[str]]] = {
    "raw.jakpreneur__transaksi": (
        jakpreneur.SOURCE,
        "transaksi",
        [
            "batch_id varchar", "landed_at varchar", "transaksi_id varchar", "umkm_id varchar", "waktu timestamp", "kanal varchar",
            "jenis varchar", "nominal decimal(18, 2)", "transaksi_asal_id varchar",
        ],
    ),
}  # fmt: skip

# Incremental dbt models whose table is carried from the serving warehouse into the next build,
# so that build only adds the batches landed since (``--full-refresh`` or an as-of rebuild
# recomputes them from every batch).
INCREMENTAL_MODELS = ("intermediate.int_jakpreneur__omzet_umkm_triwulan",)


def new_run_id() -> str:
    return time.strftime("%Y%m%dT%H%M%SZ", time.gmtime()) + f"-{os.getpid()}"


def build_path(settings: Settings, run_id: str) -> Path:
    return settings.state_dir / "build" / f"kinerja-{run_id}.duckdb"


def remove_stale_builds(settings: Settings, older_than_seconds: float = 6 * 3600) -> None:
    """Delete build files left by killed runs. Only old ones: a finished build waits for its publish
    (in the same task under Airflow, but rebuild --as-of output and benchmarks also live here)."""
    folder = settings.state_dir / "build"
    if folder.exists():
        cutoff = time.time() - older_than_seconds
        for leftover in folder.glob("kinerja-*.duckdb*"):
            if leftover.stat().st_mtime < cutoff:
                leftover.unlink(missing_ok=True)


def as_of_cutoff(text: str) -> str:
    """``2025-01-31`` (end of that day, UTC) or ``2025-01-31T08:00:00`` -> a landed_at bound."""
    text = text.strip().rstrip("Z")
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise PipelineError(f"--as-of {text!r} is not a date (2025-01-31) or a UTC time (2025-01-31T08:00:00)") from None
    if len(text) <= 10:
        moment = moment.replace(hour=23, minute=59, second=59, microsecond=999999)
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC).replace(tzinfo=None)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _batches(settings: Settings, source: str, entity: str, as_of: str | None, only: set[str] | None) -> list[landing.Batch]:
    batches = landing.landed_batches(settings.landing_dir, source, entity)
    return [b for b in batches if (as_of is None or b.landed_at <= as_of) and (only is None or b.batch_id in only)]


def load_raw(db_path: Path, settings: Settings, as_of: str | None = None, only: set[str] | None = None) -> dict[str, int]:
    """Create raw.* in the build file from every landed batch (or those landed up to ``as_of``,
    or exactly the batches in ``only``)."""
    batches: list[landing.Batch] = []
    con = duckdb.connect(str(db_path))
    try:
        con.execute("create schema if not exists raw")
        for table, (source, entity, columns) in RAW_TABLES.items():
            con.execute(f"create or replace table {table} ({', '.join(columns)})")
            landed = _batches(settings, source, entity, as_of, only)
            batches += landed
            if landed:
                select = ", ".join(f"cast({c.split(' ', 1)[0]} as {c.split(' ', 1)[1]})" for c in columns)
                con.execute(
                    f"insert into {table} select {select} from read_parquet(?, union_by_name = true, hive_partitioning = false)",
                    [[str(b.rows_path(settings.landing_dir)) for b in landed]],
                )
        for view, (source, entity, columns) in RAW_VIEWS.items():
            landed = _batches(settings, source, entity, as_of, only)
            batches += landed
            select = ", ".join(f"cast({c.split(' ', 1)[0]} as {c.split(' ', 1)[1]}) as {c.split(' ', 1)[0]}" for c in columns)
            files = ", ".join(sql_literal(b.rows_path(settings.landing_dir)) for b in landed)
            if landed:
                con.execute(f"create or replace view {view} as select {select} from read_parquet([{files}])")
            else:
                con.execute(
                    f"create or replace view {view} as select {select} from (select {', '.join('null as ' + c.split(' ', 1)[0] for c in columns)}) where false"
                )
        con.execute(
            "create or replace table raw.pipeline__batch (batch_id varchar, source varchar, entity varchar, "
            "original_name varchar, sha256 varchar, landed_at varchar, row_count bigint)"
        )
        con.executemany(
            "insert into raw.pipeline__batch values (?, ?, ?, ?, ?, ?, ?)",
            [(b.batch_id, b.source, b.entity, b.original_name, b.sha256, b.landed_at, b.row_count) for b in batches],
        )
        counts = {t: con.execute(f"select count(*) from {t}").fetchone()[0] for t in RAW_TABLES}
        counts.update({v: sum(b.row_count for b in batches if (b.source, b.entity) == RAW_VIEWS[v][:2]) for v in RAW_VIEWS})
    finally:
        con.close()
    return counts


def _dbt_vars() -> dict[str, str]:
    """dbt vars that come from configuration: which BPS domain is the agency's and which the nation's."""
    from ingestion.bps.config import load_config

    roles = {d.peran: d.kode for d in load_config().domains}
    return {"bps_domain_daerah": roles.get("DAERAH", "3100"), "bps_domain_nasional": roles.get("NASIONAL", "0000")}


_PROGRESS = re.compile(r"\b(\d+) of (\d+) (OK|PASS|ERROR|FAIL|WARN|SKIP)")


def run_dbt(db_path: Path, settings: Settings, progress: Reporter = silent, command: tuple[str, ...] = ("build",)) -> None:
    """Run dbt in a subprocess (dbt-duckdb keeps the file open in-process otherwise)."""
    dbt_dir = settings.state_dir / "dbt"
    env = dict(os.environ)
    env.update(
        KINERJA_DUCKDB_PATH=str(db_path),
        DBT_SEND_ANONYMOUS_USAGE_STATS="False",
        DBT_NO_VERSION_CHECK="True",
        DBT_USE_COLORS="False",
    )
    cmd = [
        str(Path(sys.executable).with_name("dbt")),
        *command,
        "--project-dir",
        str(DBT_PROJECT_DIR),
        "--profiles-dir",
        str(DBT_PROJECT_DIR),
        "--target-path",
        str(dbt_dir / "target"),
        "--log-path",
        str(dbt_dir / "logs"),
        "--vars",
        json.dumps(_dbt_vars()),
    ]
    started = time.monotonic()
    lines: list[str] = []
    shown = -1
    with subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env, cwd=DBT_PROJECT_DIR) as proc:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.append(line.rstrip())
            match = _PROGRESS.search(line)
            if match:
                done, total, state = int(match.group(1)), int(match.group(2)), match.group(3)
                step = max(total // 4, 1)
                if state in ("ERROR", "FAIL") or done == total or done // step > shown:
                    shown = done // step
                    progress(f"dbt {command[0]}: {done}/{total} nodes ({state.lower()} {line.split(state, 1)[-1].strip()[:70]})")
        code = proc.wait()
    if code != 0:
        failures = [line for line in lines if re.search(r"(ERROR|FAIL|Failure|Error|Compilation|Database Error|Runtime)", line)]
        tail = "\n".join(failures[-25:] or lines[-25:])
        raise PipelineError(
            f"dbt {' '.join(command)} failed after {time.monotonic() - started:.0f} s; the serving warehouse was not changed.\n{tail}\nFull log: {dbt_dir / 'logs' / 'dbt.log'}"
        )
    progress(f"dbt {command[0]}: done in {time.monotonic() - started:.1f} s")


def carry_incremental_state(build_file: Path, serving: Path) -> list[str]:
    """Copy the tables of the incremental models from the serving warehouse into a new build file;
    returns the models carried (none for a first build)."""
    if not serving.exists():
        return []
    carried = []
    con = duckdb.connect(str(build_file))
    try:
        con.execute(f"attach {sql_literal(serving)} as lama (read_only)")
        for model in INCREMENTAL_MODELS:
            schema, table = model.split(".")
            found = con.execute(
                "select count(*) from duckdb_tables() where database_name = 'lama' and schema_name = ? and table_name = ?", [schema, table]
            ).fetchone()[0]
            if found:
                con.execute(f"create schema if not exists {schema}")
                con.execute(f"create table {model} as select * from lama.{model}")
                carried.append(model)
        con.execute("detach lama")
    finally:
        con.close()
    return carried


def build(
    settings: Settings,
    run_id: str,
    progress: Reporter = silent,
    as_of: str | None = None,
    only: set[str] | None = None,
    full_refresh: bool = False,
    select: str | None = None,
) -> Path:
    """Build a complete warehouse into a new file and return its path. With ``as_of`` (a landed_at
    bound from :func:`as_of_cutoff`) only the batches landed by then are used: the figures as the
    warehouse would have published them at that moment. Otherwise the incremental models start
    from their state in the serving warehouse and add only batches landed since. The caller holds
    the run lock (:func:`kinerja.pipeline.run_lock`): the build works in a file of a fixed name. ``select`` (dbt
    node selection) builds part of the project, as the scale benchmark does."""
    final = build_path(settings, run_id)
    final.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_builds(settings)
    # dbt builds into a file of a fixed name (renamed to the run's name when done): dbt re-parses the
    # whole project (~7 s) whenever its profile changes, and the profile holds this path. Builds run
    # under the run lock, so a file left at this name is from a killed run.
    path = final.with_name("kinerja-build.duckdb")
    for leftover in (path, path.with_name(path.name + ".wal")):
        leftover.unlink(missing_ok=True)
    counts = load_raw(path, settings, as_of, only)
    progress("build: raw loaded from the landing zone (" + ", ".join(f"{k} {v} rows" for k, v in counts.items()) + ")")
    incremental = as_of is None and only is None and not full_refresh
    carried = carry_incremental_state(path, settings.serving_db) if incremental else []
    if carried:
        progress(f"build: incremental state of {', '.join(carried)} carried from {settings.serving_db}")
    command = ("build",) if incremental else ("build", "--full-refresh")
    if select:  # part of the project only (benchmarks): these models, their upstream and their own tests
        command += ("--select", select, "--indirect-selection", "cautious")
    run_dbt(path, settings, progress, command=command)
    con = duckdb.connect(str(path))
    try:
        con.execute("checkpoint")
    finally:
        con.close()
    os.replace(path, final)
    return final
