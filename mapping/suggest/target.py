"""The suggestion for one target, before the passes across targets."""

import re
from dataclasses import replace

from ..schemas import DATE, DECIMAL, FLAG, INT, LINES, STRING, FieldSpec
from .choices import (
    _captured_suggestion,
    _card_scheme_named,
    _closed_suggestion,
    _currency_choices_suggestion,
    _deal_end_suggestion,
    _invoice_paid_suggestion,
    _payment_method_record_suggestion,
    _payment_method_suggestion,
    _payment_succeeded_suggestion,
    _stripes_codes_suggestion,
    _tax_status_suggestion,
    _value_map_suggestion,
)
from .config import (
    _ATTENTION,
    _FOUNDING,
    _INTEGRATORS_KEY,
    _NAME_SHOWN_DESCRIBED,
    _OWN_EXTERNAL_KEY,
    _RECONCILING,
    _TIES_TO_ANOTHER_SYSTEM,
    _address_as_one_text,
    _address_date,
    _address_label,
    _address_note,
    _address_override,
    _address_use,
    _allowed_values,
    _amount_in_accounts_units,
    _amount_label,
    _amount_written_out,
    _apps_own,
    _attached_file_link,
    _bank_account_detail,
    _base_url,
    _birth_detail,
    _bookkeeping_amount,
    _books_key,
    _books_own_figure,
    _buyers_document,
    _calling_code_as_number,
    _carriage_amount,
    _charge_lines,
    _city_record_key,
    _cleared_date,
    _closing_date_source,
    _coded_switch,
    _company_profile,
    _config_suggestion,
    _contact_checked,
    _contact_item_note,
    _converted_amount,
    _copy_recipients,
    _currency_conversion,
    _currency_list,
    _custom_field_entry,
    _customer_date_not_created,
    _customer_figure,
    _customers_document_note,
    _customers_own_note,
    _date_not_made,
    _deals_own_name,
    _defaults_to_creation,
    _departure_country,
    _digest,
    _documents_own_code,
    _documents_own_name,
    _documents_value_date,
    _electronic_address,
    _fax_only,
    _format_setting,
    _funds_instrument,
    _further_reference,
    _gateways_own,
    _group_item_lines,
    _group_words,
    _house_number,
    _is_config,
    _issuing_party,
    _item_quantity,
    _key_at_the_party,
    _keys_of_erp_records,
    _kind_reference_source,
    _label_of_a_status,
    _lifecycle_state,
    _linked_record_reference,
    _list_of_records,
    _listed_entry_qualifier,
    _listed_recipient,
    _merchant_as_payee,
    _money_beside_the_amount,
    _money_not_taken,
    _net_of_fees,
    _note_list,
    _number_part,
    _numbered_by_erp,
    _of_another_thing,
    _offline_method,
    _organisation_division,
    _origin_label,
    _own_side_party,
    _paid_on_document,
    _parent_record,
    _party_rating,
    _partys_creation_date,
    _payees_email,
    _payments_country,
    _payments_list_amount,
    _payments_list_reference,
    _payments_own_key,
    _payments_own_number,
    _payments_subtotal,
    _percentage,
    _period_bound,
    _persons_employment,
    _persons_organisation,
    _persons_title,
    _phone_part,
    _picture,
    _po_box,
    _pricing_date,
    _processors_message,
    _quantity,
    _recipient_line,
    _records_to_change,
    _redirect_link,
    _reference_to_another_of_its_kind,
    _reference_to_erp_record,
    _region_record_key,
    _remittance_reference,
    _request_statistics,
    _requested_action,
    _requested_status,
    _row_quantity,
    _sale_date,
    _sale_label,
    _salutation,
    _saved_address_copied,
    _search_term,
    _second_currency,
    _secondary_contact,
    _secret,
    _selected_by_erp,
    _sellers_own,
    _sending_email,
    _sending_softwares_key,
    _set_up_name,
    _shipment_tracking,
    _split_receivers_share,
    _stages_listed,
    _state_named_for_country,
    _state_of_a_document,
    _statement_contact,
    _stock_lines,
    _street_line_past_two,
    _street_name,
    _structured_value,
    _sub_sellers_share,
    _subtotal_with_tax,
    _supply_date,
    _tag_entry,
    _tax_exemption_key,
    _tax_region,
    _tax_text,
    _turnover,
    _unit_price,
    _unlinked_refund_only,
    _vat_date,
    _whether_to_send,
)
from .fields import _LIST_OF, _LIST_TYPES, _QUOTED_LABEL, _SOLD_THINGS
from .identity import (
    _tax_id_part_suggestion,
    _tax_id_target,
    _tax_number_kind_suggestion,
)
from .names import concepts, tokens
from .passes import _named_for_the_document
from .ranking import _INSTRUMENT_WORDS, _rank
from .references import (
    _NUMBER_WORDS,
    _RECORD_KEYS,
    _acted_on_record_suggestion,
    _credited_document_suggestion,
    _credited_invoice_number_suggestion,
    _described_record,
    _lookup,
    _order_token_suggestion,
    _parent_document_suggestion,
    _reference_document_suggestion,
    _reference_kind,
    _reference_suggestion,
)
from .suggestion import Context, Suggestion, _abstain, _suggest
from .transforms import (
    _described_in_minor_units,
    _in_main_unit,
    _transforms,
    _value_map,
)
from .values import DATETIME, Profile
from .words import (
    _CUSTOMER_WORDS,
    _EARLIER_DOCUMENTS,
    _ID_WORDS,
    _KIND_WORDS,
    _LOYALTY_WORDS,
    _PAYMENT_OBJECTS,
    _PAYMENTS_PURPOSE_DESCRIBED,
    _RECEIVERS,
    _RELATION,
    _SOCIAL_NETWORKS,
    _WITH_TAX,
    _WITHHELD_WORDS,
    _custom_reference,
    _own_description,
    _plain,
    _record_link,
    _side,
    _words,
    cross_reference_number,
    in_a_list,
    leaf_tokens,
)

# "Foreign key to the InvcHead", "link to the order header": a line's key
# of the header record of the document it belongs to.
_KEY_TO_THE_HEADER = re.compile(
    r"(?i)\b(?:foreign\s+key|link)\s+to\s+(?:the\s+)?\w*?(?:head|header)\b"
)
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


# A leaf that is only an additional name: the names between a person's
# given and family name (an address standard's additional_name).
_ADDITIONAL_NAME = {("additional", "name"), ("additional", "names")}


# What names a class or a record's key (a transaction's family code, a
# surname's id): no part of a person's name.
_CLASS_CODES = {"code", "id", "type", "key"}


# "First name of a person, or the business name of a company", "Company name
# or the person's last name", "an organization's whole name": a name part
# that holds a company's whole name.
_OR_COMPANY_NAME = re.compile(
    r"(?i)\bor\s+(the\s+|its\s+)?(business|company|organi[sz]ation)('s)?\s+name\b"
    r"|\b(business|company|organi[sz]ation)('s)?\s+name,?\s+or\b"
    r"|\b(business|company|organi[sz]ation)'s\s+(whole|full|complete)\s+name\b"
)


# What a numbered name field (name2, Name_3) is described as holding.
# The part may stand in brackets ("the contact's (last) name"): the field
# is named name but holds the part.
_DESCRIBED_NAME_PARTS = {
    "first": re.compile(r"(?i)\b(first|given|fore)\)?\s*name\b"),
    "last": re.compile(r"(?i)\b(last|family|sur)\)?\s*name\b"),
}


# "The given and family name of it", "first and last name": both parts
# named together, the whole name.
_BOTH_NAME_PARTS_DESCRIBED = re.compile(
    r"(?i)\b(first|given|fore)(\s*name)?\s+(and|&)\s+(the\s+)?"
    r"(last|family|sur)\s*names?\b"
)


def _name_part(spec: FieldSpec) -> str:
    """first / last for a person's name part; "" for FirstDueInterval or LastUser.

    A part that takes a company's name instead (a contact either a person or
    a company, named in the one field) is the whole name: "" too. A numbered
    name field (name2 "The name 2 field (defaults to: first name)") or a
    bare one (payer.name "Buyer first name.") is the part its description
    names, when it names one.
    """
    words = tokens(spec.name)
    found = concepts(spec.name)
    if spec.type != STRING or not (found | set(words)) & _PERSON_NAME_WORDS:
        return ""
    if set(leaf_tokens(spec.name)) & _CLASS_CODES and "name" not in words:
        return ""  # familyCode, given_id: a class or a key, not a name's part
    if _OR_COMPANY_NAME.search(spec.description or ""):
        return ""
    if "first" in found or {"fname", "firstname", "given"} & set(words):
        return "first"
    if "last" in found or {"lname", "lastname", "family", "surname"} & set(words):
        return "last"
    leaf = leaf_tokens(spec.name)
    if "name" in leaf and all(w == "name" or w.isdigit() for w in leaf):
        if _BOTH_NAME_PARTS_DESCRIBED.search(spec.description or ""):
            return ""
        named = [
            part
            for part, described in _DESCRIBED_NAME_PARTS.items()
            if described.search(spec.description or "")
        ]
        return named[0] if len(named) == 1 else ""
    return ""


# A name field described as the middle name ("Middle name", "The person's
# middle names"), whatever its own name calls it (a second name).
_MIDDLE_NAME_DESCRIBED = re.compile(
    r"(?i)^\W*(?:the\s+)?(?:\w+['’]s\s+)?middle\s+names?\b"
)


def _middle_name(spec: FieldSpec) -> bool:
    """middlename, middle_name, MiddleInitial: a person's name between the two.

    Stripe keeps a person's whole name in one field, which splits into a
    first and a last part; which words of it are middle names it cannot
    tell, so none fills the field. An address's additional_name (or
    additionalNames), the address standards' word for them, is the same.
    """
    found = concepts(spec.name)
    if spec.type == STRING and leaf_tokens(spec.name) in _ADDITIONAL_NAME:
        return True
    if (
        spec.type == STRING
        and "name" in leaf_tokens(spec.name)
        and _MIDDLE_NAME_DESCRIBED.match(spec.description or "")
    ):
        return True  # a second name "Middle name": the part its words name
    return (
        spec.type == STRING
        and "middle" in found
        and bool(found & (_PERSON_NAME_WORDS | {"initial"}))
    )


# A care-of line: "c/o", "care of", careOf (an addressee who receives for
# the party). Read in the raw name: the tokenizer drops "of".
_CARE_OF = re.compile(r"(?i:\bc/o\b|care[\W_]*of)(?![a-z])")


# "The name of a contact person or an in care of person at this address":
# the party's own contact offered first, a care-of addressee only instead.
_CONTACT_OR_CARE_OF = re.compile(r"(?i)\bcontact\s+(person\s+)?or\b")


def _care_of(spec: FieldSpec) -> bool:
    """name4 "(defaults to: c/o)": the addressee mail is sent in care of.

    A care-of name line names whoever receives mail for the party (a
    company, a relative, a hotel), not the party; Stripe keeps no such
    line. An address line that is also the complement ("c/o, apartment or
    suite") stays the street's complement.
    """
    if spec.type != STRING:
        return False
    if _CARE_OF.search(spec.name):
        return True
    if _CONTACT_OR_CARE_OF.search(spec.description or ""):
        return False  # "a contact person or a care-of person": the party first
    return "name" in concepts(spec.name) and bool(
        _CARE_OF.search(spec.description or "")
    )


def _copied(
    spec: FieldSpec, path: str, profiles: dict, confidence: float, reason: str
) -> Suggestion:
    """The suggestion of `path`, with what turns its value into the field's."""
    return _suggest(spec, path, _transforms(spec, profiles[path]), confidence, reason)


# Where a shipping name is, by the object: the shipping details of a charge
# or a customer, the customer's shipping details on an invoice.
_SHIPPING_NAMES = ("shipping.name", "customer_shipping.name")


def _shipment_receiver(spec: FieldSpec, profiles: dict) -> str:
    """shipping_contact.receiver: whom the goods are handed to, by name.

    A receiver or recipient named under a shipping group is the person the
    delivery is addressed to, which Stripe keeps as the shipping details'
    name; one on no shipping side (the receiver of a document) is not.
    """
    leaf = leaf_tokens(spec.name)
    named = concepts(spec.name)
    if spec.type != STRING or not leaf or leaf[-1] not in _RECEIVERS:
        return ""
    if "shipping" not in named or "billing" in named:
        return ""
    return next((path for path in _SHIPPING_NAMES if path in profiles), "")


# A field the ERP leaves without a meaning, for its users to fill as they
# like: "is currently undefined and can be freely used", "for any purpose".
_FREE_FOR_ANY_USE = re.compile(
    r"(?i)\bis\s+(currently\s+)?(undefined|unassigned|unused)\b"
    r"|\bcan\s+be\s+freely\s+used\b|\bfree\s+(to\s+use|for\s+any\s+use)\b"
    r"|\bfor\s+any\s+purpose\b"
)

# A column the ERP keeps back for a later version of itself ("reserved by the
# vendor for future use"): nothing fills it yet.
_RESERVED = re.compile(r"(?i)\breserved\b[^.;]{0,40}\bfor\s+future\s+use\b")

# Words of a numbered slot the ERP's users give a meaning of their own
# (custom_1, free_2, udf3: a user-defined field), and a description naming
# one ("Custom field #1").
_OWN_SLOT_WORDS = {"custom", "free", "udf"}
# "Custom field #1", "(user-defined field 1)", "(user-defined 1)": the
# word for a field may go unsaid.
_OWN_SLOT_DESCRIBED = re.compile(r"(?i)\b(custom|user[\s-]*defined)\s+(field\s*)?#?\d")


def _numbered_own_slot(spec: FieldSpec) -> bool:
    """custom_1, udf2 "Custom field #1": one of a row of fields left to users.

    Which of them holds what is each company's choice, so no Stripe value
    goes into one by its name; the digit in it numbers the slot, not an
    address line.
    """
    leaf = [t for t in leaf_tokens(spec.name) if t != "field"]
    numbered = len(leaf) == 2 and leaf[0] in _OWN_SLOT_WORDS and leaf[1].isdigit()
    return numbered or bool(_OWN_SLOT_DESCRIBED.search(spec.description or ""))


# A field its API has retired ("String; deprecated: 'Use `countryCode`
# instead.'", "Deprecated - use … instead", a quote opening on "'DEPRECATED.
# The party's …'"): the field that replaces it takes the value. Only the
# marker itself: a status whose values include "Deprecated" is no retired
# field.
_DEPRECATED = re.compile(
    r"(?i)(^|[(;,.]\s*)deprecated\s*[-:\u2013\u2014]|[:(]\s*['‘\"“]deprecated\."
)

# The type of an exchange rate ("rate type for currency price levels"): which
# of the ERP's rate tables to use, a setting, whatever currency it names.
_RATE_TYPE = re.compile(r"(?i)\brate\s+type\b")

# The ERP's own stamp on its row ("date and time the record was created (set
# by the system)", "the date and time of entity creation", "when the record
# was last changed", "when the entry was entered"): when the row was written
# or changed, not when Stripe made the object.
_ROW_STAMP = re.compile(
    r"(?i)\b(record|row|entity)\s+(was|is|has\s+been)\s+(first\s+|last\s+)?"
    r"(created|inserted|added|entered|updated|modified|changed)\b"
    r"|\b(record|row|entity)\s+(creation|insertion|modification)\b"
    r"|\b(transaction|entry)\s+(was|is|has\s+been)\s+(first\s+)?entered\b"
)

# The books' period a document is posted in ("fiscal period to post to",
# "the period that the entry was posted to"): the ERP's calendar, kept apart
# from the date it follows from.
_BOOKS_PERIOD = re.compile(
    r"(?i)\b(fiscal|financial|accounting|posting)\s+period\b"
    r"|\bperiod\s+(that\s+)?(the\s+\w+\s+)?(was\s+|is\s+)?(posted|to\s+post)\b"
)

# A tax ID counted among several ("tax ID 1 applied (sales tax table)",
# "default tax ID 2"): a key of the ERP's sales tax table, one per tax the
# document is charged, not the party's one tax number.
_TAX_TABLE_KEY = re.compile(r"(?i)\btax\s+id\s*\d\b|\btax\s+table\b")

# An amount applied to an invoice ("the amount applied to that invoice"): on
# a refund, money Stripe returns from a charge, which it applies to no invoice.
_APPLIED_TO_INVOICE = re.compile(
    r"(?i)\bapplied\s+to\s+(?:that\s+|the\s+|this\s+|an?\s+)?invoice\b"
)

# The master document a run of installments shares (MasterDocNbr "master
# document number (installment documents)"): the ERP's grouping of them.
_MASTER_WORDS = {"master"}

# The key of the original document this one follows from (OrigDocNbr,
# OriginalDocumentNumber): on an invoice or a payment, a document of the ERP's
# that Stripe's invoice or charge has no counterpart of.
_ORIGINAL_WORDS = {"orig", "original"}

# A key of the API call itself, not of the record it carries: the caller's
# reference for the request, echoed in the response (refId, a correlation
# id), or the identifier of the calling client or SDK (clientId).
_REQUEST_KEY = re.compile(
    r"(?i)\b(reference|identifier|id)\s+(for|of)\s+the\s+(request|call)\b"
    r"|\bechoed\s+(back\s+)?in\s+the\s+response\b"
    r"|\b(identifier|id)\s+of\s+the\s+calling\s+(client|application|sdk)\b"
)

# Where in the ERP's own books a record came from (origin_row, source_table,
# SysRowID): one of its rows or tables, not a Stripe id.
_ROW_OR_TABLE = {"row", "table"}


# A transaction before the one the field is on ("the reference of an
# earlier transaction").
_EARLIER_TRANSACTION = re.compile(
    r"(?i)\b(?:earlier|previous|prior|original)\s+transactions?\b"
)


def _earlier_transactions_key(spec: FieldSpec) -> bool:
    """OriginalTransactionReference "the reference of an earlier transaction".

    A key of a transaction made before the one synced, named as the
    original one or described as earlier, is none of the record's own: a
    customer, an invoice, a payment or a credit note is sent as the first
    of its transactions. A refund's original transaction is the charge it
    refunds, left to the references.
    """
    leaf = set(leaf_tokens(spec.name))
    if spec.type not in (STRING, INT) or "transaction" not in concepts(spec.name):
        return False
    return bool(leaf & _ORIGINAL_WORDS) or bool(
        _EARLIER_TRANSACTION.search(spec.description or "")
    )


# What names an issuer's approval of a card payment (AuthCode, approval_code).
_AUTHORISATION_WORDS = {"auth", "authorization", "authorisation", "approval"}


def _authorisation_code(spec: FieldSpec) -> bool:
    """paymentAuthCode, approval_code: the code an issuer gave the payment.

    The card network's code for an authorisation is the issuer's, which a
    Stripe charge does not carry; no key of the ERP's either.
    """
    leaf = set(leaf_tokens(spec.name))
    return spec.type == STRING and "code" in leaf and bool(leaf & _AUTHORISATION_WORDS)


# The keys a session is named with (hostedFieldsSessionId, session_token).
_SESSION_KEYS = {"id", "identifier", "key", "token"}


def _session_key(spec: FieldSpec) -> bool:
    """hostedFieldsSessionId, session_token: a session the gateway opened.

    A checkout or browser session is the gateway's, opened before the record
    is made; its key is no Stripe object's id, nor the record's own.
    """
    leaf = set(leaf_tokens(spec.name))
    return spec.type == STRING and "session" in leaf and bool(leaf & _SESSION_KEYS)


# The words a language is named by (lang, languageCode, locale).
_LANGUAGE_WORDS = {"language", "languages", "lang", "locale", "locales"}


def _language_not_carried(spec: FieldSpec, profiles: dict[str, Profile]) -> bool:
    """lang, languageCode: a language on a record that keeps no locale.

    The language a page, an e-mail or a document is shown in is the
    integration's to set when the record carries none; only a Stripe object
    with locales of its own (a customer's preferred locales) can fill it.
    """
    return bool(set(leaf_tokens(spec.name)) & _LANGUAGE_WORDS) and not any(
        "locale" in path for path in profiles
    )


def _picked_up(spec: FieldSpec) -> bool:
    """pickupDetails.pickupAddress.city, pickupTime: where or when goods are fetched.

    A pickup is the buyer collecting the goods at the seller's store or a
    carrier's point: its address is that place's, never the buyer's, and
    its time is arranged for the goods; Stripe keeps neither.
    """
    words = tokens(_plain(spec.name))
    glued = {a + b for a, b in zip(words, words[1:], strict=False)}
    return "pickup" in set(words) | glued


def _consent_detail(spec: FieldSpec) -> bool:
    """Consent_Date, Consent_Remarks: a detail of a party's consent.

    How and when a party consented to the use of its data, and what was
    noted on it, are the system's own record of that consent; Stripe keeps
    none, and a consent's date is no date of the document nor its remarks a
    note on it.
    """
    return "consent" in tokens(_plain(spec.name))


def _social_handle(spec: FieldSpec) -> bool:
    """TwitterId, SkypeId, LinkedInProfile: the party's handle on a network.

    Named by a social network or a messenger, an id, name or profile is the
    party's there, which Stripe keeps none of: not Stripe's own id, nor its
    name. A phone or e-mail named by the network is still a phone or e-mail.
    Every field of an entry in a list named by a network or by messengers
    (messengers.0.handle, chat_messengers.0.address) is of such an
    account, whatever its own name and type: its key, its service, its
    handle.
    """
    if concepts(_plain(spec.name)) & {"phone", "email"}:
        return False
    if spec.type == STRING and _names_a_network(leaf_tokens(spec.name)):
        return True
    parents = _plain(spec.name).split(".")[:-1]
    return in_a_list(spec.name) and any(
        _names_a_network(tokens(part)) for part in parents
    )


def _names_a_network(words: tuple[str, ...]) -> bool:
    """Whether `words` name a social network or a messenger."""
    # LinkedIn is cut in two (linked, in): a network's name may span two words
    joined = set(words) | {a + b for a, b in zip(words, words[1:], strict=False)}
    return bool(joined & _SOCIAL_NETWORKS)


def _erp_row_or_table(spec: FieldSpec) -> bool:
    """origin_row, origin_table: a row or table of the ERP's, by its key.

    A list of rows (InvoiceRows) holds the lines; one row or table named on
    its own is where the ERP keeps the record.
    """
    return spec.type in (STRING, INT) and bool(
        set(leaf_tokens(spec.name)) & _ROW_OR_TABLE
    )


# An amount the description puts in the books' own currency ("in the
# accounting's basic currency", "in the home currency"): the ERP's
# conversion of the one Stripe gives.
_IN_THE_BOOKS_CURRENCY = re.compile(
    r"(?i)\bin\s+the\s+(\w+'s\s+)?(basic|base|home|functional|reporting|company)"
    r"\s+currency\b"
)

# A currency's rate ("the order currency's rate against the default
# currency", "exchange rate"): the ERP's conversion, whatever the field is
# named (currency_value).
_CURRENCY_RATE = re.compile(
    r"(?i)\b(exchange|conversion|currency|currency's)\s+rate\b|\brate\s+against\b"
)

# A currency or sum in the card's own currency ("Currency of the transaction
# in the card's currency", "currency code for the card", "Amount in the
# cardholder's currency"): the conversion a terminal offers the cardholder,
# not the currency the payment is made in, which Stripe keeps alone.
_IN_THE_CARDS_CURRENCY = re.compile(
    r"(?i)\bcard(?:holder)?['’]s\s+currency\b"
    r"|\bcurrency\s+code\s+for\s+the\s+card\b"
)

# A neighbourhood of a town ("Neighborhood", "the bairro"), under whatever
# name (province): a part of the town below the city, which Stripe's
# addresses do not hold.
_NEIGHBOURHOOD = re.compile(r"(?i)\b(neighbou?rhoods?|bairros?|barrios?|colonias?)\b")

# A party's entry in a city's or a state's register ("Customer municipal
# registration", Brazil's inscrição municipal and estadual, Russia's "primary
# state registration number"): a local register's number, not its tax id.
_LOCAL_REGISTRATION = re.compile(
    r"(?i)\b(municipal|state|provincial)\s+(registration|inscription)\b"
)

# A record's version the API checks concurrent updates with ("Identifier
# used for concurrency checking", "optimistic concurrency"): the ERP's own.
_CONCURRENCY = re.compile(r"(?i)\bconcurrency\b")

# The date of the order an invoice or credit note came from ("the web shop
# order's date", "Order date"): the buyer's ordering, before the document
# Stripe made; not "the tax date of the order", which dates the document
# itself. On a payment the order is the sale the charge is: its date.
_ORDER_DATE = re.compile(
    r"(?i)\border'?s\s+date\b|\border\s+date\b|^\s*(the\s+)?date\s+of\s+the\s+order\b"
)

# A text written onto the payee's bank or card statement ("a custom
# reference to appear on the user's bank statement", "shown on the bank
# statement", "displayed on a customer's card statement", "the text on the
# customer's statement"): what Stripe's statement descriptor is, whatever
# the field is named; "the text to show on the end-user's bank statement".
_ON_THE_BANK_STATEMENT = re.compile(
    r"(?i)\b(?:appear|appears|show|shown|printed|specified|displayed)\s+on\s+"
    r"(?:the|a)\s+(?:[\w-]+['’]s\s+)?(?:bank|card)\s+statement\b"
    r"|\btext\s+on\s+the\s+(?:customer|payer|buyer|cardholder)['’]s\s+"
    r"(?:bank\s+|card\s+)?statement\b"
)

# What the courier should know for a delivery ("tell us anything we should
# know when delivering your order", "delivery instructions"): the buyer's
# words to whoever brings the goods, which Stripe keeps nowhere; not a
# delivery note, which is a document.
_DELIVERY_INSTRUCTIONS = re.compile(
    r"(?i)\bknow\s+when\s+delivering\b"
    r"|\bdelivery\s+instructions?\b"
    r"|\binstructions?\s+for\s+(?:the\s+)?(?:delivery|courier|driver)\b"
)

# A code the record gives an address ("an address code", "an address code
# or label"): the key of the ERP's address entry, not the customer's code,
# and Stripe keys no address; not "the zip code of the address".
_ADDRESS_CODE = re.compile(r"(?i)\ban\s+address\s+code\b")

# Fields their description says no Stripe value fills: the types a pattern
# holds for (None: any), the pattern, and why.
_DESCRIBED_WITHOUT_SOURCE = (
    (None, _FREE_FOR_ANY_USE, "a field free for any use: it means nothing to fill"),
    (None, _RESERVED, "a field kept back for the ERP's future use"),
    (None, _DEPRECATED, "a field its API retired: the one replacing it is filled"),
    ((DATE, DATETIME), _ROW_STAMP, "the ERP's stamp of when its row was written"),
    ((STRING, INT), _BOOKS_PERIOD, "the books' period it is posted in: the ERP's"),
    ((STRING,), _TAX_TABLE_KEY, "a key of the ERP's tax table: a tax code, a setting"),
    (None, _RATE_TYPE, "the type of an exchange rate: a setting of the ERP's"),
    (None, _REQUEST_KEY, "a key of the API call, not of the record it carries"),
    ((DECIMAL,), _IN_THE_BOOKS_CURRENCY, "in the books' own currency: the ERP's"),
    ((DECIMAL,), _CURRENCY_RATE, "a currency's rate: the ERP converts with its own"),
    (None, _IN_THE_CARDS_CURRENCY, "in the card's own currency: not the payment's"),
    ((STRING,), _NEIGHBOURHOOD, "a neighbourhood of the town: Stripe has none"),
    ((STRING,), _LOCAL_REGISTRATION, "a local register's number: not the tax id"),
    (None, _CONCURRENCY, "a version for the ERP's concurrency checks: its own"),
    ((STRING,), _DELIVERY_INSTRUCTIONS, "instructions for a delivery: none in Stripe"),
    ((STRING,), _ADDRESS_CODE, "an address entry's own code: Stripe keys none"),
    # Why an update request changes the record ("the reason for updating the
    # order"): the integration's own word on its change, which no Stripe
    # field holds; a refund's or a credit's reason is another thing.
    (
        (STRING,),
        re.compile(
            r"(?i)^\W*(?:the\s+)?reason\s+for\s+(?:"
            r"(?:updating|changing|editing|modifying|amending)\b"
            r"|(?:the|this)\s+(?:update|change|edit|modification|amendment)\b)"
        ),
        "why the record is changed: the integration's own word",
    ),
    # A tax key of the books ("the tax key of the chart's taxes (e.g. 3 for
    # 19 % VAT)"): which of the ERP's taxes a row is booked with, a code,
    # however its number is typed; never the tax amount.
    (
        (STRING, INT),
        re.compile(r"(?i)\btax\s+key\b"),
        "a key of the ERP's taxes: a tax code, a setting",
    ),
    # A department of an organisation ("first additional name line
    # (department)", "Name of the department"): a unit of the party, which
    # Stripe keeps none of. A department standing for a region ("state or
    # department") is the state.
    (
        (STRING,),
        re.compile(r"(?i)(?<!\bor\s)\bdepartments?\b(?!\s+or\b)"),
        "a department of an organisation: Stripe keeps none",
    ),
    # A direct-debit mandate's key ("SEPA mandate reference", "ID of the
    # mandate to collect with"): the bank mandate the ERP or a debit scheme
    # keeps, which no Stripe id or number is.
    (
        (STRING,),
        re.compile(
            r"(?i)\bmandate\s+(?:reference|ref|id)\b"
            r"|\b(?:reference|id)\s+of\s+(?:the\s+|an?\s+)?(?:\w+\s+){0,3}mandate\b"
        ),
        "a direct-debit mandate's key: the bank mandate, not Stripe's",
    ),
    # A key of a group the record joins ("an identifier for a group of
    # transactions"): the group's, which the operations share, not the
    # record's own id; Stripe groups none.
    (
        (STRING,),
        re.compile(
            r"(?i)\b(?:identifier|id|reference|key)\s+(?:for|of)\s+a\s+group\s+of\b"
        ),
        "a key of a group of records: not the record's own",
    ),
    # The key of the system a record's data comes from ("Identifier of the
    # external system that is the source of data about this contact",
    # "Identifier of the data source."): the source's, not the record's,
    # whose key there is another field ("Identifier of the element in the
    # data source").
    (
        None,
        re.compile(
            r"(?i)^\W*(?:the\s+)?(?:identifier|id|key|code)\s+of\s+(?:the|an?)\s+"
            r"(?:external\s+|outside\s+|other\s+|originating\s+)?"
            r"(?:system|data\s+source|source)"
            r"(?=\s*(?:[.,;:\"'“”()]|$|\s(?:that|which|where|from)\b))"
        ),
        "the key of the system the data comes from: not the record's own",
    ),
    # The record's version in the system it comes from ("Original version",
    # "Version of the record in the source system"): a stamp that system
    # keeps, which no Stripe field holds.
    (
        (STRING, INT),
        re.compile(
            r"(?i)^\W*(?:the\s+)?(?:original\s+|source\s+|external\s+)?version\b"
        ),
        "the record's version in its source system: Stripe keeps none",
    ),
    # The bank's own booking text on a statement line ("the bank's booking
    # text (e.g. GUTSCHRIFT)"): what the bank writes of the kind of booking,
    # not the payer's or Stripe's text.
    (
        (STRING,),
        re.compile(r"(?i)\bbank'?s\s+(?:own\s+)?(?:booking|posting)\s+text\b"),
        "the bank's own booking text: the bank writes it",
    ),
    # Custom data a platform keeps on its record ("custom data, a free text
    # the platform keeps on the payment", "Key-value store of custom data"):
    # the integrator's own, which no Stripe field fills.
    (
        None,
        re.compile(r"(?i)\bcustom\s+data\b"),
        "custom data the platform keeps: the integrator's own",
    ),
    # The start or end of a record's validity ("start of validity",
    # "validity end date"): the span the ERP keeps its row in force, which no
    # Stripe date sets (a date only named valid from is still the date).
    (
        (DATE, DATETIME),
        re.compile(
            r"(?i)\b(start|end|beginning)\s+of\s+(its\s+|the\s+)?validity\b"
            r"|\bvalidity\s+(start|end)\b"
        ),
        "the span its row is in force: the ERP's own",
    ),
    # A party's user name in another system ("the contact's user name in the
    # web shop", "The user name for accessing the supplier's system"): its
    # login there, not its name. A reference described as the buyer's own
    # ("your reference"): the buyer's to give, whatever its name shares with
    # the customer. An e-mail address that is also used as the user name
    # ("The customer's email address which is also used as username") is
    # the e-mail, which the login happens to be.
    (
        (STRING,),
        re.compile(
            r"(?is)^(?!.*\be-?mail\s+address\b[^.]*\bused\s+as\b)"
            r"(?=.*?(?:\buser\s*name\b|\blogin\s+name\b))"
        ),
        "a login's user name: Stripe keeps no account's",
    ),
    (
        (STRING,),
        re.compile(r"(?i)\byour\s+ref(erence)?\b"),
        "the buyer's own reference: no Stripe field",
    ),
)

# One of the allowed values the description requires ("You must use
# `manual`", "must be set to `card`"): the field's constant.
_REQUIRED_CHOICE = re.compile(
    r"(?i)\bmust\s+(?:use|be(?:\s+set\s+to)?)\s+[`'\"‘“](?P<value>[\w-]+)[`'\"’”]"
)


# A value the description holds to a GUID's form ("it must be a valid GUID"):
# a key the caller makes up, which no Stripe id ("in_1Nv…") or number fits.
_MUST_BE_A_GUID = re.compile(r"(?i)\bmust\s+be\s+(a\s+)?(valid\s+)?(guid|uuid)\b")


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


def _entry_title(spec: FieldSpec, context: Context) -> bool:
    """The title or name of the ledger entry a payout is booked as.

    A payout has no document title apart from its description ("STRIPE
    PAYOUT"), which names the entry as well as anything could; an invoice's
    title is its own heading ("Invoice"), which Stripe does not keep.
    """
    return (
        context.object_type == "payout"
        and spec.type == STRING
        and "." not in spec.name
        and tokens(spec.name) in (("title",), ("name",))
    )


# "Subtotal + Tax", "net plus VAT": the sum the document's total is.
_SUBTOTAL_WITH_TAX = re.compile(r"(?i)\b(sub-?total|net)\s*(\+|plus|and)\s*(tax|vat)\b")
_BEFORE_DISCOUNT = re.compile(r"(?i)\bbefore (any )?discounts?\b")
# The base a tax is reckoned on ("the VAT base", "the amount the VAT is
# computed on", Spanish "base imponible"): the amount before tax, Stripe's
# subtotal, whatever the name shares with the tax.
_TAX_BASE = re.compile(
    r"(?i)\b(tax|vat)\s+base\b|\btaxable\s+base\b|\bbase\s+imponible\b"
    r"|\b(tax|vat)\s+is\s+(computed|calculated|charged|levied)\s+on\b"
)
# "the sum of the line items' prices": what the lines add up to, Stripe's
# subtotal (before the document's own discounts and tax).
_SUM_OF_LINES = re.compile(
    r"(?i)\b(sum|total) of (all )?(the )?(line[- ]?items?|lines|positions)\b"
)


# What may stand beside "price" in the name of a whole payment's price.
_PAID_PRICE = {"price", "paid", "total"}


def _own_price(spec: FieldSpec, context: Context) -> str:
    """price, paidPrice atop a payment: its amount; atop an invoice, its total.

    A price named at the top of a request, under no group or line, is what
    the whole payment or document costs, the sum of its items' prices:
    a charge's or refund's amount, an invoice's total. What is paid on an
    invoice is a payment posted from its charge, so only its price is.
    """
    if spec.type not in (DECIMAL, INT) or "." in spec.name:
        return ""
    words = set(tokens(spec.name))
    if "price" not in words:
        return ""
    if context.object_type in ("charge", "refund") and words <= _PAID_PRICE:
        return "amount"
    billed = context.object_type in ("invoice", "credit_note")
    if billed and words <= _PAID_PRICE - {"paid"}:
        return "total"
    return ""


def _document_sum(spec: FieldSpec, context: Context) -> str:
    """The document's total or subtotal, by what its description adds up.

    An amount described as the subtotal plus tax is the total, whatever its
    name shares with the tax; one described as before discount is Stripe's
    subtotal (the lines before invoice-level discounts and tax), even when
    the ERP names it a total; one described as the base its tax is reckoned
    on is the subtotal too, unless numbered or in a list.
    """
    if context.object_type not in ("invoice", "credit_note") or spec.type != DECIMAL:
        return ""
    description = spec.description or ""
    if _SUBTOTAL_WITH_TAX.search(description):
        return "total"
    if _SUM_OF_LINES.search(description) and not re.search(
        r"(?i)\b(tax|vat|discount|shipping)", description
    ):
        return "subtotal"
    if _BEFORE_DISCOUNT.search(description) and not re.search(
        r"(?i)\bafter (any )?discounts?\b", description
    ):
        return "subtotal"
    if _TAX_BASE.search(description) and not re.search(r"\d", spec.name):
        # a numbered base (TaxBase1), or one in a list's entry, is one of
        # several taxes' or one line's, not the document's
        return "subtotal"
    return ""


# Words for a payment's transaction, and what may stand beside them in the
# name of its key (gatewayTransactionId, payment_txn_ref, transid, trxn_ref).
_TRANSACTION_WORDS = {"transaction", "txn", "trans", "trxn"}
_TRANSACTION_KEY_WORDS = {"id", "identifier", "uid", "ref", "reference", "key"}
_TRANSACTION_QUALIFIERS = {"gateway", "payment", "external", "ext", "provider", "psp"}
# Words that only join a key's name to where it is kept (id_at_gateway).
_CONNECTIVES = {"at", "in", "of", "from", "by", "on"}


# Documents a payment settles, as a description of a status names them.
_SETTLED_DOCUMENTS = re.compile(r"(?i)\b(order|invoice|bill|document)s?\b")


def _document_status_on_payment(spec: FieldSpec, context: Context) -> bool:
    """status "Order status" on a payment: the settled document's status.

    An endpoint that marks an order or invoice paid takes the document's
    status beside the payment; the charge's own status (succeeded) says
    nothing of which of the document's states the ERP wants, a setting.
    """
    return (
        context.object_type in _PAYMENT_OBJECTS
        and "status" in leaf_tokens(spec.name)
        and bool(_SETTLED_DOCUMENTS.search(spec.description or ""))
    )


# Records whose kind an ERP's type or action field chooses among others.
_DOCUMENT_OBJECTS = {"invoice", "credit_note", "charge", "refund"}


def _own_kind_among(choices: list, context: Context) -> bool:
    """type ["payment", "prepayment", "refund"] on a refund: the record's kind.

    Allowed values that name the record's own kind (a refund, a credit memo,
    an invoice, a payment) beside other kinds say which kind of document the
    record is, which the endpoint the integration calls fixes; Stripe's
    values mapped onto them (a card → credit) would be a guess.
    """
    if context.object_type not in _DOCUMENT_OBJECTS:
        return False
    own = concepts(context.object_type)
    return any(
        concepts(str(choice)) == own and _read_whole(str(choice)) for choice in choices
    )


def _read_whole(choice: str) -> bool:
    """Every word of the choice is read: pay_to is no payment, its "to" dropped."""
    return "".join(tokens(choice)) == re.sub(r"[^a-z0-9]", "", choice.lower())


# Where a payment's key is on each object: its own id, or an invoice's charge.
_PAYMENT_KEY_PATHS = {"charge": "id", "refund": "id", "invoice": "charge"}


# A transaction described as the one a refund is made for ("the transaction
# you want to refund", "the payment to be refunded"): what is refunded.
_THE_ONE_REFUNDED = re.compile(
    r"(?i)\b(?:want|wish|need)\s+to\s+refund\b|\b(?:to\s+be|being)\s+refunded\b"
)


def _refunded_transaction(spec: FieldSpec, context: Context) -> bool:
    """transactionID "the transaction you want to refund" on a refund.

    A refund's own key is its id; a transaction described as the one the
    refund is made for is the payment refunded, Stripe's charge.
    """
    return context.object_type == "refund" and bool(
        _THE_ONE_REFUNDED.search(spec.description or "")
    )


def _transaction_key(spec: FieldSpec, context: Context) -> bool:
    """transactionId, gateway_txn_ref on a payment: the payment's own key.

    The payment is the transaction the gateway made; its Stripe id is the
    key the gateway gives it. On an invoice (an order's transaction_id) the
    transaction is the invoice's payment: Stripe's charge. A transaction's
    type, number or account, or a key under another record
    (LinkedTxn.TxnId), is something else.
    """
    if context.object_type not in _PAYMENT_KEY_PATHS or spec.type != STRING:
        return False
    words = set(tokens(_plain(spec.name))) - _CONNECTIVES
    return (
        bool(words & _TRANSACTION_WORDS)
        and bool(words & _TRANSACTION_KEY_WORDS)
        and words
        <= _TRANSACTION_WORDS | _TRANSACTION_KEY_WORDS | _TRANSACTION_QUALIFIERS
    )


# A key described by its count of digits ("a 10-digit reference"): numbered
# by the system itself, no Stripe id. A count of characters is a bound on
# length ("Max 40 chars"), which a Stripe id may keep.
_OWN_NUMBERING_DESCRIBED = re.compile(r"(?i)\b\d+-digit\b")


def _own_numbered_transaction(spec: FieldSpec, context: Context) -> bool:
    """txn_ref "The 10-digit reference ID" on a payment.

    A transaction key the system numbers itself, as its description's count
    of digits says, is the system's own transaction made for
    the payment, which the id map gives for Stripe's charge (on a refund,
    the charge refunded); a Stripe id has no such fixed length.
    """
    return _transaction_key(spec, context) and bool(
        _OWN_NUMBERING_DESCRIBED.search(spec.description or "")
    )


# A paper payment's number, named beside the reference a payment of any kind
# has ("Check or document number", "source document or reference, e.g. a
# check number").
_CHECK_WORDS = {"check", "cheque", "checks", "cheques"}
# A check's number beside the receipt's (CheckReceiptNumber) is one of them too.
_PAYMENT_REFERENCE_WORDS = {"reference", "ref", "document", "doc", "source", "receipt"}
_BANK_ACCOUNT_WORDS = {"account", "bank", "book", "checkbook", "routing"}
# A check named as an example of what the field holds ("(eg. Check #)",
# "e.g. the check number"): the field holds that for any kind of payment.
_CHECK_AS_EXAMPLE = re.compile(
    r"(?i)\b(e\.?\s?g\.?|for example|for instance|such as)\s*,?\s*(an?\s+|the\s+)?"
    r"che(ck|que)"
)


def _check_or_reference(spec: FieldSpec, context: Context) -> bool:
    """check_document_number "Check or document number of the payment".

    A key that takes a check's number for a paper payment and a reference
    for any other is the payment's reference, which for a Stripe payment is
    its id. A check's number alone (CheckNo) has no Stripe counterpart, nor
    has the account a check is drawn on.
    """
    if context.object_type not in _PAYMENT_OBJECTS or spec.type != STRING:
        return False
    words = set(tokens(_plain(spec.name))) | set(tokens(spec.description or ""))
    return (
        bool(words & _CHECK_WORDS)
        and bool(
            words & _PAYMENT_REFERENCE_WORDS
            or _CHECK_AS_EXAMPLE.search(spec.description or "")
        )
        and not words & _BANK_ACCOUNT_WORDS
    )


# What a group of one tender's details is named with (cashPaymentDetails,
# cash_details, ChequeDetails), beside the tender; a tender named as none
# of the listed ones (otherPaymentDetails) is no card either.
_TENDER_GROUP_WORDS = {"payment", "details"}
_PAPER_TENDERS = _INSTRUMENT_WORDS | {"other"}


def _paper_tender_detail(spec: FieldSpec) -> bool:
    """cashPaymentDetails.details, ChequeDetails.ChequePayableTo: cash or a check.

    A field in a group of the details of a cash or check payment, or of a
    payment by some other means than those listed, belongs to a tender
    Stripe never takes: a Stripe payment is made electronically. Cash named
    for a discount or an account (CashDiscountTerms, checkAccount) names no
    tender.
    """
    return any(
        words & _PAPER_TENDERS and words & _TENDER_GROUP_WORDS
        for words in _group_words(spec)
    )


# A card's number as a payment record keeps it (card_number, CreditCardNo).
_CARD_WORDS = {"card", "credit", "cc"}
_CARD_NUMBER_WORDS = {"number", "no", "num", "nr", "nbr", "masked"}
_CARD_LAST4 = "payment_method_details.card.last4"
_FIRST_LINE_QUANTITY = "lines.data.0.quantity"
_FIRST_LINE_AMOUNT = "lines.data.0.amount"


# A list of what a document sells, as its name says it (items, lineItems,
# invoice_lines, goods, a transaction's detail lines), and the document words that
# may stand before it.
_GOODS_LISTS = {
    "items",
    "item",
    "lines",
    "line",
    "positions",
    "rows",
    "products",
    "services",
    # goods.0: the wares a payment or an order is for, one entry each
    "goods",
    "detail",
    "details",
    # Spanish: a document's lines (lineas), its detail (detalle)
    "linea",
    "lineas",
    "detalle",
    "detalles",
}
# A deal, the sale a seller works towards, lists the goods it sells as an
# order does (deal_items.0).
_DOCUMENT_WORDS = {"invoice", "order", "sales", "document", "credit", "note", "deal"}
# What a shop's buyer gathers goods in before paying (basketItems.0,
# cart_items.0): its items are the order's goods lines.
_GOODS_HOLDERS = {"basket", "cart", "shopping"}
# What owns a list of items that are not goods: tax.items.0 lists the taxes
# applied, discounts.items.0 the discounts.
_NOT_GOODS_OWNERS = {"tax", "taxes", "vat", "discount", "discounts"}
_FIRST_ITEM_DESCRIBED = re.compile(r"(?i)\bfirst\s+(line\s+)?item\b")
# A list's first row described as the document's first line, entry or row
# ("first invoice entry", "first order line", "the first product line").
_FIRST_DOCUMENT_LINE = re.compile(
    r"(?i)\bfirst\s+(invoice|bill|order|document|product|goods)\s+"
    r"(line|item|entry|row|position)\b"
)
# What a line's field is, by its leaf's concepts: its text or its money.
_LINE_TEXT = {"description", "title", "name"}
# A line's net (or subtotal) is its amount before tax, as Stripe's line
# amount is.
_LINE_MONEY = {"amount", "price", "total", "subtotal"}
_LINE_QUANTITY = {"quantity"}
_NOT_LINE_MONEY = {"tax", "vat", "discount", "unit", "shipping"}
# A line's money named for the seller's side (subMerchantPrice, the part paid
# out to a marketplace's seller; chargedPriceFromMerchant): not what the
# buyer is billed, which Stripe's line amount is.
_SELLERS_SIDE = {"merchant", "seller", "vendor", "supplier"}
# A line's gross (names fold it into "amount") includes tax: Stripe's line
# amount does not.
_GROSS_WORDS = {"gross", "brutto"}
# A line's money named with or without its tax (PriceInclTax, PriceExclTax):
# with it a gross, without it what Stripe's line amount is.
_WITHOUT_TAX = {"excl", "excluding", "exclusive"}
_TAX_NAMES = {"tax", "vat"}


def _line_gross_named(spec: FieldSpec) -> bool:
    """price_gross, PriceInclTax: a line's money with its tax in it."""
    named = set(leaf_tokens(spec.name))
    return bool(named & _GROSS_WORDS) or bool(named & _WITH_TAX and named & _TAX_NAMES)


# "The name of the other party", "the customer's name as printed": a field
# whose description names the party's name, whatever the field is called.
_PARTY_NAME_DESCRIBED = re.compile(
    r"(?i)\bname\s+of\s+the\s+(other\s+party|customer|client|debtor|payer)\b(?!')"
    r"|\b(customer|client|debtor|payer)'s\s+name\b"
)
# A text named the payer alone (Payer, RemitterName): who paid, by name; a
# key of the payer would say so (PayerId, PayerCode).
_PAYER_NAMED = {("payer",), ("payer", "name"), ("remitter",), ("remitter", "name")}
# Where Stripe keeps the name of the party an object is for or from.
_PARTY_NAME_PATHS = ("customer_name", "billing_details.name", "name")


def _described_party_name(spec: FieldSpec, profiles: dict[str, Profile]) -> str:
    """ToFrom "The name of the other party": the customer's name.

    A field named for no party (by its direction, its role) but described
    as the other party's name is that name: on an invoice the customer's,
    on a payment the name it was billed to, on a customer its own. So is a
    text named the payer and nothing more.
    """
    if spec.type != STRING:
        return ""
    if not (
        _PARTY_NAME_DESCRIBED.search(spec.description or "")
        or leaf_tokens(spec.name) in _PAYER_NAMED
    ):
        return ""
    if concepts(_plain(spec.name)) & {"id", "number", "code", "shipping"}:
        # A key or number of the party is read by the reference rules, a
        # name to ship to by the shipping side's.
        return ""
    return next((path for path in _PARTY_NAME_PATHS if path in profiles), "")


def _first_entries(spec: FieldSpec) -> list[tuple[set[str], set[str]]]:
    """Per first entry of a list: its list's words and its owner's (tax.items.0)."""
    parts = spec.name.split(".")
    return [
        (set(tokens(parts[index - 1])), set(tokens(" ".join(parts[: index - 1]))))
        for index, part in enumerate(parts)
        if part == "0" and index > 0
    ]


def _on_first_goods_line(spec: FieldSpec) -> bool:
    """items.0.name, invoice_lines.0.date: a field of the goods list's first entry.

    A basket or cart written as a list (basket.0.name) lists its goods too.
    """
    return any(
        listed <= _GOODS_LISTS | _DOCUMENT_WORDS | _GOODS_HOLDERS
        and bool(listed & (_GOODS_LISTS | _GOODS_HOLDERS))
        and not owner & _NOT_GOODS_OWNERS
        for listed, owner in _first_entries(spec)
    )


def _line_of_the_invoice_paid(spec: FieldSpec, context: Context) -> bool:
    """invoiceInfo.items.0.price on a charge: a line of the invoice paid.

    A payment request may carry the invoice it settles, lines and all: the
    lines are that invoice's, another Stripe object, and Stripe's payment
    lists none. A payment's own goods (items.0.price, order.items.0.price)
    are still the one item sold.
    """
    return (
        context.object_type in _PAYMENT_OBJECTS
        and _on_first_goods_line(spec)
        and any("invoice" in owner for _, owner in _first_entries(spec)[:1])
    )


def _tax_within_a_goods_line(spec: FieldSpec) -> bool:
    """items.0.taxes.0.amount: a tax applied to the first line, not the line.

    A goods line may list the taxes or discounts applied to it; an entry
    of that inner list (its label, its amount on one unit) is no field of
    the line, and Stripe keeps no such entry apart.
    """
    entries = _first_entries(spec)
    return (
        len(entries) > 1
        and _on_first_goods_line(spec)
        and any(listed & _NOT_GOODS_OWNERS for listed, _ in entries[1:])
    )


# A line's field named or described for the whole document (DocTax, "the
# tax on the document"); a docstring or the documentation names none.
_NAMES_THE_DOCUMENT = re.compile(r"(?i)\bdoc(?!string)|document(?!ation)")


def _tax_of_a_goods_line(spec: FieldSpec, context: Context) -> bool:
    """items.0.tax_amount on an invoice: the first line's own tax.

    Stripe keeps a document's tax as one figure, and no line's tax apart:
    the tax of one line is not the document's, whatever word it shares.
    """
    return (
        context.object_type in ("invoice", "credit_note")
        and spec.type in (DECIMAL, INT)
        and _on_first_goods_line(spec)
        and "tax" in _line_leaf(spec)
        and not _line_leaf(spec) & {"rate", "percent", "code", "price"}
        and not _line_gross_named(spec)
        and not re.search(r"(?i)(excl|incl|exclusive|inclusive|without|net)", spec.name)
        and not _NAMES_THE_DOCUMENT.search(f"{spec.name} {spec.description}")
        and any(listed & _SOLD_ENTRIES for listed, _ in _first_entries(spec)[:1])
    )


# A list whose entries are goods sold (items, order lines, positions), not
# the rows a booking is split into (details), which may be all of it.
_SOLD_ENTRIES = {"item", "items", "line", "lines", "position", "positions"}


def _payments_item_text(spec: FieldSpec, context: Context) -> bool:
    """items.0.name "the first item's text" on a charge: what was paid for.

    A payment (or a balance's movement, a fee booked as an expense) written
    as a voucher of its items holds the one item it was for: that item's
    name or title is its description, not the payer's name the leaf shares.
    """
    return (
        context.object_type in ("charge", "balance_transaction")
        and spec.type == STRING
        and _on_first_goods_line(spec)
        and bool(_line_leaf(spec) & (_LINE_TEXT - {"description"}))
    )


# A whole order's or purchase's own name or title (purchaseName,
# purchase_title): the words that name it, in one leaf.
_ORDER_WORDS = {"order", "purchase"}
_TITLE_WORDS = {"name", "title"}


def _order_title(spec: FieldSpec) -> bool:
    """purchaseName, purchase_title: what the order paid for was.

    A payment or a document names the order it is for in a line of text
    ("Two tickets, row 12"), which Stripe keeps as the description; the
    payer's name the leaf shares is another thing. Only the leaf says so: a
    name under an order's own group (order.name) may be its number.
    """
    leaf = leaf_tokens(spec.name)
    return (
        spec.type == STRING
        and len(leaf) == 2
        and leaf[0] in _ORDER_WORDS
        and leaf[1] in _TITLE_WORDS
    )


def _sort_position(spec: FieldSpec) -> bool:
    """order typed as a whole number: where the record sorts among its kind.

    A field named order and nothing else, counted in whole numbers, is the
    place a card or row takes in its list (1, 2, 3); an order referred to
    is named by a key written as text, which the reference rules read.
    """
    return spec.type == INT and leaf_tokens(spec.name) == ("order",)


def _line_leaf(spec: FieldSpec) -> set[str]:
    """The concepts of a line field's leaf, its list's index left out."""
    return concepts(" ".join(t for t in leaf_tokens(spec.name) if not t.isdigit()))


def _not_goods_line_text(spec: FieldSpec) -> bool:
    """tax.items.0.description: the text of a tax or discount applied.

    A list of taxes or discounts names each entry ("VAT 21%"); Stripe's
    document keeps no such text apart, and the document's own description
    is not it. The list may be named for them in one word (tax_lines.0).
    """
    leaf = _line_leaf(spec)
    return (
        spec.type == STRING
        and bool(leaf & _LINE_TEXT)
        and any(
            listed & _GOODS_LISTS and (owner | listed) & _NOT_GOODS_OWNERS
            for listed, owner in _first_entries(spec)
        )
    )


def _goods_line_date(spec: FieldSpec, context: Context) -> bool:
    """items.0.item_date "when the item or service was provided": the line's.

    A document's goods line dated apart (its delivery or service date) has a
    date of its own, which Stripe does not keep: the document's creation is
    the document's date, not the line's. A line's due date (DueDate "The due
    date for the document line") is when the invoice it bills falls due:
    Stripe's one due date.
    """
    if context.object_type == "invoice" and "due" in _line_leaf(spec):
        return False
    return (
        context.object_type in ("invoice", "credit_note")
        and spec.type in (DATE, DATETIME)
        and _on_first_goods_line(spec)
    )


def _goods_line_link(spec: FieldSpec, context: Context) -> bool:
    """items.0.url "The URL associated with the item": the line's own page.

    Stripe links the whole document (its hosted page, its PDF), never one
    of its lines.
    """
    leaf = _line_leaf(spec)
    return (
        context.object_type in ("invoice", "credit_note")
        and spec.type == STRING
        and "url" in leaf
        and _on_first_goods_line(spec)
    )


# A line's quantity described as the part already served, delivered, shipped
# or invoiced (a Spanish servido, a German bereits gelieferte Menge): how far
# the line's fulfilment has got, not the quantity sold ("quantity invoiced"
# alone is the quantity an invoice bills).
_QUANTITY_DONE = re.compile(
    r"(?i)\bquantity\s+(already|so\s+far)\s+(served|delivered|shipped|"
    r"invoiced|fulfill?ed|received|returned)\b"
)


def _quantity_done(spec: FieldSpec) -> bool:
    """servido "quantity already served": the part of a line fulfilled."""
    return (
        spec.type in (DECIMAL, INT)
        and bool(_line_leaf(spec) & _LINE_QUANTITY or _opens_as_quantity(spec))
        and bool(_QUANTITY_DONE.search(spec.description or ""))
    )


# A number described as counted within a series, a document or a year
# ("document number, unique within the series", "receipt number within the
# invoice"): the ERP's own count, which it assigns, not a Stripe value.
_NUMBERED_WITHIN = re.compile(
    r"(?i)\bnumber\b[^.;()]*\bwithin\s+(the|its)\s+"
    r"(series|invoice|document|order|year|fiscal year)\b"
)


def _numbered_within(spec: FieldSpec) -> bool:
    """numero "receipt number within the invoice": the ERP's own count."""
    return spec.type in (STRING, INT) and bool(
        _NUMBERED_WITHIN.search(spec.description or "")
    )


def _earlier_documents_number(spec: FieldSpec) -> bool:
    """quote_number, QuoteNum: the number of the quote the sale came from.

    A quote, an estimate or a proforma is a document of its own that came
    before the one synced, numbered by the ERP; Stripe's documents keep no
    number of one (a currency quote is a rate, a decimal, not numbered).
    """
    named = concepts(" ".join(leaf_tokens(spec.name)))
    return (
        spec.type in (STRING, INT)
        and "number" in named
        and bool(named & _EARLIER_DOCUMENTS)
    )


# A figure described as one the ERP works out itself ("total in euros
# (computed on save)", "balance (computed)", or first of all "computed: sum
# of the items"): it is not written from outside. One worked out only when
# left out ("computed when not given") may still be sent.
_COMPUTED_BY_ERP = re.compile(
    r"(?i)(\(|^\W*)computed\b(?!\s+(when|if|unless)\b)|\bcomputed\s+on\s+save\b"
)


def _computed_by_erp(spec: FieldSpec) -> bool:
    """totaleuros "total in euros (computed on save)": the ERP's own figure.

    A text so described (full_name "computed: title + first_name +
    last_name") is put together by the ERP from its own fields as well.
    """
    return spec.type in (DECIMAL, INT, STRING) and bool(
        _COMPUTED_BY_ERP.search(spec.description or "")
    )


# A value described as one the ERP sets or copies from another of its own
# records ("set from the sale (before_validation)", "copied from the entry"):
# the ERP fills it itself, not from outside. One taken from a record only
# when not given ("copied from the customer when not given") may still be
# sent.
_SET_FROM_ERP_RECORD = re.compile(
    r"(?i)\b(set|copied|filled|taken)\s+from\s+(the|its)\b"
    r"(?![^;.]*\b(when|if|unless)\b)(?![^;.()]*\bstripe\b)"
)


def _set_from_erp_record(spec: FieldSpec) -> bool:
    """currency "set from the payment mode (before_validation)": the ERP's."""
    return bool(_SET_FROM_ERP_RECORD.search(spec.description or ""))


# A record's reference in the merchant's own system ("the charge's
# reference code in the merchant's system"): the integration's key for the
# record, which is Stripe's: a document's number where it has one, else the
# record's id.
# The merchant's reference for it ("the merchant's reference for the
# payment"), said the other way round, is that key too.
_MERCHANTS_REFERENCE = re.compile(
    r"(?i)\breference\s+(code|key|id|identifier)\s+in\s+the\s+merchant'?s\s+"
    r"(own\s+)?system\b|^\W*(the\s+)?merchant'?s\s+(own\s+)?reference\b"
)
# The merchant's key for its order ("the merchant's order identifier", "Your
# internal order ID", the API user being the merchant): a key the merchant
# gives, the order's own.
_MERCHANTS_ORDER = re.compile(
    r"(?i)^\W*(?:(the\s+)?merchant'?s\s+(own\s+)?|your\s+internal\s+)order\s+"
    r"(identifier|id|reference)\b"
)


def _order_kept_in_metadata(spec: FieldSpec, profiles: dict) -> str:
    """The metadata path naming the order a merchant's order key names, or ""."""
    if not _MERCHANTS_ORDER.search(spec.description or ""):
        return ""
    kept = [
        path
        for path in profiles
        if path.startswith("metadata.") and "order" in concepts(path)
    ]
    return min(kept, default="")


# A description saying the field is not a state ("a locale region, used for
# formats; not a state").
_NOT_A_STATE = re.compile(r"(?i)\bnot\s+(a|an|the)\s+(state|province|county)\b")


# The place parts a company's incorporation is given by.
_PLACE_PARTS = {"state", "country", "city"}


def _place_of_incorporation(spec: FieldSpec) -> bool:
    """company.IncorporatedState "The state the client was incorporated in".

    Where a company was founded or incorporated is a trade register's
    entry, not where the party is; Stripe keeps only its address.
    """
    leaf = _plain(spec.name).rsplit(".", 1)[-1]
    words = set(tokens(_plain(spec.name))) | set(
        tokens(_own_description(spec.description or ""))
    )
    return bool(concepts(leaf) & _PLACE_PARTS) and bool(words & _FOUNDING)


def _denied_state(spec: FieldSpec) -> bool:
    """regionCode "a locale region, used for formats; not a state": none.

    A region named like a state and described as none is some other region
    (a locale's, a sales one); Stripe's addresses keep only the state.
    """
    return "state" in concepts(spec.name) and bool(
        _NOT_A_STATE.search(spec.description or "")
    )


# A subdivision's code given with its country's prefix ('DE-BO', US-CA):
# two capitals, a hyphen and the subdivision's own one to three.
_COUNTRY_PREFIXED_CODE = re.compile(r"\b[A-Z]{2}-[A-Z0-9]{1,3}\b")


def _country_prefixed_state(spec: FieldSpec) -> bool:
    """state "an ISO 3166-2 subdivision code ('DE-BO')": none.

    A state whose description shows its code written after the country's
    (DE-BO, US-CA) asks for the subdivision's full code; Stripe's state is
    the bare one (CA) or a name, and the country it would take is another
    field's. A state shown by its bare code (IDF, CA) is Stripe's.
    """
    return (
        spec.type == STRING
        and "state" in concepts(spec.name)
        and bool(_COUNTRY_PREFIXED_CODE.search(spec.description or ""))
    )


# What a name's extension is called (name_ext, NameExtension).
_EXTENSION_WORDS = {"ext", "extension"}


def _name_extension(spec: FieldSpec) -> bool:
    """name_ext "Name extension: text shown with the name": none.

    Text an ERP shows along with a name (a department, a title, "c/o") is
    added to it, not the name; Stripe keeps the name alone.
    """
    words = set(leaf_tokens(spec.name))
    return spec.type == STRING and "name" in words and bool(words & _EXTENSION_WORDS)


# A name ending on a deed and "by" (created_by, approvedBy): who did it, not
# a deadline (ship_by, expire_by); with that user's name or key after it
# (last_changed_by_name, modifiedById).
_DONE_BY = re.compile(
    r"(?:ed|ED)(?:[_-](?:by|By|BY)|By)(?:[_-]?(?:name|Name|NAME|id|Id|ID))?$"
)


def _done_by(spec: FieldSpec) -> bool:
    """created_by "The user who created it": who made the record, none.

    A field named for who did something names a user of the ERP; Stripe
    records none, and the time it was done is another field's.
    """
    return bool(_DONE_BY.search(_plain(spec.name).rsplit(".", 1)[-1]))


# Who wrote a record or is given it to do: a user of the system.
_USERS_ROLES = {"author", "assignee"}
# A member of the system's own team ("The team member who looks after the
# client", "the user or team assigned to the role").
_TEAM_MEMBER = re.compile(
    r"(?i)\b(team\s+member|staff\s+member|user\s+or\s+team"
    r"|member\s+of\s+(your|the)\s+(team|staff|firm))\b"
)


def _systems_own_person(spec: FieldSpec) -> bool:
    """AuthorMail "The e-mail of the comment's author", AccountHandler "The
    team member who looks after this client": a user of the system itself.

    Stripe's objects name their customer, never who in the system wrote a
    record, is given it, or looks after a client; a key of an author (a
    user who pays, as some call it) is left to the rules for keys.
    """
    leaf = set(leaf_tokens(spec.name))
    if leaf & _USERS_ROLES and not leaf & _ID_WORDS:
        return True
    return bool(_TEAM_MEMBER.search(_own_description(spec.description or "")))


# A party described as acting for the client ("the law firm that represents
# the client", "the agent who acts for the customer"): another party.
_ACTS_FOR_THE_PARTY = re.compile(
    r"(?i)\b(?:that|who|which)\s+(?:represents?|acts?\s+for|acts?\s+on\s+behalf\s+of)"
    r"\s+(?:the|this)\s+(?:client|customer|contact|party)\b"
)


def _party_acting_for_the_client(spec: FieldSpec) -> bool:
    """details.LawFirm.Name "The name of the law firm that represents the
    client": a detail of another party, whom Stripe's customer names nowhere."""
    return bool(_ACTS_FOR_THE_PARTY.search(_own_description(spec.description or "")))


# What a merchant's reference is for ("the merchant's own reference for the
# payer"): the word after it names the record it keys.
_REFERENCE_FOR = re.compile(
    r"(?i)\breference\s+(?:for|of)\s+(?:the\s+|this\s+)?(?:end\s+)?(\w+)"
)


def _party_referenced(spec: FieldSpec, profiles: dict, context: Context) -> bool:
    """customer.reference "the merchant's reference for the payer" on a document.

    The merchant's key for the party a document is for keys that party, the
    customer Stripe's document points to, not the document itself.
    """
    found = _REFERENCE_FOR.search(spec.description or "")
    return (
        context.object_type != "customer"
        and "customer" in profiles
        and found is not None
        and "customer" in concepts(found.group(1))
    )


# A text described as the name a party is shown by ("the customer's display
# name"): its name, when the field is named by another word (label, caption);
# one named a name is ranked as names are.
_DISPLAY_NAME = re.compile(r"(?i)\bdisplay\s+name\b")


def _party_display_name(spec: FieldSpec, context: Context) -> bool:
    """customer.label "the customer's display name": the customer's name."""
    return (
        context.object_type == "customer"
        and spec.type == STRING
        and "name" not in concepts(spec.name)
        and bool(_DISPLAY_NAME.search(spec.description or ""))
    )


# An amount described as what a capture takes ("the amount to capture"): the
# part of the payment captured, not the amount authorised.
_TO_CAPTURE = re.compile(r"(?i)\bamount\s+to\s+capture\b")


def _amount_to_capture(spec: FieldSpec, context: Context) -> bool:
    """amount "the amount to capture in cents" on a charge: amount_captured."""
    return (
        context.object_type == "charge"
        and spec.type in (INT, DECIMAL)
        and bool(_TO_CAPTURE.search(spec.description or ""))
    )


def _merchants_reference(spec: FieldSpec) -> bool:
    """code "the order's reference code in the merchant's system"."""
    description = spec.description or ""
    return spec.type == STRING and bool(
        _MERCHANTS_REFERENCE.search(description) or _MERCHANTS_ORDER.search(description)
    )


# A name described as the kind of a record ("the kind of external record"):
# what sort of thing it is, not what a party is called.
_KIND_OF_RECORD = re.compile(r"(?i)(^|[;:]\s*)\W*(the\s+)?kind\s+of\b")


def _names_a_kind(spec: FieldSpec) -> bool:
    """provider.name "the kind of external record": a kind, not a name."""
    return (
        spec.type == STRING
        and "name" in leaf_tokens(spec.name)
        and bool(_KIND_OF_RECORD.search(spec.description or ""))
    )


# Things a name may be of that are no party nor anything sold: how a record
# looks (a colour, a font, a theme, a template), the model a record is of,
# where a page is (a site, a host), a file, a metric, a promotion, a phone.
_NAMED_THINGS = {
    "color",
    "colour",
    "font",
    "theme",
    "template",
    "model",
    "site",
    "host",
    "file",
    "metric",
    "promotion",
    "phone",
}


def _things_name(spec: FieldSpec) -> bool:
    """fontName, webHostName: the name of a thing, not what a party is called."""
    leaf = leaf_tokens(spec.name)
    return len(leaf) >= 2 and leaf[-1] == "name" and leaf[-2] in _NAMED_THINGS


def _language_setting(spec: FieldSpec) -> bool:
    """Buyer.Language, document_locale: the language a page or document is in.

    Chosen for the pages and documents the ERP shows or sends, it is set up
    once (or left to the ERP's default), whatever party its group names;
    none of Stripe's text or codes is a language.
    """
    return bool(set(leaf_tokens(spec.name)) & _LANGUAGE_WORDS)


# A description that opens by calling the field a group of others ("This group
# of fields holds the buyer's details", "This object contains …").
_GROUP_OF_FIELDS = re.compile(
    r"(?i)^\W*(?:this|the)\s+(?:(?:set|group|collection|block)\s+of\s+fields"
    r"|object|structure|section)\s+(?:contains|holds|has)\b"
)


def _group_of_fields(spec: FieldSpec) -> bool:
    """Buyer "This group of fields holds the buyer's details": a group, no value.

    The group's own fields (Buyer.Id, Buyer.Email) take the values; the
    group, whatever party it is named for, is no key of that party.
    """
    return bool(_GROUP_OF_FIELDS.match(spec.description or ""))


def _opens_as_quantity(spec: FieldSpec) -> bool:
    """Amount "Quantity of the item": a count, whatever the name's word.

    Some APIs name a line's count its amount (the Czech množství, put into
    English); the description's first word says what the number is.
    """
    words = [w for w in tokens(spec.description or "") if w not in ("the", "a")]
    return bool(words) and "quantity" in concepts(words[0])


def _whole_number_price(spec: FieldSpec) -> bool:
    """items.0.price, finalPrice typed int: a price counted in minor units.

    A whole number named as a goods line's price (not a kind of price, as
    PriceType is) holds its cents, as Stripe's line amount does; a bare
    amount or total so typed may be a row of the books, and is left alone.
    """
    words = set(leaf_tokens(spec.name))
    return spec.type == INT and "price" in words and not words & _KIND_WORDS


# A goods line's money named for its price or total, which no count is (an
# "amount" of goods may be how many).
_PRICED = {"price", "total"}


def _line_price_as_text(spec: FieldSpec) -> bool:
    """products.0.price, items.0.total_amount typed as text or not at all.

    A goods line's price or total, named for nothing else, is the sum the
    line is billed whatever type carries it: a decimal written out, in
    major units as a price is shown. A line's amount alone may be its count.
    """
    written = set(leaf_tokens(spec.name))
    return (
        spec.type == STRING
        and bool(written & _PRICED)
        and written <= _PRICED | {"amount"}
    )


def _first_line_field(spec: FieldSpec) -> str:
    """items.0.title, itemdescription1 "The first line item's description".

    A field of the first entry of the document's list of goods, or one
    described as the first line item's, is that line's: its title or name
    is the line's description and its amount the line's amount, not the
    document's description or total. Its quantity is the line's even when
    typed as text, if the name says nothing else (not quantityUnit).
    """
    listed = _on_first_goods_line(spec)
    described = bool(_FIRST_ITEM_DESCRIBED.search(spec.description or "")) and bool(
        concepts(_plain(spec.name)) & {"item", "line", "lines"}
    )
    # entries.0.description "first invoice entry: the entry's description": a
    # list named for no goods, described as the document's lines.
    described = described or (
        in_a_list(spec.name)
        and bool(_FIRST_DOCUMENT_LINE.search(spec.description or ""))
    )
    if not listed and not described:
        return ""
    leaf = _line_leaf(spec)
    if spec.type == STRING and leaf & _LINE_TEXT:
        return "lines.data.0.description"
    if spec.type in (DECIMAL, INT) and (
        leaf & _LINE_QUANTITY or _opens_as_quantity(spec)
    ):
        return _FIRST_LINE_QUANTITY
    if spec.type == STRING and leaf == _LINE_QUANTITY:
        # quantity typed as text ('1'): a count written out, not a name.
        return _FIRST_LINE_QUANTITY
    if _line_price_as_text(spec):
        return _FIRST_LINE_AMOUNT
    if set(leaf_tokens(spec.name)) & _WITHOUT_TAX:
        leaf = leaf - _TAX_NAMES  # PriceExclTax: the price, its tax left out
    if (
        (
            spec.type == DECIMAL
            or _in_minor_units(spec)
            or _int_in_main_unit(spec)
            or _whole_number_price(spec)
        )
        and leaf & _LINE_MONEY
        and not leaf & _NOT_LINE_MONEY
        and not set(leaf_tokens(spec.name)) & _SELLERS_SIDE
        and not _line_gross_named(spec)
    ):
        return _FIRST_LINE_AMOUNT
    return ""


# A list of the taxes a document charges (tax.0, taxes.0, vat.0).
_TAX_LISTS = {"tax", "taxes", "vat"}


def _first_tax_amount(spec: FieldSpec) -> bool:
    """tax.0.amount "Array of taxes, the first: amount of the tax".

    Stripe keeps a document's tax as one figure: the amount of the first
    entry of its list of taxes is that figure, not the document's total
    (an amount in minor units as Stripe's is, or a decimal).
    """
    if not (spec.type == DECIMAL or _in_minor_units(spec)):
        return False
    leaf = _line_leaf(spec)
    return (
        any(listed & _TAX_LISTS for listed, _ in _first_entries(spec))
        and bool(leaf & {"amount", "total"})
        and not leaf & {"rate", "percent", "base"}
    )


def _gross_line_money(spec: FieldSpec, context: Context) -> bool:
    """positions.0.price_gross on an invoice: a goods line's money with tax.

    Stripe's line amounts leave the tax out and it keeps no line's tax, so
    neither a line's gross price nor its gross total is any Stripe field
    (the document's total is all lines' together).
    """
    return (
        context.object_type in ("invoice", "credit_note")
        and spec.type in (DECIMAL, INT)
        and _on_first_goods_line(spec)
        and _line_gross_named(spec)
    )


def _documents_field_for_line(
    spec: FieldSpec, path: str, profiles: dict[str, Profile], context: Context
) -> bool:
    """positions.0.code ranked as the customer's postal code: not the line's.

    A text of an invoice's first goods line that the line's rules left (its
    product code, its tax rate as text, a note on it) is a detail Stripe's
    line does not keep; a field of the whole document or of its customer is
    never it. The document's currency is every line's. (A line's money may
    stand for the document's when a document is sent as one row.)
    """
    profile = profiles.get(path)
    if context.object_type == "charge":
        # A charge sent as one goods line sells no product: the line's
        # product code or SKU is none of the charge's fields, though its
        # name may be the charge's description.
        leaf = _line_leaf(spec)
        return (
            spec.type == STRING
            and _on_first_goods_line(spec)
            and bool(leaf)
            and leaf <= _PRODUCT_KEYS
        )
    return (
        context.object_type in ("invoice", "credit_note")
        and spec.type == STRING
        and _on_first_goods_line(spec)
        and not path.startswith("lines.")
        and not (profile is not None and profile.kind == "currency")
    )


# What keys a product on a goods line, and nothing else: its code, its SKU
# or product code (an item).
_PRODUCT_KEYS = {"code", "item"}


# A name described as the payment's own title ("Name (title) of the
# payment"): what the payment is called, not who paid it.
_PAYMENTS_TITLE_DESCRIBED = re.compile(
    r"(?i)^\W*(the\s+)?(name|title)\b[^.;]{0,20}?\bof\s+(the\s+|this\s+)?"
    r"(payment|charge|transaction|receipt)\s*($|[(,;.])"
)
# Money described as the payment's own amount, the phrase closing there
# ("Amount of the payment (for example 100.05)"), whatever its name (price);
# "the amount of the payment taken as a fee" is a part of it.
_PAYMENTS_AMOUNT_DESCRIBED = re.compile(
    r"(?i)^\W*(the\s+)?amount\s+of\s+(the\s+|this\s+)?"
    r"(payment|charge|transaction|receipt)\s*($|[(,;.])"
)
# A date described as when payment is due ("Payment due date, used with
# ..."), or planned for ("Planned payment date"), whatever its name
# (payment_to, where "to" says little; paymentPlannedMoment).
_DUE_DATE_DESCRIBED = re.compile(
    r"(?i)^\W*(the\s+)?((payment\s+)?due|(planned|expected)\s+payment)\s+date\b"
    # the day by which to pay ("payment deadline of a bank slip")
    r"|^\W*(the\s+)?payment\s+deadline\b"
)
# A text described first as the statement descriptor ("Statement descriptor
# - Order text.", "The soft statement descriptor"), whatever the gateway
# calls it (soft_descriptor): the words on the payer's card statement.
_STATEMENT_DESCRIPTOR_DESCRIBED = re.compile(
    r"(?i)^\W*(the\s+)?((soft|billing|dynamic)\s+)?statement\s+descriptor\b"
)
# A date the vendor calls by its own term and glosses, after a dash, as the
# due date ("Voucher expiry date - Due date."): what the gloss says.
_DUE_DATE_GLOSSED = re.compile(
    r"(?i)^\W*[^.;:\"]{1,40}?\s[-\u2013\u2014]\s+(the\s+)?(payment\s+)?due\s+date\b"
)


# A text described first as a document's number, after a label in the
# vendor's own script ("单据号 (receivable document number)"), the number
# perhaps named by the ledger it is kept in; or as another document's,
# corresponding or related to it.
_DOCUMENT_NUMBER_DESCRIBED = re.compile(
    r"(?i)^\W*([^\x00-\x7f]+\s*\(\s*)?(the\s+)?"
    r"(?P<other>(corresponding|related|relevant)\s+)?"
    r"((receivable|payable|sales|receivable/payable)\s+)?document\s+(number|no)\b"
)
# What names a number in a field's name, SL's abbreviation (RefNbr) too.
_NUMBER_NAMES = _NUMBER_WORDS | {"nbr"}


def _described_document_number(spec: FieldSpec, context: Context) -> str:
    """code "单据号 (document number)": own; "(corresponding document number)": other.

    A code named for no number that its description calls the document's
    number is the document's own number; one described as the number of a
    corresponding or related document is another document's, which a
    Stripe invoice keeps none of. A field named a number is left to its name.
    """
    if context.object_type not in ("invoice", "credit_note") or spec.type != STRING:
        return ""
    found = _DOCUMENT_NUMBER_DESCRIBED.match(spec.description or "")
    if not found:
        return ""
    if found.group("other"):
        return "other"
    return "" if set(leaf_tokens(spec.name)) & _NUMBER_NAMES else "own"


# Fields a description says are one Stripe field, whatever their name: by
# type, object types (none: any), description, path and what it is.
_DESCRIBED_AS = (
    (
        (STRING,),
        ("charge",),
        _PAYMENTS_TITLE_DESCRIBED,
        "description",
        "the payment's own title: its description",
    ),
    (
        (STRING,),
        ("charge",),
        _PAYMENTS_PURPOSE_DESCRIBED,
        "description",
        "the payment's purpose: its description",
    ),
    (
        (STRING,),
        ("refund",),
        _PAYMENTS_PURPOSE_DESCRIBED,
        "reason",
        "a refund's purpose: its reason",
    ),
    (
        (STRING,),
        ("customer",),
        _NAME_SHOWN_DESCRIBED,
        "name",
        "the name shown for the customer: its name",
    ),
    ((DECIMAL,), (), _PAYMENTS_AMOUNT_DESCRIBED, "amount", "the payment's own amount"),
    (
        (STRING,),
        ("charge",),
        _STATEMENT_DESCRIPTOR_DESCRIBED,
        "statement_descriptor",
        "the payment's statement descriptor",
    ),
    # A key that travels as text, named a date (below), is a date all the same.
    (
        (DATE, DATETIME, STRING),
        (),
        _DUE_DATE_DESCRIBED,
        "due_date",
        "the payment due date",
    ),
    ((DATE, DATETIME, STRING), (), _DUE_DATE_GLOSSED, "due_date", "the due date"),
)


def _described_source(
    spec: FieldSpec, profiles: dict[str, Profile], context: Context
) -> Suggestion | None:
    """price "Amount of the payment", payment_to "Payment due date": as described."""
    for types, objects, described, path, what in _DESCRIBED_AS:
        if (
            spec.type in types
            and (not objects or context.object_type in objects)
            and described.match(spec.description or "")
            and path in profiles
            and (spec.type != STRING or path != "due_date" or _named_a_date(spec))
        ):
            return _copied(spec, path, profiles, 0.9, f"described as {what}")
    return None


def _named_a_date(spec: FieldSpec) -> bool:
    """expiry_date: a text key named a date, which the date goes into as text."""
    return "date" in concepts(spec.name)


def _in_minor_units(spec: FieldSpec) -> bool:
    """Int "net value, in grosze": an amount in minor units, not a count or code."""
    return spec.type == INT and _described_in_minor_units(spec)


# Money described with its tax in it ("amount in yen, tax included").
_TAX_INCLUDED_DESCRIBED = re.compile(
    r"(?i)\btax(es)?[- ]included\b|\b(including|inclusive of|incl\.?) tax(es)?\b"
)


def _int_in_main_unit(spec: FieldSpec) -> bool:
    """Int "Item price (whole rupiah)": a line's money in a currency's main unit.

    One described with its tax in it is a gross, which Stripe's line amount
    is not.
    """
    return (
        spec.type == INT
        and _in_main_unit(spec)
        and not _TAX_INCLUDED_DESCRIBED.search(spec.description or "")
    )


def _first_line_unit_price(profiles: dict[str, Profile]) -> str:
    """The first line's unit amount when the samples carry one, else its amount."""
    for path in sorted(profiles):
        if path.startswith("lines.data.0.") and {"unit", "amount"} <= set(
            tokens(path.rsplit(".", 1)[-1])
        ):
            return path
    return _FIRST_LINE_AMOUNT if _FIRST_LINE_AMOUNT in profiles else ""


def _card_number(spec: FieldSpec) -> bool:
    """card_number "Card number": the last four digits of the card paid with.

    Stripe never gives a card's full number, and a ledger may not keep it
    (PCI DSS): a payment's card number holds the masked number, of which the
    last four digits are what is known. A card's brand, expiry or holder is
    another field.
    """
    if spec.type != STRING:
        return False
    words = set(tokens(_plain(spec.name)))
    return (
        "card" in words
        and bool(words & _CARD_NUMBER_WORDS)
        and words <= _CARD_WORDS | _CARD_NUMBER_WORDS
    )


# A number described as a card's (its PAN, a wallet's device PAN, "the credit
# card number").
_CARD_NUMBER_DESCRIBED = re.compile(
    r"\b(?:D|F)?PAN\b|(?i:\bcard(?:'s)?\s+(?:full\s+)?number\b)"
)


def _card_number_described(spec: FieldSpec) -> bool:
    """methods.0.number "the credit card PAN": a card's full number.

    A bare number described as a card's primary account number is the
    card's own, which Stripe gives no one; where the object carries the
    card's last four digits (a charge), _card_number reads it so.
    """
    words = [w for w in leaf_tokens(spec.name) if not w.isdigit()]
    return (
        spec.type == STRING
        and bool(words)
        and set(words) <= _CARD_NUMBER_WORDS
        and bool(_CARD_NUMBER_DESCRIBED.search(spec.description or ""))
    )


# Who takes a payment for the seller: Stripe, for this integration.
_PROCESSOR_WORDS = {"processor", "gateway", "provider", "psp"}
# A key's description naming the transaction as what it identifies.
_TRANSACTION_DESCRIBED = re.compile(r"(?i)\btransaction\b")
# A key described as the one the payment service gave what it processes
# ("Identifier used by the payment service that manages the Transaction"),
# or as the remote payment's ("The remote payment ID": the service's, far off),
# whatever the ERP names it after (interfaceId, interactionId).
_PROCESSORS_KEY_DESCRIBED = re.compile(
    r"(?i)\b(identifier|id|key|reference)\s+(used|given|assigned|issued)\s+by\s+"
    r"the\s+payment\s+(service|processor|provider|gateway|psp)\b"
    r"|\bremote\s+(payment|transaction)\s+(identifier|id|key|reference)\b"
)
# A customer's key described as its own: "The ID of this customer in ...".
_CUSTOMER_DESCRIBED = re.compile(r"(?i)\b(this|the)\s+customer\b(?!'s\s+\w)")
# The transaction a document's payment processor key names: on an invoice its
# payment (Stripe's charge); on a payment, refund or credit note the object.
_PROCESSOR_KEY_PATHS = {
    "invoice": "charge",
    "charge": "id",
    "refund": "id",
    "credit_note": "id",
}


def _card_on_file(spec: FieldSpec, context: Context) -> bool:
    """cardDetails.fullName on a customer: a field of the card kept on file.

    A Stripe customer carries no card (its cards are payment methods of
    their own), so nothing in it fills the card object a customer record
    holds: not the holder's name from the customer's, nor a token from a
    free text. The card's address (card.address.city) is the one its holder
    bills to, which is the customer's own address.
    """
    if context.object_type != "customer":
        return False
    parents = [tokens(part) for part in _plain(spec.name).split(".")[:-1]]
    return any("card" in words for words in parents) and not any(
        "address" in words for words in parents
    )


def _idempotency_key(spec: FieldSpec) -> bool:
    """idempotency_id, IdempotencyKey: the key that makes a request idempotent.

    Sent again with a retried call, it makes the receiver book the object
    once; one key per object is what it asks for, the object's own Stripe
    id. How long such keys are kept (idempotencyWindow) is no key.
    """
    words = set(leaf_tokens(spec.name))
    return (
        spec.type == STRING
        and bool(words & {"idempotency", "idempotent"})
        and bool(words & _TRANSACTION_KEY_WORDS)
    )


def _processor_transaction_key(spec: FieldSpec, context: Context) -> str:
    """payment_processor_id "ID of the transaction in the payment processor".

    The payment processor is Stripe, so the key it gave the transaction is a
    Stripe id: the object's own, or an invoice's charge; on a customer, the
    key it gave the customer described (payment_provider_id "The ID of this
    customer in an external payments solution") is the customer's own. The
    processor's or gateway's own record (gateway_id "Id of the payment
    gateway selected") says nothing of a transaction and is a setting. A
    key described as the one the payment service uses for what it processes
    is that Stripe id whatever its name.
    """
    words = set(tokens(_plain(spec.name))) - _CONNECTIVES
    if (
        spec.type == STRING
        and context.object_type != "customer"
        and set(leaf_tokens(spec.name)) & _TRANSACTION_KEY_WORDS
        and _PROCESSORS_KEY_DESCRIBED.search(spec.description or "")
    ):
        return _PROCESSOR_KEY_PATHS.get(context.object_type, "")
    named = _TRANSACTION_WORDS | _TRANSACTION_KEY_WORDS | _TRANSACTION_QUALIFIERS
    if (
        spec.type != STRING
        or not words & _TRANSACTION_KEY_WORDS
        or not words & (_PROCESSOR_WORDS | _TRANSACTION_WORDS)
        or not words <= named | _PROCESSOR_WORDS
    ):
        return ""
    described = set(tokens(spec.description or ""))
    if not (words | described) & _PROCESSOR_WORDS:
        return ""
    if context.object_type == "customer":
        return "id" if _CUSTOMER_DESCRIBED.search(spec.description or "") else ""
    if not _TRANSACTION_DESCRIBED.search(spec.description or ""):
        return ""
    return _PROCESSOR_KEY_PATHS.get(context.object_type, "")


# "Id of the customer in Salesforce": a key held in a system the description
# names, which is not Stripe ("in an external system" names none, "only
# available in API" names the interface the record is sent through, and
# "field in Ledgerly" the ERP the field itself is part of).
_IN_NAMED_SYSTEM = re.compile(
    r"(?<!field )\bin (?!(?:Stripe|APIs?|REST|JSON|XML|SOAP|UI)\b)[A-Z][A-Za-z]+"
)


def _named_systems_key(spec: FieldSpec) -> bool:
    """external_crm_id "Id of the customer in Salesforce": another system's key.

    An external id is the Stripe id when the system is the one sending the
    record; when the description names a third system (a CRM the ERP also
    talks to), Stripe does not know that key.
    """
    words = set(tokens(_plain(spec.name)))
    return (
        spec.type == STRING
        and bool(words & {"external", "ext"})
        and bool(_IN_NAMED_SYSTEM.search(spec.description or ""))
    )


# "Number from an external system or a legacy system": a system the
# description does not name, which for records the integration sends is the
# sender, Stripe.
_FROM_AN_EXTERNAL_SYSTEM = re.compile(
    r"(?i)\b(?:from|in|by)\s+(?:an?\s+|the\s+)?(?:external|legacy|sending|source)"
    r"(?:\s+or\s+(?:an?\s+)?(?:external|legacy))?\s+systems?\b"
)
_SENDERS_KEY_WORDS = {"id", "number", "no", "nr", "key", "ref", "reference"}


# "the string identifier of the contact in that external system": the key a
# record has in the system it comes from, and which record that is.
_KEY_IN_AN_EXTERNAL_SYSTEM = re.compile(
    r"(?i)\b(?:id|identifier|key)\s+of\s+(?:the|a|an|this)\s+(\w+)\s+in\s+"
    r"(?:that|the|an?)\s+(?:external|other|source|sending)\s+system\b"
)


def _partys_key_elsewhere(spec: FieldSpec, context: Context) -> bool:
    """origin_key "the identifier of the contact in that external system".

    On a payment or a document the record made for its party (a contact
    for a charge's payer) is keyed in the sending system, Stripe, by the
    party's own record there, the customer, not by the payment's id.
    """
    if context.object_type in ("", "customer") or spec.type != STRING:
        return False
    found = _KEY_IN_AN_EXTERNAL_SYSTEM.search(spec.description or "")
    return bool(found) and bool(set(tokens(found.group(1))) & _CUSTOMER_WORDS)


def _from_the_sending_system(spec: FieldSpec, context: Context) -> bool:
    """BusinessPartnerIDByExtSystem "number from an external system": Stripe's.

    A customer's key described as coming from an external (or legacy)
    system that no name narrows down is the key the sending system gave
    the customer; the integration sends it, so it is the Stripe id. A key
    of a part of the customer (an address) Stripe does not key.
    """
    words = set(tokens(_plain(spec.name)))
    return (
        context.object_type == "customer"
        and spec.type == STRING
        and bool(words & _CUSTOMER_WORDS)
        and "address" not in concepts(_plain(spec.name))
        and bool(words & _SENDERS_KEY_WORDS)
        and bool(_FROM_AN_EXTERNAL_SYSTEM.search(spec.description or ""))
    )


# A description opening on a later ordinal ("Second VAT", "'Third tax
# amount'"): the slot past the first of a numbered series.
_LATER_ORDINAL = re.compile(r"^\W*(second|third|fourth|fifth)\b", re.IGNORECASE)


def _later_tax_slot(spec: FieldSpec) -> bool:
    """tax2 "Second calculated VAT price": a second rate's tax, no Stripe field.

    Stripe gives a document one tax total; an ERP that keeps its tax in
    numbered slots, one per rate, takes it in the first, and the second
    rate's share is none Stripe gives.
    """
    lead = re.split(r"[;,.]", spec.description or "", maxsplit=1)[0]
    return (
        spec.type in (DECIMAL, INT)
        and bool(_LATER_ORDINAL.search(lead))
        and "tax" in concepts(lead)
    )


def _link_target(spec: FieldSpec) -> bool:
    """url2, logo_url, payment_link: a field whose last word names a link.

    A key named after a link (linkId) is a key: the head word decides.
    """
    words = [t for t in leaf_tokens(spec.name) if not t.isdigit()]
    return spec.type == STRING and bool(words) and "url" in concepts(words[-1])


# The page a visitor came from: the web's word for it, in either spelling,
# or a link described so ("URL that the customer came to the store from"); a
# record's key "in the system the record comes from" is no page.
_REFERRER = re.compile(r"(?i)referr?er")
_CAME_FROM = re.compile(r"(?i)\bcame\s+(to\s+(the\s+|a\s+)?\w+\s+)?from\b")
_LINK_WORDS = re.compile(r"(?i)\b(url|page|link|site|website)\b")


def _referrer_link(spec: FieldSpec) -> bool:
    """refererUrl, globalReferer: the page the buyer came from, not Stripe's."""
    text = f"{spec.name} {spec.description or ''}"
    came_from = bool(_CAME_FROM.search(text) and _LINK_WORDS.search(text))
    return spec.type == STRING and (bool(_REFERRER.search(text)) or came_from)


# A party's own pages ("URL for the client's site", "the buyer's web site",
# "their home page"): the party's website, which Stripe does not keep.
_PARTYS_SITE = re.compile(
    r"(?i)\b(?:customer|client|buyer|payer|company|contact|person|party)(?:'s|s')?"
    r"\s+(?:own\s+)?(?:web\s*)?site\b|\bhome\s*page\b"
)


def _partys_site(spec: FieldSpec) -> bool:
    """Buyer.Url "the buyer's web site": the party's website, no document's page."""
    return "url" in concepts(spec.name) and bool(
        _PARTYS_SITE.search(spec.description or "")
    )


# What a link carries that is not the link: the code or token in it.
_LINK_KEYS = {"code", "token", "hash", "slug"}


def _link_key(spec: FieldSpec) -> bool:
    """deepLinkCode, share_link_token: the code a link is made of, not the link.

    Stripe gives its invoice page whole (hosted_invoice_url); the key in a
    link of the ERP's is the ERP's to make.
    """
    words = [t for t in leaf_tokens(spec.name) if not t.isdigit()]
    return (
        len(words) > 1
        and words[-1] in _LINK_KEYS
        and any("url" in concepts(w) for w in words[:-1])
    )


def _named_record_key(spec: FieldSpec) -> bool:
    """C_Region_ID, warehouse_id: a name of a record and then its id word.

    A whole number so named keys a record; read after the references, the
    record is none Stripe keeps.
    """
    words = [t for t in leaf_tokens(spec.name) if len(t) > 1 and not t.isdigit()]
    return len(words) > 1 and words[-1] == "id"


# Stripe's reasons are a short list of its own words (duplicate, fraudulent,
# order_change); a field of codes set up in the ERP takes them mapped.
_STRIPE_REASONS = {"reason"}
_CODE_WORDS = {"code", "codes"}


# The key words of a record of the ERP's reasons (reason_id, reasonKey).
_REASON_RECORD_KEYS = {"id", "key", "uid", "uuid", "guid"}


def _reason_record_key(spec: FieldSpec) -> bool:
    """reason_id "Reason id (a return reason record)": the ERP's reason, keyed.

    A reason kept as a record of the ERP's (a code or a name, with a key)
    is chosen for Stripe's reason the way a reason code is: by a value map
    from Stripe's few reasons onto the keys the admin fills in. So is the
    document's own reason in a field too narrow for any of Stripe's words
    (DocumentReason, three characters): a code of the ERP's.
    """
    words = set(leaf_tokens(spec.name))
    return (
        spec.type in (STRING, INT)
        and not spec.choices
        and "reason" in words
        and (bool(words & _REASON_RECORD_KEYS) or _documents_reason_code(spec))
    )


# Stripe's shortest reason (duplicate) is nine characters long: a reason
# field of a few characters holds a code.
_REASON_CODE_WIDTH = 4
# What a document's own reason is named with (DocumentReason, OrderReason);
# a reason named for something else (BillingBlockReason) is that thing's.
_OWN_REASON_WORDS = {"document", "doc", "order", "credit", "memo", "note", "return"}


def _documents_reason_code(spec: FieldSpec) -> bool:
    """SDDocumentReason, three characters wide: the document's reason, coded."""
    words = [w for w in leaf_tokens(spec.name) if len(w) > 2]
    return (
        spec.type == STRING
        and bool(spec.max_length)
        and spec.max_length <= _REASON_CODE_WIDTH
        and bool(words)
        and words[-1] == "reason"
        and set(words[:-1]) <= _OWN_REASON_WORDS
    )


def _coded_reason(spec: FieldSpec, path: str) -> bool:
    """reason_code, create_reason_code: one of the ERP's reason codes.

    A reason kept as free text (Reason) takes Stripe's word as it is, or
    the record's note when described as free text (ranking._text_bonus); a
    code the ERP has set up would reject it, so the suggestion leaves a
    value map for the admin to fill.
    https://docs.stripe.com/api/credit_notes/object#credit_note_object-reason
    """
    return (
        spec.type == STRING
        and not spec.choices
        and path.rsplit(".", 1)[-1] in _STRIPE_REASONS
        and bool(set(tokens(_plain(spec.name))) & _CODE_WORDS)
    )


# What a cost is the charge for when the buyer pays it: carriage, handling,
# the tax (TaxCost: the tax billed on the order).
_CHARGED_COSTS = {
    "tax",
    "shipping",
    "handling",
    "wrapping",
    "freight",
    "delivery",
    "postage",
    "carriage",
}


# The buying side's documents, named in a description: an employee's expense
# voucher or claim, a vendor's bill, a purchase invoice.
_BUYING_DOCUMENT = re.compile(
    r"(?i)\bexpense\s+(voucher|claim|report)s?\b|\bvendor\s+bills?\b"
    r"|\bpurchase\s+invoices?\b"
)


def _buying_sides_amount(spec: FieldSpec) -> bool:
    """charge_amt "for an employee expense voucher, the amount to charge".

    A record that keeps sales invoices and the buying side's documents in
    one table has amounts only the latter carry; a Stripe sale has none of
    them, and its total is not one.
    """
    return spec.type in (DECIMAL, INT) and bool(
        _BUYING_DOCUMENT.search(spec.description or "")
    )


def _loyalty_reward(spec: FieldSpec) -> bool:
    """reward.rewardAmount "the loyalty reward amount to use": a bonus spent.

    Money named for a loyalty reward, bonus or points is what the shop's
    scheme lets the buyer spend, which Stripe keeps no record of; it is not
    the payment's amount.
    """
    if not (spec.type == DECIMAL or _in_minor_units(spec)):
        return False
    return bool(set(tokens(_plain(spec.name))) & _LOYALTY_WORDS)


def _later_tax(spec: FieldSpec) -> bool:
    """tax2 "second tax", TaxAmount2: a tax numbered past the first.

    An ERP with several taxes on a document (a second authority's, a
    second rate) numbers them; Stripe's tax is one figure, the first's or
    the whole, never the second's.
    """
    if not (spec.type == DECIMAL or _in_minor_units(spec)):
        return False
    leaf = leaf_tokens(spec.name)
    numbers = [int(word) for word in leaf if word.isdigit()]
    return "tax" in concepts(" ".join(leaf)) and bool(numbers) and min(numbers) >= 2


def _tax_withheld(spec: FieldSpec) -> bool:
    """withholdingTax, WithholdAmt: a tax the payer keeps back.

    A withholding tax is taken off the payment by the payer and paid to the
    state on the seller's behalf; Stripe's documents and lines carry no such
    tax, and their own tax is not it.
    """
    if not (spec.type == DECIMAL or _in_minor_units(spec)):
        return False
    return bool(concepts(_plain(spec.name)) & _WITHHELD_WORDS)


# "The amount of funds that get split and paid out to the specified
# merchant": a part of the sale shared out to another party.
_SPLIT_PAID_TO = re.compile(
    r"(?i)\bsplit\b[^.;]*?\b(paid|sent|transferred|routed)\s+(out\s+)?to\b"
)


def _split_to_another(spec: FieldSpec) -> bool:
    """An amount described as split off and paid out to another party.

    How a platform shares a sale among other sellers is its own
    arrangement; Stripe's charge carries the sale's amount, not the share.
    """
    return spec.type in (DECIMAL, INT) and bool(
        _SPLIT_PAID_TO.search(spec.description or "")
    )


def _sellers_cost(spec: FieldSpec) -> bool:
    """Cost, ItemCost, purchase_price: what the goods cost the seller.

    A document's or line's cost is the seller's own (bought in, made), kept
    beside the price the buyer is billed; Stripe knows prices only. A cost
    named for what the buyer is charged for (shipping_cost) is left to the
    rules for those charges, and one described as a price, a sum per item
    billed or an amount paid (unitCost "Net, per item", cost "Amount of the
    payment") is that by another name.
    """
    if not (spec.type == DECIMAL or _in_minor_units(spec)):
        return False
    leaf = leaf_tokens(spec.name)
    if leaf[-2:] in (("purchase", "price"), ("cost", "price")):
        # unitPurchasePrice: what the seller bought the goods at; a cost
        # price (item_cost_price) is that price by its bookkeeping name.
        return True
    return (
        bool(leaf)
        and leaf[-1] in ("cost", "costs")
        and not set(tokens(_plain(spec.name))) & _CHARGED_COSTS
        and not set(tokens(spec.description or "")) & _PRICE_DESCRIBED
    )


# A cost described in the words of what is billed or paid: its price, net
# or gross (TotalCost "Total gross value of the order"), per item, the
# payment's amount.
_PRICE_DESCRIBED = {
    "price",
    "net",
    "gross",
    "per",
    "billed",
    "charged",
    "sale",
    "selling",
    "amount",
    "payment",
    "paid",
}


# A key described, in its own part of the description, as one a user chose.
_USER_DEFINED = re.compile(r"(?i)^\W*user[\s-]*(defined|chosen|specified)\b")


def _user_defined_key(spec: FieldSpec) -> bool:
    """address.key "User-defined identifier of the Address": a user's key.

    A field named only a key, described as one a user defined for the
    record (beside the id the system gives it), holds a code typed in the
    ERP; Stripe's ids are the system's, and its objects carry no such key.
    """
    own = _own_description(spec.description or "")
    return leaf_tokens(spec.name) == ("key",) and bool(_USER_DEFINED.match(own))


# A list described as one the system's users define ("A user definable list
# of suppliers the client buys from"): its entries are typed in the system.
_USER_DEFINED_LIST = re.compile(
    r"(?i)^\W*(an?\s+|the\s+)?user[\s-]*(defined|definable|chosen|specified)\s+list\b"
)


def _user_defined_list_entry(spec: FieldSpec) -> bool:
    """tools.0 "A user definable list of the tools the client uses": the
    system's own entries, which no Stripe value is."""
    own = _own_description(spec.description or "")
    return bool(_USER_DEFINED_LIST.match(own))


# The ERP's own entries a serial number counts off: a batch, an entry, a
# line or row, a posting, a journal, a sequence.
_SERIAL_OF = {
    "batch",
    "entry",
    "line",
    "row",
    "posting",
    "journal",
    "sequence",
}
# How many of something there are: NumberOfEntries, number_of_lines.
_NUMBER_OF = re.compile(r"^[Nn]umber[\W_]*[Oo]f(?=[\W_]|[A-Z])")


def _count_or_serial_number(spec: FieldSpec) -> bool:
    """NumberOfEntries, BatchNumber, LineNo typed as a number: no amount.

    A number named as how many of something there are (Number of ...), or
    as the serial number of one of the ERP's entries (a batch, an entry, a
    line), counts or orders records, whatever its type lets it hold; Stripe's
    numbers beside it are amounts in minor units.
    """
    if spec.type not in (DECIMAL, INT):
        return False
    if _NUMBER_OF.match(spec.name.rsplit(".", 1)[-1]):
        return True
    leaf = [t for t in leaf_tokens(spec.name) if not t.isdigit()]
    return len(leaf) >= 2 and leaf[-1] in _NUMBER_WORDS and leaf[-2] in _SERIAL_OF


# What is done to a document or a part of it in the ERP's hands, said in a
# name's last word (LabelPrinted, ReminderSent, GLPosted, JobRelated).
_DONE_WORDS = {
    "printed",
    "posted",
    "sent",
    "emailed",
    "mailed",
    "exported",
    "approved",
    "related",
}
# A thing (of one or two words) and what was done to it.
_DONE_NAME_WORDS = 3


def _done_to_a_thing(spec: FieldSpec) -> bool:
    """LabelPrinted, NoteSent: a text or flag saying whether a thing was done.

    A name is what its last word says (head-final): a thing followed by
    what was done to it is the state of that thing in the ERP (printed,
    posted, sent), not the thing, whose words (a label, a note, an invoice)
    it shares with Stripe's fields. A date or an amount so named (DatePaid,
    AmountApplied) still is one, and so is a clause read from a description
    (EMailAddressInvoicesAreSentTo: where they are sent), longer than a
    thing and its state.
    """
    if spec.type not in (STRING, FLAG):
        return False
    leaf = leaf_tokens(spec.name)
    return 2 <= len(leaf) <= _DONE_NAME_WORDS and leaf[-1] in _DONE_WORDS


# A step of the books the ERP takes on a record once it holds it, said as
# a participle (confirmed, validated, accounted, lettered, reconciled).
_BOOKKEEPING_STEPS = {"confirmed", "validated", "accounted", "lettered"} | (
    _RECONCILING
)


def _bookkeeping_step_time(spec: FieldSpec) -> bool:
    """confirmed_at, entry_validated_at: when the ERP took that step.

    A timestamp named by the record's convention for events (a participle
    then at) says when the ERP confirmed, validated, accounted, lettered or
    reconciled the record, its own work after Stripe's record was made, not
    the date of the document or the payment.
    """
    if spec.type not in (DATE, DATETIME):
        return False
    leaf = leaf_tokens(spec.name)
    return len(leaf) >= 2 and leaf[-1] == "at" and leaf[-2] in _BOOKKEEPING_STEPS


def _last_time_done(spec: FieldSpec) -> bool:
    """last_email_at, DateLastReminder: when the ERP last did something.

    A date named as the last of something (the last e-mail, reminder,
    print or login) is kept by the ERP as it does it again and again, not
    the date of the document or payment Stripe gives.
    """
    return spec.type in (DATE, DATETIME) and "last" in leaf_tokens(spec.name)


# What a state is named as (reconcile_state, ReconciliationStatus).
_STATE_NAMES = {"state", "status"}


def _reconciliation_state(spec: FieldSpec) -> bool:
    """reconcile_state "n not reconciled, c cleared, y reconciled": the books'.

    A state named for reconciling says how far the books have matched the
    entry with the bank statement, the bookkeeper's work after the money
    moved; it is no place's state code, whatever party the description
    names, nor Stripe's status of the payment.
    """
    leaf = set(leaf_tokens(spec.name))
    return (
        spec.type == STRING and bool(leaf & _RECONCILING) and bool(leaf & _STATE_NAMES)
    )


# The words of a money object's number counted in minor units (centAmount,
# valueInCents, amount_minor, cents): the unit, perhaps a word for a sum,
# nothing else.
_MINOR_UNIT_WORDS = {"cent", "cents", "minor"}
_SUM_WORDS = {"amount", "value", "sum"}
_UNIT_FILLERS = {"in", "unit", "units"}


def _money_object(spec: FieldSpec) -> str:
    """The object a number in minor units is the money of (totalPrice for
    totalPrice.centAmount), or "".

    A money object keeps its sum and its currency apart; its sum, named only
    as the minor units it counts, says nothing of what the money is: the
    object's name does. Stripe counts in minor units too, so it is copied.
    """
    if spec.type != INT or "." not in spec.name:
        return ""
    owner, leaf = spec.name.rsplit(".", 1)
    words = set(tokens(leaf))
    if not (
        words & _MINOR_UNIT_WORDS
        and words <= _MINOR_UNIT_WORDS | _SUM_WORDS | _UNIT_FILLERS
    ):
        return ""
    return owner


# A vendor's type for a point in time counted from the epoch (seconds or
# milliseconds): a number, not a calendar date written out.
_TIMESTAMP_TYPE = "timestamp"


# The words of a bare key (id, outerId, external_reference): the record's
# key, naming no other thing.
_BARE_KEY_WORDS = {"id", "outer", "reference"}


# The groups whose entries are key and value pairs: meta data, properties.
_META_DATA = {"meta"}
_PAIRS_GROUPS = (_META_DATA, {"properties"})


def _meta_data_as_a_whole(spec: FieldSpec) -> bool:
    """meta, billing.meta, metadata: a record's meta data as a whole.

    Named for its meta data and nothing else, the field holds the keys and
    values the ERP's users or plug-ins define, as an object typed as one
    does; Stripe's own metadata holds the integration's keys (the ERP's
    customer code), one of which a field named for it may take, but the map
    as a whole is no value of the ERP's.
    """
    return concepts(" ".join(leaf_tokens(spec.name))) == _META_DATA


def _meta_pairs_half(spec: FieldSpec) -> bool:
    """meta.0.key, custom.properties.0.value: a half of a listed pair.

    A list of key and value pairs under a meta or properties group is the
    ERP's own data, keyed as the ERP chooses; Stripe's metadata is a map
    with no such list, and the pair's key is no id nor its value an amount.
    """
    parts = spec.name.split(".")
    return (
        len(parts) >= 3
        and parts[-2].isdigit()
        and (
            parts[-1].lower() in ("key", "value")
            and concepts(parts[-3]) in _PAIRS_GROUPS
            # A listed reference's key names the outside system it is in.
            or parts[-1].lower() == "key"
            and concepts(parts[-3]) == {"reference"}
        )
    )


def _address_entrys_key(spec: FieldSpec) -> bool:
    """addresses.0.outerId, billingAddress.id: the key of an address entry.

    Stripe keeps its addresses inside the customer, the charge or the
    invoice, with no key of their own; a bare key under an address group is
    the ERP's (or an outside system's) key of that entry.
    """
    group, _, leaf = spec.name.rpartition(".")
    named = concepts(leaf)
    if not group or "id" not in named or not named <= _BARE_KEY_WORDS:
        return False
    parts = group.split(".")
    listed = parts[-1].isdigit()
    entry = concepts(parts[-2] if listed and len(parts) > 1 else parts[-1])
    # An entry of a list of addresses, or one side's address; a bare
    # "address" record (a contact, as some ERPs name it) or a place of an
    # address (addressCountry.id, a country's key) is no address entry.
    sides = entry & {"billing", "shipping"}
    return (
        "address" in entry and entry - {"address"} <= sides and (listed or bool(sides))
    )


# A text described as holding Unix time ("(Unixtimestamp)", "Unix time stamp").
_UNIX_TIME_DESCRIBED = re.compile(r"(?i)\bunix[\s_-]*time(?:[\s_-]*stamp)?\b")


def _unix_timestamp(spec: FieldSpec) -> bool:
    """A point in time given as a number: "Due date (Unix timestamp)", or typed so.

    An integer field described as a Unix or epoch timestamp, a text field
    described as Unix time, or a field whose reference types it a timestamp
    (invoiceDate: timestamp), takes Stripe's timestamp as it is.
    """
    if spec.type == _TIMESTAMP_TYPE:
        return True
    if spec.type == STRING and _UNIX_TIME_DESCRIBED.search(spec.description or ""):
        return True  # due_time "(Unixtimestamp)": the seconds, written as text
    described = set(tokens(spec.description or ""))
    return spec.type == INT and bool(described & {"timestamp", "unix", "epoch"})


# A calendar date's format written out, its year, month and day in order
# ("(YYYYMMDD)", "YYYY-MM-DD"), and no hour after them: the text is a date.
_DATE_FORMAT_WRITTEN = re.compile(r"(?i)\byyyy([-./]?)mm\1dd\b(?![-./ T:]*hh)")


def _date_written_as_text(spec: FieldSpec) -> bool:
    """receipt_date "(YYYYMMDD)": a text field whose format is a date's.

    Only the document's own date (named for the document alone, as
    InvoiceDate is) is read so: a booking date in another's books, or a
    date's format attribute, is no date of the document.
    """
    return (
        spec.type == STRING
        and _named_for_the_document(spec)
        and bool(_DATE_FORMAT_WRITTEN.search(spec.description or ""))
    )


# Where Stripe says what a payment or an invoice is for: the charge's
# description, the invoice's first line's.
_GOODS_DESCRIBED = {"charge": "description", "invoice": "lines.data.0.description"}
# What a product's name or information is named by besides the product.
_PRODUCT_DETAILS = {"name", "info", "information", "description"}


def _product_paid_for(
    spec: FieldSpec, profiles: dict[str, Profile], context: Context | None
) -> Suggestion | None:
    """product_name, productinfo "Product Information" on a payment: its goods.

    A payment or an invoice that names the product it is for outside any
    list of lines (a form's product name or information) names what the
    payment is for, which Stripe describes in the charge's description and
    the invoice's first line. A one-word key is read by its quoted label.
    An item's name is left as it was: forms leave it empty as often.
    """
    source = _GOODS_DESCRIBED.get(context.object_type if context else "", "")
    if not source or source not in profiles or spec.type != STRING:
        return None
    if any(part.isdigit() for part in spec.name.split(".")):
        return None  # a line's product: the line rules read it
    words = [t for t in leaf_tokens(spec.name) if not t.isdigit()]
    quoted = _QUOTED_LABEL.match(spec.description or "")
    if len(words) == 1 and quoted:
        words = tokens(next(label for label in quoted.groups() if label))
    if len(words) != 2 or words[0] != "product" or words[1] not in _PRODUCT_DETAILS:
        return None
    return _suggest(spec, source, [], 0.9, "the product paid for: what it is for")


# Who sends a record, as its key's name may say: the merchant, the seller.
_SENDERS = {"merchant", "seller"}


def _senders_own_key(
    spec: FieldSpec, profiles: dict[str, Profile], context: Context | None
) -> Suggestion | None:
    """merchant_refund_id on a refund: the key the sender gives what it sends.

    A key named for the merchant and for the record of the Stripe object's
    own kind, and nothing else, is the merchant's key for the record it
    sends: the integration's, its Stripe id. The merchant's key alone
    (merchant_id) is its account's, and another record's key is that
    record's.
    """
    if not context or not context.object_type or "id" not in profiles:
        return None
    words = set(leaf_tokens(spec.name))
    if spec.type != STRING or not words & _SENDERS or "id" not in words:
        return None
    rest = concepts(" ".join(words - _SENDERS - {"id"}))
    if not rest or rest != concepts(context.object_type):
        return None
    return _suggest(
        spec, "id", [], 0.9, "the sender's key for the record it sends: its Stripe id"
    )


# The payment provider whose objects are the source: a group or a name
# carrying its name (payment.stripe.customerId, stripePaymentIntentId) keeps
# the ids it gave.
_STRIPE = "stripe"


def _stripes_own_id(spec: FieldSpec, profiles: dict[str, Profile]) -> Suggestion | None:
    """payment.stripe.paymentIntentId: the id Stripe gave, kept under its name.

    A key under a group named for Stripe, or named for it itself, and
    otherwise named for a record Stripe's object ties to by its id (its
    customer, payment intent, payment method) is that id as Stripe wrote
    it: copied, not resolved to the ERP's record through the id map.
    """
    if spec.type != STRING or _STRIPE not in tokens(_plain(spec.name)):
        return None
    words = [word for word in leaf_tokens(spec.name) if word != _STRIPE]
    if len(words) < 2 or words[-1] != "id":
        return None
    path = "_".join(words[:-1])
    profile = profiles.get(path)
    if profile is None or profile.kind != "stripe_id":
        return None
    return _suggest(
        spec, path, [], 0.95, f"an id kept under Stripe's name: the Stripe {path} id"
    )


# A value written as a code, words joined by underscores ("gift_card_sale").
_SNAKE_CASE_CODE = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b")


def _purpose_as_code(spec: FieldSpec) -> bool:
    """flowPurpose "What it is for (e.g. gift_card_sale)": one of the API's codes.

    What a payment is for is its text (names.py reads the word as a
    description), unless the description shows the value as a code.
    """
    return "purpose" in leaf_tokens(spec.name) and bool(
        _SNAKE_CASE_CODE.search(spec.description or "")
    )


# A control of a page the payer is shown, as a hosted payment page has
# (a button, its caption or colour).
_PAGE_CONTROLS = {"button", "buttons"}


def _page_control(spec: FieldSpec) -> bool:
    """submitButtonCaption: how the page looks, set up once, not the payment.

    A page's control holds words or a colour chosen for the page; the
    payment's text (its description) is what the page shows it for.
    """
    return bool(set(tokens(_plain(spec.name))) & _PAGE_CONTROLS)


def suggest_for_target(
    spec: FieldSpec,
    profiles: dict[str, Profile],
    feedback: dict[tuple[str, str], int] | None = None,
    context: Context | None = None,
) -> Suggestion:
    """The suggestion for one target, before the abstention threshold."""
    found = (
        _stripes_own_id(spec, profiles)
        or _product_paid_for(spec, profiles, context)
        or _senders_own_key(spec, profiles, context)
        or _suggestion_for_target(spec, profiles, feedback, context)
    )
    related = _record_link(spec) or spec.type == _RELATION
    if related and not any(step["name"] == "lookup" for step in found.transforms):
        # state.meta.href, or a state typed as a relation: the API names the
        # record by its link or holds the record itself, which only the id
        # map or table of a record Stripe's object ties to fills; a plain
        # value (a state code, a Stripe id) is no record of the ERP's.
        return _abstain(spec, "a link to an ERP record: no lookup fills it")
    profile = profiles.get(found.source)
    if spec.type in _LIST_TYPES and profile and profile.kind == "amount":
        # taxes, a list: one entry per tax, each with its own amount and
        # rate; no one Stripe amount is the list.
        return _abstain(spec, "a list of amounts: no one Stripe amount")
    if (
        _LIST_OF.fullmatch(spec.type)
        and profile
        and profile.kind not in ("list", "object")
        and not profile.in_list
        and not found.transforms
    ):
        # image_urls "array of string", taxes "array of Tax": a list typed
        # with what it lists holds many of them; no one Stripe value (a
        # link, a street line) is the list.
        return _abstain(spec, "a list of values: no one Stripe value")
    if _LINKS_LISTED.match(spec.description or "") and spec.type != LINES:
        # payments "Array of links to the related operations": the ERP's own
        # records linked to this one, many of them; one Stripe value is none.
        return _abstain(spec, "a list of links to the ERP's records: not Stripe's")
    if found.source and _shipping_method(spec):
        return _abstain(spec, "a shipping method: Stripe keeps none")
    if found.source and _goods_lines(spec) and "address" in tokens(found.source):
        # line_items, lineItems: the list of what is sold, whose "line" is
        # no line of an address.
        return _abstain(spec, "the goods lines: no line of an address")
    if found.source and _items_name(spec) and "name" in tokens(found.source):
        # product_name_1, article_name: what the item sold is called, which
        # no name of a payer, a customer or a recipient is.
        return _abstain(spec, "an item's name: no party's name")
    if profile and profile.kind == "amount" and _value_of_a_listed_detail(spec):
        return _abstain(spec, "the value of a listed detail that names no money")
    if found.source and _merchant_as_payee(spec, context):
        return _abstain(spec, "the payee of money paid in: the merchant itself")
    if found.source and _listed_details_own_key(spec, found.source):
        return _abstain(
            spec, "a listed e-mail's or phone's own key or label: the system's"
        )
    return found


# What labels a listed entry, where or what kind it is (mails.0.location
# "Work or Home", phones.0.label).
_ENTRY_LABELS = {"location", "label"}


def _listed_details_own_key(spec: FieldSpec, source: str) -> bool:
    """mails.0.id beside mails.0.address: the entry's key, not the e-mail.

    A list of a party's e-mails or phones keeps each entry under a key of
    the system's own; the key is named for its list, which names what the
    entry holds, but holds no e-mail nor phone of Stripe's. So is the
    entry's label (mails.0.location "Work or Home") the system's own word.
    """
    leaf = set(tokens(spec.name.rpartition(".")[2]))
    return (
        in_a_list(spec.name)
        and bool(leaf)
        # its key is named as a record's (mails.0.id, phones.0.uid)
        and (leaf <= _RECORD_KEYS or leaf <= _ENTRY_LABELS)
        and bool(concepts(source) & {"email", "phone"})
    )


# What names money in a list or in its description (prices.0.value "Price"),
# or a list of goods lines, whose value is each line's amount (lines.0.value).
_MONEY_NAMED = {
    "line",
    "lines",
    "item",
    "items",
    "product",
    "products",
    "amount",
    "price",
    "total",
    "subtotal",
    "tax",
    "fee",
    "cost",
    "balance",
    "discount",
    "payment",
    "money",
    "sum",
}


# The word value itself, as a description of an entry's value opens on it.
_THE_ENTRYS_VALUE = re.compile(r"(?i)^\W*values?\b")

# The engine's types that are no text; a type of the vendor's own (a social
# profile, a drop-down) is a kind of text field unless it names money.
_NOT_TEXT = {DECIMAL, INT, FLAG, DATE, DATETIME, LINES}


def _value_of_a_listed_detail(spec: FieldSpec) -> bool:
    """links.0.value "Links", chats.0.value "Messenger": an entry's value.

    A list of a record's details, each kept as a text value beside its
    kind, holds what the list is named and described for; a value named
    nothing else means that, and a link or a messenger handle is no amount.
    So does one typed with a kind of field of the vendor's own ("social",
    "dropdown"), which names no number.
    """
    parts = spec.name.split(".")
    if len(parts) < 3 or not parts[-2].isdigit():
        return False
    if spec.type in _NOT_TEXT or concepts(spec.type) & _MONEY_NAMED:
        return False  # splits.0.value, a number: the split's sum
    if leaf_tokens(spec.name) != ("value",):
        return False
    head = re.split(r"[(;]", spec.description or "", maxsplit=1)[0]
    # "Value should be the user name": the entry's value, named by the word
    # it is stored under, which names no sum by itself.
    head = _THE_ENTRYS_VALUE.sub(" ", head)
    named = concepts(_plain(".".join(parts[:-2]))) | concepts(head)
    return bool(named) and not named & _MONEY_NAMED


# A field described as the way goods are shipped ("The shipping method
# (Shipping Method)", "Delivery method for invoices").
_SHIPPING_METHOD_DESCRIBED = re.compile(
    r"(?i)^\W*(the\s+)?(shipping|delivery)\s+method\b"
)


def _shipping_method(spec: FieldSpec) -> bool:
    """shipping "The shipping method", deliveryMethod: how goods are sent.

    A carrier, a service or a channel the shop or the ERP picks; Stripe's
    objects keep no shipping method, only where the goods go.
    """
    named = concepts(" ".join(leaf_tokens(spec.name)))
    return {"shipping", "method"} <= named or bool(
        _SHIPPING_METHOD_DESCRIBED.match(spec.description or "")
    )


def _goods_lines(spec: FieldSpec) -> bool:
    """line_items, lines, orderItems: the lines of the goods sold, as one field.

    Named for lines in the plural (items read as lines) and at most for
    what they sell, as a list typed as one is the document's lines.
    """
    named = concepts(" ".join(leaf_tokens(spec.name)))
    lines = named & {"line", "lines"}
    return "lines" in lines and named - lines <= _SOLD_THINGS


def _items_name(spec: FieldSpec) -> bool:
    """item_name_1, productName, articleName: the name of an item sold."""
    return {"item", "name"} <= concepts(" ".join(leaf_tokens(spec.name)))


# A list described as links to other records ("Array of links to the
# related operations").
_LINKS_LISTED = re.compile(r"(?i)^\W*(an?\s+)?(array|list|collection)\s+of\s+links\b")


def _suggestion_for_target(
    spec: FieldSpec,
    profiles: dict[str, Profile],
    feedback: dict[tuple[str, str], int] | None,
    context: Context | None,
) -> Suggestion:
    feedback = feedback or {}
    context = context or Context()
    if _address_entrys_key(spec):
        return _abstain(spec, "the key of an address entry: Stripe keys no address")
    if _sort_position(spec):
        return _abstain(spec, "a place in a list's order: no Stripe value")
    if _meta_pairs_half(spec):
        return _abstain(spec, "a key or value of a listed pair: the ERP's own data")
    if _unix_timestamp(spec):
        # Ranked as the date it is; Stripe's timestamps are Unix seconds already.
        found = suggest_for_target(
            replace(spec, type=DATE), profiles, feedback, context
        )
        steps = [
            s
            for s in found.transforms
            if s["name"] not in ("unix_to_date", "unix_to_datetime")
        ]
        return replace(found, transforms=steps)
    if _date_written_as_text(spec):
        # Ranked as the date its format says it is, written as one.
        return suggest_for_target(replace(spec, type=DATE), profiles, feedback, context)
    money = _money_object(spec)
    if money:
        # totalPrice.centAmount: the number of a money object, counted in
        # minor units as Stripe's are: ranked as the money its object names.
        found = suggest_for_target(
            replace(spec, name=money), profiles, feedback, context
        )
        return replace(found, target=spec.name, transforms=[])
    status = _state_of_a_document(spec)
    if status:
        # orderState "Order State": ranked as the status it is.
        found = suggest_for_target(
            replace(spec, name=status), profiles, feedback, context
        )
        return replace(found, target=spec.name)
    state = _state_named_for_country(spec)
    if state:
        # Country_Region_Descriptor "the address's state": ranked as a state.
        found = suggest_for_target(
            replace(spec, name=state), profiles, feedback, context
        )
        return replace(found, target=spec.name)
    if _charge_lines(spec):
        return _abstain(spec, "lines of a charge or discount beside the goods sold")
    if _stock_lines(spec):
        return _abstain(spec, "goods put back in stock: Stripe keeps no stock")
    if _group_item_lines(spec):
        return _abstain(spec, "lines adding a group of the ERP's items: a bundle")
    if _structured_value(spec) or _meta_data_as_a_whole(spec):
        return _abstain(spec, "an object of the ERP's own keys: no Stripe value")
    if _coded_switch(spec):
        return _abstain(spec, "a yes or no written as codes: the integration's")
    if _list_of_records(spec):
        return _abstain(spec, "a list of nested records: no one Stripe value")
    if _currency_list(spec):
        return _abstain(spec, "a list of currencies: Stripe's object has one")
    if _currency_conversion(spec):
        return _abstain(spec, "a currency conversion: Stripe's object has one currency")
    if _apps_own(spec):
        return _abstain(spec, "a field of the app calling the API: the app's own")
    if _records_to_change(spec):
        return _abstain(spec, "an entry to edit or delete: the system's own, by its id")
    if _paper_tender_detail(spec):
        return _abstain(spec, "a detail of a cash or check payment: Stripe takes none")
    if _custom_field_entry(spec):
        return _abstain(spec, "a field a user added: the system's own extension")
    if _tag_entry(spec):
        return _abstain(spec, "a tag a user gives the record: the system's own label")
    if _allowed_values(spec):
        return _abstain(spec, "what the payer may choose from: set up once")
    if _label_of_a_status(spec):
        return _abstain(spec, "the name of a status or a kind: the ERP's label")
    if _amount_written_out(spec):
        return _abstain(spec, "an amount written out for display: the ERP's")
    if _address_date(spec):
        return _abstain(spec, "a date of an address: Stripe's addresses have none")
    if _address_label(spec):
        return _abstain(spec, "the label of an address: Stripe names none")
    if _party_display_name(spec, context) and "name" in profiles:
        return _suggest(spec, "name", [], 0.9, "the party's display name: its name")
    if _amount_to_capture(spec, context) and "amount_captured" in profiles:
        return _copied(
            spec, "amount_captured", profiles, 0.9, "the amount to capture: captured"
        )
    if _place_of_incorporation(spec):
        return _abstain(spec, "where a company was incorporated: no address")
    if _denied_state(spec):
        return _abstain(spec, "a region described as no state: Stripe keeps no other")
    if _country_prefixed_state(spec):
        return _abstain(spec, "a state coded after its country: Stripe's has no prefix")
    if _name_extension(spec):
        return _abstain(spec, "text shown with a name: Stripe keeps the name alone")
    if _done_by(spec):
        return _abstain(spec, "who did it, a user of the ERP: Stripe records none")
    if _systems_own_person(spec):
        return _abstain(spec, "an author or team member: a user of the system")
    if _party_acting_for_the_client(spec):
        return _abstain(spec, "a party acting for the client: not Stripe's")
    if _card_number_described(spec) and _CARD_LAST4 not in profiles:
        return _abstain(spec, "a card's full number: Stripe gives none")
    if _user_defined_key(spec):
        return _abstain(spec, "a key a user chose for the ERP's record: not Stripe's")
    if _user_defined_list_entry(spec):
        return _abstain(spec, "an entry of a list the users define: the system's own")
    if _erp_row_or_table(spec):
        return _abstain(spec, "a row or table of the ERP's books: not Stripe's")
    if _consent_detail(spec):
        return _abstain(spec, "a detail of a party's consent: Stripe records none")
    if _social_handle(spec):
        return _abstain(spec, "a handle on a social network: Stripe keeps none")
    if _authorisation_code(spec):
        return _abstain(spec, "an issuer's code for the payment: Stripe keeps none")
    if _session_key(spec):
        return _abstain(spec, "the key of a session the gateway opened: not Stripe's")
    if _picked_up(spec):
        return _abstain(spec, "where or when the buyer picks goods up: the seller's")
    if _language_not_carried(spec, profiles):
        return _abstain(spec, "a language the record keeps none of: the integration's")
    if _numbered_own_slot(spec):
        return _abstain(spec, "a numbered custom field: each company's own use")
    if (
        context.object_type in ("invoice", "credit_note")
        and spec.type in (DATE, DATETIME)
        and _ORDER_DATE.search(spec.description or "")
    ):
        return _abstain(spec, "the date of the order it came from: the ERP's")
    for types, described, reason in _DESCRIBED_WITHOUT_SOURCE:
        if (types is None or spec.type in types) and described.search(
            spec.description or ""
        ):
            return _abstain(spec, reason)
    if (
        context.object_type == "refund"
        and spec.type == DECIMAL
        and _APPLIED_TO_INVOICE.search(spec.description or "")
    ):
        return _abstain(spec, "an amount applied to an invoice: a refund applies none")
    if set(leaf_tokens(spec.name)) & _MASTER_WORDS and "document" in concepts(
        spec.name
    ):
        return _abstain(spec, "the master document its installments share")
    if (
        context.object_type in ("invoice", "credit_note")
        and "number" in context.paths
        and cross_reference_number(spec.name)
    ):
        # XRefInvoiceNum "Cross reference invoice number used when converting
        # data from another system": the number the document has in the
        # system it comes from, on a credit note too (not the invoice it
        # credits, whatever word names the document).
        return _suggest(
            spec,
            "number",
            [],
            0.95,
            "a cross reference: the number the document has in Stripe",
        )
    if (
        context.object_type in ("invoice", "credit_note")
        and "id" in context.paths
        and _KEY_TO_THE_HEADER.search(spec.description or "")
    ):
        # InvoiceNum "Foreign key to the InvcHead." on a line: the document
        # the line belongs to, booked earlier as the ERP's header record.
        return _suggest(
            spec,
            "id",
            _lookup(context.object_type),
            0.95,
            "the header the line belongs to: the document, through the id map",
        )
    if _MUST_BE_A_GUID.search(spec.description or "") and not _reference_kind(
        spec, context
    ):
        # ExternalGUID "it must be a valid GUID": a key of the record's own that
        # the caller makes; a key of another record is that record's, through
        # the id map, and stays a reference.
        return _abstain(spec, "a GUID the caller makes: no Stripe id is one")
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
        required = _REQUIRED_CHOICE.search(spec.description or "")
        if required and required.group("value") in choices:
            return _suggest(
                spec,
                "",
                [{"name": "constant", "params": {"value": required.group("value")}}],
                1.0,
                "the one value the description requires of the allowed ones",
            )
        found = _payment_method_record_suggestion(spec, profiles, context.object_type)
        if found is not None:
            return found
        if _card_scheme_named(spec):
            found = _payment_method_suggestion(spec, profiles, context.object_type)
            if found is not None:
                return found
        found = _stripes_codes_suggestion(spec, profiles)
        if found is not None:
            return found
        if context.object_type == "credit_note":
            # InvoiceRef "the invoice # this credit memo relates to": the
            # invoice credited, before any reference is read as the buyer's.
            found = _credited_invoice_number_suggestion(spec, profiles)
            if found is not None:
                return found
        if spec.type == STRING and _ON_THE_BANK_STATEMENT.search(
            spec.description or ""
        ):
            if "statement_descriptor" not in profiles:
                # An invoice, a refund: no text of its own on a statement.
                return _abstain(spec, "what a bank statement shows: this has none")
            return _copied(
                spec,
                "statement_descriptor",
                profiles,
                0.9,
                "what the bank statement shows: Stripe's statement descriptor",
            )
        if _custom_reference(spec) and "id" in profiles:
            return _suggest(
                spec, "id", [], 0.9, "a reference the sender sets: the Stripe id"
            )
        if _payments_list_reference(spec, context) and "charge" in profiles:
            return _suggest(
                spec, "charge", [], 0.9, "a listed payment's reference: its charge"
            )
        if _buyers_document(spec, context) and not _merchants_reference(spec):
            return _abstain(
                spec, "the buyer's own reference: no Stripe field carries it"
            )
        if _key_at_the_party(spec):
            return _abstain(
                spec, "the user's number in the party's books: not Stripe's"
            )
        if "number" not in context.paths and _numbered_by_erp(spec):
            return _abstain(spec, "numbered by the ERP's series: Stripe has no number")
        found = _order_token_suggestion(spec, profiles, context)
        if found is not None:
            return found
        found = _parent_document_suggestion(spec, profiles, context)
        if found is not None:
            return found
        found = _acted_on_record_suggestion(spec, profiles, context)
        if found is not None:
            return found
        found = _reference_document_suggestion(spec, profiles, context)
        if found is not None:
            return found
        if (
            context.object_type in ("invoice", "charge")
            and spec.type in (STRING, INT)
            and set(leaf_tokens(spec.name)) & _ORIGINAL_WORDS
            and "document" in concepts(spec.name)
        ):
            return _abstain(spec, "the original document's key: Stripe's has none")
        if context.object_type != "refund" and _earlier_transactions_key(spec):
            return _abstain(spec, "an earlier transaction's key: this one is first")
        if context.object_type == "credit_note":
            found = _credited_document_suggestion(spec, profiles)
            if found is not None:
                return found
        if _electronic_address(spec) and "email" in profiles:
            return _suggest(
                spec, "email", [], 0.95, "an electronic address: the e-mail"
            )
        if _payments_own_key(spec, context):
            return _abstain(spec, "the key of the ERP's payment record: not Stripe's")
        if _books_key(spec):
            return _abstain(spec, "the books the API writes into: a setting")
        if _issuing_party(spec):
            return _abstain(spec, "the party that issues the documents: a setting")
        if _own_side_party(spec, context):
            return _abstain(spec, "the user's own company on this side: a setting")
        if _sellers_own(spec):
            return _abstain(spec, "the seller's own details: the integration's")
        if _statement_contact(spec):
            return _abstain(spec, "the seller's contact on a card statement: a setting")
        if _sub_sellers_share(spec):
            return _abstain(spec, "a sub-merchant's share: Stripe's charge has none")
        if _split_receivers_share(spec):
            return _abstain(spec, "a receiver's share of a split: Stripe splits none")
        if _payments_country(spec):
            return _abstain(spec, "where the payment is taken: not the customer's")
        if _second_currency(spec):
            return _abstain(spec, "in a second currency beside the document's: none")
        if _money_not_taken(spec):
            return _abstain(spec, "money authorised or cancelled: never charged")
        if _turnover(spec):
            return _abstain(spec, "a turnover the ERP sums: not the tax nor the total")
        if _money_beside_the_amount(spec):
            return _abstain(spec, "a tip, a fee, cash given, a tax part: no amount")
        if _net_of_fees(spec, profiles):
            return _abstain(spec, "the amount less fees: this object keeps no net")
        if _date_not_made(spec) and not _DUE_DATE_DESCRIBED.match(
            spec.description or ""
        ):
            # A payment planned for a date is due on it: described so, it is
            # the document's due date (below), not a date Stripe lacks.
            return _abstain(
                spec, "a date planned, kept offline or of entry: not Stripe's"
            )
        if _format_setting(spec):
            return _abstain(spec, "how a text is written: a setting, not the text")
        if _digest(spec):
            return _abstain(spec, "a signature or checksum: the integration computes")
        if _documents_value_date(spec, context):
            return _abstain(spec, "when a payment counts as made: not the document's")
        if _pricing_date(spec):
            return _abstain(spec, "the day prices or rates are taken on: the ERP's")
        if _vat_date(spec):
            return _abstain(spec, "a date of the VAT or taxable supply: the ERP's")
        if _sale_date(spec):
            return _abstain(spec, "the date of the sale, the supply: not the issue")
        if _funds_instrument(spec):
            return _abstain(spec, "where the money comes from or goes: a token")
        if _bank_account_detail(spec):
            return _abstain(spec, "a bank account's detail: Stripe keeps none")
        if _card_on_file(spec, context):
            return _abstain(spec, "the card on file: Stripe's customer has none")
        if _unlinked_refund_only(spec, context):
            return _abstain(spec, "asked of a refund tied to no payment: not Stripe's")
        if _address_use(spec):
            return _abstain(spec, "what an address is used for: the ERP's own type")
        if _party_rating(spec):
            return _abstain(spec, "a rating of the party: the ERP's own judgement")
        if _set_up_name(spec):
            return _abstain(spec, "a name of the seller's set-up: not the buyer's")
        if _city_record_key(spec):
            return _abstain(spec, "the key of a city record: Stripe has a name")
        if _region_record_key(spec):
            return _abstain(spec, "the key of a region record: Stripe has a name")
        if _shipment_tracking(spec, profiles):
            return _abstain(spec, "a parcel's tracking with a carrier: not Stripe's")
        if _sale_label(spec, context):
            return _abstain(spec, "a label of the sale or its origin: not the buyer")
        if _origin_label(spec):
            return _abstain(spec, "the system or channel it came from: not Stripe's")
        if _request_statistics(spec):
            return _abstain(spec, "the caller's statistics for the provider: its own")
        if _redirect_link(spec):
            return _abstain(spec, "where users or notices are sent: set up once")
        if _selected_by_erp(spec):
            return _abstain(spec, "selected by the ERP from its database: its own")
        if _attached_file_link(spec):
            return _abstain(spec, "a link to a file attached: the user's upload")
        if _secret(spec):
            return _abstain(spec, "a password or a secret: never Stripe's")
        if _note_list(spec):
            return _abstain(spec, "a list of notes: Stripe keeps one text, no list")
        if _listed_recipient(spec):
            return _abstain(spec, "one of a list of recipients: Stripe has one party")
        if _customers_document_note(spec, context):
            return _abstain(spec, "a customer's note for its documents: not Stripe's")
        if _customers_own_note(spec, context):
            return _abstain(spec, "a note by or about the customer: not the document's")
        if _processors_message(spec):
            return _abstain(spec, "a message of the payment processor: not Stripe's")
        if _side(spec) == "shipping" and _tax_id_target(spec):
            # addresses.1.vat_id "(shipping address)", deliveryDetails.vatId:
            # Stripe's tax ids are the customer's, given with the billing
            # side; where goods go has none of its own.
            return _abstain(spec, "a tax id of the shipping address: Stripe has none")
        if (
            _side(spec) == "shipping"
            and spec.type == STRING
            and bool(set(tokens(_plain(spec.name))) & {"email", "emails"})
        ):
            # deliveryAddress.emails.0.value: Stripe's shipping details keep
            # a name, a phone and an address, no e-mail.
            return _abstain(spec, "an e-mail of the shipping side: Stripe has none")
        kind = _kind_reference_source(spec, profiles)
        if kind:
            return _suggest(
                spec,
                kind,
                _value_map(),
                0.9,
                "a reference to one of the ERP's kinds: Stripe's, mapped onto them",
            )
        found = _tax_id_part_suggestion(spec, profiles)
        if found is not None:
            return found
        found = _tax_number_kind_suggestion(spec, profiles)
        if found is not None:
            return found
        if _parent_record(spec, context):
            return _abstain(spec, "the customer's parent: another record, not Stripe's")
        if _partys_key_elsewhere(spec, context) and "customer" in profiles:
            return _suggest(
                spec,
                "customer",
                [],
                0.9,
                "the party's key in the sending system: its Stripe customer",
            )
        if _from_the_sending_system(spec, context) and "id" in profiles:
            return _suggest(
                spec, "id", [], 0.9, "a key from the external system: Stripe's id"
            )
        if _named_systems_key(spec):
            return _abstain(spec, "a key in a system the description names: not Stripe")
        if _tax_exemption_key(spec):
            return _abstain(spec, "a tax exemption's certificate: Stripe keeps none")
        if _requested_action(spec):
            return _abstain(spec, "what the request asks done: not the payment's")
        if _gateways_own(spec):
            return _abstain(spec, "the payment gateway's own: not the payment's")
        if _sending_softwares_key(spec):
            return _abstain(spec, "the key of the software sending it: a setting")
        if _further_reference(spec):
            return _abstain(spec, "a second reference: Stripe keeps one id")
        if _merchants_reference(spec) and _party_referenced(spec, profiles, context):
            return _suggest(
                spec,
                "customer",
                [],
                0.9,
                "the merchant's key for the party: its customer",
            )
        if _merchants_reference(spec) and ("number" in profiles or "id" in profiles):
            own = "number" if "number" in profiles else "id"
            kept = _order_kept_in_metadata(spec, profiles)
            if kept:
                # order_id "the merchant's order identifier" on a payment: the
                # order it pays, which the seller's metadata keeps, not the
                # payment's own id.
                return _suggest(
                    spec, kept, [], 0.9, "the merchant's order, kept in the metadata"
                )
            return _suggest(
                spec, own, [], 0.9, f"the record's key in the merchant's system: {own}"
            )
        if (
            spec.type == STRING
            and "id" in profiles
            and (
                _TIES_TO_ANOTHER_SYSTEM.search(spec.description or "")
                or _OWN_EXTERNAL_KEY.search(spec.description or "")
                or (
                    _INTEGRATORS_KEY.search(spec.description or "")
                    and not in_a_list(spec.name)
                )
            )
        ):
            return _suggest(
                spec, "id", [], 0.9, "the user's id tying it to its source: Stripe's"
            )
        if _calling_code_as_number(spec):
            return _abstain(spec, "a calling code as a number: in Stripe's phone")
        if _persons_organisation(spec):
            return _abstain(spec, "the organisation a person belongs to: not Stripe's")
        if _page_control(spec):
            return _abstain(spec, "a control of the page the payer sees: how it looks")
        if _purpose_as_code(spec):
            return _abstain(spec, "what it is for, as one of the API's codes: no text")
        if _group_of_fields(spec):
            return _abstain(spec, "a group of fields: its own fields hold the values")
        reference = _reference_kind(spec, context) or _linked_record_reference(
            spec, context
        )
        if reference:
            found = _reference_suggestion(spec, reference, profiles, context)
            if found is not None:
                return found
        if _reason_record_key(spec) and "reason" in profiles:
            return _suggest(
                spec,
                "reason",
                _value_map(),
                0.9,
                "a reason record's key: Stripe's reason, onto the ERP's reasons",
            )
        if (
            spec.type == INT
            and (_described_record(spec) or _named_record_key(spec))
            and not any(target == spec.name for target, _ in feedback)
        ):
            # C_SalesRegion_ID "Id of the sales region": a whole-number key to
            # a record of the ERP's own, which no Stripe value is; a region's
            # name shares words with the state, never its key.
            return _abstain(spec, "the key of a record of the ERP's: not Stripe's")
        paid = _PAYMENT_KEY_PATHS.get(context.object_type, "")
        if _transaction_key(spec, context) and paid in profiles:
            made_for = "id" if context.object_type == "charge" else "charge"
            if _own_numbered_transaction(spec, context) and made_for in profiles:
                return _suggest(
                    spec,
                    made_for,
                    _lookup("charge"),
                    0.95,
                    "the system's own numbered transaction: the charge's, by the map",
                )
            if _refunded_transaction(spec, context) and "charge" in profiles:
                return _suggest(
                    spec,
                    "charge",
                    _lookup("charge"),
                    0.95,
                    "the transaction refunded: the refund's charge",
                )
            return _suggest(
                spec, paid, [], 0.95, "the payment's transaction key: its Stripe id"
            )
        if _check_or_reference(spec, context) and "id" in profiles:
            return _suggest(
                spec, "id", [], 0.9, "a check's number or the payment's reference"
            )
        if _card_number(spec) and _CARD_LAST4 in profiles:
            return _suggest(
                spec,
                _CARD_LAST4,
                [],
                0.9,
                "a card's number: Stripe gives its last four digits only",
            )
        processed = _processor_transaction_key(spec, context)
        if processed in profiles:
            return _suggest(
                spec,
                processed,
                [],
                0.95,
                "a key the payment processor gave: its Stripe id",
            )
        if _idempotency_key(spec) and "id" in profiles:
            return _suggest(
                spec, "id", [], 0.95, "a request's idempotency key: the object's id"
            )
        if _middle_name(spec):
            return _abstain(
                spec, "a middle name: Stripe's one name splits into first and last"
            )
        if _care_of(spec):
            return _abstain(spec, "a care-of addressee: not the party, Stripe has none")
        receiver = _shipment_receiver(spec, profiles)
        if receiver:
            return _copied(
                spec,
                receiver,
                profiles,
                0.9,
                "whom a shipment is handed to: the shipping name",
            )
        part = _name_part(spec)
        if part:
            found = _name_split_suggestion(spec, part, profiles)
            if found is not None:
                return found
        if _of_another_thing(spec, profiles):
            return _abstain(
                spec, "of a discount, statement, rate, agreement or earlier document"
            )
        if _supply_date(spec):
            return _abstain(spec, "when the goods or service were supplied: the ERP's")
        if _done_to_a_thing(spec):
            return _abstain(spec, "whether a thing was done to it: the ERP's state")
        if _reconciliation_state(spec):
            return _abstain(spec, "how far the books matched it with the bank")
        if _bookkeeping_step_time(spec):
            return _abstain(spec, "when the ERP confirmed or booked it: the ERP's")
        if _last_time_done(spec):
            return _abstain(spec, "when the ERP last did something: the ERP's")
        if _defaults_to_creation(spec) and "created" in profiles:
            return _copied(
                spec, "created", profiles, 0.9, "a date set to its creation by default"
            )
        if _period_bound(spec):
            return _abstain(spec, "a period's start or end: not the document's date")
        if _goods_line_date(spec, context):
            return _abstain(spec, "a line's own date: Stripe dates the document")
        if _goods_line_link(spec, context):
            return _abstain(spec, "a line's own link: Stripe links the document")
        if _customer_date_not_created(spec, context):
            return _abstain(spec, "a customer's date not its creation: Stripe has none")
        if _partys_creation_date(spec, context):
            return _abstain(spec, "when the party was created: not the document's")
        if _number_part(spec, context):
            return _abstain(spec, "a prefix or suffix of a number: a setting")
        found = _tax_status_suggestion(spec, profiles)
        if found is not None:
            return found
        if _converted_amount(spec):
            return _abstain(spec, "an amount in the company's currency: not Stripe's")
        if _payments_list_amount(spec, context) and "amount_paid" in profiles:
            return _copied(
                spec, "amount_paid", profiles, 0.9, "a payment listed: what was paid"
            )
        if _paid_on_document(spec, context):
            return _abstain(spec, "a payment on the document: posted from its charge")
        if _bookkeeping_amount(spec):
            return _abstain(
                spec, "a write-off, adjustment, opening balance or rest: not paid"
            )
        if _subtotal_with_tax(spec):
            return _abstain(spec, "a subtotal with its tax: Stripe's is before tax")
        if _payments_subtotal(spec, context):
            return _abstain(spec, "a subtotal on a payment: Stripe's has one amount")
        if _books_own_figure(spec):
            return _abstain(spec, "a commission, exchange gain or cleared sum")
        if _percentage(spec):
            return _abstain(spec, "a percentage: a rate, not a Stripe amount")
        if _loyalty_reward(spec):
            return _abstain(spec, "a loyalty reward to spend: Stripe keeps none")
        if _tax_withheld(spec):
            return _abstain(spec, "a tax the payer withholds: Stripe keeps none")
        if _later_tax(spec):
            return _abstain(spec, "a second tax: Stripe's tax is the one, not split")
        if _quantity_done(spec):
            return _abstain(spec, "a quantity already delivered: not the one sold")
        if _computed_by_erp(spec):
            return _abstain(spec, "a figure the ERP computes itself: not sent")
        if _set_from_erp_record(spec) and not any(
            target == spec.name for target, _ in feedback
        ):
            return _abstain(spec, "set by the ERP from another of its records")
        if _sellers_cost(spec):
            return _abstain(spec, "a cost: what the goods cost the seller, not billed")
        if _split_to_another(spec):
            return _abstain(spec, "a share split off to another party: not Stripe's")
        if _buying_sides_amount(spec):
            return _abstain(spec, "an amount of an expense voucher or a bill bought")
        if _amount_in_accounts_units(spec) and "amount" in profiles:
            return _copied(
                spec,
                "amount",
                profiles,
                0.9,
                "an amount kept in the units of the account posted to",
            )
        if _item_quantity(spec) and _FIRST_LINE_QUANTITY in profiles:
            return _suggest(
                spec,
                _FIRST_LINE_QUANTITY,
                [],
                0.9,
                "a quantity of the item sold: the first line's",
            )
        if _quantity(spec):
            return _abstain(spec, "a quantity: a count of items, not an amount")
        if _row_quantity(spec) and _FIRST_LINE_QUANTITY not in profiles:
            return _abstain(spec, "a row's quantity: the object has no lines")
        if _count_or_serial_number(spec):
            return _abstain(spec, "a count or serial number of entries: no amount")
        if _cleared_date(spec, context):
            return _abstain(spec, "when the bank cleared it: the bank's date")
        own_price = _own_price(spec, context)
        if own_price in profiles:
            return _copied(
                spec,
                own_price,
                profiles,
                0.9,
                f"the price of the whole payment or document: its {own_price}",
            )
        summed = _document_sum(spec, context)
        if summed in profiles:
            return _copied(
                spec,
                summed,
                profiles,
                0.95,
                f"described as what the document's {summed} adds up",
            )
        if _carriage_amount(spec, context):
            return _abstain(spec, "a shipping charge: Stripe books it as a line")
        party_name = _described_party_name(spec, profiles)
        if party_name:
            return _copied(
                spec, party_name, profiles, 0.9, "described as the other party's name"
            )
        if _line_of_the_invoice_paid(spec, context):
            return _abstain(spec, "a line of the invoice paid: the payment lists none")
        if _not_goods_line_text(spec):
            return _abstain(spec, "the text of a tax or discount applied: not Stripe's")
        if _tax_within_a_goods_line(spec):
            return _abstain(spec, "a tax or discount on a line: Stripe lists none")
        if _tax_of_a_goods_line(spec, context):
            return _abstain(spec, "a line's own tax: Stripe keeps the document's")
        if _gross_line_money(spec, context):
            return _abstain(spec, "a goods line's gross: Stripe's leave tax out")
        on_line = _first_line_field(spec)
        if on_line in profiles:
            # A count is copied as is, whatever money word names it.
            counted = on_line == _FIRST_LINE_QUANTITY
            # A price written as text is ranked as the decimal it is.
            read = replace(spec, type=DECIMAL) if _line_price_as_text(spec) else spec
            return _suggest(
                spec,
                on_line,
                [] if counted else _transforms(read, profiles[on_line]),
                0.9,
                "a field of the first line item: the first line's",
            )
        if _first_tax_amount(spec) and "tax" in profiles:
            return _copied(
                spec,
                "tax",
                profiles,
                0.9,
                "an amount of the first tax listed: the document's tax",
            )
        priced = _first_line_unit_price(profiles) if _unit_price(spec, context) else ""
        if priced:
            return _copied(
                spec, priced, profiles, 0.9, "a price of one unit: the first line's"
            )
        if (
            _unit_price(spec, context)
            and context.object_type == "charge"
            and "amount" in profiles
        ):
            return _copied(
                spec, "amount", profiles, 0.9, "the one item sold: what was paid"
            )
        if _payments_item_text(spec, context) and "description" in profiles:
            return _copied(
                spec, "description", profiles, 0.9, "the one item sold: what it was for"
            )
        if _order_title(spec) and "description" in profiles:
            return _copied(
                spec,
                "description",
                profiles,
                0.9,
                "the order's own name: what it is for",
            )
        if _company_profile(spec, context):
            return _abstain(spec, "a figure of the customer's business: not Stripe's")
        if _customer_figure(spec, context) and not any(
            target == spec.name for target, _ in feedback
        ):
            return _abstain(spec, "an amount on the customer: the ERP keeps its own")
        if choices and _own_kind_among(choices, context):
            return _abstain(spec, "which kind of record it is: the endpoint's, fixed")
        if choices and _document_status_on_payment(spec, context):
            return _abstain(spec, "the status of the document paid: not the payment's")
        if choices and _requested_status(spec):
            return _abstain(spec, "the status the request asks for: not the payment's")
        if _offline_method(spec):
            return _abstain(spec, "asked of money moved offline: Stripe's is not")
        if choices:
            found = _currency_choices_suggestion(spec, choices, profiles)
            if found is not None:
                return found
            found = _value_map_suggestion(spec, profiles)
            if found is not None:
                return found
            found = _payment_method_suggestion(spec, profiles, context.object_type)
            if found is not None:
                return found
            found = _deal_end_suggestion(spec, profiles)
            if found is not None:
                return found
            return _config_suggestion(spec, context, feedback)
        accepted = any(target == spec.name for target, _ in feedback)
        if _recipient_line(spec) and not accepted:
            return _abstain(spec, "an address line for the recipient: no street")
        if _words(spec) & _ATTENTION and not accepted:
            return _abstain(spec, "a person the document is for: Stripe has none")
        named_by = _deals_own_name(spec, context)
        if named_by in profiles and not accepted:
            reason = f"a deal's name: the {named_by}"
            return _copied(spec, named_by, profiles, 0.9, reason)
        if _documents_own_name(spec, context) and not accepted:
            return _abstain(spec, "the document's own name: Stripe has none")
        if _documents_own_code(spec, context) and not accepted:
            return _abstain(spec, "the record's own code in the ERP: Stripe has none")
        if _payments_own_number(spec, context) and not accepted:
            return _abstain(spec, "a payment's own number: Stripe numbers none")
        if _remittance_reference(spec, context) and not accepted:
            return _abstain(spec, "a reference to pay it by: the ERP makes it")
        if _entry_title(spec, context) and "description" in profiles:
            return _suggest(
                spec, "description", [], 1.0, "a payout entry's title: its description"
            )
        if (
            _link_target(spec)
            and not accepted
            and not any(
                p.kind == "url" and not path.startswith("options.")
                for path, p in profiles.items()
            )
        ):
            # A link copied from a text that is no link (url2 ← address.line2
            # by the digit their names share) is never right.
            return _abstain(spec, "a link: no Stripe field here holds one")
        if _link_key(spec) and not accepted:
            return _abstain(spec, "the code in a link: not the link Stripe gives")
        if _referrer_link(spec) and not accepted:
            return _abstain(spec, "the page the buyer came from: Stripe keeps none")
        if _partys_site(spec) and not accepted:
            return _abstain(spec, "a party's own website: Stripe keeps none")
        if _names_a_kind(spec) and not accepted:
            return _abstain(spec, "the kind of a record: no party's name")
        if _things_name(spec) and not accepted:
            return _abstain(spec, "the name of a thing: no party's name")
        if _language_setting(spec) and not accepted:
            return _abstain(spec, "the language pages or documents are in: a setting")
        if _fax_only(spec) and not accepted:
            return _abstain(spec, "a fax number: Stripe keeps none")
        if _later_tax_slot(spec) and not accepted:
            return _abstain(
                spec, "a later rate's tax slot: Stripe's one tax is the first"
            )
        if _street_line_past_two(spec) and not accepted:
            return _abstain(spec, "a street line past the second: Stripe has two")
        if _numbered_within(spec) and not accepted:
            return _abstain(spec, "a number counted within a series or document")
        if _earlier_documents_number(spec) and not accepted:
            return _abstain(spec, "the number of a quote it came from: not Stripe's")
        if _search_term(spec) and not accepted:
            return _abstain(spec, "a term to search the ERP by: Stripe keeps none")
        if _secondary_contact(spec) and not accepted:
            return _abstain(spec, "a second phone or e-mail: Stripe keeps one")
        if _copy_recipients(spec) and not accepted:
            return _abstain(spec, "e-mail copies' recipients: Stripe keeps none")
        if _salutation(spec) and not accepted:
            return _abstain(spec, "a form of address: Stripe asks for none")
        if _contact_checked(spec) and not accepted:
            return _abstain(spec, "whether a contact was checked: Stripe keeps none")
        if _persons_title(spec) and not accepted:
            return _abstain(spec, "a person's title: Stripe asks for none")
        if _tax_text(spec) and not accepted:
            return _abstain(spec, "a text about the tax: the ERP's wording")
        if _organisation_division(spec) and not accepted:
            return _abstain(spec, "a division of the seller's organisation: a setting")
        if _departure_country(spec) and not accepted:
            return _abstain(spec, "where the goods leave from: the seller's country")
        if _tax_region(spec) and not accepted:
            return _abstain(spec, "a region of the tax rules: the ERP's own")
        if _keys_of_erp_records(spec) and not accepted:
            return _abstain(spec, "keys of the ERP's own records: not Stripe's")
        if _reference_to_erp_record(spec, profiles) and not accepted:
            return _abstain(spec, "a reference to the ERP's own record: not Stripe's")
        if _reference_to_another_of_its_kind(spec, context) and not accepted:
            return _abstain(spec, "a reference to another record of its kind: none")
        if _phone_part(spec) and not accepted:
            return _abstain(spec, "a part of a phone number: Stripe keeps it whole")
        if _birth_detail(spec) and not accepted:
            return _abstain(spec, "a person's birth: Stripe does not ask it")
        if _house_number(spec) and not accepted:
            return _abstain(spec, "a house number alone: Stripe's is in the street")
        if _street_name(spec) and not accepted:
            return _abstain(spec, "a street's name apart: Stripe's is in line1")
        if _po_box(spec) and not accepted:
            return _abstain(spec, "a post-office box: Stripe's addresses have none")
        if _contact_item_note(spec) and not accepted:
            return _abstain(spec, "a note on an e-mail or phone item: Stripe has none")
        if _listed_entry_qualifier(spec) and not accepted:
            return _abstain(spec, "the word a listed entry is filed under: a setting")
        if _persons_employment(spec) and not accepted:
            return _abstain(spec, "a person's employment: Stripe asks for none")
        if _picture(spec) and not accepted:
            return _abstain(spec, "a picture or a link to one: Stripe keeps none")
        if _address_note(spec) and not accepted:
            return _abstain(spec, "a note on an address: Stripe keeps none")
        if _amount_label(spec) and not accepted:
            return _abstain(spec, "the label of an amount: Stripe keeps none apart")
        if _address_override(spec) and not accepted:
            return _abstain(spec, "an address replacing the record's: left blank")
        if _saved_address_copied(spec) and not accepted:
            return _abstain(spec, "a saved address it is copied from: the ERP's")
        if _address_as_one_text(spec) and not accepted:
            return _abstain(spec, "a whole address in one text: Stripe's is in parts")
        if _base_url(spec) and not accepted:
            return _abstain(spec, "a link's fixed start: the integration's setting")
        if _sending_email(spec) and not accepted:
            return _abstain(spec, "the e-mail sending it: the integration's setting")
        if _whether_to_send(spec) and not accepted:
            return _abstain(spec, "whether to send an e-mail: a setting, no address")
        if _payees_email(spec) and not accepted:
            return _abstain(spec, "the e-mail of the account paid: the seller's own")
        found = _payment_method_suggestion(spec, profiles, context.object_type)
        if found is not None:
            return found
        found = _payment_succeeded_suggestion(spec, profiles, context.object_type)
        if found is not None:
            return found
        found = _captured_suggestion(spec, profiles, context.object_type)
        if found is not None:
            return found
        found = _invoice_paid_suggestion(spec, profiles, context.object_type)
        if found is not None:
            return found
        found = _closed_suggestion(spec, profiles, context.object_type)
        if found is not None:
            return found
        if _is_config(spec, context):
            return _config_suggestion(spec, context, feedback)
        if "status" in leaf_tokens(spec.name) or _lifecycle_state(spec):
            if _stages_listed(spec) and "status" in profiles:
                return _suggest(
                    spec, "status", _value_map(), 0.8, "a status listing its stages"
                )
            # Stripe's statuses are its own words; with no allowed values to
            # map them onto, a copy would not be the ERP's.
            return _abstain(spec, "a status with no allowed values to map onto")
        numbered = _described_document_number(spec, context)
        if numbered == "other":
            return _abstain(spec, "another document's number: not the invoice's")
        if numbered == "own" and "number" in profiles:
            return _copied(spec, "number", profiles, 0.95, "the document's number")
        closing = _closing_date_source(spec, context)
        if closing in profiles:
            return _copied(
                spec, closing, profiles, 0.9, f"the day a deal closes: the {closing}"
            )
        found = _described_source(spec, profiles, context)
        if found is not None:
            return found
    scored = _rank(spec, profiles, feedback, context)
    if not scored:
        return _abstain(spec, "no candidate source field")
    best_score, best_path, reason = scored[0]
    if _documents_field_for_line(spec, best_path, profiles, context):
        if _line_leaf(spec) == {"id"} and "lines.data.0.id" in profiles:
            # items.0.id "Unique item identifier": the line's own id, which
            # Stripe's line keeps beside the document's.
            return _suggest(
                spec, "lines.data.0.id", [], 0.9, "a goods line's id: the first line's"
            )
        return _abstain(spec, "a detail of a goods line: no field of the document")
    if best_path.rsplit(".", 1)[-1] == "object":
        # Stripe's tag naming its kind of object ("list", "invoice"): the
        # same on every record, no data of the record's own.
        return _abstain(spec, "best guess is Stripe's tag of its kind of object")
    runner_up = scored[1][0] if len(scored) > 1 else 0.0
    margin = max(0.0, best_score - runner_up)
    score = best_score + 0.5 * min(margin, 0.3)
    wants_time = spec.type == STRING and "time" in tokens(spec.name.lower())
    steps = _transforms(spec, profiles.get(best_path), wants_time=wants_time)
    if _coded_reason(spec, best_path):
        steps = _value_map()
        reason = f"{reason or 'best of weak candidates'}; onto the ERP's reason codes"
    return _suggest(
        spec,
        best_path,
        steps,
        score,
        reason or "best of weak candidates",
        tuple((p, round(s, 3)) for s, p, _ in scored[1:4]),
    )
