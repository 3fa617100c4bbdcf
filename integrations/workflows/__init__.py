"""Event workflows: each event family plans the ERP operations it needs.

A planner takes the workflow context and the Stripe event (a dict, as
delivered) and returns a `Plan`: ledger records keyed for idempotency, with
the keys of the records each one waits for. The router is a dict from event
type to planner; `EVENT_FLOWS` says which integration flow an event type
belongs to, so events of switched-off flows are recorded as ignored.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from integrations.models import Integration, WebhookEvent


@dataclass(frozen=True)
class PlannedRecord:
    key: str  # idempotency key within the integration, e.g. "ch_123:payment"
    operation: str  # a SyncRecord.Operation value
    stripe_id: str  # the Stripe id the ERP document is keyed by
    source: dict[str, Any]  # a canonical record (integrations.canonical) as a dict
    depends_on: tuple[str, ...] = ()  # keys of records that must succeed first


@dataclass(frozen=True)
class Plan:
    records: tuple[PlannedRecord, ...] = ()
    ignored_reason: str = ""


@dataclass(frozen=True)
class WorkflowContext:
    integration: "Integration"
    event: "WebhookEvent | None" = None
    # Callable returning the Stripe API client for this integration, only
    # called by planners that must fetch (a refund whose charge is unknown).
    stripe: Callable[[], Any] | None = None
    extra: dict[str, Any] = field(default_factory=dict)


# The mapping entity each ledger operation's payload is built as.
OPERATION_ENTITY = {
    "upsert_customer": "customer",
    "create_sales_order": "sales_order",
    "post_payment": "payment",
    "post_credit_note": "credit_note",
    "post_adjustment": "adjustment",
    "create_invoice": "invoice",
    "post_journal": "journal",
}

Planner = Callable[[WorkflowContext, dict[str, Any]], Plan]

# Filled in by the workflow modules below: event type -> planner.
WORKFLOWS: dict[str, Planner] = {}
# Event type -> Integration.Flow value that must be switched on.
EVENT_FLOWS: dict[str, str] = {}
# Operation -> executor(ctx: integrations.ledger.RunContext) -> ErpDocument for
# operations that need more than "map the payload, call the connector method
# named like the operation" (the ledger's default executor).
EXECUTORS: dict[str, Callable[[Any], Any]] = {}

# Each family registers its planners (and executors) on import; importing the
# package is enough for the router to be complete.
from . import charges, customers, disputes, invoices, refunds  # noqa: E402,F401
