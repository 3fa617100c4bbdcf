"""The payout journal balances to the minor unit and books the bank side."""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reconciliation.journal import (
    BalanceLine,
    convert,
    fee_breakdown,
    journal_reverse,
    payout_journal_build,
)
from reconciliation.models import DEFAULT_GL

from .fakes import bt


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


def _mixed_stream(currency: str, unit: int) -> list[dict]:
    """Charges, a partial refund with a fee refund, a dispute with its fee and
    a Stripe fee refund, scaled to the currency's minor unit."""
    return [
        bt(amount=100 * unit, fee=3 * unit + 3, currency=currency),
        bt(amount=250 * unit, fee=7 * unit + 5, currency=currency),
        bt(amount=-40 * unit, category="refund", currency=currency),
        # A refund that gives part of the fee back: negative fee.
        bt(amount=-10 * unit, fee=-1 * unit, category="refund", currency=currency),
        bt(amount=-100 * unit, fee=15 * unit, category="dispute", currency=currency),
        bt(
            amount=2 * unit,
            category="fee",
            currency=currency,
            fee_details=[],
        ),
        bt(amount=-1, category="other_adjustment", currency=currency),
    ]


@pytest.mark.parametrize(
    ("currency", "unit"), [("usd", 100), ("jpy", 1), ("kwd", 1000)]
)
def test_mixed_payout_balances_in_minor_units(currency, unit):
    # given a payout of charges, partial refunds, a dispute and fee refunds
    stream = _mixed_stream(currency, unit)
    amount = sum(b["net"] for b in stream)
    # when
    result = payout_journal_build(
        payout_id="po_1",
        amount=amount,
        currency=currency,
        created=0,
        lines=_lines(stream),
        accounts=DEFAULT_GL,
    )
    # then
    assert result.balanced
    lines = {
        (line.account, line.description.split(" (")[0]): line.amount
        for line in result.journal.lines
    }
    assert lines[("1010", "Stripe payout po_1")] == amount
    assert lines[("1090", "charges")] == -350 * unit
    assert lines[("1090", "refunds")] == 50 * unit
    assert lines[("1090", "disputes")] == 100 * unit
    assert lines[("6220", "fees: stripe_fee")] == 15 * unit
    assert lines[("6210", "fees: stripe_fee")] == 10 * unit + 8 - unit
    assert lines[("6210", "fee")] == -2 * unit
    assert lines[("6900", "other_adjustment")] == 1
    assert result.journal.currency == currency.upper()
    assert result.line_count == len(stream)


def test_payout_transaction_itself_is_not_part_of_the_contents():
    stream = [bt(amount=1000, fee=59)]
    payout_line = bt(amount=-941, category="payout", source="po_2")
    result = payout_journal_build(
        payout_id="po_2",
        amount=941,
        currency="usd",
        created=0,
        lines=_lines([*stream, payout_line]),
        accounts=DEFAULT_GL,
    )
    assert result.balanced
    assert result.line_count == 1


def test_another_payouts_transaction_debits_clearing_back():
    # given a manual payout that drew on the balance before this automatic one
    stream = [
        bt(amount=1000, fee=59),
        bt(amount=-300, category="payout", source="po_m"),
    ]
    result = payout_journal_build(
        payout_id="po_auto",
        amount=641,
        currency="usd",
        created=0,
        lines=_lines(stream),
        accounts=DEFAULT_GL,
    )
    assert result.balanced
    clearing = [x.amount for x in result.journal.lines if x.account == "1090"]
    assert sorted(clearing) == [-1000, 300]


def test_missing_transaction_leaves_the_difference():
    stream = [bt(amount=1000, fee=59), bt(amount=500, fee=30)]
    result = payout_journal_build(
        payout_id="po_3",
        amount=1411,
        currency="usd",
        created=0,
        lines=_lines(stream[:1]),
        accounts=DEFAULT_GL,
    )
    assert not result.balanced
    assert result.difference == 470


def test_fee_details_that_do_not_sum_to_the_fee_are_not_absorbed():
    line = bt(
        amount=1000,
        fee=59,
        fee_details=[{"amount": 50, "type": "stripe_fee"}],
    )
    result = payout_journal_build(
        payout_id="po_4",
        amount=941,
        currency="usd",
        created=0,
        lines=_lines([line]),
        accounts=DEFAULT_GL,
    )
    assert result.difference == -9
    assert result.notes


def test_fx_remainder_goes_to_the_fx_account():
    # given a EUR charge settled in USD; the ERP booked 10.00 EUR at 1.1 = 11.00
    line = BalanceLine(
        id="txn_fx",
        amount=1101,
        fee=0,
        reporting_category="charge",
        fx_clearing=convert(
            1000, from_currency="eur", rate=Decimal("1.1"), to_currency="usd"
        ),
    )
    result = payout_journal_build(
        payout_id="po_fx",
        amount=1101,
        currency="usd",
        created=0,
        lines=[line],
        accounts=DEFAULT_GL,
    )
    assert result.balanced
    by_account = {line.account: line.amount for line in result.journal.lines}
    assert by_account["1090"] == -1100
    assert by_account["7910"] == -1


def test_convert_handles_zero_and_three_decimal_currencies():
    assert (
        convert(1000, from_currency="usd", rate=Decimal("149.5"), to_currency="jpy")
        == 1495
    )
    assert (
        convert(1495, from_currency="jpy", rate=Decimal("0.00206"), to_currency="kwd")
        == 3080
    )
    assert (
        convert(-333, from_currency="eur", rate=Decimal("1.5"), to_currency="usd")
        == -500
    )


def test_reversal_negates_every_line():
    result = payout_journal_build(
        payout_id="po_5",
        amount=941,
        currency="usd",
        created=0,
        lines=_lines([bt(amount=1000, fee=59)]),
        accounts=DEFAULT_GL,
    )
    reversal = journal_reverse(
        result.journal, stripe_id="po_5:reversal", description="r"
    )
    assert [line.amount for line in reversal.lines] == [
        -line.amount for line in result.journal.lines
    ]
    assert sum(line.amount for line in reversal.lines) == 0


_categories = st.sampled_from(
    [
        "charge",
        "refund",
        "dispute",
        "dispute_reversal",
        "fee",
        "other_adjustment",
        "refund_failure",
        "partial_capture_reversal",
        "payout",
    ]
)


@st.composite
def _bt_streams(draw):
    currency = draw(st.sampled_from(["usd", "jpy", "kwd", "eur"]))
    items = []
    for _ in range(draw(st.integers(min_value=0, max_value=25))):
        category = draw(_categories)
        amount = draw(st.integers(min_value=-(10**9), max_value=10**9))
        fee_parts = draw(
            st.lists(
                st.tuples(
                    st.sampled_from(["stripe_fee", "application_fee", "tax"]),
                    st.integers(min_value=-(10**6), max_value=10**6),
                ),
                max_size=3,
            )
        )
        details = [{"type": t, "amount": a} for t, a in fee_parts]
        # A payout transaction is either this payout's own or another payout's.
        source = draw(st.sampled_from(["po_h", "po_other"]))
        items.append(
            bt(
                amount=amount,
                fee=sum(a for _, a in fee_parts),
                category=category,
                currency=currency,
                fee_details=details,
                source=source,
            )
        )
    return currency, items


@settings(max_examples=150, deadline=None)
@given(_bt_streams())
def test_random_streams_balance_and_debit_the_payout_to_the_bank(stream):
    currency, items = stream
    amount = sum(
        b["net"]
        for b in items
        if not (b["reporting_category"].startswith("payout") and b["source"] == "po_h")
    )
    result = payout_journal_build(
        payout_id="po_h",
        amount=amount,
        currency=currency,
        created=0,
        lines=_lines(items),
        accounts=DEFAULT_GL,
    )
    assert sum(line.amount for line in result.journal.lines) == 0
    assert result.journal.lines[0].account == DEFAULT_GL["bank"]
    assert result.journal.lines[0].amount == amount
