"""Money is integer minor units plus an ISO 4217 currency; never a float."""

from __future__ import annotations

from dataclasses import dataclass

# ISO 4217 minor-unit exponents for the currencies the platform accepts.
CURRENCY_EXPONENTS: dict[str, int] = {
    "USD": 2,
    "EUR": 2,
    "GBP": 2,
    "CAD": 2,
    "AUD": 2,
    "NZD": 2,
    "CHF": 2,
    "SEK": 2,
    "NOK": 2,
    "DKK": 2,
    "PLN": 2,
    "CZK": 2,
    "HUF": 2,
    "RON": 2,
    "BRL": 2,
    "MXN": 2,
    "ARS": 2,
    "COP": 2,
    "CLP": 0,
    "INR": 2,
    "IDR": 2,
    "PHP": 2,
    "THB": 2,
    "MYR": 2,
    "SGD": 2,
    "HKD": 2,
    "CNY": 2,
    "JPY": 0,
    "KRW": 0,
    "TRY": 2,
    "ZAR": 2,
    "AED": 2,
    "SAR": 2,
    "ILS": 2,
    "EGP": 2,
    "NGN": 2,
    "KES": 2,
    "VND": 0,
    "TWD": 2,
    "UAH": 2,
    "BHD": 3,
    "KWD": 3,
    "OMR": 3,
    "JOD": 3,
    "TND": 3,
}


class MoneyError(ValueError):
    pass


def validate_currency(code: str) -> str:
    upper = code.strip().upper()
    if upper not in CURRENCY_EXPONENTS:
        raise MoneyError(f"unknown or unsupported currency code {code!r}")
    return upper


@dataclass(frozen=True, slots=True)
class Money:
    amount_minor: int
    currency: str

    def __post_init__(self) -> None:
        if not isinstance(self.amount_minor, int) or isinstance(self.amount_minor, bool):
            raise MoneyError("amount must be an integer number of minor units")
        object.__setattr__(self, "currency", validate_currency(self.currency))

    def __add__(self, other: Money) -> Money:
        self._same_currency(other)
        return Money(self.amount_minor + other.amount_minor, self.currency)

    def __sub__(self, other: Money) -> Money:
        self._same_currency(other)
        return Money(self.amount_minor - other.amount_minor, self.currency)

    def _same_currency(self, other: Money) -> None:
        if other.currency != self.currency:
            raise MoneyError(f"cannot combine {self.currency} with {other.currency}")

    def format(self) -> str:
        return format_minor(self.amount_minor, self.currency)


def format_minor(amount_minor: int, currency: str) -> str:
    exponent = CURRENCY_EXPONENTS.get(currency, 2)
    sign = "-" if amount_minor < 0 else ""
    whole, frac = divmod(abs(amount_minor), 10**exponent)
    body = f"{whole:,}" + (f".{frac:0{exponent}d}" if exponent else "")
    return f"{sign}{body} {currency}"


def parse_major(text: str, currency: str) -> int:
    """'1,250.50' in EUR -> 125050. Refuses more decimals than the currency has."""
    exponent = CURRENCY_EXPONENTS[validate_currency(currency)]
    cleaned = text.strip().replace(",", "").replace(" ", "").replace("_", "")
    if not cleaned:
        raise MoneyError("amount is empty")
    negative = cleaned.startswith("-")
    if negative:
        cleaned = cleaned[1:]
    whole, _, frac = cleaned.partition(".")
    if (not whole.isdigit() and whole != "") or (frac and not frac.isdigit()):
        raise MoneyError(f"{text!r} is not an amount")
    if len(frac) > exponent:
        raise MoneyError(f"{currency} has {exponent} decimal places; got {text!r}")
    value = int(whole or "0") * 10**exponent + int((frac or "0").ljust(exponent, "0") or "0")
    return -value if negative else value
