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

from ingestion.registry import StagedRows


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
    note: str = ""  # e.g. how many rows of an overlapping export were landed before

    def rows_path(self, landing_dir: Path) -> Path:
        return landing_dir / self.directory / "rows.parquet"


_SHA256_MEMO: dict[tuple, str] = {}


def sha256_of(path: Path, cache_file: Path | None = None) -> str:
    """SHA-256 of a file's bytes. Remembered per path, size, modification and change time and inode, in this process
    and, with ``cache_file``, across runs: an inbox keeps its files, and a run should not re-read
    gigabytes of transactions landed long ago to learn that they were landed."""
    stat = path.stat()
    # ctime moves on every write, even one that restores the old mtime (cp -p, rsync -t)
    key = (str(path.resolve()), stat.st_size, stat.st_mtime_ns, stat.st_ctime_ns, stat.st_ino)
    if key in _SHA256_MEMO:
        return _SHA256_MEMO[key]
    known: dict = {}
    if cache_file is not None and cache_file.exists():
        try:
            known = json.loads(cache_file.read_text())
        except ValueError:  # a damaged cache is only a cache
            known = {}
        entry = known.get(key[0])
        if entry and entry[:-1] == list(key[1:]):
            _SHA256_MEMO[key] = entry[-1]
            return entry[-1]
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    _SHA256_MEMO[key] = digest.hexdigest()
    if cache_file is not None:
        known[key[0]] = [*key[1:], _SHA256_MEMO[key]]
        cache_file.parent.mkdir(parents=True, exist_ok=True)
        scratch = cache_file.with_name(f".{cache_file.name}.{os.getpid()}")
        scratch.write_text(json.dumps(known))
        os.replace(scratch, cache_file)
    return _SHA256_MEMO[key]


def _entity_dir(landing_dir: Path, source: str, entity: str) -> Path:
    return landing_dir / source / entity


def find_landed(landing_dir: Path, source: str, entity: str, sha256: str) -> Batch | None:
    base = _entity_dir(landing_dir, source, entity)
    if not base.exists():
        return None
    for meta in base.glob(f"landed_at=*/{sha256}/batch.json"):  # only complete batches have this path
        return Batch(**json.loads(meta.read_text()))
    return None


@dataclass(frozen=True)
class Stamp:
    """When a batch lands and the id it gets (ids sort in landing order)."""

    moment: datetime
    batch_id: str
    landed_at: str

    @classmethod
    def now(cls, source: str, sha256: str) -> Stamp:
        moment = datetime.now(UTC)
        return cls(moment, f"{source}-{moment.strftime('%Y%m%dT%H%M%S%fZ')}-{sha256[:12]}", moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ"))


def land(
    landing_dir: Path, source: str, entity: str, original: Path, sha256: str, rows: pd.DataFrame | StagedRows, stamp: Stamp | None = None
) -> Batch:
    """Store the original and its typed rows as a new immutable batch (``rows`` a frame, or a
    Parquet file a reader staged with the batch id and landing time of ``stamp``)."""
    stamp = stamp or Stamp.now(source, sha256)
    now, landed_at = stamp.moment, stamp.landed_at
    partition = _entity_dir(landing_dir, source, entity) / f"landed_at={now.strftime('%Y%m%dT%H%M%S%fZ')}"
    final = partition / sha256
    # Written under .tmp/ (outside the landed_at=* pattern readers use), then renamed into place.
    scratch = _entity_dir(landing_dir, source, entity) / ".tmp"
    scratch.mkdir(parents=True, exist_ok=True)
    partition.mkdir(parents=True, exist_ok=True)
    batch = Batch(
        batch_id=stamp.batch_id,
        source=source,
        entity=entity,
        original_name=original.name,
        sha256=sha256,
        landed_at=landed_at,
        row_count=rows.row_count if isinstance(rows, StagedRows) else len(rows),
        directory=str(final.relative_to(landing_dir)),
        note=rows.note if isinstance(rows, StagedRows) else "",
    )
    tmp = Path(tempfile.mkdtemp(prefix="batch-", dir=scratch))
    try:
        shutil.copy2(original, tmp / f"original{original.suffix.lower()}")
        if isinstance(rows, StagedRows):
            os.replace(rows.path, tmp / "rows.parquet")
        else:
            rows.assign(batch_id=batch.batch_id, landed_at=landed_at).to_parquet(tmp / "rows.parquet", index=False)
        (tmp / "batch.json").write_text(json.dumps(asdict(batch), indent=2))
        for child in tmp.iterdir():
            os.chmod(child, 0o444)
        os.rename(tmp, final)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return batch


def landed_batches(landing_dir: Path, source: str, entity: str, include_retracted: bool = False) -> list[Batch]:
    """All complete batches of one source entity, oldest first; without the retracted ones
    (:mod:`kinerja.retractions`) unless ``include_retracted``."""
    from kinerja import retractions

    base = _entity_dir(landing_dir, source, entity)
    metas = sorted(base.glob("landed_at=*/[0-9a-f]*/batch.json")) if base.exists() else []
    batches = [Batch(**json.loads(m.read_text())) for m in metas]
    if include_retracted or not batches:
        return batches
    retracted = retractions.in_force(landing_dir)
    return [b for b in batches if b.batch_id not in retracted]


def quarantine(quarantine_dir: Path, original: Path, reason: str, source: str = "", sha256: str = "") -> Path:
    """Keep a rejected file with a readable reason next to it; return the copy's path.

    Layout: ``quarantine/<source>/<UTC>-<sha256[:12]>/<name>`` and ``<name>.reason.txt``. A file
    rejected again in a later run (it is still in the inbox) keeps its first copy; only the reason
    is rewritten. A symbolic link is not followed: only the reason is kept."""
    base = quarantine_dir / (source or "unknown")
    tag = sha256[:12] or "link"
    safe_name = _safe_name(original.name)
    existing = sorted(base.glob(f"*-{tag}/{glob_escape(safe_name)}.reason.txt"))  # same content (or same link name)
    if existing:
        target_dir = existing[-1].parent
    else:
        target_dir = base / f"{datetime.now(UTC).strftime('%Y%m%dT%H%M%S%fZ')}-{tag}"
        target_dir.mkdir(parents=True, exist_ok=True)
    copy = target_dir / safe_name
    if not copy.exists() and not original.is_symlink():
        scratch = target_dir / f".{safe_name}.part"
        shutil.copy2(original, scratch)
        os.replace(scratch, copy)
    (target_dir / f"{safe_name}.reason.txt").write_text(reason + "\n")
    return copy


def _safe_name(name: str) -> str:
    """A file name as it may be written in the quarantine: no control characters or path marks, and
    short enough that ``.<name>.part`` and ``<name>.reason.txt`` fit the 255 bytes a name may have."""
    from kinerja.files import path_part

    return path_part(name, max_bytes=200)


def glob_escape(text: str) -> str:
    return "".join(f"[{c}]" if c in "*?[" else c for c in text)
