"""Errors a planner or data engineer can act on: each names the file, the row and what was expected."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class RowProblem:
    """One bad row of an input file (``baris`` is the 1-based line number in the file, header = 1)."""

    baris: int | None
    kolom: str | None
    masalah: str

    def describe(self, file: Path | str) -> str:
        where = f"{file}"
        if self.baris is not None:
            where += f", row {self.baris}"
        if self.kolom:
            where += f", column '{self.kolom}'"
        return f"{where}: {self.masalah}"


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
        lines = [head] + ["  - " + p.describe(self.file.name) for p in self.problems[:50]]
        if len(self.problems) > 50:
            lines.append(f"  ... and {len(self.problems) - 50} more")
        return "\n".join(lines)


class PipelineError(Exception):
    """A step of the main job failed; the serving warehouse was left as it was."""
