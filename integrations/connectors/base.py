"""The small protocol every ERP connector implements, and the registry.

Write methods are exactly-once by contract: each takes the Stripe `reference`
the document is keyed by, looks that reference up in the ERP first and adopts
what it finds (returning `adopted=True`); only when nothing is found does it
create. `upsert_customer(looked_up=True)` skips its lookup when the caller has
just found neither the code nor the email; a create that meets an existing
customer still adopts it. Payloads are dicts of the ERP's own field names,
produced by mapping/.
"""

import logging
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

import requests
from django.conf import settings

from integrations.models import Connection
from portal.outbound import GuardedHTTPAdapter, OutboundUrlRefused, base_url_check

from .errors import ConnectorError, RateLimitedError

logger = logging.getLogger(__name__)

T = TypeVar("T")


@dataclass(frozen=True)
class ErpDocument:
    """What the ERP answered for one write: its document number and raw reply."""

    number: str
    raw: dict[str, Any] = field(default_factory=dict)
    adopted: bool = False


class ErpConnector(Protocol):
    kind: str

    def upsert_customer(
        self, payload: dict, *, reference: str, looked_up: bool = False
    ) -> ErpDocument: ...

    def find_customer(self, *, code: str = "", email: str = "") -> dict | None: ...

    def create_sales_order(self, payload: dict, *, reference: str) -> ErpDocument: ...

    def post_payment(self, payload: dict, *, reference: str) -> ErpDocument: ...

    def post_credit_note(self, payload: dict, *, reference: str) -> ErpDocument: ...

    def post_adjustment(self, payload: dict, *, reference: str) -> ErpDocument: ...

    def create_invoice(self, payload: dict, *, reference: str) -> ErpDocument: ...

    def post_journal(self, payload: dict, *, reference: str) -> ErpDocument: ...

    def customer_prices(self, customer_code: str) -> list[dict]: ...

    def customer_orders(self, customer_code: str) -> list[dict]: ...

    def stock(self, stock_code: str) -> dict: ...

    def close(self) -> None: ...


ConnectorFactory = Callable[[Connection], ErpConnector]

# Filled by the connector modules on import; tests register fakes here.
REGISTRY: dict[str, ConnectorFactory] = {}

_instances: dict[tuple[int, str], ErpConnector] = {}


def register(kind: str, factory: ConnectorFactory) -> None:
    REGISTRY[kind] = factory


def connector_for(connection: Connection) -> ErpConnector:
    """One connector per connection and process, so ERP sessions are reused.

    A change to the connection (new password, new URL) gives a new instance.
    """
    key = (connection.pk, connection.updated_at.isoformat())
    connector = _instances.get(key)
    if connector is None:
        for stale_key in [k for k in _instances if k[0] == connection.pk]:
            _instances.pop(stale_key).close()
        connector = REGISTRY[connection.kind](connection)
        _instances[key] = connector
    return connector


def close_all() -> None:
    while _instances:
        _, connector = _instances.popitem()
        connector.close()


SessionFactory = Callable[[Connection], requests.Session]

# Tests point this at an in-process WSGI transport (tests/support/wsgi.py);
# None means a real pooled session per connector.
SESSION_FACTORY: SessionFactory | None = None


def http_session_for(connection: Connection) -> requests.Session:
    """The HTTP session a connector (or the Stripe SDK's RequestsClient) uses."""
    if SESSION_FACTORY is not None:
        return SESSION_FACTORY(connection)
    session = requests.Session()
    # Checks every address the host resolves to, and the one it connected
    # to, before a credential leaves (portal/outbound.py).
    adapter = GuardedHTTPAdapter(pool_connections=4, pool_maxsize=32, max_retries=0)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


def outbound_refusal(exc: OutboundUrlRefused, *, connection_id: Any) -> ConnectorError:
    """The error a connector raises for a URL it will not send credentials to."""
    return ConnectorError(
        f"The connection's base URL is refused: {exc.message} "
        "Correct it on the connection, then retry.",
        {"connection_id": connection_id},
        field="base_url",
    )


def base_url_checked(url: str, *, connection_id: Any) -> str:
    """`url` if credentials may go there; checked before every request because
    the stored URL may have been changed without the admin form's validation.
    """
    try:
        base_url_check(url)
    except OutboundUrlRefused as exc:
        raise outbound_refusal(exc, connection_id=connection_id) from None
    return url


def rate_limit_waited(call: Callable[[], T]) -> T:
    """Run one ERP call, waiting out the ERP's rate limit before giving up.

    A rate-limited answer (429, or 503 with Retry-After) means the ERP did not
    run the request, so sending it again is safe for reads and writes alike.
    Each wait is the ERP's Retry-After (1 s if it named none) plus up to half
    again at random, so workers turned away in the same second do not all come
    back together. Past ERP_RATE_LIMIT_WAIT_SECONDS in total the error goes to
    the ledger, which backs the record off.
    """
    budget = settings.ERP_RATE_LIMIT_WAIT_SECONDS
    waited = 0.0
    while True:
        try:
            return call()
        except RateLimitedError as exc:
            wait = (exc.retry_after or 1.0) * random.uniform(1.0, 1.5)
            if waited + wait > budget:
                raise
            logger.info("ERP rate limit: waiting %.1fs", wait, extra=exc.extra)
            time.sleep(wait)
            waited += wait
