"""The main job, as steps shared by the CLI, the Airflow DAG and the tests.

ingest -> build (raw + dbt build with tests, into a new file) -> publish (atomic replace) -> summary.
Only one run per installation at a time (a lock file); any step failing leaves the serving
warehouse exactly as it was.
"""

from __future__ import annotations

import fcntl
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from kinerja import ingest as ingest_step
from kinerja import publish as publish_step
from kinerja import summary, warehouse
from kinerja.config import Settings
from kinerja.errors import PipelineError
from kinerja.progress import Reporter, silent


@dataclass
class RunResult:
    run_id: str
    landed: list[str]
    unchanged: int
    serving_db: str
    summary: str
    seconds: float


@contextmanager
def run_lock(settings: Settings) -> Iterator[None]:
    settings.state_dir.mkdir(parents=True, exist_ok=True)
    with (settings.state_dir / "run.lock").open("w") as fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise PipelineError(f"another Kinerja run holds {settings.state_dir / 'run.lock'}; wait for it to finish") from None
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def run(settings: Settings, progress: Reporter = silent) -> RunResult:
    """Ingest the inbox, build, publish and summarise. Raises PipelineError on any failure."""
    started = time.monotonic()
    run_id = warehouse.new_run_id()
    with run_lock(settings):
        progress(f"run {run_id}: inbox {settings.inbox}, home {settings.home}")
        report = ingest_step.ingest(settings, progress)
        build_file = warehouse.build(settings, run_id, progress)
        publish_step.publish(settings, build_file, progress)
        text = summary.summarize(settings)
    return RunResult(
        run_id=run_id,
        landed=[b.batch_id for b in report.landed],
        unchanged=len(report.unchanged),
        serving_db=str(settings.serving_db),
        summary=text,
        seconds=time.monotonic() - started,
    )
