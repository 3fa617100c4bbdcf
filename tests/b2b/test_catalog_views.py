"""Catalog, item and cart pages with the company's own prices."""

import dataclasses
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.cache import cache
from django.urls import reverse

from b2b import pricing
from portal.money import to_minor

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_of(client):
    def log_in(buyer):
        client.force_login(buyer.user)
        return client

    return log_in


def contract(code: str, customer: str = "0000001") -> Decimal:
    return (
        apps.get_model("sandbox_syspro", "ContractPrice")
        .objects.get(customer__code=customer, stock_item__stock_code=code)
        .price
    )


def test_catalog_shows_the_contract_price_where_there_is_one(client_of, bayside_buyer):
    client = client_of(bayside_buyer)
    contract_row = (
        apps.get_model("sandbox_syspro", "ContractPrice")
        .objects.filter(customer__code="0000001")
        .select_related("stock_item")
        .order_by("stock_item__stock_code")
        .first()
    )
    code = contract_row.stock_item.stock_code
    response = client.get(reverse("b2b:catalog"), {"q": code})
    assert response.status_code == 200
    text = response.content.decode()
    assert f"{contract_row.price:,.2f} USD" in text and "contract" in text

    page = client.get(reverse("b2b:item", args=[code])).content.decode()
    assert f"{contract_row.price:,.2f} USD" in page


def test_price_list_item_shows_its_quantity_breaks(client_of, contoso_buyer):
    client = client_of(contoso_buyer)
    book = pricing.price_book(company=contoso_buyer.company)
    item = next(i for i in book.items.values() if i.breaks and i.contract_price is None)
    page = client.get(reverse("b2b:item", args=[item.code])).content.decode()
    assert "Volume prices" in page
    for price_break in item.breaks:
        assert f">{price_break.quantity}<" in page
    assert item.unit_price(price_break.quantity) == price_break.unit_price
    assert item.unit_price(1) == item.list_price


def test_search_and_category_narrow_the_catalog(client_of, bayside_buyer):
    client = client_of(bayside_buyer)
    response = client.get(reverse("b2b:catalog"), {"category": "TOOL", "q": "wrench"})
    text = response.content.decode()
    assert "Torque wrench" in text and "Hex bolt" not in text


def test_catalog_is_cached_then_stale_when_the_erp_is_down(
    client_of, bayside_buyer, sandbox_http, settings, monkeypatch
):
    client = client_of(bayside_buyer)
    client.get(reverse("b2b:catalog"))
    before = pricing.erp_calls["count"]
    client.get(reverse("b2b:catalog"))
    assert pricing.erp_calls["count"] == before  # warm: no ERP call at all

    settings.B2B_PRICE_MAX_AGE_SECONDS = 0
    _outage(sandbox_http, settings, on=True)
    page = client.get(reverse("b2b:catalog")).content.decode()
    assert 'id="stale-prices"' in page and "seconds ago" in page

    # Once the ERP failed, the next pages do not ask it again for a while.
    def no_erp(*args, **kwargs):
        raise AssertionError("the ERP was asked again")

    monkeypatch.setattr(pricing, "_read", no_erp)
    monkeypatch.setattr(pricing, "portal_erp_for", no_erp)
    page = client.get(reverse("b2b:catalog"), {"page": 2}).content.decode()
    assert 'id="stale-prices"' in page and "unknown" in page
    _outage(sandbox_http, settings, on=False)


def _outage(session, settings, *, on: bool) -> None:
    response = session.post(
        "http://testserver/sandbox/syspro/_control",
        json={"down": on},
        headers={"Authorization": f"Bearer {settings.SANDBOX_SYSPRO_CONTROL_KEY}"},
    )
    assert response.status_code == 200, response.text


def test_catalog_without_cache_and_erp_down_says_so(
    client_of, bayside_buyer, sandbox_http, settings
):
    _outage(sandbox_http, settings, on=True)
    response = client_of(bayside_buyer).get(reverse("b2b:catalog"))
    assert response.status_code == 503
    assert "cannot be read from the ERP" in response.content.decode()
    _outage(sandbox_http, settings, on=False)


def test_cart_add_validates_and_prices(client_of, bayside_buyer):
    client = client_of(bayside_buyer)
    book = pricing.price_book(company=bayside_buyer.company)
    code = sorted(book.items)[1]
    bad = client.post(reverse("b2b:cart_add"), {"code": code, "quantity": "-3"})
    assert bad.status_code == 302
    assert "Order at least 1." in client.get(bad["Location"]).content.decode()
    client.post(reverse("b2b:cart_add"), {"code": code, "quantity": "3"})
    page = client.get(reverse("b2b:cart")).content.decode()
    unit = book.items[code].unit_price(3)
    assert code in page
    assert f"{Decimal(unit * 3) / 100:,.2f} USD" in page
    assert to_minor(Decimal(unit) / 100, "USD") == unit


def test_unknown_item_and_open_redirect(client_of, bayside_buyer):
    client = client_of(bayside_buyer)
    assert client.get(reverse("b2b:item", args=["NOPE"])).status_code == 404
    response = client.post(
        reverse("b2b:cart_add"),
        {"code": "NOPE", "quantity": "1", "next": "https://evil.example/"},
    )
    assert not response["Location"].startswith("https://evil")


def test_a_read_in_progress_is_awaited_not_repeated(bayside_buyer, monkeypatch):
    """While one request reads a company's prices, another waits for that
    book instead of asking the ERP again; checkout never waits for it."""
    company = bayside_buyer.company
    book = pricing.price_book(company=company)
    key = pricing._key(company)
    pricing._cache_book(
        key, dataclasses.replace(book, fetched_at=book.fetched_at - 1e4)
    )
    cache.set(f"{key}:reading", 1, 10)

    def other_reader_finishes(seconds: float) -> None:
        pricing._cache_book(key, book)

    monkeypatch.setattr(pricing.time, "sleep", other_reader_finishes)
    before = pricing.erp_calls["count"]
    waited = pricing.price_book(company=company)
    assert waited.fetched_at == book.fetched_at and waited.fresh
    assert pricing.erp_calls["count"] == before
    assert pricing.price_book(company=company, fresh=True).fresh
    assert pricing.erp_calls["count"] == before + 2
