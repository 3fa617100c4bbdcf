"""Processing a stored Stripe event: route it to its workflow by type and
plan its ledger records (run by the `process_event` task)."""

import json
import logging

from django.db import transaction
from django.utils import timezone

from portal.exceptions import ApplicationError
from portal.logging import mask_secrets

from . import ledger
from .audit import alert_raise
from .connectors import stripe_api
from .connectors.errors import ConnectorError
from .models import WebhookEvent
from .workflows import EVENT_FLOWS, WORKFLOWS, WorkflowContext

logger = logging.getLogger(__name__)


def webhook_event_process(*, event_id: int) -> WebhookEvent | None:
    """Route a stored event to its workflow and plan its ledger records."""
    # The integration with what running the planned records needs, so the
    # run that follows in this task need not read it again.
    event = (
        WebhookEvent.objects.select_related(
            *(f"integration__{name}" for name in ledger.RUN_RELATED)
        )
        .filter(pk=event_id)
        .first()
    )
    if event is None or event.status in (
        WebhookEvent.Status.PROCESSED,
        WebhookEvent.Status.IGNORED,
    ):
        return event
    integration = event.integration
    _api_version_check(event)
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
        integration=integration,
        event=event,
        stripe=stripe_api.stripe_api_for(integration),
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


def _api_version_check(event: WebhookEvent) -> None:
    """Alert once (while open) when Stripe sends a version the endpoint does
    not pin: the payload's shape may differ from what the workflows expect.
    Versions are dated (`2025-03-31.basil`); the date tells them apart."""
    pinned = event.integration.stripe_api_version
    if not pinned or not event.api_version:
        return
    if event.api_version.split(".")[0] == pinned.split(".")[0]:
        return
    alert_raise(
        integration=event.integration,
        level="warning",
        code="stripe_api_version",
        message=f"{event.integration}: Stripe sent {event.type} {event.stripe_id} "
        f"in API version {event.api_version}, but the endpoint is pinned to "
        f"{pinned}. Check the webhook endpoint's version in Stripe's dashboard.",
        dedupe_key=f"api_version:{event.integration_id}:{event.api_version}",
    )


def _event_finish(event: WebhookEvent, status: str, error: str) -> WebhookEvent:
    event.status = status
    event.error = error
    event.processed_at = timezone.now()
    event.save(update_fields=["status", "error", "processed_at"])
    return event
