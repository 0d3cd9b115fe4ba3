"""The retraction record and the retention settings, without a build (the end-to-end proof is
tests/e2e/test_batches.py)."""

from __future__ import annotations

import os
import stat
import time

import pytest

from kinerja import retention, retractions
from kinerja.config import Settings
from kinerja.errors import PipelineError


def test_events_are_appended_as_whole_read_only_files_and_the_latest_decides(tmp_path):
    landing = tmp_path / "landing"
    assert retractions.in_force(landing) == {}
    first = retractions.record(landing, "emonev-20261202T101500000000Z-aaaaaaaaaaaa", retractions.RETRACTED, "wrong file")
    retractions.record(landing, "bps-20261202T101500000000Z-bbbbbbbbbbbb", retractions.RETRACTED, "test release")
    assert set(retractions.in_force(landing)) == {"emonev-20261202T101500000000Z-aaaaaaaaaaaa", "bps-20261202T101500000000Z-bbbbbbbbbbbb"}
    retractions.record(landing, "bps-20261202T101500000000Z-bbbbbbbbbbbb", retractions.RESTORED, "it was right")
    assert list(retractions.in_force(landing)) == ["emonev-20261202T101500000000Z-aaaaaaaaaaaa"]
    # as of the first event only: the bps batch had not been retracted yet
    assert list(retractions.in_force(landing, until=first.pada)) == ["emonev-20261202T101500000000Z-aaaaaaaaaaaa"]
    files = sorted((landing / "_retractions").iterdir())
    assert len(files) == 3 and all(not f.name.startswith(".") for f in files)  # no scratch file left
    assert all(not (f.stat().st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH)) for f in files)
    assert [e.tindakan for e in retractions.events(landing)] == ["DITARIK", "DITARIK", "DIPULIHKAN"]


def test_retention_settings_have_defaults_and_refuse_what_is_not_a_number(monkeypatch):
    for name in ("KINERJA_KEEP_VALIDATIONS_DAYS", "KINERJA_KEEP_AUDIT_RUNS", "KINERJA_KEEP_AS_OF_DAYS"):
        monkeypatch.delenv(name, raising=False)
    assert retention.Retention.from_env() == retention.Retention(validations_days=30, audit_runs=10, as_of_days=30)
    monkeypatch.setenv("KINERJA_KEEP_VALIDATIONS_DAYS", "7")
    assert retention.Retention.from_env().validations_days == 7
    monkeypatch.setenv("KINERJA_KEEP_AUDIT_RUNS", "0")
    with pytest.raises(PipelineError, match="KINERJA_KEEP_AUDIT_RUNS=0 is below 1"):
        retention.Retention.from_env()
    monkeypatch.setenv("KINERJA_KEEP_AUDIT_RUNS", "ten")
    with pytest.raises(PipelineError, match="KINERJA_KEEP_AUDIT_RUNS='ten' is not a whole number"):
        retention.Retention.from_env()


def test_old_rebuilds_are_pruned_and_nothing_else(tmp_path):
    settings = Settings.from_env(home=tmp_path, inbox=tmp_path / "inbox")
    folder = settings.warehouse_dir / "as_of"
    folder.mkdir(parents=True)
    old, new = folder / "kinerja-as-of-2025-01-31T235959.duckdb", folder / "kinerja-as-of-2025-06-30T235959.duckdb"
    mine = folder / "my-analysis.duckdb"  # not a rebuild's name: left alone
    for path in (old, new, mine):
        path.write_bytes(b"x")
    month_ago = time.time() - 31 * 86400
    for path in (old, mine):
        os.utime(path, (month_ago, month_ago))
    assert retention.prune_as_of(settings, retention.Retention()) == [old]
    assert new.exists() and mine.exists()
    assert retention.prune_as_of(settings, retention.Retention(as_of_days=0)) == [new]
