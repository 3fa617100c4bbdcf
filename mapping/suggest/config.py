"""Targets Stripe does not fill: settings, and values of something else.

Ledger settings the integration fills (an option, or an abstention), the
e-mail that sends a document, the buyer's own references, numbers from the
ERP's series, prefixes and suffixes, amounts in another currency, payments
given with a document, and dates or fields of another thing (a discount,
mandate or original document).
"""

import math
import re
from dataclasses import replace

from ..schemas import DATE, DECIMAL, FLAG, INT, LINES, STRING, FieldSpec
from .identity import _party_tax_code
from .names import _FORM_WORDS, concepts, name_similarity, tokens
from .suggestion import Context, Suggestion, _abstain, _suggest
from .transforms import _described_in_minor_units
from .values import DATETIME, Profile
from .words import (
    _CONFIG_WORDS,
    _CUSTOMER_WORDS,
    _EARLIER_DOCUMENTS,
    _FREE_FORM_NUMBER,
    _GLUED_SPAN_BOUND,
    _HTTP_REQUEST,
    _ID_WORDS,
    _KIND_WORDS,
    _MESSAGE_OWNERS,
    _MONEY_KINDS,
    _OWN_SIDE,
    _PAYMENT_EVENTS,
    _PAYMENT_OBJECTS,
    _PAYMENTS_KEY_DESCRIBED,
    _SIDES,
    _STREET_DESCRIBED,
    _TAXES_WORDS,
    _VAT_WORDS,
    _WITH_TAX,
    _described_as_note,
    _described_street_line,
    _described_text,
    _describes_text,
    _mentions,
    _party_side,
    _plain,
    _quoted_description,
    _sent_goods_address,
    _words,
    in_a_list,
    leaf_tokens,
)

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
    "cat",  # TaxCat: the category written short
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
# Parts of an address, named and described as one: a party's, whatever
# record the description says they are given in (STATE "The State name
# provided in the ledger"); a town "of the bank account" is the account's.
_PLACE_PARTS = {"city", "state", "postal", "country"}
_GIVEN_IN = re.compile(r"(?i)\b(provided|entered|given|kept|recorded|stored)\s+in\b")
# A clause after the field's description saying what fills it when left out
# ("; default: that of the account"): the account there is the fallback's,
# not what the field is.
_FALLBACK_CLAUSE = re.compile(r"(?i)[;(,]\s*defaults?\b[^.;)]*")
# A bracket placing the field in the request that sends it ("(Create
# Account request body, …)"): the record the call makes is the one sent,
# named there as the call is, not a ledger setting the field holds.
_REQUEST_PLACE = re.compile(r"(?i)\([^()]*\brequest\s+body\b[^()]*\)")
# What a description names when the field is a ledger setting.
_SETTING_NOUNS = {"account", "journal", "daybook", "terms", "warehouse", "ledger"}
# An amount described as kept in an account's units ("the split's amount in
# the account's commodity"): the money posted, counted as the account counts
# it; the account is its unit there, not what the field is.
_IN_ACCOUNTS_UNITS = re.compile(r"(?i)\bamount\s+in\s+(the\s+)?accounts?'?s?\b")
# An account's or a card's holder is a person, the payer: "City of the
# account holder" is the payer's address, not a ledger setting.
_HOLDERS = {"holder", "holders", "cardholder"}
# What names a ledger account by the side of the books it posts to.
_LEDGER_SIDES = {"income", "revenue", "expense", "expenses"}


# A whole number described as a switch: "1 when the invoice is paid", "1 = yes".
_SWITCH = re.compile(r"\b1\s*(=|when\b|if\b)|\b0\s*(=|or\s*1\b)")
# A description that opens as a yes/no question: "Whether it is captured".
_WHETHER = re.compile(r"(?i)^\W*whether\b")
# The verb a switch's name opens with (SuppressTotal, IsPaid, hide_prices).
_SWITCH_VERBS = {"is", "has", "suppress", "hide", "show", "allow", "enable", "disable"}


# Words in quotes standing for yes and no ('"ORIGINAL" = yes; "NONE" = no');
# a number for yes (tva_assuj "Subject to VAT: 1=yes") is a flag of a fact.
_CODED_YES_NO = re.compile(
    r"(?i)[\"'][a-z_]+[\"']\s*=\s*(yes|true|on)\b[^.]*?"
    r"[\"'][a-z_]+[\"']\s*=\s*(no|false|off)\b"
)


def _coded_switch(spec: FieldSpec) -> bool:
    """notification '"ORIGINAL" = yes; "NONE" = no': a switch kept as codes.

    Whether to do a thing (notify the customer) is the integration's choice,
    whatever the codes' words name (the original order).
    """
    return bool(_CODED_YES_NO.search(spec.description or ""))


def _switch_number(spec: FieldSpec) -> bool:
    """A flag kept as a whole number, by its description or its name's verb."""
    if spec.type != INT:
        return False
    # Split by hand: "is" is a stop word to tokens().
    leaf = _plain(spec.name).rsplit(".", 1)[-1]
    words = re.findall(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])", leaf)
    description = spec.description or ""
    return (
        bool(_SWITCH.search(description))
        or bool(_WHETHER.match(description))
        or (bool(words) and words[0].lower() in _SWITCH_VERBS)
    )


# A description that says a key takes the sending system's own key.
_EXTERNAL_KEY = re.compile(r"(?i)\bext(ernal)?[-_ ]?(id|key|reference|system)\b|\bext-")
# "Custom account ID assigned by you": a key the API's user gives the record.
_ASSIGNED_BY_YOU = re.compile(
    r"(?i)\b(id|identifier|key)\s+(assigned|given|chosen|set)\s+by\s+you\b"
)


def _keyed_by_the_sender(spec: FieldSpec, context: Context) -> bool:
    """A key of the customer's record (or of a part of it, its location) that
    takes the sending system's key: written from Stripe, not chosen.

    A setting is a record of the ERP's the integration picks; no one keys
    it by an external system's id. Only on a customer, whose parts (an
    address, a location) Stripe keeps on the customer itself.
    """
    if context.object_type != "customer" or spec.type != STRING:
        return False
    if _ASSIGNED_BY_YOU.search(spec.description or ""):
        return True  # lookup.custom "custom account ID assigned by you"
    words = [t for t in leaf_tokens(spec.name) if not t.isdigit()]
    return (
        bool(words)
        and concepts(words[-1]) == {"id"}
        and bool(_EXTERNAL_KEY.search(spec.description or ""))
    )


# A payment card, whose brand and digits a charge made with it carries (a
# refund does not say which card it went back to).
_CARD_WORDS = {"card", "cards"}


def _customer_as_account(spec: FieldSpec, context: Context) -> bool:
    """Account.Debtor.Name on a customer: the account is the customer itself.

    A CRM or an old ERP sends its customer as the account (relation) it is,
    every field grouped below it; the root's word names the record, not a
    ledger account or another setting, as a bare AccountName on a customer
    is its name.
    """
    root, dot, _ = spec.name.partition(".")
    return (
        context.object_type == "customer" and bool(dot) and tokens(root) == ("account",)
    )


def _of_the_account_it_is(spec: FieldSpec, context: Context) -> bool:
    """note "Some note about this account" on a customer: the customer's own.

    A shop or a CRM keeps its customer as an account; a field described as
    of this account, or as the account's id, is of the record sent (its
    note, its preferred currency, the id it is found by), not a ledger
    account set up in the books.
    """
    return context.object_type == "customer" and bool(
        _THIS_ACCOUNT.search(spec.description or "")
    )


# "used by this account", "The account ID": the account the record is.
_THIS_ACCOUNT = re.compile(r"(?i)\bthis\s+account\b|^\W*(the\s+)?account\s+id\b")


# Words for a party as a legal record (a fiscal entity): what "fiscal"
# qualifies then is whom a document is made out to.
_PARTY_RECORD_WORDS = {"entity", "entities"}


# Setting words that say how something is done or what kind it is: a name
# ending in one is that choice, whatever it names before (email.subtype
# "work, personal": a kind of the e-mail, no address).
_MANNER_WORDS = {"mode", "method", "type", "subtype"}


# What a request does, named (actionName, operation_name): the API's own
# choice of call, not a name of Stripe's.
_ACTION_WORDS = {"action", "operation", "command"}


def _names_an_action(spec: FieldSpec) -> bool:
    """actionName "Name of the action to post": the request's action."""
    leaf = leaf_tokens(spec.name)
    return len(leaf) == 2 and leaf[0] in _ACTION_WORDS and leaf[1] == "name"


def _amount_in_accounts_units(spec: FieldSpec) -> bool:
    """quantity "the split's amount in the account's commodity": money.

    A journal leg keeps what it posts twice, in the document's currency and
    in the units of the account it posts to; both are the payment's amount,
    and the account named is the unit, not a setting the field holds.
    """
    return spec.type in (DECIMAL, INT) and bool(
        _IN_ACCOUNTS_UNITS.search(spec.description or "")
    )


def _is_config(spec: FieldSpec, context: Context) -> bool:
    words = _words(spec)
    if spec.type == FLAG:
        return True
    if _customer_as_account(spec, context):
        # Account.Addresses.Address.0.City: read below the account it is.
        return _is_config(replace(spec, name=spec.name.split(".", 1)[1]), context)
    if _of_the_account_it_is(spec, context):
        return False  # note "Some note about this account": the customer's own
    if _switch_number(spec):
        return True  # Paid "1 when the invoice is paid": a flag kept as a number
    if _names_an_action(spec):
        return True  # operationName: the call's own choice, no party's name
    if _described_as_note(spec):
        return False  # terms "Notes: the one free text on the invoice"
    if _keyed_by_the_sender(spec, context):
        return False  # locationIdentifier "…, or ext-<ExternalSystem>-<Key>"
    if {"price", "list"} <= words or "pricelist" in words:
        return True  # the price list a document is priced from: a setting
    leaf = leaf_tokens(spec.name)
    if spec.type == STRING and leaf and leaf[-1] == "kind":
        # kind "Kind of payment (example "api")", sales_kind: a kind named
        # as such is a choice of the ERP's, as a mode or type named last is.
        return True
    text = _REQUEST_PLACE.sub(" ", _FALLBACK_CLAUSE.sub(" ", _described_text(spec)))
    described = set(tokens(text))
    if (
        described & _SETTING_NOUNS
        and not described & (_CUSTOMER_WORDS - {"entity"} | _HOLDERS)
        and not concepts(spec.name)
        & (_CONTENT | {"amount", "customer", "number", "code", "id"})
        and not (
            concepts(spec.name) & concepts(text) & _PLACE_PARTS
            and _GIVEN_IN.search(text)
        )
        and not _amount_in_accounts_units(spec)
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
    # A list of them (tax_codes) is named in the plural.
    singular = {w[:-1] for w in words if w.endswith("s")}
    if (
        "tax" in concepts(spec.name)
        and (words | singular) & _TAX_SETTINGS
        and "currency" not in concepts(spec.name.rsplit(".", 1)[-1])
        and not _party_tax_code(spec)
    ):
        # A tax code, schedule or zone is a setting; a tax id is not (a
        # party's tax code described as its tax number), nor the currency
        # code of a tax amount (tax_total.currency_code).
        return True
    if "nominal" in words | described and spec.type != DECIMAL:
        # A nominal code is a ledger account's code (UK bookkeeping); a
        # nominal amount is another thing.
        return True
    if "our" in words and "number" not in described:
        # OurReference, OurContact: the seller's own person, a setting; one
        # described as a reference number is the record's own number.
        return True
    if "account" in words | described and (words | described) & _LEDGER_SIDES:
        return True  # "Default income account code": a ledger account
    if not words & _CONFIG_WORDS:
        return False
    if words & _CONFIG_WORDS == {"charges"} and re.search(
        r"(?i)(^|\.)charges\.\d+\.", spec.name
    ):
        # charges.0.amount: a list of the payments made on an order, each a
        # charge of its own, not the bank's charges (a fee set up once).
        return False
    if words & _CONFIG_WORDS == {"fiscal"} and words & _PARTY_RECORD_WORDS:
        # fiscal_entity.address.city: the party as its tax authority knows
        # it (its legal name, address and tax id), not the books' fiscal
        # year or period.
        return False
    if (
        words & _CONFIG_WORDS == {"shipment"}
        and _sent_goods_address(spec.name)
        and concepts(spec.name.rsplit(".", 1)[-1]) & (_PLACE_PARTS | {"line"})
    ):
        # shipmentDetails.address.city: a place of the address a shipment's
        # goods go to, the shipping address's, not a shipment method set up
        # in the ERP.
        return False
    leaf_name = spec.name.rsplit(".", 1)[-1]
    last = concepts(leaf_name)
    if (
        "shipping" in last
        and last & (_PLACE_PARTS | {"address", "name"})
        and not _words(replace(spec, name=leaf_name)) & _CONFIG_WORDS
    ):
        # shipmentDetails.shipCity, shipmentInfo.shipName,
        # data_level2.shipping_address_city: a part of the address the goods
        # are shipped to, named as such, not a shipment method or any other
        # setting its group is named for.
        return False
    if words & _CONFIG_WORDS == {"person"} and concepts(spec.name) & _SIDES:
        # billingPerson.city: the person an address side is made out to is
        # the party itself, not a person set up in the ERP.
        return False
    if (
        words & _CONFIG_WORDS == {"user"}
        and concepts(spec.name.rsplit(".", 1)[-1]) & _PLACE_PARTS
    ):
        # userDetails.city "The city of the user": a user with an address of
        # their own is the person paying, not a user set up in the ERP.
        return False
    if words & _CONFIG_WORDS == {"location"} and last & (
        _PLACE_PARTS | {"address", "line", "street"}
    ):
        # location.city, location.address1 "First line of street address":
        # a part of the address a party is found at, not a stock location
        # set up in the ERP.
        return False
    skipped = {"id", "ids", "uid", "guid", "ref", "value", "code", "no", "num"}
    named = [t for t in tokens(_plain(spec.name)) if t not in skipped]
    head = named[-1] if named else ""
    if head == "name" and named[:-1] == ["person"] and not _persons_role(spec):
        # Person.Name "the debtor person: the whole name", or an enquiry's
        # bare person name: the person is the party the record is of,
        # described so or in no role, not one set up in the ERP.
        return False
    if head in ("name", "label") and set(named[:-1]) & _CONFIG_WORDS:
        # TermName, BankName, paymentTermLabel: a settings record's name; on a
        # customer, a bare AccountName is the name of the account it is (a
        # CRM's word for the customer).
        return not (context.object_type == "customer" and named[:-1] == ["account"])
    if head in _MANNER_WORDS:
        # emailAttachmentDeliveryMode, phone_type: how the thing named first
        # is done or what kind it is, a choice of the ERP's (head-final).
        return True
    if concepts(_plain(spec.name)) & {"phone", "email"}:
        return False  # phone_office, branchEmail: a contact number, whoever answers
    if (
        words & _CARD_WORDS
        and head not in _CONFIG_WORDS
        and context.object_type == "charge"
    ):
        # paymentMethod.card.brand: a fact of the card paid with, which the
        # payment carries, not the method the ERP is set up with.
        return False
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
    if words & {"account", "acct"} and _CUSTOMERS_ACCOUNT.search(
        spec.description or ""
    ):
        return False  # account_id "customer account ID": the customer's record
    return not ("type" in words and spec.type in (DECIMAL, DATE))


# An account described as a customer's ("customer account ID", "the
# client's account"): the record a billing system keeps of the customer, not
# a ledger account of the books.
_CUSTOMERS_ACCOUNT = re.compile(
    r"(?i)\b(?:customer|client|debtor|buyer|payer)(?:'s)?\s+account\b"
)


# Amounts the bookkeeping makes up on its own: a write-off, an adjustment or
# rounding entered by hand, an opening balance carried over from an older
# ledger. Stripe's amounts and balance are none of these. Nor is what a
# payment leaves over or short of the documents it is allocated to (an
# over- or under-payment, an unallocated rest): the ERP works it out.
_BOOKKEEPING_AMOUNTS = (
    {"writeoff"},
    {"write", "off"},
    {"adjustment"},
    {"adjustments"},
    # A custom amount: one entered by hand beside the lines, an adjustment
    # by another name.
    {"custom", "amount"},
    {"opening", "balance"},
    # The word splits as it is read (overpayment → over, payment).
    {"over", "payment"},
    {"under", "payment"},
    {"over", "under"},
    {"unallocated"},
)


# What is still owed on a document, named open or outstanding (open_amt,
# outstandingAmount): the ERP sets it to the total and lowers it as payments
# are applied. Only the name says so; a description may mention outstanding
# invoices a payment pays.
_STILL_OWED = {"open", "outstanding"}


# Figures the books work out about a document once it is entered: the
# salesperson's commission on it, the gain or loss its exchange rate made by
# payment, the part the bank cleared. Stripe's amounts are none of these.
_BOOKS_OWN_FIGURES = ({"commission"}, {"gain", "loss"}, {"cleared"})


def _books_own_figure(spec: FieldSpec) -> bool:
    """CommissionAmt, "realized gain or loss", "cleared amount": the books'."""
    if spec.type != DECIMAL:
        return False
    words = set(tokens(_plain(spec.name))) | set(tokens(spec.description or ""))
    return any(group <= words for group in _BOOKS_OWN_FIGURES)


# A subtotal named as such (OrderSubtotal, sub_total): the sum of a
# document's lines, which a payment does not itemise.
_SUBTOTAL_GROUPS = ({"subtotal"}, {"sub", "total"})


# A subtotal with the tax in it (OrderSubtotalInclTax, sub_total_gross):
# Stripe's subtotal is before tax, its total after discounts too, so neither
# is it.
_SUBTOTAL_GROSS = _WITH_TAX | {"gross"}


def _subtotal_with_tax(spec: FieldSpec) -> bool:
    """OrderSubtotalInclTax, sub_total_gross: a subtotal Stripe does not give."""
    words = set(leaf_tokens(spec.name))
    return (
        spec.type in (DECIMAL, INT)
        and bool(words & _SUBTOTAL_GROSS)
        and any(group <= words for group in _SUBTOTAL_GROUPS)
    )


def _payments_subtotal(spec: FieldSpec, context: Context) -> bool:
    """OrderSubtotalExclTax on a charge: Stripe's payment has one amount."""
    words = set(leaf_tokens(spec.name))
    return (
        context.object_type in _PAYMENT_OBJECTS
        and spec.type in (DECIMAL, INT)
        and any(group <= words for group in _SUBTOTAL_GROUPS)
    )


# The rounding of a total to the cash unit, by the field's own name
# (rounding_total, round_off): the ERP's, Stripe rounding nothing after its
# minor units. A total described as before rounding (a raw total) is no
# rounding.
_ROUNDING_NAMES = ({"rounding"}, {"round", "off"})

# What a sum received is named by: a receipt, a payment, money paid in.
_RECEIVED_WORDS = {"receipt", "receipts", "payment", "payments", "paid", "received"}


def _bookkeeping_amount(spec: FieldSpec) -> bool:
    """writeoff, adjustment, opening_balance: amounts no Stripe field carries.

    A list of entries that are receipts or adjustments (ReceiptsAdjustments)
    names both kinds: its sum named a receipt or payment of its own
    (BankReceiptAmount), with no such word, is the sum received.
    """
    if spec.type != DECIMAL:
        return False
    if any(group <= set(leaf_tokens(spec.name)) for group in _ROUNDING_NAMES):
        return True
    if set(tokens(_plain(spec.name))) & _STILL_OWED:
        return True  # open_amt, outstandingAmount: lowered as payments apply
    described = _CODE_VALUE.sub(" ", spec.description or "")
    words = set(tokens(_plain(spec.name))) | set(tokens(described))
    found = [group for group in _BOOKKEEPING_AMOUNTS if group <= words]
    if not found:
        return False
    leaf = set(leaf_tokens(spec.name))
    return not leaf & _RECEIVED_WORDS or any(group <= leaf for group in found)


# A word in capitals in a description is a code the field goes with, as an
# enumeration spells its values ("required for all SUCCESS and ADJUSTMENT
# events"), not what the field is.
_CODE_VALUE = re.compile(r"\b[A-Z][A-Z_]{2,}\b")


# A share of something in hundredths: English, Italian and Spanish
# (percentual, porcentaje), German and Dutch (Prozent, procent) words, and
# German rates run together with what they are of (Steuersatz, Zinssatz).
_PERCENT_WORDS = {
    "percent",
    "percentage",
    "percentual",
    "pct",
    "porcentaje",
    "prozent",
    "procent",
    "prozentsatz",
    "steuersatz",
    "zinssatz",
}


# "Lump-sum income tax rate", "VAT rate": a number described as a tax's rate.
_TAX_RATE_DESCRIBED = re.compile(r"(?i)\b(tax|vat)\s+rates?\b")
# "'COFINS rate'", "IPI rate": a description opening on a tax's name (an
# acronym) and the word rate; with a group named for taxes, a tax's rate.
_NAMED_RATE = re.compile(r"(?i)^\W*\w+\s+rates?\b")


# A description naming the value as a percent sign of something ("% of the
# tax", "% del impuesto"), with no figure before the sign: a rate.
_PERCENT_OF = re.compile(r"(?i)(?<![\w.%])%\s+(of|del?|the)\b")


def _percentage(spec: FieldSpec) -> bool:
    """withholding_tax "… percentual value", vatPercent: a rate, not an amount.

    Stripe's figures are amounts in minor units; a number named or described
    as a percentage, or described as a tax rate (lump_sum_tax "Lump-sum
    income tax rate"), or under a group named for taxes described as a named
    tax's rate (taxes.cofins "COFINS rate"), is a rate the ERP applies,
    which none of them carries.
    """
    if spec.type not in (DECIMAL, INT) or _described_in_minor_units(spec):
        # A sum in the currency's minor units is money, whatever tax rates
        # its description says it was worked out with.
        return False
    words = set(tokens(_plain(spec.name))) | set(tokens(spec.description or ""))
    group = set(tokens(_plain(spec.name).rpartition(".")[0]))
    return (
        bool(words & _PERCENT_WORDS)
        or bool(_TAX_RATE_DESCRIBED.search(spec.description or ""))
        or bool(_PERCENT_OF.search(spec.description or ""))
        # taxes.cofins "COFINS rate": a tax named by its acronym under taxes
        or bool(group & _TAXES_WORDS and _NAMED_RATE.match(spec.description or ""))
    )


# "The total number of items in the order", "counter of lines taxed with
# tax ID 1": a count, whatever the name says.
_COUNT_DESCRIBED = re.compile(
    r"(?i)\b(number|count|counter)\s+of\s+(the\s+)?"
    r"(items|products|units|pieces|articles|goods|lines)\b"
)


def _quantity(spec: FieldSpec) -> bool:
    """total_qty "The total quantity": a count of items, not an amount.

    A number whose name says quantity (qty, count, menge), or whose
    description says it is the number of items, counts items; one named
    by what the goods weigh or are packed in (TotalWeight, TotalCartons)
    measures them;
    Stripe's figures beside it are amounts in minor units, which the word
    total it shares with them does not make it one of. Stripe counts items
    per line only, so a quantity at the document's level (not in a list's
    row, as lines.0.qty is) has no source.
    """
    if spec.type not in (DECIMAL, INT):
        return False
    if in_a_list(spec.name):
        return False
    named = set().union(*(concepts(w) for w in tokens(_plain(spec.name))))
    return (
        "quantity" in named
        or bool(named & _GOODS_MEASURES)
        or bool(_COUNT_DESCRIBED.search(spec.description or ""))
    )


def _row_quantity(spec: FieldSpec) -> bool:
    """items.0.qty "The quantity of the item": a list row's count of goods."""
    if spec.type not in (DECIMAL, INT) or not in_a_list(spec.name):
        return False
    return "quantity" in concepts(" ".join(leaf_tokens(spec.name)))


# What a document's goods weigh or are packed in (TotalWeight, TotalCartons):
# a measure of the shipment, never money, whatever total it is named.
_GOODS_MEASURES = {
    "weight",
    "gewicht",
    "tare",
    "tara",
    "volume",
    "packs",
    "packages",
    "parcels",
    "cartons",
    "pallets",
    "colli",
}


# What a quantity of one item is described as of: the goods a line sells.
_ITEM_DESCRIBED = re.compile(r"(?i)\b(item|variant|product|article|goods|sku)s?\b")
_NOT_ONE_ITEM = {"total", "sum", "shipping", "freight", "costs", "cost"}
_ONE_ITEMS_COUNT = {"quantity", "qty", "ordered"}
# What a quantity summed over a document's lines is described as.
_ACROSS_LINES = {"all", "lines", "items", "overall", "whole"}


def _item_quantity(spec: FieldSpec) -> bool:
    """quantity "Quantity of the variant to add": the first line's quantity.

    A record made of one item (an order item standing for the invoice's
    first line) counts that item's goods, which Stripe counts per line; a
    total or a shipping quantity counts no one line. A record whose only
    count is a bare quantity, described as no total, is such a line.
    """
    if not _quantity(spec):
        return False
    named = set(tokens(_plain(spec.name)))
    # itemQuantity1: the count of the item the key's index numbers, a form's
    # first line, whose item word and index name no more than that line.
    leaf = {
        word
        for word in leaf_tokens(spec.name)
        if not word.isdigit() and not _ITEM_DESCRIBED.fullmatch(word)
    }
    if named & _NOT_ONE_ITEM or not leaf <= _ONE_ITEMS_COUNT:
        return False  # items_shipped, total_qty: a count across the lines
    described = set(tokens(spec.description or ""))
    if named <= _ONE_ITEMS_COUNT and not described & (_NOT_ONE_ITEM | _ACROSS_LINES):
        return True  # quantity "Quantity (required)": the record is a line
    return bool(_ITEM_DESCRIBED.search(spec.description or ""))


# The price of one unit of what a line sells: "unit price", "price per unit".
_PRICE_WORDS = {"price", "amount", "cost"}
_ONE_UNIT = re.compile(
    r"(?i)\bunit\s+(price|amount|cost)\b|\b(price|amount|cost)\s+(per|of\s+one)\s+"
    r"(unit|item|piece)\b"
)
_NOT_THE_GOODS = {
    "shipping",
    "freight",
    "handling",
    "carriage",
    "postage",
    "delivery",
    "tax",
    "vat",
    "discount",
    "total",
}


# A price by the name alone, and what makes it no selling price (a cost).
_SELLING_PRICE = {"price", "cost"}


def _unit_price(spec: FieldSpec, context: Context) -> bool:
    """unit_price "The item's unit price", price_per_unit: the first line's price.

    A row standing for the invoice's first line sells its goods at a price
    per unit, with the quantity in a field of its own. Stripe's line keeps
    a unit amount with its price, taken when the samples carry it; else its
    amount, which for the one unit most lines sell is that price. The unit
    price of shipping, or of a tax or discount, is not the goods'. A sale's
    first item on a payment (items.0.unit_price on a charge, or its price
    by that name alone) is the one item sold for what was paid.
    https://docs.stripe.com/api/invoices/line_item
    """
    if context.object_type == "charge":
        if not in_a_list(spec.name):
            return False
    elif context.object_type not in ("invoice", "credit_note"):
        return False
    if spec.type not in (DECIMAL, INT):
        return False
    named = set(tokens(_plain(spec.name)))
    if not named & _PRICE_WORDS or named & _NOT_THE_GOODS:
        return False
    if context.object_type == "charge" and named & _SELLING_PRICE == {"price"}:
        return True  # items.0.price "the first item's price": what it sold for
    return "unit" in named or bool(_ONE_UNIT.search(spec.description or ""))


# The bank's side of a payment: when it cleared, was reconciled or deposited.
_CLEARING = {"clearance", "cleared", "clearing", "reconciled", "reconciliation"}
_DEPOSIT = {"deposit", "deposited"}
# The books' matching of their entries to the bank statement, by name.
_RECONCILING = {"reconcile", "reconciled", "reconciliation"}


def _cleared_date(spec: FieldSpec, context: Context) -> bool:
    """When a payment cleared the bank or was deposited: the bank's date.

    A charge is created when the card is paid; the bank sees the money
    only in a payout, whose own dates say when (arrival_date).
    """
    if spec.type not in (DATE, DATETIME):
        return False
    named = set(tokens(_plain(spec.name)))
    if context.object_type == "payout":
        # reconcile_date: the bookkeeper matching the bank statement, after
        # the money arrived, is no date of the payout's.
        return bool(named & _RECONCILING)
    words = named | set(tokens(spec.description or ""))
    # A deposit only by the name (bankDepositDate): a payment's own date may
    # be described as when the money "is deposited".
    return bool(words & _CLEARING or named & _DEPOSIT)


# The words of a phone record's own number field (phone.number, telNumber):
# which field of the record it is, nothing of which phone.
_RECORDS_NUMBER = {"phone", "telephone", "tel", "number", "no", "nr", "value"}


def _phone_kind(spec: FieldSpec) -> tuple[str, ...]:
    """phoneFax.phoneNumber → phone, fax: the words naming which phone it is.

    A phone record written inline is named by the part that opens it
    (phoneFax, phoneSecondary); its number field only says it is the number.
    Any other field is named by its own last part.
    """
    leaf = leaf_tokens(spec.name)
    parts = _plain(spec.name).split(".")
    if len(parts) > 1 and leaf and set(leaf) <= _RECORDS_NUMBER:
        opening = tokens(parts[-2])
        if "phone" in concepts(parts[-2]):
            return opening
    return leaf


def _fax_only(spec: FieldSpec) -> bool:
    """client_fax, Telefax: a fax number, which Stripe does not keep.

    A field for a telephone or fax number (telephoneAndFaxNumber) still
    takes the phone; one whose name ends on fax (phone_fax, the phone line
    used for faxes) is a fax: English compounds are head-final.
    """
    named = concepts(_plain(spec.name)) | set(tokens(_plain(spec.name)))
    leaf = _phone_kind(spec)
    headed = bool(leaf) and leaf[-1] in {"fax", "telefax", "facsimile"}
    return bool(named & {"fax", "telefax", "facsimile"}) and (
        "phone" not in named or headed
    )


# A street line its description numbers past Stripe's two ("third street line").
_STREET_LINE_PAST_TWO = re.compile(r"(?i)\b(third|fourth|fifth)\s+street\s+line\b")


def _street_line_past_two(spec: FieldSpec) -> bool:
    """addrLine3 "third street line": a street line after line1 and line2.

    The description says both what the line holds (the street) and which
    one it is, so it is neither the street Stripe's line1 has nor what an
    old ERP's line 3 conventionally holds (the city): Stripe has no third.
    """
    return bool(_STREET_LINE_PAST_TWO.search(spec.description or ""))


# An electronic address: how an address book names an e-mail among other
# addresses (a website, a social handle), each entry typed.
_ELECTRONIC = re.compile(r"(?i)\belectronic[\s_-]*address|\be-?address\b")


def _electronic_address(spec: FieldSpec) -> bool:
    """electronicAddresses.0.address "The electronic address": the e-mail.

    Only the entry's address itself, and only the first entry's: its type
    is the ERP's code, a later entry one Stripe does not keep.
    """
    name = _plain(spec.name)
    if not _ELECTRONIC.search(f"{spec.name} {spec.description or ''}"):
        return False
    positions = [part for part in spec.name.split(".") if part.isdigit()]
    leaf = set(leaf_tokens(name))
    return leaf <= {"address", "electronic", "value"} and all(
        part == "0" for part in positions
    )


# Words that make a phone or e-mail field a second one beside the main one.
_SECONDARY = {"alternate", "alternative", "alt", "other", "secondary", "second"}
# A certified e-mail (a mailbox whose deliveries count as served notice, as
# registered post does): kept beside the ordinary address, Stripe's e-mail.
_CERTIFIED = {"certified"}


def _secondary_contact(spec: FieldSpec) -> bool:
    """email2, phone_alternate, secondaryEmail: a second phone or e-mail.

    Stripe keeps one of each, which the main field takes; a copy in the
    second field would only repeat it.
    """
    leaf = leaf_tokens(spec.name)
    keys = _type_keys(spec)
    if keys & _SECONDARY_KEYS and concepts(_plain(spec.name)) & {"phone", "email"}:
        return True  # telephones.SEC, emails.TER.email: a map keyed by its type
    if _second_contact_group(spec):
        return True
    if concepts(_plain(spec.name)) & {"phone"}:
        leaf = _phone_kind(spec)
    if not set(leaf) & {"phone", "email", "mobile", "telephone", "tel"}:
        return False
    numbered = any(t.isdigit() and int(t) >= 2 for t in leaf)
    return numbered or bool(set(leaf) & (_SECONDARY | _CERTIFIED))


def _second_contact_group(spec: FieldSpec) -> bool:
    """alternateEmail.address: a field of the group holding the second e-mail.

    The group, not the leaf, says which e-mail or phone it is; the leaf
    names only the part of it (its address, its number).
    """
    parts = _plain(spec.name).split(".")
    if len(parts) < 2:
        return False
    group = set(tokens(parts[-2]))
    return bool(group & (_SECONDARY | _CERTIFIED)) and bool(
        concepts(parts[-2]) & {"phone", "email"}
    )


# The type codes a map of phones or e-mails is keyed by (telephones.PRI,
# emails.SEC.email), as ERPs abbreviate them, for the second and third entries.
_SECONDARY_KEYS = {"sec", "ter", "alt", "secondary", "tertiary"}


def _type_keys(spec: FieldSpec) -> set[str]:
    """The upper-case parts of a dotted name (PRI, SEC, DEL): a map's keys."""
    parts = spec.name.split(".")[1:]
    return {p.lower() for p in parts if p.isalpha() and p.isupper() and len(p) <= 9}


# Words that make an e-mail field the copies' recipients (cc_emails, bccEmail).
_COPY_RECIPIENTS = {"cc", "bcc"}
_COPIED = re.compile(
    r"(?i)\b(copied|cop(y|ies) of|in copy|to copy|carbon cop(y|ies)|cc|bcc)\b"
    r"|\b(additional|extra|other|further|more)\s+e-?mail\s+addresses\b"
)


def _copy_recipients(spec: FieldSpec) -> bool:
    """cc_emails, bccEmail: the addresses a document's e-mail is copied to.

    They are people besides the customer (an accountant, a colleague), whom
    Stripe does not know; the customer's own e-mail goes in the main field.
    The name must be an e-mail's, so a phone's calling code (phone_cc) is not
    one. A copy or further addresses described as such ("addresses copied
    when sent", "additional email addresses") count too: a cryptic name is
    read as its description by then.
    """
    leaf = set(leaf_tokens(spec.name))
    if "email" not in concepts(_plain(spec.name)) | leaf:
        return False
    return bool(leaf & _COPY_RECIPIENTS) or bool(_COPIED.search(spec.description or ""))


# How a person is addressed in a letter or an e-mail (Dear Ms ..., Mr), the
# gender that chooses it (gender, sex), or the short name used for them
# (nickname).
_SALUTATION_WORDS = {
    "salutation",
    "greeting",
    "aanhef",
    "anrede",
    "gender",
    "sex",
    "nickname",
}


# Whether a phone or e-mail was checked (emailVerified, phone_confirmed):
# a state of the contact, which Stripe does not keep, never the contact.
_CHECKED_STATES = {"verified", "validated", "confirmed"}


def _contact_checked(spec: FieldSpec) -> bool:
    """emailVerified, phone_confirmed: whether the contact was checked."""
    leaf = leaf_tokens(spec.name)
    if not leaf or leaf[-1] not in _CHECKED_STATES:
        return False
    return bool(concepts(_plain(spec.name)) & {"phone", "email"})


# A term to find the record by in the ERP's search (SearchTerm1, "a free
# search keyword for the partner"); a search key is the record's code.
_SEARCH_TERM = re.compile(
    r"(?i)\bsearch(ing)?\s+(term|keyword|word|name)s?\b"
    r"|\b(term|keyword)s?\s+(for|used\s+for|to)\s+(the\s+)?search"
)


def _search_term(spec: FieldSpec) -> bool:
    """shortcut1 "a free search keyword": the ERP's own, Stripe keeps none."""
    return bool(_SEARCH_TERM.search(f"{_plain(spec.name)} {spec.description or ''}"))


def _salutation(spec: FieldSpec) -> bool:
    """salutation, email_salutation, C_Greeting_ID, gender: a form of address.

    Stripe asks no one how they wish to be addressed; the field is the
    ERP's choice (or the integration's setting), never a copy of the e-mail
    or name it sits beside.
    """
    tokens = leaf_tokens(spec.name)
    # nickName, nick_name: the one word written as two halves.
    joined = {tokens[at] + tokens[at + 1] for at in range(len(tokens) - 1)}
    words = set(tokens) | joined | concepts(_plain(spec.name))
    return bool(words & _SALUTATION_WORDS)


# A person described as the party itself ("the debtor person"), not as one
# at the party (a contact person) or set up in the ERP.
_PERSON_AS_PARTY = re.compile(r"(?i)\b(\w+)\s+person\b")


# Words before "person" that name no role ("the person", "a new person").
_NO_ROLE = {"the", "a", "an", "this", "that", "each", "any", "one", "new", "of"}


def _persons_role(spec: FieldSpec) -> bool:
    """Person "the sales person handling it": a role, not the party itself.

    A person described as the party ("the debtor person") or by no role at
    all ("who the person is") is the one the record is for.
    """
    said = [
        found.group(1).lower()
        for found in _PERSON_AS_PARTY.finditer(spec.description or "")
    ]
    if any(word in _CUSTOMER_WORDS - {"contact"} for word in said):
        return False
    return any(word not in _NO_ROLE for word in said)


# A person's title, as its description gives it: an honorific (Mr, Ms, Dr)
# or the title of the person the record is for ("the addressee's title").
_PERSONS_TITLE = re.compile(
    r"(?i)\b(?:mr|mrs|ms|mx|dr|miss|madam)\b"
    r"|\b(?:addressee|recipient|contact|customer|client|buyer|person)'s\s+title\b"
)


def _persons_title(spec: FieldSpec) -> bool:
    """customerTitle "the addressee's title (Mr, Mrs)": how a person is called.

    A title named as such and described as a person's (an honorific, or
    the title of the party or addressee) is the form of address the ERP
    keeps, often as a key of its own list of titles; Stripe asks no one for
    it, and a document's title ("the invoice's title") is left to the other
    rules.
    """
    if "title" not in leaf_tokens(spec.name):
        return False
    return bool(_PERSONS_TITLE.search(spec.description or ""))


# Stages of a document's or a payment's life, as a state's description lists
# them ("1 open, 2 paid, 3 canceled").
_LIFECYCLE = {
    "draft",
    "open",
    "approved",
    "sent",
    "paid",
    "unpaid",
    "overdue",
    "refunded",
    "canceled",
    "cancelled",
    "void",
    "voided",
}


_STATE_MACHINE = re.compile(r"(?i)\bstate\s+machine\b")
_WORKFLOW = re.compile(r"(?i)\bworkflows?\b")


def _lifecycle_state(spec: FieldSpec) -> bool:
    """state "The state (1 open, 2 paid, 3 canceled)": a status, not a place.

    A state named beside no address, whose description lists stages of a
    document's life, is its status; an address's state never is described
    so. Stripe's statuses are its own words, so with no allowed values to
    map them onto, none fills it.
    """
    if "state" not in leaf_tokens(spec.name):
        return False
    # "draft, estimate, order... (state machine)": the steps a record's
    # state machine moves it through, whatever they are called.
    if _STATE_MACHINE.search(spec.description or ""):
        return True
    return len(set(tokens(spec.description or "")) & _LIFECYCLE) >= 2


def _stages_listed(spec: FieldSpec) -> bool:
    """state "The order state (workflow: draft, paid, canceled)": its values.

    A status in words whose description names the workflow (or state
    machine) it moves through and two stages of a life or more lists the
    values that workflow allows, as allowed values would: Stripe's status
    maps onto them. A coded one ("0 draft, 1 sent") is the ERP's, and
    stages given as examples only ("e.g. draft, sent") are no workflow.
    """
    description = spec.description or ""
    return (
        spec.type == STRING
        and bool(_WORKFLOW.search(description) or _STATE_MACHINE.search(description))
        and len(set(tokens(description)) & _LIFECYCLE) >= 2
    )


def _tax_text(spec: FieldSpec) -> bool:
    """taxText, vat_reverse_charge_notes: the wording printed about the tax.

    English compounds are head-final: a name whose last word is a text's
    (text, notes, remark) and that names the tax before it is a note on the
    tax (a reverse charge's legal mention, "Umsatzsteuer 19%"), the ERP's or
    the integration's wording, not a tax id or rate of Stripe's.
    """
    leaf = leaf_tokens(spec.name)
    if len(leaf) < 2 or "description" not in concepts(leaf[-1]):
        return False
    return "tax" in concepts(" ".join(leaf[:-1]))


# The area a tax rule applies in: a region, zone, area or jurisdiction, or
# the tax location the ERP keys its rates by (TaxLocId).
_TAX_AREAS = {"state", "zone", "area", "jurisdiction", "district"}
_TAX_LOCATIONS = {"location", "loc"}
_AREA_KEYS = {"id", "code", "key"}


def _tax_region(spec: FieldSpec) -> bool:
    """taxRegion, tax_zone, TaxArea: the area the ERP's tax rules define.

    English compounds are head-final: a name whose last word is an area's
    and that names the tax before it is a region of the ERP's tax setup
    (its own codes), not the state of the address it sits in.
    """
    leaf = leaf_tokens(spec.name)
    if len(leaf) > 2 and leaf[-1] in _AREA_KEYS and leaf[-2] in _TAX_LOCATIONS:
        leaf = leaf[:-1]  # TaxLocId: the key of the tax location
    if len(leaf) < 2:
        return False
    if not (concepts(leaf[-1]) & _TAX_AREAS or leaf[-1] in _TAX_LOCATIONS):
        return False
    return "tax" in concepts(" ".join(leaf[:-1]))


# A house number named apart from its street (HouseNumber, house_no_addition).
_HOUSE_NUMBER_WORDS = {"number", "no", "nr", "num"}
_STREET_LINE_WORDS = {"street", "address", "addr", "line"}
# "and" inside a name (streetAndNumber, street_and_no): its parts together.
_JOINED_BY_AND = re.compile(r"(?:[a-z]And|(?i:[_\W]and))(?:[A-Z_\W]|$)")
# Which number of a building (número exterior, interior): the outer one on
# the street, or the inner one of a flat.
_BUILDING_SIDES = {"external", "exterior", "internal", "interior"}
# A number a description gives a building ("Number of the building, house or
# apartment").
_BUILDING_NUMBER_DESCRIBED = re.compile(
    r"(?i)\bnumber\s+of\s+the\s+(building|house|apartment|flat)\b"
)


def _under_an_address(spec: FieldSpec) -> bool:
    """shippingAddress.number, addresses.0.nr: a field of an address group."""
    if "." not in spec.name:
        return False
    group = [w for w in tokens(spec.name.rsplit(".", 1)[0]) if not w.isdigit()]
    return bool(group) and group[-1] in ("address", "addresses")


def _house_number(spec: FieldSpec) -> bool:
    """HouseNumber, HouseNumberSupplementText: the number, or its supplement.

    Stripe keeps the house number inside its street line; a field for the
    number alone (or the letters added to it) has no source of its own. A
    street named with its number (street_and_house_number) is the street.
    """
    words = set(leaf_tokens(spec.name))
    if words & _BUILDING_SIDES and words & _HOUSE_NUMBER_WORDS:
        # address.external_number: the building's outer (or inner) number as
        # Latin American addresses give it apart, under an address group.
        group = spec.name.rsplit(".", 1)[0] if "." in spec.name else ""
        return "address" in tokens(group)
    if words and words <= _HOUSE_NUMBER_WORDS:
        # number "the house number of the street address", "Number of the
        # building or flat": a bare number its description calls a building's,
        # or an address's own (shippingAddress.number, addresses.0.nr).
        return (
            _under_an_address(spec)
            or _mentions(spec.description, ("house number",))
            or bool(_BUILDING_NUMBER_DESCRIBED.search(spec.description or ""))
        )
    if words & _HOUSE_NUMBER_WORDS and words - _HOUSE_NUMBER_WORDS == {"street"}:
        # street_number, streetNo: the building's number on its street, named
        # after the street it stands on but not the street. A name that joins
        # the two (streetAndNumber, whose "and" the tokenizer drops) is the
        # street with its number.
        return not _JOINED_BY_AND.search(spec.name.rsplit(".", 1)[-1])
    return (
        "house" in words
        and bool(words & _HOUSE_NUMBER_WORDS)
        and not words & _STREET_LINE_WORDS
    )


def _street_name(spec: FieldSpec) -> bool:
    """address.street.name, streetAddress.name: a street's name apart.

    An address that splits its street into a group keeps the street's name
    (and the house number) as fields of that group; Stripe keeps the whole
    street in its one street line, so the name alone has no source (the
    street line beside it takes line1). A name outside a street group (the
    address's addressee) is not one.
    """
    if "." not in spec.name:
        return False
    group = _plain(spec.name.rsplit(".", 1)[0]).rsplit(".", 1)[-1]
    return leaf_tokens(spec.name) == ("name",) and "street" in tokens(group)


# What a division is a part of when it is no part of a country: the
# seller's organisation (SalesDivision, OrganizationDivision).
_ORGANISATIONS = {
    "organization",
    "organisation",
    "org",
    "sales",
    "company",
    "business",
    "corporate",
}


def _organisation_division(spec: FieldSpec) -> bool:
    """OrganizationDivision "Division": a part of the seller's organisation.

    A division named as the organisation's or the sales' (a product line
    or business unit the seller sells through) is its set-up, not the
    administrative division, the state, of the buyer's address.
    """
    words = leaf_tokens(spec.name)
    return (
        len(words) > 1
        and words[-1] in {"division", "divisions"}
        and bool(set(words[:-1]) & _ORGANISATIONS)
    )


# Where goods leave from: the seller's side of a sale.
_DEPARTURE_WORDS = {"departure", "dispatch", "origin"}
_SHIPPED_FROM = re.compile(r"\bship(ped|ping)? from\b")


def _departure_country(spec: FieldSpec) -> bool:
    """TaxDepartureCountry, DispatchCountry, shipFromZip: where goods leave from.

    A sale's country of departure (or dispatch, or origin) is the seller's
    own, a setting of the integration; Stripe's countries are the buyer's.
    So is any part of the place goods are shipped from (ship_from_city,
    shipFromZip, shipping_from_city): the seller's warehouse, not the
    shipping address.
    """
    words = leaf_tokens(spec.name)
    if "country" in concepts(_plain(spec.name)) and set(words) & _DEPARTURE_WORDS:
        return True
    shipped_from = _SHIPPED_FROM.search(" ".join(words))
    return bool(shipped_from) and bool(concepts(_plain(spec.name)) & _PLACE_PARTS)


# The service that carries a payment to the card networks or banks.
_GATEWAYS = {"gateway", "processor"}
_GATEWAY_SPECIFIC = re.compile(r"(?i)\b(gateway|processor)[- ]specific\b")
_KEYS = {"id", "number", "key"}


def _gateways_own(spec: FieldSpec) -> bool:
    """gatewayId, paymentGatewayNumber, a "gateway-specific field": the gateway's.

    A key whose last words name the payment gateway (or processor) is the
    key of the gateway set up in the ERP, not the payment's: unless its
    description says it is a transaction's (the id the gateway gave the
    payment). A field described as specific to a gateway is that gateway's
    setting.
    """
    if _GATEWAY_SPECIFIC.search(spec.description or ""):
        return True
    leaf = leaf_tokens(spec.name)
    if len(leaf) < 2 or not concepts(leaf[-1]) & _KEYS:
        return False
    if not set(leaf[:-1]) & _GATEWAYS:
        return False
    return "transaction" not in tokens(spec.description or "")


# Software that sends the calls for a seller ("used by the platform or
# plugin sending it"): a shop's cart, a plugin or an integrating partner.
_USED_BY_SENDING_SOFTWARE = re.compile(
    r"(?i)\bused\s+by\s+(?:the\s+)?(?:shopping\s+)?"
    r"(?:carts?|platforms?|plugins?|integrators?|partners?)\b"
)


def _sending_softwares_key(spec: FieldSpec) -> bool:
    """PartnerRef "Used by the platform or plugin sending it": the sender's key.

    A key a shop system or an integrating partner sends to say who made the
    call is set up once for the integration; the partner is no party to the
    payment, whatever record the word names elsewhere (a business partner).
    """
    return bool(set(tokens(_plain(spec.name))) & _ID_WORDS) and bool(
        _USED_BY_SENDING_SOFTWARE.search(spec.description or "")
    )


# What a request asks the ERP or its gateway to do (capture, authorize,
# refund), or the workflow transition it asks applied: the request's own
# verb, not what became of the payment.
_ASKED = {"action", "actions", "command", "operation", "transition"}


def _requested_action(spec: FieldSpec) -> bool:
    """action "Action asked of the payment gateway": the request's, not Stripe's.

    Its allowed values share words with a charge's outcome (authorize,
    refund), but they say what to do next, not what was done.
    """
    leaf = set(leaf_tokens(spec.name))
    return bool(leaf & _ASKED) and leaf <= _ASKED | {"type", "code", "requested"}


# A status described as the one asked for ("the status asked for (authorize,
# capture...) when the payment is sent"): the request's.
_STATUS_ASKED = re.compile(
    r"(?i)^\W*(the\s+)?(status|state)\s+(asked\s+for|requested|to\s+set)\b"
)


def _requested_status(spec: FieldSpec) -> bool:
    """status "the status asked for when the payment is sent": the request's.

    A status the request asks the payment be put in says what to do next,
    as an action does, though its values share words with what a charge's
    outcome says was done.
    """
    return "status" in leaf_tokens(spec.name) and bool(
        _STATUS_ASKED.search(spec.description or "")
    )


# The first word of a key kept beside the main one (second_reference_id).
_FURTHER = {"second", "secondary", "additional"}


def _further_reference(spec: FieldSpec) -> bool:
    """secondRefundReferenceId, additional_reference: a key beside the main one.

    Stripe keeps one id per object; a second or additional reference is for
    another transaction than the one Stripe gives.
    """
    leaf = leaf_tokens(spec.name)
    if len(leaf) < 2 or leaf[0] not in _FURTHER:
        return False
    return bool(concepts(leaf[-1]) & {"id", "reference"})


# "required for an external refund", "only for offline payments".
_OFFLINE_MONEY = re.compile(
    r"(?i)\b(?:for|of)\s+(?:an?\s+)?(?:external|offline|manual)\s+"
    r"(?:refund|payment|transaction)s?\b"
)


def _offline_method(spec: FieldSpec) -> bool:
    """methodType "How an external refund was issued (cash, check, ...)".

    A choice of how money moved, asked only of a payment or refund made
    outside the ERP's gateway, is left empty for one made electronically,
    as every Stripe one is.
    """
    return bool(spec.choices) and bool(_OFFLINE_MONEY.search(spec.description or ""))


# "only allowed when unlinked=true", "only for a standalone refund": asked of
# a refund tied to no payment, which no Stripe refund is (each refunds a
# charge or a payment intent).
_ONLY_UNLINKED = re.compile(
    r"(?i)\bonly\s+(?:(?:allowed|permitted|valid|used|set)\s+)?"
    r"(?:when|for|with|on)\s+(?:an?\s+)?(?:unlinked|standalone)\b(?!\s*=\s*false)"
)


def _unlinked_refund_only(spec: FieldSpec, context: Context) -> bool:
    """customer_id "only allowed when unlinked=true": never set for Stripe's."""
    return context.object_type == "refund" and bool(
        _ONLY_UNLINKED.search(spec.description or "")
    )


# Records Stripe keeps too, whose keys a list of ids may hold (invoice_ids).
_STRIPE_RECORDS = {
    "invoice",
    "customer",
    "charge",
    "payment",
    "refund",
    "credit",
    "note",
    "payout",
    "order",
    "line",
    "item",
    "transaction",
    "subscription",
    "product",
    "price",
    "tax",
}


def _keys_of_erp_records(spec: FieldSpec) -> bool:
    """label_ids, teamsIds, contact_group_ids: keys of the ERP's own records.

    A list of ids (the name's last word is ids) of a record Stripe does not
    keep (labels, teams, groups, tags) is the ERP's to fill; the word before
    ids names the record, so invoice_ids is left to the other rules. A map
    of them keyed by type (postAddressIds.DEL) is read by the map's name.
    """
    leaf = leaf_tokens(spec.name)
    parts = spec.name.split(".")
    if len(parts) > 1 and parts[-1].lower() in _type_keys(spec):
        leaf = tokens(parts[-2])
    if len(leaf) < 2 or leaf[-1] != "ids":
        return False
    return not (concepts(leaf[-2]) | {leaf[-2]}) & _STRIPE_RECORDS


# A reference element's description: "reference to a Payment Terms",
# "references to Lockbox instances".
_REFERENCE_TO = re.compile(r"(?i)\breferences?\s+to\b")
_REFERENCE_WORDS = {"reference", "references", "ref", "refs"}
# What a reference may point at that Stripe has a value for: its records,
# the codes it writes, and a reason or status it may be mapped onto.
_STRIPE_REFERENCED = _STRIPE_RECORDS | {
    "currency",
    "country",
    "reason",
    "status",
    "method",
    "mode",
}
_NOT_THINGS = {"id", "ids", "number", "no", "code", "key"}


def _reference_to_erp_record(spec: FieldSpec, profiles: dict[str, Profile]) -> bool:
    """Payment_Terms_Reference "reference to a Payment Terms": an ERP record.

    A field named as a reference and described as one holds the key of the
    record its head word (the one before reference) names; when that is no
    record Stripe keeps nor a value it writes (terms, a category, a project,
    a lockbox), the key is of the ERP's own set-up.
    """
    named = _named_before_reference(spec)
    if not named or not _REFERENCE_TO.search(spec.description or ""):
        return False
    head = named[-1]
    if head in _KIND_WORDS:
        return not _typed_by_stripe(named[:-1], profiles)
    return not (concepts(head) | {head}) & _STRIPE_REFERENCED


def _named_before_reference(spec: FieldSpec) -> list[str]:
    """Payment_Terms_Reference: [payment, terms], what the reference is to.

    Empty when the name's last word is no reference word or nothing stands
    before it; digits (Unit_of_Measure_2_Reference) name nothing.
    """
    words = [w for w in leaf_tokens(spec.name) if not w.isdigit()]
    if len(words) < 2 or words[-1] not in _REFERENCE_WORDS:
        return []
    return words[:-1]


# A reference named in a description at all ("the customer it is paid
# from, a reference").
_REFERENCE_DESCRIBED = re.compile(r"(?i)\breferences?\b")


def _reference_to_another_of_its_kind(spec: FieldSpec, context: Context) -> bool:
    """Consolidated_Invoice_Reference on an invoice: another invoice.

    A reference whose head word is the object's own kind, qualified by a
    word that is no party or record of Stripe's (consolidated, remit-from),
    points at another record of that kind, which Stripe does not link; the
    object's own reference (Customer_Invoice_Reference) is left to the
    other rules.
    """
    named = _named_before_reference(spec)
    if len(named) < 2 or context.object_type not in concepts(named[-1]):
        return False
    qualifiers = set(named[:-1])
    if qualifiers & (_STRIPE_RECORDS | _CUSTOMER_WORDS):
        return False
    return bool(_REFERENCE_DESCRIBED.search(spec.description or ""))


def _typed_by_stripe(named: list[str], profiles: dict[str, Profile]) -> bool:
    """Payment_Type on a charge, Tax_ID_Type on a customer: Stripe types it."""
    return bool(_stripes_kind_path(named, profiles))


def _stripes_kind_path(named: list[str], profiles: dict[str, Profile]) -> str:
    """payment_method_details.type for Payment_Type on a charge, or "".

    The thing a kind is of is the last word before it that is no key word
    (Tax_ID_Type is a tax id's); Stripe has a kind of it where a path ending
    in type names it (payment_method_details.type), and none otherwise (a
    phone device's type, a customer's default payment type).
    """
    things = [w for w in named if w not in _NOT_THINGS]
    if not things:
        return ""
    thing = things[-1]
    for path in profiles:
        if path.rsplit(".", 1)[-1] in _KIND_WORDS and thing in tokens(path):
            return path
    return ""


# A reference as a noun ("a Tax ID Type reference", "reference to"), not
# the verb ("ID of a Page to reference in reason").
_REFERENCE_NOUN = re.compile(
    r"(?i)\b(a|an|the)\s+((?!to\b)[\w-]+\s+){0,4}references?\b"
    r"|\breferences?\s+to\b"
)


# Records whose Stripe id another object carries (a charge's customer, a
# credit note's invoice).
_LINKED_RECORDS = ("customer", "invoice", "charge")


def _linked_record_reference(spec: FieldSpec, context: Context) -> str:
    """Remit-from_Customer_Reference on a charge: the charge's customer.

    A reference (the noun) whose head word names a record Stripe links to
    another kind of object (a payment's customer, a credit's invoice) is
    that record's key, whatever words qualify it.
    """
    named = _named_before_reference(spec)
    if not named or not _REFERENCE_NOUN.search(spec.description or ""):
        return ""
    found = [kind for kind in _LINKED_RECORDS if kind in concepts(named[-1])]
    if len(found) != 1 or found[0] == context.object_type:
        return ""
    return found[0]


def _kind_reference_source(spec: FieldSpec, profiles: dict[str, Profile]) -> str:
    """Payment_Type_Reference, Adjustment_Reason_Reference: Stripe's kind.

    A reference to one of the ERP's kinds or reasons, where the Stripe
    object has a kind of the same thing or a reason of its own, is that
    value mapped onto the ERP's records (their ids are not Stripe's words).
    """
    named = _named_before_reference(spec)
    if not named or not _REFERENCE_NOUN.search(spec.description or ""):
        return ""
    head = named[-1]
    if head in _KIND_WORDS:
        return _stripes_kind_path(named[:-1], profiles)
    if head == "reason" and "reason" in profiles:
        return "reason"
    return ""


# A link's fixed start ("Base URL of the pay page"): the address the ERP
# adds a record's key to, the same for every record.
_BASE_URL = re.compile(r"(?i)\b(base|root)[\s_-]?(url|uri|link|address)\b")


def _base_url(spec: FieldSpec) -> bool:
    return bool(_BASE_URL.search(f"{_plain(spec.name)} {spec.description or ''}"))


# The account the money goes to ("the e-mail of the account receiving the
# payment"): the seller's own, set up once.
_RECEIVING_THE_PAYMENT = re.compile(
    r"(?i)\b(receiv(es|ing)|receiver\s+of)\s+(the\s+)?(payment|money|funds)\b"
)


def _payees_email(spec: FieldSpec) -> bool:
    """receiver_mail "the e-mail of the account receiving the payment"."""
    return "email" in concepts(spec.name) and bool(
        _RECEIVING_THE_PAYMENT.search(spec.description or "")
    )


_PO_BOX_DESCRIBED = re.compile(
    r"(?i)\b(p\.?\s?o\.?\s?box|post[- ]?office box|postbox|apartado de correos|"
    r"casilla (de correos?|postal))"
)
# The Spanish names of a post-office box (apartado de correos, casilla
# postal), which alone may name other things (a document's section).
_PO_BOX_NAMES = {"apartado", "casilla"}


def _po_box(spec: FieldSpec) -> bool:
    """bill_pobox, poBoxNumber: a post-office box, which Stripe's addresses lack.

    Only the field itself: a group named for the postal address
    (Addresses.POBOX.City) still takes the address's parts. An address line
    described as the PO box ("line 5: PO box, locality") is one too, unless
    the description names the street or a complement as well (Stripe's line1
    "street, PO Box, or company name").
    """
    if spec.type != STRING:
        return False
    leaf = leaf_tokens(spec.name)
    joined = "".join(leaf)
    if "pobox" in joined or "postbox" in joined:
        return True
    if set(leaf) & _PO_BOX_NAMES and _PO_BOX_DESCRIBED.search(spec.description or ""):
        return True  # apartado "Apartado de correos": a PO box, named in Spanish
    return (
        "address" in concepts(spec.name)
        and bool(_PO_BOX_DESCRIBED.search(spec.description or ""))
        and not _described_street_line(spec)
        and not set(tokens(spec.description or "")) & _STREET_DESCRIBED
    )


# "Memorable description for this address", "Internal notes about the
# address", "a label naming the address", "Note printed with the address",
# "the identifier for an address record", "shipping address label (e.g.,
# Main Office)": a note on or a name of one of the customer's addresses.
_ON_AN_ADDRESS = re.compile(
    r"(?i)\b(about|for|of|on|with|nam(es|ing)|labell?(s|ing))\s+(this|the|that|an?)\s+"
    r"(\w+\s+)?address(es)?\b|\baddress\s+(label|note|remark)s?\b"
)


def _text_named_and_described(
    spec: FieldSpec, concept: str, described: re.Pattern[str]
) -> bool:
    """A text whose last name part names `concept`, described as `described` says."""
    return (
        spec.type == STRING
        and concept in concepts(" ".join(leaf_tokens(spec.name)))
        and bool(described.search(spec.description or ""))
    )


# What a text kept in an address's group may be of the address's own: its
# note, or free data (billing_address.metadata "a JSON object as a string").
_ADDRESS_OWN_TEXT = {"description", "meta"}
# Words that help find an address ("a nearby landmark", "a reference point"):
# a courier's hint, no part of it (words that "help locate the address", an
# apartment or a floor, may be its second line).
_FINDS_THE_ADDRESS = re.compile(r"(?i)\b(landmarks?|reference\s+points?)\b")


def _finds_the_address(spec: FieldSpec) -> bool:
    """reference "a nearby landmark to help find the address": a hint."""
    return spec.type == STRING and bool(
        _FINDS_THE_ADDRESS.search(spec.description or "")
    )


def _address_note(spec: FieldSpec) -> bool:
    """description "Memorable description for this address": the address's note.

    A text named as a note or description and described as being about an
    address, or kept inside an address's group (actualAddress.comment),
    labels that address; Stripe keeps no text per address, and the
    customer's own description is about the customer (notes "Comments about
    the contact" take it). Free data kept in an address's group
    (address.metadata) is the address's too: the object's metadata is the
    object's, not its address's.
    """
    if _text_named_and_described(spec, "description", _ON_AN_ADDRESS):
        return True
    if _finds_the_address(spec):
        return True
    group = _plain(spec.name).rsplit(".", 1)
    return (
        len(group) == 2
        and spec.type == STRING
        and "address" in concepts(group[0].rsplit(".", 1)[-1])
        and bool(concepts(" ".join(leaf_tokens(spec.name))) & _ADDRESS_OWN_TEXT)
    )


# "Blank if default from name", "Leave blank to use the default", "to
# override the default on file": a value that replaces the record's own.
_OVERRIDES_DEFAULT = re.compile(
    r"(?i)\b(blank|empty|omit\w*|leave\s+(it\s+)?(blank|empty))\b[^.;]{0,30}"
    r"\bdefault\b|\boverrid\w*\s+the\s+default\b"
)


def _address_override(spec: FieldSpec) -> bool:
    """DeliveryAddress "Blank if default from name": the record's address replaced.

    An address a document takes only to replace the one on the customer's
    record is one text for a different address, which the integration leaves
    blank so the record's own applies; Stripe's address is that one, in parts.
    """
    return _text_named_and_described(spec, "address", _OVERRIDES_DEFAULT)


# "the customer address which was used as order address; if specified, its
# data is copied": a saved address a document's address is taken from.
_COPIED_FROM = re.compile(
    r"(?i)\b(which|that)\s+(was|is)\s+used\s+as\s+(an?\s+|the\s+)?"
    r"([\w-]+\s+)?address\b|\b(its|whose)\s+data\s+(is|are)\s+copied\b"
)


def _saved_address_copied(spec: FieldSpec) -> bool:
    """customerAddress "the address which was used as order address": its key.

    An address field described as the saved address a document's address
    was taken from, its data copied, names a record of the ERP's address
    book, which Stripe does not keep; the address itself is in the
    document's other fields.
    """
    return _text_named_and_described(spec, "address", _COPIED_FROM)


# "The delivery address as one free text", "the billing address as a single
# text", "The entire shipping address": the whole address in one text, no
# street, city or postal code apart.
_ONE_TEXT = re.compile(
    r"(?i)\b(as\s+)?(one|a\s+single|single)\s+(free[-\s]?)?text\b"
    r"|\bentire\s+([\w-]+\s+){0,2}address\b"
)


def _address_as_one_text(spec: FieldSpec) -> bool:
    """BillingAddress "the billing address as one free text": all its lines in one.

    Stripe's address comes in parts (line1, city, postal_code, country); a
    text holding the whole address is none of them, and joining them is a
    format the integration would choose, so no Stripe field fills it.
    """
    return _text_named_and_described(spec, "address", _ONE_TEXT)


# "The label to the custom amount of the invoice", "Name of the fee": a text
# naming an amount, which goes with the amount.
_NAMES_AN_AMOUNT = re.compile(
    r"(?i)(the\s+)?(label|name|title|caption)\s+(to|of|for)\s+(the|an?|this)\s+"
    r"([\w-]+\s+){0,3}?(amount|charge|fee|surcharge)\b"
)


def _amount_label(spec: FieldSpec) -> bool:
    """custom.label "The label to the custom amount": the amount's name.

    A document's extra amount comes with the text it is shown under; Stripe
    books none apart from its lines, so neither the amount nor its label
    has a source, and the label is no text of the document's.
    """
    return spec.type == STRING and bool(
        _NAMES_AN_AMOUNT.match(_quoted_description(spec).strip())
    )


# The party paid, as a payment's details name it ("Information about the
# Payee (ultimate creditor)"); Stripe objects bringing the merchant money.
_PAYEE_DESCRIBED = re.compile(r"(?i)\bpayee\b|\bultimate\s+creditor\b")
_PAID_TO_THE_MERCHANT = {"charge", "invoice"}


def _merchant_as_payee(spec: FieldSpec, context: Context) -> bool:
    """Recipient.Address "within …, Information about the Payee": the merchant.

    On a payment or a bill the merchant is paid (a charge, an invoice) the
    payee is the merchant itself, set up once, and the payer Stripe's object
    keeps is the other party; a refund's or a payout's payee is left alone.
    """
    return context.object_type in _PAID_TO_THE_MERCHANT and bool(
        _PAYEE_DESCRIBED.search(spec.description or "")
    )


# A person's employment, as a contact keeps it (the company worked for, the
# title held there, since when).
_EMPLOYMENT_WORDS = {"employment", "employments", "employer", "employers"}


def _persons_employment(spec: FieldSpec) -> bool:
    """employment.0.company_name: the company a person works at.

    Stripe asks nobody's employer or job; a customer's or a payer's name
    is the party's own, not the company a contact of it works for.
    """
    return bool(set(tokens(_plain(spec.name))) & _EMPLOYMENT_WORDS)


# What names a picture (an avatar, a photo, a logo, an image's alt text).
_PICTURE_WORDS = {"avatar", "picture", "photo", "image", "logo", "thumbnail"}


def _picture(spec: FieldSpec) -> bool:
    """avatar_url "String, pointing to avatar": a picture, or a link to one.

    Stripe's links are pages (a hosted invoice, a receipt) and it keeps no
    picture of a customer or a payer; none of them is an avatar or a logo.
    """
    return bool(set(tokens(_plain(spec.name))) & _PICTURE_WORDS)


# The word a listed entry's value is filed under, beside the value itself
# (emails.0.modifier: work, home, personal).
_ENTRY_QUALIFIERS = {"modifier", "modificator", "qualifier"}


def _listed_entry_qualifier(spec: FieldSpec) -> bool:
    """emails.0.modifier "field modifier to use": the kind of entry it is.

    A list of a record's details keeps each value with the word it is filed
    under (work, home); Stripe files its one e-mail, phone or address under
    none, so the word is the integration's to pick, no value of the entry.
    A modifier named for what it changes (priceModifier) is left alone.
    """
    parts = spec.name.split(".")
    return (
        len(parts) >= 3
        and parts[-2].isdigit()
        and leaf_tokens(spec.name) in {(word,) for word in _ENTRY_QUALIFIERS}
    )


# The items a customer's contacts come in, each with notes of its own.
_CONTACT_ITEMS = {"email", "phone"}


def _contact_item_note(spec: FieldSpec) -> bool:
    """emails.0.RemarkText "Communication link notes": a note on one contact.

    A text whose name ends in a note word, in a group that is an e-mail
    address or a phone number, is a note on that address or number; Stripe
    keeps no text per contact, and the customer's description is about the
    customer. So is a description typed as the schema's own type for it
    (EmailDescription, PhoneNumberDescription: the kinds it may be).
    """
    group, _, leaf = _plain(spec.name).rpartition(".")
    words = [w for w in leaf_tokens(spec.name) if not w.isdigit()]
    group_words = " ".join(p for p in group.split(".") if not p.isdigit())
    return (
        (spec.type == STRING or spec.type.endswith("description"))
        and bool(words)
        and concepts(words[-1]) == {"description"}
        and not _number_written_out(spec)
        and bool(concepts(group_words) & _CONTACT_ITEMS)
    )


def _number_written_out(spec: FieldSpec) -> bool:
    """Telephone.FormattedNumberText: a phone item's number, as a text.

    A text word after the word number (a formatted number's description or
    text) names the number written out for people to read, not a note on
    it: the phone's own number.
    """
    words = [w for w in leaf_tokens(spec.name) if not w.isdigit()]
    return (
        len(words) >= 2
        and concepts(words[-1]) == {"description"}
        and "number" in concepts(words[-2])
    )


# Type names a reference gives a structure of named values (JSON objects).
_STRUCTURE_TYPES = {"object", "json", "map", "dict", "hash"}


def _structured_value(spec: FieldSpec) -> bool:
    """metadata "The order's metadata", custom_fields: an object of the ERP's.

    A field typed as an object holds keys and values the ERP's users or
    plug-ins define (custom fields, metadata, a gateway's payload); Stripe's
    own metadata holds the integration's keys (the ERP's customer code), not
    data for the ERP's, and no single Stripe value is such an object.
    """
    return spec.type in _STRUCTURE_TYPES


# "List of Address Information Data elements": a list of nested records.
_LIST_OF_RECORDS = re.compile(
    r"(?i)\blist of\b[^.;]*\b(elements|objects|records|structures|entries)\b"
)


def _list_of_records(spec: FieldSpec) -> bool:
    """Usage_Data "list of Communication Usage Data elements": nested records.

    A list of whole records kept as one field is filled record by record,
    each of several values; no one Stripe value (an e-mail, a street) is it.
    """
    return spec.type in ("array", "list") and bool(
        _LIST_OF_RECORDS.search(spec.description or "")
    )


def _currency_list(spec: FieldSpec) -> bool:
    """Accepted_Currencies_Reference: the currencies a record may be in.

    A list named for currencies in the plural holds several; Stripe's
    object has one currency, which is not the list.
    """
    return spec.type in ("array", "list") and "currencies" in leaf_tokens(spec.name)


# A conversion from one currency into another (currency_conversion, its id or
# mode): the gateway's or the books' record of it, not the currency itself.
_CONVERSION_WORDS = {"conversion"}


def _currency_conversion(spec: FieldSpec) -> bool:
    """currency_conversion, currencyConversion.id: a conversion, no currency.

    Stripe's object has one currency and converts nothing; a field named for
    a conversion of currencies is one the gateway or the ERP made, whose
    record (or its key) no Stripe field holds.
    """
    words = set(tokens(spec.name))
    return "currency" in words and bool(words & _CONVERSION_WORDS)


# The app that calls the API (app_email, appId, app_fee): the software the
# integration is, not the buyer or the document.
_APP_WORDS = {"app"}


def _apps_own(spec: FieldSpec) -> bool:
    """app_email, app_fee: a detail of the app calling the API.

    An app's e-mail or fee is set up with the app, once: Stripe's object
    names no app, and the buyer's e-mail is not the app's. A key named for
    the app (app_key "the client's id in your application") is left to the
    key rules: the integration's own key for the record is Stripe's id.
    """
    words = set(tokens(spec.name))
    return bool(words & _APP_WORDS) and not words & _ID_WORDS


# What a request asks done to records the system already holds (phonesToEdit,
# emailsToDelete, toRemove): entries named by the system's own ids.
_CHANGE_WORDS = {"edit", "delete", "remove"}


def _records_to_change(spec: FieldSpec) -> bool:
    """phonesToEdit.0.number, emailsToDelete: an entry already held, to change.

    A request that edits or deletes what the system keeps names each entry
    by its own id and says what becomes of it; Stripe's object holds the
    values to add, never the entries to edit or delete.
    """
    return bool(set(tokens(spec.name)) & _CHANGE_WORDS)


# A group of the fields a user adds of their own (customFields.0.value,
# custom_fields.0.name), or of user-defined fields by their short name
# (udfs.udf.0.udf-name): the system's own extension, set up by its users.
_CUSTOM_FIELD_WORDS = {"field", "fields"}
_USER_DEFINED_FIELDS = {"udf", "udfs"}


def _group_words(spec: FieldSpec) -> list[set[str]]:
    """The words of each group a field is kept in, its list indexes left out."""
    groups = [p for p in _plain(spec.name).split(".")[:-1] if not p.isdigit()]
    return [set(tokens(group)) for group in groups]


def _custom_field_entry(spec: FieldSpec) -> bool:
    """customFields.0.value: a field a user added, whatever it holds.

    What a custom field holds is set up by the system's user, one field at a
    time; Stripe's object has no field of that user's making, and its value
    is no amount nor text of the document's own.
    """
    return any(
        ("custom" in words and bool(words & _CUSTOM_FIELD_WORDS))
        or bool(words & _USER_DEFINED_FIELDS)
        for words in _group_words(spec)
    )


# A group of the tags a record is given (Tag.0.name, tags.0.label), or of
# its labels, a list of the same (deal_labels.0).
_TAG_WORDS = {"tag", "tags", "labels"}


def _tag_entry(spec: FieldSpec) -> bool:
    """Tag.0.name, deal_labels.0: a tag the system's user gives the record.

    Tags are labels a user of the system picks to sort its records; Stripe's
    object has none of that user's making, and a tag's name is no name of the
    party nor of the document. A list's entry itself (tags.0, deal_labels.0) is
    one of its tags as well.
    """
    groups = _group_words(spec)
    if spec.name.rpartition(".")[2].isdigit():
        groups.append(set(tokens(_plain(spec.name).rpartition(".")[2])))
    return any(words & _TAG_WORDS for words in groups)


# A name given by examples of the places an address is ("such as `home`,
# `work`", "e.g. Home or Office"): the address's own name, not a person's.
_PLACES_BY_EXAMPLE = re.compile(
    r"(?i)\b(?:such\s+as|e\.g\.|for\s+example)\W+(?:home|work|office)\b"
)


# Who an address is for, named in a description ("name of addressee").
_ADDRESSEE = re.compile(r"(?i)\baddressee\b")


def _address_label(spec: FieldSpec) -> bool:
    """invoiceAddress.code "an address code or label": the address's own name.

    A code standing alone under an address, not after a place (State.code),
    names the address in the sender's book (home, work, 'inv'); a postal
    code says postal or zip. A name described by such examples ("such as
    `home` or `work`"), or named for the address (AddressName), is that
    label too. Stripe names no address.
    """
    group = spec.name.rpartition(".")[0]
    said = re.split(r"[;(]", spec.description or "", maxsplit=1)[0]
    if leaf_tokens(spec.name) == ("name",) and _PLACES_BY_EXAMPLE.search(said):
        return spec.type == STRING
    if leaf_tokens(spec.name) == ("address", "name"):
        # AddressName: a name named for the address itself, not its
        # addressee's (unless so described).
        return spec.type == STRING and not _ADDRESSEE.search(spec.description or "")
    return (
        spec.type == STRING
        and leaf_tokens(spec.name) == ("code",)
        and "address" in concepts(group.rpartition(".")[2])
        and "postal" not in concepts(said)
    )


def _address_date(spec: FieldSpec) -> bool:
    """Bill_To_Address_Data.0.@Effective_Date: a date of the address itself.

    A date kept in an address's group (from when it holds) is the
    address's; Stripe's addresses carry no date, and the document's is not
    it.
    """
    group = spec.name.rpartition(".")[0]
    return (
        spec.type in (DATE, DATETIME) and bool(group) and "address" in concepts(group)
    )


# A parcel's journey with a carrier: its tracking number or link, the carrier.
_TRACKING_WORDS = {"tracking", "tracker", "carrier", "courier"}
# A name that runs its words together (tracktrace_url) says so in its
# description: "the shipment's track and trace URL", "its tracking code";
# so does a reference named for the delivery ("on the carrier's tracker",
# "to trace the parcel").
_TRACKING_TEXT = re.compile(
    r"(?i)\btrack(?:ing)?\s+(?:and|&)\s+trace\b"
    r"|\btracking\s+(?:number|code|url|link)\b"
    r"|\b(?:carrier|courier)'s\s+track(?:er|ing)\b"
    r"|\b(?:follow|track|trace)\s+the\s+(?:delivery|parcel|shipment|package)\b"
)


def _shipment_tracking(spec: FieldSpec, profiles: dict[str, Profile]) -> bool:
    """tracking_number, tracking_url: the carrier's number for a parcel.

    A carrier numbers the parcel it takes and gives a page to follow it;
    neither is the document's number nor the page of its invoice. Stripe
    keeps a tracking number only with a shipment's details, when the
    samples carry one.
    https://docs.stripe.com/api/charges/object#charge_object-shipping-tracking_number
    """
    if spec.type != STRING:
        return False
    named = set(tokens(_plain(spec.name))) & _TRACKING_WORDS
    if not named and not _TRACKING_TEXT.search(spec.description or ""):
        return False
    return not any(_TRACKING_WORDS & set(tokens(path)) for path in profiles)


# Things of the seller's set-up that have a name of their own: where or how
# it sells and ships, not who buys.
_NAMED_SET_UP = {
    "method",
    "methods",
    "store",
    "stores",
    "shop",
    "shops",
    "channel",
    "channels",
    "warehouse",
    "warehouses",
    "template",
    "templates",
    "rule",
    "rules",
    # what a payment is routed through to the bank (connectorName)
    "connector",
    "connectors",
    "gateway",
    "gateways",
    "terminal",
    "terminals",
}


# "title of the shipping method", "description of the sales channel": a text
# the description says is a set-up thing's own name, title or description.
_SET_UP_TEXT = re.compile(
    r"(?i)^\s*(?:the\s+)?(?:name|title|label|description)\s+of\s+"
    r"(?:the|a|an|its)\s+(?:[\w-]+\s+)?(?P<thing>\w+)\b"
)


def _set_up_name(spec: FieldSpec) -> bool:
    """shipping_methods.0.name, ecommerce_store_name: a name of the seller's set-up.

    The word a name belongs to says whose it is: a shipping method's, a
    store's, a template's or a tax rule's name is one the seller gave it in
    the ERP or the shop, and none of the customer's names Stripe keeps. A
    field named for the thing alone says so in its description (TaxRule
    "Tax rule name"), when it offers no choices of its own.
    """
    if spec.type != STRING:
        return False
    words = [w for w in tokens(_plain(spec.name)) if not w.isdigit()]
    if len(words) > 1 and words[-1] == "name" and words[-2] in _NAMED_SET_UP:
        return True
    described = _SET_UP_TEXT.search(spec.description or "")
    if described and described["thing"].lower() in _NAMED_SET_UP and not spec.choices:
        return True  # shipping_description "description of the shipping method"
    if not words or words[-1] not in _NAMED_SET_UP or spec.choices:
        return False
    return bool(re.search(rf"(?i)\b{words[-1]}\s+name\b", spec.description or ""))


# "one of the address types (billing, shipping)", "the address type": what
# an address is used for in an address book.
_ADDRESS_TYPE = re.compile(r"(?i)\baddress\s*types?\b")


def _address_use(spec: FieldSpec) -> bool:
    """types "the address types (billing, shipping) it serves": its use.

    A type named field described as the type of an address says what the
    ERP's address book uses the address for (billing, shipping, default);
    Stripe keeps its addresses apart by field, not typed, and no other
    type (a tax id's) is it.
    """
    words = [w for w in leaf_tokens(spec.name) if not w.isdigit()]
    return (
        bool(words)
        and "type" in concepts(words[-1])
        and bool(_ADDRESS_TYPE.search(spec.description or ""))
    )


# What a seller grades its customers by: a rating, given by the ERP's users.
_RATING_WORDS = {"rating", "ratings"}


def _party_rating(spec: FieldSpec) -> bool:
    """internal_rating, CreditRating: how the seller or a bureau rates the party.

    A rating is a judgement kept in the ERP (a grade, a class of risk);
    Stripe rates no customer, and the customer's own code or name the
    field's other words share is not it.
    """
    words = [w for w in leaf_tokens(spec.name) if not w.isdigit()]
    return bool(words) and words[-1] in _RATING_WORDS


# A part of a country an address lies in, and the key words of its record.
_REGIONS = {"state", "province", "region", "county"}
_REGION_KEYS = {"id", "ids", "uid", "uuid", "guid", "key"}


# A city's record, whose key or code (CityCode "City code for city/street
# file") Stripe never has: it names the city.
_CITIES = {"city", "town"}
_CITY_KEYS = _REGION_KEYS | {"code"}


# "City (an id of a City record)", state "reference to a State record",
# region "a relationship to a regions record": a field named for the place,
# described as the key of the ERP's record of it or as a reference or a
# relationship to that record (the record named for one place or its kind).
_PLACE_RECORD_KEY = re.compile(
    r"(?i)\b(?:(?:id|key|identifier)\s+of|(?:references?|relationships?)\s+to)"
    r"\s+(?:a|an|the)\s+(?:\w+\s+)?"
    r"(?P<place>city|town|region|state|province|county)s?\s+record\b"
)


def _described_place_key(spec: FieldSpec, places: set[str]) -> bool:
    """city "an id of a City record": the key of one of the ERP's places."""
    found = _PLACE_RECORD_KEY.search(spec.description or "")
    return (
        spec.type in (STRING, INT)
        and found is not None
        and found.group("place").lower() in places
        and bool(set(leaf_tokens(spec.name)) & places)
    )


def _named_place_key(spec: FieldSpec, places: set[str], keys: set[str]) -> bool:
    """CityCode, region_id: a name of a place's words ending in a key word."""
    words = [w for w in leaf_tokens(spec.name) if not w.isdigit()]
    return (
        spec.type in (STRING, INT)
        and len(words) > 1
        and words[-1] in keys
        and bool(set(words) & places)
    )


def _city_record_key(spec: FieldSpec) -> bool:
    """CityCode, town_id: a key of the ERP's record of a city, not its name.

    Stripe writes an address's city as its name; a code or key of the
    city in the ERP's own register is none of it. A city's postal code is
    the postal code.
    """
    return _described_place_key(spec, _CITIES) or (
        _named_place_key(spec, _CITIES, _CITY_KEYS)
        and "postal" not in concepts(_plain(spec.name))
    )


def _region_record_key(spec: FieldSpec) -> bool:
    """region_id "The ID of the associated region", countyGeoId: a region's key.

    Stripe writes an address's state as a code or a name; the key of the
    ERP's own record of a state, county or sales region is none of them,
    and the integration keeps no table of regions to look it up in (it
    does of countries, so a country's key, CountryRegionId, is not this).
    """
    return (
        _described_place_key(spec, _REGIONS)
        or (
            _named_place_key(spec, _REGIONS, _REGION_KEYS)
            and "country" not in leaf_tokens(spec.name)
        )
        or _region_reference(spec)
    )


# A description naming the first division of a country.
_STATE_DESCRIBED = re.compile(r"(?i)\b(state|province)\b")
_COUNTRY_DIVISION = {"country", "region"}


def _state_named_for_country(spec: FieldSpec) -> str:
    """Country_Region_Descriptor "the address's state or province as text".

    A country's region written out, described as a state or province, is
    the state; the name to rank it by is its group's with State last, so
    the address it belongs to still decides. A key or reference of it is
    the region record's (_region_reference).
    """
    leaf = set(leaf_tokens(spec.name))
    if spec.type != STRING or not leaf >= _COUNTRY_DIVISION:
        return ""
    if leaf & (_REGION_KEYS | _REFERENCE_WORDS | {"code"}):
        return ""
    if not _STATE_DESCRIBED.search(spec.description or ""):
        return ""
    group = spec.name.rpartition(".")[0]
    return f"{group}.State" if group else "State"


# What goes through states of its own: a document, a payment, a sale. Its
# state (orderState, sale_state) is where it stands, not a country's
# division; a side's state (billing_state, shipToState) is still a place.
_STATE_OWNERS = _MESSAGE_OWNERS | _EARLIER_DOCUMENTS | {"order", "sale"}


def _state_of_a_document(spec: FieldSpec) -> str:
    """orderState, sale_state: where a document stands, ranked as its status.

    The name to rank it by is the same with Status for State, so a status
    with values to map onto maps them and one without abstains.
    """
    words = leaf_tokens(spec.name)
    if spec.type != STRING or len(words) != 2 or words[0] not in _STATE_OWNERS:
        return ""
    if words[1] != "state" or not spec.name.lower().endswith("state"):
        return ""
    return spec.name[: -len("tate")] + "tatus"


def _region_reference(spec: FieldSpec) -> bool:
    """Country_Region_Reference "the address's state ... as a reference".

    A reference named for a region, described as a state or province, is
    the key of the ERP's record of it even when named for the country it
    divides too (a country's key, CountryRegionId, is described as the
    country).
    """
    return _named_place_key(spec, _REGIONS, _REFERENCE_WORDS) and bool(
        _STATE_DESCRIBED.search(spec.description or "")
    )


# What a seller charges for getting the goods to the buyer.
_CARRIAGE = {"shipping", "freight", "handling", "carriage", "postage", "delivery"}
# What is booked with a shipping charge inside it, never apart.
_CARRIAGE_HOLDERS = ("invoice", "credit_note", "charge", "refund")


def _carriage_amount(spec: FieldSpec, context: Context) -> bool:
    """shipping_amount, freight_tax: a charge for carriage, outside the lines.

    Stripe books shipping, when at all, as a line of the invoice, so the
    document's totals already hold it and no field carries it apart; a
    payment or its refund holds only the sum paid.
    """
    if context.object_type not in _CARRIAGE_HOLDERS or spec.type not in (DECIMAL, INT):
        return False
    words = set(leaf_tokens(spec.name))
    segments = [s for s in _plain(spec.name).split(".") if not s.isdigit()]
    index = len(segments) - 1
    while index > 0 and concepts(segments[index]) <= _MONEY_PARTS:
        # shippingPrice.gross, shipping.amount.value: a money object's part,
        # named by the money (or by what holds the money object).
        index -= 1
        words |= set(tokens(segments[index]))
    return bool(words & _CARRIAGE)


# What a money object nested under its name holds: its gross, net or tax part.
_MONEY_PARTS = {"amount", "subtotal", "tax", "price"}


# What a document adds or takes off beside the goods: a fee, a coupon.
_CHARGE_LINE_WORDS = _CARRIAGE | {"fee", "fees", "coupon", "coupons", "surcharge"}
_LINE_NOUNS = {"line", "lines", "item", "items"}
# What a document takes off: Stripe keeps it as a discount on the document or
# its lines, never as lines of their own nor as a field apart.
_DISCOUNT_WORDS = {"discount", "discounts", "coupon", "coupons"}
# Charges named as added beside the goods ("additional charges", "extra
# charges"): a list of its own, as a list of fees is.
_ADDED_CHARGE_WORDS = {"additional", "extra", "other", "service"}
_CHARGE_WORDS = {"charge", "charges"}


def _charge_lines(spec: FieldSpec) -> bool:
    """shipping_lines, fee_lines, coupon_lines: lists beside the goods sold.

    An order API that keeps its shipping, fees and coupons in lists of their
    own beside the line items wants Stripe's lines in the line items only;
    Stripe books a shipping charge or a fee, when at all, as one of those
    lines, and a coupon as a discount on the document. A list named for
    the charge alone (fees) is the document's lines themselves; one named for
    discounts alone (discounts) is not, for Stripe books none as a line; one
    of charges named as added to the goods (additional_charges) is not either.
    """
    words = set(leaf_tokens(spec.name))
    return spec.type == LINES and (
        bool(words & _DISCOUNT_WORDS)
        or (bool(words & _CHARGE_LINE_WORDS) and bool(words & _LINE_NOUNS))
        or (bool(words & _CHARGE_WORDS) and bool(words & _ADDED_CHARGE_WORDS))
    )


# Goods put back on the shelf: "products returned to stock", "restock lines".
_RESTOCK_WORDS = {"restock", "restocking", "restocked"}
_BACK_TO_STOCK = re.compile(
    r"(?i)\b(returned|put\s+back|going\s+back|back)\s+(to|in|into)\s+(the\s+)?stock\b"
)


def _stock_lines(spec: FieldSpec) -> bool:
    """restock "Products returned to stock": a warehouse's movement of goods.

    Which goods a return puts back on the shelf, and where, is a stock
    movement the ERP books beside the credited lines; Stripe keeps no stock,
    so the list has no source.
    """
    if spec.type != LINES:
        return False
    return bool(set(leaf_tokens(spec.name)) & _RESTOCK_WORDS) or bool(
        _BACK_TO_STOCK.search(spec.description or "")
    )


# "lines that add a group item", "an item group": a bundle of the ERP's own
# items, which it expands into its members.
_GROUP_ITEM = re.compile(r"(?i)\bgroup\s+items?\b|\bitem\s+groups?\b")


def _group_item_lines(spec: FieldSpec) -> bool:
    """InvoiceLineGroupAdd "Invoice lines that add a group item": a bundle.

    A list of lines each adding a group of the ERP's items, which it expands
    into the member items, sits beside the item lines; a Stripe line is one
    price's, so the document's lines go to the item lines and the group
    lines have no source.
    """
    return spec.type == LINES and bool(_GROUP_ITEM.search(spec.description or ""))


def _company_profile(spec: FieldSpec, context: Context) -> bool:
    """annual_revenue, yearlyTurnover on a customer: a CRM's company profile.

    A figure about the customer's business, which Stripe does not know; its
    balance is what the customer owes, not what it earns.
    """
    if context.object_type != "customer":
        return False
    words = set(tokens(_plain(spec.name)))
    return bool(words & {"annual", "yearly"}) and bool(
        words & {"revenue", "turnover", "sales", "income"}
    )


# Words that make a phone field one part of the number (phone_cc,
# telephone_area_code, mobileDialCode) rather than the whole of it.
_PHONE_PARTS = {
    "cc",
    "prefix",
    "dial",
    "dialing",
    "dialling",
    "calling",
    "country",
    "area",
}


def _phone_part(spec: FieldSpec) -> bool:
    """phone_cc, telephone_area_code: one part of a phone number, kept apart.

    Stripe keeps the phone as one text as the customer typed it; the calling
    or area code is not a field of its own, and a copy of the whole number
    would not fit a field for its prefix.
    """
    leaf = set(leaf_tokens(spec.name))
    phoned = bool(concepts(" ".join(leaf)) & {"phone"})
    return phoned and bool(leaf & _PHONE_PARTS)


# A country's code of letters is its ISO code; one typed as a whole number
# (countryCode: int) is the phone's calling code, unless said to be ISO's.
_ISO_NUMBER = re.compile(r"(?i)\biso\b|\b3166\b")


def _calling_code_as_number(spec: FieldSpec) -> bool:
    """countryCode (int): a phone's calling code, which Stripe keeps in the number."""
    return (
        spec.type == INT
        and leaf_tokens(spec.name)[-2:] == ("country", "code")
        and not _ISO_NUMBER.search(spec.description or "")
    )


# A person's date or place of birth (birthday, date_of_birth, dob, birthplace).
_BIRTH = {"birth", "birthday", "birthdate", "birthplace", "dob"}


def _birth_detail(spec: FieldSpec) -> bool:
    """birthday, dateOfBirth: a person's birth, which Stripe does not ask.

    Without it a date field on a customer falls to created, the day the
    record was made, which is no one's birthday.
    """
    return bool(set(tokens(_plain(spec.name))) & _BIRTH)


# "the billing entity that invoices the customer", "the company which issues
# the invoice": the party on the seller's side, described by what it does.
_ISSUER = re.compile(
    r"(?i)\b(that|which|who) (invoices|bills|issues) (the|this|a|an)\b"
)


# "The company (legal entity) the document belongs to": the books a
# document is kept in; a contact's company (the one it belongs to) is the
# customer's, so only a document's or a payment's counts.
_OWNING_COMPANY = re.compile(
    r"(?i)\b(company|entity|organi[sz]ation)\b[^.;]{0,40}?\b(the|this)\s+"
    r"(document|invoice|payment|transaction|receipt|order|entry)\s+belongs\s+to\b"
)


def _issuing_party(spec: FieldSpec) -> bool:
    """billing_entity_code "Code of the entity that invoices the customer".

    The seller's own company or billing entity, one per integration: a
    setting, though its description names the customer or the invoice.
    """
    description = spec.description or ""
    return bool(_ISSUER.search(description) or _OWNING_COMPANY.search(description))


# A seller under a platform's account (market.subsellers.0.share,
# sub_merchant_id): glued or apart, the words a name gives it.
_SUB_SELLERS = {"submerchant", "submerchants", "subseller", "subsellers"}
_SELLER_KINDS = {"merchant", "merchants", "seller", "sellers"}


def _sub_sellers_share(spec: FieldSpec) -> bool:
    """market.subsellers.0.share, sub_merchant_id: a sub-merchant's part.

    A platform that takes a payment for the sellers under its account says
    which seller gets what share; Stripe's charge is one merchant's, with no
    sellers under it, so neither the seller nor its share has a source.
    """
    named = tokens(_plain(spec.name))
    glued = bool(_SUB_SELLERS & set(named))
    apart = any(
        word == "sub" and following in _SELLER_KINDS
        for word, following in zip(named, named[1:], strict=False)
    )
    return glued or apart


# A date named for closing (closeOn, closingDay, expectedCloseOn):
# when a deal or a lead closes; one named closed (closedAt) is when a record
# was, and one named expected or estimated is the close foreseen.
_CLOSING_WORDS = {"close", "closing"}
_FORESEEN_WORDS = {"expected", "estimated", "planned", "projected"}


def _closing_date_source(spec: FieldSpec, context: Context) -> str:
    """closeOn on a deal made for an invoice: due_date; for a charge: created.

    A deal or a lead closes when it is paid: one made for an invoice closes
    when the invoice falls due, one made for a payment closed when the
    payment was made.
    """
    if spec.type not in (DATE, DATETIME):
        return ""
    if not set(leaf_tokens(spec.name)) & _CLOSING_WORDS:
        return ""
    if re.search(r"(?i)\bclosed\b", spec.description or ""):
        # ClosingDate "Date closed": when the record was, as closedAt is.
        return ""
    return {"invoice": "due_date", "charge": "created"}.get(context.object_type, "")


def _foreseen_close(spec: FieldSpec) -> bool:
    """expectedCloseOn, estimatedClosingDay: the close foreseen."""
    return bool(set(leaf_tokens(spec.name)) & _FORESEEN_WORDS)


# A list that splits a payment's money among several receivers, named for
# the split and what it moves (courierSplits, payoutSplit):
# each entry is one receiver's share. A ledger's bare splits (splits.0, the
# lines of a double entry) are no such list.
_SPLIT_WORDS = {"split", "splits"}


def _split_receivers_share(spec: FieldSpec) -> bool:
    """courierSplits.0.amount, payoutSplit.0.account: one receiver's share.

    Stripe's charge or refund moves its money to one merchant, split among
    no receivers, so no entry of such a list, nor its amount, account or
    note, has a source.
    """
    parts = spec.name.split(".")
    listed = [i for i, part in enumerate(parts) if part.isdigit() and i]
    if not listed:
        return False
    group = set(tokens(_plain(parts[listed[0] - 1])))
    return bool(group & _SPLIT_WORDS) and bool(group - _SPLIT_WORDS)


# The words on a buyer's card statement, as a gateway names them
# (statement_descriptor, softDescriptor, dynamic_descriptor).
_ON_THE_STATEMENT = {"statement", "soft", "dynamic"}
# What a statement shows beside the words to reach the seller by.
_SELLERS_CONTACT = {"phone", "city"}


def _statement_contact(spec: FieldSpec) -> bool:
    """dynamic_descriptor.city, softDescriptorPhone: the seller's contact.

    Beside its name, a card statement shows the town or the phone the
    buyer reaches the seller at: the seller's own, one per integration,
    never the buyer's, whose city and phone Stripe's charge holds.
    """
    named = set(tokens(_plain(spec.name)))
    return (
        "descriptor" in named
        and bool(named & _ON_THE_STATEMENT)
        and bool(concepts(spec.name.rpartition(".")[2]) & _SELLERS_CONTACT)
    )


# The party a sales document is issued by: its seller, to the customer its
# supplier (supplier_info.state), in a web shop the store (store_url).
_SELLER_WORDS = {"seller", "supplier", "store"}


def _sellers_own(spec: FieldSpec) -> bool:
    """seller_email, sellerPhone, seller_country: the seller's own details.

    The seller is the user's own company, one per integration: its e-mail,
    phone or country are the integration's settings, never the customer's,
    however much the rest of the name looks like the customer's field.
    """
    named = tokens(_plain(spec.name))
    # shopId, shop_code: the web shop itself, named alone with its key, is
    # the store; a shop's order (shop_order_ref) is the buyer's order.
    keyed_shop = [t for t in named if t not in ("id", "ids", "key", "code")] == ["shop"]
    return bool(_SELLER_WORDS & set(named)) or keyed_shop


# A country described as the payment's own ("Two-letter country code of the
# charge"): where it is taken, the description naming no party.
_PAYMENTS_COUNTRY = re.compile(
    r"(?i)\bcountry\b(\s+code)?\s+of\s+(the\s+|this\s+)?"
    r"(charge|payment|transaction)\b"
)


def _payments_country(spec: FieldSpec) -> bool:
    """country "Two-letter country code of the charge": not the customer's.

    A payment request's country is where the charge is taken, which the
    integration's account sets; the customer's address country is described
    as the customer's or the address's.
    """
    return (
        spec.type == STRING
        and "country" in concepts(spec.name)
        and bool(_PAYMENTS_COUNTRY.search(spec.description or ""))
    )


# What a whole set of books is called: the book, company or tenant an API
# writes into, named in every request's path.
_BOOKS_WORDS = {
    "book",
    "books",
    "company",
    "tenant",
    "workspace",
    "realm",
    "administration",
    "business",
}
# A record's key, not a number it is known by (a company number is its
# registration, a tax id's kin).
_RECORD_KEYS = {"id", "ids", "identifier", "key", "uid", "guid", "uuid"}


# A record defined by its data being kept apart from the others' ("A client
# is a company or a legal entity. You cannot share data between clients."):
# a tenant of the ERP, whatever it is called.
_KEPT_APART = re.compile(
    r"(?i)\b(cannot|can ?not|can't|do not|does not|never)\s+share\s+"
    r"(its\s+|their\s+)?data\b|\bdata\s+(is|are)\s+not\s+shared\b"
)


def _books_key(spec: FieldSpec) -> bool:
    """bookId "The book's id", tenant_id: the books the API writes into.

    The key of the whole set of books (or the company, the tenant) is one
    per integration, whatever the record written: a setting, never the
    invoice or customer the record is about. So is a client (or company)
    described as keeping its data apart from the others': the ERP's tenant,
    not a client that buys.
    """
    if _KEPT_APART.search(spec.description or ""):
        return True
    words = set(tokens(_plain(spec.name).rsplit(".", 1)[-1]))
    named = words - _RECORD_KEYS
    return bool(words & _RECORD_KEYS) and bool(named) and named <= _BOOKS_WORDS


def _payments_own_key(spec: FieldSpec, context: Context) -> bool:
    """paymentId, id "The payment's ID" on a charge: the ERP's payment's key.

    A charge is written as the ERP's payment; the key of that payment (the
    order's payment it is recorded against) is given by the ERP, as Stripe's
    id is not: a key of the charge's Stripe id is named as external or
    as the processor's.
    """
    words = set(tokens(_plain(spec.name).rsplit(".", 1)[-1]))
    if context.object_type != "charge" or not words & _RECORD_KEYS:
        return False
    named = words - _RECORD_KEYS
    return named == {"payment"} or (
        not named and bool(_PAYMENTS_KEY_DESCRIBED.search(spec.description or ""))
    )


def _own_side_party(spec: FieldSpec, context: Context) -> bool:
    """partyIdFrom on an invoice, partyIdTo on a payment: the user's company.

    A document naming both its parties by direction has the user's own
    company on one side, one per integration: a setting, not the customer,
    however much the party's name looks like one.
    """
    side = _party_side(spec)
    return bool(side) and side == _OWN_SIDE.get(context.object_type)


# The record a customer sits under: a group, a mother company, a head account.
_PARENT_WORDS = {"parent", "mother"}


def _parent_record(spec: FieldSpec, context: Context) -> bool:
    """parentPartner, parent_account_id on a customer: another customer record.

    Stripe has no hierarchy of customers, so the customer's own code or id
    is never its parent's; the ERP links the two itself. On a document a
    parent may be the one it corrects, which the reference rules read.
    """
    return context.object_type == "customer" and bool(
        set(tokens(_plain(spec.name))) & _PARENT_WORDS
    )


# The key of the organisation a person's record belongs to ("the unique
# identifier of the organization the contact belongs to"): the company the
# person works for, another record than the person the Stripe customer is;
# Stripe keeps no employer.
_PERSONS_ORGANISATION = re.compile(
    r"(?i)\b(id|identifier|key)\s+of\s+(the\s+)?(organi[sz]ation|company|employer)"
    r"\s+((that|which)\s+)?(the\s+|this\s+)?(contact|person|individual)"
    r"\s+belongs\s+to\b"
)


def _persons_organisation(spec: FieldSpec) -> bool:
    """contact_id "The id of the organization the contact belongs to": none.

    One named for the customer (customer "company the contact belongs to")
    is the customer the person is a contact of, which the references read;
    the company's name (company "The company the contact belongs to") is
    the customer's own company, which the ranking finds.
    """
    return bool(_PERSONS_ORGANISATION.search(spec.description or "")) and not (
        concepts(_plain(spec.name)) & {"customer"}
    )


def _customer_figure(spec: FieldSpec, context: Context) -> bool:
    """credit, balance, creditLimit on a customer: a figure the ERP keeps itself.

    A customer record's amounts (a credit balance, a limit, an opening
    balance, a default discount) are the ERP's own bookkeeping or terms;
    Stripe's balance is its own ledger's, which the ERP rebuilds from the
    documents and payments posted to it, not a value to copy.
    """
    return context.object_type == "customer" and spec.type == DECIMAL


# A reference for paying a document that the ERP makes from its own numbers
# with a check digit: a remittance reference, the Nordic KID, an OCR line.
_REMITTANCE_WORDS = {"remittance", "kid", "ocr"}
_REMITTANCE_DESCRIBED = re.compile(
    r"(?i:\bremittance\b|\bstructured\s+(?:payment\s+)?reference\b)|\b(?:KID|OCR)\b"
)


def _remittance_reference(spec: FieldSpec, context: Context) -> bool:
    """remittanceReference, kid on an invoice: the reference to pay it by.

    The ERP computes it from the document's or the customer's number with a
    check digit (a KID, an OCR reference), a format Stripe's number and id
    do not follow.
    """
    return (
        context.object_type in ("invoice", "credit_note")
        and spec.type == STRING
        and bool(
            set(tokens(spec.name)) & _REMITTANCE_WORDS
            or _REMITTANCE_DESCRIBED.search(spec.description or "")
        )
    )


def _documents_own_name(spec: FieldSpec, context: Context) -> bool:
    """A bare name on an invoice or credit note: the document's own title.

    The customer's name on a document sits under a party or address block
    (address.name, recipient.name) or says whose it is.
    """
    if context.object_type not in ("invoice", "credit_note") or "." in spec.name:
        return False
    described = set(tokens(spec.description or ""))
    return tokens(spec.name) == ("name",) and not described & (
        _CUSTOMER_WORDS | {"recipient"}
    )


# A sale a seller works towards before it is invoiced or paid: a deal, an
# opportunity.
_DEAL_WORDS = {"deal", "deals", "opportunity", "opportunities"}


# What names a deal made for a Stripe object: an invoice's number tells the
# deals apart as the invoices are; a payment, which has no number, is named
# by what it was for (its description).
_DEAL_NAMED_BY = {"invoice": "number", "charge": "description"}


def _deals_own_name(spec: FieldSpec, context: Context) -> str:
    """name "'Name' (the Deal record)": the invoice's number, the charge's text.

    A job title described as a deal's contact's is a person's, not the
    deal's.
    """
    source = _DEAL_NAMED_BY.get(context.object_type, "")
    if not source or "." in spec.name:
        return ""
    if tokens(spec.name) not in (("name",), ("title",)):
        return ""
    described = set(tokens(spec.description or ""))
    return source if described & _DEAL_WORDS and "job" not in described else ""


# "Code of the invoice to the buyer": a description naming what the code is
# of, the words before a preposition its head (invoice, not buyer).
_CODE_OF = re.compile(
    r"(?i)^\W*code\s+of\s+(?:the\s+|an?\s+)?((?:(?!to\b|for\b|from\b|of\b)"
    r"[^\W\d]+\s*)+)"
)


def _documents_own_code(spec: FieldSpec, context: Context) -> bool:
    """code "Code of the incoming payment": the ERP's own code of its record.

    A bare code on a document or payment, described as the code of a record
    that is no party nor place, is the key the ERP keeps the record under,
    not the customer's postal code the word is shared with.
    """
    if context.object_type in ("", "customer") or tokens(spec.name) != ("code",):
        return False
    found = _CODE_OF.match(spec.description or "")
    if not found:
        return False
    named = set(tokens(found.group(1)))
    return not named & (
        _CUSTOMER_WORDS | {"counterparty", "postal", "post", "zip", "address"}
    )


# "Name (number) of the incoming payment": a name the description says is a
# number.
_NAME_AS_NUMBER = re.compile(r"(?i)^\W*name\s*\(\s*(number|no\.?|nr\.?)\s*\)")


def _payments_own_number(spec: FieldSpec, context: Context) -> bool:
    """name "Name (number) of the incoming payment": the payment's own number.

    A payment's name described as its number is the number the ERP gives
    the payment record; Stripe numbers no charge or refund, and the payer's
    name is no number.
    """
    return (
        context.object_type in ("charge", "refund")
        and tokens(spec.name) == ("name",)
        and bool(_NAME_AS_NUMBER.match(spec.description or ""))
    )


# A name described as identifying the document or the place it came from
# ("A short-term identifier for the order", "The name used to identify the
# place that an order originates"): a label of the sale, not the buyer's.
_IDENTIFIES_SALE = re.compile(
    r"(?i)\bidentif(?:y|ies|ier)\b(?:\s+\w+){0,3}?\s+(?:the\s+|this\s+)?"
    r"(?:order|invoice|document|sale|ticket|place|channel|application|app)\b"
)


def _sale_label(spec: FieldSpec, context: Context) -> bool:
    """ticket_name "A short-term identifier for the order": not the customer's."""
    if context.object_type not in ("invoice", "credit_note"):
        return False
    head = re.split(r"[(;:]", spec.description or "", maxsplit=1)[0]
    return "name" in leaf_tokens(spec.name) and bool(_IDENTIFIES_SALE.search(head))


# Where a record came from, named by that word alone (order_source,
# external_source, channel): a system or a sales channel, which Stripe keeps
# no field for. One described as the document or reference it came from
# (invoice_origin "The document(s) that generated the invoice") is a key.
_ORIGIN_WORDS = {"source", "origin", "channel"}
_ORIGIN_DOCUMENT = re.compile(r"(?i)\b(document|reference|record)s?\b")


def _origin_label(spec: FieldSpec) -> bool:
    """order_source "reflects the origin of the order: storefront, ...": left."""
    words = [w for w in leaf_tokens(spec.name) if not w.isdigit()]
    return (
        spec.type == STRING
        and bool(words)
        and words[-1] in _ORIGIN_WORDS
        and not _ORIGIN_DOCUMENT.search(spec.description or "")
    )


# A request's statistics about its caller (stats.tool, analytics.object,
# "statistics: free field 1"): what the integration reports of itself to the
# provider, the program calling or a free text for its reports, not a value
# of the document paid.
_STATISTICS_WORDS = {"stats", "statistics", "analytics"}
_STATISTICS_DESCRIBED = re.compile(r"(?i)^\W*statistics?\b")


def _request_statistics(spec: FieldSpec) -> bool:
    """stats.object "statistics: the calling object": the caller's, left."""
    group = spec.name.rpartition(".")[0]
    return spec.type == STRING and (
        bool(set(tokens(group)) & _STATISTICS_WORDS)
        or bool(_STATISTICS_DESCRIBED.match(spec.description or ""))
    )


# For the attention of (for_attention_of.name, attn): a person at the buyer.
_ATTENTION = {"attention", "attn"}
# What an address line holds when it names the person it goes to.
_RECIPIENT_WORDS = {"recipient", "attention", "attn"}
# A word in the possessive ("the recipient's"): the owner of what follows.
_POSSESSIVE = re.compile(r"\b\w+['’]s\b")


def _recipient_line(spec: FieldSpec) -> bool:
    """addressL2 "Recipient details (line 2)": the person the post is for.

    Only a numbered line that names no street nor a complement to it
    (apartment, suite). Postal formats that put the
    addressee's name, a "care of" or an attention line among the address
    lines (the French AFNOR line 2) use it for a person at the buyer, which
    Stripe does not keep apart from its name; it is no street.
    """
    if spec.type != STRING or "address" not in concepts(spec.name):
        return False
    if not any(t.isdigit() for t in leaf_tokens(spec.name)):
        return False  # recipient.address: the recipient's address, a street
    if set(tokens(spec.description or "")) & _STREET_DESCRIBED:
        return False
    if _described_street_line(spec):
        return False  # "c/o, apartment, suite": the complement, line 2
    phrase = re.split(r"[.;:(]", spec.description or "", maxsplit=1)[0]
    # "line 2 of the recipient's address": a possessive names whose address
    # it is, not what the line holds.
    phrase = _POSSESSIVE.sub(" ", phrase)
    return bool(set(tokens(phrase)) & _RECIPIENT_WORDS) or _mentions(
        spec.description, ("care of", "c/o")
    )


# What an e-mail that sends a document is made of, besides its recipient.
_MESSAGE_PARTS = {"subject", "body", "message"}


# Where a field sits in the request ("Body, top level:", "body top level,",
# "(body, customer object)", "(body member email, required; …)", "body
# `customer` → `email`", "body detail → terms, `note`", "Request body:",
# "no description in this body", "body
# BodyRequest.GetBodyCreate" or "(…, POST /v1/things, body Thing)", named by
# the code that builds it, "sent in the
# body of Client::create, POST v1/pay" of the call or request that sends it):
# the body of the HTTP request, not of an e-mail, which a description calls
# the e-mail's body.
_REQUEST_BODY = re.compile(
    r"(?:^|\()\s*body\b\s*(?:[,:(`]|top\s+level\b|(?:member|property|field)\s)"
    r"|^\s*body\s[^`'\"]*`"
    r"|\bbody\s+\S*\w[./]\w\S*"
    r"|\bbody\s+(?-i:[A-Z]\w*)\s*\)"
    r"|\b(?:request|json|http|post|this)\s+body\b"
    r"|\bin\s+the\s+body\s+of\s+(?=\S*\w(?:::|[./@])\w|(?-i:GET|POST|PUT|PATCH)\s)",
    re.IGNORECASE,
)
# "The invoice date as specified by the sender": who sets the field, not it.
_BY_THE_SENDER = re.compile(r"(?i)\bby\s+the\s+sender\b")
# A name in code the description cites (BodyRequest.GetBodyCreate,
# Client::createPayment, owner/sdk@abc123:Sdk/Utils/BodyRequest.cs, a spec's
# schema in snake case v1_payments_body): where the field is built, whose
# words (body, request) say nothing of an e-mail.
_CODE_NAME = re.compile(r"\S*\w(?:[./@]|::?)\w\S*|\b[A-Za-z0-9]+(?:_[A-Za-z0-9]+)+\b")
# A class the description names alone (class InvoiceRequestMessage,
# constructor PayRequestMessage(email, ...)): a type in code, written as
# words run together each with its capital, whose words (message, body) say
# nothing of an e-mail either.
_CLASS_NAME = re.compile(r"\b[A-Z][a-z0-9]+(?:[A-Z][a-z0-9]+)+\b")
# A description that opens on whose the field is ("the buyer's full name"):
# a sender so described is the paying party, not an e-mail's sender.
_OWNED_BY = re.compile(r"(?i)^\s*(?:the\s+)?(\w+)'s\b")


def _the_payers(spec: FieldSpec) -> bool:
    """senderName "the buyer's full name": the sender is the one paying."""
    owner = _OWNED_BY.match(spec.description or "")
    return owner is not None and "customer" in concepts(owner.group(1))


def _sending_email(spec: FieldSpec) -> bool:
    """The subject, body or sender of the e-mail that sends the document.

    The text is the integration's template and the sender the seller, so
    neither is the customer's e-mail address nor anything else of Stripe's.
    A description that places the field in the request's body says nothing of
    an e-mail's body.
    """
    description = _REQUEST_BODY.sub(" ", spec.description or "")
    description = _BY_THE_SENDER.sub(" ", description)
    description = _CODE_NAME.sub(" ", description)
    description = _CLASS_NAME.sub(" ", description)
    words = concepts(f"{spec.name} {description}")
    if _the_payers(spec) or _sender_named_alone(spec, description, words):
        return False
    return "sender" in words or ("email" in words and bool(words & _MESSAGE_PARTS))


def _sender_named_alone(spec: FieldSpec, description: str, words: frozenset) -> bool:
    """sender_email, its description silent on a sender: the payer's e-mail.

    A request's e-mail named for its sender, whose description names no
    sender (only where it is set, or nothing) and no part of a message
    (subject, body), names no e-mail that sends a document: the sender of
    the request is the party paying, as "the buyer's" says of senderEmail.
    A sender the description names ("Sender e-mail address") stays the
    integration's.
    """
    return (
        "sender" in concepts(spec.name)
        and "email" in concepts(spec.name)
        and "sender" not in concepts(description)
        and not words & _MESSAGE_PARTS
    )


# A name that opens on the verb send and names an e-mail (send_email_invite,
# sendConfirmationEmail): a switch for whether the e-mail goes out, the
# integration's setting. "Send ... to email" (send_invoices_to_email) names
# the address itself.
def _whether_to_send(spec: FieldSpec) -> bool:
    """send_confirmation_email "Send the order confirmation email": a switch."""
    leaf = leaf_tokens(spec.name)
    written = spec.name.rsplit(".", 1)[-1]
    # The words as written, "to" among them (tokens drop it).
    words = {w.lower() for w in re.findall(r"[A-Z]?[a-z]+|[A-Z]+(?![a-z])", written)}
    if not leaf or leaf[0] != "send" or "to" in words:
        return False
    return "email" in concepts(_plain(spec.name).rsplit(".", 1)[-1])


# The buyer's own reference (an e-invoicing buyer reference): not in Stripe.
_BUYER_DOCUMENT = ({"buyer", "reference"},)


_PURCHASE_ORDER = (
    {"purchase", "order"},
    {"purchase", "reference"},
    {"purchase", "ref"},
    {"po"},
    {"order", "reference"},
    {"order", "ref"},
)
# A number the ERP's own number series gives ("when manual numbering is
# enabled"): with no Stripe number, nothing of Stripe's goes there.
_NUMBERING = ("numbering", "number series")
_NUMBER_WORDS = {"number", "no", "nr", "num"}


def _numbered_by_erp(spec: FieldSpec) -> bool:
    """A number from the ERP's own series: said so, or a voucher's number.

    A voucher is the bookkeeping's own document, numbered in the ledger's
    voucher series; only an external voucher number is another system's.
    """
    if _mentions(spec.description, _NUMBERING):
        return True
    if _FREE_FORM_NUMBER.search(spec.description or ""):
        return False  # "A number or a string that identifies …": the sender's
    words = set(tokens(f"{spec.name} {spec.description or ''}"))
    return (
        spec.type == STRING
        and "voucher" in words
        and bool(words & _NUMBER_WORDS)
        and "external" not in words
    )


# A remittance code the seller's ERP issues for the bank (KID, OCR).
_PAYMENT_REFERENCE = ({"payment", "reference"},)
_REFERENCE_WORDS = {"ref", "reference"}


def _buyers_document(spec: FieldSpec, context: Context) -> bool:
    """The buyer's own reference; a purchase order on a document with a number.

    A Stripe invoice or credit note has a number of its own, so its
    purchase-order, purchase-reference or order-reference field is the
    buyer's document, and its customer's reference number
    (customerRefNumber) the buyer's own reference, which Stripe does not
    hold; an order made from a charge
    takes the charge id there. A reference described as the customer's
    order or purchase reference is the buyer's too, whatever its name. A
    payment reference on such a document is the remittance code the ERP
    issues (KID, OCR), as its name or its description's own words say it.
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
    if (
        words & _REFERENCE_WORDS
        and described & (_CUSTOMER_WORDS - {"contact"})
        and any(group <= described for group in _PURCHASE_ORDER)
    ):
        return True  # externalReference "(the customer's order reference)"
    # Past the request and the names in code it cites (POST /payments,
    # AbstractPaymentRequest, Client::createPayment): where the field is
    # sent and built, not what it is.
    cited = _HTTP_REQUEST.sub(" ", _CODE_NAME.sub(" ", spec.description or ""))
    said = set(tokens(_CLASS_NAME.sub(" ", cited)))
    return spec.type == STRING and any(
        group <= words | said for group in _PAYMENT_REFERENCE
    )


# "Your customer number at the business partner's site": the key the other
# party gives the API's user in its own books.
_KEY_AT_THE_PARTY = re.compile(
    r"(?i)\byour\b[^.;]*\b(number|no|id|identifier|code|reference)\b[^.;]*"
    r"\b(at|with|in)\s+the\s+(\w+\s+)?"
    r"(partner|customer|client|supplier|vendor|debtor|party)\b"
)


def _key_at_the_party(spec: FieldSpec) -> bool:
    """The API user's number in the other party's books, which Stripe never sees.

    A customer or vendor gives its own number to whoever it buys from or
    sells to; the record keeps it to quote back. It is neither the party's
    key in the ERP nor Stripe's id of it.
    """
    return spec.type == STRING and bool(
        _KEY_AT_THE_PARTY.search(spec.description or "")
    )


# A decimal in a currency named apart from the document's own.
_OWN_CURRENCY = re.compile(
    r"(invoice|document|transaction|payment)('s)? currency|currency of the"
    r" (invoice|document|transaction|payment)"
)
# A ledger kept in two or three currencies names the others dual and parent.
_OTHER_CURRENCY = re.compile(
    r"\b(base|company|home|functional|reporting|standard|local|ledger|accounting"
    r"|dual|parent) currency\b|\bsame currency\b"
)


# "(converted to the base currency at the distribution date)": the ERP
# converts what it is given, so the amount sent is in the document's currency.
_CONVERTED_BY_ERP = re.compile(
    r"\bconvert(ed|s)?\s+(in)?to\s+(the|its|a)\s+\w+ currency"
)


def _converted_amount(spec: FieldSpec) -> bool:
    """An amount in the company's currency: converted, not Stripe's."""
    text = (spec.description or "").lower()
    return (
        spec.type == DECIMAL
        and bool(_OTHER_CURRENCY.search(text))
        and not _OWN_CURRENCY.search(text)
        and not _CONVERTED_BY_ERP.search(text)
    )


# A word before "currency" in a name that makes it the second currency of a
# two-currency record (baseCurrencyAmount, actualCurrencyUomId): the
# company's own or the one actually paid in, beside the document's.
_SECOND_CURRENCY = {
    "base",
    "company",
    "home",
    "functional",
    "reporting",
    "local",
    "ledger",
    "accounting",
    "actual",
    "foreign",
    # a ledger's second and third currencies beside the document's
    # (ParentCurrency, dual_currency)
    "dual",
    "parent",
    # the currency a document's totals are converted into (exchange_currency)
    "exchange",
    # a web shop's scopes: the store's own currency and the one it reports
    # all stores in (store_currency_code, global_currency_code)
    "store",
    "global",
    # a sales channel's default currency beside the one the order is placed
    # in (channel_currency_code)
    "channel",
    # a credit limit's currency (Credit_Limit_Currency), kept with the limit
    # the ERP sets, which Stripe has none of
    "limit",
} | _SECONDARY  # an alternative or second currency shown beside the charged one
# A word that names the second currency's amount with no "currency" between
# (foreign_amount beside amount and foreign_currency_code).
_FOREIGN = {"foreign"}
# A first word that puts a whole amount in the company's currency, the record
# keeping each amount twice (base_grand_total beside grand_total); a bare
# "base amount" is rather a tax's base, the net it is charged on.
_IN_HOME_CURRENCY = {"base", "basis", "home", "functional", "reporting"}


# A description that says the currency is the transaction's own ("the
# transaction currency", "the document's currency"), whatever the name calls
# it: the one currency Stripe gives.
_THE_DOCUMENTS_CURRENCY = re.compile(
    r"(?i)\bthe\s+(transaction|document|invoice|payment)('s)?\s+currency\b"
)


def _second_currency(spec: FieldSpec) -> bool:
    """actualCurrencyAmount, foreign_amount, base_subtotal: the other currency's.

    Stripe gives a payment's amount in one currency; a second pair of
    amount and currency named for the company's, the actually paid or a
    foreign currency is the ERP's conversion, which no Stripe field holds.
    """
    words = list(tokens(_plain(spec.name)))
    own = list(leaf_tokens(spec.name))
    if (
        spec.type == DECIMAL
        and len(own) >= 2
        and own[0] in _IN_HOME_CURRENCY
        and own[1:] not in (["amount"], ["value"])
    ):
        return True  # base_subtotal, totals.home_tax_amount
    if _currency_of_home_amount(words):
        return True
    if spec.type == STRING and _THE_DOCUMENTS_CURRENCY.search(spec.description or ""):
        return False  # ExchangeCurrency "the transaction currency"
    return any(
        index
        and (
            # "currency" or a short form of it (base_curr, home_ccy)
            ("currency" in concepts(word) and words[index - 1] in _SECOND_CURRENCY)
            or ("amount" in concepts(word) and words[index - 1] in _FOREIGN)
        )
        for index, word in enumerate(words)
    )


def _currency_of_home_amount(words: list[str]) -> bool:
    """WKZ Basisumsatz: a currency's code named before the home amount it is of."""
    return any(
        "currency" in concepts(word) and after in _IN_HOME_CURRENCY
        for word, after in zip(words, words[1:], strict=False)
    )


# A payment's amount by a state other than taken: authorised (held on the
# card, not yet taken) or cancelled (released); a Stripe charge's amount is
# what was charged.
_NOT_TAKEN = {"authorized", "authorised", "canceled", "cancelled", "voided"}


def _money_not_taken(spec: FieldSpec) -> bool:
    """amountAuthorized.amount, amount_cancelled.currency: money never taken."""
    words = set(tokens(_plain(spec.name)))
    return bool(words & _NOT_TAKEN) and (
        spec.type == DECIMAL or bool(concepts(spec.name) & {"amount", "currency"})
    )


# Money beside what a payment moved: a tip, a fee someone took, the cash
# handed over before change was given, or the part of a gift the tax rules
# let (or do not let) the giver deduct (gift.deductible_part). Stripe's
# amount is what was charged; none of these is a field of a charge's own.
_MONEY_BESIDE = {
    "fee",
    "fees",
    "tip",
    "tips",
    "gratuity",
    "supplied",
    "tendered",
    "deductible",
    "nondeductible",
}


# A turnover (DocTaxTurnover "the sum of the values of the lines that
# contribute to the tax"): sales the ERP sums over its lines or periods.
_TURNOVER_WORDS = {"turnover", "turnovers"}


def _turnover(spec: FieldSpec) -> bool:
    """DocTaxTurnover: a sum the ERP keeps, neither the tax nor the total."""
    return spec.type in (DECIMAL, INT) and bool(
        set(tokens(_plain(spec.name))) & _TURNOVER_WORDS
    )


# An amount described as what is left once fees are taken ("total less
# fees", "the amount net of fees"): what reaches the seller's bank.
_NET_OF_FEES = re.compile(
    r"(?i)\b(?:less|minus|net\s+of|after)\s+(?:the\s+|any\s+)?"
    r"(?:processor\s+|processing\s+|transaction\s+)?fees?\b"
)


def _net_of_fees(spec: FieldSpec, profiles: dict) -> bool:
    """net_amount "the amount transferred: total less fees": no charge's field.

    The fee a processor takes is kept on the balance transaction, with the
    net it leaves; a charge or an invoice holds neither, so the sum less
    fees has no source on it. An object with a net of its own gives it.
    """
    return (
        spec.type in (DECIMAL, INT)
        and bool(_NET_OF_FEES.search(spec.description or ""))
        and not any(path.rpartition(".")[2] == "net" for path in profiles)
    )


def _money_beside_the_amount(spec: FieldSpec) -> bool:
    """tip_money.amount, feeAmount, gift.deductible_part: not the amount."""
    return spec.type in (DECIMAL, INT) and bool(
        set(tokens(_plain(spec.name))) & _MONEY_BESIDE
    )


# A date set for later (scheduled_at, plannedDate), or one a device kept of a
# payment taken offline: Stripe's dates are when its record was made.
_PLANNED = {"scheduled", "planned"}


# The day the record was keyed into the ERP ("The date the document was
# entered into the user's system"): the ERP's own entry, after Stripe made it.
_ENTERED_INTO_SYSTEM = re.compile(
    r"(?i)\b(entered|keyed|input)\s+(in|into)\s+(the\s+)?(\w+'s\s+)?system\b"
)


# A date described as simply today's ("entry date (today)", "always today's
# date"): the day the ERP writes the record, not when Stripe made it. One
# that only defaults to today ("default today", "today when absent") is not.
_TODAY_ONLY = re.compile(
    r"(?i)\(\s*today('s date)?\s*\)|\b(always|set to|stamped with)\s+today\b"
)


# A date described as the day a request is to be carried out ("the date on
# which to process the refund"): planned by the integration, not made yet.
_DAY_TO_CARRY_OUT = re.compile(
    r"(?i)\b(date|day|time)\s+(on\s+which|when)\s+to\s+"
    r"(process|execute|carry\s+out|perform|run)\b"
)


def _date_not_made(spec: FieldSpec) -> bool:
    """scheduled_at, client_created_at, InputDate: not the record's date."""
    if spec.type not in (DATE, DATETIME):
        return False
    words = set(tokens(_plain(spec.name)))
    return (
        bool(words & _PLANNED)
        or "offline" in words
        or bool(_ENTERED_INTO_SYSTEM.search(spec.description or ""))
        or bool(_TODAY_ONLY.search(spec.description or ""))
        or bool(_DAY_TO_CARRY_OUT.search(spec.description or ""))
    )


# A date of the sale itself ("Date of sale", sell_date): when the goods or
# services were supplied, which a VAT invoice may give beside its
# date of issue. A sales order's or invoice's date is the document's.
_SALE_WORDS = {"sale", "sell", "selling", "sold"}
_SALE_DATE_DESCRIBED = re.compile(r"(?i)^\W*(the\s+)?date\s+of\s+(the\s+)?sale\b")


# A sale given with its time of day (sale_time, "date and time of the
# sale"): the moment the sale was rung up, when the record was made, not a
# supply's day.
_DATE_AND_TIME_DESCRIBED = re.compile(r"(?i)^\W*(the\s+)?date\s+and\s+time\b")


def _sale_date(spec: FieldSpec) -> bool:
    """sell_date "Date of sale": the supply's date, not the document's."""
    if spec.type not in (DATE, DATETIME):
        return False
    words = set(tokens(_plain(spec.name)))
    if words & {"order", "invoice", "document"}:
        return False
    if spec.type == DATETIME and (
        "time" in words or _DATE_AND_TIME_DESCRIBED.match(spec.description or "")
    ):
        return False
    return bool(words & _SALE_WORDS) or bool(
        _SALE_DATE_DESCRIBED.match(spec.description or "")
    )


# A date of the taxable supply ("DateOfTaxing", "Date of the taxable
# supply"), or of what is done with the VAT (applied, claimed, deducted,
# booked): the ERP sets it by its tax rules, not from when Stripe made the
# document. A bare VAT or tax date is the issue date (see _of_another_thing),
# and a bare accounting date is the document's.
_TAXING_WORDS = {"taxable", "taxing"}
_VAT_EVENTS = {
    "application",
    "claim",
    "claimed",
    "deduction",
    "deducted",
    "accounting",
    "booking",
}
_TAXABLE_SUPPLY = re.compile(r"(?i)\btaxable\s+(supply|fulfil+ment)\b")


def _vat_date(spec: FieldSpec) -> bool:
    """DateOfTaxing, DateOfVatClaim: a date of the VAT the ERP sets."""
    if spec.type not in (DATE, DATETIME):
        return False
    words = set(tokens(_plain(spec.name)))
    return (
        bool(words & _TAXING_WORDS)
        or bool(words & {"vat", "tax"} and words & _VAT_EVENTS)
        or bool(_TAXABLE_SUPPLY.search(spec.description or ""))
    )


# "Country/Region for Name Format Rule": what picks a rule of how text is
# written, not what the text says.
_FOR_A_FORMAT_RULE = re.compile(r"(?i)\bfor\s+(?:the\s+)?(?:\w+\s+)?format\s+rules?\b")
_FORMAT_WORDS = {"format", "formats", "formatting"}
# A description that opens as the format or layout something is printed in
# ("shipping label format", "The default print format to use for orders",
# "Print template"): the ERP's choice for its paper, not a value of Stripe's.
_PRINT_LAYOUT = re.compile(
    r"(?i)^\W*(the\s+)?(default\s+)?(\w+\s+)?(label|print|printing|report)"
    r"\s+(format|template|layout)\b"
)


def _format_setting(spec: FieldSpec) -> bool:
    """NameFormat, a country "for the name format rule", a print format: a setting.

    A name whose last word is a format is how the thing before it is
    written (a name's format is no name); a value described as picking a
    format rule is the ERP's choice of layout, not a fact about the party.
    """
    words = leaf_tokens(spec.name)
    return spec.type == STRING and (
        (len(words) > 1 and words[-1] in _FORMAT_WORDS)
        or bool(_FOR_A_FORMAT_RULE.search(spec.description or ""))
        or bool(_PRINT_LAYOUT.search(spec.description or ""))
    )


# A signature or checksum a request carries (signature, requestSignature,
# doc_checksum): a digest the integration computes from its key and the
# request's values, no value of Stripe's.
_DIGEST_WORDS = {"signature", "signatures", "checksum", "checksums", "hmac"}


def _digest(spec: FieldSpec) -> bool:
    """order.signature, doc_checksum: computed by the integration."""
    return spec.type == STRING and bool(set(leaf_tokens(spec.name)) & _DIGEST_WORDS)


# What a date fixes when it is named for prices or exchange rates.
_PRICING_WORDS = {"pricing", "price", "prices", "rate", "rates", "fx"}


def _pricing_date(spec: FieldSpec) -> bool:
    """PricingDate "Date for pricing and exchange rate": a setting of the sums.

    The day prices or exchange rates are taken from is the ERP's to choose
    (by default the document's own date), not a date Stripe records.
    """
    if spec.type not in (DATE, DATETIME):
        return False
    return bool(set(tokens(_plain(spec.name))) & _PRICING_WORDS)


# The documents a payment settles later: no money has moved when they are made.
_UNSETTLED_DOCUMENTS = {"invoice", "credit_note"}


def _documents_value_date(spec: FieldSpec, context: Context) -> bool:
    """FixedValueDate on an invoice, Lines.0.ValueDate on a receipt: money's.

    A value date is the day money is credited or counts as paid; on an
    invoice or a credit note, which is made before any payment, it is the
    ERP's term or the bank's date, not the document's own date. On a line
    of a payment or a refund, dated by its header, it is the bank's date of
    that line's money; the payment's own value date is the day it was made.
    A payout's arrives on it.
    """
    if context.object_type == "payout":
        return False
    on_a_line = in_a_list(spec.name)
    if context.object_type not in _UNSETTLED_DOCUMENTS and not on_a_line:
        return False
    if spec.type not in (DATE, DATETIME):
        return False
    return _named_value_date(spec)


def _named_value_date(spec: FieldSpec) -> bool:
    """ValueDate, valutadate: a date named the value date (valuta) of money."""
    words = [w for w in tokens(_plain(spec.name)) if not w.isdigit()]
    return any(
        word in ("value", "valuta") and "date" in concepts(following)
        for word, following in zip(words, words[1:], strict=False)
    )


# An id of where a payment's money comes from or goes to ("the ID for the
# source of funds", "where funds will be refunded to"): a card token or an
# account, which the ERP's gateway issues; not the payment's own id.
_FUNDS_END = re.compile(
    r"(?i)\b(source|origin|destination)\s+of\s+(the\s+)?funds\b"
    r"|\bfunding\s+source\b|\bwhere\s+(the\s+)?funds\b"
)


def _funds_instrument(spec: FieldSpec) -> bool:
    """source_id "The ID for the source of funds": a payment token, not an id."""
    return (
        spec.type == STRING
        and "id" in concepts(_plain(spec.name))
        and bool(_FUNDS_END.search(spec.description or ""))
    )


# A description that opens by naming a bank account ("Bank account number",
# "IBAN of the contact"), perhaps in a sentence saying so ("This is the
# bank account number"): the party's bank details, which Stripe does not
# keep of a customer or a document.
_BANK_ACCOUNT_DESCRIBED = re.compile(
    r"(?i)^\W*((this|it)\s+is\s+)?(the\s+)?(bank\s+account|iban)\b"
)


def _bank_account_detail(spec: FieldSpec) -> bool:
    """AccountNumber "Bank account number": a bank's, not the customer's code."""
    return spec.type == STRING and bool(
        _BANK_ACCOUNT_DESCRIBED.match(spec.description or "")
    )


# An id the API's user sets to tie the record to one in their own system
# ("an ID to associate an entity in another system with this order", "an ID
# to associate the refund to its originating source"): for records the
# integration sends, that is Stripe's id, not a document number nor a key of
# another record.
_TIES_TO_ANOTHER_SYSTEM = re.compile(
    r"(?i)\bid\b.*\bassociate\b.*"
    r"\b((another|other|external)\s+system|originating\s+source)"
)
# A reference left to whoever integrates with the API ("Integrator-defined
# reference", "Integrator's external reference", "defined by the
# integrator"): the integration sends its own key, Stripe's id.
_INTEGRATORS_KEY = re.compile(
    r"(?i)\bintegrator(-defined|'s)\s|\b(set|defined)\s+by\s+the\s+integrator\b"
)
# The record's own key outside the ERP ("the invoice's external
# identifier", "the external record's id"): for a record the integration
# sends, Stripe's id, though the field is named and first described as an
# order number or nested in a link object.
_OWN_EXTERNAL_KEY = re.compile(
    r"(?i)\b((invoice|document|record|order|payment|customer|client)'s\s+"
    r"external|external\s+(invoice|document|record|order|payment|customer|client)'s)"
    r"\s+(id|identifier|key)\b"
)


# Where a system sends its users after an action (redirectUrl, return_url,
# callback_url) or its outcome (cancel_url, cancellation_url), its response
# (response_url, url_response), or its notices of a change
# (notification_url "URL that receives webhook notifications"): a page of
# the ERP's or the shop's, or an endpoint of the integration's, set up once.
_REDIRECT_WORDS = {
    "redirect",
    "redirected",
    "return",
    "callback",
    "response",
    "cancel",
    "cancellation",
    "cancelled",
    "canceled",
    "success",
    "failure",
    "notice",
    "notices",
    "notification",
    "notifications",
    "notify",
    "webhook",
    "webhooks",
    "ipn",
}
# A page described as where the payer is returned or sent back to ("the page
# the payer is returned to", "the URL to return your customer to", "the
# address the checkout uses to return to"), or sent to when something
# happens ("URL the payer is sent to when the invoice has expired"), is
# where the system redirects it, too.
_REDIRECTED = re.compile(
    r"(?i)\bredirect(ed|s)?\b|\bwebhooks?\b|\bIPN\b|\bto\s+return\s+to\b"
    r"|\b(is|are|gets?)\s+(returned|sent\s+back|taken\s+back)\s+to\b"
    r"|\b(is|are|gets?)\s+(sent|taken)\s+to\s+(when|after|once|if)\b"
    r"|\b(return|(send|take)(?=.*\bback\s+to\b))\s+(the|your)\s+"
    r"(customer|payer|buyer|shopper|user)s?\s+(back\s+)?to\b"
)


def _redirect_link(spec: FieldSpec) -> bool:
    """redirectUrl, notification_url: a page or endpoint set up, not the document's."""
    if "url" not in concepts(spec.name):
        return False
    return bool(set(tokens(_plain(spec.name))) & _REDIRECT_WORDS) or bool(
        _REDIRECTED.search(spec.description or "")
    )


# What names a state or a kind of the thing named before it (customer.status,
# payment.type): a group of the ERP's own labels, under whatever party.
_LABELLED_GROUPS = _KIND_WORDS | {"status"}


def _label_of_a_status(spec: FieldSpec) -> bool:
    """customer.status.name: the status's label, not the customer's name."""
    parts = _plain(spec.name).split(".")
    if len(parts) < 2 or tokens(parts[-1]) != ("name",):
        return False
    group = tokens(parts[-2])
    return bool(group) and group[-1] in _LABELLED_GROUPS


def _amount_written_out(spec: FieldSpec) -> bool:
    """valueText, amount_text: an amount as the ERP writes it out for display.

    A text after a word for an amount (value, amount, price, total) is the
    amount formatted ("12,00 EUR"), which the ERP makes from the number; it
    is no note, as "text" after a place's part (cityText) is no note either.
    """
    if spec.type != STRING:
        return False
    words = leaf_tokens(spec.name)
    return (
        len(words) >= 2
        and words[-1] in _FORM_WORDS
        and bool(concepts(words[-2]) & {"amount", "price"})
    )


# What a request allows the payer to choose from (allowed_currencies,
# accepted_payment_methods, methods_allowed, supportedCards): the options a
# shop or a gateway offers, set up once, not the values of one payment.
_ALLOWANCE_WORDS = {"allowed", "disallowed", "accepted", "permitted", "supported"}


def _allowed_values(spec: FieldSpec) -> bool:
    """allowed_currencies, methods_allowed: what may be chosen, a setting."""
    return bool(set(tokens(_plain(spec.name))) & _ALLOWANCE_WORDS)


# A value the ERP fills itself from its own records ("a value selected from
# the database using the selector defined on the input template").
_SELECTED_BY_ERP = re.compile(
    r"(?i)\b(selected|looked\s+up|read|taken)\s+from\s+the\s+database\b"
)


def _selected_by_erp(spec: FieldSpec) -> bool:
    """SelectedValue "a value selected from the database": the ERP's own."""
    return bool(_SELECTED_BY_ERP.search(spec.description or ""))


# A link to a file someone attached (AttachFile "The URL of an attached image
# file", logoImageUrl): the user's upload, not the page or PDF Stripe hosts.
_ATTACHED_WORDS = {"attach", "attached", "attachment", "image", "logo", "photo"}
_LINK_DESCRIBED = re.compile(r"(?i)\b(url|link|uri)\b")


def _attached_file_link(spec: FieldSpec) -> bool:
    """AttachFile "The URL of an attached image file": the user's upload."""
    if spec.type != STRING:
        return False
    text = spec.description or ""
    if "url" not in concepts(spec.name) and not _LINK_DESCRIBED.search(text):
        return False
    words = set(tokens(_plain(spec.name))) | set(tokens(text.lower()))
    return bool(words & _ATTACHED_WORDS) and "pdf" not in words


# A secret for signing in somewhere (PunchoutPassword, passwd, password2):
# set by a person, never kept by Stripe, whatever its type's name says.
_SECRET_WORDS = {"password", "passwd", "passphrase", "secret"}


def _secret(spec: FieldSpec) -> bool:
    """PunchoutPassword "The password for the user name": no Stripe field."""
    return spec.type == STRING and any(
        word.rstrip("0123456789") in _SECRET_WORDS for word in leaf_tokens(spec.name)
    )


# A list of notes (Comments "Holds the element's comment list"): records of
# their own, each with its text and date; Stripe keeps one text, no list.
_NOTE_WORDS = {"comment", "comments", "note", "notes", "remark", "remarks"}


def _note_list(spec: FieldSpec) -> bool:
    """Comments typed as a list: notes kept one by one, not Stripe's one text."""
    return spec.type in ("array", "list") and bool(
        set(leaf_tokens(spec.name)) & _NOTE_WORDS
    )


# A note the customer wrote or one kept about the customer ("Note left by
# customer during checkout", "Note about customer"), not one to the customer
# printed on the document. "Message that the customer entered at checkout"
# says the same with the customer as the subject, or the customer's own
# ("Customer's order comments"). On a refund, the reason the customer gives
# ("Customer reason") is theirs: Stripe's reason is the one the seller gave.
_NOTE_BY_OR_ABOUT_CUSTOMER = re.compile(
    r"(?i)\b(note|comment|remark|message)s?\s+"
    r"((left|written|made|entered|typed|added)\s+)?"
    r"(by|from|about)\s+(the\s+|a\s+)?(customer|client|buyer|shopper)"
    r"|\b(note|comment|remark|message)s?\s+((that|which)\s+)?(the\s+|a\s+)?"
    r"(customer|client|buyer|shopper)\s+(left|wrote|made|entered|typed|added)\b"
    r"|\b(customer|client|buyer|shopper)'s\s+(\w+\s+)?"
    r"(note|comment|remark|message)s?\b"
    r"|^\W*(the\s+)?(customer|client|buyer|shopper)('s)?\s+reason\b"
)


def _listed_recipient(spec: FieldSpec) -> bool:
    """recipients.0.city: an item of a list of the people an order goes to.

    Stripe's documents go to one party, the customer; a list of recipients
    (gift recipients, others notified) holds people Stripe names nowhere.
    The primary recipients (primary_recipients.0) are the party billed.
    """
    parts = spec.name.split(".")
    for part, after in zip(parts, parts[1:], strict=False):
        words = tokens(part)
        if words and words[-1] == "recipients" and after.isdigit():
            return "primary" not in words
    return False


def _customers_own_note(spec: FieldSpec, context: Context) -> bool:
    """customer_note "Note left by customer during checkout": not the document's.

    Nor, on a refund, "Customer reason": the reason the customer gave. Nor a
    note sent in the request that makes a party ("(Create Contact request
    body, …)"): the party's own note, which a document's description is not.
    """
    if context.object_type not in ("invoice", "credit_note", "charge", "refund"):
        return False
    if spec.type != STRING:
        return False
    if bool(_NOTE_BY_OR_ABOUT_CUSTOMER.search(spec.description or "")):
        return True
    made = _PARTY_REQUEST.search(spec.description or "")
    return (
        bool(made)
        and bool(set(tokens(made.group(1))) & _CUSTOMER_WORDS)
        and _describes_text(spec)
    )


# The record a request body makes, named in the bracket that places the
# field there ("(Create Contact request body, …)").
_PARTY_REQUEST = re.compile(
    r"(?i)\(\s*(?:create|add|new|make)\s+(?:an?\s+)?(\w+)\s+request\s+body\b"
)


# A message the payment processor gave ("Message from the payment processor
# if any"): its wording about the payment, not the document's text.
_FROM_THE_PROCESSOR = re.compile(
    r"(?i)\b(note|comment|remark|message|text)s?\s+from\s+(the\s+|a\s+)?"
    r"(payment\s+)?(processor|gateway|acquirer)"
)


def _processors_message(spec: FieldSpec) -> bool:
    """paymentMessage "Message from the payment processor": not the document's."""
    return spec.type == STRING and bool(
        _FROM_THE_PROCESSOR.search(spec.description or "")
    )


# A customer's text for the documents made out to it: printed on them,
# shown to the customer, added to every invoice.
_FOR_THE_DOCUMENTS = re.compile(
    r"(?i)\b(printed|shown|displayed)\s+(on|to)\b|\bcustomer[- ]facing\b"
    r"|\badded\s+to\s+(every|each|all)\b"
)


def _customers_document_note(spec: FieldSpec, context: Context) -> bool:
    """invoice_notes "Customer-facing note added to every invoice" on a customer.

    A customer's note the ERP prints on the invoices or delivery notes it
    makes out to the customer speaks to the customer; Stripe's description
    of a customer is the seller's own note about it, never printed. A text
    described as a name shown (narration "Name shown on the account") is
    the customer's name, not a note.
    """
    return (
        context.object_type == "customer"
        and spec.type == STRING
        and "description" in concepts(" ".join(leaf_tokens(spec.name)))
        and bool(_FOR_THE_DOCUMENTS.search(spec.description or ""))
        and not _NAME_SHOWN_DESCRIBED.match(spec.description or "")
    )


# A description that opens by saying the field is a name shown on something
# ("Name shown on the account number").
_NAME_SHOWN_DESCRIBED = re.compile(
    r"(?i)^\W*(the\s+)?name\s+(shown|printed|displayed)\s+(on|to)\b"
)


def _in_document_currency(spec: FieldSpec) -> bool:
    text = (spec.description or "").lower()
    return spec.type == DECIMAL and bool(_OWN_CURRENCY.search(text))


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


# Dates of another agreement than the document: a direct-debit mandate's.
_OTHER_AGREEMENTS = {"mandate", "contract", "agreement"}


# The original document a credit note or correction refers to (origInvoiceDate),
# or the origin document an invoice was made from (originDate).
_ORIGINAL = {"orig", "original", "origin"}
# A period's bounds or an accrual date (periodStartDate, dateAccrual): dates of
# the bookkeeping, which Stripe has only where a path is named so (period_end).
_PERIODS = {"period", "accrual", "accrued"}
# Dated things beside the document, named short: a discount's last day
# (DiscDate), a customer statement's (StmtDate).
_DATED_THINGS = {"disc", "statement", "stmt"}
# What a currency or an exchange rate is dated for: the day its rate holds.
_RATE_CONCEPTS = {"currency", "exchange"}


# What says money was taken, not planned: paid, received.
_MONEY_TAKEN = {"paid", "received"}


def _payments_list_amount(spec: FieldSpec, context: Context) -> bool:
    """sales_payments.0.payment_amount on an invoice: what was paid on it.

    An invoice written with its own list of the payments made on it (a
    till's sale with its payment rows) records in the list's entry the
    money taken for it, Stripe's amount paid, not a prepayment beside it.
    Only an entry named or described as paid or received: a list of
    payments planned (an instalment's amount and due date) parts the total.
    """
    if context.object_type != "invoice" or spec.type != DECIMAL:
        return False
    leaf = spec.name.rsplit(".", 1)[-1]
    said = set(tokens(_plain(leaf))) | set(tokens(spec.description or ""))
    return (
        _in_payments_list(spec)
        and "amount" in concepts(leaf)
        and bool(said & _MONEY_TAKEN)
    )


def _in_payments_list(spec: FieldSpec) -> bool:
    """sales_payments.0.*: a field of an entry in a list of payments."""
    parts = spec.name.split(".")
    return any(
        part.isdigit() and bool(concepts(_plain(parts[index - 1])) & _PAYMENT_EVENTS)
        for index, part in enumerate(parts)
        if index
    )


def _payments_list_reference(spec: FieldSpec, context: Context) -> bool:
    """sales_payments.0.reference_code on an invoice: the payment's reference.

    A reference in an entry of the invoice's own list of payments names the
    payment made (a card terminal's transaction reference), which Stripe's
    charge for the invoice is; a payment reference on the document itself
    is the remittance code the ERP issues.
    """
    return (
        context.object_type == "invoice"
        and spec.type == STRING
        and _in_payments_list(spec)
        and bool(set(tokens(_plain(spec.name.rsplit(".", 1)[-1]))) & _REFERENCE_WORDS)
    )


def _paid_on_document(spec: FieldSpec, context: Context) -> bool:
    """paidAmount on an invoice: a payment registered with it (a prepayment).

    Payments are posted from their charges, each against its invoice, so an
    amount paid given with the document would count the money twice.
    """
    if context.object_type not in ("invoice", "credit_note") or spec.type != DECIMAL:
        return False
    named = set(tokens(_plain(spec.name)))
    return bool(named & (_PAYMENT_EVENTS | {"prepaid"}))


# "Start of the invoiced service period", "Last day of the delivery period".
_PERIOD_BOUND = re.compile(
    r"(?i)\b(start|end|beginning|first day|last day)\b[^.;:]{0,40}\bperiod\b"
)


# The period of what was sold (a German Leistungszeitraum): of a service or
# a delivery, not of the bookkeeping.
_SUPPLY_PERIODS = {"service", "delivery", "performance", "supply"}
# A date named only as where a span starts or ends (start_date, endDate): a
# period's bound by another name, the document being dated by no span.
_SPAN_BOUNDS = {"start", "end", "begin", "beginning", "starting", "ending"}


# A date said to default to the record's creation ("by default, the date
# the deal is created", "defaults to the creation date"): when it starts is
# when it was made, unless set otherwise.
_DEFAULTS_TO_CREATION = re.compile(
    r"(?i)\b(?:by\s+default|defaults?\s+(?:to|is))\W+(?:to\s+|is\s+)?(?:the\s+)?"
    r"(?:(?:date|day|time)\s+(?:(?:the|this|that)\s+\w+|it)\s+(?:is|was)\s+"
    r"created|creation\s+(?:date|day|time))\b"
)


def _defaults_to_creation(spec: FieldSpec) -> bool:
    """BeginsOn "Start date; by default, the date the deal is created"."""
    return spec.type in (DATE, DATETIME) and bool(
        _DEFAULTS_TO_CREATION.search(spec.description or "")
    )


def _period_bound(spec: FieldSpec) -> bool:
    """A date described as a period's start or end, its name naming no period.

    A service period is kept per invoice line in Stripe; the invoice's own
    period_start and period_end bound the usage collected for it, which for
    a subscription looks back one period, so neither is the service
    period. A name that says period still ranks a path named so, unless the
    name or description makes it a service or delivery period
    (servicePeriodFrom); a description naming a service or delivery period
    makes any date one of its bounds (date_from "Service period: from").
    https://docs.stripe.com/api/invoices/object#invoice_object-period_start
    """
    if spec.type not in (DATE, DATETIME) or "due" in concepts(spec.name):
        return False  # "Due: end of the payment period"
    named = set(tokens(_plain(spec.name)))
    described = set(tokens(spec.description or ""))
    if named & _PERIODS:
        return bool((named | described) & _SUPPLY_PERIODS)
    if "period" in described and described & _SUPPLY_PERIODS:
        return True  # date_from "Service period: from"
    if named & _SPAN_BOUNDS or any(map(_GLUED_SPAN_BOUND.match, named)):
        return True  # start_date "The line item's start date", Endtime
    return bool(_PERIOD_BOUND.search(spec.description or ""))


# The words of goods sent (ShippedAt, dispatched_on, ship_date): when they
# left is a day of their supply.
_SHIPPED_WORDS = {"ship", "shipped", "shipping", "shipment", "delivered", "dispatched"}


def _supply_date(spec: FieldSpec) -> bool:
    """serviceDate, DeliveryDate, ShippedAt: when the goods or service were supplied.

    The day of a supply (a German Leistungsdatum) is the ERP's to set from
    what was delivered; Stripe dates its objects by when it made them, not
    by when what they bill was supplied. A period of the supply is bounded
    by _period_bound.
    """
    if spec.type not in (DATE, DATETIME):
        return False
    named = set(tokens(_plain(spec.name)))
    supplied = _SUPPLY_PERIODS | _SHIPPED_WORDS
    return bool(named & supplied) and not named & _PERIODS


_TAX_POINT = {"tax", "vat"}


def _of_another_thing(spec: FieldSpec, profiles: dict[str, Profile]) -> bool:
    """discount_date, sepa_mandate_date, sepa_mandate: nothing in Stripe is named so.

    A date of a discount, a statement, a currency's rate or the original
    document (origInvoiceDate), or
    any field of a mandate, contract or discount (default_discount_description),
    when no source (of a date, for a date) is named after it: a discount's
    text is not the customer's or the document's own description.
    """
    named = set(tokens(_plain(spec.name)))
    dated = spec.type in (DATE, DATETIME)
    other = _MONEY_KINDS | _OTHER_AGREEMENTS | _ORIGINAL | _PERIODS | _EARLIER_DOCUMENTS
    if dated:
        # A tax date (taxDate, the UK's tax point) is when the supply is
        # taxed: the date the document is issued, not a thing of its own.
        # https://www.gov.uk/guidance/vat-guide-notice-700#section14
        other = other - _TAX_POINT
    things = named & (other if dated else _OTHER_AGREEMENTS | _DISCOUNT_WORDS)
    if not dated and "address" in concepts(spec.name):
        # mandateAddress.city: the address a mandate is given for is its
        # signer's own postal address; an agreement has none apart.
        things = things - _OTHER_AGREEMENTS
    if dated:
        # DiscDate, StmtDate, CurrRateDate "effective date of the exchange rate"
        things |= named & _DATED_THINGS
        if not _named_value_date(spec):
            # valutadate: a value date (valuta) is money's day, not a
            # currency's, whatever the lexicon reads valuta as.
            things |= concepts(spec.name) & _RATE_CONCEPTS
    return bool(things) and not any(
        things & set(tokens(path))
        for path, profile in profiles.items()
        if profile.kind == "timestamp" or not dated
    )


# What a customer's one Stripe date is named for: when it was created.
_CREATION = {
    "created",
    "creation",
    "create",
    "since",
    "registered",
    "registration",
    "added",
    "signup",
}
# When the company itself began: a registration it names is in a trade
# register, not the customer's with the seller.
_FOUNDING = {
    "founded",
    "foundation",
    "founding",
    "established",
    "incorporated",
    "incorporation",
}


# "established as a customer", "became a client": when the party became one,
# which is when its customer record was made, not when its company was.
_BECAME_A_CUSTOMER = re.compile(
    r"(?i)\b(?:established|registered|became|become)\s+(?:as\s+)?an?\s+"
    r"(?:customer|client)\b"
)


def _customer_date_not_created(spec: FieldSpec, context: Context) -> bool:
    """startdate, enddate "Last allowed date for invoices" on a customer.

    Stripe's customer has one date, when it was created; any other date on
    a customer record (the first or last day its account may be invoiced,
    a mandate's, a birthday, the day the company was founded) is the ERP's
    own.
    """
    if context.object_type != "customer" or spec.type not in (DATE, DATETIME):
        return False
    if _BECAME_A_CUSTOMER.search(spec.description or ""):
        return False  # EstDate "when the customer was established as a customer"
    words = set(tokens(_plain(spec.name))) | set(tokens(spec.description or ""))
    return bool(words & _FOUNDING) or not words & _CREATION


def _partys_creation_date(spec: FieldSpec, context: Context) -> bool:
    """payer.date_created, payer.registration_date on an invoice: the party's.

    A document can carry its customer's record inline (a checkout's payer
    pre-filled); when that record was created or registered is the
    customer's date, which the document's samples do not hold, not the
    document's own creation.
    """
    if context.object_type == "customer" or spec.type not in (DATE, DATETIME):
        return False
    *owner, leaf = spec.name.split(".")
    owners = {word for part in owner for word in tokens(_plain(part))}
    return bool(owners & _CUSTOMER_WORDS) and bool(
        set(tokens(_plain(leaf))) & _CREATION
    )


# A tax exemption's certificate or category, as a sales-tax engine keys it.
_EXEMPTION_WORDS = {"exempt", "exemption", "exemptions", "exempted"}
_EXEMPTION_KEYS = {"number", "no", "num", "id", "certificate", "code", "category"}


def _tax_exemption_key(spec: FieldSpec) -> bool:
    """exempt_number "Tax exemption number", "Exemption category code".

    A sales-tax exemption is proven by a certificate and filed under a
    category; Stripe keeps only whether the customer is exempt (tax_exempt),
    never the certificate's number or its category. A key that names VAT
    ("VAT / tax exempt number") is the VAT number and is not touched.
    """
    if spec.type != STRING or spec.choices:
        return False
    words = set(tokens(_plain(spec.name))) | set(tokens(spec.description or ""))
    return (
        bool(words & _EXEMPTION_WORDS)
        and bool(words & _EXEMPTION_KEYS)
        and not words & _VAT_WORDS
    )


# A part before or after a number; a suffix is a postfix in some references.
_PARTS = {"prefix", "suffix", "postfix"}
# Where a phrase's head is followed by what qualifies it.
_RELATIVE_CLAUSE = re.compile(r"(?i)\b(?:that|which|whose|without)\b")


def _described_head(spec: FieldSpec) -> str:
    """The word a description's first phrase ends on: what the field is.

    "Invoice number prefix. Default: …" is a prefix; "Code of the state,
    without the country prefix" is a code, the clause after the comma saying
    what it leaves out; "A unique account number that does not begin with
    the default prefix" is a number, the relative clause saying what it is
    not.
    """
    phrase = re.split(r"[.;:(,]", spec.description or "", maxsplit=1)[0]
    phrase = _RELATIVE_CLAUSE.split(phrase, maxsplit=1)[0]
    words = [w for w in tokens(phrase) if not w.isdigit()]
    return words[-1] if words else ""


# "for this customer", "this client's": the party the record is.
_FOR_THIS_PARTY = re.compile(
    r"(?i)\b(for|of)\s+this\s+(customer|client|contact)\b|\bthis\s+(customer|client)'s\b"
)


# Words that make a prefix or suffix a text put before or after something
# (text_prefix "Text printed before the items"), not a number's part.
_TEXT_WORDS = {"text", "texts"}


def _number_part(spec: FieldSpec, context: Context) -> bool:
    """A number's prefix or suffix, by its name or its description's head.

    A prefix named as a text (text_prefix, introText) is a text placed
    before the document's items, which the document's description fills.
    On a customer, one described as for this customer's documents ("prefixed
    to all invoices for this customer") is the customer's own, as Stripe's
    invoice prefix is, not the books' number series.
    """
    named = set(tokens(spec.name))
    if named & _TEXT_WORDS:
        return False
    if context.object_type == "customer" and _FOR_THIS_PARTY.search(
        spec.description or ""
    ):
        return False
    return spec.type == STRING and (
        bool(named & _PARTS) or _described_head(spec) in _PARTS
    )
