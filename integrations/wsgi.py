"""Stripe's deliveries served below Django's request handling.

A delivery needs nothing of what Django builds around a view: no session,
CSRF, authentication or messages middleware, no URL resolution through the
admin's patterns, no HttpRequest or HttpResponse. Under gunicorn on two cores
that machinery cost about a third of a delivery's web-worker CPU (0.85-1.28
ms per delivery through Django with only the middleware skipped, against
0.57-0.81 ms here, at 8 and 32 concurrent deliveries in alternating runs of
bench/intake.py's load). The answer itself is the same code as the Django
view's (`views.delivery_answer`).

Only a POST to exactly the `stripe-webhook` URL's shape is served here, and
only when SecurityMiddleware would not redirect it to HTTPS; every other
request, a GET to the webhook URL included, goes to Django as usual.
"""

import json
import logging
from collections.abc import Callable, Iterable
from http import HTTPStatus
from typing import Any

from django.conf import settings
from django.db import close_old_connections
from django.urls import NoReverseMatch, get_resolver

from . import views

logger = logging.getLogger("django.request")

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def webhook_intake(django_app: WSGIApp) -> WSGIApp:
    """Wrap the portal's WSGI application (Django must be set up)."""
    try:
        # Without the script prefix, as PATH_INFO comes.
        path = get_resolver().reverse("stripe-webhook", "0")
    except NoReverseMatch:
        return django_app
    prefix = "/" + path[: -len("0/")]

    def application(
        environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        path_info = environ.get("PATH_INFO", "")
        if (
            environ.get("REQUEST_METHOD") == "POST"
            and path_info.startswith(prefix)
            and path_info.endswith("/")
        ):
            segment = path_info[len(prefix) : -1]
            if segment and "/" not in segment and not _redirects_to_https(environ):
                return _serve(environ, start_response, segment)
        return django_app(environ, start_response)

    return application


def _serve(
    environ: dict[str, Any], start_response: Callable[..., Any], segment: str
) -> list[bytes]:
    try:
        answer = views.delivery_answer(
            integration_uuid=segment,
            method="POST",
            meta=environ,
            read=environ["wsgi.input"].read,
        )
    except Exception:
        logger.error(
            "Internal Server Error: %s",
            environ.get("PATH_INFO", ""),
            exc_info=True,
            extra={"status_code": 500},
        )
        answer = views.DeliveryAnswer(
            500, {"error": {"status": 500, "reason": "internal error"}}
        )
    finally:
        # What Django's request signals do here, without sending them (their
        # dispatch was about a tenth of a delivery's CPU in-process): close a
        # database connection that an error broke or CONN_MAX_AGE retired.
        # Nothing else they do applies: the intake keeps no query log, uses no
        # cache connection and sets no URLconf.
        close_old_connections()
    body = json.dumps(answer.payload).encode()
    headers = [
        ("Content-Type", "application/json"),
        ("Content-Length", str(len(body))),
        ("X-Content-Type-Options", "nosniff"),
        *answer.headers.items(),
    ]
    if settings.SECURE_HSTS_SECONDS and _scheme(environ) == "https":
        headers.append(
            ("Strict-Transport-Security", f"max-age={settings.SECURE_HSTS_SECONDS}")
        )
    status = HTTPStatus(answer.status)
    start_response(f"{status.value} {status.phrase}", headers)
    return [body]


def _redirects_to_https(environ: dict[str, Any]) -> bool:
    return bool(settings.SECURE_SSL_REDIRECT) and _scheme(environ) != "https"


def _scheme(environ: dict[str, Any]) -> str:
    """The request's scheme, as Django's HttpRequest.scheme works it out."""
    if settings.SECURE_PROXY_SSL_HEADER:
        header, secure_value = settings.SECURE_PROXY_SSL_HEADER
        value = environ.get(header)
        if value is not None:
            value, *_ = value.split(",", 1)
            return "https" if value.strip() == secure_value else "http"
    return environ.get("wsgi.url_scheme", "http")
