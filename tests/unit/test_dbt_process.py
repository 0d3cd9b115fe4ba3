"""The dbt process a run starts ahead (kinerja.dbt.warmed): dbt's commands run in it, with the
environment of the moment they are sent, and one left unused does not outlive the run."""

from __future__ import annotations

import json
import os
import time

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


def _invocations(log_dir) -> list[tuple[int, set[str]]]:
    """(pid, names of its events) of each dbt invocation in a dbt.log, in order."""
    found: dict[str, tuple[int, set[str]]] = {}
    for line in (log_dir / "dbt.log").read_text().splitlines():
        info = json.loads(line)["info"]
        found.setdefault(info["invocation_id"], (info["pid"], set()))[1].add(info["name"])
    return list(found.values())


PARSING = "StateCheckVarsHash"  # dbt checks whether it can parse partially: it is parsing the project


def test_a_prepared_process_runs_the_next_command_on_its_parse(tmp_path, monkeypatch):
    with dbt.warmed():
        warm = dbt._WARM[0].pid
        dbt.prepare(tmp_path / "build.duckdb", tmp_path)
        dbt.prepare(tmp_path / "build.duckdb", tmp_path)  # once is enough: a second call does nothing
        monkeypatch.setenv("GX_ANALYTICS_ENABLED", "False")  # set by importing GX during the ingest: not read by dbt
        dbt.run(("ls",), tmp_path / "build.duckdb", tmp_path)
    (parse_pid, parse), (ls_pid, ls) = _invocations(tmp_path / "dbt" / "logs")
    assert parse_pid == ls_pid == warm
    assert PARSING in parse and "ParsePerfInfoPath" in parse
    assert PARSING not in ls and "FoundStats" in ls  # it listed the project without parsing it again


def test_a_parse_made_for_another_build_file_is_not_used(tmp_path):
    with dbt.warmed():
        dbt.prepare(tmp_path / "other.duckdb", tmp_path)  # the profile reads the path: another parse
        dbt.run(("ls",), tmp_path / "build.duckdb", tmp_path)
    (_, parse), (_, ls) = _invocations(tmp_path / "dbt" / "logs")
    assert PARSING in parse and PARSING in ls


def _parsed_ahead(log_dir) -> None:
    """Wait until the parse ahead is done (its invocation completed in dbt.log)."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        log = log_dir / "dbt.log"
        if log.exists() and any("CommandCompleted" in names for _, names in _invocations(log_dir)):
            return
        time.sleep(0.2)
    raise AssertionError("the parse ahead did not finish")


def test_a_project_file_changed_after_the_parse_ahead_is_parsed_again(tmp_path):
    page = dbt.DBT_PROJECT_DIR / "models" / "docs.md"
    stat = page.stat()
    try:
        with dbt.warmed():
            dbt.prepare(tmp_path / "build.duckdb", tmp_path)
            _parsed_ahead(tmp_path / "dbt" / "logs")
            os.utime(page, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))  # as an edit would
            dbt.run(("ls",), tmp_path / "build.duckdb", tmp_path)
    finally:
        os.utime(page, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    (_, parse), (_, ls) = _invocations(tmp_path / "dbt" / "logs")
    assert "CommandCompleted" in parse and PARSING in ls


def test_the_parse_ahead_writes_no_manifest(tmp_path):
    """A run that builds nothing stops the process, perhaps mid-parse: the parse ahead must not be
    writing the manifest the next build reads (kinerja.warehouse.carry_incremental_state)."""
    with dbt.warmed():
        dbt.prepare(tmp_path / "build.duckdb", tmp_path)
        _parsed_ahead(tmp_path / "dbt" / "logs")
    assert not (tmp_path / "dbt" / "target" / "manifest.json").exists()
    assert (tmp_path / "dbt" / "target" / "partial_parse.msgpack").is_file()
