"""A BPS table saved as CSV and the WebAPI answer of the same release give the same rows."""

from __future__ import annotations

from ingestion.bps.config import load_config
from ingestion.bps.saved import parse_file
from tests.bps_server import RILIS_2025_02


def test_csv_table_and_json_answer_give_the_same_rows():
    from tests.bps_server import RILIS_2025_02_JSON

    config = load_config()
    for harga in ("adhb", "adhk"):
        csv_rows = parse_file(RILIS_2025_02 / f"pdrb_3100_{harga}_2023-2024.csv", config)
        json_rows = parse_file(RILIS_2025_02_JSON / f"pdrb_3100_{harga}_2023-2024.json", config)
        key = ["domain", "harga", "uraian", "tahun", "periode"]
        left = csv_rows.sort_values(key)[key + ["seri", "nilai", "catatan", "status_angka"]].reset_index(drop=True)
        right = json_rows.sort_values(key)[key + ["seri", "nilai", "catatan", "status_angka"]].reset_index(drop=True)
        assert len(left) == 19 * 10
        assert left.drop(columns="nilai").equals(right.drop(columns="nilai"))
        assert [float(v) for v in left.nilai] == [float(v) for v in right.nilai]
