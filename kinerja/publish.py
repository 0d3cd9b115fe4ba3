"""Publish step: replace the serving warehouse atomically and refresh the Parquet exports.

``warehouse/kinerja.duckdb`` is replaced with ``os.replace`` (an atomic rename on one file
system), so a BI tool holding the old file open keeps a consistent view and every new reader
sees the whole new build. Parquet copies of the marts go to ``warehouse/exports/`` for tools
that bundle an older DuckDB that cannot read this file format.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from ingestion.csvtable import sql_literal
from kinerja import dbt, files, status, warehouse
from kinerja.config import Settings, serve_postgres_only
from kinerja.progress import Reporter, silent


def public_marts(settings: Settings) -> list[str]:
    """The public marts of the last build (dbt's manifest: contract-enforced models in ``marts``)."""
    return dbt.public_marts(settings.state_dir / "dbt" / "target")


def export_parquet(db_path: Path, target_dir: Path, marts: list[str]) -> list[Path]:
    """Parquet copies of the public marts and the change log, written aside and swapped in."""
    staging = files.fresh_dir(target_dir)
    con = duckdb.connect(str(db_path), read_only=True)
    written = []
    try:
        for mart in (*marts, CHANGE_LOG):
            out = staging / f"{mart}.parquet"
            con.execute(f"copy (select * from marts.{mart}) to {sql_literal(out)} (format parquet)")
            written.append(target_dir / out.name)
    finally:
        con.close()
    files.swap_dir(staging, target_dir)
    return written


CHANGE_LOG = "log_perubahan"
_LOG_COLUMNS = """
    dipublikasikan_pada timestamp, run_id varchar, objek varchar, kode varchar, nama varchar,
    tahun integer, periode varchar, jenis_target varchar, jenis_perubahan varchar,
    nilai_lama double, nilai_baru double, capaian_lama double, capaian_baru double,
    status_lama varchar, status_baru varchar, versi_data_lama varchar, versi_data_baru varchar,
    nilai_nasional_lama double, nilai_nasional_baru double, keterangan varchar
"""
# Tabel 3.14 rows: regional value in nilai_*, national value in nilai_nasional_*.
_DIFF_NASIONAL = """
    insert into marts.log_perubahan by name
    select
        cast(? as timestamp) as dipublikasikan_pada, ? as run_id, 'perbandingan_nasional' as objek,
        coalesce(b.indikator_kode, l.indikator_kode) as kode, coalesce(b.indikator_nama, l.indikator_nama) as nama,
        coalesce(b.tahun, l.tahun) as tahun, coalesce(b.periode, l.periode) as periode,
        case when l.indikator_kode is null then 'BARU' when b.indikator_kode is null then 'DIHAPUS' else 'BERUBAH' end as jenis_perubahan,
        l.nilai_daerah as nilai_lama, b.nilai_daerah as nilai_baru,
        l.versi_data_daerah as versi_data_lama, b.versi_data_daerah as versi_data_baru,
        l.nilai_nasional as nilai_nasional_lama, b.nilai_nasional as nilai_nasional_baru
    from marts.perbandingan_nasional as b
    full outer join lama.marts.perbandingan_nasional as l
        on l.indikator_kode = b.indikator_kode and l.tahun = b.tahun and l.periode = b.periode
    where l.indikator_kode is null or b.indikator_kode is null
        or l.nilai_daerah is distinct from b.nilai_daerah or l.nilai_nasional is distinct from b.nilai_nasional
    order by 4, 6, 7
"""
_DIFF = """
    insert into marts.log_perubahan (dipublikasikan_pada, run_id, objek, kode, nama, tahun, periode, jenis_target,
        jenis_perubahan, nilai_lama, nilai_baru, capaian_lama, capaian_baru, status_lama, status_baru,
        versi_data_lama, versi_data_baru)
    select
        cast(? as timestamp), ?, '{objek}', coalesce(b.{kode}, l.{kode}), {nama},
        coalesce(b.tahun, l.tahun), coalesce(b.periode, l.periode), coalesce(b.jenis_target, l.jenis_target),
        case when l.{kode} is null then 'BARU' when b.{kode} is null then 'DIHAPUS' else 'BERUBAH' end,
        l.{nilai}, b.{nilai}, {capaian_l}, {capaian_b}, l.{status}, b.{status}, {versi_l}, {versi_b}
    from marts.{objek} as b
    full outer join lama.marts.{objek} as l
        on l.{kode} = b.{kode} and l.tahun = b.tahun and l.periode = b.periode and l.jenis_target = b.jenis_target
    where l.{kode} is null or b.{kode} is null
        or l.{nilai} is distinct from b.{nilai} or l.{status} is distinct from b.{status} {extra}
    order by 4, 6, 7, 8
"""


HISTORY = "riwayat_publikasi"
_HISTORY_COLUMNS = "run_id varchar, dipublikasikan_pada timestamp, batch_id varchar, status_batch varchar, ditarik_pada timestamp, alasan_penarikan varchar"
USED, RETRACTED = "DIPAKAI", "DITARIK"
BATCH_OBJECT = "batch"  # objek of a change-log row that records a batch retracted or restored


def has_table(con: duckdb.DuckDBPyConnection, table: str, database: str | None = None, schema: str = "marts") -> bool:
    """Whether ``<schema>.<table>`` (``marts`` by default) exists (in the attached ``database`` if given)."""
    sql = "select count(*) from duckdb_tables() where schema_name = ? and table_name = ?"
    params: list = [schema, table]
    if database:
        sql += " and database_name = ?"
        params.append(database)
    return con.execute(sql, params).fetchone()[0] > 0


def _log_changes(con: duckdb.DuckDBPyConnection, published_at: str, run_id: str) -> None:
    """What moved between the previous publish (attached as ``lama``) and this build."""
    con.execute(
        _DIFF.format(
            objek="capaian_indikator",
            kode="indikator_kode",
            nama="coalesce(b.indikator_nama, l.indikator_nama)",
            nilai="realisasi",
            capaian_l="l.capaian_persen",
            capaian_b="b.capaian_persen",
            status="status_data",
            versi_l="l.versi_data",
            versi_b="b.versi_data",
            extra="or l.capaian_persen is distinct from b.capaian_persen",
        ),
        [published_at, run_id],
    )
    con.execute(
        _DIFF.format(
            objek="ringkasan_capaian",
            kode="kelompok_ringkasan",
            nama="'rata-rata capaian'",
            nilai="rata_rata_capaian_persen",
            capaian_l="l.rata_rata_capaian_persen",
            capaian_b="b.rata_rata_capaian_persen",
            status="kriteria",
            versi_l="null",
            versi_b="null",
            extra="or l.jumlah_dihitung is distinct from b.jumlah_dihitung",
        ),
        [published_at, run_id],
    )
    if has_table(con, "perbandingan_nasional", "lama"):
        con.execute(_DIFF_NASIONAL, [published_at, run_id])


# Table and column comments of the tables the publish step writes, so a BI tool shows them as it
# shows the dbt marts' (dbt's persist_docs writes those from the models' YAML). Each table's comment
# states its grain; tests/e2e/test_bi_duckdb.py checks every column of schema marts has one.
PUBLISH_TABLE_DOCS: dict[str, tuple[str, dict[str, str]]] = {
    CHANGE_LOG: (
        "Change log of the publishes, written by the publish step (not dbt). Grain: one row per indicator row "
        "(capaian_indikator), average (ringkasan_capaian) or table 3.14 row (perbandingan_nasional) that moved in a "
        "publish, compared with the warehouse served before it, and one row per batch retracted or restored since that "
        "warehouse (objek batch), also when it moved no figure. The first publish logs nothing.",
        {
            "dipublikasikan_pada": "When the publish that recorded the change ran (UTC).",
            "run_id": "Run id of the publish that recorded the change.",
            "objek": "The mart the row moved in: capaian_indikator, ringkasan_capaian or perbandingan_nasional; batch for a "
            "batch retracted or restored (kinerja batch retract / restore).",
            "kode": "Key of the row: indikator_kode, kelompok_ringkasan for an average, or the batch_id of a batch row.",
            "nama": "Indicator name, 'rata-rata capaian' for an average, or the original file name of a batch row.",
            "tahun": "Reporting year of the row; empty for a batch row.",
            "periode": "Period of the row: TW1-TW4 or TAHUNAN; empty for a batch row.",
            "jenis_target": "Target the row is measured against (PERKIN, RENSTRA, RENAKSI); empty for table 3.14 rows.",
            "jenis_perubahan": "BARU (new row), BERUBAH (value, capaian or status changed) or DIHAPUS (row gone); for a batch "
            "row DITARIK (retracted) or DIPULIHKAN (restored).",
            "nilai_lama": "Value before: realisasi, the average, or the regional value (table 3.14).",
            "nilai_baru": "Value after: realisasi, the average, or the regional value (table 3.14).",
            "capaian_lama": "Capaian (percent) before.",
            "capaian_baru": "Capaian (percent) after.",
            "status_lama": "status_data before (kriteria for an average; for a batch row its status_batch in the previous "
            "publish: DIPAKAI, DITARIK, or empty if no publish had used it).",
            "status_baru": "status_data after (kriteria for an average; for a batch row its status_batch now: DITARIK or DIPAKAI).",
            "versi_data_lama": "versi_data (the batch the figure came from) before.",
            "versi_data_baru": "versi_data (the batch the figure came from) after.",
            "nilai_nasional_lama": "National value before (table 3.14 rows only).",
            "nilai_nasional_baru": "National value after (table 3.14 rows only).",
            "keterangan": "Why the row moved, where the publish knows it: a batch retracted (kinerja batch retract) or restored in "
            "this publish, with the operator's reason; empty otherwise (new or revised data). Always set on a batch row.",
        },
    ),
    HISTORY: (
        "Publish history, written by the publish step (not dbt). Grain: publish x landed batch: which batches "
        "(vintages) each publish was built from (status_batch DIPAKAI), and which it left out because they were "
        "retracted (DITARIK); kinerja rebuild --as-of uses the DIPAKAI rows.",
        {
            "run_id": "Run id of the publish.",
            "dipublikasikan_pada": "When the publish ran (UTC).",
            "batch_id": "A landed batch (source, entity, landing time, content hash) the publish was built from, or left out.",
            "status_batch": "DIPAKAI (the publish was built from the batch) or DITARIK (retracted, left out); empty in "
            "publishes recorded before retractions existed, which means DIPAKAI.",
            "ditarik_pada": "When the batch was retracted (UTC); DITARIK rows only.",
            "alasan_penarikan": "The reason given for the retraction (kinerja batch retract --reason); DITARIK rows only.",
        },
    ),
    status.VIEW: (
        "Source status as of this publish, written by the publish step (not dbt). Grain: one row per declared "
        "source. The live status, rewritten by every run also when nothing is published, is "
        "warehouse/status_sumber.parquet next to the warehouse file.",
        {
            "sumber": "Source, named as its inbox folder (e.g. emonev, bps, sipd, jakpreneur, eorder).",
            "status": "TERKINI (its latest file was landed) or USANG (stale: a file of it was rejected; the marts keep its last good data).",
            "batch_terakhir": "The last batch of the source that landed.",
            "diterima_terakhir_pada": "When that batch landed (UTC).",
            "berkas_ditolak": "The rejected file(s) of the run, separated by ', '.",
            "alasan": "Why they were rejected: the file, the row and what was expected.",
            "karantina": "Where the rejected files were quarantined.",
            "diperiksa_pada": "When the status was checked (UTC).",
            "run_id": "Run id of the run that checked it.",
            "berkas_diabaikan": "Entries of the source's inbox folder that were not read, one a line, with the reason.",
        },
    ),
}


def comment_publish_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Table and column comments (:data:`PUBLISH_TABLE_DOCS`) on the publish tables of a build."""
    for table, (grain, columns) in PUBLISH_TABLE_DOCS.items():
        con.execute(f"comment on table marts.{table} is {sql_literal(grain)}")
        for column, text in columns.items():
            con.execute(f'comment on column marts.{table}."{column}" is {sql_literal(text)}')


def record_publish(build_file: Path, serving: Path, run_id: str) -> int:
    """Carry the publish history forward into the build and add this publish:
    ``marts.log_perubahan`` gets what moved since the previous publish (indicator and average rows:
    old and new value, capaian and status; tabel 3.14 rows: old and new regional and national
    value) and ``marts.riwayat_publikasi`` the batches (vintages) this build was made from, so
    ``kinerja rebuild --as-of`` can rebuild exactly what was published then. Returns how many
    changes this publish adds; 0 for the first publish."""
    published_at = datetime.now(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
    con = duckdb.connect(str(build_file))
    try:
        con.execute(f"create or replace table marts.{CHANGE_LOG} ({_LOG_COLUMNS})")
        con.execute(f"create or replace table marts.{HISTORY} ({_HISTORY_COLUMNS})")
        before = 0
        if serving.exists():
            con.execute(f"attach {sql_literal(serving)} as lama (read_only)")
            try:
                for table in (CHANGE_LOG, HISTORY):
                    if has_table(con, table, "lama"):
                        con.execute(f"insert into marts.{table} by name select * from lama.marts.{table}")
                before = con.execute(f"select count(*) from marts.{CHANGE_LOG}").fetchone()[0]
                _log_changes(con, published_at, run_id)
                _log_retractions(con, published_at, run_id)
            finally:
                con.execute("detach lama")
        con.execute(
            f"insert into marts.{HISTORY} by name select ? as run_id, cast(? as timestamp) as dipublikasikan_pada, batch_id, "
            f"'{USED}' as status_batch from raw.pipeline__batch",
            [run_id, published_at],
        )
        if _has_raw(con, "pipeline__retraction"):
            con.execute(
                f"insert into marts.{HISTORY} by name select ? as run_id, cast(? as timestamp) as dipublikasikan_pada, batch_id, "
                f"'{RETRACTED}' as status_batch, cast(rtrim(pada, 'Z') as timestamp) as ditarik_pada, alasan as alasan_penarikan "
                f"from ({_IN_FORCE})",
                [run_id, published_at],
            )
        added = con.execute(f"select count(*) from marts.{CHANGE_LOG}").fetchone()[0] - before
        con.execute("checkpoint")
        return added
    finally:
        con.close()


# The retractions in force in a build: each batch's latest event is a retraction.
_IN_FORCE = """
    select batch_id, alasan, pada from raw.pipeline__retraction
    qualify row_number() over (partition by batch_id order by pada desc) = 1 and tindakan = 'DITARIK'
"""


def _has_raw(con: duckdb.DuckDBPyConnection, table: str, database: str | None = None) -> bool:
    return has_table(con, table, database, schema="raw")


def _log_retractions(con: duckdb.DuckDBPyConnection, published_at: str, run_id: str) -> None:
    """Record in this publish's change log every batch retracted or restored since the previous
    publish (attached as ``lama``): one row of its own per event (``objek`` 'batch', ``kode`` the
    batch, ``jenis_perubahan`` DITARIK or DIPULIHKAN, ``status_lama`` -> ``status_baru`` its
    status_batch), written also when the event moved no figure; and say in ``keterangan`` which
    figure rows moved because of it: a row whose old figure came from a retracted batch, or whose
    new one from a restored batch; and, when no new batch came in with them, every row of the
    publish (nothing else could have moved it)."""
    if not _has_raw(con, "pipeline__retraction"):
        return
    seen = "lama.raw.pipeline__retraction" if _has_raw(con, "pipeline__retraction", "lama") else None
    applied = con.execute(
        "select batch_id, tindakan, alasan from raw.pipeline__retraction as e"
        + (f" where not exists (select 1 from {seen} as l where l.batch_id = e.batch_id and l.pada = e.pada)" if seen else "")
        + " order by pada"
    ).fetchall()
    if not applied:
        return
    names: dict[str, str] = {}
    for database in ("lama", None):
        if _has_raw(con, "pipeline__batch", database):
            prefix = f"{database}.raw" if database else "raw"
            names.update(dict(con.execute(f"select batch_id, original_name from {prefix}.pipeline__batch").fetchall()))
    served_before: set[str] = set()
    if _has_raw(con, "pipeline__batch", "lama"):
        served_before = {b for (b,) in con.execute("select batch_id from lama.raw.pipeline__batch").fetchall()}
    texts, events = {}, []
    for batch_id, tindakan, alasan in applied:
        what = "retracted" if tindakan == RETRACTED else "restored"
        texts[batch_id] = f"batch {batch_id} ({names.get(batch_id, 'file unknown')}) {what}: {alasan}"
        if tindakan == RETRACTED:  # DIPAKAI -> DITARIK; empty before when no publish had used it yet
            before, after = (USED if batch_id in served_before else None), RETRACTED
        else:
            before, after = RETRACTED, USED
        events.append((batch_id, names.get(batch_id), tindakan, before, after, texts[batch_id]))
        column = "versi_data_lama" if tindakan == "DITARIK" else "versi_data_baru"
        con.execute(
            f"update marts.{CHANGE_LOG} set keterangan = ? where run_id = ? and {column} = ? and keterangan is null",
            [texts[batch_id], run_id, batch_id],
        )
    new_batches = 0
    if _has_raw(con, "pipeline__batch", "lama"):
        new_batches = con.execute(
            "select count(*) from raw.pipeline__batch where batch_id not in (select batch_id from lama.raw.pipeline__batch)"
        ).fetchone()[0]
    if not new_batches:
        con.execute(
            f"update marts.{CHANGE_LOG} set keterangan = ? where run_id = ? and keterangan is null", ["; ".join(texts.values()), run_id]
        )
    con.executemany(
        f"insert into marts.{CHANGE_LOG} (dipublikasikan_pada, run_id, objek, kode, nama, jenis_perubahan, status_lama, status_baru, "
        f"keterangan) values (cast(? as timestamp), ?, '{BATCH_OBJECT}', ?, ?, ?, ?, ?, ?)",
        [[published_at, run_id, *event] for event in events],
    )


def published_batches(serving: Path, cutoff: str) -> tuple[str, set[str]] | None:
    """The run id and batch ids of the last publish at or before ``cutoff`` (UTC), if recorded."""
    if not serving.exists():
        return None
    con = duckdb.connect(str(serving), read_only=True)
    try:
        if not has_table(con, HISTORY):
            return None
        moment = cutoff.rstrip("Z").replace("T", " ")
        row = con.execute(
            f"select run_id from marts.{HISTORY} where dipublikasikan_pada <= cast(? as timestamp) order by dipublikasikan_pada desc limit 1",
            [moment],
        ).fetchone()
        if row is None:
            return row
        has_status = con.execute(
            "select count(*) from duckdb_columns() where schema_name = 'marts' and table_name = ? and column_name = 'status_batch'",
            [HISTORY],
        ).fetchone()[0]
        used = f" and coalesce(status_batch, '{USED}') = '{USED}'" if has_status else ""
        ids = {b for (b,) in con.execute(f"select batch_id from marts.{HISTORY} where run_id = ?{used}", [row[0]]).fetchall()}
        return row[0], ids
    finally:
        con.close()


def publish_docs_site(settings: Settings, build_file: Path, progress: Reporter = silent) -> Path | None:
    """Put the dbt docs site of the build just published (:func:`kinerja.warehouse.docs_page`) next
    to the warehouse as ``dbt_docs/index.html``, swapped in whole. Without one (its generation
    failed, reported by the build) the site of the previous publish stays, marked as such."""
    page = warehouse.docs_page(build_file)
    target = settings.warehouse_dir / "dbt_docs"
    if not page.exists():
        if target.exists():
            progress(f"publish: no dbt docs site from this build; {target / 'index.html'} is the previous publish's")
        return None
    staging = files.fresh_dir(target)
    os.replace(page, staging / "index.html")
    files.swap_dir(staging, target)
    progress(f"publish: dbt docs site in {target / 'index.html'} (opens from disk)")
    return target / "index.html"


def publish(
    settings: Settings,
    build_file: Path,
    progress: Reporter = silent,
    rejected: list[dict[str, str]] | None = None,
    ignored: list[dict[str, str]] | None = None,
) -> Path:
    """Move a finished build into place as the serving warehouse; return the serving path.
    ``rejected`` (files of this run that were refused) marks their sources stale; ``None`` keeps
    the marks recorded before."""
    if not build_file.exists():
        raise FileNotFoundError(f"build file {build_file} does not exist; run the build step first")
    settings.warehouse_dir.mkdir(parents=True, exist_ok=True)
    settings.serving_db.parent.mkdir(parents=True, exist_ok=True)
    run_id = build_file.stem.removeprefix("kinerja-")
    changes = record_publish(build_file, settings.serving_db, run_id)
    con = duckdb.connect(str(build_file))
    try:
        # a table (no path inside: the file works wherever it is mounted); the live status file follows the rename
        status.create_table(con, settings, run_id, rejected, ignored)
        comment_publish_tables(con)
        con.execute("checkpoint")
    finally:
        con.close()
    progress(f"publish: {changes} change(s) since the previous publish recorded in marts.{CHANGE_LOG}")
    wal = build_file.with_name(build_file.name + ".wal")
    if wal.exists():
        raise RuntimeError(f"build file {build_file} still has a write-ahead log; it was not closed cleanly")
    os.replace(build_file, settings.serving_db)
    files.fsync_dir(settings.serving_db.parent)
    progress(f"publish: {settings.serving_db} replaced atomically")
    status.write(settings, run_id, rejected, ignored)  # after the rename: a killed publish leaves the old status
    publish_docs_site(settings, build_file, progress)
    if serve_postgres_only():  # BI tools read PostgreSQL only: no copies for them beside the file
        return settings.serving_db
    exports = export_parquet(settings.serving_db, settings.exports_dir, public_marts(settings))
    progress(f"publish: {len(exports)} Parquet export(s) in {settings.exports_dir}")
    return settings.serving_db
