"""The OpenAPI document: every operation lists the one error shape."""

from .errors import ERROR_SCHEMA

_ERRORS = {
    "400": "The request is invalid (see error.fields).",
    "401": "No valid token or session.",
    "403": "The token's scope or its owner's role does not allow this.",
    "404": "No such object (or an invalid cursor).",
    "429": "Rate limit of this token reached; see Retry-After.",
}
_POST_ERRORS = {
    "409": "The object's state or the ERP schema's rules refuse the action "
    "(see error.code and error.message), or the Idempotency-Key was sent with "
    "another request or is still in use.",
}
_ERROR_REF = {"$ref": "#/components/schemas/Error"}


def add_error_responses(result: dict, generator, request, public) -> dict:
    """drf-spectacular postprocessing hook."""
    result.setdefault("components", {}).setdefault("schemas", {})["Error"] = (
        ERROR_SCHEMA
    )
    for path, operations in result.get("paths", {}).items():
        if not path.startswith("/api/v1/"):
            continue
        for method, operation in operations.items():
            errors = dict(_ERRORS)
            if method == "post":
                errors.update(_POST_ERRORS)
            responses = operation.setdefault("responses", {})
            for status, description in errors.items():
                responses.setdefault(
                    status,
                    {
                        "description": description,
                        "content": {"application/json": {"schema": _ERROR_REF}},
                    },
                )
    return result
