"""Transforms: a registry of small pure functions a field mapping pipes values through.

Each transform takes the current value positionally and its parameters as
keywords, and returns the new value. Parameters are declared with a type so
a pipeline is checked when a mapping is saved (`pipeline_problems`), never
first when a payment arrives. A string parameter written ``$some.path`` is a
reference: it is read from the source record at run time (``$currency``,
``$options.timezone``); ``$$`` escapes a literal dollar sign.

Empty means None or "": most transforms pass an empty value through as "" so
a default or a required check further on decides what happens.
"""

import inspect
import re
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import pycountry

from integrations import periods
from portal.exceptions import ApplicationError
from portal.money import to_decimal


class TransformError(ValueError):
    """A value a transform cannot work with (the message names the rule)."""


@dataclass(frozen=True)
class Param:
    name: str
    type: str  # str, int, bool, list, dict, any, timezone, regex, currency, format
    required: bool = False
    default: Any = None
    doc: str = ""
    choices: tuple[str, ...] = ()


@dataclass(frozen=True)
class Transform:
    name: str
    fn: Callable[..., Any]
    params: tuple[Param, ...]
    doc: str
    # Keys of the source the engine passes as keywords too (not parameters a
    # mapping sets): `lookup` reads the integration's id maps from "lookups".
    reads: tuple[str, ...] = ()

    @property
    def signature(self) -> str:
        parts = []
        for p in self.params:
            text = f"{p.name}: {p.type}"
            if p.choices:
                text += " (" + " | ".join(p.choices) + ")"
            if not p.required:
                text += f" = {p.default!r}"
            parts.append(text)
        return f"{self.name}({', '.join(parts)})"


REGISTRY: dict[str, Transform] = {}

_KEEP = object()  # "parameter not given": keep the value unchanged


def transform(name: str, *params: Param, reads: tuple[str, ...] = ()) -> Callable:
    def register(fn: Callable) -> Callable:
        REGISTRY[name] = Transform(
            name, fn, params, inspect.cleandoc(fn.__doc__ or ""), reads
        )
        return fn

    return register


def is_empty(value: Any) -> bool:
    return value is None or value == ""


def _text(value: Any) -> str:
    if value is None:
        return ""
    return value if isinstance(value, str) else str(value)


def _int(value: Any, rule: str) -> int:
    if isinstance(value, bool):
        raise TransformError(f"{rule}: expected a whole number, got a boolean")
    if isinstance(value, int):
        return value
    if isinstance(value, str) and re.fullmatch(r"-?\d+", value.strip()):
        return int(value)
    raise TransformError(f"{rule}: expected a whole number, got {value!r}")


@lru_cache(maxsize=64)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name or "UTC")


# ---------------------------------------------------------------- dates


@transform(
    "unix_to_date",
    Param("timezone", "timezone", default="UTC", doc="IANA zone, e.g. Europe/Paris"),
    Param("format", "format", default="%Y-%m-%d", doc="strftime format"),
)
def unix_to_date(
    value: Any, /, *, timezone: str | None = "UTC", format: str = "%Y-%m-%d"
) -> str:
    """Unix seconds → a date (or time) string in the chosen time zone.

    1711929600 in UTC with the default format gives "2024-04-01". A blank
    time zone means UTC.
    """
    if is_empty(value):
        return ""
    moment = _business_moment(value, timezone, "unix_to_date")
    return moment.strftime(format or "%Y-%m-%d")


@transform(
    "unix_to_datetime",
    Param("timezone", "timezone", default="UTC", doc="IANA zone, e.g. Europe/Paris"),
)
def unix_to_datetime(value: Any, /, *, timezone: str | None = "UTC") -> str:
    """Unix seconds → an ISO 8601 date and time with its UTC offset.

    1711929600 in UTC gives "2024-04-01T00:00:00+00:00"; in America/New_York
    "2024-03-31T20:00:00-04:00". A blank time zone means UTC.
    """
    if is_empty(value):
        return ""
    return _business_moment(value, timezone, "unix_to_datetime").isoformat()


def _business_moment(value: Any, zone_name: str | None, rule: str) -> Any:
    """Through integrations.periods, the one place ERP dates are derived."""
    try:
        return periods.business_moment(_int(value, rule), zone_name=zone_name or "UTC")
    except ApplicationError as exc:
        raise TransformError(f"{rule}: {exc.message}") from exc


# ---------------------------------------------------------------- money


@transform(
    "minor_to_decimal",
    Param("currency", "currency", required=True, doc="ISO code, usually $currency"),
)
def minor_to_decimal(value: Any, /, *, currency: str) -> str:
    """Integer minor units → a decimal string by the currency's exponent.

    1999 USD → "19.99", 500 JPY → "500", 1234 KWD → "1.234", -250 EUR → "-2.50".
    """
    if is_empty(value):
        return ""
    if not currency:
        raise TransformError("minor_to_decimal: no currency to take the exponent from")
    return str(to_decimal(_int(value, "minor_to_decimal"), currency))


@transform("negate")
def negate(value: Any, /) -> Any:
    """Flip the sign of a whole number or a decimal string ("5.00" → "-5.00")."""
    if is_empty(value):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return -value
    try:
        return str(-Decimal(str(value)))
    except InvalidOperation as exc:
        raise TransformError(f"negate: {value!r} is not a number") from exc


@transform(
    "signed_part",
    Param("part", "str", default="positive", choices=("positive", "negative")),
)
def signed_part(value: Any, /, *, part: str = "positive") -> Any:
    """The positive part (or the size of the negative part) of a number, else 0.

    Splits signed journal amounts into debit (positive) and credit (negative)
    columns: 500 → positive 500, negative 0; -500 → positive 0, negative 500.
    """
    if is_empty(value):
        return 0
    number = _int(value, "signed_part")
    if part == "positive":
        return number if number > 0 else 0
    return -number if number < 0 else 0


@transform("absolute")
def absolute(value: Any, /) -> Any:
    """The size of a number without its sign: -500 → 500, "-5.00" → "5.00".

    For fields that take a positive amount whatever the direction (a refund
    booked as a payment out, a withdrawal in a positive-only column).
    """
    if is_empty(value):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return abs(value)
    try:
        return str(abs(Decimal(str(value))))
    except InvalidOperation as exc:
        raise TransformError(f"absolute: {value!r} is not a number") from exc


# ---------------------------------------------------------------- text


@transform(
    "concat",
    Param("parts", "list", required=True, doc="values or $paths appended in order"),
    Param("separator", "str", default=" "),
)
def concat(value: Any, /, *, parts: list, separator: str = " ") -> str:
    """Join the value and the given parts with a separator, skipping empty ones."""
    items = [_text(x) for x in (value, *parts) if not is_empty(x)]
    return separator.join(items)


@transform(
    "split_name",
    Param("part", "str", default="first", choices=("first", "last")),
)
def split_name(value: Any, /, *, part: str = "first") -> str:
    """First or last name from a full name ("Jenny Rosen", "Rosen, Jenny").

    A single word counts as the first name; the last name is then empty.
    """
    text = " ".join(_text(value).split())
    if not text:
        return ""
    if "," in text:
        last, _, first = (s.strip() for s in text.partition(","))
    elif " " in text:
        first, last = text.rsplit(" ", 1)
    else:
        first, last = text, ""
    return first if part == "first" else last


@transform(
    "value_map",
    Param("map", "dict", required=True, doc='{"succeeded": "Paid", ...}'),
    Param("default", "any", default=_KEEP, doc="when no key matches; omit to keep"),
    Param("ignore_case", "bool", default=False),
)
def value_map(
    value: Any, /, *, map: dict, default: Any = _KEEP, ignore_case: bool = False
) -> Any:
    """Replace a value by a table, e.g. Stripe "succeeded" → "Paid"."""
    key = _text(value)
    if ignore_case:
        lowered = {str(k).lower(): v for k, v in map.items()}
        if key.lower() in lowered:
            return lowered[key.lower()]
    elif key in map:
        return map[key]
    return value if default is _KEEP else default


@transform("upper")
def upper(value: Any, /) -> str:
    """Upper case."""
    return _text(value).upper()


@transform("lower")
def lower(value: Any, /) -> str:
    """Lower case."""
    return _text(value).lower()


@transform("trim", Param("collapse", "bool", default=False, doc="inner runs → one"))
def trim(value: Any, /, *, collapse: bool = False) -> str:
    """Strip surrounding white space (and collapse inner runs when asked)."""
    text = _text(value)
    return " ".join(text.split()) if collapse else text.strip()


@transform("truncate", Param("length", "int", required=True, doc="characters kept"))
def truncate(value: Any, /, *, length: int) -> str:
    """Cut a string to at most `length` characters (trailing space dropped)."""
    return _text(value)[:length].rstrip()


@transform(
    "regex_extract",
    Param("pattern", "regex", required=True),
    Param("group", "any", default=1, doc="group number or name; 0 = whole match"),
    Param("default", "str", default=""),
)
def regex_extract(
    value: Any, /, *, pattern: str, group: int | str = 1, default: str = ""
) -> str:
    """The first match of a regular expression (a group of it), else the default.

    Pattern "PO-(\\d+)" on "ref PO-4471" gives "4471".
    """
    match = re.search(pattern, _text(value))
    if not match:
        return default
    try:
        found = match.group(group)
    except IndexError as exc:
        raise TransformError(f"regex_extract: no group {group!r}") from exc
    return found or default


@transform("replace", Param("old", "str", required=True), Param("new", "str"))
def replace(value: Any, /, *, old: str, new: str | None = "") -> str:
    """Replace every occurrence of `old` by `new`."""
    return _text(value).replace(old, new or "")


@transform("digits_only")
def digits_only(value: Any, /) -> str:
    """Keep the digits only (phone numbers, postal codes)."""
    return "".join(ch for ch in _text(value) if ch.isdigit())


@transform("prefix", Param("text", "str", required=True))
def prefix(value: Any, /, *, text: str) -> str:
    """Put text before a non-empty value."""
    current = _text(value)
    return text + current if current else ""


@transform("zfill", Param("width", "int", required=True))
def zfill(value: Any, /, *, width: int) -> str:
    """Pad with leading zeros to a width ("42" → "0000042" for width 7)."""
    current = _text(value)
    return current.zfill(width) if current else ""


@transform("to_string")
def to_string(value: Any, /) -> str:
    """Any value as text; empty stays empty."""
    return _text(value)


@transform("to_int")
def to_int(value: Any, /) -> Any:
    """A whole number from text ("05" → 5); empty stays empty."""
    if is_empty(value):
        return ""
    return _int(value, "to_int")


# ---------------------------------------------------------------- places


@lru_cache(maxsize=1024)
def _country(text: str) -> Any:
    text = text.strip()
    if not text:
        return None
    try:
        if len(text) == 2:
            return pycountry.countries.get(alpha_2=text.upper())
        if len(text) == 3 and text.isalpha():
            return pycountry.countries.get(alpha_3=text.upper())
        return pycountry.countries.lookup(text)
    except LookupError:
        return None


@transform(
    "country_code",
    Param("to", "str", default="alpha2", choices=("alpha2", "alpha3", "name")),
)
def country_code(value: Any, /, *, to: str = "alpha2") -> str:
    """Convert a country (ISO alpha-2, alpha-3 or name) to alpha-2, alpha-3 or name.

    "US" → "USA" (alpha3) → "United States" (name). An unknown country is
    kept as given so the schema check reports it.
    """
    text = _text(value)
    country = _country(text)
    if country is None:
        return text
    if to == "alpha3":
        return country.alpha_3
    if to == "name":
        return getattr(country, "common_name", None) or country.name
    return country.alpha_2


@lru_cache(maxsize=2048)
def _subdivision(country: str, text: str) -> Any:
    found = _country(country)
    if found is None or not text.strip():
        return None
    code = f"{found.alpha_2}-{text.strip().upper()}"
    match = pycountry.subdivisions.get(code=code)
    if match is not None:
        return match
    wanted = text.strip().casefold()
    for sub in pycountry.subdivisions.get(country_code=found.alpha_2) or ():
        if sub.name.casefold() == wanted:
            return sub
    return None


@transform(
    "state_code",
    Param(
        "country",
        "str",
        required=True,
        doc="country of the state, e.g. $address.country",
    ),
    Param("to", "str", default="code", choices=("code", "name")),
)
def state_code(value: Any, /, *, country: str, to: str = "code") -> str:
    """Convert a state or province between its ISO 3166-2 code and its name.

    "California" with country "US" → "CA"; "ON" with "CA" and to=name →
    "Ontario". Unknown values are kept as given.
    """
    text = _text(value)
    sub = _subdivision(_text(country), text)
    if sub is None:
        return text
    return sub.code.split("-", 1)[1] if to == "code" else sub.name


# ---------------------------------------------------------------- logic

# What `lookup` can resolve, and from where (mapping.selectors.IdMaps).
LOOKUP_TABLES = (
    "customer",  # a Stripe customer id → the ERP customer code (CustomerLink)
    "customer_of_charge",  # a charge id → its customer's ERP customer code
    "invoice",  # a Stripe invoice id → the ERP invoice booked for it
    "charge",  # a charge id → the ERP document booked for it (order, payment)
    "currency",  # an ISO currency code → the ERP's currency record
    "country",  # an ISO country code → the ERP's country record
)


@transform(
    "lookup",
    Param("table", "str", required=True, choices=LOOKUP_TABLES),
    Param(
        "missing",
        "str",
        default="error",
        choices=("error", "keep", "empty"),
        doc="when the id map has no entry",
    ),
    reads=("lookups",),
)
def lookup(
    value: Any, /, *, table: str, missing: str = "error", lookups: Any = None
) -> Any:
    """Resolve a Stripe id or ISO code to the ERP's own code through an id map.

    "cus_NffrFeUfNV2Hib" with table customer → "S000042" (the customer link
    made when the customer was first booked); "EUR" with table currency →
    the ERP's currency record from the integration's options.id_maps.
    An unknown key is an error by default, so nothing posts against a
    guessed record; missing=keep passes the value on, missing=empty blanks it.
    """
    if is_empty(value):
        return ""
    key = _text(value)
    resolve = getattr(lookups, "resolve", None)
    if resolve is None:
        raise TransformError(f"lookup: no id maps to look {key!r} up in")
    found = resolve(table, key)
    if found not in (None, ""):
        return found
    if missing == "keep":
        return value
    if missing == "empty":
        return ""
    raise TransformError(f"lookup: {key!r} is not in the {table} id map")


@transform(
    "coalesce",
    Param("values", "list", required=True, doc="candidates, usually $paths"),
    Param("fallback", "any", default=""),
)
def coalesce(value: Any, /, *, values: list, fallback: Any = "") -> Any:
    """The first non-empty of the value and the candidates, else the fallback."""
    if not is_empty(value):
        return value
    for candidate in values:
        if not is_empty(candidate):
            return candidate
    return fallback


@transform("constant", Param("value", "any", required=True))
def constant(current: Any, /, *, value: Any) -> Any:
    """Always this value, whatever came in."""
    return value


CONDITION_OPS = ("present", "empty", "eq", "ne", "in", "gt", "lt", "contains")


def compare(value: Any, op: str, operand: Any) -> bool:
    if op == "present":
        return not is_empty(value)
    if op == "empty":
        return is_empty(value)
    if op == "eq":
        return value == operand or _text(value) == _text(operand)
    if op == "ne":
        return not (value == operand or _text(value) == _text(operand))
    if op == "in":
        return _text(value) in {_text(x) for x in operand or ()}
    if op == "contains":
        return _text(operand) in _text(value)
    try:
        left, right = Decimal(_text(value)), Decimal(_text(operand))
    except InvalidOperation:
        return False
    return left > right if op == "gt" else left < right


@transform(
    "conditional",
    Param("op", "str", default="present", choices=CONDITION_OPS),
    Param("operand", "any", doc="compared with for eq/ne/in/gt/lt/contains"),
    Param("then", "any", default=_KEEP, doc="result when true; omit to keep"),
    Param("otherwise", "any", default=_KEEP, doc="result when false; omit to keep"),
)
def conditional(
    value: Any,
    /,
    *,
    op: str = "present",
    operand: Any = None,
    then: Any = _KEEP,
    otherwise: Any = _KEEP,
) -> Any:
    """If the value passes a test, `then`, else `otherwise` (each keeps by default).

    op present with then "stock" and otherwise "misc" turns a SKU into a
    line type.
    """
    result = then if compare(value, op, operand) else otherwise
    return value if result is _KEEP else result


# ---------------------------------------------------------------- checking

PATH_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z0-9_]+)*$")


def is_ref(value: Any) -> bool:
    return (
        isinstance(value, str) and value.startswith("$") and not value.startswith("$$")
    )


def _param_problem(tname: str, param: Param, value: Any) -> str:
    where = f"{tname}.{param.name}"
    if is_ref(value):
        return "" if PATH_RE.match(value[1:]) else f"{where}: bad path {value!r}"
    kind = param.type
    if kind == "any":
        return ""
    if kind in ("str", "timezone", "regex", "currency", "format") and not isinstance(
        value, str
    ):
        return f"{where}: expected text, got {type(value).__name__}"
    if kind == "int" and (isinstance(value, bool) or not isinstance(value, int)):
        return f"{where}: expected a whole number, got {value!r}"
    if kind == "int" and value <= 0:
        return f"{where}: must be greater than 0, got {value}"
    if kind == "bool" and not isinstance(value, bool):
        return f"{where}: expected true or false, got {value!r}"
    if kind == "list" and not isinstance(value, list):
        return f"{where}: expected a list, got {type(value).__name__}"
    if kind == "dict" and not isinstance(value, dict):
        return f"{where}: expected an object, got {type(value).__name__}"
    if param.choices and value not in param.choices:
        return f"{where}: {value!r} is not one of {', '.join(param.choices)}"
    if kind == "timezone" and value:
        try:
            _zone(value)
        except (ZoneInfoNotFoundError, ValueError):
            return f"{where}: unknown time zone {value!r}"
    if kind == "regex":
        try:
            re.compile(value)
        except re.error as exc:
            return f"{where}: invalid regular expression ({exc})"
    if kind == "currency" and not re.fullmatch(r"[A-Za-z]{3}", value):
        return f"{where}: {value!r} is not a three-letter currency code"
    if kind == "format" and "%" not in value:
        return f"{where}: {value!r} has no strftime directive"
    return ""


def pipeline_problems(pipeline: Any) -> list[str]:
    """Everything wrong with a transform pipeline, as readable sentences."""
    if pipeline in (None, ""):
        return []
    if not isinstance(pipeline, list):
        return ["transforms must be a list of {name, params} objects"]
    problems = []
    for index, step in enumerate(pipeline, start=1):
        if not isinstance(step, dict) or not isinstance(step.get("name"), str):
            problems.append(f"step {index}: needs a transform name")
            continue
        unknown_keys = set(step) - {"name", "params"}
        if unknown_keys:
            problems.append(f"step {index}: unknown keys {sorted(unknown_keys)}")
        found = REGISTRY.get(step["name"])
        if found is None:
            problems.append(f"step {index}: unknown transform {step['name']!r}")
            continue
        params = step.get("params") or {}
        if not isinstance(params, dict):
            problems.append(f"step {index}: params must be an object")
            continue
        declared = {p.name: p for p in found.params}
        for name in params:
            if name not in declared:
                problems.append(f"step {index}: {found.name} has no parameter {name!r}")
        for param in found.params:
            if param.name not in params:
                if param.required:
                    problems.append(
                        f"step {index}: {found.name} needs parameter {param.name!r}"
                    )
                continue
            problem = _param_problem(found.name, param, params[param.name])
            if problem:
                problems.append(f"step {index}: {problem}")
    return problems
