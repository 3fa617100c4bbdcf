import math
import random
import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from itertools import count

import psycopg
import pytest
from django.db import connection
from django.utils import timezone

from integrations.connectors.records import ErpCustomer
from integrations.erps import registry
from integrations.erps.registry import ERPS
from integrations.models import SyncRecord
from integrations.operations import history_columns
from mapping import anomalies
from mapping.anomalies import (
    AmountRules,
    Earlier,
    amount_reasons,
    anomaly_check,
    refund_excess_reason,
)
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


RULES = AmountRules(threshold=anomalies.RECOMMENDED_THRESHOLD)
T0 = datetime(2026, 3, 1, tzinfo=UTC)


def replay(amounts, currency="USD", *, integration=()):
    """Each amount checked against those before it, as the ledger would;
    the indexes of the held ones."""
    earlier, held = [], []
    for index, amount in enumerate(amounts):
        created = T0 + timedelta(hours=index)
        reasons = amount_reasons(
            amount=amount,
            currency=currency,
            created=created,
            earlier=earlier[::-1],
            integration=integration,
            rules=RULES,
        )
        if reasons:
            held.append(index)
        earlier.append(Earlier(f"ch_{index}", amount, created, held=bool(reasons)))
    return held


def usual(n, centre=5000, seed=1):
    rng = random.Random(seed)
    return [round(centre * math.exp(rng.gauss(0, 0.3))) for _ in range(n)]


def test_ten_times_the_usual_is_held_and_a_tenth_too():
    history = usual(25)
    assert replay(history) == []
    assert replay([*history, 50000]) == [25]
    assert replay([*history, 500]) == [25]
    assert replay([*history, 9000]) == []  # within three times the range


def test_an_ordinary_spread_from_half_a_unit_to_2500_holds_none():
    # 150 charges of one customer spread evenly on a log scale, shuffled.
    amounts = [round(50 * math.exp(i * math.log(5000) / 149)) for i in range(150)]
    random.Random(3).shuffle(amounts)
    assert replay(amounts) == []


def test_a_long_tail_of_small_amounts_widens_that_side_only():
    # Mostly about 1,000.00, with a tail of small orders down to 20.00.
    rng = random.Random(5)
    history = [round(100000 * math.exp(rng.gauss(0, 0.05))) for _ in range(20)]
    history += [2000, 3500, 5000, 8000, 12000, 20000, 30000, 40000, 50000, 60000]
    rng.shuffle(history)
    assert replay([*history, 600]) == []  # 6.00: further down the same tail
    assert replay([*history, 1_000_000]) == [30]  # 10,000.00: nothing like it


def test_zero_and_three_decimal_currencies_compare_in_units():
    yen = usual(25, centre=12000)
    fils = usual(25, centre=35000)  # 35.000 KWD
    assert replay([*yen, 120000], "JPY") == [25]
    assert replay([*fils, 350000], "KWD") == [25]
    reason = amount_reasons(
        amount=120000,
        currency="JPY",
        created=T0,
        earlier=[Earlier(f"ch_{i}", a, T0) for i, a in enumerate(yen)],
        integration=(),
        rules=RULES,
    )[0]
    assert "amount 120000 JPY is" in reason
    assert "this customer's usual" in reason


def test_one_earlier_outlier_does_not_hide_the_next():
    history = [*usual(20), 500000, *usual(5, seed=2)]
    held = replay([*history, 480000])
    assert held == [20, 26]


def test_a_held_amount_is_not_the_customers_usual_until_released():
    earlier = [Earlier(f"ch_{i}", a, T0) for i, a in enumerate(usual(25))]
    earlier.append(Earlier("ch_big", 50000, T0, held=True))
    reasons = amount_reasons(
        amount=50000,
        currency="USD",
        created=T0 + timedelta(days=1),
        earlier=earlier[::-1],
        integration=(),
        rules=RULES,
    )
    assert any("× above this customer's usual" in r for r in reasons)


def test_little_history_falls_back_to_the_integrations_amounts():
    others = [(f"stripe:cus_{i % 7}", a) for i, a in enumerate(usual(60, 2000))]
    few = usual(3)
    held = replay([*few, 2_000_000], integration=others)
    assert held == [3]
    reason = amount_reasons(
        amount=2_000_000,
        currency="USD",
        created=T0,
        earlier=[Earlier("ch_1", 5000, T0)],
        integration=others,
        rules=RULES,
    )[0]
    assert "this integration's usual" in reason
    # Without enough amounts anywhere, nothing is held for its size.
    assert replay([*few, 2_000_000], integration=others[:10]) == []


def test_few_amounts_use_the_spread_of_the_integrations_customers():
    # Twelve customers with ten amounts each, each around its own level.
    pool = []
    for customer in range(12):
        level = 1000 * (customer + 1)
        pool += [(f"stripe:cus_{customer}", a) for a in usual(10, level, customer)]
    few = usual(4, centre=5000, seed=9)
    assert replay([*few, 50000], integration=pool) == [4]
    assert replay([*few, 6000], integration=pool) == []


def test_customers_with_long_tails_of_small_amounts_widen_the_few_history_bar():
    # Twelve customers whose amounts run evenly from 0.50 to 2,500.00: on a
    # log scale, a long tail of small ones.
    rng = random.Random(11)
    pool = [
        (f"stripe:cus_{customer}", rng.randint(50, 250000))
        for customer in range(12)
        for _ in range(12)
    ]
    few = [150000, 90000, 210000, 120000]
    assert replay([*few, 2500], integration=pool) == []  # 25.00
    assert replay([*few, 20_000_000], integration=pool) == [4]  # 200,000.00


def test_refund_excess_compares_in_the_charges_currency():
    common = {"charge_id": "ch_1", "charged": 1000, "credited": 600}
    assert (
        refund_excess_reason(
            amount=400, currency="USD", charge_currency="USD", **common
        )
        == ""
    )
    assert "above what remains" in refund_excess_reason(
        amount=401, currency="USD", charge_currency="USD", **common
    )
    assert (
        refund_excess_reason(
            amount=401, currency="EUR", charge_currency="USD", **common
        )
        == ""
    )


def test_amount_far_outside_history_is_held(syspro_integration):
    AnomalyPolicy.objects.update_or_create(
        integration=syspro_integration,
        defaults={"outlier_threshold": anomalies.RECOMMENDED_THRESHOLD},
    )
    cust = customer(syspro_integration)
    for amount in usual(22, centre=1000):
        order(
            syspro_integration,
            cust,
            amount,
            created_at=timezone.now() - timedelta(days=1),
        )
    normal = order(syspro_integration, cust, 1150, status="pending")
    huge = order(syspro_integration, cust, 250000, status="pending")
    assert check(normal) == ""
    assert "this customer's usual" in check(huge)
    assert "2500.00 USD" in check(huge)


def test_outlier_needs_enough_history_and_the_same_currency(syspro_integration):
    cust = customer(syspro_integration)
    other = customer(syspro_integration, "cus_2")
    for amount in usual(30, centre=1000):
        order(syspro_integration, other, amount, currency="EUR")
    order(syspro_integration, cust, 1000)
    huge = order(syspro_integration, cust, 250000, status="pending")
    assert check(huge) == ""


def test_an_unknown_outcome_counts_as_history(syspro_integration):
    cust = customer(syspro_integration)
    order(syspro_integration, cust, 4999, stripe_id="ch_u", status="unknown_outcome")
    second = order(syspro_integration, cust, 4999, stripe_id="ch_v", status="pending")
    assert "likely duplicate: ch_u" in check(second)


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


def test_the_duplicate_window_is_measured_on_stripes_clock(syspro_integration):
    cust = customer(syspro_integration)
    month = int(T0.timestamp())
    # given monthly renewals of one amount that a backfill records seconds apart
    renewals = [
        record(
            syspro_integration,
            "create_sales_order",
            f"ch_m{n}",
            {"amount": 2900, "currency": "USD", "created": month + n * 30 * 86400},
            customer=cust,
            status="succeeded" if n < 2 else "pending",
        )
        for n in range(3)
    ]
    # then they are not duplicates of each other
    assert check(renewals[2]) == ""

    # given two charges Stripe made a minute apart, the second delivered an hour late
    first = record(
        syspro_integration,
        "create_sales_order",
        "ch_d1",
        {"amount": 4999, "currency": "USD", "created": month},
        customer=cust,
        status="succeeded",
    )
    SyncRecord.objects.filter(pk=first.pk).update(
        created_at=timezone.now() - timedelta(hours=1)
    )
    late = record(
        syspro_integration,
        "create_sales_order",
        "ch_d2",
        {"amount": 4999, "currency": "USD", "created": month + 60},
        customer=cust,
        status="pending",
    )
    # then the second is still a likely duplicate
    assert "likely duplicate: ch_d1" in check(late)


def test_a_recheck_does_not_take_the_later_copy_for_the_original(syspro_integration):
    cust = customer(syspro_integration)
    first = order(syspro_integration, cust, 4999, stripe_id="ch_a", status="pending")
    second = order(syspro_integration, cust, 4999, stripe_id="ch_b", status="held")
    assert check(first) == ""
    assert "likely duplicate: ch_a" in check(second)


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
    # refund re_a failed: its credit note is reversed by a debit, as
    # integrations/workflows/refunds.py plans it
    record(
        syspro_integration,
        "post_adjustment",
        "re_a:reversal",
        {"charge_id": "ch_v", "amount": -1000, "currency": "JPY", "reverses": "re_a"},
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


def test_the_history_query_uses_its_index_as_a_prepared_statement(
    syspro_integration,
):
    # The workers' connections prepare a statement after a few runs; its
    # generic plan knows no parameter value, so an index with a condition on
    # one (customer_key <> '') would be passed over for a sequential scan.
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's plan cache")
    cust = customer(syspro_integration)
    # Enough customers that a plan reading the whole integration costs more.
    SyncRecord.objects.bulk_create(
        SyncRecord(
            integration=syspro_integration,
            operation="create_sales_order",
            idempotency_key=f"history-{n}",
            stripe_id=f"ch_h{n}",
            source={"amount": 1000 + n, "currency": "USD"},
            status="succeeded",
            **history_columns(
                {"amount": 1000 + n, "currency": "USD"}, customer=f"cus_h{n % 50}"
            ),
        )
        for n in range(500)
    )
    latest = order(syspro_integration, cust, 1102, status="pending")
    sql, params = anomalies.history_rows(
        latest, "USD", latest.customer_key
    ).query.sql_with_params()
    numbered = iter(range(1, len(params) + 1))
    prepared = re.sub("%s", lambda _: f"${next(numbered)}", sql)
    raw = connection.connection
    values = ", ".join(psycopg.sql.Literal(p).as_string(raw) for p in params)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE integrations_syncrecord")
        cursor.execute("SET LOCAL plan_cache_mode = force_generic_plan")
        cursor.execute(f"PREPARE history AS {prepared}")
        cursor.execute(f"EXPLAIN EXECUTE history({values})")
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("DEALLOCATE history")
    assert "sync_customer_history_idx" in plan, plan


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
