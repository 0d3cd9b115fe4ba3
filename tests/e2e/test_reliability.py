"""Reliability under test (docs/operations.md, crash safety): a run killed at any point never leaves the serving
warehouse broken or half-published and the next run completes; a BI tool holding the warehouse open
read-only during a publish keeps its consistent view while new readers see the new build."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb

from kinerja import pipeline
from kinerja.config import PROJECT_ROOT
from tests.e2e.test_quality_gates import EMONEV_HEADER, marts_hash

KINERJA = Path(sys.executable).with_name("kinerja")


def _sk09(serving: Path) -> float:
    con = duckdb.connect(str(serving), read_only=True)
    try:
        return con.execute(
            "select realisasi from marts.capaian_indikator where indikator_kode = 'SK09' and tahun = 2024 "
            "and periode = 'TAHUNAN' and jenis_target = 'PERKIN'"
        ).fetchone()[0]
    finally:
        con.close()


def test_a_run_killed_at_every_step_never_breaks_the_serving_warehouse(home_copy):
    settings = home_copy
    (settings.inbox / "emonev" / "koreksi_2024.csv").write_text(EMONEV_HEADER + "2024,TAHUNAN,SK09,66.5,koreksi\n")
    before = marts_hash(settings.serving_db)
    assert _sk09(settings.serving_db) != 66.5
    env = dict(os.environ, KINERJA_HOME=str(settings.home), KINERJA_INBOX=str(settings.inbox))
    # kill right after the progress line of each step: ingest (GX import, landing), raw loaded, dbt
    # build, the marts audit, the publish (change log written, file not yet renamed), the Data Docs
    markers = ("ingest: ", "build: raw loaded", "dbt build: ", "audit: validating", "publish: ", "data docs: ")
    kills = []
    for marker in markers:
        # the publish kill can land after the rename (the line is printed just before it); then a
        # plain run has nothing to do and never reaches the Data Docs, so that step rebuilds anyway
        args = ["run", "--full-refresh"] if marker == "data docs: " else ["run"]
        proc = subprocess.Popen([str(KINERJA), *args], env=env, cwd=PROJECT_ROOT, start_new_session=True,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)  # fmt: skip
        for line in proc.stderr:
            if line.startswith("[") and marker in line:
                os.killpg(proc.pid, signal.SIGKILL)  # the run and its dbt subprocess, mid-step
                kills.append((marker, line.strip()[:100]))
                break
        proc.wait()
        # after every kill the serving file opens and holds a whole build: the old one or the new one
        serving_hash = marts_hash(settings.serving_db)
        assert serving_hash == before or _sk09(settings.serving_db) == 66.5
        for partition in settings.landing_dir.rglob("landed_at=*"):
            for batch in partition.iterdir():  # a batch is whole or absent (written aside, renamed in)
                assert (batch / "batch.json").exists() and (batch / "rows.parquet").exists(), batch
    assert [k[0] for k in kills] == list(markers), kills  # killed once in every step
    pipeline.run(settings)  # the next run completes
    assert _sk09(settings.serving_db) == 66.5
    landed = [p for p in (settings.landing_dir / "emonev" / "realisasi").rglob("batch.json")]
    assert len(landed) == 3  # the correction landed exactly once, whatever point the kills hit
    # and a run after that one gives identical marts (idempotent)
    again = marts_hash(settings.serving_db)
    pipeline.run(settings)
    assert marts_hash(settings.serving_db) == again


READER = r"""
import sys, duckdb
path = sys.argv[1]
query = ("select realisasi from marts.capaian_indikator where indikator_kode = 'SK09' and tahun = 2024 "
         "and periode = 'TAHUNAN' and jenis_target = 'PERKIN'")
held = duckdb.connect(path, read_only=True)          # a BI tool keeps its connection open
print("before", held.execute(query).fetchone()[0], held.execute("select count(*) from marts.capaian_indikator").fetchone()[0], flush=True)
sys.stdin.readline()                                  # ... while the pipeline publishes
print("held", held.execute(query).fetchone()[0], held.execute("select count(*) from marts.capaian_indikator").fetchone()[0], flush=True)
"""


def test_a_reader_holding_the_warehouse_open_keeps_its_view_while_a_publish_happens(home_copy):
    settings = home_copy
    old = _sk09(settings.serving_db)
    reader = subprocess.Popen(
        [sys.executable, "-c", READER, str(settings.serving_db)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        first = reader.stdout.readline().split()
        assert first[0] == "before" and float(first[1]) == old
        (settings.inbox / "emonev" / "koreksi_2024.csv").write_text(EMONEV_HEADER + "2024,TAHUNAN,SK09,66.5,koreksi\n")
        started = time.monotonic()
        result = pipeline.run(settings)  # publishes while the reader holds the old file open
        assert result.landed and time.monotonic() - started < 600
        reader.stdin.write("go\n")
        reader.stdin.flush()
        held = reader.stdout.readline().split()
    finally:
        reader.kill()
    assert held == ["held", first[1], first[2]]  # the open connection still sees the whole old build
    # a new reader (another process, as a BI tool connecting afresh; within one process DuckDB hands
    # out the instance already open) sees the new build
    assert _sk09(settings.serving_db) == 66.5 and first[1] != "66.5"
