"""Sage Pro REST endpoints under /api/v1/ (PROTOCOLS.md §2).

Thin: injected faults, Bearer auth, JSON parsing, one service or selector
call, errors as {"error": {"code", "message", "field"}}.
"""

import json
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from sandbox.faults import (
    bearer_ok,
    bearer_required,
    control_view,
    faults_check,
    faults_get,
    faults_lose_reply,
)

from . import selectors, services
from .services import SageError

KEY_SETTING = "SANDBOX_SAGEPRO_API_KEY"

CREATORS: dict[str, tuple[Callable[..., Any], Callable[[Any], dict]]] = {
    "customers": (services.customer_create, selectors.customer_data),
    "salesorders": (services.salesorder_create, selectors.salesorder_data),
    "invoices": (services.invoice_create, selectors.invoice_data),
    "cashreceipts": (services.cashreceipt_create, selectors.cashreceipt_data),
    "creditmemos": (services.creditmemo_create, selectors.creditmemo_data),
    "journalentries": (services.journalentry_create, selectors.journalentry_data),
}


def _error(error: SageError) -> JsonResponse:
    response = JsonResponse(error.as_dict(), status=error.status)
    if error.status == 401:
        response["WWW-Authenticate"] = "Bearer"
    return response


def _guarded(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Faults first (as a gateway in front of the API would), then the API key."""

    @csrf_exempt
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        hit = faults_check("sagepro")
        if hit is not None:
            status, code = {
                "down": (503, "unavailable"),
                "rate_limited": (429, "rate_limited"),
            }.get(hit.kind, (500, "server_error"))
            response = _error(SageError(status, code, hit.message))
            if hit.retry_after:
                response["Retry-After"] = str(hit.retry_after)
            return response
        if faults_get("sagepro").reject_credentials or not bearer_ok(
            request, KEY_SETTING
        ):
            return _error(SageError(401, "unauthorized", "missing or invalid API key"))
        try:
            return view(request, *args, **kwargs)
        except SageError as exc:
            return _error(exc)

    wrapped.__name__ = view.__name__
    return wrapped


def _json_body(request: HttpRequest) -> Any:
    try:
        return json.loads(request.body or b"")
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise SageError(400, "invalid_json", f"body is not valid JSON: {exc}") from None


def _not_allowed(request: HttpRequest) -> SageError:
    return SageError(405, "method_not_allowed", f"{request.method} is not allowed here")


def _created(resource: str, data: Any) -> HttpResponse:
    create, serialize = CREATORS[resource]
    document = create(data=data)
    if faults_lose_reply("sagepro"):
        raise SageError(500, "server_error", "reply lost after write")
    return JsonResponse(serialize(document), status=201)


@_guarded
def collection(request: HttpRequest, resource: str) -> HttpResponse:
    if request.method == "GET":
        filters = {key: request.GET.get(key, "") for key in request.GET}
        try:
            rows = selectors.resource_list(resource=resource, filters=filters)
        except KeyError as exc:
            raise SageError(
                400, "invalid", f"unknown filter {exc.args[0]!r}", exc.args[0]
            ) from None
        return JsonResponse({"data": rows, "count": len(rows)})
    if request.method == "POST":
        return _created(resource, _json_body(request))
    raise _not_allowed(request)


@_guarded
def detail(request: HttpRequest, resource: str, key: str) -> HttpResponse:
    if request.method == "GET":
        row = selectors.resource_get(resource=resource, key=key)
        if row is None:
            raise SageError(404, "not_found", f"{resource} {key} not found")
        return JsonResponse(row)
    if request.method == "PUT" and resource == "customers":
        customer = services.customer_update(custno=key, data=_json_body(request))
        return JsonResponse(selectors.customer_data(customer))
    raise _not_allowed(request)


@_guarded
def unknown(request: HttpRequest, path: str) -> HttpResponse:
    raise SageError(404, "not_found", f"no such endpoint /api/v1/{path}")


control = control_view("sagepro", KEY_SETTING)


@bearer_required(KEY_SETTING)
@require_GET
def state(request: HttpRequest) -> HttpResponse:
    return JsonResponse(selectors.sandbox_state())


@bearer_required(KEY_SETTING)
@require_POST
def reset(request: HttpRequest) -> HttpResponse:
    services.sandbox_reset()
    return JsonResponse({"reset": True})
