"""The dbt process a run starts ahead (kinerja.dbt.warmed): dbt's commands run in it, with the
environment of the moment they are sent, and one left unused does not outlive the run."""

from __future__ import annotations

import json

import psutil

from kinerja import dbt


def _gone(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


def test_the_process_started_ahead_runs_the_next_dbt_command(tmp_path):
    with dbt.warmed():
        warm = dbt._WARM[0].pid
        dbt.run(("parse",), tmp_path / "build.duckdb", tmp_path)
        assert not dbt._WARM  # taken: a second command would start its own process
    events = [json.loads(line) for line in (tmp_path / "dbt" / "logs" / "dbt.log").read_text().splitlines()]
    assert {e["info"]["pid"] for e in events} == {warm}
    assert (tmp_path / "dbt" / "target" / "manifest.json").is_file()
    assert _gone(warm)


def test_a_process_started_ahead_and_not_needed_is_stopped(tmp_path):
    with dbt.warmed():
        warm = dbt._WARM[0].pid
        with dbt.warmed():  # nested (a build inside a run): the outer block owns the process
            assert [p.pid for p in dbt._WARM] == [warm]
        assert not _gone(warm)
    assert not dbt._WARM
    assert _gone(warm)


def test_without_a_process_started_ahead_run_starts_one(tmp_path):
    dbt.run(("parse",), tmp_path / "build.duckdb", tmp_path)
    pids = {json.loads(line)["info"]["pid"] for line in (tmp_path / "dbt" / "logs" / "dbt.log").read_text().splitlines()}
    assert len(pids) == 1 and not dbt._WARM


def test_a_process_started_ahead_that_died_is_replaced(tmp_path):
    with dbt.warmed():
        warm = dbt._WARM[0]
        warm.kill()
        warm.wait()
        dbt.run(("parse",), tmp_path / "build.duckdb", tmp_path)
    pids = {json.loads(line)["info"]["pid"] for line in (tmp_path / "dbt" / "logs" / "dbt.log").read_text().splitlines()}
    assert len(pids) == 1 and warm.pid not in pids
    assert (tmp_path / "dbt" / "target" / "manifest.json").is_file()
