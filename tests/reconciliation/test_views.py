"""Proof report page, CSV export and the payout admin."""

import csv
import io

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from integrations.models import SyncRecord
from reconciliation.models import GlAccounts, Payout

from .fakes import bt, event_obj, payout_obj

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client):
    user = get_user_model().objects.create_superuser("finance", "f@example.com", "pw")
    client.force_login(user)
    return client


@pytest.fixture
def payout(integration, erp, stripe_fake, deliver, ledger_record):
    ledger_record(
        integration,
        operation=SyncRecord.Operation.POST_PAYMENT,
        stripe_id="ch_v",
        amount=1000,
    )
    stream = [bt(amount=1000, fee=59, source="ch_v"), bt(amount=500, source="ch_gone")]
    obj = payout_obj(amount=1441)
    stripe_fake.payout_transactions[obj["id"]] = stream
    deliver(integration, event_obj("payout.paid", obj))
    return Payout.objects.get()


def test_report_recomputes_and_shows_the_classes(staff_client, payout):
    response = staff_client.post(
        reverse("reconciliation:payout_proof_refresh", args=[payout.pk])
    )
    assert response.status_code == 302
    page = staff_client.get(reverse("reconciliation:payout_proof", args=[payout.pk]))
    body = page.content.decode()
    assert page.status_code == 200
    assert "Missing in ERP" in body
    assert "Unreconciled" in body
    assert "ch_gone" in body
    filtered = staff_client.get(
        reverse("reconciliation:payout_proof", args=[payout.pk]), {"match": "missing"}
    )
    assert "ch_v" not in filtered.content.decode().split("proof-lines")[1]


def test_report_rejects_an_unknown_class(staff_client, payout):
    response = staff_client.get(
        reverse("reconciliation:payout_proof", args=[payout.pk]), {"match": "nope"}
    )
    assert response.status_code == 400


def test_report_does_not_reflect_markup_in_the_match_class(staff_client, payout):
    # given a link that carries a script in the match class
    payload = "<script>alert(document.cookie)</script>"
    # when a staff member follows it
    response = staff_client.get(
        reverse("reconciliation:payout_proof", args=[payout.pk]), {"match": payload}
    )
    # then the refusal is plain text that leaves the value out
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/plain")
    body = response.content.decode()
    assert "<script" not in body
    assert "Unknown match class" in body and "missing" in body


def test_unknown_payout_is_404(staff_client, db):
    response = staff_client.get(reverse("reconciliation:payout_proof", args=[999]))
    assert response.status_code == 404


def test_csv_export(staff_client, payout):
    staff_client.post(reverse("reconciliation:payout_proof_refresh", args=[payout.pk]))
    response = staff_client.get(
        reverse("reconciliation:payout_proof_csv", args=[payout.pk])
    )
    assert response["Content-Type"].startswith("text/csv")
    rows = list(
        csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode()))
    )
    assert {row["source"]: row["match"] for row in rows} == {
        "ch_v": "matched",
        "ch_gone": "missing",
    }
    assert rows[0]["amount"] == "10.00"


def test_report_needs_staff(client, payout):
    response = client.get(reverse("reconciliation:payout_proof", args=[payout.pk]))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_admin_pages_link_to_the_report(staff_client, payout):
    changelist = staff_client.get(reverse("admin:reconciliation_payout_changelist"))
    assert changelist.status_code == 200
    assert reverse("reconciliation:payout_proof", args=[payout.pk]) in (
        changelist.content.decode()
    )
    change = staff_client.get(
        reverse("admin:reconciliation_payout_change", args=[payout.pk])
    )
    assert change.status_code == 200
    action = staff_client.post(
        reverse("admin:reconciliation_payout_changelist"),
        {"action": "recompute_proof", "_selected_action": [payout.pk]},
        follow=True,
    )
    assert "Proved 1 payouts" in action.content.decode()


def test_gl_accounts_validation_action(staff_client, integration, erp):
    row = GlAccounts.objects.create(
        integration=integration,
        bank="1010",
        clearing="1090",
        fees="6210",
        refunds="4900",
        disputes="5910",
        dispute_fees="6220",
        adjustments="6900",
        fx="",
    )
    response = staff_client.post(
        reverse("admin:reconciliation_glaccounts_changelist"),
        {"action": "validate", "_selected_action": [row.pk]},
        follow=True,
    )
    assert "fx: empty" in response.content.decode()
    row.refresh_from_db()
    assert row.validated_at is None


def test_gl_accounts_are_used_by_the_journal(integration, erp, stripe_fake, deliver):
    GlAccounts.objects.create(
        integration=integration,
        bank="BANK2",
        clearing="CLR",
        fees="FEES",
        refunds="4900",
        disputes="5910",
        dispute_fees="6220",
        adjustments="6900",
        fx="7910",
    )
    obj = payout_obj(amount=941)
    stripe_fake.payout_transactions[obj["id"]] = [bt(amount=1000, fee=59, source="c")]
    deliver(integration, event_obj("payout.paid", obj))
    [doc] = erp.docs("post_journal")
    assert [line["LedgerCode"] for line in doc.payload["lines"]] == [
        "BANK2",
        "CLR",
        "FEES",
    ]
