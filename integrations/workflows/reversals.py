"""Reversals: the ERP document that undoes a succeeded ledger record.

Finance staff reverse a posting from the ledger (never by deleting it); the
reversal is a ledger record of its own, keyed by the original's key plus
`:rev`, posted under the reference `<original stripe id>:rev` so that the
connector's lookup finds it again after a lost reply. Its source depends on
nothing but the original: its canonical source, what the original's own
dependencies produced (the customer code, the invoice it applied to) and
its ERP reference.

What reverses what (canonical records only: each ERP package's templates turn
them into its own documents):
- an invoice: a credit note of its amount and tax against it;
- a payment: an AR adjustment of minus its amount against the invoice (or
  sales order) it paid. Neither ERP takes a negative payment (each ERP
  package's payment schema says so); the SYSPRO package posts the adjustment
  against the invoice, or as a debit note where there is none, and the Sage
  Pro agent takes it as a signed adjustment memo;
- a credit note: an AR adjustment of minus its amount (the customer owes it
  again), as a voided Stripe credit note is booked;
- an adjustment: the opposite adjustment;
- a GL journal: the same lines with debits and credits swapped, dated the
  day of the reversal (the original's period may be closed; the connector
  holds a journal dated in a closed period with its reason).

Refused, with the reason: a customer upsert (a master record, not a
posting), a sales order (neither SYSPRO's SORTOI as this product sends it nor
the agent's contract cancels an order: cancel it in the ERP), a record that
is itself a reversal (reversing it would post the original again under
another reference: post that by hand if the reversal was a mistake), and a
record whose payload finance staff edited (what reached the ERP is then not
what its Stripe source says, so a reversal built from the source would not
net to zero).
"""

from typing import Any

from integrations.canonical import Adjustment, CreditNote, Journal, JournalLine
from integrations.canonical import to_source as canonical_source
from integrations.models import SyncRecord
from integrations.operations import source_resolved
from portal.exceptions import ApplicationError

from .plan import PlannedRecord

Operation = SyncRecord.Operation

# Appended to the original's idempotency key and Stripe reference. Short, so
# the reversal's reference still fits the ERPs' 60-character references.
SUFFIX = ":rev"


class ReversalRefused(ApplicationError):
    """The record cannot be reversed; the message says why and what to do."""


def reversal_key(record: SyncRecord) -> str:
    """The reversal's idempotency key within the integration."""
    prefix = f"{record.integration_id}:"
    return record.idempotency_key.removeprefix(prefix) + SUFFIX


def reversal_planned(*, record: SyncRecord, created: int) -> PlannedRecord:
    """The ledger record that reverses `record` (a succeeded record).

    `created`: the reversal's date (Unix seconds), the day it was asked for.
    ReversalRefused when the operation has no reversal.
    """
    refusal = _refusal(record)
    if refusal:
        raise ReversalRefused(refusal, {"record_id": record.pk})
    resolved = source_resolved(record)
    reference = f"{record.stripe_id}{SUFFIX}"
    builder = _BUILDERS[record.operation]
    source = builder(record, resolved, reference=reference, created=created)
    # What the original's dependencies produced travels with the reversal,
    # which waits only for the original.
    for key in ("customer_code", "invoice_number", "order_number"):
        if resolved.get(key) and not source.get(key):
            source[key] = resolved[key]
    source["reverses"] = {
        "record_id": record.pk,
        "operation": record.operation,
        "erp_reference": record.erp_reference,
        "stripe_id": record.stripe_id,
    }
    return PlannedRecord(
        key=reversal_key(record),
        operation=_REVERSING_OPERATION[record.operation],
        stripe_id=reference,
        source=source,
        depends_on=(record.idempotency_key.removeprefix(f"{record.integration_id}:"),),
    )


def reversal_refusal(record: SyncRecord) -> str:
    """Why `record`'s operation has no reversal, or "" when it has one."""
    return _refusal(record)


def _refusal(record: SyncRecord) -> str:
    if record.operation == Operation.UPSERT_CUSTOMER:
        return (
            "A customer upsert is not a posting: there is nothing to reverse. "
            "Change or deactivate the customer in the ERP."
        )
    if record.operation == Operation.CREATE_SALES_ORDER:
        return (
            f"Sales order {record.erp_reference or record.stripe_id} is not a "
            "posting, and the portal does not cancel ERP orders: cancel it in "
            "the ERP. Reverse its payment or invoice here."
        )
    if record.reverses_id is not None:
        return (
            f"Record #{record.pk} is itself the reversal of record "
            f"#{record.reverses_id}; reversing it would post that document "
            "again under another reference. If the reversal was a mistake, "
            "post the document again by hand in the ERP."
        )
    if record.payload_edited:
        return (
            f"Record #{record.pk}'s payload was edited by hand, so what reached "
            "the ERP is not what its Stripe source says and a reversal built "
            "from the source would not net to zero. Reverse the document in "
            "the ERP by hand."
        )
    if record.operation not in _BUILDERS:
        return f"A {record.get_operation_display().lower()} has no reversal."
    return ""


def _amount(resolved: dict[str, Any]) -> int:
    amount = resolved.get("amount")
    if not isinstance(amount, int) or isinstance(amount, bool) or amount == 0:
        raise ReversalRefused(
            "The record's source has no amount to reverse; reverse it in the "
            "ERP by hand."
        )
    return amount


# What the ERP document of each reversible operation is called.
_DOCUMENT_NAMES = {
    Operation.CREATE_INVOICE: "invoice",
    Operation.POST_PAYMENT: "payment",
    Operation.POST_CREDIT_NOTE: "credit note",
    Operation.POST_ADJUSTMENT: "adjustment",
    Operation.POST_JOURNAL: "GL journal",
}


def _reason(record: SyncRecord) -> str:
    number = record.erp_reference or record.stripe_id
    return f"Reversal of {_DOCUMENT_NAMES[record.operation]} {number}"


def _invoice_reversed(
    record: SyncRecord, resolved: dict, *, reference: str, created: int
) -> dict[str, Any]:
    if not record.erp_reference:
        raise ReversalRefused(
            f"Record #{record.pk} holds no ERP invoice number to credit; "
            "settle its reference first (the ERP's invoice number)."
        )
    credit = CreditNote(
        stripe_id=reference,
        charge_id=str(resolved.get("charge_id") or ""),
        currency=str(resolved.get("currency") or ""),
        amount=_amount(resolved),
        created=created,
        reason=_reason(record),
    )
    # Against the very invoice: its ERP number is the original's reference.
    return canonical_source(credit) | {
        "invoice_number": record.erp_reference,
        "tax": int(resolved.get("tax") or 0),
    }


def _adjusted_back(
    record: SyncRecord, resolved: dict, *, reference: str, created: int
) -> dict[str, Any]:
    """An adjustment that undoes a payment, a credit note or an adjustment.

    The sign is the adjustment's (positive lowers what the customer owes): a
    payment or a credit note lowered it, so its reversal is negative; an
    adjustment's reversal is its opposite.
    """
    adjustment = Adjustment(
        stripe_id=reference,
        charge_id=str(resolved.get("charge_id") or ""),
        currency=str(resolved.get("currency") or ""),
        amount=-_amount(resolved),
        created=created,
        reason=_reason(record),
    )
    return canonical_source(adjustment)


def _journal_reversed(
    record: SyncRecord, resolved: dict, *, reference: str, created: int
) -> dict[str, Any]:
    lines = resolved.get("lines") or []
    if not lines:
        raise ReversalRefused(
            "The journal's source has no lines to reverse; reverse it in the "
            "ERP by hand."
        )
    journal = Journal(
        stripe_id=reference,
        currency=str(resolved.get("currency") or ""),
        created=created,
        description=_reason(record),
        lines=tuple(
            JournalLine(
                account=str(line.get("account") or ""),
                amount=-int(line.get("amount") or 0),
                description=str(line.get("description") or ""),
                reference=reference,
            )
            for line in lines
        ),
    )
    return canonical_source(journal)


_BUILDERS = {
    Operation.CREATE_INVOICE: _invoice_reversed,
    Operation.POST_PAYMENT: _adjusted_back,
    Operation.POST_CREDIT_NOTE: _adjusted_back,
    Operation.POST_ADJUSTMENT: _adjusted_back,
    Operation.POST_JOURNAL: _journal_reversed,
}

_REVERSING_OPERATION = {
    Operation.CREATE_INVOICE: Operation.POST_CREDIT_NOTE,
    Operation.POST_PAYMENT: Operation.POST_ADJUSTMENT,
    Operation.POST_CREDIT_NOTE: Operation.POST_ADJUSTMENT,
    Operation.POST_ADJUSTMENT: Operation.POST_ADJUSTMENT,
    Operation.POST_JOURNAL: Operation.POST_JOURNAL,
}
