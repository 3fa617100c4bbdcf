"""Ranking the sample paths for one target: the score of each and why.

Name similarity and value fit, weighed with conventions (address lines),
identity, free text, side, dates of events, specific amounts, a compound
name's head word, a described example, and what admins kept before.
"""

import math
import re

from ..schemas import DATE, DECIMAL, FLAG, INT, LINES, STRING, FieldSpec
from .identity import _TAX_ID_PATH, _identity_fit, _tax_id_target
from .names import concepts, head_concepts, name_similarity, tokens
from .references import _CREDITED
from .suggestion import Context
from .transforms import _EXAMPLE
from .values import DATETIME, Profile, value_fit
from .words import (
    _CUSTOMER_WORDS,
    _LAPSES,
    _MONEY_KINDS,
    _PAYMENT_EVENTS,
    _PAYMENT_OBJECTS,
    _SIDES,
    _TEXT_SOURCES,
    SAYS_IT_HAS_NONE,
    _described_address_part,
    _described_as_note,
    _described_street_line,
    _describes_text,
    _free_reason,
    _numbered_address_line,
    _plain,
    _side,
    _text_place,
    leaf_tokens,
)

_ADDRESS_SLOTS = {3: "city", 4: "state", 5: "country"}


# Words a field that is only a street may carry besides it: its side (an
# invoicing address is the billing one), its number, its rank.
_STREET_ONLY = {
    "address",
    "line",
    "billing",
    "invoicing",
    "shipping",
    "#1",
    "#2",
    "primary",
    "main",
}
# An address's extra information (address_extra_information, addressExtra,
# addressAddon): what does not fit the street line, its second line as a
# supplement is.
_EXTRA_TO_ADDRESS = {"extra", "additional", "further", "addon"}
_INFORMATION = {"information", "info", "details"}
# A street field described as an additional address or line ("Additional
# member address", "An extra line of the delivery address"): the line after
# the street, whatever number its name has (addr1 beside addr).
_DESCRIBED_AS_ADDITIONAL = re.compile(
    r"(?i)^\W*(?:an?\s+)?(?:additional|extra|further)\b[^.;]{0,40}\b(?:address|line)\b"
)
# A street named with its house number (street_and_house_number) is the street
# line when its description says so, Stripe writing the number on line1.
_HOUSE_NUMBER = {"number", "house"}


def _later_entry(spec: FieldSpec) -> bool:
    """street.1: a street given as a list of lines, past its first entry.

    Lists are counted from 0 (lines.0, addresses.0), so a street's entry 1
    is its second line, as Stripe's line2 is.
    """
    return _entry_line(spec) >= 2


def _entry_line(spec: FieldSpec) -> int:
    """street.2 → 3: the line an address list's entry is, counted from 1; or 0."""
    last = spec.name.rsplit(".", 1)[-1]
    return int(last) + 1 if last.isdigit() else 0


def _convention_bonus(spec: FieldSpec, path: str) -> tuple[float, str]:
    """Address line 3-5 of old ERPs conventionally hold city, state, country.

    A field that is only a street ("address", "Street", "Address1") is the
    first street line; "Address2", or a street list's entry 1 (street.1), the
    second. A line 3-5 described as the
    street or its complement is that, whatever its number conventionally
    holds.
    """
    target = concepts(spec.name)
    entry = _entry_line(spec)
    if entry > 2:
        # A list's third entry is the address's third line, which holds the
        # city by the same convention as Address3.
        target = target - {f"#{entry - 1}"} | {f"#{entry}"}
    part = _described_address_part(spec)
    if part:
        # "Address line 5 (postal code)": the part the description names,
        # whatever the line's number conventionally holds.
        if path.rsplit(".", 1)[-1] == part:
            return 0.45, f"the address line is described as the {part}"
        return 0.0, ""
    if not _numbered_address_line(spec.name):
        if "address" not in target:
            return 0.0, ""
    else:
        target = target | {"address"}
    # The party an address belongs to (contactAddress) does not make it more
    # than a street.
    leaf_words = leaf_tokens(spec.name)
    leaf_target = concepts(" ".join(w for w in leaf_words if w not in _CUSTOMER_WORDS))
    extra = leaf_target & _EXTRA_TO_ADDRESS
    if (
        not extra
        and "address" in leaf_target
        and leaf_target - {"address"} - _SIDES <= {"#1"}
        and _DESCRIBED_AS_ADDITIONAL.match(spec.description or "")
    ):
        # addr1 "Additional member address" beside addr, or a delivery
        # side's "An extra line of the delivery address": the second.
        if path.rsplit(".", 1)[-1] == "line2":
            return 0.45, "described as an additional line: line2"
        if path.rsplit(".", 1)[-1] == "line1":
            return -0.3, "described as an additional line: not line1"
    if extra:
        # additionalAddressLine1 is the line after the street (Stripe's line2);
        # additionalAddressLine2 the one after that, which Stripe does not have.
        numbers = {w for w in leaf_target if w[1:].isdigit() and w.startswith("#")}
        after_street = 1 + max((int(n[1:]) for n in numbers), default=1)
        if numbers and "or" in leaf_target:
            # "Second line of street or additional address information": the
            # extra words name the numbered line another way, not one after it.
            after_street -= 1
            extra = extra | {"or"}
        if after_street > 2:
            if path.rsplit(".", 1)[-1] in ("line1", "line2"):
                return -0.5, "an additional line past the second: Stripe has none"
            return 0.0, ""
        leaf_target = (leaf_target - extra - _INFORMATION - numbers) | {"#2"}
    if leaf_target & _HOUSE_NUMBER and _described_street_line(spec) == "line1":
        # streetAndNumber "A street and street number": the house number is
        # written on the street line, no field of its own.
        leaf_target = leaf_target - _HOUSE_NUMBER
    if "address" in leaf_target and leaf_target <= _STREET_ONLY and entry <= 2:
        wanted = "line2" if "#2" in leaf_target or _later_entry(spec) else "line1"
        if path.rsplit(".", 1)[-1] == wanted:
            return 0.3, f"a street field takes {wanted}"
    for number, slot in _ADDRESS_SLOTS.items():
        if f"#{number}" not in target:
            continue
        described = _described_street_line(spec)
        if described:
            slot = described  # "Number and street label (line 4)": the street
        if path.rsplit(".", 1)[-1] == slot:
            if described:
                return 0.45, f"address line {number} is described as the {slot}"
            return 0.45, f"address line {number} conventionally holds the {slot}"
    return 0.0, ""


def _contact_detail(spec: FieldSpec) -> bool:
    """A phone or e-mail by the field's own name (delivery.address.telephone)."""
    return bool(concepts(spec.name.rsplit(".", 1)[-1]) & {"phone", "email"})


def _side_penalty(spec: FieldSpec, path: str) -> float:
    """Billing-side targets should not take shipping paths, and the reverse."""
    side = _side(spec)
    source = concepts(path)
    if side == "shipping" and "shipping" not in source and _contact_detail(spec):
        # The delivery address's phone or e-mail is the recipient's: Stripe
        # keeps one only for the shipping details (shipping.phone), never
        # the customer's own in its place.
        return -0.6
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


# "Any additional information about the recipient": a text about the party
# a document goes to, not about the document.
_ABOUT_THE_PARTY = re.compile(
    r"(?i)\babout\s+the\s+(recipient|customer|client|contact|party|payer|buyer)\b"
)


def _text_bonus(spec: FieldSpec, path: str, context: Context) -> tuple[float, str]:
    if not _describes_text(spec) or spec.type != STRING:
        return 0.0, ""
    about_the_party = bool(_ABOUT_THE_PARTY.search(spec.description or ""))
    if about_the_party and context.object_type != "customer":
        # Stripe's description of a document is about the document; the
        # customer's own description is no field of the document's.
        if path in _TEXT_SOURCES:
            return -0.3, "a note about the party, not the document"
        return 0.0, ""
    bonus = _TEXT_SOURCES.get(path, 0.0)
    # A refund has no description: its reason is the note it carries.
    present = [p for p in _TEXT_SOURCES if p in context.paths]
    if present and path == present[0]:
        bonus = max(bonus, _TEXT_SOURCES["description"])
    if (
        path == "reason"
        and present[:1] != ["reason"]
        and (_described_as_note(spec) or _free_reason(spec))
    ):
        # "Reason for the refund (free text)": Stripe's reason is one of its
        # own few words (duplicate, fraudulent); the free text the record
        # carries is its note (a credit note's memo). A refund, with no note,
        # keeps its reason.
        return -0.5, "Stripe's reason is a code, the target free text"
    place = _text_place(spec)
    if place == "bottom" and "footer" in context.paths:
        # A closing text is the footer, whatever its name shares with a note.
        leaf = path.rsplit(".", 1)[-1]
        bonus = {"footer": 0.35, "description": -0.35}.get(leaf, 0.0)
        return bonus, ("the text at the bottom of the document" if bonus > 0 else "")
    return bonus, ("free text for a note" if bonus else "")


_INCLUDING = {"including", "incl", "inclusive", "inc", "gross"}
# "ex" as British invoices write it: a total ex VAT is before the tax.
_EXCLUDING = {"excluding", "excl", "exclusive", "ex", "before"}


# Dates of events after a document is issued: not its creation date.
_LATER_EVENTS = {
    "maturity",
    "matures",
    "expiry",
    "expiration",
    "expire",
    "expires",
    "expired",
    "until",
    "reminder",
    "next",
    "cancel",
    "cancelled",
    "canceled",
    "void",
    "voided",
    "writeoff",
    # What is done with it once issued: printed, sent, its e-invoice
    # generated, its balance worked out again, settled in the end.
    "print",
    "printed",
    "sent",
    "generated",
    "calculated",
    "recalculated",
    "settlement",
    "settled",
    # When it is left unpaid too long and becomes delinquent.
    "delinquency",
    "delinquent",
    # Its last change: Stripe keeps no time of it (an update's time).
    "modified",
    "modify",
    "modification",
    "update",
    "updated",
    "changed",
    "edited",
}

# The receivables' work on a document once unpaid: collecting it, following
# it up, a dispute or a dunning letter, a risk score worked out again. Read
# from the field's own name: a date kept in a group of it (dunning
# settings' paidAt) is of what the field names.
_COLLECTION_STEPS = {
    "collection",
    "followup",
    "follow",
    "dispute",
    "disputed",
    "dunning",
    "risk",
}

# A document's refund comes after it: a refund's own date is its creation.
_REFUND_EVENTS = {"refund", "refunded"}


# When a payout's money moves: the date of its transaction or transfer.
# A date on the bank's side (a bank statement's) is when the money arrives too,
# as is the day the payout takes effect (an "effective date").
_MONEY_MOVES = {
    "transaction",
    "transfer",
    "wire",
    "value",
    "arrival",
    "bank",
    "effective",
}
# The bookkeeping's own record of it: an entry, a journal, a voucher, dated
# when the payout was made, as a journal is (its created date).
_BOOKKEEPING_RECORDS = {"entry", "journal", "daybook", "voucher"}


def _event_date_fit(spec: FieldSpec, path: str, context: Context) -> float:
    """A maturity date, or the date an invoice was paid, is not its creation.

    Nor is the date it was voided, written off or refunded.

    Nor is the date of a discount or of a mandate; a payout's transaction
    or transfer happens when it arrives.
    """
    if spec.type not in (DATE, DATETIME):
        return 0.0
    named = set(tokens(_plain(spec.name)))
    if context.object_type == "payout" and path == "arrival_date":
        if named & _LAPSES:
            return -0.4  # an expiry date: when something lapses, not arrives
        moves = named | set(tokens(spec.description or ""))
        if moves & _BOOKKEEPING_RECORDS:
            return 0.0  # entryDate "The transaction entry date": the journal's
        return 0.3 if moves & _MONEY_MOVES else 0.0
    if {"write", "off"} <= named:  # write_off_date, writeOffDate
        named.add("writeoff")
    events = named & _LATER_EVENTS | set(leaf_tokens(spec.name)) & _COLLECTION_STEPS
    if context.object_type != "refund":
        events |= named & _REFUND_EVENTS
    if context.object_type not in _PAYMENT_OBJECTS:
        events |= set(tokens(_plain(spec.name))) & _PAYMENT_EVENTS
    if not events or events & set(tokens(path)):
        return 0.0
    return -0.4


_INSTRUMENT_WORDS = {"cash", "check", "cheque", "checks"}
_WHOLE_PAYMENT = re.compile(
    r"\b(value|amount|total) of the (receipt|payment|transaction|document)\b"
)


# "Deposited into or withdrawn from the cash account": money moved on an
# account of the books.
_MOVED_ON_ACCOUNT = re.compile(
    r"\b(deposited|withdrawn|paid|transferred|booked|posted)\s+(in|into|to|from|on)\b"
    r"[^.;]*\baccount"
)


def _whole_payment_described(spec: FieldSpec) -> bool:
    """cheque_value, "Value of the receipt": the payment's own amount.

    Some ledgers still call every receipt a cheque; the description then
    speaks of the receipt as a whole and names no instrument. A cash amount
    described as moved into or out of an account (cashAmount "deposited into
    or withdrawn from cashAccount") is the payment's amount on the books'
    cash side, the word cash naming the account, not a tender.
    """
    text = (spec.description or "").lower()
    if _MOVED_ON_ACCOUNT.search(text):
        return True
    return (
        bool(_WHOLE_PAYMENT.search(text)) and not set(tokens(text)) & _INSTRUMENT_WORDS
    )


# What a field named only as a key is (tax.id, vat.number): a record's key.
_KEY_WORDS = {"id", "number", "no", "nr", "key", "code"}


# A list named for tax alone (VatLines, tax_breakdown), not "lines without tax".
_TAX_LIST_WORDS = {"tax", "line", "lines", "rate", "rates", "breakdown", "analysis"}


def _specific_fit(spec: FieldSpec, path: str, profile: Profile) -> float:
    """Evidence beyond names: tax ids in lists, line lists, specific amounts."""
    target = concepts(spec.name)
    source = concepts(path)
    if _tax_id_target(spec):
        if _TAX_ID_PATH.search(path):
            return 0.5
        return -0.3  # a tax id is nothing else the object carries
    if _TAX_ID_PATH.search(path) and tokens(_plain(spec.name))[-1:] == ("value",):
        # Value on a customer (Compiere's search key), extra.value: the tax
        # id's path ends in value too, but a value names no tax id by itself.
        return -0.4
    if spec.type == LINES:
        if "tax" in target and target <= _TAX_LIST_WORDS:
            return -0.5  # taxLines, a breakdown per tax rate: not the goods lines
        return 0.5 if "lines" in source else 0.0
    words = set(tokens(spec.name))
    if profile.kind == "amount" and set(leaf_tokens(spec.name)) <= _KEY_WORDS:
        return -0.6  # tax.id, vat.number: the key of a record, no sum of money
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
    # A prepayment is read as it splits (pre, payment).
    if spec.type == DECIMAL and (
        words & {"partial", "deposit"} or {"pre", "payment"} <= words
    ):
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
    if (
        spec.type == INT
        and profile.kind == "amount"
        and "amount" in target
        and kinds - source
    ):
        # A tax part of an amount counted in cents (holdAmount.salesTax,
        # holdAmount.taxExemptPart typed integer) is no more the whole sum
        # than the same part written as a decimal; a whole number named for
        # no amount (a flag to report a tax) is left to the other rules.
        return -0.5
    described = concepts(spec.description or "")
    if spec.type == DECIMAL and "subtotal" in described and "amount" in target:
        # "Goods value of the document (net)": the amount before tax.
        return 0.3 if leaf == "subtotal" else 0.0
    return 0.0


# Words that make a field's value another thing than what the rest of its
# name shares with a Stripe path: a country read from the buyer's IP, not
# their address (geoip_country); another party's key or account, not the
# object's or the buyer's (merchant_id, provider_id, destination_name); a
# charge beside the goods (wrapping_cost); money after a refund
# (refunded_amount); the date interest runs from (interest_date). A source
# explains the word only by naming it too (amount_refunded).
_QUALIFIERS = {
    "geoip",
    "ip",
    "merchant",
    "provider",
    "supplier",
    "vendor",
    "destination",
    "wrapping",
    "giftwrap",
    "gift",
    "insurance",
    "packaging",
    "refunded",
    "interest",
}


def _unexplained_qualifier(spec: FieldSpec, path: str, context: Context) -> float:
    """geoip_country, wrapping_cost_ex_tax: a word the source does not explain.

    One word shared with a path (country, tax, id) does not make the field
    that path when another word of its name (or of the object it is nested
    in: geoip.country) qualifies it as something Stripe's field is not. A
    refund's or a credit note's own amount is what was refunded; a
    destination's address is where goods are shipped.
    """
    named = set(tokens(_plain(spec.name)))
    words = named & _QUALIFIERS
    if {"geo", "location"} <= named:
        words.add("geo")  # geolocation, read as it splits: a place found by IP
    repeated = 0.0
    if context.object_type in _CREDITED and "refunded" in words:
        # A credit note gives money back as a refund does: its own amount is
        # what was refunded, read from its total, which its amount repeats.
        words.discard("refunded")
        if context.object_type == "credit_note" and path == "amount":
            repeated = -0.1
    if (
        context.object_type == "refund"
        and path == "reason"
        and "reason" in concepts(spec.description or "")
    ):
        # merchant_note "Merchant reason": the seller gives a refund's
        # reason, Stripe's reason is the merchant's.
        words.discard("merchant")
    if "shipping" in concepts(path):
        words.discard("destination")  # where goods go: the shipping address
    if named & {"reference", "ref"}:
        # merchant_reference_id: the key the merchant, the sender, gives the
        # record it sends, not another party's key.
        words.discard("merchant")
    if not words or words & set(tokens(path)):
        return repeated
    return -0.7


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


def _example_fit(spec: FieldSpec, profile: Profile) -> tuple[float, str]:
    """The description's example value ("for example VISA") among the samples'."""
    found = _EXAMPLE.search(spec.description or "")
    if not found or len(found.group(1)) < 2:
        return 0.0, ""
    example = found.group(1).lower()
    if any(value.lower() == example for value in profile.values):
        return 0.3, f"values hold the described example ({found.group(1)})"
    return 0.0, ""


# A date or time format written out ("YYYY-MM-DD HH:MM:SS.mmm", "DD/MM/YYYY"):
# how the value is written, not what it is.
_FORMAT_PATTERN = re.compile(
    r"(?i)\b(?:yyyy|yy|mm|dd|hh|ss)(?:[-/.: T](?:yyyy|yy|mm|dd|hh|ss|mmm|sss))+\b"
)


def _without_format(spec: FieldSpec) -> str:
    """ "Date of the document, YYYY-MM-DD HH:MM:SS": its words without the format."""
    return _FORMAT_PATTERN.sub(" ", spec.description or "")


# An address's street lines: text, which no number field takes. A whole
# number named a line (a cart's line, lineNo) is a position in a list.
_STREET_LINES = {"line1", "line2"}


# An amount described as what is still to be taken in ("Amount to be
# collected using this link", "the amount to collect"): what is left to pay.
_TO_BE_COLLECTED = re.compile(r"(?i)\b(?:to\s+be\s+collected|to\s+collect)\b")


def _still_to_collect(spec: FieldSpec, path: str) -> float:
    """link_amount "Amount to be collected": the invoice's amount still due."""
    if spec.type not in (DECIMAL, INT) or path != "amount_due":
        return 0.0
    return 0.2 if _TO_BE_COLLECTED.search(spec.description or "") else 0.0


# A sum of money named as a part of the whole (subAmount, sub_sum): a
# sub-total, as "sub_total" reads; SubAccount or sub_id are no sums.
_SUM_WORDS = {"amount", "sum", "total"}


def _sub_amount_fit(spec: FieldSpec, path: str) -> float:
    """subAmount "Sub-amount of the order": the subtotal, as subTotal is."""
    words = leaf_tokens(spec.name)
    if (
        spec.type not in (DECIMAL, INT)
        or path != "subtotal"
        or len(words) != 2
        or words[0] != "sub"
        or words[1] not in _SUM_WORDS
    ):
        return 0.0
    return 0.4


# An address a receipt is sent to ("the e-mail the receipt is sent to",
# "send the receipt to"): the object's own receipt e-mail, where it has one.
_RECEIPT_SENT = re.compile(
    r"(?i)\breceipts?\b[^.;]{0,20}\bsent\b|\bsend\b[^.;]{0,20}\breceipts?\b"
)


def _receipt_address_fit(spec: FieldSpec, path: str) -> float:
    """email "the address the receipt is sent to": receipt_email, not the
    billing details'."""
    if "email" not in concepts(spec.name.rsplit(".", 1)[-1]):
        return 0.0
    if not _RECEIPT_SENT.search(spec.description or ""):
        return 0.0
    return 0.3 if "receipt" in tokens(path) else 0.0


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
        if spec.type in (DECIMAL, INT) and path.rsplit(".", 1)[-1] in _STREET_LINES:
            continue
        name, name_reason = name_similarity(_plain(spec.name), path)
        if "." in _plain(spec.name):
            # A dotted target (BillAddr.City): its last part is the field itself.
            leaf, leaf_reason = name_similarity(_plain(spec.name).rsplit(".")[-1], path)
            if 0.85 * leaf > name:
                name, name_reason = 0.85 * leaf, leaf_reason
        if (
            spec.description
            and name < 0.5
            and not SAYS_IT_HAS_NONE.match(spec.description)
        ):
            desc, desc_reason = name_similarity(_without_format(spec), path)
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
            + _unexplained_qualifier(spec, path, context)
            + _still_to_collect(spec, path)
            + _receipt_address_fit(spec, path)
            + _sub_amount_fit(spec, path)
        )
        if kind == "empty":
            score -= 0.05
        if spec.max_length and profile.max_len > spec.max_length * 3:
            score -= 0.05
        if profile.in_list and spec.type != LINES:
            score -= 0.2
        if path.startswith("options."):
            score -= 0.3  # settings are for configuration fields (config.py)
        if kind == "stripe_id" and path not in ("id", "stripe_id"):
            score -= 0.2  # another object's id: only a lookup makes it useful
        net = feedback.get((spec.name, path), 0)
        fb_reason = ""
        if net:
            score += 0.35 * math.tanh(net / 2)
            fb_reason = f"admins {'accepted' if net > 0 else 'replaced'} it before"
        reasons = [r for r in (name_reason, value_reason, bonus_reason, fb_reason) if r]
        scored.append((score, path, "; ".join(reasons)))
    # Scores are sums of the same terms taken from sets, whose order follows
    # the hash seed: read them to six decimals, so two candidates that tie
    # (shipping.address.line1 and line2 for a bare shipping street) keep the
    # samples' order in every process instead of the one a last bit decides.
    scored.sort(key=lambda item: (-round(item[0], 6), len(item[1])))
    return scored
