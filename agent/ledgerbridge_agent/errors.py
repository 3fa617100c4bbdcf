"""The agent's one error type, rendered as `{"error": {"code", "message", "field"}}`."""

from __future__ import annotations

from typing import Any


class AgentError(Exception):
    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        field: str = "",
        *,
        document: dict[str, Any] | None = None,
        retry_after: int | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.field = field
        self.document = document
        self.retry_after = retry_after

    def as_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "error": {"code": self.code, "message": self.message, "field": self.field}
        }
        if self.document is not None:
            body["document"] = self.document
        return body


def invalid(field: str, message: str, code: str = "invalid") -> AgentError:
    return AgentError(400, code, message, field)


def not_found(message: str) -> AgentError:
    return AgentError(404, "not_found", message)


def duplicate(field: str, message: str, document: dict[str, Any]) -> AgentError:
    return AgentError(409, "duplicate", message, field, document=document)


def locked(what: str, retry_after: int) -> AgentError:
    return AgentError(
        423,
        "locked",
        f"{what}; nothing was written, send it again",
        retry_after=retry_after,
    )
