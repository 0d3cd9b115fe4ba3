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
