"""What each kind of ledger operation is: its mapping entity, what it hands to
the records that wait for it, and the columns the anomaly checks read.

These facts sit in the integrations core so that mapping (which builds and
checks payloads) and the pipeline (which plans and runs records) share them
without importing each other.
"""

from typing import Any

from .models import SyncRecord

# The mapping entity each ledger operation's payload is built as.
OPERATION_ENTITY = {
    SyncRecord.Operation.UPSERT_CUSTOMER: "customer",
    SyncRecord.Operation.CREATE_SALES_ORDER: "sales_order",
    SyncRecord.Operation.POST_PAYMENT: "payment",
    SyncRecord.Operation.POST_CREDIT_NOTE: "credit_note",
    SyncRecord.Operation.POST_ADJUSTMENT: "adjustment",
    SyncRecord.Operation.CREATE_INVOICE: "invoice",
    SyncRecord.Operation.POST_JOURNAL: "journal",
}

# Writes that set values rather than create a document: sending one again
# after a lost reply writes the same values (the subscription workflow never
# lets an older state run after a newer one), so it is retried, not settled by
# a person.
REPEATABLE_OPERATIONS = frozenset({SyncRecord.Operation.UPDATE_SUBSCRIPTION})

# What a succeeded dependency contributes to the source of its dependents.
DEPENDENCY_OUTPUTS = {
    SyncRecord.Operation.UPSERT_CUSTOMER: "customer_code",
    SyncRecord.Operation.CREATE_SALES_ORDER: "order_number",
    SyncRecord.Operation.CREATE_INVOICE: "invoice_number",
}


def entity_operations(entity: str) -> list[str]:
    """The operations whose payload is built as `entity`."""
    return [str(op) for op, of in OPERATION_ENTITY.items() if of == entity]


def source_resolved(
    record: SyncRecord, dependencies: list[SyncRecord] | None = None
) -> dict[str, Any]:
    """A record's canonical source as it is mapped at run time: what its
    succeeded dependencies produced added, and the integration's options.

    `dependencies`: the records it depends on, when the caller has them.
    """
    if dependencies is None:
        dependencies = list(record.depends_on.all())
    source = dict(record.source or {})
    for dependency in dependencies:
        key = DEPENDENCY_OUTPUTS.get(dependency.operation)
        if key and not source.get(key):
            source[key] = dependency.erp_reference
    source["options"] = record.integration.options
    return source


def history_columns(source: dict[str, Any], *, customer: str) -> dict[str, Any]:
    """customer_key, amount and currency of a record, for the anomaly checks.

    The customer is the Stripe customer of the upsert_customer record it
    depends on, else the ERP customer code its source names.
    """
    code = str(source.get("customer_code") or "")
    amount = source.get("amount")
    customer_key = ""
    if customer or code:
        customer_key = f"stripe:{customer}" if customer else f"erp:{code}"
    return {
        "customer_key": customer_key,
        "amount": amount
        if isinstance(amount, int) and not isinstance(amount, bool)
        else None,
        "currency": str(source.get("currency") or "")[:3],
    }
