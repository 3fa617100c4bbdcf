"""Payout journals in a currency with more decimals than the ERP's amount
fields (KWD, BHD into SYSPRO's and Sage Pro's 2): whole ERP units, balanced,
the clearing lines equal to what the ERP documents booked, and what rounding
leaves on one explicit line to the rounding account (integrations/precision.py,
reconciliation/journal.py)."""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from integrations.models import Connection, SyncRecord
from integrations.precision import journal_step, round_half_up
from reconciliation.journal import BalanceLine, fee_breakdown, payout_journal_build
from reconciliation.models import DEFAULT_GL
from tests.factories import IntegrationFactory
from tests.support.fake_erp import FakeErp

from .fakes import bt, event_obj, payout_obj

ACCOUNTS = {**DEFAULT_GL, "rounding": "7920"}


def _lines(bts):
    return [
        BalanceLine(
            id=b["id"],
            amount=b["amount"],
            fee=b["fee"],
            reporting_category=b["reporting_category"],
            fee_details=fee_breakdown(b["fee"], b["fee_details"]),
            source=b["source"],
        )
        for b in bts
    ]


def _stream(currency: str) -> list[dict]:
    """Charges, a refund and a dispute whose amounts and fees end in a fils."""
    return [
        bt(amount=1255, fee=37, currency=currency, source="ch_a"),
        bt(amount=2505, fee=76, currency=currency, source="ch_b"),
        bt(amount=10005, fee=301, currency=currency, source="ch_c"),
        bt(amount=-505, category="refund", currency=currency, source="re_a"),
        bt(
            amount=-1255,
            fee=1500,
            category="dispute",
            currency=currency,
            source="dp_a",
        ),
    ]


def _build(stream, currency, step):
    return payout_journal_build(
        payout_id="po_1",
        amount=sum(b["net"] for b in stream),
        currency=currency,
        created=0,
        lines=_lines(stream),
        accounts=ACCOUNTS,
        step=step,
    )


def _line(result, description_start):
    (line,) = [
        x for x in result.journal.lines if x.description.startswith(description_start)
    ]
    return line


@pytest.mark.parametrize("currency", ["kwd", "bhd"])
def test_a_three_decimal_payout_is_journaled_in_whole_erp_units(currency):
    stream = _stream(currency)
    exact = _build(stream, currency, step=1)

    result = _build(stream, currency, step=10)

    # every line fits 2 decimals and the journal balances
    assert result.balanced
    assert sum(x.amount for x in result.journal.lines) == 0
    assert all(x.amount % 10 == 0 for x in result.journal.lines)
    # the bank line is the payout, rounded
    assert result.journal.lines[0].account == ACCOUNTS["bank"]
    assert result.journal.lines[0].amount == round_half_up(
        exact.journal.lines[0].amount, 10
    )
    # clearing is credited with what each payment booked (1.26 + 2.51 + 10.01),
    # not the rounded total (13.765 -> 13.77): the clearing account nets to zero
    assert _line(result, "charges").amount == -(1260 + 2510 + 10010)
    assert _line(result, "refunds").amount == 510
    assert _line(result, "disputes").amount == 1260
    # what rounding leaves is explicit, on the rounding account
    rounding = _line(result, "rounding")
    assert rounding.account == ACCOUNTS["rounding"]
    assert rounding.amount == -sum(
        x.amount for x in result.journal.lines if x is not rounding
    )
    # 10.091 at the bank is 10.09; fees of 0.414 are 0.41: 0.01 is left
    assert rounding.amount == 10
    # the rounding explains the whole difference to the exact journal
    assert sum(x.amount for x in exact.journal.lines) == 0


@pytest.mark.parametrize(("currency", "unit"), [("usd", 100), ("jpy", 1)])
def test_currencies_that_fit_are_journaled_exactly(currency, unit):
    stream = [
        bt(amount=1999 * unit, fee=61 * unit, currency=currency),
        bt(amount=-500 * unit, category="refund", currency=currency),
    ]
    # step 1 is what journal_step gives them: nothing is rounded
    step = journal_step(erp_kind="sagepro", currency=currency, options={})
    assert step == 1
    result = _build(stream, currency, step=step)
    assert result.balanced
    assert [x.amount for x in result.journal.lines] == [
        1438 * unit,
        -1999 * unit,
        500 * unit,
        61 * unit,
    ]
    assert not [x for x in result.journal.lines if x.account == ACCOUNTS["rounding"]]


def test_a_journal_that_does_not_add_up_is_not_rounded_into_balance():
    # given transactions that explain 1 fils less than the payout (a lost page)
    stream = _stream("kwd")
    result = payout_journal_build(
        payout_id="po_1",
        amount=sum(b["net"] for b in stream) + 1,
        currency="kwd",
        created=0,
        lines=_lines(stream),
        accounts=ACCOUNTS,
        step=10,
    )
    # then the difference stays, exact, for the ledger to refuse
    assert result.difference == 1
    assert not [x for x in result.journal.lines if x.account == ACCOUNTS["rounding"]]


@settings(max_examples=60, deadline=None)
@given(
    charges=st.lists(st.integers(min_value=5, max_value=10**7), min_size=1, max_size=8),
    refunds=st.lists(st.integers(min_value=5, max_value=10**5), max_size=3),
    fee=st.integers(min_value=0, max_value=999),
)
def test_rounded_journals_always_balance_and_clearing_matches_the_documents(
    charges, refunds, fee
):
    stream = [bt(amount=a, fee=fee, currency="kwd") for a in charges] + [
        bt(amount=-r, category="refund", currency="kwd") for r in refunds
    ]
    result = _build(stream, "kwd", step=10)
    assert result.balanced
    assert all(x.amount % 10 == 0 for x in result.journal.lines)
    assert _line(result, "charges").amount == -sum(
        round_half_up(a, 10) for a in charges
    )
    # rounding moves each line by at most half a fils per transaction
    rounding = [x for x in result.journal.lines if x.account == ACCOUNTS["rounding"]]
    assert sum(abs(x.amount) for x in rounding) <= 10 * (2 * len(stream) + 2)


# Through the ledger -------------------------------------------------------------


def _integration(kind: str, **options):
    return IntegrationFactory(
        erp_connection__kind=Connection.Kind(kind),
        options={
            "bank": "STRIPE",
            "gl": {**DEFAULT_GL, "rounding": "7920"},
            **options,
        },
    )


def _payout(stripe_fake, stream, currency="kwd"):
    amount = sum(b["net"] for b in stream)
    payout = payout_obj(amount=amount, currency=currency)
    stripe_fake.payout_transactions[payout["id"]] = [
        *stream,
        bt(amount=-amount, category="payout", currency=currency, source=payout["id"]),
    ]
    return payout


def _signed(kind: str, line: dict) -> Decimal:
    if kind == "syspro":
        return Decimal(line["EntryAmount"])
    return Decimal(line["debit"]) - Decimal(line["credit"])


@pytest.mark.real_mapping
@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["syspro", "sagepro"])
@pytest.mark.parametrize(
    ("currency", "places", "roundings"), [("kwd", 2, 1), ("bhd", 2, 1), ("jpy", 0, 0)]
)
def test_a_payout_posts_a_balanced_journal_the_erp_can_hold(
    kind, currency, places, roundings, stripe_fake, deliver
):
    erp = FakeErp(kind=kind)
    with erp.installed():
        integration = _integration(kind)
        payout = _payout(stripe_fake, _stream(currency), currency)

        deliver(integration, event_obj("payout.paid", payout))

    record = SyncRecord.objects.get(operation="post_journal")
    assert record.status == SyncRecord.Status.SUCCEEDED, record.error_message
    [doc] = erp.docs("post_journal")
    lines = doc.payload["lines"]
    amounts = [_signed(kind, line) for line in lines]
    assert sum(amounts) == 0
    # written with the ERP's decimals (2), or JPY's own (none)
    for line in lines:
        for name in ("EntryAmount", "debit", "credit"):
            if name in line and places:
                assert len(line[name].rpartition(".")[2]) == places, line
            elif name in line:
                assert "." not in line[name].rstrip("0").rstrip("."), line
    step = journal_step(erp_kind=kind, currency=currency, options={})
    minor = round_half_up(payout["amount"], step)
    assert amounts[0] == Decimal(minor).scaleb(-3 if places else 0)
    account = "LedgerCode" if kind == "syspro" else "account"
    assert [line[account] for line in lines].count("7920") == roundings


@pytest.mark.real_mapping
@pytest.mark.django_db
def test_a_kwd_payout_under_refuse_waits_for_a_person_with_the_reason(
    stripe_fake, deliver
):
    erp = FakeErp(kind="sagepro")
    with erp.installed():
        integration = _integration("sagepro", currency_precision="refuse")
        payout = _payout(stripe_fake, _stream("kwd"))

        deliver(integration, event_obj("payout.paid", payout))

    record = SyncRecord.objects.get(operation="post_journal")
    assert record.status == SyncRecord.Status.NEEDS_ATTENTION
    assert "KWD has 3 decimals" in record.error_message
    assert "hold 2 decimals" in record.error_message
    assert erp.docs("post_journal") == []
