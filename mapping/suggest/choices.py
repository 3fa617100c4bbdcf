"""Targets with allowed values: value maps, yes/no tax status, currency codes."""

import re

from ..schemas import FLAG, STRING, FieldSpec
from ..valuemaps import propose_value_map
from .identity import _tax_id_target
from .names import concepts, name_similarity, tokens
from .suggestion import Suggestion, _suggest
from .transforms import _value_map
from .values import Profile, _currency_codes
from .words import _VAT_WORDS, _own_description, leaf_tokens

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

    A currency field may allow only its region's codes (NGN, GHS, ZAR, USD):
    named a currency, every allowed value an ISO 4217 code is as good as the
    common ones, even when there are only two (the local one and the
    dollar). Stripe writes the code in lower case, so the value is
    upper-cased, unless the allowed codes are all written in lower case too
    ("eur", "usd"): then Stripe's code is taken as it is.
    """
    written = {str(c).strip() for c in choices}
    lower = all(c.islower() for c in written)
    codes = {c.upper() for c in written} if lower else written
    if not all(len(c) == 3 and c.isalpha() and c.isupper() for c in codes):
        return None
    regional = "currency" in concepts(spec.name) and codes <= _currency_codes()
    if len(codes) < 2 or not (codes >= _COMMON_CURRENCIES or regional):
        return None
    found = sorted(
        (path.count("."), path)
        for path, profile in profiles.items()
        if profile.kind == "currency" and not path.startswith("options.")
    )
    if not found:
        return None
    path = found[0][1]
    if lower:
        return _suggest(
            spec, path, [], 1.0, "the allowed values are currency codes, lower case"
        )
    return _suggest(
        spec, path, [{"name": "upper"}], 1.0, "the allowed values are currency codes"
    )


# The sides of a booking: debit and credit, as ledgers and banks write them.
_BOOKING_SIDES = {"debit", "credit", "dr", "cr", "debet"}


def _booking_sides(allowed: list) -> bool:
    """("debit", "credit"): the side a booking posts to, which no Stripe value is.

    Which side a payment or refund posts to follows from what the record
    is (money in is a debit of the bank), a constant of the integration;
    a Stripe word that looks like one (card, for a credit card) would only
    book it on the wrong side.
    """
    sides = {str(value).strip().lower() for value in allowed if str(value).strip()}
    return len(sides) >= 2 and sides <= _BOOKING_SIDES


def _value_map_through_lexicon(
    values: set[str], allowed: list
) -> tuple[dict[str, str], float]:
    """duplicado, solicitud_comprador: allowed values in another language.

    Read through the lexicon (names.py), an allowed value is the English
    concepts it stands for (duplicate; customer request), which Stripe's
    values are matched against as they are against English words.
    """
    read = {" ".join(sorted(concepts(str(c)))): str(c) for c in allowed}
    table, fit = propose_value_map(values, list(read))
    return {value: read[choice] for value, choice in table.items()}, fit


def _value_map_suggestion(
    spec: FieldSpec, profiles: dict[str, Profile]
) -> Suggestion | None:
    labels = _choice_labels(spec)
    allowed = list(labels) if labels else list(spec.choices)
    if _booking_sides(allowed):
        return None
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
            table, fit = _value_map_through_lexicon(profile.values, allowed)
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
        _value_map(table),
        score,
        f"values map onto the allowed ones ({shown})",
    )


# How a deal ends, as a list of its phases names the two ends ("Deal won",
# "Lost"), and the Stripe statuses that end a document or payment so: paid
# or succeeded is the deal won; voided, uncollectible or failed, lost.
_DEAL_ENDS = ("won", "lost")
_ENDED_AS = {
    "paid": "won",
    "succeeded": "won",
    "void": "lost",
    "uncollectible": "lost",
    "failed": "lost",
    "canceled": "lost",
}


def _deal_end_suggestion(
    spec: FieldSpec, profiles: dict[str, Profile]
) -> Suggestion | None:
    """A deal's phases (Talking, Offer made, Deal won, Deal lost): the status.

    A phase list with one won and one lost end follows a sale to its close;
    Stripe's status says how the document or payment ended, which is the
    deal's end, while its open states name no phase of the talks.
    """
    ends = {}
    for end in _DEAL_ENDS:
        named = [str(c) for c in spec.choices if end in tokens(str(c))]
        if len(named) != 1:
            return None
        ends[end] = named[0]
    status = profiles.get("status")
    if status is None or not status.values & _ENDED_AS.keys():
        return None
    table = {value: ends[end] for value, end in _ENDED_AS.items()}
    return _suggest(
        spec,
        "status",
        _value_map(table),
        0.9,
        "a deal's phases: won or lost as it ended",
    )


# What a payment's method is called: a tender (POS), a payment method or
# mode, a means or instrument of payment. A payment "type" is more often
# its direction (received or paid out), so it is not among them.
_TENDER_NAMES = (
    {"tender"},
    {"payment", "method"},
    {"pay", "method"},
    {"payment", "mode"},
)
_TENDER_DESCRIBED = re.compile(
    r"(?i)\b(method|mode|means|instrument) of payment\b"
    r"|\bpayment (method|mode|instrument)\b"
)
# Ways to pay: allowed values (or their labels) naming two of these are a
# payment's method, whatever the field is called ("Cash receipt type
# 0=Check 1=Cash 2=Credit card").
_PAYMENT_MEANS = {"cash", "check", "cheque", "card", "transfer", "wire", "debit", "ach"}


def _choices_name_payment_means(spec: FieldSpec) -> bool:
    """Two ways to pay among the allowed values, which are mostly such ways.

    A list where they are a few among other things (how a payment without a
    bank line is booked: cash_payment, rounding_error, …) is something else.
    """
    labels = list(_choice_labels(spec) or spec.choices)
    means = [set(tokens(str(label))) & _PAYMENT_MEANS for label in labels]
    named = set().union(*means) if means else set()
    return len(named) >= 2 and 2 * sum(map(bool, means)) >= len(labels)


# Ways to pay as a description's examples name them: the means above, and
# the card schemes and wallets a payment is often called by (VISA, PayPal).
_PAYMENT_MEANS_NAMED = _PAYMENT_MEANS | {"visa", "mastercard", "amex", "paypal"}
# The examples a description gives: "free text (e.g. 'VISA', 'PayPal')".
_EXAMPLES = re.compile(r"(?i)\b(?:e\.g\.|eg\.|for example|such as)\s*:?\s*([^)]*)")


# A list in brackets a description gives, its items after any lead-in
# ("(options: Cash, Credit Card, Check)").
_BRACKETED_LIST = re.compile(r"\(([^()]*,[^()]*)\)")


def _examples_name_payment_means(spec: FieldSpec) -> bool:
    """ "Payment type, free text (e.g. 'VISA', 'PayPal', 'Cash')": a method.

    Examples in the description naming two ways to pay are what allowed
    values naming them would be, for a field that takes free text. So is a
    bracketed list whose items mostly name ways to pay ("the payment type
    by its name (Cash, Debit Card, Credit Card, Due, Check)"), unless it
    cites a source.
    """
    description = spec.description or ""
    found = _EXAMPLES.search(description)
    if found:
        return len(set(tokens(found.group(1))) & _PAYMENT_MEANS_NAMED) >= 2
    for listed in _BRACKETED_LIST.findall(description):
        if "@" in listed:
            # "(DebitParams, property code, acme/sdk@0123abc:card-params.ts)":
            # a cited source, its model and file names no ways to pay.
            continue
        first, *rest = listed.split(",")
        items = [first.rsplit(":", 1)[-1], *rest]  # past the lead-in
        means = [set(tokens(item)) & _PAYMENT_MEANS_NAMED for item in items]
        if len(set().union(*means)) >= 2 and 2 * sum(map(bool, means)) >= len(items):
            return True
    return False


# A card's scheme: "Credit card type (Visa, MC, AmEx)", cardBrand.
_CARD_SCHEME = ({"card", "type"}, {"card", "brand"}, {"card", "scheme"})


def _card_scheme_named(spec: FieldSpec) -> bool:
    """CardType, CreditCardType: the scheme of the card paid with, as a type.

    A payment's card type is one of a short list (Visa, Mastercard), the
    ERP's own codes for Stripe's brands even when none are listed; a
    brand named so (card_brand) is Stripe's word and copied, and a card
    transaction's type (CreditCardTxnType) is a kind of transaction.
    """
    words = set(tokens(spec.name))
    return {"card", "type"} <= words and not words & {"txn", "transaction"}


# A payment method's type (paymentMethodTypeId): a kind of method, one of a
# short list like Stripe's own, even with no allowed values given.
_METHOD_KIND = {"payment", "method", "type"}
# A name that says only how, not of what: "method", "mode".
_BARE_METHOD = {"method", "mode"}
# A bare type described as a payment method's ("The type of the
# PaymentMethod."): the kind of method used, as a method type named so is.
_METHODS_TYPE_DESCRIBED = re.compile(
    r"(?i)^\W*(the\s+)?type\s+of\s+(the\s+|a\s+|this\s+)?payment\s?method\b"
)


# A method named by the gateway or module that took it ("a payment gateway
# id", "Test Payment Gateway" among the examples): the ERP's own set-up.
_GATEWAY_NAMED = re.compile(r"(?i)\b(gateway|module)s?\b")


# A field described, in its own part of a nested description, as the
# service that takes the payment.
_PAYMENT_SERVICE_DESCRIBED = re.compile(
    r"(?i)\W*(the\s+)?payment\s+(service|processor|provider|interface)\b"
)


def _payment_method_suggestion(
    spec: FieldSpec, profiles: dict[str, Profile], object_type: str
) -> Suggestion | None:
    """A payment's method or card scheme as coded choices: Stripe's, mapped.

    Coded choices (A, C, K) share no letters with Stripe's words (card,
    sepa_debit), so no table is found from the samples; the field still
    names what Stripe records for the payment, and the admin fills the
    table the suggestion leaves empty.
    """
    words = set(tokens(spec.name))
    examples = _examples_name_payment_means(spec)
    # method "The payment method type of the payment": the name is bare,
    # its description says whose method it is; so is a bare type's, "The
    # type of the PaymentMethod".
    type_described = words == {"type"} and bool(
        _METHODS_TYPE_DESCRIBED.match(spec.description or "")
    )
    described = type_described or (
        words <= _BARE_METHOD and bool(_TENDER_DESCRIBED.search(spec.description or ""))
    )
    if object_type not in ("charge", "refund") or not (
        spec.choices
        or words >= _METHOD_KIND
        or examples
        or described
        or _card_scheme_named(spec)
    ):
        return None
    if _GATEWAY_NAMED.search(spec.description or ""):
        return None
    if any(group <= words for group in _CARD_SCHEME):
        path = "payment_method_details.card.brand"
    elif (
        any(group <= words for group in _TENDER_NAMES)
        or _TENDER_DESCRIBED.search(spec.description or "")
        or type_described
        or _choices_name_payment_means(spec)
        or examples
    ):
        path = "payment_method_details.type"
    else:
        return None
    if path not in profiles:
        return None
    return _suggest(
        spec,
        path,
        _value_map(),
        0.9,
        f"the payment's {path.rsplit('.', 1)[-1]}, onto the allowed codes: "
        "fill in the table",
    )


# A method kept for the payer rather than the kind of method used: a stored
# card or token ("the party's stored payment method"), the account's default,
# a custom one configured in the ERP, or its printed title.
_KEPT_METHOD = re.compile(
    r"(?i)\b(stored|saved|custom|configured|token|preferred|title)\b"
    r"|\b(account|party|customer)'s\b|\bdefault (payment )?(method|mode)"
)
_NOT_THE_METHOD = {"line", "account", "title", "custom", "default", "last", "show"}
# A payment's method described by what the ERP records it as: a record's id,
# a code or a name ("Id of a KashFlow payment method", "Code of the payment
# method chosen", "Link to a Payment Method record", "Payment instrument").
_METHOD_AS_RECORD = re.compile(
    r"(?i)\b(id|ids|code|name|record|link|used|chosen|instrument|required)\b"
)


def _payment_method_record_suggestion(
    spec: FieldSpec, profiles: dict[str, Profile], object_type: str
) -> Suggestion | None:
    """A charge's method as the ERP's payment-method record: Stripe's type, mapped.

    An id or code of an ERP-side payment-method record is filled from the
    charge's payment_method_details.type through a table the admin fills,
    as a payment method given as coded choices is. A method kept for the
    payer (a stored card, the account's default) is another record.
    """
    if object_type != "charge" or not spec.description:
        return None
    words = set(tokens(spec.name))
    named = any(group <= words for group in _TENDER_NAMES) or (
        words <= _BARE_METHOD and bool(_TENDER_DESCRIBED.search(spec.description))
    )
    if not named or words & _NOT_THE_METHOD:
        return None
    if any(group <= words for group in _CARD_SCHEME):
        return None
    if _PAYMENT_SERVICE_DESCRIBED.match(_own_description(spec.description)):
        # paymentInterface "Payment service that processes the Payment", in
        # a block with the method: the processor, Stripe itself, not a method.
        return None
    if _KEPT_METHOD.search(spec.description) or _GATEWAY_NAMED.search(spec.description):
        return None
    if not _METHOD_AS_RECORD.search(spec.description):
        return None
    path = "payment_method_details.type"
    if path not in profiles:
        return None
    return _suggest(
        spec,
        path,
        _value_map(),
        0.9,
        "the ERP's payment-method record: the payment's type, onto it: "
        "fill in the table",
    )


# A payment's outcome, as a fact of it ("Whether the transaction was
# successful"): Stripe's paid, which is true once the charge succeeded.
_SUCCEEDED = {"success", "successful", "succeeded", "successfully"}
# The payment itself said to be paid ("Whether the payment is paid"), not a
# document it pays ("Define if the order is paid"), which a flag marks.
_PAYMENT_PAID = re.compile(
    r"(?i)\b(payment|charge|transaction)\s+(is|was|has\s+been)\s+paid\b"
)


def _payment_succeeded_suggestion(
    spec: FieldSpec, profiles: dict[str, Profile], object_type: str
) -> Suggestion | None:
    """success, succeeded on a charge: whether it went through, its paid flag.

    https://docs.stripe.com/api/charges/object#charge_object-paid
    """
    if object_type != "charge" or spec.type != FLAG or "paid" not in profiles:
        return None
    if not (
        set(tokens(f"{spec.name} {spec.description or ''}")) & _SUCCEEDED
        or _PAYMENT_PAID.search(spec.description or "")
    ):
        return None
    return _suggest(spec, "paid", [], 0.9, "whether the payment went through")


# A flag named for being paid and nothing else (paid, isPaid, is_paid).
_PAID_FLAG_WORDS = {"paid"}


def _invoice_paid_suggestion(
    spec: FieldSpec, profiles: dict[str, Profile], object_type: str
) -> Suggestion | None:
    """paid, isPaid on an invoice: whether it is paid, its status mapped.

    An invoice's own paid flag is what Stripe's invoice status says (paid,
    or open, draft or void): the status, through a value map onto the flag.
    A flag of a part paid (paidInFull) or of another document is no such.
    https://docs.stripe.com/api/invoices/object#invoice_object-status
    """
    if object_type != "invoice" or spec.type != FLAG or "status" not in profiles:
        return None
    if set(leaf_tokens(spec.name)) - {"is"} != _PAID_FLAG_WORDS:
        return None
    return _status_onto_the_flag(spec, "whether the invoice is paid")


def _status_onto_the_flag(spec: FieldSpec, what: str) -> Suggestion:
    """Stripe's status, through a value map onto a yes or no the status says."""
    reason = f"{what}: its status, onto the flag: fill in the table"
    return _suggest(spec, "status", _value_map(), 0.9, reason)


# A flag named for the record being closed (closed, isClosed).
_CLOSED_WORDS = {"closed"}
# A yes or no written as the letters Y and N ("'Y' or 'N'").
_Y_OR_N = re.compile(r"""['‘"“]Y['’"”]\s+or\s+['‘"“]N['’"”]""")
# A description asking no more than whether the record is closed ("Is the
# deal closed?"), not what closing it means ("closed and considered bad
# debt": written off, which no status of Stripe's says).
_ONLY_WHETHER_CLOSED = re.compile(
    r"(?i)^\W*(?:is|whether)\s+(?:the|this)\s+\w+\s+(?:is\s+)?closed\s*(?:\?|$|\(|\.)"
)


def _closed_suggestion(
    spec: FieldSpec, profiles: dict[str, Profile], object_type: str
) -> Suggestion | None:
    """closed "Is the deal closed? ('Y' or 'N')" on an invoice or a charge.

    Whether the record a document or a payment stands for is over (an
    invoice paid or voided, a charge that went through or failed) is what
    Stripe's status says: the status, through a value map onto the flag.
    """
    if object_type not in ("invoice", "charge") or "status" not in profiles:
        return None
    if set(leaf_tokens(spec.name)) - {"is"} != _CLOSED_WORDS:
        return None
    if not _ONLY_WHETHER_CLOSED.match(spec.description or ""):
        return None
    if not (_yes_and_no(spec) or _Y_OR_N.search(spec.description or "")):
        return None
    return _status_onto_the_flag(spec, "whether it is closed")


# A switch named for capturing the money authorised (capture, captured).
_CAPTURE_WORDS = {"capture", "captured"}
# A capture mode in words, described as the choice to take the money later.
_AUTHORISE_ONLY = re.compile(
    r"(?i)\bauthori[sz]e\s+only\b|\bcapture\s+(?:it\s+)?later\b|\bmanual\s+capture\b"
)


def _captured_suggestion(
    spec: FieldSpec, profiles: dict[str, Profile], object_type: str
) -> Suggestion | None:
    """capture "capture the payment immediately" on a charge: its captured flag.

    Whether a payment is captured at once or only authorised is what
    Stripe's charge says it was; a document has no such flag.
    https://docs.stripe.com/api/charges/object#charge_object-captured
    """
    if object_type != "charge" or "captured" not in profiles:
        return None
    if not set(leaf_tokens(spec.name)) & _CAPTURE_WORDS:
        return None
    if spec.type == FLAG:
        return _suggest(spec, "captured", [], 0.9, "whether the payment is captured")
    if spec.type != STRING or not _AUTHORISE_ONLY.search(spec.description or ""):
        return None
    # capture "'manual' to authorize only and capture later": the same flag,
    # said in the request's words.
    return _suggest(
        spec,
        "captured",
        _value_map(),
        0.9,
        "whether the payment is captured, onto the words: fill in the table",
    )


_YES = {"yes", "true", "1", "y", "j", "ja", "oui", "si"}
_NO = {"no", "false", "0", "n", "nein", "non"}
_TAX_WORDS = _VAT_WORDS | {"tax", "tva", "iva", "mwst", "ust", "vat"}
_TAX_EXEMPT_WORDS = {"exempt", "exemption", "exempted", "free", "freed", "exonerated"}
_PERMISSION_WORDS = {"allow", "allowed", "allows", "enable", "enabled", "can", "may"}
_TAX_SUBJECT_WORDS = {"subject", "liable", "liability", "taxable", "assujetti"}


def _yes_and_no(spec: FieldSpec) -> tuple[object, object] | None:
    """The values a yes/no target takes for yes and for no, if it is one.

    Beside its yes and its no a target may allow one state on the way
    (Yes, No, pendingVerification): Stripe's answers are yes or no.
    """
    if spec.type == FLAG:
        return True, False
    labels = _choice_labels(spec)
    if labels:
        by_word = {label.lower(): code for label, code in labels.items()}
    else:
        by_word = {str(choice).lower(): choice for choice in spec.choices}
    if len(by_word) not in (2, 3):
        return None
    yes = [code for word, code in by_word.items() if word in _YES]
    no = [code for word, code in by_word.items() if word in _NO]
    return (yes[0], no[0]) if len(yes) == 1 and len(no) == 1 else None


# VAT the customer accounts for itself: "reverse charge", "VAT shifted to
# the customer" (the Dutch verlegde btw).
_REVERSE_CHARGE = re.compile(
    r"(?i)\breverse[- ]?charge|\b(vat|tax)\s+(is\s+)?shifted\b|\bshift(ed)?[_ ]vat\b"
)


def _tax_status_suggestion(
    spec: FieldSpec, profiles: dict[str, Profile]
) -> Suggestion | None:
    """Whether a customer pays tax, as yes/no: Stripe's tax_exempt, mapped.

    "Exempt from VAT" is yes for an exempt or reverse-charge customer,
    "Subject to VAT" the other way round; "reverse charge" is yes for a
    reverse-charge customer only.
    """
    words = set(tokens(f"{spec.name} {spec.description or ''}"))
    if not words & _TAX_WORDS or _tax_id_target(spec):
        return None
    if set(tokens(spec.name)) & _PERMISSION_WORDS:
        return None  # allowTaxFreeInvoices: what the company permits, a setting
    if spec.type == FLAG and _REVERSE_CHARGE.search(f"{spec.name} {spec.description}"):
        paths = [p for p in profiles if p.rsplit(".", 1)[-1] == "tax_exempt"]
        if not paths:
            return None
        return _suggest(
            spec,
            min(paths, key=len),
            [
                {
                    "name": "value_map",
                    "params": {
                        "map": {"none": False, "exempt": False, "reverse": True}
                    },
                }
            ],
            0.95,
            "whether the customer's VAT is reverse-charged: tax_exempt reverse → True",
        )
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
        _value_map(table),
        0.95,
        f"whether the customer pays tax: tax_exempt none → {taxed}, "
        f"exempt or reverse → {exempted}",
    )


# A value as Stripe spells an enumeration's: lower-case words joined by
# underscores (order_change, product_unsatisfactory). A plain word (paid,
# open) names a state in any system and says nothing of whose codes they are.
_SNAKE_CODE = re.compile(r"\b[a-z]+(?:_[a-z]+)+\b")


def _stripes_codes_suggestion(
    spec: FieldSpec, profiles: dict[str, Profile]
) -> Suggestion | None:
    """reason "(enum: duplicate, order_change, product_unsatisfactory)".

    A text field whose description lists two or more of the codes one
    Stripe field takes keeps Stripe's enumeration itself: it is that field,
    taken as it is, no value map between.
    """
    if spec.type != STRING or spec.choices:
        return None
    listed = set(_SNAKE_CODE.findall(spec.description or ""))
    if len(listed) < 2:
        return None
    paths = sorted(
        path
        for path, profile in profiles.items()
        if len(listed & {v for v in profile.values if _SNAKE_CODE.fullmatch(v)}) > 1
    )
    if len(paths) != 1:
        return None
    return _suggest(
        spec, paths[0], [], 0.9, f"the description lists {paths[0]}'s own codes"
    )
