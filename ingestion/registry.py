"""The source registry: every source module declares its entities once, and everything else is
derived from that declaration.

A source module of this package (``ingestion/<source>.py`` or ``ingestion/<source>/__init__.py``)
defines ``ENTITIES = (Entity(...), ...)``. :func:`entities` finds those modules by convention (no
hand-kept list), so a new source is a parser plus one declaration. From the declarations come:
the ingest loop (which files of ``inbox/<source>/`` an entity takes, in which order the entities
land, how a file is read and which Great Expectations suite checks it), the raw schema
(``raw.<source>__<entity>`` with the declared typed columns), the source status
(``marts.status_sumber``) and the staleness marking, and the per-source ingest tasks of the DAG.
``tests/unit/test_registry.py`` checks that each declared entity has its suite, its source table
and columns in ``dbt_project/models/staging/_sources.yml``, its staging model and a sample file.

Importing this module and the source modules is cheap (no pandas or DuckDB at import time): the
DAG file reads the registry at parse time.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

#: columns every raw table starts with: which batch a row came from, when it landed, its row in the file
BATCH_COLUMNS: tuple[tuple[str, str], ...] = (("batch_id", "varchar"), ("landed_at", "timestamp"), ("baris", "integer"))


@dataclass(frozen=True)
class StagedRows:
    """Rows a reader already wrote to a Parquet file (with ``batch_id`` and ``landed_at``), as a
    reader that works in DuckDB instead of pandas does; landing moves the file into the batch."""

    path: Path
    row_count: int
    note: str = ""


class ReadContext(Protocol):
    """What a reader may ask of the pipeline while it reads one file (implemented by
    :class:`kinerja.ingest.Context`). Lookups are computed once per run."""

    batch_id: str  # the id the file's batch will get if it lands
    landed_at: str  # its landing time (ISO, UTC)
    scratch: Path  # a folder for files the reader writes (StagedRows)

    def seed_codes(self, seed: str, column: str) -> set[str]:
        """Values of ``column`` in ``dbt_project/seeds/<seed>.csv`` (e.g. ``katalog/program``)."""
        ...

    def landed_files(self, source: str, entity: str) -> list[Path]:
        """The ``rows.parquet`` of every landed batch of an entity, oldest first."""
        ...

    def landed_values(self, source: str, entity: str, column: str) -> set[str]:
        """Distinct values of a column over every landed batch (e.g. every registered UMKM)."""
        ...

    def duckdb(self, database: str):
        """A connection (kept for the run, bounded in memory) to a named in-memory DuckDB
        (``:memory:<name>``) that :meth:`validate_sql` can reach."""
        ...

    def validate_sql(self, suite: str, database: str, table: str, parameters: dict, key: str) -> list[tuple[str, str, list[str]]]:
        """Run a suite on a table of that database where it lies; (column, reason, keys of bad
        rows) of each failed critical check."""
        ...

    def progress(self, message: str) -> None: ...


Reader = Callable[[Path, ReadContext], Any]  # -> a pandas DataFrame of typed rows (with ``baris``) or StagedRows


@dataclass(frozen=True)
class Entity:
    """One kind of file of one source, declared once in its source module."""

    source: str  # folder in the inbox and the landing zone, first half of the raw table's name
    entity: str  # second half: raw.<source>__<entity>
    label: str  # how progress lines and messages name it ("Jakpreneur registry")
    suffixes: tuple[str, ...]  # file types it accepts, lower case (".csv", ".json")
    columns: tuple[tuple[str, str], ...]  # typed columns of the raw table after BATCH_COLUMNS: (name, SQL type)
    read: Reader  # parse one file: shape and types; the rules of a batch are the suite's
    suite: str | None = None  # Great Expectations suite run on the parsed frame (None: the reader runs its own)
    suite_parameters: Callable[[ReadContext], dict] | None = None  # e.g. the catalogue's codes
    prefixes: tuple[str, ...] = ()  # the start of its file names, when a folder holds several entities ("umkm")
    after: tuple[str, ...] = ()  # "<source>.<entity>" that must land before it in a run
    raw: str = "table"  # "table": copied into every build; "view": a view over the landed Parquet (large)
    sample: str = "*"  # glob of its bundled sample file(s) in sample_inbox/<source>/
    doc: str = ""  # one line: what the files are

    @property
    def key(self) -> str:
        return f"{self.source}.{self.entity}"

    @property
    def table(self) -> str:
        return f"raw.{self.source}__{self.entity}"

    @property
    def suite_name(self) -> str:
        """The suite that validates its batches (a reader validating in DuckDB names it too)."""
        return self.suite or f"{self.source}__{self.entity}"

    def takes(self, path: Path) -> bool:
        """Whether a file of ``inbox/<source>/`` is this entity's."""
        name = path.name.lower()
        return name.endswith(self.suffixes) and (not self.prefixes or name.startswith(self.prefixes))

    def all_columns(self) -> tuple[tuple[str, str], ...]:
        """The raw table's columns: the batch columns, then the declared ones. A view over the
        staged Parquet keeps the batch columns as the reader wrote them (no file row; landed_at as text)."""
        if self.raw == "view":
            return (("batch_id", "varchar"), ("landed_at", "varchar"), *self.columns)
        return (*BATCH_COLUMNS, *self.columns)


_EXTRA: list[Entity] = []


def _discover() -> list[Entity]:
    import ingestion

    found: list[Entity] = []
    for info in sorted(pkgutil.iter_modules(ingestion.__path__), key=lambda m: m.name):
        if info.name in ("registry", "errors"):
            continue
        module = importlib.import_module(f"ingestion.{info.name}")
        found.extend(getattr(module, "ENTITIES", ()))
    return found


def entities() -> list[Entity]:
    """Every declared entity, in the order a run lands them: an entity comes after those named in
    its ``after``; otherwise by source, then declaration order."""
    declared = _discover() + list(_EXTRA)
    keys = {e.key for e in declared}
    for e in declared:
        unknown = [a for a in e.after if a not in keys]
        if unknown:
            raise ValueError(f"entity {e.key} must land after {', '.join(unknown)}, which no source module declares")
    ordered: list[Entity] = []
    placed: set[str] = set()
    pending = sorted(declared, key=lambda e: e.source)  # stable: declaration order within a source
    while pending:
        ready = [e for e in pending if set(e.after) <= placed]
        if not ready:
            raise ValueError("entities wait for each other in a circle: " + ", ".join(e.key for e in pending))
        last = ordered[-1].source if ordered else None
        nxt = min(ready, key=lambda e: e.source != last)  # keep a source's entities together
        ordered.append(nxt)
        placed.add(nxt.key)
        pending.remove(nxt)
    return ordered


def sources() -> dict[str, list[Entity]]:
    """Source -> its entities, in landing order."""
    out: dict[str, list[Entity]] = {}
    for e in entities():
        out.setdefault(e.source, []).append(e)
    return out


def entity(key: str) -> Entity:
    for e in entities():
        if e.key == key:
            return e
    raise KeyError(f"no source module declares the entity {key!r}")


@contextmanager
def declared(*extra: Entity) -> Iterator[None]:
    """Declare entities for a while (a test's made-up source) without a module of this package."""
    _EXTRA.extend(extra)
    try:
        yield
    finally:
        for e in extra:
            _EXTRA.remove(e)


__all__ = ["BATCH_COLUMNS", "Entity", "ReadContext", "StagedRows", "declared", "entities", "entity", "sources"]
