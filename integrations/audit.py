"""The audit trail and alerts: the bottom of the integrations core.

Every service that changes money-relevant state writes an audit row here in
its own transaction, and any layer may raise an alert; this module imports
only the models, so nothing it serves has to import upward to reach it.
"""

import logging
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.utils import timezone

from .models import Alert, AuditEntry, Integration

logger = logging.getLogger(__name__)


def audit_record(
    *,
    actor: AbstractBaseUser | None,
    action: str,
    target: Any,
    before: Any = None,
    after: Any = None,
    reason: str = "",
) -> AuditEntry:
    return AuditEntry.objects.create(
        actor=actor if actor is not None and actor.pk else None,
        actor_label=str(actor) if actor is not None else "system",
        action=action,
        target_type=target._meta.label_lower,
        target_id=str(target.pk),
        before=before,
        after=after,
        reason=reason,
    )


def alert_raise(
    *,
    integration: Integration | None,
    level: str,
    code: str,
    message: str,
    dedupe_key: str = "",
) -> Alert:
    """Raise an alert once: an open alert with the same dedupe key is reused."""
    if dedupe_key:
        existing = Alert.objects.filter(
            dedupe_key=dedupe_key, resolved_at__isnull=True
        ).first()
        if existing:
            return existing
    try:
        with transaction.atomic():
            alert = Alert.objects.create(
                integration=integration,
                level=level,
                code=code,
                message=message,
                dedupe_key=dedupe_key,
            )
    except IntegrityError:
        return Alert.objects.get(dedupe_key=dedupe_key, resolved_at__isnull=True)
    logger.warning("alert %s: %s", code, message, extra={"alert_id": alert.pk})
    return alert


def alert_acknowledge(*, alert: Alert, actor: AbstractBaseUser | None) -> bool:
    """Record that a person is on an open alert. False if it already was, or
    is resolved."""
    with transaction.atomic():
        alert = Alert.objects.select_for_update().get(pk=alert.pk)
        if alert.acknowledged_at is not None or alert.resolved_at is not None:
            return False
        alert.acknowledged_at = timezone.now()
        alert.acknowledged_by = actor if actor is not None and actor.pk else None
        alert.save(update_fields=["acknowledged_at", "acknowledged_by"])
        audit_record(
            actor=actor,
            action="alert.acknowledge",
            target=alert,
            before={"acknowledged_at": None},
            after={"acknowledged_at": str(alert.acknowledged_at)},
        )
    return True


def alert_resolve(*, alert: Alert, actor: AbstractBaseUser | None) -> bool:
    """Mark an alert resolved. False if it already was."""
    with transaction.atomic():
        alert = Alert.objects.select_for_update().get(pk=alert.pk)
        if alert.resolved_at is not None:
            return False
        alert.resolved_at = timezone.now()
        alert.save(update_fields=["resolved_at"])
        audit_record(
            actor=actor,
            action="alert.resolve",
            target=alert,
            before={"resolved_at": None},
            after={"resolved_at": str(alert.resolved_at)},
        )
    return True
