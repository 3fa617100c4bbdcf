"""Mapping suggestions: for each ERP target field, the likeliest source and transform.

Nothing here is learned from downloads. A target is first read for what it
is: a single allowed value (a constant), a reference to another record (a
customer, an invoice, a currency or country record: resolved through the
`lookup` transform and the integration's id maps), a first or last name
(split from the full name), an enumeration (a value map from the samples'
values), a setting the integration fills (an option, or an abstention).
Any other target ranks the sample paths on four signals, each explainable
in the one-line reason shown to the admin: name similarity
(suggest_names.py), value profiling (suggest_values.py), type and length
fit (which picks the transform), and what admins kept or replaced before.
The raw score becomes a calibrated probability (calibration.py) and a
suggestion under the abstention threshold abstains.
"""

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, replace

from .calibration import abstention_threshold, probability
from .schemas import DATE, DECIMAL, FLAG, INT, LINES, STRING, FieldSpec
from .suggest_names import (
    concepts,
    head_concepts,
    known_word,
    name_similarity,
    tokens,
)
from .suggest_values import DATETIME, Profile, profile_samples, value_fit
from .valuemaps import propose_value_map

__all__ = [
    "Suggestion",
    "apply_threshold",
    "concepts",
    "field_specs_from_dicts",
    "name_similarity",
    "profile_samples",
    "suggest_for_target",
    "suggest_mapping",
    "tokens",
]

# ---------------------------------------------------------------- ranking


@dataclass(frozen=True)
class Suggestion:
    target: str
    source: str
    transforms: list
    confidence: float  # calibrated: the chance this is right (calibration.py)
    reason: str
    alternatives: tuple[tuple[str, float], ...] = ()
    score: float = 0.0  # the raw score the confidence was read from
    abstained: bool = False  # a candidate existed but scored under the threshold

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


@dataclass(frozen=True)
class Context:
    """What the samples say as a whole: the object type, the option paths."""

    object_type: str = ""
    option_paths: tuple[str, ...] = ()
    paths: frozenset[str] = frozenset()


# The Stripe object a canonical source of each entity comes from.
ENTITY_OBJECTS = {
    "customer": "customer",
    "sales_order": "charge",
    "payment": "charge",
    "credit_note": "refund",
    "adjustment": "dispute",
    "invoice": "invoice",
    "journal": "payout",
}


def _context_of(
    samples: list[dict], profiles: dict[str, Profile], entity: str = ""
) -> Context:
    kinds = {s.get("object") for s in samples if isinstance(s, dict)}
    kinds.discard(None)
    object_type = str(next(iter(kinds))) if len(kinds) == 1 else ""
    object_type = object_type or ENTITY_OBJECTS.get(entity, "")
    options = tuple(
        path
        for path, profile in profiles.items()
        if path.startswith("options.") and profile.kind not in ("object", "list")
    )
    return Context(
        object_type=object_type, option_paths=options, paths=frozenset(profiles)
    )


_ADDRESS_SLOTS = {3: "city", 4: "state", 5: "country"}


_STREET_ONLY = {"address", "line", "billing", "shipping", "#1", "#2", "primary", "main"}


def _convention_bonus(spec: FieldSpec, path: str) -> tuple[float, str]:
    """Address line 3-5 of old ERPs conventionally hold city, state, country.

    A field that is only a street ("address", "Street", "Address1") is the
    first street line; "Address2" the second.
    """
    target = concepts(spec.name)
    if "address" not in target:
        return 0.0, ""
    # The party an address belongs to (contactAddress) does not make it more
    # than a street.
    leaf_words = tokens(_plain(spec.name).rsplit(".", 1)[-1])
    leaf_target = concepts(" ".join(w for w in leaf_words if w not in _CUSTOMER_WORDS))
    if "address" in leaf_target and leaf_target <= _STREET_ONLY:
        wanted = "line2" if "#2" in leaf_target else "line1"
        if path.rsplit(".", 1)[-1] == wanted:
            return 0.3, f"a street field takes {wanted}"
    for number, slot in _ADDRESS_SLOTS.items():
        if f"#{number}" in target and path.rsplit(".", 1)[-1] == slot:
            return 0.45, f"address line {number} conventionally holds the {slot}"
    return 0.0, ""


_IDENTIFIER = {"number", "code", "id"}
# Targets that name another record or a contact detail: never the object's id.
_REFERENCED = {"currency", "country", "tax"}
_CONTACT = {
    "phone",
    "email",
    "fax",
    "address",
    "tax",
    "postal",
    "city",
    "state",
    "country",
}


# Where on the document a text goes: the top takes the description, the
# bottom (a closing text, a footer) the footer.
_TOP_WORDS = {"intro", "introduction", "introductory", "opening", "above", "head"}
_BOTTOM_WORDS = {"footer", "foot", "closing", "bottom", "below"}


def _text_place(spec: FieldSpec) -> str:
    if spec.type != STRING:
        return ""
    words = set(tokens(_plain(spec.name))) | set(tokens(spec.description or ""))
    if words & _BOTTOM_WORDS and not words & _TOP_WORDS:
        return "bottom"
    if words & _TOP_WORDS and not words & _BOTTOM_WORDS:
        return "top"
    return ""


def _describes_text(spec: FieldSpec) -> bool:
    """A memo or note field, by its name or (for a terse name) its description."""
    words = tokens(_plain(spec.name))
    if words and concepts(words[-1]) & {"number", "id", "code"}:
        return False  # CreditNoteNumber: a number, whatever it numbers
    if _text_place(spec) and "text" in tokens(f"{spec.name} {spec.description}"):
        return True  # "Introductory text above the line items", footText
    if spec.type == STRING and set(words) & {"details", "info", "information"}:
        return True  # customer_details "Additional information": a note, not lines
    return "description" in concepts(spec.name) or (
        len(tokens(spec.name)) <= 2
        and "description" in concepts(spec.description or "")
        and len(concepts(spec.description or "")) <= 2
    )


# A company's registration or identification number is the tax id Stripe keeps.
_COMPANY_WORDS = {
    "company",
    "corporate",
    "corporation",
    "business",
    "organisation",
    "organization",
    "enterprise",
}


# A VAT registration: English, Dutch (btw), Danish and Swedish (moms, cvr),
# Norwegian (mva) words.
_VAT_WORDS = {"vat", "abn", "gst", "ein", "tin", "btw", "moms", "mva", "cvr", "ustid"}


def _tax_id_target(spec: FieldSpec) -> bool:
    """A tax id by its name, or by what its description's first phrase names.

    code "Tax identification number of the contact", tva_intra
    "Intra-community VAT number": the description says what a bare or
    foreign name is.
    """
    if _tax_id_named(spec):
        return True
    phrase = re.split(r"[.;:(]", spec.description or "", maxsplit=1)[0]
    return bool(phrase) and _tax_id_named(replace(spec, name=phrase, description=""))


def _tax_id_named(spec: FieldSpec) -> bool:
    if spec.type != STRING or spec.choices:
        return False  # a VAT amount or rate, or a choice of a few, is no tax id
    words = set(tokens(spec.name))
    if words & {"code", "type", "uid"}:
        return False
    if "exempt" in words and not words & {"number", "no", "num", "id"}:
        return False
    return (
        bool(words & _VAT_WORDS)
        or "ustid" in "".join(tokens(spec.name))  # USt-IdNr, the German VAT id
        or (
            "tax" in concepts(spec.name)
            and bool(
                words
                & {"number", "no", "num", "id", "identifier", "reg", "nummer", "nr"}
            )
        )
        or bool(words & {"vat", "registration"} and spec.type == STRING)
        or bool(words & _COMPANY_WORDS and words & {"identification", "registration"})
    )


_TAX_ID_PATH = re.compile(r"(^|\.)(customer_)?tax_ids(\.data)?\.0\.value$")
_DOCUMENT = {"customer", "order", "invoice", "number", "code"}


def _identity_fit(
    spec: FieldSpec, path: str, profile: Profile, context: Context
) -> tuple[float, str]:
    """Where identifiers come from: the object's own id or number, or an ERP code.

    A reference field takes the Stripe id of the object itself, a document
    number field the object's own number, an ERP number or code field a
    metadata value named after the ERP, and never a Stripe id that does not
    fit its length.
    """
    target = concepts(spec.name)
    own_number = _names_own_number(spec, context)
    described = concepts(spec.description or "")
    # "The reference number of the invoice" asks for a reference, not the
    # invoice's own number.
    by_description = bool(
        "number" in described
        and _object_concept(context) & described
        and "reference" not in target
    )
    if (
        (own_number or by_description)
        and spec.type == INT
        and path in ("number", "id", "stripe_id")
        and profile.kind in ("text", "stripe_id")
    ):
        # invoiceNo (int): the ERP's own sequence; Stripe's number has a prefix.
        return -1.0, "a whole number: the ERP numbers it, Stripe's is text"
    if (own_number or by_description) and path == "number":
        strong = by_description or "document" in target or _own_document_number(spec)
        return (0.6 if strong else 0.4), "the document's own number"
    if (by_description or own_number) and path in ("id", "stripe_id"):
        if by_description or "number" in context.paths:
            return 0.0, ""  # the field asks for the number, not the id
        # A payment has no number of its own: its Stripe id is its reference.
        return 0.35, "the object's own Stripe id, as it has no number"
    if context.object_type == "customer" and _mentions(spec.description, _YOUR_OWN):
        # "Your own identifier for the contact": the integration's key, the
        # Stripe id; a whole number cannot hold it, the ERP code can.
        if spec.type == STRING and path in ("id", "stripe_id"):
            return 0.45, "the integration's own key for the customer: its Stripe id"
        if spec.type == INT and "erp" in tokens(path) and "customer" in concepts(path):
            return 0.45, "the integration's own key for the customer, as a number"
    if (
        context.object_type == "customer"
        and _own_identifier(spec)
        and "erp" in tokens(path)
        and "customer" in concepts(path)
    ):
        return 0.45, "the customer's code in the ERP, kept in its metadata"
    if _own_identifier(spec) and path.rsplit(".", 1)[-1] == "name":
        words = tokens(_plain(spec.name))
        if words and concepts(words[-1]) & {"id", "number", "code"}:
            return -0.2, "a key field, not a name"
    if target and target == _object_concept(context) and path == "number":
        return 0.4, "a field named after the document holds its number"
    if _customer_reference(spec, context):
        if "erp" in tokens(path) and "customer" in concepts(path):
            return 0.45, "the customer's reference in the ERP, kept in its metadata"
        if path in ("id", "stripe_id"):
            return 0.0, ""
    internal = _internal_code(spec)
    if (
        (
            "reference" in target
            or "reference" in described
            or _mentions(spec.description, ("external",))
        )
        and not internal
        and not target & _REFERENCED
        and not _describes_text(spec)
        and spec.type == STRING
    ):
        if path in ("id", "stripe_id"):
            return 0.35, "the object's own Stripe id"
        return 0.0, ""
    documents = target & {"customer", "order", "invoice"}
    if (
        "erp" in tokens(path)
        and (documents or internal)
        and not target & _CONTACT
        and not _describes_text(spec)
        and documents <= concepts(path) | _object_concept(context)
        and spec.type == STRING
    ):
        return (0.45 if internal else 0.3), "the path names an ERP value"
    if target & _IDENTIFIER and spec.max_length and profile.max_len > spec.max_length:
        return -0.25, "too long for the field"
    return 0.0, ""


def _internal_code(spec: FieldSpec) -> bool:
    """ "Internal reference", "Customer code (account reference)": the ERP's key.

    A code of another scheme ("DUNS code", "Default nominal code") is not
    the customer's key in the ERP.
    """
    if _mentions(spec.description, ("internal",)):
        return True
    described = concepts(spec.description or "")
    return _mentions(spec.description, ("code",)) and bool(
        described & {"customer", "account"}
    )


def _customer_reference(spec: FieldSpec, context: Context) -> bool:
    """reference, "Customer account reference": the customer's key in the ERP.

    A reference "in an external system" or "your own" is the integration's
    key, the Stripe id (above and below); a plain one the ERP's code.
    """
    if context.object_type != "customer" or concepts(spec.name) != {"reference"}:
        return False
    if _mentions(spec.description, ("external", "your own", "own identifier")):
        return False
    return "customer" in concepts(spec.description or "")


def _names_own_number(spec: FieldSpec, context: Context) -> bool:
    """invoiceNumber on an invoice, DocumentNumber: the document's own number."""
    target = concepts(spec.name)
    named = "number" in target and bool(
        "document" in target or _object_concept(context) & target
    )
    return named or _own_document_number(spec)


# A description that says the field is the API user's key for the record.
_YOUR_OWN = ("your own", "own identifier", "own reference")


# What a customer's own identifier field is called, besides its id word.
_OWN_ID_WORDS = {"id", "number", "code", "customer", "entity", "name", "account"}


def _own_identifier(spec: FieldSpec) -> bool:
    """A record's own key (entityId, DisplayID, CustomerNumber), not a detail.

    A key word under a contact detail's object (telephones.0.number) is that
    detail's value, not the record's key.
    """
    segments = _plain(spec.name).rsplit(".", 2)
    target = concepts(segments[-1])
    if len(segments) > 1 and concepts(segments[-2]) & _CONTACT:
        return False
    return bool(target & {"id", "number", "code"}) and target <= _OWN_ID_WORDS


def _object_concept(context: Context) -> frozenset[str]:
    return concepts(context.object_type) if context.object_type else frozenset()


def _plain(name: str) -> str:
    """A target name without list positions (Addresses.0.City → Addresses.City)."""
    return re.sub(r"\.\d+(?=\.|$)", "", name)


def _mentions(text: str, words: Iterable[str]) -> bool:
    low = (text or "").lower()
    return any(word in low for word in words)


# An address list's later entry (addresses.1.city): the first is the
# customer's own address, a second one where goods go.
_LATER_ADDRESS = re.compile(r"address\w*\.[1-9]\d*\.", re.IGNORECASE)


def _side(spec: FieldSpec) -> str:
    found = concepts(spec.name)
    if not found & {"shipping", "billing"}:
        found = found | concepts(spec.description or "")
    if not found & {"shipping", "billing"} and _LATER_ADDRESS.search(spec.name):
        return "shipping"
    if "shipping" in found and "billing" not in found:
        return "shipping"
    if "billing" in found and "shipping" not in found:
        return "billing"
    return ""


def _side_penalty(spec: FieldSpec, path: str) -> float:
    """Billing-side targets should not take shipping paths, and the reverse."""
    side = _side(spec)
    source = concepts(path)
    if side == "shipping" and "shipping" not in source:
        return -0.3 if "billing" in source or "address" in source else -0.1
    if side == "billing" and "shipping" in source:
        return -0.3
    if "shipping" in source and side != "shipping":
        return -0.25  # a name or address with no side is the customer's own
    if path.startswith("options.") and "prefix" in source:
        # Integration settings describe how to build values, not the values.
        return -0.2
    return 0.0


# Description-like sources, in the order a memo field should prefer them.
_TEXT_SOURCES = {"description": 0.3, "memo": 0.28, "reason": 0.18, "footer": 0.05}


def _text_bonus(spec: FieldSpec, path: str, context: Context) -> tuple[float, str]:
    if not _describes_text(spec) or spec.type != STRING:
        return 0.0, ""
    bonus = _TEXT_SOURCES.get(path, 0.0)
    # A refund has no description: its reason is the note it carries.
    present = [p for p in _TEXT_SOURCES if p in context.paths]
    if present and path == present[0]:
        bonus = max(bonus, _TEXT_SOURCES["description"])
    place = _text_place(spec)
    if place == "bottom" and "footer" in context.paths:
        # A closing text is the footer, whatever its name shares with a note.
        leaf = path.rsplit(".", 1)[-1]
        bonus = {"footer": 0.35, "description": -0.35}.get(leaf, 0.0)
        return bonus, ("the text at the bottom of the document" if bonus > 0 else "")
    return bonus, ("free text for a note" if bonus else "")


def _transforms(
    spec: FieldSpec, profile: Profile | None, *, wants_time: bool = False
) -> list[dict]:
    steps: list[dict] = []
    kind = profile.kind if profile else ""
    if (spec.type == DATETIME or wants_time) and kind in ("timestamp", "int"):
        steps.append(
            {"name": "unix_to_datetime", "params": {"timezone": "$options.timezone"}}
        )
    elif spec.type == DATE and kind in ("timestamp", "int", "empty", ""):
        steps.append(
            {"name": "unix_to_date", "params": {"timezone": "$options.timezone"}}
        )
    elif spec.type == STRING and kind == "timestamp" and "date" in concepts(spec.name):
        # A date written as text ("YYYY-MM-DD"): never the raw Unix seconds.
        timed = "time" in tokens(spec.description or "")
        name = "unix_to_datetime" if timed else "unix_to_date"
        steps.append({"name": name, "params": {"timezone": "$options.timezone"}})
    elif spec.type == DECIMAL and kind in ("amount", "int"):
        steps.append({"name": "minor_to_decimal", "params": {"currency": "$currency"}})
        if _wants_positive(spec) and profile is not None and profile.negative:
            steps.append({"name": "absolute"})
    elif spec.type == STRING and profile is not None and _example_upper(spec, profile):
        steps.append({"name": "upper"})  # "for example VISA" of values "visa"
    elif spec.type == STRING and kind == "currency" and not _wants_lower(spec):
        steps.append({"name": "upper"})
    elif spec.type == STRING and kind == "country" and "country" in concepts(spec.name):
        wanted = _country_format(spec)
        if wanted:
            steps.append({"name": "country_code", "params": {"to": wanted}})
    if (
        spec.type == STRING
        and spec.max_length
        and profile
        and not steps
        and (profile.max_len > spec.max_length or kind == "text")
    ):
        steps.append({"name": "truncate", "params": {"length": spec.max_length}})
    return steps


def _wants_lower(spec: FieldSpec) -> bool:
    """A code described in lower case, or by a lower-case example ("e.g. eur")."""
    text = (spec.description or "").lower()
    if "lowercase" in text or "lower case" in text or "lower-case" in text:
        return True
    found = _EXAMPLE.search(spec.description or "")
    return bool(found and found.group(1).isalpha() and found.group(1).islower())


def _wants_positive(spec: FieldSpec) -> bool:
    """A decimal declared positive, or described so ("a positive number")."""
    described = set(tokens(spec.description or ""))
    return spec.positive or bool(
        described & {"positive", "absolute", "unsigned"} and "negative" not in described
    )


def _country_format(spec: FieldSpec) -> str:
    """alpha3 or name when the target says so; "" when an ISO alpha-2 fits."""
    text = f"{spec.name} {spec.description or ''}".lower()
    if "alpha-3" in text or "alpha3" in text or "iso3" in text:
        return "alpha3"
    leaf = concepts(_plain(spec.name).rsplit(".", 1)[-1])
    described = set(tokens(spec.description or ""))
    if "code" in leaf or "code" in described or spec.max_length == 2:
        # CountryCode, "Bill-to country code": the ISO code as it is, even in
        # a field three characters wide.
        return ""
    if "name" in leaf or described & {"name", "names"}:
        return "name"  # "Country name", "named by the country's English name"
    return "alpha3" if spec.max_length == 3 else ""


# ---------------------------------------------------------------- intents

_CUSTOMER_WORDS = {
    "cust",
    "customer",
    "client",
    "partner",
    "debtor",
    "debitor",
    "party",
    "payer",
    "payor",
    "buyer",
    "contact",
    "entity",
    # German, Dutch and Scandinavian (suggest_names.py reads them too)
    "kunde",
    "kunden",
    "kund",
    "kunder",
    "klant",
    "debiteur",
    "debitoren",
    "relatie",
}
_ID_WORDS = {
    "id",
    "ids",
    "no",
    "num",
    "nbr",
    "nr",
    "number",
    "code",
    "ref",
    "reference",
    "key",
    "uid",
    "guid",
    "nummer",
    "numero",
    "nro",
}
_INVOICE_WORDS = {
    "invoice",
    "inv",
    "invoices",
    "rechnung",
    "rechnungs",
    "faktura",
    "factuur",
    "facture",
    "factura",
}
_LINK_WORDS = {
    "to",
    "pay",
    "apply",
    "applies",
    "applied",
    "linked",
    "txn",
    "doc",
    "line",
    "paid",
    "marked",
    "related",
    "relates",
}
_RECORD_HINTS = ("recordref", "record", "many2one", "enumeration", "id of")
# Words of a payment's applications: what it pays ("apply", "allocations").
_APPLY_WORDS = {
    "apply",
    "applies",
    "applied",
    "application",
    "applications",
    "allocation",
    "allocations",
    "allocated",
    "allocate",
    "settle",
    "settled",
    "settlement",
    "matched",
}
# Target words of values an integration takes from its settings, not Stripe.
_CONFIG_WORDS = {
    "terms",
    "term",
    "journal",
    "bank",
    "warehouse",
    "whse",
    "salesperson",
    "salesrep",
    "rep",
    "user",
    "owner",
    "department",
    "dept",
    "class",
    "location",
    "subsidiary",
    "category",
    "template",
    "branding",
    "theme",
    "fiscal",
    "method",
    "mode",
    "limit",
    "period",
    "year",
    "exchange",
    "deposit",
    "undep",
    "website",
    "level",
    "shipment",
    "type",
    "offset",
    "resale",
    "account",
    "acct",
    "priority",
    "territory",
    "charges",
    "rate",
    "person",
    "group",
    "treatment",
    "series",
    "branch",
    "project",
    "dimension",
    "center",
    "centre",
    "book",
    "classification",
    "segment",
    "batch",
    "workflow",
    "layout",
    "system",
    "condition",
    "conditions",
    "bedingungen",
    "voorwaarden",
    "betingelser",
    "villkor",
    "konto",
    "rekening",
    "grootboek",
    "kostenstelle",
    "kostenplaats",
    "interval",
    "days",
    "office",
}


# Where a description stops naming the field and starts listing or explaining.
_DESCRIPTION_TAIL = re.compile(r";|\d+\s*=|,?\s+(e\.g\.|for example|such as)\b")
_READABLE_WORDS = 8


def _readable(spec: FieldSpec) -> FieldSpec:
    """An abbreviated column name (CUSTNMBR, p_code) read as its description.

    Old ERPs name columns by dropping vowels, or by one letter for a word;
    their references describe each in a few plain words ("Customer number",
    "Primary address postal code"). When no word of the name's last part is
    one the suggester knows and the description does not merely spell the
    name out, or when a one-letter word of the name stands for a word of
    the description, the description's head stands in for that part, so
    every rule below reads the plain words.
    """
    if not spec.description:
        return spec
    plain = _plain(spec.name)
    prefix, _, leaf = plain.rpartition(".")
    words = [t for t in tokens(leaf) if not t.isdigit()]
    head = _DESCRIPTION_TAIL.split(spec.description, maxsplit=1)[0]
    described = [t for t in tokens(head) if not t.isdigit()]
    if not words or not described or len(described) > _READABLE_WORDS:
        return spec
    if not (_vowelless(leaf, words, described) or _initials(words, described)):
        return spec
    read = "".join(w.capitalize() for w in re.findall(r"[A-Za-z0-9]+", head))
    return replace(spec, name=f"{prefix}.{read}" if prefix else read)


def _vowelless(leaf: str, words: list[str], described: list[str]) -> bool:
    """CUSTNMBR "Customer number": no word the suggester knows, not spelled out."""
    vocabulary = _CUSTOMER_WORDS | _ID_WORDS | _LINK_WORDS | _APPLY_WORDS
    return (
        len(leaf) >= 5
        and not any(known_word(w) or w in vocabulary | _CONFIG_WORDS for w in words)
        and not set(words) <= set(described)
        and any(known_word(w) for w in described)
    )


def _initials(words: list[str], described: list[str]) -> bool:
    """p_code "Primary address postal code": a letter for a described word."""
    letters = [w for w in words if len(w) == 1]
    others = {w for w in words if len(w) > 1}
    return (
        bool(letters)
        and others <= set(described)
        and all(
            any(d.startswith(letter) and d not in others for d in described)
            for letter in letters
        )
    )


def _words(spec: FieldSpec) -> set[str]:
    """The target's name tokens, a reference's trailing ``.value`` left out."""
    name = spec.name
    if name.endswith(".value"):
        name = name[: -len(".value")]
    return {t for t in tokens(name) if not t.isdigit()}


def _own_document_number(spec: FieldSpec) -> bool:
    """Described as the "Document number": the record's own, whatever it is named."""
    phrase = re.split(r"[.;:(]", spec.description or "", maxsplit=1)[0]
    return concepts(phrase) == {"document", "number"}


def _reference_kind(spec: FieldSpec, context: Context) -> str:
    """customer / invoice / currency / country when the target points at a record."""
    if _own_document_number(spec):
        return ""
    kind = _reference_kind_of(spec, context)
    if kind:
        return kind
    segments = _plain(spec.name).split(".")
    # address.contactId: the group says where, the last part what; a bare key
    # (invoicee.customer.id) is read with the object it is the key of.
    ends = [segments[-1]]
    if len(segments) > 2 and set(tokens(segments[-1])) <= _ID_WORDS:
        ends.append(".".join(segments[-2:]))
    for end in ends if len(segments) > 1 else []:
        if not set(tokens(end)) & _ID_WORDS:
            continue
        leaf = FieldSpec(
            name=end,
            type=spec.type,
            max_length=spec.max_length,
            description=spec.description,
        )
        leaf_kind = _reference_kind_of(leaf, context)
        if leaf_kind == "customer":
            return leaf_kind
        if leaf_kind == "invoice" and context.object_type in ("charge", "credit_note"):
            return leaf_kind  # lines.0.invoiceNo: a payment line's invoice
    return ""


# A party named by its side of the document: the bill-to customer is a customer.
_PARTY_SIDES = {"bill", "billto", "sold", "soldto", "ship", "shipto"}
# A "<document or side> to" field holding a record id: the party it goes to.
_PARTY_TO = re.compile(r"(?i)(invoice|bill|sold|ship|deliver|send)_?to$")


def _invoice_compound(spec: FieldSpec, context: Context) -> bool:
    """customerInvoice, salesInvoiceNo: the last part names an invoice record.

    English compounds are head-final: a customer invoice is an invoice. It is
    a reference when its type is a key (int) or a word or the description
    says number or id, and the object is not that invoice itself.
    """
    if context.object_type == "invoice" or spec.type in (DATE, DATETIME, DECIMAL):
        return False
    leaf = [t for t in tokens(_plain(spec.name).rsplit(".", 1)[-1]) if t.isalpha()]
    named = [t for t in leaf if t not in _ID_WORDS]
    if not named or named[-1] not in _INVOICE_WORDS or len(named) < 2:
        return False
    if not set(named[:-1]) <= _CUSTOMER_WORDS | {"sales", "customers"}:
        return False
    described = set(tokens(spec.description or ""))
    return (
        spec.type == INT
        or bool(set(leaf) & _ID_WORDS)
        or bool(described & {"number", "id"})
    )


# What any record is called: a name of these and an id word says only "the
# id of"; the description says of what.
_ANY_RECORD = {"document", "record"}


def _qualifier(word: str) -> bool:
    """A past participle (credited, invoiced): it qualifies a record, names none."""
    return len(word) > 5 and word.endswith("ed") and not known_word(word)


def _reference_kind_of(spec: FieldSpec, context: Context) -> str:
    words = _words(spec)
    rest = words - _ID_WORDS - _LINK_WORDS - _APPLY_WORDS
    rest = {word for word in rest if not _qualifier(word)}
    if {"third", "party"} <= rest:
        rest.discard("third")  # a third party is the other party: the customer
    if words & {"contact", "person"} and words & (_CUSTOMER_WORDS - {"contact"}):
        # customerContactNumber: a person at the customer, which Stripe lacks.
        return ""
    if _invoice_compound(spec, context):
        return "invoice"
    if (
        _PARTY_TO.search(_plain(spec.name))
        and spec.type in (STRING, INT)
        and _mentions(spec.description, ("guid", " id", "account", "customer"))
    ):
        return "customer"  # InvoiceTo "Guid of the account the invoice is sent to"
    name_c = concepts(spec.name)
    desc = (spec.description or "").lower()
    as_record = (
        spec.type == INT
        or bool(words & {"id", "uid", "guid"})
        or _mentions(desc, _RECORD_HINTS)
    )
    # A "record id" of at most five characters holds the ISO code itself.
    as_record = as_record and not (spec.max_length and spec.max_length <= 5)
    # A whole number cannot hold an ISO code or a name: "Id of the country
    # code" is a record's id whatever its description names.
    whole = spec.type == INT
    if "currency" in name_c and as_record and (whole or not _mentions(desc, ("code",))):
        return "currency"
    if (
        "country" in name_c
        and as_record
        and (whole or not _mentions(desc, ("code", "name")))
    ):
        return "country"  # an enumeration of country names is the name itself
    if (
        words
        and rest
        and rest & _CUSTOMER_WORDS
        and rest <= _CUSTOMER_WORDS | _PARTY_SIDES
    ):
        return "customer"  # CustomerNumber, BillToCustomerNumber
    if rest & _CUSTOMER_WORDS and rest <= _CUSTOMER_WORDS | {"account", "acct"}:
        return "customer"  # CustomerAccount: the customer's account, its code
    if rest <= {"account", "acct", "display", "value"} and _mentions(
        desc, ("customer",)
    ):
        return "customer"
    if words and rest and rest <= _INVOICE_WORDS:
        return "invoice"
    referencing = bool(words & (_ID_WORDS | {"doc", "document"})) or _mentions(
        desc, _RECORD_HINTS
    )
    if (
        context.object_type in ("charge", "credit_note")
        and referencing
        and words & _APPLY_WORDS
        and not name_c & {"amount", "date", "type", "customer"}
    ):
        return "invoice"  # applyList.apply.doc: the document the payment pays
    if (
        context.object_type == "refund"
        and spec.type not in (DATE, DATETIME, DECIMAL, FLAG)
        and not name_c & {"amount", "type"}
    ):
        origin = words & {"created", "from", "original", "origin", "source"}
        if (origin and (referencing or "payment" in name_c)) or _mentions(
            desc, ("created from", "refunded", "original")
        ):
            return "charge"  # createdFrom: the sale the refund gives back
        keyed = words & {"id", "ids", "uid", "guid", "key"}
        if "payment" in name_c and keyed and not rest - {"payment", "charge"}:
            # payment_id: a refund's payment is the charge; a payment
            # reference (PaymentRef) is the refund's own.
            return "charge"
    applied = _application_kind(spec, context)
    if applied:
        return applied
    if (
        context.object_type == "customer"
        and _mentions(desc, ("belongs to", "belonging to"))
        and set(tokens(desc)) & _CUSTOMER_WORDS
    ):
        return "customer"  # "The customer this address belongs to"
    described = [t for t in tokens(desc) if t not in ("the", "of", "s")]
    if (
        (words & _ID_WORDS or context.object_type not in ("", "customer"))
        and described
        and set(described) & _CUSTOMER_WORDS
        and set(described) <= _CUSTOMER_WORDS | {"id", "code", "number", "no"}
        and set(described) & {"id", "code", "number", "no"}
    ):
        return "customer"  # CardCode, "Customer code": the name is the ERP's jargon
    if words and not rest - _ANY_RECORD and words & _ID_WORDS:
        # The name says only "the id of": the description says of what.
        if _mentions(desc, ("invoice",)):
            return "invoice"
        if _mentions(desc, ("customer",)):
            return "customer"
    if context.object_type in ("charge", "credit_note") and spec.type in (STRING, INT):
        if _INVOICE_SUBJECT.match(desc):
            return "invoice"  # CreditNoteFor "The invoice the credit note is for"
        if (
            context.object_type == "charge"
            and words & _ID_WORDS
            and _PATH_PARAMETER.search(desc)
        ):
            return "invoice"  # saleId "(path)": a payment is posted on its invoice
    return ""


# A description whose subject is an invoice, then what this record does to it.
_INVOICE_SUBJECT = re.compile(
    r"\s*(the\s+)?(sales\s+)?invoice\s+(the|that|which|this|it|being|paid|settled|credited)\b"
)
# A key given in the request's URL path (/invoices/{id}/payments).
_PATH_PARAMETER = re.compile(r"\(path\b")


_APPLIED_TO = {
    "invoice",
    "invoices",
    "inv",
    "document",
    "documents",
    "doc",
    "docs",
    "reference",
    "references",
}


def _application_kind(spec: FieldSpec, context: Context) -> str:
    """The key of a list element naming what a payment pays or a refund returns.

    PaymentInvoices.0.DocEntry, references.0.reference_name,
    DocumentsToApply.0.ReferenceNbr, paymentLines.0.refNbr: the list says
    "applied to documents" or is the payment's own lines,
    its element's key field is the document. A charge pays an invoice; a
    refund gives back a charge.
    """
    parts = spec.name.split(".")
    index = max((i for i, part in enumerate(parts) if part.isdigit()), default=-1)
    if index <= 0 or index == len(parts) - 1:
        return ""
    if spec.type in (DATE, DATETIME, DECIMAL, FLAG):
        return ""
    # Settlements, Allocations: plural list names of the same words.
    container = {t.removesuffix("s") for t in tokens(".".join(parts[:index]))}
    leaf = set(tokens(".".join(parts[index + 1 :])))
    applied = container & {w.removesuffix("s") for w in _APPLY_WORDS | _APPLIED_TO}
    # paymentLines.0.refNbr: a payment's lines are the documents it pays.
    paid_lines = {"payment", "line"} <= container and context.object_type == "charge"
    if not applied and not paid_lines:
        return ""
    if not leaf & (_ID_WORDS | {"doc", "document", "entry"}):
        return ""
    leaf_c = concepts(".".join(parts[index + 1 :]))
    if leaf_c & {"amount", "date", "type", "customer", "description", "line"}:
        return ""
    return {"charge": "invoice", "refund": "charge"}.get(context.object_type, "")


# Words that make a "first" or "last" field a person's name part.
_PERSON_NAME_WORDS = {
    "name",
    "given",
    "family",
    "surname",
    "forename",
    "fname",
    "lname",
}


def _name_part(spec: FieldSpec) -> str:
    """first / last for a person's name part; "" for FirstDueInterval or LastUser."""
    words = tokens(spec.name)
    found = concepts(spec.name)
    if spec.type != STRING or not (found | set(words)) & _PERSON_NAME_WORDS:
        return ""
    if "first" in found or {"fname", "firstname", "given"} & set(words):
        return "first"
    if "last" in found or {"lname", "lastname", "family", "surname"} & set(words):
        return "last"
    return ""


# What a tax field is when it is a ledger setting rather than a tax id.
_TAX_SETTINGS = {
    "code",
    "type",
    "name",
    "rate",
    "schedule",
    "zone",
    "group",
    "class",
    "category",
    "scheme",
    "area",
    "treatment",
}
_CONTENT = {
    "description",
    "reference",
    "date",
    "email",
    "phone",
    "address",
    "name",
    "currency",
}
# What a description names when the field is a ledger setting.
_SETTING_NOUNS = {"account", "journal", "daybook", "terms", "warehouse", "ledger"}
# What names a ledger account by the side of the books it posts to.
_LEDGER_SIDES = {"income", "revenue", "expense", "expenses"}


def _is_config(spec: FieldSpec, context: Context) -> bool:
    words = _words(spec)
    if spec.type == FLAG:
        return True
    if {"price", "list"} <= words or "pricelist" in words:
        return True  # the price list a document is priced from: a setting
    described = set(tokens(spec.description or ""))
    if (
        described & _SETTING_NOUNS
        and not described & (_CUSTOMER_WORDS - {"entity"})
        and not concepts(spec.name)
        & (_CONTENT | {"amount", "customer", "number", "code", "id"})
    ):
        return True  # debit_to "(receivable account)", paid_from "Account paid from"
    head = re.split(r"[.;:(]|\s(?:of|for|to|the|that|which)\s", spec.description or "")[
        0
    ]
    head_words = [t for t in tokens(head) if t != "the"]
    if (
        head_words
        and head_words[-1] in _SETTING_NOUNS
        and not set(head_words) & _CUSTOMER_WORDS
    ):
        return True  # clientRecord "Accounting account of the contact as a client"
    if "tax" in concepts(spec.name) and words & _TAX_SETTINGS:
        return True  # a tax code, schedule or zone is a setting; a tax id is not
    if "our" in words:
        return True  # OurReference, OurContact: the seller's own person, a setting
    if "account" in words | described and (words | described) & _LEDGER_SIDES:
        return True  # "Default income account code": a ledger account
    if not words & _CONFIG_WORDS:
        return False
    skipped = {"id", "ids", "uid", "guid", "ref", "value", "code", "no", "num"}
    named = [t for t in tokens(_plain(spec.name)) if t not in skipped]
    head = named[-1] if named else ""
    if head in ("name", "label") and set(named[:-1]) & _CONFIG_WORDS:
        return True  # TermName, BankName, paymentTermLabel: a settings record's name
    if head not in _CONFIG_WORDS and concepts(head) & _CONTENT:
        return False  # JournalReference, JournalNotation: the head word decides
    if spec.type in (DATE, DATETIME):
        return False
    if spec.type == DECIMAL and not words & {"limit", "rate", "exchange", "charges"}:
        return False
    if words & {"account", "acct"} and words & (
        _CUSTOMER_WORDS | {"number", "num", "no"}
    ):
        # A customer's account number is its code in the ERP, not a setting.
        return context.object_type != "customer"
    return not ("type" in words and spec.type in (DECIMAL, DATE))


# For the attention of (for_attention_of.name, attn): a person at the buyer.
_ATTENTION = {"attention", "attn"}
# The buyer's own reference (an e-invoicing buyer reference): not in Stripe.
_BUYER_DOCUMENT = ({"buyer", "reference"},)


_PURCHASE_ORDER = (
    {"purchase", "order"},
    {"po"},
    {"order", "reference"},
    {"order", "ref"},
)
# A number the ERP's own number series gives ("when manual numbering is
# enabled"): with no Stripe number, nothing of Stripe's goes there.
_NUMBERING = ("numbering", "number series")
# A remittance code the seller's ERP issues for the bank (KID, OCR).
_PAYMENT_REFERENCE = ({"payment", "reference"},)
_REFERENCE_WORDS = {"ref", "reference"}


def _buyers_document(spec: FieldSpec, context: Context) -> bool:
    """The buyer's own reference; a purchase order on a document with a number.

    A Stripe invoice or credit note has a number of its own, so its
    purchase-order or order-reference field is the buyer's document, and
    its customer's reference number (customerRefNumber) the buyer's own
    reference, which Stripe does not hold; an order made from a charge
    takes the charge id there. A payment reference on such a document is
    the remittance code the ERP issues (KID, OCR).
    """
    words = set(tokens(_plain(spec.name)))
    if any(group <= words for group in _BUYER_DOCUMENT):
        return True
    if "number" not in context.paths:
        return False
    if any(group <= words for group in _PURCHASE_ORDER):
        return True
    described = set(tokens(spec.description or ""))
    if (
        words & _CUSTOMER_WORDS
        and words & _REFERENCE_WORDS
        and (words & {"number", "no", "nr", "num"} or "order" in described)
    ):
        return True  # ref_client "(customer order ref)"
    return spec.type == STRING and any(
        group <= words | described for group in _PAYMENT_REFERENCE
    )


def _suggest(
    spec: FieldSpec,
    source: str,
    transforms: list,
    score: float,
    reason: str,
    alternatives: tuple = (),
) -> Suggestion:
    return Suggestion(
        target=spec.name,
        source=source,
        transforms=transforms,
        confidence=probability(score),
        reason=reason,
        alternatives=alternatives,
        score=score,
    )


def _abstain(spec: FieldSpec, reason: str, score: float = 0.0) -> Suggestion:
    return Suggestion(spec.name, "", [], 0.0, reason, score=score, abstained=True)


def _ids_with(profiles: dict[str, Profile], prefix: str) -> list[str]:
    found = [
        path
        for path, profile in profiles.items()
        if prefix in profile.id_prefixes and not path.startswith("options.")
    ]
    return sorted(found, key=lambda p: (p.count("."), len(p)))


def _reference_suggestion(
    spec: FieldSpec, kind: str, profiles: dict[str, Profile], context: Context
) -> Suggestion | None:
    if kind == "customer" and context.object_type == "customer":
        if _mentions(spec.description, ("belongs to", "belonging to")) and "id" in (
            context.paths
        ):
            # An address or contact record's link to its customer.
            return _suggest(
                spec,
                "id",
                [{"name": "lookup", "params": {"table": "customer"}}],
                0.95,
                "the customer this record belongs to: its Stripe id through the id map",
            )
        return None  # the customer's own code: the ordinary ranking finds it
    if kind == "invoice" and context.object_type == "invoice":
        return None
    if kind == "charge" and context.object_type == "charge":
        return None
    if kind in ("currency", "country"):
        wanted = kind
        paths = [
            p
            for p, prof in profiles.items()
            if prof.kind == wanted and not p.startswith("options.")
        ]
        if not paths:
            return None
        side = _side(spec)
        paths.sort(
            key=lambda p: (
                ("shipping" in concepts(p)) != (side == "shipping"),
                p.count("."),
                len(p),
            )
        )
        return _suggest(
            spec,
            paths[0],
            [{"name": "lookup", "params": {"table": kind}}],
            0.95,
            f"a {kind} record: the ISO code through the integration's {kind} table",
        )
    resolved = _resolved_code(kind, profiles)
    if resolved:
        return _suggest(
            spec,
            resolved,
            [],
            1.0,
            f"the ERP {kind} code already resolved in the source",
        )
    prefix = {"customer": "cus", "invoice": "in", "charge": "ch"}[kind]
    direct = _ids_with(profiles, prefix)
    if direct:
        return _suggest(
            spec,
            direct[0],
            [{"name": "lookup", "params": {"table": kind}}],
            1.0,
            f"a {kind} reference: the Stripe {kind} id through the id map",
        )
    if kind == "customer":
        charges = _ids_with(profiles, "ch")
        if charges:
            return _suggest(
                spec,
                charges[0],
                [{"name": "lookup", "params": {"table": "customer_of_charge"}}],
                0.9,
                "a customer reference: the charge's customer through the id map",
            )
    return _abstain(spec, f"a {kind} reference, and no Stripe {kind} id in the samples")


def _resolved_code(kind: str, profiles: dict[str, Profile]) -> str:
    """A path holding the ERP's own code for the record (customer_code), if any.

    The ledger adds customer_code, invoice_number and order_number to the
    canonical sources it maps: those need no lookup.
    """
    found = [
        path
        for path, profile in profiles.items()
        if kind in concepts(path.rsplit(".", 1)[-1])
        and concepts(path.rsplit(".", 1)[-1]) & {"code", "number"}
        and profile.kind not in ("stripe_id", "empty", "list", "object")
        and not path.startswith("options.")
        and not profile.in_list
    ]
    return min(found, key=lambda p: (p.count("."), len(p))) if found else ""


def _name_split_suggestion(
    spec: FieldSpec, part: str, profiles: dict[str, Profile]
) -> Suggestion | None:
    side = _side(spec)
    candidates = []
    for path, profile in profiles.items():
        leaf = path.rsplit(".", 1)[-1]
        if profile.kind != "text" or path.startswith("options."):
            continue
        if leaf != "name" and not leaf.endswith("_name"):
            continue
        if {"first", "last"} & concepts(leaf):
            continue
        shipping = "shipping" in concepts(path)
        candidates.append(((shipping != (side == "shipping")), path.count("."), path))
    if not candidates:
        return None
    path = min(candidates)[2]
    return _suggest(
        spec,
        path,
        [{"name": "split_name", "params": {"part": part}}],
        0.95,
        f"the {part} name, split from the full name",
    )


_CODE_LABEL = re.compile(r"(\w+)\s*=\s*([^=;,]+?)(?=\s+\w+\s*=|[;,]|$)")


def _choice_labels(spec: FieldSpec) -> dict[str, str]:
    """What coded choices mean, from the description: "0=Check 1=Cash" → label: code.

    Empty unless every allowed value is explained there.
    """
    labels = {
        label.strip(): code
        for code, label in _CODE_LABEL.findall(spec.description or "")
        if label.strip()
    }
    if not spec.choices or {str(c) for c in spec.choices} - set(labels.values()):
        return {}
    return labels


def _one_kinds_detail(path: str, profiles: dict[str, Profile]) -> bool:
    """A path under a branch one kind has (payment_method_details.card.brand).

    Stripe nests what only one kind of object carries under that kind's
    name, which a sibling "type" holds: such a path says nothing of the
    other kinds.
    """
    parts = path.split(".")
    for index in range(1, len(parts) - 1):
        kind = profiles.get(".".join([*parts[:index], "type"]))
        if kind is not None and parts[index] in kind.values:
            return True
    return False


# Codes any list of ISO 4217 currencies holds: a list with them is one.
_COMMON_CURRENCIES = {"EUR", "USD", "GBP"}


def _currency_choices_suggestion(
    spec: FieldSpec, choices: list, profiles: dict[str, Profile]
) -> Suggestion | None:
    """A field allowing ISO currency codes (EUR, USD, ...) takes Stripe's currency.

    Stripe writes the code in lower case, so the value is upper-cased.
    """
    codes = {str(c).strip() for c in choices}
    if len(codes) < 3 or not codes >= _COMMON_CURRENCIES:
        return None
    if not all(len(c) == 3 and c.isalpha() and c.isupper() for c in codes):
        return None
    found = sorted(
        (path.count("."), path)
        for path, profile in profiles.items()
        if profile.kind == "currency" and not path.startswith("options.")
    )
    if not found:
        return None
    path = found[0][1]
    return _suggest(
        spec, path, [{"name": "upper"}], 1.0, "the allowed values are currency codes"
    )


def _value_map_suggestion(
    spec: FieldSpec, profiles: dict[str, Profile]
) -> Suggestion | None:
    labels = _choice_labels(spec)
    allowed = list(labels) if labels else list(spec.choices)
    best = None
    for path, profile in profiles.items():
        if (
            profile.kind != "text"
            or not profile.values
            or path.startswith("options.")
            or path.rsplit(".", 1)[-1] in ("object", "id", "name", "description")
            or len(profile.values) > 12
        ):
            continue
        table, fit = propose_value_map(profile.values, allowed)
        if not table:
            continue
        if labels:
            table = {value: labels[label] for value, label in table.items()}
        name, _ = name_similarity(spec.name, path)
        score = 0.55 + 0.45 * fit + 0.2 * name
        if _one_kinds_detail(path, profiles):
            score -= 0.3  # a card's brand tells a card payment's detail only
        if best is None or score > best[0]:
            best = (score, path, table)
    if best is None:
        return None
    score, path, table = best
    shown = ", ".join(f"{k} → {v}" for k, v in sorted(table.items()))
    return _suggest(
        spec,
        path,
        [{"name": "value_map", "params": {"map": table}}],
        score,
        f"values map onto the allowed ones ({shown})",
    )


_YES = {"yes", "true", "1", "y", "j", "ja", "oui", "si"}
_NO = {"no", "false", "0", "n", "nein", "non"}
_TAX_WORDS = _VAT_WORDS | {"tax", "tva", "iva", "mwst", "ust", "vat"}
_TAX_EXEMPT_WORDS = {"exempt", "exemption", "exempted", "free", "freed", "exonerated"}
_PERMISSION_WORDS = {"allow", "allowed", "allows", "enable", "enabled", "can", "may"}
_TAX_SUBJECT_WORDS = {"subject", "liable", "liability", "taxable", "assujetti"}


def _yes_and_no(spec: FieldSpec) -> tuple[object, object] | None:
    """The values a yes/no target takes for yes and for no, if it is one."""
    if spec.type == FLAG:
        return True, False
    labels = _choice_labels(spec)
    if labels:
        by_word = {label.lower(): code for label, code in labels.items()}
    else:
        by_word = {str(choice).lower(): choice for choice in spec.choices}
    if len(by_word) != 2:
        return None
    yes = [code for word, code in by_word.items() if word in _YES]
    no = [code for word, code in by_word.items() if word in _NO]
    return (yes[0], no[0]) if yes and no else None


def _tax_status_suggestion(
    spec: FieldSpec, profiles: dict[str, Profile]
) -> Suggestion | None:
    """Whether a customer pays tax, as yes/no: Stripe's tax_exempt, mapped.

    "Exempt from VAT" is yes for an exempt or reverse-charge customer,
    "Subject to VAT" the other way round.
    """
    words = set(tokens(f"{spec.name} {spec.description or ''}"))
    if not words & _TAX_WORDS or _tax_id_target(spec):
        return None
    if set(tokens(spec.name)) & _PERMISSION_WORDS:
        return None  # allowTaxFreeInvoices: what the company permits, a setting
    exempt = bool(words & _TAX_EXEMPT_WORDS)
    if not exempt and not words & _TAX_SUBJECT_WORDS:
        return None
    answers = _yes_and_no(spec)
    paths = [p for p in profiles if p.rsplit(".", 1)[-1] == "tax_exempt"]
    if answers is None or not paths:
        return None
    yes, no = answers
    exempted, taxed = (yes, no) if exempt else (no, yes)
    table = {"none": taxed, "exempt": exempted, "reverse": exempted}
    return _suggest(
        spec,
        min(paths, key=len),
        [{"name": "value_map", "params": {"map": table}}],
        0.95,
        f"whether the customer pays tax: tax_exempt none → {taxed}, "
        f"exempt or reverse → {exempted}",
    )


# A decimal in a currency named apart from the document's own.
_OWN_CURRENCY = re.compile(
    r"(invoice|document|transaction|payment)('s)? currency|currency of the"
    r" (invoice|document|transaction|payment)"
)
_OTHER_CURRENCY = re.compile(
    r"\b(base|company|home|functional|reporting|standard|local|ledger|accounting)"
    r" currency\b|\bsame currency\b"
)
# A currency named outright: another one only beside an amount in the document's.
_NAMED_CURRENCY = re.compile(r"\bin (euros?|eur|dollars?|usd|pounds?|gbp)\b")


def _converted_amount(spec: FieldSpec) -> bool:
    """An amount in the company's currency: converted, not Stripe's."""
    text = (spec.description or "").lower()
    return (
        spec.type == DECIMAL
        and bool(_OTHER_CURRENCY.search(text))
        and not _OWN_CURRENCY.search(text)
    )


def _in_document_currency(spec: FieldSpec) -> bool:
    text = (spec.description or "").lower()
    return spec.type == DECIMAL and bool(_OWN_CURRENCY.search(text))


def _amounts_in_a_named_currency(
    suggestions: list[Suggestion], specs: list[FieldSpec]
) -> list[Suggestion]:
    """Beside an amount in the document's currency, one "in euros" is converted.

    An API that takes both (currency_amount "in the currency of the invoice",
    amount "in euros") wants the second in its own currency, which Stripe
    does not hold; alone, "in euros" only says what the amounts are in.
    """
    if not any(_in_document_currency(spec) for spec in specs):
        return suggestions
    named = {
        spec.name
        for spec in specs
        if spec.type == DECIMAL
        and _NAMED_CURRENCY.search((spec.description or "").lower())
        and not _in_document_currency(spec)
    }
    return [
        _abstain(FieldSpec(name=item.target), "an amount converted to another currency")
        if item.target in named
        else item
        for item in suggestions
    ]


def _config_suggestion(
    spec: FieldSpec, context: Context, feedback: dict[tuple[str, str], int]
) -> Suggestion:
    best, best_score = "", 0.0
    for path in context.option_paths:
        score, _ = name_similarity(spec.name, path.split(".", 1)[1])
        score += 0.35 * math.tanh(feedback.get((spec.name, path), 0) / 2)
        if score > best_score or (score == best_score and len(path) < len(best)):
            best, best_score = path, score
    if best and best_score >= 0.5:
        return _suggest(
            spec,
            best,
            [],
            0.6 + 0.5 * best_score,
            f"filled from the integration's option {best.split('.', 1)[1]}",
        )
    return _abstain(
        spec, "filled from the integration's settings: no Stripe field carries it"
    )


# ---------------------------------------------------------------- scoring

_MONEY_KINDS = {
    "tax",
    "discount",
    "fee",
    "freight",
    "balance",
    "limit",
    "miscellaneous",
    "misc",
    "handling",
}
_INCLUDING = {"including", "incl", "inclusive", "inc", "gross"}
_EXCLUDING = {"excluding", "excl", "exclusive", "before"}


# Dates of events after a document is issued: not its creation date.
_LATER_EVENTS = {
    "maturity",
    "matures",
    "expiry",
    "expiration",
    "expires",
    "until",
    "reminder",
    "next",
    "cancel",
    "cancelled",
    "canceled",
}
# A payment's own date on a payment; a later event on a document.
_PAYMENT_EVENTS = {"pay", "paid", "payment", "settled"}
_PAYMENT_OBJECTS = {"charge", "refund", "payout", "balance_transaction"}


# Dates of another agreement than the document: a direct-debit mandate's.
_OTHER_AGREEMENTS = {"mandate", "contract", "agreement"}
# When a payout's money moves: the date of its transaction or transfer.
# A date on the bank's side (a bank statement's) is when the money arrives too.
_MONEY_MOVES = {"transaction", "transfer", "wire", "value", "arrival", "bank"}


# The original document a credit note or correction refers to (origInvoiceDate).
_ORIGINAL = {"orig", "original"}
# A period's bounds or an accrual date (periodStartDate, dateAccrual): dates of
# the bookkeeping, which Stripe has only where a path is named so (period_end).
_PERIODS = {"period", "accrual", "accrued"}


def _paid_on_document(spec: FieldSpec, context: Context) -> bool:
    """paidAmount on an invoice: a payment registered with it (a prepayment).

    Payments are posted from their charges, each against its invoice, so an
    amount paid given with the document would count the money twice.
    """
    if context.object_type not in ("invoice", "credit_note") or spec.type != DECIMAL:
        return False
    named = set(tokens(_plain(spec.name)))
    return bool(named & (_PAYMENT_EVENTS | {"prepaid", "prepayment"}))


def _of_another_thing(spec: FieldSpec, profiles: dict[str, Profile]) -> bool:
    """discount_date, sepa_mandate_date, sepa_mandate: nothing in Stripe is named so.

    A date of a discount or of the original document (origInvoiceDate), or
    any field of a mandate or contract, when no source (of a date, for a
    date) is named after it.
    """
    named = set(tokens(_plain(spec.name)))
    dated = spec.type in (DATE, DATETIME)
    other = _MONEY_KINDS | _OTHER_AGREEMENTS | _ORIGINAL | _PERIODS
    things = named & (other if dated else _OTHER_AGREEMENTS)
    return bool(things) and not any(
        things & set(tokens(path))
        for path, profile in profiles.items()
        if profile.kind == "timestamp" or not dated
    )


def _event_date_fit(spec: FieldSpec, path: str, context: Context) -> float:
    """A maturity date, or the date an invoice was paid, is not its creation.

    Nor is the date of a discount or of a mandate; a payout's transaction
    or transfer happens when it arrives.
    """
    if spec.type not in (DATE, DATETIME):
        return 0.0
    named = set(tokens(_plain(spec.name)))
    if context.object_type == "payout" and path == "arrival_date":
        moves = named | set(tokens(spec.description or ""))
        return 0.3 if moves & _MONEY_MOVES else 0.0
    events = named & _LATER_EVENTS
    if context.object_type not in _PAYMENT_OBJECTS:
        events |= set(tokens(_plain(spec.name))) & _PAYMENT_EVENTS
    if not events or events & set(tokens(path)):
        return 0.0
    return -0.4


_INSTRUMENT_WORDS = {"cash", "check", "cheque", "checks"}
_WHOLE_PAYMENT = re.compile(
    r"\b(value|amount|total) of the (receipt|payment|transaction|document)\b"
)


def _whole_payment_described(spec: FieldSpec) -> bool:
    """cheque_value, "Value of the receipt": the payment's own amount.

    Some ledgers still call every receipt a cheque; the description then
    speaks of the receipt as a whole and names no instrument.
    """
    text = (spec.description or "").lower()
    return (
        bool(_WHOLE_PAYMENT.search(text)) and not set(tokens(text)) & _INSTRUMENT_WORDS
    )


def _specific_fit(spec: FieldSpec, path: str, profile: Profile) -> float:
    """Evidence beyond names: tax ids in lists, line lists, specific amounts."""
    target = concepts(spec.name)
    source = concepts(path)
    if _tax_id_target(spec):
        if _TAX_ID_PATH.search(path):
            return 0.5
        return -0.3  # a tax id is nothing else the object carries
    if spec.type == LINES:
        return 0.5 if "lines" in source else 0.0
    words = set(tokens(spec.name))
    if {"phone", "country"} <= target and "phone" not in source:
        return -0.6  # a telephone's country code is a dialling prefix
    if {"country", "region"} <= words and "division" not in words:
        # CountryRegion (Dynamics): a country, not a state.
        return 0.3 if path.rsplit(".", 1)[-1] == "country" else 0.0
    due = "due" in words or "due" in concepts(spec.name)  # Fälligkeitsdatum
    if due and spec.type in (DATE, DATETIME) and "due" not in tokens(path):
        return -0.4  # a due date is not the document date
    if (
        spec.type in (DATE, DATETIME)
        and concepts(spec.name) & {"shipping"}
        and "shipping" not in concepts(path)
    ):
        return -0.5  # a delivery date is not the document date
    if spec.type == DECIMAL and words & {"partial", "deposit", "prepayment"}:
        return -0.5  # a deposit asked for first: Stripe's amounts are whole
    leaf = path.rsplit(".", 1)[-1]
    if (
        spec.type == DECIMAL
        and words & _INSTRUMENT_WORDS
        and not _whole_payment_described(spec)
    ):
        return -0.6  # a cash or cheque amount: Stripe takes neither
    if spec.type == DECIMAL and "tax" in target and words & _INCLUDING:
        # "Total amount including tax" is the total, not the tax.
        return 0.4 if leaf in ("total", "amount") else -0.3
    if spec.type == DECIMAL and "tax" in target and words & _EXCLUDING:
        if leaf == "subtotal":
            return 0.4
        # A payment's or payout's amount has no tax split: it is the net too.
        return 0.0 if leaf == "amount" else -0.3
    kinds = target & _MONEY_KINDS
    if spec.type == DECIMAL and kinds and kinds - source:
        return -0.5  # a tax amount is not the total, a tax discount not the tax
    described = concepts(spec.description or "")
    if spec.type == DECIMAL and "subtotal" in described and "amount" in target:
        # "Goods value of the document (net)": the amount before tax.
        return 0.3 if leaf == "subtotal" else 0.0
    return 0.0


# What a compound name's last word can be: CustomerName is a name, MailCity a city.
_HEAD_SLOTS = {"city", "postal", "country", "state", "email", "phone", "name"}


def _head_fit(spec: FieldSpec, path: str) -> float:
    """A compound target is what its last word says (English compounds are
    head-final): CustomerName takes a name, not the customer's code; MailCity
    a city, not the e-mail its first word looks like."""
    head = head_concepts(_plain(spec.name)) & _HEAD_SLOTS
    if not head:
        return 0.0
    leaf = concepts(path.rsplit(".", 1)[-1])
    if head & leaf:
        return 0.15
    if leaf & (_HEAD_SLOTS | {"code", "id", "number"}):
        return -0.15
    return 0.0


_EXAMPLE = re.compile(r"(?i)\b(?:e\.g\.,?|for example,?|such as)\s+([A-Za-z0-9_-]+)")


def _example_fit(spec: FieldSpec, profile: Profile) -> tuple[float, str]:
    """The description's example value ("for example VISA") among the samples'."""
    found = _EXAMPLE.search(spec.description or "")
    if not found or len(found.group(1)) < 2:
        return 0.0, ""
    example = found.group(1).lower()
    if any(value.lower() == example for value in profile.values):
        return 0.3, f"values hold the described example ({found.group(1)})"
    return 0.0, ""


def _example_upper(spec: FieldSpec, profile: Profile) -> bool:
    found = _EXAMPLE.search(spec.description or "")
    if not found or not found.group(1).isupper():
        return False
    example = found.group(1)
    return any(v != example and v.upper() == example for v in profile.values)


def _rank(
    spec: FieldSpec,
    profiles: dict[str, Profile],
    feedback: dict[tuple[str, str], int],
    context: Context,
) -> list[tuple[float, str, str]]:
    scored = []
    for path, profile in profiles.items():
        kind = profile.kind
        if spec.type == LINES:
            if kind != "list" or profile.in_list:
                continue
        elif kind in ("list", "object"):
            continue
        if spec.type == FLAG and kind != "bool":
            continue
        name, name_reason = name_similarity(_plain(spec.name), path)
        if "." in _plain(spec.name):
            # A dotted target (BillAddr.City): its last part is the field itself.
            leaf, leaf_reason = name_similarity(_plain(spec.name).rsplit(".")[-1], path)
            if 0.85 * leaf > name:
                name, name_reason = 0.85 * leaf, leaf_reason
        if spec.description and name < 0.5:
            desc, desc_reason = name_similarity(spec.description, path)
            if desc * 0.8 > name:
                name, name_reason = (
                    desc * 0.8,
                    desc_reason and f"description {desc_reason[5:]}",
                )
        value, value_reason = value_fit(spec, profile)
        bonus, bonus_reason = _convention_bonus(spec, path)
        ident, ident_reason = _identity_fit(spec, path, profile, context)
        text, text_reason = _text_bonus(spec, path, context)
        example, example_reason = _example_fit(spec, profile)
        bonus_reason = "; ".join(
            r for r in (bonus_reason, ident_reason, text_reason, example_reason) if r
        )
        score = (
            0.62 * name
            + 0.28 * value
            + bonus
            + ident
            + text
            + example
            + _side_penalty(spec, path)
            + _specific_fit(spec, path, profile)
            + _event_date_fit(spec, path, context)
            + _head_fit(spec, path)
        )
        if kind == "empty":
            score -= 0.05
        if spec.max_length and profile.max_len > spec.max_length * 3:
            score -= 0.05
        if profile.in_list and spec.type != LINES:
            score -= 0.2
        if path.startswith("options."):
            score -= 0.3  # settings are for configuration fields (above)
        if kind == "stripe_id" and path not in ("id", "stripe_id"):
            score -= 0.2  # another object's id: only a lookup makes it useful
        net = feedback.get((spec.name, path), 0)
        fb_reason = ""
        if net:
            score += 0.35 * math.tanh(net / 2)
            fb_reason = f"admins {'accepted' if net > 0 else 'replaced'} it before"
        reasons = [r for r in (name_reason, value_reason, bonus_reason, fb_reason) if r]
        scored.append((score, path, "; ".join(reasons)))
    scored.sort(key=lambda item: (-item[0], len(item[1])))
    return scored


_PARTS = {"prefix", "suffix"}


def _described_head(spec: FieldSpec) -> str:
    """The word a description's first phrase ends on: what the field is.

    "Invoice number prefix. Default: …" is a prefix.
    """
    phrase = re.split(r"[.;:(]", spec.description or "", maxsplit=1)[0]
    words = [w for w in tokens(phrase) if not w.isdigit()]
    return words[-1] if words else ""


def _number_part(spec: FieldSpec) -> bool:
    """A number's prefix or suffix, by its name or its description's head."""
    return spec.type == STRING and (
        bool(set(tokens(spec.name)) & _PARTS) or _described_head(spec) in _PARTS
    )


def _unix_timestamp(spec: FieldSpec) -> bool:
    """An integer field described as a Unix timestamp ("Due date (Unix timestamp)")."""
    described = set(tokens(spec.description or ""))
    return spec.type == INT and bool(described & {"timestamp", "unix", "epoch"})


def suggest_for_target(
    spec: FieldSpec,
    profiles: dict[str, Profile],
    feedback: dict[tuple[str, str], int] | None = None,
    context: Context | None = None,
) -> Suggestion:
    """The suggestion for one target, before the abstention threshold."""
    feedback = feedback or {}
    context = context or Context()
    if _unix_timestamp(spec):
        # Ranked as the date it is; Stripe's timestamps are Unix seconds already.
        found = suggest_for_target(
            replace(spec, type=DATE), profiles, feedback, context
        )
        steps = [s for s in found.transforms if s["name"] != "unix_to_date"]
        return replace(found, transforms=steps)
    choices = [c for c in spec.choices if str(c).strip()]
    if spec.type != LINES:
        if len(choices) == 1 and len(spec.choices) == 1:
            return _suggest(
                spec,
                "",
                [{"name": "constant", "params": {"value": choices[0]}}],
                1.0,
                "the only value the field allows",
            )
        if _buyers_document(spec, context):
            return _abstain(
                spec, "the buyer's own reference: no Stripe field carries it"
            )
        if "number" not in context.paths and _mentions(spec.description, _NUMBERING):
            return _abstain(spec, "numbered by the ERP's series: Stripe has no number")
        reference = _reference_kind(spec, context)
        if reference:
            found = _reference_suggestion(spec, reference, profiles, context)
            if found is not None:
                return found
        part = _name_part(spec)
        if part:
            found = _name_split_suggestion(spec, part, profiles)
            if found is not None:
                return found
        if _of_another_thing(spec, profiles):
            return _abstain(
                spec, "of a discount, mandate, contract or original document: not this"
            )
        if _number_part(spec):
            return _abstain(spec, "a prefix or suffix of a number: a setting")
        found = _tax_status_suggestion(spec, profiles)
        if found is not None:
            return found
        if _converted_amount(spec):
            return _abstain(spec, "an amount in the company's currency: not Stripe's")
        if _paid_on_document(spec, context):
            return _abstain(spec, "a payment on the document: posted from its charge")
        if choices:
            found = _currency_choices_suggestion(spec, choices, profiles)
            if found is not None:
                return found
            found = _value_map_suggestion(spec, profiles)
            if found is not None:
                return found
            return _config_suggestion(spec, context, feedback)
        accepted = any(target == spec.name for target, _ in feedback)
        if _words(spec) & _ATTENTION and not accepted:
            return _abstain(spec, "a person the document is for: Stripe has none")
        if _is_config(spec, context):
            return _config_suggestion(spec, context, feedback)
        if "status" in tokens(_plain(spec.name).rsplit(".", 1)[-1]):
            # Stripe's statuses are its own words; with no allowed values to
            # map them onto, a copy would not be the ERP's.
            return _abstain(spec, "a status with no allowed values to map onto")
    scored = _rank(spec, profiles, feedback, context)
    if not scored:
        return _abstain(spec, "no candidate source field")
    best_score, best_path, reason = scored[0]
    runner_up = scored[1][0] if len(scored) > 1 else 0.0
    margin = max(0.0, best_score - runner_up)
    score = best_score + 0.5 * min(margin, 0.3)
    wants_time = spec.type == STRING and "time" in tokens(spec.name.lower())
    return _suggest(
        spec,
        best_path,
        _transforms(spec, profiles.get(best_path), wants_time=wants_time),
        score,
        reason or "best of weak candidates",
        tuple((p, round(s, 3)) for s, p, _ in scored[1:4]),
    )


def _free_text(profile: Profile | None) -> bool:
    """Sources one target should own: a note, a postal code, a number.

    An e-mail address is a contact detail several targets may each carry
    (the contact's and the one invoices go to). A phone-like value stays
    owned: a digit string may as well be a customer code.
    """
    return profile is not None and profile.kind in ("text", "phone", "postal")


def _exact(item: Suggestion) -> bool:
    return item.target.lower() == item.source.rsplit(".", 1)[-1]


def _row_of(target: str) -> str:
    """The list row a target sits in (lines.0 for lines.0.description), or "".

    An address block counts as a row too: its name line (address.name)
    repeats the party's name beside the record's own name field.
    """
    parts = target.split(".")
    index = max((i for i, part in enumerate(parts) if part.isdigit()), default=-1)
    if len(parts) - index > 2 and "address" in concepts(parts[-2]):
        index = len(parts) - 2
    return ".".join(parts[: index + 1])


def _plainer(target: str, other: str) -> bool:
    """phoneNumber beside phoneNumberMobile: the other adds a qualifier to it."""
    words = {t for t in tokens(target.rsplit(".", 1)[-1]) if not t.isdigit()}
    others = {t for t in tokens(other.rsplit(".", 1)[-1]) if not t.isdigit()}
    return bool(words) and words < others


# Words of a document's own text: what is printed on it for the customer.
_DOCUMENT_TEXT_OWNERS = {"invoice", "credit", "document", "receipt", "voucher"}
_PRINTED = ("printed", "shown to", "shown on", "visible to", "visible on")
# A description that denies the text is shown: a private note.
_NOT_SHOWN = re.compile(r"\b(not|never)\s+(be\s+)?(visible|shown|printed)\b")
_PRIVATE = {"internal", "private"}


def _shown_on_document(spec: FieldSpec, context: Context) -> int:
    """On an invoice or credit note: 1 for its printed text, -1 for a private note.

    Stripe shows a document's description (memo) to the customer, so the
    text printed on the document (invoiceText, "Comment printed on the
    invoice", public notes) owns it before a bare note, and an internal or
    private note never does.
    """
    if context.object_type not in ("invoice", "credit_note") or spec.type != STRING:
        return 0
    named = set(tokens(_plain(spec.name)))
    described = set(tokens(spec.description or ""))
    if (named | described) & _PRIVATE or _NOT_SHOWN.search(
        (spec.description or "").lower()
    ):
        return -1
    if "text" in named and named & _DOCUMENT_TEXT_OWNERS:
        return 1
    return 1 if _mentions(spec.description, _PRINTED) or "public" in named else 0


def _abstain_for(item: Suggestion, reason: str) -> Suggestion:
    return Suggestion(
        item.target, "", [], 0.0, reason, score=item.score, abstained=True
    )


def _one_owner_per_text(
    suggestions: list[Suggestion],
    profiles: dict[str, Profile],
    specs: list[FieldSpec],
    context: Context,
) -> list[Suggestion]:
    """A free-text source filled into two targets the same way keeps the likelier.

    Two note fields (description and comment) should not both copy the one
    Stripe description; the weaker claim abstains, and a name that only
    adds words to another's (phoneNumberMobile) is the weaker. A line of a voucher
    (lines.0.description) repeats its header's text: it competes only with
    the fields of its own row. A text at the top of the
    document (an introduction) takes the description before a note with no
    place, and that note then takes the footer if nothing else does.
    """
    places = {spec.name: _text_place(spec) for spec in specs}
    shown = {spec.name: _shown_on_document(spec, context) for spec in specs}

    def rank(item: Suggestion) -> tuple:
        # A target named exactly as the source (name ← name) owns it
        # before a longer name that also scores high (company.name).
        return (
            shown.get(item.target, 0),
            _exact(item),
            places.get(item.target) == "top",
            item.score,
        )

    best: dict[tuple[str, str, str], Suggestion] = {}
    for item in suggestions:
        if item.source and _free_text(profiles.get(item.source)):
            key = (_row_of(item.target), item.source, repr(item.transforms))
            held = best.get(key)
            if (
                held is None
                or _plainer(item.target, held.target)
                or (not _plainer(held.target, item.target) and rank(item) > rank(held))
            ):
                best[key] = item
    footer_free = "footer" in profiles and not any(
        item.source == "footer" for item in suggestions
    )
    out = []
    for item in suggestions:
        key = (_row_of(item.target), item.source, repr(item.transforms))
        winner = best.get(key)
        if shown.get(item.target) == -1 and item.source in _TEXT_SOURCES:
            out.append(
                _abstain_for(item, "a private note: the document shows its text")
            )
        elif (
            winner is not None
            and winner is not item
            and footer_free
            and item.source in _TEXT_SOURCES
            and places.get(winner.target) == "top"
            and not places.get(item.target)
        ):
            footer_free = False
            out.append(
                replace(
                    item,
                    source="footer",
                    reason=f"{winner.target} opens the document: a note closes it",
                )
            )
        elif winner is not None and winner is not item:
            out.append(
                Suggestion(
                    item.target,
                    "",
                    [],
                    0.0,
                    f"{item.source} fits {winner.target} better",
                    score=item.score,
                    abstained=True,
                )
            )
        else:
            out.append(item)
    return out


# A reference named only "external" (ExternalReference, ref_ext) is the
# integrator's own key for the record: the Stripe id, not the number.
_EXTERNAL = {"external", "ext"}


def _reference_target(spec: FieldSpec) -> bool:
    """A field for the document's reference in another system (YourRef)."""
    target = concepts(spec.name)
    words = set(tokens(_plain(spec.name).rsplit(".", 1)[-1]))
    return (
        spec.type == STRING
        and ("reference" in target or "reference" in concepts(spec.description or ""))
        and not words & {"origin", "source"}
        and not (words & _EXTERNAL and words - _ID_WORDS <= _EXTERNAL)
        and not _describes_text(spec)
        and not target & _REFERENCED
    )


def _number_for_reference(
    suggestions: list[Suggestion], specs: list[FieldSpec], context: Context
) -> list[Suggestion]:
    """A numbered document's reference field takes its number if nothing else does.

    With an InvoiceNumber beside it, Reference keeps the Stripe id; alone
    (YourRef, ExternalInvoiceReference, "Customer reference number") it is
    where the document's number goes.
    """
    if "number" not in context.paths or any(i.source == "number" for i in suggestions):
        return suggestions
    if any(_names_own_number(spec, context) for spec in specs):
        return suggestions  # the number has its field, even if the ERP fills it
    by_name = {spec.name: spec for spec in specs}
    out, done = [], False
    for item in suggestions:
        spec = by_name.get(item.target)
        if (
            not done
            and spec is not None
            and _reference_target(spec)
            and item.source in ("id", "stripe_id", "")
            and not (item.abstained and item.score <= 0.0)
        ):
            done = True
            item = _suggest(
                spec,
                "number",
                [],
                max(item.score, 0.9),
                "the document's reference: its number, as no other field takes it",
            )
        out.append(item)
    return out


def _lookup_table(item: Suggestion) -> str:
    steps = item.transforms or []
    if len(steps) == 1 and steps[0].get("name") == "lookup":
        return str((steps[0].get("params") or {}).get("table", ""))
    return ""


def _one_owner_per_reference(suggestions: list[Suggestion]) -> list[Suggestion]:
    """Two targets resolving the same customer: the one that says customer keeps it.

    A payment with customerNumber and contactId has one customer; the contact
    is a person at it, which Stripe does not carry.
    """
    groups: dict[tuple[str, str], list[Suggestion]] = {}
    for item in suggestions:
        if item.source and _lookup_table(item) == "customer":
            groups.setdefault((item.source, "customer"), []).append(item)
    losers: dict[str, str] = {}
    for items in groups.values():
        named = [i for i in items if "customer" in concepts(i.target)]
        if len(items) > 1 and named:
            for item in items:
                if item not in named:
                    losers[item.target] = named[0].target
    return [
        Suggestion(
            item.target,
            "",
            [],
            0.0,
            f"the customer is {losers[item.target]}'s; nothing else in Stripe",
            score=item.score,
            abstained=True,
        )
        if item.target in losers
        else item
        for item in suggestions
    ]


def _one_invoice_reference(
    suggestions: list[Suggestion], context: Context
) -> list[Suggestion]:
    """Two targets resolving the same invoice: the id keeps it, the number is own.

    A credit note imported as an invoice has credited_invoice_id and
    invoice_number: the first is the invoice it credits, the second its own
    number, when nothing else takes the number.
    """
    claims = [i for i in suggestions if i.source and _lookup_table(i) == "invoice"]
    if (
        len(claims) < 2
        or "number" not in context.paths
        or any(item.source == "number" for item in suggestions)
    ):
        return suggestions
    keyed = [
        i for i in claims if set(tokens(i.target)) & {"id", "ids", "uid", "guid", "key"}
    ]
    numbered = [i for i in claims if i not in keyed and "number" in concepts(i.target)]
    if not keyed or not numbered:
        return suggestions
    own = numbered[0]
    return [
        replace(
            item,
            source="number",
            transforms=[],
            reason=f"{keyed[0].target} names the invoice: this is its own number",
        )
        if item is own
        else item
        for item in suggestions
    ]


# A company's number in the national register (organizationNumber). A
# "business id" or "company id" is more often the API's own tenant key.
_REGISTERED = {"organisation", "organization", "corporate", "company", "enterprise"}
_NUMBER_WORDS = {"number", "no", "nr", "nummer", "num"}


def _company_number_as_tax_id(
    suggestions: list[Suggestion],
    specs: list[FieldSpec],
    profiles: dict[str, Profile],
    threshold: float,
) -> list[Suggestion]:
    """An organisation number is the tax id when no VAT field takes the tax id.

    In the Nordic registers the VAT number is the organisation number with a
    suffix; beside a VatNumber field it is a registration detail of its own.
    """
    if any(_TAX_ID_PATH.search(item.source or "") for item in suggestions):
        return suggestions
    if any(_tax_id_target(spec) for spec in specs):
        return suggestions
    paths = sorted(
        p for p in profiles if _TAX_ID_PATH.search(p) and "customer_" not in p
    )
    if not paths:
        return suggestions
    out, done = [], False
    for item, spec in zip(suggestions, specs, strict=True):
        words = set(tokens(_plain(spec.name)))
        described = set(tokens(spec.description or ""))
        named = bool(words & _REGISTERED and words & _NUMBER_WORDS)
        # "Identifier of the partner (business ID or ...)": a registry's key,
        # not Stripe's id of the record nor the ERP's code for it.
        by_description = bool(
            described & (_REGISTERED | {"business"})
            and described & (_NUMBER_WORDS | {"id"})
            and (item.source in ("id", "stripe_id") or "erp" in tokens(item.source))
        )
        if (
            not done
            and spec.type == STRING
            and (named or by_description)
            and (by_description or not item.source or item.confidence < threshold)
        ):
            done = True
            item = _suggest(
                spec,
                paths[0],
                [],
                0.9,
                "a registered company number: the tax id, as no VAT field takes it",
            )
        out.append(item)
    return out


_LEDGER_SIDES_OF_LINE = {"debit", "credit"}
_LINE_INDEX = re.compile(r"^(.*?)\.(\d+)\.([^.]+)$")


def _ledger_line_side(name: str) -> tuple[str, int, str] | None:
    """lines.0.debit_amount → ("lines amount", 0, "debit"); else None."""
    found = _LINE_INDEX.match(name)
    if not found:
        return None
    prefix, index, leaf = found.groups()
    sides = concepts(leaf) & _LEDGER_SIDES_OF_LINE
    if len(sides) != 1:
        return None
    rest = sorted(concepts(leaf) - _LEDGER_SIDES_OF_LINE)
    return f"{prefix} {' '.join(rest)}", int(index), next(iter(sides))


def _balanced_ledger_lines(
    suggestions: list[Suggestion], specs: list[FieldSpec], profiles: dict[str, Profile]
) -> list[Suggestion]:
    """A journal entry of two lines, each with a debit and a credit amount.

    The money moves from one account to the other: the first line is
    debited with the whole amount and the second credited with it; the
    other side of each line stays empty. With one line (or none numbered)
    which side the Stripe amount goes on depends on the ledger: untouched.
    """
    source = next((p for p in ("amount", "total") if p in profiles), "")
    if not source or profiles[source].kind not in ("amount", "int"):
        return suggestions
    rows: dict[str, dict[tuple[int, str], int]] = {}
    for position, spec in enumerate(specs):
        read = _ledger_line_side(spec.name) if spec.type == DECIMAL else None
        if read:
            row, index, side = read
            rows.setdefault(row, {})[(index, side)] = position
    out = list(suggestions)
    for cells in rows.values():
        indexes = sorted({index for index, _ in cells})
        if len(indexes) != 2 or len(cells) != 4:
            continue
        first, second = indexes
        wanted = {(first, "debit"), (second, "credit")}
        for cell, position in cells.items():
            spec = specs[position]
            if cell in wanted:
                out[position] = _suggest(
                    spec,
                    source,
                    _transforms(spec, profiles[source]),
                    0.6,
                    f"a balanced entry: the {cell[1]} of line {cell[0] + 1} "
                    "carries the whole amount",
                )
            else:
                out[position] = _abstain_for(
                    out[position],
                    f"a balanced entry: the {cell[1]} of line {cell[0] + 1} "
                    "stays empty",
                )
    return out


def apply_threshold(item: Suggestion, threshold: float) -> Suggestion:
    """Abstain from a suggestion whose calibrated confidence is under the threshold."""
    if item.abstained or (not item.source and not item.transforms):
        return item
    if item.confidence >= threshold:
        return item
    return Suggestion(
        item.target,
        "",
        [],
        item.confidence,
        f"abstained: best guess {item.source or 'a constant'} is "
        f"{round(item.confidence * 100)}% likely, under the "
        f"{round(threshold * 100)}% threshold",
        item.alternatives,
        item.score,
        abstained=True,
    )


def suggest_mapping(
    *,
    target_fields: Iterable[FieldSpec],
    samples: list[dict],
    feedback: dict[tuple[str, str], int] | None = None,
    threshold: float | None = None,
    entity: str = "",
) -> list[Suggestion]:
    """A suggestion per target field, from sample source objects.

    `entity` names what the samples are when they do not say it themselves
    (canonical sources carry no Stripe "object").

    Below the calibrated abstention threshold (calibration.py; pass 0 to see
    every raw best guess) a target gets no source and says why.
    """
    profiles = profile_samples(samples)
    context = _context_of(samples, profiles, entity)
    named = list(target_fields)
    specs = [_readable(spec) for spec in named]
    raw = [suggest_for_target(spec, profiles, feedback, context) for spec in specs]
    raw = _one_owner_per_reference(_one_owner_per_text(raw, profiles, specs, context))
    raw = _amounts_in_a_named_currency(raw, specs)
    raw = _one_invoice_reference(raw, context)
    raw = _balanced_ledger_lines(raw, specs, profiles)
    raw = _number_for_reference(raw, specs, context)
    cut = abstention_threshold() if threshold is None else threshold
    raw = _company_number_as_tax_id(raw, specs, profiles, cut)
    # Each helper above keeps the targets' order: give back the names as given,
    # in the targets and in the reasons that name another target.
    renamed = {r.name: n.name for r, n in zip(specs, named, strict=True) if r != n}
    out = []
    for item, spec in zip(raw, named, strict=True):
        item = apply_threshold(item, cut)
        reason = item.reason
        for read, name in renamed.items():
            reason = reason.replace(read, name)
        out.append(replace(item, target=spec.name, reason=reason))
    return out


# Type names of JSON Schema, OpenAPI and common client libraries, read as
# the engine's own: a reference that says "number" means a decimal amount
# or quantity, "boolean" a flag. An array is a list of lines only when its
# name says nothing but lines ("items", "lineItems"): "tax_analysis_items"
# or "attachments" are other lists.
_TYPE_SYNONYMS = {
    "number": DECIMAL,
    "float": DECIMAL,
    "double": DECIMAL,
    "money": DECIMAL,
    "integer": INT,
    "long": INT,
    "int32": INT,
    "int64": INT,
    "boolean": FLAG,
    "bool": FLAG,
}
_LIST_TYPES = {"array", "list"}


def field_type(type_name: str, field_name: str = "") -> str:
    """The engine's type for a type name as a vendor reference spells it."""
    lowered = (type_name or STRING).strip().lower()
    if lowered in _LIST_TYPES:
        named = concepts(field_name)
        return LINES if named and named <= {"line", "lines"} else lowered
    return _TYPE_SYNONYMS.get(lowered, lowered)


def field_specs_from_dicts(rows: Iterable[dict]) -> list[FieldSpec]:
    """Target fields given as plain dicts (the benchmark's other ERPs)."""
    return [
        FieldSpec(
            name=row["name"],
            type=field_type(row.get("type", STRING), row["name"]),
            max_length=row.get("max_length"),
            choices=tuple(row.get("choices") or ()),
            description=row.get("description", ""),
            child=row.get("child", ""),
            positive=bool(row.get("positive")),
        )
        for row in rows
    ]
