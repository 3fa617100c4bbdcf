"""Integration set-up through the admin."""

import pytest
from django.urls import reverse

from integrations.models import Alert, AuditEntry, Integration, WebhookSecret
from mapping.models import MappingSet
from tests.factories import ConnectionFactory, IntegrationFactory

pytestmark = pytest.mark.django_db


def test_adding_an_integration_installs_default_mappings_and_the_secret(admin_client):
    stripe_conn = ConnectionFactory()
    erp_conn = ConnectionFactory(kind="sagepro", base_url="http://sage:8080/api/v1")
    response = admin_client.post(
        reverse("admin:integrations_integration_add"),
        {
            "name": "Acme Stripe ↔ Sage Pro",
            "stripe_connection": stripe_conn.pk,
            "erp_connection": erp_conn.pk,
            "is_active": "on",
            "flows": ["charges", "refunds"],
            "stripe_api_version": "2025-03-31.basil",
            "options": '{"bank": "FNB"}',
            "new_signing_secret": "whsec_abc123def456",
            "webhook_secrets-TOTAL_FORMS": "0",
            "webhook_secrets-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    integration = Integration.objects.get(name="Acme Stripe ↔ Sage Pro")
    assert integration.flows == ["charges", "refunds"]
    assert MappingSet.objects.filter(integration=integration).exists()
    secret = WebhookSecret.objects.get(integration=integration)
    assert secret.secret == "whsec_abc123def456"
    assert (
        "whsec_abc123def456"
        not in admin_client.get(
            reverse("admin:integrations_integration_change", args=[integration.pk])
        ).content.decode()
    )


def test_a_signing_secret_must_look_like_one(admin_client):
    stripe_conn = ConnectionFactory()
    erp_conn = ConnectionFactory(kind="sagepro", base_url="http://sage:8080/api/v1")
    response = admin_client.post(
        reverse("admin:integrations_integration_add"),
        {
            "name": "Bad secret",
            "stripe_connection": stripe_conn.pk,
            "erp_connection": erp_conn.pk,
            "options": "{}",
            "new_signing_secret": "sk_live_oops",
            "webhook_secrets-TOTAL_FORMS": "0",
            "webhook_secrets-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "starts with whsec_" in response.content.decode()
    assert not Integration.objects.filter(name="Bad secret").exists()


def test_a_currency_the_erp_cannot_hold_is_refused_when_refusing_is_chosen(
    admin_client,
):
    stripe_conn = ConnectionFactory()
    erp_conn = ConnectionFactory(kind="sagepro", base_url="http://sage:8080/api/v1")
    response = admin_client.post(
        reverse("admin:integrations_integration_add"),
        {
            "name": "Kuwait",
            "stripe_connection": stripe_conn.pk,
            "erp_connection": erp_conn.pk,
            "options": '{"currency_precision": "refuse", "currencies": ["USD", "KWD"]}',
            "webhook_secrets-TOTAL_FORMS": "0",
            "webhook_secrets-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "KWD has 3 decimals" in page
    assert "USD has" not in page
    assert not Integration.objects.filter(name="Kuwait").exists()


def _syspro_integration_form(stripe_conn, erp_conn, options: str) -> dict:
    return {
        "name": "Acme Stripe ↔ SYSPRO",
        "stripe_connection": stripe_conn.pk,
        "erp_connection": erp_conn.pk,
        "options": options,
        "webhook_secrets-TOTAL_FORMS": "0",
        "webhook_secrets-INITIAL_FORMS": "0",
    }


def test_syspro_options_are_checked_on_save_each_bad_one_named(admin_client):
    # given a SYSPRO that cannot be reached (nothing listens on port 9)
    stripe_conn = ConnectionFactory()
    erp_conn = ConnectionFactory(
        kind="syspro", base_url="http://127.0.0.1:9/SYSPROWCFService/Rest"
    )

    response = admin_client.post(
        reverse("admin:integrations_integration_add"),
        _syspro_integration_form(stripe_conn, erp_conn, '{"payment_type": "CC"}'),
    )

    # then the format checks still refuse the payment type SYSPRO refuses
    assert response.status_code == 200
    assert "payment_type:" in response.content.decode()
    assert not Integration.objects.exists()


def test_a_syspro_that_cannot_be_asked_does_not_block_the_save(admin_client):
    stripe_conn = ConnectionFactory()
    erp_conn = ConnectionFactory(
        kind="syspro", base_url="http://127.0.0.1:9/SYSPROWCFService/Rest"
    )

    response = admin_client.post(
        reverse("admin:integrations_integration_add"),
        _syspro_integration_form(stripe_conn, erp_conn, '{"bank": "FNB"}'),
        follow=True,
    )

    assert Integration.objects.filter(name="Acme Stripe ↔ SYSPRO").exists()
    assert "the options were not checked" in response.content.decode()


def test_the_integration_page_leads_to_the_guided_setup_and_folds_the_json(
    admin_client,
):
    integration = IntegrationFactory()

    page = admin_client.get(
        reverse("admin:integrations_integration_change", args=[integration.pk])
    ).content.decode()

    assert reverse("onboarding:integration", args=[integration.pk]) in page
    assert "Advanced: options as JSON" in page
    index = admin_client.get(reverse("admin:index")).content.decode()
    assert reverse("onboarding:index") in index


def test_alert_actions_acknowledge_then_resolve_with_an_audit(admin_client, admin_user):
    alert = Alert.objects.create(level="warning", code="dead_letter", message="x")
    url = reverse("admin:integrations_alert_changelist")
    # when
    for action in ("acknowledge", "resolve"):
        response = admin_client.post(
            url, {"action": action, "_selected_action": [alert.pk]}
        )
        assert response.status_code == 302
    # then
    alert.refresh_from_db()
    assert alert.acknowledged_by == admin_user
    assert alert.acknowledged_at is not None
    assert alert.resolved_at is not None
    assert list(AuditEntry.objects.order_by("pk").values_list("action", flat=True)) == [
        "alert.acknowledge",
        "alert.resolve",
    ]
