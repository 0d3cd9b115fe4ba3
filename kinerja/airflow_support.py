"""What the Airflow DAGs need beyond wiring, importable and tested without a scheduler: the task
steps, the one-writer pool, the retry policy, the failure alert, and the deployment's init.

- **One writer at a time.** Every task that writes the landing zone or the warehouse of
  ``KINERJA_HOME`` runs in the pool :data:`WAREHOUSE_POOL`, which has one slot. Runs of the same
  DAG may then overlap (an Asset event that arrives during a build gets its own run at once) while
  their writing steps queue for the slot. ``max_active_runs=1`` is not used for this: with an
  Asset schedule an event that arrives while a run is active waits for the *next* event
  (apache/airflow#56050).
- **Retries where they help.** Every task retries with exponential backoff (:data:`RETRY`): the
  run lock held by a run started by hand, BPS unreachable, a worker lost. A failure that is a
  verdict on the data (a rejected file, a dbt model or test failing, the marts audit failing)
  fails the task at once with the same message (:func:`verdict`): the same inputs would fail the
  same way, and the alert should not wait for three retries.
- **Alerts.** :class:`FailureAlert` (the tasks' ``on_failure_callback``) sends the task, the run
  and the failure message through the notice channel (:mod:`kinerja.notify`,
  ``KINERJA_NOTIFY_URLS`` or the Airflow connection ``kinerja_notify``). It never raises.

Light at import (DAG files import it at parse time): the pipeline's modules are imported inside
the functions a task calls.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from pathlib import Path

from airflow.sdk import BaseNotifier

OWNER = "kinerja-data"

#: the one-slot pool of every task that writes the landing zone or the warehouse
WAREHOUSE_POOL = "kinerja_warehouse"
WAREHOUSE_POOL_SLOTS = 1
WAREHOUSE_POOL_DESCRIPTION = "Kinerja: one writer at a time on the landing zone and the warehouse (KINERJA_HOME)"

#: retried with backoff: 1, 2, 4 minutes (a lock held by a hand-started run, BPS unreachable, a lost worker)
RETRY = {
    "retries": 3,
    "retry_delay": timedelta(minutes=1),
    "retry_exponential_backoff": 2.0,
    "max_retry_delay": timedelta(minutes=15),
}

#: the users of the API server and UI (SimpleAuthManager): one administrator, password from a file
ADMIN_USERNAME_ENV = "KINERJA_ADMIN_USERNAME"
ADMIN_PASSWORD_ENV = "KINERJA_ADMIN_PASSWORD"
PASSWORDS_FILE_ENV = "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_PASSWORDS_FILE"


@contextmanager
def verdict() -> Iterator[None]:
    """A :class:`~kinerja.errors.PipelineError` inside is a verdict on the data (a rejected file,
    a dbt model or test that failed, the marts audit): re-raised as ``AirflowFailException`` with
    the same message, so the task fails at once instead of retrying what must fail again."""
    from airflow.sdk.exceptions import AirflowFailException

    from kinerja.errors import PipelineError

    try:
        yield
    except PipelineError as exc:
        raise AirflowFailException(str(exc)) from None


def _settings():
    from kinerja.config import Settings

    return Settings.from_env()


def ingest_source(source: str) -> dict:
    """Land every new inbox file of one source after validation; a rejected file is quarantined
    and listed in the report (it fails the run in :func:`summarize`, after what else landed is
    published)."""
    from kinerja.ingest import ingest
    from kinerja.pipeline import io_errors_named, run_lock
    from kinerja.progress import stderr_reporter

    settings = _settings()
    with run_lock(settings), io_errors_named(settings):  # a held lock is worth a retry
        return ingest(settings, stderr_reporter(), sources=[source]).as_dict()


def build_and_publish(reports: list[dict]) -> dict:
    """Build from the landing zone, audit, publish: one step under one lock, so no other run can
    publish in between. A dbt model or test that fails, or a failed audit, fails the task at once
    with dbt's names of what failed (from ``run_results.json``)."""
    from kinerja import pipeline
    from kinerja.ingest import merge_reports
    from kinerja.progress import stderr_reporter

    settings = _settings()
    ingested = merge_reports(reports)
    with pipeline.run_lock(settings):
        with verdict(), pipeline.io_errors_named(settings):
            # the notice of the publication set is sent by the consumer of the marts Asset (kinerja_publikasi)
            pipeline.build_and_publish(settings, stderr_reporter(), ingested, send_notice=False)
    return ingested


class NoticeNotDelivered(RuntimeError):
    """A notice channel failed after its own attempts: the task fails (and Airflow retries it),
    naming the channel by scheme and host only. The publish it reports on stands."""


def send_publication_notice(triggering_asset_events=None) -> str:
    """Send the notice of the latest publication set to every channel that has not had it
    (``KINERJA_NOTIFY_URLS`` or the Airflow connection ``kinerja_notify``): once per publish with
    changes, none when nothing moved. A failing channel fails the task loudly, naming it without
    its password; the channels that took the notice are not sent it again on the retry."""
    from kinerja import notify, publikasi
    from kinerja.assets import WAREHOUSE_MARTS

    builds = []
    try:  # which builds' Asset events this run consumes (for the log; the set itself says what to send)
        builds = [(e.extra or {}).get("run_id") for e in (triggering_asset_events or {}).get(WAREHOUSE_MARTS, [])]
    except Exception:  # noqa: BLE001 - a run triggered by hand has no events
        builds = []
    if builds:
        print(f"triggered by the marts Asset events of the publishes {', '.join(str(b) for b in builds)}")
    settings = _settings()
    result = publikasi.send_notice(settings, notify.configured_urls(_connection(notify.AIRFLOW_CONNECTION)))
    text = result.describe()
    print(text)
    if not result.ok:
        raise NoticeNotDelivered(f"{text}; the publish stands, the channels that took the notice are not sent it again")
    return text


def summarize(ingested: dict) -> str:
    """Log the planner summary of the published warehouse; fail (without retry) naming every
    rejected file."""
    from kinerja.pipeline import fail_if_rejected
    from kinerja.summary import summarize as summary

    settings = _settings()
    text = summary(settings)
    print(text)
    with verdict():
        fail_if_rejected(settings, ingested)
    return text


def _connection(conn_id: str):
    """An Airflow connection, or None when it is not defined (the environment variable then serves)."""
    from airflow.sdk import Connection

    try:
        return Connection.get(conn_id)
    except Exception:  # not defined: AirflowNotFoundException (its class moved between releases)
        return None


def poll_bps() -> dict | None:
    """Ask BPS, compare with the landing zone, land a new vintage when anything is new or revised.
    Returns what landed, or None when nothing did. The network calls are outside the run lock,
    comparing and landing inside it."""
    from kinerja.bps import config_and_key, poll
    from kinerja.pipeline import run_lock
    from kinerja.progress import stderr_reporter

    config, key = config_and_key(_connection("kinerja_bps"))
    settings = _settings()
    result = poll(settings, key, config=config, progress=stderr_reporter(), lock=lambda: run_lock(settings))
    return result.as_dict() if result.new_release else None


def failure_notice(context) -> tuple[str, str]:
    """The alert for a failed task: title and body, from the task's context."""
    ti = context.get("ti") or context.get("task_instance")
    dag_id = getattr(ti, "dag_id", None) or getattr(context.get("dag"), "dag_id", "?")
    task_id = getattr(ti, "task_id", "?")
    run_id = getattr(ti, "run_id", None) or context.get("run_id", "?")
    error = context.get("exception")
    message = str(error) if error is not None else "no failure message (see the task log)"
    if error is not None and type(error).__name__ not in ("AirflowFailException", "PipelineError"):
        message = f"{type(error).__name__}: {message}"
    title = f"Kinerja: task {dag_id}.{task_id} FAILED"
    lines = [
        f"DAG {dag_id}, task {task_id}, run {run_id}, try {getattr(ti, 'try_number', '?')}.",
        "",
        message,
        "",
    ]
    log_url = getattr(ti, "log_url", None)
    if log_url:
        lines.append(f"Task log: {log_url}")
    lines.append("What to do: docs/deployment.md#alerts and docs/operations.md#what-a-failed-run-means")
    return title, "\n".join(lines)


class FailureAlert(BaseNotifier):
    """``on_failure_callback`` of every Kinerja task: the alert goes through the notice channel
    (``KINERJA_NOTIFY_URLS`` or the Airflow connection ``kinerja_notify``). A failing channel is
    logged, never raised: the alert must not hide the failure it reports."""

    def notify(self, context) -> None:
        from kinerja import notify

        try:
            title, body = failure_notice(context)
            result = notify.send(title, body, urls=notify.configured_urls(_connection(notify.AIRFLOW_CONNECTION)))
            self.log.info("failure alert: %s", result.describe())
        except Exception as exc:  # noqa: BLE001 - the callback must never fail the task's finalisation
            self.log.warning("failure alert not sent: %s: %s", type(exc).__name__, exc)


def write_passwords_file(path: Path, users: dict[str, str]) -> None:
    """The SimpleAuthManager password file (``{"user": "password"}``), readable by its owner only.
    Users it lists keep the password given instead of one generated at the API server's start."""
    path.parent.mkdir(parents=True, exist_ok=True)
    scratch = path.with_name(f".{path.name}.tmp")
    scratch.write_text(json.dumps(users) + "\n")
    os.chmod(scratch, 0o600)
    os.replace(scratch, path)


def pool_command(airflow: str = "airflow") -> list[str]:
    """``airflow pools set`` for the warehouse pool (idempotent)."""
    return [airflow, "pools", "set", WAREHOUSE_POOL, str(WAREHOUSE_POOL_SLOTS), WAREHOUSE_POOL_DESCRIPTION]


def init_deployment(env: dict[str, str] | None = None, airflow: str | None = None) -> None:
    """After ``airflow db migrate``: the warehouse pool, the administrator's password file (from
    ``KINERJA_ADMIN_USERNAME``/``KINERJA_ADMIN_PASSWORD``, into the file Airflow is configured with)
    and one inbox folder per declared source under ``KINERJA_INBOX``. Idempotent. Run by the compose
    file's init service and by the real-process test."""
    env = dict(os.environ if env is None else env)
    airflow = airflow or str(Path(sys.executable).with_name("airflow"))
    password = env.get(ADMIN_PASSWORD_ENV, "")
    if not password:
        raise SystemExit(f"{ADMIN_PASSWORD_ENV} is not set: put the administrator's password in .env (see .env.example)")
    if not env.get(PASSWORDS_FILE_ENV):
        raise SystemExit(f"{PASSWORDS_FILE_ENV} is not set: the administrator's password needs a file the API server reads")
    write_passwords_file(Path(env[PASSWORDS_FILE_ENV]), {env.get(ADMIN_USERNAME_ENV) or "admin": password})
    subprocess.run(pool_command(airflow), env=env, check=True, stdout=subprocess.DEVNULL)
    if env.get("KINERJA_INBOX"):
        from ingestion import registry

        for source in registry.sources():  # one folder per declared source, where the files go
            (Path(env["KINERJA_INBOX"]) / source).mkdir(parents=True, exist_ok=True)


@contextmanager
def metadata_postgres(database: str = "airflow") -> Iterator[str]:
    """A PostgreSQL server for Airflow's metadata database in tests and local trials
    (:func:`kinerja.postgres.local_server`). Yields the SQLAlchemy URL."""
    from kinerja import postgres

    with postgres.local_server(database) as target:
        yield f"postgresql+psycopg2://{target.user}@/{database}?host={target.host}"


if __name__ == "__main__":  # python -m kinerja.airflow_support  (the compose file's init service)
    init_deployment()
    print(f"pool {WAREHOUSE_POOL} ({WAREHOUSE_POOL_SLOTS} slot), the administrator's password file and the inbox folders are in place")
