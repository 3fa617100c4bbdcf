"""A subscription's fields on the ERP customer through the real connectors:
SYSPRO's custom form (COMSFM) against the SYSPRO sandbox, Sage Pro's
`arsubs` table against the real agent."""

from datetime import UTC, datetime

import pytest
from django.conf import settings

from integrations.canonical import SubscriptionState
from integrations.connectors.errors import ValidationError
from integrations.erps.sagepro.connector import SageProConnector
from integrations.erps.syspro.connector import SysproConnector
from integrations.models import Connection
from sandbox.sagepro_books import table_rows

from .conftest import sandbox_state

pytestmark = pytest.mark.django_db

PERIOD_END = int(datetime(2026, 2, 1, 12, tzinfo=UTC).timestamp())


def state(**changes) -> SubscriptionState:
    values = {
        "stripe_id": "sub_1",
        "customer_id": "cus_A",
        "currency": "USD",
        "status": "active",
        "plan": "SUB-BASIC",
        "current_period_end": PERIOD_END,
        "mrr": 4900,
        "as_of": 1,
    }
    return SubscriptionState(**{**values, **changes})


@pytest.fixture
def syspro(syspro_connection, sandbox_http):
    connector = SysproConnector(syspro_connection, session=sandbox_http)
    yield connector
    connector.close()


def custom_forms(session) -> dict[str, str]:
    rows = sandbox_state(
        session, "/sandbox/syspro", settings.SANDBOX_SYSPRO_CONTROL_KEY
    )["custom_forms"]
    return {
        r["field_name"]: r["alpha_value"]
        for r in rows
        if (r["form_type"], r["key_field"]) == ("CUS", "0000001")
    }


def test_syspro_writes_the_customer_custom_form_and_overwrites_it(syspro, sandbox_http):
    document = syspro.customer_subscription_write(
        state(), customer_code="0000001", fields={}
    )
    assert document.number == "0000001"
    assert custom_forms(sandbox_http) == {
        "SUBPLN": "SUB-BASIC",
        "SUBSTS": "active",
        "SUBEND": "2026-02-01",
        "SUBMRR": "49.00",
    }

    syspro.customer_subscription_write(
        state(status="canceled", mrr=0), customer_code="0000001", fields={}
    )
    assert custom_forms(sandbox_http)["SUBSTS"] == "canceled"
    assert custom_forms(sandbox_http)["SUBMRR"] == "0.00"


def test_syspro_fields_are_options_and_a_blank_one_is_not_written(syspro, sandbox_http):
    syspro.customer_subscription_write(
        state(currency="JPY", mrr=1000),
        customer_code="0000001",
        fields={"plan": "", "status": ""},
    )

    assert custom_forms(sandbox_http) == {"SUBEND": "2026-02-01", "SUBMRR": "1000"}


@pytest.mark.parametrize(
    ("fields", "code", "named"),
    [
        # A field the customer form does not define: SYSPRO refuses it.
        ({"mrr": "SUBXXX"}, "0000001", "FieldName"),
        ({"form_type": "ZZZ"}, "0000001", "FormType"),
        ({}, "0999999", "KeyField"),
    ],
)
def test_syspro_refuses_what_its_custom_form_does_not_define(
    syspro, fields, code, named
):
    with pytest.raises(ValidationError) as caught:
        syspro.customer_subscription_write(state(), customer_code=code, fields=fields)

    assert caught.value.field == named


def sagepro_connector(agent) -> SageProConnector:
    return SageProConnector(
        Connection(
            pk=402,
            name="Sage Pro agent",
            kind=Connection.Kind.SAGEPRO,
            base_url=agent.base_url,
            secrets={"api_key": agent.key},
            timeout_seconds=10,
        )
    )


def test_sagepro_writes_one_row_per_customer_through_the_agent(sagepro_agent):
    connector = sagepro_connector(sagepro_agent)
    try:
        connector.customer_subscription_write(
            state(), customer_code="0000001", fields={}
        )
        connector.customer_subscription_write(
            state(status="past_due", currency="KWD", mrr=12345),
            customer_code="0000001",
            fields={},
        )
    finally:
        connector.close()

    (row,) = table_rows(sagepro_agent.data, "arsubs", "01")
    assert (row["custno"], row["subid"], row["status"], row["currid"]) == (
        "0000001",
        "sub_1",
        "past_due",
        "KWD",
    )
    assert str(row["mrr"]) in ("12.345", "12.3450")
    assert row["periodend"] == "2026-02-01"
