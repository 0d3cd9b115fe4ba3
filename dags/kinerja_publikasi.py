"""
### kinerja_publikasi — tell the planners what a publish changed

Scheduled on the Asset ``kinerja://warehouse/marts``, which ``kinerja_lkip`` emits after each
build: it sends the notice of the publication set that build wrote (``warehouse/publikasi/``:
the subject and body in Indonesian, listing what moved, with the workbook attached) to
``KINERJA_NOTIFY_URLS`` or the Airflow connection ``kinerja_notify`` (its password holds the
apprise URLs, so Airflow masks them).

**Once per publish.** Every channel that took the notice of a publish is recorded in
``state/pemberitahuan.json``; a second event for the same publish, a re-run with nothing new or a
retry sends nothing again. A publish that moved nothing (and left no source stale) has no notice.

**A failing channel** fails this task loudly, naming the channel by scheme and host (never its
password), and the task is retried with backoff; only the channels that have not had the notice
are tried again. The publish stands: this DAG only reads the publication set.

The step is ``kinerja.airflow_support.send_publication_notice``; this file only wires it.
"""

from __future__ import annotations

from datetime import datetime

from airflow.sdk import dag, task

from kinerja import airflow_support as steps
from kinerja.assets import WAREHOUSE_MARTS


@dag(
    dag_id="kinerja_publikasi",
    schedule=[WAREHOUSE_MARTS],
    start_date=datetime(2024, 1, 1),
    catchup=False,
    tags=["kinerja", "lkip", "publikasi"],
    default_args={"owner": steps.OWNER, **steps.RETRY, "on_failure_callback": steps.FailureAlert()},
    doc_md=__doc__,
)
def kinerja_publikasi():
    """Send the planners' notice of the latest publish, once."""

    @task
    def send_notice(*, triggering_asset_events=None) -> str:
        """Send the notice of the publication set to every channel that has not had it; fail naming
        a channel that would not take it (retried), never touching the publish."""
        return steps.send_publication_notice(triggering_asset_events)

    send_notice()


kinerja_publikasi()
