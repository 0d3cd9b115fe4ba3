"""A DuckDB file every BI tool can open (docs/bi.md): the published warehouse is written in DuckDB
1.0's storage format, and a DuckDB 1.x reader, in an environment of its own, reads every public mart
and the publish tables with the same rows as the pipeline's DuckDB."""

from __future__ import annotations

import json
import os
import re
import shutil
import struct
import subprocess
import sys
from pathlib import Path

import duckdb

from kinerja.dbt import model_columns, public_marts
from kinerja.publish import CHANGE_LOG, HISTORY, PUBLISH_TABLE_DOCS
from kinerja.status import VIEW as STATUS
from tests.conftest import PROJECT_ROOT

OLD_READER = "1.1.3"  # the oldest 1.x reader STACK §5 checked; a 1.x reader opens every file up to its own number
READER_DIR = PROJECT_ROOT / ".tools" / f"duckdb-{OLD_READER}"  # cached: a second run reuses it

READ_ALL = r"""
import json, sys, duckdb
path, tables = sys.argv[1], json.loads(sys.argv[2])
con = duckdb.connect(path, read_only=True)
out = {"version": duckdb.__version__, "tables": {}}
for table in tables:
    rows = con.execute(f"select * from marts.{table} order by all").fetchall()
    columns = [d[0] for d in con.execute(f"select * from marts.{table} limit 0").description]
    out["tables"][table] = {"columns": columns, "rows": [[str(v) for v in r] for r in rows]}
print(json.dumps(out))
"""


def header_version(path: Path) -> int:
    """The storage number of a DuckDB file: the uint64 at byte offset 12 of its header."""
    with path.open("rb") as fh:
        fh.seek(12)
        return struct.unpack("<Q", fh.read(8))[0]


def old_reader() -> Path:
    """A Python with duckdb==OLD_READER in its own virtualenv under .tools/ (made once with uv)."""
    python = READER_DIR / "bin" / "python"
    if python.exists():
        return python
    uv = str(PROJECT_ROOT / ".tools" / "bin" / "uv")
    scratch = READER_DIR.with_name(f"{READER_DIR.name}.{os.getpid()}")
    shutil.rmtree(scratch, ignore_errors=True)
    subprocess.run([uv, "venv", "--quiet", str(scratch), "--python", "python3.11"], check=True)
    subprocess.run([uv, "pip", "install", "--quiet", "--python", str(scratch / "bin" / "python"), f"duckdb=={OLD_READER}"], check=True)
    try:  # made aside and renamed in, so a killed or parallel run never leaves half an environment
        scratch.rename(READER_DIR)  # bin/python finds the venv relative to itself, so it survives the move
    except OSError:
        shutil.rmtree(scratch, ignore_errors=True)
    return python


def read_all(python: Path, path: Path, tables: list[str]) -> dict:
    done = subprocess.run([str(python), "-c", READ_ALL, str(path), json.dumps(tables)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


def test_the_published_file_is_in_duckdb_1_0_storage_format(published):
    settings, _ = published
    assert header_version(settings.serving_db) == 64  # DuckDB 2.x's own format would be 999


def test_a_duckdb_1x_reader_reads_every_public_mart_with_the_same_rows(published):
    settings, _ = published
    tables = [*public_marts(settings.state_dir / "dbt" / "target"), CHANGE_LOG, HISTORY, STATUS]
    old = read_all(old_reader(), settings.serving_db, tables)
    assert old["version"] == OLD_READER
    new = read_all(Path(sys.executable), settings.serving_db, tables)
    assert new["version"] == duckdb.__version__ and new["version"].startswith("2.")
    for table in tables:
        assert old["tables"][table]["columns"] == new["tables"][table]["columns"], table
        assert old["tables"][table]["rows"] == new["tables"][table]["rows"], table
    assert sum(len(t["rows"]) for t in old["tables"].values()) > 1000


def test_the_old_reader_refuses_duckdb_2_files_so_the_test_above_means_something(tmp_path):
    path = tmp_path / "default.duckdb"
    duckdb.connect(str(path)).close()
    assert header_version(path) == 999
    done = subprocess.run(
        [str(old_reader()), "-c", "import duckdb, sys; duckdb.connect(sys.argv[1], read_only=True)", str(path)],
        capture_output=True,
        text=True,
    )
    assert done.returncode != 0 and "version number 999" in done.stderr


def test_every_column_and_table_of_schema_marts_carries_its_documentation(published):
    """dbt's descriptions (persist_docs) and the publish tables' own reach the database as comments."""
    settings, _ = published
    target = settings.state_dir / "dbt" / "target"
    nodes = model_columns(target)
    public = public_marts(target)
    con = duckdb.connect(str(settings.serving_db), read_only=True)
    try:
        tables = dict(con.execute("select table_name, comment from duckdb_tables() where schema_name = 'marts'").fetchall())
        columns = con.execute("select table_name, column_name, comment from duckdb_columns() where schema_name = 'marts'").fetchall()
    finally:
        con.close()
    assert set(tables) == {*public, CHANGE_LOG, HISTORY, STATUS}
    assert [t for t, comment in tables.items() if not comment or "Grain" not in comment] == []
    assert [(t, c) for t, c, comment in columns if not (comment or "").strip()] == []
    for table, column, comment in columns:  # the marts' comments are their dbt descriptions, rendered
        if table in public:
            assert comment == nodes[table]["columns"][column]["description"], (table, column)
    declared = sum(len(nodes[m]["columns"]) for m in public) + sum(len(cols) for _, cols in PUBLISH_TABLE_DOCS.values())
    assert len(columns) == declared and declared > 140  # every column counted, each documented
    assert {c: text for t, c, text in columns if t == STATUS}["sumber"].startswith("Source")


def embedded(page: str, name: str) -> dict:
    """A JSON document dbt's static docs page carries inline (``manifest:{...}``, ``catalog:{...}``)."""
    start = page.index(name + ':{"metadata"') + len(name) + 1
    return json.JSONDecoder().raw_decode(page, start)[0]


def test_the_dbt_docs_site_is_published_next_to_the_warehouse_and_opens_from_disk(published):
    """Item 5: ``dbt docs generate --static`` of the published build, with the catalog of its
    database and exposures naming what consumes every public mart."""
    settings, _ = published
    page = (settings.warehouse_dir / "dbt_docs" / "index.html").read_text()
    assert list(settings.warehouse_dir.joinpath("dbt_docs").iterdir()) == [settings.warehouse_dir / "dbt_docs" / "index.html"]
    assert re.findall(r"<(?:script|link|img|iframe)[^>]*(?:src|href)=[\"'](?:https?:)?//", page) == []  # nothing fetched
    public = public_marts(settings.state_dir / "dbt" / "target")
    manifest, catalog = embedded(page, "manifest"), embedded(page, "catalog")
    assert "Kinerja: the SAKIP warehouse" in manifest["docs"]["doc.kinerja.__overview__"]["block_contents"]
    exposures = {e["name"]: e for e in manifest["exposures"].values()}
    assert {name: e["type"] for name, e in exposures.items()} == {"publikasi_lkip": "application", "dasbor_bi": "dashboard"}
    consumed = {node for e in exposures.values() for node in e["depends_on"]["nodes"]}
    assert consumed == {f"model.kinerja.{mart}" for mart in public} and len(public) == 11
    # the catalog is read from the build's database: types and the persisted comments
    columns = catalog["nodes"]["model.kinerja.capaian_indikator"]["columns"]
    assert columns["capaian_persen"]["type"] == "DOUBLE" and columns["capaian_persen"]["comment"].startswith("Capaian in percent")
    assert {node.split(".")[-1] for node in catalog["nodes"] if catalog["nodes"][node]["metadata"]["schema"] == "marts"} >= set(public)
    assert list((settings.state_dir / "build").glob("*.docs.html")) == []  # moved into place, not left behind


def test_status_sumber_is_a_table_that_works_after_the_home_is_moved(published, tmp_path):
    settings, _ = published
    moved = tmp_path / "elsewhere.duckdb"
    shutil.copy(settings.serving_db, moved)
    (settings.warehouse_dir / "status_sumber.parquet").rename(tmp_path / "aside.parquet")  # nothing at the old path
    try:
        con = duckdb.connect(str(moved), read_only=True)
        try:
            kind = con.execute(
                "select table_type from information_schema.tables where table_schema = 'marts' and table_name = ?", [STATUS]
            ).fetchone()
            rows = con.execute(f"select sumber, status from marts.{STATUS} order by sumber").fetchall()
        finally:
            con.close()
    finally:
        (tmp_path / "aside.parquet").rename(settings.warehouse_dir / "status_sumber.parquet")
    assert kind == ("BASE TABLE",)
    assert ("emonev", "TERKINI") in rows and len(rows) >= 5


INSPECT = r"""
import json, sys, warnings
warnings.simplefilter("ignore")
if sys.argv[2] == "patched":
    import kinerja.sqla_duckdb  # noqa: F401
import sqlalchemy
engine = sqlalchemy.create_engine(f"duckdb:///{sys.argv[1]}", connect_args={"read_only": True})
inspector = sqlalchemy.inspect(engine)
out = {}
try:
    for table in inspector.get_table_names(schema="marts"):
        columns = inspector.get_columns(table, schema="marts")
        out[table] = {
            "columns": [[c["name"], str(c["type"]), c.get("comment")] for c in columns],
            "pk": inspector.get_pk_constraint(table, schema="marts")["constrained_columns"],
            "fks": inspector.get_foreign_keys(table, schema="marts"),
            "indexes": inspector.get_indexes(table, schema="marts"),
        }
    autoloaded = sqlalchemy.Table("capaian_indikator", sqlalchemy.MetaData(), schema="marts", autoload_with=engine)
    out["_autoload"] = [len(autoloaded.c), autoloaded.comment]
except Exception as exc:
    print(json.dumps({"error": str(exc).splitlines()[0]}))
    sys.exit(0)
print(json.dumps(out))
"""


def inspect_marts(path: Path, patched: bool) -> dict:
    """What Superset's dataset dialog asks of duckdb-engine, in a fresh interpreter (a patch applied
    in this test process cannot leak into the unpatched run)."""
    done = subprocess.run(
        [sys.executable, "-c", INSPECT, str(path), "patched" if patched else "plain"],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(done.stdout)


def test_sqlalchemy_inspection_of_the_served_marts_fails_without_our_patch(published):
    """The locked SQLAlchemy 2.1 + duckdb-engine 0.17 break here; when an upgrade fixes it, this test
    fails and kinerja/sqla_duckdb.py can go."""
    settings, _ = published
    found = inspect_marts(settings.serving_db, patched=False)
    assert 'Referenced table "pg_catalog.pg_collation" not found' in found.get("error", ""), found


def test_sqlalchemy_inspection_of_the_served_marts_works_with_our_patch(published):
    settings, _ = published
    target = settings.state_dir / "dbt" / "target"
    nodes = model_columns(target)
    found = inspect_marts(settings.serving_db, patched=True)
    assert "error" not in found, found
    public = public_marts(target)
    assert set(found) - {"_autoload"} == {*public, CHANGE_LOG, HISTORY, STATUS}
    for mart in public:
        columns = found[mart]["columns"]
        assert [c[0] for c in columns] == list(nodes[mart]["columns"]), mart  # every column, in contract order
        assert all(comment for _, _, comment in columns), mart  # the descriptions reach the BI tool
        assert found[mart]["pk"] == [] and found[mart]["fks"] == [] and found[mart]["indexes"] == []
    types = {name: kind for name, kind, _ in found["serapan_anggaran"]["columns"]}
    assert types["pagu_apbdp"] == "NUMERIC(20, 2)" and types["serapan_persen"] in ("FLOAT", "DOUBLE PRECISION")
    assert dict((n, k) for n, k, _ in found["capaian_indikator"]["columns"])["tanggal_akhir_periode"] == "DATE"
    assert found["_autoload"][0] == len(nodes["capaian_indikator"]["columns"]) and "Grain" in found["_autoload"][1]


PERIOD_ENDS = {"TW1": (3, 31), "TW2": (6, 30), "TW3": (9, 30), "TW4": (12, 31), "TAHUNAN": (12, 31)}


def test_every_mart_with_tahun_and_periode_has_the_period_end_date_last(published):
    import datetime

    settings, _ = published
    target = settings.state_dir / "dbt" / "target"
    nodes = model_columns(target)
    with_period = [m for m in public_marts(target) if {"tahun", "periode"} <= set(nodes[m]["columns"])]
    assert set(with_period) >= {"capaian_indikator", "ringkasan_capaian", "omzet_umkm_triwulan", "perbandingan_nasional"}
    con = duckdb.connect(str(settings.serving_db), read_only=True)
    try:
        for mart in with_period:
            if mart == "rekonsiliasi_lkip":  # a published figure, not a period's row: tahun/periode describe the figure
                continue
            assert list(nodes[mart]["columns"])[-1] == "tanggal_akhir_periode", mart
            assert nodes[mart]["columns"]["tanggal_akhir_periode"]["data_type"] == "date"
            rows = con.execute(f"select distinct tahun, periode, tanggal_akhir_periode from marts.{mart}").fetchall()
            assert rows, mart
            for tahun, periode, end in rows:
                assert end == datetime.date(tahun, *PERIOD_ENDS[periode]), (mart, tahun, periode, end)
    finally:
        con.close()


def test_money_is_exact_decimal_in_every_public_mart(published):
    """No public column is a float sum of rupiah: every column documented in rupiah is DECIMAL(20,2)
    in the contract and in the served file."""
    settings, _ = published
    target = settings.state_dir / "dbt" / "target"
    nodes = model_columns(target)
    con = duckdb.connect(str(settings.serving_db), read_only=True)
    try:
        served = {
            (t, c): k
            for t, c, k in con.execute(
                "select table_name, column_name, data_type from duckdb_columns() where schema_name = 'marts'"
            ).fetchall()
        }
    finally:
        con.close()
    money = [(m, c) for m in public_marts(target) for c, col in nodes[m]["columns"].items() if "rupiah" in col["description"].lower()]
    assert len(money) >= 12
    assert [(m, c, served[(m, c)]) for m, c in money if served[(m, c)] != "DECIMAL(20,2)"] == []
