"""backfill: pages history through the workflows, resumes, dry-runs."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from integrations.models import SyncRecord, WebhookEvent
from reconciliation.backfill import events_for
from reconciliation.models import BackfillRun, Payout

from .fakes import bt, payout_obj

pytestmark = pytest.mark.django_db

DAY = 1_767_225_600  # 2026-01-01 00:00 UTC


def _charge(n: int, **extra) -> dict:
    return {
        "id": f"ch_bf{n:03d}",
        "object": "charge",
        "amount": 1000 + n,
        "currency": "usd",
        "status": "succeeded",
        "paid": True,
        "created": DAY + 3600 * n,
        "customer": None,
        "billing_details": {"name": f"Buyer {n}", "email": f"b{n}@example.com"},
        "metadata": {},
        **extra,
    }


@pytest.fixture
def history(stripe_fake):
    stripe_fake.objects["charges"] = [_charge(n) for n in range(1, 8)]
    stripe_fake.objects["charges"].append(_charge(99, created=DAY - 86400 * 40))
    paid = payout_obj(amount=941, created=DAY + 86400, status="paid")
    pending = payout_obj(amount=5, created=DAY + 86400 * 2, status="in_transit")
    stripe_fake.objects["payouts"] = [paid, pending]
    stripe_fake.payout_transactions[paid["id"]] = [bt(amount=1000, fee=59)]
    return stripe_fake


@pytest.fixture
def backfill(django_capture_on_commit_callbacks):
    """Run the command; events it stores are processed as after a real commit."""

    def run(integration, *args):
        out = StringIO()
        with django_capture_on_commit_callbacks(execute=True):
            call_command(
                "backfill",
                "--integration",
                str(integration.pk),
                "--since",
                "2026-01-01",
                "--until",
                "2026-01-31",
                "--no-progress",
                *args,
                stdout=out,
            )
        return out.getvalue()

    return run


def test_backfill_stores_each_object_once_through_the_workflows(
    integration, erp, history, backfill
):
    output = backfill(integration)
    assert "completed" in output
    events = WebhookEvent.objects.filter(source="backfill")
    assert sorted(events.values_list("stripe_id", flat=True)) == sorted(
        [f"backfill:ch_bf{n:03d}:charge.succeeded" for n in range(1, 8)]
        + [f"backfill:{history.objects['payouts'][0]['id']}:payout.paid"]
    )
    assert not events.filter(status=WebhookEvent.Status.RECEIVED).exists()
    journal = SyncRecord.objects.get(operation="post_journal")
    assert journal.status == SyncRecord.Status.SUCCEEDED
    # a second run over the same range is a new run that stores nothing new
    again = backfill(integration)
    assert WebhookEvent.objects.filter(source="backfill").count() == 8
    assert "charges   7        0           7" in again
    assert erp.created("post_journal") == 1


def test_backfill_resumes_after_an_interruption(integration, erp, history, backfill):
    # given the Stripe listing dies after three charges
    history.fail_after = 3
    with pytest.raises(CommandError, match="resume"):
        backfill(integration)
    run = BackfillRun.objects.get()
    assert run.status == BackfillRun.Status.INTERRUPTED
    assert run.cursor["phase"] == "charges"
    assert run.cursor["after"] == "ch_bf005"  # newest first: 7, 6, 5
    assert WebhookEvent.objects.filter(source="backfill").count() == 3
    # when the same command runs again
    output = backfill(integration)
    # then it continues after the cursor and finishes the same run
    assert "resuming" in output
    run.refresh_from_db()
    assert run.status == BackfillRun.Status.COMPLETED
    assert BackfillRun.objects.count() == 1
    charge_calls = [kw for name, kw in history.calls if name == "charges"]
    assert charge_calls[-1]["starting_after"] == "ch_bf005"
    assert WebhookEvent.objects.filter(source="backfill").count() == 8
    assert run.counts["charges.objects"] == 7


def test_dry_run_writes_payloads_and_proofs_and_posts_nothing(
    integration, erp, history, tmp_path, backfill
):
    target = tmp_path / "dry.jsonl"
    output = backfill(integration, "--dry-run", "--output", str(target))
    assert str(target) in output
    assert not WebhookEvent.objects.exists()
    assert not SyncRecord.objects.exists()
    assert not Payout.objects.exists()
    assert erp.calls == []
    entries = [json.loads(line) for line in target.read_text().splitlines()]
    journal = [e for e in entries if e.get("operation") == "post_journal"]
    assert len(journal) == 1
    proofs = [e["proof"] for e in entries if "proof" in e]
    assert proofs and proofs[0]["difference"] == 0
    assert {e["event"] for e in entries if e.get("operation") == "post_payment"} >= {
        "backfill:ch_bf001:charge.succeeded"
    }


def test_bad_arguments_are_clear(integration):
    with pytest.raises(CommandError, match="not a date"):
        call_command("backfill", "--integration", str(integration.pk), "--since", "x")
    with pytest.raises(CommandError, match="No integration"):
        call_command("backfill", "--integration", "nope", "--since", "2026-01-01")
    with pytest.raises(CommandError, match="before"):
        call_command(
            "backfill",
            "--integration",
            str(integration.pk),
            "--since",
            "2026-02-01",
            "--until",
            "2026-01-01",
        )


@pytest.mark.parametrize(
    ("kind", "status", "types"),
    [
        ("charges", "succeeded", ["charge.succeeded"]),
        ("charges", "pending", []),
        ("refunds", "failed", ["refund.created", "refund.failed"]),
        ("disputes", "lost", ["charge.dispute.created", "charge.dispute.closed"]),
        ("payouts", "in_transit", []),
    ],
)
def test_events_synthesized_per_object(kind, status, types):
    assert events_for(kind, {"status": status}) == types
