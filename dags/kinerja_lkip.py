"""
### kinerja_lkip — the LKIP warehouse build

Ingests the inbox (E-Monev realisasi, BPS files; later Jakpreneur, SIPD, e-Order), validates every
new batch with Great Expectations, builds the warehouse with dbt into a new DuckDB file and
publishes it atomically as ``warehouse/kinerja.duckdb`` (emitting the Asset
``kinerja://warehouse/marts``), recording what moved in ``marts.log_perubahan``, then logs the
planner summary.

Runs every morning at 06:00 WIB, and whenever ``kinerja_bps_poll`` announces a new BPS release
(Asset ``kinerja://landing/bps/pdrb``), so delayed PDRB figures fill in without anyone acting.

The steps are the same functions ``kinerja run`` calls (``kinerja.ingest``, ``kinerja.warehouse``,
``kinerja.publish``, ``kinerja.summary``); this file only wires them. Paths come from
``KINERJA_HOME`` and ``KINERJA_INBOX``.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from airflow.sdk import Asset, AssetOrTimeSchedule, CronTriggerTimetable, dag, task

WAREHOUSE_ASSET = Asset("kinerja://warehouse/marts")
# Emitted by kinerja_bps_poll when a new or revised BPS release has landed.
BPS_RELEASE_ASSET = Asset("kinerja://landing/bps/pdrb")


@dag(
    dag_id="kinerja_lkip",
    # Every morning for file drops, and at once whenever a new BPS release lands.
    schedule=AssetOrTimeSchedule(timetable=CronTriggerTimetable("0 6 * * *", timezone="Asia/Jakarta"), assets=[BPS_RELEASE_ASSET]),
    start_date=datetime(2024, 1, 1),
    catchup=False,
    max_active_runs=1,
    tags=["kinerja", "lkip", "warehouse"],
    default_args={"owner": "kinerja-data", "retries": 1, "retry_delay": timedelta(minutes=5)},
    doc_md=__doc__,
)
def kinerja_lkip():
    """Ingest, build, publish and summarise the Kinerja warehouse."""

    @task
    def ingest() -> dict:
        """Land every new inbox file after validation; fail naming each rejected file, row and reason."""
        from kinerja.config import Settings
        from kinerja.ingest import ingest as run_ingest
        from kinerja.pipeline import run_lock
        from kinerja.progress import stderr_reporter

        settings = Settings.from_env()
        with run_lock(settings):
            return run_ingest(settings, stderr_reporter()).as_dict()

    @task(outlets=[WAREHOUSE_ASSET])
    def build_and_publish(ingested: dict) -> str:
        """Load raw.* from the landing zone, dbt build (models and tests) into a new file, then replace
        the serving warehouse atomically. One task under one lock, so no other run can publish in between."""
        from kinerja.config import Settings
        from kinerja.pipeline import build_and_publish, run_lock
        from kinerja.progress import stderr_reporter

        settings = Settings.from_env()
        progress = stderr_reporter()
        with run_lock(settings):
            return build_and_publish(settings, progress)

    @task
    def summarize(serving_db: str) -> str:
        """Log the planner summary of the published warehouse."""
        from kinerja.config import Settings
        from kinerja.summary import summarize as run_summary

        text = run_summary(Settings.from_env())
        print(text)
        return text

    summarize(build_and_publish(ingest()))


kinerja_lkip()
