"""Ledger, event and payout rows at known times for the dashboard tests."""

import itertools
from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth.models import Group, User
from freezegun import freeze_time

from integrations.models import Integration, SyncAttempt, SyncRecord, WebhookEvent
from integrations.roles import FINANCE_REVIEWERS, INTEGRATION_ADMINS, roles_sync
from reconciliation.models import Payout
from tests.factories import IntegrationFactory

NOW = datetime(2026, 11, 20, 15, 0, tzinfo=UTC)
_serial = itertools.count(1)


@pytest.fixture
def frozen_now():
    with freeze_time(NOW):
        yield NOW


def event_add(
    integration: Integration,
    *,
    received: datetime,
    status: str = WebhookEvent.Status.PROCESSED,
    created: datetime | None = None,
) -> WebhookEvent:
    n = next(_serial)
    event = WebhookEvent.objects.create(
        integration=integration,
        stripe_id=f"evt_{n}",
        type="charge.succeeded",
        stripe_created=created or received,
        body="{}",
        status=status,
    )
    # received_at is auto_now_add: set it after the insert.
    WebhookEvent.objects.filter(pk=event.pk).update(received_at=received)
    event.received_at = received
    return event


def record_add(
    integration: Integration,
    *,
    operation: str = SyncRecord.Operation.POST_PAYMENT,
    status: str = SyncRecord.Status.SUCCEEDED,
    amount: int | None = None,
    currency: str = "usd",
    event: WebhookEvent | None = None,
    succeeded_at: datetime | None = None,
    created: datetime | None = None,
    error_class: str = "",
) -> SyncRecord:
    n = next(_serial)
    record = SyncRecord.objects.create(
        integration=integration,
        event=event,
        operation=operation,
        idempotency_key=f"key-{n}",
        stripe_id=f"ch_{n}",
        status=status,
        amount=amount,
        currency=currency,
        succeeded_at=succeeded_at,
        error_class=error_class,
    )
    if created is not None:
        SyncRecord.objects.filter(pk=record.pk).update(created_at=created)
    return record


def payout_add(
    integration: Integration,
    *,
    amount: int,
    currency: str = "usd",
    created: datetime,
    proof_status: str = Payout.Proof.RECONCILED,
    difference: int = 0,
    unexplained: int = 0,
) -> Payout:
    return Payout.objects.create(
        integration=integration,
        stripe_id=f"po_{next(_serial)}",
        amount=amount,
        currency=currency,
        created=created,
        proof_status=proof_status,
        difference=difference,
        unexplained=unexplained,
    )


def attempt_add(record: SyncRecord, *, started: datetime, succeeded: bool) -> None:
    SyncAttempt.objects.create(
        record=record,
        number=record.attempt_log.count() + 1,
        started_at=started,
        succeeded=succeeded,
    )


def ledger_build(integration: Integration, *, now: datetime = NOW) -> None:
    """A month of one integration's activity with known sums:

    today: 2 events (1 processed, 1 failed), a USD payment of 2,369.92 and a
    JPY payment of 12,000 posted 3 s and 40 s after their events;
    5 days ago: a KWD payment of 1.250 and a USD credit note of 100.00;
    20 days ago: a USD payment of 500.00;
    waiting: 1 retrying, 2 needs attention (validation), 1 held, 1 unknown
    outcome, 1 pending USD payment of 10.00; an event received 2 h ago and
    not processed; payouts: one reconciled (today, 1,000.00 USD), one
    unreconciled off by -0.05 USD (3 days ago), one not proven (25 days ago).
    """
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)
    today_event = event_add(integration, received=now - timedelta(hours=1))
    event_add(
        integration,
        received=now - timedelta(hours=2),
        status=WebhookEvent.Status.FAILED,
    )
    jpy_event = event_add(integration, received=midnight + timedelta(minutes=5))
    record_add(
        integration,
        amount=236992,
        event=today_event,
        succeeded_at=today_event.stripe_created + timedelta(seconds=3),
    )
    record_add(
        integration,
        amount=12000,
        currency="jpy",
        event=jpy_event,
        succeeded_at=jpy_event.stripe_created + timedelta(seconds=40),
    )
    old_event = event_add(integration, received=now - timedelta(days=5))
    record_add(
        integration,
        amount=1250,
        currency="kwd",
        event=old_event,
        succeeded_at=now - timedelta(days=5) + timedelta(minutes=10),
    )
    record_add(
        integration,
        operation=SyncRecord.Operation.POST_CREDIT_NOTE,
        amount=10000,
        succeeded_at=now - timedelta(days=5),
    )
    record_add(integration, amount=50000, succeeded_at=now - timedelta(days=20))
    failing = record_add(
        integration,
        status=SyncRecord.Status.RETRYING,
        operation=SyncRecord.Operation.UPSERT_CUSTOMER,
        created=now - timedelta(hours=3),
    )
    attempt_add(failing, started=now - timedelta(hours=3), succeeded=False)
    for _ in range(2):
        record_add(
            integration,
            status=SyncRecord.Status.NEEDS_ATTENTION,
            operation=SyncRecord.Operation.CREATE_SALES_ORDER,
            error_class="validation",
        )
    record_add(integration, status=SyncRecord.Status.HELD, amount=700)
    record_add(integration, status=SyncRecord.Status.UNKNOWN_OUTCOME)
    record_add(integration, status=SyncRecord.Status.PENDING, amount=1000)
    event_add(
        integration,
        received=now - timedelta(hours=2, minutes=30),
        status=WebhookEvent.Status.RECEIVED,
    )
    payout_add(integration, amount=100000, created=now - timedelta(hours=4))
    payout_add(
        integration,
        amount=40000,
        created=now - timedelta(days=3),
        proof_status=Payout.Proof.UNRECONCILED,
        difference=-5,
    )
    payout_add(
        integration,
        amount=20000,
        created=now - timedelta(days=25),
        proof_status=Payout.Proof.PENDING,
    )


@pytest.fixture
def integration_with_ledger(db, frozen_now):
    integration = IntegrationFactory(name="Acme SYSPRO")
    ledger_build(integration)
    return integration


def staff(username: str, role: str | None) -> User:
    roles_sync()
    user = User.objects.create_user(username, password="pw", is_staff=True)
    if role:
        user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def finance_user(db):
    return staff("fiona", FINANCE_REVIEWERS)


@pytest.fixture
def finance_client(client, finance_user):
    client.force_login(finance_user)
    return client


@pytest.fixture
def admin_role_client(client, db):
    client.force_login(staff("adam", INTEGRATION_ADMINS))
    return client
