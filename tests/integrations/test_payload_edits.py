"""Hand edits of a payload: money, customer and reference need a second person."""

import copy

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse

from integrations import ledger
from integrations.models import AuditEntry, PayloadChange, SyncRecord
from mapping.schemas import all_schemas
from portal.exceptions import ApplicationError

pytestmark = pytest.mark.django_db

Status = SyncRecord.Status

PAYMENT = {
    "Customer": "S000001",
    "PaymentValue": "10.00",
    "Reference": "ch_3Pay",
    "PaymentDate": "2026-12-01",
    "Bank": "STRIPE",
    "PaymentType": "O",
    "JournalNotation": "Stripe ch_3Pay",
}

ORDER = {
    "CustomerPoNumber": "ch_3Ord",
    "Customer": "S000001",
    "OrderDate": "2026-12-01",
    "Warehouse": "FG",
    "lines": [
        {
            "LineType": "stock",
            "CustomerPoLine": 1,
            "StockCode": "BIKE-01",
            "Warehouse": "FG",
            "OrderQty": "1",
            "Price": "10.00",
        },
        {
            "LineType": "misc",
            "CustomerPoLine": 2,
            "MiscChargeValue": "2.50",
            "MiscDescription": "Delivery",
        },
    ],
}


def reviewer(username: str) -> User:
    user = User.objects.create_user(username, password="x", is_staff=True)
    user.groups.add(Group.objects.get(name="Finance reviewers"))
    return user


@pytest.fixture
def alice():
    return reviewer("alice")


@pytest.fixture
def bob():
    return reviewer("bob")


def failed_record(integration, operation="post_payment", payload=PAYMENT):
    return SyncRecord.objects.create(
        integration=integration,
        operation=operation,
        idempotency_key=f"{operation}:{payload.get('Reference', 'ch_3Ord')}",
        stripe_id="ch_3Pay",
        payload=copy.deepcopy(payload),
        status=Status.NEEDS_ATTENTION,
        attempts=8,
        error_message="SYSPRO refused the payment",
    )


def edited(payload, **changes):
    return {**copy.deepcopy(payload), **changes}


def test_an_edit_of_unprotected_fields_applies_at_once(integration, alice):
    record = failed_record(integration)
    # when
    change = ledger.sync_record_edit_payload(
        record=record,
        actor=alice,
        payload=edited(PAYMENT, JournalNotation="Card payment", Bank="FNB"),
        reason="bank code fixed",
    )
    # then
    assert change is None
    record.refresh_from_db()
    assert record.payload["Bank"] == "FNB"
    assert record.status == Status.PENDING
    assert record.attempts == 0
    assert record.payload_edited
    entry = AuditEntry.objects.get(action="sync_record.edit_payload")
    assert entry.actor == alice
    assert entry.before["Bank"] == "STRIPE"
    assert entry.after["Bank"] == "FNB"
    assert not PayloadChange.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("PaymentValue", "99999.00"),
        ("Customer", "S000999"),
        ("Reference", "ch_someone_else"),
    ],
)
def test_an_edit_of_money_customer_or_reference_waits_for_approval(
    integration, alice, field, value
):
    record = failed_record(integration)
    # when
    change = ledger.sync_record_edit_payload(
        record=record, actor=alice, payload=edited(PAYMENT, **{field: value})
    )
    # then
    assert change.status == PayloadChange.Status.PENDING
    assert change.protected_fields == [field]
    assert change.proposed_by == alice
    record.refresh_from_db()
    assert record.payload == PAYMENT
    assert record.status == Status.NEEDS_ATTENTION
    assert not record.payload_edited
    entry = AuditEntry.objects.get(action="sync_record.payload_change_proposed")
    assert entry.actor == alice
    assert entry.before["payload"][field] == PAYMENT[field]
    assert entry.after["payload"][field] == value
    assert entry.after["payload_change"] == change.pk


def test_the_reviewer_s_whole_edit_waits_not_only_the_protected_part(
    integration, alice
):
    record = failed_record(integration)
    payload = edited(
        PAYMENT, PaymentValue="99999.00", Customer="S000999", Reference="ch_x", Bank="X"
    )
    change = ledger.sync_record_edit_payload(
        record=record, actor=alice, payload=payload
    )
    assert sorted(change.protected_fields) == ["Customer", "PaymentValue", "Reference"]
    record.refresh_from_db()
    assert record.payload == PAYMENT


@pytest.mark.parametrize(
    "change_lines",
    [
        lambda lines: lines[0].update(Price="9999.00"),
        lambda lines: lines[0].update(OrderQty="40"),
        lambda lines: lines[1].update(MiscChargeValue="0.01"),
        lambda lines: lines.pop(),
        lambda lines: lines.append({**lines[0], "CustomerPoLine": 3}),
    ],
    ids=["price", "quantity", "misc charge", "line removed", "line added"],
)
def test_money_in_nested_lines_is_protected(integration, alice, change_lines):
    record = failed_record(integration, "create_sales_order", ORDER)
    payload = copy.deepcopy(ORDER)
    change_lines(payload["lines"])
    change = ledger.sync_record_edit_payload(
        record=record, actor=alice, payload=payload
    )
    assert change is not None
    assert change.protected_fields[0].startswith("lines")
    record.refresh_from_db()
    assert record.payload == ORDER


def test_a_line_s_description_is_not_protected(integration, alice):
    record = failed_record(integration, "create_sales_order", ORDER)
    payload = copy.deepcopy(ORDER)
    payload["lines"][1]["MiscDescription"] = "Courier"
    payload["lines"][0]["Price"] = "10.0"  # the same amount, written shorter
    assert (
        ledger.sync_record_edit_payload(record=record, actor=alice, payload=payload)
        is None
    )
    record.refresh_from_db()
    assert record.payload["lines"][1]["MiscDescription"] == "Courier"


def test_the_proposer_cannot_approve_their_own_change(integration, alice):
    record = failed_record(integration)
    change = ledger.sync_record_edit_payload(
        record=record, actor=alice, payload=edited(PAYMENT, PaymentValue="99999.00")
    )
    with pytest.raises(ApplicationError, match="another person must approve"):
        ledger.sync_record_payload_change_approve(change=change, actor=alice)
    change.refresh_from_db()
    record.refresh_from_db()
    assert change.status == PayloadChange.Status.PENDING
    assert record.payload == PAYMENT
    assert not AuditEntry.objects.filter(
        action="sync_record.payload_change_approved"
    ).exists()


def test_a_second_reviewer_approves_and_the_record_runs_with_it(
    integration, alice, bob
):
    record = failed_record(integration)
    proposed = edited(PAYMENT, PaymentValue="12.00")
    change = ledger.sync_record_edit_payload(
        record=record, actor=alice, payload=proposed, reason="customer paid 12"
    )
    # when
    approved = ledger.sync_record_payload_change_approve(
        change=change, actor=bob, reason="checked with Stripe"
    )
    # then
    assert approved.status == PayloadChange.Status.APPROVED
    assert approved.decided_by == bob
    assert approved.decided_at is not None
    record.refresh_from_db()
    assert record.payload == proposed
    assert record.payload_edited
    assert record.status == Status.PENDING
    assert record.attempts == 0
    entry = AuditEntry.objects.get(action="sync_record.payload_change_approved")
    assert entry.actor == bob
    assert entry.target_id == str(record.pk)
    assert entry.before["payload"]["PaymentValue"] == "10.00"
    assert entry.after["payload"]["PaymentValue"] == "12.00"
    assert entry.after["proposed_by"] == "alice"
    # approving again changes nothing
    assert ledger.sync_record_payload_change_approve(change=change, actor=bob)
    assert (
        AuditEntry.objects.filter(action="sync_record.payload_change_approved").count()
        == 1
    )


def test_approval_needs_the_permission(integration, alice):
    record = failed_record(integration)
    change = ledger.sync_record_edit_payload(
        record=record, actor=alice, payload=edited(PAYMENT, PaymentValue="1.00")
    )
    clerk = User.objects.create_user("clerk", password="x", is_staff=True)
    with pytest.raises(ApplicationError, match="not allowed"):
        ledger.sync_record_payload_change_approve(change=change, actor=clerk)
    with pytest.raises(ApplicationError, match="not allowed"):
        ledger.sync_record_payload_change_approve(change=change, actor=None)


def test_a_rejected_change_is_discarded_and_audited(integration, alice, bob):
    record = failed_record(integration)
    change = ledger.sync_record_edit_payload(
        record=record, actor=alice, payload=edited(PAYMENT, Customer="S000999")
    )
    rejected = ledger.sync_record_payload_change_reject(
        change=change, actor=bob, reason="wrong customer"
    )
    assert rejected.status == PayloadChange.Status.REJECTED
    record.refresh_from_db()
    assert record.payload == PAYMENT
    assert record.status == Status.NEEDS_ATTENTION
    entry = AuditEntry.objects.get(action="sync_record.payload_change_rejected")
    assert entry.actor == bob
    assert entry.before["payload"]["Customer"] == "S000999"
    assert entry.after["status"] == "rejected"
    with pytest.raises(ApplicationError, match="rejected"):
        ledger.sync_record_payload_change_approve(change=change, actor=bob)


def test_one_pending_change_at_a_time(integration, alice, bob):
    record = failed_record(integration)
    ledger.sync_record_edit_payload(
        record=record, actor=alice, payload=edited(PAYMENT, PaymentValue="1.00")
    )
    with pytest.raises(ApplicationError, match="waits for approval"):
        ledger.sync_record_edit_payload(
            record=record, actor=bob, payload=edited(PAYMENT, Bank="FNB")
        )


def test_a_change_is_not_applied_over_a_payload_that_moved_on(integration, alice, bob):
    record = failed_record(integration)
    change = ledger.sync_record_edit_payload(
        record=record, actor=alice, payload=edited(PAYMENT, PaymentValue="1.00")
    )
    SyncRecord.objects.filter(pk=record.pk).update(payload=edited(PAYMENT, Bank="FNB"))
    with pytest.raises(ApplicationError, match="changed since"):
        ledger.sync_record_payload_change_approve(change=change, actor=bob)


def test_every_erp_entity_protects_its_money_customer_and_reference():
    for (erp, entity), schema in all_schemas().items():
        kinds = {f.protected for f in schema.fields}
        if entity in ("journal", "journal_line", "order_line", "payment_line"):
            continue
        assert "money" in kinds, (erp, entity)
        assert "customer" in kinds, (erp, entity)
        if entity != "customer":
            assert "reference" in kinds, (erp, entity)


# Admin ------------------------------------------------------------------------


def test_admin_edit_then_approval_by_another_reviewer(client, integration, alice, bob):
    record = failed_record(integration)
    edit_url = reverse("admin:integrations_syncrecord_edit_payload", args=[record.pk])
    change_url = reverse("admin:integrations_syncrecord_change", args=[record.pk])
    client.force_login(alice)
    response = client.post(
        edit_url,
        {
            "payload": '{"Customer": "S000999", "PaymentValue": "99999.00", '
            '"Reference": "ch_other", "PaymentDate": "2026-12-01", "Bank": "STRIPE"}',
            "reason": "looks wrong",
        },
        follow=True,
    )
    assert "waits for another person" in response.content.decode()
    record.refresh_from_db()
    assert record.payload == PAYMENT
    change = PayloadChange.objects.get()
    review_url = reverse(
        "admin:integrations_syncrecord_payload_change", args=[record.pk, change.pk]
    )
    assert review_url in client.get(change_url).content.decode()
    # the proposer is refused
    response = client.post(review_url, {"decision": "approve"}, follow=True)
    assert "another person must approve" in response.content.decode()
    change.refresh_from_db()
    assert change.status == PayloadChange.Status.PENDING
    # a second reviewer approves
    client.force_login(bob)
    page = client.get(review_url).content.decode()
    assert 'value="approve"' in page
    response = client.post(review_url, {"decision": "approve", "reason": "ok"})
    assert response.status_code == 302
    record.refresh_from_db()
    assert record.payload["PaymentValue"] == "99999.00"
    assert record.status == Status.PENDING
    assert PayloadChange.objects.get().decided_by == bob


def test_staff_without_the_permission_are_refused_not_served_an_error(
    client, integration, alice
):
    # given a change proposed by a reviewer, and staff outside the role
    record = failed_record(integration)
    change = ledger.sync_record_edit_payload(
        record=record, payload=edited(PAYMENT, PaymentValue="1.00"), actor=alice
    )
    client.force_login(User.objects.create_user("sam", password="x", is_staff=True))

    # when they open the edit and the review pages
    for url in (
        reverse("admin:integrations_syncrecord_edit_payload", args=[record.pk]),
        reverse(
            "admin:integrations_syncrecord_payload_change", args=[record.pk, change.pk]
        ),
    ):
        # then a 403, never a 500
        assert client.get(url).status_code == 403
        assert client.post(url, {"decision": "approve"}).status_code == 403
