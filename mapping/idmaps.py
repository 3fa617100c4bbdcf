"""Id maps: what the `lookup` transform resolves Stripe ids and ISO codes through.

Customers through the integration's CustomerLink rows (made when a customer
is booked or matched at go-live), invoices and charges through the ledger
records that booked them, currencies and countries through tables an admin
keeps in the integration's options (``options.id_maps.currency`` = ``{"EUR":
"2"}``) because those are the ERP's own records. Each answer is read once per
IdMaps, which lives for one payload.
"""

from typing import Any

from integrations.models import CustomerLink, SyncRecord

_INVOICE_OPS = (SyncRecord.Operation.CREATE_INVOICE,)
_CHARGE_OPS = (
    SyncRecord.Operation.CREATE_SALES_ORDER,
    SyncRecord.Operation.POST_PAYMENT,
)


class IdMaps:
    """The id maps of one integration, read lazily and remembered."""

    def __init__(self, *, integration: Any, options: dict | None = None) -> None:
        self.integration = integration
        tables = (options or {}).get("id_maps") or {}
        self._option_tables = tables if isinstance(tables, dict) else {}
        self._seen: dict[tuple[str, str], str | None] = {}

    def resolve(self, table: str, key: str) -> str | None:
        if (table, key) not in self._seen:
            self._seen[(table, key)] = self._read(table, key)
        return self._seen[(table, key)]

    def _read(self, table: str, key: str) -> str | None:
        if table == "customer":
            return self._customer(key)
        if table == "customer_of_charge":
            owner = (
                SyncRecord.objects.filter(integration=self.integration, stripe_id=key)
                .exclude(customer_key="")
                .values_list("customer_key", flat=True)
                .first()
            )
            if not owner:
                return None
            kind, _, value = owner.partition(":")
            return value if kind == "erp" else self._customer(value)
        if table in ("invoice", "charge"):
            operations = _INVOICE_OPS if table == "invoice" else _CHARGE_OPS
            return (
                SyncRecord.objects.filter(
                    integration=self.integration,
                    stripe_id=key,
                    operation__in=operations,
                )
                .exclude(erp_reference="")
                .order_by("pk")
                .values_list("erp_reference", flat=True)
                .first()
            )
        found = self._option_tables.get(table)
        if isinstance(found, dict):
            value = found.get(key, found.get(key.upper()))
            return None if value is None else str(value)
        return None

    def _customer(self, stripe_id: str) -> str | None:
        return (
            # The main account: a per-currency one is the workflows' choice.
            CustomerLink.objects.filter(
                integration=self.integration, stripe_customer_id=stripe_id, currency=""
            )
            .values_list("erp_customer_code", flat=True)
            .first()
        )
