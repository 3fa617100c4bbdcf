"""Recovery sweep: undelivered Stripe events are ingested like webhooks."""

from datetime import UTC, datetime, timedelta

import pytest
from django_q.models import Schedule

from integrations.models import SyncRecord, WebhookEvent
from portal.schedules import schedules, schedules_ensure
from reconciliation import sweep, tasks

from .fakes import bt, event_obj, payout_obj

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


def _at(hours_ago: float) -> int:
    return int((NOW - timedelta(hours=hours_ago)).timestamp())


def test_sweep_ingests_the_event_the_webhook_missed(
    integration, erp, stripe_fake, deliver, django_capture_on_commit_callbacks
):
    # given a payout.paid whose webhook never arrived, and one that did
    missed_payout = payout_obj(amount=941)
    stripe_fake.payout_transactions[missed_payout["id"]] = [bt(amount=1000, fee=59)]
    missed = event_obj("payout.paid", missed_payout, created=_at(2))
    delivered = event_obj("customer.created", {"id": "cus_1"}, created=_at(1))
    deliver(integration, delivered)
    stripe_fake.events = [
        {**missed, "_delivered": False},
        {**delivered, "_delivered": False},  # Stripe saw a timeout; we stored it
        {
            **event_obj("payout.paid", payout_obj(amount=5), created=_at(100)),
            "_delivered": False,
        },  # older than the look-back window
    ]
    # when
    with django_capture_on_commit_callbacks(execute=True):
        run = sweep.events_sweep(
            integration=integration, lookback=timedelta(hours=72), now=NOW
        )
    # then
    assert (run.listed, run.ingested, run.error) == (2, 1, "")
    stored = WebhookEvent.objects.get(stripe_id=missed["id"])
    assert stored.source == "sweep"
    assert stored.status == WebhookEvent.Status.PROCESSED
    journal = SyncRecord.objects.get(operation="post_journal")
    assert journal.stripe_id == missed_payout["id"]
    assert journal.status == SyncRecord.Status.SUCCEEDED
    assert ("events", {"delivery_success": False}) in stripe_fake.calls


def test_sweep_twice_ingests_nothing_new(integration, erp, stripe_fake):
    stripe_fake.events = [
        {
            **event_obj("customer.created", {"id": "cus_9"}, created=_at(1)),
            "_delivered": False,
        }
    ]
    first = sweep.events_sweep(integration=integration, now=NOW)
    second = sweep.events_sweep(integration=integration, now=NOW)
    assert (first.ingested, second.ingested) == (1, 0)
    assert WebhookEvent.objects.count() == 1


def test_sweep_failure_is_recorded_not_raised(integration, stripe_fake):
    stripe_fake.events = [
        {
            **event_obj("customer.created", {"id": f"cus_{n}"}, created=_at(1)),
            "_delivered": False,
        }
        for n in range(3)
    ]
    stripe_fake.fail_after = 2
    run = sweep.events_sweep(integration=integration, now=NOW)
    assert run.ingested == 2
    assert "boom" in run.error


def test_scheduled_task_sweeps_every_active_integration(integration, stripe_fake):
    stripe_fake.events = [
        {**event_obj("customer.created", {"id": "cus_s"}), "_delivered": False}
    ]
    stripe_fake.events[0]["created"] = int(datetime.now(UTC).timestamp())
    assert tasks.sweep_missed_events() == {integration.name: 1}


def test_schedules_exist_once_by_name(db):
    schedules_ensure()
    schedules_ensure()
    for name, task in schedules().items():
        assert Schedule.objects.filter(name=name).count() == 1
        assert Schedule.objects.get(name=name).func == task.func
