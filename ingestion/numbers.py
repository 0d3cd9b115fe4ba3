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


_ID_GROUPED = re.compile(r"^\d{1,3}(\.\d{3})+(,\d{1,2})?$")
_EN_GROUPED = re.compile(r"^\d{1,3}(,\d{3})+(\.\d{1,2})?$")
_ID_SEN = re.compile(r"^\d+,\d{1,2}$")
_EN_SEN = re.compile(r"^\d+\.\d{1,2}$")


def rupiah_style(value) -> str | None:
    """'Indonesian' (1.234.567,89) or 'English' (1,234,567.89) for a text amount with a thousands
    mark, None for anything that does not tell (plain digits, numbers from spreadsheet cells)."""
    if not isinstance(value, str):
        return None
    text = value.strip().replace("\u00a0", "").replace(" ", "").lstrip("(-").rstrip(")")
    text = re.sub(r"^rp\.?", "", text, flags=re.IGNORECASE)
    if _ID_GROUPED.match(text) and "." in text:
        return "Indonesian"
    if _EN_GROUPED.match(text) and "," in text:
        return "English"
    return None


def parse_rupiah(value, *, grouped: bool = True) -> Decimal | None:
    """A money value -> exact Decimal rupiah, at most 2 decimals (sen); None for an empty cell.

    ``grouped=True`` (budget exports such as SIPD): ``1.234.567.890``, ``1.234.567.890,00``,
    ``1,234,567,890``, ``Rp 1.000,-``, a spreadsheet number, ``-`` for zero, ``(1.000)`` or a minus
    sign for a negative amount. ``grouped=False`` (system exports such as Jakpreneur and e-Order):
    whole rupiah as plain digits only, ``1250000`` or ``1250000.00``, since ``1.250`` could be 1250
    or 1.25 (an empty value is then an error too).
    Raises ValueError naming what was expected."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not an amount")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        amount = Decimal(repr(value))
        if amount != amount.quantize(Decimal("0.01")):
            raise ValueError(f"{value!r} has more than 2 decimals; rupiah amounts have at most sen")
        return amount.quantize(Decimal(1)) if amount == amount.to_integral_value() else amount
    text = str(value).strip().replace("\u00a0", "").replace(" ", "")
    if not grouped:
        if not re.fullmatch(r"-?\d+([.,]00)?", text):
            raise ValueError(f"'{value}' is not an amount in whole rupiah written as plain digits (e.g. 1250000)")
        return Decimal(text[:-3] if text.endswith(("00", ".00", ",00")) and text[-3:-2] in ".," else text)
    text = re.sub(r"^rp\.?", "", text, flags=re.IGNORECASE)
    if text == "":
        return None
    if text in ("-", "\u2013", "\u2014"):
        return Decimal(0)
    text = re.sub(r",-$", "", text)  # 1.000,- (whole rupiah)
    negative = (text.startswith("(") and text.endswith(")")) or text.startswith("-")
    if negative and text.startswith("("):
        text = text[1:-1]
    text = text.lstrip("-")
    if re.fullmatch(r"\d+", text):
        number = text
    elif _ID_GROUPED.match(text):
        number = text.replace(".", "").replace(",", ".")
    elif _EN_GROUPED.match(text):
        number = text.replace(",", "")
    elif _ID_SEN.match(text):
        number = text.replace(",", ".")
    elif _EN_SEN.match(text):
        number = text
    else:
        raise ValueError(f"{value!r} is not an amount in rupiah (expected e.g. 1.234.567.890 or 1.234.567.890,00)")
    try:
        amount = Decimal(number)
    except InvalidOperation:
        raise ValueError(f"{value!r} is not an amount in rupiah") from None
    return -amount if negative else amount
