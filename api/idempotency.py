"""`Idempotency-Key` on POST actions: a repeated key returns the first answer.

The first request with a key claims it (a row per person and key), runs, and
stores its answer; a repeat with the same method, path and body gets the
stored answer back (marked `Idempotent-Replayed: true`); one with another
request, or one sent while the first still runs, gets 409 with its own code.
"""

import json
import re
from collections.abc import Callable
from functools import wraps

from django.http.request import RawPostDataException
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework.request import Request
from rest_framework.response import Response

from . import services
from .errors import error_body

HEADER = "Idempotency-Key"
MAX_KEY_LENGTH = 255
KEY_PATTERN = r"^[!-~]{1,255}$"

IDEMPOTENCY_PARAMETER = OpenApiParameter(
    HEADER,
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    pattern=KEY_PATTERN,
    description="Up to 255 visible ASCII characters (a UUID will do): a repeat "
    "of the same request with the same key returns the first answer instead "
    "of acting again; the same key with another request is refused (409).",
)


def _body(request: Request) -> bytes:
    try:
        return request.body
    except RawPostDataException:
        # A form post already read by the CSRF check: its parsed data will do.
        return json.dumps(request.data, sort_keys=True, default=str).encode()


def idempotent(action: Callable) -> Callable:
    @wraps(action)
    def wrapper(view, request: Request, *args, **kwargs) -> Response:
        if HEADER not in request.headers:
            return action(view, request, *args, **kwargs)
        key = request.headers[HEADER]
        if not re.fullmatch(KEY_PATTERN, key):
            return Response(
                error_body(
                    "invalid_idempotency_key",
                    f"{HEADER} must be 1 to {MAX_KEY_LENGTH} visible ASCII characters",
                ),
                status=400,
            )
        digest = services.request_digest(
            method=request.method, path=request.path, body=_body(request)
        )
        row, claimed = services.idempotent_response_claim(
            user=request.user,
            key=key,
            method=request.method,
            path=request.path,
            digest=digest,
        )
        if not claimed:
            if row.request_digest != digest:
                return Response(
                    error_body(
                        "idempotency_key_reused",
                        f"This {HEADER} was sent with another request",
                    ),
                    status=409,
                )
            if row.status_code == 0:
                return Response(
                    error_body(
                        "idempotency_key_in_use",
                        f"The first request with this {HEADER} is still running",
                    ),
                    status=409,
                )
            replay = Response(row.body, status=row.status_code)
            replay["Idempotent-Replayed"] = "true"
            return replay
        try:
            response = action(view, request, *args, **kwargs)
        except Exception as exc:
            try:
                response = view.handle_exception(exc)
            except Exception:
                services.idempotent_response_release(row=row)
                raise
        if response.status_code >= 500:
            services.idempotent_response_release(row=row)
        else:
            services.idempotent_response_store(
                row=row, status_code=response.status_code, body=response.data
            )
        return response

    return wrapper
