"""Integration set-up through the admin."""

import pytest
from django.urls import reverse

from integrations.models import Integration, WebhookSecret
from mapping.models import MappingSet
from tests.factories import ConnectionFactory

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
