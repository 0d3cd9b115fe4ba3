"""Errors of the pipeline. The input errors live with the parsers (:mod:`ingestion.errors`)."""

from __future__ import annotations

from ingestion.errors import InputFileError, RowProblem

__all__ = ["InputFileError", "PipelineError", "RowProblem"]


class PipelineError(Exception):
    """A step of the main job failed; the serving warehouse was left as it was."""
