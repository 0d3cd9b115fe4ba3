"""Parse a BPS WebAPI dynamic-data answer (``list/model/data``) into typed PDRB rows.

The answer carries vocabularies (``var``, ``turvar``, ``vervar``, ``tahun``, ``turtahun``; each a
list of ``{val, label}``) and ``datacontent``, whose keys are the codes of
vervar + var + turvar + tahun + turtahun written one after the other without separators. Codes
have no fixed width, so a key is decoded by building every combination of the code lists and
looking it up, never by slicing; a key that matches no combination (or more than one) is an error.

Values: a JSON number or numeric string is the figure (miliar rupiah); ``"-"`` is BPS's "nihil"
(zero); ``"..."`` or an empty string means not available (the row is kept with an empty value);
an absent key is simply a missing cell.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

import pandas as pd

from ingestion.bps import identity
from ingestion.bps.config import HARGA, BpsConfig, normalise_label
from ingestion.bps.errors import BpsAnswerError, BpsApiError

COLUMNS = ["baris", "domain", "var_id", "harga", "vervar_kode", "uraian", "seri", "tahun", "periode", "nilai", "catatan", "status_angka"]

# periods by their label, whatever code group BPS gives them (31-35, 41-45, ...): a table whose
# periods are not these (months, semesters) is not a quarterly table and is refused
_PERIODE_LABEL = {
    "triwulan i": "TW1",
    "triwulan ii": "TW2",
    "triwulan iii": "TW3",
    "triwulan iv": "TW4",
    "triwulan 1": "TW1",
    "triwulan 2": "TW2",
    "triwulan 3": "TW3",
    "triwulan 4": "TW4",
    "tahunan": "TAHUNAN",
    "tahun": "TAHUNAN",
    "jumlah": "TAHUNAN",
    "total": "TAHUNAN",
}
_VOCABULARIES = ("var", "turvar", "vervar", "tahun", "turtahun")


@dataclass(frozen=True)
class NotAvailable:
    """BPS says there is no data for this request (``data-availability``), which is not an error."""

    reason: str  # 'list-not-available' or 'not-available'


def periode_of(val: Any, label: str) -> str | None:
    """The period a ``turtahun`` label (or a saved table's period header) names, by its words."""
    return _PERIODE_LABEL.get(normalise_label(label))


def harga_of_label(label: str) -> str | None:
    return identity.harga_of(label)


def drop_unreleased(rows: list[dict]) -> list[dict]:
    """BPS prints the periods it has not released yet as ``-`` (or leaves them empty) all down the
    column: such a period of a table loads nothing. A single ``-`` among released figures stays
    *nihil* (0, ``catatan = 'nihil (-)'``)."""
    released: dict[tuple, bool] = {}
    for r in rows:
        key = (r["domain"], r["harga"], r["tahun"], r["periode"])
        released[key] = released.get(key, False) or r["catatan"] is None
    return [r for r in rows if released[(r["domain"], r["harga"], r["tahun"], r["periode"])]]


def status_angka_of(label: str) -> str | None:
    stars = len(label) - len(label.rstrip("*"))
    return {1: "sementara", 2: "sangat sementara"}.get(stars, None if stars == 0 else "sangat sangat sementara")


def _redact(text: str) -> str:
    from ingestion.bps.client import redact  # the keys in use are registered there

    return redact(text)


def _as_int(value: Any) -> int | None:
    try:
        return int(str(value).strip())
    except (TypeError, ValueError):
        return None


def parse_value(raw: Any) -> tuple[Decimal | None, str | None]:
    """A datacontent value -> (figure, note). Raises ValueError for anything else."""
    if isinstance(raw, bool):
        raise ValueError(f"{raw!r} is not a number")
    if isinstance(raw, int | float):
        if raw != raw:  # NaN
            return None, "tidak tersedia"
        return Decimal(str(raw)), None
    if isinstance(raw, str):
        text = raw.strip()
        if text in ("-", "\u2013", "\u2014"):
            return Decimal(0), "nihil (-)"
        if text in ("", "...", "\u2026", "NA", "N/A"):
            return None, "tidak tersedia"
        try:
            return Decimal(text.replace(" ", "")), None
        except InvalidOperation:
            raise ValueError(f"{raw!r} is not a number, '-' or '...'") from None
    raise ValueError(f"{raw!r} is not a number")


def _vocabulary(answer: dict, name: str, where: str) -> list[tuple[str, str]]:
    items = answer.get(name)
    if not isinstance(items, list) or not items:
        raise BpsAnswerError(
            f"{where}: the answer has no '{name}' list; expected the dynamic-data shape with var, turvar, vervar, tahun, turtahun"
        )
    out = []
    for item in items:
        if not isinstance(item, dict) or "val" not in item:
            raise BpsAnswerError(f"{where}: an item of '{name}' has no 'val': {str(item)[:80]}")
        out.append((str(item["val"]).strip(), str(item.get("label", "")).strip()))
    return out


def check_status(answer: Any, where: str) -> NotAvailable | None:
    """Raise for error answers; return NotAvailable when BPS says there is no data."""
    if answer is None:
        raise BpsAnswerError(f"{where}: BPS answered null, which it does for a request that is too large; ask for fewer years or variables")
    if not isinstance(answer, dict):
        raise BpsAnswerError(f"{where}: expected a JSON object, got {type(answer).__name__}")
    status = str(answer.get("status", "")).strip()
    if status.lower() == "error" or (status and status.upper() != "OK"):
        raise BpsApiError(f"{where}: BPS answered status {status!r}: {_redact(str(answer.get('message', 'no message')))[:300]}")
    availability = str(answer.get("data-availability", "available")).strip().lower()
    if availability in ("list-not-available", "not-available"):
        return NotAvailable(availability)
    if availability != "available":
        raise BpsAnswerError(f"{where}: unknown data-availability {availability!r}")
    return None


def rows_from_answer(answer: Any, config: BpsConfig, where: str, domain: str | None = None) -> pd.DataFrame | NotAvailable:
    """Typed rows of one answer, or NotAvailable. ``domain`` comes from the request; for a saved
    answer dropped in the inbox it is looked up from the configured variable id."""
    unavailable = check_status(answer, where)
    if unavailable:
        return unavailable
    content = answer.get("datacontent")
    if content in ([], {}) or answer.get("tahun") == []:  # "available", but nothing in it: nothing new
        return NotAvailable("kosong")
    vocab = {name: _vocabulary(answer, name, where) for name in _VOCABULARIES}
    if not isinstance(content, dict):
        raise BpsAnswerError(f"{where}: 'datacontent' is missing or not an object")
    periods = [label for _, label in vocab["turtahun"]]
    if not all(periode_of(None, label) for label in periods):
        raise BpsAnswerError(
            f"{where}: the table's periods are {', '.join(repr(p) for p in periods)}: it is not a quarterly table "
            "(Triwulan I-IV and Tahunan or Jumlah), so it cannot be the configured PDRB series"
        )
    for item in answer.get("var") or []:
        var_id = _as_int(item.get("val")) if isinstance(item, dict) else None
        known = config.variable(var_id) if var_id is not None else None
        home = known[0] if known else (config.domain(domain) if domain and any(d.kode == domain for d in config.domains) else None)
        if home is not None:
            wrong = identity.problem(str(item.get("label", "")), home, known[1] if known else None, f"{where}, variable {item.get('val')}")
            if wrong:
                raise BpsAnswerError(wrong)

    combos: dict[str, tuple | None] = {}
    for vi, (vervar, uraian) in enumerate(vocab["vervar"]):
        for var, _ in vocab["var"]:
            for turvar, turvar_label in vocab["turvar"]:
                for tahun, tahun_label in vocab["tahun"]:
                    for turtahun, turtahun_label in vocab["turtahun"]:
                        key = f"{vervar}{var}{turvar}{tahun}{turtahun}"
                        value = (vi, vervar, uraian, var, turvar_label, tahun, tahun_label, turtahun, turtahun_label)
                        combos[key] = None if key in combos else value  # None marks an ambiguous key

    problems: list[str] = []
    rows = []
    for key, raw in content.items():
        combo = combos.get(str(key), "missing")
        if combo == "missing":
            problems.append(f"datacontent key {key!r} is not vervar+var+turvar+tahun+turtahun of any listed codes")
            continue
        if combo is None:
            problems.append(f"datacontent key {key!r} matches more than one combination of the listed codes")
            continue
        vi, vervar, uraian, var, turvar_label, tahun, tahun_label, turtahun, turtahun_label = combo
        var_id = _as_int(var)
        known = config.variable(var_id) if var_id is not None else None
        row_domain = domain or (known[0].kode if known else None)
        if row_domain is None:
            problems.append(f"variable {var} is not in the BPS configuration, so its domain is unknown; add it to bps.toml")
            break
        harga = harga_of_label(turvar_label) or (known[1] if known else None)
        if harga not in HARGA:
            problems.append(f"variable {var}: cannot tell ADHB from ADHK (turvar {turvar_label!r}); configure it in bps.toml")
            break
        periode = periode_of(turtahun, turtahun_label)
        if periode is None:
            problems.append(f"datacontent key {key!r}: turtahun {turtahun} {turtahun_label!r} is not Triwulan I-IV or Tahunan")
            continue
        year_match = re.search(r"(19|20)\d{2}", tahun_label)
        year = int(year_match.group(0)) if year_match else (_as_int(tahun) or 0) + 1900
        try:
            nilai, catatan = parse_value(raw)
        except ValueError as exc:
            problems.append(f"datacontent key {key!r}: {exc}")
            continue
        rows.append(
            {
                "_order": (vi, year, periode),
                "domain": row_domain,
                "var_id": var_id,
                "harga": harga,
                "vervar_kode": vervar,
                "uraian": identity.strip_tags(uraian),
                "seri": config.seri_of(uraian),
                "tahun": year,
                "periode": periode,
                "nilai": nilai,
                "catatan": catatan,
                "status_angka": status_angka_of(tahun_label),
            }
        )
    if problems:
        shown = "; ".join(problems[:10]) + (f"; and {len(problems) - 10} more" if len(problems) > 10 else "")
        raise BpsAnswerError(f"{where}: {len(problems)} problem(s), nothing loaded: {shown}")
    rows = drop_unreleased(rows)
    rows.sort(key=lambda r: r.pop("_order"))
    frame = pd.DataFrame(rows, columns=COLUMNS[1:])
    frame.insert(0, "baris", range(1, len(frame) + 1))
    return frame
