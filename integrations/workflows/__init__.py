"""Event workflows: each event family plans the ERP operations it needs.

A planner takes the workflow context and the Stripe event (a dict, as
delivered) and returns a `Plan` (`plan.py`): ledger records keyed for
idempotency, with the keys of the records each one waits for. `router.py`
holds the dict from event type to planner. The names most callers need are
importable from here.
"""

from integrations.operations import OPERATION_ENTITY

from .plan import Plan, PlannedRecord, Planner, WorkflowContext
from .router import EVENT_FLOWS, EXECUTORS, ROUTES, WORKFLOWS, routes_extend

__all__ = [
    "EVENT_FLOWS",
    "EXECUTORS",
    "OPERATION_ENTITY",
    "ROUTES",
    "WORKFLOWS",
    "Plan",
    "PlannedRecord",
    "Planner",
    "WorkflowContext",
    "routes_extend",
]
