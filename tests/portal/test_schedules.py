"""Schedules are code: the table follows the list, and nothing else runs."""

import logging
from datetime import timedelta

import pytest
from django.utils import timezone
from django_q.models import Schedule
from django_q.scheduler import scheduler

from portal.schedules import schedules, schedules_ensure, task_guard

pytestmark = pytest.mark.django_db

RECORDER = "tests.portal.test_schedules.record_call"
CALLS: list[tuple] = []


def record_call(*args: object) -> None:
    """Stands in for `os.system`: whatever a foreign schedule would run."""
    CALLS.append(args)


@pytest.fixture(autouse=True)
def _no_calls():
    CALLS.clear()
    yield
    CALLS.clear()


def _rows() -> list[tuple]:
    return list(
        Schedule.objects.order_by("pk").values_list(
            "pk", "name", "func", "args", "kwargs", "hook", "minutes", "repeats"
        )
    )


def test_ensure_is_repeat_safe():
    schedules_ensure()
    first = _rows()
    schedules_ensure()

    assert _rows() == first
    for name, task in schedules().items():
        row = Schedule.objects.get(name=name)
        assert (row.func, row.minutes, row.repeats) == (task.func, task.minutes, -1)


def test_ensure_resets_a_listed_schedule_to_the_code():
    Schedule.objects.filter(name="ledger-sweep").update(
        func="os.system", args="'id'", hook=RECORDER, repeats=3
    )

    schedules_ensure()

    row = Schedule.objects.get(name="ledger-sweep")
    assert (row.func, row.args, row.hook, row.repeats) == (
        "integrations.tasks.sweep_ledger",
        None,
        None,
        -1,
    )


def test_ensure_disables_every_schedule_that_is_not_code(caplog):
    foreign = Schedule.objects.create(name="pwned", func="os.system", args="'id'")
    twin = Schedule.objects.create(name="ledger-sweep", func="os.system")
    unnamed = Schedule.objects.create(func=RECORDER, repeats=5)
    listed = Schedule.objects.get(name="ledger-sweep", func__startswith="integrations")

    with caplog.at_level(logging.WARNING, logger="portal.schedules"):
        schedules_ensure()
        schedules_ensure()

    for row in (foreign, twin, unnamed):
        row.refresh_from_db()
        assert row.repeats == 0, row.name
    listed.refresh_from_db()
    assert listed.repeats == -1
    warnings = [r for r in caplog.records if "is not in portal.schedules" in r.message]
    assert len(warnings) == 3


def _due(**fields) -> Schedule:
    """A row written straight into the table, as if by SQL, and due now."""
    Schedule.objects.update(next_run=timezone.now() + timedelta(days=1))
    fields.setdefault("schedule_type", Schedule.MINUTES)
    fields.setdefault("minutes", 1)
    return Schedule.objects.create(
        next_run=timezone.now() - timedelta(minutes=1), **fields
    )


@pytest.mark.parametrize(
    "fields",
    [
        {"name": "pwned", "func": RECORDER, "args": "'id'"},
        {"func": RECORDER},
        {"name": "ledger-sweep", "func": RECORDER},
        {
            "name": "ledger-sweep",
            "func": "integrations.tasks.sweep_ledger",
            "hook": RECORDER,
        },
    ],
    ids=["foreign", "unnamed", "listed name", "listed func with a hook"],
)
def test_the_scheduler_refuses_a_schedule_that_is_not_code(fields, caplog, monkeypatch):
    monkeypatch.setattr("integrations.tasks.sweep_ledger", lambda: None)
    _due(**fields)

    with caplog.at_level(logging.ERROR):
        scheduler()

    assert CALLS == []
    assert "refused scheduled task" in caplog.text


def test_the_scheduler_runs_a_listed_schedule(monkeypatch, caplog):
    monkeypatch.setattr("integrations.tasks.sweep_ledger", record_call)
    Schedule.objects.filter(name="ledger-sweep").update(
        next_run=timezone.now() - timedelta(minutes=1)
    )
    Schedule.objects.exclude(name="ledger-sweep").update(
        next_run=timezone.now() + timedelta(days=1)
    )

    scheduler()

    assert CALLS == [()]
    assert "refused" not in caplog.text


def test_a_task_enqueued_by_the_product_passes_untouched():
    task = {
        "id": "x",
        "name": "n",
        "func": "integrations.tasks.process_event",
        "args": (1,),
        "kwargs": {},
    }
    before = dict(task)

    task_guard(sender="django_q", task=task)

    assert task == before
