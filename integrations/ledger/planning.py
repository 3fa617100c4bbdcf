"""Planning: turning a workflow's Plan into SyncRecord rows, once.

A replay (a duplicate delivery, a re-processed event) finds the rows by their
idempotency keys and creates nothing; the rows created here are run as soon
as the planning transaction commits.
"""

from django.db import IntegrityError, connections, router, transaction

from integrations.models import Integration, SyncRecord, WebhookEvent
from integrations.operations import history_columns
from integrations.workflows import Plan, PlannedRecord
from portal.exceptions import ApplicationError

from . import sql
from .running import PlannedRecords, sync_records_run

# One INSERT with more parameters than this would pass the limit of older
# SQLite builds (999): bulk_create, which splits it into batches, takes over.
_MAX_INSERT_PARAMETERS = 900


def sync_records_plan(
    *, integration: Integration, event: WebhookEvent | None, plan: Plan
) -> list[SyncRecord]:
    """Create the plan's records once; replays find them and create nothing.

    One insert adds what does not exist yet (skipping the keys that do), one
    more links the dependencies; the rows that were there already (a replay,
    a customer planned by an earlier charge, another worker's) are read only
    when there are any.
    """
    prefix = f"{integration.pk}:"
    planned_by_key = {planned.key: planned for planned in plan.records}
    # Inside a caller's transaction (the event's), part of it: no savepoint;
    # a failure here fails the caller's transaction as a whole.
    with transaction.atomic(savepoint=False):
        new = [
            _record_for(integration, event, planned, planned_by_key)
            for planned in plan.records
        ]
        created = _records_insert(new)
        by_key = _existing(integration, plan) if len(created) < len(new) else {}
        by_key.update(
            {record.idempotency_key.removeprefix(prefix): record for record in created}
        )
        created_here: PlannedRecords = {
            record.pk: (
                record,
                _resolve_keys(
                    integration,
                    planned_by_key[
                        record.idempotency_key.removeprefix(prefix)
                    ].depends_on,
                    by_key,
                ),
            )
            for record in created
        }
        Link = SyncRecord.depends_on.through
        Link.objects.bulk_create(
            [
                Link(from_syncrecord_id=pk, to_syncrecord_id=dependency.pk)
                for pk, (_, dependencies) in created_here.items()
                for dependency in dependencies
            ]
        )
        if created:
            pks = [record.pk for record in created]
            # robust: a failure here must not undo the planning that committed;
            # whatever did not run is offered again by the sweep. The rows just
            # written go along, so the run need not read them back.
            transaction.on_commit(
                lambda: sync_records_run(
                    pks, planned=created_here, integration=integration
                ),
                robust=True,
            )
    return [by_key[planned.key] for planned in plan.records]


def _records_insert(records: list[SyncRecord]) -> list[SyncRecord]:
    """Insert in one statement; return the records created here, in order.

    If a concurrent planner (a duplicate delivery processed at the same
    moment) inserted some first, the ones already there are left to it.
    """
    if not records:
        return []
    connection = connections[router.db_for_write(SyncRecord)]
    opts = SyncRecord._meta
    fields = [f for f in opts.concrete_fields if not f.primary_key]
    if (
        connection.features.can_return_rows_from_bulk_insert
        and connection.features.supports_update_conflicts_with_target
        and len(fields) * len(records) <= _MAX_INSERT_PARAMETERS
    ):
        return sql.records_insert_skipping_conflicts(records, fields, connection)
    try:
        with transaction.atomic():
            return SyncRecord.objects.bulk_create(records)
    except IntegrityError:
        pass
    created = []
    for record in records:
        try:
            with transaction.atomic():
                record.save(force_insert=True)
        except IntegrityError:
            continue
        created.append(record)
    return created


def _existing(integration: Integration, plan: Plan) -> dict[str, SyncRecord]:
    prefix = f"{integration.pk}:"
    keys = [prefix + planned.key for planned in plan.records]
    return {
        record.idempotency_key.removeprefix(prefix): record
        for record in SyncRecord.objects.filter(idempotency_key__in=keys).order_by()
    }


def _record_for(
    integration: Integration,
    event: WebhookEvent | None,
    planned: PlannedRecord,
    in_plan: dict[str, PlannedRecord],
) -> SyncRecord:
    return SyncRecord(
        idempotency_key=f"{integration.pk}:{planned.key}",
        integration=integration,
        event=event,
        operation=planned.operation,
        stripe_id=planned.stripe_id,
        source=planned.source,
        **history_columns(
            planned.source,
            customer=_planned_customer(integration, planned, in_plan),
        ),
    )


def _planned_customer(
    integration: Integration, planned: PlannedRecord, in_plan: dict[str, PlannedRecord]
) -> str:
    """The Stripe customer id of the upsert_customer record `planned` waits on."""
    outside = []
    for key in planned.depends_on:
        dependency = in_plan.get(key)
        if dependency is None:
            outside.append(f"{integration.pk}:{key}")
        elif dependency.operation == "upsert_customer":
            return dependency.stripe_id
    if not outside:
        return ""
    found = SyncRecord.objects.filter(
        idempotency_key__in=outside, operation="upsert_customer"
    ).values_list("stripe_id", flat=True)
    return next(iter(found), "")


def _resolve_keys(
    integration: Integration, keys: tuple[str, ...], by_key: dict[str, SyncRecord]
) -> list[SyncRecord]:
    found = [by_key[key] for key in keys if key in by_key]
    missing = [f"{integration.pk}:{key}" for key in keys if key not in by_key]
    if missing:
        found += SyncRecord.objects.filter(idempotency_key__in=missing)
    if len(found) != len(keys):
        raise ApplicationError(
            "A planned record depends on a record that was never planned",
            {"keys": list(keys)},
        )
    return found
