"""The one door to the warehouse: plain SQL over ``marts.*`` through a DB-API connection.

Nothing here is DuckDB-only: queries are standard SQL with ``?`` placeholders (rewritten for a
driver whose paramstyle is ``format``/``pyformat``, e.g. psycopg), tables are looked up in
``information_schema``, and rows come back as dicts. So the publication reads the same from the
DuckDB serving file today and from PostgreSQL later: only :func:`open_serving` knows the file.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

from kinerja.config import Settings


class Warehouse:
    """A DB-API 2.0 connection to the published warehouse, read only."""

    def __init__(self, connection: Any, paramstyle: str = "qmark") -> None:
        self.connection = connection
        self.paramstyle = paramstyle
        self._tables: set[tuple[str, str]] | None = None

    def _sql(self, sql: str) -> str:
        return sql.replace("?", "%s") if self.paramstyle in ("format", "pyformat") else sql

    def rows(self, sql: str, params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        cursor = self.connection.cursor()
        try:
            cursor.execute(self._sql(sql), list(params))
            names = [d[0] for d in cursor.description]
            return [
                {name: float(value) if isinstance(value, Decimal) else value for name, value in zip(names, row, strict=True)}
                for row in cursor.fetchall()
            ]
        finally:
            cursor.close()

    def has(self, schema: str, table: str) -> bool:
        """Whether ``schema.table`` (a table or a view) exists."""
        if self._tables is None:
            found = self.rows("select table_schema, table_name from information_schema.tables")
            self._tables = {(r["table_schema"], r["table_name"]) for r in found}
        return (schema, table) in self._tables

    def table(self, name: str, where: str = "", params: Sequence[Any] = ()) -> list[dict[str, Any]]:
        """Every row of ``schema.table`` (``[]`` when it does not exist), optionally filtered."""
        schema, table = name.split(".")
        if not self.has(schema, table):
            return []
        return self.rows(f"select * from {schema}.{table} {where}", params)


@contextmanager
def open_serving(settings: Settings) -> Iterator[Warehouse]:
    """The serving warehouse ``warehouse/kinerja.duckdb``, opened read-only."""
    import duckdb

    if not settings.serving_db.exists():
        raise FileNotFoundError(f"no published warehouse at {settings.serving_db}; run 'kinerja run' first")
    connection = duckdb.connect(str(settings.serving_db), read_only=True)
    try:
        yield Warehouse(connection, duckdb.paramstyle)
    finally:
        connection.close()
