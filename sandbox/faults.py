"""Fault injection shared by every sandbox (Stripe, SYSPRO, Sage Pro).

Switches live in `FaultConfig` rows so that every web and worker process sees
the same faults; each process keeps them for at most `CACHE_SECONDS` so a hot
request path costs no query most of the time.

A sandbox view calls `faults_check(sandbox)` first and renders the returned
`FaultHit` in its own vendor's shape (SYSPRO: transport 503, Sage Pro: JSON
error with Retry-After, Stripe: its error object). Credential rejection is left
to each sandbox's auth step (`faults_get(...).reject_credentials`).
"""

from __future__ import annotations

import hmac
import json
import random
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from sandbox.models import FaultConfig, SandboxName

CACHE_SECONDS = 0.25
MAX_LATENCY_MS = 120_000

_TRUE = {"1", "true", "yes", "on", "y"}
_FALSE = {"0", "false", "no", "off", "n", ""}


def _parse_bool(name: str, value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, int) and value in (0, 1):
        return bool(value)
    if isinstance(value, str) and value.strip().lower() in _TRUE | _FALSE:
        return value.strip().lower() in _TRUE
    raise ValueError(f"{name} must be a boolean (true/false), got {value!r}")


def _parse_int(name: str, value: Any, *, low: int, high: int) -> int:
    if isinstance(value, bool):
        raise ValueError(f"{name} must be an integer, got {value!r}")
    try:
        number = int(str(value).strip()) if not isinstance(value, int) else value
    except ValueError:
        raise ValueError(f"{name} must be an integer, got {value!r}") from None
    if not low <= number <= high:
        raise ValueError(f"{name} must be between {low} and {high}, got {number}")
    return number


def _parse_rate(name: str, value: Any) -> float:
    # A probability, not money: float is the right type here.
    if isinstance(value, bool):
        raise ValueError(f"{name} must be a number between 0 and 1, got {value!r}")
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ValueError(
            f"{name} must be a number between 0 and 1, got {value!r}"
        ) from None
    if not 0.0 <= number <= 1.0:
        raise ValueError(f"{name} must be between 0 and 1, got {number}")
    return number


Parser = Callable[[str, Any], Any]


def bool_switch(name: str, value: Any) -> bool:
    return _parse_bool(name, value)


def rate_switch(name: str, value: Any) -> float:
    return _parse_rate(name, value)


def millis_switch(name: str, value: Any) -> int:
    return _parse_int(name, value, low=0, high=MAX_LATENCY_MS)


BASE_SWITCHES: dict[str, Parser] = {
    "latency_ms": millis_switch,
    "error_rate": rate_switch,
    "rate_limit_per_second": lambda n, v: _parse_int(n, v, low=0, high=1_000_000),
    "down": bool_switch,
    "reject_credentials": bool_switch,
}

# Sandbox-specific switches kept in `Faults.extra`. A sandbox may add its own
# with `faults_register_switch` when its module is imported.
EXTRA_SWITCHES: dict[str, dict[str, Parser]] = {
    SandboxName.STRIPE: {
        "webhook_duplicate_rate": rate_switch,
        "webhook_shuffle": bool_switch,
        "webhook_delay_ms": millis_switch,
        "webhook_pause": bool_switch,
    },
    SandboxName.SYSPRO: {
        # One shot: end every open session, as an app-pool recycle would.
        "session_expired": bool_switch,
        # Commit the write, then answer 502: the reply is lost, not the work.
        "error_after_write_rate": rate_switch,
        # Answer a clean SORTOI import without the order number, as SYSPRO
        # now and then does; unset, every third order.
        "numberless_order_reply_rate": rate_switch,
    },
}


@dataclass(frozen=True)
class Faults:
    latency_ms: int = 0
    error_rate: float = 0.0
    rate_limit_per_second: int = 0  # 0 = no limit
    down: bool = False
    reject_credentials: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class FaultHit:
    """A fault that must replace the normal answer of a request."""

    kind: str  # "down" | "rate_limited" | "error"
    retry_after: int = 0
    message: str = ""


_cache: dict[str, tuple[float, Faults]] = {}
# SandboxName.values builds a new list on every read; this runs per request.
_SANDBOXES = frozenset(SandboxName.values)


def _check_sandbox(sandbox: str) -> str:
    if sandbox not in _SANDBOXES:
        raise ValueError(
            f"unknown sandbox {sandbox!r}; expected one of {SandboxName.values}"
        )
    return sandbox


def faults_register_switch(*, sandbox: str, name: str, parser: Parser) -> None:
    """Add a sandbox-specific switch (stored in `Faults.extra`)."""
    _check_sandbox(sandbox)
    if name in BASE_SWITCHES:
        raise ValueError(f"{name} is a base switch")
    EXTRA_SWITCHES.setdefault(sandbox, {})[name] = parser


def _from_settings(data: dict[str, Any]) -> Faults:
    base = {name: data[name] for name in BASE_SWITCHES if name in data}
    return Faults(**base, extra=dict(data.get("extra") or {}))


def _cacheable() -> bool:
    # Inside a transaction the row may still be rolled back (tests roll back
    # after each case), so only values read outside one are shared.
    return not connection.in_atomic_block


# The faults the current request has read, by sandbox: one request sees one
# set of switches, and reads them once even where a transaction keeps it
# from the process-wide cache (every Stripe POST emits its events in one).
_request_faults: ContextVar[dict[str, Faults] | None] = ContextVar(
    "sandbox_request_faults", default=None
)


@contextmanager
def faults_request_scope() -> Iterator[None]:
    """Around one request of a sandbox: its faults are read once."""
    token = _request_faults.set({})
    try:
        yield
    finally:
        _request_faults.reset(token)


def faults_get(sandbox: str, /) -> Faults:
    _check_sandbox(sandbox)
    scoped = _request_faults.get()
    if scoped is not None:
        if sandbox not in scoped:
            scoped[sandbox] = _faults_read(sandbox)
        return scoped[sandbox]
    return _faults_read(sandbox)


def _forget(sandbox: str) -> None:
    _cache.pop(sandbox, None)
    scoped = _request_faults.get()
    if scoped is not None:
        scoped.pop(sandbox, None)


def _faults_read(sandbox: str) -> Faults:
    cacheable = _cacheable()
    now = time.monotonic()
    if cacheable:
        hit = _cache.get(sandbox)
        if hit and now - hit[0] < CACHE_SECONDS:
            return hit[1]
    row = FaultConfig.objects.filter(sandbox=sandbox).values("settings").first()
    faults = _from_settings(row["settings"]) if row else Faults()
    if cacheable:
        _cache[sandbox] = (now, faults)
    else:
        _cache.pop(sandbox, None)
    return faults


def _validate(sandbox: str, changes: dict[str, Any]) -> tuple[dict, dict]:
    base: dict[str, Any] = {}
    extra: dict[str, Any] = {}
    known_extra = EXTRA_SWITCHES.get(sandbox, {})
    nested = changes.pop("extra", None)
    if nested is not None:
        if not isinstance(nested, dict):
            raise ValueError("extra must be an object of switch names to values")
        changes = {**nested, **changes}
    for name, value in changes.items():
        if name in BASE_SWITCHES:
            base[name] = BASE_SWITCHES[name](name, value)
        elif name in known_extra:
            extra[name] = known_extra[name](name, value)
        else:
            allowed = sorted([*BASE_SWITCHES, *known_extra])
            raise ValueError(
                f"unknown fault switch {name!r} for {sandbox}; "
                f"allowed: {', '.join(allowed)}"
            )
    return base, extra


def faults_set(sandbox: str, /, **changes: Any) -> Faults:
    """Change some switches; the others keep their value. ValueError on bad input."""
    _check_sandbox(sandbox)
    base, extra = _validate(sandbox, dict(changes))
    with transaction.atomic():
        row, _ = FaultConfig.objects.select_for_update().get_or_create(sandbox=sandbox)
        current = _from_settings(row.settings)
        faults = replace(current, **base, extra={**current.extra, **extra})
        row.settings = faults.as_dict()
        row.save(update_fields=["settings", "updated_at"])
    _forget(sandbox)
    return faults


def faults_reset(sandbox: str, /) -> Faults:
    _check_sandbox(sandbox)
    FaultConfig.objects.filter(sandbox=sandbox).delete()
    _forget(sandbox)
    return Faults()


# The rate limit's clock: wall-clock seconds, shared by every process.
clock: Callable[[], float] = time.time


def rate_limit_hit(sandbox: str, *, limit: int) -> int:
    """Count one request; return seconds to wait if over `limit` per second, else 0.

    One cache counter per wall-clock second is shared by all processes with
    Redis; the file cache's incr is read-modify-write, so under heavy
    concurrency it may let a few extra requests through — fine for a sandbox.
    """
    if limit <= 0:
        return 0
    second = int(clock())
    key = f"sandbox:ratelimit:{sandbox}:{second}"
    cache.add(key, 0, timeout=5)
    try:
        count = cache.incr(key)
    except ValueError:
        # The key expired between add and incr: this is the first request.
        cache.set(key, 1, timeout=5)
        count = 1
    return 1 if count > limit else 0


def faults_check(
    sandbox: str, *, sleep: Callable[[float], None] | None = None
) -> FaultHit | None:
    """Apply latency, then report an outage, a rate limit or a random error."""
    faults = faults_get(sandbox)
    if faults.latency_ms:
        (sleep or time.sleep)(faults.latency_ms / 1000)
    if faults.down:
        return FaultHit(kind="down", retry_after=1, message=f"{sandbox} is down")
    retry_after = rate_limit_hit(sandbox, limit=faults.rate_limit_per_second)
    if retry_after:
        return FaultHit(
            kind="rate_limited",
            retry_after=retry_after,
            message=f"more than {faults.rate_limit_per_second} requests per second",
        )
    if faults.error_rate and random.random() < faults.error_rate:
        return FaultHit(kind="error", message="injected server error")
    return None


def faults_lose_reply(sandbox: str) -> bool:
    """After a committed write: should the reply be replaced by a 5xx?"""
    rate = faults_get(sandbox).extra.get("error_after_write_rate") or 0
    return bool(rate) and random.random() < rate


def bearer_ok(request: HttpRequest, key_setting_name: str) -> bool:
    expected = getattr(settings, key_setting_name, "") or ""
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token or not expected:
        return False
    return hmac.compare_digest(token.strip().encode(), expected.encode())


def _unauthorized() -> JsonResponse:
    response = JsonResponse(
        {
            "error": {
                "code": "unauthorized",
                "message": "send Authorization: Bearer <sandbox key>",
            }
        },
        status=401,
    )
    response["WWW-Authenticate"] = "Bearer"
    return response


def bearer_required(key_setting_name: str):
    """Decorator for `_state` / `_reset` style views: Bearer key or 401 JSON.

    The key is read per request (settings may be overridden at run time).
    """

    def decorator(view):
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not bearer_ok(request, key_setting_name):
                return _unauthorized()
            return view(request, *args, **kwargs)

        wrapped.__name__ = getattr(view, "__name__", "view")
        wrapped.__doc__ = view.__doc__
        return csrf_exempt(wrapped)

    return decorator


def _request_changes(request: HttpRequest) -> dict[str, Any]:
    if request.content_type == "application/json":
        try:
            data = json.loads(request.body or b"{}")
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise ValueError(f"body is not valid JSON: {exc}") from None
        if not isinstance(data, dict):
            raise ValueError("body must be a JSON object of switch names to values")
        return data
    return {key: request.POST.get(key) for key in request.POST}


def control_view(sandbox: str, key_setting_name: str):
    """`GET/POST <root>/_control`: read or change the sandbox's fault switches.

    POST a JSON object (or a form) of switches; `{"reset": true}` restores the
    defaults first.
    """
    _check_sandbox(sandbox)

    @bearer_required(key_setting_name)
    def view(request: HttpRequest) -> HttpResponse:
        if request.method == "GET":
            faults = faults_get(sandbox)
        elif request.method == "POST":
            try:
                changes = _request_changes(request)
                if _parse_bool("reset", changes.pop("reset", False)):
                    faults_reset(sandbox)
                faults = faults_set(sandbox, **changes)
            except ValueError as exc:
                return JsonResponse(
                    {"error": {"code": "invalid_fault", "message": str(exc)}},
                    status=400,
                )
        else:
            return JsonResponse(
                {"error": {"code": "method_not_allowed", "message": "GET or POST"}},
                status=405,
            )
        return JsonResponse({"sandbox": sandbox, "faults": faults.as_dict()})

    view.__name__ = f"{sandbox}_control"
    return view
