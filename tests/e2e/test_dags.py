"""Real `airflow dags test` runs of the DAGs (the DAG-folder tests are in tests/unit/test_dag_files.py)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

DAGS_DIR = Path(__file__).resolve().parents[2] / "dags"
DAG_FILES = sorted(DAGS_DIR.glob("*.py"))


AIRFLOW = str(Path(sys.executable).with_name("airflow"))


@pytest.fixture(scope="module")
def migrated_db(tmp_path_factory) -> Path:
    """One migrated Airflow metadata database for the module; each test gets a copy (a migration
    costs about half a minute, a copy nothing)."""
    home = tmp_path_factory.mktemp("airflow-migrated")
    subprocess.run([AIRFLOW, "db", "migrate"], env=_airflow_env(home), check=True, capture_output=True, timeout=300)
    return home / "airflow" / "airflow.db"


def _migrated(migrated_db: Path, env: dict) -> None:
    target = Path(env["AIRFLOW_HOME"])
    target.mkdir(parents=True, exist_ok=True)
    shutil.copy2(migrated_db, target / "airflow.db")


def test_airflow_dags_test_runs_the_pipeline_end_to_end(tmp_path, migrated_db):
    env = _airflow_env(tmp_path)
    airflow = AIRFLOW
    _migrated(migrated_db, env)
    run = subprocess.run([airflow, "dags", "test", "kinerja_lkip", "2024-12-31"], env=env, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    serving = tmp_path / "home" / "warehouse" / "kinerja.duckdb"
    con = duckdb.connect(str(serving), read_only=True)
    try:
        avg, counted = con.execute(
            "select rata_rata_capaian_persen, jumlah_dihitung from marts.ringkasan_capaian "
            "where kelompok_ringkasan = 'PERKIN' and tahun = 2024 and periode = 'TAHUNAN'"
        ).fetchone()
    finally:
        con.close()
    assert round(avg, 1) == 102.4 and counted == 15
    assert "Perjanjian Kinerja : rata-rata capaian 102,36 %" in run.stdout + run.stderr


def _airflow_env(tmp_path, **extra):
    env = dict(os.environ)
    env.update(
        AIRFLOW_HOME=str(tmp_path / "airflow"),
        AIRFLOW__DATABASE__SQL_ALCHEMY_CONN=f"sqlite:///{tmp_path / 'airflow' / 'airflow.db'}",
        AIRFLOW__CORE__DAGS_FOLDER=str(DAGS_DIR),
        AIRFLOW__CORE__LOAD_EXAMPLES="False",
        AIRFLOW__CORE__UNIT_TEST_MODE="False",
        KINERJA_HOME=str(tmp_path / "home"),
        **extra,
    )
    env.pop("KINERJA_BPS_KEY", None)
    return env


def _airflow_db(env):
    import sqlite3

    return sqlite3.connect(str(Path(env["AIRFLOW_HOME"]) / "airflow.db"))


def test_bps_release_triggers_the_build_dag_through_an_asset(published, tmp_path, httpserver, migrated_db):
    """kinerja_bps_poll against a real HTTP server: nothing new -> no Asset event; a new release ->
    one Asset event that queues kinerja_lkip, whose run publishes the 2024 figures."""
    from tests.bps_server import KEY, serve_release

    settings, _ = published
    shutil.copytree(settings.home, tmp_path / "home", ignore=shutil.ignore_patterns("state"))
    conn = json.dumps({"conn_type": "http", "host": httpserver.url_for("/v1/api"), "password": KEY})
    env = _airflow_env(tmp_path, AIRFLOW_CONN_KINERJA_BPS=conn)
    airflow = AIRFLOW
    _migrated(migrated_db, env)
    subprocess.run([airflow, "dags", "reserialize"], env=env, check=True, capture_output=True, timeout=300)
    subprocess.run([airflow, "dags", "unpause", "kinerja_lkip"], env=env, check=True, capture_output=True, timeout=120)

    def events():
        with _airflow_db(env) as db:
            emitted = db.execute("select extra from asset_event").fetchall()
            queued = db.execute("select target_dag_id from asset_dag_run_queue").fetchall()
        return emitted, queued

    serve_release(httpserver, "awal")  # BPS still has what the sample holds
    run = subprocess.run([airflow, "dags", "test", "kinerja_bps_poll", "2025-02-05"], env=env, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert events() == ([], [])
    assert len(httpserver.log) == 4  # one request per variable and domain
    assert KEY not in run.stdout + run.stderr

    serve_release(httpserver, "akhir")
    run = subprocess.run([airflow, "dags", "test", "kinerja_bps_poll", "2025-02-06"], env=env, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    emitted, queued = events()
    assert len(emitted) == 1 and json.loads(emitted[0][0])["changed"] == 160
    assert queued == [("kinerja_lkip",)]
    assert KEY not in run.stdout + run.stderr

    run = subprocess.run([airflow, "dags", "test", "kinerja_lkip", "2025-02-06"], env=env, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    con = duckdb.connect(str(tmp_path / "home" / "warehouse" / "kinerja.duckdb"), read_only=True)
    try:
        rows = con.execute(
            "select indikator_kode, realisasi from marts.capaian_indikator where tahun = 2024 and periode = 'TAHUNAN' "
            "and jenis_target = 'PERKIN' and sumber_data = 'BPS' order by 1"
        ).fetchall()
        logged = con.execute("select count(*) from marts.log_perubahan").fetchone()[0]
    finally:
        con.close()
    assert rows == [("SS01", 11.61), ("SS02", 17.93), ("SS06", 3.12), ("SS07", 6.24)]
    assert logged == 29  # 14 indicator rows, 5 averages, 10 rows of tabel 3.14
