"""Integrations, webhook events, alerts and payouts over the API."""

import csv
import io

import pytest

from integrations.models import Alert, AuditEntry, SyncRecord, WebhookEvent
from mapping.services import mapping_defaults_install
from reconciliation.models import Payout

from .conftest import client_for

pytestmark = pytest.mark.django_db


def test_integrations_show_flows_and_health(reader, failed_record, alert):
    body = reader.get("/api/v1/integrations/").json()["results"][0]
    assert body["erp_kind"] == "syspro"
    assert "charges" in body["flows"]
    assert body["health"]["needs_attention"] == 1
    assert body["health"]["open_alerts"] == 1
    assert body["health"]["queue_paused"] is False


def test_integration_health_counts_records_whose_outcome_is_unknown(
    reader, failed_record
):
    SyncRecord.objects.filter(pk=failed_record.pk).update(
        status=SyncRecord.Status.UNKNOWN_OUTCOME
    )
    body = reader.get(f"/api/v1/integrations/{failed_record.integration_id}/").json()
    assert body["health"]["unknown_outcome"] == 1
    assert body["health"]["needs_attention"] == 0


def test_an_admin_token_resumes_a_paused_integration(admin_client, integration):
    integration.queue_paused_reason = "ERP refused the credentials"
    integration.save()
    response = admin_client.post(f"/api/v1/integrations/{integration.pk}/resume/")
    assert response.status_code == 200
    integration.refresh_from_db()
    assert integration.queue_paused_reason == ""


def test_events_filter_and_detail_leave_the_headers_out(reader, event):
    assert reader.get("/api/v1/events/?status=failed").json()["results"]
    assert not reader.get("/api/v1/events/?status=processed").json()["results"]
    assert reader.get("/api/v1/events/?type=charge.succeeded").json()["results"]
    detail = reader.get(f"/api/v1/events/{event.pk}/").json()
    assert detail["data"]["id"] == "evt_1"
    assert "headers" not in detail and "Stripe-Signature" not in str(detail)


def test_reprocess_an_event(operator, event, monkeypatch):
    # The workflow itself is tested with the pipeline; here only the call.
    monkeypatch.setattr(
        "integrations.queue.event_process_enqueue", lambda pk: None, raising=True
    )
    response = operator.post(f"/api/v1/events/{event.pk}/reprocess/")
    assert response.status_code == 200
    assert response.json()["changed"] is True
    assert WebhookEvent.objects.get(pk=event.pk).status == WebhookEvent.Status.RECEIVED
    assert AuditEntry.objects.filter(action="webhook_event.reprocess").exists()


def test_alerts_list_and_resolve(reader, operator, alert):
    assert reader.get("/api/v1/alerts/?open=true").json()["results"]
    response = operator.post(f"/api/v1/alerts/{alert.pk}/resolve/")
    assert response.json()["changed"] is True
    assert response.json()["alert"]["resolved_at"]
    assert (
        operator.post(f"/api/v1/alerts/{alert.pk}/resolve/").json()["changed"] is False
    )
    assert not reader.get("/api/v1/alerts/?open=true").json()["results"]
    assert Alert.objects.get().resolved_at is not None
    assert AuditEntry.objects.filter(action="alert.resolve").count() == 1


def test_alert_acknowledged_stays_open_until_resolved(reader, operator, finance, alert):
    # when
    response = operator.post(f"/api/v1/alerts/{alert.pk}/acknowledge/")
    # then: someone is on it, and it is still open
    body = response.json()
    assert body["changed"] is True
    assert body["alert"]["acknowledged_at"]
    assert body["alert"]["acknowledged_by"] == finance.get_username()
    assert body["alert"]["resolved_at"] is None
    assert reader.get("/api/v1/alerts/?open=true").json()["results"]
    again = operator.post(f"/api/v1/alerts/{alert.pk}/acknowledge/").json()
    assert again["changed"] is False
    assert AuditEntry.objects.filter(action="alert.acknowledge").count() == 1
    # and a read-only token cannot acknowledge
    assert reader.post(f"/api/v1/alerts/{alert.pk}/acknowledge/").status_code == 403


def test_payouts_with_money_as_units_and_minor_units(reader, payout):
    body = reader.get("/api/v1/payouts/").json()["results"][0]
    assert body["amount"] == {"amount": "19.99", "currency": "USD", "minor_units": 1999}
    proof = reader.get(f"/api/v1/payouts/{payout.pk}/proof/").json()
    line = proof["lines"][0]
    assert line["fee"] == {"amount": "0.58", "currency": "USD", "minor_units": 58}
    assert line["erp_amount"] is None


def test_zero_decimal_currencies_keep_their_units(reader, integration):
    Payout.objects.create(
        integration=integration, stripe_id="po_jpy", amount=500, currency="jpy"
    )
    body = reader.get("/api/v1/payouts/?stripe_id=po_jpy").json()["results"][0]
    assert body["amount"] == {"amount": "500", "currency": "JPY", "minor_units": 500}


def test_payout_proof_as_csv(reader, payout):
    response = reader.get(f"/api/v1/payouts/{payout.pk}/proof/csv/")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert rows[0][0] == "payout" and rows[1][:2] == ["po_1", "txn_1"]
    assert rows[1][6:9] == ["20.57", "0.58", "19.99"]


def test_last_months_proofs_as_one_csv(reader, payout, integration):
    # given: a second payout that arrived another month
    Payout.objects.create(
        integration=integration,
        stripe_id="po_old",
        amount=100,
        currency="usd",
        arrival_date="2020-01-15T00:00:00Z",
    )
    after = payout.arrival_date.replace(day=1, hour=0, minute=0, second=0)
    # when
    response = reader.get(
        "/api/v1/payouts/proofs/csv/",
        {"arrival_after": after.isoformat()},
        HTTP_ACCEPT="text/csv",
    )
    # then: one header, the month's payout only
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert [row[0] for row in rows] == ["payout", "po_1"]


def test_csv_errors_are_json(reader, db):
    response = reader.get("/api/v1/payouts/12345/proof/csv/", HTTP_ACCEPT="text/csv")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["error"]["code"] == "not_found"


def test_recompute_needs_the_payout_change_permission(
    finance, integration_admin, payout
):
    reviewer = client_for(finance, "operate")
    assert reviewer.post(f"/api/v1/payouts/{payout.pk}/recompute/").status_code == 403
    admin = client_for(integration_admin, "operate")
    response = admin.post(f"/api/v1/payouts/{payout.pk}/recompute/")
    assert response.status_code == 200
    assert response.json()["proof_status"] in ("reconciled", "unreconciled")


def test_session_sign_in_reaches_the_browsable_api(client, finance, failed_record):
    client.force_login(finance)
    response = client.get("/api/v1/records/", HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert b"ch_3Pay" in response.content


def test_mapping_sets_export_import_and_dry_run(integration_admin, reader, integration):
    # given: the ERP's default mappings, and a record of the payment entity
    sets = mapping_defaults_install(integration=integration)
    payment = next(s for s in sets if s.entity == "payment")
    admin = client_for(integration_admin, "admin")
    # when: exported, then imported again as a new version
    exported = reader.get(f"/api/v1/mapping-sets/{payment.pk}/").json()
    assert exported["entity"] == "payment" and exported["mappings"]
    imported = admin.post(
        "/api/v1/mapping-sets/import/",
        {
            "integration": integration.pk,
            "entity": "payment",
            "mappings": exported["mappings"],
            "note": "round trip",
        },
        format="json",
    )
    # then
    assert imported.status_code == 201, imported.json()
    assert imported.json()["version"] == exported["version"] + 1
    assert imported.json()["mappings"] == exported["mappings"]
    dry = reader.get(f"/api/v1/mapping-sets/{imported.json()['id']}/dry-run/?limit=5")
    assert dry.status_code == 200 and isinstance(dry.json(), list)


def test_importing_a_mapping_needs_an_admin_token(operator, integration):
    response = operator.post(
        "/api/v1/mapping-sets/import/",
        {"integration": integration.pk, "entity": "payment", "mappings": []},
        format="json",
    )
    assert response.status_code == 403


def test_start_a_backfill_dry_run_and_read_its_status(
    integration_admin,
    reader,
    integration,
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    # given: the queue records what it is handed
    queued = []
    monkeypatch.setattr(
        "integrations.queue.task_enqueue",
        lambda func, *args: queued.append((func, *args)),
    )
    admin = client_for(integration_admin, "admin")
    body = {"integration": integration.pk, "since": "2026-11-01T00:00:00Z"}
    # when
    with django_capture_on_commit_callbacks(execute=True):
        started = admin.post("/api/v1/backfills/start/", body)
    # then: a dry run by default, handed to the worker once committed
    assert started.status_code == 202, started.json()
    run = started.json()
    assert run["dry_run"] is True and run["status"] == "running"
    assert queued == [("api.tasks.backfill_run", run["id"])]
    assert reader.get(f"/api/v1/backfills/{run['id']}/").json()["status"] == "running"
    # a second start of the same range while it runs starts nothing new
    assert admin.post("/api/v1/backfills/start/", body).json()["id"] == run["id"]
    assert len(queued) == 1


def test_starting_a_backfill_needs_an_admin_token(operator, integration):
    response = operator.post(
        "/api/v1/backfills/start/",
        {"integration": integration.pk, "since": "2026-11-01T00:00:00Z"},
    )
    assert response.status_code == 403
