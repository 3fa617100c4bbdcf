"""Stripe webhook intake: verify, store, enqueue on commit, answer.

No Stripe or ERP call happens here; the work runs in django-q2 workers.
"""

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from . import services
from .services import IntakeRejected


@csrf_exempt
def stripe_webhook(request: HttpRequest, integration_uuid: str) -> JsonResponse:
    try:
        if request.method != "POST":
            raise IntakeRejected(405, "method not allowed: use POST")
        body = _read_body(request)
        event, created = services.webhook_event_receive(
            integration_uuid=integration_uuid,
            body=body,
            signature=request.META.get("HTTP_STRIPE_SIGNATURE", ""),
            headers=services.intake_headers(request.META),
        )
    except IntakeRejected as rejected:
        services.rejected_delivery_record(
            integration_uuid=integration_uuid,
            status_code=rejected.status_code,
            reason=rejected.message,
            remote_addr=request.META.get("REMOTE_ADDR"),
            body_bytes=int(request.META.get("CONTENT_LENGTH") or 0),
        )
        response = JsonResponse(
            {"error": {"status": rejected.status_code, "reason": rejected.message}},
            status=rejected.status_code,
        )
        if rejected.status_code == 405:
            response["Allow"] = "POST"
        return response
    return JsonResponse(
        {"received": True, "duplicate": not created, "event": event.stripe_id}
    )


def _read_body(request: HttpRequest) -> bytes:
    limit = settings.WEBHOOK_MAX_BODY_BYTES
    declared = request.META.get("CONTENT_LENGTH") or "0"
    if declared.isdigit() and int(declared) > limit:
        raise IntakeRejected(413, f"body larger than {limit} bytes")
    body = request.read(limit + 1)
    if len(body) > limit:
        raise IntakeRejected(413, f"body larger than {limit} bytes")
    return body
