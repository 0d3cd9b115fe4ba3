"""The landing zone: every accepted original file, untouched and content-hashed, with batch metadata.

Layout: ``landing/<source>/<entity>/landed_at=<UTC timestamp>/<sha256>/`` holding
``original<suffix>`` (the bytes as delivered), ``rows.parquet`` (the typed rows that passed
validation) and ``batch.json`` (metadata). A file whose content hash was landed before is a
no-op. A batch directory is written under a temporary name and renamed into place, so a
killed run never leaves half a batch.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

import pandas as pd


@dataclass(frozen=True)
class Batch:
    batch_id: str
    source: str
    entity: str
    original_name: str
    sha256: str
    landed_at: str
    row_count: int
    directory: str  # relative to the landing zone, so a home can be moved or restored

    def rows_path(self, landing_dir: Path) -> Path:
        return landing_dir / self.directory / "rows.parquet"


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _entity_dir(landing_dir: Path, source: str, entity: str) -> Path:
    return landing_dir / source / entity


def find_landed(landing_dir: Path, source: str, entity: str, sha256: str) -> Batch | None:
    base = _entity_dir(landing_dir, source, entity)
    if not base.exists():
        return None
    for meta in base.glob(f"landed_at=*/{sha256}/batch.json"):  # only complete batches have this path
        return Batch(**json.loads(meta.read_text()))
    return None


def land(landing_dir: Path, source: str, entity: str, original: Path, sha256: str, rows: pd.DataFrame) -> Batch:
    """Store the original and its typed rows as a new immutable batch."""
    now = datetime.now(UTC)
    landed_at = now.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    partition = _entity_dir(landing_dir, source, entity) / f"landed_at={now.strftime('%Y%m%dT%H%M%S%fZ')}"
    final = partition / sha256
    # Written under .tmp/ (outside the landed_at=* pattern readers use), then renamed into place.
    scratch = _entity_dir(landing_dir, source, entity) / ".tmp"
    scratch.mkdir(parents=True, exist_ok=True)
    partition.mkdir(parents=True, exist_ok=True)
    batch = Batch(
        batch_id=f"{source}-{now.strftime('%Y%m%dT%H%M%S%fZ')}-{sha256[:12]}",  # sorts in landing order
        source=source,
        entity=entity,
        original_name=original.name,
        sha256=sha256,
        landed_at=landed_at,
        row_count=len(rows),
        directory=str(final.relative_to(landing_dir)),
    )
    tmp = Path(tempfile.mkdtemp(prefix="batch-", dir=scratch))
    try:
        shutil.copy2(original, tmp / f"original{original.suffix.lower()}")
        rows.assign(batch_id=batch.batch_id, landed_at=landed_at).to_parquet(tmp / "rows.parquet", index=False)
        (tmp / "batch.json").write_text(json.dumps(asdict(batch), indent=2))
        for child in tmp.iterdir():
            os.chmod(child, 0o444)
        os.rename(tmp, final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return batch


def landed_batches(landing_dir: Path, source: str, entity: str) -> list[Batch]:
    """All complete batches of one source entity, oldest first."""
    base = _entity_dir(landing_dir, source, entity)
    metas = sorted(base.glob("landed_at=*/[0-9a-f]*/batch.json")) if base.exists() else []
    return [Batch(**json.loads(m.read_text())) for m in metas]


def quarantine(quarantine_dir: Path, original: Path, reason: str) -> Path:
    """Keep a rejected file with a readable reason next to it; return the copy's path."""
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    target_dir = quarantine_dir / stamp
    target_dir.mkdir(parents=True, exist_ok=True)
    copy = target_dir / original.name
    shutil.copy2(original, copy)
    (target_dir / f"{original.name}.reason.txt").write_text(reason + "\n")
    return copy
