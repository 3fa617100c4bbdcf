"""Amounts as people read them: units by the currency's exponent, one style."""

from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from portal.money import money_format, to_decimal, to_minor, units_format


@pytest.mark.parametrize(
    ("minor", "currency", "shown"),
    [
        # two decimals
        (236992, "usd", "2,369.92 USD"),
        (5, "EUR", "0.05 EUR"),
        (0, "gbp", "0.00 GBP"),
        (-236992, "usd", "-2,369.92 USD"),
        (-5, "usd", "-0.05 USD"),
        (100000000, "usd", "1,000,000.00 USD"),
        # zero decimals
        (12000, "jpy", "12,000 JPY"),
        (-12000, "JPY", "-12,000 JPY"),
        (7, "krw", "7 KRW"),
        (1234567, "vnd", "1,234,567 VND"),
        # three decimals
        (1250, "kwd", "1.250 KWD"),
        (-1250, "bhd", "-1.250 BHD"),
        (1, "BHD", "0.001 BHD"),
        (1234567, "kwd", "1,234.567 KWD"),
    ],
)
def test_money_format_uses_the_currency_exponent(minor, currency, shown):
    assert money_format(minor, currency) == shown


def test_money_format_round_trips_through_to_minor():
    for minor, currency in [(236992, "USD"), (12000, "JPY"), (-1250, "KWD")]:
        number = money_format(minor, currency).split(" ")[0].replace(",", "")
        assert to_minor(Decimal(number), currency) == minor


def test_units_format_pads_to_the_currency_decimals():
    assert units_format(Decimal("2369.9"), "usd") == "2,369.90 USD"
    assert units_format(Decimal("1.25"), "kwd") == "1.250 KWD"
    assert units_format(Decimal("12000"), "jpy") == "12,000 JPY"
    assert units_format(Decimal("-0.00"), "usd") == "0.00 USD"


def test_units_format_refuses_what_would_round_money_away():
    with pytest.raises(ValueError, match="more decimals than JPY"):
        units_format(Decimal("12.5"), "jpy")
    with pytest.raises(ValueError, match="more decimals than USD"):
        units_format(Decimal("0.001"), "usd")


def test_money_is_never_a_float():
    with pytest.raises(TypeError):
        units_format(19.99, "usd")
    with pytest.raises(TypeError):
        money_format(19.99, "usd")
    with pytest.raises(TypeError):
        money_format(True, "usd")


def test_the_format_ignores_the_active_language():
    with translation.override("de"):
        assert money_format(236992, "eur") == "2,369.92 EUR"
        assert str(to_decimal(236992, "eur")) == "2369.92"


def test_money_template_filter_formats_and_escapes():
    template = Template(
        "{% load money %}{{ minor|money:currency }}|{{ none|money:'usd' }}"
    )
    rendered = template.render(
        Context({"minor": -1250, "currency": "<b>kwd</b>", "none": None})
    )
    assert "<b>" not in rendered
    assert rendered.endswith("|—")
    assert template.render(Context({"minor": 12000, "currency": "jpy"})).startswith(
        "12,000 JPY"
    )
