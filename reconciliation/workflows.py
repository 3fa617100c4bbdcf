"""Payout events → GL journals in the sync ledger.

`payout.paid` and `payout.reconciliation_completed` fetch and store the
payout's balance transactions and plan one journal record keyed by the payout
id; whichever event comes second plans nothing new. `payout.failed` after a
journal plans its reversal, which waits for the journal itself.
"""

from typing import Any

from integrations.connectors.errors import ValidationError
from integrations.models import Integration, SyncRecord
from integrations.workflows import Plan, WorkflowContext, routes_extend
from portal.money import to_decimal

from . import services


def plan_payout_paid(ctx: WorkflowContext, event: dict[str, Any]) -> Plan:
    payout_obj = event["data"]["object"]
    if (
        payout_obj.get("automatic", True)
        and payout_obj.get("reconciliation_status") == "in_progress"
    ):
        # Stripe's transaction list is incomplete until reconciliation
        # completes; payout.reconciliation_completed plans the journal then.
        return Plan(
            ignored_reason="payout transactions still being reconciled by Stripe; "
            "waiting for payout.reconciliation_completed"
        )
    if ctx.stripe is None:
        return Plan(ignored_reason="no Stripe API available to fetch the payout")
    payout = services.payout_store(integration=ctx.integration, data=payout_obj)
    payout = services.payout_lines_fetch(payout=payout, stripe_api=ctx.stripe())
    return Plan(records=(services.payout_journal_prepare(payout=payout),))


def plan_payout_failed(ctx: WorkflowContext, event: dict[str, Any]) -> Plan:
    payout_obj = event["data"]["object"]
    payout = services.payout_store(integration=ctx.integration, data=payout_obj)
    planned = services.payout_reversal_prepare(payout=payout)
    if planned is None:
        return Plan(ignored_reason="payout failed before a journal was planned for it")
    return Plan(records=(planned,))


def execute_post_journal(ctx: Any) -> Any:
    """Refuse an unbalanced journal with its difference; else post it.

    An edited payload is checked on its own lines, so finance staff can fix
    an out-of-balance journal in the ledger and retry it.
    """
    record = ctx.record
    source = record.source or {}
    currency = str(source.get("currency") or "USD").upper()
    edited = record.payload_edited and record.payload is not None
    # Map first, so a refused journal keeps a payload staff can correct.
    payload = ctx.payload("journal")
    if edited:
        off = services.journal_payload_difference(
            erp=ctx.integration.erp_kind, payload=payload
        )
        if off:
            raise ValidationError(
                f"Edited journal does not balance: the lines are off by {off} "
                f"{currency}; not posted.",
                {"difference": str(off)},
            )
    else:
        difference = sum(int(line["amount"]) for line in source.get("lines") or [])
        if difference:
            raise ValidationError(
                f"Journal {record.stripe_id} does not balance: the lines are off by "
                f"{to_decimal(difference, currency)} {currency} (debits minus "
                "credits); not posted. Check the payout's balance transactions.",
                {"difference_minor": difference},
            )
    return ctx.connector.post_journal(payload, reference=record.stripe_id)


def register() -> None:
    """Route the payout events to this app (called from AppConfig.ready)."""
    routes_extend(
        flow=Integration.Flow.PAYOUTS,
        planners={
            "payout.paid": plan_payout_paid,
            "payout.reconciliation_completed": plan_payout_paid,
            "payout.failed": plan_payout_failed,
        },
        executors={SyncRecord.Operation.POST_JOURNAL: execute_post_journal},
    )
