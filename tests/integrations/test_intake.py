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
        "integrations.queue.event_process_enqueue", lambda pk: calls.append(pk)
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
    from integrations import intake, services

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
    later = time.monotonic() + intake.INTAKE_CACHE_SECONDS
    monkeypatch.setattr(intake, "_clock", lambda: later)
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
            "id must be a string of 1 to 255 characters",
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


@pytest.mark.django_db(transaction=True)
def test_in_autocommit_the_event_is_committed_before_it_is_enqueued(monkeypatch):
    # given the view's own autocommit connection (no test transaction around it)
    integration = IntegrationFactory()
    seen = []

    def enqueue(pk):
        # a worker on another connection must already find the row
        def look():
            try:
                seen.append(WebhookEvent.objects.filter(pk=pk).exists())
            finally:
                connection.close()  # this thread's own connection

        worker = threading.Thread(target=look)
        worker.start()
        worker.join()

    monkeypatch.setattr("integrations.queue.event_process_enqueue", enqueue)
    body = event_body("evt_autocommit")

    # when it is delivered twice
    first = post(Client(), integration, body)
    second = post(Client(), integration, body)

    # then one row, enqueued once, after its commit; the duplicate is answered
    assert (first.status_code, second.status_code) == (200, 200)
    assert second.json()["duplicate"] is True
    assert not connection.in_atomic_block
    assert WebhookEvent.objects.filter(stripe_id="evt_autocommit").count() == 1
    assert seen == [True]


def test_brackets_inside_strings_do_not_count_as_nesting(client, integration, enqueued):
    body = _odd(data={"object": {"id": "ch_1", "description": "[{" * 100}})

    response = post(client, integration, body)

    assert response.status_code == 200
    assert WebhookEvent.objects.get().body == body


def test_many_brackets_at_a_shallow_depth_are_accepted(client, integration, enqueued):
    # given an event with far more than 64 objects, none of them deep
    lines = [{"id": f"il_{n}", "period": {"start": n}} for n in range(100)]
    body = _odd(data={"object": {"id": "in_1", "lines": {"data": lines}}})

    response = post(client, integration, body)

    assert response.status_code == 200
    assert WebhookEvent.objects.get().body == body


@pytest.mark.parametrize(("levels", "status"), [(61, 200), (62, 400)])
def test_nesting_is_refused_past_64_levels_exactly(
    client, integration, enqueued, levels, status
):
    # The event, its data and its object are three levels; `levels` lists nest
    # inside the object, beside a string holding an escaped quote and a bracket.
    deep = json.loads("[" * levels + "]" * levels)
    body = _odd(data={"object": {"id": "ch_1", "note": '"]', "deep": deep}})

    response = post(client, integration, body)

    assert response.status_code == status
    if status == 400:
        assert "nested deeper than 64 levels" in response.json()["error"]["reason"]


def test_the_answer_carries_the_security_headers_but_no_page_policy(
    client, integration, enqueued
):
    response = post(client, integration, event_body())

    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    # A JSON answer to Stripe's servers is no page: no Content-Security-Policy.
    assert "Content-Security-Policy" not in response


def test_a_delivery_gets_no_session_or_user_even_where_admins_need_a_code(
    client, integration, enqueued, settings
):
    # given production's two-factor requirement for admins
    settings.OTP_REQUIRED_FOR_ADMINS = True

    response = post(client, integration, event_body())

    # then the delivery is stored, and nothing of a browser visit was set up
    assert response.status_code == 200
    request = response.wsgi_request
    assert not hasattr(request, "session")
    assert not hasattr(request, "user")
    assert not response.cookies


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_concurrent_duplicates_store_one_row_and_enqueue_once(monkeypatch):
    integration = IntegrationFactory()
    calls = []
    monkeypatch.setattr(
        "integrations.queue.event_process_enqueue", lambda pk: calls.append(pk)
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
    from django.db.models import ProtectedError

    post(client, integration, event_body())
    with pytest.raises(ProtectedError):
        integration.delete()
    assert WebhookEvent.objects.get().integration == integration


def test_the_database_refuses_an_event_of_no_integration(integration):
    from django.db import IntegrityError, transaction

    # given an event row pointing at an integration that does not exist
    event = WebhookEvent(
        integration_id=integration.pk + 1000, stripe_id="evt_orphan", type="x"
    )

    # then the foreign key refuses it (at once, or at the latest at commit)
    with pytest.raises(IntegrityError), transaction.atomic():
        event.save()
        connection.check_constraints()


# Signed but odd events ----------------------------------------------------------


def _odd(**fields) -> str:
    data = json.loads(event_body("evt_odd"))
    data.update(fields)
    return json.dumps(data)


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (
            '{"id": "evt_deep", "object": "event", "type": "x", "data": {"object": '
            + "[" * 100_000
            + "]" * 100_000
            + "}}",
            "nested deeper than 64 levels",
        ),
        (
            _odd(
                data={"object": {"id": "ch_1", "deep": json.loads("[" * 80 + "]" * 80)}}
            ),
            "nested deeper than 64 levels",
        ),
        (_odd(created=10**15), "created is not a Unix timestamp"),
        (_odd(created=-1), "created is not a Unix timestamp"),
        (_odd(created=True), "created is not a Unix timestamp"),
        (_odd(created=1.5), "created is not a Unix timestamp"),
        (_odd(api_version="2025-03-31\u0000"), "api_version contains a NUL"),
        (_odd(api_version=7), "api_version must be a string"),
        (_odd(api_version="v" * 41), "api_version must be a string"),
        (_odd(data={"object": {"id": 12}}), "data.object.id must be a string"),
        (_odd(data={"object": {"id": "ch_\u0000"}}), "data.object.id contains a NUL"),
    ],
)
def test_signed_but_odd_events_are_refused_with_a_reason(
    client, integration, enqueued, body, reason
):
    response = post(client, integration, body)

    assert response.status_code == 400
    assert reason in response.json()["error"]["reason"]
    assert not WebhookEvent.objects.exists()


def test_a_lone_surrogate_in_the_id_is_refused(client, integration, enqueued):
    body = event_body("evt_\ud800x")

    response = post(client, integration, body)

    assert response.status_code == 400
    assert response.json()["error"]["reason"] == "id is not valid Unicode"
    assert not WebhookEvent.objects.exists()


def test_a_body_without_a_content_length_is_411(client, integration):
    body = event_body()

    response = client.generic(
        "POST",
        reverse("stripe-webhook", args=[integration.uuid]),
        data=body,
        content_type="application/json",
        HTTP_STRIPE_SIGNATURE=sign(body),
        HTTP_TRANSFER_ENCODING="chunked",
        CONTENT_LENGTH="",
    )

    assert response.status_code == 411
    assert response.json()["error"]["reason"] == "a Content-Length header is required"
    assert not WebhookEvent.objects.exists()


# Reading the body ---------------------------------------------------------------


class UnreadableBody:
    """A wsgi.input that fails the test if anything reads it."""

    def read(self, *args):
        raise AssertionError("the body was read")

    readline = read


def _request(path: str, body_stream, length: int, **meta):
    from django.test import RequestFactory

    request = RequestFactory().post(
        path, data=b"", content_type="application/json", **meta
    )
    request.META["wsgi.input"] = body_stream
    request.META["CONTENT_LENGTH"] = str(length)
    request._stream = None
    from django.core.handlers.wsgi import LimitedStream

    request._stream = LimitedStream(body_stream, length)
    return request


@pytest.mark.parametrize("uuid", ["00000000-0000-0000-0000-000000000000", "nope"])
def test_no_body_is_read_for_an_unknown_endpoint(db, uuid):
    from integrations.views import stripe_webhook

    request = _request(f"/webhooks/stripe/{uuid}/", UnreadableBody(), 2048)

    response = stripe_webhook(request, uuid)

    assert response.status_code == 404


class StalledSocket:
    """gunicorn's socket of a client that sent its headers and stopped."""

    def __init__(self) -> None:
        self.timeouts: list[float | None] = []

    def settimeout(self, value):
        self.timeouts.append(value)


class StalledBody:
    def __init__(self, sock: StalledSocket, sent: bytes) -> None:
        self.sock, self.sent = sock, sent

    def read(self, size=-1):
        if self.sent:
            chunk, self.sent = self.sent[:1], self.sent[1:]
            return chunk
        # What socket.recv does once the timeout set on it runs out.
        raise TimeoutError("timed out")

    readline = read


def test_a_stalled_body_is_cut_off_with_a_408(integration, settings):
    from integrations.views import stripe_webhook

    settings.WEBHOOK_BODY_TIMEOUT_SECONDS = 7
    sock = StalledSocket()
    request = _request(
        f"/webhooks/stripe/{integration.uuid}/",
        StalledBody(sock, b"{"),
        1024,
        **{"gunicorn.socket": sock},
    )

    response = stripe_webhook(request, str(integration.uuid))

    assert response.status_code == 408
    assert json.loads(response.content)["error"]["reason"] == (
        "body not received within 7 s"
    )
    # Every read had a timeout of at most the time left, and the socket is
    # handed back to gunicorn blocking, as it was.
    assert all(0 < t <= 7 for t in sock.timeouts[:-1])
    assert sock.timeouts[-1] is None
    assert not WebhookEvent.objects.exists()


def test_a_body_shorter_than_declared_is_400(integration):
    from integrations.views import stripe_webhook

    class ShortBody:
        def read(self, size=-1):
            return b""

        readline = read

    request = _request(f"/webhooks/stripe/{integration.uuid}/", ShortBody(), 100)

    response = stripe_webhook(request, str(integration.uuid))

    assert response.status_code == 400
    assert b"shorter than its Content-Length" in response.content


# The rejected log ---------------------------------------------------------------


def test_a_storm_of_refused_deliveries_writes_a_bounded_log(
    client, integration, settings, monkeypatch, caplog
):
    from integrations import intake

    settings.WEBHOOK_REJECTED_LOG_PER_MINUTE = 3
    minute = [1000.0 * 60]
    monkeypatch.setattr(intake, "_clock", lambda: minute[0])
    monkeypatch.setattr(intake, "_rejected_budget", intake._RejectedLogBudget())

    # when 10 bad deliveries arrive within one minute
    for _ in range(10):
        assert post(client, integration, event_body(), "t=1,v1=00").status_code == 400

    # then only the budget is written, and the rest is counted once it ends
    assert RejectedDelivery.objects.count() == 3
    minute[0] += 60
    assert post(client, integration, event_body(), "t=1,v1=00").status_code == 400
    assert RejectedDelivery.objects.count() == 4
    assert "7 refused webhook deliveries were not logged" in caplog.text
