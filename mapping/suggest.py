"""Mapping suggestions: for each ERP target field, the likeliest source path.

Nothing here is learned from downloads; the ranking combines four signals,
each explainable in the one-line reason shown to the admin:

1. name similarity: both names are split into tokens (camelCase, snake_case,
   digits, dotted paths, glued words such as ``ordnum`` or ``shipaddr``),
   abbreviations and synonyms are folded into concepts (addr → address,
   tel → phone, zip → postal, sold-to → billing …), and the weighted overlap
   of the concept sets is scored; a character-trigram similarity catches
   what the lexicon does not know;
2. value profiling of the samples: emails, phones, country, state and
   currency codes, postal codes, unix timestamps, minor-unit amounts, Stripe
   ids, against what the target's name and type expect;
3. type and length fit: a date target wants a timestamp (and gets
   ``unix_to_date``), a decimal wants an amount (``minor_to_decimal``), text
   longer than the field gets ``truncate``;
4. feedback: what admins kept or replaced before for the same ERP target.
"""

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

import pycountry

from integrations.erps.registry import ERPS

from .schemas import DATE, DECIMAL, INT, LINES, STRING, FieldSpec

# ---------------------------------------------------------------- lexicon

_LEXICON: dict[str, tuple[str, ...]] = {
    # addresses
    "addr": ("address",),
    "adr": ("address",),
    "address": ("address",),
    "street": ("address", "line"),
    "line": ("line",),
    "ln": ("line",),
    "city": ("city",),
    "town": ("city",),
    "locality": ("city",),
    "suburb": ("city",),
    "state": ("state",),
    "st": ("state",),
    "province": ("state",),
    "prov": ("state",),
    "region": ("state",),
    "county": ("state",),
    "subdivision": ("state",),
    "zip": ("postal",),
    "postal": ("postal",),
    "postcode": ("postal",),
    "zipcode": ("postal",),
    "pcode": ("postal",),
    "post": ("postal",),
    "country": ("country",),
    "ctry": ("country",),
    "cntry": ("country",),
    "nation": ("country",),
    "sold": ("billing",),
    "bill": ("billing",),
    "billing": ("billing",),
    "billto": ("billing",),
    "soldto": ("billing",),
    "ship": ("shipping",),
    "shipping": ("shipping",),
    "shipto": ("shipping",),
    "delivery": ("shipping",),
    "deliver": ("shipping",),
    # parties and contact
    "cust": ("customer",),
    "customer": ("customer",),
    "client": ("customer",),
    "partner": ("customer",),
    "debtor": ("customer",),
    "buyer": ("customer",),
    "name": ("name",),
    "company": ("name", "company"),
    "display": ("name",),
    "contact": ("contact", "name"),
    "fullname": ("name",),
    "first": ("first",),
    "last": ("last",),
    "given": ("first",),
    "family": ("last",),
    "surname": ("last",),
    "email": ("email",),
    "mail": ("email",),
    "e": (),
    "phone": ("phone",),
    "tel": ("phone",),
    "telephone": ("phone",),
    "mobile": ("phone",),
    "cell": ("phone",),
    "fax": ("fax",),
    # documents and references
    "no": ("number",),
    "num": ("number",),
    "nbr": ("number",),
    "nr": ("number",),
    "number": ("number",),
    "id": ("id",),
    "code": ("code",),
    "key": ("id",),
    "ref": ("reference",),
    "reference": ("reference",),
    "po": ("reference",),
    "external": ("reference",),
    "ext": ("extended",),
    "inv": ("invoice",),
    "invoice": ("invoice",),
    "ord": ("order",),
    "order": ("order",),
    "so": ("order",),
    "sales": ("order",),
    "document": ("document",),
    "doc": ("document",),
    "memo": ("description",),
    "credit": ("credit",),
    "cred": ("credit",),
    "debit": ("debit",),
    "refund": ("credit",),
    "payment": ("payment",),
    "pay": ("payment",),
    "receipt": ("payment",),
    "charge": ("payment",),
    "journal": ("journal",),
    "entry": ("entry",),
    # money and quantities
    "amt": ("amount",),
    "amount": ("amount",),
    "value": ("amount",),
    "total": ("amount",),
    "sum": ("amount",),
    "gross": ("amount",),
    "price": ("price",),
    "rate": ("price",),
    "cost": ("price",),
    "unit": ("unit",),
    "uom": ("unit",),
    "qty": ("quantity",),
    "quantity": ("quantity",),
    "count": ("quantity",),
    "tax": ("tax",),
    "vat": ("tax",),
    "disc": ("discount",),
    "discount": ("discount",),
    "curr": ("currency",),
    "currency": ("currency",),
    "ccy": ("currency",),
    "cur": ("currency",),
    "limit": ("limit",),
    "balance": ("balance",),
    "fee": ("fee",),
    # dates and states
    "date": ("date",),
    "dte": ("date",),
    "dt": ("date",),
    "created": ("date",),
    "time": ("date",),
    "timestamp": ("date",),
    "on": (),
    "at": ("date",),
    "day": ("date",),
    "posting": ("posting",),
    "period": ("period",),
    "year": ("year",),
    "status": ("status",),
    "stat": ("status",),
    "state_code": ("state",),
    "hold": ("hold",),
    "active": ("status",),
    # items and ledgers
    "item": ("item",),
    "sku": ("item",),
    "stock": ("item",),
    "product": ("item",),
    "part": ("item",),
    "article": ("item",),
    "material": ("item",),
    "description": ("description",),
    "desc": ("description",),
    "descrip": ("description",),
    "descr": ("description",),
    "notation": ("description",),
    "narrative": ("description",),
    "comment": ("description",),
    "note": ("description",),
    "notes": ("description",),
    "text": ("description",),
    "label": ("description",),
    "reason": ("reason",),
    "bank": ("bank",),
    "account": ("account",),
    "ledger": ("account",),
    "gl": ("account",),
    "warehouse": ("warehouse",),
    "whse": ("warehouse",),
    "location": ("warehouse",),
    "terms": ("terms",),
    "method": ("method",),
    "type": ("type",),
    "kind": ("type",),
    "lines": ("lines",),
    "items": ("lines",),
    "details": ("lines",),
    "short": ("short",),
    "metadata": ("meta",),
    "details_": (),
}
# Words only an ERP's own field names use come from its package.
_LEXICON.update(
    (word, concepts)
    for package in ERPS.values()
    for word, concepts in package.vocabulary.items()
)
_STOP = {"to", "the", "of", "and", "a", "is", "for", "data", "object", "ptr"}
# Concepts that say little on their own.
_WEAK = {
    "number": 0.5,
    "id": 0.4,
    "code": 0.5,
    "name": 0.8,
    "line": 0.6,
    "date": 0.8,
    "amount": 0.8,
    "type": 0.5,
    "meta": 0.3,
    "status": 0.7,
}

_CAMEL = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+")


@lru_cache(maxsize=8192)
def _split_glued(word: str) -> tuple[str, ...]:
    """Split a glued lower-case word into lexicon words (ordnum → ord, num)."""
    if word in _LEXICON or len(word) < 4:
        return (word,)
    for cut in range(len(word) - 1, 1, -1):
        head, tail = word[:cut], word[cut:]
        if head in _LEXICON and (tail in _LEXICON or tail.isdigit()):
            return (head, tail)
        if head in _LEXICON and len(tail) >= 4:
            rest = _split_glued(tail)
            if all(p in _LEXICON for p in rest):
                return (head, *rest)
    return (word,)


@lru_cache(maxsize=8192)
def tokens(name: str) -> tuple[str, ...]:
    out: list[str] = []
    for chunk in re.split(r"[^A-Za-z0-9]+", name):
        for piece in _CAMEL.findall(chunk):
            low = piece.lower()
            if low.isdigit():
                out.append(low)
                continue
            for word in _split_glued(low):
                if word not in _STOP:
                    out.append(word)
    return tuple(out)


@lru_cache(maxsize=8192)
def concepts(name: str) -> frozenset[str]:
    found: set[str] = set()
    for tok in tokens(name):
        if tok.isdigit():
            found.add(f"#{int(tok)}")
        elif tok in _LEXICON:
            found.update(_LEXICON[tok])
        else:
            found.add(tok)
    return frozenset(found)


def _weight(concept: str) -> float:
    if concept.startswith("#"):
        return 0.8
    return _WEAK.get(concept, 1.0)


def _trigrams(text: str) -> set[str]:
    s = f"  {re.sub(r'[^a-z0-9]', '', text.lower())} "
    return {s[i : i + 3] for i in range(len(s) - 2)}


def name_similarity(target: str, path: str) -> tuple[float, str]:
    """0..1 similarity of a target name and a source path, and why."""
    segments = path.split(".")
    leaf = segments[-1]
    context = ".".join(s for s in segments[:-1] if not s.isdigit())
    t_concepts = concepts(target)
    s_leaf = concepts(leaf)
    s_context = concepts(context) if context else frozenset()
    source_all = s_leaf | s_context
    if not t_concepts:
        return 0.0, ""
    shared = t_concepts & source_all
    # Context (outer path segments) counts less than the leaf name.
    gain = sum(_weight(c) * (1.0 if c in s_leaf else 0.7) for c in shared)
    total = sum(_weight(c) for c in t_concepts) + 0.5 * sum(
        _weight(c) for c in s_leaf - t_concepts
    )
    score = gain / total if total else 0.0
    digits_t = {c for c in t_concepts if c.startswith("#")}
    digits_s = {c for c in source_all if c.startswith("#")}
    if digits_t and digits_s and not digits_t & digits_s:
        score *= 0.5
    grams_t, grams_s = _trigrams(target), _trigrams(leaf)
    tri = len(grams_t & grams_s) / len(grams_t | grams_s) if grams_t else 0.0
    score = max(score, 0.8 * tri)
    reason = ""
    if shared:
        reason = "name shares " + ", ".join(sorted(c.lstrip("#") for c in shared))
    elif tri > 0.3:
        reason = "names are spelled alike"
    return min(score, 1.0), reason


# ---------------------------------------------------------------- values

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")
_PHONE = re.compile(r"^\+?[\d\s().-]{7,20}$")
_POSTAL = re.compile(r"^(?=.*\d)[A-Za-z0-9][A-Za-z0-9 -]{2,9}$")
_STRIPE_ID = re.compile(r"^[a-z]{2,6}_[A-Za-z0-9]{6,}$")
_URL = re.compile(r"^https?://")


@lru_cache(maxsize=1)
def _currency_codes() -> frozenset[str]:
    return frozenset(c.alpha_3 for c in pycountry.currencies)


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

    @property
    def kind(self) -> str:
        useful = {k: n for k, n in self.kinds.items() if k != "empty"}
        if not useful:
            return "empty"
        return max(useful, key=useful.get)


def _walk(obj: Any, prefix: str, out: dict[str, list], depth: int) -> None:
    if depth > 6:
        return
    if isinstance(obj, dict):
        for key, value in obj.items():
            path = f"{prefix}.{key}" if prefix else str(key)
            if isinstance(value, dict):
                if key == "metadata" or value:
                    _walk(value, path, out, depth + 1)
                if not value:
                    out.setdefault(path, [])
            elif isinstance(value, list | tuple):
                out.setdefault(path, []).append(list(value))
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


def _expected_kinds(spec: FieldSpec) -> set[str]:
    found = concepts(spec.name) | concepts(spec.description or "")
    target_c = concepts(spec.name)
    wanted = {kind for kind, keys in _EXPECT if target_c & keys}
    if not wanted:
        wanted = {kind for kind, keys in _EXPECT if found & keys and len(found) < 4}
    if spec.type == DATE:
        wanted.add("timestamp")
    if spec.type == DECIMAL:
        wanted.add("amount")
    if "reference" in target_c:
        wanted.add("stripe_id")
    return wanted


def _value_fit(spec: FieldSpec, profile: Profile) -> tuple[float, str]:
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
        }.get(kind, f"{kind}s")
        return 1.0, f"values look like {label}"
    if kind == "country" and "state" in wanted:
        return 0.4, "values are short codes"
    strict_wanted = wanted & _STRICT
    if strict_wanted and kind in _STRICT | {"amount", "bool", "int", "stripe_id"}:
        return -1.0, f"values look like {kind}, not {'/'.join(sorted(strict_wanted))}"
    if strict_wanted:
        return -0.5, ""
    if spec.type == STRING and kind in ("text", "digits", "numeric", "postal"):
        return 0.3, ""
    if spec.type in (DECIMAL, INT) and kind in ("int", "numeric", "amount"):
        return 0.4, ""
    if spec.type == DATE and kind != "timestamp":
        return -1.0, "values are not dates"
    if spec.type in (DECIMAL, INT) and kind in ("text", "email", "bool"):
        return -1.0, f"{kind} values for a number field"
    if kind in ("bool", "object", "list", "url"):
        return -0.4, ""
    return 0.0, ""


def _transforms(spec: FieldSpec, profile: Profile | None) -> list[dict]:
    steps: list[dict] = []
    kind = profile.kind if profile else ""
    if spec.type == DATE and kind in ("timestamp", "int", "empty", ""):
        steps.append(
            {"name": "unix_to_date", "params": {"timezone": "$options.timezone"}}
        )
    elif spec.type == DECIMAL and kind in ("amount", "int"):
        steps.append({"name": "minor_to_decimal", "params": {"currency": "$currency"}})
    elif spec.type == STRING and kind == "currency":
        steps.append({"name": "upper"})
    elif (
        spec.type == STRING
        and spec.max_length
        and profile
        and (profile.max_len > spec.max_length or kind == "text")
    ):
        steps.append({"name": "truncate", "params": {"length": spec.max_length}})
    return steps


# ---------------------------------------------------------------- ranking


@dataclass(frozen=True)
class Suggestion:
    target: str
    source: str
    transforms: list
    confidence: float
    reason: str
    alternatives: tuple[tuple[str, float], ...] = ()

    def as_spec(self) -> dict:
        return {
            "target": self.target,
            "source": self.source,
            "transforms": self.transforms,
            "default": None,
            "condition": None,
            "required": False,
            "confidence": round(self.confidence, 3),
            "reason": self.reason,
        }


_ADDRESS_SLOTS = {3: "city", 4: "state", 5: "country"}


def _convention_bonus(spec: FieldSpec, path: str) -> tuple[float, str]:
    """Address line 3-5 of old ERPs conventionally hold city, state, country."""
    target = concepts(spec.name)
    if "address" not in target:
        return 0.0, ""
    for number, slot in _ADDRESS_SLOTS.items():
        if f"#{number}" in target and path.rsplit(".", 1)[-1] == slot:
            return 0.45, f"address line {number} conventionally holds the {slot}"
    return 0.0, ""


_IDENTIFIER = {"number", "code", "id"}
_DOCUMENT = {"customer", "order", "invoice", "number", "code"}


def _identity_fit(spec: FieldSpec, path: str, profile: Profile) -> tuple[float, str]:
    """Where identifiers come from: the object's own id, or an ERP code in metadata.

    A reference field takes the Stripe id of the object itself; an ERP
    number or code field takes a metadata value named after the ERP, and
    never a Stripe id that does not even fit its length.
    """
    target = concepts(spec.name)
    if "reference" in target:
        if path in ("id", "stripe_id"):
            return 0.3, "the object's own Stripe id"
        return 0.0, ""
    if "erp" in tokens(path) and target & _DOCUMENT and spec.type == STRING:
        return 0.3, "the path names an ERP value"
    if target & _IDENTIFIER and spec.max_length and profile.max_len > spec.max_length:
        return -0.25, "too long for the field"
    return 0.0, ""


def _side_penalty(spec: FieldSpec, path: str) -> float:
    """Billing-side targets should not take shipping paths, and the reverse."""
    target = concepts(spec.name)
    source = concepts(path)
    if "shipping" in target and "billing" in source:
        return -0.3
    if "billing" in target and "shipping" in source:
        return -0.3
    if "shipping" in source and "shipping" not in target:
        return -0.1
    if path.startswith("options.") and "prefix" in source:
        # Integration settings describe how to build values, not the values.
        return -0.2
    return 0.0


def suggest_for_target(
    spec: FieldSpec,
    profiles: dict[str, Profile],
    feedback: dict[tuple[str, str], int] | None = None,
) -> Suggestion:
    scored = []
    feedback = feedback or {}
    for path, profile in profiles.items():
        kind = profile.kind
        if spec.type == LINES:
            if kind != "list":
                continue
        elif kind in ("list", "object"):
            continue
        name, name_reason = name_similarity(spec.name, path)
        if spec.description and name < 0.5:
            desc, desc_reason = name_similarity(spec.description, path)
            if desc * 0.8 > name:
                name, name_reason = (
                    desc * 0.8,
                    desc_reason and f"description {desc_reason[5:]}",
                )
        value, value_reason = _value_fit(spec, profile)
        bonus, bonus_reason = _convention_bonus(spec, path)
        ident, ident_reason = _identity_fit(spec, path, profile)
        bonus_reason = "; ".join(r for r in (bonus_reason, ident_reason) if r)
        score = 0.62 * name + 0.28 * value + bonus + ident + _side_penalty(spec, path)
        if profile.kind == "empty":
            score -= 0.05
        if spec.max_length and profile.max_len > spec.max_length * 3:
            score -= 0.05
        net = feedback.get((spec.name, path), 0)
        fb_reason = ""
        if net:
            score += 0.35 * math.tanh(net / 2)
            fb_reason = f"admins {'accepted' if net > 0 else 'replaced'} it before"
        reasons = [r for r in (name_reason, value_reason, bonus_reason, fb_reason) if r]
        scored.append((score, path, "; ".join(reasons)))
    scored.sort(key=lambda item: (-item[0], len(item[1])))
    if not scored or scored[0][0] < 0.18:
        return Suggestion(spec.name, "", [], 0.0, "no convincing source field")
    best_score, best_path, reason = scored[0]
    runner_up = scored[1][0] if len(scored) > 1 else 0.0
    margin = max(0.0, best_score - runner_up)
    confidence = max(0.0, min(1.0, 0.75 * best_score + 0.6 * margin))
    return Suggestion(
        target=spec.name,
        source=best_path,
        transforms=_transforms(spec, profiles.get(best_path)),
        confidence=confidence,
        reason=reason or "best of weak candidates",
        alternatives=tuple((p, round(s, 3)) for s, p, _ in scored[1:4]),
    )


def suggest_mapping(
    *,
    target_fields: Iterable[FieldSpec],
    samples: list[dict],
    feedback: dict[tuple[str, str], int] | None = None,
) -> list[Suggestion]:
    """A suggestion per target field, from sample source objects."""
    profiles = profile_samples(samples)
    return [suggest_for_target(spec, profiles, feedback) for spec in target_fields]


def field_specs_from_dicts(rows: Iterable[dict]) -> list[FieldSpec]:
    """Target fields given as plain dicts (the benchmark's other ERPs)."""
    return [
        FieldSpec(
            name=row["name"],
            type=row.get("type", STRING),
            max_length=row.get("max_length"),
            description=row.get("description", ""),
            child=row.get("child", ""),
        )
        for row in rows
    ]
