"""Alert rules: each threshold raises one alert per integration, deduplicated
while open, and a rule switched off (blank) raises nothing; alerts raised
where the fact is known (API version, failed sweep) reach the same table."""

import json
from datetime import UTC, datetime, timedelta

import pytest

from integrations import audit
from integrations.events import webhook_event_process
from integrations.models import Alert, RejectedDelivery, SyncRecord, WebhookEvent
from monitoring.models import AlertThresholds
from monitoring.rules import LATENCY_MIN_SAMPLES, alert_rules_evaluate
from reconciliation import sweep
from reconciliation.models import Payout

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
Status = SyncRecord.Status


def _record(integration, n: int, status: str, **fields) -> SyncRecord:
    return SyncRecord.objects.create(
        integration=integration,
        operation=SyncRecord.Operation.POST_PAYMENT,
        idempotency_key=f"{integration.pk}:{status}:{n}",
        stripe_id=f"ch_{n}",
        status=status,
        **fields,
    )


def _codes() -> list[str]:
    return sorted(Alert.objects.values_list("code", flat=True))


def test_needs_attention_count_raises_once_while_open(integration, admin_user):
    AlertThresholds.objects.create(
        integration=integration, needs_attention_count=3, needs_attention_minutes=None
    )
    for n in range(2):
        _record(integration, n, Status.NEEDS_ATTENTION)
    alert_rules_evaluate(now=NOW)
    assert _codes() == []
    _record(integration, 2, Status.NEEDS_ATTENTION)
    # when: evaluated twice above the threshold
    alert_rules_evaluate(now=NOW)
    alert_rules_evaluate(now=NOW)
    # then: one alert, saying how many
    alert = Alert.objects.get()
    assert (alert.code, alert.level) == ("needs_attention_count", "warning")
    assert "3 ledger records need attention" in alert.message
    assert alert.dedupe_key == f"rule:needs_attention_count:{integration.pk}"
    # once a person resolved it, a breach still there is raised again
    audit.alert_resolve(alert=alert, actor=admin_user)
    alert_rules_evaluate(now=NOW)
    assert Alert.objects.filter(resolved_at__isnull=True).count() == 1


def test_needs_attention_age(integration):
    AlertThresholds.objects.create(
        integration=integration, needs_attention_count=None, needs_attention_minutes=30
    )
    record = _record(integration, 1, Status.NEEDS_ATTENTION)
    alert_rules_evaluate(now=record.updated_at + timedelta(minutes=29))
    assert _codes() == []
    alert_rules_evaluate(now=record.updated_at + timedelta(minutes=31))
    assert _codes() == ["needs_attention_age"]


def test_retry_backlog_age(integration):
    AlertThresholds.objects.create(integration=integration, retry_backlog_minutes=60)
    record = _record(integration, 1, Status.RETRYING)
    alert_rules_evaluate(now=record.created_at + timedelta(minutes=59))
    assert _codes() == []
    alert_rules_evaluate(now=record.created_at + timedelta(minutes=61))
    alert = Alert.objects.get()
    assert (alert.code, alert.level) == ("retry_backlog_age", "critical")
    assert "retrying for 61 minutes" in alert.message


def test_a_blank_threshold_switches_the_rule_off(integration):
    AlertThresholds.objects.create(
        integration=integration,
        needs_attention_count=None,
        needs_attention_minutes=None,
        retry_backlog_minutes=None,
    )
    for n in range(50):
        _record(integration, n, Status.NEEDS_ATTENTION)
    _record(integration, 99, Status.RETRYING)
    alert_rules_evaluate(now=NOW + timedelta(days=400))
    assert _codes() == []


def test_an_integration_without_thresholds_uses_the_defaults(integration):
    defaults = AlertThresholds()
    for n in range(defaults.needs_attention_count):
        _record(integration, n, Status.NEEDS_ATTENTION)
    alert_rules_evaluate()
    assert _codes() == ["needs_attention_count"]


def _documents(integration, *, fast: int, slow: int, limit: int) -> None:
    now = datetime.now(UTC)
    for n in range(fast + slow):
        event = WebhookEvent.objects.create(
            integration=integration,
            stripe_id=f"evt_{n}",
            type="charge.succeeded",
            body="{}",
            stripe_created=now - timedelta(seconds=limit * 3 if n < slow else 5),
        )
        _record(
            integration,
            n,
            Status.SUCCEEDED,
            event=event,
            succeeded_at=now - timedelta(seconds=1),
        )


def test_latency_p95_at_five_percent_slow_raises_nothing(integration):
    AlertThresholds.objects.create(integration=integration, latency_p95_seconds=60)
    # 1 slow document in 20: the 95th percentile is still within 60 s
    _documents(integration, fast=LATENCY_MIN_SAMPLES - 1, slow=1, limit=60)
    alert_rules_evaluate()
    assert _codes() == []


def test_latency_needs_enough_documents(integration):
    AlertThresholds.objects.create(integration=integration, latency_p95_seconds=60)
    _documents(integration, fast=0, slow=LATENCY_MIN_SAMPLES - 1, limit=60)
    alert_rules_evaluate()
    assert _codes() == []


def test_latency_p95_counts_slow_documents(integration):
    AlertThresholds.objects.create(integration=integration, latency_p95_seconds=60)
    _documents(integration, fast=18, slow=2, limit=60)
    alert_rules_evaluate()
    alert = Alert.objects.get()
    assert alert.code == "latency_p95"
    assert "2 of 20 ERP documents" in alert.message


def _payout(integration, n: int, *, arrived_days_ago: int, proof: str) -> Payout:
    return Payout.objects.create(
        integration=integration,
        stripe_id=f"po_{n}",
        amount=236992,
        currency="usd",
        stripe_status="paid",
        arrival_date=NOW - timedelta(days=arrived_days_ago),
        proof_status=proof,
    )


def test_a_payout_unproven_after_n_days(integration):
    AlertThresholds.objects.create(integration=integration, payout_unproven_days=3)
    _payout(integration, 1, arrived_days_ago=2, proof=Payout.Proof.PENDING)
    _payout(integration, 2, arrived_days_ago=10, proof=Payout.Proof.RECONCILED)
    alert_rules_evaluate(now=NOW)
    assert _codes() == []
    _payout(integration, 3, arrived_days_ago=4, proof=Payout.Proof.UNRECONCILED)
    alert_rules_evaluate(now=NOW)
    alert = Alert.objects.get()
    assert alert.code == "payout_unproven"
    assert "1 payouts that arrived more than 3 days ago" in alert.message


def test_webhook_deliveries_refused_at_intake(integration):
    AlertThresholds.objects.create(
        integration=integration, rejected_deliveries_per_hour=5
    )
    for _ in range(4):
        RejectedDelivery.objects.create(
            integration_uuid=str(integration.uuid), status_code=400, reason="bad sig"
        )
    RejectedDelivery.objects.create(
        integration_uuid="someone-else", status_code=404, reason="unknown"
    )
    alert_rules_evaluate()
    assert _codes() == []
    RejectedDelivery.objects.create(
        integration_uuid=str(integration.uuid), status_code=400, reason="bad sig"
    )
    alert_rules_evaluate()
    alert = Alert.objects.get()
    assert (alert.code, alert.level) == ("webhook_rejected", "critical")
    assert "5 webhook deliveries" in alert.message


def _event(integration, n: int, api_version: str) -> WebhookEvent:
    data = {
        "id": f"evt_v{n}",
        "object": "event",
        "type": "ping.unhandled",
        "api_version": api_version,
        "data": {"object": {"id": "x"}},
    }
    return WebhookEvent.objects.create(
        integration=integration,
        stripe_id=data["id"],
        type=data["type"],
        api_version=api_version,
        body=json.dumps(data),
    )


def test_an_event_in_another_api_version_raises_one_alert(integration):
    integration.stripe_api_version = "2026-10-28.clover"
    integration.save()
    # the pinned version, with or without its name: no alert
    webhook_event_process(event_id=_event(integration, 1, "2026-10-28.clover").pk)
    webhook_event_process(event_id=_event(integration, 2, "2026-10-28").pk)
    assert _codes() == []
    # when: two events in an old version
    webhook_event_process(event_id=_event(integration, 3, "2017-08-15").pk)
    webhook_event_process(event_id=_event(integration, 4, "2017-08-15").pk)
    # then: one alert naming both versions; the events are still processed
    alert = Alert.objects.get()
    assert alert.code == "stripe_api_version"
    assert "2017-08-15" in alert.message and "2026-10-28.clover" in alert.message
    assert WebhookEvent.objects.filter(status=WebhookEvent.Status.RECEIVED).count() == 0


def test_no_version_alert_when_the_endpoint_pins_none(integration):
    integration.stripe_api_version = ""
    integration.save()
    webhook_event_process(event_id=_event(integration, 1, "2017-08-15").pk)
    assert _codes() == []


class _StripeDown:
    def list_events(self, **kwargs):
        raise ConnectionError("api.stripe.com unreachable")


def test_a_failed_missed_event_sweep_raises_one_alert(integration):
    sweep.events_sweep(integration=integration, stripe_api=_StripeDown(), now=NOW)
    sweep.events_sweep(integration=integration, stripe_api=_StripeDown(), now=NOW)
    alert = Alert.objects.get()
    assert alert.code == "event_sweep_failed"
    assert "ConnectionError" in alert.message
    assert alert.dedupe_key == f"event_sweep:{integration.pk}"
