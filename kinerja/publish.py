"""Publish step: replace the serving warehouse atomically and refresh the Parquet exports.

``warehouse/kinerja.duckdb`` is replaced with ``os.replace`` (an atomic rename on one file
system), so a BI tool holding the old file open keeps a consistent view and every new reader
sees the whole new build. Parquet copies of the marts go to ``warehouse/exports/`` for tools
that bundle an older DuckDB that cannot read this file format.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import duckdb

from kinerja.config import Settings
from kinerja.progress import Reporter, silent

PUBLIC_MARTS = ("capaian_indikator", "ringkasan_capaian", "outlook_sasaran_strategis", "rekonsiliasi_lkip")


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def export_parquet(db_path: Path, target_dir: Path) -> list[Path]:
    staging = target_dir.with_name(f".{target_dir.name}-new")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    con = duckdb.connect(str(db_path), read_only=True)
    written = []
    try:
        for mart in PUBLIC_MARTS:
            out = staging / f"{mart}.parquet"
            con.execute(f"copy (select * from marts.{mart}) to '{out}' (format parquet)")
            written.append(target_dir / out.name)
    finally:
        con.close()
    old = target_dir.with_name(f".{target_dir.name}-old")
    shutil.rmtree(old, ignore_errors=True)
    if target_dir.exists():
        os.rename(target_dir, old)
    os.rename(staging, target_dir)
    shutil.rmtree(old, ignore_errors=True)
    return written


def publish(settings: Settings, build_file: Path, progress: Reporter = silent) -> Path:
    """Move a finished build into place as the serving warehouse; return the serving path."""
    if not build_file.exists():
        raise FileNotFoundError(f"build file {build_file} does not exist; run the build step first")
    settings.warehouse_dir.mkdir(parents=True, exist_ok=True)
    wal = build_file.with_name(build_file.name + ".wal")
    if wal.exists():
        raise RuntimeError(f"build file {build_file} still has a write-ahead log; it was not closed cleanly")
    os.replace(build_file, settings.serving_db)
    _fsync_dir(settings.warehouse_dir)
    progress(f"publish: {settings.serving_db} replaced atomically")
    exports = export_parquet(settings.serving_db, settings.exports_dir)
    progress(f"publish: {len(exports)} Parquet export(s) in {settings.exports_dir}")
    return settings.serving_db
