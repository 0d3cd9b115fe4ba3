"""dbt as the pipeline uses it: run it in a subprocess, and read what it knows from its artifacts.

dbt's ``manifest.json`` knows every model, its contract and its materialization, so the set of
public marts (contract-enforced models in schema ``marts``) and the incremental models are read
from it, never from a hand-kept list. ``run_results.json`` says what ran and what failed, with
the node's name and message; progress comes from dbt's structured (JSON) log events.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from kinerja.config import DBT_PROJECT_DIR
from kinerja.errors import PipelineError
from kinerja.progress import Reporter, silent

PROJECT_TARGET = DBT_PROJECT_DIR / "target"  # the project's own parse (git-ignored), for callers without a build
DOCS_PAGE = "static_index.html"  # ``dbt docs generate --static``: the docs site in one file that opens from disk
_FAILED = ("error", "fail", "runtime error")


def die_with_parent() -> None:
    """In a child process before it runs: the kernel kills it when its parent dies, so a run killed
    by an orchestrator (SIGKILL to the run alone) leaves no dbt behind holding the build file."""
    if sys.platform.startswith("linux"):
        import ctypes
        import signal

        PR_SET_PDEATHSIG = 1
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def _env(db_path: Path | None) -> dict[str, str]:
    env = dict(os.environ)
    env.update(DBT_SEND_ANONYMOUS_USAGE_STATS="False", DBT_NO_VERSION_CHECK="True", DBT_USE_COLORS="False")
    if db_path is not None:
        env["KINERJA_DUCKDB_PATH"] = str(db_path)
    return env


def _folders(state_dir: Path, subdir: str) -> tuple[Path, Path]:
    """dbt's target and log folders under ``state_dir`` (one ``subdir`` per dbt target)."""
    return state_dir / subdir / "target", state_dir / subdir / "logs"


def _command_env(db_path: Path | None, env: dict[str, str] | None) -> dict[str, str]:
    return {**_env(db_path), **(env or {})}


def command(args: tuple[str, ...], target_dir: Path, log_dir: Path, dbt_vars: dict | None = None) -> list[str]:
    cmd = [
        str(Path(sys.executable).with_name("dbt")),
        *args,
        "--project-dir", str(DBT_PROJECT_DIR),
        "--profiles-dir", str(DBT_PROJECT_DIR),
        "--target-path", str(target_dir),
        "--log-path", str(log_dir),
    ]  # fmt: skip
    if dbt_vars:
        cmd += ["--vars", json.dumps(dbt_vars)]
    return cmd


# The parse ahead logs to dbt.log only (run() reads what the process prints as its command's output),
# and writes no manifest.json: the build writes it when done, and a run that builds nothing may kill
# the process mid-parse (a half-written partial-parse file only makes dbt parse in full).
_PARSE_AHEAD = ("--no-write-json", "--log-level", "none", "--log-level-file", "debug")
# flags of a command that change what dbt parses (with a value, and without)
_PARSE_FLAGS = ("--project-dir", "--profiles-dir", "--target-path", "--log-path", "--vars", "--target", "-t", "--profile",
                "--warn-error-options", "--maximum-seed-size-mib", "--partial-parse-file-path")  # fmt: skip
_PARSE_SWITCHES = ("--warn-error", "--use-v2-parser", "--partial-parse", "--no-partial-parse", "--static-parser", "--no-static-parser")
_SKIPPED = ("target", "logs", "dbt_packages")  # what dbt writes into the project, not what it parses


_ENV_VAR = re.compile(r"""env_var\(\s*['"]([A-Za-z0-9_]+)['"]""")


def _parse_key(args: list[str], env: dict[str, str]) -> str:
    """What parsing the project depends on in a dbt command: its project, profile, target and log
    folders, its vars and the environment variables it can read: dbt's own (``DBT_*``) and those
    the project's files name in ``env_var()`` (the profile reads the build file's path so). Others
    (Great Expectations sets some when imported) change nothing dbt parses."""
    flags = {arg: args[i + 1] if i + 1 < len(args) else "" for i, arg in enumerate(args) if arg in _PARSE_FLAGS}
    flags.update((arg, "") for arg in args if arg in _PARSE_SWITCHES)
    named = set()
    for path in _project_paths():
        if path.suffix in (".sql", ".yml", ".yaml", ".md"):
            named.update(_ENV_VAR.findall(path.read_text(encoding="utf-8", errors="replace")))
    read = {k: v for k, v in env.items() if k.startswith("DBT_") or k in named}
    return json.dumps([sorted(flags.items()), sorted(read.items())])


def _project_files() -> list[tuple[str, int, int]]:
    """Every file of the dbt project with its modification time and size: a parse made before
    any of them changed is the parse dbt would make now."""
    found = []
    for path in _project_paths():
        stat = path.stat()
        found.append((str(path.relative_to(DBT_PROJECT_DIR)), stat.st_mtime_ns, stat.st_size))
    return sorted(found)


def _project_paths() -> Iterator[Path]:
    for folder, subfolders, names in os.walk(DBT_PROJECT_DIR):
        if Path(folder) == DBT_PROJECT_DIR:
            subfolders[:] = [d for d in subfolders if d not in _SKIPPED]
        yield from (Path(folder, name) for name in names)


def _parse_ahead(request: dict):
    """Parse the project as the next command will (:func:`prepare`): (key, project files, manifest),
    or None when the parse failed (the command then parses, and reports, itself)."""
    from dbt.cli.main import dbtRunner

    os.environ.clear()
    os.environ.update(request["env"])
    try:
        files = _project_files()
        result = dbtRunner().invoke(request["args"])
        if not result.success or result.result is None:
            return None
        return _parse_key(request["args"], request["env"]), files, result.result
    except Exception:  # e.g. a file gone between listing and reading it: the command parses itself
        return None


def _still_valid(parsed, args: list[str], env: dict[str, str]):
    """The manifest of the parse ahead if the command ``args`` would parse the same, else None."""
    if parsed is None:
        return None
    key, files, manifest = parsed
    try:
        return manifest if key == _parse_key(args, env) and files == _project_files() else None
    except Exception:  # as in _parse_ahead: when in doubt, dbt parses
        return None


def _main() -> int:
    """Run dbt commands in this process, in order, like the ``dbt`` executable would one by one:
    dbt's start-up (Python and dbt's imports, about 3 s on the 2-core machine) is paid once.
    The commands come as one JSON line on stdin with the environment to run them in, sent when
    the caller needs dbt (the process may have been started ahead, :func:`warmed`). A line before
    it may ask for the project to be parsed ahead (:func:`prepare`); the first command then uses
    that parse if its folders, vars and environment are those of the parse and no project file
    changed since, and parses itself otherwise. The first command decides the exit status (dbt's:
    0 ok, 1 failed, 2 crashed) and, failing, stops the rest; a later one failing is left to the
    caller, who sees what it did not write."""
    from dbt.cli.main import dbtRunner

    line = sys.stdin.readline()
    request = json.loads(line) if line else None
    parsed = None
    if request is not None and "prepare" in request:
        parsed = _parse_ahead(request["prepare"])
        line = sys.stdin.readline()
        request = json.loads(line) if line else None
    if request is None:  # the caller needed no dbt after all
        return 0
    os.environ.clear()
    os.environ.update(request["env"])
    first, *rest = request["commands"]
    result = dbtRunner(manifest=_still_valid(parsed, first, request["env"])).invoke(first)
    if not result.success:
        return 2 if result.exception is not None else 1
    for args in rest:  # each parses again (partial parse): the first may have changed what dbt knows
        dbtRunner().invoke(args)
    return 0


_WARM: list[subprocess.Popen] = []
_OWNER: list[int] = []  # the thread that started it


def _start() -> subprocess.Popen:
    """A dbt process that imports dbt, then waits for its commands on stdin (:func:`_main`)."""
    return subprocess.Popen(
        [sys.executable, "-m", "kinerja.dbt"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=_env(None),
        cwd=DBT_PROJECT_DIR,
        preexec_fn=die_with_parent,
    )


def _reap(proc: subprocess.Popen) -> None:
    """Stop a dbt process not (or no longer) needed and close its pipes."""
    if proc.poll() is None:
        proc.kill()
    proc.wait()
    for pipe in (proc.stdin, proc.stdout):
        if pipe is not None:
            pipe.close()


def _stop_warm() -> None:
    while _WARM:
        _reap(_WARM.pop())


@contextmanager
def warmed() -> Iterator[None]:
    """Within this block the next dbt command (:func:`run`) goes to a process started now, which
    imports dbt while the caller does other work (ingest, raw loading) on the other core; one
    left unused is stopped when the block ends. Without it :func:`run` starts its process when
    called. Blocks nest: the outermost one starts the process."""
    outermost = not _WARM
    if outermost:
        _WARM.append(_start())
        _OWNER[:] = [threading.get_ident()]
    try:
        yield
    finally:
        if outermost:
            _stop_warm()


def _send(proc: subprocess.Popen, request: str) -> None:
    assert proc.stdin is not None
    proc.stdin.write(request)
    proc.stdin.close()


def _process() -> subprocess.Popen:
    """The process for the next dbt command: the one started ahead if it is alive, else a new one.
    Only its own thread takes it: the kernel kills it when the thread that started it ends
    (:func:`die_with_parent`)."""
    if _OWNER != [threading.get_ident()]:
        return _start()
    while _WARM:
        proc = _WARM.pop()
        if proc.poll() is None:
            return proc
        _reap(proc)
    return _start()


def prepare(
    db_path: Path | None, state_dir: Path, dbt_vars: dict | None = None, subdir: str = "dbt", env: dict[str, str] | None = None
) -> None:
    """Have the process started ahead (:func:`warmed`) parse the project now, on the other core,
    as the next :func:`run` with these arguments would (a first build's full parse is about 5 s,
    a partial one about 1.5 s). That run then skips its parse if nothing it depends on changed
    meanwhile (:func:`_main` checks); otherwise it parses as always. Without a process started
    ahead, or called again, this does nothing."""
    if _OWNER != [threading.get_ident()] or not _WARM or getattr(_WARM[-1], "kinerja_prepared", False):
        return
    proc = _WARM[-1]
    target_dir, log_dir = _folders(state_dir, subdir)
    args = command(("parse",), target_dir, log_dir, dbt_vars)[1:] + ["--log-format", "json", *_PARSE_AHEAD]
    request = json.dumps({"prepare": {"args": args, "env": _command_env(db_path, env)}}) + "\n"
    assert proc.stdin is not None
    try:
        proc.stdin.write(request)
        proc.stdin.flush()
    except BrokenPipeError:  # it died: run() starts another
        return
    proc.kinerja_prepared = True  # type: ignore[attr-defined]


@dataclass(frozen=True)
class NodeResult:
    unique_id: str
    status: str
    message: str

    @property
    def name(self) -> str:
        """``model.kinerja.capaian_indikator`` -> ``capaian_indikator`` (tests keep their full name)."""
        return self.unique_id.split(".", 2)[-1]


def run_results(target_dir: Path) -> list[NodeResult]:
    path = target_dir / "run_results.json"
    if not path.exists():
        return []
    results = json.loads(path.read_text()).get("results", [])
    return [NodeResult(r["unique_id"], str(r.get("status", "")), str(r.get("message") or "")) for r in results]


def run(
    args: tuple[str, ...],
    db_path: Path | None,
    state_dir: Path,
    progress: Reporter = silent,
    dbt_vars: dict | None = None,
    subdir: str = "dbt",
    env: dict[str, str] | None = None,
    docs: bool = False,
) -> list[NodeResult]:
    """Run dbt in a subprocess (dbt-duckdb keeps the file open in-process otherwise), reporting
    progress from its JSON log events; raise PipelineError naming each failed model or test (from
    ``run_results.json``). Returns the node results. ``subdir`` of ``state_dir`` holds its target
    and logs (one per dbt target, so each keeps its partial parse); ``env`` adds to its environment
    (the PostgreSQL target's connection, :mod:`kinerja.postgres`). With ``docs``, when the command
    succeeds the same process writes the docs site of what it built (``dbt docs generate
    --static``, catalog from the database) as :data:`DOCS_PAGE` in the target directory; a docs
    failure is reported, never the run's."""
    target_dir, log_dir = _folders(state_dir, subdir)
    (target_dir / "run_results.json").unlink(missing_ok=True)  # a stale file must not speak for this run
    (target_dir / DOCS_PAGE).unlink(missing_ok=True)
    commands = [command(args, target_dir, log_dir, dbt_vars)[1:] + ["--log-format", "json"]]
    if docs:  # --no-compile: the build just compiled every node into this target
        commands.append(command(("docs", "generate", "--static", "--no-compile"), target_dir, log_dir, dbt_vars)[1:] + ["--log-format", "json"])
    started = time.monotonic()
    shown, messages = -1, []
    request = json.dumps({"commands": commands, "env": _command_env(db_path, env)}) + "\n"
    proc = _process()
    try:
        _send(proc, request)
    except BrokenPipeError:  # the process started ahead died before it was needed: a new one
        _reap(proc)
        proc = _start()
        try:
            _send(proc, request)
        except BrokenPipeError:  # it died at once; what it said is read below and its exit status tells
            pass
    with proc:
        assert proc.stdout is not None
        for line in proc.stdout:
            try:
                event = json.loads(line)
            except ValueError:
                messages.append(line.rstrip())
                continue
            info, data = event.get("info", {}), event.get("data", {})
            if info.get("level") in ("error", "warn"):
                messages.append(info.get("msg", ""))
            node = data.get("node_info") or {}
            total = data.get("total") or data.get("num_models")  # model results say total, test results num_models
            if "index" in data and total and data.get("status") and node:
                done, total, state = int(data["index"]), int(total), str(data["status"]).lower()
                step = max(total // 4, 1)
                if state in _FAILED or done == total or done // step > shown:
                    shown = done // step
                    progress(f"dbt {args[0]}: {done}/{total} nodes ({state} {node.get('node_name', '')})")
        code = proc.wait()
    results = run_results(target_dir)
    if code != 0:
        failed = [r for r in results if r.status in _FAILED]
        lines = [f"  - {r.name}: {r.status.upper()}: {_gist(r.message)}" for r in failed[:25]]
        if not lines:  # dbt stopped before running nodes (a compile or connection error): its own words
            lines = [m for m in messages if m][-15:]
        raise PipelineError(
            f"dbt {' '.join(args)} failed after {time.monotonic() - started:.0f} s"
            + (f" ({len(failed)} model(s) or test(s) failed)" if failed else "")
            + "; the serving warehouse was not changed.\n"
            + "\n".join(lines)
            + f"\nFull log: {log_dir / 'dbt.log'}"
        )
    progress(f"dbt {args[0]}: done in {time.monotonic() - started:.1f} s")
    if docs and not (target_dir / DOCS_PAGE).exists():
        progress(f"dbt docs: NOT generated ({'; '.join(m for m in messages[-3:] if m) or 'no message'}); see {log_dir / 'dbt.log'}")
    return results


def _gist(message: str) -> str:
    """The line of a dbt message that says what went wrong: after "Database Error in model x
    (path)" the database's own words (``type "double" does not exist``)."""
    lines = [line.strip() for line in (message or "").splitlines() if line.strip()]
    if len(lines) > 1 and lines[0].endswith(")") and " Error in " in lines[0]:
        return f"{lines[1][:300]} ({lines[0][:120]})"
    return lines[0][:300] if lines else ""


def _newest_project_file() -> float:
    newest = (DBT_PROJECT_DIR / "dbt_project.yml").stat().st_mtime
    for folder in ("models", "macros", "seeds"):
        for path in (DBT_PROJECT_DIR / folder).rglob("*"):
            if path.is_file():
                newest = max(newest, path.stat().st_mtime)
    return newest


def manifest(target_dir: Path | None = None) -> dict:
    """dbt's manifest: of a build (``state/dbt/target``) when given and present, else the
    project's own, parsed into ``dbt_project/target/`` when missing or older than the project."""
    if target_dir is not None and (target_dir / "manifest.json").exists():
        return json.loads((target_dir / "manifest.json").read_text())
    path = PROJECT_TARGET / "manifest.json"
    if not path.exists() or path.stat().st_mtime < _newest_project_file():
        cmd = command(("parse",), PROJECT_TARGET, DBT_PROJECT_DIR / "logs")
        done = subprocess.run(cmd, env=_env(None), cwd=DBT_PROJECT_DIR, capture_output=True, text=True)
        if done.returncode != 0:
            raise PipelineError(f"dbt parse failed; the project cannot be read:\n{done.stdout[-3000:]}")
    return json.loads(path.read_text())


def _models(doc: dict) -> list[dict]:
    return [n for n in doc["nodes"].values() if n["resource_type"] == "model" and n["package_name"] == "kinerja"]


def public_marts(target_dir: Path | None = None) -> list[str]:
    """The public contract: every contract-enforced model in schema ``marts``, by name."""
    doc = manifest(target_dir)
    return sorted(n["name"] for n in _models(doc) if n["schema"] == "marts" and n["config"].get("contract", {}).get("enforced"))


def incremental_models(target_dir: Path | None = None) -> list[str]:
    """``schema.name`` of every incremental model (its table is carried from build to build)."""
    doc = manifest(target_dir)
    return sorted(f"{n['schema']}.{n['name']}" for n in _models(doc) if n["config"].get("materialized") == "incremental")


def model_columns(target_dir: Path | None = None) -> dict[str, dict]:
    """Model name -> the node as dbt knows it (description, columns with descriptions and types)."""
    return {n["name"]: n for n in _models(manifest(target_dir))}


if __name__ == "__main__":
    sys.exit(_main())
