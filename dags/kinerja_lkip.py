"""
### kinerja_lkip — the LKIP warehouse build

Ingests the inbox, one task per declared source (``ingestion.registry``: E-Monev realisasi, BPS,
SIPD, Jakpreneur, e-Order, ...), validating every new batch with Great Expectations (a bad file is
quarantined), builds the warehouse with dbt into a new DuckDB file, audits its marts with Great
Expectations and publishes it atomically as ``warehouse/kinerja.duckdb`` (emitting the Asset
``kinerja://warehouse/marts``), recording what moved in ``marts.log_perubahan`` and writing the
planners' publication set (``warehouse/publikasi/``), then logs the planner summary. The notice to
the planners is sent by ``kinerja_publikasi``, the consumer of that Asset.

Runs every morning at 06:00 WIB, and whenever ``kinerja_bps_poll`` announces a new BPS release
(Asset ``kinerja://landing/bps/pdrb``), so delayed PDRB figures fill in without anyone acting.

**One writer at a time**: every task that writes the landing zone or the warehouse runs in the
one-slot pool ``kinerja_warehouse``, so runs may overlap (an Asset event during a build gets its
own run at once) while their writing steps take turns. A dbt model or test that fails fails
``build_and_publish`` with dbt's names of what failed; a rejected file fails ``summarize`` after
what else landed is published; neither is retried. Every failure is sent as an alert through
``KINERJA_NOTIFY_URLS`` (or the connection ``kinerja_notify``).

The steps are the functions of ``kinerja.airflow_support`` (over ``kinerja.ingest``,
``kinerja.pipeline``, ``kinerja.summary``, the same ones ``kinerja run`` calls); this file only
wires them. Paths come from ``KINERJA_HOME`` and ``KINERJA_INBOX``.
"""

from __future__ import annotations

from datetime import datetime

from airflow.sdk import AssetOrTimeSchedule, CronTriggerTimetable, dag, task

from ingestion import registry
from kinerja import airflow_support as steps
from kinerja.assets import BPS_RELEASE, WAREHOUSE_MARTS


@dag(
    dag_id="kinerja_lkip",
    # Every morning for file drops, and at once whenever a new BPS release lands.
    schedule=AssetOrTimeSchedule(timetable=CronTriggerTimetable("0 6 * * *", timezone="Asia/Jakarta"), assets=[BPS_RELEASE]),
    start_date=datetime(2024, 1, 1),
    catchup=False,
    tags=["kinerja", "lkip", "warehouse"],
    default_args={
        "owner": steps.OWNER,
        **steps.RETRY,
        "on_failure_callback": steps.FailureAlert(),
        # a later step outranks an earlier one for the pool: the run that started first finishes first
        "weight_rule": "upstream",
    },
    doc_md=__doc__,
)
def kinerja_lkip():
    """Ingest (one task per source), build, publish and summarise the Kinerja warehouse."""

    @task(pool=steps.WAREHOUSE_POOL)
    def ingest(source: str) -> dict:
        """Land every new inbox file of one source after validation; a rejected file is quarantined and listed."""
        return steps.ingest_source(source)

    @task(pool=steps.WAREHOUSE_POOL, outlets=[WAREHOUSE_MARTS])
    def build_and_publish(reports: list[dict], *, outlet_events=None) -> dict:
        """Load raw.* from the landing zone, dbt build (models and tests) into a new file, audit the
        marts with Great Expectations, then replace the serving warehouse atomically (or, when only
        rejected files came in, leave it and mark their source stale) and write the planners'
        publication set. A failed dbt model or test is named in the failure message. The Asset
        event it emits (the run in its extra) schedules kinerja_publikasi, which sends the notice."""
        ingested = steps.build_and_publish(reports)
        outlet_events[WAREHOUSE_MARTS].extra = {"run_id": ingested.get("run_id")}
        return ingested

    @task
    def summarize(ingested: dict) -> str:
        """Log the planner summary of the published warehouse; fail naming every rejected file."""
        return steps.summarize(ingested)

    # one ingest task per declared source; a source whose entities must land after another's waits for it
    declared = registry.sources()
    tasks = {source: ingest.override(task_id=f"ingest_{source}")(source) for source in declared}
    for source, entities in declared.items():
        for before in {key.split(".", 1)[0] for e in entities for key in e.after} - {source}:
            tasks[before] >> tasks[source]
    summarize(build_and_publish(list(tasks.values())))


kinerja_lkip()
