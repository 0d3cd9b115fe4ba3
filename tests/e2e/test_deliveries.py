"""What real deliveries do to a run (issue 14): names the file system allows, entries that are not
read, a run killed by an orchestrator (the parent alone), a full disk. Each ends in the correct
value or a clear message, the published marts unchanged where the input is rejected, nothing lost."""

from __future__ import annotations

import gzip
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from kinerja import pipeline
from kinerja.config import PROJECT_ROOT, SAMPLE_INBOX, Settings
from kinerja.errors import PipelineError
from tests.conftest import file_sha256
from tests.e2e.test_quality_gates import EMONEV_HEADER, TRANSACTION_HEADER, marts_hash
from tests.e2e.test_reliability import _sk09 as sk09

KINERJA = Path(sys.executable).with_name("kinerja")
# 240 bytes of a name the OS allows: spaces, parentheses, non-ASCII (é is 2 bytes in UTF-8)
LONG = "Realisasi E-Monev (revisi ke-2) Dinas PPKUKM — Bidang UMKM, triwulan IV " + "é" * 78


def _sk09(settings: Settings) -> float:
    return sk09(settings.serving_db)


def test_any_name_the_file_system_allows_lands_or_is_quarantined_end_to_end(home_copy):
    settings = home_copy
    good = settings.inbox / "emonev" / f"{LONG}.csv"
    assert 230 < len(good.name.encode()) <= 255
    good.write_text(EMONEV_HEADER + "2024,TAHUNAN,SK09,66.5,koreksi\n")
    result = pipeline.run(settings)
    assert len(result.landed) == 1 and _sk09(settings) == 66.5
    con = duckdb.connect(str(settings.serving_db), read_only=True)
    try:  # the original name is kept as data
        assert con.execute("select nama_file_asli from staging.stg_pipeline__batch where batch_id = ?", [result.landed[0]]).fetchone() == (
            good.name,
        )
    finally:
        con.close()
    assert good.name in (settings.warehouse_dir / "data_docs" / "index.html").read_text() or any(
        good.name[:60] in p.read_text() for p in (settings.warehouse_dir / "data_docs" / "validations").rglob("*.html")
    )

    # a bad file with a long name (two of them, the same start) is rejected and quarantined, not a crash
    serving = file_sha256(settings.serving_db)
    for tail in ("a", "b"):
        (settings.inbox / "emonev" / f"{LONG[:-1]}{tail}.csv").write_text(EMONEV_HEADER + "2024,TW5,SK09,1,\n")
    with pytest.raises(PipelineError) as failure:
        pipeline.run(settings)
    assert "expected TW1, TW2, TW3, TW4 or TAHUNAN" in str(failure.value) and f"{LONG[:-1]}a.csv" in str(failure.value)
    assert file_sha256(settings.serving_db) == serving
    reasons = sorted((settings.quarantine_dir / "emonev").rglob("*.reason.txt"))
    assert len(reasons) == 2 and all(len(p.name.encode()) <= 255 for p in reasons)
    assert all("TW5" in p.read_text() for p in reasons)
    copies = [p for p in (settings.quarantine_dir / "emonev").rglob("*.csv")]
    assert sorted(p.read_bytes() for p in copies) == [(EMONEV_HEADER + "2024,TW5,SK09,1,\n").encode()] * 2


def test_every_inbox_entry_is_accounted_for_and_gzipped_transactions_are_read(home_copy):
    settings = home_copy
    (settings.inbox / "emonev" / "realisasi_2025.xlsx").write_bytes(b"PK\x03\x04 not read")
    (settings.inbox / "emonev" / "arsip").mkdir()
    (settings.inbox / "lain").mkdir()
    (settings.inbox / "lain" / "catatan.txt").write_text("x")
    rows = "".join(f"TGZ{n},JP0000002,2025-01-05 09:{n:02d}:00,QRIS,PENJUALAN,1000,\n" for n in range(3))
    with gzip.open(settings.inbox / "jakpreneur" / "transaksi_2025-01-05.csv.gz", "wt", encoding="utf-8") as fh:
        fh.write(TRANSACTION_HEADER + rows)
    result = pipeline.run(settings)
    assert len(result.landed) == 1  # the gzipped export
    con = duckdb.connect(str(settings.serving_db), read_only=True)
    try:
        status = dict(con.execute("select sumber, berkas_diabaikan from marts.status_sumber").fetchall())
        landed = con.execute("select count(*) from raw.jakpreneur__transaksi where transaksi_id like 'TGZ%'").fetchone()[0]
    finally:
        con.close()
    assert landed == 3
    assert "realisasi_2025.xlsx: is not a file type this source reads; it takes .csv files" in status["emonev"]
    assert "arsip: is a folder" in status["emonev"]
    assert "IGNORED file       : emonev: realisasi_2025.xlsx" in result.summary
    assert {"sumber": "lain", "berkas": "lain", "alasan": result.ignored[0]["alasan"]} in result.ignored
    assert "no source is declared for this folder" in result.ignored[0]["alasan"]


def test_a_run_killed_alone_during_dbt_leaves_no_builder_and_the_next_run_publishes(home_copy):
    """An orchestrator's timeout kills the run's process only (not its group): dbt must not be left
    holding the fixed-name build file."""
    settings = home_copy
    (settings.inbox / "emonev" / "koreksi_2024.csv").write_text(EMONEV_HEADER + "2024,TAHUNAN,SK09,66.5,koreksi\n")
    before = marts_hash(settings.serving_db)
    env = dict(os.environ, KINERJA_HOME=str(settings.home), KINERJA_INBOX=str(settings.inbox))
    for marker in ("build: raw loaded", "dbt build: "):
        proc = subprocess.Popen(
            [str(KINERJA), "run"], env=env, cwd=PROJECT_ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
        )
        for line in proc.stderr:
            if line.startswith("[") and marker in line:
                os.kill(proc.pid, signal.SIGKILL)  # the parent alone
                break
        proc.wait()
        build = settings.state_dir / "build" / "kinerja-build.duckdb"
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and _holders(build):
            time.sleep(0.2)
        assert _holders(build) == [], f"a process still holds {build} after the run was killed at {marker!r}"
        assert marts_hash(settings.serving_db) == before
    pipeline.run(settings)
    assert _sk09(settings) == 66.5


def _holders(path: Path) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if any(os.readlink(fd) == str(path) for fd in (entry / "fd").iterdir()):
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


@pytest.fixture
def small_disk(tmp_path):
    """A 96 MB file system of the test's own (tmpfs; the tests run as root, as CI does)."""
    mount = tmp_path / "kecil"
    mount.mkdir()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=96m", "tmpfs", str(mount)], check=True)
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], check=False)


def test_a_full_disk_ends_in_a_clear_failure_and_the_next_run_publishes(published, small_disk):
    settings_src, _ = published
    home = small_disk / "home"
    shutil.copytree(settings_src.home, home, ignore=shutil.ignore_patterns("state"))
    inbox = small_disk.parent / "inbox"
    shutil.copytree(SAMPLE_INBOX, inbox)
    settings = Settings.from_env(home=home, inbox=inbox)
    (inbox / "emonev" / "koreksi_2024.csv").write_text(EMONEV_HEADER + "2024,TAHUNAN,SK09,66.5,koreksi\n")
    serving = file_sha256(settings.serving_db)
    filler = small_disk / "pengisi"
    free = shutil.disk_usage(small_disk).free
    with filler.open("wb") as fh:  # leave about 3 MB: enough to land the file, not to build
        fh.write(b"\0" * max(free - 3 * 1024 * 1024, 0))
    with pytest.raises(PipelineError) as failure:
        pipeline.run(settings)
    message = str(failure.value)
    assert "No space left on device" in message or "could not be written" in message or "dbt build failed" in message, message
    assert "serving warehouse" in message
    assert file_sha256(settings.serving_db) == serving
    filler.unlink()
    pipeline.run(settings)
    assert _sk09(settings) == 66.5
    landed = list((settings.landing_dir / "emonev" / "realisasi").rglob("batch.json"))
    assert len(landed) == 3  # the correction landed exactly once


def test_an_io_error_while_landing_names_the_path_and_loses_nothing(home_copy, monkeypatch):
    """The same class by an injected write failure at another moment (landing a batch)."""
    import errno

    from kinerja import landing

    settings = home_copy
    (settings.inbox / "emonev" / "koreksi_2024.csv").write_text(EMONEV_HEADER + "2024,TAHUNAN,SK09,66.5,koreksi\n")
    serving = file_sha256(settings.serving_db)
    land = landing.land

    def full_disk(landing_dir, *args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device", str(landing_dir / "emonev" / "realisasi"))

    monkeypatch.setattr(landing, "land", full_disk)
    with pytest.raises(PipelineError) as failure:
        pipeline.run(settings)
    message = str(failure.value)
    assert "No space left on device" in message and str(settings.landing_dir / "emonev" / "realisasi") in message
    assert f"the serving warehouse {settings.serving_db} was left as it was" in message
    assert file_sha256(settings.serving_db) == serving
    monkeypatch.setattr(landing, "land", land)
    pipeline.run(settings)
    assert _sk09(settings) == 66.5
