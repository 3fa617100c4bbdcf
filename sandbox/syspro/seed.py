"""Master data every SYSPRO sandbox starts with (the shared seed codes).

Plain data plus one function that takes a model getter, so the data migration
(historical models) and `_reset` (live models) load exactly the same rows.
"""

from collections.abc import Callable
from decimal import Decimal

CUSTOMERS = [
    ("0000001", "Bayside Bikes", "BAYSIDE", "USD"),
    ("0000002", "Northwind Traders", "NORTHWIND", "USD"),
    ("0000003", "Contoso Retail", "CONTOSO", "EUR"),
]
STOCK_ITEMS = [
    ("A100", "Widget A", Decimal("10.00")),
    ("A200", "Widget B", Decimal("25.50")),
    ("B100", "Gadget", Decimal("99.99")),
    ("SVC01", "Service hour", Decimal("120.00")),
]
WAREHOUSES = [("FG", "Finished goods"), ("RM", "Raw materials")]
ON_HAND = {"FG": Decimal("1000"), "RM": Decimal("0")}
BANKS = [("STRIPE", "Stripe balance"), ("FNB", "First National Bank")]
LEDGER_CODES = [
    ("1010", "Bank"),
    ("1090", "Stripe clearing"),
    ("1200", "AR control"),
    ("4000", "Sales"),
    ("4900", "Refunds"),
    ("5910", "Dispute losses"),
    ("6210", "Processing fees"),
    ("6220", "Dispute fees"),
    ("6900", "Adjustments"),
    ("7910", "FX gain/loss"),
]
# Product classes the sandbox company knows (ARSTIN ProductClass, SORTOI
# MiscProductClass must name one); match the SYSPRO package's default options.
PRODUCT_CLASSES = frozenset({"STRP", "_OTH", "_FRT", "DISP"})
CONTRACT_PRICES = [("0000001", "A100", Decimal("9.00"))]


def seed_master_data(get_model: Callable[[str], type]) -> None:
    """Create or restore the seeded rows; idempotent."""
    customer_model = get_model("Customer")
    for code, name, short_name, currency in CUSTOMERS:
        customer_model.objects.update_or_create(
            code=code,
            defaults={
                "name": name,
                "short_name": short_name,
                "currency": currency,
                "terms_code": "30",
                "credit_limit": Decimal("50000"),
                "telephone": "",
                "email": "",
                "on_hold": False,
                "addresses": {},
                "seeded": True,
            },
        )
    stock_model = get_model("StockItem")
    for stock_code, description, price in STOCK_ITEMS:
        stock_model.objects.update_or_create(
            stock_code=stock_code,
            defaults={"description": description, "selling_price": price},
        )
    warehouse_model = get_model("Warehouse")
    for code, description in WAREHOUSES:
        warehouse_model.objects.update_or_create(
            code=code, defaults={"description": description}
        )
    warehouse_item_model = get_model("WarehouseItem")
    for stock_item in stock_model.objects.all():
        for warehouse in warehouse_model.objects.all():
            warehouse_item_model.objects.update_or_create(
                stock_item=stock_item,
                warehouse=warehouse,
                defaults={"qty_on_hand": ON_HAND.get(warehouse.code, Decimal(0))},
            )
    for model_name, rows in (("Bank", BANKS), ("LedgerCode", LEDGER_CODES)):
        model = get_model(model_name)
        for code, description in rows:
            model.objects.update_or_create(
                code=code, defaults={"description": description}
            )
    contract_model = get_model("ContractPrice")
    for customer_code, stock_code, price in CONTRACT_PRICES:
        contract_model.objects.update_or_create(
            customer=customer_model.objects.get(code=customer_code),
            stock_item=stock_model.objects.get(stock_code=stock_code),
            defaults={"price": price},
        )
