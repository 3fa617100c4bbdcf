"""The sync ledger: plan, claim, run and retry ERP operations exactly once.

One module per concern, from the bottom: sql (the statements the ORM cannot
say), cache (what a worker keeps between runs), queueing (offering records to
the task queue), context (what an executor gets), outcomes (writing what
became of a run), running (claim and run), planning (plan rows from a
workflow's Plan), sweep (what the schedule rescues), actions and
payload_changes (what finance staff do, settling unknown outcomes among
it), reversals (posting the ERP's reversing document of a succeeded
record). The names other modules use are imported here.
"""

from .actions import (
    ERP_REFERENCE_MAX_LENGTH,
    RETRYABLE_BY_HAND,
    SETTLE_PERMISSION,
    erp_reference_cleaned,
    integration_resume,
    sync_record_confirm_posted,
    sync_record_post_again,
    sync_record_release,
    sync_record_retry,
    sync_record_skip,
)
from .cache import RUN_RELATED, integration_for_run
from .context import RunContext, default_executor
from .outcomes import backoff_seconds
from .payload_changes import (
    APPROVE_PAYLOAD_PERMISSION,
    EDITABLE_BY_HAND,
    sync_record_edit_payload,
    sync_record_payload_change_approve,
    sync_record_payload_change_reject,
)
from .planning import sync_records_plan
from .queueing import enqueue_record, enqueue_record_after
from .reversals import (
    REVERSE_PERMISSION,
    sync_record_reversal_refusal,
    sync_record_reverse,
)
from .running import (
    HOLDABLE_OPERATIONS,
    PlannedRecords,
    sync_record_claim,
    sync_record_run,
    sync_records_run,
    worker_id,
)
from .sweep import sync_records_sweep

__all__ = [
    "APPROVE_PAYLOAD_PERMISSION",
    "EDITABLE_BY_HAND",
    "ERP_REFERENCE_MAX_LENGTH",
    "HOLDABLE_OPERATIONS",
    "RETRYABLE_BY_HAND",
    "REVERSE_PERMISSION",
    "SETTLE_PERMISSION",
    "RUN_RELATED",
    "PlannedRecords",
    "RunContext",
    "backoff_seconds",
    "default_executor",
    "enqueue_record",
    "enqueue_record_after",
    "erp_reference_cleaned",
    "integration_for_run",
    "integration_resume",
    "sync_record_claim",
    "sync_record_confirm_posted",
    "sync_record_edit_payload",
    "sync_record_payload_change_approve",
    "sync_record_payload_change_reject",
    "sync_record_post_again",
    "sync_record_release",
    "sync_record_retry",
    "sync_record_reversal_refusal",
    "sync_record_reverse",
    "sync_record_run",
    "sync_record_skip",
    "sync_records_plan",
    "sync_records_run",
    "sync_records_sweep",
    "worker_id",
]
