"""Great Expectations gate: validate a parsed batch against its versioned suite before it lands.

Suites live in ``expectations/suites/<source>__<entity>.json`` and are reviewed like code. A
failing expectation becomes an :class:`~kinerja.errors.InputFileError` naming the file, the
rows (``baris``) and the expectation's message, so a planner can fix the input.
GX is imported lazily: it costs ~10 s and is only needed when a new batch arrives.
"""

from __future__ import annotations

import csv
import json
import logging
import os
from pathlib import Path
from typing import Any

import pandas as pd

from kinerja.config import DBT_PROJECT_DIR, SUITES_DIR
from kinerja.errors import InputFileError, RowProblem

CATALOGUE_CSV = DBT_PROJECT_DIR / "seeds" / "katalog" / "indikator.csv"


def catalogue_codes() -> list[str]:
    with CATALOGUE_CSV.open(newline="", encoding="utf-8") as fh:
        return [row["indikator_kode"] for row in csv.DictReader(fh)]


def load_suite_spec(name: str) -> dict[str, Any]:
    return json.loads((SUITES_DIR / f"{name}.json").read_text(encoding="utf-8"))


def _gx():
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
    logging.getLogger("great_expectations").setLevel(logging.WARNING)
    import great_expectations as gx

    return gx


def validate_frame(suite_name: str, frame: pd.DataFrame, parameters: dict[str, Any], source_file: Path, source: str) -> dict[str, Any]:
    """Run one suite on one batch; raise InputFileError on failure, return a summary on success."""
    gx = _gx()
    from great_expectations.data_context.types.base import ProgressBarsConfig

    spec = load_suite_spec(suite_name)
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    datasource = context.data_sources.add_pandas(f"{suite_name}_ds")
    asset = datasource.add_dataframe_asset(suite_name)
    batch = asset.add_batch_definition_whole_dataframe("batch").get_batch(batch_parameters={"dataframe": frame})
    suite = gx.ExpectationSuite(name=spec["name"], expectations=spec["expectations"], meta=spec.get("meta", {}))
    result = batch.validate(
        suite,
        expectation_parameters=parameters,
        result_format={"result_format": "COMPLETE", "unexpected_index_column_names": ["baris"]},
    )
    problems: list[RowProblem] = []
    for res in result.results:
        if res.success:
            continue
        config = res.expectation_config
        message = (config.meta or {}).get("pesan") or config.type
        column = config.kwargs.get("column")
        unexpected = res.result.get("unexpected_index_list") or []
        if not unexpected:
            problems.append(RowProblem(None, column, message))
        for item in unexpected:
            value = item.get(column) if column else None
            detail = f"{message} (found '{value}')" if column and value is not None else message
            problems.append(RowProblem(int(item["baris"]), column, detail))
    if problems:
        problems.sort(key=lambda p: (p.baris or 0, p.kolom or ""))
        raise InputFileError(source_file, problems, source)
    return {"suite": suite_name, "expectations": len(result.results), "success": True}
