"""Jakpreneur exports: the UMKM registry, capacity assessments and omzet transactions.

File formats (CSV with a header row, comma or semicolon, UTF-8 or Windows-1252; the README has
the full table). Files are told apart by the start of their name in ``inbox/jakpreneur/``:

- ``umkm*.csv``, the registry, a full snapshot: ``umkm_id, nama_usaha, tanggal_daftar, wilayah,
  status_binaan (BINAAN | NON_BINAAN), perangkat_daerah_pembina, diperbarui_pada``;
- ``penilaian*.csv``, capacity assessments: ``penilaian_id, umkm_id, tanggal_penilaian,
  omzet_tahunan, aset, tenaga_kerja, nilai_invoice_ekspor_usd`` (largest export invoice since the
  previous assessment, blank if none);
- ``transaksi*.csv``, QRIS and e-Order turnover, daily (or any) files whose date ranges may
  overlap: ``transaksi_id, umkm_id, waktu (WIB), kanal (QRIS | EORDER), jenis (PENJUALAN | REFUND |
  REVERSAL), nominal, transaksi_asal_id``. A sale is positive; a refund (part of a sale given back)
  or reversal (a sale cancelled whole) is negative and names the sale in ``transaksi_asal_id``.

Registry and assessments are small and parsed here row by row. Transactions can be hundreds of
millions of rows, so :func:`stage_transactions` converts them inside DuckDB in one pass, writing
the typed rows straight to Parquet, and checks that Parquet; only when a file is rejected is it scanned again in Python,
to name the line of each bad row. Order matters: registry snapshots land first in a run, because
assessments, transactions and e-Order orders are checked against every UMKM ever registered.
"""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from ingestion.csvtable import dedupe_rows, parse_date, parse_whole, read_table, reject_if, sniff, sql_literal
from ingestion.errors import InputFileError, RowProblem
from ingestion.numbers import parse_angka, parse_rupiah
from ingestion.registry import Entity, ReadContext, StagedRows

if TYPE_CHECKING:
    import pandas as pd

SOURCE = "jakpreneur"
ENTITIES = {"umkm": "umkm", "penilaian": "penilaian", "transaksi": "transaksi"}  # file name prefix -> entity
WILAYAH = ("JAKARTA PUSAT", "JAKARTA UTARA", "JAKARTA BARAT", "JAKARTA SELATAN", "JAKARTA TIMUR", "KEPULAUAN SERIBU")
STATUS_BINAAN = ("BINAAN", "NON_BINAAN")
KANAL = ("QRIS", "EORDER")
JENIS = ("PENJUALAN", "REFUND", "REVERSAL")
REGISTRY_COLUMNS = ("umkm_id", "nama_usaha", "tanggal_daftar", "wilayah", "status_binaan", "perangkat_daerah_pembina", "diperbarui_pada")
ASSESSMENT_COLUMNS = ("penilaian_id", "umkm_id", "tanggal_penilaian", "omzet_tahunan", "aset", "tenaga_kerja", "nilai_invoice_ekspor_usd")
TRANSACTION_COLUMNS = ("transaksi_id", "umkm_id", "waktu", "kanal", "jenis", "nominal", "transaksi_asal_id")
MAX_SMALL_BYTES = 2 * 1024**3
WIB = ZoneInfo("Asia/Jakarta")


def now_wib() -> datetime:
    return datetime.now(WIB).replace(tzinfo=None)


def entity_of(path: Path) -> str | None:
    name = path.name.lower()
    return next((entity for prefix, entity in ENTITIES.items() if name.startswith(prefix)), None)


def parse_registry(path: Path, pembina_codes: set[str]) -> pd.DataFrame:
    """One registry snapshot as typed rows (``baris`` = line in the file). Column-wise (pandas), as
    a registry has hundreds of thousands of rows."""
    import pandas as pd

    table = read_table(path, SOURCE, REGISTRY_COLUMNS, MAX_SMALL_BYTES)
    problems: list[RowProblem] = []
    try:
        frame = pd.read_csv(io.StringIO(table.text), sep=table.delimiter, dtype="string", keep_default_na=False, skip_blank_lines=False)
    except pd.errors.ParserError as exc:  # a row with another number of fields than the header
        found = re.search(r"line (\d+)", str(exc))
        raise InputFileError(
            path,
            [RowProblem(int(found.group(1)) if found else None, None, f"{exc}; check the delimiter '{table.delimiter}' and quotes")],
            SOURCE,
        ) from None
    frame.columns = [c.strip().lower().lstrip("\ufeff") for c in frame.columns]
    frame = frame[list(REGISTRY_COLUMNS)].apply(lambda col: col.str.strip())
    frame.insert(0, "baris", pd.RangeIndex(2, len(frame) + 2))  # header = line 1 (no quoted line breaks in a registry)
    if frame.empty:
        raise InputFileError(path, [RowProblem(None, None, "the file has a header but no data rows")], SOURCE)
    daftar = pd.to_datetime(frame["tanggal_daftar"], format="%Y-%m-%d", errors="coerce")
    diperbarui = pd.to_datetime(frame["diperbarui_pada"], format="%Y-%m-%d %H:%M:%S", errors="coerce")
    frame["wilayah"] = frame["wilayah"].str.upper().str.replace(r"\s+", " ", regex=True)
    frame["status_binaan"] = frame["status_binaan"].str.upper().str.replace(" ", "_").str.replace("-", "_")
    pembina = frame["perangkat_daerah_pembina"].str.upper()
    checks = (
        ("umkm_id", frame["umkm_id"] == "", lambda r: "umkm_id is empty"),
        ("tanggal_daftar", daftar.isna(), lambda r: f"'{r.tanggal_daftar}' is not a date written YYYY-MM-DD (e.g. 2024-03-31)"),
        ("diperbarui_pada", diperbarui.isna(), lambda r: f"'{r.diperbarui_pada}' is not a time written YYYY-MM-DD HH:MM:SS (WIB)"),
        ("tanggal_daftar", daftar > pd.Timestamp(now_wib().date()), lambda r: f"tanggal_daftar {r.tanggal_daftar} is in the future"),
        (
            "perangkat_daerah_pembina",
            (frame["status_binaan"] == "BINAAN") & ~pembina.isin(pembina_codes).fillna(False),
            lambda r: (
                f"a BINAAN UMKM needs its pembina agency, one of {', '.join(sorted(pembina_codes))}; found '{r.perangkat_daerah_pembina}'"
            ),
        ),
    )
    for column, bad, message in checks:
        for row in frame[bad.fillna(False)].head(50).itertuples():
            problems.append(RowProblem(row.baris, column, message(row)))
    reject_if(path, problems, SOURCE)
    frame["tanggal_daftar"] = daftar
    frame["diperbarui_pada"] = diperbarui
    frame["perangkat_daerah_pembina"] = pembina.replace("", None)
    repeated = frame.duplicated("umkm_id", keep="first")
    if repeated.any():
        content = frame.drop(columns="baris")
        conflicting = repeated & ~content.duplicated(keep="first")
        first_line = frame.drop_duplicates("umkm_id").set_index("umkm_id")["baris"]
        reject_if(
            path,
            [
                RowProblem(
                    r.baris, "umkm_id", f"umkm_id '{r.umkm_id}' appears again (first at row {first_line[r.umkm_id]}) with different values"
                )
                for r in frame[conflicting].head(50).itertuples()
            ],
            SOURCE,
        )
        frame = frame[~repeated]
    return frame.reset_index(drop=True)


def typed_cells(rec: dict, cell: dict[str, str], readers) -> list[tuple[str, str]]:
    """Type each cell with its reader into ``rec``; (column, message) of each cell that cannot be read."""
    bad = []
    for column, read in readers:
        try:
            rec[column] = read(cell[column])
        except ValueError as exc:
            bad.append((column, str(exc)))
    return bad


def parse_assessments(path: Path, known_umkm: set[str]) -> pd.DataFrame:
    import pandas as pd

    table = read_table(path, SOURCE, ASSESSMENT_COLUMNS, MAX_SMALL_BYTES)
    problems: list[RowProblem] = []
    records = []
    today = now_wib().date()
    for line, cell in table.rows(problems):
        rec: dict = {"baris": line, "penilaian_id": cell["penilaian_id"], "umkm_id": cell["umkm_id"]}
        readers = (
            ("tanggal_penilaian", parse_date),
            ("omzet_tahunan", lambda t: int(parse_rupiah(t, grouped=False))),
            ("aset", lambda t: int(parse_rupiah(t, grouped=False))),
            ("tenaga_kerja", lambda t: parse_whole(t, "tenaga_kerja (workers)")),
            ("nilai_invoice_ekspor_usd", lambda t: str(parse_angka(t)) if t else None),
        )
        bad = [RowProblem(line, column, message) for column, message in typed_cells(rec, cell, readers)]
        if bad:
            problems.extend(bad)
            continue
        if not rec["penilaian_id"]:
            problems.append(RowProblem(line, "penilaian_id", "penilaian_id is empty"))
        elif rec["umkm_id"] not in known_umkm:
            problems.append(RowProblem(line, "umkm_id", f"UMKM '{rec['umkm_id']}' is not in any landed Jakpreneur registry export"))
        elif rec["tanggal_penilaian"] > today:
            problems.append(RowProblem(line, "tanggal_penilaian", f"tanggal_penilaian {rec['tanggal_penilaian']} is in the future"))
        records.append(rec)
    records = dedupe_rows(records, "penilaian_id", problems)
    reject_if(path, problems, SOURCE)
    if not records:
        raise InputFileError(path, [RowProblem(None, None, "the file has a header but no data rows")], SOURCE)
    return pd.DataFrame.from_records(records, columns=["baris", *ASSESSMENT_COLUMNS])


# --- transactions, checked in DuckDB -------------------------------------------------------------

MAX_REPORTED = 50


@dataclass
class StagedTransactions:
    rows_path: Path
    row_count: int
    duplicates_in_file: int
    already_landed: int


def _read_csv_sql(path: Path, header: list[str], delimiter: str, encoding: str) -> str:
    # waktu is parsed by the reader (a row it cannot read is rejected with its line number); the
    # amount stays text so that "12.500" is refused rather than read as 12.5
    columns = ", ".join(f"'{c}': '{'TIMESTAMP' if c == 'waktu' else 'VARCHAR'}'" for c in header)
    return (
        f"read_csv({sql_literal(path)}, delim = '{delimiter}', header = true, columns = {{{columns}}}, encoding = '{encoding}', "
        "quote = '\"', escape = '\"', store_rejects = true, rejects_table = 'csv_rejects', rejects_scan = 'csv_rejects_scan', "
        "timestampformat = '%Y-%m-%d %H:%M:%S', strict_mode = true, null_padding = false, max_line_size = 1048576)"
    )


def _open(path: Path, mode: str, **kwargs):
    """A transaction export, plain or gzip-compressed (``.csv.gz``: large exports usually are)."""
    if path.name.lower().endswith(".gz"):
        import gzip

        return gzip.open(path, mode, **kwargs)
    return path.open(mode, **kwargs)


def _locate_lines(path: Path, encoding: str, delimiter: str, ids: set[str]) -> dict[str, int]:
    """Line numbers of the rows whose first transaksi_id is in ``ids`` (only on the error path)."""
    found: dict[str, int] = {}
    with _open(path, "rt", encoding="utf-8" if encoding == "utf-8" else "latin-1", newline="") as fh:
        reader = csv.reader(fh, delimiter=delimiter)
        header = [h.strip().lower().lstrip("\ufeff") for h in next(reader)]
        col = header.index("transaksi_id")
        for row in reader:
            if len(row) > col and row[col].strip() in ids and row[col].strip() not in found:
                found[row[col].strip()] = reader.line_num
                if len(found) == len(ids):
                    break
    return found


def stage_transactions(
    con,
    path: Path,
    out: Path,
    *,
    batch_id: str,
    landed_at: str,
    landed_files: list[Path],
    check: Callable[[str, datetime], list[tuple[str, str, list[str]]]],
    now: datetime | None = None,
) -> StagedTransactions:
    """Check one transaction file in DuckDB and write its new rows (typed, with ``batch_id`` and
    ``landed_at``) to ``out``. ``con`` has a table ``known_umkm(umkm_id)``; ``landed_files`` are the
    rows.parquet of earlier transaction batches, so a transaction landed before is not counted
    twice (overlapping exports). Raises InputFileError naming line and reason of each bad row.

    ``check(table, now)`` validates the rows as read (view ``staged`` over the Parquet just
    written: text trimmed, ``waktu_ts`` and ``nominal_dec`` typed) and returns (column, reason, transaksi_ids) of each kind of bad row;
    Kinerja passes its Great Expectations suite ``jakpreneur__transaksi`` run inside DuckDB (the
    one place these rules are written)."""
    with _open(path, "rb") as fh:
        head = fh.read(1 << 20)
    encoding, delimiter = sniff(path, head, SOURCE)
    if encoding == "utf-16":
        raise InputFileError(
            path,
            [
                RowProblem(
                    1,
                    None,
                    "the file is UTF-16 text (what Excel saves as 'Unicode Text'); a transaction export is read as UTF-8 or Windows-1252: save it as 'CSV UTF-8' or export it again from Jakpreneur",
                )
            ],
            SOURCE,
        )
    header_line = head.split(b"\n", 1)[0].decode(encoding, "replace").lstrip("\ufeff")
    header = [h.strip().lower() for h in next(csv.reader([header_line], delimiter=delimiter))]
    missing = [c for c in TRANSACTION_COLUMNS if c not in header]
    if missing or len(header) != len(TRANSACTION_COLUMNS):
        raise InputFileError(
            path,
            [RowProblem(1, None, f"header must be exactly {', '.join(TRANSACTION_COLUMNS)} (in any order); found {', '.join(header)}")],
            SOURCE,
        )
    now = now or now_wib()
    # One pass over the file: read, typed and written as Parquet together (the landed rows, if the
    # file passes). The checks and the suite then read that Parquet through the view ``staged``,
    # which is much cheaper than reading the CSV again or keeping its rows in memory.
    for attempt in (encoding, "latin-1"):
        con.execute("drop table if exists csv_rejects; drop table if exists csv_rejects_scan; drop view if exists staged")
        source_sql = _read_csv_sql(path, header, delimiter, "utf-8" if attempt == "utf-8" else "latin-1")
        con.execute(
            f"""
            copy (
                select
                    nullif(trim(transaksi_id), '') as transaksi_id,
                    nullif(trim(umkm_id), '') as umkm_id,
                    waktu,
                    upper(trim(kanal)) as kanal,
                    upper(trim(jenis)) as jenis,
                    -- plain digits with at most two decimals; a dot followed by three digits is a thousands separator
                    case when strpos(nominal, '.') = 0 or length(nominal) - strpos(nominal, '.') <= 2 then try_cast(nominal as decimal(18, 2)) end
                        as nominal,
                    nullif(trim(transaksi_asal_id), '') as transaksi_asal_id,
                    '{batch_id}' as batch_id,
                    '{landed_at}' as landed_at
                from {source_sql}
            ) to {sql_literal(out)} (format parquet, compression snappy, row_group_size 500000)
            """
        )
        rejects = con.execute(
            "select line, error_type, error_message, column_name from csv_rejects order by line limit ?", [MAX_REPORTED]
        ).fetchall()
        # DuckDB names the error INVALID_UNICODE or INVALID ENCODING depending on the version
        if attempt == "utf-8" and rejects and all(r[1].replace(" ", "_") in ("INVALID_UNICODE", "INVALID_ENCODING") for r in rejects):
            continue  # a Windows-1252 export: read it again as such
        break
    # a view of the connection's database, not a temp one: the check may run on another
    # connection to the same in-memory database (Great Expectations through SQLAlchemy)
    con.execute(
        "create view staged as select transaksi_id, umkm_id, waktu as waktu_ts, kanal, jenis, nominal as nominal_dec, transaksi_asal_id "
        f"from read_parquet({sql_literal(out)})"
    )
    problems = [
        RowProblem(int(line), "waktu", f"waktu is not a time written YYYY-MM-DD HH:MM:SS (WIB): {message.splitlines()[0][:200]}")
        if kind == "CAST" and column == "waktu"
        else RowProblem(int(line), None, f"unreadable row: {message.splitlines()[0][:200]}")
        for line, kind, message, column in rejects
    ]

    bad_by_check = check("staged", now)
    total, distinct_ids, nulls, low, high = con.execute(
        "select count(*), count(distinct transaksi_id), count(*) filter (where transaksi_id is null), min(waktu_ts), max(waktu_ts) from staged"
    ).fetchone()
    repeated = total - distinct_ids - nulls
    if repeated:
        conflicts = con.execute(
            f"""
            select transaksi_id from staged where transaksi_id is not null
            group by transaksi_id having count(distinct (umkm_id, waktu_ts, kanal, jenis, nominal_dec, transaksi_asal_id)) > 1
            limit {MAX_REPORTED}
            """
        ).fetchall()
        if conflicts:
            bad_by_check.append(
                ("transaksi_id", "the same transaksi_id appears more than once with different values", [c[0] for c in conflicts])
            )
    if bad_by_check or problems:
        wanted = {i for _, _, ids in bad_by_check for i in ids}
        lines = _locate_lines(path, attempt, delimiter, wanted) if wanted else {}
        for column, reason, ids in bad_by_check:
            if not ids:  # a check that failed without naming rows still rejects the file
                problems.append(RowProblem(None, column or None, reason))
            for tid in ids:
                problems.append(RowProblem(lines.get(tid), column, f"{reason} (transaksi_id {tid})"))
        reject_if(path, problems, SOURCE)
    if total == 0:
        raise InputFileError(path, [RowProblem(None, None, "the file has a header but no data rows")], SOURCE)
    unique = total - repeated
    landed_before = 0
    if landed_files:
        files = ", ".join(sql_literal(f) for f in landed_files)
        con.execute(
            f"""
            create or replace temp table sudah as
            select transaksi_id, umkm_id, waktu, kanal, jenis, nominal, transaksi_asal_id, batch_id
            from read_parquet([{files}])
            where waktu between ? and ? and transaksi_id in (select transaksi_id from staged)
            """,
            [low, high],
        )
        changed = con.execute(
            """
            select distinct u.transaksi_id, s.batch_id from staged as u inner join sudah as s using (transaksi_id)
            where (u.umkm_id, u.waktu_ts, u.kanal, u.jenis, u.nominal_dec, u.transaksi_asal_id)
                is distinct from (s.umkm_id, s.waktu, s.kanal, s.jenis, s.nominal, s.transaksi_asal_id)
            limit ?
            """,
            [MAX_REPORTED],
        ).fetchall()
        if changed:
            lines = _locate_lines(path, attempt, delimiter, {c[0] for c in changed})
            reject_if(
                path,
                [
                    RowProblem(
                        lines.get(tid),
                        "transaksi_id",
                        f"transaksi_id {tid} was landed before (batch {batch}) with different values; a change to a sale is sent as a REFUND or REVERSAL, not by editing it",
                    )
                    for tid, batch in changed
                ],
                SOURCE,
            )
        landed_before = con.execute("select count(*) from sudah").fetchone()[0]
    if repeated or landed_before:
        # rows repeated exactly (overlapping daily exports, re-sent pages) land once, and rows landed
        # by an earlier batch not again: the Parquet is written once more without them
        kept = out.with_name(f"{out.stem}-unik{out.suffix}")
        con.execute(
            f"""
            copy (
                select distinct * from read_parquet({sql_literal(out)})
                {"where transaksi_id not in (select transaksi_id from sudah)" if landed_before else ""}
            ) to {sql_literal(kept)} (format parquet, compression snappy, row_group_size 500000)
            """
        )
        con.execute("drop view staged")
        os.replace(kept, out)
    return StagedTransactions(out, unique - landed_before, total - unique, landed_before)


# --- declarations -------------------------------------------------------------------------------

# A named in-memory database: Great Expectations opens a second connection to it (same process,
# same configuration) and validates the staged rows where they lie.
TRANSACTION_DB = ":memory:kinerja_transaksi"


def _known_umkm(ctx: ReadContext) -> set[str]:
    return ctx.landed_values(SOURCE, "umkm", "umkm_id")


def read_registry(path: Path, ctx: ReadContext) -> pd.DataFrame:
    return parse_registry(path, ctx.seed_codes("katalog/perangkat_daerah_pkt", "perangkat_daerah_kode"))


def read_assessments(path: Path, ctx: ReadContext) -> pd.DataFrame:
    return parse_assessments(path, _known_umkm(ctx))


def read_transactions(path: Path, ctx: ReadContext) -> StagedRows:
    """Check one transaction file inside DuckDB (its suite runs there) and stage its new rows as
    Parquet; an overlapping export lands only the transactions not landed before."""
    con = ctx.duckdb(TRANSACTION_DB)
    if not con.execute("select count(*) from duckdb_tables() where table_name = 'known_umkm'").fetchone()[0]:
        registry = ctx.landed_files(SOURCE, "umkm")
        if registry:
            con.execute("create table known_umkm as select distinct umkm_id from read_parquet(?)", [[str(f) for f in registry]])
        else:
            con.execute("create table known_umkm (umkm_id varchar)")
    out = ctx.scratch / f"stage-{ctx.batch_id}.parquet"
    try:
        staged = stage_transactions(
            con,
            path,
            out,
            batch_id=ctx.batch_id,
            landed_at=ctx.landed_at,
            landed_files=ctx.landed_files(SOURCE, "transaksi"),
            check=lambda table, now: ctx.validate_sql("jakpreneur__transaksi", TRANSACTION_DB, table, {"sekarang": now}, "transaksi_id"),
        )
    except BaseException:
        out.unlink(missing_ok=True)
        raise
    note = f"{staged.row_count} new transaction(s)"
    if staged.duplicates_in_file:
        note += f"; {staged.duplicates_in_file} row(s) repeated in the file dropped"
    if staged.already_landed:
        note += f"; {staged.already_landed} transaction(s) landed before (overlapping export) left out"
    ctx.progress(f"ingest: {path.name}: {note}")
    return StagedRows(out, staged.row_count, note)


ENTITIES = (
    Entity(
        source=SOURCE,
        entity="umkm",
        label="Jakpreneur registry",
        doc="the UMKM registry, a full snapshot per file",
        suffixes=(".csv",),
        prefixes=("umkm",),
        columns=(
            ("umkm_id", "varchar"),
            ("nama_usaha", "varchar"),
            ("tanggal_daftar", "date"),
            ("wilayah", "varchar"),
            ("status_binaan", "varchar"),
            ("perangkat_daerah_pembina", "varchar"),
            ("diperbarui_pada", "timestamp"),
        ),  # fmt: skip
        read=read_registry,
        suite="jakpreneur__umkm",
        suite_parameters=lambda ctx: {"kode_pembina": sorted(ctx.seed_codes("katalog/perangkat_daerah_pkt", "perangkat_daerah_kode"))},
        sample="umkm*.csv",
    ),
    Entity(
        source=SOURCE,
        entity="penilaian",
        label="Jakpreneur assessment",
        doc="capacity assessments (omzet, aset, tenaga kerja, export invoices)",
        suffixes=(".csv",),
        prefixes=("penilaian",),
        columns=(
            ("penilaian_id", "varchar"),
            ("umkm_id", "varchar"),
            ("tanggal_penilaian", "date"),
            ("omzet_tahunan", "decimal(18, 2)"),
            ("aset", "decimal(18, 2)"),
            ("tenaga_kerja", "integer"),
            ("nilai_invoice_ekspor_usd", "decimal(18, 2)"),
        ),  # fmt: skip
        read=read_assessments,
        suite="jakpreneur__penilaian",
        after=("jakpreneur.umkm",),
        sample="penilaian*.csv",
    ),
    Entity(
        source=SOURCE,
        entity="transaksi",
        label="Jakpreneur transaction",
        doc="QRIS and e-Order turnover, daily (or any period) files that may overlap; plain or gzip-compressed",
        suffixes=(".csv", ".csv.gz"),
        prefixes=("transaksi",),
        columns=(
            ("transaksi_id", "varchar"),
            ("umkm_id", "varchar"),
            ("waktu", "timestamp"),
            ("kanal", "varchar"),
            ("jenis", "varchar"),
            ("nominal", "decimal(18, 2)"),
            ("transaksi_asal_id", "varchar"),
        ),  # fmt: skip
        read=read_transactions,
        suite="jakpreneur__transaksi",  # run by the reader inside DuckDB, not on a frame
        after=("jakpreneur.umkm",),
        raw="view",  # hundreds of millions of rows: a view over the landed Parquet, read incrementally
        sample="transaksi*.csv",
    ),
)
