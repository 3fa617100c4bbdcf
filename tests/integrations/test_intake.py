"""Webhook intake: signatures, bad input, duplicates, the rejected log."""

import json
import threading
import time

import pytest
import stripe
from django.db import connection
from django.test import Client
from django.urls import reverse

from integrations.models import RejectedDelivery, WebhookEvent
from tests.factories import WEBHOOK_SECRET, IntegrationFactory

pytestmark = pytest.mark.django_db


def event_body(event_id="evt_1", event_type="charge.succeeded", **extra) -> str:
    return json.dumps(
        {
            "id": event_id,
            "object": "event",
            "type": event_type,
            "api_version": "2025-03-31.basil",
            "created": int(time.time()),
            "livemode": False,
            "data": {"object": {"id": "ch_1", "object": "charge", "amount": 1999}},
            **extra,
        }
    )


def sign(body: str, secret: str = WEBHOOK_SECRET, timestamp: int | None = None) -> str:
    return stripe.WebhookSignature.generate_signature_header(body, secret, timestamp)


def post(client, integration, body, signature=None, **headers):
    if signature is None:
        signature = sign(body)
    if signature:
        headers["HTTP_STRIPE_SIGNATURE"] = signature
    return client.post(
        reverse("stripe-webhook", args=[integration.uuid]),
        data=body,
        content_type="application/json",
        **headers,
    )


@pytest.fixture
def enqueued(monkeypatch):
    calls = []
    monkeypatch.setattr(
        "integrations.services._enqueue_event", lambda pk: calls.append(pk)
    )
    return calls


def test_valid_event_is_stored_and_enqueued(
    client, integration, enqueued, django_capture_on_commit_callbacks
):
    body = event_body()
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, integration, body)
    assert response.status_code == 200
    assert response.json() == {"received": True, "duplicate": False, "event": "evt_1"}
    event = WebhookEvent.objects.get()
    assert (event.stripe_id, event.type, event.api_version) == (
        "evt_1",
        "charge.succeeded",
        "2025-03-31.basil",
    )
    assert event.body == body
    assert "Stripe-Signature" in event.headers
    assert enqueued == [event.pk]


def test_several_v1_signatures_any_match_is_enough(client, integration, enqueued):
    body = event_body()
    good = sign(body)
    timestamp = good.split(",")[0]
    header = f"{timestamp},v1={'0' * 64},{good.split(',')[1]}"
    assert post(client, integration, body, header).status_code == 200


def test_wrong_secret_is_rejected(client, integration, enqueued):
    body = event_body()
    response = post(client, integration, body, sign(body, "whsec_wrong"))
    assert response.status_code == 400
    assert "signature" in response.json()["error"]["reason"]
    assert not WebhookEvent.objects.exists()
    assert enqueued == []


def test_missing_signature_is_rejected(client, integration):
    response = post(client, integration, event_body(), signature="")
    assert response.status_code == 400
    assert response.json()["error"]["reason"] == "missing Stripe-Signature header"


@pytest.mark.parametrize("header", ["garbage", "t=abc,v1=00", "t=123", "v1=abcdef"])
def test_malformed_header_is_rejected(client, integration, header):
    response = post(client, integration, event_body(), signature=header)
    assert response.status_code == 400
    assert not WebhookEvent.objects.exists()


def test_stale_timestamp_is_rejected(client, integration):
    body = event_body()
    response = post(
        client, integration, body, sign(body, timestamp=int(time.time()) - 301)
    )
    assert response.status_code == 400
    assert "tolerance" in response.json()["error"]["reason"]


def test_future_timestamp_is_rejected(client, integration):
    body = event_body()
    response = post(
        client, integration, body, sign(body, timestamp=int(time.time()) + 3600)
    )
    assert response.status_code == 400
    assert "tolerance" in response.json()["error"]["reason"]


def test_timestamp_within_tolerance_is_accepted(client, integration, enqueued):
    body = event_body()
    response = post(
        client, integration, body, sign(body, timestamp=int(time.time()) - 250)
    )
    assert response.status_code == 200


def test_rotated_secret_old_and_new_both_verify(
    client, integration, enqueued, monkeypatch
):
    from integrations import services

    services.webhook_secret_add(
        integration=integration, secret="whsec_new_secret_1", actor=None
    )
    first, second = event_body("evt_old"), event_body("evt_new")
    assert post(client, integration, first, sign(first)).status_code == 200
    assert (
        post(
            client, integration, second, sign(second, "whsec_new_secret_1")
        ).status_code
        == 200
    )
    # Retiring the old secret stops it verifying once the intake cache expires.
    oldest = integration.webhook_secrets.order_by("created_at", "pk").first()
    oldest.is_active = False
    oldest.save()
    later = time.monotonic() + services.INTAKE_CACHE_SECONDS
    monkeypatch.setattr(services, "_clock", lambda: later)
    third = event_body("evt_after")
    assert post(client, integration, third, sign(third)).status_code == 400
    assert (
        post(client, integration, third, sign(third, "whsec_new_secret_1")).status_code
        == 200
    )


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ("not json at all", "body is not JSON"),
        (json.dumps([1, 2]), "body is not a Stripe event"),
        (json.dumps({"id": "evt_1", "object": "charge"}), "body is not a Stripe event"),
        (
            json.dumps({"object": "event", "type": "x", "data": {"object": {}}}),
            "body is not a Stripe event",
        ),
        (
            json.dumps({"id": "evt_1", "object": "event", "type": "x", "data": "nope"}),
            "body is not a Stripe event",
        ),
    ],
)
def test_signed_but_invalid_body_is_rejected(client, integration, body, reason):
    response = post(client, integration, body)
    assert response.status_code == 400
    assert response.json()["error"]["reason"] == reason
    assert not WebhookEvent.objects.exists()


def test_non_utf8_body_is_rejected(client, integration):
    response = client.post(
        reverse("stripe-webhook", args=[integration.uuid]),
        data=b"\xff\xfe\x00",
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE="t=1,v1=00",
    )
    assert response.status_code == 400


def test_oversized_body_is_413(client, integration, settings):
    body = event_body(padding="x" * (settings.WEBHOOK_MAX_BODY_BYTES + 10))
    response = post(client, integration, body)
    assert response.status_code == 413
    assert not WebhookEvent.objects.exists()


@pytest.mark.parametrize("uuid", ["00000000-0000-0000-0000-000000000000", "not-a-uuid"])
def test_unknown_integration_is_404(client, db, uuid):
    response = client.post(
        f"/webhooks/stripe/{uuid}/", data=event_body(), content_type="application/json"
    )
    assert response.status_code == 404
    assert response.json()["error"]["reason"] == "unknown or disabled integration"


def test_disabled_integration_is_404(client, integration):
    integration.is_active = False
    integration.save()
    assert post(client, integration, event_body()).status_code == 404


@pytest.mark.parametrize("method", ["get", "put", "delete", "patch"])
def test_other_methods_are_405(client, integration, method):
    response = getattr(client, method)(
        reverse("stripe-webhook", args=[integration.uuid])
    )
    assert response.status_code == 405
    assert response["Allow"] == "POST"
    assert "POST" in response.json()["error"]["reason"]


def test_rejections_are_logged_without_body(client, integration, settings):
    settings.WEBHOOK_REJECTED_LOG_CAP = 3
    for _ in range(5):
        post(client, integration, event_body(), signature="t=1,v1=00")
    rows = list(RejectedDelivery.objects.all())
    assert len(rows) == 3
    assert rows[0].status_code == 400
    assert rows[0].integration_uuid == str(integration.uuid)
    assert not hasattr(rows[0], "body")


def test_duplicate_delivery_stores_once_and_enqueues_once(
    client, integration, enqueued, django_capture_on_commit_callbacks
):
    body = event_body()
    with django_capture_on_commit_callbacks(execute=True):
        first = post(client, integration, body)
        second = post(client, integration, body)
    assert first.status_code == second.status_code == 200
    assert second.json()["duplicate"] is True
    assert WebhookEvent.objects.count() == 1
    assert len(enqueued) == 1


def test_same_event_id_on_two_integrations_is_two_events(client, integration, enqueued):
    other = IntegrationFactory()
    body = event_body()
    assert post(client, integration, body).status_code == 200
    assert post(client, other, body).status_code == 200
    assert WebhookEvent.objects.count() == 2


def test_unknown_event_type_is_stored_and_ignored(
    client, integration, django_capture_on_commit_callbacks
):
    # Tasks run inline in tests (django-q2 sync=True).
    body = event_body(event_type="radar.early_fraud_warning.created")
    with django_capture_on_commit_callbacks(execute=True):
        assert post(client, integration, body).status_code == 200
    event = WebhookEvent.objects.get()
    assert event.status == WebhookEvent.Status.IGNORED
    assert "no workflow" in event.error


def test_view_makes_no_outbound_call(client, integration, enqueued, monkeypatch):
    import requests

    def forbidden(*args, **kwargs):
        raise AssertionError("the intake view must not call out")

    monkeypatch.setattr(requests.Session, "request", forbidden)
    assert post(client, integration, event_body()).status_code == 200


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_concurrent_duplicates_store_one_row_and_enqueue_once(monkeypatch):
    integration = IntegrationFactory()
    calls = []
    monkeypatch.setattr(
        "integrations.services._enqueue_event", lambda pk: calls.append(pk)
    )
    body = event_body("evt_race")
    barrier = threading.Barrier(8)
    statuses = []

    def deliver():
        from django.db import connection as thread_connection

        barrier.wait()
        try:
            statuses.append(post(Client(), integration, body).status_code)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=deliver) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert statuses == [200] * 8
    assert WebhookEvent.objects.filter(stripe_id="evt_race").count() == 1
    assert len(calls) == 1


def test_nul_bytes_in_the_path_or_event_are_a_clean_4xx(client, integration):
    response = client.post(
        "/webhooks/stripe/%00abc/", data=event_body(), content_type="application/json"
    )
    assert response.status_code == 404
    assert RejectedDelivery.objects.get().integration_uuid == "abc"
    body = event_body(event_id="evt_\u0000nul")
    assert post(client, integration, body).status_code == 400
    assert not WebhookEvent.objects.exists()


def test_an_integration_with_events_cannot_be_deleted(client, integration, enqueued):
    """No foreign key in the database (see WebhookEvent.integration): PROTECT
    is what keeps the events' integration."""
    from django.db.models import ProtectedError

    post(client, integration, event_body())
    with pytest.raises(ProtectedError):
        integration.delete()
    assert WebhookEvent.objects.get().integration == integration
