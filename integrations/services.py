"""Writes for connections, webhook secrets and events."""

import logging
from functools import partial

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from portal.crypto import fingerprint
from portal.exceptions import ApplicationError

from . import queue
from .audit import audit_record
from .models import (
    Connection,
    Integration,
    WebhookEvent,
    WebhookSecret,
)

logger = logging.getLogger(__name__)


def connection_set_secrets(
    *, connection: Connection, secrets: dict[str, str], actor: AbstractBaseUser | None
) -> Connection:
    """Replace the given secrets (blank values keep the stored one)."""
    changed = {name: value for name, value in secrets.items() if value}
    if not changed:
        return connection
    with transaction.atomic():
        connection.secrets = {**connection.secrets, **changed}
        connection.save()
        audit_record(
            actor=actor,
            action="connection.secrets_changed",
            target=connection,
            # Which secrets changed, never a character of them: the audit
            # trail is open to finance reviewers.
            after={"changed": sorted(changed)},
        )
    return connection


def webhook_secret_add(
    *, integration: Integration, secret: str, actor: AbstractBaseUser | None
) -> WebhookSecret:
    secret = secret.strip()
    if not secret.startswith("whsec_"):
        raise ApplicationError("A Stripe signing secret starts with whsec_")
    with transaction.atomic():
        row = WebhookSecret.objects.create(
            integration=integration, secret=secret, hint=fingerprint(secret)
        )
        audit_record(
            actor=actor,
            action="webhook_secret.added",
            target=integration,
            after={"fingerprint": row.hint},
        )
    return row


def webhook_event_reprocess(
    *, event: WebhookEvent, actor: AbstractBaseUser | None
) -> bool:
    """Run a failed or ignored event through its workflow again."""
    if event.status == WebhookEvent.Status.PROCESSED:
        return False
    with transaction.atomic():
        before = {"status": event.status, "error": event.error}
        WebhookEvent.objects.filter(pk=event.pk).update(
            status=WebhookEvent.Status.RECEIVED, error=""
        )
        audit_record(
            actor=actor, action="webhook_event.reprocess", target=event, before=before
        )
        transaction.on_commit(partial(queue.event_process_enqueue, event.pk))
    return True
