"""Readiness: can this process serve (database, task queue), and how long
since each integration's last successful ERP call.

Only the database and the queue decide readiness. An ERP that is down must
not take the web processes out of rotation: webhook intake has to go on
storing events while the ERP is away, so each integration's ERP age is
reported, not judged.
"""

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db import DatabaseError, connection
from django.utils import timezone

from integrations.models import Integration
from integrations.queue import broker

from .models import IntegrationHealth


@dataclass
class Readiness:
    ready: bool
    checks: dict[str, Any] = field(default_factory=dict)


def _database_check() -> dict[str, str]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        # The class only: a driver's message can name hosts and users.
        return {"status": "error", "error": type(exc).__name__}
    return {"status": "ok"}


def _queue_check() -> dict[str, Any]:
    try:
        depth = broker().queue_size()
    except Exception as exc:  # any broker: Redis, ORM, … each raises its own
        return {"status": "error", "error": type(exc).__name__}
    return {"status": "ok", "depth": depth}


def _integrations_check(now: datetime) -> list[dict[str, Any]]:
    last = dict(
        IntegrationHealth.objects.values_list("integration_id", "last_erp_success_at")
    )
    found = []
    for pk in Integration.objects.filter(is_active=True).values_list("pk", flat=True):
        at = last.get(pk)
        found.append(
            {
                "integration": pk,
                "last_erp_success_age_seconds": (
                    int((now - at).total_seconds()) if at else None
                ),
            }
        )
    return found


def readiness(*, now: datetime | None = None) -> Readiness:
    now = now or timezone.now()
    database = _database_check()
    checks: dict[str, Any] = {"database": database}
    if database["status"] != "ok":
        checks["queue"] = {"status": "skipped"}
        return Readiness(ready=False, checks=checks)
    checks["queue"] = _queue_check()
    try:
        checks["integrations"] = _integrations_check(now)
    except DatabaseError as exc:
        checks["integrations"] = {"status": "error", "error": type(exc).__name__}
    ready = checks["queue"]["status"] == "ok"
    return Readiness(ready=ready, checks=checks)
