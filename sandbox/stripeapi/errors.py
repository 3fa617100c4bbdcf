"""Errors rendered in Stripe's shape: {"error": {"type", "code", "message", "param"}}.

See https://docs.stripe.com/api/errors for the types and status codes the SDK
maps to its exception classes.
"""

from typing import Any


class StripeApiError(Exception):
    """An API error; `keep_writes` keeps what the request wrote (card declines)."""

    def __init__(
        self,
        message: str,
        *,
        status: int = 400,
        type: str = "invalid_request_error",  # noqa: A002 - Stripe's field name
        code: str | None = None,
        param: str | None = None,
        extra: dict[str, Any] | None = None,
        keep_writes: bool = False,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.type = type
        self.code = code
        self.param = param
        self.extra = extra or {}
        self.keep_writes = keep_writes

    def body(self) -> dict[str, Any]:
        error: dict[str, Any] = {"type": self.type, "message": self.message}
        if self.code:
            error["code"] = self.code
        if self.param:
            error["param"] = self.param
        error.update(self.extra)
        return {"error": error}


def missing(param: str) -> StripeApiError:
    return StripeApiError(
        f"Missing required param: {param}.", code="parameter_missing", param=param
    )


def invalid(
    param: str, message: str, code: str = "parameter_invalid"
) -> StripeApiError:
    return StripeApiError(message, code=code, param=param)


def no_such(kind: str, object_id: str, param: str = "id") -> StripeApiError:
    return StripeApiError(
        f"No such {kind}: '{object_id}'",
        status=404,
        code="resource_missing",
        param=param,
    )
