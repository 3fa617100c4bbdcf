"""The guided setup in a real chromium: an integration admin sets up a new
integration from scratch against the Stripe and SYSPRO sandboxes, without
touching JSON; a finance reviewer is refused. Screenshots of each step.

The portal reaches the sandboxes in-process (tests/support/wsgi.py), as the
other browser tests do, so the live server never calls itself.
"""

import pytest
import stripe
from django.apps import apps
from django.conf import settings
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from selenium.webdriver.common.by import By

from integrations.connectors import http
from integrations.erps import registry
from integrations.models import Integration, WebhookSecret
from integrations.roles import FINANCE_REVIEWERS, INTEGRATION_ADMINS
from integrations.workflows.common import META_ERP_CODE
from sandbox.stripeapi.models import WebhookEndpoint
from sandbox.syspro.seed import seed_master_data
from tests.support.wsgi import wsgi_session

from .conftest import wait_for

pytestmark = pytest.mark.django_db(transaction=True)

HOST = "http://testserver"


@pytest.fixture
def sandboxes(monkeypatch):
    # An earlier transactional test flushed the database, and with it the
    # rows the SYSPRO sandbox's data migration seeded (its GL accounts).
    seed_master_data(lambda name: apps.get_model("sandbox_syspro", name))
    monkeypatch.setattr(http, "SESSION_FACTORY", lambda c: wsgi_session(HOST))
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)
    registry.close_all()


def _fill(browser, values: dict[str, str]) -> None:
    for name, value in values.items():
        field = browser.find_element(By.NAME, name)
        field.clear()
        field.send_keys(value)


def _submit(browser, form_id: str, button: str = "input[type=submit].default"):
    browser.find_element(By.CSS_SELECTOR, f"#{form_id} {button}").click()


def _paid_charge() -> str:
    """A paid charge in the Stripe sandbox, booked to a seeded SYSPRO customer."""
    sc = stripe.StripeClient(
        settings.SANDBOX_STRIPE_API_KEY,
        base_addresses={"api": f"{HOST}/sandbox/stripe"},
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
    return intent.latest_charge


def test_an_integration_admin_sets_up_an_integration_from_scratch(
    browser, live_server, staff_user, browser_login, screenshot, sandboxes
):
    admin = staff_user("ada", role=INTEGRATION_ADMINS)
    browser_login(admin)
    browser.get(f"{live_server.url}/admin/setup/")
    wait_for(browser, "#setup-start")
    screenshot("0-start")

    _fill(browser, {"name": "Stripe US ↔ SYSPRO"})
    _submit(browser, "setup-start")

    # 1. Stripe: a wrong key first, then the sandbox's
    wait_for(browser, "#setup-stripe")
    _fill(browser, {"api_key": "sk_test_wrong", "base_url": f"{HOST}/sandbox/stripe"})
    _submit(browser, "setup-stripe")
    error = wait_for(browser, "#setup-error").text
    assert "Stripe refused the connection's secret key" in error
    screenshot("1-stripe-refused")
    _fill(
        browser,
        {
            "api_key": settings.SANDBOX_STRIPE_API_KEY,
            "base_url": f"{HOST}/sandbox/stripe",
        },
    )
    _submit(browser, "setup-stripe")
    account = wait_for(browser, "#stripe-account").text
    assert "acct_ledgerbridgesandbox" in account
    endpoint = browser.find_element(By.ID, "webhook-endpoint").text
    assert f"{live_server.url}/webhooks/stripe/" in endpoint
    assert settings.SANDBOX_STRIPE_API_KEY not in browser.page_source
    screenshot("1-stripe")

    # 2. SYSPRO
    browser.find_element(By.LINK_TEXT, "Next: connect the ERP").click()
    wait_for(browser, "#setup-erp")
    _fill(
        browser,
        {
            "base_url": f"{HOST}/sandbox/syspro/SYSPROWCFService/Rest",
            "operator": settings.SANDBOX_SYSPRO_OPERATOR,
            "company_id": settings.SANDBOX_SYSPRO_COMPANY,
            "operator_password": settings.SANDBOX_SYSPRO_OPERATOR_PASSWORD,
            "company_password": settings.SANDBOX_SYSPRO_COMPANY_PASSWORD,
        },
    )
    _submit(browser, "setup-erp")
    profile = wait_for(browser, "#erp-profile").text
    assert "LedgerBridge Sandbox Company" in profile
    assert "USD" in profile
    screenshot("2-erp")

    # 3. Codes, typed into fields (no JSON)
    browser.find_element(By.PARTIAL_LINK_TEXT, "Next: bank").click()
    wait_for(browser, "#setup-options")
    _fill(browser, {"bank": "FNB", "warehouse": "E", "gl.fees": "6220"})
    screenshot("3-options")
    _submit(browser, "setup-options")

    # 4. Dry run over a week with a paid charge, then go live with charges
    # and refunds. The charge is made once the live server has answered:
    # both threads share one in-memory SQLite connection.
    wait_for(browser, "#setup-go-live")
    charge = _paid_charge()
    for box in browser.find_elements(By.CSS_SELECTOR, "input[name=flows]"):
        if box.is_selected() != (box.get_attribute("value") in ("charges", "refunds")):
            box.click()
    _submit(browser, "setup-go-live", "input[name=dry_run]")
    summary = wait_for(browser, "#dry-run-summary").text
    assert "Nothing was stored or posted." in summary
    entries = browser.find_element(By.ID, "dry-run-entries").text
    assert charge in entries
    assert "post_payment" in entries
    screenshot("4-dry-run")
    _submit(browser, "setup-go-live", "input[name=go_live]")
    assert "Live since" in wait_for(browser, "#setup-live").text
    screenshot("4-live")

    integration = Integration.objects.get(name="Stripe US ↔ SYSPRO")
    assert integration.is_active
    assert sorted(integration.flows) == ["charges", "refunds"]
    assert integration.options["bank"] == "FNB"
    assert integration.options["gl"]["fees"] == "6220"
    (endpoint_row,) = WebhookEndpoint.objects.all()
    (secret,) = WebhookSecret.objects.filter(integration=integration)
    assert secret.secret == endpoint_row.secret
    assert "refund.created" in endpoint_row.enabled_events
    assert "customer.created" not in endpoint_row.enabled_events


def test_a_finance_reviewer_cannot_open_the_setup(
    browser, live_server, staff_user, browser_login, screenshot
):
    browser_login(staff_user("fiona", role=FINANCE_REVIEWERS))
    browser.get(f"{live_server.url}/admin/setup/")
    wait_for(browser, "body")
    assert "403" in browser.page_source or "Forbidden" in browser.page_source
    assert not browser.find_elements(By.ID, "setup-start")
    screenshot("refused")
