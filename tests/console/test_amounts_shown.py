"""Amounts in currency units wherever a person looks: admin lists and pages,
the payout proof report and its CSV; minor units only as a labelled extra."""

import csv
import io
from datetime import UTC, datetime

import pytest
from django.urls import reverse

from integrations.models import Alert, SyncRecord
from integrations.workflows.disputes import plan_dispute_event
from integrations.workflows.plan import WorkflowContext
from reconciliation.models import JournalPosting, Payout, PayoutLine
from sandbox.stripeapi.models import ApiObject
from tests.integrations.workflows import stripe_events as se
from tests.integrations.workflows.conftest import FakeStripe

from .conftest import payout_add, record_add, staff

pytestmark = pytest.mark.django_db

CREATED = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)


@pytest.fixture
def superuser_client(client):
    user = staff("root", None)
    user.is_superuser = True
    user.save(update_fields=["is_superuser"])
    client.force_login(user)
    return client


@pytest.fixture
def payouts(integration):
    usd = payout_add(
        integration,
        amount=236992,
        created=CREATED,
        proof_status=Payout.Proof.UNRECONCILED,
        difference=-5,
        unexplained=-120,
    )
    jpy = payout_add(integration, amount=12000, currency="jpy", created=CREATED)
    kwd = payout_add(
        integration,
        amount=1250,
        currency="kwd",
        created=CREATED,
        proof_status=Payout.Proof.UNRECONCILED,
        difference=-1250,
    )
    return {"usd": usd, "jpy": jpy, "kwd": kwd}


def test_the_payout_list_shows_units_of_each_currency(superuser_client, payouts):
    body = superuser_client.get(
        reverse("admin:reconciliation_payout_changelist")
    ).content.decode()

    assert "2,369.92 USD" in body
    assert "12,000 JPY" in body
    assert "1.250 KWD" in body
    assert "-1.25 USD" in body  # difference + unexplained
    assert "-1.250 KWD" in body
    assert "236992" not in body


def test_the_payout_page_shows_units_and_minor_units_only_labelled(
    superuser_client, payouts
):
    url = reverse("admin:reconciliation_payout_change", args=[payouts["usd"].pk])

    body = superuser_client.get(url).content.decode()

    assert "2,369.92 USD" in body
    assert "-0.05 USD" in body  # payout − lines
    assert "-1.20 USD" in body  # unexplained
    # The stored figure appears once, under its label, in the folded section.
    assert body.count("236992") == 1
    assert "Amount (minor units)" in body
    minor_section = body.split("Minor units")[1]
    assert "236992" in minor_section


def test_the_ledger_list_and_page_show_the_record_amount_in_units(
    superuser_client, integration
):
    record = record_add(integration, amount=-1250, currency="bhd")
    record_add(integration, amount=12000, currency="jpy")
    record_add(integration, operation=SyncRecord.Operation.UPSERT_CUSTOMER)

    listing = superuser_client.get(
        reverse("admin:integrations_syncrecord_changelist")
    ).content.decode()
    page = superuser_client.get(
        reverse("admin:integrations_syncrecord_change", args=[record.pk])
    ).content.decode()

    assert "-1.250 BHD" in listing
    assert "12,000 JPY" in listing
    assert "-1.250 BHD" in page
    assert "Amount (minor units)" in page
    assert "-1250 BHD" in page


def test_the_proof_report_shows_lines_and_journal_in_units(superuser_client, payouts):
    payout = payouts["jpy"]
    PayoutLine.objects.create(
        payout=payout,
        balance_transaction="txn_1",
        type="charge",
        reporting_category="charge",
        source="ch_1",
        amount=12500,
        fee=-500,
        net=12000,
        currency="jpy",
        match=PayoutLine.Match.AMOUNT,
        erp_document="INV1",
        erp_amount=12400,
        erp_currency="jpy",
        difference=100,
    )
    JournalPosting.objects.create(
        payout=payout,
        kind=JournalPosting.Kind.PAYOUT,
        reference="po_jpy",
        currency="jpy",
        lines=[
            {"account": "1010", "description": "bank", "amount": 12000},
            {"account": "1090", "description": "clearing", "amount": -12000},
        ],
    )

    body = superuser_client.get(
        reverse("reconciliation:payout_proof", args=[payout.pk])
    ).content.decode()

    assert "12,500 JPY" in body
    assert "-500 JPY" in body
    assert "12,400 JPY" in body
    assert "100 JPY" in body
    assert "-12,000 JPY" in body  # the journal's credit line
    assert "12500" not in body


def test_the_proof_csv_keeps_plain_units_for_spreadsheets(superuser_client, payouts):
    PayoutLine.objects.create(
        payout=payouts["kwd"],
        balance_transaction="txn_k",
        type="charge",
        reporting_category="charge",
        amount=1250,
        fee=-15,
        net=1235,
        currency="kwd",
        difference=-1250,
    )

    response = superuser_client.get(
        reverse("reconciliation:payout_proof_csv", args=[payouts["kwd"].pk])
    )
    rows = list(csv.DictReader(io.StringIO(b"".join(response).decode())))

    assert (rows[0]["amount"], rows[0]["fee"], rows[0]["net"]) == (
        "1.250",
        "-0.015",
        "1.235",
    )
    assert rows[0]["currency"] == "KWD"
    assert rows[0]["difference"] == "-1.250"


def test_journal_postings_show_how_far_out_of_balance_in_units(
    superuser_client, payouts
):
    JournalPosting.objects.create(
        payout=payouts["kwd"],
        kind=JournalPosting.Kind.PAYOUT,
        reference="po_kwd",
        currency="kwd",
        difference=-1,
    )

    body = superuser_client.get(
        reverse("admin:reconciliation_journalposting_changelist")
    ).content.decode()

    assert "-0.001 KWD" in body


def test_the_stripe_sandbox_shows_balance_nets_in_units(superuser_client):
    ApiObject.objects.create(
        stripe_id="txn_sandbox",
        kind="balance_transaction",
        currency="usd",
        net=-236992,
        created=1_760_000_000,
        data={},
    )

    body = superuser_client.get(
        reverse("admin:sandbox_stripeapi_apiobject_changelist")
    ).content.decode()

    assert "-2,369.92 USD" in body


def test_a_dispute_alert_writes_the_amount_in_units(integration):
    dispute = se.dispute("dp_units", charge_id="ch_units", amount=236992)
    stripe = FakeStripe()
    stripe.charges["ch_units"] = se.charge("ch_units", amount=236992)

    plan_dispute_event(
        WorkflowContext(integration=integration, stripe=lambda: stripe),
        se.event("charge.dispute.created", dispute),
    )

    alert = Alert.objects.get(code="dispute")
    assert "for 2,369.92 USD:" in alert.message
