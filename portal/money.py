"""Money at the ERP boundary: integer minor units ↔ Decimal by currency exponent.

Stripe amounts are integers in the currency's smallest unit; most currencies
have two decimals, the zero-decimal ones (JPY, KRW …) none and a few (BHD,
KWD …) three. See https://docs.stripe.com/currencies#zero-decimal.

What a person reads goes through `money_format`: units with the currency's
own number of decimals, a comma between thousands, a point before the
decimals, a leading minus, then the ISO code (`2,369.92 USD`, `12,000 JPY`,
`-1.250 KWD`), whatever the server's or the reader's locale.
"""

from decimal import ROUND_HALF_EVEN, Decimal

ZERO_DECIMAL = frozenset(
    [
        "BIF",
        "CLP",
        "DJF",
        "GNF",
        "JPY",
        "KMF",
        "KRW",
        "MGA",
        "PYG",
        "RWF",
        "UGX",
        "VND",
        "VUV",
        "XAF",
        "XOF",
        "XPF",
    ]
)
THREE_DECIMAL = frozenset(["BHD", "IQD", "JOD", "KWD", "LYD", "OMR", "TND"])


def exponent(currency: str) -> int:
    code = currency.upper()
    if code in ZERO_DECIMAL:
        return 0
    if code in THREE_DECIMAL:
        return 3
    return 2


def to_decimal(minor: int, currency: str) -> Decimal:
    """1999 USD → Decimal('19.99'); 500 JPY → Decimal('500'); 1234 KWD → '1.234'."""
    if isinstance(minor, bool) or not isinstance(minor, int):
        raise TypeError(f"minor units must be an int, got {type(minor).__name__}")
    places = exponent(currency)
    return Decimal(minor).scaleb(-places).quantize(Decimal(1).scaleb(-places))


def to_minor(amount: Decimal | str | int, currency: str) -> int:
    """Decimal('19.99') USD → 1999. Refuses amounts finer than the currency allows."""
    if isinstance(amount, float):
        raise TypeError("money is never a float")
    value = Decimal(amount)
    places = exponent(currency)
    scaled = value.scaleb(places)
    if scaled != scaled.to_integral_value():
        raise ValueError(f"{amount} has more than {places} decimals for {currency}")
    return int(scaled.to_integral_value(rounding=ROUND_HALF_EVEN))


def units_format(amount: Decimal, currency: str) -> str:
    """Decimal('2369.9') USD → '2,369.90 USD'; never rounds money away."""
    if isinstance(amount, float) or not isinstance(amount, Decimal | int):
        raise TypeError(f"amount must be a Decimal, got {type(amount).__name__}")
    code = currency.upper()
    value = Decimal(amount)
    quantum = Decimal(1).scaleb(-exponent(code))
    if value != value.quantize(quantum, rounding=ROUND_HALF_EVEN):
        raise ValueError(f"{amount} has more decimals than {code} allows")
    # The format spec's "," groups thousands without consulting the locale;
    # "+ 0" turns a negative zero into zero.
    text = format(value.quantize(quantum) + 0, ",f")
    return f"{text} {code}" if code else text


def money_format(minor: int, currency: str) -> str:
    """1999 USD → '19.99 USD'; -1250 KWD → '-1.250 KWD'; 12000 JPY → '12,000 JPY'."""
    return units_format(to_decimal(minor, currency), currency)
