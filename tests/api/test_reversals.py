"""Reversing a posting over the API: POST /api/v1/records/{id}/reverse/."""

import pytest
from rest_framework.test import APIClient

from integrations import ledger
from integrations.canonical import Payment, to_source
from integrations.models import AuditEntry, SyncRecord
from integrations.workflows import Plan, PlannedRecord
from tests.support.fake_erp import FakeErp

from .conftest import staff

pytestmark = pytest.mark.django_db

Status = SyncRecord.Status


@pytest.fixture
def erp():
    fake = FakeErp(kind="syspro")
    with fake.installed():
        yield fake


@pytest.fixture
def payment(erp, integration, django_capture_on_commit_callbacks):
    plan = Plan(
        records=(
            PlannedRecord(
                key="ch_api:payment",
                operation="post_payment",
                stripe_id="ch_api",
                source=to_source(
                    Payment(stripe_id="ch_api", currency="JPY", amount=5000, created=1)
                )
                | {"customer_code": "0000001"},
            ),
        )
    )
    with django_capture_on_commit_callbacks(execute=True):
        (record,) = ledger.sync_records_plan(
            integration=integration, event=None, plan=plan
        )
    record.refresh_from_db()
    assert record.status == Status.SUCCEEDED
    return record


def _reverse(client, record, body, capture):
    with capture(execute=True):
        return client.post(f"/api/v1/records/{record.pk}/reverse/", body, format="json")


def test_finance_reverses_a_payment_once_and_sees_the_link(
    erp, operator, payment, finance, django_capture_on_commit_callbacks
):
    response = _reverse(
        operator, payment, {"reason": "duplicate"}, django_capture_on_commit_callbacks
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["changed"] is True
    reversal = body["reversal"]
    assert reversal["reverses"] == payment.pk
    assert reversal["operation"] == "post_adjustment"
    # the answer is given as planned; the worker posts it after the commit
    assert reversal["status"] == "pending"
    assert SyncRecord.objects.get(pk=reversal["id"]).status == Status.SUCCEEDED
    assert reversal["requested_by_label"] == "fiona"
    # a zero-decimal currency: -5000 JPY is -5000 yen, not -50.00
    assert reversal["amount"] == {
        "amount": "-5000",
        "currency": "JPY",
        "minor_units": -5000,
    }
    assert body["record"]["reversed_by"] == reversal["id"]
    assert erp.docs("post_adjustment")[0].amount == -5000
    entry = AuditEntry.objects.get(action="sync_record.reverse")
    assert entry.actor == finance
    assert entry.reason == "duplicate"

    # asked again (a retried request without an idempotency key): the same one
    again = _reverse(
        operator, payment, {"reason": "again"}, django_capture_on_commit_callbacks
    )
    assert again.status_code == 200
    assert again.json()["changed"] is False
    assert again.json()["reversal"]["id"] == reversal["id"]
    assert erp.created("post_adjustment") == 1
    listed = operator.get(f"/api/v1/records/?stripe_id={payment.stripe_id}")
    assert listed.json()["results"][0]["reversed_by"] == reversal["id"]

    def ids(value: str) -> list[int]:
        rows = operator.get(f"/api/v1/records/?reversal={value}").json()["results"]
        return [row["id"] for row in rows]

    assert ids("reversed") == [payment.pk]
    assert ids("reversal") == [reversal["id"]]
    assert ids("neither") == []
    assert operator.get("/api/v1/records/?reversal=maybe").status_code == 400


def test_a_reason_is_required(operator, payment, django_capture_on_commit_callbacks):
    response = _reverse(operator, payment, {}, django_capture_on_commit_callbacks)
    assert response.status_code == 400
    assert "reason" in response.json()["error"]["fields"]
    assert not SyncRecord.objects.filter(reverses=payment).exists()


def test_what_cannot_be_reversed_is_a_409_with_the_reason(
    operator, succeeded_record, django_capture_on_commit_callbacks
):
    response = _reverse(
        operator,
        succeeded_record,
        {"reason": "wrong customer"},
        django_capture_on_commit_callbacks,
    )
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "reversal_refused"
    assert "not a posting" in error["message"]


def test_a_read_token_or_a_role_without_the_permission_cannot_reverse(
    reader, payment, django_capture_on_commit_callbacks
):
    assert (
        _reverse(
            reader, payment, {"reason": "x"}, django_capture_on_commit_callbacks
        ).status_code
        == 403
    )
    outsider = APIClient()
    outsider.force_login(staff("olga", None))
    assert (
        _reverse(
            outsider, payment, {"reason": "x"}, django_capture_on_commit_callbacks
        ).status_code
        == 403
    )
    assert not SyncRecord.objects.filter(reverses=payment).exists()


def test_the_schema_documents_the_reverse_action(db):
    schema = APIClient().get("/api/schema/?format=json").json()
    operation = schema["paths"]["/api/v1/records/{id}/reverse/"]["post"]
    assert {"Idempotency-Key"} <= {p["name"] for p in operation["parameters"]}
    body = operation["requestBody"]["content"]["application/json"]["schema"]
    assert body == {"$ref": "#/components/schemas/ReverseRequest"}
    record = schema["components"]["schemas"]["SyncRecord"]["properties"]
    assert {"reverses", "reversed_by", "requested_by_label"} <= set(record)
