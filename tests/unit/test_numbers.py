from decimal import Decimal

import pytest

from ingestion.numbers import parse_angka


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("7.75", "7.75"),
        ("7,75", "7.75"),
        ("105,44%", "105.44"),
        ("5253237180667", "5253237180667"),
        ("1.234.567", "1234567"),
        ("1.234.567,89", "1234567.89"),
        ("1,234,567.5", "1234567.5"),
        ("-3", "-3"),
        ("0.506", "0.506"),
        ("5.4000", "5.4000"),
    ],
)
def test_parses_indonesian_and_plain_numbers(text, expected):
    assert parse_angka(text) == Decimal(expected)


@pytest.mark.parametrize("text", ["", "abc", "7.7.5,1,2", "12a", "N/A"])
def test_rejects_what_is_not_a_number_with_a_hint(text):
    with pytest.raises(ValueError, match="number"):
        parse_angka(text)


@pytest.mark.parametrize("text", ["5.400", "5,400", "12.345"])
def test_one_mark_before_three_digits_is_ambiguous_not_guessed(text):
    with pytest.raises(ValueError, match="ambiguous"):
        parse_angka(text)
