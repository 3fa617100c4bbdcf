"""References to other records: which record a target points at, and its source.

A customer, invoice, charge, currency or country reference, read from the
target's name and description, resolved through the `lookup` transform or a
code already in the source.
"""

import re
from dataclasses import replace

from ..schemas import DATE, DECIMAL, FLAG, INT, STRING, FieldSpec
from .config import _PARENT_WORDS, _finds_the_address, _house_number
from .identity import (
    _held_in_your_application,
    _own_document_number,
    _own_key_described,
    _tax_id_named,
)
from .names import concepts, known_word, tokens
from .suggestion import Context, Suggestion, _abstain, _suggest
from .values import DATETIME, Profile, currency_code_shown, stated_length
from .words import (
    _APPLY_WORDS,
    _COMPANY_WORDS,
    _CUSTOMER_WORDS,
    _EARLIER_DOCUMENTS,
    _ID_WORDS,
    _INVOICE_WORDS,
    _KIND_WORDS,
    _LINK_WORDS,
    _OWN_SIDE,
    _PAYMENTS_KEY_DESCRIBED,
    _RECORD_HINTS,
    _RELATION,
    _mentions,
    _party_side,
    _plain,
    _quoted_description,
    _record_link,
    _side,
    _words,
    in_a_list,
    leaf_tokens,
)

# "the account the refund is paid from", "the account the funds are deposited
# to", "the account the discount is posted to", "the account the split posts
# to": an account money moves through.
_MONEYS_ACCOUNT = re.compile(
    r"(?i)\baccount\s+(?:that\s+|which\s+)?the\s+\w+\s+(?:(?:is|are|will\s+be)\s+"
    r"(?:paid|deposited|posted|booked|drawn|withdrawn|transferred)"
    r"|(?:posts|books|pays|draws))\s+(?:from|to|into)\b"
)

# The other party's role, in brackets ("the counterparty (the payer)").
_PARTY_ROLE = re.compile(
    r"(?i)\(\s*the\s+(buyer|payer|payee|customer|client|debtor)\s*\)"
)

# A bank account named in the field (fromBankAccount.number, bank_account_id).
_BANK_ACCOUNT = {"bank", "account"}


def _reference_kind(spec: FieldSpec, context: Context) -> str:
    """customer / invoice / currency / country when the target points at a record."""
    if spec.type == FLAG:
        # customerNotified, a yes or no: a flag holds no record's key,
        # whatever record its name begins with.
        return ""
    if _own_document_number(spec) or _own_key_described(spec, context):
        return ""
    if _listed_words(spec):
        # reason "why the payment is refunded" (DOUBLE_PAYMENT, FRAUD, ...):
        # one of its listed values, whatever record its description names.
        return ""
    if "phone" in concepts(_plain(spec.name)):
        # billing.phone.number "The customer's phone number": a number to
        # call the party on, which the description names the party of, not
        # a key of the party.
        return ""
    if _house_number(spec) or _finds_the_address(spec):
        # address.number "Number of the building the order goes to", a hint
        # to find where it goes: a part of the address, which the
        # description names the order of, not a key.
        return ""
    if _tax_id_named(spec):
        # vatId "VAT ID of the business partner": the party's tax number,
        # which the description names the party of, not a key of the party.
        return ""
    if _mentions(spec.description, ("ledger account",)):
        # payments.0.account_id "Ledger account the payment is booked to": a
        # ledger setting, whatever record the path it sits under names.
        return ""
    bank_account = _BANK_ACCOUNT.issubset(tokens(_plain(spec.name)))
    if _MONEYS_ACCOUNT.search(spec.description or "") or bank_account:
        # RefundFromAccountRef.ListID "the account the refund is paid from",
        # fromBankAccount.number: the bank or ledger account the money moves
        # through, a setting, not the payment the refund is of.
        return ""
    if _named_party_as_its_name(spec):
        # Customer "Customer name (max 256)": the party's name, not its key.
        return ""
    if _record_link(spec) and _PARTY_ROLE.search(spec.description or ""):
        # agent.meta.href "Metadata of the counterparty (the buyer)": the link
        # to the party the document or payment is with, named by its role.
        return "customer"
    if _customers_reference_group(spec, context):
        return "customer"
    if _owner_described_as_customer(spec, context):
        return "customer"
    if _payer_described(spec, context):
        return "customer"
    own = _OWN_SIDE.get(context.object_type)
    side = _party_side(spec)
    if own and side and side != own:
        return "customer"  # partyIdFrom on a payment: the party paying
    kind = _reference_kind_of(spec, context)
    if kind:
        return kind
    kind = _bare_key_of_described_record(spec, context)
    if kind:
        return kind
    if _own_record_in_url(spec, context):
        return context.object_type
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


# The words naming a reference group ("CustomerRef": the object an API
# refers to a record by, holding its key or its name).
_REFERENCE_GROUP_WORDS = {"ref", "reference"}


def _customers_reference_group(spec: FieldSpec, context: Context) -> bool:
    """CustomerRef.ListID, CustomerRef.FullName: the customer, by key or name.

    A group named for the customer and a reference holds the fields the API
    finds the customer by, either its key or its full name; each is the
    customer through the id map, not the customer's name as printed nor the
    document's own key. A group naming more (CustomerMsgRef) refers to
    another record.
    """
    segments = _plain(spec.name).split(".")
    if len(segments) < 2 or context.object_type == "customer":
        return False
    group = set(tokens(segments[-2]))
    if not group & _REFERENCE_GROUP_WORDS:
        return False
    named = group - _REFERENCE_GROUP_WORDS
    party = _CUSTOMER_WORDS - {"contact", "entity"}
    leaf = set(tokens(segments[-1]))
    return len(named) == 1 and named <= party and bool(leaf & (_ID_WORDS | {"name"}))


# Who may own a record besides the party it is with: a user of the ERP.
_OWNING_USERS = {"user", "employee", "staff", "salesperson", "agent", "member"}


def _owner_described_as_customer(spec: FieldSpec, context: Context) -> bool:
    """owner_guid "the owner the invoice belongs to (for a customer invoice
    the customer)": the customer, by key.

    A document kept for customers and other parties alike names the party it
    belongs to its owner, with the owner's kind beside it; described as the
    customer, the owner's key is the customer's. An owner described as a
    user or employee of the ERP is the seller's own person.
    """
    if context.object_type == "customer" or spec.type not in (STRING, INT):
        return False
    words = set(tokens(_plain(spec.name)))
    if "owner" not in words or not words & _ID_WORDS:
        return False
    described = set(tokens(spec.description or ""))
    return bool(described & {"customer", "client"}) and not described & _OWNING_USERS


# "the user who pays", "the person at the source of the refunded payment":
# a user of the payment's own system named as the one paying.
_PAYING_USER = re.compile(
    r"(?i)\b(?:user|person|party)\s+(?:(?:who|that)\s+(?:pays|paid|is\s+paying)\b"
    r"|at\s+the\s+(?:source|origin)\s+of\s+the\s+(?:\w+\s+)?"
    r"(?:payment|pay-in|payin|charge)\b)"
)


def _payer_described(spec: FieldSpec, context: Context) -> bool:
    """AuthorId "the id of the user who pays": the customer, by key.

    A key of a user described as the one paying, or as the one a payment
    came from, is the payer's: a payment's or a document's customer (for a
    refund, the refunded charge's), whatever the name calls the user.
    """
    if context.object_type == "customer" or spec.type not in (STRING, INT):
        return False
    if not set(tokens(_plain(spec.name))) & _ID_WORDS:
        return False
    lead = re.split(r"[;.]", spec.description or "", maxsplit=1)[0]
    return bool(_PAYING_USER.search(lead))


# "the ID of the order to refund": the record a call's key is of, and what
# the call does to it.
_KEY_OF_THE_RECORD = re.compile(
    r"(?i)\b(?:id|key|identifier)\s+of\s+the\s+(?:\w+\s+)?(?P<head>\w+)\s+to\s+\w"
)


def _bare_key_of_described_record(spec: FieldSpec, context: Context) -> str:
    """id "Path parameter: the ID of the order to refund": read as order_id.

    A key named by no record (a bare id in the URL) is the key of the
    record its description says the call acts on; read with that record's
    word, it is the reference a field named for it would be.
    """
    words = set(leaf_tokens(spec.name))
    if not words or not words <= _ROW_KEYS or not _path_parameter(spec):
        return ""
    found = _KEY_OF_THE_RECORD.search(spec.description or "")
    if not found:
        return ""
    named = replace(spec, name=f"{found['head'].lower()}_id")
    return _reference_kind_of(named, context)


def _own_record_in_url(spec: FieldSpec, context: Context) -> bool:
    """A bare id in the URL of a call on an invoice or customer: its own record.

    id "The unique identifier of a previously created payment request (path
    parameter)" on an invoice: a key in the URL whose record no word of
    Stripe's names is of the record the object was booked as. A charge's is
    not: its bare key may be the ERP's payment's own.
    """
    words = set(leaf_tokens(spec.name))
    return (
        context.object_type in ("invoice", "customer")
        and bool(words)
        and words <= _ROW_KEYS
        and _path_parameter(spec)
    )


# A description opening on the party's name: "Customer name", "The client's
# name", "Name of the customer".
_PARTYS_NAME = re.compile(
    r"(?i)^\W*(?:the\s+)?(?:(?P<party>\w+)(?:'s)?\s+name|name\s+of\s+the\s+(?P<of>\w+))\b"
)


def _named_party_as_its_name(spec: FieldSpec) -> bool:
    """Customer "Customer name (max 256)": a field named for the party alone.

    A bare party word (customer, client) as a name is read as the party's
    key; when the description opens on the party's name, it is its name,
    and no key field's lookup.
    """
    if spec.type != STRING:
        return False
    words = [w for w in leaf_tokens(spec.name) if not w.isdigit()]
    if len(words) != 1 or words[0] not in _CUSTOMER_WORDS:
        return False
    found = _PARTYS_NAME.match(spec.description or "")
    if not found:
        return False
    party = (found["party"] or found["of"] or "").lower()
    return party in _CUSTOMER_WORDS


def _lead_names_invoice_reference(spec: FieldSpec) -> bool:
    """Whether the description's lead phrase says the reference is an invoice's.

    "Reference of the invoice to allocate to"; "The customer's reference"
    says no more than the name does.
    """
    lead = re.split(r"[.;:(]", spec.description or "", maxsplit=1)[0]
    named = set(tokens(lead))
    return bool(named & {"ref", "reference"}) and bool(named & _INVOICE_WORDS)


# A party named by its side of the document: the bill-to customer is a customer.
# The invoicing or billing customer: the one the invoice is made out to.
_PARTY_SIDES = {
    "bill",
    "billto",
    "billing",
    "invoicing",
    "sold",
    "soldto",
    "ship",
    "shipto",
}
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
    leaf = [t for t in leaf_tokens(spec.name) if t.isalpha()]
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
# A document named by no kind: on a payment, the one it goes with.
_ANY_DOCUMENT = {"document", "doc"}
# The words a record's id goes by (order_uuid, customer_guid).
_ID_NAMES = {"id", "uid", "guid", "uuid"}
# A record's key, not its number.
_RECORD_KEYS = _ID_NAMES | {"key"}
# A record another refers to, named by no kind (ref_id, referenced_doc_id).
_REFERENCED = {"ref", "reference", "referenced", "related"}


# A record's external id (external_customer_id) is the key the system that
# sends it gave it: for this integration, the Stripe id, as an external id
# of the record itself is.
_EXTERNAL = {"external", "ext"}


# The party a document goes to, named by that role.
_RECIPIENTS = {"recipient", "receiver", "addressee"}
# A description that says the key is the sender's own: the integration's,
# which is Stripe's id. The merchant ("the record ID in the merchants
# system") is the API's user, who sends the record.
_SENDERS_KEY = re.compile(
    r"(?i)\b(your|the sender's|the calling|the merchant(?:'?s|s')?)\s+(own\s+)?"
    r"(system|application|app)\b"
    r"|\byour\s+own\s+(id|identifier|key|reference)\b"
)


def _senders_key(spec: FieldSpec) -> bool:
    """ "A unique value based on data your system contains": the sender's key."""
    return bool(_SENDERS_KEY.search(spec.description or ""))


# A description that opens on the client ("the client invoiced", "the paying
# client"): the key is the customer's.
_OPENS_ON_THE_CLIENT = re.compile(r"(?i)^\W*the\s+(\w+ing\s+)?(client|customer)\b")


# What every key is: customerUniqueId names the customer, not a record called
# unique.
_KEY_QUALIFIERS = {"unique"}


def _qualifier(word: str) -> bool:
    """A past participle (credited, invoiced): it qualifies a record, names none."""
    return len(word) > 5 and word.endswith("ed") and not known_word(word)


# What a description names when an account is one of the books, not a party.
_BOOKS_ACCOUNT = {
    "bank",
    "cash",
    "ledger",
    "gl",
    "receivable",
    "payable",
    "deposit",
    "deposited",
    "clearing",
    "chart",
    "income",
    "revenue",
    "expense",
    "booked",
    "posted",
}


def _account_billed(spec: FieldSpec, context: Context, words: set[str]) -> bool:
    """accountId, billing_account_id on a document or payment: the customer.

    In CRMs and subscription-billing systems the account a document or
    payment belongs to is the party billed; an account of the books says so
    (bank, cash, ledger, receivable), and one on a customer is its parent.
    """
    if context.object_type not in ("invoice", "credit_note", "charge", "refund"):
        return False
    if "." in spec.name or spec.type not in (STRING, INT):
        return False
    if not words & _ID_NAMES or not words & {"account", "acct"}:
        return False
    if words - _ID_WORDS - {"account", "acct", "billing", "billed", "bill"}:
        return False
    described = set(tokens(spec.description or ""))
    return bool(described) and not described & _BOOKS_ACCOUNT


# The types a form's field takes when it holds another record of the system,
# picked by its key or its name (a CRM's link, a relation).
_LINK_TYPES = {"link", _RELATION}
# The words a link to a record is named by beside the record's kind: its
# key, or the name or title it is shown by.
_SHOWN_BY = {"name", "title"}


def _account_linked(spec: FieldSpec, context: Context, words: set[str]) -> bool:
    """accountTitle typed a link, on a document or payment: the customer.

    A deal's or an order's account, held as a link to the account's record,
    is the party the document is with, as accountId is; on a customer the
    link to an account is another record (its parent), which no Stripe
    field is.
    """
    if context.object_type not in ("invoice", "credit_note", "charge", "refund"):
        return False
    if _account_typed_key(spec):
        return True
    if "." in spec.name or spec.type not in _LINK_TYPES:
        return False
    kinds = words - _ID_WORDS - _SHOWN_BY
    return bool(kinds) and kinds <= {"account", "acct"}


def _account_typed_key(spec: FieldSpec) -> bool:
    """acct.key typed "Account (one record, by key)": an account record's key.

    A type naming the record a key holds (an ORM's relation, written with
    the related model's name) says what the key is of, as a link's type
    does; a key of an account is read as one named accountId.
    """
    named = set(tokens(_plain(spec.name)))
    return (
        spec.type in ("account", "acct")
        and bool(named & _ID_WORDS)
        and named - _ID_WORDS <= {"account", "acct"}
    )


# "Id of the business partner invoiced": what a key is of, after "id of".
_ID_OF = re.compile(r"(?i)^\W*(?:the\s+)?(?:\w+\s+)?ids?\s+of\s+(?:the\s+|an?\s+)?")
# Words that close the noun phrase naming the record (the party the
# address belongs to, the invoice which is paid).
_PHRASE_END = {
    "the",
    "that",
    "which",
    "who",
    "whose",
    "this",
    "it",
    "for",
    "to",
    "in",
    "on",
    "at",
    "from",
    "with",
    "by",
    "of",
    "and",
    "or",
    "if",
    "when",
    "being",
}


def _lookup(table: str) -> list[dict]:
    """The transforms of a key resolved through the integration's `table` map."""
    return [{"name": "lookup", "params": {"table": table}}]


def _described_record_phrase(spec: FieldSpec, *, subject: bool = False) -> str:
    """The words naming the record a key is described as the id of, or ""."""
    description = spec.description or ""
    found = _ID_OF.match(description) or (
        _THE_RECORD.match(description) if subject else None
    )
    if not found:
        return ""
    return re.split(r"[(),;:]", description[found.end() :], maxsplit=1)[0]


def _described_record(spec: FieldSpec, *, subject: bool = False) -> str:
    """The head word of the record a key is described as the id of, or "".

    "Id of the business partner invoiced" → partner, "Ids of the party
    categories the party belongs to" → categories, "Id of the account.invoice
    the wizard pays" → invoice: English noun phrases are head-final, and a
    participle (invoiced, paying) or a relative clause ends the phrase.
    With `subject`, a description that opens on the record itself ("The
    client the transaction applies to") is read the same way.
    """
    phrase = _described_record_phrase(spec, subject=subject)
    head = ""
    owned = False
    for word in phrase.split():
        low = word.lower().removesuffix("'s")
        if low in _PHRASE_END or (
            len(low) > 4 and low.endswith(("ed", "ing")) and head and not owned
        ):
            break
        named = [t for t in tokens(low) if not t.isdigit()]
        head = named[-1] if named else head
        # "the party's stored payment method": the owner is no head; the
        # words after it (a participle among them) name what is owned.
        owned = word.lower().endswith("'s")
    return head


# The words a key of one record is named by ("sales_order_id", "line_uuid").
_ROW_KEYS = {"id", "key", "uid", "uuid", "guid"}


# "The client the transaction applies to": a description opening on a record.
_THE_RECORD = re.compile(r"(?i)^\W*the\s+")


def _described_kind(spec: FieldSpec, *, subject: bool = False) -> str:
    """customer / invoice when the description says the key is of one."""
    head = _described_record(spec, subject=subject)
    if head in _CUSTOMER_WORDS or head.removesuffix("s") in _CUSTOMER_WORDS:
        return "customer"
    if head in _INVOICE_WORDS:
        return "invoice"
    return ""


# "Id of the transaction this credit is for": a key of the record the one
# described is for, which for a credit note is the invoice it credits and for
# a refund the charge it gives back.
_FOR_THIS = re.compile(r"\bthis\s+\w+\s+(is|was)\s+(made\s+|issued\s+)?for\b")
_CREDITED = {"credit_note": "invoice", "refund": "charge"}
_TRANSACTIONS = {"transaction", "transactions", "txn", "trans"}
_PAYMENTS = {"payment", "charge"}
_ASSOCIATED = re.compile(r"\s+(?:associated|linked|related|attached)\s+(?:with|to)\b")
# What settles or credits a sales document: a payment, a credit note.
_SETTLING = {"charge", "credit_note"}


# A key whose description's lead phrase ends on an account ("Id of the source
# account (for a withdrawal an asset account)"): an account of the books, where
# money moves from or to, not the payment it came from.
_ACCOUNT_KEYED = re.compile(r"(?i)[^(;.]*\baccount\s*(\(|;|\.|$)")


# What a refund says of the payment it gives back, or hangs from as a child
# payment ("The ID of the parent payment"), or as the one completed before it
# ("The reference of a previously completed transaction").
_REFUNDED_PAYMENT_DESCRIBED = (
    "created from",
    "refunded",
    "original",
    "parent payment",
    "parent charge",
    "parent transaction",
    "completed transaction",
    "completed payment",
)


# A key's description closing on the party it names, as a bracket or after a
# colon: "the ID of the referenced record (the contact)", "Id of the source
# account (for a deposit a revenue account: the payer)".
_PARTY_NAMED_LAST = re.compile(
    r"(?i)[(:]\s*the\s+(contact|payer|customer|buyer|client|debtor)\s*\)?\s*$"
)


# What a refund's own list of entries is called (returns.0, items.0).
_REFUND_ENTRIES = {"returns", "return", "refunds", "items", "lines"}


def _described_as_its_key(spec: FieldSpec) -> bool:
    """order "order ID OR order reference": the name's record, by its key.

    A field named for a record alone whose description opens with that
    record's ID or reference holds its key, as order_id does; "Order of
    the split" is a sequence, no key.
    """
    leaf = leaf_tokens(spec.name)
    if not leaf:
        return False
    opening = re.compile(
        rf"(?i)^\W*(the\s+)?{re.escape(leaf[-1])}\s+(id|identifier|reference)\b"
    )
    return bool(opening.match(_quoted_description(spec)))


# "a hash, not the ISO code": a code the description denies is no code held.
_NOT_THE_CODE = re.compile(r"\bnot\s+(?:the\s+|an?\s+)?(?:iso\s+|country\s+)*code\b")


# How a payment gateway keeps a customer for later payments: as a vaulted or
# tokenised customer, or as a customer profile.
_STORED_AS = {"token", "tokenized", "tokenised", "vault", "vaulted", "profile"}


def _stored_customers_key(words: set[str], rest: set[str]) -> bool:
    """VaultCustomerID, clientProfileId: the customer, as the gateway keeps it.

    The key of a customer stored for later payments is the customer's key
    there, which the integration keeps in its customer map; a token alone
    (clientToken), with no key word, is a value of the gateway's own.
    """
    stored = rest & _STORED_AS
    party = rest - stored
    return (
        bool(words & _ID_WORDS)
        and bool(stored)
        and bool(party)
        and party <= _CUSTOMER_WORDS
    )


def _reference_kind_of(spec: FieldSpec, context: Context) -> str:
    words = _words(spec)
    if set(tokens(_described_record_phrase(spec))) & _EARLIER_DOCUMENTS:
        # related_id "ID of the proforma/invoice (for invoices issued from
        # proformas)": a document before the invoice, the ERP's own.
        return ""
    if (
        context.object_type in ("invoice", "credit_note", "charge")
        and spec.type in (STRING, INT)
        and words & _ROW_KEYS
        and _PARTY_NAMED_LAST.search(spec.description or "")
    ):
        return "customer"  # referenceId "... of the referenced record (the contact)"
    if context.object_type not in ("", "customer") and (
        _held_in_your_application(spec) & _CUSTOMER_WORDS
    ):
        return "customer"  # "Identifier of the contact in your application"
    rest = words - _ID_WORDS - _LINK_WORDS - _APPLY_WORDS
    # C_BPartner_ID, M_PriceList_ID: a lone letter is a table's prefix or an
    # abbreviation (B for business), which names no record.
    rest = {word for word in rest if not _qualifier(word) and len(word) > 1}
    rest -= _KEY_QUALIFIERS
    if {"third", "party"} <= rest:
        rest.discard("third")  # a third party is the other party: the customer
    if {"business", "partner"} <= rest:
        rest.discard("business")  # a business partner (SAP, ADempiere): the party
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
    related = spec.type == _RELATION
    as_record = (
        spec.type == INT
        or related
        or bool(words & _ID_NAMES)
        or _mentions(desc, _RECORD_HINTS)
    )
    # A "record id" of at most five characters holds the ISO code itself.
    width = stated_length(spec)
    as_record = as_record and not (width and width <= 5)
    # A currency held as a unit of measure (currencyUomId) is keyed by the
    # unit's code, which for a currency is its ISO 4217 code (USD, EUR).
    as_record = as_record and not (
        words & {"uom", "unit"} and "currency" in concepts(spec.name)
    )
    # A keyed name described as the currency or country itself ("The currency
    # of the invoice") holds its ISO code, as a key may in a REST API.
    as_record = as_record and not _described_as_the_place(spec, name_c)
    # A currency key whose description shows an ISO code as the value sent
    # ("the request example sends 'EUR'") takes that code, not a record.
    as_record = as_record and not (
        "currency" in name_c and spec.type != INT and currency_code_shown(spec)
    )
    # A whole number cannot hold an ISO code or a name: "Id of the country
    # code" is a record's id whatever its description names; nor can a
    # relation, which holds the record itself.
    whole = spec.type == INT or related
    if "currency" in name_c and as_record and (whole or not _mentions(desc, ("code",))):
        return "currency"
    if _currency_by_name(spec):
        return "currency"
    if (
        "country" in name_c
        and as_record
        and (whole or not _mentions(_NOT_THE_CODE.sub("", desc), ("code", "name")))
    ):
        return "country"  # an enumeration of country names is the name itself
    if (
        context.object_type in ("charge", "credit_note")
        and words & {"ref", "reference"}
        and rest <= _CUSTOMER_WORDS
        and _lead_names_invoice_reference(spec)
    ):
        # custref "Reference of the invoice to allocate to": the reference a
        # customer quotes is the invoice's, which a payment or credit goes to.
        return "invoice"
    if (
        words
        and rest
        and rest & _CUSTOMER_WORDS
        and rest <= _CUSTOMER_WORDS | _PARTY_SIDES
    ):
        return "customer"  # CustomerNumber, BillToCustomerNumber
    if _stored_customers_key(words, rest):
        return "customer"  # VaultCustomerID, clientProfileId
    named = rest - _EXTERNAL
    if named != rest and named & _CUSTOMER_WORDS and named <= _CUSTOMER_WORDS:
        return "customer"  # external_customer_id: the customer, by the key we gave
    company = rest - _CUSTOMER_WORDS
    if (
        words & _ID_WORDS
        and rest & _CUSTOMER_WORDS
        and company
        and company <= _COMPANY_WORDS
        and _OPENS_ON_THE_CLIENT.search(desc)
        and "customer" in context.paths
    ):
        # organizationContactId "the client invoiced": the company's own
        # contact, described as its client, is the customer of an object
        # that names one (a fee's balance entry names none).
        return "customer"
    if (
        context.object_type not in ("", "customer")
        and words & _ID_WORDS
        and rest
        and rest <= _CUSTOMER_WORDS | _RECIPIENTS
        and _senders_key(spec)
    ):
        # recipientIdentifier "a unique value based on data your system
        # contains": the party the document goes to, by the key we gave it.
        return "customer"
    if rest & _CUSTOMER_WORDS and rest <= _CUSTOMER_WORDS | {"account", "acct"}:
        return "customer"  # CustomerAccount: the customer's account, its code
    if rest <= {"account", "acct", "display", "value"} and _customer_mentioned(
        desc, context
    ):
        return "customer"
    if _account_billed(spec, context, words) or _account_linked(spec, context, words):
        return "customer"
    if words and rest and rest <= _INVOICE_WORDS:
        return "invoice"
    referencing = bool(words & (_ID_WORDS | {"doc", "document"})) or _mentions(
        desc, _RECORD_HINTS
    )
    named = set(tokens(_plain(spec.name)))
    if (
        context.object_type in ("charge", "refund")
        and named & _RECORD_KEYS
        and named - _RECORD_KEYS
        and named - _RECORD_KEYS <= _ANY_DOCUMENT
    ):
        # document.id, doc_id on a payment: the one document it goes with,
        # the invoice a charge pays or the charge a refund gives back (its
        # number, DocumentNumber, is the payment's own).
        return {"charge": "invoice", "refund": "charge"}[context.object_type]
    if (
        context.object_type == "credit_note"
        and spec.type == INT
        and named & _RECORD_KEYS
        and named - _RECORD_KEYS
        and named - _RECORD_KEYS <= _ANY_DOCUMENT | _REFERENCED
    ):
        # ref_id "Reference document id" on a credit note: a whole-number key
        # of the document it refers to, which is the invoice it credits (a
        # text reference, reference_no, is the credit note's own).
        return "invoice"
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
        # DebitedFunds.Currency "the funds to refund (the pay-in is refunded
        # whole when ...)": a currency or an amount, whatever payment its
        # description names.
        and not name_c & {"amount", "type", "currency"}
    ):
        # parent_id: the record a refund is the child of is the payment it
        # gives back, as the one it was created from is.
        origin = words & (
            {"created", "from", "original", "origin", "source"} | _PARENT_WORDS
        )
        if _ACCOUNT_KEYED.match(spec.description or ""):
            origin = set()  # source_id "Id of the source account": the books'
        if (origin and (referencing or "payment" in name_c)) or _mentions(
            desc, _REFUNDED_PAYMENT_DESCRIBED
        ):
            return "charge"  # createdFrom: the sale the refund gives back
        keyed = words & (_RECORD_KEYS | {"ids"}) or (
            _PAYMENTS_KEY_DESCRIBED.search(_quoted_description(spec))
        )
        if "payment" in name_c and keyed and not rest - {"payment", "charge"}:
            # payment_id, or links.payment "ID of the payment against which
            # the refund is made": a refund's payment is the charge; a
            # payment reference (PaymentRef) is the refund's own.
            return "charge"
        if keyed and not rest and _PAYMENTS_KEY_DESCRIBED.search(desc):
            return "charge"  # id "The payment's ID": the payment refunded
        if (
            keyed
            and not rest
            and _path_parameter(spec)
            and _A_PAYMENTS_KEY.search(desc)
        ):
            # id "the Acme payment's id, the path parameter of POST
            # /payments/{id}/refund": the key in the URL of the payment the
            # refund gives back, however the description opens.
            return "charge"
        if (
            words & {"reference", "ref"}
            and not rest - {"reference", "ref"}
            and _path_parameter(spec)
            and _PAYMENTS_CREATED_REFERENCE.search(desc)
        ):
            # reference "The reference when creating the payment", the path
            # parameter of POST /payments/{reference}/refund: the key the
            # payment refunded was created with.
            return "charge"
    if (
        context.object_type == "credit_note"
        and spec.type in (STRING, INT)
        and "payment" in name_c
        and words & (_RECORD_KEYS | {"ids"})
        and not rest - {"payment", "charge"}
    ):
        # payment_id on a credit note: the payment it cancels or gives back
        # is the one made for the invoice it credits, which the ERP keeps
        # under the Stripe invoice.
        return "invoice"
    applied = _application_kind(spec, context)
    if applied:
        return applied
    described_record = _described_record(spec)
    if (
        context.object_type == "customer"
        and _mentions(desc, ("belongs to", "belonging to"))
        and set(tokens(desc)) & _CUSTOMER_WORDS
        and (not described_record or _described_kind(spec) == "customer")
        and not _customer_belongs(desc)
    ):
        # "The customer this address belongs to"; "Ids of the categories the
        # party belongs to" are the categories'.
        return "customer"
    if (
        words & _ID_WORDS or context.object_type not in ("", "customer")
    ) and _customer_key_described(spec):
        # CardCode "Customer code", user.id "Customer ID associated with the
        # order": the name is the ERP's jargon, the description names the party.
        return "customer"
    if words and not rest - _ANY_RECORD and words & _ID_WORDS:
        # The name says only "the id of": the description says of what.
        if _mentions(desc, ("invoice",)):
            return "invoice"
        if _customer_mentioned(desc, context):
            return "customer"
        if context.object_type in _SETTLING and _mentions(desc, ("order",)):
            # id "ID of the order to mark paid": the sales document a payment
            # settles or a credit note credits, which Stripe keeps as the
            # invoice.
            return "invoice"
        if (
            context.object_type == "refund"
            and _described_record(spec) in _TRANSACTIONS | _PAYMENTS
        ):
            # id "The ID of the transaction": the payment a refund gives back.
            return "charge"
    keyed = (
        spec.type == INT
        or bool(words & (_ID_NAMES | {"ids"}))
        or _described_as_its_key(spec)
    )
    if keyed and spec.type in (STRING, INT) and _described_kind(spec):
        # payee "Id of the party paying", active_id "Id of the account.invoice
        # the wizard pays": the description names the record the name does not.
        return _described_kind(spec)
    if spec.type == INT and _described_kind(spec, subject=True) == "customer":
        # userid "The client the transaction applies to": a whole-number key
        # described as the customer itself.
        return "customer"
    if (
        context.object_type in _CREDITED
        and keyed
        and not in_a_list(spec.name)
        and _FOR_THIS.search(desc)
        and _described_record(spec) in _ANY_RECORD | _ANY_DOCUMENT | _TRANSACTIONS
    ):
        # transaction_id "Id of the transaction this refund is for": the
        # record a credit note or refund is for is what it credits or returns.
        return _CREDITED[context.object_type]
    # returns.0.order: the refund's own list of what it gives back names no
    # record; the word after it does.
    listed = rest - _REFUND_ENTRIES
    if (
        context.object_type == "refund"
        and keyed
        and spec.type in (STRING, INT)
        and listed
        and all(concepts(word) == {"order"} for word in listed)
    ):
        # order_id "ID of the order" on a refund: the sale it gives back,
        # which Stripe keeps as the charge refunded.
        return "charge"
    if (
        context.object_type == "charge"
        and keyed
        and spec.type in (STRING, INT)
        and rest
        and all(concepts(word) == {"order"} for word in rest)
    ):
        # orderId "The order the payment is recorded against" on a charge:
        # the sale it pays, which Stripe keeps as the charge's invoice.
        return "invoice"
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


_KEY_WORDS = {"id", "code", "number", "no"}


# The party on the other side of a purchase, named beside the customer.
_OTHER_PARTIES = {"supplier", "vendor", "creditor"}


# Either party of a trade named with a slash ("customer/vendor code").
_EITHER_PARTY = re.compile(
    r"\b(customer|client)\s*/\s*(supplier|vendor|creditor)\b"
    r"|\b(supplier|vendor|creditor)\s*/\s*(customer|client)\b"
)


def _customer_key_described(spec: FieldSpec) -> bool:
    """A key described as the customer's: "Customer code", "Customer ID
    associated with the order".

    What follows a participle (associated with, linked to) says where the
    key sits, not what it is of.
    """
    description = _quoted_description(spec).lower()
    head = _ASSOCIATED.split(description, maxsplit=1)[0]
    # "(customer/vendor code); string in the API": the lead phrase says
    # what the key is, the notes after a semicolon how it is sent.
    head = head.split(";", 1)[0]
    described = {t for t in tokens(head) if t not in ("the", "of", "s")}
    if _EITHER_PARTY.search(head):
        described.add("or")  # customer/vendor: either party, as "or" says
    if "or" in described and described & _CUSTOMER_WORDS:
        # "Customer or Supplier Code": either party's key; a document the
        # integration books is a sale, so the customer's.
        described -= {"or"} | _OTHER_PARTIES
    return (
        bool(described & _CUSTOMER_WORDS)
        and described <= _CUSTOMER_WORDS | _KEY_WORDS | _EXTERNAL
        and bool(described & _KEY_WORDS)
    )


# What a description says when a key is of a record, not the thing itself.
_RECORD_WORDS = {
    "id",
    "ids",
    "identifier",
    "key",
    "record",
    "records",
    "register",
    "table",
    "object",
    "entity",
    "reference",
    "link",
    "uom",
}


def _listed_words(spec: FieldSpec) -> bool:
    """A field whose values are listed words holds one of them, no key.

    An enumeration (DOUBLE_PAYMENT, BUYER_REQUEST, FRAUD) names a kind of
    thing, which no record's key is; a currency's or a country's listed
    codes are the record's own code.
    """
    choices = [str(choice) for choice in spec.choices or ()]
    if len(choices) < 2 or concepts(_plain(spec.name)) & {"currency", "country"}:
        return False
    return all(re.fullmatch(r"[A-Za-z][A-Za-z_ -]*", choice) for choice in choices)


def _currency_by_name(spec: FieldSpec) -> bool:
    """currency_name "Currency", exch_name "(currency)": the currency's record.

    A text field named a name and held for a currency, by its name or by a
    description that opens on the currency, takes the currency as the ERP
    names it: its currency record, which Stripe's ISO code is looked up in.
    A country has a name of its own (country_code:name); a currency has none
    Stripe could give.
    """
    leaf = leaf_tokens(spec.name)
    if spec.type != STRING or not leaf or leaf[-1] != "name":
        return False
    if "currency" in concepts(" ".join(leaf)):
        return True
    lead = re.split(r"[;,.]", spec.description or "", maxsplit=1)[0]
    return tokens(lead)[:1] == ("currency",)


def _described_as_the_place(spec: FieldSpec, named: frozenset[str]) -> bool:
    """currencyId "The currency of the invoice", countryId "The contact's country".

    A text key named for a currency or country whose description speaks of
    the currency or country itself, and of no record, id or table, keys it
    by what names it: its ISO code. "Id of the contact's currency", "(a
    currency record)" and an undescribed key stay a record's.
    """
    if spec.type != STRING or not spec.description:
        return False
    places = named & {"currency", "country"}
    described = set(tokens(spec.description))
    if not places or not places & concepts(spec.description):
        return False
    return not described & _RECORD_WORDS and not _mentions(
        spec.description, _RECORD_HINTS
    )


# "Shop the customer belongs to": the word before "belongs to" is what belongs.
_BELONGER = re.compile(r"(\w+)\s+(?:belongs|belonging)\s+to\b")


def _customer_belongs(description: str) -> bool:
    """The customer is what belongs, so the key is of what it belongs to.

    "The customer this address belongs to" names the customer as the owner;
    "Shop the customer belongs to", "Business entity the customer belongs
    to" name a record of the ERP's that owns the customer, which Stripe
    does not keep.
    """
    found = _BELONGER.search(description)
    return bool(found) and found.group(1) in _CUSTOMER_WORDS


# A description whose subject is an invoice, then what this record does to it.
_INVOICE_SUBJECT = re.compile(
    r"\s*(the\s+)?(sales\s+)?invoice\s+(the|that|which|this|it|being|paid|settled|credited)\b"
)


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
    # transactionLinks: the documents a receipt is linked to, allocated to
    "link",
    "links",
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


def _ids_with(profiles: dict[str, Profile], prefix: str) -> list[str]:
    found = [
        path
        for path, profile in profiles.items()
        if prefix in profile.id_prefixes and not path.startswith("options.")
    ]
    return sorted(found, key=lambda p: (p.count("."), len(p)))


# "the Acme payment's id" anywhere in a description: a payment's key.
_A_PAYMENTS_KEY = re.compile(r"(?i)\bpayment'?s\s+(?:id|key|identifier|uuid)\b")
# A reference described as the one given when the payment was created.
_PAYMENTS_CREATED_REFERENCE = re.compile(
    r"(?i)\breference\b[^.;]{0,20}\b(?:when|on)\s+creating\s+(?:the|a)\s+payment\b"
)
# "(path)", "(path parameter)": the field is a parameter in the request's URL.
_PATH_PARAMETER = re.compile(r"(?i)\(path\b|\bpath parameter\b")


# "The ID of the client associated with this contact": the customer a record
# created under it is tied to, said from the record's side.
_OF_THIS_RECORD = re.compile(
    r"(?i)\b(associated|linked|attached)\s+(with|to)\s+this\s+"
    r"(contact|person|address|record)\b"
)


def _path_parameter(spec: FieldSpec) -> bool:
    """A field sent in the URL, which names a record that exists already.

    Said in words ("(path parameter)"), or shown by the URL the description
    quotes with the field's own name in braces in it ("PUT
    /contacts/{contact_id}" for contact_id).
    """
    description = spec.description or ""
    leaf = spec.name.rsplit(".", 1)[-1]
    return bool(_PATH_PARAMETER.search(description)) or (
        bool(leaf) and f"/{{{leaf}}}" in description
    )


# What a field says of the record it belongs to rather than keys it: its kind,
# a person's role or title (a link's name, link_name, is the record's key).
_OWNERS_ATTRIBUTES = _KIND_WORDS | {"role", "title"}


def _owners_attribute(spec: FieldSpec) -> bool:
    """cards.0.OwnerKind "The type of entity this card belongs to": what the
    record is (or the role it has), no link to it."""
    leaf = set(leaf_tokens(spec.name))
    return bool(leaf & _OWNERS_ATTRIBUTES) and not leaf & _ID_WORDS


def _reference_suggestion(
    spec: FieldSpec, kind: str, profiles: dict[str, Profile], context: Context
) -> Suggestion | None:
    if kind == "customer" and context.object_type == "customer":
        linked = (
            _mentions(spec.description, ("belongs to", "belonging to"))
            or bool(_OF_THIS_RECORD.search(spec.description or ""))
        ) and not _owners_attribute(spec)
        if (linked or _path_parameter(spec)) and "id" in context.paths:
            # An address or contact record's link to its customer, or the
            # customer named in the URL the record is created under
            # (/clients/{clientId}/addresses): a record that exists already.
            return _suggest(
                spec,
                "id",
                _lookup("customer"),
                0.95,
                "the customer this record belongs to: its Stripe id through the id map",
            )
        return None  # the customer's own code: the ordinary ranking finds it
    if kind == "invoice" and context.object_type == "invoice":
        if _path_parameter(spec) and "id" in context.paths:
            # /orders/{id}/generate-invoice: the record named in the URL
            # exists already, made earlier for this invoice.
            return _suggest(
                spec,
                "id",
                _lookup("invoice"),
                0.95,
                "the record made for this invoice, named in the URL: its Stripe "
                "id through the id map",
            )
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
            _lookup(kind),
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
    if (
        direct
        and kind == "customer"
        and (_words(spec) & _EXTERNAL or _senders_key(spec))
    ):
        return _suggest(
            spec,
            direct[0],
            [],
            0.95,
            "the customer's external id: the key the integration gave, its Stripe id",
        )
    if direct:
        return _suggest(
            spec,
            direct[0],
            _lookup(kind),
            1.0,
            f"a {kind} reference: the Stripe {kind} id through the id map",
        )
    if kind == "customer":
        charges = _ids_with(profiles, "ch")
        if charges:
            return _suggest(
                spec,
                charges[0],
                _lookup("customer_of_charge"),
                0.9,
                "a customer reference: the charge's customer through the id map",
            )
    charges = _ids_with(profiles, "ch")
    if (
        kind == "invoice"
        and context.object_type == "refund"
        and charges
        and "invoice" in tokens(_plain(spec.name))
    ):
        # A refund recorded on an invoice named as such (invoice_id,
        # invoiceNumber) gives back the charge that paid it: the invoice is
        # the ERP's record made for that charge. An original document or a
        # reference number (invno, RefNumber) may be another record.
        return _suggest(
            spec,
            charges[0],
            _lookup("charge"),
            0.9,
            "an invoice a refund is recorded on: the one booked for its charge",
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


# The token an order or cart is addressed by ("the token of the cart the
# item is added to"): a shop's key of the order made for the invoice.
_ORDER_TOKEN = re.compile(r"(?i)\btoken of the (order|cart|basket)\b")
# Where the order made for a document sits: the invoice itself on an
# invoice, the charge's invoice on a charge.
_ORDER_PATHS = {"invoice": "id", "charge": "invoice"}


def _order_token_suggestion(
    spec: FieldSpec, profiles: dict[str, Profile], context: Context
) -> Suggestion | None:
    """An order's token: the order made for the invoice, through the invoice map.

    A shop addresses an order (or the cart it is made from) by a token, not
    a number; the integration makes that order for the Stripe invoice, so
    the token is the invoice's, looked up as an invoice key is.
    """
    words = set(leaf_tokens(spec.name))
    if "token" not in words or not words <= {"token", "value", "order", "cart"}:
        return None
    if not _ORDER_TOKEN.search(spec.description or ""):
        return None
    path = _ORDER_PATHS.get(context.object_type, "")
    if path not in profiles:
        return None
    return _suggest(
        spec,
        path,
        _lookup("invoice"),
        0.95,
        "the token of the order made for the invoice: through the invoice map",
    )


# A row described as belonging to a document: "the sales order the row
# belongs to", "the invoice this line is on", "the invoice to add this line
# item to", "the sales order, to which the sales order lines pertain".
_ROW_OF_DOCUMENT = re.compile(
    r"(?i)\b(row|line|item|position|entry)\s+(belongs\s+to|is\s+(on|in|part\s+of))\b"
    r"|\bto\s+which\s+(?:the\s+)?(?:\w+\s+){0,2}"
    r"(rows|lines|items|positions|entries)\s+(belong|pertain)\b"
    r"|\badd\s+(this|the)\s+(line\s+item|row|line|item|position|entry)\s+to\b"
    r"|\b(row|line|item|position|entry)\s+is\s+added\s+to\b"
)
_DOCUMENT_HEADS = {"order", "invoice", "document", "sale", "cart", "basket"}
# A customer word that only says whose a document is ("the customer order",
# "customerOrder"): the document it qualifies, no mention of the customer.
_CUSTOMERS_DOCUMENT = re.compile(
    r"(?i)\b(?:customer|client)\s*(?:{})".format("|".join(sorted(_DOCUMENT_HEADS)))
)


def _customer_mentioned(desc: str, context: Context) -> bool:
    """A description naming the customer, on an invoice not as its order's owner.

    On an invoice, "the customer order" is the sales document the invoice
    stands for, so its key is the invoice's own, not the customer's; a
    payment's or a customer's own record is no such document, and there the
    words still name the customer.
    """
    if context.object_type == "invoice":
        desc = _CUSTOMERS_DOCUMENT.sub(" ", desc)
    return _mentions(desc, ("customer",))


# "The unique identifier for the sales order, to which …": the record a key is
# of, named after the words that say it is its key.
_KEY_FOR_THE_RECORD = re.compile(
    r"(?i)\b(?:id|identifier|key)\s+(?:of|for)\s+the\s+(?:\w+\s+)?(?P<head>\w+)"
    r"\s*,?\s+to\s+which\b"
)


def _document_key_described(spec: FieldSpec, described: re.Pattern) -> bool:
    """A key (sales_order_id, id_order) whose description matches `described`
    and names, as its subject, an order, an invoice or another document."""
    if spec.type not in (STRING, INT) or not set(leaf_tokens(spec.name)) & _ROW_KEYS:
        return False
    if not described.search(spec.description or ""):
        return False
    head = _described_record(spec, subject=True)
    keyed = _KEY_FOR_THE_RECORD.search(spec.description or "")
    heads = {head, keyed["head"].lower() if keyed else ""}
    return any(({h} | concepts(h)) & (_DOCUMENT_HEADS | _INVOICE_WORDS) for h in heads)


def _parent_document_suggestion(
    spec: FieldSpec, profiles: dict[str, Profile], context: Context
) -> Suggestion | None:
    """sales_order_id "The ID of the sales order the row belongs to".

    A record that is one row of a document (written once per invoice line)
    names the document it belongs to by key; the document is the one the
    integration made for the Stripe invoice, so the key is the invoice's
    own, looked up through the invoice map.
    """
    if context.object_type != "invoice" or "id" not in profiles:
        return None
    if not _document_key_described(spec, _ROW_OF_DOCUMENT):
        return None
    return _suggest(
        spec,
        "id",
        _lookup("invoice"),
        0.95,
        "the document the row belongs to: the invoice, through the invoice map",
    )


# The record a call acts on, named by what the call does to it: "the draft
# Order to set the customer on", "the Order whose billing address is set",
# "the Customer the new Address is associated with".
_ACTED_ON = re.compile(
    r"(?i)\bthe\s+(?:\w+\s+)?(?P<head>\w+)\s+(?:"
    r"to\s+(?:set|add|attach|assign|apply)\b[^.;()]*?\s(?:on|to|for)\b"
    r"|whose\s+[^.;()]*?\s(?:is|are)\s+(?:set|added|changed|updated)\b"
    r"|the\s+new\s+\w+\s+is\s+(?:associated|linked)\s+with\b)"
)
# Where the record made for the Stripe object sits, and the map it is
# looked up through, by the kind the acted-on record is of.
_OWN_RECORD = {"customer": "customer", "invoice": "invoice"}
# The words such a record goes by, by the map it is looked up through.
_OWN_RECORD_WORDS = {
    "customer": _CUSTOMER_WORDS,
    "invoice": _DOCUMENT_HEADS | _INVOICE_WORDS,
}


def _acted_on_record_suggestion(
    spec: FieldSpec, profiles: dict[str, Profile], context: Context
) -> Suggestion | None:
    """orderId "the draft Order to set the customer on", on an invoice.

    A call that sets or adds something on a record the integration made
    earlier names that record by key; when it is of the Stripe object's own
    kind (an order or sale for an invoice, a customer for a customer), it
    is the record made for that object: its own id, through its own map.
    """
    table = _OWN_RECORD.get(context.object_type, "")
    if not table or "id" not in profiles or spec.type not in (STRING, INT):
        return None
    words = set(leaf_tokens(spec.name))
    if not words & _ROW_KEYS:
        return None
    found = _ACTED_ON.search(spec.description or "")
    if not found:
        return None
    head = found["head"].lower()
    kinds = _OWN_RECORD_WORDS[table]
    if not ({head} | concepts(head)) & kinds or not words & kinds:
        return None
    return _suggest(
        spec,
        "id",
        _lookup(table),
        0.95,
        f"the {table} the call acts on: made for this one, through the {table} map",
    )


# What a credit note says of the document it corrects, or is made from as
# its child ("the parent order the credit note is made from").
_CREDITED_DESCRIBED = re.compile(
    r"(?i)\b(credited|returned|refunded|original|parent"
    r"|being\s+(returned|credited|corrected)|(made|created)\s+from)\b"
)


# An invoice a credit note is tied to, said from the credit note's side:
# "Number of Invoice linked to this Credit Note".
_INVOICE_OF_THIS_CREDIT = re.compile(
    r"(?i)\binvoices?\s+(?:that\s+is\s+|which\s+is\s+)?"
    r"(?:linked|related|tied|attached)\s+to\s+this\s+credit\s+(?:note|memo)\b"
    # "the invoice # that this credit memo relates to", said the other way
    r"|\binvoices?\s*(?:#|number|no\.?)?\s+(?:that|which)\s+this\s+credit\s+"
    r"(?:note|memo)\s+(?:relates|refers|belongs|applies)\s+to\b"
)
_NUMBER_WORDS = {"number", "no", "nr", "num"}
# A reference named as one (InvoiceRef): the invoice by its key too.
_REFERENCE_KEYS = {"ref", "reference"}


def _credited_invoice_number_suggestion(
    spec: FieldSpec, profiles: dict[str, Profile]
) -> Suggestion | None:
    """invoice_no "Number of the invoice linked to this credit note".

    InvoiceRef "the invoice # that this credit memo relates to" too.

    On a credit note, an invoice's number said to be the one the credit
    note is tied to names the invoice it credits, not the credit note's own
    number: the credit note's invoice, through the invoice map.
    """
    if "invoice" not in profiles or spec.type not in (STRING, INT):
        return None
    words = set(leaf_tokens(spec.name))
    keyed = words & (_NUMBER_WORDS | _REFERENCE_KEYS)
    if not keyed or not words & _INVOICE_WORDS:
        return None
    if not _INVOICE_OF_THIS_CREDIT.search(spec.description or ""):
        return None
    return _suggest(
        spec,
        "invoice",
        _lookup("invoice"),
        0.95,
        "the invoice the credit note is tied to: through the invoice map",
    )


# "Number of the reference document": the key of the document this one is
# made with reference to, named as the document (ReferenceDocument), not as a
# reference of this one (DocumentReference).
_REFERENCE_DOCUMENT_DESCRIBED = re.compile(
    r"(?i)\b(?:number|no|id|key)\s+of\s+(?:the\s+|a\s+)?referenced?\s+doc(?:ument)?\b"
)
_REFERENCE_WORDS = {"reference", "referenced", "ref"}


def _reference_document_suggestion(
    spec: FieldSpec, profiles: dict[str, Profile], context: Context
) -> Suggestion | None:
    """ReferenceDocument "Document number of reference document".

    A document made with reference to an earlier one names it by key: for
    a credit note, the invoice it credits (through the invoice map); an
    invoice is made with reference to no Stripe document, so it has none.
    """
    if spec.type not in (STRING, INT):
        return None
    leaf = [t for t in leaf_tokens(spec.name) if t.isalpha()]
    named = (
        len(leaf) >= 2
        and leaf[-1] in _ANY_DOCUMENT
        and bool(set(leaf[:-1]) & _REFERENCE_WORDS)
    )
    if not named or not _REFERENCE_DOCUMENT_DESCRIBED.search(spec.description or ""):
        return None
    if context.object_type == "credit_note" and "invoice" in profiles:
        return _suggest(
            spec,
            "invoice",
            _lookup("invoice"),
            0.95,
            "the document it refers to: the credit note's invoice, through the "
            "invoice map",
        )
    if context.object_type == "invoice":
        return _abstain(spec, "the document it refers to: Stripe's invoice has none")
    return None


def _credited_document_suggestion(
    spec: FieldSpec, profiles: dict[str, Profile]
) -> Suggestion | None:
    """id_order "The order credited", "ID of the original sales order being returned".

    On a credit note, the key of the order or invoice it credits or takes
    goods back from is the document made for the Stripe invoice credited:
    the credit note's invoice, through the invoice map.
    """
    if "invoice" not in profiles or not _document_key_described(
        spec, _CREDITED_DESCRIBED
    ):
        return None
    return _suggest(
        spec,
        "invoice",
        _lookup("invoice"),
        0.95,
        "the document credited: the credit note's invoice, through the invoice map",
    )
