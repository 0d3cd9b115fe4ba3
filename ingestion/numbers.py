"""Parsing numbers as Indonesian planners type them."""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

_PLAIN = re.compile(r"^[+-]?\d+$")
_ONE_MARK = re.compile(r"^[+-]?\d+[.,]\d+$")
_ID_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+(,\d+)?$")
_EN_THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")


def parse_angka(text: str) -> Decimal:
    """Parse a number written as ``7.75``, ``7,75``, ``1.234.567`` or ``1.234.567,89``.

    A single ``.`` or ``,`` is a decimal mark, except that ``5.400`` (one mark followed by exactly
    three digits after a non-zero whole part) is rejected as ambiguous. Two or more dots are Indonesian thousands
    separators (then ``,`` is the decimal mark); two or more commas are English thousands
    separators. A trailing ``%`` is dropped. Raises ``ValueError`` with what was expected.
    """
    s = text.strip().replace("\u00a0", "").replace(" ", "")
    if s.endswith("%"):
        s = s[:-1]
    if not s:
        raise ValueError("empty; expected a number such as 7.75 or 7,75")
    if _PLAIN.match(s):
        normalised = s
    elif _ONE_MARK.match(s):
        whole, frac = re.split(r"[.,]", s.lstrip("+-"))
        if len(frac) == 3 and whole.strip("0"):
            raise ValueError(
                f"'{text}' is ambiguous: a thousands separator or a decimal mark? Write {whole}{frac} for the whole number, "
                f"or {whole},{frac}0 / {whole}.{frac}0 for the decimal"
            )
        normalised = s.replace(",", ".")
    elif _ID_THOUSANDS.match(s):
        normalised = s.replace(".", "").replace(",", ".")
    elif _EN_THOUSANDS.match(s):
        normalised = s.replace(",", "")
    else:
        raise ValueError(f"'{text}' is not a number; expected digits with at most one decimal mark, e.g. 7.75, 7,75 or 1.234.567")
    try:
        return Decimal(normalised)
    except InvalidOperation as exc:  # pragma: no cover - the patterns above only admit valid decimals
        raise ValueError(f"'{text}' is not a number") from exc
