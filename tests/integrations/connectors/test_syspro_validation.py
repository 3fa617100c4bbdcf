"""SYSPRO settings checked on save (integrations/erps/syspro/validation.py).

GL accounts are asked of SYSPRO through GENQGL, checked against its class
(Zindaar/SYSPROIntegration,
SysproIntegration/GeneralLedgerPrimaryQuery/ValidateALedgerCodeEntry/GENQGL.vb
and GENQGLOUT.vb); the other options against the fields they fill.
"""

import pytest

from integrations.connectors.errors import ValidationError
from integrations.erps.registry import erp_package
from integrations.erps.syspro.connector import SysproConnector
from integrations.erps.syspro.templates import DEFAULT_OPTIONS_SYSPRO
from integrations.erps.syspro.validation import syspro_settings_problems

pytest.importorskip("sandbox.syspro.views")


def test_the_default_options_pass_the_format_checks():
    assert syspro_settings_problems(options=DEFAULT_OPTIONS_SYSPRO, config={}) == {}


def test_each_bad_option_is_named_with_what_to_fix():
    options = {
        **DEFAULT_OPTIONS_SYSPRO,
        "payment_type": "CC",
        "journal_type": "X",
        "bank": "",
        "product_class": "TOOLONG",
        "misc_product_class": "",
        "misc_charge_code": "",
        "gl": {**DEFAULT_OPTIONS_SYSPRO["gl"], "fees": ""},
        "customer_code_prefix": "S",
    }
    config = {
        "customer_key_type": "N",
        "financial_year_start_month": "13",
        "gl_open_from": "April",
        "max_query_string": "lots",
    }

    problems = syspro_settings_problems(options=options, config=config)

    assert set(problems) == {
        "payment_type",
        "journal_type",
        "bank",
        "product_class",
        "misc_product_class",
        "gl.fees",
        "customer_code_prefix",
        "financial_year_start_month",
        "gl_open_from",
        "max_query_string",
    }
    assert "C, S, O" in problems["payment_type"]
    assert "4 characters" in problems["product_class"]
    assert "digits" in problems["customer_code_prefix"]


def test_a_bad_customer_key_setting_is_named():
    problems = syspro_settings_problems(
        options=DEFAULT_OPTIONS_SYSPRO, config={"customer_key_type": "Q"}
    )

    assert set(problems) == {"customer_key_type"}


@pytest.fixture
def connector(syspro_connection, sandbox_http):
    connector = SysproConnector(syspro_connection, session=sandbox_http)
    yield connector
    connector.close()


@pytest.mark.django_db
def test_gl_accounts_are_asked_of_syspro(connector):
    # given the sandbox GL, which has 1010 and 1200 but no 9999
    options = {
        **DEFAULT_OPTIONS_SYSPRO,
        "gl": {"bank": "1010", "ar": "1200", "fees": "9999"},
    }

    # when
    problems = syspro_settings_problems(options=options, config={}, connector=connector)

    # then only the unknown one is named, with its code
    assert set(problems) == {"gl.fees"}
    assert "9999" in problems["gl.fees"]
    assert connector.ledger_code_exists("1010")


@pytest.mark.django_db
def test_the_sandbox_refuses_a_genqgl_element_its_class_does_not_have(connector):
    with pytest.raises(ValidationError):
        connector.query(
            "GENQGL",
            "<Query><Key><LedgerCode>1010</LedgerCode><Period>1</Period></Key></Query>",
        )


@pytest.mark.django_db
def test_the_package_checks_options_under_its_defaults_on_the_connection(
    syspro_connection, connector
):
    # given an integration that set only a GL account SYSPRO lacks
    check = erp_package("syspro").settings_problems

    # when
    problems = check(
        options={"gl": {"fees": "9999"}, "payment_type": "CC"},
        connection=syspro_connection,
        connector=connector,
    )

    # then the defaults fill the rest, and the two bad values are named
    assert set(problems) == {"gl.fees", "payment_type"}
