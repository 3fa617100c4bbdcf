"""A finance reviewer at work in a real browser: acknowledges an alert, retries
a record the ERP refused once its cause is fixed, and opens a payout's proof.

The data comes through the real intake and ledger (the dashboard test's
`pipeline_integration`: one payment the ERP refused, "Bank STRIPE is on hold").
"""

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from integrations.audit import alert_raise
from integrations.models import Alert, AuditEntry, SyncRecord
from integrations.roles import FINANCE_REVIEWERS
from reconciliation.models import Payout

from .conftest import wait_for
from .test_dashboard import pipeline_integration  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db(transaction=True)


def _run_action(browser, action: str, row_text: str) -> None:
    """Tick the changelist row that mentions `row_text` and run `action`."""
    row = browser.find_element(
        By.XPATH, f"//table[@id='result_list']//tr[contains(., '{row_text}')]"
    )
    row.find_element(By.CSS_SELECTOR, "input.action-select").click()
    Select(browser.find_element(By.NAME, "action")).select_by_value(action)
    browser.find_element(By.CSS_SELECTOR, "button[name='index']").click()
    wait_for(browser, "ul.messagelist")


def test_finance_acknowledges_an_alert_and_retries_the_refused_payment(
    browser,
    live_server,
    staff_user,
    browser_login,
    screenshot,
    pipeline_integration,  # noqa: F811
):
    # given an open alert and a payment the ERP refused while the bank was on hold
    alert_raise(
        integration=pipeline_integration,
        level=Alert.Level.CRITICAL,
        code="erp_refused",
        message="SYSPRO refused a payment: Bank STRIPE is on hold",
        dedupe_key="browser-test-alert",
    )
    refused = SyncRecord.objects.get(
        status=SyncRecord.Status.NEEDS_ATTENTION, stripe_id="ch_refused"
    )
    fiona = staff_user("fiona", role=FINANCE_REVIEWERS)
    browser_login(fiona)

    # when she acknowledges the alert
    browser.get(f"{live_server.url}/admin/integrations/alert/")
    wait_for(browser, "#result_list")
    screenshot("alerts-open")
    _run_action(browser, "acknowledge", "Bank STRIPE is on hold")
    screenshot("alert-acknowledged")

    # then it is hers, audited, and still open until resolved
    alert = Alert.objects.get(dedupe_key="browser-test-alert")
    assert alert.acknowledged_by == fiona
    assert alert.resolved_at is None
    assert AuditEntry.objects.filter(actor=fiona).exists()

    # when the bank is off hold and she retries the refused payment
    browser.get(
        f"{live_server.url}/admin/integrations/syncrecord/?status=needs_attention"
    )
    wait_for(browser, "#result_list")
    screenshot("needs-attention")
    _run_action(browser, "retry", "ch_refused")
    screenshot("retried")

    # then the payment is posted
    refused.refresh_from_db()
    assert refused.status == SyncRecord.Status.SUCCEEDED


def test_finance_opens_a_payout_proof_in_units(
    browser,
    live_server,
    staff_user,
    browser_login,
    screenshot,
    pipeline_integration,  # noqa: F811
):
    payout = Payout.objects.create(
        integration=pipeline_integration,
        stripe_id="po_browser",
        amount=236992,
        currency="usd",
    )
    browser_login(staff_user("fiona", role=FINANCE_REVIEWERS))

    browser.get(f"{live_server.url}/admin/reconciliation/payout/{payout.pk}/change/")
    wait_for(browser, "#content-main")
    browser.find_element(By.LINK_TEXT, "report").click()
    wait_for(browser, "#content")
    screenshot("payout-proof")

    page = browser.find_element(By.TAG_NAME, "body").text
    assert "po_browser" in page
    assert "2,369.92 USD" in page
