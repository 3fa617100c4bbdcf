"""Deliveries served below Django's request handling (portal.wsgi)."""

import logging

import pytest
from django.urls import reverse

from integrations import services
from integrations.models import RejectedDelivery, WebhookEvent
from tests.integrations.test_intake import event_body, sign
from tests.support.portal_wsgi import call

pytestmark = pytest.mark.django_db


def deliver(integration, body: str, **environ):
    return call(
        reverse("stripe-webhook", args=[integration.uuid]),
        body.encode(),
        HTTP_STRIPE_SIGNATURE=sign(body),
        **environ,
    )


@pytest.fixture
def enqueued(monkeypatch):
    calls = []
    monkeypatch.setattr(services, "_enqueue_event", calls.append)
    return calls


@pytest.fixture
def django_handler(monkeypatch):
    """Count the requests that reach Django's request handling."""
    reached = []
    from django.core.handlers.wsgi import WSGIHandler

    real = WSGIHandler.__call__

    def counting(self, environ, start_response):
        reached.append(environ["PATH_INFO"])
        return real(self, environ, start_response)

    monkeypatch.setattr(WSGIHandler, "__call__", counting)
    return reached


def test_a_delivery_is_stored_without_django_request_handling(
    integration, enqueued, django_handler, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        status, headers, content = deliver(integration, event_body("evt_wsgi"))
    assert status == 200
    assert headers["Content-Type"] == "application/json"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert b'"duplicate": false' in content
    event = WebhookEvent.objects.get()
    assert event.stripe_id == "evt_wsgi" and enqueued == [event.pk]
    assert django_handler == []


def test_a_redelivery_is_answered_as_a_duplicate(
    integration, enqueued, django_capture_on_commit_callbacks
):
    body = event_body("evt_again")
    with django_capture_on_commit_callbacks(execute=True):
        deliver(integration, body)
        status, _, content = deliver(integration, body)
    assert status == 200 and b'"duplicate": true' in content
    assert WebhookEvent.objects.count() == 1 and len(enqueued) == 1


def test_a_bad_signature_is_refused_and_logged(integration):
    body = event_body("evt_forged")
    status, _, content = call(
        reverse("stripe-webhook", args=[integration.uuid]),
        body.encode(),
        HTTP_STRIPE_SIGNATURE=sign(body, "whsec_someone_else"),
    )
    assert status == 400 and b"signature" in content
    assert not WebhookEvent.objects.exists()
    assert RejectedDelivery.objects.get().status_code == 400


def test_a_body_declared_too_large_is_refused_unread(integration, settings):
    settings.WEBHOOK_MAX_BODY_BYTES = 100
    path = reverse("stripe-webhook", args=[integration.uuid])
    status, _, _ = call(path, b"x" * 10, CONTENT_LENGTH="5000")
    assert status == 413


@pytest.mark.parametrize("length", ["", "abc", "-3"])
def test_no_valid_content_length_means_no_body(integration, length):
    path = reverse("stripe-webhook", args=[integration.uuid])
    status, _, _ = call(path, b"{}", CONTENT_LENGTH=length)
    assert status == 400


def test_an_unknown_integration_is_404(db):
    status, _, _ = call("/webhooks/stripe/00000000-0000-0000-0000-000000000000/")
    assert status == 404


def test_a_get_goes_to_django_and_is_405(integration, django_handler):
    path = reverse("stripe-webhook", args=[integration.uuid])
    status, headers, _ = call(path, method="GET")
    assert status == 405 and headers["Allow"] == "POST"
    assert django_handler == [path]


@pytest.mark.parametrize(
    "path", ["/webhooks/stripe/", "/webhooks/stripe//", "/webhooks/stripe/a/b/"]
)
def test_paths_beside_the_webhook_go_to_django(db, path, django_handler):
    status, _, _ = call(path, b"{}")
    assert status == 404 and django_handler == [path]


def test_other_pages_still_get_the_full_middleware(db):
    status, headers, _ = call("/admin/login/", method="GET")
    assert status == 200 and "csrftoken" in headers.get("Set-Cookie", "")


def test_an_error_is_a_logged_json_500(integration, monkeypatch, caplog):
    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(services, "webhook_event_receive", broken)
    with caplog.at_level(logging.ERROR, logger="django.request"):
        status, _, content = deliver(integration, event_body("evt_boom"))
    assert status == 500 and b"internal error" in content
    assert b"disk full" not in content
    assert "disk full" in caplog.text


def test_a_connection_broken_by_an_error_is_closed_after_the_answer(
    integration, monkeypatch
):
    closed = []
    monkeypatch.setattr(
        "integrations.wsgi.close_old_connections", lambda: closed.append(1)
    )
    monkeypatch.setattr(services, "webhook_event_receive", lambda **kw: 1 / 0)
    status, _, _ = deliver(integration, event_body("evt_broken"))
    assert status == 500 and closed == [1]


def test_plain_http_is_left_to_django_when_https_is_required(
    integration, settings, django_handler
):
    """SecurityMiddleware decides (it redirects; its settings are read once)."""
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    path = reverse("stripe-webhook", args=[integration.uuid])
    deliver(integration, event_body("evt_http"))
    assert django_handler == [path]


def test_https_behind_a_proxy_is_served_with_hsts(integration, settings, enqueued):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 3600
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    status, headers, _ = deliver(
        integration, event_body("evt_https"), HTTP_X_FORWARDED_PROTO="https"
    )
    assert status == 200
    assert headers["Strict-Transport-Security"] == "max-age=3600"


def test_a_portal_mounted_under_a_script_name_is_served_the_same(
    integration, enqueued, django_handler
):
    status, _, _ = deliver(integration, event_body("evt_mounted"), SCRIPT_NAME="/lb")
    assert status == 200 and django_handler == []
    assert WebhookEvent.objects.filter(stripe_id="evt_mounted").exists()
