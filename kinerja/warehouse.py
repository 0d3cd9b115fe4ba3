"""Build step: a fresh DuckDB build file with raw.* loaded from the landing zone, then dbt build.

The build never touches the serving file: it writes ``state/build/kinerja-<run_id>.duckdb``,
which :mod:`kinerja.publish` moves into place only after every dbt model and test passed.
Raw tables are rebuilt from the landing zone on every run, so a run is idempotent and a killed
run leaves nothing behind but a stale build file (removed by the next run). Which raw tables
there are, and their typed columns, comes from the source registry (:mod:`ingestion.registry`).
"""

from __future__ import annotations

import json
import os
import shutil
import time
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from ingestion import registry
from ingestion.csvtable import sql_literal
from kinerja import dbt, landing, retractions
from kinerja.config import Settings
from kinerja.errors import PipelineError
from kinerja.progress import Reporter, silent


def fingerprint(settings: Settings) -> str:
    """What a build is made of: the landed batches, the dbt project (models, macros, seeds, its
    configuration and profile), the suites, the pipeline's own code and the settings that reach the
    build (BPS configuration, dbt vars, target), and the retractions in force (a retraction changes
    what a build is made of while the landing zone stays as it was). Two builds with the same fingerprint give the same
    warehouse, so a run whose fingerprint equals the serving file's has nothing to publish."""
    import hashlib

    from kinerja.config import DBT_PROJECT_DIR, PROJECT_ROOT, SUITES_DIR

    digest = hashlib.sha256()
    batches = sorted(meta.parent.name for meta in settings.landing_dir.rglob("batch.json")) if settings.landing_dir.exists() else []
    digest.update("\n".join(batches).encode())
    digest.update(("\nretracted:" + ",".join(sorted(retractions.in_force(settings.landing_dir)))).encode())
    roots = [DBT_PROJECT_DIR / d for d in ("models", "macros", "seeds")] + [
        SUITES_DIR,
        PROJECT_ROOT / "kinerja",
        PROJECT_ROOT / "ingestion",
    ]
    files = [DBT_PROJECT_DIR / "dbt_project.yml", DBT_PROJECT_DIR / "profiles.yml"]
    for root in roots:
        files += sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc")
    for path in files:
        digest.update(str(path.relative_to(path.anchor)).encode())
        digest.update(path.read_bytes())
    bps_config = os.environ.get("KINERJA_BPS_CONFIG")
    if bps_config and Path(bps_config).is_file():
        digest.update(Path(bps_config).read_bytes())
    digest.update(json.dumps(_dbt_vars(), sort_keys=True).encode())
    digest.update(os.environ.get("KINERJA_DBT_TARGET", "duckdb").encode())
    return digest.hexdigest()


def built_fingerprint(path: Path) -> str | None:
    """The fingerprint recorded in a build (``raw.pipeline__build``), if any."""
    if not path.exists():
        return None
    con = duckdb.connect(str(path), read_only=True)
    try:
        found = con.execute("select count(*) from duckdb_tables() where schema_name = 'raw' and table_name = 'pipeline__build'").fetchone()[
            0
        ]
        return con.execute("select fingerprint from raw.pipeline__build").fetchone()[0] if found else None
    finally:
        con.close()


def built_run_id(path: Path) -> str | None:
    """The run id recorded in a build (``raw.pipeline__build``), if any."""
    con = duckdb.connect(str(path), read_only=True)
    try:
        found = con.execute("select count(*) from duckdb_tables() where schema_name = 'raw' and table_name = 'pipeline__build'").fetchone()[0]
        return con.execute("select run_id from raw.pipeline__build").fetchone()[0] if found else None
    finally:
        con.close()


def new_run_id() -> str:
    return time.strftime("%Y%m%dT%H%M%SZ", time.gmtime()) + f"-{os.getpid()}"


def build_path(settings: Settings, run_id: str) -> Path:
    return settings.state_dir / "build" / f"kinerja-{run_id}.duckdb"


def builder_path(settings: Settings) -> Path:
    """The file dbt builds into, of a fixed name (renamed to the run's name when done): dbt re-parses
    the whole project (about 5 s) whenever its profile changes, and the profile holds this path."""
    return settings.state_dir / "build" / "kinerja-build.duckdb"


def remove_stale_builds(settings: Settings, older_than_seconds: float = 6 * 3600) -> None:
    """Delete build files left by killed runs. Only old ones: a finished build waits for its publish
    (in the same task under Airflow, but rebuild --as-of output and benchmarks also live here)."""
    folder = settings.state_dir / "build"
    if folder.exists():
        cutoff = time.time() - older_than_seconds
        for leftover in [*folder.glob("kinerja-*.duckdb*"), *folder.glob("kinerja-*.docs.html")]:
            if leftover.stat().st_mtime < cutoff:
                leftover.unlink(missing_ok=True)


def stop_stale_builders(path: Path, progress: Reporter = silent) -> list[int]:
    """Kill any process that still holds the fixed-name build file: builds run under the run lock,
    so a holder is an orphan of a killed run (e.g. a dbt started before children died with their
    parent), whose DuckDB lock would make this build fail. Linux (/proc); returns the pids killed."""
    import signal

    killed = []
    proc = Path("/proc")
    if not proc.is_dir():
        return killed
    targets = {str(path), str(path) + ".wal"}
    for entry in proc.iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            holds = any(os.readlink(fd) in targets for fd in (entry / "fd").iterdir())
        except OSError:  # gone, or not ours to look at
            continue
        if holds:
            try:
                os.kill(int(entry.name), signal.SIGKILL)
                killed.append(int(entry.name))
            except OSError:
                continue
    for pid in killed:
        for _ in range(100):  # until the kernel has released its file locks (gone, or a zombie)
            try:
                if "State:\tZ" in (proc / str(pid) / "status").read_text():
                    break
            except OSError:
                break
            time.sleep(0.05)
        progress(f"build: stopped process {pid}, left by a killed run, which still held {path.name}")
    return killed


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
    """The batches a build uses: ``only`` exactly these (the batch set of a past publish, retracted
    since or not); else those landed by ``as_of`` and not retracted by then; else every batch not
    retracted now."""
    if only is None and as_of is None:
        return landing.landed_batches(settings.landing_dir, source, entity)
    batches = landing.landed_batches(settings.landing_dir, source, entity, include_retracted=True)
    retracted = retractions.in_force(settings.landing_dir, as_of) if only is None else {}
    return [
        b
        for b in batches
        if (as_of is None or b.landed_at <= as_of) and (only is None or b.batch_id in only) and b.batch_id not in retracted
    ]


# The storage format of every build file, hence of the serving file: DuckDB 1.0's (header number 64),
# which every 1.x reader (1.1.3 ... 1.5.x) and 2.x open. DuckDB 2.x writes its own format (999) by
# default, which no 1.x reader (the Node, .NET and Go clients BI tools bundle) opens. Only a new file
# takes the option; a file keeps its format when written later.
STORAGE_VERSION = "v1.0.0"


def connect_new(path: Path) -> duckdb.DuckDBPyConnection:
    """Open (creating it) a DuckDB file in the storage format every 1.x reader opens (:data:`STORAGE_VERSION`)."""
    return duckdb.connect(str(path), config={"storage_compatibility_version": STORAGE_VERSION})


RETRACTION_TABLE = "raw.pipeline__retraction"


def built_retractions(path: Path) -> list[tuple] | None:
    """The retraction events a build was made with (``raw.pipeline__retraction``), oldest first;
    ``None`` for a missing file, ``[]`` for one built before retractions existed."""
    if not path.exists():
        return None
    con = duckdb.connect(str(path), read_only=True)
    try:
        found = con.execute(
            "select count(*) from duckdb_tables() where schema_name = 'raw' and table_name = 'pipeline__retraction'"
        ).fetchone()[0]
        if not found:
            return []
        return con.execute(f"select batch_id, tindakan, alasan, pada from {RETRACTION_TABLE} order by pada, batch_id").fetchall()
    finally:
        con.close()


def retractions_changed(settings: Settings) -> bool:
    """Whether a batch was retracted or restored since the serving warehouse was built: its
    incremental models then hold rows of a retracted batch (or lack those of a restored one, whose
    id is older than the rows they hold) and must be recomputed from every batch."""
    built = built_retractions(settings.serving_db)
    if built is None:
        return False
    now = [(e.batch_id, e.tindakan, e.alasan, e.pada) for e in retractions.events(settings.landing_dir)]
    return built != now


def load_raw(db_path: Path, settings: Settings, as_of: str | None = None, only: set[str] | None = None) -> dict[str, int]:
    """Create ``raw.<source>__<entity>`` for every declared entity in the build file from every
    landed batch (or those landed up to ``as_of``, or exactly the batches in ``only``), each column
    cast to its declared type (money and figures exact DECIMAL). A ``raw = "view"`` entity is a view
    over its landed Parquet files instead (too large to copy into every build).
    ``raw.pipeline__retraction`` gets the retraction events recorded (up to ``as_of``)."""
    batches: list[landing.Batch] = []
    counts: dict[str, int] = {}
    con = connect_new(db_path)
    try:
        con.execute("create schema if not exists raw")
        for entity in registry.entities():
            columns = entity.all_columns()
            landed = _batches(settings, entity.source, entity.entity, as_of, only)
            batches += landed
            files = "[" + ", ".join(sql_literal(b.rows_path(settings.landing_dir)) for b in landed) + "]"
            typed = ", ".join(f'cast("{name}" as {kind}) as "{name}"' for name, kind in columns)
            if entity.raw == "view":
                empty = "(select " + ", ".join(f'null as "{name}"' for name, _ in columns) + ") where false"
                source_sql = f"read_parquet({files})" if landed else empty
                con.execute(f"create or replace view {entity.table} as select {typed} from {source_sql}")
                counts[entity.table] = sum(b.row_count for b in landed)
                continue
            con.execute(f"create or replace table {entity.table} ({', '.join(f'{n} {k}' for n, k in columns)})")
            if landed:
                con.execute(
                    f"insert into {entity.table} select {typed} from read_parquet({files}, union_by_name = true, hive_partitioning = false)"
                )
            counts[entity.table] = con.execute(f"select count(*) from {entity.table}").fetchone()[0]
        con.execute(
            "create or replace table raw.pipeline__batch (batch_id varchar, source varchar, entity varchar, "
            "original_name varchar, sha256 varchar, landed_at varchar, row_count bigint)"
        )
        con.executemany(
            "insert into raw.pipeline__batch values (?, ?, ?, ?, ?, ?, ?)",
            [(b.batch_id, b.source, b.entity, b.original_name, b.sha256, b.landed_at, b.row_count) for b in batches],
        )
        con.execute(f"create or replace table {RETRACTION_TABLE} (batch_id varchar, tindakan varchar, alasan varchar, pada varchar)")
        events = [(e.batch_id, e.tindakan, e.alasan, e.pada) for e in retractions.events(settings.landing_dir, as_of)]
        if events:
            con.executemany(f"insert into {RETRACTION_TABLE} values (?, ?, ?, ?)", events)
    finally:
        con.close()
    return counts


def _dbt_vars() -> dict[str, str]:
    """dbt vars that come from configuration: which BPS domain is the agency's and which the nation's."""
    from ingestion.bps.config import load_config

    roles = {d.peran: d.kode for d in load_config().domains}
    return {"bps_domain_daerah": roles.get("DAERAH", "3100"), "bps_domain_nasional": roles.get("NASIONAL", "0000")}


def prepare_dbt(settings: Settings) -> None:
    """Let the dbt process started ahead parse the project for the build to come, during the
    ingest (:func:`kinerja.dbt.prepare`); the build uses that parse if nothing changed since."""
    dbt.prepare(builder_path(settings), settings.state_dir, _dbt_vars())


def run_dbt(db_path: Path, settings: Settings, progress: Reporter = silent, command: tuple[str, ...] = ("build",), docs: bool = False) -> None:
    """dbt (``build`` by default) on a build file, in a subprocess (:func:`kinerja.dbt.run`)."""
    dbt.run(command, db_path, settings.state_dir, progress, _dbt_vars(), docs=docs)


def docs_page(build_file: Path) -> Path:
    """The dbt docs site of a build (one HTML file, :data:`kinerja.dbt.DOCS_PAGE`), kept beside the
    build file until the publish puts it next to the warehouse (:func:`kinerja.publish.publish`)."""
    return build_file.with_suffix(".docs.html")


STORAGE_NUMBER = 64  # the storage number in the header of a file made with STORAGE_VERSION


def storage_number(path: Path) -> int:
    """The storage number of a DuckDB file: the uint64 at byte offset 12 of its header."""
    import struct

    with path.open("rb") as fh:
        fh.seek(12)
        return struct.unpack("<Q", fh.read(8))[0]


def carry_incremental_state(build_file: Path, settings: Settings, progress: Reporter = silent) -> list[str]:
    """Start a new build file from the serving warehouse with only the tables of the incremental
    models (from dbt's manifest) left in it; returns the models carried. The file is copied and the
    rest dropped rather than the tables copied row by row: at 500,000 UMKM the omzet state is 4.7 M
    rows, 1.9 s to copy through SQL and 0.1 s as a file; what is dropped leaves free blocks that
    the build's new tables reuse. Nothing is carried (the incremental models then read every
    batch) for a first build, a serving file with nothing to carry, one with a ``.wal`` beside it
    or held by a writer, and one not in the storage format 1.x readers open (a copy would keep
    that format)."""
    serving = settings.serving_db
    if not serving.exists():
        return []
    keep = set(dbt.incremental_models(settings.state_dir / "dbt" / "target"))
    why = None
    if serving.with_name(serving.name + ".wal").exists():
        why = "it has a .wal file beside it"
    elif storage_number(serving) != STORAGE_NUMBER:
        why = f"its storage format ({storage_number(serving)}) is not the one DuckDB 1.x readers open ({STORAGE_NUMBER})"
    if why is None and keep:
        try:
            guard = duckdb.connect(str(serving), read_only=True)  # no writer may change it while it is copied
        except duckdb.Error as exc:
            why = f"it could not be opened read-only ({exc})"
        else:
            try:
                shutil.copyfile(serving, build_file)
            finally:
                guard.close()
    if why is not None:
        progress(f"build: incremental state not carried from {serving}: {why}; the incremental models read every batch")
    if why is not None or not keep:
        return []
    con = duckdb.connect(str(build_file))
    try:
        objects = con.execute(
            "select schema_name, view_name, 'view' from duckdb_views() where database_name = current_database() and not internal "
            "union all select schema_name, table_name, 'table' from duckdb_tables() where database_name = current_database() "
            "order by 3 desc"  # views first: they may read the tables
        ).fetchall()
        carried = sorted(f"{schema}.{name}" for schema, name, kind in objects if kind == "table" and f"{schema}.{name}" in keep)
        for schema, name, kind in objects:
            if not (kind == "table" and f"{schema}.{name}" in keep):
                con.execute(f'drop {kind} "{schema}"."{name}"')
        held = {model.split(".")[0] for model in carried}
        for (schema,) in con.execute(
            "select schema_name from duckdb_schemas() where database_name = current_database() and not internal"
        ).fetchall():
            if schema not in held and schema != "main":
                con.execute(f'drop schema "{schema}"')
        con.execute("checkpoint")
    finally:
        con.close()
    if not carried:  # nothing of it is kept: a new file, not an emptied copy of the old one's size
        build_file.unlink()
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
    with dbt.warmed():  # dbt imports itself while raw is loaded (the outer block of a run started it earlier)
        prepare_dbt(settings)  # done already when a run started the process
        final = build_path(settings, run_id)
        final.parent.mkdir(parents=True, exist_ok=True)
        remove_stale_builds(settings)
        # Builds run under the run lock, so a file left at the builder's name is from a killed run.
        path = builder_path(settings)
        stop_stale_builders(path, progress)
        for leftover in (path, path.with_name(path.name + ".wal")):
            leftover.unlink(missing_ok=True)
        made_of = fingerprint(settings) if as_of is None and only is None and select is None else None
        incremental = as_of is None and only is None and not full_refresh
        if incremental and retractions_changed(settings):
            incremental = False
            progress(
                "build: a batch was retracted or restored since the serving warehouse was built; incremental models recomputed from every batch"
            )
        carried = carry_incremental_state(path, settings, progress) if incremental else []
        if carried:
            progress(f"build: incremental state of {', '.join(carried)} carried from {settings.serving_db}")
        counts = load_raw(path, settings, as_of, only)
        progress("build: raw loaded from the landing zone (" + ", ".join(f"{k} {v} rows" for k, v in counts.items()) + ")")
        command = ("build",) if incremental else ("build", "--full-refresh")
        if select:  # part of the project only (benchmarks): these models, their upstream and their own tests
            command += ("--select", select, "--indirect-selection", "cautious")
        run_dbt(path, settings, progress, command=command, docs=made_of is not None)  # a build that may be published
        page = settings.state_dir / "dbt" / "target" / dbt.DOCS_PAGE
        if made_of is not None and page.exists():
            os.replace(page, docs_page(final))
        con = duckdb.connect(str(path))
        try:
            con.execute("create or replace table raw.pipeline__build (fingerprint varchar, run_id varchar)")
            con.execute("insert into raw.pipeline__build values (?, ?)", [made_of, run_id])
            con.execute("checkpoint")
        finally:
            con.close()
        os.replace(path, final)
        return final
