"""Errors every connector raises instead of its vendor's own.

The ledger decides what to do from the class alone: retry transient and rate
limited errors with backoff, pause the integration on authentication errors,
send validation, not-found and duplicate errors to needs_attention, and hand
a write whose reply was lost to a person (unknown_outcome) unless the ERP can
be asked whether it committed (the ERP package's `lookup_operations`).
"""

from typing import Any

from portal.exceptions import ApplicationError


class ConnectorError(ApplicationError):
    code = "connector"
    retryable = False

    def __init__(
        self,
        message: str,
        extra: dict[str, Any] | None = None,
        *,
        field: str = "",
        value: str = "",
    ) -> None:
        super().__init__(message, extra)
        self.field = field
        self.value = value

    def describe(self) -> str:
        """The error in plain words for finance staff."""
        parts = [self.message]
        if self.field:
            parts.append(f"field {self.field}")
        if self.value:
            parts.append(f"value {self.value!r}")
        return " — ".join(parts)


class AuthenticationError(ConnectorError):
    code = "authentication"


class ValidationError(ConnectorError):
    code = "validation"


class NotFoundError(ConnectorError):
    code = "not_found"


class DuplicateError(ConnectorError):
    code = "duplicate"


class TransientError(ConnectorError):
    code = "transient"
    retryable = True


class RateLimitedError(TransientError):
    code = "rate_limited"

    def __init__(
        self, message: str, *, retry_after: float | None = None, **kwargs
    ) -> None:
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


class UnknownOutcomeError(ConnectorError):
    """A write left for the ERP and its reply was lost (read timeout,
    connection reset after sending, a gateway 5xx): the ERP may have committed.

    Never retried blindly. Where the ERP package declares the operation can be
    looked up by its Stripe reference, the ledger retries it and the lookup
    adopts what the ERP committed; otherwise the record goes to
    unknown_outcome and a person settles it.
    """

    code = "unknown_outcome"


class HeldForReviewError(ApplicationError):
    """Not sent, because the ERP would refuse it for a reason only a person
    can settle (a payout in a currency the ERP's ledger does not keep): the
    ledger holds the record with this message, and no attempt is counted."""

    code = "held"
