"""A bad BPS file in the inbox stops the run with a message naming the file (and row) and the
reason, is quarantined with a reason file, and leaves the landing zone and the warehouse as they were."""

from __future__ import annotations

import json

import pytest

from kinerja import pipeline
from kinerja.errors import PipelineError
from tests.bps_server import RILIS_2025_02, SAMPLE_BPS
from tests.conftest import file_sha256

CSV = (RILIS_2025_02 / "pdrb_3100_adhb_2023-2024.csv").read_text()
ANSWER = json.loads((SAMPLE_BPS / "pdrb_3100_adhb_2023-2024.json").read_text())


def _answer(**changes):
    return json.dumps({**ANSWER, **changes})


BAD = {
    "html-error-page.json": ("<html><head><title>403 Forbidden</title></head></html>", ["not a BPS WebAPI answer saved as JSON"]),
    "truncated.json": (_answer()[:5000], ["not a BPS WebAPI answer saved as JSON"]),
    "status-error.json": (json.dumps({"status": "Error", "message": "Invalid key"}), ["status 'Error'", "Invalid key"]),
    "null.json": ("null", ["answered null"]),
    "bad-key.json": (_answer(datacontent={**ANSWER["datacontent"], "77777": 1.5}), ["key '77777' is not vervar+var+turvar+tahun+turtahun"]),
    "negative.json": (_answer(datacontent={**ANSWER["datacontent"], "12536012331": -5}), ["row", "cannot be negative"]),
    "pdrb_3100_adhb_bad-number.csv": (
        CSV.replace('Pertanian, Kehutanan, dan Perikanan",', 'Pertanian, Kehutanan, dan Perikanan",abc', 1),
        ["row 4", "'abc"],
    ),
    "pdrb_adhb_no-region.csv": (CSV.replace(", DKI Jakarta", ""), ["cannot tell which region"]),
    "pdrb_3100_no-years.csv": ("Lapangan Usaha,Nilai\nA. Pertanian,12\n", ["no header row with years"]),
    "pdrb_3100_no-price-basis.csv": (CSV.replace("Atas Dasar Harga Berlaku ", ""), ["Harga Berlaku", "ADHK"]),
    "empty.csv": ("", ["empty"]),
    "pdrb_3100_distribusi.csv": (
        CSV.replace("PDRB Triwulanan", "Distribusi Persentase PDRB Triwulanan"),
        ["'distribusi'", "miliar rupiah"],
    ),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_bps_file_is_quarantined_and_nothing_changes(home_copy, name):
    settings = home_copy
    body, expected = BAD[name]
    (settings.inbox / "bps" / name).write_text(body, encoding="utf-8")
    serving_before = file_sha256(settings.serving_db)
    batches_before = sorted(p.parent.name for p in settings.landing_dir.rglob("batch.json"))
    with pytest.raises(PipelineError) as err:
        pipeline.run(settings)
    message = str(err.value)
    assert name in message, message
    for word in expected:
        assert word in message, message
    assert file_sha256(settings.serving_db) == serving_before
    assert sorted(p.parent.name for p in settings.landing_dir.rglob("batch.json")) == batches_before
    assert len(list(settings.quarantine_dir.rglob(f"{name}.reason.txt"))) == 1
