"""Passes across targets: one owner per source, and what the targets say together.

A free text, a customer or an invoice goes to one target; a reference field
takes the document's number when nothing else does; a company number is the
tax id when no VAT field takes it; a two-line entry is balanced; an amount
"in euros" beside one in the document's currency is converted; money paid
out beside money received stays empty.
"""

import re
from collections.abc import Callable
from dataclasses import replace

from ..calibration import abstention_threshold
from ..schemas import DATE, DECIMAL, INT, STRING, FieldSpec
from .config import (
    _HOLDERS,
    _OWN_EXTERNAL_KEY,
    _TIES_TO_ANOTHER_SYSTEM,
    _address_as_one_text,
    _closing_date_source,
    _foreseen_close,
    _in_document_currency,
)
from .identity import _TAX_ID_PATH, _names_own_number, _tax_id_target
from .names import _ORDINALS, concepts, known_word, tokens
from .ranking import _ADDRESS_SLOTS
from .references import (
    _customer_key_described,
    _described_record,
    _lookup,
    _reference_kind,
)
from .suggestion import Context, Suggestion, _abstain, _abstain_for, _suggest
from .transforms import _TIME_OF_DAY_FORMAT, _transforms, _value_map
from .values import DATETIME, Profile
from .words import (
    _COMPANY_WORDS,
    _CONFIG_WORDS,
    _CUSTOMER_WORDS,
    _ID_WORDS,
    _PAYMENT_OBJECTS,
    _PAYMENTS_PURPOSE_DESCRIBED,
    _REFERENCED,
    _SIDES,
    _TEXT_SOURCES,
    _VAT_WORDS,
    _custom_reference,
    _describes_text,
    _mentions,
    _numbered_address_line,
    _plain,
    _text_place,
    cross_reference_number,
    in_a_list,
    leaf_tokens,
)

# A currency named outright: another one only beside an amount in the document's.
_NAMED_CURRENCY = re.compile(r"\bin (euros?|eur|dollars?|usd|pounds?|gbp)\b")


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


# What an amount's name may add to say it counts minor units
# (amount_in_cents): still the object's one amount.
_MINOR_UNIT_WORDS = {"in", "cents", "minor"}


def _the_objects_amount(spec: FieldSpec) -> bool:
    """value, amount (a decimal), amount_in_cents (a whole number of cents).

    A whole number named only amount may count the major unit or the minor
    one, and is left to the other rules.
    """
    named = concepts(spec.name.rsplit(".", 1)[-1])
    if spec.type == DECIMAL and named == {"amount"}:
        return True
    return (
        spec.type in (DECIMAL, INT)
        and named - _MINOR_UNIT_WORDS == {"amount"}
        and bool(named & (_MINOR_UNIT_WORDS - {"in"}))
    )


def _currency_of_an_unsourced_amount(
    suggestions: list[Suggestion], specs: list[FieldSpec]
) -> list[Suggestion]:
    """A money object's currency code goes with its amount.

    shipping.amount.currency_code beside shipping.amount.value: the code
    says what the value is in, so when no amount of the object has a source
    (a charge Stripe keeps no field for), the code has none either; the
    document's currency belongs to the amounts Stripe fills. So it does
    beside an amount counted in cents (tax_amount.amount_in_cents).
    """
    sourced = {item.target for item in suggestions if item.source}
    members: dict[str, list[FieldSpec]] = {}
    for spec in specs:
        parent, _, _ = spec.name.rpartition(".")
        members.setdefault(parent, []).append(spec)
    out = []
    for item in suggestions:
        parent, _, leaf = item.target.rpartition(".")
        # A money object: its currency and nothing but amounts (value).
        amounts = [
            spec.name for spec in members.get(parent, []) if spec.name != item.target
        ]
        if (
            parent
            and item.source.rsplit(".", 1)[-1] == "currency"
            and "currency" in concepts(leaf)
            and amounts
            and all(
                _the_objects_amount(spec)
                for spec in members[parent]
                if spec.name != item.target
            )
            and not sourced & set(amounts)
        ):
            item = _abstain_for(item, "the currency of an amount with no source")
        out.append(item)
    return out


def _free_text(profile: Profile | None) -> bool:
    """Sources one target should own: a note, a postal code, a number.

    An e-mail address is a contact detail several targets may each carry
    (the contact's and the one invoices go to). A phone-like value stays
    owned: a digit string may as well be a customer code.
    """
    return profile is not None and profile.kind in ("text", "phone", "postal")


def _exact(item: Suggestion) -> bool:
    return item.target.lower() == item.source.rsplit(".", 1)[-1]


# What a group of a party's address and contact lines is named after.
_ADDRESS_BLOCKS = {"address", "billing", "shipping"}


def _row_of(target: str) -> str:
    """The list row a target sits in (lines.0 for lines.0.description), or "".

    An address block counts as a row too: its name line (address.name)
    repeats the party's name beside the record's own name field. So does a
    billing or shipping block (billing.name, billing.phone, or flat:
    billing_address_phone): Stripe has no billing contact apart from the
    customer's own. So does each block of a group of addresses
    (address.visit, address.postal): each is the customer's address again.
    """
    parts = target.split(".")
    index = max((i for i, part in enumerate(parts) if part.isdigit()), default=-1)
    if len(parts) - index > 2 and any(
        concepts(part) & _ADDRESS_BLOCKS for part in parts[index + 1 : -1]
    ):
        index = len(parts) - 2
    words = tokens(parts[-1])
    if len(words) > 2 and concepts(words[0]) & _SIDES:
        # A flat name for the same block (billing_address_phone): the words
        # before the last one name the block.
        return ".".join([*parts[:-1], "_".join(words[:-1])])
    return ".".join(parts[: index + 1])


def _conventional_slot(target: str, source: str) -> str:
    """city for Address3 ← address.city: the slot a line's number gave it, or ""."""
    named = concepts(target)
    slot = next(
        (s for n, s in _ADDRESS_SLOTS.items() if f"#{n}" in named),
        "",
    )
    line = _numbered_address_line(target)
    return slot if line and source.rsplit(".", 1)[-1] == slot else ""


def _slots_with_own_field(suggestions: list[Suggestion]) -> list[Suggestion]:
    """An address line 3-5 keeps its conventional city, state or country
    only when no field named for it, or described as it (admin_area_2 "A
    city, town, or village"), takes the same source.

    Old ERPs with nothing but numbered lines put the town on line 3; an
    address with a city, a region and a country field of its own keeps its
    further lines for more street (a building, a district), which Stripe
    does not have.
    """
    owners = {
        item.source: item.target
        for item in suggestions
        if item.source
        and not _conventional_slot(item.target, item.source)
        and (
            concepts(item.target) & {"city", "state", "country"}
            or item.source.rsplit(".", 1)[-1] in _ADDRESS_SLOTS.values()
        )
    }
    out = []
    for item in suggestions:
        slot = _conventional_slot(item.target, item.source) if item.source else ""
        if slot and item.source in owners:
            item = _abstain_for(
                item, f"the {slot} has its own field: {owners[item.source]}"
            )
        out.append(item)
    return out


def _plainer_line_keeps_it(suggestions: list[Suggestion]) -> list[Suggestion]:
    """addressLine2 beside shipAddressLine2 in one address: the plainer keeps it.

    Two fields of one record taking the same Stripe street line are
    one line asked twice; the one whose name adds a qualifier to the other's
    is the copy (as a mobile beside a phone is), and gives the line up.
    """
    lines = [
        item
        for item in suggestions
        if item.source and item.source.rsplit(".", 1)[-1] in ("line1", "line2")
    ]
    out = []
    for item in suggestions:
        plainer = next(
            (
                other.target
                for other in lines
                if item in lines
                and other is not item
                and other.source == item.source
                and _parent_of(other.target) == _parent_of(item.target)
                and _plainer(other.target, item.target)
            ),
            "",
        )
        if plainer:
            item = _abstain_for(item, f"{plainer} is the plainer name for the line")
        out.append(item)
    return out


# Words naming a kind of phone line: a mobile beside a phone is the second one
# (MOB: the key of a map of phones by their type, telephones.MOB).
_PHONE_KINDS = {"mobile", "cell", "cellular", "mob", "gsm"}


def _own_slot(target: str) -> str:
    """The field's own part of a dotted name, with the map a type key is in.

    telephones.PRI is the primary entry of a map of phones: its key alone
    (PRI) does not say it is a phone.
    """
    parts = target.split(".")
    if len(parts) > 1 and parts[-1].isalpha() and parts[-1].isupper():
        return " ".join(parts[-2:])
    return parts[-1]


def _plainer(target: str, other: str) -> bool:
    """phoneNumber beside phoneNumberMobile: the other adds a qualifier to it.

    A phone beside a mobile (phone_1 and mobile) is the plainer too: Stripe
    keeps one phone, the customer's main line, which a mobile only names
    one kind of.
    """
    words = {t for t in tokens(_own_slot(target)) if not t.isdigit()}
    others = {t for t in tokens(_own_slot(other)) if not t.isdigit()}
    if (
        "phone" in concepts(_own_slot(target))
        and not words & _PHONE_KINDS
        and others & _PHONE_KINDS
    ):
        return True
    if (others - words) & _VAT_WORDS:
        # RegistrationNumber beside VatRegistrationNumber: the VAT word
        # says what the other is, a tax id, not one kind of the same.
        return False
    if "tax" in words & others and (others - words) & _COMPANY_WORDS:
        # taxId beside businessTaxId: the business's is the tax id Stripe
        # keeps, not one kind of the plain one (which may be a person's).
        return False
    return bool(words) and words < others


def _mobile_beside_a_phone(item: Suggestion) -> bool:
    """A mobile's number yields the phone to a phone item of the same record.

    A contact with a phone item and a mobile item (Telephone.Number beside
    Mobile.Number) gives the customer's one phone to the phone: a mobile is
    the second number a contact may have.
    """
    return item.source.rsplit(".", 1)[-1] == "phone" and "mobile" in set(
        tokens(_plain(item.target))
    )


def _numbered_words(name: str) -> list[str]:
    """A name's words with a line's ordinal as its number (FirstLineName: 1)."""
    words = list(tokens(name))
    return [
        str(_ORDINALS[word])
        if word in _ORDINALS and words[index + 1 : index + 2] == ["line"]
        else word
        for index, word in enumerate(words)
    ]


def _line_of_its_number(item: Suggestion) -> bool:
    """line_1 ← address.line1: an address line named by its number alone.

    An address asked both as its parts (a street, a complement) and as its
    numbered lines (line_1, line_2) gets Stripe's line of that number in
    the line so numbered, whichever part also takes it.
    """
    leaf = [t for t in leaf_tokens(item.target) if t != "address"]
    return (
        len(leaf) == 2
        and leaf[0] == "line"
        and leaf[1].isdigit()
        and item.source.rsplit(".", 1)[-1] == f"line{leaf[1]}"
    )


def _first_of_numbered(target: str, other: str) -> bool:
    """OrgName1 beside OrgName3, FirstLineName beside SecondLineName: numbered.

    Fields named alike but for their number (Name 1 to Name 4) hold one
    value spread over them, the first its start: the first takes a text
    both could copy, whatever their descriptions score.
    """
    slot, other_slot = (
        _numbered_words(_own_slot(target)),
        _numbered_words(_own_slot(other)),
    )
    words = [t for t in slot if not t.isdigit()]
    numbers = [int(t) for t in slot if t.isdigit()]
    other_numbers = [int(t) for t in other_slot if t.isdigit()]
    return (
        bool(words)
        and words == [t for t in other_slot if not t.isdigit()]
        and len(numbers) == len(other_numbers) == 1
        and numbers[0] < other_numbers[0]
    )


def _later_numbered_slots(
    suggestions: list[Suggestion], specs: list[FieldSpec]
) -> list[Suggestion]:
    """TaxTotal02 beside TaxTotal01, both read as the tax: the later none.

    Figures named alike but for their number (a tax total for each of four
    tax codes, TaxTot00 to TaxTot03) are slots of one kind of figure, the
    first filled before the next: Stripe's one value is the first slot's,
    and a later slot read as the same source the same way is left empty.
    Only a number in the field's own name counts: entries of a list
    (LIST.1.AMOUNT) are records of their own.
    """
    figures = [
        (item, spec)
        for item, spec in zip(suggestions, specs, strict=True)
        if item.source and spec.type in (DECIMAL, INT) and "." not in item.target
    ]
    out = []
    for item in suggestions:
        earlier = next(
            (
                other.target
                for other, _ in figures
                if (other.source, other.transforms) == (item.source, item.transforms)
                and _first_of_numbered(other.target, item.target)
            ),
            "",
        )
        if earlier and any(item is figure for figure, _ in figures):
            item = _abstain_for(item, f"a later numbered slot: {earlier} takes it")
        out.append(item)
    return out


# Words of a document's own text: what is printed on it for the customer.
_DOCUMENT_TEXT_OWNERS = {"invoice", "credit", "document", "receipt", "voucher"}
_PRINTED = ("printed", "shown to", "shown on", "visible to", "visible on")
# A description that denies the text is shown: a private note.
_NOT_SHOWN = re.compile(r"\b(not|never)\s+(be\s+)?(visible|shown|printed)\b")
_PRIVATE = {"internal", "private"}
# "Transactions appendix (internal name Transaction)": what a table is called
# inside the ERP, which says where the field is, not who may read it.
_INTERNAL_NAME = re.compile(r"(?i)\binternal\s+name\b")


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
    described = set(tokens(_INTERNAL_NAME.sub(" ", spec.description or "")))
    if (named | described) & _PRIVATE or _NOT_SHOWN.search(
        (spec.description or "").lower()
    ):
        return -1
    if "text" in named and named & _DOCUMENT_TEXT_OWNERS:
        return 1
    return 1 if _mentions(spec.description, _PRINTED) or "public" in named else 0


# "Description of the invoice", "Description of the credit note (HTML)": a
# description field that says it is the document's own, not a label of
# something about it (its type, its terms); a closing aside says its format.
_OWN_DESCRIPTION = re.compile(
    r"(?i)^\W*(the\s+)?description\s+of\s+the\s+(invoice|credit\s+note|document)"
    r"\s*(\([^()]*\))?\W*$"
)


# What a note on a line is named (InvoiceComment, Text, remarks).
_NOTE_NAMES = {"comment", "comments", "note", "notes", "remark", "remarks", "text"}


def _note_on_a_line(item: Suggestion) -> bool:
    """InvoiceComment, InvoiceLine.0.Text ← lines.data.0.description: a note.

    On a line of goods, a field named a comment, note or text says
    something about the line; the line's own description, or its name or
    title, is what Stripe's line description is, and owns it first.
    """
    named = set(tokens(item.target.rsplit(".", 1)[-1]))
    return item.source.startswith("lines.") and bool(named & _NOTE_NAMES)


# What names a goods line's item by its label (items.0.name, items.0.title).
_LINE_LABELS = {"name", "title"}


def _line_name(item: Suggestion) -> bool:
    """items.0.name beside items.0.description ← lines.data.0.description.

    Stripe's line description is the item's label, what a line's name or
    title is; a line's own description beside it is a longer text about
    the item, which Stripe does not keep.
    """
    named = set(tokens(item.target.rsplit(".", 1)[-1]))
    return item.source.startswith("lines.") and bool(named) and named <= _LINE_LABELS


# "GL Description", "Text of the general ledger posting": the bookkeeping's.
# A ledger named alone may be the document's own kind ("Ledger receipt name").
_LEDGERS_TEXT = re.compile(r"(?i)\b(?:gl|g/l|general\s+ledger)\b")


def _ledgers_text(spec: FieldSpec | None) -> bool:
    """Description "GL Description": the text of the ledger posting.

    A text the ERP describes as its general ledger's is what the posting
    shows in the books; a comment or note of the document beside it holds
    the document's own text before it.
    """
    return spec is not None and bool(_LEDGERS_TEXT.search(spec.description or ""))


def _documents_own_description(item: Suggestion, specs: dict[str, FieldSpec]) -> bool:
    """description ← description (memo on a credit note), described as the
    document's: its text.

    Stripe's description (a credit note's memo) is the document's own text;
    a field named and described so owns it before a printed note, which
    keeps the footer where there is one.
    """
    spec = specs.get(item.target)
    return (
        spec is not None
        and tokens(_plain(spec.name)) == ("description",)
        and item.source in ("description", "memo")
        and bool(_OWN_DESCRIPTION.match(spec.description or ""))
    )


def _names_its_source(item: Suggestion) -> bool:
    """transaction_description ← description beside notes: the word it names.

    Of two texts claiming one Stripe text, the one whose name carries the
    source's own word, qualified only by the record it is of (the
    transaction's, the document's), says it holds that text; a note (notes,
    remarks) only may. A description of something else on the record
    (misc_charge_description) is that thing's; a name that is the word alone
    is read by what its description says it is of
    (`_documents_own_description`).
    """
    word = item.source.rsplit(".", 1)[-1]
    named = set(tokens(_own_slot(item.target)))
    return (
        item.source in _TEXT_SOURCES
        and not _exact(item)
        and word in named
        and named - {word} <= _DOCUMENT_DATE_OWNERS
    )


def _placed_apart(place: str | None, other: str | None) -> bool:
    """Both texts have a place on the document, and not the same one."""
    return bool(place) and bool(other) and place != other


def _whole_name(item: Suggestion) -> bool:
    """addressFullName "full name on the address": the whole of Stripe's name.

    Beside it a company name (companyName) is a part Stripe does not keep
    apart: its one name is the full name the address is written to.
    """
    if tokens(item.source)[-1:] != ("name",):
        return False
    named = set(tokens(_own_slot(item.target)))
    return "fullname" in named or {"full", "name"} <= named


# A postal area (postalArea, post_area): the place its postal code stands for.
_POSTAL_WORDS = {"post", "postal"}


def _postal_area(target: str) -> bool:
    """postalArea beside city: the same town as the post names it.

    Where a record keeps both, each is filled with the town, so a postal
    area neither takes the city from the city field nor leaves it empty.
    """
    words = leaf_tokens(target)
    return any(
        word in _POSTAL_WORDS and following == "area"
        for word, following in zip(words, words[1:], strict=False)
    )


# The names of a postal code as a whole: a zip code and a postal code
# (zip, zip_code, postcode, postal_code), not a part of one (zip_four).
_POSTAL_CODE_NAMES = {
    ("zip",),
    ("zip", "code"),
    ("zipcode",),
    ("postcode",),
    ("post", "code"),
    ("postal", "code"),
}


def _postal_code_twice(item: Suggestion, winner: Suggestion) -> bool:
    """zip_code beside postal_code: the one postal code, asked for twice.

    A record that names its postal code both ways (a zip code for one
    country's forms, a postal code for another's) wants the same code in
    each, so the second name is filled too, not left empty.
    """
    own, other = leaf_tokens(item.target), leaf_tokens(winner.target)
    return (
        own != other
        and own in _POSTAL_CODE_NAMES
        and other in _POSTAL_CODE_NAMES
        and _row_of(item.target) == _row_of(winner.target)
    )


# The address a payment is billed to, named before a person's name part
# (payment_firstname, billing_lastname).
_BILLED_TO = {"payment", "billing"}


def _billed_name_part(item: Suggestion) -> bool:
    """payment_firstname beside firstname: the billed person's name, split.

    The person an order is billed to is named again on its payment address;
    the part split from the one Stripe name fills both, as a name, not a
    note, may.
    """
    steps = item.transforms
    return (
        bool(steps)
        and steps[0]["name"] == "split_name"
        and bool(concepts(item.target.rsplit(".", 1)[-1]) & _BILLED_TO)
    )


def _card_holders(item: Suggestion) -> bool:
    """cardHolderName beside buyerName: the card's holder, named again.

    Who holds the card is given apart from who buys, mostly the same
    person; Stripe's billing details name the one paying, which fills both.
    """
    return bool(set(tokens(item.target.rsplit(".", 1)[-1])) & _HOLDERS)


def _customers_tax_id(item: Suggestion) -> bool:
    """customerTaxIdNumber.value: a tax id the top part says is the customer's.

    Beside the tax id of another party (the issuing organisation's), the
    customer's takes the tax id Stripe keeps of the customer.
    """
    return bool(_TAX_ID_PATH.search(item.source)) and bool(
        set(tokens(item.target.split(".", 1)[0])) & _CUSTOMER_WORDS
    )


def _vat_named_tax_id(item: Suggestion) -> bool:
    """VatIdentificationNumber beside IdentificationNumber: the VAT's tax id."""
    return bool(_TAX_ID_PATH.search(item.source)) and bool(
        set(tokens(_own_slot(item.target))) & _VAT_WORDS
    )


def _business_named_tax_id(item: Suggestion) -> bool:
    """businessTaxId beside taxId: the business's tax id, the one Stripe keeps.

    A customer's tax ids in Stripe are a business's (a VAT number, an EIN);
    beside a plain tax id, which may be a person's, the one named for the
    business takes it; a business's registration number with no tax word
    is no tax id beside one that says so.
    """
    words = set(tokens(_own_slot(item.target)))
    return (
        bool(_TAX_ID_PATH.search(item.source))
        and "tax" in words
        and bool(words & _COMPANY_WORDS)
    )


def _payments_purpose(spec: FieldSpec | None) -> bool:
    """paymentPurpose "Purpose of the payment": the transfer's own text.

    A bank transfer states its purpose apart from the record's comment, and
    both are the payment's text: the purpose shares it with a note beside it.
    """
    return spec is not None and bool(
        _PAYMENTS_PURPOSE_DESCRIBED.match(spec.description or "")
    )


# A number shown masked (MaskedCreditCardNumber): all but its last digits
# hidden, as Stripe gives a card's number.
_MASKED = {"masked", "mask"}


def _masked_number(item: Suggestion) -> bool:
    """MaskedCreditCardNumber beside CardNumber: the masked one is Stripe's."""
    return bool(set(tokens(_plain(item.target))) & _MASKED)


# The details a party's block repeats under the same name in another block:
# its name's parts and its address's.
_REPEATED_DETAILS = {"first", "last", "city", "state", "postal", "country", "street"}


def _rows_of_repeated_details(specs: list[FieldSpec]) -> Callable[[str], str]:
    """payer.firstName beside receipt.firstName: each group a row of its own.

    A request may write the one party's details twice, in two groups named
    alike inside (the payer's first name and city, and again the receipt's
    recipient's): each copy takes the same Stripe value, as an address
    block's own name line does. A detail named in one group only competes
    as before.
    """
    groups: dict[str, set[str]] = {}
    for spec in specs:
        group, _, leaf = spec.name.rpartition(".")
        if group and not any(part.isdigit() for part in group.split(".")):
            groups.setdefault(leaf.lower(), set()).add(group)

    def row_of(target: str) -> str:
        group, _, leaf = target.rpartition(".")
        if len(groups.get(leaf.lower(), ())) > 1 and concepts(leaf) & _REPEATED_DETAILS:
            return group
        return _row_of(target)

    return row_of


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
    document (an introduction) or one named description takes the
    description before a note with no place, and that note then takes the
    footer if nothing else does.
    """
    places = {spec.name: _text_place(spec) for spec in specs}
    shown = {spec.name: _shown_on_document(spec, context) for spec in specs}
    by_name = {spec.name: spec for spec in specs}
    row_of = _rows_of_repeated_details(specs)

    cut = abstention_threshold()

    def rank(item: Suggestion) -> tuple:
        # A claim the threshold would drop (a title that only guesses at the
        # description) never takes the text from one it keeps. A target
        # named exactly as the source (name ← name) owns it before a longer
        # name that also scores high (company.name).
        return (
            item.confidence >= cut,
            not _ledgers_text(by_name.get(item.target)),
            item.source == "number" and cross_reference_number(item.target),
            _customers_tax_id(item),
            _vat_named_tax_id(item),
            _business_named_tax_id(item),
            _documents_own_description(item, by_name),
            not _note_on_a_line(item),
            _line_name(item),
            _names_its_source(item),
            shown.get(item.target, 0),
            not _mobile_beside_a_phone(item),
            _whole_name(item),
            _exact(item),
            places.get(item.target) == "top",
            item.score,
        )

    def slot_only(item: Suggestion) -> bool:
        return bool(_conventional_slot(item.target, item.source))

    best: dict[tuple[str, str, str], Suggestion] = {}
    for item in suggestions:
        if (
            item.source
            and _free_text(profiles.get(item.source))
            and not _postal_area(item.target)
            and not _billed_name_part(item)
            and not _card_holders(item)
            and not _payments_purpose(by_name.get(item.target))
            and not _line_of_its_number(item)
        ):
            key = (row_of(item.target), item.source, repr(item.transforms))
            held = best.get(key)
            if (
                held is not None
                and _masked_number(held) != _masked_number(item)
                and (held.confidence >= cut) == (item.confidence >= cut)
            ):
                # A number shown masked owns what Stripe gives of it (a
                # card's last digits) before the number in full; a mask the
                # cut drops (a masked flag guessing at the description)
                # takes it from none the cut keeps.
                if _masked_number(item):
                    best[key] = item
                continue
            if held is not None and slot_only(held) != slot_only(item):
                # A field named or described as the city (DeliveryState,
                # admin_area_2 "A city") owns it before an address line whose
                # number only conventionally holds it (Delivery4, line 3).
                if slot_only(held):
                    best[key] = item
                continue
            # Two texts placed apart (one before the items, one after) are
            # told by their places, not by which name is plainer (text
            # beside text_prefix).
            apart = held is not None and _placed_apart(
                places.get(item.target), places.get(held.target)
            )
            if (
                held is None
                or _first_of_numbered(item.target, held.target)
                or (not apart and _plainer(item.target, held.target))
                or (
                    (apart or not _plainer(held.target, item.target))
                    and not _first_of_numbered(held.target, item.target)
                    and rank(item) > rank(held)
                )
            ):
                best[key] = item
    footer_free = "footer" in profiles and not any(
        item.source == "footer" for item in suggestions
    )
    out = []
    for item in suggestions:
        key = (row_of(item.target), item.source, repr(item.transforms))
        winner = best.get(key)
        if _payments_purpose(by_name.get(item.target)):
            out.append(item)
            continue
        if shown.get(item.target) == -1 and item.source in _TEXT_SOURCES:
            out.append(
                _abstain_for(item, "a private note: the document shows its text")
            )
        elif (
            winner is not None
            and winner is not item
            and footer_free
            and item.source in _TEXT_SOURCES
            and (places.get(winner.target) == "top" or _exact(winner))
            and not places.get(item.target)
        ):
            footer_free = False
            out.append(
                replace(
                    item,
                    source="footer",
                    reason=f"{winner.target} takes the description: a note closes it",
                )
            )
        elif (
            winner is not None
            and winner is not item
            and not _postal_area(item.target)
            and not _postal_code_twice(item, winner)
            and not _billed_name_part(item)
            and not _card_holders(item)
            and not _line_of_its_number(item)
        ):
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
# "Notes: the user external ID associated with the message": a record of
# the ERP's named before the key, after any group's heading.
_RECORD_KEY = re.compile(r"(?i)^\W*(?:the\s+)?([a-z]+)\s+(?:external\s+)?id\b")


def _setting_before_key(spec: FieldSpec) -> str:
    """user in "the user external ID associated with the message", or ""."""
    phrase = (spec.description or "").rsplit(":", 1)[-1]
    found = _RECORD_KEY.match(phrase)
    record = found.group(1).lower() if found else ""
    return record if record in _CONFIG_WORDS else ""


# What a key described as the id of may be, this object itself or the
# document it stands for: "ID of a Page to reference" is another record's.
_DOCUMENT_RECORDS = frozenset(
    (
        "invoice",
        "document",
        "credit",
        "note",
        "payment",
        "order",
        "transaction",
        "reference",
    )
)


def _reference_target(spec: FieldSpec) -> bool:
    """A field for the document's reference in another system (YourRef)."""
    target = concepts(spec.name)
    words = set(leaf_tokens(spec.name))
    return (
        spec.type == STRING
        and not _TIES_TO_ANOTHER_SYSTEM.search(spec.description or "")
        and ("reference" in target or "reference" in concepts(spec.description or ""))
        and not words & {"origin", "source"}
        and not (words & _EXTERNAL and words - _ID_WORDS <= _EXTERNAL)
        and not _describes_text(spec)
        and not target & _REFERENCED
        and not _key_of_another_record(spec)
    )


def _key_of_another_record(spec: FieldSpec, own: frozenset[str] = frozenset()) -> str:
    """The record a key is described as the id of, when not a document's."""
    head = _described_record(spec) or _setting_before_key(spec)
    if not head or ({head} | concepts(head)) & (own | _DOCUMENT_RECORDS):
        return ""
    return head


def _listed_side(target: str) -> str:
    """shipping for ShipToAddress.0.City: the side a list of addresses names."""
    parts = target.split(".")
    index = next((i for i, part in enumerate(parts) if part.isdigit()), -1)
    if index < 1:
        return ""
    sides = concepts(parts[index - 1]) & _SIDES
    return next(iter(sides)) if len(sides) == 1 else ""


def _single_side(target: str) -> str:
    """shipping for ShipAddress.City: the side of an address group, unlisted."""
    parts = target.split(".")
    if len(parts) < 2 or any(part.isdigit() for part in parts):
        return ""
    sides = concepts(parts[-2]) & _SIDES
    return next(iter(sides)) if len(sides) == 1 else ""


def _listed_addresses_beside_an_address(
    suggestions: list[Suggestion],
) -> list[Suggestion]:
    """ShipToAddress.0.City beside ShipAddress.City: a further address, empty.

    A record with one address of a side and, beside it, a list of more
    addresses of the same side keeps in the list the addresses it may add;
    Stripe has one address of each side, which the single group takes. An
    item of the list claiming the same part is left empty, and with it the
    rest of its row that comes from the same Stripe address (its name line).
    """
    single = {(_single_side(i.target), i.source) for i in suggestions if i.source}
    blocks = {
        (_row_of(i.target), i.source.split(".", 1)[0])
        for i in suggestions
        if i.source
        and _listed_side(i.target)
        and (_listed_side(i.target), i.source) in single
    }
    out = []
    for item in suggestions:
        block = (_row_of(item.target), item.source.split(".", 1)[0])
        if item.source and block in blocks:
            item = _abstain_for(
                item, "an address of a list beside the record's own: none of Stripe's"
            )
        out.append(item)
    return out


# The words naming a reference group (CustomerMsgRef, PaymentMethodRef): the
# object an API refers to one of its records by.
_REFERENCE_GROUP_WORDS = {"ref", "reference"}


def _in_another_records_reference_group(spec: FieldSpec, context: Context) -> bool:
    """CustomerMsgRef.ListID: a key or name in a reference group of a record.

    A group named for a record and a reference holds the key or the name the
    API finds that record by; unless the record is the object itself, it is
    one of the ERP's records (a message, a payment method, an account), and
    neither the object's own Stripe id nor its number nor any text of it.
    """
    segments = _plain(spec.name).split(".")
    if len(segments) < 2:
        return False
    group = set(tokens(segments[-2]))
    named = group - _REFERENCE_GROUP_WORDS
    if not group & _REFERENCE_GROUP_WORDS or not named:
        return False
    own = concepts(context.object_type) if context.object_type else frozenset()
    return not (own and concepts(" ".join(sorted(named))) >= own)


def _other_records_reference_groups(
    suggestions: list[Suggestion], specs: list[FieldSpec], context: Context
) -> list[Suggestion]:
    """A key or name in another record's reference group copies no Stripe value.

    The record is the ERP's, found by its key or its name; a Stripe value
    copied as it is (the object's id or number, its memo), cut to the
    field's length or not, is neither.
    """
    out = []
    for item, spec in zip(suggestions, specs, strict=True):
        if (
            item.source
            and all(step.get("name") == "truncate" for step in item.transforms)
            and _in_another_records_reference_group(spec, context)
        ):
            item = _abstain_for(
                item, "a key or name in another record's reference: not Stripe's"
            )
        out.append(item)
    return out


# A reference described as unique ("The merchant's unique reference for the
# transaction"): a key the record is found by, which the Stripe id is.
_UNIQUE_REFERENCE = re.compile(r"(?i)\bunique\s+(reference|ref|key|identifier)\b")


def _number_for_reference(
    suggestions: list[Suggestion], specs: list[FieldSpec], context: Context
) -> list[Suggestion]:
    """A numbered document's reference field takes its number if nothing else does.

    With an InvoiceNumber beside it, Reference keeps the Stripe id; alone
    (YourRef, ExternalInvoiceReference, "Customer reference number") it is
    where the document's number goes, unless described as a unique key.
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
            and not _in_another_records_reference_group(spec, context)
            and not _UNIQUE_REFERENCE.search(spec.description or "")
            and not _custom_reference(spec)
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


# An order named by its number: what else the name says makes it another's.
_ORDER_NUMBER_WORDS = {"order", "number", "no", "nr", "num", "sales", "return"}


def _order_number_as_own_number(
    suggestions: list[Suggestion], specs: list[FieldSpec], context: Context
) -> list[Suggestion]:
    """An order's number with no other number beside it is the document's own.

    A shop's or ERP's order that stands for the invoice (order_no "the sales
    order number", orderNumber) is numbered where the ERP's invoices are;
    with no invoice number beside it, the order number is the one Stripe's
    number goes to. An order number beside the document's own number is
    the order it came from, and a purchase or customer order the buyer's.
    """
    if "number" not in context.paths or any(
        _names_own_number(spec, context) for spec in specs
    ):
        return suggestions
    numbered = [item for item in suggestions if item.source == "number"]
    out = []
    for item, spec in zip(suggestions, specs, strict=True):
        words = set(tokens(_plain(spec.name)))
        if (
            item.source == "number"
            and numbered == [item]
            and spec.type == STRING
            and "order" in concepts(spec.name)
            and words & {"number", "no", "nr", "num"}
            and words <= _ORDER_NUMBER_WORDS
            and item.confidence < 0.9
        ):
            item = _suggest(
                spec,
                "number",
                item.transforms,
                0.9,
                "the order's number: the document's, as no other field takes it",
            )
        out.append(item)
    return out


def _lookup_table(item: Suggestion) -> str:
    steps = item.transforms or []
    if len(steps) == 1 and steps[0].get("name") == "lookup":
        return str((steps[0].get("params") or {}).get("table", ""))
    return ""


# "The ID of the customer you wish to use as the billing contact": a contact
# key described as the customer's own is the customer, as a customer key is.
_CUSTOMERS_KEY_DESCRIBED = re.compile(
    r"(?i)^\W*(the\s+)?(id|key|number)\s+of\s+the\s+(customer|client)\b"
)


def _one_owner_per_reference(
    suggestions: list[Suggestion], specs: list[FieldSpec]
) -> list[Suggestion]:
    """Two targets resolving the same customer: the one that says customer keeps it.

    A payment with customerNumber and contactId has one customer; the contact
    is a person at it, which Stripe does not carry. With no target named for
    the customer, one named for the account keeps it: in a CRM the account is
    the customer and the contact a person there (an invoice's account_id and
    contact_id).

    So with the invoice: a payment's C_Invoice_ID beside its C_Order_ID pays
    the invoice, and the order is a record of the ERP's that Stripe lacks.
    """
    groups: dict[tuple[str, str], list[Suggestion]] = {}
    for item in suggestions:
        table = _lookup_table(item)
        if item.source and table in ("customer", "invoice"):
            groups.setdefault((item.source, table), []).append(item)
    described = {
        spec.name
        for spec in specs
        if _CUSTOMERS_KEY_DESCRIBED.match(spec.description or "")
    }
    losers: dict[str, tuple[str, str]] = {}
    for (_, table), items in groups.items():
        named = [i for i in items if table in concepts(i.target)]
        if table == "customer" and named:
            named += [i for i in items if i.target in described and i not in named]
        if not named and table == "customer":
            named = [i for i in items if "account" in concepts(i.target)]
        if len(items) > 1 and named:
            for item in items:
                if item not in named and (
                    table == "customer" or "order" in concepts(item.target)
                ):
                    losers[item.target] = (table, named[0].target)
    return [
        Suggestion(
            item.target,
            "",
            [],
            0.0,
            "the {} is {}'s; nothing else in Stripe".format(*losers[item.target]),
            score=item.score,
            abstained=True,
        )
        if item.target in losers
        else item
        for item in suggestions
    ]


def _one_invoice_reference(
    suggestions: list[Suggestion], context: Context, cut: float
) -> list[Suggestion]:
    """Two targets resolving the same invoice: the id keeps it, the number is own.

    A credit note imported as an invoice has credited_invoice_id and
    invoice_number: the first is the invoice it credits, the second its own
    number, when nothing else takes the number at the threshold `cut` (an
    order number's guess under it abstains later).
    """
    claims = [i for i in suggestions if i.source and _lookup_table(i) == "invoice"]
    if (
        len(claims) < 2
        or "number" not in context.paths
        or any(i.source == "number" and i.confidence >= cut for i in suggestions)
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


def _group_of(target: str) -> str:
    return _plain(target).rpartition(".")[0]


def _keys_its_groups_record(target: str, group: str, table: str) -> bool:
    """CustomerInfo.CustomerId: a key named for the record its group is named for."""
    leaf = _plain(target).rpartition(".")[2]
    return table in concepts(group.rpartition(".")[2]) and table in concepts(leaf)


def _references_below_a_reference(suggestions: list[Suggestion]) -> list[Suggestion]:
    """A key in a group nested below the group that keys a record is another's.

    AppliedTo.0.TxnID keys the invoice a payment settles; the keys in the
    groups below it (AppliedTo.0.SetCredit.0.CreditTxnID, a credit to use;
    AppliedTo.0.DiscountAccountRef.ListID, an account) key records of their
    own, a credit memo or an account, not the same invoice again. Only below a
    named group: a top-level key and a line's key may be the same record's.
    A key named for the record in a group named for it too
    (Document.CustomerInfo.CustomerId, the customer's particulars as
    printed) keys that record again.
    """
    groups = {
        (_lookup_table(item), _group_of(item.target))
        for item in suggestions
        if item.source and _lookup_table(item) and _group_of(item.target)
    }
    out = []
    for item in suggestions:
        table, group = _lookup_table(item), _group_of(item.target)
        if (
            item.source
            and table
            and not _keys_its_groups_record(item.target, group, table)
            and any(
                other == table and group.startswith(outer + ".")
                for other, outer in groups
            )
        ):
            item = _abstain_for(
                item, f"a key below the {table}'s own in its group: another record's"
            )
        out.append(item)
    return out


# A company's number in the national register (organizationNumber, a
# business number). A "business id" or "company id" is more often the API's
# own tenant key.
_REGISTERED = {
    "organisation",
    "organization",
    "corporate",
    "company",
    "enterprise",
    "business",
}
_NUMBER_WORDS = {"number", "no", "nr", "nummer", "num"}
# "Business partner number": a business partner is a party (SAP, ADempiere),
# its number the party's key, not a business's registered number.
_PARTNER = re.compile(r"(?i)\bbusiness[\s_-]*partner\b")


def _company_number_as_tax_id(
    suggestions: list[Suggestion],
    specs: list[FieldSpec],
    profiles: dict[str, Profile],
    threshold: float,
) -> list[Suggestion]:
    """An organisation number is the tax id when no VAT field takes the tax id.

    In the Nordic registers the VAT number is the organisation number with a
    suffix; beside a VatNumber field it is a registration detail of its own.
    On a document, one in a group named for the customer (customer.orgNo) is
    the customer's tax id as the document copies it (customer_tax_ids).
    """
    if any(_TAX_ID_PATH.search(item.source or "") for item in suggestions):
        return suggestions
    if any(_tax_id_target(spec) for spec in specs):
        return suggestions
    tax_ids = sorted(p for p in profiles if _TAX_ID_PATH.search(p))
    if not tax_ids:
        return suggestions
    own = [p for p in tax_ids if "customer_" not in p]
    copied = [p for p in tax_ids if "customer_" in p]
    out, done = [], False
    for item, spec in zip(suggestions, specs, strict=True):
        group = _plain(spec.name).rpartition(".")[0]
        paths = own or (copied if "customer" in concepts(group) else [])
        words = set(tokens(_plain(spec.name)))
        described = set(tokens(_PARTNER.sub("partner", spec.description or "")))
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
            and paths
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


# Words of an amount by the way the money goes: into the account or out of it.
# Money deposited into an account is money coming into it.
_MONEY_IN = {"in", "received", "incoming", "deposit", "deposited"}
_MONEY_OUT = {"out", "spent", "outgoing", "withdrawn", "withdrawal"}
# Stripe objects whose amount is money coming in: a customer's payment, and
# a payout as the bank account receiving it sees it; a refund's goes out.
_MONEY_COMING_IN = {"charge", "payout"}
_MONEY_GOING_OUT = {"refund"}


def _money_way(spec: FieldSpec) -> str:
    """ "in" for moneyIn or "Amount received", "out" for "Amount paid out", else "".

    Only the name is read for a bare in or out: a description says "in
    euros" of anything.
    """
    named = set(tokens(_plain(spec.name)))
    described = set(tokens(spec.description or "")) - {"in"}
    ways = {
        way
        for way, words in (("in", _MONEY_IN), ("out", _MONEY_OUT))
        if (named | described) & words
    }
    return ways.pop() if len(ways) == 1 else ""


def _money_in_not_out(
    suggestions: list[Suggestion], specs: list[FieldSpec], context: Context
) -> list[Suggestion]:
    """Beside an amount received, an amount paid out stays empty, and back.

    A bank transaction with one column per way the money goes takes a
    payment's or payout's amount in the column of money received, and a
    refund's in the column of money paid out; alone, an amount of the
    other way is left to the other rules.
    """
    if context.object_type in _MONEY_COMING_IN:
        other, reason = "out", "money paid out: this brings money in"
    elif context.object_type in _MONEY_GOING_OUT:
        other, reason = "in", "money received: this pays money out"
    else:
        return suggestions
    ways = {spec.name: _money_way(spec) for spec in specs if spec.type == DECIMAL}
    if "in" not in ways.values() or "out" not in ways.values():
        return suggestions
    return [
        _abstain_for(item, reason) if ways.get(item.target) == other else item
        for item in suggestions
    ]


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
    Beside the same lines in the entry's currency, the plain amounts are in
    the books' own currency, which Stripe does not give: they stay empty.
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
    in_currency = {
        row.replace(" currency", "", 1) for row in rows if " currency" in row
    }
    for row, cells in rows.items():
        indexes = sorted({index for index, _ in cells})
        if len(indexes) != 2 or len(cells) != 4:
            continue
        if row in in_currency and " currency" not in row:
            # Beside the same amounts in the entry's currency (AmountDebit
            # beside DebitCurrencyAmount), the plain ones are in the books'
            # own currency, which the ledger converts to: Stripe has none.
            for position in cells.values():
                out[position] = _abstain_for(
                    out[position], "an amount in the books' own currency"
                )
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


# Words for a region above a county: the state or province a county lies in.
_ABOVE_COUNTY = {"state", "province", "prov", "region"}
_STATE_WORDS = _ABOVE_COUNTY - {"region"}


def _place_below_state(
    suggestions: list[Suggestion], specs: list[FieldSpec]
) -> list[Suggestion]:
    """A county, or a region, beside a state or province field: no source.

    A county alone (a British address) is the address's region, Stripe's
    state; beside a state or province it is the division below it, which
    Stripe's addresses do not hold, and the state goes to the state field.
    A region beside a state or province is another division than it (a
    sales or world region), which Stripe's addresses do not hold either.
    """
    rows_with_state = {
        _row_of(spec.name)
        for spec in specs
        if set(leaf_tokens(spec.name)) & _ABOVE_COUNTY
        and "county" not in leaf_tokens(spec.name)
    }
    # A state given by its record's code (State.code) is named above the key.
    rows_named_state = {
        _row_of(spec.name)
        for spec in specs
        if set(tokens(spec.name[len(_row_of(spec.name)) :])) & _STATE_WORDS
    }
    out = []
    for item in suggestions:
        words = set(leaf_tokens(item.target))
        row = _row_of(item.target)
        if not item.source.endswith("state"):
            out.append(item)
            continue
        if "county" in words and row in rows_with_state:
            item = _abstain_for(item, "a county below the state: Stripe has none")
        elif "region" in words and not words & _STATE_WORDS and row in rows_named_state:
            item = _abstain_for(item, "a region beside the state: Stripe has none")
        out.append(item)
    return out


# A part of a town, and the town itself: beside a town field, the part is
# the division below it, which Stripe's addresses do not hold.
_TOWN_PARTS = {
    "suburb",
    "district",
    "neighbourhood",
    "neighborhood",
    "quarter",
    "township",
}
_TOWN_WORDS = {"town", "city", "locality"}


def _town_part_beside_town(
    suggestions: list[Suggestion], specs: list[FieldSpec]
) -> list[Suggestion]:
    """A suburb or district beside a town or city field: no source of its own.

    Alone a suburb may be all the place an address gives, Stripe's city;
    beside a town it is the part of that town, and the city goes to the
    town field.
    """
    rows_with_town = {
        _row_of(spec.name)
        for spec in specs
        if set(leaf_tokens(spec.name)) & _TOWN_WORDS
        and not set(leaf_tokens(spec.name)) & _TOWN_PARTS
    }
    # A locality beside a field named the city or town is the part of the
    # town too (a neighbourhood, a bairro); alone it is the town.
    rows_with_city = {
        _row_of(spec.name)
        for spec in specs
        if set(leaf_tokens(spec.name)) & (_TOWN_WORDS - {"locality"})
        and not set(leaf_tokens(spec.name)) & (_TOWN_PARTS | {"locality"})
    }
    out = []
    for item in suggestions:
        words = set(leaf_tokens(item.target))
        if item.source.endswith("city") and (
            (words & _TOWN_PARTS and _row_of(item.target) in rows_with_town)
            or (
                words & _TOWN_WORDS == {"locality"}
                and _row_of(item.target) in rows_with_city
            )
        ):
            item = _abstain_for(item, "a part of the town beside it: Stripe has none")
        out.append(item)
    return out


# A company's name on an address, as its leaf words say it.
_COMPANY_NAME_WORDS = _COMPANY_WORDS | {"name"}


def _on_an_address(spec: FieldSpec) -> bool:
    """billingAddress.company, or "Address book entry: company": an address's."""
    row = _row_of(spec.name)
    return bool(concepts(row) & _ADDRESS_BLOCKS) or "address" in tokens(
        spec.description or ""
    )


# The address a flat field's first word names (payment_company,
# shipping_firstname).
_ADDRESS_ROLES = {"payment", "billing", "shipping"}


def _address_role(target: str) -> frozenset[str]:
    """payment_company → {payment}: the address a flat field is part of."""
    words = leaf_tokens(target)
    return concepts(words[0]) & _ADDRESS_ROLES if len(words) > 1 else frozenset()


# What a party-type choice offers beside a person: an organisation.
_ORGANISATION_KINDS = {"organization", "organisation", "company"}


def _choice_words(spec: FieldSpec) -> set[str]:
    return {c for choice in spec.choices for c in concepts(str(choice))}


def _split_part(item: Suggestion) -> str:
    for step in item.transforms:
        if step["name"] == "split_name":
            return step["params"].get("part", "")
    return ""


# The kinds of e-mail a record may keep beside its plain one: where it is
# read (work, home), whose it is (business, personal), which is preferred.
_EMAIL_KINDS = {
    "business",
    "personal",
    "private",
    "work",
    "home",
    "office",
    "preferred",
    "other",
}


def _email_kind(target: str) -> str:
    """workEmail → work; email, emailAddress → ""; the kind a name gives it."""
    leaf = set(leaf_tokens(target))
    if "email" not in concepts(_plain(target).rsplit(".", 1)[-1]):
        return ""
    kinds = leaf & _EMAIL_KINDS
    return next(iter(kinds)) if len(kinds) == 1 else ""


def _kinds_of_email_beside_the_email(
    suggestions: list[Suggestion], specs: list[FieldSpec]
) -> list[Suggestion]:
    """workEmail, homeEmail beside email: other addresses, no source.

    A record that keeps a plain e-mail and e-mails of a kind (work, home,
    personal) puts Stripe's one e-mail in the plain field; a kind's field
    would only repeat it. Alone, the kind's field is the e-mail.
    """
    plain_rows = {
        spec.name.rpartition(".")[0]
        for spec in specs
        if leaf_tokens(spec.name) in (("email",), ("email", "address"))
    }
    out = []
    for item in suggestions:
        if (
            item.source
            and item.target.rpartition(".")[0] in plain_rows
            and _email_kind(item.target)
        ):
            item = _abstain_for(item, "an e-mail of a kind beside the plain one")
        out.append(item)
    return out


def _bare_name_beside_a_last_name(
    suggestions: list[Suggestion], specs: list[FieldSpec]
) -> list[Suggestion]:
    """nombre beside apellidos, name beside surname: the name is the first name.

    A record that names a person by a bare name and a last name (a Spanish
    nombre and apellidos, an Italian nome and cognome), with no first-name
    field beside them, keeps the given name in the bare one; beside a first
    name of its own, the bare name is the whole name and stays so.
    """
    parts: dict[str, set[str]] = {}
    for item in suggestions:
        part = _split_part(item)
        if part:
            parts.setdefault(item.target.rpartition(".")[0], set()).add(part)
    out = []
    for item, spec in zip(suggestions, specs, strict=True):
        row = item.target.rpartition(".")[0]
        leaf = [w for w in leaf_tokens(item.target) if not w.isdigit()]
        if (
            spec.type == STRING
            and leaf
            and concepts(" ".join(leaf)) == {"name"}
            and tokens(item.source)[-1:] == ("name",)
            and not item.transforms
            and parts.get(row) == {"last"}
        ):
            item = replace(
                item,
                transforms=[{"name": "split_name", "params": {"part": "first"}}],
                reason="a bare name beside a last name: the first name, split",
            )
        out.append(item)
    return out


def _company_beside_a_persons_name(
    suggestions: list[Suggestion], specs: list[FieldSpec]
) -> list[Suggestion]:
    """An address's or a record's company beside a first and last name: no source.

    Stripe keeps one name; an address (or the record itself, at its top
    level) that splits it into the person's first and last names has it
    written to a person, and the company beside them is one Stripe does not
    keep apart.
    """
    split_rows = set()
    split_roles = set()
    for item in suggestions:
        if any(step["name"] == "split_name" for step in item.transforms):
            row = _row_of(item.target)
            split_rows.add(row)
            # shipping_firstname: a person named on the shipping address the
            # row's flat fields (shipping_company) spell out.
            split_roles.add((row, _address_role(item.target)))
            # shipping_info.name.given_name: a name object of its own, beside
            # the company (shipping_info.business_name) in the row above it.
            parent, _, last = row.rpartition(".")
            if parent and tokens(last) == ("name",):
                split_rows.add(parent)
    # PartyType ORGANIZATION / PERSON: the record is a person's or a
    # company's, and a company's name is then the one name Stripe keeps.
    typed = any(
        "person" in kinds and kinds & _ORGANISATION_KINDS
        for kinds in map(_choice_words, specs)
    )
    out = []
    for item, spec in zip(suggestions, specs, strict=True):
        words = set(leaf_tokens(item.target))
        role = _address_role(item.target)
        if (
            tokens(item.source)[-1:] == ("name",)
            and words & _COMPANY_WORDS
            and (
                words <= _COMPANY_NAME_WORDS
                or (role and (_row_of(item.target), role) in split_roles)
            )
            and _row_of(item.target) in split_rows
            and (_on_an_address(spec) or not (_row_of(item.target) or typed))
        ):
            item = _abstain_for(
                item, "an address's company beside a person's name: Stripe has one"
            )
        out.append(item)
    return out


# A street written with its house number ("streetWithNr", "street_and_number",
# "StreetWithHouseNumber"): the street line as Stripe keeps it, number and all.
_STREET_WITH_NUMBER = re.compile(
    r"(?i)street_?(?:with|and|&)_?(?:house_?)?(?:nr|no|num|number)$"
)


def _street_with_number_beside_street(
    suggestions: list[Suggestion], specs: list[FieldSpec]
) -> list[Suggestion]:
    """street beside streetWithNr in one address: the one with the number.

    An address that asks for its street twice, bare and with the house
    number, takes the bare street apart from its number; Stripe's first
    line holds both, as the street written with its number does, so that
    field takes the line and the bare street gives it up.
    """
    with_number = {
        spec.name.rpartition(".")[0]: spec.name
        for spec in specs
        if _STREET_WITH_NUMBER.search(spec.name.rpartition(".")[2])
    }
    taken = {
        item.target.rpartition(".")[0]: item
        for item in suggestions
        if item.target.rpartition(".")[0] in with_number
        and leaf_tokens(item.target) == ("street",)
        and item.source.endswith("line1")
    }
    out = []
    for item in suggestions:
        group = item.target.rpartition(".")[0]
        bare = taken.get(group)
        if bare is item:
            item = _abstain_for(
                item, f"the street without its number: {with_number[group]} has it"
            )
        elif bare is not None and item.target == with_number[group]:
            item = replace(
                bare,
                target=item.target,
                reason="the street with its number: Stripe's first line holds both",
            )
        out.append(item)
    return out


# The first of an address's numbered lines (address1, address_line_1,
# street1): a line the bare address beside it holds too.
_FIRST_NUMBERED_LINE = re.compile(r"(?i)(?:address|street|addr)_?(?:line_?)?1$")


def _bare_address_beside_its_first_line(
    suggestions: list[Suggestion], specs: list[FieldSpec]
) -> list[Suggestion]:
    """address beside address1 and address2: the whole street, line 1 first.

    A form that sends the street both whole (the lines joined) and by its
    numbered lines asks the first line twice: the bare address takes the
    source its first line takes, which is where Stripe's street begins.
    """
    first_lines = {
        item.target.rpartition(".")[0]: item
        for item in suggestions
        if _FIRST_NUMBERED_LINE.search(item.target.rpartition(".")[2])
        and item.source.endswith("line1")
    }
    # One described as the entire address in one text is none of its lines.
    whole = {spec.name for spec in specs if _address_as_one_text(spec)}
    out = []
    for item in suggestions:
        group, _, leaf = item.target.rpartition(".")
        first = first_lines.get(group)
        if (
            first is not None
            and not item.source
            and leaf_tokens(leaf) == ("address",)
            and item.target not in whole
        ):
            item = replace(
                first,
                target=item.target,
                reason=f"the whole street: its first line, as {first.target} takes",
            )
        out.append(item)
    return out


# A region given twice: as the code of the ERP's region record, and by name.
_REGION_WORDS = {"state", "province", "region", "county"}
_RECORD_KEY_WORDS = {"code", "id"}


def _region_code_beside_region_name(
    suggestions: list[Suggestion], specs: list[FieldSpec]
) -> list[Suggestion]:
    """A province's code beside the province's name: the name takes the state.

    The code names a region record the ERP keeps (a country's provinces,
    "US-CA"), which Stripe's free-text state is not; the name field beside
    it takes the text as it is.
    """
    named = {
        (_row_of(spec.name), region)
        for spec in specs
        if "name" in leaf_tokens(spec.name)
        for region in set(leaf_tokens(spec.name)) & _REGION_WORDS
    }
    out = []
    for item in suggestions:
        words = set(leaf_tokens(item.target))
        if (
            item.source.endswith("state")
            and words & _RECORD_KEY_WORDS
            and any((_row_of(item.target), region) in named for region in words)
        ):
            item = _abstain_for(
                item, "the code of a region record beside its name: not Stripe's"
            )
        out.append(item)
    return out


def _region_beside_its_code(
    suggestions: list[Suggestion], specs: list[FieldSpec]
) -> list[Suggestion]:
    """province beside provinceCode in one address: the code takes the state.

    A record that keeps a region both bare and as its code (region and
    region_code) fills the code from a list and the bare one as free text
    where the country has none; Stripe's state, a code where the country
    has them, is the code's. A name said to be one (state_name) is told
    apart by _region_code_beside_region_name.
    """
    bare = {
        (_parent_of(spec.name), words[0]): i
        for i, spec in enumerate(specs)
        if len(words := [w for w in leaf_tokens(spec.name) if not w.isdigit()]) == 1
        and words[0] in _REGION_WORDS
    }
    coded = {
        i: bare[(_parent_of(spec.name), region)]
        for i, spec in enumerate(specs)
        if spec.type == STRING
        and len(words := [w for w in leaf_tokens(spec.name) if not w.isdigit()]) == 2
        and words[1] == "code"
        and (region := words[0]) in _REGION_WORDS
        and (_parent_of(spec.name), region) in bare
    }
    out = list(suggestions)
    for code, plain in coded.items():
        item = suggestions[plain]
        if not item.source.endswith("state"):
            continue
        if not suggestions[code].source.endswith("state"):
            out[code] = replace(
                item,
                target=suggestions[code].target,
                reason=f"{item.reason}; the region's code beside its free text",
            )
        out[plain] = _abstain_for(
            item, f"{suggestions[code].target} is the region's code: it takes the state"
        )
    return out


# A phone record's bare fields (a telecom number entity): its codes, its number.
_CALLING_CODES = ({"area", "code"}, {"country", "code"})
_PHONE_NUMBER_WORDS = {"contact", "number", "phone", "telephone", "tel"}


def _phone_in_parts(
    suggestions: list[Suggestion],
    specs: list[FieldSpec],
    profiles: dict[str, Profile],
) -> list[Suggestion]:
    """A phone number kept in parts (country code, area code, number).

    Beside a bare area code (the record is the phone), a country code is the
    phone's calling code, not the address's country, and the field for the
    number takes the phone: Stripe keeps it whole, as the customer typed it.
    """
    # A row with a street, city or postcode is an address with a phone in
    # it, whose country code is the address's.
    addressed = {
        _row_of(spec.name)
        for spec in specs
        if concepts(" ".join(leaf_tokens(spec.name))) & {"city", "postal", "street"}
    }
    rows = {
        _row_of(spec.name)
        for spec in specs
        if set(leaf_tokens(spec.name)) == {"area", "code"}
    } - addressed
    phone = next(
        (p for p in ("phone", "address.phone") if p in profiles),
        "",
    )
    # An identity document's number beside it (identification.number) is a
    # tax id, however near the phone's parts it sits.
    tax_ids = {spec.name for spec in specs if _tax_id_target(spec)}
    out = []
    for item in suggestions:
        words = set(leaf_tokens(item.target))
        in_phone_row = _row_of(item.target) in rows and item.target not in tax_ids
        if in_phone_row and words in _CALLING_CODES:
            if item.source:
                item = _abstain_for(
                    item, "a phone's calling code: Stripe keeps the number whole"
                )
        elif (
            in_phone_row
            and "number" in words
            and phone
            and words <= _PHONE_NUMBER_WORDS
        ):
            item = _suggest(
                FieldSpec(name=item.target),
                phone,
                [],
                0.9,
                "the number of a phone kept in parts: Stripe's phone",
            )
        out.append(item)
    return out


# Records a customer is kept as besides its own name (an address book entry).
_PARTY_RECORDS = {"address", "person", "account", "ref", "reference"}


def _looks_up(item: Suggestion, table: str) -> bool:
    return any(
        step["name"] == "lookup" and step.get("params", {}).get("table") == table
        for step in item.transforms
    )


# The parts of an address a record holding one is made of.
_ADDRESS_PART_CONCEPTS = {"city", "postal", "country", "state"}
_ADDRESS_RECORD_PARTS = 3
# What a name other than the party's names: a place, a line, an addressee
# (TownshipName, StreetSuffixName, CareOfName, POBoxLobbyName).
_PLACE_NAME_CONCEPTS = {
    "city",
    "state",
    "country",
    "postal",
    "line",
    "address",
    "care",
    "box",
}


def _party_key_on_an_address_record(
    suggestions: list[Suggestion], specs: list[FieldSpec], context: Context
) -> list[Suggestion]:
    """BusinessPartner on a record of city, postal code and country, no name.

    A record made of an address's parts that names no party (no name field)
    is an address added to a party that exists already; a key of that party
    on it is the customer made earlier, through the customer map, not the
    customer's own code in the ERP.
    """
    if context.object_type != "customer" or "id" not in context.paths:
        return suggestions
    leaves = [concepts(" ".join(leaf_tokens(spec.name))) for spec in specs]
    parts = {c for leaf in leaves for c in leaf & _ADDRESS_PART_CONCEPTS}
    if len(parts) < _ADDRESS_RECORD_PARTS or any(
        "name" in leaf and not leaf & _PLACE_NAME_CONCEPTS for leaf in leaves
    ):
        return suggestions
    out = []
    for item, spec in zip(suggestions, specs, strict=True):
        if (
            spec.type == STRING
            and not item.transforms
            and _reference_kind(spec, context) == "customer"
        ):
            item = _suggest(
                spec,
                "id",
                _lookup("customer"),
                0.9,
                "the party an address record is added to: the customer, through "
                "the customer map",
            )
        out.append(item)
    return out


def _nested_keys_of_other_records(
    suggestions: list[Suggestion], specs: list[FieldSpec], context: Context
) -> list[Suggestion]:
    """A key nested in another record's object (salesOrder.id) is not the
    object's own Stripe id.

    APIs that reference a record by an object holding its key name the key
    `<record>.id`; the record is one of the ERP's (a sales order, a sales
    channel, a credit note applied to an invoice) unless it is the object's
    own kind, and taken through no lookup it cannot be the object's own id.
    """
    own = concepts(context.object_type) if context.object_type else frozenset()
    out = []
    for item, spec in zip(suggestions, specs, strict=True):
        parts = _plain(item.target).split(".")
        if (
            item.source == "id"
            and not item.transforms
            and len(parts) > 1
            and parts[-1].lower() == "id"
            and not (own and concepts(parts[-2]) >= own)
            and not (
                # provider.id "the external record's id": the record's own key
                # outside the ERP, Stripe's; a list entry's is its line's.
                _OWN_EXTERNAL_KEY.search(spec.description or "")
                and not in_a_list(spec.name)
            )
        ):
            item = _abstain_for(
                item, f"the key of a record of the ERP's ({parts[-2]}): not Stripe's"
            )
        elif (
            item.source == "id"
            and not item.transforms
            and "reference" in concepts(spec.name)
            and _key_of_another_record(spec, own)
        ):
            # reasonReference "ID of a Page (Model) to reference in reason":
            # the key of a record the description names, not this object.
            item = _abstain_for(
                item,
                f"the key of a record of the ERP's ({_key_of_another_record(spec)}): "
                "not Stripe's",
            )
        elif (
            _looks_up(item, "customer")
            and len(parts) > 1
            and parts[-1].lower() == "id"
            and not set(tokens(parts[-2])) & (_CUSTOMER_WORDS | _PARTY_RECORDS)
            and not _customer_key_described(spec)
        ):
            item = _abstain_for(
                item, f"the key of a record of the ERP's ({parts[-2]}): not a party"
            )
        out.append(item)
    return out


# Documents a payment may settle, by which a date is named (invoice_date).
_SETTLED_DOCUMENTS = {"invoice", "order"}


def _settled_documents_date(
    suggestions: list[Suggestion], specs: list[FieldSpec], context: Context
) -> list[Suggestion]:
    """invoice_date beside a transaction's own date on a payment: no source.

    A payment record may carry the date of the invoice or order it settles
    beside dates of its own (date, book_date); Stripe's payment has its own
    date only, and the invoice paid is another object. A payment record
    whose only date is named for the document (an order made for the
    charge, OrderDate) is dated by it, as before; a date kept in a group
    named for the document (order.placedAt, invoiceInfo.issueDate) is the
    document's all the same: the group is that record's, not the payment's.
    """
    if context.object_type not in _PAYMENT_OBJECTS:
        return suggestions
    dates = [spec for spec in specs if spec.type in (DATE, DATETIME)]

    def documents(spec: FieldSpec) -> bool:
        return bool(set(leaf_tokens(spec.name)) & _SETTLED_DOCUMENTS)

    def documents_group(spec: FieldSpec) -> bool:
        group = _plain(spec.name).rpartition(".")[0].rpartition(".")[2]
        return bool(set(tokens(group)) & _SETTLED_DOCUMENTS)

    named = not all(documents(spec) for spec in dates)
    out = []
    for item, spec in zip(suggestions, specs, strict=True):
        if (
            item.source
            and spec in dates
            and ((named and documents(spec)) or documents_group(spec))
        ):
            item = _abstain_for(
                item, "the date of the document paid: not the payment's"
            )
        out.append(item)
    return out


def _one_closing_date(
    suggestions: list[Suggestion], specs: list[FieldSpec], context: Context
) -> list[Suggestion]:
    """closeOn beside expectedCloseOn: one takes the Stripe date.

    A deal made for an invoice closes when it is foreseen to, the invoice's
    due date, before a bare close date; one made for a payment closed when
    it was paid, the bare close date, before the close it foresaw.
    """
    closing = [
        index
        for index, (item, spec) in enumerate(zip(suggestions, specs, strict=True))
        if item.source and _closing_date_source(spec, context)
    ]
    foreseen = {index for index in closing if _foreseen_close(specs[index])}
    if not foreseen or len(foreseen) == len(closing):
        return suggestions
    kept = foreseen if context.object_type == "invoice" else set(closing) - foreseen
    return [
        _abstain_for(item, "another close date of the deal: not the document's")
        if index in closing and index not in kept
        else item
        for index, item in enumerate(suggestions)
    ]


# What names a document's own date (invoice_date, documentDate, DocDate).
_OWN_DOCUMENT_WORDS = {"invoice", "document", "doc", "invoiced"}


# A description naming the document's own date ("Document date").
_DOCUMENTS_DATE = re.compile(r"(?i)\b(document|invoice|doc)\s+date\b")


def _orders_date_beside_documents(
    suggestions: list[Suggestion], specs: list[FieldSpec], context: Context
) -> list[Suggestion]:
    """order_date beside invoice_date on an invoice: the order's, no source.

    An order that stands for the invoice is dated by it (orderDateTime); one
    beside the document's own date is the order the invoice was made from,
    which Stripe does not keep, as an order number beside the invoice's
    number is.
    """
    if context.object_type not in ("invoice", "credit_note"):
        return suggestions
    dates = [spec for spec in specs if spec.type in (DATE, DATETIME)]
    if not any(set(leaf_tokens(spec.name)) & _OWN_DOCUMENT_WORDS for spec in dates):
        return suggestions
    out = []
    for item, spec in zip(suggestions, specs, strict=True):
        leaf = set(leaf_tokens(spec.name))
        ordered = "order" in leaf and not leaf & _OWN_DOCUMENT_WORDS
        # SalesOrderDate "'Document Date'": the order is the document itself.
        ordered = ordered and not _DOCUMENTS_DATE.search(spec.description or "")
        if item.source and spec in dates and ordered:
            item = _abstain_for(item, "the date of the order: not the document's")
        out.append(item)
    return out


# A name's mark for the copy of an amount in the document's currency
# (DocTranAmt beside TranAmt), and for a copy in one of the company's
# reporting currencies, numbered (Rpt1TranAmt, Rpt2TranAmt).
_DOCUMENT_CURRENCY_MARK = "doc"
_REPORTING_CURRENCY_MARK = "rpt"


def _currency_copy(name: str) -> tuple[str, tuple[str, ...]]:
    """The copy an amount's name marks ("doc", "rpt" or ""), and its stem."""
    words = tokens(name.rsplit(".", 1)[-1])
    mark, stem = "", []
    for i, word in enumerate(words):
        if word == _REPORTING_CURRENCY_MARK:
            mark = word
        elif word.isdigit() and i and words[i - 1] == _REPORTING_CURRENCY_MARK:
            continue
        elif word == _DOCUMENT_CURRENCY_MARK and not mark:
            mark = word
        else:
            stem.append(word)
    return mark, tuple(stem)


def _amounts_in_currency_copies(
    suggestions: list[Suggestion], specs: list[FieldSpec]
) -> list[Suggestion]:
    """TranAmt, Rpt1TranAmt beside DocTranAmt: the document's copy only.

    An ERP that keeps each amount in several currencies names the copies
    of one column by a mark: Doc- for the document's currency, Rpt1-,
    Rpt2- for the company's reporting currencies, and the bare name for
    its base currency. Stripe's amount is in the document's currency: the
    reporting copies never take it, and the bare one does not when a
    document copy stands beside it.
    """
    families: dict[tuple[str, tuple[str, ...]], set[str]] = {}
    for spec in specs:
        if spec.type == DECIMAL:
            mark, stem = _currency_copy(spec.name)
            families.setdefault((_row_of(spec.name), stem), set()).add(mark)
    out = []
    for item, spec in zip(suggestions, specs, strict=True):
        if item.source and spec.type == DECIMAL:
            mark, stem = _currency_copy(spec.name)
            marks = families[(_row_of(spec.name), stem)]
            other_copy = mark == _REPORTING_CURRENCY_MARK or (
                not mark and _DOCUMENT_CURRENCY_MARK in marks
            )
            if other_copy and len(marks) > 1:
                item = _abstain_for(
                    item, "a copy in another currency: not the document's"
                )
        out.append(item)
    return out


# The words a key of each record is named by, beside its key word.
_RECORD_NAMES = {
    "customer": {"customer", "cust", "client", "debtor"},
    "invoice": {"invoice", "inv", "invc"},
    "country": {"country"},
}
_KEY_WORDS = {"id", "num", "number", "no", "nr", "code", "key", "ref"}


def _named_for_the_record(target: str, table: str) -> bool:
    """CustID, CustNum, InvoiceNum: the record's word and a key word only."""
    words = set(tokens(target.rsplit(".", 1)[-1]))
    return bool(words & _RECORD_NAMES[table]) and words <= (
        _RECORD_NAMES[table] | _KEY_WORDS
    )


def _parent_of(target: str) -> str:
    """The group a target sits in (Invoice for Invoice.CustNum), or ""."""
    return target.rsplit(".", 1)[0] if "." in target else ""


# The records a key resolves through the id map that a row has one of.
_REFERENCED_RECORDS = ("customer", "invoice", "country")
# A record of at least this many fields is a full table row of the ERP's,
# with columns it fills itself beside the few an integration sends.
_WIDE_ROW = 150
# What names the record's own document or transaction, as its date's only
# qualifier (InvoiceDate, DocDate, TranDate, voucherDate).
_DOCUMENT_DATE_OWNERS = {"invoice", "document", "transaction", "receipt", "voucher"}
# The words that name a date as one, as written (TranDate, EntryTimestamp).
_DATE_WORDS = {"date", "time", "timestamp", "datetime", "dt", "on", "at"}


def _named_for_the_document(spec: FieldSpec) -> bool:
    """InvoiceDate, TranDate: one word before the date, naming the document.

    The words are counted as written: a prefix the lexicon drops
    (EInvTimestamp, an e-invoice's stamp) still makes it another thing's.
    """
    qualifiers = concepts(spec.name) - {"date", "time"}
    written = set(tokens(spec.name)) - _DATE_WORDS
    return (
        len(qualifiers) == 1
        and len(written) == 1
        and qualifiers <= _DOCUMENT_DATE_OWNERS
    )


def _document_date_in_a_wide_row(
    suggestions: list[Suggestion], specs: list[FieldSpec]
) -> list[Suggestion]:
    """ClosedDate, ChangeDate beside InvoiceDate in a full table row: none.

    A row of hundreds of columns dates the record many times over: when it
    was changed, closed, posted, certified, exported. Where one date is
    named for the document itself (InvoiceDate, TranDate), it alone takes
    the Stripe date; the others of its row that claim the same one are
    dates the ERP keeps of its own. A narrow record's second date (an
    accounting date beside the invoice's) is left as it was.
    """
    if len(specs) < _WIDE_ROW:
        return suggestions
    owned = {
        (_row_of(item.target), item.source)
        for item, spec in zip(suggestions, specs, strict=True)
        if item.source
        and spec.type in (DATE, DATETIME)
        and _named_for_the_document(spec)
    }
    out = []
    for item, spec in zip(suggestions, specs, strict=True):
        if (
            item.source
            and spec.type in (DATE, DATETIME)
            and (_row_of(item.target), item.source) in owned
            and not _named_for_the_document(spec)
        ):
            item = _abstain_for(item, "another date of the record: not the document's")
        out.append(item)
    return out


def _fits_better(item: Suggestion, winner: Suggestion) -> str:
    return f"{item.source} fits {winner.target} better"


def _keep_the_best_claim(
    suggestions: list[Suggestion],
    key_of: Callable[[int], tuple | None],
    rank: Callable[[int], tuple],
    reason: Callable[[Suggestion, Suggestion], str],
    keeps: Callable[[int], bool] = lambda index: False,
) -> list[Suggestion]:
    """Of the suggestions sharing a key (None: none), the best ranked keeps it.

    The others abstain, saying why, unless `keeps` lets one stand beside it.
    """
    best: dict[tuple, int] = {}
    for index in range(len(suggestions)):
        key = key_of(index)
        if key is not None and (key not in best or rank(index) > rank(best[key])):
            best[key] = index
    out = []
    for index, item in enumerate(suggestions):
        key = key_of(index)
        if key is not None and best[key] != index and not keeps(index):
            item = _abstain_for(item, reason(item, suggestions[best[key]]))
        out.append(item)
    return out


def _one_amount_per_source_in_a_wide_row(
    suggestions: list[Suggestion], specs: list[FieldSpec]
) -> list[Suggestion]:
    """DocAppliedAmt, DocWithholdAmt beside DocTranAmt in a full row: none.

    A row of hundreds of columns keeps many amounts of its own beside the
    one an integration sends: applied, unapplied, withheld, deposited,
    converted. Where several claim the same Stripe amount, one keeps it:
    the copy in the document's currency before another, then the likelier,
    then the first in the row (an ERP lists a record's main columns
    first); the others abstain. A narrow record's amounts (a net and a
    gross both read as the total) are left as they were.
    """
    if len(specs) < _WIDE_ROW:
        return suggestions

    def key_of(index: int) -> tuple | None:
        item = suggestions[index]
        if not item.source or specs[index].type != DECIMAL:
            return None
        return (_row_of(item.target), item.source, repr(item.transforms))

    def rank(index: int) -> tuple:
        item = suggestions[index]
        mark, _ = _currency_copy(item.target)
        return (mark == _DOCUMENT_CURRENCY_MARK, item.confidence, -index)

    return _keep_the_best_claim(suggestions, key_of, rank, _fits_better)


def _one_ranked_claim_per_source_in_a_wide_row(
    suggestions: list[Suggestion], specs: list[FieldSpec]
) -> list[Suggestion]:
    """ExtID, CrmExternalID, BillToCountry beside ExternalID, Country: none.

    A row of hundreds of columns holds, beside the record's own key and
    address, other systems' keys, other addresses' places and references
    to the ERP's own records, each in a family of prefixed columns. Where
    several of them are ranked onto the same Stripe field, only the
    likeliest keeps it (then the name with fewer words the lexicon cannot
    read, as a family's prefix is, then the shorter, the higher score, the
    first in the row);
    the others abstain. A field a rule read (a lookup, a check's
    reference) is left as it was, and so is a narrow record.
    """
    if len(specs) < _WIDE_ROW:
        return suggestions

    def key_of(index: int) -> tuple | None:
        item = suggestions[index]
        ranked = bool(item.source and item.alternatives)
        if not ranked or specs[index].type in (DATE, DATETIME, DECIMAL):
            return None
        return (_row_of(item.target), item.source)

    def rank(index: int) -> tuple:
        item = suggestions[index]
        words = tokens(item.target.rsplit(".", 1)[-1])
        unread = sum(not known_word(word) for word in words)
        return (item.confidence, -unread, -len(words), item.score, -index)

    return _keep_the_best_claim(suggestions, key_of, rank, _fits_better)


def _one_reference_per_record_in_a_wide_row(
    suggestions: list[Suggestion], specs: list[FieldSpec]
) -> list[Suggestion]:
    """SoldToCustNum, ShipToCustNum beside CustNum in a full row: none.

    A row of hundreds of columns keys the record to its customer and again
    to the same customer in each role the ERP keeps apart (sold to, shipped
    to, billed to), and its address's country again for each other address
    it keeps (BTCountryNum, FFCountryNum). Where several keys resolve the
    same Stripe record through the id map (or the country table), the
    plainest name (the fewest words) keeps it, then the first in the row;
    the roles' keys are the ERP's to fill from it. A key named for the
    record alone (CustID beside CustNum: the customer's code and its
    number) keeps it too. A narrow record's keys are left as they were.
    """
    if len(specs) < _WIDE_ROW:
        return suggestions

    def key_of(index: int) -> tuple | None:
        item = suggestions[index]
        table = _lookup_table(item)
        if not item.source or table not in _REFERENCED_RECORDS:
            return None
        return (_parent_of(item.target), item.source, table)

    def rank(index: int) -> tuple:
        words = tokens(suggestions[index].target.rsplit(".", 1)[-1])
        return (-len(words), -index)

    def keeps(index: int) -> bool:
        item = suggestions[index]
        return _named_for_the_record(item.target, _lookup_table(item))

    def reason(item: Suggestion, winner: Suggestion) -> str:
        return f"the {_lookup_table(item)} is {winner.target}'s: another role"

    return _keep_the_best_claim(suggestions, key_of, rank, reason, keeps)


def _country_beside_its_records_key(
    suggestions: list[Suggestion], specs: list[FieldSpec]
) -> list[Suggestion]:
    """Country beside CountryNum (the country record's key): its name.

    A record that keys its country by the ERP's own country record keeps a
    plain Country beside it for people to read: the country's name, not
    the ISO code the record's key already stands for. A field named for
    a code (IsoCountry, CountryCode) keeps the code, and a plain country
    beside it (country beside country_code) is the name. So is a plain
    country above an address that gives the same country's code (country
    beside address.0.country_code): the record's own country, for people.
    An address's country kept flat beside its code (address_country beside
    address_country_code) is the same.
    """
    keyed = {
        (_parent_of(item.target), item.source)
        for item in suggestions
        if item.source
        and (
            _lookup_table(item) == "country"
            or not item.transforms
            and _names_a_country_code(item.target)
        )
    }
    keyed |= {
        (above, item.source)
        for item in suggestions
        if item.source
        and not item.transforms
        and _names_a_country_code(item.target)
        and "address" in concepts(_parent_of(item.target))
        for above in _groups_above(_parent_of(item.target))
    }
    out = []
    for item, spec in zip(suggestions, specs, strict=True):
        leaf = item.target.rsplit(".", 1)[-1]
        words = set(tokens(leaf))
        if (
            spec.type == STRING
            and item.source
            and not item.transforms
            and (_parent_of(item.target), item.source) in keyed
            and (
                words - {"address"} == {"country"}
                or len(words) == 1
                and concepts(leaf) == {"country"}
            )
        ):
            steps = [{"name": "country_code", "params": {"to": "name"}}]
            item = replace(item, transforms=steps)
        out.append(item)
    return out


def _groups_above(group: str) -> list[str]:
    """address.0 lies in "" and in address: the groups that hold it."""
    parts = group.split(".")
    return [".".join(parts[:end]) for end in range(len(parts))]


def _names_a_country_code(target: str) -> bool:
    """country_code, IsoCountry: a field named for the country's code."""
    leaf = target.rsplit(".", 1)[-1]
    return "country" in concepts(leaf) and bool(set(tokens(leaf)) & {"code", "iso"})


# A description naming the ISO standard of country codes ("ISO 3166-1").
_ISO_COUNTRY_STANDARD = re.compile(r"(?i)\biso\b")


def _numeric_country_code_mapped(
    suggestions: list[Suggestion], specs: list[FieldSpec]
) -> list[Suggestion]:
    """countryCode int "the country code (ISO 3166-1)" ← a country: mapped.

    Stripe's countries are ISO alpha-2 codes, two letters; a country code
    typed as a number and described by the ISO standard is the standard's
    numeric code (826 for GB), which no format of the letters gives, so the
    letters go onto it through a value map. A country's key typed as a
    number (country_id) is the ERP's own record, looked up, and is left.
    """
    out = []
    for item, spec in zip(suggestions, specs, strict=True):
        if (
            # int? (C#, Kotlin): a number that may be null is still a number
            (spec.type or "").rstrip("?") == INT
            and item.source.rsplit(".", 1)[-1] == "country"
            and not item.transforms
            and _names_a_country_code(item.target)
            and _ISO_COUNTRY_STANDARD.search(spec.description or "")
        ):
            item = replace(item, transforms=_value_map())
        out.append(item)
    return out


def _tax_status_mapped(suggestions: list[Suggestion]) -> list[Suggestion]:
    """TaxExempt "the reason the customer is exempt" ← tax_exempt: mapped.

    Stripe's tax status is one of its own three codes (none, exempt,
    reverse); an ERP's field for it holds its own (a reason code, yes or
    no), so the codes go onto it through a value map, never as they are.
    https://docs.stripe.com/api/customers/object#customer_object-tax_exempt
    """
    out = []
    for item in suggestions:
        if item.source.rsplit(".", 1)[-1] == "tax_exempt" and not item.transforms:
            steps = _value_map()
            item = replace(item, transforms=steps)
        out.append(item)
    return out


# A description listing Stripe's own credit note reasons: the codes as they are.
_STRIPES_CREDIT_REASONS = re.compile(r"(?i)\bduplicate\b.*\bfraudulent\b")
# What says a reason is one of the ERP's codes, not free text: it is called a
# code, symbol or id, or given by an example of its values; or it is not
# documented beyond its name.
_REASON_CODED = re.compile(r"(?i)\b(?:code|symbol|id|example)\b")
_UNDOCUMENTED = re.compile(
    r"(?i)\bonly\s+repeats\s+the\s+name\b|\bno\s+documentation\b"
)


def _coded_reason(spec: FieldSpec) -> bool:
    description = spec.description or ""
    return (
        not description.strip()
        or bool(_REASON_CODED.search(description))
        or bool(_UNDOCUMENTED.search(description))
    )


def _credit_reason_mapped(
    suggestions: list[Suggestion], specs: list[FieldSpec], context: Context
) -> list[Suggestion]:
    """CMReason, correction_reason ← a credit note's reason: mapped.

    Stripe's credit note reason is one of its own four codes (duplicate,
    fraudulent, order_change, product_unsatisfactory); a field named a
    reason on an ERP's credit note, called a code or symbol, shown by an
    example value or not documented at all, holds the ERP's own reason
    codes, so Stripe's go onto them through a value map, unless it lists
    Stripe's. One described as the reason's text is copied.
    https://docs.stripe.com/api/credit_notes/object#credit_note_object-reason
    """
    if context.object_type != "credit_note":
        return suggestions
    out = []
    for item, spec in zip(suggestions, specs, strict=True):
        if (
            item.source == "reason"
            and not item.transforms
            and "reason" in tokens(item.target.rsplit(".", 1)[-1])
            and not _STRIPES_CREDIT_REASONS.search(spec.description or "")
            and _coded_reason(spec)
        ):
            steps = _value_map()
            item = replace(item, transforms=steps)
        out.append(item)
    return out


# A type naming an enumeration of the API's own whose values it does not list
# ("RefundReason (enum)", as a generated client prints it).
_NAMED_ENUMERATION = re.compile(r"\w+\s*\(\s*enum\s*\)")


def _enumerated_reason_mapped(
    suggestions: list[Suggestion], specs: list[FieldSpec]
) -> list[Suggestion]:
    """reason "RefundReason (enum)" ← Stripe's reason: mapped.

    Stripe's reasons are its own codes (duplicate, fraudulent, …); a field
    typed as an enumeration of the API's own takes only its own values, so
    Stripe's go onto them through a value map, never as they are. A reason
    typed as text is copied.
    https://docs.stripe.com/api/refunds/object#refund_object-reason
    """
    out = []
    for item, spec in zip(suggestions, specs, strict=True):
        if (
            item.source.rsplit(".", 1)[-1] == "reason"
            and not item.transforms
            and _NAMED_ENUMERATION.fullmatch(spec.type or "")
        ):
            item = replace(item, transforms=_value_map())
        out.append(item)
    return out


# A date format written out, by its year ("YYYY-MM-DD", "DD.MM.YYYY"), or a
# type stated as a day without a time (XML Schema's xsd:date, OpenAPI's
# format: date, not date-time).
_OWN_DATE_FORMAT = re.compile(r"(?i)\byyyy\b|\bxsd:date\b|\bformat\W+date\b(?![-\w])")


def _dates_in_one_format(
    suggestions: list[Suggestion], specs: list[FieldSpec]
) -> list[Suggestion]:
    """paymentPlannedMoment beside moment "YYYY-MM-DD HH:MM:SS": timed too.

    An API writes its record's dates one way: where one date's description
    gives a format with the time of day, a date that gives no format or
    type of its own is written with it too.
    """
    timed = any(
        spec.type == DATE and _TIME_OF_DAY_FORMAT.search(spec.description or "")
        for spec in specs
    )
    if not timed:
        return suggestions
    out = []
    for item, spec in zip(suggestions, specs, strict=True):
        steps = item.transforms
        if (
            spec.type == DATE
            and steps
            and steps[0]["name"] == "unix_to_date"
            and not _OWN_DATE_FORMAT.search(spec.description or "")
        ):
            item = replace(item, transforms=[{**steps[0], "name": "unix_to_datetime"}])
        out.append(item)
    return out


# The payment provider whose objects are the source, as a group names it
# (payment.stripe, payment.0.stripe).
_STRIPE_GROUP = "stripe"


def _means_beside_stripes_group(
    suggestions: list[Suggestion], specs: list[FieldSpec]
) -> list[Suggestion]:
    """payment.paypal.payer_id, payment.card.number beside payment.stripe.*.

    A payment whose data is kept in one group per provider or means (a
    group named for Stripe, one for PayPal, one for a card's raw data) fills
    only the group named for Stripe from a Stripe object; a group beside it
    named by a word the lexicon does not read (a provider's name, card,
    cash) is another means's, whose ids and card data Stripe does not hold.
    """
    parents = set()
    for spec in specs:
        parts = spec.name.split(".")
        for index, part in enumerate(parts[:-1]):
            if tokens(part) == (_STRIPE_GROUP,):
                parents.add(tuple(parts[:index]))
    if not parents:
        return suggestions
    out = []
    for item, spec in zip(suggestions, specs, strict=True):
        parts = spec.name.split(".")
        beside = next(
            (
                parts[len(parent)]
                for parent in parents
                if len(parts) > len(parent) + 1
                and tuple(parts[: len(parent)]) == parent
            ),
            "",
        )
        words = tokens(beside)
        if (
            item.source
            and len(words) == 1
            and words[0] != _STRIPE_GROUP
            and not words[0].isdigit()
            and not known_word(words[0])
        ):
            item = _abstain_for(item, f"another means's data ({beside}): not Stripe's")
        out.append(item)
    return out
