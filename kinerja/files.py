"""File-system moves the pipeline relies on to be safe to kill: a folder built aside and swapped in."""

from __future__ import annotations

import os
import shutil
from pathlib import Path


def fresh_dir(target: Path) -> Path:
    """An empty folder next to ``target`` to build its new content in (``.<name>-new``)."""
    staging = target.with_name(f".{target.name}-new")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    return staging


def swap_dir(staging: Path, target: Path) -> Path:
    """Put a folder built aside in place of ``target``: the old one is renamed away, the new one
    renamed in, then the old one removed. A reader sees the old or the new folder, never a mix;
    a run killed in between leaves ``.<name>-old``, removed by the next swap."""
    old = target.with_name(f".{target.name}-old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        os.rename(target, old)
    os.rename(staging, target)
    shutil.rmtree(old, ignore_errors=True)
    return target


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def path_part(name: str, max_bytes: int = 200) -> str:
    """Any text as one safe path component, for wherever a delivered file's name becomes part of a
    path (quarantine folder, validation results): control characters and path marks become ``_``,
    leading dots go, and a name longer than ``max_bytes`` (UTF-8) keeps its start and its suffix
    with a short hash between, so two long names stay apart. The original name is kept as data."""
    import hashlib

    cleaned = "".join(c if c.isprintable() and c not in "/\\" else "_" for c in name).lstrip(".") or "_"
    if len(cleaned.encode()) <= max_bytes:
        return cleaned
    suffix = Path(cleaned).suffix if len(Path(cleaned).suffix.encode()) <= 16 else ""
    tag = "~" + hashlib.sha256(name.encode("utf-8", "surrogateescape")).hexdigest()[:10]
    budget = max_bytes - len(tag.encode()) - len(suffix.encode())
    head = cleaned[: len(cleaned) - len(suffix)] if suffix else cleaned
    while len(head.encode()) > budget:
        head = head[:-1]
    return head + tag + suffix
