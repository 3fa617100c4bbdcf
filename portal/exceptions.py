"""The one exception tree of the project.

Services raise `ApplicationError` (or a subclass); the API renders it as JSON
and the admin as a message.
"""

from typing import Any

from rest_framework.response import Response
from rest_framework.views import exception_handler


class ApplicationError(Exception):
    status_code = 400

    def __init__(self, message: str, extra: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.extra = extra or {}


class NotFound(ApplicationError):
    status_code = 404


class PermissionDenied(ApplicationError):
    status_code = 403


def api_exception_handler(exc: Exception, context: dict) -> Response | None:
    if isinstance(exc, ApplicationError):
        return Response(
            {"error": {"message": exc.message, "extra": exc.extra}},
            status=exc.status_code,
        )
    return exception_handler(exc, context)
