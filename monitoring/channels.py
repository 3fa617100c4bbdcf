"""Sending one message through one alert channel.

Email goes through Django's configured email backend (EMAIL_URL). Slack and
Microsoft Teams messages are posted here, with requests, to the incoming
webhook URL the channel stores: apprise's Slack and Teams plugins build the
URL of the vendor's own host from tokens (`https://hooks.slack.com/services`,
`https://<team>.webhook.office.com`), so they can neither take the URL a
person copies from Slack or Teams nor be pointed at anything else; posting the
vendor's documented JSON ourselves also sends it through the portal's
outbound guard (portal/outbound.py: https only, no private or metadata
addresses unless allowed). Every other service goes through apprise, whose
URL names the service (discord://, mattermost://, json://host/path …).
"""

import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

import apprise
import requests
from django.conf import settings
from django.core.mail import EmailMessage

from portal.exceptions import ApplicationError
from portal.logging import mask_secrets
from portal.outbound import (
    GuardedHTTPAdapter,
    OutboundUrlRefused,
    base_url_check,
    request_url_check,
)

from .models import AlertChannel

logger = logging.getLogger(__name__)

WEBHOOK_TIMEOUT_SECONDS = 10


class DeliveryFailed(ApplicationError):
    """A channel did not take the message; the delivery is retried."""


@dataclass(frozen=True)
class Message:
    subject: str
    text: str
    level: str


# Apprise's generic web hooks post wherever their URL says (json://host/path
# is http://host/path): they follow the same outbound rules as Slack and
# Teams. Vendor schemes (discord://, msteams:// …) post to the vendor's own
# hosts; a self-hosted service's URL (mattermost://host …) is trusted as
# typed by the integration admin, like the rest of the channel.
_GENERIC_SCHEMES = {
    "json": "http",
    "jsons": "https",
    "form": "http",
    "forms": "https",
    "xml": "http",
    "xmls": "https",
}


def _generic_http_url(url: str) -> str:
    """The http(s) URL an apprise generic web hook posts to, or ""."""
    parts = urlsplit(url)
    scheme = _GENERIC_SCHEMES.get(parts.scheme.lower())
    if scheme is None:
        return ""
    return f"{scheme}://{parts.netloc}{parts.path}"


def channel_url_check(kind: str, url: str, *, resolve: bool = False) -> None:
    """Refuse a channel URL the portal would not post to (raises OutboundUrlRefused).

    Slack and Teams URLs, and apprise's generic json/form/xml hooks, follow
    the outbound rules (portal/outbound.py); with `resolve`, every address
    the host resolves to now is checked too. A Teams workflow URL carries its
    signature in the query, which is kept.
    """
    if kind == AlertChannel.Kind.APPRISE:
        if not apprise.Apprise.instantiate(url, suppress_exceptions=True):
            raise OutboundUrlRefused(
                "Apprise does not recognise this URL; see "
                "https://github.com/caronc/apprise/wiki for the services' URLs."
            )
        url = _generic_http_url(url)
        if not url:
            return
    target = url.split("?", 1)[0]
    if resolve:
        request_url_check(target)
    else:
        base_url_check(target)


def _slack_escaped(text: str) -> str:
    # https://api.slack.com/reference/surfaces/formatting#escaping
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!<>|~])")


def _markdown_escaped(text: str) -> str:
    """Text shown literally by the Markdown subset of Adaptive Card TextBlocks."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def slack_payload(message: Message) -> dict:
    """Slack's incoming webhook body: https://api.slack.com/messaging/webhooks"""
    return {
        "text": _slack_escaped(f"{message.subject}\n{message.text}"),
        "unfurl_links": False,
    }


def teams_payload(message: Message) -> dict:
    """An Adaptive Card message, as Teams incoming webhooks and workflows take it:
    https://learn.microsoft.com/en-us/microsoftteams/platform/webhooks-and-connectors/how-to/connectors-using
    """
    return {
        "type": "message",
        "attachments": [
            {
                "contentType": "application/vnd.microsoft.card.adaptive",
                "contentUrl": None,
                "content": {
                    "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
                    "type": "AdaptiveCard",
                    "version": "1.4",
                    "body": [
                        {
                            "type": "TextBlock",
                            "text": _markdown_escaped(message.subject),
                            "weight": "Bolder",
                            "wrap": True,
                        },
                        {
                            "type": "TextBlock",
                            "text": _markdown_escaped(message.text),
                            "wrap": True,
                        },
                    ],
                },
            }
        ],
    }


def _post_json(channel: AlertChannel, payload: dict) -> None:
    try:
        channel_url_check(channel.kind, channel.url)
    except OutboundUrlRefused as exc:
        raise DeliveryFailed(f"The channel's URL is refused: {exc.message}") from None
    session = requests.Session()
    adapter = GuardedHTTPAdapter(max_retries=0)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    try:
        response = session.post(
            channel.url,
            json=payload,
            timeout=WEBHOOK_TIMEOUT_SECONDS,
            allow_redirects=False,
        )
    except OutboundUrlRefused as exc:
        raise DeliveryFailed(f"The channel's URL is refused: {exc.message}") from None
    except requests.RequestException as exc:
        # The exception text holds the URL, which is the channel's secret.
        raise DeliveryFailed(
            f"The webhook could not be reached ({type(exc).__name__})."
        ) from None
    finally:
        session.close()
    if not 200 <= response.status_code < 300:
        raise DeliveryFailed(
            f"The webhook answered HTTP {response.status_code}: "
            f"{mask_secrets(response.text[:200])}"
        )


def _send_slack(channel: AlertChannel, message: Message) -> None:
    _post_json(channel, slack_payload(message))


def _send_teams(channel: AlertChannel, message: Message) -> None:
    _post_json(channel, teams_payload(message))


_APPRISE_TYPES = {
    "info": apprise.NotifyType.INFO,
    "warning": apprise.NotifyType.WARNING,
    "critical": apprise.NotifyType.FAILURE,
}


def _send_apprise(channel: AlertChannel, message: Message) -> None:
    try:
        # Apprise makes its own connection: resolve and check the host first.
        channel_url_check(channel.kind, channel.url, resolve=True)
    except OutboundUrlRefused as exc:
        raise DeliveryFailed(f"The channel's URL is refused: {exc.message}") from None
    notifier = apprise.Apprise()
    notifier.add(channel.url)
    with apprise.LogCapture(level=logging.WARNING) as captured:
        sent = notifier.notify(
            title=message.subject,
            body=message.text,
            notify_type=_APPRISE_TYPES.get(message.level, apprise.NotifyType.INFO),
            body_format=apprise.NotifyFormat.TEXT,
        )
        log = captured.getvalue()
    if not sent:
        raise DeliveryFailed(
            "Apprise could not send the message: "
            + (mask_secrets(log.strip()[-300:]) or "no reason given")
        )


def _send_email(channel: AlertChannel, message: Message) -> None:
    recipients = channel.recipient_list()
    if not recipients:
        raise DeliveryFailed("The email channel has no recipients.")
    # A header cannot hold a line break (Django refuses it): one line.
    subject = " ".join(message.subject.split())[:200]
    email = EmailMessage(
        subject=subject,
        body=message.text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=recipients,
    )
    try:
        email.send(fail_silently=False)
    except (OSError, ValueError) as exc:
        # smtplib's errors are OSErrors; they name the server, not a secret.
        raise DeliveryFailed(
            mask_secrets(f"Email not sent: {type(exc).__name__}: {exc}")[:500]
        ) from None


SENDERS: dict[str, Callable[[AlertChannel, Message], None]] = {
    AlertChannel.Kind.EMAIL: _send_email,
    AlertChannel.Kind.SLACK: _send_slack,
    AlertChannel.Kind.TEAMS: _send_teams,
    AlertChannel.Kind.APPRISE: _send_apprise,
}


def channel_send(*, channel: AlertChannel, message: Message) -> None:
    """Send `message` through `channel`; raises DeliveryFailed."""
    SENDERS[channel.kind](channel, message)
