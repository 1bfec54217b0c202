from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tastemaker.kit.money import (
    CURRENCY_EXPONENTS,
    Money,
    MoneyError,
    format_minor,
    parse_major,
    validate_currency,
)

currencies = st.sampled_from(sorted(CURRENCY_EXPONENTS))
amounts = st.integers(min_value=-(10**15), max_value=10**15)


@given(amounts, currencies)
def test_format_then_parse_round_trips(amount: int, currency: str) -> None:
    text = format_minor(amount, currency).rsplit(" ", 1)[0]
    assert parse_major(text, currency) == amount


@given(amounts, amounts, currencies)
def test_addition_is_exact_and_commutative(a: int, b: int, currency: str) -> None:
    assert (Money(a, currency) + Money(b, currency)).amount_minor == a + b
    assert Money(a, currency) + Money(b, currency) == Money(b, currency) + Money(a, currency)


def test_mixing_currencies_is_refused() -> None:
    with pytest.raises(MoneyError):
        Money(100, "EUR") + Money(100, "USD")


@pytest.mark.parametrize(
    "text,currency,expected",
    [
        ("12,500.00", "EUR", 1_250_000),
        ("0.5", "USD", 50),
        ("1500", "JPY", 1500),
        ("-3.25", "GBP", -325),
        ("1.234", "KWD", 1234),
    ],
)
def test_parse_major(text: str, currency: str, expected: int) -> None:
    assert parse_major(text, currency) == expected


@pytest.mark.parametrize(
    "text,currency",
    [("1.001", "EUR"), ("1.5", "JPY"), ("abc", "EUR"), ("", "EUR"), ("1.2.3", "EUR")],
)
def test_parse_major_refuses_bad_amounts(text: str, currency: str) -> None:
    with pytest.raises(MoneyError):
        parse_major(text, currency)


def test_money_refuses_floats_and_unknown_currencies() -> None:
    with pytest.raises(MoneyError):
        Money(1.5, "EUR")  # type: ignore[arg-type]
    with pytest.raises(MoneyError):
        validate_currency("EURO")
    assert validate_currency(" eur ") == "EUR"
