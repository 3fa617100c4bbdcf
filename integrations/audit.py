"""The audit trail and alerts: the bottom of the integrations core.

Every service that changes money-relevant state writes an audit row here in
its own transaction, and any layer may raise an alert; this module imports
only the models, so nothing it serves has to import upward to reach it.
"""

import logging
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction

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
