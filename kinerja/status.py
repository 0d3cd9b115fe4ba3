"""Source status: whether the published marts hold the latest data of each source, or are stale.

A rejected file never reaches ``raw.*``, so the marts keep the last good data of its source. They
say so in two places: ``marts.status_sumber``, a table in each published build (the status as of
that publish, no path inside, so the file works wherever it is mounted), and
``warehouse/status_sumber.parquet``, the live status, which every run rewrites (atomically, after
its publish or instead of one). The serving file itself is not touched when nothing new can be
published, so a BI tool reading it keeps reading the same figures; the status file then says that
a source is stale (``status = 'USANG'``) with the rejected file, the reason and where the
quarantined copy is.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from ingestion import registry
from ingestion.csvtable import sql_literal
from kinerja import landing
from kinerja.config import Settings

VIEW = "status_sumber"
COLUMNS = """
    sumber varchar, status varchar, batch_terakhir varchar, diterima_terakhir_pada timestamp,
    berkas_ditolak varchar, alasan varchar, karantina varchar, diperiksa_pada timestamp, run_id varchar,
    berkas_diabaikan varchar
"""


def status_file(settings: Settings) -> Path:
    return settings.warehouse_dir / f"{VIEW}.parquet"


def rows(
    settings: Settings, run_id: str, rejected: list[dict[str, str]] | None, ignored: list[dict[str, str]] | None = None
) -> list[tuple]:
    """The status rows (columns :data:`COLUMNS`) from the landing zone and this run's rejections
    (:func:`kinerja.ingest.rejection`: sumber, berkas, karantina, alasan). ``None`` (a publish
    without an inbox scan, e.g. after a BPS poll) keeps the rejections recorded before. ``ignored``
    (entries of the source's folder that were not read: sumber, berkas, alasan) are listed with their
    reason in ``berkas_diabaikan``; they do not make a source stale."""
    if rejected is None:
        rejected = stale(settings)
    if ignored is None:  # no inbox scan: what the last scan did not read still stands
        ignored = [
            {"sumber": source, "berkas": line.split(": ", 1)[0], "alasan": line.split(": ", 1)[-1]}
            for source, line in ignored_entries(settings)
        ]
    checked = datetime.now(UTC).replace(tzinfo=None)
    found = []
    for source, entities in registry.sources().items():  # every declared source, with or without batches
        batches = [b for e in entities for b in landing.landed_batches(settings.landing_dir, source, e.entity)]
        last = max(batches, key=lambda b: b.landed_at, default=None)
        bad = [r for r in rejected if r["sumber"] == source]
        skipped = [f"{r['berkas']}: {r['alasan']}" for r in ignored or [] if r["sumber"] == source]
        found.append(
            (
                source,
                "USANG" if bad else "TERKINI",
                last.batch_id if last else None,
                last.landed_at.rstrip("Z").replace("T", " ") if last else None,
                ", ".join(r["berkas"] for r in bad) or None,
                "\n\n".join(r["alasan"] for r in bad)[:20000] or None,
                ", ".join(r["karantina"] for r in bad) or None,
                checked,
                run_id,
                "\n".join(skipped) or None,
            )
        )
    return found


_INSERT = "insert into {table} values (?, ?, ?, cast(? as timestamp), ?, ?, ?, ?, ?, ?)"


def write(settings: Settings, run_id: str, rejected: list[dict[str, str]] | None, ignored: list[dict[str, str]] | None = None) -> Path:
    """Rewrite ``warehouse/status_sumber.parquet`` (the live status, between publishes too) with
    :func:`rows`."""
    found = rows(settings, run_id, rejected, ignored)
    target = status_file(settings)
    target.parent.mkdir(parents=True, exist_ok=True)
    scratch = target.with_name(f".{target.name}.{os.getpid()}")
    con = duckdb.connect()
    try:
        con.execute(f"create table s ({COLUMNS})")
        con.executemany(_INSERT.format(table="s"), found)
        con.execute(f"copy s to {sql_literal(scratch)} (format parquet)")
    finally:
        con.close()
    os.replace(scratch, target)  # readers of the view see the old or the new file, never half of one
    return target


def create_table(
    con: duckdb.DuckDBPyConnection,
    settings: Settings,
    run_id: str,
    rejected: list[dict[str, str]] | None,
    ignored: list[dict[str, str]] | None = None,
) -> None:
    """``marts.status_sumber`` in a build about to be published: a table of the status as of this
    publish (:func:`rows`), with no path inside, so the file works wherever it is mounted."""
    con.execute(f"create or replace table marts.{VIEW} ({COLUMNS})")
    con.executemany(_INSERT.format(table=f"marts.{VIEW}"), rows(settings, run_id, rejected, ignored))


def create_view(con: duckdb.DuckDBPyConnection, settings: Settings) -> None:
    """``marts.status_sumber`` as a view over the status file (a local, live reader's choice; the
    publish writes a table, :func:`create_table`, since a view holds the home's absolute path)."""
    con.execute(f"create or replace view marts.{VIEW} as select * from read_parquet({sql_literal(status_file(settings))})")


def stale(settings: Settings) -> list[dict[str, str]]:
    """The rejections of every stale source recorded in the status file (sumber, berkas, karantina,
    alasan, as :func:`kinerja.ingest.rejection` gives them), by source."""
    path = status_file(settings)
    if not path.exists():
        return []
    con = duckdb.connect()
    try:
        rows = con.execute(
            f"select sumber, berkas_ditolak, karantina, alasan from read_parquet({sql_literal(path)}) where status = 'USANG' order by sumber"
        ).fetchall()
    finally:
        con.close()
    return [{"sumber": r[0], "berkas": r[1] or "", "karantina": r[2] or "", "alasan": r[3] or ""} for r in rows]


def ignored_entries(settings: Settings) -> list[tuple[str, str]]:
    """(sumber, one line per ignored entry) from the status file: what the last inbox scan did not read."""
    path = status_file(settings)
    if not path.exists():
        return []
    con = duckdb.connect()
    try:
        names = {r[0] for r in con.execute(f"describe select * from read_parquet({sql_literal(path)})").fetchall()}
        if "berkas_diabaikan" not in names:  # a status file written before the column existed
            return []
        rows = con.execute(
            f"select sumber, berkas_diabaikan from read_parquet({sql_literal(path)}) where berkas_diabaikan is not null order by sumber"
        ).fetchall()
    finally:
        con.close()
    return [(source, line) for source, text in rows for line in text.splitlines()]
