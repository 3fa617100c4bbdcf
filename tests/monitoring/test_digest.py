"""The daily finance digest: once a day after ALERT_DIGEST_HOUR, to the email
channels that ask for it, amounts in currency units."""

from datetime import UTC, datetime, timedelta

import pytest

from integrations import audit
from integrations.models import SyncRecord
from monitoring.channels import DeliveryFailed
from monitoring.digest import finance_digest_send
from monitoring.models import AlertChannel, DigestRun
from reconciliation.models import Payout
from tests.monitoring.conftest import channel_add

pytestmark = pytest.mark.django_db

MORNING = datetime(2026, 11, 20, 7, 5, tzinfo=UTC)


@pytest.fixture
def finance(smtp_sink, settings):
    settings.TIME_ZONE = "UTC"
    settings.ALERT_DIGEST_HOUR = 7
    return channel_add(
        kind=AlertChannel.Kind.EMAIL,
        recipients="controller@example.com, ap@example.com",
        daily_digest=True,
    )


def _state(integration) -> None:
    audit.alert_raise(
        integration=integration,
        level="critical",
        code="erp_authentication",
        message=f"{integration}: the ERP rejected the login",
        dedupe_key="auth",
    )
    for n, error in enumerate(["validation", "validation", "not_found"]):
        SyncRecord.objects.create(
            integration=integration,
            operation="post_payment",
            idempotency_key=f"k{n}",
            stripe_id=f"ch_{n}",
            status=SyncRecord.Status.NEEDS_ATTENTION,
            error_class=error,
        )
    Payout.objects.create(
        integration=integration,
        stripe_id="po_1",
        amount=236992,
        currency="usd",
        stripe_status="paid",
        arrival_date=MORNING - timedelta(days=4),
        difference=-1250,
    )
    Payout.objects.create(
        integration=integration,
        stripe_id="po_2",
        amount=12000,
        currency="jpy",
        stripe_status="paid",
        arrival_date=MORNING - timedelta(days=1),
        proof_status=Payout.Proof.RECONCILED,
    )


def test_the_digest_goes_out_once_a_day(integration, finance, smtp_sink):
    _state(integration)
    # not before the hour
    assert finance_digest_send(now=MORNING - timedelta(minutes=10)) is None
    # when: the hourly schedule runs after it, three times
    assert finance_digest_send(now=MORNING) is not None
    assert finance_digest_send(now=MORNING + timedelta(hours=1)) is None
    assert finance_digest_send(now=MORNING + timedelta(hours=2)) is None
    # then: one email to both addresses
    (email,) = smtp_sink.messages
    assert email["Subject"] == "LedgerBridge daily digest 2026-11-20"
    assert email["X-Envelope-To"] == "ap@example.com, controller@example.com"
    text = email.get_payload()
    assert "Open alerts: 1" in text
    assert "the ERP rejected the login (not acknowledged)" in text
    assert "needs attention (validation): 2" in text
    assert "needs attention (not_found): 1" in text
    assert "Payouts not yet proven: 1" in text
    assert "po_1 2,369.92 USD" in text
    assert "difference -12.50 USD" in text
    assert "po_2" not in text
    # and the next day, again
    assert finance_digest_send(now=MORNING + timedelta(days=1)) is not None
    assert DigestRun.objects.count() == 2


def test_a_failed_digest_is_tried_again_next_run(
    integration, finance, smtp_sink, settings
):
    finance.recipients = "controller@example.com"
    finance.save()
    port = settings.EMAIL_PORT
    settings.EMAIL_PORT = 9  # nothing listens on the discard port
    with pytest.raises(DeliveryFailed):
        finance_digest_send(now=MORNING)
    assert DigestRun.objects.count() == 0
    settings.EMAIL_PORT = port
    assert finance_digest_send(now=MORNING + timedelta(hours=1)) is not None
    assert len(smtp_sink.messages) == 1


def test_no_digest_without_a_digest_channel(integration, smtp_sink, settings):
    settings.ALERT_DIGEST_HOUR = 0
    channel_add(kind=AlertChannel.Kind.EMAIL, recipients="oncall@example.com")
    assert finance_digest_send(now=MORNING) is None
    assert smtp_sink.messages == []
