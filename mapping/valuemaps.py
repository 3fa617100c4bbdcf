"""Value-map proposals: a table from the sample values to a target's allowed values.

Stripe's enumerations (a charge's payment method type, an invoice's status)
rarely match an ERP's own words, so a suggestion for an enumerated target
pairs each value seen in the samples with the allowed value it most likely
means: the same word, a known synonym, or a close spelling. A table that
covers too few of the values seen is not proposed at all.
"""

import re
from collections.abc import Iterable

# Stripe value → words ERPs use for the same thing. Stripe's values come from
# its API reference (PaymentMethod.type, Invoice.status, CreditNote.status,
# Charge.status, Refund.reason).
SYNONYMS: dict[str, tuple[str, ...]] = {
    "card": ("credit card", "creditcard", "card", "credit", "cc", "visa", "bank card"),
    "card_present": ("credit card", "creditcard", "card", "eftpos", "bank card"),
    "sepa_debit": ("bank transfer", "banktransfer", "direct debit", "eft", "ach"),
    "us_bank_account": ("ach", "online ach debit", "bank transfer", "eft"),
    "ach_debit": ("ach", "online ach debit", "bank transfer", "eft"),
    "ach_credit_transfer": ("ach", "bank transfer", "banktransfer", "eft"),
    "bacs_debit": ("direct debit", "bank transfer", "banktransfer", "eft"),
    "acss_debit": ("direct debit", "bank transfer", "eft", "ach"),
    "customer_balance": ("bank transfer", "banktransfer", "bankremittance"),
    "paypal": ("paypal",),
    "link": ("credit card", "creditcard", "card"),
    "paid": ("paid", "posted", "closed", "settled"),
    "open": (
        "sent",
        "authorised",
        "authorized",
        "open",
        "submitted",
        "awaiting payment",
        "unpaid",
        "issued",
    ),
    "issued": ("authorised", "authorized", "issued", "open", "posted"),
    "draft": ("draft",),
    "void": ("voided", "void", "cancelled", "canceled", "deleted"),
    "uncollectible": ("voided", "bad debt", "written off", "uncollectible"),
    "succeeded": ("paid", "posted", "completed", "complete", "succeeded", "success"),
    "pending": ("pending", "open", "submitted", "in progress"),
    "failed": ("failed", "declined", "voided"),
    "requested_by_customer": ("customer request", "requested", "return"),
    "duplicate": ("duplicate",),
    "fraudulent": ("fraud", "fraudulent"),
    # Customer.tax_exempt: "none" is a customer who pays tax.
    "none": ("tax", "taxable", "taxed", "standard", "subject to tax", "liable"),
    "exempt": ("no tax", "tax free", "exempt", "tax exempt", "exempted", "exemption"),
    "reverse": ("reverse charge", "reverse", "reverse vat", "intra community"),
}

# Allowed values that take whatever the others do not (a catch-all "Other").
CATCH_ALL = {"other", "others", "misc", "miscellaneous"}
CATCH_ALL_LIKENESS = 0.4

MIN_COVERAGE = 0.66
# The likeness of a synonym that is an allowed value outright.
SURE_LIKENESS = 0.9


def _norm(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def _trigrams(text: str) -> set[str]:
    padded = f"  {_norm(text)} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def _likeness(value: str, choice: str) -> float:
    """How surely a Stripe value means an allowed value, 0..1."""
    left, right = _norm(value), _norm(choice)
    if not left or not right:
        return 0.0
    if left == right:
        return 1.0
    for word in SYNONYMS.get(value.lower(), ()):
        if _norm(word) == right:
            return 0.9
    for word in SYNONYMS.get(value.lower(), ()):
        if len(_norm(word)) >= 4 and _norm(word) in right:
            return 0.75
    grams_l, grams_r = _trigrams(value), _trigrams(choice)
    tri = len(grams_l & grams_r) / len(grams_l | grams_r)
    return tri if tri >= 0.6 else 0.0


def propose_value_map(
    values: Iterable[str], choices: Iterable[str]
) -> tuple[dict[str, str], float]:
    """The table from sample values to allowed values, and how much it covers.

    The second figure is the mean likeness over the distinct values seen
    (an unmapped value counts 0); ({}, 0.0) when under MIN_COVERAGE of the
    values find a match.
    """
    allowed = [c for c in choices if str(c).strip()]
    distinct = sorted({str(v) for v in values if str(v).strip()})
    if not allowed or not distinct:
        return {}, 0.0
    table: dict[str, str] = {}
    total = 0.0
    for value in distinct:
        best, score, tied = "", 0.0, False
        for choice in allowed:
            likeness = _likeness(value, str(choice))
            if likeness > score:
                best, score, tied = str(choice), likeness, False
            elif likeness and likeness == score and _norm(str(choice)) != _norm(best):
                tied = True
        if tied and score < SURE_LIKENESS:
            # succeeded → AUTHORIZATION_SUCCESS, CHARGE_SUCCESS, REFUND_SUCCESS:
            # a word found inside several allowed values says none of them (a
            # synonym named outright, authorised or submitted for open, does).
            continue
        if best:
            table[value] = best
            total += score
    catch_all = next((str(c) for c in allowed if _norm(str(c)) in CATCH_ALL), "")
    if catch_all and len(table) * 2 >= len(distinct):
        # With half the values named, the rest go to the catch-all.
        for value in distinct:
            if value not in table:
                table[value] = catch_all
                total += CATCH_ALL_LIKENESS
    if len(table) / len(distinct) < MIN_COVERAGE:
        return {}, 0.0
    return table, total / len(distinct)
