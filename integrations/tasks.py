"""django-q2 tasks: take primary keys, load, call a service."""

from . import events, ledger


def process_event(event_pk: int) -> None:
    events.webhook_event_process(event_id=event_pk)


def run_sync_record(record_pk: int) -> None:
    ledger.sync_record_run(record_id=record_pk)


def sweep_ledger() -> dict[str, int]:
    return ledger.sync_records_sweep()
