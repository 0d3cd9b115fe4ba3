"""Errors a planner or data engineer can act on: each names the file, the row and what was expected.

They live in the package the parsers use, so ``ingestion`` stands alone (nothing here imports
``kinerja``); :mod:`kinerja.errors` re-exports them beside the pipeline's own error.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

MAX_LISTED = 50


@dataclass(frozen=True)
class RowProblem:
    """One bad row of an input file: ``row`` is the 1-based line number in the file (header = 1)
    or the sheet row, ``column`` the column it is about, ``problem`` what is wrong and what was expected."""

    row: int | None
    column: str | None
    problem: str

    def describe(self, file: Path | str) -> str:
        where = f"{file}"
        if self.row is not None:
            where += f", row {self.row}"
        if self.column:
            where += f", column '{self.column}'"
        return f"{where}: {self.problem}"


@dataclass
class InputFileError(Exception):
    """An input file was rejected as a whole; nothing of it was loaded."""

    file: Path
    problems: list[RowProblem] = field(default_factory=list)
    source: str = ""
    quarantined: Path | None = None  # where the copy and its reason file were kept

    def __post_init__(self) -> None:
        super().__init__(str(self))

    def __str__(self) -> str:
        head = f"{self.source + ' ' if self.source else ''}file {self.file} rejected ({len(self.problems)} problem(s)); nothing from it was loaded:"
        lines = [head] + ["  - " + p.describe(self.file.name) for p in self.problems[:MAX_LISTED]]
        if len(self.problems) > MAX_LISTED:
            lines.append(f"  ... and {len(self.problems) - MAX_LISTED} more")
        return "\n".join(lines)


def fail(path: Path, source: str, problem: str, row: int | None = None, column: str | None = None) -> InputFileError:
    """A rejection with one problem (the usual case for a file-level fault)."""
    return InputFileError(path, [RowProblem(row, column, problem)], source)


def reject_if(path: Path, problems: list[RowProblem], source: str) -> None:
    """Raise InputFileError listing ``problems`` (sorted by row and column) if there are any."""
    if problems:
        problems.sort(key=lambda p: (p.row or 0, p.column or ""))
        raise InputFileError(path, problems, source)
