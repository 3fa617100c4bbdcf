"""Payout proof: every line matched to the ERP document that booked it."""

from decimal import Decimal

import pytest

from integrations.models import SyncRecord
from reconciliation import services
from reconciliation.models import Payout, PayoutLine
from reconciliation.selectors import payout_proof_csv_rows

from .fakes import bt, event_obj, payout_obj

pytestmark = pytest.mark.django_db

Match = PayoutLine.Match
Status = SyncRecord.Status
OP = SyncRecord.Operation


def _post_payout(stripe_fake, deliver, integration, stream, **kwargs):
    amount = sum(b["net"] for b in stream)
    payout = payout_obj(amount=amount, **kwargs)
    stripe_fake.payout_transactions[payout["id"]] = stream
    deliver(integration, event_obj("payout.paid", payout))
    return Payout.objects.get(stripe_id=payout["id"])


def _prove(payout):
    services.payout_proof_compute(payout=payout)
    payout.refresh_from_db()
    return {line.source or line.reporting_category: line for line in payout.lines.all()}


def test_every_line_matched_reconciles(
    integration, erp, stripe_fake, deliver, ledger_record
):
    ledger_record(integration, operation=OP.POST_PAYMENT, stripe_id="ch_1", amount=1000)
    ledger_record(
        integration, operation=OP.POST_CREDIT_NOTE, stripe_id="re_1", amount=300
    )
    ledger_record(
        integration,
        operation=OP.POST_ADJUSTMENT,
        stripe_id="dp_1:withdrawn",
        amount=-1000,
    )
    stream = [
        bt(amount=1000, fee=59, source="ch_1"),
        bt(amount=-300, category="refund", source="re_1"),
        bt(amount=-1000, fee=1500, category="dispute", source="dp_1"),
        bt(amount=-200, category="fee", source="", fee_details=[]),
    ]
    payout = _post_payout(stripe_fake, deliver, integration, stream)
    lines = _prove(payout)
    assert {line.match for line in lines.values()} == {Match.MATCHED, Match.JOURNAL}
    assert lines["fee"].erp_document.startswith("GJ")
    assert lines["ch_1"].erp_document == "DOC-ch_1"
    assert payout.proof_status == Payout.Proof.RECONCILED
    assert payout.reconciled_at is not None
    assert payout.difference == 0 and payout.unexplained == 0


def test_each_difference_class_is_named(
    integration, erp, stripe_fake, deliver, ledger_record
):
    # given one line per difference class
    ledger_record(
        integration,
        operation=OP.POST_PAYMENT,
        stripe_id="ch_pending",
        amount=1000,
        status=Status.RETRYING,
    )
    ledger_record(
        integration, operation=OP.POST_PAYMENT, stripe_id="ch_other", amount=900
    )
    ledger_record(
        integration, operation=OP.POST_PAYMENT, stripe_id="ch_net", amount=941
    )
    ledger_record(
        integration,
        operation=OP.POST_PAYMENT,
        stripe_id="ch_eur",
        amount=1000,
        currency="eur",
    )
    ledger_record(
        integration,
        operation=OP.POST_CREDIT_NOTE,
        stripe_id="re_failed",
        amount=100,
        status=Status.NEEDS_ATTENTION,
    )
    stream = [
        bt(amount=1000, source="ch_pending"),
        bt(amount=1000, source="ch_other"),
        bt(amount=1000, fee=59, source="ch_net"),
        bt(amount=1101, source="ch_eur", exchange_rate="1.1"),
        bt(amount=1000, source="ch_unknown"),
        bt(amount=-100, category="refund", source="re_failed"),
    ]
    payout = _post_payout(stripe_fake, deliver, integration, stream)
    # when
    lines = _prove(payout)
    # then
    assert lines["ch_pending"].match == Match.NOT_POSTED
    assert lines["ch_other"].match == Match.AMOUNT
    assert lines["ch_other"].difference == 100
    assert lines["ch_net"].match == Match.FEE
    assert lines["ch_net"].difference == 59
    assert lines["ch_eur"].match == Match.FX
    assert lines["ch_eur"].difference == 1
    assert lines["ch_eur"].erp_currency == "eur"
    assert lines["ch_unknown"].match == Match.MISSING
    assert lines["re_failed"].match == Match.MISSING
    assert "needs_attention" in lines["re_failed"].note
    assert payout.proof_status == Payout.Proof.UNRECONCILED
    assert payout.unmatched_count == 6
    # the FX remainder was journaled to the FX account
    journal = SyncRecord.objects.get(operation=OP.POST_JOURNAL)
    fx = [line for line in journal.source["lines"] if line["account"] == "7910"]
    assert [line["amount"] for line in fx] == [-1]


def test_payout_before_its_charges_waits_then_reconciles(
    integration, erp, stripe_fake, deliver, ledger_record
):
    # given a payout whose charges are planned but not posted yet
    pending = [
        ledger_record(
            integration,
            operation=OP.POST_PAYMENT,
            stripe_id=charge,
            amount=amount,
            status=Status.PENDING,
        )
        for charge, amount in (("ch_x", 2000), ("ch_y", 500))
    ]
    stream = [
        bt(amount=2000, fee=88, source="ch_x"),
        bt(amount=500, fee=45, source="ch_y"),
    ]
    payout = _post_payout(stripe_fake, deliver, integration, stream)
    # the journal itself posts; the proof waits
    assert SyncRecord.objects.get(operation=OP.POST_JOURNAL).status == Status.SUCCEEDED
    lines = _prove(payout)
    assert {line.match for line in lines.values()} == {Match.NOT_POSTED}
    assert payout.proof_status == Payout.Proof.UNRECONCILED
    # when the charges post, the scheduled proof run reconciles it
    for record in pending:
        SyncRecord.objects.filter(pk=record.pk).update(
            status=Status.SUCCEEDED, erp_reference=f"PY-{record.stripe_id}"
        )
    assert services.payouts_prove_open() == 1
    payout.refresh_from_db()
    assert payout.proof_status == Payout.Proof.RECONCILED


def test_unbalanced_journal_keeps_the_payout_unreconciled(
    integration, erp, stripe_fake, deliver, ledger_record
):
    ledger_record(integration, operation=OP.POST_PAYMENT, stripe_id="ch_1", amount=1000)
    stream = [bt(amount=1000, fee=59, source="ch_1")]
    payout = payout_obj(amount=1000)
    stripe_fake.payout_transactions[payout["id"]] = stream
    deliver(integration, event_obj("payout.paid", payout))
    stored = Payout.objects.get()
    _prove(stored)
    assert stored.difference == 59
    assert stored.proof_status == Payout.Proof.UNRECONCILED


def test_manual_payout_attributes_by_balance_window(
    integration, erp, stripe_fake, deliver, ledger_record
):
    # given balance available before a manual payout of exactly the oldest two
    ledger_record(
        integration, operation=OP.POST_PAYMENT, stripe_id="ch_m1", amount=1000
    )
    ledger_record(
        integration, operation=OP.POST_PAYMENT, stripe_id="ch_m2", amount=2000
    )
    stripe_fake.balance_transactions = [
        bt(amount=1000, fee=59, source="ch_m1", created=1_700_000_100),
        bt(amount=2000, fee=88, source="ch_m2", created=1_700_000_200),
        bt(amount=500, fee=45, source="ch_m3", created=1_700_000_300),
    ]
    payout = payout_obj(amount=941 + 1912, automatic=False, created=1_700_001_000)
    # when
    deliver(integration, event_obj("payout.paid", payout))
    # then
    stored = Payout.objects.get()
    assert stored.attribution == Payout.Attribution.BALANCE_WINDOW
    lines = _prove(stored)
    assert lines["ch_m3"].match == Match.UNATTRIBUTED
    assert lines["ch_m1"].match == Match.MATCHED
    assert "2 oldest of 3" in stored.attribution_note
    assert SyncRecord.objects.get(operation=OP.POST_JOURNAL).status == Status.SUCCEEDED
    # unattributed candidates are shown, and keep the payout unreconciled
    assert stored.proof_status == Payout.Proof.UNRECONCILED


def test_manual_payout_that_cannot_be_attributed_is_not_guessed(
    integration, erp, stripe_fake, deliver
):
    stripe_fake.balance_transactions = [
        bt(amount=1000, fee=59, source="ch_a", created=1_700_000_100),
        bt(amount=2000, fee=88, source="ch_b", created=1_700_000_200),
    ]
    payout = payout_obj(amount=1500, automatic=False, created=1_700_001_000)
    deliver(integration, event_obj("payout.paid", payout))
    stored = Payout.objects.get()
    assert stored.lines.filter(attributed=True).count() == 0
    assert "none is attributed" in stored.attribution_note
    journal = SyncRecord.objects.get(operation=OP.POST_JOURNAL)
    assert journal.status == Status.NEEDS_ATTENTION
    assert "15.00 USD" in journal.error_message


def test_manual_payout_with_a_client_that_cannot_list_by_date(
    integration, erp, stripe_fake, deliver, monkeypatch
):
    def payout_only(*, payout):
        return iter(())

    monkeypatch.setattr(stripe_fake, "list_balance_transactions", payout_only)
    payout = payout_obj(amount=1500, automatic=False)
    deliver(integration, event_obj("payout.paid", payout))
    stored = Payout.objects.get()
    assert "cannot list balance transactions by date" in stored.attribution_note
    assert (
        SyncRecord.objects.get(operation=OP.POST_JOURNAL).status
        == Status.NEEDS_ATTENTION
    )


@pytest.mark.parametrize(
    ("currency", "amount", "text"),
    [("jpy", 1500, "1500"), ("kwd", 1234, "1.234"), ("usd", 1999, "19.99")],
)
def test_csv_amounts_follow_the_currency_exponent(
    integration, erp, stripe_fake, deliver, ledger_record, currency, amount, text
):
    ledger_record(
        integration,
        operation=OP.POST_PAYMENT,
        stripe_id="ch_c",
        amount=amount,
        currency=currency,
    )
    stream = [bt(amount=amount, currency=currency, source="ch_c")]
    payout = _post_payout(stripe_fake, deliver, integration, stream, currency=currency)
    _prove(payout)
    header, row = list(payout_proof_csv_rows(payout=payout))
    assert dict(zip(header, row, strict=True))["amount"] == Decimal(text)
    assert dict(zip(header, row, strict=True))["match"] == Match.MATCHED


def test_proof_uses_an_edited_payload_amount(
    integration, erp, stripe_fake, deliver, ledger_record
):
    record = ledger_record(
        integration, operation=OP.POST_PAYMENT, stripe_id="ch_e", amount=1000
    )
    SyncRecord.objects.filter(pk=record.pk).update(
        payload={"PaymentValue": "9.50"}, payload_edited=True
    )
    payout = _post_payout(
        stripe_fake, deliver, integration, [bt(amount=1000, source="ch_e")]
    )
    lines = _prove(payout)
    assert lines["ch_e"].match == Match.AMOUNT
    assert lines["ch_e"].erp_amount == 950


def test_ledger_run_of_journal_is_linked(integration, erp, stripe_fake, deliver):
    payout = _post_payout(stripe_fake, deliver, integration, [bt(amount=1000)])
    _prove(payout)
    posting = payout.journals.get()
    assert posting.sync_record.status == Status.SUCCEEDED
