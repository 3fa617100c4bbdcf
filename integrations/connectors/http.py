"""The HTTP session every ERP connector (and the Stripe SDK's client) uses,
the outbound URL guard, waiting out an ERP's rate limit, and telling a failed
call that never reached the ERP from a write whose reply was lost.
"""

import logging
import os
import random
import time
from collections.abc import Callable
from typing import Any, TypeVar
from urllib.parse import urlsplit

import requests
import urllib3.exceptions
from django.conf import settings
from requests.sessions import merge_setting
from requests.utils import get_environ_proxies

from integrations.models import Connection
from portal.outbound import GuardedHTTPAdapter, OutboundUrlRefused, base_url_check

from .errors import (
    ConnectorError,
    RateLimitedError,
    TransientError,
    UnknownOutcomeError,
)

logger = logging.getLogger(__name__)

T = TypeVar("T")

SessionFactory = Callable[[Connection], requests.Session]

# Tests point this at an in-process WSGI transport (tests/support/wsgi.py);
# None means a real pooled session per connector.
SESSION_FACTORY: SessionFactory | None = None


class EnvironmentReadOnceSession(requests.Session):
    """A requests Session that reads the environment's proxy settings once
    per host instead of on every request.

    requests looks the proxies up for each request (`get_environ_proxies`,
    which scans every environment variable, twice); a worker's environment
    does not change while it runs, so the answer for a host is kept. What is
    done with it is Session.merge_environment_settings, line for line.
    """

    def __init__(self) -> None:
        super().__init__()
        self._environ_proxies: dict[tuple[str, str, str | None], dict[str, str]] = {}

    def merge_environment_settings(
        self,
        url: str,
        proxies: dict[str, str] | None,
        stream: bool | None,
        verify: Any,
        cert: Any,
    ) -> dict[str, Any]:
        if self.trust_env:
            no_proxy = proxies.get("no_proxy") if proxies is not None else None
            if proxies is not None:
                for key, value in self._proxies_for(url, no_proxy).items():
                    proxies.setdefault(key, value)
            if verify is True or verify is None:
                verify = (
                    os.environ.get("REQUESTS_CA_BUNDLE")
                    or os.environ.get("CURL_CA_BUNDLE")
                    or verify
                )
        return {
            "proxies": merge_setting(proxies, self.proxies),
            "stream": merge_setting(stream, self.stream),
            "verify": merge_setting(verify, self.verify),
            "cert": merge_setting(cert, self.cert),
        }

    def _proxies_for(self, url: str, no_proxy: str | None) -> dict[str, str]:
        """The environment's proxies for `url`'s scheme and host."""
        parts = urlsplit(url)
        key = (parts.scheme.lower(), parts.netloc.lower(), no_proxy)
        found = self._environ_proxies.get(key)
        if found is None:
            found = get_environ_proxies(url, no_proxy=no_proxy)
            self._environ_proxies[key] = found
        return found


def http_session_for(connection: Connection) -> requests.Session:
    """The HTTP session a connector (or the Stripe SDK's RequestsClient) uses."""
    if SESSION_FACTORY is not None:
        return SESSION_FACTORY(connection)
    session = EnvironmentReadOnceSession()
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


# Answers behind which a write may have committed: the server failed while or
# after working (500), or a gateway lost the ERP's reply (502, 504). A 503
# means the request was turned away (app pool stopped, maintenance) and a 429
# that the ERP did not run it.
REPLY_LOST_STATUSES = frozenset({500, 502, 504})

# Failures raised before a byte of the request left: nothing can have committed.
_BEFORE_SENDING = (
    urllib3.exceptions.NewConnectionError,
    urllib3.exceptions.ConnectTimeoutError,
    urllib3.exceptions.NameResolutionError,
)


def request_may_have_left(exc: requests.RequestException) -> bool:
    """Whether the request may have reached the server before `exc`.

    False only for failures that happen before sending (no connection, DNS,
    TLS handshake, proxy, a connect timeout); a read timeout, a reset or a
    broken reply mean the server may have acted on it.
    """
    if isinstance(exc, requests.ConnectTimeout | requests.exceptions.SSLError):
        return False
    if isinstance(exc, requests.exceptions.ProxyError | requests.exceptions.InvalidURL):
        return False
    if isinstance(exc, requests.ConnectionError):
        cause = exc.args[0] if exc.args else None
        reason = getattr(cause, "reason", cause)
        if isinstance(reason, _BEFORE_SENDING):
            return False
    return True


def transport_failure(
    exc: requests.RequestException,
    *,
    erp: str,
    write: bool,
    what: str,
    timeout: float,
    extra: dict[str, Any],
) -> ConnectorError:
    """The error for a call that got no HTTP answer.

    A read (or a write that never left) is transient: sending it again is
    safe. A write that may have reached the ERP is an unknown outcome: the
    ledger retries it only where the ERP package can look the reference up.
    """
    if isinstance(exc, requests.Timeout):
        message = f"{erp} did not answer {what} within {timeout}s"
    else:
        message = f"{erp} is unreachable ({type(exc).__name__})"
    if write and request_may_have_left(exc):
        return reply_lost(erp=erp, what=what, cause=message, extra=extra)
    return TransientError(message, extra)


def reply_lost(
    *, erp: str, what: str, cause: str, extra: dict[str, Any]
) -> UnknownOutcomeError:
    """A write that left for the ERP and whose reply was lost (`cause`)."""
    logger.warning("%s: reply to a write lost", erp, extra={**extra, "cause": cause})
    return UnknownOutcomeError(
        f"{cause}: {what} was sent and its reply lost, so {erp} may have posted it.",
        {**extra, "reply_lost": True},
    )
