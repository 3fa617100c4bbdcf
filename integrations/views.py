"""Stripe webhook intake: verify, store, enqueue on commit, answer.

No Stripe or ERP call happens here; the work runs in django-q2 workers. The
portal's WSGI entry point serves deliveries below Django's request handling
(integrations.wsgi); `stripe_webhook` is the same answer through Django, for
everything else that routes a request here (tests, other entry points).
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from . import services
from .services import IntakeRejected


@dataclass(frozen=True)
class DeliveryAnswer:
    status: int
    payload: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)


def delivery_answer(
    *,
    integration_uuid: str,
    method: str,
    meta: Mapping[str, Any],
    read: Callable[[int], bytes],
) -> DeliveryAnswer:
    """Verify and store one delivery; what to answer Stripe.

    `meta` holds the WSGI environ's request variables (Django's request.META
    or the environ itself) and `read` reads the body.
    """
    try:
        if method != "POST":
            raise IntakeRejected(405, "method not allowed: use POST")
        body = _read_body(meta, read)
        event, created = services.webhook_event_receive(
            integration_uuid=integration_uuid,
            body=body,
            signature=meta.get("HTTP_STRIPE_SIGNATURE", ""),
            headers=services.intake_headers(meta),
        )
    except IntakeRejected as rejected:
        services.rejected_delivery_record(
            integration_uuid=integration_uuid,
            status_code=rejected.status_code,
            reason=rejected.message,
            remote_addr=meta.get("REMOTE_ADDR"),
            body_bytes=_declared_length(meta),
        )
        return DeliveryAnswer(
            rejected.status_code,
            {"error": {"status": rejected.status_code, "reason": rejected.message}},
            {"Allow": "POST"} if rejected.status_code == 405 else {},
        )
    return DeliveryAnswer(
        200, {"received": True, "duplicate": not created, "event": event.stripe_id}
    )


@csrf_exempt
def stripe_webhook(request: HttpRequest, integration_uuid: str) -> JsonResponse:
    answer = delivery_answer(
        integration_uuid=integration_uuid,
        method=request.method or "",
        meta=request.META,
        read=request.read,
    )
    response = JsonResponse(answer.payload, status=answer.status)
    for name, value in answer.headers.items():
        response[name] = value
    return response


def _declared_length(meta: Mapping[str, Any]) -> int:
    declared = meta.get("CONTENT_LENGTH") or "0"
    return int(declared) if declared.isdigit() else 0


def _read_body(meta: Mapping[str, Any], read: Callable[[int], bytes]) -> bytes:
    limit = settings.WEBHOOK_MAX_BODY_BYTES
    declared = _declared_length(meta)
    if declared > limit:
        raise IntakeRejected(413, f"body larger than {limit} bytes")
    # As Django does: no (or no valid) Content-Length, no body; never more
    # than the declared length.
    return read(declared) if declared else b""
