"""The scheduled pass of the monitoring app and the channel services the
admin calls."""

from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from integrations.audit import audit_record
from portal.crypto import fingerprint

from .channels import channel_url_check
from .delivery import alert_deliveries_enqueue, alert_deliveries_plan
from .models import AlertChannel
from .rollup import erp_calls_rollup
from .rules import alert_rules_evaluate


def monitoring_run(*, now: datetime | None = None) -> dict[str, int]:
    """Roll up the attempt log, check the rules, plan and queue deliveries."""
    now = now or timezone.now()
    rolled_up = erp_calls_rollup()
    raised = alert_rules_evaluate(now=now)
    planned = alert_deliveries_plan(now=now)
    channels = alert_deliveries_enqueue(now=now)
    return {
        "attempts_rolled_up": rolled_up,
        "rule_alerts": len(raised),
        "deliveries_planned": planned,
        "channels_queued": len(channels),
    }


@transaction.atomic
def alert_channel_url_set(
    *, channel: AlertChannel, url: str, actor: AbstractBaseUser | None
) -> AlertChannel:
    """Store a channel's webhook or apprise URL encrypted; audit the change,
    never the URL (raises OutboundUrlRefused for a URL the portal refuses)."""
    channel_url_check(channel.kind, url)
    before = channel.url_fingerprint
    channel.url = url
    channel.url_fingerprint = fingerprint(url)
    channel.save(update_fields=["url", "url_fingerprint"])
    audit_record(
        actor=actor,
        action="alert_channel.url_set",
        target=channel,
        before={"url_fingerprint": before},
        after={"url_fingerprint": channel.url_fingerprint},
    )
    return channel
