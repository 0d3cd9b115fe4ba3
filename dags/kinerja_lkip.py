"""
### kinerja_lkip — the LKIP warehouse build

Ingests the inbox (E-Monev realisasi; later BPS, Jakpreneur, SIPD, e-Order), validates every new
batch with Great Expectations, builds the warehouse with dbt into a new DuckDB file and publishes
it atomically as ``warehouse/kinerja.duckdb``, then logs the planner summary.

The steps are the same functions ``kinerja run`` calls (``kinerja.ingest``, ``kinerja.warehouse``,
``kinerja.publish``, ``kinerja.summary``); this file only wires them. Paths come from
``KINERJA_HOME`` and ``KINERJA_INBOX``.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from airflow.sdk import Asset, dag, task

WAREHOUSE_ASSET = Asset("kinerja://warehouse/marts")


@dag(
    dag_id="kinerja_lkip",
    schedule="0 6 * * *",
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
        from kinerja.progress import stderr_reporter

        return run_ingest(Settings.from_env(), stderr_reporter()).as_dict()

    @task
    def build(ingested: dict) -> str:
        """Load raw.* from the landing zone and run dbt build (models and tests) into a new file."""
        from kinerja import warehouse
        from kinerja.config import Settings
        from kinerja.progress import stderr_reporter

        return str(warehouse.build(Settings.from_env(), warehouse.new_run_id(), stderr_reporter()))

    @task(outlets=[WAREHOUSE_ASSET])
    def publish(build_file: str) -> str:
        """Replace the serving warehouse atomically and refresh the Parquet exports."""
        from pathlib import Path

        from kinerja.config import Settings
        from kinerja.progress import stderr_reporter
        from kinerja.publish import publish as run_publish

        return str(run_publish(Settings.from_env(), Path(build_file), stderr_reporter()))

    @task
    def summarize(serving_db: str) -> str:
        """Log the planner summary of the published warehouse."""
        from kinerja.config import Settings
        from kinerja.summary import summarize as run_summary

        text = run_summary(Settings.from_env())
        print(text)
        return text

    summarize(publish(build(ingest())))


kinerja_lkip()
