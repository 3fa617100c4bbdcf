from rest_framework.exceptions import ValidationError
from rest_framework.parsers import JSONParser


class ApiJSONParser(JSONParser):
    """Request bodies are JSON only: no form encoding, which cannot carry a
    payload object and would make the schema offer bodies the API refuses."""


def no_nul_inside(value) -> None:
    """Refuse a NUL character anywhere in free-form JSON: PostgreSQL cannot
    store one in jsonb, so it is a 400 here instead of a 500 there."""
    if _holds_nul(value):
        raise ValidationError("Holds a NUL character (\\u0000).")


def _holds_nul(value) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_holds_nul(k) or _holds_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_holds_nul(item) for item in value)
    return False
