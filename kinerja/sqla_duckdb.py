"""SQLAlchemy inspection of a DuckDB file through duckdb-engine, as Superset does when a dataset is
added (``inspect(engine).get_columns(...)``): a small patch, applied when this module is imported.

duckdb-engine 0.17 inherits SQLAlchemy's PostgreSQL dialect and was written against SQLAlchemy 2.0.
With SQLAlchemy 2.1 (the locked version) ``get_columns`` breaks twice:

1. 2.1 reflects each column's collation from ``pg_catalog.pg_collation``, which DuckDB does not have:
   ``Binder Error: Referenced table "pg_catalog.pg_collation" not found!``. DuckDB has no per-column
   collations to report, so the patched query selects NULL as the collation and keeps the rest of
   SQLAlchemy's query (names, types, NOT NULL, comments).
2. duckdb-engine's own ``get_multi_columns`` then calls ``_get_columns_info`` with 2.0's arguments
   (``TypeError: ... takes 4 positional arguments but 5 were given``). The patched one passes 2.1's
   (a loader of named types), reads all rows before that loader runs a query (duckdb-engine shares
   one cursor per connection) and reports no domains (DuckDB has none; the domain query fails too,
   as duckdb-engine's own code notes).

3. Primary keys, foreign keys, unique and check constraints: 2.1's queries cast to ``REGCLASS``, which DuckDB does not have; the
   patched ones read DuckDB's own catalog (``duckdb_constraints()``).

Where SQLAlchemy's query has no collation column (2.0 and older) nothing is patched.
``tests/e2e/test_bi_duckdb.py`` shows the failure without this module, so it says when an upgrade
makes it unnecessary. Use: ``import kinerja.sqla_duckdb`` before inspecting (in Superset, in
``superset_config.py``; docs/bi.md).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import duckdb_engine
from sqlalchemy import sql
from sqlalchemy.dialects.postgresql import base as pg_base

_PATCHED = "_kinerja_patched"
_Loader = getattr(pg_base, "_NamedTypeLoader", None)  # SQLAlchemy 2.1: named types loaded lazily


def _is_collation(column: Any) -> bool:
    return getattr(column, "name", None) == "collation"


def _columns_query_without_collation(original):
    @lru_cache
    def _columns_query(self, schema, has_filter_names, scope, kind):
        query = original(self, schema, has_filter_names, scope, kind)
        columns = list(query.selected_columns)
        if not any(_is_collation(c) for c in columns):
            return query
        return query.with_only_columns(
            *(sql.null().label("collation") if _is_collation(c) else c for c in columns),
            maintain_column_froms=False,
        )

    setattr(_columns_query, _PATCHED, True)
    return _columns_query


if _Loader is not None:

    class _NoDomainsLoader(_Loader):
        """Named types as SQLAlchemy 2.1 loads them, without domains (DuckDB has none)."""

        @property
        def domains(self) -> dict:
            return {}


def _get_multi_columns(self, connection, schema=None, filter_names=None, scope=None, kind=None, **kw):
    has_filter_names, params = self._prepare_filter_names(filter_names)
    query = self._columns_query(schema, has_filter_names, scope, kind)
    rows = list(connection.execute(query, params).mappings())  # all rows before the loader's queries
    return self._get_columns_info(rows, _NoDomainsLoader(self, connection, kw), schema).items()


setattr(_get_multi_columns, _PATCHED, True)

# Keys from DuckDB's own catalog: SQLAlchemy 2.1's PostgreSQL queries for them cast to REGCLASS,
# which DuckDB does not have (``Catalog Error: Type with name REGCLASS does not exist!``).
_CONSTRAINTS = """
    with relations as (
        select database_name, schema_name, table_name from duckdb_tables()
        union all
        select database_name, schema_name, view_name from duckdb_views() where not internal
    )
    select r.table_name, c.constraint_type, c.constraint_name, c.constraint_column_names, c.referenced_table,
        c.referenced_column_names, c.expression
    from relations as r
    left join duckdb_constraints() as c
        on c.database_name = r.database_name and c.schema_name = r.schema_name and c.table_name = r.table_name
        and c.constraint_type = ?
    where r.database_name = coalesce(?, current_database()) and r.schema_name = coalesce(?, current_schema())
    order by r.table_name, c.constraint_index
"""


def _constraints(connection, schema: str | None, filter_names, kind: str) -> dict[str, list[tuple]]:
    database, _, name = schema.rpartition(".") if schema else ("", "", None)
    rows = connection.exec_driver_sql(_CONSTRAINTS, (kind, database or None, name)).fetchall()
    found: dict[str, list[tuple]] = {}
    for table, constraint_type, *rest in rows:
        if filter_names is None or table in filter_names:
            found.setdefault(table, [])
            if constraint_type is not None:
                found[table].append(tuple(rest))
    return found


def _get_multi_pk_constraint(self, connection, schema=None, filter_names=None, scope=None, kind=None, **kw):
    for table, keys in _constraints(connection, schema, filter_names, "PRIMARY KEY").items():
        name, columns = (keys[0][0], list(keys[0][1])) if keys else (None, [])
        yield (schema, table), {"constrained_columns": columns, "name": name, "comment": None}


def _get_multi_foreign_keys(self, connection, schema=None, filter_names=None, scope=None, kind=None, **kw):
    for table, keys in _constraints(connection, schema, filter_names, "FOREIGN KEY").items():
        yield (
            (schema, table),
            [
                {
                    "name": name,
                    "constrained_columns": list(columns),
                    "referred_schema": schema,
                    "referred_table": referred,
                    "referred_columns": list(referred_columns or []),
                    "options": {},
                    "comment": None,
                }
                for name, columns, referred, referred_columns, _ in keys
            ],
        )


def _get_multi_unique_constraints(self, connection, schema=None, filter_names=None, scope=None, kind=None, **kw):
    for table, keys in _constraints(connection, schema, filter_names, "UNIQUE").items():
        yield (schema, table), [{"name": name, "column_names": list(columns), "comment": None} for name, columns, *_ in keys]


def _get_multi_check_constraints(self, connection, schema=None, filter_names=None, scope=None, kind=None, **kw):
    for table, keys in _constraints(connection, schema, filter_names, "CHECK").items():
        yield (schema, table), [{"name": name, "sqltext": expression, "comment": None} for name, *_, expression in keys]


def _get_multi_table_options(self, connection, schema=None, filter_names=None, scope=None, kind=None, **kw):
    """No PostgreSQL table options (tablespace, inheritance) in DuckDB; 2.1's query reads pg_inherits."""
    for table in _constraints(connection, schema, filter_names, "PRIMARY KEY"):
        yield (schema, table), {}


def apply() -> None:
    """Patch ``duckdb_engine.Dialect`` once (idempotent); nothing before SQLAlchemy 2.1."""
    dialect = duckdb_engine.Dialect
    if _Loader is None or getattr(dialect._columns_query, _PATCHED, False):
        return
    dialect._columns_query = _columns_query_without_collation(dialect._columns_query)
    dialect.get_multi_columns = _get_multi_columns
    dialect.get_multi_pk_constraint = _get_multi_pk_constraint
    dialect.get_multi_foreign_keys = _get_multi_foreign_keys
    dialect.get_multi_unique_constraints = _get_multi_unique_constraints
    dialect.get_multi_check_constraints = _get_multi_check_constraints
    dialect.get_multi_table_options = _get_multi_table_options


apply()
