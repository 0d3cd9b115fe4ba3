"""A run that finds nothing new costs nothing (issue 18): no build, the serving file byte for byte
as it was; and any change to what a build is made of (a seed, a setting) still rebuilds."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb

from kinerja import pipeline
from kinerja.config import DBT_PROJECT_DIR, PROJECT_ROOT
from tests.conftest import file_sha256

KINERJA = Path(sys.executable).with_name("kinerja")


def test_nothing_new_builds_nothing_and_leaves_the_serving_file_as_it_was(home_copy):
    settings = home_copy
    serving = file_sha256(settings.serving_db)
    messages: list[str] = []
    started = time.monotonic()
    result = pipeline.run(settings, messages.append)
    seconds = time.monotonic() - started
    assert result.landed == [] and file_sha256(settings.serving_db) == serving
    assert any("nothing new and nothing changed" in m for m in messages), messages
    assert not any(m.startswith(("build:", "dbt ", "audit:")) for m in messages), messages
    assert "Perjanjian Kinerja : rata-rata capaian 102,36 %" in result.summary
    print(f"\nno-op run: {seconds:.1f} s")


def test_a_changed_seed_or_setting_rebuilds(home_copy, tmp_path):
    settings = home_copy
    env = dict(os.environ, KINERJA_HOME=str(settings.home), KINERJA_INBOX=str(settings.inbox))
    # a setting: the BPS configuration the build reads (a copy with a comment more)
    config = tmp_path / "bps.toml"
    config.write_text((PROJECT_ROOT / "ingestion" / "bps" / "bps.toml").read_text() + "\n# salinan operator\n")
    before = file_sha256(settings.serving_db)
    run = subprocess.run([str(KINERJA), "run"], env={**env, "KINERJA_BPS_CONFIG": str(config)}, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-2000:]
    assert "dbt build: done" in run.stderr and file_sha256(settings.serving_db) != before
    # a seed: a copy of the dbt project whose 2024 Perkin target of SK09 is 80 instead of 71
    project = tmp_path / "dbt_project"
    shutil.copytree(DBT_PROJECT_DIR, project, ignore=shutil.ignore_patterns("target", "logs"))
    seed = project / "seeds" / "katalog" / "target_indikator.csv"
    lines = seed.read_text().splitlines()
    changed = [line for line in lines if line.startswith("SK09,2024,TAHUNAN,PERKIN,")]
    assert len(changed) == 1
    seed.write_text(
        "\n".join(line if line not in changed else "SK09,2024,TAHUNAN,PERKIN,80," + line.rsplit(",", 1)[-1] for line in lines) + "\n"
    )
    before = file_sha256(settings.serving_db)
    run = subprocess.run(
        [str(KINERJA), "run"], env={**env, "KINERJA_BPS_CONFIG": str(config), "KINERJA_DBT_PROJECT_DIR": str(project)}, capture_output=True,
        text=True, timeout=600,
    )  # fmt: skip
    assert run.returncode == 0, run.stderr[-2000:]
    assert "dbt build: done" in run.stderr and file_sha256(settings.serving_db) != before
    con = duckdb.connect(str(settings.serving_db), read_only=True)
    try:
        target = con.execute(
            "select target from marts.capaian_indikator where indikator_kode = 'SK09' and tahun = 2024 and periode = 'TAHUNAN' "
            "and jenis_target = 'PERKIN'"
        ).fetchone()[0]
    finally:
        con.close()
    assert target == 80.0
