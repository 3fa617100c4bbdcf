"""The small protocol every ERP connector implements.

Write methods are exactly-once by contract: each takes the Stripe `reference`
the document is keyed by, looks that reference up in the ERP first and adopts
what it finds (returning `adopted=True`); only when nothing is found does it
create. `upsert_customer(looked_up=True)` skips its lookup when the caller has
just found neither the code nor the email; a create that meets an existing
customer still adopts it. `upsert_customer(create_only=True)` creates without
a lookup and adopts nothing: a code the ERP already holds (anybody's) raises
DuplicateError, and the caller decides whose it is.

`never_sent=True` says the ledger has proved that no earlier attempt of this
record can have reached the ERP (its first claim: the record's
erp_send_started marker was unset), so nothing carries the reference yet and
the lookup before the write may be skipped; a write the ERP refuses as a
duplicate is still looked up and adopted. Everything else (retries, rescues
after a dead worker, staff retries, calls from outside the ledger) passes
False and looks up first.

Inputs are the mapped payload dicts (the ERP's own field names, produced by
mapping/ from admin-configured mappings); answers are canonical records
(records.py), never vendor dicts.
"""

from collections.abc import Mapping
from typing import Protocol

from integrations.canonical import SubscriptionState

from .records import ErpCustomer, ErpDocument, ErpOrder, ErpPrice, ErpStock


class ErpConnector(Protocol):
    kind: str

    def upsert_customer(
        self,
        payload: dict,
        *,
        reference: str,
        looked_up: bool = False,
        create_only: bool = False,
    ) -> ErpDocument: ...

    def find_customer(
        self, *, code: str = "", email: str = ""
    ) -> ErpCustomer | None: ...

    def create_sales_order(
        self, payload: dict, *, reference: str, never_sent: bool = False
    ) -> ErpDocument: ...

    def post_payment(
        self, payload: dict, *, reference: str, never_sent: bool = False
    ) -> ErpDocument: ...

    def post_credit_note(
        self, payload: dict, *, reference: str, never_sent: bool = False
    ) -> ErpDocument: ...

    def post_adjustment(
        self, payload: dict, *, reference: str, never_sent: bool = False
    ) -> ErpDocument: ...

    def create_invoice(
        self, payload: dict, *, reference: str, never_sent: bool = False
    ) -> ErpDocument: ...

    def post_journal(
        self, payload: dict, *, reference: str, never_sent: bool = False
    ) -> ErpDocument: ...

    def customer_subscription_write(
        self,
        state: SubscriptionState,
        *,
        customer_code: str,
        fields: Mapping[str, str],
    ) -> ErpDocument:
        """Write a subscription's state onto the ERP customer's subscription
        fields (`fields`: the integration's names for them over the package's
        defaults). Setting values is repeatable: no lookup is needed."""
        ...

    def customer_prices(self, customer_code: str) -> list[ErpPrice]: ...

    def customer_orders(self, customer_code: str) -> list[ErpOrder]: ...

    def stock(self, stock_code: str) -> ErpStock: ...

    def close(self) -> None: ...
