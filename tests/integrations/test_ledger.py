"""The sync ledger: claims, leases, backoff, retries, holds and staff actions."""

import random
import threading
from dataclasses import replace
from datetime import timedelta

import pytest
from django.utils import timezone
from freezegun import freeze_time

from integrations import ledger
from integrations.connectors.errors import (
    AuthenticationError,
    RateLimitedError,
    TransientError,
    ValidationError,
)
from integrations.erps import registry
from integrations.ledger import queueing, running
from integrations.models import Alert, AuditEntry, SyncAttempt, SyncRecord
from integrations.workflows import EXECUTORS, Plan, PlannedRecord

pytestmark = pytest.mark.django_db

Status = SyncRecord.Status


@pytest.fixture
def journal_executor(monkeypatch, erp):
    """Post journals straight from the canonical source, without mapping,
    saying what the ledger says (a first attempt skips the lookup)."""

    def execute(ctx):
        return ctx.connector.post_journal(
            {"JournalReference": ctx.record.stripe_id, "lines": []},
            reference=ctx.record.stripe_id,
            never_sent=ctx.never_sent,
        )

    monkeypatch.setitem(EXECUTORS, "post_journal", execute)
    return execute


def plan_journal(integration, key="po_1", depends_on=()):
    plan = Plan(
        records=(
            PlannedRecord(
                key=f"{key}:journal",
                operation="post_journal",
                stripe_id=key,
                source={"stripe_id": key},
                depends_on=depends_on,
            ),
        )
    )
    return ledger.sync_records_plan(integration=integration, event=None, plan=plan)[0]


def test_planning_twice_creates_one_record(
    integration, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        first = plan_journal(integration)
        second = plan_journal(integration)
    assert first.pk == second.pk
    assert SyncRecord.objects.count() == 1
    assert len(callbacks) == 1


def test_a_record_runs_once_and_stores_the_erp_reference(
    integration, erp, journal_executor
):
    record = plan_journal(integration)
    record = ledger.sync_record_run(record_id=record.pk, worker="w1")
    assert record.status == Status.SUCCEEDED
    assert record.erp_reference
    assert record.attempts == 1
    attempt = SyncAttempt.objects.get(record=record)
    assert attempt.succeeded and attempt.worker == "w1"
    # Running it again does nothing.
    ledger.sync_record_run(record_id=record.pk, worker="w2")
    assert erp.created("post_journal") == 1
    assert SyncAttempt.objects.count() == 1


def test_only_one_of_two_claimers_wins(integration):
    record = plan_journal(integration)
    results = [
        ledger.sync_record_claim(record_id=record.pk, worker="a"),
        ledger.sync_record_claim(record_id=record.pk, worker="b"),
    ]
    assert results == [True, False]
    record.refresh_from_db()
    assert record.status == Status.RUNNING and record.lease_owner == "a"
    assert record.lease_expires_at > timezone.now()


def test_claim_respects_next_attempt_time(integration):
    record = plan_journal(integration)
    SyncRecord.objects.filter(pk=record.pk).update(
        status=Status.RETRYING, next_attempt_at=timezone.now() + timedelta(minutes=5)
    )
    assert not ledger.sync_record_claim(record_id=record.pk, worker="a")


def test_backoff_grows_exponentially_with_jitter_and_a_ceiling(settings):
    settings.SYNC_BACKOFF_BASE_SECONDS = 10
    settings.SYNC_BACKOFF_MAX_SECONDS = 300
    rng = random.Random(7)
    for attempt, full in [
        (1, 10),
        (2, 20),
        (3, 40),
        (4, 80),
        (5, 160),
        (6, 300),
        (9, 300),
    ]:
        delays = [ledger.backoff_seconds(attempt, rng=rng) for _ in range(50)]
        assert all(full / 2 <= d <= full for d in delays), attempt
        assert len(set(delays)) > 1


def test_transient_error_schedules_a_retry(integration, erp, journal_executor):
    erp.fail_next("post_journal", TransientError("ERP timed out"))
    record = ledger.sync_record_run(record_id=plan_journal(integration).pk)
    assert record.status == Status.RETRYING
    assert record.error_class == "transient"
    assert record.next_attempt_at > timezone.now()
    # Due again: the retry succeeds.
    SyncRecord.objects.filter(pk=record.pk).update(next_attempt_at=timezone.now())
    record = ledger.sync_record_run(record_id=record.pk)
    assert record.status == Status.SUCCEEDED and record.attempts == 2


def test_rate_limit_honours_retry_after(integration, erp, journal_executor):
    erp.fail_next("post_journal", RateLimitedError("slow down", retry_after=900))
    record = ledger.sync_record_run(record_id=plan_journal(integration).pk)
    assert record.status == Status.RETRYING
    assert record.next_attempt_at >= timezone.now() + timedelta(seconds=890)


def test_a_short_backoff_is_offered_again_when_it_ends(
    integration,
    erp,
    journal_executor,
    settings,
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    settings.SYNC_RETRY_TIMER_MAX_SECONDS = 5
    settings.SYNC_BACKOFF_BASE_SECONDS = 0.4
    timers = []

    class TimerFiredAtOnce(threading.Timer):
        """Goes off without waiting: the test drives the clock instead."""

        def start(self):
            timers.append((self, self.interval))
            self.interval = 0
            super().start()

    monkeypatch.setattr(queueing, "Timer", TimerFiredAtOnce)
    queued = []
    monkeypatch.setattr(queueing, "enqueue_record", queued.append)
    record = plan_journal(integration)
    erp.fail_next("post_journal", TransientError("ERP timed out"))

    # when the try fails
    with django_capture_on_commit_callbacks(execute=True):
        record = ledger.sync_record_run(record_id=record.pk)

    # then a timer is set for when the backoff ends, not before
    assert record.status == Status.RETRYING
    ((timer, interval),) = timers
    backoff = record.next_attempt_at - record.updated_at
    assert interval >= backoff.total_seconds()
    # and when it goes off, the record is offered again, and runs once due
    timer.join()
    assert queued == [record.pk]
    with freeze_time(record.next_attempt_at):
        assert ledger.sync_record_run(record_id=record.pk).status == Status.SUCCEEDED


def test_a_long_backoff_waits_for_the_sweep(
    integration, erp, journal_executor, settings, django_capture_on_commit_callbacks
):
    settings.SYNC_RETRY_TIMER_MAX_SECONDS = 5
    assert ledger.enqueue_record_after(1, 6) is None
    erp.fail_next("post_journal", RateLimitedError("slow down", retry_after=900))
    record = plan_journal(integration)
    with django_capture_on_commit_callbacks(execute=True):
        record = ledger.sync_record_run(record_id=record.pk)
    assert record.status == Status.RETRYING
    assert not [t for t in threading.enumerate() if isinstance(t, threading.Timer)]


def test_authentication_errors_set_no_timer(
    integration, erp, journal_executor, settings, django_capture_on_commit_callbacks
):
    settings.SYNC_RETRY_TIMER_MAX_SECONDS = 5
    erp.fail_next("post_journal", AuthenticationError("bad password"))
    record = plan_journal(integration)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        ledger.sync_record_run(record_id=record.pk)
    assert callbacks == []


def test_transient_errors_give_up_after_the_limit(
    integration, erp, journal_executor, settings
):
    settings.SYNC_MAX_ATTEMPTS = 2
    record = plan_journal(integration)
    for _ in range(2):
        erp.fail_next("post_journal", TransientError("ERP timed out"))
        SyncRecord.objects.filter(pk=record.pk).update(next_attempt_at=None)
        record = ledger.sync_record_run(record_id=record.pk)
    assert record.status == Status.NEEDS_ATTENTION
    assert "Gave up after 2 attempts" in record.error_message
    assert Alert.objects.filter(code="needs_attention").exists()


def test_validation_error_goes_straight_to_needs_attention(
    integration, erp, journal_executor
):
    erp.fail_next(
        "post_journal",
        ValidationError("Ledger code not on file", field="LedgerCode", value="9999"),
    )
    record = ledger.sync_record_run(record_id=plan_journal(integration).pk)
    assert record.status == Status.NEEDS_ATTENTION
    assert record.error_message == (
        "Ledger code not on file — field LedgerCode — value '9999'"
    )


def test_unexpected_exception_is_needs_attention_not_a_crash(
    integration, monkeypatch, erp
):
    def broken(ctx):
        raise KeyError("lines")

    monkeypatch.setitem(EXECUTORS, "post_journal", broken)
    record = ledger.sync_record_run(record_id=plan_journal(integration).pk)
    assert record.status == Status.NEEDS_ATTENTION
    assert "KeyError" in record.error_message


def test_an_unexpected_error_is_stored_with_its_secrets_masked(
    integration, monkeypatch, erp
):
    def broken(ctx):
        raise RuntimeError("logon failed: password=Summer2024!x key sk_live_abcdef123")

    monkeypatch.setitem(EXECUTORS, "post_journal", broken)
    record = ledger.sync_record_run(record_id=plan_journal(integration).pk)
    assert "RuntimeError" in record.error_message
    assert "Summer" not in record.error_message
    assert "abcdef123" not in record.error_message


def test_authentication_error_pauses_the_integration_and_alerts(
    integration, erp, journal_executor
):
    erp.fail_next("post_journal", AuthenticationError("Invalid operator password"))
    first = ledger.sync_record_run(record_id=plan_journal(integration, "po_1").pk)
    integration.refresh_from_db()
    assert "Invalid operator password" in integration.queue_paused_reason
    assert first.status == Status.RETRYING
    assert Alert.objects.get(code="erp_authentication").level == "critical"
    # Nothing runs while paused, not even a new record.
    second = ledger.sync_record_run(record_id=plan_journal(integration, "po_2").pk)
    assert second.status == Status.PENDING
    assert erp.created("post_journal") == 0
    # Credentials fixed: resume clears the alert and drains everything.
    queued = ledger.integration_resume(integration=integration, actor=None)
    assert queued == 2
    for record in (first, second):
        ledger.sync_record_run(record_id=record.pk)
    assert erp.created("post_journal") == 2
    assert Alert.objects.get(code="erp_authentication").resolved_at is not None


def test_dependent_waits_for_its_dependency(integration, erp, journal_executor):
    parent = plan_journal(integration, "po_parent")
    child = plan_journal(integration, "po_child", depends_on=("po_parent:journal",))
    assert list(child.depends_on.all()) == [parent]
    assert ledger.sync_record_run(record_id=child.pk).status == Status.PENDING
    ledger.sync_record_run(record_id=parent.pk)
    assert ledger.sync_record_run(record_id=child.pk).status == Status.SUCCEEDED


def test_dependency_success_runs_dependents_in_the_same_worker(
    integration, erp, journal_executor, monkeypatch
):
    parent = plan_journal(integration, "po_parent")
    child = plan_journal(integration, "po_child", depends_on=("po_parent:journal",))
    queued = []
    monkeypatch.setattr(queueing, "enqueue_record", queued.append)

    parent = ledger.sync_record_run(record_id=parent.pk, worker="w1")

    assert parent.status == Status.SUCCEEDED
    child.refresh_from_db()
    assert child.status == Status.SUCCEEDED
    assert SyncAttempt.objects.get(record=child).worker == "w1"
    assert queued == []


def test_planning_runs_the_plan_once_committed(
    integration, erp, journal_executor, monkeypatch, django_capture_on_commit_callbacks
):
    queued = []
    monkeypatch.setattr(queueing, "enqueue_record", queued.append)
    plan = Plan(
        records=(
            PlannedRecord(
                key="a:journal",
                operation="post_journal",
                stripe_id="a",
                source={"stripe_id": "a"},
            ),
            PlannedRecord(
                key="b:journal",
                operation="post_journal",
                stripe_id="b",
                source={"stripe_id": "b"},
                depends_on=("a:journal",),
            ),
        )
    )
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        records = ledger.sync_records_plan(
            integration=integration, event=None, plan=plan
        )
        # Nothing runs before the plan is committed.
        assert erp.created("post_journal") == 0
    assert len(callbacks) == 1
    assert {
        r.status for r in SyncRecord.objects.filter(pk__in=[r.pk for r in records])
    } == {Status.SUCCEEDED}
    assert queued == []


def test_a_long_chain_hands_the_rest_to_the_queue(
    integration, erp, journal_executor, monkeypatch, settings
):
    settings.SYNC_INLINE_RECORDS = 2
    queued = []
    monkeypatch.setattr(queueing, "enqueue_record", queued.append)
    parent = plan_journal(integration, "po_parent")
    children = [
        plan_journal(integration, f"po_child{i}", depends_on=("po_parent:journal",))
        for i in range(4)
    ]

    ledger.sync_record_run(record_id=parent.pk)

    done = SyncRecord.objects.filter(
        pk__in=[c.pk for c in children], status=Status.SUCCEEDED
    ).count()
    assert done == 2
    assert len(queued) == 2
    assert set(queued) <= {c.pk for c in children}


def _expire_lease(record: SyncRecord) -> None:
    assert ledger.sync_record_claim(record_id=record.pk, worker="dead-worker")
    SyncRecord.objects.filter(pk=record.pk).update(
        lease_expires_at=timezone.now() - timedelta(seconds=1)
    )


def test_sweeper_retries_an_expired_lease_the_erp_can_be_asked_about(
    integration, erp, journal_executor, monkeypatch
):
    # given: an ERP that can find a journal by its Stripe reference (undone
    # before the fake ERP's own fixture puts the real package back)
    package = registry.ERPS["syspro"]
    with monkeypatch.context() as patched:
        patched.setitem(
            registry.ERPS,
            "syspro",
            replace(
                package, lookup_operations=package.lookup_operations | {"post_journal"}
            ),
        )
        record = plan_journal(integration)
        _expire_lease(record)
        # when
        result = ledger.sync_records_sweep()
    # then: re-enqueued (tasks run inline in tests) and done once
    assert result["rescued"] == 1
    record.refresh_from_db()
    assert record.status == Status.SUCCEEDED
    assert record.attempts == 2
    assert erp.created("post_journal") == 1


def test_sweeper_leaves_an_expired_lease_the_erp_cannot_be_asked_about_to_a_person(
    integration, erp, journal_executor
):
    # given: SYSPRO cannot find a journal by reference (GENQJR has no such key)
    assert not registry.ERPS["syspro"].can_look_up("post_journal")
    record = plan_journal(integration)
    _expire_lease(record)
    # when
    result = ledger.sync_records_sweep()
    # then: nothing posted blindly; a person is alerted to settle it
    assert result["rescued"] == 1
    record.refresh_from_db()
    assert record.status == Status.UNKNOWN_OUTCOME
    assert record.error_class == "lease_expired"
    assert erp.created("post_journal") == 0
    assert Alert.objects.filter(
        code="unknown_outcome", dedupe_key=f"record:{record.pk}"
    ).exists()
    assert ledger.sync_records_sweep()["rescued"] == 0


def test_sweeper_leaves_live_leases_alone(integration):
    record = plan_journal(integration)
    ledger.sync_record_claim(record_id=record.pk, worker="busy")
    assert ledger.sync_records_sweep()["rescued"] == 0


def test_crash_after_erp_success_adopts_instead_of_duplicating(
    integration, erp, journal_executor
):
    # The ERP writes, then the reply is lost (worker killed mid-commit).
    erp.crash_after_write("post_journal")
    record = ledger.sync_record_run(record_id=plan_journal(integration).pk)
    assert record.status == Status.RETRYING
    SyncRecord.objects.filter(pk=record.pk).update(next_attempt_at=None)
    record = ledger.sync_record_run(record_id=record.pk)
    assert record.status == Status.SUCCEEDED
    assert erp.created("post_journal") == 1


def test_manual_retry_skip_and_audit(
    integration, erp, journal_executor, admin_user, django_capture_on_commit_callbacks
):
    erp.fail_next("post_journal", ValidationError("Bad"))
    record = ledger.sync_record_run(record_id=plan_journal(integration).pk)
    assert record.status == Status.NEEDS_ATTENTION
    with django_capture_on_commit_callbacks(execute=True):
        assert ledger.sync_record_retry(record=record, actor=admin_user)
    record.refresh_from_db()
    assert record.status == Status.SUCCEEDED  # ran inline on commit
    assert not ledger.sync_record_retry(record=record, actor=admin_user)
    entry = AuditEntry.objects.get(action="sync_record.retry")
    assert entry.actor == admin_user
    assert entry.before["status"] == "needs_attention"

    other = plan_journal(integration, "po_2")
    with pytest.raises(Exception, match="Say why"):
        ledger.sync_record_skip(record=other, actor=admin_user, reason=" ")
    assert ledger.sync_record_skip(
        record=other, actor=admin_user, reason="booked by hand"
    )
    other.refresh_from_db()
    assert other.status == Status.SKIPPED
    assert AuditEntry.objects.get(action="sync_record.skip").reason == "booked by hand"


def test_held_record_waits_until_released(
    integration,
    erp,
    journal_executor,
    monkeypatch,
    admin_user,
    django_capture_on_commit_callbacks,
):
    monkeypatch.setattr(running, "HOLDABLE_OPERATIONS", frozenset({"post_journal"}))
    monkeypatch.setattr(
        "mapping.anomalies.anomaly_check",
        lambda *, record, source, dependencies=None: "amount is 40× usual",
    )
    record = ledger.sync_record_run(record_id=plan_journal(integration).pk)
    assert record.status == Status.HELD
    assert record.hold_reason == "amount is 40× usual"
    assert record.attempts == 0
    with django_capture_on_commit_callbacks(execute=True):
        assert ledger.sync_record_release(record=record, actor=admin_user)
    record.refresh_from_db()
    assert record.status == Status.SUCCEEDED
    assert erp.created("post_journal") == 1


def test_a_concurrent_planner_s_rows_are_used_not_duplicated(
    integration, django_capture_on_commit_callbacks
):
    # The other planner inserted the row first: ours skips it on insert.
    first = plan_journal(integration, "po_race")
    with django_capture_on_commit_callbacks() as callbacks:
        (again,) = ledger.sync_records_plan(
            integration=integration,
            event=None,
            plan=Plan(
                records=(
                    PlannedRecord(
                        key="po_race:journal",
                        operation="post_journal",
                        stripe_id="po_race",
                        source={"stripe_id": "po_race"},
                    ),
                )
            ),
        )
    assert again.pk == first.pk
    assert SyncRecord.objects.count() == 1
    assert callbacks == []


def test_a_record_waiting_on_two_dependencies_runs_when_the_second_succeeds(
    integration, erp, journal_executor, django_capture_on_commit_callbacks
):
    # given: customer → order, and a payment waiting on both, held up by a
    # paused queue (the credentials were refused on the customer)
    erp.fail_next("post_journal", AuthenticationError("bad password"))
    for n in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            ledger.sync_records_plan(
                integration=integration, event=None, plan=chain_plan(f"{n}:")
            )

    # when
    with django_capture_on_commit_callbacks(execute=True):
        ledger.integration_resume(integration=integration, actor=None)

    # then: every payment ran once its order did, without waiting for a sweep
    assert set(SyncRecord.objects.values_list("status", flat=True)) == {
        Status.SUCCEEDED
    }
    assert erp.created("post_journal") == 9


def test_a_slow_chain_hands_the_rest_to_the_queue_before_the_task_timeout(
    integration, erp, monkeypatch, settings
):
    settings.Q_CLUSTER = {**settings.Q_CLUSTER, "timeout": 120}
    queued = []
    monkeypatch.setattr(queueing, "enqueue_record", queued.append)
    now = [0.0]
    monkeypatch.setattr(running, "_clock", lambda: now[0])

    def slow_erp(ctx):
        now[0] += 40  # each ERP call takes 40 s
        return ctx.connector.post_journal(
            {"JournalReference": ctx.record.stripe_id, "lines": []},
            reference=ctx.record.stripe_id,
        )

    monkeypatch.setitem(EXECUTORS, "post_journal", slow_erp)
    records = [plan_journal(integration, f"po_slow{i}") for i in range(3)]

    ledger.sync_records_run([r.pk for r in records])

    # Past 60 s (half of django-q2's 120 s timeout) nothing more starts here.
    assert erp.created("post_journal") == 2
    assert queued == [records[2].pk]


def chain_plan(prefix: str = "") -> Plan:
    """A customer, an order waiting on it, a payment waiting on both."""
    return Plan(
        records=(
            PlannedRecord(
                key=f"{prefix}c",
                operation="post_journal",
                stripe_id=f"{prefix}c",
                source={},
            ),
            PlannedRecord(
                key=f"{prefix}o",
                operation="post_journal",
                stripe_id=f"{prefix}o",
                source={},
                depends_on=(f"{prefix}c",),
            ),
            PlannedRecord(
                key=f"{prefix}p",
                operation="post_journal",
                stripe_id=f"{prefix}p",
                source={},
                depends_on=(f"{prefix}c", f"{prefix}o"),
            ),
        )
    )


def test_a_plan_runs_from_the_rows_in_hand_without_reading_them_back(
    integration, erp, journal_executor, django_capture_on_commit_callbacks
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    # given a committed plan whose run has not started
    with django_capture_on_commit_callbacks() as callbacks:
        ledger.sync_records_plan(integration=integration, event=None, plan=chain_plan())

    # when
    with CaptureQueriesContext(connection) as queries:
        callbacks[0]()

    # then every record ran, and none was selected by its id or its links
    assert set(SyncRecord.objects.values_list("status", flat=True)) == {
        Status.SUCCEEDED
    }
    assert erp.created("post_journal") == 3
    reads = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].startswith('SELECT "integrations_syncrecord"."id", ')
    ]
    assert reads == []


def test_a_row_changed_since_it_was_planned_is_read_again_before_it_runs(
    integration, erp, journal_executor, django_capture_on_commit_callbacks
):
    # given a plan whose first record finance staff skipped before it ran
    with django_capture_on_commit_callbacks() as callbacks:
        records = ledger.sync_records_plan(
            integration=integration, event=None, plan=chain_plan()
        )
    ledger.sync_record_skip(record=records[0], actor=None, reason="booked by hand")

    # when the run starts from the rows in hand
    callbacks[0]()

    # then the claim on the stale copy failed and nothing ran
    statuses = dict(SyncRecord.objects.values_list("stripe_id", "status"))
    assert statuses == {"c": Status.SKIPPED, "o": Status.PENDING, "p": Status.PENDING}
    assert erp.created("post_journal") == 0


def test_a_record_in_hand_waits_for_a_dependency_it_saw_unfinished(
    integration, erp, journal_executor, django_capture_on_commit_callbacks
):
    # given an order planned on a customer record another worker is running
    customer = plan_journal(integration, "cus")
    assert ledger.sync_record_claim(record_id=customer.pk, worker="other")
    plan = Plan(
        records=(
            PlannedRecord(
                key="ord",
                operation="post_journal",
                stripe_id="ord",
                source={},
                depends_on=("cus:journal",),
            ),
        )
    )
    with django_capture_on_commit_callbacks(execute=True):
        (order,) = ledger.sync_records_plan(
            integration=integration, event=None, plan=plan
        )

    # then the order waits for it
    order.refresh_from_db()
    assert order.status == Status.PENDING
    assert erp.created("post_journal") == 0


def test_a_paused_integration_s_records_cannot_be_claimed(integration):
    record = plan_journal(integration)
    integration.queue_paused_reason = "ERP rejected the credentials"
    integration.save()
    assert not ledger.sync_record_claim(record_id=record.pk, worker="w")
    record.refresh_from_db()
    assert record.status == Status.PENDING and record.attempts == 0


def test_a_pause_set_during_a_chain_stops_the_records_after_it(
    integration, erp, monkeypatch, django_capture_on_commit_callbacks
):
    # given a chain whose first record meets a pause another worker just set
    def execute(ctx):
        type(integration).objects.filter(pk=integration.pk).update(
            queue_paused_reason="ERP rejected the credentials"
        )
        return ctx.connector.post_journal(
            {"JournalReference": ctx.record.stripe_id, "lines": []},
            reference=ctx.record.stripe_id,
        )

    monkeypatch.setitem(EXECUTORS, "post_journal", execute)

    # when
    with django_capture_on_commit_callbacks(execute=True):
        ledger.sync_records_plan(integration=integration, event=None, plan=chain_plan())

    # then only the record that was already running posted
    statuses = dict(SyncRecord.objects.values_list("stripe_id", "status"))
    assert statuses == {
        "c": Status.SUCCEEDED,
        "o": Status.PENDING,
        "p": Status.PENDING,
    }
    assert erp.created("post_journal") == 1


def test_a_worker_reuses_the_integration_until_a_row_of_it_changes(integration):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from mapping.services import anomaly_policy_ensure

    first = ledger.integration_for_run(integration.pk)
    with CaptureQueriesContext(connection) as queries:
        again = ledger.integration_for_run(integration.pk)
    # Unchanged: one small query, the same objects.
    assert again is first and len(queries) == 1

    # The options change.
    integration.options = {**integration.options, "warehouse": "W2"}
    integration.save()
    assert ledger.integration_for_run(integration.pk).options["warehouse"] == "W2"

    # The ERP connection's credentials change.
    erp_connection = integration.erp_connection
    erp_connection.secrets = {"operator_password": "new"}
    erp_connection.save()
    found = ledger.integration_for_run(integration.pk)
    assert found.erp_connection.secrets == {"operator_password": "new"}

    # An anomaly policy appears, then changes.
    policy = anomaly_policy_ensure(integration=integration)
    assert ledger.integration_for_run(integration.pk).anomaly_policy.enabled
    policy.enabled = False
    policy.save()
    assert not ledger.integration_for_run(integration.pk).anomaly_policy.enabled


def test_a_plan_partly_inserted_by_a_concurrent_planner_inserts_the_rest(
    integration, erp, journal_executor, django_capture_on_commit_callbacks
):
    # given the customer record, inserted by another planner: ours skips it
    first = plan_journal(integration, "c")

    # when
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        customer, order = ledger.sync_records_plan(
            integration=integration,
            event=None,
            plan=Plan(
                records=(
                    PlannedRecord(
                        key="c:journal",
                        operation="post_journal",
                        stripe_id="c",
                        source={},
                    ),
                    PlannedRecord(
                        key="o:journal",
                        operation="post_journal",
                        stripe_id="o",
                        source={},
                        depends_on=("c:journal",),
                    ),
                )
            ),
        )

    # then only the order was inserted here, linked to the other planner's row
    assert customer.pk == first.pk
    assert SyncRecord.objects.count() == 2
    assert list(order.depends_on.values_list("pk", flat=True)) == [first.pk]
    assert len(callbacks) == 1
    # the customer was still pending, so the order waits for it
    order.refresh_from_db()
    assert order.status == Status.PENDING


# The first send of a record skips the ERP lookup; every other one asks -------


@pytest.fixture
def sends(monkeypatch, journal_executor):
    """What each journal executor call was told: whether the record was ever sent."""
    seen: list[bool] = []

    def execute(ctx):
        seen.append(ctx.never_sent)
        return journal_executor(ctx)

    monkeypatch.setitem(EXECUTORS, "post_journal", execute)
    return seen


@pytest.fixture
def askable_journals(erp):
    """An ERP that can find a journal by its Stripe reference (undone before
    the fake ERP's own fixture puts the real package back)."""
    package = registry.ERPS["syspro"]
    with pytest.MonkeyPatch.context() as patched:
        patched.setitem(
            registry.ERPS,
            "syspro",
            replace(
                package, lookup_operations=package.lookup_operations | {"post_journal"}
            ),
        )
        yield


def test_a_record_s_first_attempt_alone_skips_the_lookup(integration, erp, sends):
    # given a first attempt whose reply was lost after the ERP wrote
    erp.crash_after_write("post_journal")
    record = ledger.sync_record_run(record_id=plan_journal(integration).pk)
    assert record.status == Status.RETRYING
    assert record.erp_send_started
    # when the retry runs
    SyncRecord.objects.filter(pk=record.pk).update(next_attempt_at=None)
    record = ledger.sync_record_run(record_id=record.pk)
    # then only the first was sent blind, and the retry adopted the document
    assert sends == [True, False]
    assert record.status == Status.SUCCEEDED
    assert erp.created("post_journal") == 1
    assert erp.duplicates == []


def test_the_claim_marks_the_record_sent_before_anything_is_sent(integration):
    record = plan_journal(integration)
    assert not record.erp_send_started

    assert ledger.sync_record_claim(record_id=record.pk, worker="w", unsent=True)

    record.refresh_from_db()
    assert record.erp_send_started


def test_a_claim_on_a_copy_that_says_unsent_fails_once_the_record_was_claimed(
    integration,
):
    # given a record an earlier attempt claimed (its worker died), released
    record = plan_journal(integration)
    assert ledger.sync_record_claim(record_id=record.pk, worker="dead")
    SyncRecord.objects.filter(pk=record.pk).update(
        status=Status.RETRYING, lease_owner="", updated_at=record.updated_at
    )
    # then a claim that believes it is the first fails; an honest one wins
    assert not ledger.sync_record_claim(
        record_id=record.pk, worker="w", unchanged_since=record.updated_at, unsent=True
    )
    assert ledger.sync_record_claim(record_id=record.pk, worker="w")


def test_a_worker_killed_after_the_erp_wrote_is_rescued_into_one_document(
    integration, erp, sends, askable_journals
):
    # given a worker that claimed the record, sent it, and died before
    # writing the outcome (the ERP holds the document)
    record = plan_journal(integration)
    _expire_lease(record)
    erp.post_journal(
        {"JournalReference": record.stripe_id, "lines": []},
        reference=record.stripe_id,
        never_sent=True,
    )
    # when the sweep rescues it
    assert ledger.sync_records_sweep()["rescued"] == 1
    # then the retry asked the ERP and adopted the document
    record.refresh_from_db()
    assert record.status == Status.SUCCEEDED
    assert sends == [False]
    assert erp.created("post_journal") == 1
    assert erp.duplicates == []


def test_a_staff_retry_resets_the_attempts_but_still_looks_the_document_up(
    integration, erp, sends, django_capture_on_commit_callbacks
):
    # given a first attempt the ERP wrote but answered with a refusal
    erp.crash_after_write("post_journal", ValidationError("Refused after writing"))
    record = ledger.sync_record_run(record_id=plan_journal(integration).pk)
    assert record.status == Status.NEEDS_ATTENTION
    # when finance staff retry it (a fresh attempt budget: attempts is 0)
    with django_capture_on_commit_callbacks(execute=True):
        assert ledger.sync_record_retry(record=record, actor=None)
    # then the retry asked the ERP first and adopted what it holds
    record.refresh_from_db()
    assert record.status == Status.SUCCEEDED
    assert sends == [True, False]
    assert erp.created("post_journal") == 1
    assert erp.duplicates == []
