"""The product's recurring tasks: the one list of django-q2 schedules.

Schedules are code. After every migrate `schedules_ensure` creates or resets
each listed schedule by name and disables every other row; django-q2's admin
is read-only (`portal/admin.py`), and `task_guard` refuses a scheduled task
that does not match the list, so a row written straight into the database
runs nothing either. Task functions are named by dotted path, the way the
URLconf names each app's `urls`, so this module imports no app above it.
"""

import logging
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django_q.conf import Conf
from django_q.models import Schedule

from portal.exceptions import ApplicationError

logger = logging.getLogger(__name__)

TASK_REFUSED = "portal.schedules.task_refused"


@dataclass(frozen=True)
class ScheduledTask:
    func: str
    minutes: int


def schedules() -> dict[str, ScheduledTask]:
    """Every schedule the product runs, by name."""
    return {
        "ledger-sweep": ScheduledTask(
            func="integrations.tasks.sweep_ledger",
            minutes=settings.SYNC_SWEEP_MINUTES,
        ),
        "reconciliation: prove open payouts": ScheduledTask(
            func="reconciliation.tasks.prove_open_payouts", minutes=15
        ),
        "reconciliation: sweep missed Stripe events": ScheduledTask(
            func="reconciliation.tasks.sweep_missed_events", minutes=10
        ),
        # Hourly, so a month is accrued within the hour its last day ends in
        # each integration's business time zone; a period runs once.
        "reconciliation: month-end funds in transit": ScheduledTask(
            func="reconciliation.tasks.accrue_funds_in_transit", minutes=60
        ),
        "monitoring: alert rules and deliveries": ScheduledTask(
            func="monitoring.tasks.run_monitoring",
            minutes=settings.ALERT_EVALUATE_MINUTES,
        ),
        # Hourly: the digest itself goes out once a day, after ALERT_DIGEST_HOUR.
        "monitoring: daily finance digest": ScheduledTask(
            func="monitoring.tasks.send_finance_digest", minutes=60
        ),
        "catalog sync: ERP price lists to Stripe": ScheduledTask(
            func="catalog_sync.tasks.sync_catalogs", minutes=60
        ),
        "customer sync: ERP customers to Stripe": ScheduledTask(
            func="customer_sync.tasks.sync_customers", minutes=30
        ),
    }


def _listed_fields(task: ScheduledTask) -> dict[str, Any]:
    return {
        "func": task.func,
        "hook": None,
        "args": None,
        "kwargs": None,
        "schedule_type": Schedule.MINUTES,
        "minutes": task.minutes,
        "repeats": -1,
        "cron": None,
        "cluster": None,
        "intended_date_kwarg": None,
    }


@transaction.atomic
def schedules_ensure() -> None:
    """Make the Schedule table say what `schedules()` says (repeat-safe).

    A listed schedule is created, or reset to the code if its row differs. Any
    other row (an unlisted name, a second row with a listed name) is disabled
    rather than deleted, so whoever looks into it still sees what it would
    have run.
    """
    kept: set[int] = set()
    for name, task in schedules().items():
        fields = _listed_fields(task)
        row = Schedule.objects.filter(name=name).order_by("pk").first()
        if row is None:
            row = Schedule.objects.create(name=name, **fields)
        elif any(getattr(row, field) != value for field, value in fields.items()):
            for field, value in fields.items():
                setattr(row, field, value)
            row.save()
        kept.add(row.pk)
    for row in Schedule.objects.exclude(pk__in=kept).exclude(repeats=0):
        logger.warning(
            "schedule %r (%s) is not in portal.schedules: disabled",
            row.name,
            row.func,
            extra={"schedule_id": row.pk, "schedule_func": row.func},
        )
        row.repeats = 0
        row.save(update_fields=["repeats"])


def on_post_migrate(sender: Any, **kwargs: Any) -> None:
    schedules_ensure()


def _is_listed(task: dict[str, Any]) -> bool:
    group = task.get("group")
    listed = schedules().get(group) if isinstance(group, str) else None
    return (
        listed is not None
        and task["func"] == listed.func
        and not task.get("args")
        and not task.get("kwargs")
        and not task.get("hook")
        and not task.get("chain")
    )


def task_guard(sender: Any, task: dict[str, Any], **kwargs: Any) -> None:
    """django-q2 `pre_enqueue` receiver: a scheduled task runs only a listed func.

    django-q2's scheduler gives every task it creates a `group` (the
    schedule's name, or its id); the product enqueues none with a group. Such
    a task must be exactly what `schedules_ensure` writes, or it is rewritten,
    before it is signed and queued, into `task_refused`, which fails loudly.
    Raising here instead would roll back the scheduler's transaction and stop
    every schedule. https://github.com/django-q2/django-q2/blob/master/django_q/tasks.py
    """
    if "group" not in task:
        return
    if not Conf.SYNC:
        # A row may ask for sync: never run a scheduled task in the scheduler.
        task.pop("sync", None)
    if _is_listed(task):
        return
    refused = str(task["func"])
    logger.error(
        "refused scheduled task %s from schedule %r: not in portal.schedules",
        refused,
        task.get("group"),
        extra={"task_func": refused, "schedule": task.get("group")},
    )
    task["func"] = TASK_REFUSED
    task["args"] = (refused, str(task.get("group")))
    task["kwargs"] = {}
    for option in ("hook", "chain"):
        task.pop(option, None)


def task_refused(func: str, schedule: str) -> None:
    """What a refused scheduled task runs instead: a failure in the task admin."""
    raise ApplicationError(
        f"refused to run {func} from schedule {schedule}: not in portal.schedules",
        {"func": func, "schedule": schedule},
    )
