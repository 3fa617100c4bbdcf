import pytest
from django.contrib.auth.models import Group, User
from django.utils import timezone
from rest_framework.test import APIClient

from api import services
from integrations.models import Alert, SyncAttempt, SyncRecord, WebhookEvent
from integrations.roles import FINANCE_REVIEWERS, INTEGRATION_ADMINS
from reconciliation.models import Payout, PayoutLine

PAYMENT = {
    "Customer": "S000001",
    "PaymentValue": "10.00",
    "Reference": "ch_3Pay",
    "PaymentDate": "2026-12-01",
    "Bank": "STRIPE",
    "PaymentType": "C",
    "JournalNotation": "Stripe ch_3Pay",
}


def staff(username: str, group: str | None) -> User:
    user = User.objects.create_user(username, password="x", is_staff=True)
    if group:
        user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def finance(db):
    return staff("fiona", FINANCE_REVIEWERS)


@pytest.fixture
def finance_peer(db):
    return staff("frank", FINANCE_REVIEWERS)


@pytest.fixture
def integration_admin(db):
    return staff("ada", INTEGRATION_ADMINS)


def client_for(user: User, scope: str) -> APIClient:
    _, raw = services.api_token_create(user=user, name=f"{scope} token", scope=scope)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return client


@pytest.fixture
def reader(finance):
    return client_for(finance, "read")


@pytest.fixture
def operator(finance):
    return client_for(finance, "operate")


@pytest.fixture
def admin_client(integration_admin):
    return client_for(integration_admin, "admin")


@pytest.fixture
def event(integration):
    return WebhookEvent.objects.create(
        integration=integration,
        stripe_id="evt_1",
        type="charge.succeeded",
        body='{"id": "evt_1", "type": "charge.succeeded"}',
        headers={"Stripe-Signature": "t=1,v1=secret"},
        status=WebhookEvent.Status.FAILED,
        error="boom",
    )


@pytest.fixture
def failed_record(integration, event):
    record = SyncRecord.objects.create(
        integration=integration,
        event=event,
        operation=SyncRecord.Operation.POST_PAYMENT,
        idempotency_key="post_payment:ch_3Pay",
        stripe_id="ch_3Pay",
        payload=dict(PAYMENT),
        status=SyncRecord.Status.NEEDS_ATTENTION,
        attempts=8,
        amount=1000,
        currency="usd",
        error_message="SYSPRO refused the payment",
    )
    SyncAttempt.objects.create(
        record=record,
        number=1,
        started_at=timezone.now(),
        error_class="validation",
        error_message="SYSPRO refused the payment",
    )
    return record


@pytest.fixture
def succeeded_record(integration):
    return SyncRecord.objects.create(
        integration=integration,
        operation=SyncRecord.Operation.UPSERT_CUSTOMER,
        idempotency_key="upsert_customer:cus_1",
        stripe_id="cus_1",
        status=SyncRecord.Status.SUCCEEDED,
        erp_reference="S000001",
    )


@pytest.fixture
def alert(integration):
    return Alert.objects.create(
        integration=integration,
        level=Alert.Level.WARNING,
        code="dead_letter",
        message="A record needs attention",
    )


@pytest.fixture
def payout(integration):
    payout = Payout.objects.create(
        integration=integration,
        stripe_id="po_1",
        amount=1999,
        currency="usd",
        created=timezone.now(),
        arrival_date=timezone.now(),
        lines_fetched_at=timezone.now(),
        line_count=1,
        lines_net=1999,
    )
    PayoutLine.objects.create(
        payout=payout,
        balance_transaction="txn_1",
        type="charge",
        reporting_category="charge",
        source="ch_3Pay",
        amount=2057,
        fee=58,
        net=1999,
        currency="usd",
        created=timezone.now(),
    )
    return payout
