"""The text of alert messages and of the daily digest (plain text; the chat
senders escape it for their own markup)."""

from django.conf import settings
from django.urls import reverse

from integrations.models import Alert

from .channels import Message

# Alerts one message shows in full; it counts the others.
LISTED_ALERTS = 20


def admin_link(path: str) -> str:
    base = settings.PORTAL_PUBLIC_URL.rstrip("/")
    return f"{base}{path}" if base else ""


def alert_line(alert: Alert) -> str:
    scope = str(alert.integration) if alert.integration_id else "portal"
    return f"[{alert.level.upper()}] {scope}: {alert.message}"


def alert_message(alerts: list[Alert], *, reminder: bool) -> Message:
    """One alert, or several raised together, as one message, the most
    severe first."""
    alerts = sorted(alerts, key=lambda a: (-level_rank(a.level), a.created_at))
    worst = max(alerts, key=lambda a: _LEVEL_RANK.get(a.level, 0))
    prefix = "Reminder: " if reminder else ""
    if len(alerts) == 1:
        alert = alerts[0]
        subject = f"{prefix}[{alert.level.upper()}] LedgerBridge: {alert.code}"
        if alert.integration_id:
            subject += f" ({alert.integration})"
    else:
        subject = f"{prefix}LedgerBridge: {len(alerts)} alerts"
    lines = []
    for alert in alerts[:LISTED_ALERTS]:
        lines.append(alert_line(alert))
        lines.append(
            f"  raised {alert.created_at:%Y-%m-%d %H:%M %Z}, code {alert.code}"
        )
        link = admin_link(reverse("admin:integrations_alert_change", args=[alert.pk]))
        if link:
            lines.append(f"  {link}")
    if len(alerts) > LISTED_ALERTS:
        lines.append(f"… and {len(alerts) - LISTED_ALERTS} more alerts in the portal.")
    lines.append("")
    lines.append(
        "Acknowledge or resolve alerts in the portal's Alerts page; an open "
        "alert nobody acknowledged is sent again as a reminder."
    )
    return Message(subject=subject, text="\n".join(lines), level=worst.level)


_LEVEL_RANK = {"info": 0, "warning": 1, "critical": 2}


def level_rank(level: str) -> int:
    return _LEVEL_RANK.get(level, 0)
