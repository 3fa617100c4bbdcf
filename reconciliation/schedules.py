"""django-q2 schedules of this app, created idempotently by name."""

from typing import Any

# name -> (task function, minutes between runs)
SCHEDULES = {
    "reconciliation: prove open payouts": (
        "reconciliation.tasks.prove_open_payouts",
        15,
    ),
    "reconciliation: sweep missed Stripe events": (
        "reconciliation.tasks.sweep_missed_events",
        10,
    ),
}


def schedules_ensure(**kwargs: Any) -> None:
    """post_migrate hook: create the schedules that do not exist yet.

    An existing schedule is left as an admin may have tuned it.
    """
    from django_q.models import Schedule

    for name, (func, minutes) in SCHEDULES.items():
        Schedule.objects.get_or_create(
            name=name,
            defaults={
                "func": func,
                "schedule_type": Schedule.MINUTES,
                "minutes": minutes,
                "repeats": -1,
            },
        )
