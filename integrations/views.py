"""Stripe webhook endpoint: a plain Django view over integrations.intake.

The endpoint is found before the body is read, and the body is read within a
deadline, so deliveries to nowhere and stalled bodies cost no worker for long.
"""

import time

from django.conf import settings
from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from . import intake
from .intake import IntakeRejected

_READ_CHUNK_BYTES = 64 * 1024


@csrf_exempt
def stripe_webhook(request: HttpRequest, integration_uuid: str) -> JsonResponse:
    try:
        if request.method != "POST":
            raise IntakeRejected(405, "method not allowed: use POST")
        endpoint = intake.delivery_endpoint(integration_uuid=integration_uuid)
        body = _read_body(request)
        event, created = intake.webhook_event_receive(
            endpoint=endpoint,
            body=body,
            signature=request.META.get("HTTP_STRIPE_SIGNATURE", ""),
            headers=intake.intake_headers(request.META),
        )
    except IntakeRejected as rejected:
        intake.rejected_delivery_record(
            integration_uuid=integration_uuid,
            status_code=rejected.status_code,
            reason=rejected.message,
            remote_addr=request.META.get("REMOTE_ADDR"),
            body_bytes=_declared_length(request),
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


def _declared_length(request: HttpRequest) -> int:
    declared = request.META.get("CONTENT_LENGTH") or ""
    return int(declared) if declared.isdigit() else 0


def _read_body(request: HttpRequest) -> bytes:
    """The declared body, read within WEBHOOK_BODY_TIMEOUT_SECONDS.

    Stripe always sends a Content-Length; a body without one (chunked) is
    refused rather than read to an unknown end. Under gunicorn the socket is
    in the environ (https://docs.gunicorn.org/en/stable/design.html, the
    `gunicorn.socket` key), and each read gets the time left as its timeout;
    a stalled body is cut off with a 408 and gunicorn closes the connection.
    In production put a buffering reverse proxy in front as well (README).
    """
    declared = request.META.get("CONTENT_LENGTH") or ""
    if not declared.isdigit():
        raise IntakeRejected(411, "a Content-Length header is required")
    length = int(declared)
    limit = settings.WEBHOOK_MAX_BODY_BYTES
    if length > limit:
        raise IntakeRejected(413, f"body larger than {limit} bytes")
    timeout = settings.WEBHOOK_BODY_TIMEOUT_SECONDS
    sock = request.META.get("gunicorn.socket")
    deadline = time.monotonic() + timeout
    chunks, remaining = [], length
    try:
        while remaining:
            if sock is not None:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError
                sock.settimeout(left)
            chunk = request.read(min(remaining, _READ_CHUNK_BYTES))
            if not chunk:
                raise IntakeRejected(400, "body shorter than its Content-Length")
            chunks.append(chunk)
            remaining -= len(chunk)
    except OSError as exc:
        # Django wraps the socket's timeout in UnreadablePostError.
        if isinstance(exc, TimeoutError) or isinstance(exc.__cause__, TimeoutError):
            raise IntakeRejected(
                408, f"body not received within {timeout:g} s"
            ) from exc
        raise IntakeRejected(400, "body could not be read") from exc
    finally:
        if sock is not None:
            sock.settimeout(None)
    return b"".join(chunks)
