"""Stalled request bodies against the real server: gunicorn, its threads, Django.

Connections that declare a body and then stop sending must not hold the web
workers: each is cut off with a 408 once WEBHOOK_BODY_TIMEOUT_SECONDS has
passed, and a signed delivery sent in the middle of the storm is answered.
"""

import os
import socket
import time

import pytest

from .conftest import HEAVY_MARK

pytestmark = [pytest.mark.reliability, getattr(pytest.mark, HEAVY_MARK)]

BODY_TIMEOUT = 2
WEB_WORKERS, WEB_THREADS = 2, 8


def _prerequisites():
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        pytest.skip("process scenarios need DATABASE_URL pointing at PostgreSQL")
    from bench import common, harness

    if not (common.postgres_available() and common.redis_available()):
        pytest.skip("PostgreSQL or Redis not reachable for throwaway databases")
    return common, harness


def _stall(port: int, path: str) -> socket.socket:
    """Send a delivery's headers and one byte of its 4 KB body, then nothing."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=60)
    sock.sendall(
        (
            f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            "Content-Type: application/json\r\nContent-Length: 4096\r\n"
            "Stripe-Signature: t=1,v1=00\r\n\r\n{"
        ).encode()
    )
    return sock


def _status(sock: socket.socket) -> int:
    head = b""
    while b"\r\n" not in head:
        chunk = sock.recv(1024)
        if not chunk:
            return 0
        head += chunk
    return int(head.split(b" ", 2)[1])


def test_stalled_bodies_are_cut_off_and_deliveries_still_answered():
    common, harness = _prerequisites()
    with common.stack(
        "postgres", redis=True, WEBHOOK_BODY_TIMEOUT_SECONDS=str(BODY_TIMEOUT)
    ) as stack:
        portal = harness.portal_start(
            stack, erp="syspro", web_workers=WEB_WORKERS, threads=WEB_THREADS
        )
        stalled: list[socket.socket] = []
        try:
            path = portal.webhook_url.split(str(portal.web.port), 1)[1]
            # given twice as many stalled bodies as the server has threads
            for _ in range(2 * WEB_WORKERS * WEB_THREADS):
                stalled.append(_stall(portal.web.port, path))
            time.sleep(0.5)

            # when a signed delivery arrives in the middle of the storm
            event = common.charge_event("evt_slow_storm", "ch_slow_storm")
            status = portal.deliver(event)

            # then it is answered, and every stalled body got a 408
            assert status == 200
            assert [_status(sock) for sock in stalled] == [408] * len(stalled)
            stored = stack.django(
                "from integrations.models import RejectedDelivery, WebhookEvent\n"
                "result = [WebhookEvent.objects.filter("
                "stripe_id='evt_slow_storm').count(), sorted(set("
                "RejectedDelivery.objects.values_list('reason', flat=True)))]"
            )
            assert stored == [1, [f"body not received within {BODY_TIMEOUT} s"]]
        finally:
            for sock in stalled:
                sock.close()
            portal.close()
