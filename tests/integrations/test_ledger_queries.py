"""What one charge event costs the database, planned and run to the ERP.

The workers' CPU per event is mostly Django compiling and PostgreSQL running
these statements: the counts are pinned so that a query that comes back
fails here. The ERP is the in-memory fake (no queries of its own), the
anomaly checks are on, as in production.
"""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from integrations.events import webhook_event_process
from integrations.models import SyncRecord, WebhookEvent
from mapping.services import anomaly_policy_ensure
from tests.factories import IntegrationFactory
from tests.integrations.workflows import stripe_events as se
from tests.integrations.workflows.conftest import ERP_URLS, FakeStripe

pytestmark = pytest.mark.django_db

# Per database: PostgreSQL writes a success and its attempt in one statement,
# SQLite in a transaction of two (a savepoint inside the test's transaction).
# A charge of a payer the ledger has never seen: customer lookups and create,
# and the record of the customer's account in the charge's currency (which
# finds the main account's currency and calls no ERP).
NEW_CUSTOMER_QUERIES = {"postgresql": 23, "sqlite": 39}
# A charge of a payer already linked to an ERP customer.
KNOWN_CUSTOMER_QUERIES = {"postgresql": 14, "sqlite": 22}


@pytest.fixture
def integration(erp, monkeypatch):
    fake = FakeStripe()
    monkeypatch.setattr(
        "integrations.connectors.stripe_api.stripe_api_for",
        lambda integration: lambda: fake,
    )
    integration = IntegrationFactory(
        erp_connection__kind="syspro", erp_connection__base_url=ERP_URLS["syspro"]
    )
    # The policy a first record creates once per integration.
    anomaly_policy_ensure(integration=integration)
    return integration


def _stored(
    integration, charge_id: str, email: str, amount: int = 1999
) -> WebhookEvent:
    data = se.event(
        "charge.succeeded",
        se.charge(charge_id, amount=amount, customer=None, email=email),
    )
    return WebhookEvent.objects.create(
        integration=integration,
        stripe_id=data["id"],
        type=data["type"],
        body=json.dumps(data),
    )


def _process(event, capture) -> list[dict]:
    """Plan the event and run its records, as the worker does."""
    with CaptureQueriesContext(connection) as queries, capture(execute=True):
        webhook_event_process(event_id=event.pk)
    return queries.captured_queries


def _booked(integration, charge_id: str) -> dict[str, str]:
    return dict(
        SyncRecord.objects.filter(
            integration=integration, stripe_id__in=[charge_id]
        ).values_list("operation", "status")
    )


def test_a_new_payer_s_charge_costs_a_fixed_number_of_queries(
    integration, erp, django_capture_on_commit_callbacks
):
    # A worker that has run a charge before (what it keeps per process).
    _process(
        _stored(integration, "ch_Q0", "q0@example.com"),
        django_capture_on_commit_callbacks,
    )
    event = _stored(integration, "ch_Q1", "q1@example.com")

    queries = _process(event, django_capture_on_commit_callbacks)

    assert _booked(integration, "ch_Q1") == {
        "create_sales_order": "succeeded",
        "post_payment": "succeeded",
    }
    assert len(erp.docs("post_payment")) == 2
    assert len(queries) == NEW_CUSTOMER_QUERIES[connection.vendor], _sql(queries)


def test_a_known_payer_s_charge_costs_a_fixed_number_of_queries(
    integration, erp, django_capture_on_commit_callbacks
):
    first = _stored(integration, "ch_Q1", "q2@example.com")
    _process(first, django_capture_on_commit_callbacks)
    # Another amount: the same one would be held as a likely duplicate.
    second = _stored(integration, "ch_Q2", "q2@example.com", amount=2500)

    queries = _process(second, django_capture_on_commit_callbacks)

    assert _booked(integration, "ch_Q2") == {
        "create_sales_order": "succeeded",
        "post_payment": "succeeded",
    }
    assert len(erp.docs("post_payment")) == 2
    assert len(queries) == KNOWN_CUSTOMER_QUERIES[connection.vendor], _sql(queries)


def _sql(queries: list[dict]) -> str:
    return "\n".join(q["sql"][:150] for q in queries)
