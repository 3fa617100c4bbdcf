"""The customer portal in a real chromium: a buyer logs in, finds an item at
the contract price, orders it, pays by card on the Stripe sandbox's hosted
Checkout page, sees it in the history and in the SYSPRO sandbox; a buyer of
another company reaches none of it."""

import pytest
from django.apps import apps
from selenium.webdriver.common.by import By

from b2b.models import Order

# The portal's fixtures (SYSPRO sandbox integration, seeded catalog, two
# companies with a buyer each), shared with tests/b2b/.
from tests.b2b.conftest import (  # noqa: F401
    PASSWORD,
    bayside,
    bayside_buyer,
    catalog_data,
    contoso,
    contoso_buyer,
    live_integration,
)

from .conftest import wait_for

pytestmark = pytest.mark.django_db(transaction=True)


def log_in(browser, live_server, email: str) -> None:
    browser.get(f"{live_server.url}/portal/login/")
    wait_for(browser, "#id_username").send_keys(email)
    browser.find_element(By.ID, "id_password").send_keys(PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "form#login-form").submit()
    wait_for(browser, "#catalog")


def test_buyer_orders_and_pays_and_another_company_sees_nothing(
    browser, live_server, screenshot, request, settings
):
    # Stripe (the sandbox) sends the buyer back to the address the browser uses.
    settings.PORTAL_PUBLIC_URL = live_server.url
    buyer = request.getfixturevalue("bayside_buyer")
    other = request.getfixturevalue("contoso_buyer")
    contract = (
        apps.get_model("sandbox_syspro", "ContractPrice")
        .objects.filter(customer__code="0000001", stock_item__product_class="TOOL")
        .select_related("stock_item")
        .order_by("stock_item__stock_code")
        .first()
    )
    code = contract.stock_item.stock_code

    # The buyer logs in and finds the item at the contract price.
    log_in(browser, live_server, buyer.user.email)
    screenshot("catalog")
    search = browser.find_element(By.ID, "search")
    search.send_keys(code)
    search.submit()
    price = wait_for(browser, f'td.price[data-code="{code}"]').text
    assert price.startswith(f"{contract.price:,.2f} USD") and "contract" in price
    screenshot("search")

    # Orders three, paying by card.
    browser.find_element(By.LINK_TEXT, code).click()
    quantity = wait_for(browser, "#id_quantity")
    quantity.clear()
    quantity.send_keys("3")
    browser.find_element(By.CSS_SELECTOR, "#add-to-cart button").click()
    wait_for(browser, "#cart")
    assert (
        f"{contract.price * 3:,.2f} USD"
        in browser.find_element(By.ID, "cart-total").text
    )
    browser.find_element(By.ID, "checkout").click()
    wait_for(browser, "#review-form")
    browser.find_element(By.ID, "id_po_number").send_keys("PO-BROWSER-1")
    browser.find_element(By.CSS_SELECTOR, 'input[name="payment"][value="card"]').click()
    screenshot("review")
    browser.find_element(By.ID, "place-order").click()
    number = wait_for(browser, "#erp-order-number").text
    assert "Placed" in browser.find_element(By.ID, "order-status").text
    screenshot("placed")

    # Pays on the Checkout page the Stripe sandbox hosts, and comes back.
    browser.find_element(By.ID, "pay").click()
    wait_for(browser, "#pay-test-card")
    assert browser.current_url.startswith(
        f"{live_server.url}/sandbox/stripe/checkout/pay/cs_test_"
    )
    assert (
        f"{contract.price * 3:,.2f} USD"
        in browser.find_element(By.ID, "checkout-total").text
    )
    screenshot("checkout")
    browser.find_element(By.ID, "pay-test-card").click()
    assert "Paid by card" in wait_for(browser, "#pay-status").text
    assert (
        browser.current_url.startswith(f"{live_server.url}/portal/orders/")
        and "session_id=cs_test_" in browser.current_url
    )
    browser.find_element(
        By.LINK_TEXT, f"← Order {Order.objects.get().reference}"
    ).click()
    wait_for(browser, "#paid")
    screenshot("paid")

    # The order is in the history and once in the SYSPRO sandbox.
    order = Order.objects.get()
    [erp] = apps.get_model("sandbox_syspro", "SalesOrder").objects.filter(
        customer_po_number=order.reference
    )
    assert erp.sales_order == number and erp.customer.code == "0000001"
    assert order.checkout_session and order.payment_intent and order.card_paid_at
    browser.get(f"{live_server.url}/portal/orders/")
    assert order.reference in wait_for(browser, "#portal-orders").text
    assert number in browser.find_element(By.ID, "history").text
    screenshot("history")
    browser.find_element(By.ID, "logout").click()
    wait_for(browser, "#login-form")

    # A buyer of another company reaches none of it.
    log_in(browser, live_server, other.user.email)
    for path in (
        f"/portal/orders/{order.pk}/",
        f"/portal/orders/{order.pk}/pay/",
        f"/portal/history/{number}/",
    ):
        browser.get(f"{live_server.url}{path}")
        source = browser.page_source
        assert "Not Found" in source or "not found" in source.lower()
        assert order.reference not in source and "PO-BROWSER-1" not in source
    browser.get(f"{live_server.url}/portal/orders/")
    assert order.reference not in wait_for(browser, "#portal-orders").text
    screenshot("other-company")
