"""One JSON shape for every API error, with a machine code.

    {"error": {"code": "not_found", "message": "…", "fields": {…}, "extra": {…}}}

ApplicationError (the project's one exception tree) keeps its message and
extra, with 409 for what a service refuses; DRF's errors keep their own codes
(`not_authenticated`, `throttled`, `invalid` …); `fields` appears on
validation errors only.
"""

import re

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.response import Response

from portal.exceptions import ApplicationError

ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message"],
            "properties": {
                "code": {"type": "string", "example": "not_found"},
                "message": {"type": "string"},
                "fields": {
                    "type": "object",
                    "additionalProperties": True,
                    "description": "Validation errors by field.",
                },
                "extra": {"type": "object", "additionalProperties": True},
            },
        }
    },
}


def error_body(code: str, message: str, **more) -> dict:
    return {"error": {"code": code, "message": message, **more}}


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def _first_message(detail) -> str:
    if isinstance(detail, dict):
        for key, value in detail.items():
            return f"{key}: {_first_message(value)}"
        return "Invalid input"
    if isinstance(detail, list):
        return _first_message(detail[0]) if detail else "Invalid input"
    return str(detail)


def api_exception_handler(exc: Exception, context: dict) -> Response | None:
    if isinstance(exc, ApplicationError):
        code = getattr(exc, "code", "") or _snake(type(exc).__name__)
        # The request was well formed (the serializers passed it): what a
        # service refuses is the object's state or a rule, a conflict.
        status_code = 409 if exc.status_code == 400 else exc.status_code
        return Response(
            error_body(code, exc.message, extra=exc.extra), status=status_code
        )
    if isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    if not isinstance(exc, exceptions.APIException):
        return None
    headers = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if getattr(exc, "wait", None):
        headers["Retry-After"] = str(int(exc.wait))
    if isinstance(exc, exceptions.ValidationError):
        detail = exc.detail if isinstance(exc.detail, dict) else {"": exc.detail}
        body = error_body("invalid", _first_message(exc.detail), fields=detail)
    else:
        codes = exc.get_codes()
        code = codes if isinstance(codes, str) else exc.default_code
        body = error_body(str(code), _first_message(exc.detail))
    return Response(
        body, status=exc.status_code or status.HTTP_400_BAD_REQUEST, headers=headers
    )


@csrf_exempt
def not_found(request, *args, **kwargs) -> JsonResponse:
    """Any other path under /api/: the same error shape, not an HTML page."""
    return JsonResponse(
        error_body("not_found", "No API resource at this path"), status=404
    )
