"""
### kinerja_lkip — the LKIP warehouse build

Ingests the inbox, one task per declared source (``ingestion.registry``: E-Monev realisasi, BPS,
SIPD, Jakpreneur, e-Order, ...), validating every new batch with Great Expectations (a bad file is
quarantined), builds the warehouse with dbt into a new DuckDB file, audits its marts with Great
Expectations and publishes it atomically as ``warehouse/kinerja.duckdb`` (emitting the Asset
``kinerja://warehouse/marts``), recording what moved in ``marts.log_perubahan``, then logs the
planner summary.

Runs every morning at 06:00 WIB, and whenever ``kinerja_bps_poll`` announces a new BPS release
(Asset ``kinerja://landing/bps/pdrb``), so delayed PDRB figures fill in without anyone acting.

The steps are the same functions ``kinerja run`` calls (``kinerja.ingest``, ``kinerja.pipeline``,
``kinerja.summary``); this file only wires them. Paths come from ``KINERJA_HOME`` and
``KINERJA_INBOX``.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from airflow.sdk import AssetOrTimeSchedule, CronTriggerTimetable, dag, task

from ingestion import registry
from kinerja.assets import BPS_RELEASE, WAREHOUSE_MARTS


@dag(
    dag_id="kinerja_lkip",
    # Every morning for file drops, and at once whenever a new BPS release lands.
    schedule=AssetOrTimeSchedule(timetable=CronTriggerTimetable("0 6 * * *", timezone="Asia/Jakarta"), assets=[BPS_RELEASE]),
    start_date=datetime(2024, 1, 1),
    catchup=False,
    max_active_runs=1,
    tags=["kinerja", "lkip", "warehouse"],
    default_args={"owner": "kinerja-data", "retries": 1, "retry_delay": timedelta(minutes=5)},
    doc_md=__doc__,
)
def kinerja_lkip():
    """Ingest (one task per source), build, publish and summarise the Kinerja warehouse."""

    @task
    def ingest(source: str) -> dict:
        """Land every new inbox file of one source after validation; a rejected file is quarantined and listed."""
        from kinerja.config import Settings
        from kinerja.ingest import ingest as run_ingest
        from kinerja.pipeline import run_lock
        from kinerja.progress import stderr_reporter

        settings = Settings.from_env()
        with run_lock(settings):
            return run_ingest(settings, stderr_reporter(), sources=[source]).as_dict()

    @task(outlets=[WAREHOUSE_MARTS])
    def build_and_publish(reports: list[dict]) -> dict:
        """Load raw.* from the landing zone, dbt build (models and tests) into a new file, audit the
        marts with Great Expectations, then replace the serving warehouse atomically (or, when only
        rejected files came in, leave it and mark their source stale). One task under one lock."""
        from kinerja.config import Settings
        from kinerja.ingest import merge_reports
        from kinerja.pipeline import build_and_publish, run_lock
        from kinerja.progress import stderr_reporter

        settings = Settings.from_env()
        ingested = merge_reports(reports)
        with run_lock(settings):
            build_and_publish(settings, stderr_reporter(), ingested)
        return ingested

    @task
    def summarize(ingested: dict) -> str:
        """Log the planner summary of the published warehouse; fail naming every rejected file."""
        from kinerja.config import Settings
        from kinerja.pipeline import fail_if_rejected
        from kinerja.summary import summarize as run_summary

        settings = Settings.from_env()
        text = run_summary(settings)
        print(text)
        fail_if_rejected(settings, ingested)
        return text

    # one ingest task per declared source; a source whose entities must land after another's waits for it
    declared = registry.sources()
    tasks = {source: ingest.override(task_id=f"ingest_{source}")(source) for source in declared}
    for source, entities in declared.items():
        for before in {key.split(".", 1)[0] for e in entities for key in e.after} - {source}:
            tasks[before] >> tasks[source]
    summarize(build_and_publish(list(tasks.values())))


kinerja_lkip()
