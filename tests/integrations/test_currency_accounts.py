"""Per-currency account codes: patterns that fit the ERP's customer codes,
refused at save time when they cannot."""

import pytest

from integrations.admin import IntegrationForm
from integrations.currency_accounts import (
    CodeRule,
    PatternError,
    account_codes,
    options_problems,
    pattern_problem,
)
from integrations.erps.registry import erp_package
from integrations.models import Connection
from tests.factories import IntegrationFactory

SYSPRO = CodeRule(max_length=7)
SYSPRO_NUMERIC = CodeRule(max_length=7, digits_only=True)
SAGEPRO = CodeRule(max_length=10)


def test_the_pattern_keeps_the_end_of_the_main_code_that_fits():
    codes = account_codes(
        "{code}-{currency}",
        code="S123456789",
        currency="eur",
        stripe_id="cus_A",
        rule=SAGEPRO,
    )
    assert codes[0] == "456789-EUR"
    assert all(len(code) <= 10 and code.endswith("-EUR") for code in codes)
    # derived from the Stripe id and currency: a retry gets the same ones
    assert codes == account_codes(
        "{code}-{currency}",
        code="S123456789",
        currency="EUR",
        stripe_id="cus_A",
        rule=SAGEPRO,
    )
    assert len(set(codes)) == len(codes) > 10


def test_a_short_main_code_is_kept_whole():
    assert account_codes(
        "{code}-{currency}", code="ACME", currency="JPY", stripe_id="c", rule=SAGEPRO
    )[0] == ("ACME-JPY")


def test_numeric_keys_take_the_currency_number_and_digits_only():
    codes = account_codes(
        "{code}{currency}",
        code="0001234",
        currency="KWD",
        stripe_id="cus_A",
        rule=SYSPRO_NUMERIC,
    )
    assert codes[0] == "1234414"
    assert all(code.isdigit() and len(code) == 7 for code in codes)


@pytest.mark.parametrize(
    ("pattern", "rule", "says"),
    [
        ("{code}-{currency}-X", CodeRule(max_length=5), "leaves no room"),
        ("{code}{currency}{code}", SAGEPRO, "once each"),
        ("{code}", SAGEPRO, "once each"),
        ("{code}-{curr}", SAGEPRO, "{curr}"),
        ("{code}-{currency}", SYSPRO_NUMERIC, "digits only"),
        ("{code} {currency}", SAGEPRO, "letters, digits and '-'"),
    ],
)
def test_a_pattern_that_cannot_make_codes_is_refused_with_the_reason(
    pattern, rule, says
):
    assert says in pattern_problem(pattern, rule=rule)
    with pytest.raises(PatternError):
        account_codes(pattern, code="S1", currency="EUR", stripe_id="c", rule=rule)


def test_the_erp_defaults_fit_their_erps():
    for kind, config in (
        ("syspro", {}),
        ("syspro", {"customer_key_type": "N", "customer_key_length": "7"}),
        ("sagepro", {}),
    ):
        package = erp_package(kind)
        assert (
            options_problems(
                package.default_options,
                rule=package.code_rule(config),
                default_pattern=package.default_options["currency_account_pattern"],
            )
            == {}
        ), kind


def test_a_policy_that_does_not_exist_is_refused():
    problems = options_problems({"customer_currency_policy": "guess"}, rule=SAGEPRO)
    assert "customer_currency_policy" in problems


def test_the_pattern_is_not_checked_when_accounts_are_not_made():
    assert (
        options_problems(
            {"customer_currency_policy": "hold", "currency_account_pattern": "{x}"},
            rule=SAGEPRO,
        )
        == {}
    )


@pytest.mark.django_db
def test_the_admin_refuses_a_pattern_too_long_for_syspro_customer_codes():
    integration = IntegrationFactory(erp_connection__kind=Connection.Kind.SYSPRO)
    form = IntegrationForm(
        data={
            "name": integration.name,
            "stripe_connection": integration.stripe_connection.pk,
            "erp_connection": integration.erp_connection.pk,
            "is_active": "on",
            "flows": list(integration.flows),
            "stripe_api_version": "",
            "options": '{"currency_account_pattern": "{code}-CUR-{currency}"}',
        },
        instance=integration,
    )

    assert not form.is_valid()
    message = str(form.errors["options"])
    assert "currency_account_pattern" in message
    assert "at most 7 characters" in message
