"""Master data every SYSPRO sandbox starts with (the shared seed codes).

Plain data plus one function that takes a model getter, so the data migration
(historical models) and `_reset` (live models) load exactly the same rows.
"""

import datetime as dt
import random
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal

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
    ("1095", "Funds in transit"),
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


# --- The customer portal's catalog and history ------------------------------
# Loaded by `setup_sandbox` (and the portal's tests), not by the migrations or
# `_reset`: a few hundred items would slow every reset, and the pipeline's
# tests expect a company with no documents.

CATALOG_SEED = 18
CATALOG_FAMILIES = [
    # (product class, code prefix, unit, nouns, base price range in cents)
    (
        "FAST",
        "FS",
        "BOX",
        [
            "Hex bolt",
            "Wood screw",
            "Machine screw",
            "Washer",
            "Nylon nut",
            "Rivet",
            "Anchor",
            "Threaded rod",
        ],
        (450, 4800),
    ),
    (
        "TOOL",
        "TL",
        "EA",
        [
            "Torque wrench",
            "Socket set",
            "Hammer drill",
            "Pipe cutter",
            "Spirit level",
            "Utility knife",
            "Crimping tool",
            "Hex key set",
        ],
        (1200, 32000),
    ),
    (
        "SAFE",
        "SF",
        "EA",
        [
            "Safety glasses",
            "Hard hat",
            "Nitrile gloves",
            "Ear defenders",
            "Hi-vis vest",
            "Dust mask",
            "Knee pads",
            "First aid kit",
        ],
        (300, 9000),
    ),
    (
        "ELEC",
        "EL",
        "EA",
        [
            "Cable tie pack",
            "Junction box",
            "Circuit breaker",
            "LED panel",
            "Extension lead",
            "Cable reel",
            "Socket outlet",
            "Conduit bend",
        ],
        (250, 18000),
    ),
    (
        "PLMB",
        "PL",
        "EA",
        [
            "Ball valve",
            "Compression elbow",
            "PTFE tape",
            "Copper pipe 3m",
            "Pipe clip",
            "Float valve",
            "Tap washer kit",
            "Flexible hose",
        ],
        (150, 12000),
    ),
    (
        "PACK",
        "PK",
        "ROL",
        [
            "Stretch film",
            "Packing tape",
            "Bubble wrap",
            "Kraft paper",
            "Strapping band",
            "Corner board",
            "Void fill",
            "Label roll",
        ],
        (600, 7500),
    ),
]
CATALOG_SIZES = ["S", "M", "L", "XL", "6mm", "8mm", "10mm", "12mm"]
PORTAL_WAREHOUSES = [("E1", "East distribution centre"), ("W1", "West branch")]
# Price codes: A is the USD list price, B the USD trade price, E the EUR list.
PRICE_CODES = {"A": Decimal("1.00"), "B": Decimal("0.90"), "E": Decimal("0.93")}
# From these quantities, these fractions of the price code's price.
QUANTITY_BREAKS = [(Decimal(10), Decimal("0.95")), (Decimal(50), Decimal("0.90"))]
# Customers with contract prices: every n-th catalog item, at this fraction
# of the A (or E for EUR customers) price.
CONTRACT_CUSTOMERS = {"0000001": (3, Decimal("0.82")), "0000003": (5, Decimal("0.85"))}


def catalog_rows() -> list[tuple[str, str, str, str, Decimal]]:
    """(stock code, description, unit, product class, list price): the
    master data's items and 384 more."""
    rng = random.Random(CATALOG_SEED)  # noqa: S311 - demo data, not secrets
    rows = [
        (code, description, "EA", "MISC", price)
        for code, description, price in STOCK_ITEMS
    ]
    for product_class, prefix, unit, nouns, (low, high) in CATALOG_FAMILIES:
        for noun_index, noun in enumerate(nouns):
            for size_index, size in enumerate(CATALOG_SIZES):
                code = f"{prefix}{noun_index + 1:02d}{size_index + 1:02d}"
                cents = rng.randint(low, high)
                rows.append(
                    (code, f"{noun} {size}", unit, product_class, Decimal(cents) / 100)
                )
    return rows


def _price(amount: Decimal) -> Decimal:
    return amount.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def seed_catalog(get_model: Callable[[str], type]) -> None:
    """The portal's catalog: items in every warehouse, price codes with
    quantity breaks, and contract prices; idempotent."""
    rng = random.Random(CATALOG_SEED + 1)  # noqa: S311 - demo data
    stock_model = get_model("StockItem")
    warehouse_model = get_model("Warehouse")
    warehouse_item_model = get_model("WarehouseItem")
    price_model = get_model("InventoryPrice")
    break_model = get_model("PriceBreak")
    customer_model = get_model("Customer")
    contract_model = get_model("ContractPrice")
    for code, description in PORTAL_WAREHOUSES:
        warehouse_model.objects.update_or_create(
            code=code, defaults={"description": description}
        )
    warehouses = list(warehouse_model.objects.filter(code__in=["FG", "E1", "W1"]))
    rows = catalog_rows()
    existing = set(stock_model.objects.values_list("stock_code", flat=True))
    stock_model.objects.bulk_create(
        [
            stock_model(
                stock_code=code,
                description=description,
                stock_uom=unit,
                selling_price=price,
                product_class=product_class,
            )
            for code, description, unit, product_class, price in rows
            if code not in existing
        ]
    )
    stock_model.objects.filter(
        stock_code__in=[code for code, _, _ in STOCK_ITEMS], product_class=""
    ).update(product_class="MISC")
    items = {
        item.stock_code: item
        for item in stock_model.objects.filter(stock_code__in=[r[0] for r in rows])
    }
    stocked = set(
        warehouse_item_model.objects.filter(stock_item__in=items.values()).values_list(
            "stock_item_id", "warehouse_id"
        )
    )
    warehouse_item_model.objects.bulk_create(
        [
            warehouse_item_model(
                stock_item=item,
                warehouse=warehouse,
                # One item in eight is out of stock everywhere.
                qty_on_hand=Decimal(0)
                if index % 8 == 7
                else Decimal(rng.randint(0, 400)),
            )
            for index, item in enumerate(items.values())
            for warehouse in warehouses
            if (item.pk, warehouse.pk) not in stocked
        ]
    )
    priced = set(
        price_model.objects.filter(stock_item__in=items.values()).values_list(
            "stock_item_id", "price_code"
        )
    )
    price_model.objects.bulk_create(
        [
            price_model(
                stock_item=items[code],
                price_code=price_code,
                selling_price=_price(list_price * factor),
            )
            for code, _, _, _, list_price in rows
            for price_code, factor in PRICE_CODES.items()
            if (items[code].pk, price_code) not in priced
        ]
    )
    broken = set(break_model.objects.values_list("price_id", flat=True))
    break_model.objects.bulk_create(
        [
            break_model(
                price=price,
                quantity=quantity,
                selling_price=_price(price.selling_price * factor),
            )
            for price in price_model.objects.filter(stock_item__in=items.values())
            # Breaks on one item in three, in every price code.
            if price.stock_item_id % 3 == 0 and price.pk not in broken
            for quantity, factor in QUANTITY_BREAKS
        ]
    )
    for customer_code, (every, factor) in CONTRACT_CUSTOMERS.items():
        customer = customer_model.objects.filter(code=customer_code).first()
        if customer is None:
            continue
        price_code = "E" if customer.currency == "EUR" else "A"
        master = {code for code, _, _ in STOCK_ITEMS}
        for index, (code, _, _, _, list_price) in enumerate(rows):
            # The master data's own contract prices stay as they are.
            if index % every or code in master:
                continue
            contract_model.objects.update_or_create(
                customer=customer,
                stock_item=items[code],
                defaults={
                    "price": _price(list_price * PRICE_CODES[price_code] * factor)
                },
            )


def _next(counter_model: type, name: str) -> int:
    counter, _ = counter_model.objects.get_or_create(name=name)
    counter.value += 1
    counter.save(update_fields=["value"])
    return counter.value


HISTORY_STATUSES = ["9", "9", "9", "9", "3", "2", "1", "1", "\\", "9", "4", "9"]


def seed_history(get_model: Callable[[str], type], *, today: dt.date) -> None:
    """Order histories and AR invoices (some open, some paid) for the seeded
    customers that have no documents yet. The orders carry no customer PO:
    they were keyed in SYSPRO, not imported through LedgerBridge."""
    rng = random.Random(CATALOG_SEED + 2)  # noqa: S311 - demo data
    customer_model = get_model("Customer")
    order_model = get_model("SalesOrder")
    line_model = get_model("SalesOrderLine")
    invoice_model = get_model("ArInvoice")
    counter_model = get_model("Counter")
    price_model = get_model("InventoryPrice")
    rows = catalog_rows()
    for customer in customer_model.objects.filter(
        code__in=[c[0] for c in CUSTOMERS]
    ).order_by("code"):
        if (
            order_model.objects.filter(customer=customer).exists()
            or invoice_model.objects.filter(customer=customer).exists()
        ):
            continue
        price_code = "E" if customer.currency == "EUR" else "A"
        for index, status in enumerate(HISTORY_STATUSES):
            day = today - dt.timedelta(days=7 * (len(HISTORY_STATUSES) - index))
            order = order_model.objects.create(
                sales_order=f"{_next(counter_model, 'sales_order'):06d}",
                customer=customer,
                order_date=day,
                currency=customer.currency,
                warehouse="FG",
                order_status=status,
            )
            total = Decimal(0)
            for line_number in range(1, rng.randint(2, 5) + 1):
                code = rows[rng.randrange(len(rows))][0]
                price = (
                    price_model.objects.filter(
                        stock_item__stock_code=code, price_code=price_code
                    )
                    .values_list("selling_price", flat=True)
                    .first()
                ) or Decimal("1.00")
                quantity = Decimal(rng.randint(1, 24))
                line_model.objects.create(
                    order=order,
                    line=line_number,
                    line_type="1",
                    stock_code=code,
                    warehouse="FG",
                    order_qty=quantity,
                    order_uom=next(r[2] for r in rows if r[0] == code),
                    price=price,
                    value=price * quantity,
                    description=next(r[1] for r in rows if r[0] == code),
                )
                total += price * quantity
            if status not in ("9", "3", "2"):
                continue
            # Shipped orders were invoiced; the last few are still unpaid.
            open_invoice = index >= len(HISTORY_STATUSES) - 6
            invoice_model.objects.create(
                customer=customer,
                invoice=f"{_next(counter_model, 'ar_invoice'):07d}",
                transaction_type="I",
                invoice_date=day + dt.timedelta(days=2),
                reference=f"SO {order.sales_order}",
                invoice_value=total,
                balance=total if open_invoice else Decimal(0),
                journal=_next(counter_model, "ar_journal"),
            )
