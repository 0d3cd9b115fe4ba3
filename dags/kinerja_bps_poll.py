"""
### kinerja_bps_poll — watch BPS for a new PDRB release

Asks the BPS WebAPI for every configured PDRB variable (``ingestion/bps/bps.toml``; one request
per variable and domain, for the two years a release can touch) and compares each figure with
the latest landed one. Only when a figure is new or revised does it land the answers as a new
vintage and emit the Asset ``kinerja://landing/bps/pdrb``, which schedules ``kinerja_lkip`` to
rebuild and republish. When nothing changed, ``announce_release`` is skipped: no Asset event, no
rebuild.

The key comes from the Airflow connection ``kinerja_bps`` (password; host may override the API
base URL) or the environment variable ``KINERJA_BPS_KEY``. Airflow masks the connection password
in task logs; Kinerja redacts it from every URL it logs or stores.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from airflow.sdk import dag, task

from kinerja.assets import BPS_RELEASE as BPS_RELEASE_ASSET


@dag(
    dag_id="kinerja_bps_poll",
    schedule="0 */6 * * *",
    start_date=datetime(2024, 1, 1),
    catchup=False,
    max_active_runs=1,
    tags=["kinerja", "bps", "poll"],
    default_args={"owner": "kinerja-data", "retries": 2, "retry_delay": timedelta(minutes=15)},
    doc_md=__doc__,
)
def kinerja_bps_poll():
    """Poll BPS; announce a new release as an Asset event."""

    @task.short_circuit(ignore_downstream_trigger_rules=True)
    def poll_bps() -> dict | None:
        """Fetch, compare with the landing zone, land a new vintage if anything changed; return
        what landed, or None (which skips the announcement) when nothing did."""
        from airflow.sdk import Connection

        from kinerja.bps import config_and_key, poll
        from kinerja.config import Settings
        from kinerja.pipeline import run_lock
        from kinerja.progress import stderr_reporter

        try:
            conn = Connection.get("kinerja_bps")
        except Exception:  # no such connection: the environment variable must do
            conn = None
        config, key = config_and_key(conn)
        settings = Settings.from_env()
        # network calls outside the run lock; comparing and landing inside it
        result = poll(settings, key, config=config, progress=stderr_reporter(), lock=lambda: run_lock(settings))
        return result.as_dict() if result.new_release else None

    @task(outlets=[BPS_RELEASE_ASSET])
    def announce_release(landed: dict, *, outlet_events=None) -> str:
        """Emit the Asset event that schedules kinerja_lkip, with the batch in its extra."""
        outlet_events[BPS_RELEASE_ASSET].extra = {"batch_id": landed["batch_id"], "changed": landed["changed"]}
        return landed["batch_id"]

    announce_release(poll_bps())


kinerja_bps_poll()
