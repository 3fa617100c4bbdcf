import pytest
from django.db import transaction

from integrations import ledger
from integrations.intake import webhook_event_store
from integrations.models import SyncRecord
from portal.money import to_decimal
from tests.support.fake_erp import FakeErp

from .fakes import FakeStripe


@pytest.fixture
def erp():
    fake = FakeErp(kind="syspro")
    with fake.installed():
        yield fake


@pytest.fixture
def stripe_fake(monkeypatch):
    fake = FakeStripe()
    monkeypatch.setattr(
        "integrations.connectors.stripe_api.stripe_api_for",
        lambda integration: lambda: fake,
    )
    return fake


def _syspro_journal(source: dict) -> dict:
    """GENTJL payload as the mapping templates produce it (signed EntryAmount)."""
    currency = source["currency"]
    return {
        "JournalType": "N",
        "JournalReference": source["stripe_id"],
        "Notation": source["description"],
        "lines": [
            {
                "EntryNumber": number,
                "LedgerCode": line["account"],
                "Reference": line["reference"],
                "EntryAmount": str(to_decimal(line["amount"], currency)),
                "Comment": line["description"],
            }
            for number, line in enumerate(source["lines"], start=1)
        ],
    }


@pytest.fixture(autouse=True)
def journal_mapping(request, monkeypatch):
    """Map journals like the SYSPRO template, so these tests do not depend on
    mapping/; tests marked `real_mapping` use mapping's payload_build."""
    if request.node.get_closest_marker("real_mapping"):
        return
    original = ledger.RunContext.payload

    def payload(self, entity, source=None):
        if entity != "journal" or (
            self.record.payload_edited and self.record.payload is not None
        ):
            return original(self, entity, source)
        built = _syspro_journal(self.source if source is None else source)
        self.built_payload = self.record.payload = built
        return built

    monkeypatch.setattr(ledger.RunContext, "payload", payload)


@pytest.fixture
def deliver(django_capture_on_commit_callbacks):
    """Store an event like the webhook view does and run everything it enqueues."""

    def _deliver(integration, event, *, source="webhook"):
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            stored, _ = webhook_event_store(
                integration=integration,
                data=event,
                body=_json(event),
                source=source,
            )
        stored.refresh_from_db()
        return stored

    return _deliver


def _json(data) -> str:
    import json

    return json.dumps(data)


@pytest.fixture
def ledger_record():
    """A ledger record as the charge/refund/dispute workflows leave it."""

    def _record(
        integration,
        *,
        operation,
        stripe_id,
        amount,
        currency="usd",
        status=SyncRecord.Status.SUCCEEDED,
        erp_reference="",
    ):
        return SyncRecord.objects.create(
            integration=integration,
            operation=operation,
            idempotency_key=f"{integration.pk}:{stripe_id}:{operation}",
            stripe_id=stripe_id,
            source={
                "stripe_id": stripe_id,
                "amount": amount,
                "currency": currency.upper(),
            },
            status=status,
            erp_reference=erp_reference
            or (f"DOC-{stripe_id}" if status == SyncRecord.Status.SUCCEEDED else ""),
        )

    return _record


def pytest_configure(config):
    config.addinivalue_line(
        "markers", "real_mapping: build payloads through mapping.services"
    )
