"""How long a home keeps what it can do without: validation results (the Data Docs) and
warehouses rebuilt with ``kinerja rebuild --as-of``. Settings from the environment, pruning at
the end of every run that built or validated anything.

Never pruned: the landing zone (every original and the retraction record), the serving
warehouse, its exports and publications, the publish history inside it, the quarantine, and the
validation results the serving warehouse rests on (the marts audits of the last runs, the
validation of every file it was built from).
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from kinerja.config import Settings
from kinerja.errors import PipelineError
from kinerja.progress import Reporter, silent


def _int_setting(name: str, default: int, minimum: int) -> int:
    text = os.environ.get(name, "").strip()
    if not text:
        return default
    try:
        value = int(text)
    except ValueError:
        raise PipelineError(f"{name}={text!r} is not a whole number; expected e.g. {name}={default}") from None
    if value < minimum:
        raise PipelineError(f"{name}={value} is below {minimum}; expected e.g. {name}={default}")
    return value


@dataclass(frozen=True)
class Retention:
    validations_days: int = 30  # KINERJA_KEEP_VALIDATIONS_DAYS
    audit_runs: int = 10  # KINERJA_KEEP_AUDIT_RUNS: marts audits of the last N runs kept however old (at least 1)
    as_of_days: int = 30  # KINERJA_KEEP_AS_OF_DAYS: rebuilds in warehouse/as_of/

    @classmethod
    def from_env(cls) -> Retention:
        return cls(
            validations_days=_int_setting("KINERJA_KEEP_VALIDATIONS_DAYS", cls.validations_days, 0),
            audit_runs=_int_setting("KINERJA_KEEP_AUDIT_RUNS", cls.audit_runs, 1),
            as_of_days=_int_setting("KINERJA_KEEP_AS_OF_DAYS", cls.as_of_days, 0),
        )


AUDIT_PREFIX = "audit "  # run name of a marts audit result: "audit <run_id> marts.<mart>" (kinerja.quality)
INGEST_PREFIX = "ingest "  # run name of a batch validation: "ingest <file name>"


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def validation_keys_to_remove(settings: Settings, keys: list, retention: Retention, now: datetime | None = None) -> list:
    """Which validation results (keys of the GX results store) are past keeping: older than
    ``validations_days``, and neither a marts audit of the last ``audit_runs`` runs nor the
    validation of a file the serving warehouse was built from."""
    from kinerja import batches, files

    cutoff = (now or datetime.now(UTC)) - timedelta(days=retention.validations_days)
    audit_runs = sorted({k.run_id.run_name.split(" ")[1] for k in keys if k.run_id.run_name.startswith(AUDIT_PREFIX)}, reverse=True)[
        : retention.audit_runs
    ]
    served_ids = batches.served_batch_ids(settings)
    # a batch's validation is recorded under the run name "ingest <file name>" (kinerja.quality._record)
    served = {files.path_part(INGEST_PREFIX + b.original_name, 120) for b in batches.all_batches(settings) if b.batch_id in served_ids}
    remove = []
    for key in keys:
        moment = key.run_id.run_time
        if moment is None or _aware(moment) >= cutoff:
            continue
        name = key.run_id.run_name
        if name.startswith(AUDIT_PREFIX) and name.split(" ")[1] in audit_runs:
            continue
        if name in served:
            continue
        remove.append(key)
    return remove


def prune_as_of(settings: Settings, retention: Retention, now: float | None = None) -> list[Path]:
    """Delete rebuilds in ``warehouse/as_of/`` older than ``as_of_days`` (rebuild again when needed:
    the landing zone and the publish history keep everything a rebuild uses)."""
    folder = settings.warehouse_dir / "as_of"
    if not folder.is_dir():
        return []
    cutoff = (now or time.time()) - retention.as_of_days * 86400
    removed = []
    for path in sorted(folder.glob("kinerja-as-of-*.duckdb")):
        if path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
            path.with_name(path.name + ".wal").unlink(missing_ok=True)
            removed.append(path)
    return removed


def prune(settings: Settings, progress: Reporter = silent, retention: Retention | None = None) -> list[Path]:
    """The end-of-run pruning of what is not validation results (those are pruned by
    :func:`kinerja.quality.publish_data_docs`, which renders what is kept)."""
    retention = retention or Retention.from_env()
    removed = prune_as_of(settings, retention)
    if removed:
        progress(
            f"retention: {len(removed)} rebuild(s) older than {retention.as_of_days} day(s) removed from {settings.warehouse_dir / 'as_of'}"
        )
    return removed
