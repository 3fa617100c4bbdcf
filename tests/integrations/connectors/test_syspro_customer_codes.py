"""SYSPRO customer codes in the company's key format.

Numeric keys are "right-aligned ... with preceding zeros. Only the digits 0 to
9 are allowed." (SYSPRO 8 help, Setup Options > Keys:
https://help.syspro.com/syspro-8-2023/g_programs/imp/impcfg/forms/keys/impcfg-keys.htm).
The connector formats every code it sends or looks up; the sandbox, keyed
numerically by setting, refuses a code with a letter.
"""

import pytest
from django.test import override_settings

from integrations.connectors.errors import ValidationError
from integrations.erps.syspro.codes import CustomerKeyFormat
from integrations.erps.syspro.connector import SysproConnector

pytest.importorskip("sandbox.syspro.views")

NUMERIC = {"customer_key_type": "N", "customer_key_length": "7"}


def test_numeric_codes_are_zero_filled_to_the_key_width():
    keys = CustomerKeyFormat.of_config(NUMERIC)

    assert keys.formatted("42") == "0000042"
    assert keys.formatted("0000042") == "0000042"
    assert keys.formatted(" 0123456 ") == "0123456"


@pytest.mark.parametrize("code", ["S123456", "12-34", "１２３", "12345678"])
def test_a_numeric_company_refuses_codes_that_are_not_its_numbers(code):
    keys = CustomerKeyFormat.of_config(NUMERIC)

    with pytest.raises(ValidationError) as refused:
        keys.formatted(code)

    assert refused.value.field == "Customer"
    assert code in str(refused.value)


def test_alphanumeric_codes_go_as_given():
    keys = CustomerKeyFormat.of_config({})

    assert not keys.numeric
    assert keys.formatted(" S000042 ") == "S000042"
    assert keys.formatted("42") == "42"


@pytest.mark.parametrize(
    ("config", "field"),
    [
        ({"customer_key_type": "X"}, "customer_key_type"),
        ({"customer_key_type": "N", "customer_key_length": "0"}, "customer_key_length"),
        ({"customer_key_type": "N", "customer_key_length": "x"}, "customer_key_length"),
    ],
)
def test_a_bad_key_setting_is_named(config, field):
    with pytest.raises(ValidationError) as refused:
        CustomerKeyFormat.of_config(config)

    assert refused.value.field == field


def test_the_prefix_of_generated_codes_must_be_digits_when_numeric():
    keys = CustomerKeyFormat.of_config(NUMERIC)

    assert keys.prefix_problem("S")
    assert keys.prefix_problem("0") == ""
    assert CustomerKeyFormat.of_config({}).prefix_problem("S") == ""


@pytest.fixture
def numeric_connector(syspro_connection, sandbox_http):
    syspro_connection.config = {**syspro_connection.config, **NUMERIC}
    connector = SysproConnector(syspro_connection, session=sandbox_http)
    yield connector
    connector.close()


CUSTOMER = {"Name": "Harbour Cycles", "Currency": "USD", "Email": "a@b.example"}


@pytest.mark.django_db
@override_settings(SANDBOX_SYSPRO_CUSTOMER_KEY_TYPE="N")
def test_a_numeric_company_finds_and_adds_customers_by_zero_filled_number(
    numeric_connector,
):
    # given the sandbox company keyed numerically, with customer 0000001
    # when the connector is asked for "1" and adds customer "4242"
    found = numeric_connector.find_customer(code="1")
    added = numeric_connector.upsert_customer(
        {**CUSTOMER, "Customer": "4242"}, reference="cus_numeric"
    )

    # then both are the zero-filled keys SYSPRO holds
    assert found is not None and found.code == "0000001"
    assert added.number == "0004242"
    assert numeric_connector.find_customer(code="0004242").name == "Harbour Cycles"


@pytest.mark.django_db
@override_settings(SANDBOX_SYSPRO_CUSTOMER_KEY_TYPE="N")
def test_the_numeric_sandbox_refuses_a_lettered_code(syspro_connection, sandbox_http):
    # given a connector that believes the company is alphanumeric
    connector = SysproConnector(syspro_connection, session=sandbox_http)

    # when it adds an S… customer to the numerically keyed sandbox
    with pytest.raises(ValidationError) as refused:
        connector.upsert_customer(
            {**CUSTOMER, "Customer": "S000042"},
            reference="cus_lettered",
            looked_up=True,
        )
    connector.close()

    # then SYSPRO's refusal names the code
    assert "S000042" in str(refused.value)


@pytest.mark.django_db
def test_a_numeric_connector_refuses_before_sending(numeric_connector):
    with pytest.raises(ValidationError) as refused:
        numeric_connector.find_customer(code="S000042")

    assert "numerically" in str(refused.value)


@pytest.mark.django_db
def test_documents_carry_the_zero_filled_code(numeric_connector):
    # given customer 0000001 named as "1" (as a person may type it in Stripe),
    # and a sandbox that takes codes as given: "1" alone would not be found
    payment = {
        "Customer": "1",
        "PaymentValue": "5.00",
        "Reference": "ch_numeric",
        "PaymentDate": "2024-05-02",
        "Bank": "STRIPE",
        "PaymentType": "O",
        "JournalNotation": "Stripe charge ch_numeric",
    }

    # when a payment is posted twice
    first = numeric_connector.post_payment(payment, reference="ch_numeric")
    again = numeric_connector.post_payment(payment, reference="ch_numeric")

    # then it is posted once, to 0000001, and found again by the same key
    assert not first.adopted and again.adopted
    assert [o.customer_code for o in numeric_connector.customer_orders("1")] == [
        o.customer_code for o in numeric_connector.customer_orders("0000001")
    ]
