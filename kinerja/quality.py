"""Great Expectations gate: every batch is validated against its versioned suite before it lands,
and the marts of every build before they are published (write, audit, publish).

Suites live in ``expectations/suites/<name>.json`` and are reviewed like code. Each expectation
carries ``meta.pesan`` (what a planner reads) and a ``severity``: ``critical`` (the default) rejects
the batch, or stops the publish of a build; ``warning`` lets the data through and reports it
(progress line, Data Docs). Small batches are validated as pandas frames; large tables (Jakpreneur
transactions, the marts) inside DuckDB through SQL (:mod:`kinerja.gx_duckdb`), so no row is
pulled into Python.

Every validation result is kept in ``state/validations/`` (as long as :mod:`kinerja.retention` says) and rendered as HTML Data Docs
published next to the warehouse, ``warehouse/data_docs/index.html``, by every run.
GX is imported lazily: it costs ~10 s.
"""

from __future__ import annotations

import contextvars
import csv
import json
import logging
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pandas as pd

from kinerja import files
from kinerja.config import DBT_PROJECT_DIR, SUITES_DIR, Settings
from kinerja.errors import InputFileError, PipelineError, RowProblem
from kinerja.progress import Reporter, silent

CATALOGUE_CSV = DBT_PROJECT_DIR / "seeds" / "katalog" / "indikator.csv"
MAX_REPORTED = 50
# a batch this many times smaller or larger than the previous batch of its source is reported
ROW_BAND_FACTOR = 2.0


def catalogue_codes() -> list[str]:
    with CATALOGUE_CSV.open(newline="", encoding="utf-8") as fh:
        return [row["indikator_kode"] for row in csv.DictReader(fh)]


def suite_path(name: str) -> Path:
    """``expectations/suites/<name>.json``, or ``name`` itself when it is the path of a suite file
    (a source declared outside the repository, e.g. in a test)."""
    return Path(name) if name.endswith(".json") else SUITES_DIR / f"{name}.json"


def load_suite_spec(name: str) -> dict[str, Any]:
    return json.loads(suite_path(name).read_text(encoding="utf-8"))


@dataclass(frozen=True)
class BatchInfo:
    """The batch being validated: where its results are kept and its previous batch is found."""

    settings: Settings
    source: str
    entity: str
    path: Path
    progress: Reporter = silent


_BATCH: contextvars.ContextVar[BatchInfo | None] = contextvars.ContextVar("kinerja_batch", default=None)


def current_batch() -> BatchInfo | None:
    """The batch being validated in this context, if any."""
    return _BATCH.get()


@contextmanager
def batch(settings: Settings, source: str, entity: str, path: Path, progress: Reporter = silent) -> Iterator[None]:
    token = _BATCH.set(BatchInfo(settings, source, entity, path, progress))
    try:
        yield
    finally:
        _BATCH.reset(token)


def _gx():
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
    logging.getLogger("great_expectations").setLevel(logging.WARNING)
    import great_expectations as gx

    return gx


_CONTEXT: list = []


def context():
    """One ephemeral GX context per process, without GX's default Data Docs site (which would
    leave a new temporary folder behind on every build)."""
    if not _CONTEXT:
        gx = _gx()
        ctx = gx.get_context(mode="ephemeral")
        ctx.variables.progress_bars = {"globally": False}
        ctx.delete_data_docs_site("local_site")
        _CONTEXT.append(ctx)
    return _CONTEXT[0]


def suite(name: str):
    """The suite as a GX ExpectationSuite. Warning-level expectations say so in their description
    (Data Docs shows the description, not the severity)."""
    gx = _gx()
    spec = load_suite_spec(name)
    expectations = []
    for item in spec["expectations"]:
        item = dict(item)
        message = (item.get("meta") or {}).get("pesan")
        if message and "description" not in item:
            item["description"] = ("[PERINGATAN] " if item.get("severity") == "warning" else "") + message
        expectations.append(item)
    return gx.ExpectationSuite(name=spec["name"], expectations=expectations, meta=spec.get("meta", {}))


def row_band(info: BatchInfo | None) -> dict[str, int | None]:
    """Expectation parameters ``jumlah_baris_min/max``: within ROW_BAND_FACTOR of the previous
    batch of the same source and entity (any size for a first batch)."""
    from kinerja import landing

    previous = []
    if info is not None:
        previous = [b for b in landing.landed_batches(info.settings.landing_dir, info.source, info.entity) if b.row_count > 0]
    if not previous:
        return {"jumlah_baris_min": 1, "jumlah_baris_max": None}
    last = previous[-1].row_count
    return {"jumlah_baris_min": max(int(last / ROW_BAND_FACTOR), 1), "jumlah_baris_max": int(last * ROW_BAND_FACTOR) + 1}


@dataclass
class Outcome:
    suite: str
    expectations: int
    problems: list[RowProblem]
    warnings: list[str]
    # (column, message, key) of each bad row found by key (tables validated in DuckDB have no line numbers)
    bad_keys: list[tuple[str | None, str, str]] = field(default_factory=list)


def _judge(result, index_column: str | None) -> Outcome:
    """Critical failures as problems (with the line, or the key of each bad row), warnings as text."""
    problems: list[RowProblem] = []
    warnings: list[str] = []
    bad_keys: list[tuple[str | None, str, str]] = []
    for res in result.results:
        if res.success:
            continue
        config = res.expectation_config
        meta = config.meta or {}
        message = meta.get("pesan") or config.type
        column = meta.get("kolom") or config.kwargs.get("column")  # the file's column name where the suite checks a typed one
        raised = (res.exception_info or {}).get("raised_exception")
        if raised:
            text = f"the check '{message}' could not run: {res.exception_info.get('exception_message')}"
            if config.severity.value != "critical":
                warnings.append(text)
            else:
                problems.append(RowProblem(None, column, text))
            continue
        details = res.result or {}
        if config.severity.value != "critical":
            observed = details.get("unexpected_count", details.get("observed_value"))
            warnings.append(f"{message} (found {observed})" if observed is not None else message)
            continue
        # (key, value, message, column) of each bad row; custom SQL rows may say their own problem
        found = [
            (item.get(index_column), item.get(config.kwargs.get("column")) if config.kwargs.get("column") else None, message, column)
            for item in (details.get("unexpected_index_list") or details.get("partial_unexpected_index_list") or [])
        ]
        found += [
            (row.get(index_column), None, row.get("masalah") or message, row.get("kolom_masalah") or column)
            for row in (details.get("details") or {}).get("unexpected_rows") or []
        ]
        for where, value, text, kolom in found[:MAX_REPORTED]:
            if index_column == "baris":
                detail = f"{text} (found '{value}')" if value is not None else text
                problems.append(RowProblem(int(where), kolom, detail))
            else:
                bad_keys.append((kolom, text, "(kosong)" if where is None else str(where)))
                problems.append(RowProblem(None, kolom, f"{text} ({index_column} {where})"))
        if not found:
            observed = details.get("unexpected_count", details.get("observed_value"))
            problems.append(RowProblem(None, column, f"{message} (found {observed})" if observed is not None else message))
    problems.sort(key=lambda p: (p.row or 0, p.column or ""))
    return Outcome(result.suite_name, len(result.results), problems, warnings, bad_keys)


def _record(result, suite_name: str, run_name: str, batch_identifier: str, settings: Settings | None) -> None:
    """Keep a validation result for the Data Docs (``state/validations/``)."""
    if settings is None:
        return
    from great_expectations.core.run_identifier import RunIdentifier
    from great_expectations.data_context.types.resource_identifiers import ExpectationSuiteIdentifier, ValidationResultIdentifier

    # the store turns run name and batch into folder and file names: bounded and escaped there,
    # the delivered file's own name kept as data in the result (and shown on its page)
    run = RunIdentifier(run_name=files.path_part(run_name, 120), run_time=datetime.now(UTC))
    result.meta["run_id"] = run
    result.meta["validation_time"] = run.run_time
    result.meta["berkas"] = batch_identifier
    key = ValidationResultIdentifier(
        expectation_suite_identifier=ExpectationSuiteIdentifier(name=suite_name),
        run_id=run,
        batch_identifier=files.path_part(batch_identifier, 120),
    )
    results_store(settings).set(key, result)


def results_store(settings: Settings):
    from great_expectations.data_context.store import ValidationResultsStore

    return ValidationResultsStore(
        store_backend={"class_name": "TupleFilesystemStoreBackend", "base_directory": str(settings.state_dir / "validations")}
    )


def _report(info: BatchInfo | None, name: str, outcome: Outcome) -> None:
    if info is not None:
        for warning in outcome.warnings:
            info.progress(f"ingest: {info.path.name}: WARNING ({name}): {warning}; the data was let through")


def validate_frame(suite_name: str, frame: pd.DataFrame, parameters: dict[str, Any], source_file: Path, source: str) -> dict[str, Any]:
    """Run one suite on one parsed batch; raise InputFileError on a critical failure (naming the
    rows, ``baris``), report warnings, return a summary."""
    info = _BATCH.get()
    ctx = context()
    datasource = ctx.data_sources.add_pandas(f"{suite_name}-{uuid.uuid4().hex}")
    try:
        asset = datasource.add_dataframe_asset(suite_name)
        gx_batch = asset.add_batch_definition_whole_dataframe("batch").get_batch(batch_parameters={"dataframe": frame})
        result = gx_batch.validate(
            suite(suite_name),
            expectation_parameters={**row_band(info), **parameters},
            result_format={"result_format": "COMPLETE", "unexpected_index_column_names": ["baris"]},
        )
    finally:
        ctx.data_sources.delete(datasource.name)  # the datasource holds the frame otherwise
    _record(result, result.suite_name, f"ingest {source_file.name}", source_file.name, info.settings if info else None)
    outcome = _judge(result, "baris")
    _report(info, suite_name, outcome)
    if outcome.problems:
        raise InputFileError(source_file, outcome.problems, source)
    return {"suite": suite_name, "expectations": outcome.expectations, "success": True, "warnings": outcome.warnings}


def validate_sql(
    datasource,
    suite_name: str,
    query: str,
    parameters: dict[str, Any],
    *,
    key_column: str,
    label: str,
    settings: Settings | None = None,
    complete: bool = False,
) -> Outcome:
    """Run one suite on a table inside DuckDB (``query`` over the datasource's database): every
    expectation is SQL run by DuckDB. A large table is validated for counts first, and again
    (error path only) to fetch the ``key_column`` of bad rows; ``complete`` fetches them at once."""
    info = _BATCH.get()
    settings = settings or (info.settings if info else None)
    asset_name = f"{suite_name}-{len(datasource.assets)}"
    gx_batch = datasource.add_query_asset(asset_name, query=query).add_batch_definition_whole_table("all").get_batch()
    checks = suite(suite_name)
    parameters = {**row_band(info), **parameters}
    if complete:  # small tables: every bad row with its key, also in the Data Docs
        result_format = {
            "result_format": "COMPLETE",
            "unexpected_index_column_names": [key_column],
            "partial_unexpected_count": MAX_REPORTED,
        }
    else:  # large tables: pass or fail only (SUMMARY adds a sample query, a full scan, per expectation)
        result_format = {"result_format": "BOOLEAN_ONLY"}
    result = gx_batch.validate(checks, expectation_parameters=parameters, result_format=result_format)
    _record(result, result.suite_name, label, label, settings)
    outcome = _judge(result, key_column if complete else None)
    if outcome.problems and not complete:  # which rows: again, with their keys (error path only)
        gx = _gx()
        failed = [r.expectation_config for r in result.results if not r.success and r.expectation_config.severity.value == "critical"]
        # column checks: the first MAX_REPORTED keys (SUMMARY; COMPLETE would fetch every bad value);
        # custom SQL checks: their rows (GX caps them at 200)
        problems: list[RowProblem] = []
        bad_keys: list[tuple[str | None, str, str]] = []
        for custom, result_format in (
            (False, {"result_format": "SUMMARY", "unexpected_index_column_names": [key_column], "partial_unexpected_count": MAX_REPORTED}),
            (True, {"result_format": "COMPLETE"}),
        ):
            part = [c.to_json_dict() for c in failed if (c.type == "unexpected_rows_expectation") == custom]
            if part:
                again = gx.ExpectationSuite(name=f"{suite_name}_rows", expectations=part)
                rows = _judge(gx_batch.validate(again, expectation_parameters=parameters, result_format=result_format), key_column)
                problems += rows.problems
                bad_keys += rows.bad_keys
        outcome = Outcome(outcome.suite, outcome.expectations, problems, outcome.warnings, bad_keys)
    _report(info, suite_name, outcome)
    return outcome


MART_SUITE_PREFIX = "marts__"


def audit_marts(settings: Settings, build_file: Path, run_id: str, progress: Reporter = silent) -> list[str]:
    """Validate every public mart of a finished build (suites ``marts__<mart>``) inside DuckDB.
    A critical failure stops the publish (the serving warehouse stays as it was); warnings (e.g.
    the plausibility of realisasi against target) are reported and returned."""
    from kinerja import gx_duckdb

    ctx = context()
    datasource = gx_duckdb.add_datasource(ctx, f"build-{uuid.uuid4().hex}", str(build_file), read_only=True)
    try:
        return _audit(settings, datasource, "marts", run_id, "DuckDB", progress)
    finally:
        gx_duckdb.release(datasource)
        ctx.data_sources.delete(datasource.name)


def audit_marts_postgres(settings: Settings, target, schema: str, run_id: str, progress: Reporter = silent) -> list[str]:
    """The same audit on the marts of a PostgreSQL build (``schema``, before it is swapped in),
    with the same suites; ``target`` is a :class:`kinerja.postgres.Target`."""
    ctx = context()
    datasource = ctx.data_sources.add_sql(  # the secret in connect_args, never in the URL GX records
        f"pg-build-{uuid.uuid4().hex}", connection_string=f"postgresql+psycopg2:///{target.dbname}", kwargs={"connect_args": target.connect_args()}
    )
    try:
        return _audit(settings, datasource, schema, run_id, "PostgreSQL", progress)
    finally:
        datasource.get_engine().dispose()
        ctx.data_sources.delete(datasource.name)


def _audit(settings: Settings, datasource, schema: str, run_id: str, engine: str, progress: Reporter) -> list[str]:
    from kinerja import dbt

    marts = dbt.public_marts(settings.state_dir / "dbt" / "target")
    names = [f"{MART_SUITE_PREFIX}{m}" for m in marts]
    unaudited = [m for m, n in zip(marts, names, strict=True) if not (SUITES_DIR / f"{n}.json").exists()]
    if unaudited:  # a public mart without a suite would be published unchecked
        raise PipelineError(f"public mart(s) {', '.join(unaudited)} have no suite in {SUITES_DIR} (marts__<mart>.json); add one")
    progress(f"audit: validating {len(names)} mart(s) of the build with Great Expectations (inside {engine})")
    where = "" if engine == "DuckDB" else f" {engine}"
    failures: list[str] = []
    warnings: list[str] = []
    for name in names:
        mart = name.removeprefix(MART_SUITE_PREFIX)
        outcome = validate_sql(
            datasource,
            name,
            f"select * from {schema}.{mart}",
            {},
            key_column=_mart_key(name),
            label=f"audit {run_id}{where} marts.{mart}",
            settings=settings,
            complete=True,
        )
        failures += [f"marts.{mart}" + (f", column '{p.column}'" if p.column else "") + f": {p.problem}" for p in outcome.problems]
        warnings += [f"marts.{mart}: {w}" for w in outcome.warnings]
    for warning in warnings:
        progress(f"audit: WARNING {warning}")
    if failures:
        raise PipelineError(
            f"the marts of this build failed their Great Expectations audit{where}, so it was not published; the serving warehouse "
            "was not changed:\n"
            + "\n".join(f"  - {f}" for f in failures[:MAX_REPORTED])
            + f"\nDetails: {settings.warehouse_dir / 'data_docs' / 'index.html'}"
        )
    progress(f"audit: {len(names)} mart(s) passed{where} ({len(warnings)} warning(s))")
    return warnings


def _mart_key(suite_name: str) -> str:
    return load_suite_spec(suite_name).get("meta", {}).get("kunci", "tahun")


def publish_data_docs(settings: Settings, run_id: str, progress: Reporter = silent) -> Path:
    """Render the validation results kept (:mod:`kinerja.retention`: the last
    ``KINERJA_KEEP_VALIDATIONS_DAYS`` days, the audits of the last runs, the validation of every file
    the serving warehouse holds) as HTML and publish them as ``warehouse/data_docs/`` (built aside,
    then swapped in); the others are deleted from ``state/validations/``."""
    from kinerja import retention

    store = results_store(settings)
    keys = list(store.list_keys())
    expired = set(retention.validation_keys_to_remove(settings, keys, retention.Retention.from_env()))
    ctx = context()
    target = settings.warehouse_dir / "data_docs"
    staging = files.fresh_dir(target)
    site = f"kinerja-{run_id}"
    ctx.add_data_docs_site(
        site,
        {
            "class_name": "SiteBuilder",
            "show_how_to_buttons": False,
            "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(staging)},
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
        },
    )
    # the process's context may still hold results of earlier runs of this process (a long-lived
    # worker, the tests): the site shows exactly what is kept on disk
    for held in list(ctx.validation_results_store.list_keys()):
        ctx.validation_results_store.remove_key(held)
    kept = 0
    for key in keys:
        if key in expired:
            store.remove_key(key)
            continue
        ctx.validation_results_store.set(key, store.get(key))
        kept += 1
    try:
        ctx.build_data_docs(site_names=[site])
    finally:
        ctx.delete_data_docs_site(site)
    files.swap_dir(staging, target)
    progress(f"data docs: {kept} validation result(s) in {target / 'index.html'}")
    return target
