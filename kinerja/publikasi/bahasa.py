"""Indonesian for the engineering text that reaches planners.

The warehouse explains in English (dbt models, Great Expectations suites, parsers): the
publications must not. :func:`penjelasan` gives the Indonesian rendering of a reconciliation
explanation (``marts.rekonsiliasi_lkip.penjelasan``) from the editable data file
``penjelasan.toml`` (exact texts of the seed, patterns of the texts the dbt models compose); an
explanation it does not know yet, and every check message or rejection reason (:func:`teknis`),
is shown as it is under an Indonesian label, so a planner knows it is the technical note and the
data owner can still act on it word for word.
"""

from __future__ import annotations

import re
import tomllib
from functools import cache
from pathlib import Path

FILE = Path(__file__).with_name("penjelasan.toml")
LABEL_PENJELASAN = "Keterangan teknis (bahasa Inggris): "
LABEL_TEKNIS = "pesan teknis (bahasa Inggris): "
_NUMBER = re.compile(r"^-?\d+(?:\.\d+)?$")


@cache
def _renderings(path: Path = FILE) -> tuple[dict[str, str], list[tuple[re.Pattern, str]]]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    patterns = [(re.compile(p["en"]), p["id"]) for p in data.get("pola", [])]
    return dict(data.get("teks", {})), patterns


def _angka(text: str | None) -> str:
    """A number written the English way (3.25, 6324124712) the Indonesian way (3,25; 6.324.124.712)."""
    if text is None or not _NUMBER.match(text):
        return text or ""
    whole, _, fraction = text.partition(".")
    sign = "-" if whole.startswith("-") else ""
    grouped = f"{int(whole.lstrip('-')):,}".replace(",", ".")
    return sign + grouped + ("," + fraction if fraction else "")


def terjemahan(text: str | None) -> str | None:
    """The Indonesian rendering of an explanation, or None when ``penjelasan.toml`` has none."""
    if not text:
        return text
    exact, patterns = _renderings()
    if text in exact:
        return exact[text]
    for pattern, template in patterns:
        m = pattern.match(text)
        if m:
            values = {k: _angka(v) for k, v in m.groupdict().items()}
            values["versi_kurung"] = f" ({values['versi']})" if values.get("versi") else ""
            return template.format(**values)
    return None


def penjelasan(text: str | None) -> str:
    """What a planner reads for a reconciliation explanation: in Indonesian, or labelled."""
    if not text:
        return ""
    rendered = terjemahan(text)
    return rendered if rendered is not None else LABEL_PENJELASAN + text


def teknis(text: str | None) -> str:
    """A check message or rejection reason (English, for the data owner), labelled as such."""
    return LABEL_TEKNIS + text if text else ""


# abbreviations kept in capitals when a column name is written the way the tables print headings
SINGKATAN = {"APBD", "APBDP", "APBD-P", "PDRB", "IKU", "KSD", "SKPD", "UKPD", "BPS", "SDI", "UMKM", "TKDN", "PNS", "ASN"}


def kolom(text: str | None) -> str:
    """A reconciliation column as a heading reads (``REALISASI 2023`` -> ``Realisasi 2023``,
    ``Realisasi TAHUNAN`` -> ``Realisasi tahunan``): the mart keeps the report's column names as
    they were keyed, some in capitals; abbreviations (APBD-P, TW III) and numbers stay as they are."""
    words = (text or "").split(" ")
    out = []
    for i, word in enumerate(words):
        if len(word) >= 4 and word.isalpha() and word.isupper() and word not in SINGKATAN:
            word = word.capitalize() if i == 0 else word.lower()
        out.append(word)
    return " ".join(out)
