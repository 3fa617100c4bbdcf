"""A write whose reply was lost: retried where the ERP can be asked for it,
otherwise held in unknown_outcome until a person settles it."""

from dataclasses import dataclass, replace
from decimal import Decimal

import pytest
from django.contrib.auth.models import Group, User
from django.urls import reverse

from integrations import ledger
from integrations.connectors.errors import TransientError, UnknownOutcomeError
from integrations.connectors.records import ErpDocument
from integrations.erps.package import ErpPackage
from integrations.models import Alert, AuditEntry, SyncAttempt, SyncRecord
from integrations.roles import FINANCE_REVIEWERS
from integrations.workflows import EXECUTORS, Plan, PlannedRecord
from portal.exceptions import ApplicationError
from tests.support.fake_erp import SEED_CUSTOMERS, FakeDocument, FakeErp

pytestmark = pytest.mark.django_db

Status = SyncRecord.Status
Operation = SyncRecord.Operation

# A payload per write operation in the fake's SYSPRO dialect.
PAYLOADS = {
    Operation.UPSERT_CUSTOMER: {"Customer": "0000009", "Name": "Lost Reply Ltd"},
    Operation.CREATE_SALES_ORDER: {
        "Customer": "0000001",
        "lines": [{"LineType": "misc", "MiscChargeValue": "19.99"}],
    },
    Operation.POST_PAYMENT: {"Customer": "0000001", "PaymentValue": "19.99"},
    Operation.POST_CREDIT_NOTE: {"Customer": "0000001", "InvoiceValue": "5.00"},
    Operation.POST_ADJUSTMENT: {"Customer": "0000001", "AdjustmentValue": "-15.00"},
    Operation.CREATE_INVOICE: {"Customer": "0000001", "InvoiceValue": "120.00"},
    Operation.POST_JOURNAL: {"JournalReference": "po_1", "lines": []},
}
WRITES = list(PAYLOADS)


@dataclass
class ErpWithoutLookups(FakeErp):
    """A fake ERP that cannot find a document by our reference, except for
    the `askable` operations: posting twice makes two documents."""

    askable: frozenset[str] = frozenset()

    @property
    def package(self) -> ErpPackage:
        return replace(super().package, lookup_operations=self.askable)

    def upsert_customer(
        self,
        payload: dict,
        *,
        reference: str,
        looked_up: bool = False,
        create_only: bool = False,
    ) -> ErpDocument:
        if "upsert_customer" in self.askable:
            return super().upsert_customer(
                payload, reference=reference, create_only=create_only
            )
        self._before("upsert_customer")
        self._counter += 1
        code = f"{payload['Customer']}-{self._counter}"
        self.customers[code] = dict(payload)
        self.calls.append(("upsert_customer", reference, False))
        self._after("upsert_customer")
        return ErpDocument(number=code, raw=dict(payload))

    def _write(
        self,
        operation: str,
        payload: dict,
        reference: str,
        amount: Decimal,
        never_sent: bool = False,
    ) -> ErpDocument:
        if operation in self.askable:
            return super()._write(operation, payload, reference, amount, never_sent)
        self._before(operation)
        self._counter += 1
        number = f"D{self._counter:06d}"
        self.documents[operation][f"{reference}#{number}"] = FakeDocument(
            operation=operation, number=number, reference=reference, payload=payload
        )
        self.calls.append((operation, reference, False))
        self._after(operation)
        return ErpDocument(number=number, raw=dict(payload))


def lost_reply() -> UnknownOutcomeError:
    return UnknownOutcomeError(
        "ERP did not answer POST within 30s: POST was sent and its reply lost",
        {"reply_lost": True},
    )


@pytest.fixture
def blind_erp():
    fake = ErpWithoutLookups(kind="syspro")
    with fake.installed():
        yield fake


@pytest.fixture
def askable_erp():
    fake = ErpWithoutLookups(kind="syspro", askable=frozenset(WRITES))
    with fake.installed():
        yield fake


@pytest.fixture
def direct_executors(monkeypatch):
    """Each write calls the connector with its payload, without mapping, and
    says what the ledger says: whether the record was ever sent."""

    def execute(ctx):
        operation = ctx.record.operation
        ctx.built_payload = ctx.record.payload = PAYLOADS[operation]
        if operation == Operation.UPSERT_CUSTOMER:
            return ctx.connector.upsert_customer(
                PAYLOADS[operation], reference=ctx.record.stripe_id
            )
        return getattr(ctx.connector, operation)(
            PAYLOADS[operation],
            reference=ctx.record.stripe_id,
            never_sent=ctx.never_sent,
        )

    for operation in WRITES:
        monkeypatch.setitem(EXECUTORS, operation, execute)


def plan(integration, operation, key="ch_1", depends_on=()):
    records = ledger.sync_records_plan(
        integration=integration,
        event=None,
        plan=Plan(
            records=(
                PlannedRecord(
                    key=f"{key}:{operation}",
                    operation=operation,
                    stripe_id=key,
                    source={"stripe_id": key},
                    depends_on=depends_on,
                ),
            )
        ),
    )
    return records[0]


def run(record):
    return ledger.sync_record_run(record_id=record.pk, worker="w1")


def committed_number(erp: FakeErp, operation: str) -> str:
    """The number of the one document (or customer) the ERP committed."""
    if operation == "upsert_customer":
        (code,) = (c for c in erp.customers if c not in SEED_CUSTOMERS)
        return code
    (document,) = erp.docs(operation)
    return document.number


def settler(username="settler", *, group=FINANCE_REVIEWERS) -> User:
    user = User.objects.create_user(username, password="x", is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user


# --- the ledger's transitions ------------------------------------------------


@pytest.mark.parametrize("operation", WRITES)
def test_a_lost_reply_the_erp_can_be_asked_about_is_retried_into_one_document(
    integration, askable_erp, direct_executors, operation
):
    # given: the ERP commits the document and the reply is lost
    askable_erp.crash_after_write(operation, lost_reply())
    # when
    record = run(plan(integration, operation))
    # then: retried, and the retry's lookup adopts the committed document
    assert record.status == Status.RETRYING
    assert record.error_class == "transient"
    assert "asked for the document" in record.error_message
    SyncRecord.objects.filter(pk=record.pk).update(next_attempt_at=None)
    record = run(record)
    assert record.status == Status.SUCCEEDED
    assert askable_erp.created(operation) == 1
    assert len(askable_erp.calls) == 2 and askable_erp.calls[-1][2]  # adopted


@pytest.mark.parametrize("operation", WRITES)
def test_a_lost_reply_the_erp_cannot_be_asked_about_waits_for_a_person(
    integration, blind_erp, direct_executors, operation
):
    # given
    blind_erp.crash_after_write(operation, lost_reply())
    # when
    record = run(plan(integration, operation))
    # then: nothing retries it; what was sent is kept
    assert record.status == Status.UNKNOWN_OUTCOME
    assert record.error_class == "unknown_outcome"
    assert "confirm it posted" in record.error_message
    assert record.next_attempt_at is None and record.lease_owner == ""
    assert record.payload == PAYLOADS[operation]
    attempt = SyncAttempt.objects.get(record=record)
    assert attempt.request == PAYLOADS[operation]
    assert attempt.error_class == "unknown_outcome" and not attempt.succeeded
    alert = Alert.objects.get(dedupe_key=f"record:{record.pk}")
    assert alert.code == "unknown_outcome" and alert.level == "critical"
    assert ledger.sync_records_sweep()["enqueued"] == 0
    assert run(record).status == Status.UNKNOWN_OUTCOME
    assert not ledger.sync_record_retry(record=record, actor=None)
    assert blind_erp.created(operation) == 1


def test_a_plain_transient_error_of_a_blind_operation_is_still_retried(
    integration, blind_erp, direct_executors
):
    # Nothing left for the ERP: sending it again is safe.
    blind_erp.fail_next("post_journal", TransientError("connection refused"))
    record = run(plan(integration, "post_journal"))
    assert record.status == Status.RETRYING


def test_dependents_wait_for_an_unknown_outcome(
    integration, blind_erp, direct_executors
):
    blind_erp.crash_after_write("create_sales_order", lost_reply())
    order = plan(integration, "create_sales_order")
    payment = plan(integration, "post_payment", depends_on=("ch_1:create_sales_order",))
    run(order)
    assert run(payment).status == Status.PENDING
    assert ledger.sync_records_sweep()["enqueued"] == 0
    payment.refresh_from_db()
    assert payment.status == Status.PENDING
    assert blind_erp.created("post_payment") == 0


# --- settling: confirm posted ----------------------------------------------


@pytest.mark.parametrize("operation", WRITES)
def test_confirm_posted_adopts_the_reference_a_person_read(
    integration,
    blind_erp,
    direct_executors,
    operation,
    django_capture_on_commit_callbacks,
):
    blind_erp.crash_after_write(operation, lost_reply())
    record = run(plan(integration, operation))
    person = settler()
    number = committed_number(blind_erp, operation)
    # when
    with django_capture_on_commit_callbacks(execute=True):
        assert ledger.sync_record_confirm_posted(
            record=record, actor=person, erp_reference=f"  {number} ", reason="seen"
        )
    # then
    record.refresh_from_db()
    assert record.status == Status.SUCCEEDED
    assert record.erp_reference == number and record.succeeded_at
    assert blind_erp.created(operation) == 1
    entry = AuditEntry.objects.get(action="sync_record.confirm_posted")
    assert entry.actor == person and entry.reason == "seen"
    assert entry.before["status"] == "unknown_outcome"
    assert entry.after["erp_reference"] == number
    assert Alert.objects.get(dedupe_key=f"record:{record.pk}").resolved_at
    # repeat-safe: nothing changes, no second audit row
    assert not ledger.sync_record_confirm_posted(
        record=record, actor=person, erp_reference="OTHER"
    )
    record.refresh_from_db()
    assert record.erp_reference == number
    assert AuditEntry.objects.filter(action="sync_record.confirm_posted").count() == 1


def test_confirm_posted_releases_the_dependents(
    integration, blind_erp, direct_executors, django_capture_on_commit_callbacks
):
    blind_erp.crash_after_write("create_sales_order", lost_reply())
    order = plan(integration, "create_sales_order")
    payment = plan(integration, "post_payment", depends_on=("ch_1:create_sales_order",))
    run(order)
    run(payment)
    with django_capture_on_commit_callbacks(execute=True):
        ledger.sync_record_confirm_posted(
            record=order, actor=settler(), erp_reference="D000001"
        )
    payment.refresh_from_db()
    assert payment.status == Status.SUCCEEDED
    assert blind_erp.created("post_payment") == 1


@pytest.mark.parametrize(
    ("typed", "says"),
    [
        ("", "Enter the document"),
        ("   ", "Enter"),
        ("A" * 256, "at most 255"),
        ("SO1\nSO2", "line break"),
    ],
)
def test_confirm_posted_refuses_what_cannot_be_a_reference(
    integration, blind_erp, direct_executors, typed, says
):
    blind_erp.crash_after_write("post_journal", lost_reply())
    record = run(plan(integration, "post_journal"))
    with pytest.raises(ApplicationError, match=says):
        ledger.sync_record_confirm_posted(
            record=record, actor=settler(), erp_reference=typed
        )
    record.refresh_from_db()
    assert record.status == Status.UNKNOWN_OUTCOME


def test_confirm_posted_refuses_a_reference_another_record_holds(
    integration, blind_erp, direct_executors
):
    first = run(plan(integration, "post_journal", key="po_1"))
    blind_erp.crash_after_write("post_journal", lost_reply())
    second = run(plan(integration, "post_journal", key="po_2"))
    with pytest.raises(ApplicationError, match=f"record #{first.pk}"):
        ledger.sync_record_confirm_posted(
            record=second, actor=settler(), erp_reference=first.erp_reference
        )


def test_only_an_unknown_outcome_can_be_settled(
    integration, blind_erp, direct_executors
):
    record = plan(integration, "post_journal")
    person = settler()
    assert not ledger.sync_record_confirm_posted(
        record=record, actor=person, erp_reference="GJ1"
    )
    assert not ledger.sync_record_post_again(record=record, actor=person)
    record.refresh_from_db()
    assert record.status == Status.PENDING
    assert not AuditEntry.objects.filter(action__startswith="sync_record.").exists()


# --- settling: post again --------------------------------------------------


@pytest.mark.parametrize("operation", WRITES)
def test_post_again_posts_once_more_and_says_who_decided(
    integration,
    blind_erp,
    direct_executors,
    operation,
    django_capture_on_commit_callbacks,
):
    blind_erp.crash_after_write(operation, lost_reply())
    record = run(plan(integration, operation))
    # The person found nothing in the ERP (here: the fake lost it too).
    blind_erp.documents[operation].clear()
    blind_erp.customers.pop("0000009-1", None)
    person = settler()
    # when
    with django_capture_on_commit_callbacks(execute=True):
        assert ledger.sync_record_post_again(
            record=record, actor=person, reason="not in the ERP"
        )
    # then: queued and run inline on commit
    record.refresh_from_db()
    assert record.status == Status.SUCCEEDED
    assert record.attempts == 1  # a fresh attempt budget
    assert blind_erp.created(operation) == 2
    entry = AuditEntry.objects.get(action="sync_record.post_again")
    assert entry.actor == person and entry.reason == "not in the ERP"
    assert (entry.before["status"], entry.after["status"]) == (
        "unknown_outcome",
        "pending",
    )
    assert Alert.objects.get(dedupe_key=f"record:{record.pk}").resolved_at
    # repeat-safe
    assert not ledger.sync_record_post_again(record=record, actor=person)
    assert AuditEntry.objects.filter(action="sync_record.post_again").count() == 1


def test_a_reply_lost_again_after_post_again_is_an_unknown_outcome_again(
    integration, blind_erp, direct_executors, django_capture_on_commit_callbacks
):
    blind_erp.crash_after_write("post_journal", lost_reply())
    blind_erp.crash_after_write("post_journal", lost_reply())
    record = run(plan(integration, "post_journal"))
    with django_capture_on_commit_callbacks(execute=True):
        ledger.sync_record_post_again(record=record, actor=settler())
    record.refresh_from_db()
    assert record.status == Status.UNKNOWN_OUTCOME
    assert Alert.objects.filter(
        dedupe_key=f"record:{record.pk}", resolved_at__isnull=True
    ).exists()


# --- the admin --------------------------------------------------------------


@pytest.fixture
def unknown(integration, blind_erp, direct_executors):
    blind_erp.crash_after_write("post_journal", lost_reply())
    return run(plan(integration, "post_journal"))


def changelist():
    return reverse("admin:integrations_syncrecord_changelist")


def test_the_ledger_filters_by_unknown_outcome_and_shows_what_was_sent(client, unknown):
    client.force_login(settler())
    listed = client.get(changelist(), {"status__exact": "unknown_outcome"})
    assert listed.status_code == 200
    assert f"/{unknown.pk}/change/" in listed.content.decode()
    page = client.get(
        reverse("admin:integrations_syncrecord_change", args=[unknown.pk])
    ).content.decode()
    assert "Unknown outcome" in page
    assert "Last request sent" in page and "JournalReference" in page


def test_admin_confirm_posted_asks_for_the_reference_and_validates_it(
    client, unknown, django_capture_on_commit_callbacks
):
    client.force_login(settler())
    selected = {"action": "confirm_posted", "_selected_action": [unknown.pk]}
    form = client.post(changelist(), selected)
    assert form.status_code == 200
    html = form.content.decode()
    assert f"erp_reference_{unknown.pk}" in html and "JournalReference" in html
    # A blank reference is refused with a reason, nothing changes.
    refused = client.post(
        changelist(), {**selected, "apply": "1", f"erp_reference_{unknown.pk}": " "}
    )
    assert refused.status_code == 200
    assert "This field is required" in refused.content.decode()
    unknown.refresh_from_db()
    assert unknown.status == Status.UNKNOWN_OUTCOME
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(
            changelist(),
            {**selected, "apply": "1", f"erp_reference_{unknown.pk}": "GJ000042"},
        )
    assert done.status_code == 302
    unknown.refresh_from_db()
    assert (unknown.status, unknown.erp_reference) == (Status.SUCCEEDED, "GJ000042")


def test_admin_post_again_asks_why(client, unknown, django_capture_on_commit_callbacks):
    client.force_login(settler())
    selected = {"action": "post_again", "_selected_action": [unknown.pk]}
    assert client.post(changelist(), selected).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(
            changelist(), {**selected, "apply": "1", "reason": "not in GL"}
        )
    assert done.status_code == 302
    unknown.refresh_from_db()
    assert unknown.status == Status.SUCCEEDED
    assert AuditEntry.objects.get(action="sync_record.post_again").reason == "not in GL"


def test_only_people_who_may_settle_see_the_actions(client, unknown):
    viewer = User.objects.create_user("viewer", password="x", is_staff=True)
    viewer.user_permissions.add(
        *Group.objects.get(name=FINANCE_REVIEWERS).permissions.filter(
            codename="view_syncrecord"
        )
    )
    client.force_login(viewer)
    page = client.get(changelist()).content.decode()
    assert "confirm_posted" not in page and "post_again" not in page
    refused = client.post(
        changelist(),
        {
            "action": "confirm_posted",
            "_selected_action": [unknown.pk],
            "apply": "1",
            f"erp_reference_{unknown.pk}": "GJ1",
        },
    )
    unknown.refresh_from_db()
    assert unknown.status == Status.UNKNOWN_OUTCOME
    assert refused.status_code in (200, 302, 403)
    assert settler("operator").has_perm(ledger.SETTLE_PERMISSION)
