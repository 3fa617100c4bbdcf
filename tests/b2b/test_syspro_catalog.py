"""The SYSPRO catalog reader against the in-process SYSPRO sandbox."""

from decimal import Decimal

import pytest
from django.apps import apps

from integrations.connectors.catalog_records import OrderStatus, PriceBreak
from integrations.erps.catalogs import portal_erp_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def reader(live_integration):
    return portal_erp_for(live_integration.erp_connection)


def test_price_list_reads_one_price_code_with_its_breaks(reader):
    items = reader.price_list(price_code="A", currency="USD")
    price_model = apps.get_model("sandbox_syspro", "InventoryPrice")
    assert len(items) == price_model.objects.filter(price_code="A").count() >= 300
    broken = next(item for item in items if item.breaks)
    stored = price_model.objects.get(stock_item__stock_code=broken.code, price_code="A")
    assert broken.price == stored.selling_price
    assert broken.breaks == tuple(
        PriceBreak(quantity=b.quantity, price=b.selling_price)
        for b in stored.breaks.order_by("quantity")
    )
    assert broken.category and broken.unit


def test_contract_prices_are_the_customers_own(reader):
    contract_model = apps.get_model("sandbox_syspro", "ContractPrice")
    prices = {p.code: p.price for p in reader.contract_prices(customer_code="0000001")}
    stored = {
        c.stock_item.stock_code: c.price
        for c in contract_model.objects.filter(customer__code="0000001")
    }
    assert prices == stored
    assert reader.contract_prices(customer_code="0000002") == []


def test_orders_and_one_order_scoped_to_the_customer(reader):
    orders = reader.orders(customer_code="0000001")
    assert {o.status for o in orders} >= {
        OrderStatus.COMPLETE,
        OrderStatus.CANCELLED,
        OrderStatus.PART_SHIPPED,
        OrderStatus.OPEN,
    }
    first = orders[0]
    detail = reader.order(customer_code="0000001", number=first.number)
    assert detail.summary.number == first.number
    assert detail.lines and sum(line.value for line in detail.lines) == first.total
    # Another customer's order number reads as no order at all.
    assert reader.order(customer_code="0000002", number=first.number) is None
    assert reader.order(customer_code="0000001", number="999999") is None


def test_statement_lists_open_and_paid_invoices(reader):
    statement = reader.statement(customer_code="0000001")
    assert statement.currency == "USD"
    balances = [invoice.balance for invoice in statement.invoices]
    assert any(b > 0 for b in balances) and any(b == 0 for b in balances)
    assert statement.balance == sum(balances, Decimal(0))
    assert reader.statement(customer_code="9999999") is None


def test_availability_sums_the_warehouses(reader):
    item_model = apps.get_model("sandbox_syspro", "WarehouseItem")
    code = reader.price_list(price_code="A", currency="USD")[0].code
    stock = reader.availability(code=code)
    assert stock.on_hand == sum(
        row.qty_on_hand
        for row in item_model.objects.filter(stock_item__stock_code=code)
    )
