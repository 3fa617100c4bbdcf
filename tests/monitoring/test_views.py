"""/healthz, /readyz and /metrics: probes without session or CSRF, readiness
from the database and the queue, metrics parsed with prometheus_client."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from django.db import DatabaseError
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from integrations import audit
from integrations.models import RejectedDelivery, SyncAttempt, SyncRecord, WebhookEvent
from monitoring import health
from monitoring.models import IntegrationHealth
from monitoring.rollup import erp_calls_rollup

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "metrics-token-0123456789abcdefghijklmnop"


def test_healthz_answers_without_the_database(client):
    # No django_db mark: any query would fail the test.
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]
    assert client.post("/healthz").status_code == 405


@pytest.mark.django_db
def test_readyz_reports_each_check(client, integration):
    IntegrationHealth.objects.create(
        integration=integration,
        last_erp_success_at=timezone.now() - timezone.timedelta(seconds=90),
    )
    response = client.get("/readyz")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ready"
    assert body["checks"]["database"] == {"status": "ok"}
    assert body["checks"]["queue"]["status"] == "ok"
    assert isinstance(body["checks"]["queue"]["depth"], int)
    (entry,) = body["checks"]["integrations"]
    assert entry["integration"] == integration.pk
    assert 90 <= entry["last_erp_success_age_seconds"] < 150
    # No names, URLs or secrets of the connections
    text = response.content.decode()
    assert integration.name not in text
    assert "sandbox" not in text and "sk_test" not in text


@pytest.mark.django_db
def test_readyz_is_503_when_the_queue_is_unreachable(client, monkeypatch):
    class BrokenBroker:
        def queue_size(self):
            raise ConnectionError("redis://:password@10.0.0.5:6379 refused")

    monkeypatch.setattr(health, "broker", BrokenBroker)
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "not ready"
    assert body["checks"]["queue"] == {"status": "error", "error": "ConnectionError"}
    assert "password" not in response.content.decode()


def test_readyz_is_503_when_the_database_is_unreachable(client, monkeypatch):
    class BrokenConnection:
        def cursor(self):
            raise DatabaseError("connection to server at 10.0.0.9 failed")

    monkeypatch.setattr(health, "connection", BrokenConnection())
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == {
        "status": "error",
        "error": "DatabaseError",
    }
    assert "10.0.0.9" not in response.content.decode()


def test_metrics_do_not_exist_without_a_token(client, settings):
    settings.METRICS_TOKEN = ""
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer ").status_code == 404


@pytest.mark.parametrize("header", ["", "Bearer wrong", f"Basic {TOKEN}", TOKEN])
def test_metrics_refuse_a_missing_or_wrong_token(client, settings, header):
    settings.METRICS_TOKEN = TOKEN
    response = client.get("/metrics", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


def _scrape(client) -> dict:
    response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain")
    return {
        family.name: family
        for family in text_string_to_metric_families(response.content.decode())
    }


def _value(family, **labels) -> float:
    for sample in family.samples:
        if all(sample.labels.get(k) == v for k, v in labels.items()):
            return sample.value
    raise AssertionError(f"no sample {labels} in {family.name}")


def _attempt(record, n: int, *, ms: int, ok: bool, error: str = "") -> None:
    SyncAttempt.objects.create(
        record=record,
        number=n,
        started_at=timezone.now(),
        duration_ms=ms,
        succeeded=ok,
        error_class=error,
    )


@pytest.mark.django_db
def test_metrics_count_events_records_and_erp_calls(client, settings, integration):
    settings.METRICS_TOKEN = TOKEN
    # given: events, records, a refused delivery and three ERP calls
    for n, (event_type, status) in enumerate(
        [
            ("charge.succeeded", "processed"),
            ("charge.succeeded", "received"),
            ("customer.created", "ignored"),
        ]
    ):
        WebhookEvent.objects.create(
            integration=integration,
            stripe_id=f"evt_{n}",
            type=event_type,
            status=status,
            body="{}",
        )
    record = SyncRecord.objects.create(
        integration=integration,
        operation="post_payment",
        idempotency_key="k1",
        stripe_id="ch_1",
        status="retrying",
    )
    SyncRecord.objects.create(
        integration=integration,
        operation="post_payment",
        idempotency_key="k2",
        stripe_id="ch_2",
        status="succeeded",
    )
    RejectedDelivery.objects.create(status_code=400, reason="bad signature")
    audit.alert_raise(
        integration=integration, level="critical", code="x", message="x", dedupe_key="x"
    )
    _attempt(record, 1, ms=40, ok=False, error="transient")
    _attempt(record, 2, ms=300, ok=True)
    _attempt(record, 3, ms=7000, ok=True)
    # when: the roll-up has run twice (it trails the attempt log by one run)
    erp_calls_rollup()
    erp_calls_rollup()
    families = _scrape(client)
    # then
    name = integration.name
    received = families["ledgerbridge_webhook_events_received"]
    assert _value(received, integration=name, type="charge.succeeded") == 2
    events = families["ledgerbridge_webhook_events"]
    assert _value(events, type="charge.succeeded", status="received") == 1
    assert _value(events, type="customer.created", status="ignored") == 1
    records = families["ledgerbridge_ledger_records"]
    assert _value(records, integration=name, status="retrying") == 1
    assert _value(records, integration=name, status="succeeded") == 1
    rejected = families["ledgerbridge_webhook_deliveries_rejected"]
    assert _value(rejected, status_code="400") == 1
    oldest = families["ledgerbridge_oldest_pending_age_seconds"]
    assert _value(oldest, kind="record") >= 0
    assert _value(oldest, kind="event") >= 0
    latency = families["ledgerbridge_erp_call_duration_seconds"]
    ok = {"operation": "post_payment", "outcome": "succeeded"}
    assert _value(latency, le="0.25", **ok) == 0
    assert _value(latency, le="0.5", **ok) == 1
    assert _value(latency, le="10.0", **ok) == 2
    assert _value(latency, le="+Inf", **ok) == 2
    assert latency.samples and _sum(latency, **ok) == pytest.approx(7.3)
    failed = {"operation": "post_payment", "outcome": "transient"}
    assert _value(latency, le="0.05", **failed) == 1
    assert _value(families["ledgerbridge_queue_up"]) == 1
    assert "ledgerbridge_queue_depth" in families
    alerts = families["ledgerbridge_alerts_open"]
    assert _value(alerts, level="critical", acknowledged="false") == 1
    last = families["ledgerbridge_erp_last_success_age_seconds"]
    assert _value(last, integration=name) >= 0


def _sum(family, **labels) -> float:
    for sample in family.samples:
        if sample.name.endswith("_sum") and all(
            sample.labels.get(k) == v for k, v in labels.items()
        ):
            return sample.value
    raise AssertionError("no _sum sample")


@pytest.mark.django_db
def test_the_rollup_counts_each_attempt_once(integration):
    record = SyncRecord.objects.create(
        integration=integration,
        operation="post_payment",
        idempotency_key="k1",
        stripe_id="ch_1",
    )
    _attempt(record, 1, ms=100, ok=True)
    # the first run only notes how far the log goes
    assert erp_calls_rollup() == 0
    _attempt(record, 2, ms=100, ok=True)
    assert erp_calls_rollup() == 1
    assert erp_calls_rollup() == 1
    assert erp_calls_rollup() == 0


PROBE = """
from django.test import Client
client = Client(HTTP_HOST="ledgerbridge.example.com")
for path in ("/healthz", "/metrics", "/admin/login/"):
    response = client.get(path)
    print(path, response.status_code, response.get("Location", ""))
print("bad-host", Client(HTTP_HOST="evil.example").get("/healthz").status_code)
"""


def test_probes_answer_plain_http_under_production_settings():
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "SANDBOX_", "FIELD_ENCRYPTION", "METRICS"))
    }
    env.update(
        DJANGO_SECRET_KEY="a" * 60,
        FIELD_ENCRYPTION_KEYS=Fernet.generate_key().decode(),
        DJANGO_ALLOWED_HOSTS="ledgerbridge.example.com",
        METRICS_TOKEN="",
    )
    code = "import django; django.setup()\n" + PROBE
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "portal.settings.production"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    # the probes are not redirected to https; the admin is
    assert "/healthz 200 " in lines
    assert "/metrics 404 " in lines
    assert any(
        line.startswith("/admin/login/ 301 https://ledgerbridge.example.com")
        for line in lines
    )
    # and the Host header must still be an allowed host
    assert "bad-host 400" in lines
