from dataclasses import replace
from datetime import timedelta
from itertools import count

import pytest
from django.utils import timezone

from integrations.connectors.records import ErpCustomer
from integrations.erps import registry
from integrations.erps.registry import ERPS
from integrations.models import SyncRecord
from integrations.operations import history_columns
from mapping.anomalies import anomaly_check, robust_z
from mapping.models import AnomalyPolicy

pytestmark = pytest.mark.django_db

_seq = count(1)


def record(integration, operation, stripe_id, source, *, customer=None, **fields):
    # The history columns as sync_records_plan sets them.
    history = history_columns(source, customer=customer.stripe_id if customer else "")
    row = SyncRecord.objects.create(
        integration=integration,
        operation=operation,
        idempotency_key=f"{integration.pk}:{stripe_id}:{operation}:{next(_seq)}",
        stripe_id=stripe_id,
        source=source,
        **history,
        **fields,
    )
    if customer is not None:
        row.depends_on.add(customer)
    return row


def customer(integration, stripe_id="cus_1", payload=None):
    return record(
        integration,
        "upsert_customer",
        stripe_id,
        {"stripe_id": stripe_id},
        payload=payload,
        status="succeeded",
        erp_reference="0000001",
    )


def order(integration, cust, amount, stripe_id=None, currency="USD", **fields):
    return record(
        integration,
        "create_sales_order",
        stripe_id or f"ch_{next(_seq)}",
        {"amount": amount, "currency": currency},
        customer=cust,
        status=fields.pop("status", "succeeded"),
        **fields,
    )


def check(row):
    # As the ledger does: the record (and its integration's policy) read afresh.
    row = SyncRecord.objects.select_related("integration").get(pk=row.pk)
    return anomaly_check(record=row, source={**row.source, "options": {}})


def test_robust_z_ignores_one_earlier_outlier():
    history = [1000, 1100, 950, 1050, 1000, 90000]
    assert robust_z(1020, history) < 1
    assert robust_z(100000, history) > 50
    assert robust_z(1000, [1000] * 5) == 0
    assert robust_z(1010, [1000] * 5) < 1  # identical history: 5 % of the median


def test_amount_far_outside_history_is_held(syspro_integration):
    cust = customer(syspro_integration)
    for amount in (1000, 1200, 900, 1100, 1000, 950):
        order(
            syspro_integration,
            cust,
            amount,
            created_at=timezone.now() - timedelta(days=1),
        )
    normal = order(syspro_integration, cust, 1150, status="pending")
    huge = order(syspro_integration, cust, 250000, status="pending")
    assert check(normal) == ""
    assert "far outside this customer's history" in check(huge)
    assert "2500.00 USD" in check(huge)


def test_outlier_needs_enough_history_and_the_same_customer(syspro_integration):
    cust = customer(syspro_integration)
    other = customer(syspro_integration, "cus_2")
    for amount in (1000, 1000, 1000, 1000, 1000, 1000):
        order(syspro_integration, other, amount)
    order(syspro_integration, cust, 1000)
    huge = order(syspro_integration, cust, 250000, status="pending")
    assert check(huge) == ""


def test_likely_duplicate_within_the_window_is_held(syspro_integration):
    cust = customer(syspro_integration)
    first = order(syspro_integration, cust, 4999, stripe_id="ch_a")
    second = order(syspro_integration, cust, 4999, stripe_id="ch_b", status="pending")
    different = order(
        syspro_integration, cust, 5000, stripe_id="ch_c", status="pending"
    )
    assert "likely duplicate: ch_a" in check(second)
    assert check(different) == ""
    # outside the window it is not a duplicate
    SyncRecord.objects.filter(pk=first.pk).update(
        created_at=timezone.now() - timedelta(hours=1)
    )
    assert check(second) == ""


def test_refund_above_what_remains_is_held(syspro_integration):
    cust = customer(syspro_integration)
    record(
        syspro_integration,
        "post_payment",
        "ch_r",
        {"amount": 10000, "currency": "USD"},
        customer=cust,
        status="succeeded",
    )
    record(
        syspro_integration,
        "post_credit_note",
        "re_1",
        {"charge_id": "ch_r", "amount": 6000, "currency": "USD"},
        status="succeeded",
    )
    too_much = record(
        syspro_integration,
        "post_credit_note",
        "re_3",
        {"charge_id": "ch_r", "amount": 4001, "currency": "USD"},
        status="held",  # held records do not use up what remains
    )
    fits = record(
        syspro_integration,
        "post_credit_note",
        "re_2",
        {"charge_id": "ch_r", "amount": 4000, "currency": "USD"},
    )
    assert check(fits) == ""
    SyncRecord.objects.filter(pk=fits.pk).update(status="succeeded")
    assert check(too_much) == (
        "refund 40.01 USD is above what remains of ch_r: 0.00 USD of 100.00 USD"
    )


def test_refund_check_counts_reversed_credits(syspro_integration):
    record(
        syspro_integration,
        "post_payment",
        "ch_v",
        {"amount": 1000, "currency": "JPY"},
        status="succeeded",
    )
    record(
        syspro_integration,
        "post_credit_note",
        "re_a",
        {"charge_id": "ch_v", "amount": 1000, "currency": "JPY"},
        status="succeeded",
    )
    record(
        syspro_integration,
        "post_credit_note",
        "re_a:reversal",
        {"charge_id": "ch_v", "amount": 1000, "currency": "JPY", "reverses": "re_a"},
        status="succeeded",
    )
    again = record(
        syspro_integration,
        "post_credit_note",
        "re_b",
        {"charge_id": "ch_v", "amount": 1000, "currency": "JPY"},
    )
    assert check(again) == ""


def test_currency_other_than_the_customers_is_held(syspro_integration):
    cust = customer(
        syspro_integration, payload={"Customer": "0000002", "Currency": "EUR"}
    )
    euro = order(syspro_integration, cust, 1000, currency="EUR", status="pending")
    dollars = order(syspro_integration, cust, 1000, currency="USD", status="pending")
    assert check(euro) == ""
    assert check(dollars) == (
        "currency USD differs from the ERP customer's currency EUR"
    )


class CurrencyOnlyErp:
    kind = "syspro"

    def find_customer(self, *, code="", email=""):
        return ErpCustomer(code=code, currency="EUR") if code == "0000002" else None

    def close(self):
        pass


def test_currency_is_asked_of_the_erp_when_no_payload_says(
    syspro_integration, monkeypatch
):
    registry.close_all()
    package = replace(ERPS["syspro"], connector=lambda connection: CurrencyOnlyErp())
    monkeypatch.setitem(ERPS, "syspro", package)
    try:
        payment = record(
            syspro_integration,
            "post_payment",
            "ch_x",
            {"amount": 1000, "currency": "USD", "customer_code": "0000002"},
        )
        assert "differs from the ERP customer's currency EUR" in check(payment)
    finally:
        registry.close_all()


def test_rules_can_be_switched_off(syspro_integration):
    cust = customer(syspro_integration, payload={"Currency": "EUR"})
    order(syspro_integration, cust, 4999, stripe_id="ch_a")
    second = order(syspro_integration, cust, 4999, stripe_id="ch_b", status="pending")
    assert check(second)
    AnomalyPolicy.objects.filter(integration=syspro_integration).update(enabled=False)
    assert check(second) == ""
    AnomalyPolicy.objects.filter(integration=syspro_integration).update(
        enabled=True, duplicate_charge=False, currency_mismatch=False
    )
    assert check(second) == ""


def test_history_checks_cost_the_same_queries_however_long_the_history(
    syspro_integration, django_assert_max_num_queries
):
    cust = customer(syspro_integration)
    first = order(syspro_integration, cust, 1000, status="pending")
    with django_assert_max_num_queries(10) as short:
        check(first)
    for amount in range(1000, 1300, 5):
        order(syspro_integration, cust, amount)
    latest = order(syspro_integration, cust, 1102, status="pending")
    with django_assert_max_num_queries(len(short.captured_queries)):
        assert check(latest) == ""


def test_planning_copies_customer_amount_and_currency(syspro_integration):
    from integrations import ledger
    from integrations.workflows import Plan, PlannedRecord

    plan = Plan(
        records=(
            PlannedRecord(
                key="customer:cus_9",
                operation="upsert_customer",
                stripe_id="cus_9",
                source={"stripe_id": "cus_9"},
            ),
            PlannedRecord(
                key="ch_9:sales_order",
                operation="create_sales_order",
                stripe_id="ch_9",
                source={"amount": 1234, "currency": "JPY"},
                depends_on=("customer:cus_9",),
            ),
        )
    )
    ledger.sync_records_plan(integration=syspro_integration, event=None, plan=plan)
    # A later plan that waits on the customer planned before.
    later = Plan(
        records=(
            PlannedRecord(
                key="ch_10:payment",
                operation="post_payment",
                stripe_id="ch_10",
                source={"amount": 500, "currency": "EUR"},
                depends_on=("customer:cus_9",),
            ),
        )
    )
    ledger.sync_records_plan(integration=syspro_integration, event=None, plan=later)

    rows = {row.stripe_id: row for row in SyncRecord.objects.all()}
    assert (rows["ch_9"].customer_key, rows["ch_9"].amount, rows["ch_9"].currency) == (
        "stripe:cus_9",
        1234,
        "JPY",
    )
    assert rows["ch_10"].customer_key == "stripe:cus_9"
    assert rows["cus_9"].amount is None
