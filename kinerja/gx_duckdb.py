"""Great Expectations on DuckDB through SQL: the one place that touches GX internals.

GX 1.x reads SQL results after returning the pooled connection, which fails on DuckDB with
``MetricResolutionError: list index out of range`` (GX issue #11579). GX keeps one persistent
connection for a private tuple of dialects (``_PERSISTED_CONNECTION_DIALECTS``: sqlite, mssql,
...); :func:`patch` adds DuckDB to it, and makes a failed statement roll back the transaction that
persistent connection keeps open (otherwise every later query of the validation fails with
"Current transaction is aborted"). :func:`patch` asserts the internals it relies on and
:func:`selftest` runs a real validation, so a GX upgrade that breaks this fails loudly (the test
suite calls both) instead of validating nothing.

With the patch, GX validates a table where it lies: every expectation becomes SQL run by DuckDB
(pushdown), no row is pulled into pandas. :func:`shared_memory_config` lets GX connect to a named
in-memory DuckDB that the ingest step already holds open (DuckDB shares such a database inside one
process only between connections of identical configuration).
"""

from __future__ import annotations

import gc
from typing import Any

_PATCHED = False


def patch() -> None:
    global _PATCHED
    if _PATCHED:
        return
    import great_expectations.execution_engine.sqlalchemy_execution_engine as engine_module
    import sqlalchemy as sa

    dialects = getattr(engine_module, "_PERSISTED_CONNECTION_DIALECTS", None)
    if not isinstance(dialects, tuple) or not hasattr(engine_module, "_dialect_requires_persisted_connection"):
        raise RuntimeError(
            "Great Expectations changed its internals (sqlalchemy_execution_engine._PERSISTED_CONNECTION_DIALECTS is gone): "
            "kinerja/gx_duckdb.py must be adapted before validating DuckDB tables with this GX version"
        )
    recovery = engine_module.SqlAlchemyExecutionEngine.__dict__.get("_execute_query_with_recovery")
    if not isinstance(recovery, staticmethod):
        raise RuntimeError("Great Expectations changed SqlAlchemyExecutionEngine._execute_query_with_recovery; adapt kinerja/gx_duckdb.py")
    if not any(getattr(d, "value", d) == "duckdb" for d in dialects):

        class _DuckDB(str):  # compared as a str (dialect name) and read as an enum (``.value``)
            value = "duckdb"

        engine_module._PERSISTED_CONNECTION_DIALECTS = (*dialects, _DuckDB("duckdb"))
    if not engine_module._dialect_requires_persisted_connection(connection_string="duckdb:///x.duckdb"):
        raise RuntimeError("the DuckDB patch of Great Expectations did not take effect; adapt kinerja/gx_duckdb.py")

    original = recovery.__func__

    def _execute_query_with_recovery(connection, query):
        try:
            return original(connection, query)
        except sa.exc.DBAPIError:
            if connection.dialect.name == "duckdb":
                try:
                    connection.rollback()
                except Exception:  # the original error is the one worth reporting
                    pass
            raise

    engine_module.SqlAlchemyExecutionEngine._execute_query_with_recovery = staticmethod(_execute_query_with_recovery)
    _PATCHED = True


def shared_memory_config(config: dict[str, Any]) -> dict[str, Any]:
    """The DuckDB config ``duckdb.connect`` needs so that duckdb-engine, given ``config`` (to which it
    adds its user agent), opens the same in-process database."""
    import duckdb_engine
    import sqlalchemy

    return {**config, "custom_user_agent": f"duckdb_engine/{duckdb_engine.__version__}(sqlalchemy/{sqlalchemy.__version__})"}


def add_datasource(context, name: str, database: str, config: dict[str, Any] | None = None, read_only: bool = False):
    """A GX SQL datasource on a DuckDB file (or ``:memory:<name>``), after :func:`patch`."""
    patch()
    args: dict[str, Any] = {}
    if config is not None:
        args["config"] = config
    if read_only:
        args["read_only"] = True
    return context.data_sources.add_sql(name, connection_string=f"duckdb:///{database}", kwargs={"connect_args": args})


def release(datasource, collect: bool = True) -> None:
    """Close GX's connections to the database, so this process can open it again with another
    configuration (DuckDB refuses two configurations of one file in one process): the database is
    let go only once nothing refers to its connections, hence the ``gc.collect()`` (0.17 s with GX
    loaded). A caller releasing many datasources on one database opened with one configuration
    passes ``collect=False`` and collects once when done (:meth:`kinerja.ingest.Context.close`)."""
    datasource.get_execution_engine().close()
    datasource.get_engine().dispose()
    if collect:
        gc.collect()


def selftest() -> None:
    """A real validation on DuckDB through SQL; raises if the patch no longer works."""
    import great_expectations as gx

    context = gx.get_context(mode="ephemeral")
    context.delete_data_docs_site("local_site")
    datasource = add_datasource(context, "selftest", ":memory:")
    try:
        batch = datasource.add_query_asset("q", query="select range as x from range(3)").add_batch_definition_whole_table("b").get_batch()
        result = batch.validate(gx.expectations.ExpectTableRowCountToEqual(value=3))
        if not result.success:
            raise RuntimeError(f"Great Expectations on DuckDB through SQL is broken: {result.exception_info}")
    finally:
        release(datasource)
