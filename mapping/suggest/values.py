"""What sample values look like, and what a target field expects of them.

Every leaf path of the samples (the first item of a list standing for its
list) is profiled: emails, phones, country, state and currency codes,
postal codes, unix timestamps, minor-unit amounts, Stripe ids (with their
prefix: cus, ch, in …), short enumerations; then scored against what the
target's name and type expect.
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import pycountry

from ..schemas import DATE, DECIMAL, INT, STRING, FieldSpec
from .names import concepts, head_concepts, tokens

# Not an ERP-neutral schema type of ours (spec.py): other ERPs' field lists
# (the benchmark's) say "datetime" for a date and time.
DATETIME = "datetime"

# ---------------------------------------------------------------- values

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")
_PHONE = re.compile(r"^\+?[\d\s().-]{7,20}$")
_POSTAL = re.compile(r"^(?=.*\d)[A-Za-z0-9][A-Za-z0-9 -]{2,9}$")
# A Stripe id's tail is random base62, so it holds a digit or a capital: a
# snake_case word of an enumeration (in_transit, a payout's status) is none.
_STRIPE_ID = re.compile(r"^[a-z]{2,6}_(?=[a-z]*[A-Z0-9])[A-Za-z0-9]{6,}$")
_URL = re.compile(r"^https?://")


@lru_cache(maxsize=1)
def _currency_codes() -> frozenset[str]:
    return frozenset(c.alpha_3 for c in pycountry.currencies)


# A three-letter code quoted in a description ('EUR', "USD").
_QUOTED_THREE_CAPITALS = re.compile(r"['‘\"“]([A-Z]{3})['’\"”]")


def currency_code_shown(spec: FieldSpec) -> bool:
    """currency_key "Currency (the example sends 'EUR')": the ISO code is sent."""
    return any(
        code in _currency_codes()
        for code in _QUOTED_THREE_CAPITALS.findall(spec.description or "")
    )


@lru_cache(maxsize=1)
def _country_codes() -> frozenset[str]:
    return frozenset(c.alpha_2 for c in pycountry.countries) | frozenset(
        c.alpha_3 for c in pycountry.countries
    )


def _kind_of(value: Any, leaf: str) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        leaf_c = concepts(leaf)
        if 946684800 <= value <= 4102444800 and (
            "date" in leaf_c
            or leaf.endswith(("_at", "date", "created"))
            or "period" in leaf_c
        ):
            return "timestamp"
        if (
            leaf_c
            & {
                "amount",
                "price",
                "fee",
                "tax",
                "balance",
                "limit",
                "discount",
                "credit",
                "debit",
                "subtotal",
            }
            or "amount" in leaf
        ):
            return "amount"
        return "int"
    if isinstance(value, float):
        return "number"
    if isinstance(value, list | tuple):
        return "list"
    if isinstance(value, dict):
        return "object"
    text = str(value).strip()
    if not text:
        return "empty"
    if _EMAIL.match(text):
        return "email"
    if _URL.match(text):
        return "url"
    if _STRIPE_ID.match(text):
        return "stripe_id"
    upper = text.upper()
    if (
        len(text) == 3
        and text.isalpha()
        and upper in _currency_codes()
        and (text.islower() or "currency" in concepts(leaf))
    ):
        return "currency"
    if (
        len(text) in (2, 3)
        and text.isalpha()
        and text.isupper()
        and (upper in _country_codes())
    ):
        return "country" if "state" not in concepts(leaf) else "state"
    if _PHONE.match(text) and sum(ch.isdigit() for ch in text) >= 7:
        return "phone"
    if _POSTAL.match(text) and len(text) <= 10 and not text.isalpha():
        return "postal" if not text.isdigit() or len(text) in (4, 5, 6) else "digits"
    if re.fullmatch(r"-?\d+(\.\d+)?", text):
        return "numeric"
    return "text"


@dataclass
class Profile:
    path: str
    kinds: dict[str, int] = field(default_factory=dict)
    max_len: int = 0
    seen: int = 0
    values: set[str] = field(default_factory=set)  # distinct short texts
    negative: bool = False  # a number below zero was seen
    id_prefixes: set[str] = field(default_factory=set)  # cus, ch, in … of ids

    @property
    def kind(self) -> str:
        useful = {k: n for k, n in self.kinds.items() if k != "empty"}
        if not useful:
            return "empty"
        return max(useful, key=useful.get)

    @property
    def in_list(self) -> bool:
        return any(part.isdigit() for part in self.path.split("."))


def _walk(obj: Any, prefix: str, out: dict[str, list], depth: int) -> None:
    """Every leaf path of a sample; a list is a leaf and its first item is walked.

    The first item stands for its list (``tax_ids.data.0.value``): the engine
    reads list items by number, so the path works as a mapping source.
    """
    if depth > 6:
        return
    if isinstance(obj, dict):
        items = obj.items()
    elif isinstance(obj, list | tuple):
        items = [("0", obj[0])] if obj else []
    else:
        return
    for key, value in items:
        path = f"{prefix}.{key}" if prefix else str(key)
        if isinstance(value, dict):
            if key == "metadata" or value:
                _walk(value, path, out, depth + 1)
            if not value:
                out.setdefault(path, [])
        elif isinstance(value, list | tuple):
            out.setdefault(path, []).append(list(value))
            _walk(value, path, out, depth + 1)
        else:
            out.setdefault(path, []).append(value)


def profile_samples(samples: Iterable[dict]) -> dict[str, Profile]:
    """Leaf path → what its sample values look like."""
    values: dict[str, list] = {}
    for sample in samples:
        _walk(sample, "", values, 0)
    profiles = {}
    for path, seen in values.items():
        profile = Profile(path)
        leaf = path.rsplit(".", 1)[-1]
        for value in seen:
            if value is None:
                continue
            kind = _kind_of(value, leaf)
            profile.kinds[kind] = profile.kinds.get(kind, 0) + 1
            profile.seen += 1
            if isinstance(value, str):
                profile.max_len = max(profile.max_len, len(value))
                if kind == "stripe_id":
                    profile.id_prefixes.add(value.split("_", 1)[0])
                elif len(value) <= 40 and len(profile.values) < 20:
                    profile.values.add(value)
            elif isinstance(value, int | float) and not isinstance(value, bool):
                profile.negative = profile.negative or value < 0
        profiles[path] = profile
    return profiles


# What values a target wants, from its concepts.
_EXPECT = (
    ("email", {"email"}),
    ("phone", {"phone", "fax"}),
    ("currency", {"currency"}),
    ("country", {"country"}),
    ("postal", {"postal"}),
    ("state", {"state"}),
)
_STRICT = {"email", "phone", "currency", "country", "postal", "timestamp"}
# Values no number field takes: a decimal "in account currency" is an amount.
_NOT_NUMBERS = {"text", "email", "bool", "currency", "country", "phone", "stripe_id"}


# A width a reference entry states ("type T, size 3", "max_length 3"), or a
# column's declared type with its width ("Text[4]", "Code[10]", "varchar(3)").
_STATED_SIZE = re.compile(
    r"(?i)\b(?:size|max_length|max\.?\s+length)\s*:?\s*(\d+)\b"
    r"|\b(?:text|code|char|varchar|nvarchar|string)\s*[\[(]\s*(\d+)\s*[\])]"
)


def stated_length(spec: FieldSpec) -> int | None:
    """The field's maximum length, given or stated in its description."""
    if spec.max_length:
        return spec.max_length
    found = _STATED_SIZE.search(spec.description or "")
    return int(found.group(1) or found.group(2)) if found else None


# Values a date field never holds: it names a currency or country only as
# what it is of (the effective date of a currency's rate).
_NOT_DATES = {"text", "email", "currency", "country", "phone", "state", "postal"}
# The fewest characters a code takes: a column narrower holds a marker (M/D).
_CODE_WIDTHS = {"currency": 3, "country": 2}


def _expected_kinds(spec: FieldSpec) -> set[str]:
    found = concepts(spec.name) | concepts(spec.description or "")
    target_c = concepts(spec.name)
    wanted = {kind for kind, keys in _EXPECT if target_c & keys}
    head = head_concepts(spec.name)
    headed = bool(head & {"city", "state", "postal", "country", "name", "line"})
    if headed:
        # MailCity is a city: its first word names the kind of address only.
        wanted = {kind for kind, keys in _EXPECT if head & keys}
    if not wanted and not headed:
        wanted = {kind for kind, keys in _EXPECT if found & keys and len(found) < 4}
    if "state" in wanted and "country" in wanted:
        names = set(tokens(spec.name))
        if {"country", "region"} <= names and "division" not in names:
            wanted.discard("state")  # CountryRegion (Dynamics) is the country
        else:
            wanted.discard("country")  # a country subdivision is a state
    if spec.type in (DATE, DATETIME):
        wanted -= _NOT_DATES
        wanted.add("timestamp")
    width = stated_length(spec)
    if width:
        wanted -= {kind for kind, least in _CODE_WIDTHS.items() if width < least}
    if "url" in target_c:
        wanted.add("url")
    if spec.type in (DECIMAL, INT):
        # A number field names a currency or country only as what it is in;
        # a whole number named a phone (phone_number int, "digits") is the
        # phone number kept as its digits.
        kept = {"phone"} if spec.type == INT and "phone" in target_c else set()
        wanted = (wanted - _NOT_NUMBERS) | (wanted & kept)
    if spec.type == DECIMAL:
        wanted.add("amount")
    if "reference" in target_c:
        wanted.add("stripe_id")
    return wanted


def value_fit(spec: FieldSpec, profile: Profile) -> tuple[float, str]:
    kind = profile.kind
    if kind == "empty":
        return 0.0, ""
    wanted = _expected_kinds(spec)
    if kind in wanted:
        label = {
            "timestamp": "unix timestamps",
            "amount": "minor-unit amounts",
            "stripe_id": "Stripe ids",
            "postal": "postal codes",
            "country": "country codes",
            "currency": "currency codes",
            "state": "state codes",
            "url": "links",
        }.get(kind, f"{kind}s")
        return 1.0, f"values look like {label}"
    if kind == "country" and "state" in wanted:
        return 0.1, "values are short codes"
    if kind == "timestamp" and spec.type == INT:
        return -1.0, "values are timestamps, not counts"
    strict_wanted = wanted & _STRICT
    if strict_wanted and kind in _STRICT | {"amount", "bool", "int", "stripe_id"}:
        return -1.0, f"values look like {kind}, not {'/'.join(sorted(strict_wanted))}"
    if strict_wanted:
        return -0.5, ""
    if spec.type == STRING and kind in ("text", "digits", "numeric", "postal"):
        return 0.3, ""
    if spec.type in (DECIMAL, INT) and kind in ("int", "numeric", "amount"):
        return 0.4, ""
    if (
        spec.type == INT
        and kind == "phone"
        and profile.values
        and all(v.isdigit() for v in profile.values)
    ):
        return 0.4, ""  # a zero-padded code (0000001) is a whole number, not a phone
    if spec.type in (DATE, DATETIME) and kind != "timestamp":
        return -1.0, "values are not dates"
    if spec.type in (DECIMAL, INT) and kind in _NOT_NUMBERS:
        return -1.0, f"{kind} values for a number field"
    if kind in ("bool", "object", "list", "url"):
        return -0.4, ""
    return 0.0, ""
