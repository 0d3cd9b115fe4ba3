"""Serve BPS-shaped answers from a real HTTP server on loopback (pytest-httpserver)."""

from __future__ import annotations

import json
import re
from pathlib import Path

from ingestion.bps.config import load_config

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SAMPLE_BPS = PROJECT_ROOT / "sample_inbox" / "bps"
RILIS_2025_02 = PROJECT_ROOT / "tests" / "fixtures" / "bps" / "rilis_2025_02"
RILIS_2025_02_JSON = PROJECT_ROOT / "tests" / "fixtures" / "bps" / "rilis_2025_02_json"
KEY = "KUNCI-rahasia-9f8e7d6c5b4a"


def answer_file(domain: str, harga: str, release: str) -> Path:
    name = f"pdrb_{domain}_{harga.lower()}_2023-2024.json"
    if release == "awal":
        return SAMPLE_BPS / name
    return (RILIS_2025_02_JSON if domain == "3100" else RILIS_2025_02) / name


def serve_release(httpserver, release: str) -> None:
    """Answer every configured variable's data request (any th) with the 2023-2024 answer of
    ``release`` ('awal' = the bundled sample, 'akhir' = the later release)."""
    httpserver.clear()
    for domain in load_config().domains:
        for harga, var_id in domain.variabel.items():
            body = json.loads(answer_file(domain.kode, harga, release).read_text())
            httpserver.expect_request(
                re.compile(rf".*/list/model/data/lang/ind/domain/{domain.kode}/var/{var_id}/th/.*")
            ).respond_with_json(body)
