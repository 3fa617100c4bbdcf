"""The guided setup, step by step, against the Stripe and SYSPRO sandboxes
(called in-process through tests/support/wsgi.py)."""

import pytest
import stripe
from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.urls import reverse

from integrations.connectors import http, stripe_api
from integrations.erps import registry
from integrations.models import (
    AuditEntry,
    Connection,
    Integration,
    SyncRecord,
    WebhookEvent,
    WebhookSecret,
)
from integrations.roles import FINANCE_REVIEWERS, INTEGRATION_ADMINS, roles_sync
from integrations.workflows import EVENT_FLOWS
from integrations.workflows.common import META_ERP_CODE
from onboarding import services
from onboarding.models import SetupDraft
from reconciliation.models import GlAccounts
from reconciliation.selectors import gl_accounts_get
from sandbox.stripeapi.models import WebhookEndpoint
from tests.factories import IntegrationFactory
from tests.support.wsgi import wsgi_session

pytestmark = pytest.mark.django_db

HOST = "http://testserver"
STRIPE_URL = f"{HOST}/sandbox/stripe"
SYSPRO_URL = f"{HOST}/sandbox/syspro/SYSPROWCFService/Rest"


@pytest.fixture(autouse=True)
def sandboxes(monkeypatch):
    """Connectors and the Stripe SDK reach the sandboxes in-process."""
    monkeypatch.setattr(http, "SESSION_FACTORY", lambda c: wsgi_session(HOST))
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)
    registry.close_all()


def _user(username: str, role: str) -> User:
    roles_sync()
    user = User.objects.create_user(username, password="pw", is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def admin_client(client):
    client.force_login(_user("ada", INTEGRATION_ADMINS))
    return client


def _start(client, name="Stripe US ↔ SYSPRO") -> SetupDraft:
    response = client.post(reverse("onboarding:index"), {"name": name})
    assert response.status_code == 302, response.content
    return SetupDraft.objects.get(name=name)


def _stripe(client, draft, key=None):
    return client.post(
        reverse("onboarding:stripe", args=[draft.pk]),
        {
            "api_key": settings.SANDBOX_STRIPE_API_KEY if key is None else key,
            "base_url": STRIPE_URL,
        },
    )


def _erp(client, draft, operator_password=None):
    return client.post(
        reverse("onboarding:erp", args=[draft.pk]) + "?kind=syspro",
        {
            "kind": "syspro",
            "base_url": SYSPRO_URL,
            "operator": settings.SANDBOX_SYSPRO_OPERATOR,
            "company_id": settings.SANDBOX_SYSPRO_COMPANY,
            "operator_password": operator_password
            or settings.SANDBOX_SYSPRO_OPERATOR_PASSWORD,
            "company_password": settings.SANDBOX_SYSPRO_COMPANY_PASSWORD,
        },
    )


OPTIONS = {
    "bank": "FNB",
    "warehouse": "E",
    "terms_code": "30",
    "product_class": "STRP",
    "misc_product_class": "_OTH",
    "gl.bank": "1010",
    "gl.clearing": "1090",
    "gl.ar": "1200",
    "gl.fees": "6210",
    "gl.refunds": "4900",
    "gl.disputes": "5910",
    "gl.dispute_fees": "6220",
    "gl.adjustments": "6900",
    "gl.fx": "7910",
    "gl.rounding": "7910",
    "currencies": "usd, JPY",
    "currency_precision": "round",
}


def test_stripe_step_tests_the_key_registers_the_endpoint_and_keeps_the_secret(
    admin_client,
):
    # given a new setup
    draft = _start(admin_client)

    # when the sandbox's key is entered
    response = _stripe(admin_client, draft)

    # then the account is shown and one endpoint is registered for the flows
    assert response.status_code == 302, response.content.decode()
    page = admin_client.get(response["Location"]).content.decode()
    assert "acct_ledgerbridgesandbox" in page
    assert "LedgerBridge Sandbox" in page
    draft.refresh_from_db()
    assert draft.stripe_account["default_currency"] == "USD"
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.url == f"{HOST}/webhooks/stripe/{draft.integration_uuid}/"
    assert endpoint.enabled_events == sorted(EVENT_FLOWS)
    assert "payout.paid" in endpoint.enabled_events
    assert endpoint.api_version == stripe_api.API_VERSION
    # the signing secret came from Stripe's reply, kept encrypted, never shown
    assert draft.pending_webhook_secret == endpoint.secret
    assert endpoint.secret not in page
    assert settings.SANDBOX_STRIPE_API_KEY not in page
    connection = draft.stripe_connection
    assert connection.secrets == {"api_key": settings.SANDBOX_STRIPE_API_KEY}


def test_stripe_step_again_updates_the_one_endpoint(admin_client):
    draft = _start(admin_client)
    _stripe(admin_client, draft)
    first = WebhookEndpoint.objects.get()

    # when the step is run again, with the key left blank (kept)
    response = _stripe(admin_client, draft, key="")

    # then the same endpoint is updated, none added
    assert response.status_code == 302, response.content.decode()
    assert WebhookEndpoint.objects.get().stripe_id == first.stripe_id
    draft.refresh_from_db()
    assert draft.webhook_endpoint_id == first.stripe_id


@pytest.mark.parametrize(
    ("key", "message"),
    [
        ("sk_test_wrong", "Stripe refused the connection&#x27;s secret key"),
        ("pk_test_123", "A Stripe secret key starts with sk_"),
    ],
)
def test_a_bad_stripe_key_is_refused_clearly_and_not_stored(admin_client, key, message):
    draft = _start(admin_client)

    response = _stripe(admin_client, draft, key=key)

    assert response.status_code == 200
    page = response.content.decode()
    assert message in page
    assert key not in page
    draft.refresh_from_db()
    assert draft.stripe_connection is None
    assert not Connection.objects.exists()
    assert not WebhookEndpoint.objects.exists()


def _through_options(client) -> SetupDraft:
    draft = _start(client)
    assert _stripe(client, draft).status_code == 302
    response = _erp(client, draft)
    assert response.status_code == 302, response.content.decode()
    response = client.post(reverse("onboarding:options", args=[draft.pk]), OPTIONS)
    assert response.status_code == 302, response.content.decode()
    draft.refresh_from_db()
    return draft


def test_erp_step_tests_the_logon_shows_the_company_and_creates_the_integration(
    admin_client,
):
    draft = _start(admin_client)
    _stripe(admin_client, draft)

    response = _erp(admin_client, draft)

    assert response.status_code == 302, response.content.decode()
    page = admin_client.get(response["Location"]).content.decode()
    assert "LedgerBridge Sandbox Company" in page
    assert "8.0.000" in page
    draft.refresh_from_db()
    assert draft.erp_profile["currency"] == "USD"
    integration = draft.integration
    assert integration.uuid == draft.integration_uuid
    assert (integration.is_active, integration.flows) == (False, [])
    # the endpoint's secret moved to the integration
    (secret,) = WebhookSecret.objects.filter(integration=integration)
    assert secret.secret == WebhookEndpoint.objects.get().secret
    assert draft.pending_webhook_secret == ""
    assert settings.SANDBOX_SYSPRO_OPERATOR_PASSWORD not in page
    assert integration.erp_connection.secrets["operator_password"] == (
        settings.SANDBOX_SYSPRO_OPERATOR_PASSWORD
    )


def test_a_refused_erp_logon_says_so_and_creates_nothing(admin_client):
    draft = _start(admin_client)
    _stripe(admin_client, draft)

    response = _erp(admin_client, draft, operator_password="wrong-password")

    assert response.status_code == 200
    page = response.content.decode()
    assert "SYSPRO refused the logon" in page
    assert "wrong-password" not in page
    assert not Integration.objects.exists()
    assert not Connection.objects.filter(kind="syspro").exists()


def test_options_step_writes_the_integration_options_in_one_place(admin_client):
    draft = _through_options(admin_client)

    options = draft.integration.options
    assert options["bank"] == "FNB"
    assert options["warehouse"] == "E"
    assert options["gl"]["bank"] == "1010"
    assert options["gl"]["clearing"] == "1090"
    assert options["currencies"] == ["JPY", "USD"]
    assert AuditEntry.objects.filter(action="setup.options_set").count() == 1


def test_options_step_refuses_codes_the_erp_field_cannot_hold(admin_client):
    draft = _start(admin_client)
    _stripe(admin_client, draft)
    _erp(admin_client, draft)

    response = admin_client.post(
        reverse("onboarding:options", args=[draft.pk]),
        {**OPTIONS, "warehouse": "W" * 11, "bank": "MY BANK"},
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "at most 10 characters" in page
    assert "A code without spaces." in page
    draft.refresh_from_db()
    assert draft.options_saved_at is None


def test_dry_run_then_go_live_narrows_the_endpoint_to_the_chosen_flows(
    admin_client,
):
    draft = _through_options(admin_client)
    url = reverse("onboarding:go_live", args=[draft.pk])

    # going live before a dry run is refused
    response = admin_client.post(url, {"flows": ["charges"], "days": 7, "go_live": 1})
    assert "Run the dry run first." in response.content.decode()

    response = admin_client.post(url, {"flows": ["charges"], "days": 7})
    assert response.status_code == 302, response.content.decode()
    draft.refresh_from_db()
    assert draft.dry_run["flows"] == ["charges"]
    page = admin_client.get(url).content.decode()
    assert "Nothing was stored or posted." in page
    integration = Integration.objects.get()
    assert (integration.is_active, integration.flows) == (False, [])

    response = admin_client.post(url, {"flows": ["charges"], "days": 7, "go_live": 1})

    assert response.status_code == 302, response.content.decode()
    integration.refresh_from_db()
    assert (integration.is_active, integration.flows) == (True, ["charges"])
    endpoint = WebhookEndpoint.objects.get()
    assert endpoint.enabled_events == sorted(
        t for t, flow in EVENT_FLOWS.items() if flow == "charges"
    )


def test_secrets_are_never_rendered_back(admin_client):
    draft = _through_options(admin_client)
    secret = WebhookEndpoint.objects.get().secret

    for name in ("stripe", "erp", "options", "go_live"):
        page = admin_client.get(reverse(f"onboarding:{name}", args=[draft.pk]))
        text = page.content.decode()
        assert page.status_code == 200
        for value in (
            settings.SANDBOX_STRIPE_API_KEY,
            settings.SANDBOX_SYSPRO_OPERATOR_PASSWORD,
            settings.SANDBOX_SYSPRO_COMPANY_PASSWORD,
            secret,
        ):
            assert value not in text, (name, value)


def test_a_person_without_the_integration_admin_role_gets_403(client):
    draft = SetupDraft.objects.create(name="Someone's")
    client.force_login(_user("fiona", FINANCE_REVIEWERS))

    for url in (
        reverse("onboarding:index"),
        reverse("onboarding:stripe", args=[draft.pk]),
        reverse("onboarding:go_live", args=[draft.pk]),
    ):
        assert client.get(url).status_code == 403
    assert client.post(reverse("onboarding:index"), {"name": "x"}).status_code == 403
    assert not SetupDraft.objects.filter(name="x").exists()


def test_anonymous_people_are_sent_to_the_login(client):
    response = client.get(reverse("onboarding:index"))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_the_dry_run_shows_what_last_weeks_charges_would_post(admin_client):
    # given a paid charge in the Stripe sandbox, booked to a SYSPRO customer
    draft = _through_options(admin_client)
    sc = stripe.StripeClient(
        settings.SANDBOX_STRIPE_API_KEY,
        base_addresses={"api": STRIPE_URL},
        http_client=stripe.RequestsClient(session=wsgi_session(HOST)),
        max_network_retries=0,
    )
    customer = sc.v1.customers.create(
        params={"name": "Bayside Bikes", "metadata": {META_ERP_CODE: "0000001"}}
    )
    intent = sc.v1.payment_intents.create(
        params={
            "amount": 236992,
            "currency": "usd",
            "payment_method": "pm_card_visa",
            "confirm": True,
            "customer": customer.id,
        }
    )
    url = reverse("onboarding:go_live", args=[draft.pk])

    # when the dry run covers the last 7 days with charges on
    response = admin_client.post(url, {"flows": ["charges"], "days": 7})

    # then it lists the ERP operations the charge would post, posts nothing
    assert response.status_code == 302, response.content.decode()
    draft.refresh_from_db()
    operations = {e.get("operation") for e in draft.dry_run["entries"]}
    assert "post_payment" in operations, draft.dry_run
    assert draft.dry_run["planned"] >= 1
    page = admin_client.get(url).content.decode()
    assert intent.latest_charge in page
    assert "post_payment" in page
    assert not SyncRecord.objects.exists()
    assert not WebhookEvent.objects.exists()


def test_an_existing_integration_is_set_up_again_without_a_second_endpoint(
    admin_client,
):
    # given an integration set up through the guide
    draft = _through_options(admin_client)
    integration = draft.integration
    SetupDraft.objects.all().delete()

    # when its admin opens the setup from the integration
    url = reverse("onboarding:integration", args=[integration.pk])
    response = admin_client.get(url)

    # then a setup of that integration resumes, once, with its connections
    assert response.status_code == 302
    resumed = SetupDraft.objects.get()
    assert admin_client.get(url)["Location"] == response["Location"]
    assert SetupDraft.objects.count() == 1
    assert resumed.integration_uuid == integration.uuid
    assert response["Location"] == reverse("onboarding:stripe", args=[resumed.pk])
    # and running Stripe again updates the endpoint Stripe already has
    assert _stripe(admin_client, resumed, key="").status_code == 302
    assert WebhookEndpoint.objects.count() == 1
    assert WebhookSecret.objects.filter(integration=integration).count() == 1


def test_options_step_refuses_a_currency_the_erp_cannot_book_under_refuse(
    admin_client,
):
    draft = _start(admin_client)
    _stripe(admin_client, draft)
    _erp(admin_client, draft)

    response = admin_client.post(
        reverse("onboarding:options", args=[draft.pk]),
        {**OPTIONS, "currencies": "USD, KWD", "currency_precision": "refuse"},
    )

    assert response.status_code == 200
    assert "KWD has 3 decimals" in response.content.decode()
    draft.refresh_from_db()
    assert draft.options_saved_at is None
    assert "KWD" not in draft.integration.options["currencies"]


def test_a_connection_name_taken_already_gets_a_number(admin_client):
    Connection.objects.create(name="Stripe US ↔ SYSPRO — Stripe", kind="stripe")
    draft = _start(admin_client)

    assert _stripe(admin_client, draft).status_code == 302

    draft.refresh_from_db()
    assert draft.stripe_connection.name == "Stripe US ↔ SYSPRO — Stripe (2)"


def test_an_endpoint_pinned_to_another_api_version_is_pointed_out(admin_client):
    # given our endpoint, pinned in Stripe to an old version
    draft = _start(admin_client)
    _stripe(admin_client, draft)
    WebhookEndpoint.objects.update(api_version="2017-08-15")

    # when the step runs again
    response = _stripe(admin_client, draft, key="")

    # then the page says so, and what to do
    page = admin_client.get(response["Location"]).content.decode()
    assert 'id="api-version-mismatch"' in page
    assert "2017-08-15" in page
    assert stripe_api.API_VERSION in page


def test_integrations_made_by_hand_are_listed_to_open_in_the_setup(admin_client):
    integration = IntegrationFactory(name="Hand-made")

    page = admin_client.get(reverse("onboarding:index")).content.decode()

    assert "Hand-made" in page
    assert reverse("onboarding:integration", args=[integration.pk]) in page


def test_options_step_asks_syspro_about_the_ledger_codes(admin_client):
    draft = _start(admin_client)
    _stripe(admin_client, draft)
    _erp(admin_client, draft)

    response = admin_client.post(
        reverse("onboarding:options", args=[draft.pk]),
        {**OPTIONS, "gl.fees": "9999"},
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "SYSPRO&#x27;s general ledger has no ledger code &#x27;9999&#x27;" in page
    draft.refresh_from_db()
    assert draft.options_saved_at is None
    assert draft.integration.options["gl"]["fees"] == "6210"


def test_a_gl_accounts_row_follows_the_accounts_chosen_in_the_setup(admin_client):
    # given an integration whose payout journals use a GL accounts row
    draft = _start(admin_client)
    _stripe(admin_client, draft)
    _erp(admin_client, draft)
    draft.refresh_from_db()
    GlAccounts.objects.create(
        integration=draft.integration,
        **{role: "1010" for role in GlAccounts.ROLES},
    )

    admin_client.post(reverse("onboarding:options", args=[draft.pk]), OPTIONS)

    # then the row says what the setup chose, so the journals post there (the
    # funds in transit account is set on the GL accounts row, not here)
    chosen = {role for role in GlAccounts.ROLES if f"gl.{role}" in OPTIONS}
    assert chosen == set(GlAccounts.ROLES) - {"funds_in_transit"}
    accounts = gl_accounts_get(integration=draft.integration)
    assert {role: accounts[role] for role in chosen} == {
        role: OPTIONS[f"gl.{role}"] for role in chosen
    }


def test_options_changed_while_syspro_was_asked_are_not_overwritten(
    admin_client, monkeypatch
):
    # given a setup whose ERP check runs while someone edits the options
    draft = _start(admin_client)
    _stripe(admin_client, draft)
    _erp(admin_client, draft)
    draft.refresh_from_db()
    asked = services._erp_problems_raise

    def asked_while_edited(integration, options):
        Integration.objects.filter(pk=integration.pk).update(
            options={**integration.options, "bank": "ABSA"}
        )
        return asked(integration, options)

    monkeypatch.setattr(services, "_erp_problems_raise", asked_while_edited)

    response = admin_client.post(
        reverse("onboarding:options", args=[draft.pk]), OPTIONS
    )

    # then the save is refused with the reason, and the other edit stands
    assert response.status_code == 200
    assert "changed meanwhile" in response.content.decode()
    draft.integration.refresh_from_db()
    assert draft.integration.options["bank"] == "ABSA"
