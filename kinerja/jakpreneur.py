"""Jakpreneur and e-Order step: land every new export of ``inbox/jakpreneur/`` and ``inbox/eorder/``.

Order matters: registry snapshots land first, because assessments, transactions and e-Order orders
are checked against every UMKM ever registered (an unknown UMKM rejects the file). Registry,
assessments and orders are small: parsed in Python and validated by their Great Expectations
suites. Transactions are checked in DuckDB (:func:`ingestion.jakpreneur.stage_transactions`) and
written to Parquet without passing through pandas.

Every file is all or nothing: one bad row rejects the file (quarantined with the line and reason
of each bad row) and the other files of the run go on. Re-delivering a file, or an export whose
date range overlaps one landed before, adds nothing: repeated transactions are recognised by
``transaksi_id``, and staging keeps one row per UMKM, assessment and order.
"""

from __future__ import annotations

import csv
import os
import uuid
from pathlib import Path

import duckdb
import pandas as pd

from ingestion import eorder, jakpreneur
from kinerja import landing, quality
from kinerja.config import DBT_PROJECT_DIR, Settings
from kinerja.errors import InputFileError, RowProblem
from kinerja.progress import Reporter, silent

PEMBINA_CSV = DBT_PROJECT_DIR / "seeds" / "katalog" / "perangkat_daerah_pkt.csv"
DUCKDB_MEMORY_LIMIT = os.environ.get("KINERJA_DUCKDB_MEMORY_LIMIT", "6GB")


def pembina_codes() -> set[str]:
    with PEMBINA_CSV.open(newline="", encoding="utf-8") as fh:
        return {row["perangkat_daerah_kode"] for row in csv.DictReader(fh)}


def _rows_files(settings: Settings, source: str, entity: str) -> list[Path]:
    return [b.rows_path(settings.landing_dir) for b in landing.landed_batches(settings.landing_dir, source, entity)]


def known_umkm(settings: Settings) -> set[str]:
    files = _rows_files(settings, jakpreneur.SOURCE, "umkm")
    if not files:
        return set()
    con = duckdb.connect()
    try:
        return {r[0] for r in con.execute("select distinct umkm_id from read_parquet(?)", [[str(f) for f in files]]).fetchall()}
    finally:
        con.close()


def _validated(
    suite: str, frame: pd.DataFrame, path: Path, source: str, progress: Reporter, parameters: dict | None = None
) -> pd.DataFrame:
    progress(f"ingest: validating {path.name} ({len(frame)} rows) with Great Expectations suite {suite}")
    quality.validate_frame(suite, frame, parameters or {}, path, source)
    return frame


def ingest_files(settings: Settings, report, progress: Reporter = silent) -> None:
    from kinerja.ingest import inbox_files, reject, unsafe_entry
    from kinerja.ingest import ingest_files as land_inbox_files

    folder_files = inbox_files(settings.inbox, jakpreneur.SOURCE, (".csv",))
    for path in folder_files:
        if jakpreneur.entity_of(path) is None:
            exc = unsafe_entry(path, jakpreneur.SOURCE) or InputFileError(
                path,
                [RowProblem(None, None, "the file name must start with umkm, penilaian or transaksi, so Kinerja knows which export it is")],
                jakpreneur.SOURCE,
            )
            sha = "" if path.is_symlink() else landing.sha256_of(path)
            reject(settings, report, progress, exc, path, jakpreneur.SOURCE, sha)
    codes = pembina_codes()

    def read_registry(path: Path) -> pd.DataFrame:
        frame = jakpreneur.parse_registry(path, codes)
        return _validated("jakpreneur__umkm", frame, path, jakpreneur.SOURCE, progress, {"kode_pembina": sorted(codes)})

    def only(entity: str):
        return lambda p: jakpreneur.entity_of(p) == entity

    common = dict(source=jakpreneur.SOURCE, suffixes=(".csv",))
    land_inbox_files(
        settings, report, progress, entity="umkm", label="Jakpreneur registry", read=read_registry, accept=only("umkm"), **common
    )
    known = known_umkm(settings)

    def read_assessments(path: Path) -> pd.DataFrame:
        return _validated("jakpreneur__penilaian", jakpreneur.parse_assessments(path, known), path, jakpreneur.SOURCE, progress)

    land_inbox_files(
        settings,
        report,
        progress,
        entity="penilaian",
        label="Jakpreneur assessment",
        read=read_assessments,
        accept=only("penilaian"),
        **common,
    )
    _ingest_transactions(settings, report, progress, land_inbox_files, only("transaksi"))

    def read_orders(path: Path) -> pd.DataFrame:
        return _validated("eorder__pesanan", eorder.parse(path, known), path, eorder.SOURCE, progress)

    land_inbox_files(
        settings, report, progress, source=eorder.SOURCE, entity=eorder.ENTITY, label="e-Order", suffixes=(".csv",), read=read_orders
    )


def transaction_connection(settings: Settings) -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB for checking transaction files, bounded in memory (spills to state/)."""
    spill = settings.state_dir / "duckdb_tmp"
    spill.mkdir(parents=True, exist_ok=True)
    from kinerja import gx_duckdb

    con = duckdb.connect(TRANSACTION_DB, config=gx_duckdb.shared_memory_config(transaction_config(settings)))
    registry = _rows_files(settings, jakpreneur.SOURCE, "umkm")
    if registry:
        con.execute("create or replace table known_umkm as select distinct umkm_id from read_parquet(?)", [[str(f) for f in registry]])
    else:
        con.execute("create or replace table known_umkm (umkm_id varchar)")
    return con


# A named in-memory database: Great Expectations opens a second connection to it (same process,
# same configuration) and validates the staged rows where they lie.
TRANSACTION_DB = ":memory:kinerja_transaksi"


def transaction_config(settings: Settings) -> dict:
    """The staging database's configuration, as given to duckdb-engine (Great Expectations);
    ``duckdb.connect`` takes it through :func:`kinerja.gx_duckdb.shared_memory_config`."""
    spill = settings.state_dir / "duckdb_tmp"
    return {"memory_limit": DUCKDB_MEMORY_LIMIT, "temp_directory": str(spill), "preserve_insertion_order": False}


def gx_check(settings: Settings, path: Path):
    """The Great Expectations suite ``jakpreneur__transaksi`` as the check of
    :func:`ingestion.jakpreneur.stage_transactions`, run inside the staging DuckDB through a
    connection of its own for this file (so it sees this file's ``staged`` table, not a snapshot)."""
    from kinerja import gx_duckdb

    def check(table: str, now) -> list[tuple[str, str, list[str]]]:
        ctx = quality.context()
        datasource = gx_duckdb.add_datasource(ctx, f"transaksi-{uuid.uuid4().hex}", TRANSACTION_DB, transaction_config(settings))
        try:
            outcome = quality.validate_sql(
                datasource,
                "jakpreneur__transaksi",
                f"select * from {table}",
                {"sekarang": now},
                key_column="transaksi_id",
                label=f"ingest {path.name}",
            )
        finally:
            gx_duckdb.release(datasource)
            ctx.data_sources.delete(datasource.name)
        grouped: dict[tuple[str, str], list[str]] = {}
        for column, message, key in outcome.bad_keys:
            grouped.setdefault((column or "", message), []).append(key)
        found = [(column, message, keys) for (column, message), keys in grouped.items()]
        keyed = {f"{message} (transaksi_id {key})" for _, message, keys in found for key in keys}
        # a failure without rows (a check that could not run, a table-level check) still rejects the file
        found += [(p.kolom or "", p.masalah, []) for p in outcome.problems if p.masalah not in keyed]
        return found

    return check


def _ingest_transactions(settings: Settings, report, progress: Reporter, land_inbox_files, accept) -> None:
    scratch = settings.landing_dir / jakpreneur.SOURCE / "transaksi" / ".tmp"
    for leftover in scratch.glob("stage-*.parquet"):  # from a killed run (ingest runs under the run lock)
        leftover.unlink(missing_ok=True)
    con: list[duckdb.DuckDBPyConnection] = []

    def read(path: Path) -> landing.StagedRows:
        if not con:
            con.append(transaction_connection(settings))
        scratch.mkdir(parents=True, exist_ok=True)
        sha = landing.sha256_of(path)
        stamp = landing.Stamp.now(jakpreneur.SOURCE, sha)
        out = scratch / f"stage-{stamp.batch_id}.parquet"
        try:
            staged = jakpreneur.stage_transactions(
                con[0],
                path,
                out,
                batch_id=stamp.batch_id,
                landed_at=stamp.landed_at,
                landed_files=_rows_files(settings, jakpreneur.SOURCE, "transaksi"),
                check=gx_check(settings, path),
            )
        except BaseException:
            out.unlink(missing_ok=True)
            raise
        note = f"{staged.row_count} new transaction(s)"
        if staged.duplicates_in_file:
            note += f"; {staged.duplicates_in_file} row(s) repeated in the file dropped"
        if staged.already_landed:
            note += f"; {staged.already_landed} transaction(s) landed before (overlapping export) left out"
        progress(f"ingest: {path.name}: {note}")
        return landing.StagedRows(out, staged.row_count, stamp, note)

    try:
        land_inbox_files(
            settings, report, progress, source=jakpreneur.SOURCE, entity="transaksi", label="Jakpreneur transaction", suffixes=(".csv",),
            read=read, accept=accept,
        )  # fmt: skip
    finally:
        for c in con:
            c.close()
