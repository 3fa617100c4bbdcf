"""The ledger's hand-written SQL: only what the ORM cannot say, or says at a
cost the hot path cannot pay.

Three statements, each for a reason given at its function. Table and column
names come from the models; every value is a parameter, converted as the
ORM converts it.
"""

from datetime import datetime
from typing import Any

from integrations.models import Integration, SyncAttempt, SyncRecord

Status = SyncRecord.Status


def records_insert_skipping_conflicts(
    records: list[SyncRecord], fields: list, connection: Any
) -> list[SyncRecord]:
    """Insert in one statement; return the records inserted here, pks set.

    ON CONFLICT on the idempotency key skips a record a concurrent planner
    inserted (waiting for its transaction, as the unique index always makes
    an insert do) instead of failing the statement, so no savepoint is needed
    to recover from it; RETURNING names the records inserted here. The ORM
    cannot say both: bulk_create(ignore_conflicts=True) returns no keys, so it
    cannot tell our rows from the other planner's.
    """
    opts = SyncRecord._meta
    name = connection.ops.quote_name
    row = f"({', '.join(['%s'] * len(fields))})"
    key = name(opts.get_field("idempotency_key").column)
    sql = (
        f"INSERT INTO {name(opts.db_table)} "  # noqa: S608
        f"({', '.join(name(f.column) for f in fields)}) "
        f"VALUES {', '.join([row] * len(records))} "
        f"ON CONFLICT ({key}) DO NOTHING RETURNING {name(opts.pk.column)}, {key}"
    )
    params = [
        f.get_db_prep_save(f.pre_save(record, add=True), connection)
        for record in records
        for f in fields
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        inserted = {key: pk for pk, key in cursor.fetchall()}
    created = []
    for record in records:
        pk = inserted.get(record.idempotency_key)
        if pk is not None:
            record.pk = pk
            record._state.adding = False
            record._state.db = connection.alias
            created.append(record)
    return created


def success_write_returning_dependents(
    *,
    record: SyncRecord,
    worker: str,
    outcome: dict[str, Any],
    attempt: dict[str, Any],
    connection: Any,
) -> list[int] | None:
    """PostgreSQL: write a success and its attempt if the lease is still ours;
    return the pending records that wait on it, or None if the lease was lost.

    One statement (an UPDATE ... RETURNING feeding the INSERT, whose RETURNING
    finds the dependents) in place of BEGIN, UPDATE, INSERT, COMMIT and a
    SELECT: it runs once per record, and tests/integrations/
    test_ledger_queries.py pins the round trips. The ORM has no data-modifying
    CTE, so it cannot write this.
    """
    name = connection.ops.quote_name
    records = name(SyncRecord._meta.db_table)
    links = name(SyncRecord.depends_on.through._meta.db_table)
    sets, set_params = _update_assignments(SyncRecord, outcome, connection)
    columns, values, value_params = _insert_select_values(
        SyncAttempt, attempt, connection
    )
    # The lone NULL row says the outcome was written; the others are the
    # pending dependents (as they were when the statement started).
    sql = (
        f"WITH done AS (UPDATE {records} "  # noqa: S608
        f"SET {sets} WHERE id = %s AND status = %s AND lease_owner = %s "
        "RETURNING id), "
        f"logged AS (INSERT INTO {name(SyncAttempt._meta.db_table)} "
        f"(record_id, {columns}) SELECT id, {values} FROM done RETURNING record_id) "
        "SELECT NULL FROM logged UNION ALL "
        f"SELECT l.from_syncrecord_id FROM logged JOIN {links} l "
        "ON l.to_syncrecord_id = logged.record_id "
        f"JOIN {records} r ON r.id = l.from_syncrecord_id WHERE r.status = %s"
    )
    params = [
        *set_params,
        record.pk,
        Status.RUNNING,
        worker,
        *value_params,
        Status.PENDING,
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if not rows:
        return None
    return sorted(pk for (pk,) in rows if pk is not None)


def _update_assignments(model: Any, values: dict[str, Any], connection: Any):
    """`col = %s, ...` and its parameters, prepared as the ORM's UPDATE does."""
    name = connection.ops.quote_name
    sets, params = [], []
    for field_name, value in values.items():
        field = model._meta.get_field(field_name)
        sets.append(f"{name(field.column)} = %s")
        params.append(field.get_db_prep_save(value, connection=connection))
    return ", ".join(sets), params


def _insert_select_values(model: Any, values: dict[str, Any], connection: Any):
    """Columns, typed placeholders and parameters for an INSERT ... SELECT.

    Typed, because PostgreSQL reads an untyped literal in a SELECT list as
    text, which a jsonb or timestamp column refuses.
    """
    name = connection.ops.quote_name
    columns, placeholders, params = [], [], []
    for field_name, value in values.items():
        field = model._meta.get_field(field_name)
        columns.append(name(field.column))
        placeholders.append(f"CAST(%s AS {field.cast_db_type(connection)})")
        params.append(field.get_db_prep_save(value, connection=connection))
    return ", ".join(columns), ", ".join(placeholders), params


def record_claim(
    *,
    record_id: int,
    worker: str,
    now: datetime,
    lease_expires_at: datetime,
    unchanged_since: datetime | None,
    unsent: bool,
    connection: Any,
) -> bool:
    """The claim's conditional UPDATE (running.sync_record_claim says what it
    checks and sets); True if this caller took the lease.

    Every record of every charge is claimed once per attempt, and building
    this statement through the ORM (its EXISTS with an outer reference, the
    Q objects and F expression resolved and compiled anew on every call) cost
    the worker several times what running it does. The statement is the one
    the ORM wrote, with its shape fixed: every condition is on the record's
    own row, the pause an EXISTS rather than a join, so the database re-checks
    them all on the row it locks.
    """
    name = connection.ops.quote_name
    records = name(SyncRecord._meta.db_table)
    integrations = name(Integration._meta.db_table)

    def column(field_name: str) -> str:
        return name(SyncRecord._meta.get_field(field_name).column)

    def value(field_name: str, raw: Any) -> Any:
        field = SyncRecord._meta.get_field(field_name)
        return field.get_db_prep_save(raw, connection=connection)

    status, attempts = column("status"), column("attempts")
    sets = [
        f"{status} = %s",
        f"{column('erp_send_started')} = %s",
        f"{column('lease_owner')} = %s",
        f"{column('lease_expires_at')} = %s",
        f"{attempts} = {attempts} + 1",
        f"{column('updated_at')} = %s",
    ]
    params: list[Any] = [
        value("status", Status.RUNNING),
        value("erp_send_started", True),
        value("lease_owner", worker),
        value("lease_expires_at", lease_expires_at),
        value("updated_at", now),
    ]
    due = column("next_attempt_at")
    conditions = [
        f"{records}.{name('id')} = %s",
        f"{status} IN (%s, %s)",
        f"({due} IS NULL OR {due} <= %s)",
        f"EXISTS (SELECT 1 FROM {integrations} i WHERE i.{name('id')} = "  # noqa: S608
        f"{records}.{column('integration')} AND i."
        f"{name(Integration._meta.get_field('queue_paused_reason').column)} = %s)",
    ]
    params += [
        record_id,
        value("status", Status.PENDING),
        value("status", Status.RETRYING),
        value("next_attempt_at", now),
        "",
    ]
    if unchanged_since is not None:
        conditions.append(f"{column('updated_at')} = %s")
        params.append(value("updated_at", unchanged_since))
    if unsent:
        conditions.append(f"{column('erp_send_started')} = %s")
        params.append(value("erp_send_started", False))
    sql = (
        f"UPDATE {records} SET {', '.join(sets)} "  # noqa: S608
        f"WHERE {' AND '.join(conditions)}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount == 1
