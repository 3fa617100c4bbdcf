"""The WSGI application: routing, bearer key, JSON in and out, errors.

Thin: parse, call one Agent method, render. Every error is
`{"error": {"code", "message", "field"}}` with its status; a 409 duplicate
also carries `"document"`; 423 (locked), 429 and 503 carry `Retry-After`.
Anything unexpected answers 500 with no detail (the log has it).
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from typing import Any
from urllib.parse import parse_qs, unquote

from .auth import KeyStore
from .errors import AgentError, invalid, locked, not_found
from .locks import LockBusy
from .service import Agent

logger = logging.getLogger(__name__)

MAX_BODY = 1024 * 1024
DOCUMENTS = ("salesorders", "invoices", "cashreceipts", "creditmemos", "journalentries")
STATUS_TEXT = {
    200: "OK",
    201: "Created",
    400: "Bad Request",
    401: "Unauthorized",
    404: "Not Found",
    405: "Method Not Allowed",
    409: "Conflict",
    411: "Length Required",
    413: "Content Too Large",
    423: "Locked",
    429: "Too Many Requests",
    500: "Internal Server Error",
    503: "Service Unavailable",
}

StartResponse = Callable[[str, list[tuple[str, str]]], Any]


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a number JSON allows")


def _segments(environ: dict[str, Any]) -> list[str]:
    """Path segments, each percent-decoded on its own (`%2F` stays inside one)."""
    raw = environ.get("RAW_URI") or environ.get("REQUEST_URI")
    if raw:
        path = raw.split("?", 1)[0]
        if "://" in path:
            path = "/" + path.split("://", 1)[1].split("/", 1)[-1]
        parts = path.split("/")
    else:
        parts = environ.get("PATH_INFO", "").split("/")
        return [p for p in parts if p]
    return [unquote(p) for p in parts if p]


class AgentApp:
    def __init__(self, agent: Agent, keys: KeyStore, *, held: Any = None) -> None:
        self.agent = agent
        self.keys = keys
        self.held = held  # the data folder's agent lock, kept while serving

    def __call__(
        self, environ: dict[str, Any], start_response: StartResponse
    ) -> Iterable[bytes]:
        headers: list[tuple[str, str]] = []
        try:
            status, body = self.handle(environ)
        except LockBusy as exc:
            # A read, or a write before anything was written, met a lock.
            error = locked(str(exc), self.agent.retry_after)
            status, body = error.status, error.as_dict()
            headers.append(("Retry-After", str(error.retry_after)))
        except AgentError as exc:
            status, body = exc.status, exc.as_dict()
            if exc.retry_after is not None:
                headers.append(("Retry-After", str(exc.retry_after)))
            if exc.status == 401:
                headers.append(
                    ("WWW-Authenticate", 'Bearer realm="ledgerbridge-agent"')
                )
        except Exception:
            logger.exception("unexpected error")
            status = 500
            body = AgentError(500, "server_error", "unexpected error").as_dict()
        data = json.dumps(body).encode("utf-8")
        headers += [
            ("Content-Type", "application/json"),
            ("Content-Length", str(len(data))),
            ("Cache-Control", "no-store"),
            ("X-Content-Type-Options", "nosniff"),
        ]
        start_response(f"{status} {STATUS_TEXT.get(status, 'Error')}", headers)
        return [data]

    # --- request parsing ----------------------------------------------------------

    def _authorised(self, environ: dict[str, Any], *, control: bool = False) -> None:
        header = environ.get("HTTP_AUTHORIZATION", "")
        scheme, _, token = header.partition(" ")
        if (
            scheme.lower() != "bearer"
            or not token.strip()
            or (not control and self.agent.hooks.rejects_key())
            or not self.keys.verify(token.strip())
        ):
            raise AgentError(401, "unauthorized", "missing or invalid API key")

    def _body(self, environ: dict[str, Any]) -> Any:
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            raise AgentError(400, "invalid", "Content-Length is not a number") from None
        if length < 0:
            raise AgentError(400, "invalid", "Content-Length is negative")
        if length > MAX_BODY:
            raise AgentError(
                413, "too_large", f"the body may be at most {MAX_BODY} bytes"
            )
        raw = environ["wsgi.input"].read(length) if length else b""
        try:
            return json.loads(
                raw.decode("utf-8"),
                parse_float=str,
                parse_constant=_refuse_constant,
            )
        except (ValueError, UnicodeDecodeError) as exc:
            raise AgentError(
                400, "invalid_json", f"the body is not valid JSON: {exc}"
            ) from None

    def _filters(self, environ: dict[str, Any]) -> dict[str, str]:
        query = parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True)
        filters = {}
        for name, values in query.items():
            if len(values) != 1:
                raise invalid(name, f"give {name} once")
            filters[name] = values[0].strip()
        return filters

    # --- routing ----------------------------------------------------------------------

    def handle(self, environ: dict[str, Any]) -> tuple[int, Any]:
        method = environ.get("REQUEST_METHOD", "GET").upper()
        parts = _segments(environ)
        if parts[:1] == ["_hooks"] and self.agent.hooks.enabled:
            self._authorised(environ, control=True)
            if method == "POST":
                return 200, self.agent.hooks.configure(self._body(environ))
            if method == "GET":
                return 200, self.agent.hooks.current()
            raise AgentError(405, "method_not_allowed", f"{method} is not allowed here")
        if parts[:2] != ["api", "v1"]:
            raise not_found("no such endpoint")
        self.agent.hooks.before_request()
        self._authorised(environ)
        return self.route(method, parts[2:], environ)

    def route(self, method: str, parts: list[str], environ: dict[str, Any]) -> Any:
        agent = self.agent
        resource = parts[0] if parts else ""
        allowed = {
            "info": ("GET",),
            "schema": ("GET",),
            "items": ("GET",),
            "customers": ("GET", "POST", "PUT"),
            **{name: ("GET", "POST") for name in DOCUMENTS},
        }
        if resource not in allowed or len(parts) > 3:
            raise not_found(f"no such endpoint /api/v1/{'/'.join(parts)}")
        if method not in allowed[resource]:
            raise AgentError(405, "method_not_allowed", f"{method} is not allowed here")
        if resource in ("info", "schema"):
            if len(parts) != 1:
                raise not_found("no such endpoint")
            return 200, agent.info() if resource == "info" else agent.schema()
        if len(parts) == 3 and resource == "customers" and parts[2] == "subscription":
            if method == "PUT":
                return 200, agent.customer_subscription_put(
                    parts[1], self._body(environ)
                )
            if method == "GET":
                return 200, agent.customer_subscription(parts[1])
            raise AgentError(405, "method_not_allowed", f"{method} is not allowed here")
        if len(parts) == 3:
            if resource != "customers" or parts[2] != "prices" or method != "GET":
                raise not_found(f"no such endpoint /api/v1/{'/'.join(parts)}")
            rows = agent.customer_prices(parts[1])
            return 200, {"data": rows, "count": len(rows)}
        if len(parts) == 2:
            if method == "GET":
                return 200, agent.get(resource, parts[1])
            if method == "PUT" and resource == "customers":
                return 200, agent.customer_update(parts[1], self._body(environ))
            raise AgentError(405, "method_not_allowed", f"{method} is not allowed here")
        if method == "GET":
            rows = agent.list(resource, self._filters(environ))
            return 200, {"data": rows, "count": len(rows)}
        if method == "POST":
            body = self._body(environ)
            if resource == "customers":
                created = agent.customer_create(body)
                # Lost replies cover customers too, as the stand-in's did.
                if agent.hooks.lose_reply():
                    raise AgentError(
                        500, "server_error", "reply lost after write (test hook)"
                    )
                return 201, created
            return 201, agent.create(resource, body)
        raise AgentError(405, "method_not_allowed", f"{method} is not allowed here")
