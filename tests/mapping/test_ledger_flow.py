"""Mappings and holds on the real ledger path: webhook event → plan → run → ERP."""

import pytest

from integrations import ledger
from integrations.connectors import stripe_api
from integrations.models import SyncRecord
from mapping.models import AnomalyPolicy, MappingSet
from mapping.services import (
    mapping_defaults_install,
    mapping_set_archive,
    mapping_set_touch,
)
from tests.integrations.workflows import stripe_events as se
from tests.integrations.workflows.conftest import (
    FakeStripe,
    Harness,
    workflow_integration,
)
from tests.support.fake_erp import FakeErp

pytestmark = pytest.mark.django_db


@pytest.fixture
def harness(monkeypatch, django_capture_on_commit_callbacks):
    erp = FakeErp(kind="syspro")
    stripe = FakeStripe()
    monkeypatch.setattr(
        stripe_api, "stripe_api_for", lambda integration: lambda: stripe
    )
    with erp.installed():
        integration = workflow_integration("syspro")
        yield Harness(integration, erp, stripe, django_capture_on_commit_callbacks)


def test_the_next_payment_follows_an_edited_mapping(harness):
    # given the defaults, edited like an admin would: notation from the charge id
    mapping_defaults_install(integration=harness.integration)
    payment_set = MappingSet.objects.get(
        integration=harness.integration, entity="payment", is_active=True
    )
    mapping_set_archive(mapping_set=payment_set)
    row = payment_set.fields.get(target="JournalNotation")
    row.source_path = "stripe_id"
    row.transforms = [{"name": "prefix", "params": {"text": "Card payment "}}]
    row.save()
    mapping_set_touch(mapping_set=payment_set)

    # when a charge arrives
    harness.deliver(
        se.event(
            "charge.succeeded",
            se.charge(
                "ch_mapped", amount=1999, metadata={"erp_customer_code": "0000001"}
            ),
        )
    )

    # then the payment was posted with the edited mapping and names its version
    record = harness.record("ch_mapped:payment")
    assert record.status == "succeeded", record.error_message
    assert record.mapping_version == payment_set.version == 2
    assert record.payload["JournalNotation"] == "Card payment ch_mapped"
    assert record.payload["PaymentValue"] == "19.99"
    document = harness.erp.document("post_payment", "ch_mapped")
    assert document.payload["JournalNotation"] == "Card payment ch_mapped"


def test_a_likely_duplicate_charge_is_held_for_review(harness):
    AnomalyPolicy.objects.filter(integration=harness.integration).update(enabled=True)
    for charge_id in ("ch_first", "ch_second"):
        harness.deliver(
            se.event(
                "charge.succeeded",
                se.charge(charge_id, amount=4999, customer="cus_dup"),
            )
        )
    first = harness.records(stripe_id="ch_first", operation="create_sales_order")[0]
    second = harness.records(stripe_id="ch_second", operation="create_sales_order")[0]
    assert first.status == "succeeded"
    # the second order is held; its payment waits for it, so nothing is posted
    assert second.status == SyncRecord.Status.HELD
    assert "likely duplicate: ch_first" in second.hold_reason
    payment = harness.records(stripe_id="ch_second", operation="post_payment")[0]
    assert payment.status == "pending"
    assert harness.erp.document("create_sales_order", "ch_second") is None
    assert harness.erp.document("post_payment", "ch_second") is None

    # when finance staff release the order, it posts and so does its payment
    ledger.sync_record_release(record=second, actor=None, reason="two real orders")
    harness.run_open()
    harness.run_open()
    assert harness.erp.document("create_sales_order", "ch_second") is not None
    assert harness.erp.document("post_payment", "ch_second") is not None
