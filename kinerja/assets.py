"""The Airflow Assets that chain the DAGs, defined once: producer and consumer import the same
object, so a typo cannot silently disconnect them. Light to import (DAG files use it at parse time)."""

from __future__ import annotations

from airflow.sdk import Asset

#: emitted by kinerja_bps_poll when a new or revised BPS release has landed; schedules kinerja_lkip
BPS_RELEASE = Asset("kinerja://landing/bps/pdrb")
#: emitted by kinerja_lkip when it published the warehouse (consumers: BI refresh, notices)
WAREHOUSE_MARTS = Asset("kinerja://warehouse/marts")
