"""Webhook delivery of the Stripe sandbox: signatures, retries, attempts, chaos."""

import json
import random
import time
from datetime import timedelta

import pytest
import requests
import stripe
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from integrations.models import WebhookEvent
from sandbox.faults import faults_set
from sandbox.stripeapi.models import ApiObject, Event, WebhookAttempt, WebhookDelivery
from sandbox.stripeapi.services import customers, payments, webhooks
from sandbox.stripeapi.services.core import RequestInfo, request_context
from sandbox.stripeapi.services.setup import sandbox_setup
from sandbox.stripeapi.services.webhooks import (
    _claim_due,
    webhook_deliveries_run_due,
    webhook_endpoint_create,
    webhook_endpoint_update,
)
from tests.sandbox.test_stripe_api import make_client
from tests.support.wsgi import wsgi_session

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("keep_db_connection")]


class Recorder:
    """A fake receiver: answers from a script of status codes (or exceptions)."""

    def __init__(self, *answers):
        self.answers = list(answers)
        self.calls = []

    def __call__(self, url, body, headers, timeout):
        self.calls.append({"url": url, "body": body, "headers": headers})
        answer = self.answers.pop(0) if self.answers else 200
        if isinstance(answer, Exception):
            raise answer
        return answer

    def events(self):
        return [json.loads(call["body"]) for call in self.calls]


def endpoint(events=("*",), api_version=None, url="https://receiver.example/hook"):
    return webhook_endpoint_create(
        url=url,
        enabled_events=list(events),
        api_version=api_version,
        description=None,
        metadata=None,
    )


def make_customer(email="w@example.com"):
    return customers.customer_create(fields={"email": email}, metadata=None)


def _confirmed_intent(client, payment_method="pm_card_visa"):
    """A PaymentIntent confirmed on creation: three events when it succeeds."""
    return client.v1.payment_intents.create(
        params={
            "amount": 700,
            "currency": "usd",
            "payment_method": payment_method,
            "confirm": True,
        }
    )


def test_delivery_is_signed_like_stripe():
    # given
    hook = endpoint()
    customer = make_customer()
    send = Recorder(200)

    # when
    sent = webhook_deliveries_run_due(send=send)

    # then
    assert sent == 1
    (call,) = send.calls
    assert call["url"] == hook.url
    assert call["headers"]["Content-Type"].startswith("application/json")
    event = stripe.Webhook.construct_event(
        call["body"], call["headers"]["Stripe-Signature"], hook.secret
    )
    assert event.type == "customer.created"
    assert event.data.object.id == customer["id"]
    with pytest.raises(stripe.SignatureVerificationError):
        stripe.Webhook.construct_event(
            call["body"], call["headers"]["Stripe-Signature"], "whsec_other"
        )
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == WebhookDelivery.Status.SUCCEEDED
    (attempt,) = delivery.attempts.all()
    assert (attempt.number, attempt.status_code, attempt.error) == (1, 200, "")
    assert webhook_deliveries_run_due(send=send) == 0


def test_end_to_end_into_the_portal_intake():
    # given an integration wired by setup_sandbox to http://testserver
    setup = sandbox_setup(erp="syspro", portal_url="http://testserver")
    session = wsgi_session()

    def send(url, body, headers, timeout):
        return session.post(
            url, data=body, headers=headers, timeout=timeout
        ).status_code

    # when
    pi = payments.payment_intent_create(
        amount=2500,
        currency="usd",
        customer=None,
        payment_method="pm_card_visa",
        confirm=True,
        description=None,
        receipt_email=None,
        metadata={"order": "1"},
    )
    sent = webhook_deliveries_run_due(send=send)

    # then the portal verified and stored every event
    assert sent == 3
    stored = WebhookEvent.objects.filter(integration__uuid=setup["integration_id"])
    assert sorted(stored.values_list("type", flat=True)) == [
        "charge.succeeded",
        "payment_intent.created",
        "payment_intent.succeeded",
    ]
    succeeded = stored.get(type="payment_intent.succeeded")
    assert succeeded.object_id == pi["id"]
    assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {
        "succeeded"
    }


class SteppingClock:
    """A monotonic clock each send moves forward by its own duration."""

    def __init__(self, *durations: float) -> None:
        self.now = 1000.0
        self.durations = list(durations)

    def monotonic(self) -> float:
        return self.now

    def time(self) -> float:
        return time.time()

    def step(self) -> None:
        self.now += self.durations.pop(0)


@override_settings(SANDBOX_WEBHOOK_RETRY_SCHEDULE=[1.0, 5.0])
def test_failed_delivery_is_retried_with_backoff_then_given_up(monkeypatch):
    endpoint()
    make_customer()
    clock = SteppingClock(0.25, 30.0, 0.0125)
    monkeypatch.setattr(webhooks, "time", clock)
    recorder = Recorder(500, requests.Timeout("read timed out"), 503)

    def send(url, body, headers, timeout):
        clock.step()
        return recorder(url, body, headers, timeout)

    t0 = timezone.now() + timedelta(seconds=1)

    assert webhook_deliveries_run_due(now=t0, send=send) == 1
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == "pending"
    assert delivery.next_attempt_at == t0 + timedelta(seconds=1)
    # not due yet
    assert webhook_deliveries_run_due(now=t0 + timedelta(seconds=0.5), send=send) == 0

    t1 = t0 + timedelta(seconds=1)
    assert webhook_deliveries_run_due(now=t1, send=send) == 1
    delivery.refresh_from_db()
    assert delivery.next_attempt_at == t1 + timedelta(seconds=5)
    assert delivery.last_error.startswith("Timeout")

    t2 = t1 + timedelta(seconds=5)
    assert webhook_deliveries_run_due(now=t2, send=send) == 1
    delivery.refresh_from_db()
    assert delivery.status == "failed"
    assert delivery.next_attempt_at is None
    attempts = list(delivery.attempts.values_list("number", "status_code"))
    assert attempts == [(1, 500), (2, None), (3, 503)]
    # Each attempt records how long its send took, by the clock.
    assert list(
        WebhookAttempt.objects.order_by("number").values_list("duration_ms", flat=True)
    ) == [250, 30000, 12]
    assert webhook_deliveries_run_due(now=t2 + timedelta(days=1), send=send) == 0


@override_settings(SANDBOX_WEBHOOK_RETRY_SCHEDULE=[2.0])
def test_retry_succeeds_and_events_api_reports_unsuccessful_deliveries():
    endpoint()
    first = make_customer("a@example.com")
    make_customer("b@example.com")
    send = Recorder(500, 200)
    now = timezone.now() + timedelta(seconds=1)
    webhook_deliveries_run_due(now=now, send=send)

    pending = make_client().v1.events.list(params={"delivery_success": False})
    assert [e.data.object.id for e in pending.data] == [first["id"]]
    assert pending.data[0].pending_webhooks == 1

    webhook_deliveries_run_due(now=now + timedelta(seconds=2), send=send)
    assert make_client().v1.events.list(params={"delivery_success": False}).data == []
    assert len(send.calls) == 3


def test_endpoint_gets_only_enabled_events_in_its_pinned_version():
    charges_only = endpoint(events=["charge.succeeded"], api_version="2025-03-31.basil")
    everything = endpoint()
    payments.payment_intent_create(
        amount=100,
        currency="usd",
        customer=None,
        payment_method="pm_card_visa",
        confirm=True,
        description=None,
        receipt_email=None,
        metadata=None,
    )
    send = Recorder()
    webhook_deliveries_run_due(send=send)

    by_url = {}
    for call in send.calls:
        by_url.setdefault(call["url"], []).append(json.loads(call["body"]))
    assert charges_only.url == everything.url  # same receiver, two endpoints
    deliveries = WebhookDelivery.objects.filter(endpoint=charges_only)
    assert [d.event.type for d in deliveries] == ["charge.succeeded"]
    basil = [e for e in send.events() if e["api_version"] == "2025-03-31.basil"]
    assert [e["type"] for e in basil] == ["charge.succeeded"]
    assert WebhookDelivery.objects.filter(endpoint=everything).count() == 3


def test_each_send_carries_the_pending_count_of_its_moment():
    # given one event, two endpoints that want it, and duplicates switched on
    endpoint()
    endpoint(url="https://second.example/hook")
    faults_set("stripe", webhook_duplicate_rate=1.0)
    make_customer()
    send = Recorder()

    # when one deliverer sends them one after the other
    webhook_deliveries_run_due(send=send)

    # then each send counts the deliveries not yet succeeded at that moment
    assert [body["pending_webhooks"] for body in send.events()] == [2, 1, 1, 0]
    urls = [call["url"] for call in send.calls]
    assert urls[0] == urls[1] != urls[2] == urls[3]
    numbers = WebhookAttempt.objects.order_by("delivery", "number").values_list(
        "number", "duplicate"
    )
    assert list(numbers) == [(1, False), (2, True), (1, False), (2, True)]


def test_a_delivery_costs_the_same_queries_whatever_the_batch():
    endpoint()
    make_customer("one@example.com")
    with CaptureQueriesContext(connection) as one:
        assert webhook_deliveries_run_due(send=Recorder()) == 1
    for n in range(3):
        make_customer(f"more{n}@example.com")
    with CaptureQueriesContext(connection) as three:
        assert webhook_deliveries_run_due(send=Recorder()) == 3

    # the lease, one read (delivery, event, endpoint), the delivery's new
    # state and the attempt
    per_delivery = (len(three) - len(one)) / 2
    assert per_delivery == 4


def test_a_first_delivery_to_one_endpoint_costs_one_read_and_two_writes(
    django_assert_max_num_queries,
):
    # given an event for one endpoint, leased
    endpoint()
    make_customer()
    now = timezone.now() + timedelta(seconds=1)
    (delivery_id,) = _claim_due(now=now, limit=10)
    send = Recorder()

    # when it is sent
    with django_assert_max_num_queries(3) as queries:
        webhooks._deliver(
            delivery_id=delivery_id, send=send, now=now, duplicate_rate=0.0
        )

    # then nothing counted its attempts or its event's pending deliveries
    # (one endpoint, no attempt yet), and the send says so all the same
    assert not [q for q in queries if "COUNT(" in q["sql"].upper()]
    assert send.events()[0]["pending_webhooks"] == 1
    assert list(WebhookAttempt.objects.values_list("number", "duplicate")) == [
        (1, False)
    ]


@override_settings(SANDBOX_WEBHOOK_RETRY_SCHEDULE=[1.0, 1.0, 1.0])
def test_a_revived_delivery_numbers_its_attempts_after_the_duplicates():
    # given a delivery sent once and duplicated, to one of two endpoints
    endpoint()
    endpoint(url="https://second.example/hook")
    faults_set("stripe", webhook_duplicate_rate=1.0)
    make_customer()
    webhook_deliveries_run_due(send=Recorder())
    faults_set("stripe", webhook_duplicate_rate=0.0)
    first = WebhookDelivery.objects.order_by("id").first()

    # when it is made due again and fails, then succeeds
    webhooks.webhook_delivery_retry_now(delivery_id=first.pk)
    send = Recorder(500, 200)
    now = timezone.now() + timedelta(seconds=1)
    webhook_deliveries_run_due(now=now, send=send)
    webhook_deliveries_run_due(now=now + timedelta(seconds=1), send=send)

    # then its attempts go on from the duplicate's number, and each send
    # counts the event's deliveries not yet succeeded
    assert list(first.attempts.values_list("number", "status_code", "duplicate")) == [
        (1, 200, False),
        (2, 200, True),
        (3, 500, False),
        (4, 200, False),
    ]
    assert [body["pending_webhooks"] for body in send.events()] == [1, 1]
    first.refresh_from_db()
    assert (first.status, first.attempt_count) == ("succeeded", 3)


def test_a_request_reads_the_endpoints_once_for_all_its_events():
    # given two endpoints, one for charges only
    endpoint(events=["charge.succeeded"])
    endpoint()

    # when one API call emits three events
    with CaptureQueriesContext(connection) as queries:
        _confirmed_intent(make_client())

    # then the endpoints were read once, and each event went where wanted
    reads = [
        q
        for q in queries
        if q["sql"].startswith('SELECT "sandbox_stripeapi_webhookendpoint".')
    ]
    assert len(reads) == 1
    by_type = sorted(
        (d.event.type, d.endpoint.enabled_events == ["*"])
        for d in WebhookDelivery.objects.select_related("event", "endpoint")
    )
    assert by_type == [
        ("charge.succeeded", False),
        ("charge.succeeded", True),
        ("payment_intent.created", True),
        ("payment_intent.succeeded", True),
    ]


def test_a_confirmed_payment_intent_is_inserted_once_in_its_final_state(
    django_assert_max_num_queries,
):
    # given an endpoint and a client past its first call
    endpoint(events=["charge.succeeded"])
    client = make_client()
    _confirmed_intent(client)

    # when a PaymentIntent is created and confirmed: the faults, the stored
    # answer's lookup, two savepoints, the endpoints, three objects, three
    # events, one delivery, the stored answer and two releases
    with django_assert_max_num_queries(16) as queries:
        intent = _confirmed_intent(client)

    # then the PaymentIntent was written once, as it ended, and its created
    # event still shows it as it began
    writes = [
        q["sql"].split('"')[1]
        for q in queries
        if q["sql"].startswith(("INSERT", "UPDATE"))
    ]
    assert writes[:3] == ["sandbox_stripeapi_apiobject"] * 3
    assert "UPDATE" not in " ".join(q["sql"][:6] for q in queries)
    stored = ApiObject.objects.get(stripe_id=intent.id)
    assert stored.data == intent.to_dict()
    assert stored.data["status"] == "succeeded"
    created = Event.objects.get(
        type="payment_intent.created", data__data__object__id=intent.id
    )
    assert created.data["data"]["object"]["status"] == "requires_confirmation"
    assert created.data["data"]["object"]["latest_charge"] is None


def test_a_request_writes_its_events_together_in_order_and_a_decline_keeps_them():
    endpoint()
    client = make_client()

    # when a confirmed PaymentIntent emits its three events
    with CaptureQueriesContext(connection) as queries:
        _confirmed_intent(client)

    # then they were written when the request ended, one row per INSERT (no
    # array of JSON bodies), their deliveries by one INSERT, in the order
    # they happened
    inserted = [
        q["sql"].split('"')[1] for q in queries if q["sql"].startswith("INSERT")
    ]
    events_from = inserted.index("sandbox_stripeapi_event")
    assert inserted[events_from:] == [
        "sandbox_stripeapi_event",
        "sandbox_stripeapi_event",
        "sandbox_stripeapi_event",
        "sandbox_stripeapi_webhookdelivery",
        "sandbox_stripeapi_idempotentrequest",
    ]
    assert list(Event.objects.order_by("id").values_list("type", flat=True)) == [
        "payment_intent.created",
        "charge.succeeded",
        "payment_intent.succeeded",
    ]
    # and a declined card (a 402 that keeps its writes) keeps its events
    with pytest.raises(stripe.CardError):
        _confirmed_intent(client, "pm_card_chargeDeclined")
    assert list(Event.objects.order_by("id").values_list("type", flat=True))[3:] == [
        "payment_intent.created",
        "charge.failed",
        "payment_intent.payment_failed",
    ]
    assert WebhookDelivery.objects.count() == 6


def test_an_endpoint_added_by_a_request_gets_that_requests_later_events():
    # given a request that emits an event before an endpoint exists
    with request_context(RequestInfo(id="req_test")):
        make_customer("before@example.com")
        # when it adds an endpoint, then emits another
        endpoint()
        make_customer("after@example.com")

    # then the endpoint gets the later event only
    (delivery,) = WebhookDelivery.objects.select_related("event")
    assert delivery.event.data["data"]["object"]["email"] == "after@example.com"


def test_disabled_endpoint_gets_nothing():
    hook = endpoint()
    webhook_endpoint_update(
        endpoint_id=hook.stripe_id,
        url=None,
        enabled_events=None,
        disabled=True,
        description=None,
        metadata=None,
    )
    make_customer()
    assert WebhookDelivery.objects.count() == 0


# -- chaos from the fault switches -----------------------------------------


def test_webhook_pause_holds_deliveries():
    endpoint()
    make_customer()
    faults_set("stripe", webhook_pause=True)
    assert webhook_deliveries_run_due(send=Recorder()) == 0
    faults_set("stripe", webhook_pause=False)
    assert webhook_deliveries_run_due(send=Recorder()) == 1


def test_webhook_duplicate_rate_sends_twice():
    hook = endpoint()
    faults_set("stripe", webhook_duplicate_rate=1.0)
    make_customer()
    send = Recorder()
    webhook_deliveries_run_due(send=send)
    assert len(send.calls) == 2
    assert send.events()[0]["id"] == send.events()[1]["id"]
    for call in send.calls:
        stripe.Webhook.construct_event(
            call["body"], call["headers"]["Stripe-Signature"], hook.secret
        )
    attempts = WebhookAttempt.objects.order_by("number")
    assert [a.duplicate for a in attempts] == [False, True]


def test_webhook_shuffle_changes_the_order():
    endpoint()
    for n in range(12):
        make_customer(f"c{n}@example.com")
    faults_set("stripe", webhook_shuffle=True)
    random.seed(7)
    send = Recorder()
    webhook_deliveries_run_due(send=send)
    emails = [e["data"]["object"]["email"] for e in send.events()]
    assert sorted(emails) == sorted(f"c{n}@example.com" for n in range(12))
    assert emails != [f"c{n}@example.com" for n in range(12)]


def test_webhook_delay_ms_postpones_delivery():
    endpoint()
    faults_set("stripe", webhook_delay_ms=30_000)
    make_customer()
    assert webhook_deliveries_run_due(send=Recorder()) == 0
    later = timezone.now() + timedelta(seconds=31)
    assert webhook_deliveries_run_due(now=later, send=Recorder()) == 1


def test_claimed_delivery_is_not_sent_twice_by_a_second_deliverer():
    endpoint()
    make_customer()

    now = timezone.now() + timedelta(seconds=1)
    assert len(_claim_due(now=now, limit=10)) == 1
    assert _claim_due(now=now, limit=10) == []


def test_sandbox_webhooks_command_runs_one_pass(monkeypatch):
    endpoint()
    make_customer()
    send = Recorder()
    monkeypatch.setattr("sandbox.stripeapi.services.webhooks.http_send", send)
    # The loop drops stale connections; here that would be the test transaction's.
    monkeypatch.setattr(
        "sandbox.management.commands.sandbox_webhooks.close_old_connections",
        lambda: None,
    )
    call_command("sandbox_webhooks", "--once", "--workers", "1")
    assert len(send.calls) == 1
    assert WebhookDelivery.objects.get().status == "succeeded"
