"""The suggester's vocabulary: word sets and small readers of a target field.

Words that name a customer, an invoice, an identifier, a link or a setting;
a target's plain name and words, the side (billing or shipping) it is on,
and whether it is a free text and where on the document it goes.
"""

import re
from collections.abc import Iterable

from ..schemas import STRING, FieldSpec
from .names import _LIST_MARKER, concepts, tokens

_IDENTIFIER = {"number", "code", "id"}
# Targets that name another record or a contact detail: never the object's id.
# A shipment's reference (consignment, "shipment reference") is the carrier's
# or the warehouse's, not the document's.
_REFERENCED = {"currency", "country", "tax", "shipment"}
# When something lapses (authorizationExpiry, an expire date): a word the
# date rules read, whose description ("Required when payment type is AUTH")
# may not repeat it; never when a payout's money arrives.
_LAPSES = {"expiry", "expiration", "expire", "expires", "expired"}
# The sides of a document a party's address is on.
_SIDES = {"billing", "shipping"}
# Words naming a kind of the thing named before them (Payment_Type_Reference,
# tax_no_kind, a Tax Number Category).
_KIND_WORDS = {"kind", "type", "category"}
# Whom a thing is handed to, named by that role (receiver, recipient).
_RECEIVERS = {"receiver", "recipient", "consignee"}
# Words naming money with its tax in it (PriceInclTax, OrderSubtotalInclTax).
_WITH_TAX = {"incl", "including", "inclusive"}
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


# A text described by where it stands against the document's lines ("shown
# before the items table", "printed after the lines"): the lines are the
# middle of any invoice, so before them is the top and after them the bottom.
_LINES_NOUNS = r"(lines|items|positions|table)"
_BEFORE_LINES = re.compile(
    rf"(?i)\b(before|above|preceding)\b[^.;,]{{0,40}}\b{_LINES_NOUNS}\b"
)
_AFTER_LINES = re.compile(
    rf"(?i)\b(after|below|following)\b[^.;,]{{0,40}}\b{_LINES_NOUNS}\b"
)


def _text_place(spec: FieldSpec) -> str:
    if spec.type != STRING:
        return ""
    described = spec.description or ""
    before = bool(_BEFORE_LINES.search(described))
    after = bool(_AFTER_LINES.search(described))
    if before != after:
        return "top" if before else "bottom"
    words = set(tokens(_plain(spec.name))) | set(tokens(described))
    if words & _BOTTOM_WORDS and not words & _TOP_WORDS:
        return "bottom"
    if words & _TOP_WORDS and not words & _BOTTOM_WORDS:
        return "top"
    return ""


# What a description opens with, or says, when the field is the document's
# free-text note whatever its name (terms holding the only note).
_NOTE_HEADS = {"note", "notes", "remark", "remarks", "comment", "comments"}


def _described_as_note(spec: FieldSpec) -> bool:
    """A text described as a note or as free text, even when named terms.

    Some ledgers keep the one free text of a document in a field named for
    its terms; the description, not the name, says what it holds.
    """
    if spec.type != STRING:
        return False
    text = (spec.description or "").lower()
    # "Notes (placeholder …)" opens on the word alone; "Note: must be
    # unique" is a remark about some other field.
    phrase = set(tokens(re.split(r"[.;(]", text, maxsplit=1)[0]))
    return bool(phrase) and phrase <= _NOTE_HEADS or "free text" in text


def _free_reason(spec: FieldSpec) -> bool:
    """reason "Reason of the granted refund": free text, offered no values.

    A reason the field lists values for, or names a code, is one of a few
    kinds; one with neither is whatever the user writes. A reason for
    something named (holdreason) is left to the other rules.
    """
    leaf = tokens(_plain(spec.name).rsplit(".", 1)[-1])
    return spec.type == STRING and leaf == ("reason",) and not spec.choices


# A message printed on a document (invoice_message, customerMessage) is its
# note; the message of the e-mail that sends it is caught before as a setting,
# and a charge's failure or status message is no note. A message to the party
# the document is for (contactMessage, debtor_message) is one too.
# A payment's own message (transaction.message "The message of the
# transaction") is the note it carries.
_MESSAGE_OWNERS = {"invoice", "document", "credit", "note", "transaction", "payment"}


_DETAILS = {"details", "info", "information"}
# Words details may carry and still be the record's own: more, other ones.
_MORE = {"additional", "add", "extra", "other", "further", "general"}


def _own_details(words: tuple[str, ...]) -> bool:
    """additional_info, customer_details: the record's own further details.

    Details named for another thing (campaign_details: the campaign the
    customer came by) are that thing's, not a note on the record. English
    names the thing before the noun; what follows ("information on the
    customer") says what they are about.
    """
    last = max((i for i, word in enumerate(words) if word in _DETAILS), default=-1)
    if last < 0:
        return False
    # info_2: a numbered one is still the record's own.
    before = {word for word in words[:last] if not word.isdigit()}
    # background_info, remark_details: details named by a note word are the
    # note itself.
    noted = {word for word in before if concepts(word) == {"description"}}
    return before - _DETAILS - noted <= _MORE | _CUSTOMER_WORDS | _MESSAGE_OWNERS


# A description saying the field has none ("no description", "no
# description (the property carries no KDoc, …)"): its word description
# names no Stripe description.
SAYS_IT_HAS_NONE = re.compile(r"(?i)\W*no\s+description\b")


def _describes_text(spec: FieldSpec) -> bool:
    """A memo or note field, by its name or (for a terse name) its description."""
    words = tokens(_plain(spec.name))
    if words and concepts(words[-1]) & {"number", "id", "code"}:
        return False  # CreditNoteNumber: a number, whatever it numbers
    group, _, leaf = _plain(spec.name).rpartition(".")
    if group and "reference" in concepts(leaf) and "description" not in concepts(leaf):
        # notes.0.authorExternalReference: a key kept with a note, not its text.
        return False
    if _text_place(spec) and "text" in tokens(f"{spec.name} {spec.description}"):
        return True  # "Introductory text above the line items", footText
    if spec.type == STRING and _own_details(leaf_tokens(spec.name)):
        # customer_details "Additional information": a note, not lines; a
        # field of an info group (document_info.printed) is not the details.
        return True
    if (
        spec.type == STRING
        and words[-1:] == ("message",)
        and set(words[:-1]) <= _MESSAGE_OWNERS | _CUSTOMER_WORDS
    ):
        return True  # invoice_message "the note to the customer"
    if _described_as_note(spec) or _free_reason(spec):
        return True  # terms "Notes: the one free text on the invoice"
    return "description" in concepts(spec.name) or (
        len(tokens(spec.name)) <= 2
        and not SAYS_IT_HAS_NONE.match(spec.description or "")
        and "description" in concepts(spec.description or "")
        and len(concepts(spec.description or "")) <= 2
    )


# "A number or a string that identifies …", "Arbitrary number", "A unique
# identifier provided by you": a key the sender writes as it likes, which no
# number series gives; "unicity key", "idempotency key": one the sender
# writes so that the same object is not sent twice.
_FREE_FORM_NUMBER = re.compile(
    r"(?i)\bnumbers?\s+or\s+(an?\s+)?(string|text)\b|\barbitrary\s+(number|string)"
    r"|\b(identifier|id|key|reference)\s+(provided|supplied|given|chosen)\s+by\s+you\b"
    r"|\b(unicity|uniqueness|idempotency)\s+key\b"
)


# A description that opens by calling the field a custom reference ("Custom
# reference to add to the charge", "Custom reference (for example an order
# ID)").
_CUSTOM_REFERENCE = re.compile(
    r"(?i)^\W*(an?\s+)?custom\s+(reference|identifier|key)\b"
)


# A reference described as made by the API's user ("A unique reference
# generated by you", "an identifier created by you"), or by the merchant, a
# payment API's user ("a key created by the merchant"), when the key is
# named for no order or document of the merchant's, whose number it then is
# (orderRef "a reference set by the merchant").
_REFERENCE_MADE_BY = re.compile(
    r"(?i)\b(identifier|id|key|reference)\s+(generated|created|set|assigned)"
    r"\s+by\s+(?P<maker>you|the\s+merchant)\b"
)
_MERCHANTS_DOCUMENTS = {"order", "invoice", "number"}


def _custom_reference(spec: FieldSpec) -> bool:
    """reference_id "Custom reference to add to the charge": the sender's key.

    A reference the API's user sets as it likes, on the record itself,
    takes the key the integration keeps for it, the object's Stripe id, not
    a reference to another record nor the document's number. So does one
    described as generated by you.
    """
    described = spec.description or ""
    made = _REFERENCE_MADE_BY.search(described)
    by_the_sender = bool(made) and (
        made.group("maker").lower() == "you"
        or not concepts(spec.name) & _MERCHANTS_DOCUMENTS
    )
    return spec.type == STRING and bool(
        _CUSTOM_REFERENCE.match(described) or by_the_sender
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


# Social networks and messengers a party may give a handle on (TwitterId,
# SkypeId, LinkedInProfile, messengers.0.handle).
_SOCIAL_NETWORKS = {
    "messenger",
    "messengers",
    "twitter",
    "skype",
    "linkedin",
    "facebook",
    "instagram",
    "xing",
    "tiktok",
    "youtube",
}

# Words naming a group of taxes (taxes.cofins, levies.ipi): what sits under
# it is one tax by its name.
_TAXES_WORDS = {"tax", "taxes", "levy", "levies"}

# A VAT registration: English, Dutch (btw), Danish and Swedish (moms, cvr),
# Norwegian (mva) words, India's GST identification number (gstin),
# Brazil's taxpayer registry numbers, a person's (cpf) and a company's (cnpj),
# and the Spanish-speaking countries' tax ids: Spain's CIF, NIF and NIE,
# Mexico's RFC, Argentina's CUIT, Chile's RUT, Peru's RUC, Colombia's NIT.
_VAT_WORDS = {
    "vat",
    "abn",
    "gst",
    "gstin",
    "ein",
    "tin",
    "btw",
    "moms",
    "mva",
    "cvr",
    "ustid",
    "cpf",
    "cnpj",
    "cif",
    "nif",
    "nie",
    "rfc",
    "cuit",
    "rut",
    "ruc",
    "nit",
}


def _own_description(description: str) -> str:
    """A nested field's own part of its description, past its blocks'.

    ("Addresses of the Customer. — User-defined identifier of the Address."
    → "User-defined identifier of the Address.")
    """
    return description.rsplit(" — ", 1)[-1]


def _plain(name: str) -> str:
    """A target name without list positions (Addresses.0.City → Addresses.City).

    A list's marker before a position goes with it (ADDRESS.LIST.0 → ADDRESS).
    """
    return re.sub(r"\.\d+(?=\.|$)", "", _LIST_MARKER.sub("", name))


def leaf_tokens(name: str) -> tuple[str, ...]:
    """The words of a target name's last part (billing.address_line1 →
    address, line, 1), list positions dropped."""
    return tokens(_plain(name).rsplit(".", 1)[-1])


def in_a_list(name: str) -> bool:
    """lines.0.amount, Rows.2.Notes: a field of a list's entry."""
    return any(part.isdigit() for part in name.split("."))


# Text described as what the payment is for ("Purpose of the payment"), as a
# bank transfer states it: the payment's own text.
_PAYMENTS_PURPOSE_DESCRIBED = re.compile(
    r"(?i)^\W*(the\s+)?purpose\s+of\s+(the\s+|this\s+)?"
    r"(payment|charge|transaction|transfer|refund)\b"
)


# The last part of a name that holds the link to a record (its href).
_RECORD_LINK_LEAVES = {"href"}


# The type a reference gives a relation to another record (an ORM's
# many-to-one, a data object's link): the field holds the record, not a code.
_RELATION = "reference"


def _record_link(spec: FieldSpec) -> bool:
    """agent.meta.href, state.meta.href: a reference to a record by its link."""
    leaf = leaf_tokens(spec.name)
    return len(leaf) == 1 and leaf[0] in _RECORD_LINK_LEAVES


def _mentions(text: str, words: Iterable[str]) -> bool:
    low = (text or "").lower()
    return any(word in low for word in words)


# An address list's later entry (addresses.1.city, or addresses.items.1.city
# where a schema names a list's entries "items"): the first is the
# customer's own address, a second one where goods go.
_LATER_ADDRESS = re.compile(r"address\w*\.(?:items\.)?[1-9]\d*\.", re.IGNORECASE)


# What fills an order by sending its goods: a fulfilment (fulfillmentGroups).
_FULFILLING = {"fulfillment", "fulfilment", "fulfillments", "fulfilments"}
# The place a service is done at, as a client's properties or premises are
# (properties.0.address.street1): where the work goes, as goods go out.
_SERVED_PLACES = {"property", "properties", "premises"}
# A plural of them is a list of places only when its entries are numbered
# (properties.0.address): bare (properties.address.city) it is the group of
# a record's own attributes, its address one of them.
_LISTED_ONLY = {"properties"}


def _served_place(part: str, listed: set[str]) -> bool:
    """properties.0, premises: a place a service is done at, not attributes."""
    words = set(tokens(part)) & _SERVED_PLACES
    return bool(words) and (part in listed or bool(words - _LISTED_ONLY))


def _sent_goods_address(name: str) -> bool:
    """fulfillmentGroups.0.address.city: the address of what goods go out in.

    An address opened under a shipment or a fulfilment is where the goods
    go, the shipping address, whatever its own parts are named; so is one
    opened under a property or premises, where the work is done.
    """
    parts = _plain(name).split(".")
    listed = set(re.findall(r"([^.]+)\.\d+(?=\.|$)", _LIST_MARKER.sub("", name)))
    for index, part in enumerate(parts[:-1]):
        if "address" in concepts(part) and any(
            "shipment" in concepts(before)
            or set(tokens(before)) & _FULFILLING
            or _served_place(before, listed)
            for before in parts[:index]
        ):
            return True
    return False


# The post bringing letters to an address ("to determine physical location
# for mapping, mail delivery, etc."): a use of any address, not the side
# goods are delivered to.
_POSTS_DELIVERY = re.compile(r"(?i)\b(?:mail|postal|post)\s+delivery\b")


def _side(spec: FieldSpec) -> str:
    found = concepts(spec.name)
    if not found & {"shipping", "billing"}:
        found = found | concepts(_POSTS_DELIVERY.sub("", spec.description or ""))
    if not found & {"shipping", "billing"} and _LATER_ADDRESS.search(spec.name):
        return "shipping"
    if not found & {"shipping", "billing"} and _sent_goods_address(spec.name):
        return "shipping"
    if "shipping" in found and "billing" not in found:
        return "shipping"
    if "billing" in found and "shipping" not in found:
        return "billing"
    return ""


def _numbered_address_line(name: str) -> bool:
    """Address3, Delivery3: a line of an address (or the address itself).

    A name that is only a side and a number (Delivery3, Billing2) is a line
    of that side's address, as one naming the address is.
    """
    if "address" in concepts(name):
        return True
    leaf = concepts(name.rsplit(".", 1)[-1])
    numbered = {c for c in leaf if c.startswith("#") and c[1:].isdigit()}
    named = leaf - numbered
    return bool(numbered) and bool(named) and named <= _SIDES


# What a description says an address line holds: the street (line1), or a
# complement to it (line2, as Stripe's own line2 "apartment, suite, unit, or
# building"). https://docs.stripe.com/api/customers/object#customer_object-address
_STREET_DESCRIBED = {"street", "road"}
_COMPLEMENT_DESCRIBED = {
    "additional",
    "addition",
    "supplement",
    "building",
    "floor",
    "flat",
    "apartment",
    "apt",
    "suite",
    "unit",
    "complement",
}


# The parts of an address other than its street, as names.py reads them, and
# the leaf of Stripe's address that holds each.
_ADDRESS_PARTS = {
    "city": "city",
    "state": "state",
    "postal": "postal_code",
    "country": "country",
}


# A reference's own text quoted in a description that first places the field
# ("body address, `admin_area_2` (string): 'A city, town, or village.'
# (quoted)"): the quote is what describes it.
_QUOTED_TEXT = re.compile(r""":\s*['‘"“](?P<text>.+?)['’"”]\s*(?:\(quoted|;|$)""")
# "The highest level sub-division in a country": a country's first-level
# subdivision is its state or province (ISO 3166-2).
_SUBDIVISION = re.compile(r"(?i)\bsub-?divisions?\b")


def _quoted_description(spec: FieldSpec) -> str:
    """The reference's text a description quotes, or the whole description."""
    description = spec.description or ""
    found = _QUOTED_TEXT.search(description)
    return found.group("text") if found else description


# A description that opens on the field's name in backticks and where it sits
# ("`COUNTRY` (first mailing details of the LEDGER, …): the country …").
_PLACED_NAME = re.compile(r"\s*`[^`]+`\s*\(")


def _described_text(spec: FieldSpec) -> str:
    """What a description says of the field, past where it places the field.

    The place (the record, the list and the class the field sits in) names
    other things than the field, such as the ledger it belongs to; the text
    after it, or the reference's text it quotes, describes the field.
    """
    if _QUOTED_TEXT.search(spec.description or ""):
        return _quoted_description(spec)
    return _past_place(spec)


# A description that says the field has none and then places it ("no
# description (Billing member city; in Account member billing; POST
# /accounts) at line 9 of acme/sdk@:snake.ts"): the record, the call and the
# file it names are where the field sits, not what it is.
_NONE_BUT_PLACED = re.compile(
    r"(?i)^\W*no\s+description\s*\([^()]*(?:\([^()]*\)[^()]*)*\)"
    r"(?:\s*at\s+lines?\s+[\d\s,–-]+of\s+\S+)?\s*$"
)


def _past_place(spec: FieldSpec) -> str:
    """The description after where it places the field, or the whole of it."""
    description = spec.description or ""
    if _NONE_BUT_PLACED.match(description):
        return ""
    opened = _PLACED_NAME.match(description)
    if not opened:
        return description
    depth = 1
    for index in range(opened.end(), len(description)):
        depth += {"(": 1, ")": -1}.get(description[index], 0)
        if depth == 0:
            rest = description[index + 1 :].lstrip()
            return rest[1:].lstrip() if rest.startswith(":") else description
    return description


# The request a field is sent in ("POST /v2/transactions", "POST
# parties/customer"): an HTTP method and a path, whose POST is no postal word.
_HTTP_REQUEST = re.compile(r"\b(?:GET|POST|PUT|PATCH|DELETE)\s+(?:/|[\w{}.-]+/)\S*")


def _described_address_part(spec: FieldSpec) -> str:
    """city, state, postal_code or country: the part a numbered line holds.

    Old ERPs keep an address as numbered lines (Address3, addr_5) and say in
    the description what each holds: "Address line 3 (suburb/city)",
    "Line 5 (postal code)", or the line is described only as that part
    ("Country: a country name"). The words in brackets are read first, then
    the description's lead phrase when it names no address or line; naming
    more than one part (or none) says nothing.
    """
    if spec.type != STRING or not spec.description:
        return ""
    if not any(t.isdigit() for t in leaf_tokens(spec.name)):
        return ""
    # Words in brackets, and the description's lead phrase, that name a part
    # alone ("(town)", "Country: a country name"), not a kind of address
    # ("Postal (billing) address", "(line 2 of the postal address)").
    description = _HTTP_REQUEST.sub(" ", _quoted_description(spec))
    bracketed = [
        text
        for text in re.findall(r"\(([^)]*)\)", description)
        if not concepts(text) & {"address", "line"}
    ]
    lead = re.split(r"[.;:,]", description, maxsplit=1)[0]
    if concepts(lead) & {"address", "line"}:
        lead = ""
    for text in (" ".join(bracketed), lead):
        found = concepts(text) & set(_ADDRESS_PARTS)
        if _SUBDIVISION.search(text):
            found = {"state"}
        if found == {"city"} and _street_line_suburb(spec, text):
            return ""
        if found:
            return _ADDRESS_PARTS[next(iter(found))] if len(found) == 1 else ""
    return ""


# A part of a town (a suburb, a district): on one of the first two lines it
# is what follows the street, Stripe's line2, the city having a line of its
# own ("second line of the address (Suburb)", "third line (City)").
_PART_OF_TOWN = {"suburb", "district", "neighbourhood", "neighborhood", "quarter"}


def _street_line_suburb(spec: FieldSpec, text: str) -> bool:
    """A line 1 or 2 described as a suburb, not as the city itself."""
    described = set(tokens(text))
    if not described & _PART_OF_TOWN or described & {"city", "town"}:
        return False
    numbers = [int(t) for t in leaf_tokens(spec.name) if t.isdigit()]
    return bool(numbers) and max(numbers) <= 2


# A line named by its number after the word street ("street line 3").
_NUMBERED_STREET_LINE = re.compile(r"(?i)\bstreet\s+line\s*\d")


def _described_street_line(spec: FieldSpec) -> str:
    """line1 or line2 when the description says what an address line holds.

    "Number and street label" is the street, "building, floor, flat" the
    complement; a description naming both, or neither, says nothing, and
    one naming another part ("Street address 3 (suburb/city)") no street.
    """
    if _described_address_part(spec):
        return ""
    if _NUMBERED_STREET_LINE.search(spec.description or ""):
        # "street line 3": the street names the kind of line, the number which
        # one it is; the line holds no more the street than its number says.
        return ""
    described = set(tokens(spec.description or ""))
    street = bool(described & _STREET_DESCRIBED)
    complement = bool(described & _COMPLEMENT_DESCRIBED)
    if street == complement:
        return ""
    return "line1" if street else "line2"


# Description-like sources, in the order a memo field should prefer them.
_TEXT_SOURCES = {"description": 0.3, "memo": 0.28, "reason": 0.18, "footer": 0.05}


# The types a form gives a field picked from its list of options (a Select,
# a dropdown, a picklist): text, written as one of the options.
PICKED_FROM_A_LIST = {"select", "dropdown", "picklist", "pick list"}

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
    # The business partner of the ADempiere family (C_BPartner: iDempiere,
    # Openbravo, metasfresh): a customer or a supplier.
    "bpartner",
    # German, Dutch, Scandinavian and Spanish (names.py reads them too)
    "kunde",
    "kunden",
    "kund",
    "kunder",
    "klant",
    "debiteur",
    "debitoren",
    "relatie",
    "cliente",
    "clientes",
}
_ID_WORDS = {
    "id",
    "ids",
    "identifier",
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
    "uuid",
    "nummer",
    "numero",
    "nro",
    # Spanish and Portuguese: a code, often run together before what it
    # keys (codcliente, codigofactura)
    "cod",
    "codigo",
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
    # links.payment: the object of related records' keys (JSON:API, HAL).
    "links",
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
    # what a payment is associated with: the documents it pays
    "association",
    "associations",
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
    # the user a record is assigned to (assignee, assignedTo)
    "assignee",
    "assigned",
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
    "web",
    "www",
    "homepage",
    "level",
    "shipment",
    "type",
    "subtype",
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
    # A group of what a transaction or a page is set up with
    # (transaction_configuration.country): the integration's settings.
    "configuration",
    "config",
}


def _words(spec: FieldSpec) -> set[str]:
    """The target's name tokens, a reference's trailing ``.value`` left out."""
    name = spec.name
    if name.endswith(".value"):
        name = name[: -len(".value")]
    return {t for t in tokens(name) if not t.isdigit()}


# A span's bound glued to the word it dates (Starttime, Enddate): one word
# the lexicon does not split, which reads as plain as start_time.
_GLUED_SPAN_BOUND = re.compile(r"^(start|end|begin)(date|time)$")

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


# A payment's own date on a payment; a later event on a document.
_PAYMENT_EVENTS = {"pay", "paid", "payment", "settled"}
_PAYMENT_OBJECTS = {"charge", "refund", "payout", "balance_transaction"}
# A bare key described as a payment's ("The payment's ID", "Id of the
# payment"): the payment record the ERP keeps.
_PAYMENTS_KEY_DESCRIBED = re.compile(
    r"(?i)^\W*(the\s+)?payment(?:'?s)?\s+(id|key|identifier|uuid)\b"
    r"|^\W*(the\s+)?(id|key|identifier|uuid)\s+of\s+(the\s+|a\s+)?payment\b"
)


# Which side of a "from / to" pair of parties is the user's own company: an
# invoice or a refund goes from it, a payment received comes to it. A credit
# note is left out: some ERPs book a return as a document from the customer.
_OWN_SIDE = {"invoice": "from", "refund": "from", "payout": "from", "charge": "to"}
_PARTY_NAMES = {"party", "partner"}


def _party_side(spec: FieldSpec) -> str:
    """from / to when the last part names a party by direction (partyIdFrom)."""
    # Split by hand: "to" is a stop word to tokens().
    words = {
        w.lower()
        for w in re.findall(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])", spec.name.split(".")[-1])
    }
    if not words & _PARTY_NAMES or len(words & {"from", "to"}) != 1:
        return ""
    return "from" if "from" in words else "to"


# A document that came before the invoice in the sale (quote_date, offerDate,
# a proforma): the ERP's own; an order's date is the sale's own and still
# takes created.
_EARLIER_DOCUMENTS = {"quote", "quotation", "estimate", "offer", "proposal", "proforma"}


# How a cross reference is named (XRefInvoiceNum, CrossRefNumber, xref_no):
# the record's key in another system.
_CROSS_REFERENCE = ({"xref"}, {"x", "ref"}, {"cross", "ref"}, {"cross", "reference"})


def cross_reference_number(name: str) -> bool:
    """XRefInvoiceNum, CrossRefNumber: the number a record has elsewhere."""
    words = set(tokens(name.rsplit(".", 1)[-1]))
    return "number" in concepts(name.rsplit(".", 1)[-1]) and any(
        group <= words for group in _CROSS_REFERENCE
    )


# What a shop's loyalty scheme gives a buyer to spend (rewardAmount, a bonus,
# points): Stripe keeps no such scheme.
_LOYALTY_WORDS = {"reward", "rewards", "loyalty", "bonus", "points"}

# A tax the payer keeps back from a payment and pays to the state itself
# (withholdingTax, WithholdAmt): Stripe's documents carry none. Read as
# concepts, so the lexicon's other languages count too (a Spanish
# retención, Spain's IRPF).
_WITHHELD_WORDS = {"withhold", "withholding", "withheld"}
