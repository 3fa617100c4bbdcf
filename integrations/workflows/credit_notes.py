"""Stripe credit notes: each becomes an ERP credit note against its invoice.

credit_note.created books the credit note for what it credits on the invoice
(to the customer's balance, out of band, or before payment). The part it
refunded by card is a Stripe refund, which the refund flow books against the
same invoice through its charge, so it is left out here: the ERP credits the
invoice once, to the cent. credit_note.voided reverses the ERP credit note
with an AR adjustment against the invoice.

The invoice must be in the ERP first: when the ledger does not hold it, it
is planned from Stripe (the same keys its own events use), or, when the
integration books invoices at payment and the invoice is still unpaid, the
event waits for it.
"""

from typing import Any

from integrations import stripe_versions
from integrations.canonical import Adjustment, CreditNote, to_source
from integrations.connectors import stripe_api
from integrations.connectors.errors import TransientError

from . import invoices
from .common import (
    PlanningError,
    currency_of,
    event_object,
    ledger_record,
    minor,
    planned_keys,
    stripe_client,
    stripe_id_of,
    text,
)
from .plan import Plan, PlannedRecord, WorkflowContext


class InvoiceNotBookedYet(TransientError):
    """The credit note's invoice is not in the ERP yet: the event waits."""


def plan_credit_note_created(ctx: WorkflowContext, event: dict[str, Any]) -> Plan:
    records = credit_note_records(ctx, event_object(event))
    if not records:
        return Plan(
            ignored_reason="credit note only refunds by card; the refund flow "
            "books the refunds"
        )
    return Plan(records=records)


def plan_credit_note_voided(ctx: WorkflowContext, event: dict[str, Any]) -> Plan:
    credit_note = event_object(event)
    records = credit_note_records(ctx, credit_note)
    credit = next((r for r in records if r.operation == "post_credit_note"), None)
    if credit is None:
        return Plan(ignored_reason="the credit note booked nothing; nothing to void")
    reference = f"{credit.stripe_id}:void"
    reversal = Adjustment(
        stripe_id=reference,
        charge_id="",
        currency=credit.source["currency"],
        # Negative: it raises again what the customer owes (a credit note
        # lowered it).
        amount=-int(credit.source["amount"]),
        created=int(credit_note.get("voided_at") or credit_note.get("created") or 0),
        reason=f"credit note {credit.source.get('number') or credit.stripe_id} voided",
    )
    return Plan(
        records=(
            *records,
            PlannedRecord(
                key=reference,
                operation="post_adjustment",
                stripe_id=reference,
                source=to_source(reversal),
                depends_on=(*credit.depends_on, credit.key),
            ),
        )
    )


def credit_note_records(
    ctx: WorkflowContext, credit_note: dict[str, Any]
) -> tuple[PlannedRecord, ...]:
    """The invoice's records when not yet planned, and the credit note's."""
    credit_note_id = text(credit_note.get("id"))
    invoice_id = stripe_id_of(credit_note.get("invoice"))
    if not credit_note_id or not invoice_id:
        raise PlanningError("the credit note has no id or no invoice")
    amount = minor(credit_note.get("total")) - _refunded(ctx, credit_note)
    if amount <= 0:
        return ()
    planned, waits = _invoice_dependency(ctx, invoice_id)
    credit = CreditNote(
        stripe_id=credit_note_id,
        charge_id="",
        currency=currency_of(credit_note),
        amount=amount,
        created=int(credit_note.get("effective_at") or credit_note.get("created") or 0),
        reason=text(credit_note.get("memo"))
        or f"Stripe credit note ({text(credit_note.get('reason')) or 'credit'})",
    )
    return (
        *planned,
        PlannedRecord(
            key=f"{credit_note_id}:credit_note",
            operation="post_credit_note",
            stripe_id=credit_note_id,
            source=to_source(credit)
            | {
                "number": text(credit_note.get("number")),
                "tax": _tax_part(credit_note, amount),
            },
            depends_on=waits,
        ),
    )


def _refunded(ctx: WorkflowContext, credit_note: dict[str, Any]) -> int:
    total = 0
    for refund_id, amount in stripe_versions.credit_note_refunds(credit_note):
        if amount is None:
            amount = minor(stripe_client(ctx).retrieve_refund(refund_id).get("amount"))
        total += amount
    return total


def _tax_part(credit_note: dict[str, Any], amount: int) -> int:
    """The tax in what is credited here (all of it when nothing was refunded)."""
    tax = stripe_versions.invoice_tax(credit_note)
    total = minor(credit_note.get("total"))
    if not tax or amount == total:
        return tax
    # Integer division rounds down, never crediting more tax than was charged.
    return tax * amount // total


def _invoice_dependency(
    ctx: WorkflowContext, invoice_id: str
) -> tuple[tuple[PlannedRecord, ...], tuple[str, ...]]:
    """(records to plan, keys to wait for) so the credit note follows its
    invoice in the ERP."""
    invoice_key = f"{invoice_id}:invoice"
    booked = ledger_record(ctx, invoice_key)
    if booked is not None:
        return (), (*planned_keys(booked), invoice_key)
    invoice = stripe_client(ctx).retrieve_invoice(invoice_id)
    paid = text(invoice.get("status")) == "paid"
    at_finalization = invoices.invoice_booking(ctx) == invoices.AT_FINALIZATION
    if not (paid or at_finalization):
        raise InvoiceNotBookedYet(
            f"the credit note's invoice {invoice_id} is {invoice.get('status')} "
            "and invoices are booked when paid: the credit note waits for it"
        )
    records = invoices.invoice_records(
        ctx, invoice, api_version=stripe_api.API_VERSION, payments=paid
    )
    if not records:
        raise PlanningError(f"invoice {invoice_id} has nothing to credit")
    return records, (records[0].key, invoice_key)
