"""Writes for connections, webhook secrets and events."""

import json
import logging
from functools import partial

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from portal.crypto import fingerprint
from portal.exceptions import ApplicationError
from portal.logging import mask_secrets

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


def webhook_event_process(*, event_id: int) -> WebhookEvent | None:
    """Route a stored event to its workflow and plan its ledger records."""
    from . import ledger
    from .connectors.errors import ConnectorError
    from .workflows import EVENT_FLOWS, WORKFLOWS, WorkflowContext

    event = (
        WebhookEvent.objects.select_related("integration").filter(pk=event_id).first()
    )
    if event is None or event.status in (
        WebhookEvent.Status.PROCESSED,
        WebhookEvent.Status.IGNORED,
    ):
        return event
    integration = event.integration
    planner = WORKFLOWS.get(event.type)
    flow = EVENT_FLOWS.get(event.type, "")
    if planner is None:
        return _event_finish(
            event, WebhookEvent.Status.IGNORED, f"no workflow handles {event.type}"
        )
    if flow and not integration.flow_enabled(flow):
        return _event_finish(
            event, WebhookEvent.Status.IGNORED, f"the {flow} flow is switched off"
        )
    context = WorkflowContext(
        integration=integration, event=event, stripe=ledger.stripe_api_for(integration)
    )
    try:
        plan = planner(context, json.loads(event.body))
        if plan.ignored_reason:
            return _event_finish(
                event, WebhookEvent.Status.IGNORED, plan.ignored_reason
            )
        with transaction.atomic():
            ledger.sync_records_plan(integration=integration, event=event, plan=plan)
            return _event_finish(event, WebhookEvent.Status.PROCESSED, "")
    except ConnectorError as exc:
        if exc.retryable:
            # Leave it received: the sweeper offers it again shortly.
            WebhookEvent.objects.filter(pk=event.pk).update(error=exc.describe())
            logger.warning("event %s waits: %s", event.stripe_id, exc.code)
            return event
        return _event_finish(event, WebhookEvent.Status.FAILED, exc.describe())
    except ApplicationError as exc:
        return _event_finish(event, WebhookEvent.Status.FAILED, exc.message)
    except Exception as exc:
        logger.exception("event %s could not be planned", event.stripe_id)
        return _event_finish(
            event,
            WebhookEvent.Status.FAILED,
            mask_secrets(f"{exc.__class__.__name__}: {exc}"),
        )


def _event_finish(event: WebhookEvent, status: str, error: str) -> WebhookEvent:
    event.status = status
    event.error = error
    event.processed_at = timezone.now()
    event.save(update_fields=["status", "error", "processed_at"])
    return event


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
