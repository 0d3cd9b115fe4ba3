"""
### kinerja_bps_poll — watch BPS for a new PDRB release

Asks the BPS WebAPI for every configured PDRB variable (``ingestion/bps/bps.toml``; one request
per variable and domain, for the two years a release can touch) and compares each figure with
the latest landed one. Only when a figure is new or revised does it land the answers as a new
vintage and emit the Asset ``kinerja://landing/bps/pdrb``, which schedules ``kinerja_lkip`` to
rebuild and republish. When nothing changed, ``announce_release`` is skipped: no Asset event, no
rebuild.

The poll lands in the one-slot pool ``kinerja_warehouse`` (one writer at a time with the build);
an unreachable BPS is retried with backoff; a failure is sent as an alert through
``KINERJA_NOTIFY_URLS``. The key comes from the Airflow connection ``kinerja_bps`` (password; host
may override the API base URL) or the environment variable ``KINERJA_BPS_KEY``. Airflow masks the
connection password in task logs; Kinerja redacts it from every URL it logs or stores.
"""

from __future__ import annotations

from datetime import datetime

from airflow.sdk import dag, task

from kinerja import airflow_support as steps
from kinerja.assets import BPS_RELEASE


@dag(
    dag_id="kinerja_bps_poll",
    schedule="0 */6 * * *",
    start_date=datetime(2024, 1, 1),
    catchup=False,
    max_active_runs=1,  # a poll has no Asset schedule: a second poll while one runs has nothing to add
    tags=["kinerja", "bps", "poll"],
    default_args={"owner": steps.OWNER, **steps.RETRY, "on_failure_callback": steps.FailureAlert()},
    doc_md=__doc__,
)
def kinerja_bps_poll():
    """Poll BPS; announce a new release as an Asset event."""

    @task.short_circuit(ignore_downstream_trigger_rules=True, pool=steps.WAREHOUSE_POOL)
    def poll_bps() -> dict | None:
        """Fetch, compare with the landing zone, land a new vintage if anything changed; return
        what landed, or None (which skips the announcement) when nothing did."""
        return steps.poll_bps()

    @task(outlets=[BPS_RELEASE])
    def announce_release(landed: dict, *, outlet_events=None) -> str:
        """Emit the Asset event that schedules kinerja_lkip, with the batch in its extra."""
        outlet_events[BPS_RELEASE].extra = {"batch_id": landed["batch_id"], "changed": landed["changed"]}
        return landed["batch_id"]

    announce_release(poll_bps())


kinerja_bps_poll()
