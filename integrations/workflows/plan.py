"""What a workflow plans: ledger records keyed for idempotency, with the keys
of the records each one waits for, and the context a planner runs in."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

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
    integration: Integration
    event: WebhookEvent | None = None
    # Callable returning the Stripe API client for this integration, only
    # called by planners that must fetch (a refund whose charge is unknown).
    stripe: Callable[[], Any] | None = None
    extra: dict[str, Any] = field(default_factory=dict)


Planner = Callable[[WorkflowContext, dict[str, Any]], Plan]
