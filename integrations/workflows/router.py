"""The router: one explicit dict from Stripe event type to the planner that
handles it, the flow each event type belongs to (events of a switched-off flow
are recorded as ignored), and the executors of operations that need more than
"map the payload, call the connector method named like the operation".

Apps above the pipeline (reconciliation) add their own event types from their
`AppConfig.ready()` through `routes_extend`.
"""

import json
from collections.abc import Callable
from typing import Any

from integrations.models import Integration, SyncRecord, WebhookEvent
from integrations.operations import OPERATION_ENTITY, entity_operations, source_resolved

from . import (
    charges,
    credit_notes,
    customers,
    disputes,
    invoices,
    refunds,
    subscriptions,
)
from .plan import Planner, WorkflowContext

Flow = Integration.Flow

# Event type -> (the Integration.Flow that must be switched on, planner).
ROUTES: dict[str, tuple[str, Planner]] = {
    "charge.succeeded": (Flow.CHARGES, charges.plan_charge_succeeded),
    "charge.captured": (Flow.CHARGES, charges.plan_charge_succeeded),
    "charge.failed": (Flow.CHARGES, charges.plan_charge_failed),
    "payment_intent.succeeded": (Flow.CHARGES, charges.plan_payment_intent_succeeded),
    "payment_intent.payment_failed": (
        Flow.CHARGES,
        charges.plan_payment_intent_failed,
    ),
    "charge.refunded": (Flow.REFUNDS, refunds.plan_charge_refunded),
    "refund.created": (Flow.REFUNDS, refunds.plan_refund_event),
    "refund.updated": (Flow.REFUNDS, refunds.plan_refund_event),
    "refund.failed": (Flow.REFUNDS, refunds.plan_refund_event),
    "charge.refund.updated": (Flow.REFUNDS, refunds.plan_refund_event),
    "charge.dispute.created": (Flow.DISPUTES, disputes.plan_dispute_event),
    "charge.dispute.funds_withdrawn": (Flow.DISPUTES, disputes.plan_dispute_event),
    "charge.dispute.funds_reinstated": (Flow.DISPUTES, disputes.plan_dispute_event),
    "charge.dispute.closed": (Flow.DISPUTES, disputes.plan_dispute_event),
    "customer.created": (Flow.CUSTOMERS, customers.plan_customer_event),
    "customer.updated": (Flow.CUSTOMERS, customers.plan_customer_event),
    "customer.deleted": (Flow.CUSTOMERS, customers.plan_customer_event),
    "invoice.paid": (Flow.INVOICES, invoices.plan_invoice_paid),
    "invoice.finalized": (Flow.INVOICES, invoices.plan_invoice_finalized),
    "invoice.voided": (Flow.INVOICES, invoices.plan_invoice_voided),
    "invoice.marked_uncollectible": (
        Flow.INVOICES,
        invoices.plan_invoice_marked_uncollectible,
    ),
    "credit_note.created": (Flow.INVOICES, credit_notes.plan_credit_note_created),
    "credit_note.voided": (Flow.INVOICES, credit_notes.plan_credit_note_voided),
    "customer.subscription.created": (
        Flow.INVOICES,
        subscriptions.plan_subscription_event,
    ),
    "customer.subscription.updated": (
        Flow.INVOICES,
        subscriptions.plan_subscription_event,
    ),
    "customer.subscription.deleted": (
        Flow.INVOICES,
        subscriptions.plan_subscription_event,
    ),
    # A pause (collection paused) and its resume change only the status.
    "customer.subscription.paused": (
        Flow.INVOICES,
        subscriptions.plan_subscription_event,
    ),
    "customer.subscription.resumed": (
        Flow.INVOICES,
        subscriptions.plan_subscription_event,
    ),
}
# The two halves of ROUTES, as the router and the backfill read them.
WORKFLOWS: dict[str, Planner] = {t: planner for t, (_, planner) in ROUTES.items()}
EVENT_FLOWS: dict[str, str] = {t: flow for t, (flow, _) in ROUTES.items()}

# Operation -> executor(ctx: the ledger's run context) -> ErpDocument.
EXECUTORS: dict[str, Callable[[Any], Any]] = {
    SyncRecord.Operation.UPSERT_CUSTOMER: customers.upsert_customer_execute,
    SyncRecord.Operation.POST_PAYMENT: charges.post_payment_execute,
    SyncRecord.Operation.UPDATE_SUBSCRIPTION: (
        subscriptions.update_subscription_execute
    ),
}


def routes_extend(
    *,
    flow: str,
    planners: dict[str, Planner],
    executors: dict[str, Callable[[Any], Any]] | None = None,
) -> None:
    """Route more event types (and operations) to an app above the pipeline."""
    for event_type, planner in planners.items():
        ROUTES[event_type] = (flow, planner)
        WORKFLOWS[event_type] = planner
        EVENT_FLOWS[event_type] = flow
    EXECUTORS.update(executors or {})


def event_sources(*, event: WebhookEvent, entity: str) -> list[dict]:
    """Canonical sources an event produced (or would produce) for an entity,
    for previewing a mapping on a real event."""
    records = SyncRecord.objects.filter(
        event=event, operation__in=entity_operations(entity)
    ).select_related("integration")
    found = [source_resolved(record) for record in records]
    if found:
        return found
    planner = WORKFLOWS.get(event.type)
    if planner is None:
        return []
    plan = planner(
        WorkflowContext(integration=event.integration, event=event),
        json.loads(event.body),
    )
    return [
        {**planned.source, "options": event.integration.options}
        for planned in plan.records
        if OPERATION_ENTITY.get(planned.operation) == entity
    ]
