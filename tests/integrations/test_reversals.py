"""Reversing a succeeded ledger record: once, linked, audited, never a delete.

Runs against the fake ERP (tests/support/fake_erp.py) with SYSPRO's real
templates; tests/integrations/workflows/test_reversals_e2e.py runs the same
against the SYSPRO sandbox and the Sage Pro agent.
"""

import threading
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection
from django.urls import reverse

from integrations import ledger
from integrations.canonical import Customer, Payment, to_source
from integrations.connectors.errors import ValidationError
from integrations.ledger import queueing
from integrations.models import AuditEntry, SyncRecord
from integrations.roles import FINANCE_REVIEWERS
from integrations.workflows import Plan, PlannedRecord
from integrations.workflows.reversals import ReversalRefused
from portal.exceptions import ApplicationError
from tests.factories import IntegrationFactory

pytestmark = pytest.mark.django_db

Status = SyncRecord.Status


@pytest.fixture
def integration(erp):
    return IntegrationFactory()


@pytest.fixture
def staff():
    return get_user_model().objects.create_user(
        "finance-ben", password="x", is_staff=True
    )


def _plan(integration, capture) -> SyncRecord:
    """A card payment of 19.99 by ERP customer 0000001, posted."""
    payment = Payment(stripe_id="ch_1", currency="USD", amount=1999, created=1)
    plan = Plan(
        records=(
            PlannedRecord(
                key="ch_1:payment",
                operation="post_payment",
                stripe_id="ch_1",
                source=to_source(payment) | {"customer_code": "0000001"},
            ),
        )
    )
    with capture(execute=True):
        (record,) = ledger.sync_records_plan(
            integration=integration, event=None, plan=plan
        )
    record.refresh_from_db()
    assert record.status == Status.SUCCEEDED
    return record


def _reverse(record, staff, capture, reason="charged twice by mistake"):
    with capture(execute=True):
        return ledger.sync_record_reverse(record=record, actor=staff, reason=reason)


def test_a_payment_is_reversed_by_one_adjustment_linked_and_audited(
    erp, integration, staff, django_capture_on_commit_callbacks
):
    # given a posted payment
    payment = _plan(integration, django_capture_on_commit_callbacks)

    # when it is reversed
    reversal, created = _reverse(payment, staff, django_capture_on_commit_callbacks)

    # then one adjustment of -19.99 nets the customer's money to zero
    reversal.refresh_from_db()
    assert created
    assert reversal.status == Status.SUCCEEDED
    assert reversal.operation == "post_adjustment"
    assert reversal.stripe_id == "ch_1:rev"
    assert reversal.idempotency_key == f"{integration.pk}:ch_1:payment:rev"
    assert reversal.amount == -1999
    assert list(reversal.depends_on.all()) == [payment]
    (document,) = erp.docs("post_adjustment")
    assert document.reference == "ch_1:rev"
    assert document.amount == Decimal("-19.99")
    assert erp.totals_by_customer() == {"0000001": Decimal("0.00")}
    # and the original is still there, succeeded, showing who reversed it
    payment.refresh_from_db()
    assert payment.status == Status.SUCCEEDED
    assert payment.reversal == reversal
    assert reversal.requested_by == staff
    assert reversal.requested_by_label == "finance-ben"
    entry = AuditEntry.objects.get(
        action="sync_record.reverse", target_id=str(payment.pk)
    )
    assert entry.actor == staff
    assert entry.reason == "charged twice by mistake"
    assert entry.before["reversal"] is None
    assert entry.after["reversal"] == reversal.pk
    assert entry.after["reversal_reference"] == "ch_1:rev"


def test_asking_twice_makes_one_reversal(
    erp, integration, staff, django_capture_on_commit_callbacks
):
    payment = _plan(integration, django_capture_on_commit_callbacks)
    first, created_first = _reverse(payment, staff, django_capture_on_commit_callbacks)
    # a double click, or a second person a moment later
    second, created_second = _reverse(
        payment, staff, django_capture_on_commit_callbacks
    )
    assert (created_first, created_second) == (True, False)
    assert second.pk == first.pk
    assert SyncRecord.objects.filter(reverses=payment).count() == 1
    assert erp.created("post_adjustment") == 1
    assert AuditEntry.objects.filter(action="sync_record.reverse").count() == 1


def test_a_reversal_whose_reply_was_lost_is_adopted_on_retry_not_posted_again(
    erp, integration, staff, django_capture_on_commit_callbacks
):
    # given the ERP writes the reversing adjustment and the reply is lost
    payment = _plan(integration, django_capture_on_commit_callbacks)
    erp.crash_after_write("post_adjustment")
    reversal, _ = _reverse(payment, staff, django_capture_on_commit_callbacks)
    reversal.refresh_from_db()
    assert reversal.status == Status.RETRYING

    # when the retry comes due and the task runs (twice: a retried task)
    SyncRecord.objects.filter(pk=reversal.pk).update(next_attempt_at=None)
    with django_capture_on_commit_callbacks(execute=True):
        ledger.sync_record_run(record_id=reversal.pk)
        ledger.sync_record_run(record_id=reversal.pk)

    # then the connector's lookup adopted the document: still one in the ERP
    reversal.refresh_from_db()
    assert reversal.status == Status.SUCCEEDED
    assert erp.created("post_adjustment") == 1
    assert ("post_adjustment", "ch_1:rev", True) in erp.calls
    assert erp.totals_by_customer() == {"0000001": Decimal("0.00")}


def test_a_failed_reversal_is_retried_never_replaced_by_a_second(
    erp, integration, staff, django_capture_on_commit_callbacks
):
    payment = _plan(integration, django_capture_on_commit_callbacks)
    erp.fail_next("post_adjustment", ValidationError("bank STRIPE is closed"))
    reversal, _ = _reverse(payment, staff, django_capture_on_commit_callbacks)
    reversal.refresh_from_db()
    assert reversal.status == Status.NEEDS_ATTENTION

    again, created = _reverse(payment, staff, django_capture_on_commit_callbacks)
    assert (again.pk, created) == (reversal.pk, False)
    with django_capture_on_commit_callbacks(execute=True):
        assert ledger.sync_record_retry(record=reversal, actor=staff)
    reversal.refresh_from_db()
    assert reversal.status == Status.SUCCEEDED
    assert erp.created("post_adjustment") == 1


@pytest.mark.parametrize(
    ("status", "says"),
    [
        (Status.PENDING, "not succeeded"),
        (Status.NEEDS_ATTENTION, "not succeeded"),
        (Status.UNKNOWN_OUTCOME, "Settle its unknown outcome first"),
    ],
)
def test_only_a_succeeded_record_is_reversed(
    erp, integration, staff, django_capture_on_commit_callbacks, status, says
):
    payment = _plan(integration, django_capture_on_commit_callbacks)
    SyncRecord.objects.filter(pk=payment.pk).update(status=status)
    payment.refresh_from_db()
    with pytest.raises(ReversalRefused, match=says):
        _reverse(payment, staff, django_capture_on_commit_callbacks)
    assert ledger.sync_record_reversal_refusal(record=payment)
    assert not SyncRecord.objects.filter(reverses=payment).exists()


def test_a_record_whose_payload_was_edited_is_refused_with_the_reason(
    erp, integration, staff, django_capture_on_commit_callbacks
):
    payment = _plan(integration, django_capture_on_commit_callbacks)
    SyncRecord.objects.filter(pk=payment.pk).update(payload_edited=True)
    with pytest.raises(ReversalRefused, match="edited by hand"):
        _reverse(payment, staff, django_capture_on_commit_callbacks)


def test_a_customer_upsert_is_not_a_posting(
    erp, integration, staff, django_capture_on_commit_callbacks
):
    customer = SyncRecord.objects.create(
        integration=integration,
        operation="upsert_customer",
        idempotency_key=f"{integration.pk}:cus_1:customer",
        stripe_id="cus_1",
        source=to_source(Customer(stripe_id="cus_1", name="Bayside Bikes")),
        status=Status.SUCCEEDED,
        erp_reference="0000001",
    )
    assert "not a posting" in ledger.sync_record_reversal_refusal(record=customer)
    with pytest.raises(ReversalRefused, match="not a posting"):
        _reverse(customer, staff, django_capture_on_commit_callbacks)


def test_a_reason_is_required(
    erp, integration, staff, django_capture_on_commit_callbacks
):
    payment = _plan(integration, django_capture_on_commit_callbacks)
    with pytest.raises(ApplicationError, match="Say why"):
        _reverse(payment, staff, django_capture_on_commit_callbacks, reason="  ")


def test_a_reversal_is_not_reversed_again(
    erp, integration, staff, django_capture_on_commit_callbacks
):
    payment = _plan(integration, django_capture_on_commit_callbacks)
    reversal, _ = _reverse(payment, staff, django_capture_on_commit_callbacks)
    reversal.refresh_from_db()
    assert "itself the reversal" in ledger.sync_record_reversal_refusal(record=reversal)
    assert "already reversed" in ledger.sync_record_reversal_refusal(record=payment)


# --- the admin: a button on the record page, a confirmation with a reason ---


@pytest.fixture
def finance_client(client):
    user = get_user_model().objects.create_user(
        "finance-cleo", password="x", is_staff=True
    )
    user.groups.add(Group.objects.get(name=FINANCE_REVIEWERS))
    client.force_login(user)
    return client


def _change_url(record) -> str:
    return reverse("admin:integrations_syncrecord_change", args=[record.pk])


def _reverse_url(record) -> str:
    return reverse("admin:integrations_syncrecord_reverse", args=[record.pk])


def test_the_record_page_reverses_with_a_reason_and_a_confirmation(
    erp, integration, finance_client, django_capture_on_commit_callbacks
):
    payment = _plan(integration, django_capture_on_commit_callbacks)
    page = finance_client.get(_change_url(payment))
    assert _reverse_url(payment) in page.content.decode()

    # without the confirmation nothing is planned
    unconfirmed = finance_client.post(_reverse_url(payment), {"reason": "twice"})
    assert unconfirmed.status_code == 200
    assert unconfirmed.context["form"].errors["confirm"]
    assert not SyncRecord.objects.filter(reverses=payment).exists()

    # confirmed: the reversal is planned, posted, and both pages show the link
    with django_capture_on_commit_callbacks(execute=True):
        done = finance_client.post(
            _reverse_url(payment), {"reason": "twice", "confirm": "on"}
        )
    reversal = SyncRecord.objects.get(reverses=payment)
    assert done.status_code == 302
    assert done.url == _change_url(reversal)
    assert reversal.status == Status.SUCCEEDED
    assert reversal.requested_by_label == "finance-cleo"
    original_page = finance_client.get(_change_url(payment)).content.decode()
    assert f"Reversed by <a href='{_change_url(reversal)}'>#{reversal.pk}</a>" in (
        original_page
    )
    assert "finance-cleo" in original_page
    assert _reverse_url(payment) not in original_page
    assert f"Reverses <a href='{_change_url(payment)}'>" in (
        finance_client.get(_change_url(reversal)).content.decode()
    )

    # a second submit (a double click) plans nothing more
    with django_capture_on_commit_callbacks(execute=True):
        again = finance_client.post(
            _reverse_url(payment), {"reason": "twice", "confirm": "on"}
        )
    assert again.status_code == 200
    assert "already reversed" in again.content.decode()
    assert SyncRecord.objects.filter(reverses=payment).count() == 1
    assert erp.created("post_adjustment") == 1


def test_a_record_that_cannot_be_reversed_says_why_and_has_no_button(
    erp, integration, finance_client, django_capture_on_commit_callbacks
):
    order = SyncRecord.objects.create(
        integration=integration,
        operation="create_sales_order",
        idempotency_key=f"{integration.pk}:ch_9:order",
        stripe_id="ch_9",
        status=Status.SUCCEEDED,
        erp_reference="000123",
    )
    assert _reverse_url(order) not in (
        finance_client.get(_change_url(order)).content.decode()
    )
    page = finance_client.post(_reverse_url(order), {"reason": "x", "confirm": "on"})
    assert page.status_code == 200
    assert "cancel it in the ERP" in page.content.decode()
    assert not SyncRecord.objects.filter(reverses=order).exists()


def test_staff_without_the_permission_cannot_reverse(
    erp, integration, client, django_capture_on_commit_callbacks
):
    payment = _plan(integration, django_capture_on_commit_callbacks)
    viewer = get_user_model().objects.create_superuser("root", password="x")
    viewer.is_superuser = False
    viewer.save()
    client.force_login(viewer)
    response = client.post(_reverse_url(payment), {"reason": "x", "confirm": "on"})
    assert response.status_code == 403
    assert not SyncRecord.objects.filter(reverses=payment).exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_staff_reversing_at_the_same_moment_make_one_reversal(monkeypatch):
    # given a posted payment, and six people pressing Reverse at once
    integration = IntegrationFactory()
    payment = SyncRecord.objects.create(
        integration=integration,
        operation="post_payment",
        idempotency_key=f"{integration.pk}:ch_race:payment",
        stripe_id="ch_race",
        source=to_source(
            Payment(stripe_id="ch_race", currency="USD", amount=700, created=1)
        )
        | {"customer_code": "0000001"},
        status=Status.SUCCEEDED,
        erp_reference="ch_race",
    )
    queued = []
    monkeypatch.setattr(queueing, "enqueue_record_on_commit", queued.append)
    people = [
        get_user_model().objects.create_user(f"finance-{n}", is_staff=True)
        for n in range(6)
    ]
    barrier = threading.Barrier(len(people))
    answers = []

    def press(person):
        barrier.wait()
        try:
            reversal, created = ledger.sync_record_reverse(
                record=payment, actor=person, reason="at once"
            )
            answers.append((reversal.pk, created))
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=press, args=(p,)) for p in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # then one reversal, planned and queued once, audited once
    (reversal,) = SyncRecord.objects.filter(reverses=payment)
    assert sorted(answers, key=lambda a: not a[1]) == [(reversal.pk, True)] + [
        (reversal.pk, False)
    ] * (len(people) - 1)
    assert queued == [reversal.pk]
    assert AuditEntry.objects.filter(action="sync_record.reverse").count() == 1


def test_a_three_decimal_payment_rounded_for_the_erp_is_reversed_to_the_same_cent(
    erp, staff, django_capture_on_commit_callbacks
):
    # given a KWD payment of 1.235 booked into SYSPRO's two-decimal fields,
    # rounded (half away from zero) to 1.24
    integration = IntegrationFactory(options={"currency_precision": "round"})
    plan = Plan(
        records=(
            PlannedRecord(
                key="ch_kwd:payment",
                operation="post_payment",
                stripe_id="ch_kwd",
                source=to_source(
                    Payment(stripe_id="ch_kwd", currency="KWD", amount=1235, created=1)
                )
                | {"customer_code": "0000002"},
            ),
        )
    )
    with django_capture_on_commit_callbacks(execute=True):
        (payment,) = ledger.sync_records_plan(
            integration=integration, event=None, plan=plan
        )
    payment.refresh_from_db()
    assert payment.status == Status.SUCCEEDED, payment.error_message
    assert erp.document("post_payment", "ch_kwd").amount == Decimal("1.24")

    # when it is reversed
    reversal, _ = _reverse(payment, staff, django_capture_on_commit_callbacks)

    # then the reversal rounds the same way: -1.24, and the customer nets zero
    reversal.refresh_from_db()
    assert reversal.status == Status.SUCCEEDED, reversal.error_message
    assert erp.document("post_adjustment", "ch_kwd:rev").amount == Decimal("-1.24")
    assert erp.totals_by_customer() == {"0000002": Decimal("0.00")}


def test_the_ledger_action_reverses_what_it_can_and_says_why_not_the_rest(
    erp, integration, finance_client, django_capture_on_commit_callbacks
):
    payment = _plan(integration, django_capture_on_commit_callbacks)
    order = SyncRecord.objects.create(
        integration=integration,
        operation="create_sales_order",
        idempotency_key=f"{integration.pk}:ch_8:order",
        stripe_id="ch_8",
        status=Status.SUCCEEDED,
        erp_reference="000124",
    )
    changelist = reverse("admin:integrations_syncrecord_changelist")
    selected = {
        "action": "reverse_selected",
        "_selected_action": [payment.pk, order.pk],
    }

    # the action first shows each record, the refused one with its reason
    page = finance_client.post(changelist, selected)
    assert page.status_code == 200
    assert "cancel it in the ERP" in page.content.decode()

    # applied with a reason and the confirmation: one reversal, the order untouched
    with django_capture_on_commit_callbacks(execute=True):
        done = finance_client.post(
            changelist,
            {**selected, "apply": "1", "reason": "month-end fix", "confirm": "on"},
            follow=True,
        )
    assert "1 reversal(s) planned; 1 record(s) not reversible." in (
        done.content.decode()
    )
    assert SyncRecord.objects.get(reverses=payment).status == Status.SUCCEEDED
    assert not SyncRecord.objects.filter(reverses=order).exists()


def test_the_ledger_filters_reversed_records_and_reversals(
    erp, integration, staff, finance_client, django_capture_on_commit_callbacks
):
    payment = _plan(integration, django_capture_on_commit_callbacks)
    reversal, _ = _reverse(payment, staff, django_capture_on_commit_callbacks)
    changelist = reverse("admin:integrations_syncrecord_changelist")

    def listed(value: str) -> list[int]:
        page = finance_client.get(changelist, {"reversal": value})
        assert page.status_code == 200
        return [r.pk for r in page.context["cl"].result_list]

    assert listed("reversed") == [payment.pk]
    assert listed("reversal") == [reversal.pk]
    assert listed("neither") == []
