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


def test_bps_release_triggers_the_build_dag_through_an_asset(published, tmp_path, httpserver, migrated_db, smtp):
    """kinerja_bps_poll against a real HTTP server: nothing new -> no Asset event; a new release ->
    one Asset event that queues kinerja_lkip, whose run publishes the 2024 figures and queues
    kinerja_publikasi, which sends the planners one e-mail (a real SMTP server on loopback): once,
    not again for a second run or after a build with nothing new."""
    from tests.bps_server import KEY, serve_release

    settings, _ = published
    inbox, mailto = smtp
    shutil.copytree(settings.home, tmp_path / "home", ignore=shutil.ignore_patterns("state"))
    conn = json.dumps({"conn_type": "http", "host": httpserver.url_for("/v1/api"), "password": KEY})
    # the channel is configured for every DAG: the build must not send the notice itself
    env = _airflow_env(tmp_path, AIRFLOW_CONN_KINERJA_BPS=conn, KINERJA_NOTIFY_URLS=mailto)
    airflow = AIRFLOW
    _migrated(migrated_db, env)
    subprocess.run([airflow, "dags", "reserialize"], env=env, check=True, capture_output=True, timeout=300)
    for dag_id in ("kinerja_lkip", "kinerja_publikasi"):
        subprocess.run([airflow, "dags", "unpause", dag_id], env=env, check=True, capture_output=True, timeout=120)

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

    # the build wrote the publication set and sent nothing; its Asset event queued the notice DAG
    manifest = json.loads((tmp_path / "home" / "warehouse" / "publikasi" / "publikasi.json").read_text())
    assert manifest["pemberitahuan"]["judul"] == "[Kinerja] LKIP 2024: 29 angka berubah"
    assert inbox.messages == []
    with _airflow_db(env) as db:
        extras = [json.loads(e) for (e,) in db.execute("select extra from asset_event where asset_id = "
                  "(select id from asset where uri = 'kinerja://warehouse/marts')").fetchall()]  # fmt: skip
        queued = db.execute("select target_dag_id from asset_dag_run_queue").fetchall()
    assert extras == [{"run_id": manifest["run_id"]}] and ("kinerja_publikasi",) in queued

    run = subprocess.run([airflow, "dags", "test", "kinerja_publikasi", "2025-02-06"], env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert len(inbox.messages) == 1
    message = inbox.messages[0]
    assert message["Subject"] == "[Kinerja] LKIP 2024: 29 angka berubah"
    body = message.get_body(("plain", "html")).get_content()
    assert (
        "SS01 Kontribusi Sektor Perindustrian terhadap Perekonomian Daerah, 2024 Tahunan (Perjanjian Kinerja): N/A (belum rilis) → 11,61"
        in body
    )
    assert [a.get_filename() for a in message.iter_attachments()] == ["tabel-lkip-2024.xlsx"]
    assert (
        f"notice sent to mailto://127.0.0.1:{mailto.split(':')[2].split('?')[0]} (publish {manifest['run_id']})" in run.stdout + run.stderr
    )

    # a second consumer run for the same publish, and a build with nothing new then its consumer: no second e-mail
    run = subprocess.run([airflow, "dags", "test", "kinerja_publikasi", "2025-02-07"], env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0 and "notice already sent earlier to mailto://127.0.0.1" in run.stdout + run.stderr
    run = subprocess.run([airflow, "dags", "test", "kinerja_lkip", "2025-02-08"], env=env, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0 and "nothing new and nothing changed" in run.stdout + run.stderr, run.stdout[-3000:] + run.stderr[-3000:]
    run = subprocess.run([airflow, "dags", "test", "kinerja_publikasi", "2025-02-08"], env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert len(inbox.messages) == 1


def test_a_failing_channel_fails_the_notice_task_naming_it_and_the_publish_stands(home_copy, monkeypatch):
    """The notice task's step with a dead SMTP server (a password in its URL): it raises naming the
    channel by scheme and host only; the publication set and the warehouse are untouched; once the
    server is up, the retry sends the one message."""
    from ingestion import registry
    from kinerja import airflow_support, publikasi
    from tests.smtp_server import free_port, smtp_server

    settings = home_copy
    for path in (Path(__file__).resolve().parents[1] / "fixtures" / "bps" / "rilis_2025_02").iterdir():
        shutil.copy(path, settings.inbox / "bps" / path.name)
    monkeypatch.setenv("KINERJA_HOME", str(settings.home))
    monkeypatch.setenv("KINERJA_INBOX", str(settings.inbox))
    monkeypatch.setattr("kinerja.notify.time.sleep", lambda _: None)  # notify's own backoff between attempts
    # the Airflow build path: the same steps the build DAG calls, the notice left to the consumer
    reports = [airflow_support.ingest_source(source) for source in registry.sources()]
    airflow_support.build_and_publish(reports)
    manifest = settings.warehouse_dir / "publikasi" / "publikasi.json"
    assert json.loads(manifest.read_text())["pemberitahuan"]["judul"] == "[Kinerja] LKIP 2024: 29 angka berubah"
    before = (manifest.read_bytes(), settings.serving_db.stat().st_mtime_ns)

    port = free_port()  # nothing listens there
    monkeypatch.setenv("KINERJA_NOTIFY_URLS", f"mailtos://kinerja:RAHASIA@127.0.0.1:{port}?to=perencanaan@example.go.id")
    with pytest.raises(airflow_support.NoticeNotDelivered) as failure:
        airflow_support.send_publication_notice()
    assert f"FAILED mailtos://127.0.0.1:{port}: " in str(failure.value) and "the publish stands" in str(failure.value)
    assert "RAHASIA" not in str(failure.value)
    assert (manifest.read_bytes(), settings.serving_db.stat().st_mtime_ns) == before

    with smtp_server() as (inbox, mailto):  # the channel is back: the retry delivers it, and only once
        monkeypatch.setenv("KINERJA_NOTIFY_URLS", mailto)
        assert airflow_support.send_publication_notice().startswith("notice sent to mailto://127.0.0.1")
        assert airflow_support.send_publication_notice().startswith("notice already sent earlier")
        assert [m["Subject"] for m in inbox.messages] == ["[Kinerja] LKIP 2024: 29 angka berubah"]
    assert publikasi.send_notice(settings, []).channels == 0
