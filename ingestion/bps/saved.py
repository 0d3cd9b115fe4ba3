"""A BPS file dropped in ``inbox/bps/``: a saved WebAPI answer (``.json``), a poll bundle (the
answers of one poll as landed by :func:`kinerja.bps.poll`) or a table saved from the website
(``.csv``, :mod:`ingestion.bps.tabel`)."""

from __future__ import annotations

import json
from pathlib import Path

from ingestion.bps import SOURCE, tabel
from ingestion.bps.answer import NotAvailable, rows_from_answer
from ingestion.bps.config import BpsConfig
from ingestion.bps.errors import BpsError
from ingestion.errors import fail

BUNDLE_FORMAT = "kinerja-bps-poll/1"


def parse_file(path: Path, config: BpsConfig):
    """Typed rows (a pandas DataFrame with ``baris``) of one dropped file."""
    import pandas as pd

    if path.suffix.lower() in (".csv", ".xlsx"):
        return tabel.parse(path, config)
    try:
        if path.stat().st_size > tabel.MAX_BYTES:
            raise ValueError(f"the file is {path.stat().st_size} bytes; a BPS answer is expected under {tabel.MAX_BYTES} bytes")
        body = json.loads(path.read_bytes().decode("utf-8-sig"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise fail(path, SOURCE, f"not a BPS WebAPI answer saved as JSON: {exc}") from None
    try:
        if isinstance(body, dict) and body.get("format") == BUNDLE_FORMAT:
            frames = [_answer_rows(a["answer"], config, path.name, a.get("domain")) for a in body.get("answers", [])]
            frames = [f for f in frames if f is not None]
            rows = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
        else:
            rows = _answer_rows(body, config, path.name, None)
    except BpsError as exc:
        raise fail(path, SOURCE, str(exc)) from None
    if rows is None or rows.empty:
        raise fail(path, SOURCE, "BPS says no data is available in this answer (data-availability); nothing to load")
    rows["baris"] = range(1, len(rows) + 1)
    return rows


def _answer_rows(body, config: BpsConfig, where: str, domain: str | None):
    result = rows_from_answer(body, config, where, domain)
    return None if isinstance(result, NotAvailable) else result
