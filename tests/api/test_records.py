"""Ledger records over the API: filters, detail, the finance actions, four eyes."""

import copy

import pytest

from api.models import IdempotentResponse
from integrations.models import AuditEntry, PayloadChange, SyncRecord

from .conftest import client_for

pytestmark = pytest.mark.django_db

Status = SyncRecord.Status


def ids(response) -> list[int]:
    return [row["id"] for row in response.json()["results"]]


def test_list_filters(reader, failed_record, succeeded_record):
    assert ids(reader.get("/api/v1/records/?status=needs_attention")) == [
        failed_record.pk
    ]
    assert ids(reader.get("/api/v1/records/?operation=upsert_customer")) == [
        succeeded_record.pk
    ]
    assert ids(reader.get("/api/v1/records/?stripe_id=ch_3Pay")) == [failed_record.pk]
    assert ids(reader.get("/api/v1/records/?erp_reference=S000001")) == [
        succeeded_record.pk
    ]
    assert (
        len(
            ids(
                reader.get(
                    f"/api/v1/records/?integration={failed_record.integration_id}"
                )
            )
        )
        == 2
    )
    assert ids(reader.get("/api/v1/records/?created_after=2999-01-01T00:00:00Z")) == []
    assert (
        len(ids(reader.get("/api/v1/records/?created_before=2999-01-01T00:00:00Z")))
        == 2
    )


def test_a_bad_filter_is_a_400_in_the_error_shape(reader, db):
    response = reader.get("/api/v1/records/?status=lost")
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert "status" in error["fields"]
    assert reader.get("/api/v1/records/?stripe_id=").status_code == 400
    assert reader.get("/api/v1/records/?page_size=0").status_code == 400


def test_cursor_pagination(reader, integration):
    for n in range(3):
        SyncRecord.objects.create(
            integration=integration,
            operation=SyncRecord.Operation.POST_PAYMENT,
            idempotency_key=f"k{n}",
            stripe_id=f"ch_{n}",
        )
    first = reader.get("/api/v1/records/?page_size=2").json()
    assert len(first["results"]) == 2 and first["next"]
    second = reader.get(first["next"]).json()
    assert len(second["results"]) == 1 and second["next"] is None


def test_detail_has_money_attempts_and_audit(reader, operator, failed_record):
    operator.post(f"/api/v1/records/{failed_record.pk}/skip/", {"reason": "dup"})
    body = reader.get(f"/api/v1/records/{failed_record.pk}/").json()
    assert body["amount"] == {"amount": "10.00", "currency": "USD", "minor_units": 1000}
    assert [a["number"] for a in body["attempt_log"]] == [1]
    assert [a["action"] for a in body["audit"]] == ["sync_record.skip"]
    assert body["audit"][0]["actor"] == "fiona"
    assert body["payload"]["Reference"] == "ch_3Pay"
    assert body["created_at"].endswith("Z")


def test_retry_is_audited_and_repeat_safe(operator, failed_record):
    first = operator.post(f"/api/v1/records/{failed_record.pk}/retry/", {})
    assert first.status_code == 200
    assert first.json()["changed"] is True
    assert first.json()["record"]["status"] == Status.PENDING
    again = operator.post(f"/api/v1/records/{failed_record.pk}/retry/", {})
    assert again.json()["changed"] is False
    assert AuditEntry.objects.filter(action="sync_record.retry").count() == 1


def test_skip_needs_a_reason(operator, failed_record):
    response = operator.post(f"/api/v1/records/{failed_record.pk}/skip/", {})
    assert response.status_code == 400
    assert "reason" in response.json()["error"]["fields"]
    ok = operator.post(
        f"/api/v1/records/{failed_record.pk}/skip/", {"reason": "booked by hand"}
    )
    assert ok.json()["record"]["status"] == Status.SKIPPED


def test_release_a_held_record(operator, failed_record):
    SyncRecord.objects.filter(pk=failed_record.pk).update(
        status=Status.HELD, hold_reason="unusual amount"
    )
    response = operator.post(f"/api/v1/records/{failed_record.pk}/release/", {})
    assert response.json()["changed"] is True
    assert response.json()["record"]["status"] == Status.PENDING


def test_an_unknown_record_is_a_404_in_the_error_shape(operator, db):
    response = operator.post("/api/v1/records/999999/retry/", {})
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert operator.get("/api/v1/nowhere/").json()["error"]["code"] == "not_found"


def test_edit_of_unprotected_fields_applies_at_once(operator, failed_record):
    payload = copy.deepcopy(failed_record.payload)
    payload["JournalNotation"] = "fixed by hand"
    response = operator.post(
        f"/api/v1/records/{failed_record.pk}/edit-payload/",
        {"payload": payload, "reason": "typo"},
        format="json",
    )
    body = response.json()
    assert response.status_code == 200, body
    assert body["applied"] is True and body["payload_change"] is None
    failed_record.refresh_from_db()
    assert failed_record.payload["JournalNotation"] == "fixed by hand"


def test_edit_of_money_waits_for_a_second_person(finance, finance_peer, failed_record):
    # given: fiona proposes a change of the amount
    fiona = client_for(finance, "operate")
    frank = client_for(finance_peer, "operate")
    payload = copy.deepcopy(failed_record.payload)
    payload["PaymentValue"] = "12.00"
    proposed = fiona.post(
        f"/api/v1/records/{failed_record.pk}/edit-payload/",
        {"payload": payload, "reason": "customer paid more"},
        format="json",
    )
    assert proposed.status_code == 200, proposed.json()
    change = proposed.json()["payload_change"]
    assert proposed.json()["applied"] is False and change["status"] == "pending"
    # when: she tries to approve it herself, then frank approves
    own = fiona.post(f"/api/v1/payload-changes/{change['id']}/approve/", {})
    assert own.status_code == 409
    assert "another person" in own.json()["error"]["message"]
    approved = frank.post(f"/api/v1/payload-changes/{change['id']}/approve/", {})
    # then
    assert approved.status_code == 200 and approved.json()["status"] == "approved"
    failed_record.refresh_from_db()
    assert failed_record.payload["PaymentValue"] == "12.00"
    assert fiona.get("/api/v1/payload-changes/?status=approved").json()["results"]


def test_a_read_token_cannot_approve(finance, finance_peer, failed_record):
    change = PayloadChange.objects.create(
        record=failed_record,
        base_payload=failed_record.payload,
        payload={**failed_record.payload, "PaymentValue": "1.00"},
        protected_fields=["PaymentValue"],
        proposed_by=finance,
    )
    reader = client_for(finance_peer, "read")
    response = reader.post(f"/api/v1/payload-changes/{change.pk}/approve/", {})
    assert response.status_code == 403


def test_idempotency_key_returns_the_first_answer(operator, failed_record):
    url = f"/api/v1/records/{failed_record.pk}/retry/"
    first = operator.post(url, {}, format="json", HTTP_IDEMPOTENCY_KEY="month-end-1")
    again = operator.post(url, {}, format="json", HTTP_IDEMPOTENCY_KEY="month-end-1")
    assert first.json() == again.json()
    assert first.json()["changed"] is True
    assert again["Idempotent-Replayed"] == "true"
    assert AuditEntry.objects.filter(action="sync_record.retry").count() == 1
    assert IdempotentResponse.objects.get().status_code == 200
    # the same key with another request is refused
    other = operator.post(
        f"/api/v1/records/{failed_record.pk}/skip/",
        {"reason": "x"},
        format="json",
        HTTP_IDEMPOTENCY_KEY="month-end-1",
    )
    assert other.status_code == 409
    assert other.json()["error"]["code"] == "idempotency_key_reused"


def test_idempotency_key_stores_an_error_answer_too(operator, failed_record):
    url = f"/api/v1/records/{failed_record.pk}/skip/"
    first = operator.post(url, {}, format="json", HTTP_IDEMPOTENCY_KEY="k-err")
    assert first.status_code == 400
    again = operator.post(url, {}, format="json", HTTP_IDEMPOTENCY_KEY="k-err")
    assert again.status_code == 400 and again.json() == first.json()


@pytest.mark.parametrize("key", ["has space", "", "x" * 256, "caf\u00e9"])
def test_a_malformed_idempotency_key_is_refused(operator, failed_record, key):
    response = operator.post(
        f"/api/v1/records/{failed_record.pk}/retry/",
        {},
        format="json",
        HTTP_IDEMPOTENCY_KEY=key,
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_idempotency_key"
    failed_record.refresh_from_db()
    assert failed_record.status == Status.NEEDS_ATTENTION


def test_settle_an_unknown_outcome_as_posted(operator, failed_record):
    SyncRecord.objects.filter(pk=failed_record.pk).update(status=Status.UNKNOWN_OUTCOME)
    bad = operator.post(
        f"/api/v1/records/{failed_record.pk}/confirm-posted/",
        {"erp_reference": "R-1\nR-2"},
    )
    assert bad.status_code == 400
    response = operator.post(
        f"/api/v1/records/{failed_record.pk}/confirm-posted/",
        {"erp_reference": "RCPT-0042", "reason": "found in the ERP"},
    )
    assert response.status_code == 200
    assert response.json()["changed"] is True
    assert response.json()["record"]["status"] == Status.SUCCEEDED
    assert response.json()["record"]["erp_reference"] == "RCPT-0042"
    again = operator.post(
        f"/api/v1/records/{failed_record.pk}/confirm-posted/",
        {"erp_reference": "RCPT-0042"},
    )
    assert again.json()["changed"] is False


def test_settle_an_unknown_outcome_by_posting_again(reader, operator, failed_record):
    SyncRecord.objects.filter(pk=failed_record.pk).update(status=Status.UNKNOWN_OUTCOME)
    url = f"/api/v1/records/{failed_record.pk}/post-again/"
    assert reader.post(url, {}).status_code == 403
    response = operator.post(url, {"reason": "not in the ERP"})
    assert response.json()["record"]["status"] == Status.PENDING
    assert AuditEntry.objects.filter(action="sync_record.post_again").exists()


def test_a_nul_character_in_a_payload_is_a_400_not_a_database_error(
    operator, failed_record
):
    payload = {**failed_record.payload, "JournalNotation": "a\x00b"}
    response = operator.post(
        f"/api/v1/records/{failed_record.pk}/edit-payload/", {"payload": payload}
    )
    assert response.status_code == 400
    assert "payload" in response.json()["error"]["fields"]
    # a NUL in a field the API does not read is ignored like the field
    ignored = operator.post(
        f"/api/v1/records/{failed_record.pk}/retry/", {"\x00note": "x\x00"}
    )
    assert ignored.status_code == 200


def test_a_reason_must_be_a_string(operator, failed_record):
    response = operator.post(
        f"/api/v1/records/{failed_record.pk}/skip/", {"reason": 12}
    )
    assert response.status_code == 400
    assert "reason" in response.json()["error"]["fields"]
