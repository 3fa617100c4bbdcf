"""Identifiers: a record's own id or number, an ERP code, a tax id.

Which target takes the object's Stripe id, its document number, or the ERP
code kept in metadata, and which target is a tax id.
"""

import re
from dataclasses import replace

from ..schemas import INT, STRING, FieldSpec
from .names import concepts, tokens
from .suggestion import Context, Suggestion, _suggest
from .transforms import _value_map
from .values import Profile
from .words import (
    _COMPANY_WORDS,
    _CONTACT,
    _CUSTOMER_WORDS,
    _FREE_FORM_NUMBER,
    _IDENTIFIER,
    _KIND_WORDS,
    _REFERENCED,
    _VAT_WORDS,
    _describes_text,
    _mentions,
    _plain,
    leaf_tokens,
)

# A bracket naming again what precedes it: "(the tax identifier; required)".
_APPOSITION = re.compile(r"\(\s*((?:the|an?)\s[^.;:)]+)")


# A list of strings (vatIds): a list of tax ids is filled with the first of
# the customer's, the one Stripe shows on invoices.
_LIST = "array"


def _tax_id_target(spec: FieldSpec) -> bool:
    """A tax id by its name, or by what its description's first phrase names.

    code "Tax identification number of the contact", tva_intra
    "Intra-community VAT number": the description says what a bare or
    foreign name is.
    """
    if _tax_id_named(spec):
        return True
    description = spec.description or ""
    phrase = re.split(r"[.;:(]", description, maxsplit=1)[0]
    phrases = [phrase]
    bracket = _APPOSITION.match(description[len(phrase) :])
    if bracket:
        # "Code of the party identifier (the tax identifier; required)": a
        # bracket after the first phrase, opening with an article, says
        # again what the field is ("Company (registration) number" does not).
        phrases.append(bracket.group(1))
    return any(
        bool(text.strip()) and _tax_id_named(replace(spec, name=text, description=""))
        for text in phrases
    )


# What names a tax's number, one or a list of them (taxNumbers.0.value).
_TAX_ID_WORDS = {"number", "no", "num", "id", "identifier", "reg", "nummer", "nr"}


# A description calling a field a tax number or tax id ("The client's NIP
# (tax number)").
_TAX_NUMBER_DESCRIBED = re.compile(
    r"(?i)\btax\s+(number|id|identifier|identification\s+number)\b"
)


def _party_tax_code(spec: FieldSpec) -> bool:
    """client_tax_code "The client's NIP (tax number)": the party's tax id.

    A tax code is mostly a rate's code, a setting; one of the party, and
    described as its tax number, is the number the party is taxed under.
    """
    words = set(tokens(spec.name))
    return (
        {"tax", "code"} <= words
        and bool(words & _CUSTOMER_WORDS)
        and bool(_TAX_NUMBER_DESCRIBED.search(spec.description or ""))
    )


# A group described as a person's or a company's identity document
# ("Government-issued identification document", "Identity document of the
# holder"): in the countries that tax by it (a CPF, a DNI, a NIF) its number
# is the party's tax id.
_IDENTITY_DOCUMENT = re.compile(
    r"(?i)\b(identification|identity|id)\s+document\b|\bgovernment[- ]issued\b"
)


def _identity_document(spec: FieldSpec) -> bool:
    """identification.number "…identification document…": the group's."""
    group = _plain(spec.name).rpartition(".")[0]
    return "identification" in tokens(group) and bool(
        _IDENTITY_DOCUMENT.search(spec.description or "")
    )


# Words naming when something happened: a date's, not a number's.
_WHEN_WORDS = {"date", "time", "datetime", "timestamp"}


def _tax_id_named(spec: FieldSpec) -> bool:
    if spec.type not in (STRING, _LIST) or spec.choices:
        return False  # a VAT amount or rate, or a choice of a few, is no tax id
    words = set(tokens(spec.name))
    if _party_tax_code(spec):
        return True
    if words & {"code", "type", "uid"}:
        return False
    if set(leaf_tokens(spec.name)) & (_WHEN_WORDS | {"address"}):
        # registrationDate, registrationAddress: when or where the party
        # registered, no number
        return False
    if _identity_document(spec) and words & _TAX_ID_WORDS:
        return True
    if _party_document_number(spec):
        return True
    if "exempt" in words and not words & {"number", "no", "num", "id"}:
        return False
    return (
        bool(words & _VAT_WORDS)
        or _german_vat_id_named(spec.name)  # USt-IdNr, the German VAT id
        or (
            "tax" in concepts(spec.name)
            and bool(words & (_TAX_ID_WORDS | {f"{w}s" for w in _TAX_ID_WORDS}))
        )
        or bool(words & {"vat", "registration"} and spec.type == STRING)
        or bool(words & _COMPANY_WORDS and words & {"identification", "registration"})
        or _tax_reference(spec)
    )


def _party_document_number(spec: FieldSpec) -> bool:
    """payer.document_number: the number of the party's identity document.

    A document number in a party's group (a customer's, a payer's) numbers
    the document that identifies the party, the tax number the payer is
    known by (a CPF, a CUIT); in no party's group it is the document's own.
    """
    groups = spec.name.rsplit(".", 1)[0] if "." in spec.name else ""
    return set(leaf_tokens(spec.name)) == {"document", "number"} and bool(
        set(tokens(groups)) & _CUSTOMER_WORDS
    )


def _german_vat_id_named(name: str) -> bool:
    """USt-IdNr, UStIdNr, ustid: the German VAT id, however it is cut.

    The letters are read across the name's words, but only from the start
    of one: CustID, a customer's id cut short, holds them in the middle.
    """
    words = tokens(name)
    joined = "".join(words)
    starts = [sum(len(word) for word in words[:i]) for i in range(len(words))]
    return any(joined.startswith("ustid", start) for start in starts)


def _tax_reference(spec: FieldSpec) -> bool:
    """taxref, customer_tax_reference: a party's tax reference, its tax id.

    A tax authority's reference for a taxpayer is the id it knows them by
    (the UK's Unique Taxpayer Reference). Only a name of nothing else: a
    reference to a tax rate or code (TaxRateRef, TaxCodeRef) is a setting.
    """
    leaf = concepts(" ".join(leaf_tokens(spec.name)))
    return {"tax", "reference"} <= leaf <= {"tax", "reference", "customer"}


# The parts of a tax id Stripe keeps beside its value, by the concept a
# leaf names: https://docs.stripe.com/api/tax_ids/object
_TAX_ID_PARTS = {"country": "country", "type": "type"}


def _tax_id_part_suggestion(
    spec: FieldSpec, profiles: dict[str, Profile]
) -> Suggestion | None:
    """tax_id.country, vatId.type: a part of a group named for a tax id.

    A tax id given as an object (its value, the country that issued it, its
    kind) is the customer's first tax id, as a bare tax id is; its country
    and type are that tax id's own, not the customer's address. A part
    with allowed values of its own is left to the value map.
    """
    if spec.type != STRING or spec.choices:
        return None
    group, _, leaf = _plain(spec.name).rpartition(".")
    group = group.rsplit(".", 1)[-1]
    if not group or not _tax_id_named(replace(spec, name=group, description="")):
        return None
    parts = concepts(leaf) & set(_TAX_ID_PARTS)
    if len(parts) != 1:
        return None
    part = _TAX_ID_PARTS[next(iter(parts))]
    for path in (f"tax_ids.data.0.{part}", f"customer_tax_ids.0.{part}"):
        if path in profiles:
            return _suggest(spec, path, [], 0.95, f"the tax id's {part}: its own")
    return None


# "Tax Number Category", "the type of the tax id": which kind of tax number.
_TAX_NUMBER_KIND = re.compile(
    r"(?i)\btax\s+(?:number|id|identifier|identification\s+number)\s+"
    r"(?:category|type|kind)\b"
    r"|\b(?:category|type|kind)\s+of\s+(?:the\s+|a\s+)?tax\s+"
    r"(?:number|id|identifier)\b"
)


# A tax number's name, as a field's last part names it beside a kind word
# (tax_no_kind, taxIdType).
_TAX_NUMBER_WORDS = {"no", "nr", "number", "num", "id", "identifier"}


def _tax_number_kind_suggestion(
    spec: FieldSpec, profiles: dict[str, Profile]
) -> Suggestion | None:
    """BPTaxType "Tax Number Category": the kind of the customer's tax number.

    Stripe types each tax id (eu_vat, gb_vat, us_ein); an ERP's category of
    tax numbers is its own list of codes, so the type goes onto it through
    a value map. A field named so (tax_no_kind) is one with its allowed
    codes listed too.
    """
    leaf = set(tokens(_plain(spec.name).rsplit(".", 1)[-1]))
    named = (
        "tax" in leaf and bool(leaf & _TAX_NUMBER_WORDS) and bool(leaf & _KIND_WORDS)
    ) or (bool(leaf & _KIND_WORDS) and _identity_document(spec))
    if spec.type != STRING or (spec.choices and not named):
        return None
    if not (named or _TAX_NUMBER_KIND.search(spec.description or "")):
        return None
    for path in ("tax_ids.data.0.type", "customer_tax_ids.0.type"):
        if path in profiles:
            return _suggest(
                spec,
                path,
                _value_map(),
                0.95,
                "the kind of the tax number: the tax id's type, onto the ERP's",
            )
    return None


_TAX_ID_PATH = re.compile(r"(^|\.)(customer_)?tax_ids(\.data)?\.0\.value$")


# Where a description was quoted from ("quoted from the reference page", "the
# API reference"): the vendor's documentation, no reference the field holds.
_DOCUMENTATION_REFERENCE = re.compile(
    r"(?i)\breference\s+(?:page|docs?|documentation|manual|guide)s?\b"
    r"|\bapi\s+reference\b"
)


# A description saying the field has none ("no description (Invoice member
# service; …)"): its "no" is no number, as "Invoice no" is.
_NO_DESCRIPTION = re.compile(r"(?i)\bno\s+description\b")


# A text field described as digits only.
_NUMERIC_ONLY = re.compile(r"(?i)\b(numeric|digits\s+only|only\s+digits)\b")


def _identity_fit(
    spec: FieldSpec, path: str, profile: Profile, context: Context
) -> tuple[float, str]:
    """Where identifiers come from: the object's own id or number, or an ERP code.

    A reference field takes the Stripe id of the object itself, a document
    number field the object's own number, an ERP number or code field a
    metadata value named after the ERP, and never a Stripe id that does not
    fit its length.
    """
    if profile.kind == "stripe_id" and _NUMERIC_ONLY.search(spec.description or ""):
        # variable_symbol "the numeric payment reference": digits only, which
        # a Stripe id (cus_…) is not.
        return -0.4, "described as numeric: a Stripe id has letters"
    if path.rsplit(".", 1)[-1] == "receipt_number":
        # Stripe numbers a charge's e-mailed receipt, and only once it is
        # sent: null when the payment is booked, so never its number.
        # https://docs.stripe.com/api/charges/object#charge_object-receipt_number
        return -0.4, ""
    if context.object_type == "customer" and _described_as_customer_number(spec):
        if path in ("id", "stripe_id"):
            return -0.4, "described as the customer's number: the ERP's code for it"
        if "erp" in tokens(path) and "customer" in concepts(path):
            return 0.6, "described as the customer's number: its code in the ERP"
    # phones.0.national_number: a contact detail's value, no document number.
    # VATNumber "the document's customer details: VAT number": the party's
    # tax number, whatever document its description places it on.
    detail = _contact_detail_value(spec) or _tax_id_named(spec)
    target = concepts(spec.name)
    own_number = not detail and _names_own_number(spec, context)
    description = _DOCUMENTATION_REFERENCE.sub(" ", spec.description or "")
    described = concepts(_NO_DESCRIPTION.sub(" ", description))
    # "The reference number of the invoice" asks for a reference, not the
    # invoice's own number. A number filled from a sequence when empty is the
    # record's own, whatever kind of document its description names.
    by_description = bool(
        not detail
        and "number" in described
        and (
            _object_concept(context) & described
            or _FROM_OWN_SEQUENCE.search(spec.description or "")
        )
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
    if (
        "number" not in context.paths
        and context.object_type != "customer"
        and spec.type == STRING
        and _FREE_FORM_NUMBER.search(spec.description or "")
    ):
        # voucherNo "A number or a string that identifies this transaction's
        # voucher", receipt "A unique key supplied by you": a key the sender
        # writes, for an object with no number its Stripe id, as an external
        # reference is, and no other object's id.
        if path in ("id", "stripe_id"):
            return 0.35, "a key the sender writes as it likes: the object's Stripe id"
        if profile.kind == "stripe_id":
            return -0.4, "a key the sender writes: not another object's id"
    if (
        context.object_type == "customer"
        and _mentions(spec.description, _YOUR_OWN)
        and not _customer_reference(spec, context)
    ):
        # "Your own identifier for the contact": the integration's key, the
        # Stripe id; a whole number cannot hold it, the ERP code can.
        if spec.type == STRING and path in ("id", "stripe_id"):
            return 0.45, "the integration's own key for the customer: its Stripe id"
        if spec.type == INT and "erp" in tokens(path) and "customer" in concepts(path):
            return 0.45, "the integration's own key for the customer, as a number"
    held = _held_in_your_application(spec)
    if (
        held
        and spec.type == STRING
        and (context.object_type == "customer" or not held & _CUSTOMER_WORDS)
        and path in ("id", "stripe_id")
    ):
        # custom_id "Identifier of the invoice in your application": the key
        # the integration keeps for the record itself, its Stripe id.
        return 0.45, "the integration's own key for the record: its Stripe id"
    if (
        context.object_type == "customer"
        and spec.type == STRING
        and _own_identifier(spec)
        and "id" in target
        and not target & {"number", "code"}
        and _mentions(spec.description, _ELSEWHERE)
        and not _customer_reference(spec, context)
    ):
        # "Identifier of the partner: its id, or ext-<ExternalSystem>-<Key>":
        # an id (not a number or code, which the ERP may give) that takes
        # the sending system's key, which is Stripe's id.
        if path in ("id", "stripe_id"):
            return 0.45, "a key the sending system gives: the customer's Stripe id"
        if "erp" in tokens(path):
            return 0.0, ""
    if (
        context.object_type == "customer"
        and (
            _own_identifier(spec)
            or _described_as_search_key(spec)
            or _contacts_number(spec)
        )
        and "erp" in tokens(path)
        and "customer" in concepts(path)
    ):
        return 0.45, "the customer's code in the ERP, kept in its metadata"
    if _described_as_search_key(spec) and context.object_type == "customer":
        return -0.4, "the record's search key: the ERP's code for it"
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
            or _mentions(description, _ELSEWHERE)
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
        and (internal or not _names_another_detail(spec, documents))
        and not _describes_text(spec)
        and not _CODE_LIST_DESCRIBED.search(spec.description or "")
        and documents <= concepts(path) | _object_concept(context)
        and spec.type == STRING
    ):
        return (0.45 if internal else 0.3), "the path names an ERP value"
    if target & _IDENTIFIER and spec.max_length and profile.max_len > spec.max_length:
        return -0.25, "too long for the field"
    return 0.0, ""


# Words that may stand beside a party or document word in the name of its key.
_KEY_WORDS = {"id", "number", "code", "reference", "account", "entity", "erp", "key"}


def _names_another_detail(spec: FieldSpec, documents: set[str]) -> bool:
    """client_web, client_einvoicing_version: a detail of the party, not its key.

    A table prefix (client_) puts the party word in every field's name; a
    word beyond it and the key words names something else the party has.
    """
    named = set(concepts(_plain(spec.name))) | set(tokens(_plain(spec.name)))
    return bool(named - documents - _KEY_WORDS - {"customer", "client"})


# A field whose description says its values come from one of the ERP's
# code lists ("max length 6, code list"): a role, sector or language, which
# classifies the record and is never its own key.
_CODE_LIST_DESCRIBED = re.compile(r"(?i)\bcode[ -]list\b")


def _internal_code(spec: FieldSpec) -> bool:
    """ "Internal reference", "Customer code (account reference)": the ERP's key.

    A code of another scheme ("DUNS code", "Default nominal code") is not
    the customer's key in the ERP, nor is an external code ("External code
    of the invoice to the buyer"), which the sending system gives.
    """
    if _mentions(spec.description, ("internal",)):
        return True
    if _mentions(spec.description, ("external",)):
        return False
    described = concepts(spec.description or "")
    return _mentions(spec.description, ("code",)) and bool(
        described & {"customer", "account"}
    )


def _customer_reference(spec: FieldSpec, context: Context) -> bool:
    """reference, account_reference: the customer's key in the ERP.

    A reference "in an external system" or "your own" is the integration's
    key, the Stripe id (above and below); a plain one the ERP's code. An
    account reference names the customer's account in the ledger, which
    is the ERP's code even when the API calls it your own.
    """
    named = concepts(spec.name)
    if context.object_type != "customer" or named - {"account"} != {"reference"}:
        return False
    if "account" in named:
        return True
    return not _mentions(spec.description, ("external", "your own", "own identifier"))


def _names_own_number(spec: FieldSpec, context: Context) -> bool:
    """invoiceNumber on an invoice, DocumentNumber: the document's own number.

    A document's field named only number, at its top level, is its own
    number too: nothing else is named to own it.
    """
    target = concepts(spec.name)
    named = "number" in target and bool(
        "document" in target or _object_concept(context) & target
    )
    bare = "." not in spec.name and target == {"number"} and "number" in context.paths
    return named or bare or _own_document_number(spec)


# A description that says the field keys the record in the system it comes
# from ("in an external system", "the id in the system it is imported from"):
# for records the integration sends, that system is Stripe.
_ELSEWHERE = ("external", "foreign system", "imported from", "another system")


# A description that says the field is the API user's key for the record.
_YOUR_OWN = ("your own", "own identifier", "own reference", "assigned by you")


# "Identifier of the contact in your application": the record whose key the
# API user keeps in their own system, for this integration Stripe.
_IN_YOUR_APPLICATION = re.compile(
    r"(?i)\b(?:id|identifier|key)\s+of\s+(?:the|a|an)\s+(\w+)\s+in\s+your\s+"
    r"(?:own\s+)?(?:system|application|app)\b"
)


# "A value attached to a transfer which can be used for traceability between
# the API and your application": a key tying the record to the API user's
# own copy of it, for this integration Stripe's record.
_TRACED_TO_YOUR_APPLICATION = re.compile(
    r"(?i)\battached\s+to\s+(?:the|a|an)\s+(\w+)\b[^.;]{0,80}?"
    r"\b(?:traceability|trace|correlat\w*)\b[^.;]{0,40}?"
    r"\byour\s+(?:own\s+)?(?:system|application|app)\b"
)


def _held_in_your_application(spec: FieldSpec) -> frozenset[str]:
    """What record a key in the API user's own application keys, if it is one."""
    description = spec.description or ""
    found = _IN_YOUR_APPLICATION.search(description)
    found = found or _TRACED_TO_YOUR_APPLICATION.search(description)
    if not found:
        return frozenset()
    return frozenset(tokens(found.group(1))) | concepts(found.group(1))


# What a customer's own identifier field is called, besides its id word.
_OWN_ID_WORDS = {"id", "number", "code", "customer", "entity", "name", "account"}


def _own_identifier(spec: FieldSpec) -> bool:
    """A record's own key (entityId, DisplayID, CustomerNumber), not a detail.

    A key word under a contact detail's object (telephones.0.number) is that
    detail's value, not the record's key.
    """
    if _contact_detail_value(spec):
        return False
    target = concepts(_plain(spec.name).rsplit(".", 1)[-1])
    return bool(target & {"id", "number", "code"}) and target <= _OWN_ID_WORDS


def _contact_detail_value(spec: FieldSpec) -> bool:
    """telephones.0.number, phones.0.national_number: a contact detail's value.

    A key or number word under a contact detail's object is that detail's
    value, not the record's key nor the document's number.
    """
    segments = _plain(spec.name).rsplit(".", 2)
    return len(segments) > 1 and bool(concepts(segments[-2]) & _CONTACT)


# A contact's number on a contact record kept for the customer: its key.
_CONTACT_KEY_WORDS = {"number", "no", "num", "nr", "nbr", "code"}
# What a "contact number" is when it is none of the record's keys.
_CONTACT_DETAILS = {"phone", "telephone", "tel", "mobile", "fax", "email", "mail"}


def _contacts_number(spec: FieldSpec) -> bool:
    """contactNo, contact.contact_number: the contact's own number.

    An API that keeps its customers as contacts numbers them as contacts; a
    contact's number with nothing else named is the record's key, the ERP's
    code for the customer, unless its description makes it a telephone
    number or a key in another system (Xero's "Identifier of the contact in
    an external system").
    """
    words = [t for t in leaf_tokens(spec.name) if not t.isdigit()]
    if spec.type != STRING or len(words) != 2 or words[0] != "contact":
        return False
    if words[1] not in _CONTACT_KEY_WORDS:
        return False
    described = set(tokens(spec.description or ""))
    return not described & _CONTACT_DETAILS and not _mentions(
        spec.description, _ELSEWHERE
    )


# "Search key of the business partner": the short unique key an ERP finds a
# record by (Compiere's Value, a matchcode), whatever the field is named.
_SEARCH_KEY = re.compile(r"(?i)^\W*(the\s+)?(unique\s+)?(search\s*key|matchcode)\b")


# A description that opens by calling the field the customer's number or
# code ("Customer number", "(paraphrased) the client number, …").
_CUSTOMER_NUMBER_DESCRIBED = re.compile(
    r"(?i)^\W*(\(paraphrased\)\s*)?(the\s+)?(customer|client|debtor)('s)?\s+"
    r"(number|code)\b"
)


def _described_as_customer_number(spec: FieldSpec) -> bool:
    """id "the customer number, the user's key for the customer": the code.

    A customer's key described first as its customer number is the number
    the ERP's users know the customer by, its code in the ERP, whatever
    the field is named (id) and whatever key of the user's it is also said
    to be.
    """
    return spec.type == STRING and bool(
        _CUSTOMER_NUMBER_DESCRIBED.match(spec.description or "")
    )


def _described_as_search_key(spec: FieldSpec) -> bool:
    return spec.type == STRING and bool(_SEARCH_KEY.match(spec.description or ""))


def _object_concept(context: Context) -> frozenset[str]:
    return concepts(context.object_type) if context.object_type else frozenset()


def _own_document_number(spec: FieldSpec) -> bool:
    """Described as the "Document number": the record's own, whatever it is named."""
    phrase = re.split(r"[.;:(]", spec.description or "", maxsplit=1)[0]
    return concepts(phrase) == {"document", "number"}


# "(from the organisation's invoice sequence when empty)": the ERP numbers the
# record itself when the field is left out.
_FROM_OWN_SEQUENCE = re.compile(r"(?i)\bfrom\s+(the\s+)?[\w' -]{0,40}\bsequence\b")


def _own_key_described(spec: FieldSpec, context: Context) -> bool:
    """The record's own number or key, by what its description says it is.

    "Credit note number" on a credit note names the object's own kind and a
    number; a key filled from a sequence when empty is numbered by the ERP
    for this record. Either is the record's own, whatever other record its
    name mentions (invoiceNumber, invoiceId on a credit note kept as an
    invoice of a credit type): it references nothing.
    """
    phrase = re.split(r"[.;:(,]", spec.description or "", maxsplit=1)[0]
    own = _object_concept(context)
    if own and concepts(phrase) == own | {"number"}:
        return True
    return bool(_FROM_OWN_SEQUENCE.search(spec.description or ""))
