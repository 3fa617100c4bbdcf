"""Disputes: withdrawn funds debit the customer, reinstated funds credit back.

Each phase is one AR adjustment keyed by dispute id and phase, so
charge.dispute.created, funds_withdrawn and closed (lost) all plan the same
withdrawal, and funds_reinstated and closed (won) the same reinstatement,
which always waits for the withdrawal it reverses. Every dispute raises an
alert for finance staff.
"""

from typing import Any

from integrations.audit import alert_raise
from integrations.canonical import Adjustment, to_source
from portal.money import money_format

from .charges import charge_dependency
from .common import (
    PlanningError,
    currency_of,
    event_object,
    minor,
    stripe_id_of,
    text,
)
from .currencies import fx_amount
from .plan import Plan, PlannedRecord, WorkflowContext

# Inquiries (status warning_*) move no money until they become disputes.
INQUIRY_PREFIX = "warning_"


def dispute_records(
    dispute: dict[str, Any],
    *,
    phases: tuple[str, ...],
    depends_on: tuple[str, ...],
    extra: dict[str, Any],
) -> tuple[PlannedRecord, ...]:
    dispute_id = text(dispute.get("id"))
    amount = minor(dispute.get("amount"))
    if amount <= 0:
        raise PlanningError(f"dispute {dispute_id} has no positive amount")
    currency = currency_of(dispute)
    fx = extra.get("fx") or {}
    if fx:
        # A dispute of a converted charge: at the charge's rate.
        amount, currency = fx_amount(amount, fx), fx["currency"]
    records = []
    for phase in phases:
        signed = -amount if phase == "withdrawn" else amount
        adjustment = Adjustment(
            stripe_id=f"{dispute_id}:{phase}",
            charge_id=stripe_id_of(dispute.get("charge")),
            currency=currency,
            amount=signed,
            created=int(dispute.get("created") or 0),
            reason=f"dispute {phase} ({text(dispute.get('reason')) or 'unspecified'})",
        )
        waits = depends_on
        if phase == "reinstated":
            waits = (*depends_on, f"{dispute_id}:withdrawn")
        records.append(
            PlannedRecord(
                key=f"{dispute_id}:{phase}",
                operation="post_adjustment",
                stripe_id=f"{dispute_id}:{phase}",
                source=to_source(adjustment) | extra,
                depends_on=waits,
            )
        )
    return tuple(records)


def _phases(event_type: str, status: str) -> tuple[str, ...]:
    if status.startswith(INQUIRY_PREFIX):
        return ()
    if event_type in ("charge.dispute.created", "charge.dispute.funds_withdrawn"):
        return ("withdrawn",)
    if event_type == "charge.dispute.funds_reinstated":
        return ("withdrawn", "reinstated")
    if event_type == "charge.dispute.closed":
        if status == "won":
            return ("withdrawn", "reinstated")
        if status == "lost":
            return ("withdrawn",)
    return ()


def plan_dispute_event(ctx: WorkflowContext, event: dict[str, Any]) -> Plan:
    dispute = event_object(event)
    dispute_id = text(dispute.get("id"))
    if not dispute_id:
        raise PlanningError("the dispute has no id")
    event_type = event.get("type", "")
    status = text(dispute.get("status"))
    _alert(ctx, dispute, event_type, status)
    phases = _phases(event_type, status)
    if not phases:
        return Plan()
    charge_id = stripe_id_of(dispute.get("charge"))
    charge = dispute.get("charge") if isinstance(dispute.get("charge"), dict) else None
    planned, keys, extra = charge_dependency(ctx, charge_id, charge)
    return Plan(
        records=(
            *planned,
            *dispute_records(dispute, phases=phases, depends_on=keys, extra=extra),
        )
    )


def _alert(
    ctx: WorkflowContext, dispute: dict[str, Any], event_type: str, status: str
) -> None:
    dispute_id = text(dispute.get("id"))
    amount = dispute.get("amount")
    currency = currency_of(dispute)
    money = (
        money_format(amount, currency)
        if isinstance(amount, int) and not isinstance(amount, bool) and currency
        else "an unknown amount"
    )
    charge_id = stripe_id_of(dispute.get("charge"))
    if event_type == "charge.dispute.closed":
        alert_raise(
            integration=ctx.integration,
            level="info",
            code="dispute_closed",
            message=f"Dispute {dispute_id} on {charge_id} closed: {status}.",
            dedupe_key=f"dispute:{ctx.integration.pk}:{dispute_id}:closed",
        )
        return
    alert_raise(
        integration=ctx.integration,
        level="warning",
        code="dispute",
        message=f"Dispute {dispute_id} on charge {charge_id} for {money}: "
        f"{text(dispute.get('reason')) or 'no reason given'}; respond in Stripe.",
        dedupe_key=f"dispute:{ctx.integration.pk}:{dispute_id}",
    )
