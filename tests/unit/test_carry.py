"""An incremental build starts from a copy of the serving file only when the copy is safe: in the
storage format DuckDB 1.x readers open, and with no .wal beside it (kinerja.warehouse.carry_incremental_state)."""

from __future__ import annotations

import duckdb

from kinerja import warehouse
from kinerja.config import Settings


def _serving(tmp_path, config: dict) -> Settings:
    settings = Settings.from_env(home=tmp_path / "home", inbox=tmp_path / "inbox")
    settings.serving_db.parent.mkdir(parents=True)
    con = duckdb.connect(str(settings.serving_db), config=config)
    con.execute("create schema intermediate")
    con.execute("create table intermediate.int_omzet_umkm_triwulan_dijumlah as select 1 as x")
    con.execute("create schema marts")
    con.execute("create table marts.lama as select 1 as x")
    con.close()
    return settings


def test_a_serving_file_in_the_1x_format_is_carried_with_only_the_incremental_state(tmp_path):
    settings = _serving(tmp_path, {"storage_compatibility_version": warehouse.STORAGE_VERSION})
    build = tmp_path / "build.duckdb"
    assert warehouse.carry_incremental_state(build, settings) == ["intermediate.int_omzet_umkm_triwulan_dijumlah"]
    assert warehouse.storage_number(build) == warehouse.STORAGE_NUMBER == 64
    con = duckdb.connect(str(build), read_only=True)
    tables = con.execute("select schema_name, table_name from duckdb_tables()").fetchall()
    schemas = {r[0] for r in con.execute("select schema_name from duckdb_schemas() where not internal").fetchall()}
    con.close()
    assert tables == [("intermediate", "int_omzet_umkm_triwulan_dijumlah")]
    assert "marts" not in schemas


def test_a_serving_file_in_a_newer_format_is_not_copied(tmp_path):
    settings = _serving(tmp_path, {"storage_compatibility_version": "latest"})
    assert warehouse.storage_number(settings.serving_db) != 64
    build, messages = tmp_path / "build.duckdb", []
    assert warehouse.carry_incremental_state(build, settings, messages.append) == []
    assert not build.exists()  # the build then makes a new file, in the 1.x format
    assert len(messages) == 1 and "storage format (" in messages[0] and "read every batch" in messages[0]


def test_a_serving_file_with_a_wal_beside_it_is_not_copied(tmp_path):
    settings = _serving(tmp_path, {"storage_compatibility_version": warehouse.STORAGE_VERSION})
    settings.serving_db.with_name(settings.serving_db.name + ".wal").write_bytes(b"")
    build, messages = tmp_path / "build.duckdb", []
    assert warehouse.carry_incremental_state(build, settings, messages.append) == []
    assert not build.exists() and ".wal" in messages[0]
