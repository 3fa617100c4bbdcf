"""Recovery sweep: ingest Stripe events whose webhook delivery failed.

Stripe keeps events for 30 days and can list the ones it could not deliver
(`GET /v1/events?delivery_success=false`); anything the portal has not stored
goes through the same store-and-enqueue path as a webhook, marked "sweep".
"""

import json
import logging
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.utils import timezone

from integrations.audit import alert_raise
from integrations.connectors import stripe_api as stripe_connector
from integrations.intake import webhook_event_store
from integrations.models import Integration, WebhookEvent
from portal.logging import mask_secrets

from .models import SweepRun
from .services import _plain

logger = logging.getLogger(__name__)


def sweep_lookback() -> timedelta:
    hours = getattr(settings, "RECONCILIATION_SWEEP_LOOKBACK_HOURS", 72)
    return timedelta(hours=float(hours))


def events_sweep(
    *,
    integration: Integration,
    stripe_api: Any = None,
    lookback: timedelta | None = None,
    now=None,
) -> SweepRun:
    """List undelivered events of the look-back window and store the new ones."""
    now = now or timezone.now()
    since = now - (lookback or sweep_lookback())
    run = SweepRun.objects.create(integration=integration)
    try:
        api = stripe_api or stripe_connector.stripe_api_for(integration)()
        for event in api.list_events(
            delivery_success=False, created_gte=int(since.timestamp())
        ):
            data = _plain(event)
            run.listed += 1
            if WebhookEvent.objects.filter(
                integration=integration, stripe_id=data["id"]
            ).exists():
                continue
            _, created = webhook_event_store(
                integration=integration,
                data=data,
                body=json.dumps(data, separators=(",", ":")),
                headers={},
                source="sweep",
            )
            run.ingested += created
    except Exception as exc:
        # Record the failure and try again next run; never lose what was stored.
        logger.warning("event sweep of %s failed: %s", integration, exc)
        run.error = f"{exc.__class__.__name__}: {exc}"[:2000]
        alert_raise(
            integration=integration,
            level="warning",
            code="event_sweep_failed",
            message=f"{integration}: the sweep for missed Stripe events failed "
            f"({mask_secrets(run.error[:300])}); events Stripe could not deliver "
            "are not being recovered until it succeeds.",
            dedupe_key=f"event_sweep:{integration.pk}",
        )
    run.save(update_fields=["listed", "ingested", "error"])
    if run.ingested:
        logger.info(
            "event sweep ingested missed events",
            extra={"integration": integration.pk, "ingested": run.ingested},
        )
    return run
