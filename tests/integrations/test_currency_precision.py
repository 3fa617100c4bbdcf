"""Currencies with more decimals than the ERP's amount fields (issue 16, item 7).

KWD and BHD have three decimals, JPY none; SYSPRO's values and Sage Pro's
amounts hold two. integrations/precision.py decides, once for every ERP:
rounded documents with an explicit rounding line (the default), or a refusal
before anything is posted. The pipeline tests run the real workflows, ledger,
mapping and connectors against the strict SYSPRO and Sage Pro sandboxes and
read the documents back from them.
"""

import json
from decimal import Decimal

import pytest
from django.conf import settings as django_settings
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from integrations import ledger
from integrations.connectors import http
from integrations.connectors.errors import ValidationError
from integrations.erps import registry
from integrations.intake import webhook_event_store
from integrations.models import Connection, SyncRecord
from integrations.precision import (
    CurrencyPrecisionError,
    erp_precision,
    integration_options_errors,
    payload_fitted,
    round_half_up,
    source_fitted,
)
from mapping.models import AnomalyPolicy
from sandbox.syspro.selectors import sandbox_state as syspro_state
from tests.factories import IntegrationFactory
from tests.integrations.workflows import stripe_events as se
from tests.integrations.workflows.conftest import FakeStripe
from tests.support.sagepro_agent import agent_started
from tests.support.wsgi import wsgi_session

HOST = "http://testserver"
KINDS = ("syspro", "sagepro")
BASE_OPTIONS = {
    "bank": "STRIPE",
    "warehouse": "FG",
    "misc_charge_description": "Stripe payment",
    "customer_code_prefix": "S",
    "terms_code": "30",
    "payment_type": "O",
}


# The rule ---------------------------------------------------------------------


def test_each_erp_declares_two_decimal_amount_fields():
    syspro = erp_precision("syspro")
    sagepro = erp_precision("sagepro")
    assert syspro.places == 2
    assert {"MiscChargeValue", "PaymentValue", "InvoiceValue", "EntryAmount"} <= set(
        syspro.fields
    )
    assert sagepro.places == 2
    assert {"extprice", "ordamt", "invamt", "amount", "debit"} <= set(sagepro.fields)
    assert [syspro.excess(c) for c in ("KWD", "BHD", "JPY", "USD")] == [1, 1, 0, 0]


@pytest.mark.parametrize(
    ("minor", "step", "expected"),
    [
        (1255, 10, 1260),
        (1254, 10, 1250),
        (1250, 10, 1250),
        (-1255, 10, -1260),
        (-1254, 10, -1250),
        (4, 10, 0),
        (5, 10, 10),
        (1999, 1, 1999),
    ],
)
def test_round_half_up_to_the_erps_last_decimal(minor, step, expected):
    assert round_half_up(minor, step) == expected


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("currency", ["KWD", "BHD"])
def test_refuse_cannot_be_saved_with_a_three_decimal_currency(kind, currency):
    errors = integration_options_errors(
        erp_kind=kind,
        options={"currency_precision": "refuse", "currencies": ["USD", currency]},
    )
    (error,) = errors
    assert f"{currency} has 3 decimals" in error
    assert "hold 2 decimals" in error
    field = "MiscChargeValue" if kind == "syspro" else "extprice"
    assert field in error


@pytest.mark.parametrize(
    "options",
    [
        {},
        {"currencies": ["KWD", "BHD", "JPY"]},
        {"currency_precision": "round", "currencies": ["kwd"]},
        {"currency_precision": "refuse", "currencies": ["USD", "JPY", "EUR"]},
    ],
)
def test_options_that_the_erp_can_book_are_accepted(options):
    assert integration_options_errors(erp_kind="sagepro", options=options) == []


@pytest.mark.parametrize(
    ("options", "says"),
    [
        ({"currency_precision": "truncate"}, 'must be "round" or "refuse"'),
        ({"currencies": "KWD"}, "list of ISO currency codes"),
        ({"currencies": ["KWDX"]}, "list of ISO currency codes"),
        ({"gl": {"rounding": ""}}, "gl.rounding must name"),
        ([], "JSON object"),
    ],
)
def test_bad_currency_options_say_what_to_fix(options, says):
    (error,) = integration_options_errors(erp_kind="syspro", options=options)
    assert says in error


def _order(currency, lines, amount=None):
    rows = [
        {
            "description": f"item {n}",
            "quantity": quantity,
            "unit_amount": unit,
            "amount": quantity * unit,
            "sku": sku,
        }
        for n, (quantity, unit, sku) in enumerate(lines)
    ]
    return {
        "stripe_id": "ch_1",
        "currency": currency,
        "amount": sum(r["amount"] for r in rows) if amount is None else amount,
        "created": 0,
        "lines": rows,
        "options": {},
    }


def test_a_kwd_line_is_rounded_and_needs_no_rounding_line_when_it_fits():
    fitted = source_fitted(
        erp_kind="sagepro", entity="sales_order", source=_order("KWD", [(1, 1255, "")])
    )
    assert fitted["amount"] == 1260
    assert [(x["unit_amount"], x["amount"]) for x in fitted["lines"]] == [(1260, 1260)]


def test_lines_that_would_overshoot_are_priced_down_with_an_explicit_rounding_line():
    # 3 x 0.335 = 1.005 KWD: the ERP can book 1.01, and 3 x 0.34 = 1.02 is more
    fitted = source_fitted(
        erp_kind="syspro",
        entity="sales_order",
        source=_order("KWD", [(3, 335, "A100")]),
    )
    assert fitted["amount"] == 1010
    item, rounding = fitted["lines"]
    assert (item["quantity"], item["unit_amount"], item["amount"]) == (3, 330, 990)
    assert rounding == {
        "description": "Rounding: KWD to 2 decimals",
        "quantity": 1,
        "unit_amount": 20,
        "amount": 20,
        "sku": "",
    }


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    lines=st.lists(
        st.tuples(
            st.integers(min_value=1, max_value=20),
            # from 0.005: less rounds to nothing and is refused (tested below)
            st.integers(min_value=5, max_value=10**6),
            st.sampled_from(["", "A100"]),
        ),
        min_size=1,
        max_size=6,
    ),
    currency=st.sampled_from(["KWD", "BHD"]),
    kind=st.sampled_from(KINDS),
)
def test_a_rounded_order_totals_what_its_payment_books(lines, currency, kind):
    order = _order(currency, lines)
    fitted = source_fitted(erp_kind=kind, entity="sales_order", source=order)
    payment = source_fitted(
        erp_kind=kind,
        entity="payment",
        source={"currency": currency, "amount": order["amount"], "options": {}},
    )
    # the order and the payment book the same amount, nearest to the money
    assert fitted["amount"] == payment["amount"] == round_half_up(order["amount"], 10)
    assert sum(x["amount"] for x in fitted["lines"]) == fitted["amount"]
    for line in fitted["lines"]:
        assert line["amount"] == line["quantity"] * line["unit_amount"]
        assert line["unit_amount"] % 10 == 0
    # at most one rounding line, never negative
    extra = fitted["lines"][len(lines) :]
    assert len(extra) <= 1
    assert all(x["amount"] > 0 for x in extra)


def test_an_invoice_keeps_lines_plus_tax_equal_to_its_total():
    invoice = {
        **_order("BHD", [(1, 10_005, ""), (2, 2_505, "")], amount=16_516),
        "tax": 1_501,
    }
    fitted = source_fitted(erp_kind="sagepro", entity="invoice", source=invoice)
    assert (fitted["amount"], fitted["tax"]) == (16_520, 1_500)
    assert sum(x["amount"] for x in fitted["lines"]) == 16_520 - 1_500


@pytest.mark.parametrize("currency", ["JPY", "USD", "EUR"])
def test_currencies_that_fit_are_left_alone(currency):
    order = _order(currency, [(3, 335, "A100")])
    assert source_fitted(erp_kind="syspro", entity="sales_order", source=order) is (
        order
    )


@pytest.mark.parametrize("entity", ["sales_order", "payment", "credit_note"])
def test_refuse_raises_with_the_currency_and_the_fields(entity):
    source = {
        **_order("KWD", [(1, 1255, "")]),
        "options": {"currency_precision": "refuse"},
    }
    with pytest.raises(CurrencyPrecisionError) as refused:
        source_fitted(erp_kind="sagepro", entity=entity, source=source)
    assert "KWD has 3 decimals" in refused.value.message
    assert "extprice" in refused.value.message
    assert "refuses such currencies" in refused.value.message


def test_an_amount_that_rounds_to_nothing_is_refused_not_posted_as_zero():
    with pytest.raises(CurrencyPrecisionError, match="rounds to zero"):
        source_fitted(
            erp_kind="syspro",
            entity="credit_note",
            source={"currency": "KWD", "amount": 4, "options": {}},
        )


def test_payloads_are_written_with_the_fields_decimals_or_refused():
    payload = {"custno": "C1", "amount": "1.260", "date": "2025-01-01"}
    fitted = payload_fitted(erp_kind="sagepro", entity="payment", payload=payload)
    assert fitted["amount"] == "1.26"
    order = {"custno": "C1", "ordamt": "1.255", "lines": [{"extprice": "1.255"}]}
    with pytest.raises(CurrencyPrecisionError, match="ordamt 1.255"):
        payload_fitted(erp_kind="sagepro", entity="sales_order", payload=order)
    with pytest.raises(CurrencyPrecisionError, match=r"lines\[0\].EntryAmount"):
        payload_fitted(
            erp_kind="syspro",
            entity="journal",
            payload={"lines": [{"EntryAmount": "-0.005"}]},
        )


# Through the pipeline, into the strict sandboxes ------------------------------


@pytest.fixture(autouse=True)
def _keep_db_connection():
    """In-process WSGI calls must not close the test transaction's connection."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def stripe_fake(monkeypatch) -> FakeStripe:
    fake = FakeStripe()
    monkeypatch.setattr(
        "integrations.connectors.stripe_api.stripe_api_for",
        lambda integration: lambda: fake,
    )
    return fake


@pytest.fixture(autouse=True)
def sagepro_agent_for_kind(request, tmp_path):
    """Sage Pro runs through the real agent over generated tables (read back
    from its DBF files); SYSPRO through its in-process sandbox."""
    params = getattr(request.node, "callspec", None)
    if not params or params.params.get("kind") != "sagepro":
        AGENT.clear()
        yield
        return
    AGENT["running"] = agent_started(tmp_path, hooks=False)
    yield
    AGENT.pop("running").stop()


AGENT: dict = {}


def sagepro_state() -> dict:
    """The agent's documents that carry a Stripe reference (the generated
    company's own open orders left out)."""
    books = AGENT["running"].books()
    return {
        name: [
            row
            for row in rows
            if name == "customers"
            or str(row.get("ponum") or row.get("reference") or "")[:3]
            in ("ch_", "re_", "py_", "po_", "dp_", "in_")
        ]
        for name, rows in books.items()
    }


def _integration(kind: str, monkeypatch, **options):
    monkeypatch.setattr(http, "SESSION_FACTORY", lambda c: wsgi_session(HOST))
    if kind == "sagepro":
        agent = AGENT["running"]
        # The agent over loopback, as in production.
        monkeypatch.setattr(http, "SESSION_FACTORY", None)
        base_url, secrets = agent.base_url, {"api_key": agent.key}
    else:
        base_url = f"{HOST}/sandbox/syspro/SYSPROWCFService/Rest"
        secrets = {
            "operator_password": django_settings.SANDBOX_SYSPRO_OPERATOR_PASSWORD,
            "company_password": django_settings.SANDBOX_SYSPRO_COMPANY_PASSWORD,
        }
    registry.close_all()
    integration = IntegrationFactory(
        erp_connection__kind=Connection.Kind(kind),
        erp_connection__base_url=base_url,
        erp_connection__secrets=secrets,
        options={**BASE_OPTIONS, **options},
    )
    # Anomaly holds are mapping's feature; here they would only hide postings.
    AnomalyPolicy.objects.update_or_create(
        integration=integration, defaults={"enabled": False}
    )
    return integration


def _deliver(integration, capture, *events):
    for data in events:
        with capture(execute=True):
            webhook_event_store(
                integration=integration,
                data=data,
                body=json.dumps(data),
                source="webhook",
            )


def _documents(kind: str, reference: str) -> dict:
    """The sandbox's order, payment and credit note of a charge, amounts as
    Decimal: (order total, [(qty, price, line amount)], payment, credits)."""
    state = syspro_state() if kind == "syspro" else sagepro_state()
    if kind == "syspro":
        (order,) = [o for o in state["sales_orders"] if o["reference"] == reference]
        total = Decimal(order["order_value"])
        lines = [
            (Decimal(x["order_qty"]), Decimal(x["price"]), Decimal(x["value"]))
            for x in order["lines"]
        ]
        (payment,) = [p for p in state["payments"] if p["reference"] == reference]
        paid = Decimal(payment["payment_value"])
        # SYSPRO negates a credit note's value (ARSTINDOC.vb, InvoiceValue).
        credits = [-Decimal(c["invoice_value"]) for c in state["credit_notes"]]
    else:
        (order,) = [o for o in state["sales_orders"] if o["ponum"] == reference]
        total = Decimal(order["ordamt"])
        lines = [
            (Decimal(x["qtyord"]), Decimal(x["price"]), Decimal(x["extprice"]))
            for x in order["lines"]
        ]
        (payment,) = [p for p in state["payments"] if p["reference"] == reference]
        paid = Decimal(payment["amount"])
        credits = [Decimal(c["amount"]) for c in state["credit_notes"]]
    return {"total": total, "lines": lines, "paid": paid, "credits": credits}


# (currency, unit price in minor units of 3 x A100, a misc line, a refund; what
# the ERP books: order total, lines (qty, price, amount), credit note)
CASES = {
    "KWD": (
        335,
        1_250,
        505,
        Decimal("2.26"),
        [(3, Decimal("0.33"), Decimal("0.99")), (1, Decimal("1.25"), Decimal("1.25"))],
        Decimal("0.51"),
    ),
    "BHD": (
        1_004,
        2_001,
        1_255,
        Decimal("5.01"),
        [(3, Decimal("1.00"), Decimal("3.00")), (1, Decimal("2.00"), Decimal("2.00"))],
        Decimal("1.26"),
    ),
    "JPY": (
        335,
        1_250,
        505,
        Decimal("2255"),
        [(3, Decimal("335"), Decimal("1005")), (1, Decimal("1250"), Decimal("1250"))],
        Decimal("505"),
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("currency", sorted(CASES))
def test_an_order_its_payment_and_a_refund_post_to_the_cent_the_erp_holds(
    kind, currency, monkeypatch, stripe_fake, django_capture_on_commit_callbacks
):
    unit, misc, refunded, total, lines, credit = CASES[currency]
    integration = _integration(kind, monkeypatch)
    amount = 3 * unit + misc
    charge = se.charge(
        "ch_prec",
        amount=amount,
        currency=currency.lower(),
        customer=None,
        email=f"{currency.lower()}-buyer@example.com",
        metadata={
            "lines": json.dumps(
                [
                    {"sku": "A100", "quantity": 3, "unit_amount": unit},
                    {"description": "Handling", "quantity": 1, "unit_amount": misc},
                ]
            )
        },
    )
    refund = se.refund(
        "re_prec", charge_id="ch_prec", amount=refunded, currency=currency.lower()
    )
    stripe_fake.charges["ch_prec"] = charge

    _deliver(
        integration,
        django_capture_on_commit_callbacks,
        se.event("charge.succeeded", charge),
        se.event("refund.created", refund),
    )

    problems = [
        (r.operation, r.status, r.error_message)
        for r in SyncRecord.objects.filter(integration=integration)
        if r.status != SyncRecord.Status.SUCCEEDED
    ]
    assert problems == []
    booked = _documents(kind, "ch_prec")
    rounding = [] if currency == "JPY" else _rounding_lines(total, lines)
    assert booked["total"] == total
    assert booked["lines"] == lines + rounding
    assert sum(x[2] for x in booked["lines"]) == total
    # the payment books what the order does: the customer nets to zero
    assert booked["paid"] == total
    assert booked["credits"] == [credit]
    registry.close_all()


def _rounding_lines(total, lines):
    """The explicit rounding line the ERP must show, if one is needed."""
    left = total - sum(x[2] for x in lines)
    return [(Decimal(1), left, left)] if left else []


@pytest.mark.django_db
@pytest.mark.parametrize("kind", KINDS)
def test_under_refuse_a_kwd_charge_waits_for_a_person_and_nothing_is_posted(
    kind, monkeypatch, stripe_fake, django_capture_on_commit_callbacks
):
    integration = _integration(kind, monkeypatch, currency_precision="refuse")
    charge = se.charge("ch_ref", amount=1_255, currency="kwd", customer=None)
    stripe_fake.charges["ch_ref"] = charge

    _deliver(
        integration,
        django_capture_on_commit_callbacks,
        se.event("charge.succeeded", charge),
    )

    order = SyncRecord.objects.get(operation="create_sales_order")
    assert order.status == SyncRecord.Status.NEEDS_ATTENTION
    assert "KWD has 3 decimals" in order.error_message
    assert "hold 2 decimals" in order.error_message
    # a clear reason of ours, not the ERP's rejection: nothing reached it
    assert order.payload is None
    payment = SyncRecord.objects.get(operation="post_payment")
    assert payment.status == SyncRecord.Status.PENDING
    state = syspro_state() if kind == "syspro" else sagepro_state()
    assert state["sales_orders"] == []
    assert state["payments"] == []

    # when finance switches the integration to round and retries the order
    integration.options = {**integration.options, "currency_precision": "round"}
    integration.save()
    with django_capture_on_commit_callbacks(execute=True):
        assert ledger.sync_record_retry(record=order, actor=None, reason="round KWD")

    # then the order and, after it, the payment post, rounded alike
    order.refresh_from_db()
    payment.refresh_from_db()
    assert (order.status, payment.status) == ("succeeded", "succeeded")
    booked = _documents(kind, "ch_ref")
    assert booked["total"] == booked["paid"] == Decimal("1.26")
    registry.close_all()


@pytest.mark.django_db
@pytest.mark.parametrize("kind", KINDS)
def test_the_sandboxes_refuse_a_third_decimal_as_the_real_fields_would(
    kind, monkeypatch
):
    # given a KWD customer, and an order built without the rule (1.255 KWD)
    integration = _integration(kind, monkeypatch)
    connector = registry.connector_for(integration.erp_connection)
    if kind == "syspro":
        customer = connector.upsert_customer(
            {"Customer": "KWD01", "Name": "Gulf Traders", "Currency": "KWD"},
            reference="cus_kwd",
        ).number
        payload = {
            "CustomerPoNumber": "ch_raw",
            "Customer": customer,
            "OrderDate": "2025-01-01",
            "lines": [
                {
                    "LineType": "misc",
                    "CustomerPoLine": 1,
                    "MiscChargeValue": "1.255",
                    "MiscProductClass": "_OTH",
                    "MiscDescription": "Handling",
                }
            ],
        }
        field = "MiscChargeValue"
    else:
        customer = connector.upsert_customer(
            {"custno": "KWD01", "company": "Gulf Traders", "currid": "KWD"},
            reference="cus_kwd",
        ).number
        payload = {
            "custno": customer,
            "ordate": "2025-01-01",
            "ponum": "ch_raw",
            "currid": "KWD",
            "ordamt": "1.255",
            "lines": [
                {
                    "descrip": "Handling",
                    "qtyord": "1",
                    "price": "1.255",
                    "extprice": "1.255",
                },
            ],
        }
        field = "extprice"
    # when it reaches the ERP, then the ERP refuses it, naming the field
    with pytest.raises(ValidationError) as refused:
        connector.create_sales_order(payload, reference="ch_raw")
    assert field in refused.value.describe()
    # The agent says what Sage Pro's column is: "sotran.extprice is N(14,2)
    # and holds 2".
    assert ("more than 2 decimals" if kind == "syspro" else "holds 2") in (
        refused.value.describe()
    )
    state = syspro_state() if kind == "syspro" else sagepro_state()
    assert state["sales_orders"] == []
    registry.close_all()
