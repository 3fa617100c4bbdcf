"""Workflow test harness: a fake ERP per ERP kind, a fake Stripe, event delivery.

Events go through the real path: stored with `webhook_event_store`, planned
by `process_event`, run by the ledger (django-q2 runs tasks inline); only the
ERP (tests.support.fake_erp) and the Stripe API (FakeStripe) are fakes.
"""

import copy
import importlib
import json
import sys
import types
from typing import Any

import pytest

from integrations import ledger
from integrations.connectors.errors import NotFoundError, TransientError
from integrations.intake import webhook_event_store
from integrations.models import Connection, SyncRecord, WebhookEvent
from tests.factories import IntegrationFactory
from tests.support.fake_erp import FakeErp

ERP_URLS = {
    "syspro": "http://testserver/sandbox/syspro/SYSPROWCFService/Rest",
    "sagepro": "http://127.0.0.1:8765/api/v1",
}


class FakeStripe:
    """The slice of `StripeApi` the workflows call, over dicts in memory."""

    def __init__(self) -> None:
        self.charges: dict[str, dict] = {}
        self.customers: dict[str, dict] = {}
        self.invoices: dict[str, dict] = {}
        self.payment_intents: dict[str, dict] = {}
        self.invoice_payments: list[dict] = []
        self.refunds: dict[str, dict] = {}
        self.calls: list[tuple[str, str]] = []
        self.down = False  # every call fails as Stripe being unreachable would

    def _call(self, name: str, key: str) -> None:
        self.calls.append((name, key))
        if self.down:
            raise TransientError("Stripe: connection refused")

    def retrieve_invoice(self, invoice_id: str) -> dict[str, Any]:
        self._call("retrieve_invoice", invoice_id)
        if invoice_id not in self.invoices:
            raise NotFoundError("No such invoice", value=invoice_id)
        return copy.deepcopy(self.invoices[invoice_id])

    def retrieve_payment_intent(self, payment_intent_id: str, *, expand=None) -> dict:
        self._call("retrieve_payment_intent", payment_intent_id)
        if payment_intent_id not in self.payment_intents:
            raise NotFoundError("No such payment_intent", value=payment_intent_id)
        return copy.deepcopy(self.payment_intents[payment_intent_id])

    def retrieve_refund(self, refund_id: str) -> dict[str, Any]:
        self._call("retrieve_refund", refund_id)
        if refund_id not in self.refunds:
            raise NotFoundError("No such refund", value=refund_id)
        return copy.deepcopy(self.refunds[refund_id])

    def list_invoice_payments(self, *, invoice=None, payment_intent=None):
        self._call("list_invoice_payments", invoice or payment_intent or "")
        for row in self.invoice_payments:
            if invoice and row["invoice"] != invoice:
                continue
            if payment_intent and row["payment"].get("payment_intent") != (
                payment_intent
            ):
                continue
            yield copy.deepcopy(row)

    def retrieve_charge(self, charge_id: str, *, expand=None) -> dict[str, Any]:
        self.calls.append(("retrieve_charge", charge_id))
        if charge_id not in self.charges:
            raise NotFoundError("No such charge", value=charge_id)
        return copy.deepcopy(self.charges[charge_id])

    def retrieve_customer(self, customer_id: str) -> dict[str, Any]:
        self.calls.append(("retrieve_customer", customer_id))
        if customer_id not in self.customers:
            raise NotFoundError("No such customer", value=customer_id)
        return copy.deepcopy(self.customers[customer_id])

    def update_customer_metadata(self, customer_id: str, metadata: dict) -> dict:
        self.calls.append(("update_customer_metadata", customer_id))
        row = self.customers.setdefault(customer_id, {"id": customer_id})
        row["metadata"] = {**(row.get("metadata") or {}), **metadata}
        return copy.deepcopy(row)


def _fallback_payload_build(*, integration, entity: str, source: dict):
    """Default templates through the mapping engine, until mapping.services lands."""
    from mapping.engine import compile_mapping
    from mapping.schemas import schema_for
    from mapping.templates import default_options, template_for

    erp = integration.erp_kind
    children = {
        child: compile_mapping(
            schema=schema_for(erp=erp, entity=child),
            fields=template_for(erp=erp, entity=child),
        )
        for child in ("order_line", "journal_line")
    }
    mapping = compile_mapping(
        schema=schema_for(erp=erp, entity=entity),
        fields=template_for(erp=erp, entity=entity),
        children=children,
    )
    options = {**default_options(erp=erp), **(source.get("options") or {})}
    return mapping.build({**source, "options": options}), None


@pytest.fixture(autouse=True)
def _mapping_available(monkeypatch):
    """Use mapping.services / mapping.anomalies when they exist, else stand-ins."""
    try:
        importlib.import_module("mapping.services").payload_build  # noqa: B018
    except (ImportError, AttributeError):
        module = types.ModuleType("mapping.services")
        module.payload_build = _fallback_payload_build
        monkeypatch.setitem(sys.modules, "mapping.services", module)
    try:
        importlib.import_module("mapping.anomalies").anomaly_check  # noqa: B018
    except (ImportError, AttributeError):
        module = types.ModuleType("mapping.anomalies")
        module.anomaly_check = lambda *, record, source: ""
        monkeypatch.setitem(sys.modules, "mapping.anomalies", module)


@pytest.fixture(params=["syspro", "sagepro"])
def erp_kind(request) -> str:
    return request.param


@pytest.fixture
def erp(erp_kind):
    fake = FakeErp(kind=erp_kind)
    with fake.installed():
        yield fake


@pytest.fixture
def stripe_api(monkeypatch) -> FakeStripe:
    fake = FakeStripe()
    monkeypatch.setattr(
        "integrations.connectors.stripe_api.stripe_api_for",
        lambda integration: lambda: fake,
    )
    return fake


def workflow_integration(kind: str):
    """An integration on the given ERP with every flow on and no anomaly holds.

    Holds are mapping's feature (tested there); here they would only hide
    what the workflows post.
    """
    integration = IntegrationFactory(
        erp_connection__kind=Connection.Kind(kind),
        erp_connection__base_url=ERP_URLS[kind],
    )
    try:
        from mapping.models import AnomalyPolicy
    except ImportError:
        return integration
    AnomalyPolicy.objects.update_or_create(
        integration=integration, defaults={"enabled": False}
    )
    return integration


@pytest.fixture
def wf_integration(db, erp_kind, erp, stripe_api):
    return workflow_integration(erp_kind)


class Harness:
    def __init__(self, integration, erp: FakeErp, stripe: FakeStripe, capture):
        self.integration = integration
        self.erp = erp
        self.stripe = stripe
        self._capture = capture

    def deliver(self, *events: dict) -> list[WebhookEvent]:
        """Store and process events as the webhook intake would, in order."""
        stored = []
        for data in events:
            with self._capture(execute=True):
                event, _ = webhook_event_store(
                    integration=self.integration,
                    data=data,
                    body=json.dumps(data),
                    source="webhook",
                )
            event.refresh_from_db()
            stored.append(event)
        return stored

    def run_open(self) -> None:
        """Run every open record once more (what the sweeper would enqueue)."""
        for pk in SyncRecord.objects.filter(
            integration=self.integration, status__in=["pending", "retrying"]
        ).values_list("pk", flat=True):
            SyncRecord.objects.filter(pk=pk).update(next_attempt_at=None)
            with self._capture(execute=True):
                ledger.sync_record_run(record_id=pk)

    def records(self, **filters) -> list[SyncRecord]:
        return list(
            SyncRecord.objects.filter(integration=self.integration, **filters).order_by(
                "pk"
            )
        )

    def record(self, key: str) -> SyncRecord:
        return SyncRecord.objects.get(idempotency_key=f"{self.integration.pk}:{key}")


@pytest.fixture
def harness(wf_integration, erp, stripe_api, django_capture_on_commit_callbacks):
    return Harness(wf_integration, erp, stripe_api, django_capture_on_commit_callbacks)
