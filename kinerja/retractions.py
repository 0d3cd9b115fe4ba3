"""The retraction record: which landed batches were taken back (and restored), and why.

A retraction never touches the landed original (the landing zone is never modified): it is a
record in ``landing/_retractions/``, one small JSON file per event (``DITARIK`` or
``DIPULIHKAN``), written aside, fsynced and renamed in, never rewritten. The state of a batch is
its latest event; every later build leaves a retracted batch out (:func:`kinerja.landing.landed_batches`),
the build's fingerprint includes the retractions (so the next run builds), a changed retraction
forces a full refresh of the incremental models (which would otherwise keep its rows), and the
publish records it in ``marts.riwayat_publikasi`` and ``marts.log_perubahan`` (a row of its own,
also when no figure moved, and ``keterangan`` on the rows it moved).
The record lives under ``landing/`` so that it is backed up, moved and restored with the batches
it speaks of.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

FOLDER = "_retractions"
RETRACTED = "DITARIK"
RESTORED = "DIPULIHKAN"


@dataclass(frozen=True)
class Event:
    """One retraction or restore of a batch, as recorded."""

    batch_id: str
    tindakan: str  # DITARIK or DIPULIHKAN
    alasan: str
    pada: str  # UTC, 2026-12-02T10:00:00.000000Z (sorts in time order)


def folder(landing_dir: Path) -> Path:
    return landing_dir / FOLDER


def events(landing_dir: Path, until: str | None = None) -> list[Event]:
    """Every retraction event recorded (up to ``until``, a landed_at-style UTC bound), oldest first."""
    base = folder(landing_dir)
    found = []
    for path in sorted(base.glob("*.json")) if base.is_dir() else []:
        event = Event(**json.loads(path.read_text(encoding="utf-8")))
        if until is None or event.pada <= until:
            found.append(event)
    return sorted(found, key=lambda e: (e.pada, e.batch_id))


def in_force(landing_dir: Path, until: str | None = None) -> dict[str, Event]:
    """The batches retracted (their latest event is a retraction), by batch id, with that event."""
    latest: dict[str, Event] = {}
    for event in events(landing_dir, until):
        latest[event.batch_id] = event
    return {batch_id: e for batch_id, e in latest.items() if e.tindakan == RETRACTED}


def record(landing_dir: Path, batch_id: str, tindakan: str, alasan: str) -> Event:
    """Append one event: written to a temporary file beside, fsynced, renamed in, the folder fsynced.
    A killed call leaves either no record or the whole record."""
    from kinerja.files import fsync_dir

    moment = datetime.now(UTC)
    event = Event(batch_id=batch_id, tindakan=tindakan, alasan=alasan, pada=moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ"))
    base = folder(landing_dir)
    base.mkdir(parents=True, exist_ok=True)
    final = base / f"{moment.strftime('%Y%m%dT%H%M%S%fZ')}-{tindakan.lower()}-{batch_id}.json"
    fd, scratch = tempfile.mkstemp(prefix=".event-", dir=base)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            json.dump(asdict(event), fh, indent=2, ensure_ascii=False)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(scratch, 0o444)
        os.rename(scratch, final)
    except BaseException:
        Path(scratch).unlink(missing_ok=True)
        raise
    fsync_dir(base)
    return event
