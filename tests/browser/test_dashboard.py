"""The dashboard in a real browser, after events went through the pipeline.

Events are stored and processed the way the webhook intake does it
(`webhook_event_store`, django-q2 inline), against the in-memory ERP and
Stripe the workflow tests use; the browser then signs in as each staff role,
reads the figures, follows one to its filtered list and saves screenshots.
"""

import json
import time

import pytest
from selenium.webdriver.common.by import By

from integrations.connectors.errors import ValidationError
from integrations.intake import webhook_event_store
from integrations.models import SyncRecord
from integrations.roles import FINANCE_REVIEWERS, INTEGRATION_ADMINS
from tests.integrations.workflows import stripe_events as se
from tests.integrations.workflows.conftest import FakeStripe, workflow_integration
from tests.support.fake_erp import FakeErp

from .conftest import wait_for


@pytest.fixture
def pipeline_integration(transactional_db, monkeypatch):
    """Three paid charges (USD, JPY, KWD) posted to the ERP and one whose
    payment the ERP refused, delivered through the real intake and ledger."""
    erp = FakeErp(kind="syspro")
    stripe = FakeStripe()
    monkeypatch.setattr(
        "integrations.connectors.stripe_api.stripe_api_for",
        lambda integration: lambda: stripe,
    )
    with erp.installed():
        integration = workflow_integration("syspro")
        integration.name = "Bayside SYSPRO"
        integration.save(update_fields=["name"])
        stripe.customers["cus_A"] = se.customer("cus_A", email="buyer@example.com")
        now = int(time.time())
        charges = [
            se.charge("ch_usd", amount=236992, currency="usd"),
            se.charge("ch_jpy", amount=12000, currency="jpy"),
            se.charge("ch_kwd", amount=1250, currency="kwd"),
        ]
        for charge in charges:
            _deliver(integration, se.event("charge.succeeded", charge, created=now))
        erp.fail_next(
            "post_payment", ValidationError("Bank STRIPE is on hold", field="Bank")
        )
        _deliver(
            integration,
            se.event(
                "charge.succeeded",
                se.charge("ch_refused", amount=5000, currency="usd"),
                created=now,
            ),
        )
        yield integration


def _deliver(integration, data: dict) -> None:
    webhook_event_store(
        integration=integration, data=data, body=json.dumps(data), source="webhook"
    )


def _figure_in_row(browser, label: str, column: int = 0):
    """The linked figure in `column` (0 = today) of the row headed `label`."""
    row = browser.find_element(
        By.XPATH, f"//tr[th[@scope='row' and normalize-space()='{label}']]"
    )
    return row.find_elements(By.CSS_SELECTOR, "a.lb-figure")[column]


def test_finance_reads_the_dashboard_and_opens_the_payments_behind_a_figure(
    browser, live_server, staff_user, browser_login, screenshot, pipeline_integration
):
    # given
    assert SyncRecord.objects.filter(
        status=SyncRecord.Status.NEEDS_ATTENTION, operation="post_payment"
    ).exists()
    browser_login(staff_user("fiona", role=FINANCE_REVIEWERS))

    # when
    browser.get(f"{live_server.url}/admin/")
    wait_for(browser, "#lb-dashboard")
    screenshot("dashboard-finance")

    # then the figures are in units of each currency
    panel = browser.find_element(By.ID, f"integration-{pipeline_integration.pk}")
    figures = [a.text for a in panel.find_elements(By.CSS_SELECTOR, "a.lb-figure")]
    assert "2,369.92 USD" in figures
    assert "12,000 JPY" in figures
    assert "1.250 KWD" in figures
    assert _figure_in_row(browser, "Events received").text == "4"
    assert panel.find_elements(By.CSS_SELECTOR, "figure.lb-chart svg")

    # when a money figure is followed
    usd = next(
        a
        for a in panel.find_elements(By.CSS_SELECTOR, "a.lb-figure")
        if a.text == "2,369.92 USD"
    )
    usd.click()
    wait_for(browser, "#result_list")
    screenshot("usd-payments-list")

    # then the list holds exactly that payment
    rows = browser.find_elements(By.CSS_SELECTOR, "#result_list tbody tr")
    assert len(rows) == 1
    assert "ch_usd" in rows[0].text
    assert "/admin/integrations/syncrecord/" in browser.current_url

    # when the refused payment's figure is followed
    browser.back()
    wait_for(browser, "#lb-dashboard")
    _figure_in_row(browser, "Needs attention: validation").click()
    wait_for(browser, "#result_list")
    screenshot("needs-attention-list")

    rows = browser.find_elements(By.CSS_SELECTOR, "#result_list tbody tr")
    assert len(rows) == 1
    assert "ch_refused" in rows[0].text


def test_an_integration_admin_reads_the_dashboard_and_opens_todays_events(
    browser, live_server, staff_user, browser_login, screenshot, pipeline_integration
):
    browser_login(staff_user("adam", role=INTEGRATION_ADMINS))

    browser.get(f"{live_server.url}/admin/")
    wait_for(browser, "#lb-dashboard")
    screenshot("dashboard-admin")
    received = _figure_in_row(browser, "Events received")
    assert received.text == "4"
    received.click()
    wait_for(browser, "#result_list")
    screenshot("events-received-today")

    rows = browser.find_elements(By.CSS_SELECTOR, "#result_list tbody tr")
    assert len(rows) == 4
    assert "integration__id__exact" in browser.current_url
