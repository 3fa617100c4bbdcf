"""The ERP step against the real Sage Pro agent over generated tables."""

import pytest
import requests
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.urls import reverse

from integrations.connectors import http
from integrations.models import Connection, Integration
from integrations.roles import INTEGRATION_ADMINS, roles_sync
from onboarding.models import SetupDraft
from tests.support.sagepro_agent import SageProAgent
from tests.support.wsgi import wsgi_session

pytestmark = pytest.mark.django_db

HOST = "http://testserver"


@pytest.fixture
def admin_client(client, monkeypatch):
    # Stripe is the in-process sandbox; the agent is a real local process.
    monkeypatch.setattr(
        http,
        "SESSION_FACTORY",
        lambda c: wsgi_session(HOST) if c.kind == "stripe" else requests.Session(),
    )
    roles_sync()
    user = User.objects.create_user("ada", password="pw", is_staff=True)
    user.groups.add(Group.objects.get(name=INTEGRATION_ADMINS))
    client.force_login(user)
    return client


def _erp(client, draft, agent: SageProAgent, key: str):
    return client.post(
        reverse("onboarding:erp", args=[draft.pk]),
        {"kind": "sagepro", "base_url": agent.base_url, "api_key": key},
    )


def test_sage_pro_logon_shows_the_agents_company_and_a_wrong_key_is_refused(
    admin_client, sagepro_agent
):
    admin_client.post(reverse("onboarding:index"), {"name": "Stripe ↔ Sage Pro"})
    draft = SetupDraft.objects.get()
    admin_client.post(
        reverse("onboarding:stripe", args=[draft.pk]),
        {
            "api_key": settings.SANDBOX_STRIPE_API_KEY,
            "base_url": f"{HOST}/sandbox/stripe",
        },
    )

    refused = _erp(admin_client, draft, sagepro_agent, "not-the-key")
    assert refused.status_code == 200
    assert "not-the-key" not in refused.content.decode()
    assert 'id="setup-error">Sage Pro: ' in refused.content.decode()
    assert not Connection.objects.filter(kind="sagepro").exists()

    response = _erp(admin_client, draft, sagepro_agent, sagepro_agent.key)

    assert response.status_code == 302, response.content.decode()
    draft.refresh_from_db()
    assert draft.erp_profile["company"]
    assert draft.erp_profile["version"].startswith("agent ")
    page = admin_client.get(response["Location"]).content.decode()
    assert draft.erp_profile["company"] in page
    assert sagepro_agent.key not in page
    assert Integration.objects.get().erp_connection.kind == "sagepro"
    options = admin_client.get(reverse("onboarding:options", args=[draft.pk]))
    assert 'name="gl.clearing"' in options.content.decode()
