"""The main job, as steps shared by the CLI, the Airflow DAG and the tests.

ingest -> build (raw + dbt build with tests, into a new file) -> publish (atomic replace) -> summary.
Only one run per installation at a time (a lock file); any step failing leaves the serving
warehouse exactly as it was.
"""

from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from kinerja import dbt, postgres, quality, retention, retractions, status, summary, warehouse
from kinerja import ingest as ingest_step
from kinerja import publish as publish_step
from kinerja.config import Settings, serve_postgres_only
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
    ignored: list[dict[str, str]] = field(default_factory=list)  # inbox entries not read, with the reason


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


def _identity(path: Path) -> tuple | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return (stat.st_ino, stat.st_mtime_ns, stat.st_size)


@contextmanager
def io_errors_named(settings: Settings) -> Iterator[None]:
    """Out of space (or any other I/O error) in any step ends as a PipelineError that names the
    path and says what was left untouched, never as a traceback. Everything the run writes is
    written aside and renamed in, so what was published before stands, a batch is whole or absent,
    and the next run after space is freed completes (a half-written build file is replaced)."""
    import duckdb

    before = _identity(settings.serving_db)
    try:
        yield
    except (OSError, duckdb.IOException, duckdb.TransactionException, duckdb.OutOfMemoryException) as exc:
        if isinstance(exc, OSError):
            where = f" ({exc.filename})" if exc.filename else ""
            reason = f"{exc.strerror or exc}{where}"
        else:
            reason = str(exc).splitlines()[0][:300]
        kept = (
            f"the serving warehouse {settings.serving_db} was left as it was"
            if _identity(settings.serving_db) == before
            else f"the new warehouse {settings.serving_db} was published, but a later step (status, exports or docs) did not finish"
        )
        raise PipelineError(
            f"a file could not be written or read: {reason}. {kept}; every landed batch is whole (a batch is written aside "
            f"and renamed in). Free space under {settings.home} (df -h {settings.home}) and run again."
        ) from None


def run(settings: Settings, progress: Reporter = silent, full_refresh: bool = False) -> RunResult:
    """Ingest the inbox, build, audit, publish and summarise. Raises PipelineError on any failure;
    when files were rejected, after publishing what else landed (see :func:`build_and_publish`)."""
    started = time.monotonic()
    with run_lock(settings), io_errors_named(settings), dbt.warmed():  # dbt imports itself during the ingest
        check_serving()
        warehouse.prepare_dbt(settings)  # dbt parses the project during the ingest too
        progress(f"run: inbox {settings.inbox}, home {settings.home}")
        report = ingest_step.ingest(settings, progress)
        ingested = report.as_dict()
        build_and_publish(settings, progress, ingested, full_refresh=full_refresh)
        fail_if_rejected(settings, ingested)
        text = summary.summarize(settings)
    return RunResult(
        run_id=ingested.get("run_id", ""),
        landed=[b.batch_id for b in report.landed],
        unchanged=len(report.unchanged),
        serving_db=str(settings.serving_db),
        summary=text,
        seconds=time.monotonic() - started,
        ignored=report.ignored,
    )


def build_and_publish(
    settings: Settings, progress: Reporter = silent, ingested: dict | None = None, full_refresh: bool = False, send_notice: bool = True
) -> str:
    """Build from the landing zone, audit the marts (write, audit, publish) and publish; the caller
    holds the run lock. ``ingested`` is the ingest report (:meth:`IngestReport.as_dict`).

    When files were rejected and nothing else new landed, there is nothing to publish: the serving
    warehouse stays exactly as it was (not even rewritten) and only the source status changes, so
    ``marts.status_sumber`` says the source is stale. When other files did land, they are built
    and published; the rejected source keeps its last good data, marked stale. Either way the
    Data Docs of the run are published next to the warehouse.

    The planners' publication set is written after each publish; its notice is sent here when
    ``send_notice`` (the CLI), else left to the Airflow DAG ``kinerja_publikasi``, which consumes
    the marts Asset this step emits (:func:`kinerja.publikasi.send_notice`, once per publish)."""
    scanned = ingested is not None  # without an inbox scan (a BPS poll), earlier rejections stand
    ingested = ingested if scanned else {"landed": [], "rejected": []}
    rejected = ingested["rejected"] if scanned else None
    ignored = ingested.get("ignored") if scanned else None
    run_id = warehouse.new_run_id()
    ingested["run_id"] = run_id
    validated = bool(ingested["landed"] or rejected)
    check_serving()
    served_elsewhere: str | None = None  # why the PostgreSQL serving database was not brought up to date
    try:
        if rejected and not ingested["landed"] and not _unpublished(settings) and not full_refresh:
            progress("publish: nothing new landed besides the rejected file(s); the serving warehouse stays as it was")
            status.write(settings, run_id, rejected, ignored)
            served_elsewhere = serve_postgres(settings, progress, only_if_behind=True)
        elif scanned and not validated and not full_refresh and _up_to_date(settings):
            progress("publish: nothing new and nothing changed since the serving warehouse was built; it stays as it was")
            status.write(settings, run_id, rejected, ignored)
            served_elsewhere = serve_postgres(settings, progress, only_if_behind=True)
        else:
            validated = True
            build_file = warehouse.build(settings, run_id, progress, full_refresh=full_refresh)
            quality.audit_marts(settings, build_file, run_id, progress)
            publish_step.publish(settings, build_file, progress, rejected=rejected, ignored=ignored)
            served_elsewhere = serve_postgres(settings, progress)
        if validated or not (settings.warehouse_dir / "publikasi").exists():
            try:  # the planners' workbook, page and notice (a stale source, or what moved); never the run's outcome
                from kinerja import publikasi

                publikasi.publish_and_notify(settings, progress, send=send_notice)
            except Exception as exc:
                progress(f"publikasi: NOT written ({type(exc).__name__}: {exc})")
    except PipelineError as exc:
        if not rejected:
            raise
        status.write(settings, run_id, rejected, ignored)  # the rejection is not lost behind the build failure
        raise PipelineError(f"{exc}\n\n{ingest_step.rejection_error(settings, rejected, published=False)}") from None
    finally:
        try:
            if validated or not (settings.warehouse_dir / "data_docs" / "index.html").exists():
                quality.publish_data_docs(settings, run_id, progress)
        except Exception as exc:  # the docs must not hide the run's own outcome
            progress(f"data docs: NOT built ({type(exc).__name__}: {exc})")
        if validated:
            try:
                retention.prune(settings, progress)
            except Exception as exc:  # neither must the pruning
                progress(f"retention: NOT pruned ({type(exc).__name__}: {exc})")
    if served_elsewhere:
        message = f"{served_elsewhere}\nThe DuckDB warehouse {settings.serving_db} was published; the next run retries PostgreSQL."
        if rejected:
            message += f"\n\n{ingest_step.rejection_error(settings, rejected, published=bool(ingested['landed']))}"
        raise PipelineError(message)
    return str(settings.serving_db)


def check_serving() -> None:
    """Refuse a setting that would leave BI tools nothing to read."""
    if serve_postgres_only() and postgres.configured() is None:
        raise PipelineError(
            "KINERJA_SERVE=postgres needs a serving database: set KINERJA_PG_DSN (or the Airflow connection kinerja_postgres), "
            "or unset KINERJA_SERVE to serve the DuckDB file"
        )


def serve_postgres(settings: Settings, progress: Reporter = silent, only_if_behind: bool = False) -> str | None:
    """Bring the PostgreSQL serving database (when one is configured) to the serving warehouse's
    build (:func:`kinerja.postgres.publish`); with ``only_if_behind`` only when it serves another
    build (a run with nothing new after a failed PostgreSQL publish, or a database just configured).
    Returns why it failed, or None; it never undoes the DuckDB publish."""
    target = postgres.configured()
    if target is None or not settings.serving_db.exists():
        return None
    built = warehouse.built_fingerprint(settings.serving_db)
    if only_if_behind and built is not None and postgres.served_fingerprint(target) == built:
        return None
    try:
        postgres.publish(settings, settings.serving_db, warehouse.built_run_id(settings.serving_db) or "", target, progress)
    except PipelineError as exc:
        progress(f"postgres: NOT published ({str(exc).splitlines()[0]})")
        return str(exc)
    return None


def _up_to_date(settings: Settings) -> bool:
    """Whether the serving warehouse was built from exactly what a build would use now (the same
    batches, project, suites, code and settings: :func:`kinerja.warehouse.fingerprint`)."""
    stored = warehouse.built_fingerprint(settings.serving_db)
    return stored is not None and stored == warehouse.fingerprint(settings)


def _unpublished(settings: Settings) -> bool:
    """Whether the landing zone holds batches the serving warehouse was not built from (landed by a
    run whose build failed), or there is no serving warehouse yet."""
    published = publish_step.published_batches(settings.serving_db, "9999-12-31T00:00:00Z")
    if published is None:
        return True
    landed = {meta.parent.name for meta in settings.landing_dir.rglob("batch.json")}  # sha256 directories
    built = {batch_id.rsplit("-", 1)[-1] for batch_id in published[1]}  # batch ids end with the sha256's first 12
    retracted = {batch_id.rsplit("-", 1)[-1] for batch_id in retractions.in_force(settings.landing_dir)}
    return any(sha[:12] not in built and sha[:12] not in retracted for sha in landed) or warehouse.retractions_changed(settings)


def fail_if_rejected(settings: Settings, ingested: dict) -> None:
    """Fail the run (after publishing what could be) when any input file was rejected."""
    if ingested["rejected"]:
        published = bool(ingested["landed"]) or not settings.serving_db.exists()
        raise ingest_step.rejection_error(settings, ingested["rejected"], published=published)


def rebuild_as_of(settings: Settings, as_of: str, output: Path | None = None, progress: Reporter = silent) -> Path:
    """Rebuild the figures as they were published at ``as_of`` (a date or time) into a separate
    file: from exactly the batches of the publish that was live then (``marts.riwayat_publikasi``),
    or, for a warehouse without that history, from the batches landed by then. The serving
    warehouse is not touched."""
    cutoff = warehouse.as_of_cutoff(as_of)
    target = output or settings.warehouse_dir / "as_of" / f"kinerja-as-of-{cutoff[:19].replace(':', '')}.duckdb"
    with run_lock(settings):
        live = publish_step.published_batches(settings.serving_db, cutoff)
        if live is not None:
            progress(f"rebuild: the publish live at {cutoff} was run {live[0]} ({len(live[1])} batches)")
            # landed by then and in that publish, retracted since or not; retraction events up to then
            build_file = warehouse.build(settings, warehouse.new_run_id(), progress, as_of=cutoff, only=live[1])
        else:
            if settings.serving_db.exists() and publish_step.published_batches(settings.serving_db, "9999-12-31T00:00:00Z") is not None:
                raise PipelineError(f"nothing was published at or before {cutoff}; the first publish recorded is later")
            progress(f"rebuild: no publish history; using the batches landed up to {cutoff}")
            build_file = warehouse.build(settings, warehouse.new_run_id(), progress, as_of=cutoff)
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(build_file, target)
    progress(f"rebuild: written to {target} (the serving warehouse was not changed)")
    return target


def poll_bps(settings: Settings, key: str, years: list[int] | None = None, publish: bool = True, progress: Reporter = silent):
    """Poll the BPS WebAPI; when a new or revised release landed, build and publish (CLI driver;
    under Airflow the build DAG runs on the Asset event instead). Returns the PollResult."""
    from ingestion.bps.errors import BpsError
    from kinerja import bps

    try:
        result = bps.poll(settings, key, years=years, progress=progress, lock=lambda: run_lock(settings))
    except BpsError as exc:
        raise PipelineError(f"BPS poll failed, nothing was loaded and the serving warehouse was not changed:\n{exc}") from None
    if result.new_release and publish:
        with run_lock(settings):
            build_and_publish(settings, progress)
    return result
