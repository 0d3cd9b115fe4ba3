"""The source registry drives the pipeline: a made-up sixth source declared in a test (no other
module touched) lands, appears in raw.*, marts.status_sumber and the Data Docs; and a public mart
whose suite is removed stops the publish."""

from __future__ import annotations

import csv
import json
import shutil

import duckdb
import pytest

from ingestion import registry
from ingestion.errors import RowProblem, reject_if
from ingestion.registry import Entity
from kinerja import pipeline, quality
from kinerja import status as source_status
from kinerja.config import Settings
from kinerja.errors import PipelineError
from tests.conftest import file_sha256

SUITE = {
    "name": "kunjungan__harian",
    "meta": {"source": "a made-up source declared by a test"},
    "expectations": [
        {"type": "expect_table_columns_to_match_set", "kwargs": {"column_set": ["baris", "loket", "jumlah"], "exact_match": True},
         "meta": {"pesan": "the parsed batch must have exactly the documented columns"}},
        {"type": "expect_column_values_to_be_between", "kwargs": {"column": "jumlah", "min_value": 0},
         "meta": {"pesan": "jumlah kunjungan cannot be negative"}},
    ],
}  # fmt: skip


def read_visits(path, ctx):
    """The made-up source's parser: shape and types only; the suite checks the rules."""
    import pandas as pd

    rows, problems = [], []
    with path.open(newline="", encoding="utf-8") as fh:
        for line, rec in enumerate(csv.DictReader(fh), start=2):
            try:
                rows.append({"baris": line, "loket": rec["loket"].strip(), "jumlah": int(rec["jumlah"])})
            except ValueError:
                problems.append(RowProblem(line, "jumlah", f"'{rec['jumlah']}' is not a whole number of visits"))
    reject_if(path, problems, "kunjungan")
    return pd.DataFrame(rows, columns=["baris", "loket", "jumlah"])


def test_a_sixth_source_declared_in_a_test_lands_and_shows_in_raw_status_and_data_docs(tmp_path):
    suite_file = tmp_path / "kunjungan__harian.json"
    suite_file.write_text(json.dumps(SUITE))
    visits = Entity(
        source="kunjungan",
        entity="harian",
        label="Kunjungan loket",
        suffixes=(".csv",),
        columns=(("loket", "varchar"), ("jumlah", "integer")),
        read=read_visits,
        suite=str(suite_file),
    )
    inbox = tmp_path / "inbox" / "kunjungan"
    inbox.mkdir(parents=True)
    (inbox / "kunjungan_2024-12.csv").write_text("loket,jumlah\nPTSP Balai Kota,120\nPTSP Jakarta Timur,85\n")
    settings = Settings.from_env(home=tmp_path / "home", inbox=tmp_path / "inbox")
    with registry.declared(visits):
        result = pipeline.run(settings)
        assert len(result.landed) == 1
        con = duckdb.connect(str(settings.serving_db), read_only=True)
        try:
            raw = con.execute("select loket, jumlah, baris from raw.kunjungan__harian order by baris").fetchall()
            status = con.execute("select status, batch_terakhir from marts.status_sumber where sumber = 'kunjungan'").fetchone()
        finally:
            con.close()
        assert raw == [("PTSP Balai Kota", 120, 2), ("PTSP Jakarta Timur", 85, 3)]
        assert status[0] == "TERKINI" and status[1] == result.landed[0]
        pages = list((settings.warehouse_dir / "data_docs" / "validations" / "kunjungan__harian").rglob("*.html"))
        assert len(pages) == 1 and "kunjungan_2024-12.csv" in (settings.warehouse_dir / "data_docs" / "index.html").read_text()

        # a bad file of the new source is rejected like any other: row, column, reason; the source is stale
        (inbox / "kunjungan_2025-01.csv").write_text("loket,jumlah\nPTSP Balai Kota,-4\nPTSP Jakarta Timur,banyak\n")
        with pytest.raises(PipelineError) as failure:
            pipeline.run(settings)
        assert "kunjungan_2025-01.csv, row 3, column 'jumlah': 'banyak' is not a whole number of visits" in str(failure.value)
        # nothing else was new, so nothing was published: the live status file says it (docs/bi.md)
        assert [r["sumber"] for r in source_status.stale(settings)] == ["kunjungan"]
    assert "kunjungan" not in registry.sources()  # the declaration ended with the test


def test_a_public_mart_without_its_suite_is_not_published(home_copy, tmp_path, monkeypatch):
    settings = home_copy
    suites = tmp_path / "suites"
    shutil.copytree(quality.SUITES_DIR, suites)
    (suites / "marts__efisiensi_sasaran.json").unlink()
    monkeypatch.setattr(quality, "SUITES_DIR", suites)
    (settings.inbox / "emonev" / "koreksi_2024.csv").write_text("tahun,periode,indikator_kode,realisasi\n2024,TAHUNAN,SK09,66.5\n")
    serving = file_sha256(settings.serving_db)
    with pytest.raises(PipelineError) as failure:
        pipeline.run(settings)
    assert "public mart(s) efisiensi_sasaran have no suite" in str(failure.value)
    assert file_sha256(settings.serving_db) == serving
