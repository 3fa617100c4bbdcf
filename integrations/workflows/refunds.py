"""Refunds: each Stripe refund becomes one ERP credit note.

charge.refunded (the charge, with its cumulative `amount_refunded`) and
refund.created / refund.updated / charge.refund.updated (the Refund itself)
all plan the credit note under the refund id, so they deduplicate against
each other and partial or repeated refunds each get their own document. A
refund that fails or is cancelled after it was booked is reversed by a
negative AR adjustment (a debit) of the same amount.
"""

from typing import Any

from integrations.canonical import Adjustment, CreditNote, to_source

from .charges import charge_dependency
from .common import (
    PlanningError,
    currency_of,
    event_object,
    minor,
    previous_attributes,
    stripe_client,
    stripe_id_of,
    text,
)
from .currencies import fx_amount, refund_fx_records
from .plan import Plan, PlannedRecord, WorkflowContext

BOOKED_STATUSES = frozenset({"pending", "succeeded"})
REVERSED_STATUSES = frozenset({"failed", "canceled"})


def refund_records(
    refund: dict[str, Any], *, depends_on: tuple[str, ...], extra: dict[str, Any]
) -> tuple[PlannedRecord, ...]:
    """The credit note of one refund, and its reversal when the refund failed."""
    refund_id = text(refund.get("id"))
    status = text(refund.get("status")) or "succeeded"
    if status not in BOOKED_STATUSES | REVERSED_STATUSES:
        return ()
    amount = minor(refund.get("amount"))
    if amount <= 0:
        raise PlanningError(f"refund {refund_id} has no positive amount")
    charge_id = stripe_id_of(refund.get("charge"))
    currency = currency_of(refund)
    fx = extra.get("fx") or {}
    if fx:
        # A refund of a converted charge: at the charge's rate.
        amount, currency = fx_amount(amount, fx), fx["currency"]
    created = int(refund.get("created") or 0)
    credit_key = f"{refund_id}:credit_note"
    credit = CreditNote(
        stripe_id=refund_id,
        charge_id=charge_id,
        currency=currency,
        amount=amount,
        created=created,
        reason=text(refund.get("reason")),
    )
    records = [
        PlannedRecord(
            key=credit_key,
            operation="post_credit_note",
            stripe_id=refund_id,
            source=to_source(credit) | extra,
            depends_on=depends_on,
        )
    ]
    if status in REVERSED_STATUSES:
        # Book the credit and its reversal together: the pair nets to zero
        # whether or not the credit was posted before the failure was known.
        # The credit note lowered what the customer owes; the reversal raises
        # it again by the same amount: a negative adjustment (a debit note
        # where the ERP has no invoice to adjust, as for a voided credit note).
        reversal = Adjustment(
            stripe_id=f"{refund_id}:reversal",
            charge_id=charge_id,
            currency=currency,
            amount=-amount,
            created=created,
            reason=f"refund {refund_id} {status}: "
            + (text(refund.get("failure_reason")) or "reverses its credit note"),
        )
        records.append(
            PlannedRecord(
                key=f"{refund_id}:reversal",
                operation="post_adjustment",
                stripe_id=f"{refund_id}:reversal",
                source=to_source(reversal) | extra | {"reverses": refund_id},
                depends_on=(*depends_on, credit_key),
            )
        )
    return tuple(records)


def plan_refund_event(ctx: WorkflowContext, event: dict[str, Any]) -> Plan:
    """refund.created / refund.updated / refund.failed / charge.refund.updated."""
    refund = event_object(event)
    if not text(refund.get("id")):
        raise PlanningError("the refund has no id")
    status = text(refund.get("status")) or "succeeded"
    if status not in BOOKED_STATUSES | REVERSED_STATUSES:
        return Plan(ignored_reason=f"refund is {status}; booked once it settles")
    charge_id = stripe_id_of(refund.get("charge"))
    charge = refund.get("charge") if isinstance(refund.get("charge"), dict) else None
    planned, keys, extra = charge_dependency(ctx, charge_id, charge)
    return Plan(
        records=(
            *planned,
            *refund_records(refund, depends_on=keys, extra=extra),
            *refund_fx_records(ctx, refund, extra),
        )
    )


def plan_charge_refunded(ctx: WorkflowContext, event: dict[str, Any]) -> Plan:
    """charge.refunded: one credit note per refund of the charge.

    Since API 2022-11-15 `charge.refunds` is not included; the refunds are
    then listed from Stripe. Refunds booked earlier are found by key.
    """
    charge = event_object(event)
    charge_id = text(charge.get("id"))
    previous = previous_attributes(event).get("amount_refunded")
    if isinstance(previous, int) and previous >= int(
        charge.get("amount_refunded") or 0
    ):
        return Plan(ignored_reason="no new refunded amount")
    refunds = _refunds_of(ctx, charge)
    if not refunds:
        raise PlanningError(f"charge {charge_id} is refunded but lists no refunds")
    planned, keys, extra = charge_dependency(ctx, charge_id, charge)
    records = list(planned)
    for refund in refunds:
        records.extend(refund_records(refund, depends_on=keys, extra=extra))
        records.extend(refund_fx_records(ctx, refund, extra))
    return Plan(records=tuple(records))


def _refunds_of(ctx: WorkflowContext, charge: dict[str, Any]) -> list[dict[str, Any]]:
    embedded = charge.get("refunds")
    if isinstance(embedded, dict) and embedded.get("data"):
        if not embedded.get("has_more"):
            return list(embedded["data"])
    elif not int(charge.get("amount_refunded") or 0):
        return []
    # The first page of the charge's refunds; any beyond it arrive as their
    # own refund.created events, which plan the same keys.
    fetched = stripe_client(ctx).retrieve_charge(
        text(charge.get("id")), expand=["refunds"]
    )
    return list((fetched.get("refunds") or {}).get("data") or [])
