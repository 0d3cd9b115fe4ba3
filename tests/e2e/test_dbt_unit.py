"""dbt unit tests of the capaian logic run green on their own (they also run inside every dbt build)."""

from __future__ import annotations

import shutil

from kinerja import warehouse


def test_dbt_unit_tests_of_the_formulas_pass(published, tmp_path):
    settings, _ = published
    copy = tmp_path / "copy.duckdb"
    shutil.copy(settings.serving_db, copy)
    lines: list[str] = []
    warehouse.run_dbt(copy, settings, lines.append, command=("test", "--select", "test_type:unit"))
    assert lines and lines[-1].startswith("dbt test: done")
    passed = [line for line in lines if "nodes (pass" in line]
    assert any("5/5" in line for line in passed), lines
