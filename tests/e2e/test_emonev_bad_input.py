"""A bad E-Monev file stops the run with a message naming file, row and expectation; nothing is half-loaded."""

from __future__ import annotations

import pytest

from kinerja import pipeline
from kinerja.errors import PipelineError
from tests.conftest import file_sha256

HEADER = "tahun,periode,indikator_kode,realisasi,keterangan\n"


@pytest.mark.parametrize(
    ("body", "row", "expected_words"),
    [
        ("2024,TAHUNAN,SS03,7.75,\n2024,TAHUNAN,XX99,1,\n", 3, ["XX99", "not in the indicator catalogue"]),
        ("2024,TW5,SS03,7.75,\n", 2, ["TW5", "expected TW1, TW2, TW3, TW4 or TAHUNAN"]),
        ("2024,TAHUNAN,SS03,tujuh,\n", 2, ["'tujuh' is not a number", "column 'realisasi'"]),
        ("2024,TAHUNAN,SS03,7.75,\n2024,TAHUNAN,SS03,7.80,\n", 3, ["appears more than once", "one row per indicator and period"]),
        ("2024;TAHUNAN;SS03;7,75;\n", 2, ["fields"]),
    ],
    ids=["unknown-code", "period-TW5", "non-numeric", "duplicate", "wrong-delimiter"],
)
def test_bad_file_is_rejected_and_nothing_changes(home_copy, body, row, expected_words):
    settings = home_copy
    bad = settings.inbox / "emonev" / "koreksi_2024.csv"
    bad.write_text(HEADER + body, encoding="utf-8")
    serving_before = file_sha256(settings.serving_db)
    batches_before = sorted(p.parent.name for p in settings.landing_dir.rglob("batch.json"))

    with pytest.raises(PipelineError) as err:
        pipeline.run(settings)

    message = str(err.value)
    assert "koreksi_2024.csv" in message and f"row {row}" in message, message
    for word in expected_words:
        assert word in message, message
    assert "serving warehouse was not changed" in message
    assert file_sha256(settings.serving_db) == serving_before
    assert sorted(p.parent.name for p in settings.landing_dir.rglob("batch.json")) == batches_before
    reasons = list(settings.quarantine_dir.rglob("koreksi_2024.csv.reason.txt"))
    assert len(reasons) == 1 and f"row {row}" in reasons[0].read_text()


def test_missing_header_column_names_the_file_and_what_was_expected(home_copy):
    settings = home_copy
    bad = settings.inbox / "emonev" / "tanpa_header.csv"
    bad.write_text("tahun,periode,kode,nilai\n2024,TAHUNAN,SS03,7.75\n", encoding="utf-8")
    with pytest.raises(PipelineError, match=r"tanpa_header.csv, row 1: header is missing column\(s\) indikator_kode, realisasi"):
        pipeline.run(settings)


def test_a_corrected_file_replaces_the_earlier_value(home_copy):
    settings = home_copy
    (settings.inbox / "emonev" / "koreksi_2024.csv").write_text(HEADER + "2024,TAHUNAN,SK09,71,koreksi\n", encoding="utf-8")
    result = pipeline.run(settings)
    assert len(result.landed) == 1
    import duckdb

    con = duckdb.connect(str(settings.serving_db), read_only=True)
    try:
        row = con.execute(
            "select realisasi, capaian_persen, versi_data from marts.capaian_indikator where indikator_kode = 'SK09' "
            "and tahun = 2024 and periode = 'TAHUNAN' and jenis_target = 'PERKIN'"
        ).fetchone()
    finally:
        con.close()
    assert row[0] == 71.0 and row[1] == 100.0 and row[2] == result.landed[0]
