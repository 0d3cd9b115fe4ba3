"""Landed batches as an operator handles them: list them, retract one that should not have landed,
restore a retracted one (``kinerja batch list | retract | restore``).

The landed original is never touched; a retraction or restore is an event appended to the
retraction record (:mod:`kinerja.retractions`) under the run lock, and takes effect at the next
build and publish (``kinerja run``, or the next scheduled run).
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from ingestion import registry
from kinerja import landing, retractions
from kinerja.config import Settings
from kinerja.errors import PipelineError


@dataclass(frozen=True)
class LandedBatch:
    """One landed batch, with whether the serving warehouse holds it and whether it is retracted."""

    batch: landing.Batch
    in_serving: bool
    retraction: retractions.Event | None  # the retraction in force, if any

    @property
    def retracted(self) -> bool:
        return self.retraction is not None


def served_batch_ids(settings: Settings) -> set[str]:
    """The batches the serving warehouse was built from (``raw.pipeline__batch``)."""
    if not settings.serving_db.exists():
        return set()
    con = duckdb.connect(str(settings.serving_db), read_only=True)
    try:
        found = con.execute("select count(*) from duckdb_tables() where schema_name = 'raw' and table_name = 'pipeline__batch'").fetchone()[
            0
        ]
        return {b for (b,) in con.execute("select batch_id from raw.pipeline__batch").fetchall()} if found else set()
    finally:
        con.close()


def all_batches(settings: Settings) -> list[landing.Batch]:
    """Every landed batch of every declared entity, retracted or not, in landing order."""
    found = [
        b for e in registry.entities() for b in landing.landed_batches(settings.landing_dir, e.source, e.entity, include_retracted=True)
    ]
    return sorted(found, key=lambda b: (b.landed_at, b.batch_id))


def listing(settings: Settings) -> list[LandedBatch]:
    served = served_batch_ids(settings)
    retracted = retractions.in_force(settings.landing_dir)
    return [LandedBatch(b, b.batch_id in served, retracted.get(b.batch_id)) for b in all_batches(settings)]


def _find(settings: Settings, batch_id: str) -> landing.Batch:
    for batch in all_batches(settings):
        if batch.batch_id == batch_id:
            return batch
    raise PipelineError(
        f"no landed batch {batch_id!r} in {settings.landing_dir}; 'kinerja batch list' shows the batch ids (e.g. emonev-20261202T101500123456Z-1a2b3c4d5e6f)"
    )


def retract(settings: Settings, batch_id: str, reason: str) -> tuple[landing.Batch, retractions.Event]:
    """Record that ``batch_id`` is retracted, for ``reason``; every later build leaves it out. The
    landed original stays where it is. Takes the run lock, so no build is running meanwhile."""
    from kinerja.pipeline import run_lock

    reason = " ".join(reason.split())
    if not reason:
        raise PipelineError(
            f'retracting batch {batch_id}: give a reason (--reason "..."); it is recorded and published with the change log'
        )
    with run_lock(settings):
        batch = _find(settings, batch_id)
        current = retractions.in_force(settings.landing_dir).get(batch_id)
        if current is not None:
            raise PipelineError(
                f"batch {batch_id} ({batch.original_name}) is already retracted, since {current.pada} (reason: {current.alasan}); "
                "nothing was recorded"
            )
        return batch, retractions.record(settings.landing_dir, batch_id, retractions.RETRACTED, reason)


def restore(settings: Settings, batch_id: str, reason: str = "") -> tuple[landing.Batch, retractions.Event]:
    """Undo the retraction of ``batch_id`` (recorded as an event too); later builds use it again."""
    from kinerja.pipeline import run_lock

    with run_lock(settings):
        batch = _find(settings, batch_id)
        if batch_id not in retractions.in_force(settings.landing_dir):
            raise PipelineError(f"batch {batch_id} ({batch.original_name}) is not retracted; nothing to restore")
        return batch, retractions.record(settings.landing_dir, batch_id, retractions.RESTORED, " ".join(reason.split()) or "restored")


def format_listing(rows: list[LandedBatch]) -> str:
    """The listing as a plain table for the terminal."""
    header = ("batch_id", "source/entity", "file", "landed_at", "rows", "serving", "retracted")
    lines = [
        (
            r.batch.batch_id,
            f"{r.batch.source}/{r.batch.entity}",
            r.batch.original_name,
            r.batch.landed_at,
            str(r.batch.row_count),
            "yes" if r.in_serving else "no",
            f"yes, {r.retraction.pada}: {r.retraction.alasan}" if r.retraction else "no",
        )
        for r in rows
    ]
    widths = [max(len(row[i]) for row in [header, *lines]) for i in range(len(header) - 1)]
    out = []
    for row in [header, *lines]:
        out.append("  ".join(cell.ljust(w) for cell, w in zip(row[:-1], widths, strict=True)) + "  " + row[-1])
    return "\n".join(out)
