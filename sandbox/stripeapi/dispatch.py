"""The HTTP edge every /v1/ call goes through.

Order of checks mirrors what a client sees from Stripe: injected faults, then
the secret key, then the parameters; POSTs run in one transaction and, with an
`Idempotency-Key`, store their answer so a repeat gets the same bytes back
(https://docs.stripe.com/api/idempotent_requests).
"""

import base64
import binascii
import hashlib
import hmac
import json
import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.views.decorators.csrf import csrf_exempt

from sandbox.faults import faults_check, faults_get, faults_request_scope

from .errors import StripeApiError
from .models import ApiKey, IdempotentRequest
from .params import get_list, parse_query
from .selectors import expand
from .services.core import (
    API_VERSION,
    RequestInfo,
    events_batched,
    new_id,
    request_context,
)

logger = logging.getLogger(__name__)

Handler = Callable[..., dict[str, Any]]


def _json(body: dict[str, Any], status: int) -> HttpResponse:
    return HttpResponse(
        json.dumps(body, indent=2), status=status, content_type="application/json"
    )


def _fault_error(request: HttpRequest) -> StripeApiError | None:
    hit = faults_check("stripe")
    if hit is None:
        return None
    if hit.kind == "down":
        return StripeApiError(
            "The Stripe sandbox is unavailable (injected outage).",
            status=503,
            type="api_error",
        )
    if hit.kind == "rate_limited":
        return StripeApiError(
            "Request rate limit exceeded. Learn more about rate limits here "
            "https://stripe.com/docs/rate-limits.",
            status=429,
            code="rate_limit",
        )
    return StripeApiError(
        "An unknown error occurred (injected server error).",
        status=500,
        type="api_error",
    )


def _presented_key(request: HttpRequest) -> str:
    header = request.headers.get("Authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer":
        return value.strip()
    if scheme.lower() == "basic":
        try:
            decoded = base64.b64decode(value.strip()).decode()
        except (binascii.Error, UnicodeDecodeError):
            return ""
        return decoded.partition(":")[0]
    return ""


def _authenticate(request: HttpRequest) -> None:
    key = _presented_key(request)
    if not key:
        raise StripeApiError(
            "You did not provide an API key. You need to provide your API key in "
            "the Authorization header, using Bearer auth.",
            status=401,
        )
    expected = settings.SANDBOX_STRIPE_API_KEY
    valid = hmac.compare_digest(key.encode(), expected.encode()) or (
        ApiKey.objects.filter(key=key).exists()
    )
    if not valid or faults_get("stripe").reject_credentials:
        masked = f"{key[:8]}{'*' * 8}{key[-4:]}" if len(key) > 12 else "****"
        raise StripeApiError(
            f"Invalid API Key provided: {masked}", status=401, code="api_key_invalid"
        )


def _params(request: HttpRequest) -> dict[str, Any]:
    query = request.META.get("QUERY_STRING", "")
    if request.method in ("POST", "DELETE") and request.body:
        content_type = request.content_type or ""
        if content_type not in ("application/x-www-form-urlencoded", ""):
            raise StripeApiError(
                "Invalid request: send parameters form-encoded "
                "(application/x-www-form-urlencoded).",
                status=400,
            )
        try:
            body = request.body.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise StripeApiError("Request body is not valid UTF-8.") from exc
        query = f"{query}&{body}" if query else body
    return parse_query(query)


def _fingerprint(request: HttpRequest, params: dict[str, Any]) -> str:
    canonical = json.dumps(
        [request.method, request.path, params], sort_keys=True, default=str
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def _run(
    handler: Handler, params: dict[str, Any], kwargs: dict[str, Any]
) -> tuple[int, dict[str, Any]]:
    """Run a handler in a savepoint; errors roll it back unless `keep_writes`."""
    try:
        with transaction.atomic(), events_batched():
            try:
                body = handler(params, **kwargs)
            except StripeApiError as exc:
                if not exc.keep_writes:
                    raise
                return exc.status, exc.body()
            paths = [str(path) for path in get_list(params, "expand")]
            return 200, expand(body, paths)
    except StripeApiError as exc:
        return exc.status, exc.body()


def _run_idempotent(
    request: HttpRequest,
    handler: Handler,
    params: dict[str, Any],
    kwargs: dict[str, Any],
    key: str,
    request_id: str,
) -> HttpResponse:
    fingerprint = _fingerprint(request, params)

    def replay(stored: IdempotentRequest) -> HttpResponse:
        if stored.fingerprint != fingerprint:
            return _json(
                StripeApiError(
                    "Keys for idempotent requests can only be used with the same "
                    "parameters they were first used with. Try using a key other "
                    "than "
                    f"'{key}' if you meant to execute a different request.",
                    type="idempotency_error",
                ).body(),
                400,
            )
        response = HttpResponse(
            stored.body, status=stored.status_code, content_type="application/json"
        )
        response["Idempotent-Replayed"] = "true"
        response["Original-Request"] = stored.request_id
        return response

    stored = IdempotentRequest.objects.filter(key=key).first()
    if stored is not None:
        return replay(stored)
    try:
        with transaction.atomic():
            status, body = _run(handler, params, kwargs)
            text = json.dumps(body, indent=2)
            IdempotentRequest.objects.create(
                key=key,
                method=request.method,
                path=request.path,
                fingerprint=fingerprint,
                status_code=status,
                body=text,
                request_id=request_id,
            )
    except IntegrityError:
        # A concurrent request with the same key committed first; its answer wins.
        stored = IdempotentRequest.objects.filter(key=key).first()
        if stored is None:
            raise
        return replay(stored)
    response = HttpResponse(text, status=status, content_type="application/json")
    response["Idempotency-Key"] = key
    return response


def _handle(
    request: HttpRequest,
    handlers: dict[str, Handler],
    kwargs: dict[str, Any],
    request_id: str,
) -> HttpResponse:
    handler = handlers.get(request.method or "")
    try:
        fault = _fault_error(request)
        if fault is not None:
            raise fault
        _authenticate(request)
        if handler is None:
            raise StripeApiError(
                f"Unrecognized request URL ({request.method}: {request.path}).",
                status=404,
            )
        params = _params(request)
    except StripeApiError as exc:
        return _json(exc.body(), exc.status)
    key = request.headers.get("Idempotency-Key", "").strip()
    if len(key) > 255:
        return _json(
            StripeApiError(
                "Idempotency-Key must be at most 255 characters.",
                type="idempotency_error",
            ).body(),
            400,
        )
    with request_context(RequestInfo(id=request_id, idempotency_key=key or None)):
        if request.method == "POST" and key:
            return _run_idempotent(request, handler, params, kwargs, key, request_id)
        status, body = _run(handler, params, kwargs)
    return _json(body, status)


def endpoint(**handlers: Handler) -> Callable[..., HttpResponse]:
    """A view for one URL, routing GET/POST/DELETE to the given handlers."""

    @csrf_exempt
    def view(request: HttpRequest, **kwargs: Any) -> HttpResponse:
        request_id = new_id("req", 14)
        try:
            with faults_request_scope():
                response = _handle(request, handlers, kwargs, request_id)
        except Exception:
            logger.exception("stripe sandbox error", extra={"request_id": request_id})
            response = _json(
                StripeApiError(
                    "An unknown error occurred", status=500, type="api_error"
                ).body(),
                500,
            )
        response["Request-Id"] = request_id
        response["Stripe-Version"] = API_VERSION
        return response

    return view
