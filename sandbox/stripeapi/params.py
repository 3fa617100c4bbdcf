"""Stripe's form encoding: `metadata[k]=v`, `expand[]=x`, `expand[0]=x`, nesting.

Everything arrives as strings; the typed readers below turn them into ints,
booleans and currencies with Stripe's own error messages.
"""

import re
from typing import Any
from urllib.parse import parse_qsl

from .errors import StripeApiError, invalid, missing

_KEY = re.compile(r"^([^\[\]]+)((?:\[[^\[\]]*\])*)$")
MAX_METADATA_KEYS = 50


def _split_key(raw: str) -> list[str]:
    match = _KEY.match(raw)
    if not match:
        raise StripeApiError(f"Invalid parameter name: {raw}", code="parameter_invalid")
    rest = re.findall(r"\[([^\[\]]*)\]", match.group(2))
    return [match.group(1), *rest]


def _listify(node: Any) -> Any:
    if not isinstance(node, dict):
        return node
    converted = {key: _listify(value) for key, value in node.items()}
    if converted and all(isinstance(k, int) for k in converted):
        return [converted[k] for k in sorted(converted)]
    if any(isinstance(k, int) for k in converted):
        raise StripeApiError("Cannot mix array and hash parameters.")
    return converted


def parse_pairs(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    """Turn ordered form pairs into nested dicts and lists."""
    root: dict[Any, Any] = {}
    for raw_key, value in pairs:
        parts = _split_key(raw_key)
        node = root
        for depth, part in enumerate(parts):
            key: Any = part
            if depth > 0 and (part == "" or part.isdigit()):
                key = len(node) if part == "" else int(part)
            last = depth == len(parts) - 1
            if last:
                node[key] = value
            else:
                child = node.get(key)
                if not isinstance(child, dict):
                    child = {}
                    node[key] = child
                node = child
    return _listify(root)


def parse_query(query: str) -> dict[str, Any]:
    return parse_pairs(parse_qsl(query, keep_blank_values=True))


def reject_unknown(params: dict[str, Any], allowed: set[str]) -> None:
    for name in params:
        if name not in allowed and name != "expand":
            raise StripeApiError(
                f"Received unknown parameter: {name}",
                code="parameter_unknown",
                param=name,
            )


def get_str(
    params: dict[str, Any], name: str, *, required: bool = False, max_length: int = 5000
) -> str | None:
    value = params.get(name)
    if value is None:
        if required:
            raise missing(name)
        return None
    if not isinstance(value, str):
        raise invalid(name, f"Invalid string: {name} must be a string")
    if required and not value:
        raise missing(name)
    if len(value) > max_length:
        raise invalid(name, f"{name} must be at most {max_length} characters")
    return value


def get_int(
    params: dict[str, Any],
    name: str,
    *,
    required: bool = False,
    minimum: int | None = None,
    maximum: int | None = None,
) -> int | None:
    value = params.get(name)
    if value is None or value == "":
        if required:
            raise missing(name)
        return None
    if not isinstance(value, str) or not re.fullmatch(r"-?\d{1,18}", value):
        raise invalid(
            name, f"Invalid integer: {value}", code="parameter_invalid_integer"
        )
    number = int(value)
    if minimum is not None and number < minimum:
        raise invalid(name, f"This value must be greater than or equal to {minimum}.")
    if maximum is not None and number > maximum:
        raise invalid(name, f"This value must be less than or equal to {maximum}.")
    return number


def get_bool(params: dict[str, Any], name: str) -> bool | None:
    value = params.get(name)
    if value is None:
        return None
    if value in ("true", "false"):
        return value == "true"
    raise invalid(name, f"Invalid boolean: {value}")


def get_currency(params: dict[str, Any], name: str = "currency") -> str | None:
    value = get_str(params, name, required=True)
    if not re.fullmatch(r"[A-Za-z]{3}", value or ""):
        raise invalid(name, f"Invalid currency: {value}")
    return value.lower()


def get_dict(params: dict[str, Any], name: str) -> dict[str, Any] | None:
    value = params.get(name)
    if value is None or value == "":
        return None
    if not isinstance(value, dict):
        raise invalid(name, f"Invalid object: {name} must be a hash")
    return value


def get_list(params: dict[str, Any], name: str) -> list[Any]:
    value = params.get(name)
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [value]
    if not isinstance(value, list):
        raise invalid(name, f"Invalid array: {name} must be an array")
    return value


def get_metadata(params: dict[str, Any]) -> dict[str, str] | None:
    """The metadata update: None = untouched, {} after "" = clear all.

    A key sent with an empty value is kept in the returned dict as "" so the
    caller can unset it (https://docs.stripe.com/api/metadata).
    """
    if "metadata" not in params:
        return None
    value = params["metadata"]
    if value == "":
        return {}
    if not isinstance(value, dict):
        raise invalid("metadata", "Invalid object: metadata must be a hash")
    if len(value) > MAX_METADATA_KEYS:
        raise invalid("metadata", "Metadata can have up to 50 keys.")
    for key, item in value.items():
        if not isinstance(item, str):
            raise invalid(f"metadata[{key}]", "Metadata values must be strings.")
        if len(key) > 40:
            raise invalid("metadata", f"Metadata key {key!r} is over 40 characters.")
        if len(item) > 500:
            raise invalid(f"metadata[{key}]", "Metadata values are at most 500 chars.")
    return value


def metadata_apply(current: dict[str, str], update: dict[str, str] | None) -> dict:
    """Merge a metadata update; "" unsets a key and an empty update clears all."""
    if update is None:
        return dict(current)
    if not update:
        return {}
    merged = dict(current)
    for key, value in update.items():
        if value == "":
            merged.pop(key, None)
        else:
            merged[key] = value
    return merged
