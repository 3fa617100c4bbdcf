"""A local SMTP sink and a local HTTP receiver for alert deliveries.

Both listen on 127.0.0.1 on a free port; Django's SMTP backend and the chat
channels are pointed at them, so delivery is tested end to end on loopback.
"""

import json
import socket
import threading
from dataclasses import dataclass, field
from email import message_from_bytes
from email.message import Message
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from aiosmtpd.controller import Controller

from monitoring.models import AlertChannel
from monitoring.services import alert_channel_url_set


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class SmtpSink:
    messages: list[Message] = field(default_factory=list)

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        message = message_from_bytes(envelope.content)
        message["X-Envelope-To"] = ", ".join(envelope.rcpt_tos)
        self.messages.append(message)
        return "250 OK"


@pytest.fixture
def smtp_sink(settings):
    sink = SmtpSink()
    port = _free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    try:
        yield sink
    finally:
        controller.stop()


@dataclass
class Received:
    path: str
    body: dict


class HttpReceiver:
    """Records each POST; answers `status` (settable) to every one."""

    def __init__(self) -> None:
        self.received: list[Received] = []
        self.status = 200
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length)
                content_type = self.headers.get("Content-Type", "")
                body = json.loads(raw) if "json" in content_type else {"raw": raw}
                receiver.received.append(Received(self.path, body))
                self.send_response(receiver.status)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def at(self, path: str) -> list[dict]:
        return [r.body for r in self.received if r.path == path]


@pytest.fixture
def http_receiver():
    receiver = HttpReceiver()
    receiver.thread.start()
    try:
        yield receiver
    finally:
        receiver.server.shutdown()
        receiver.server.server_close()


def channel_add(*, kind: str, url: str = "", **fields) -> AlertChannel:
    channel = AlertChannel.objects.create(
        name=fields.pop("name", f"{kind} channel"), kind=kind, **fields
    )
    if url:
        alert_channel_url_set(channel=channel, url=url, actor=None)
    return channel


@pytest.fixture
def channels(http_receiver, smtp_sink):
    """One channel of each kind, all pointed at the local receivers."""
    return {
        "email": channel_add(
            kind=AlertChannel.Kind.EMAIL, recipients="oncall@example.com"
        ),
        "slack": channel_add(
            kind=AlertChannel.Kind.SLACK, url=http_receiver.url("/slack")
        ),
        "teams": channel_add(
            kind=AlertChannel.Kind.TEAMS, url=http_receiver.url("/teams")
        ),
        "apprise": channel_add(
            kind=AlertChannel.Kind.APPRISE,
            url=f"json://127.0.0.1:{http_receiver.port}/apprise",
        ),
    }
