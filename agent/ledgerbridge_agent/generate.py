"""A realistic Sage Pro company as VFP free tables, for tests and the demo.

Customers (arcust), items (icitem) with price codes and customer prices
(icpric), open sales orders (somast/sotran), open invoices (armast/artran,
artype blank), and the next-number records. The tables are created by the
`dbf` package (VFP table type, code page 1252) and filled through the agent's
own record codec, so keys are right-aligned and amounts exact. The same seed gives the
same company. The first customers and items are the portal's shared seed
codes (0000001 Bayside Bikes …, A100 Widget A …) so the portal's tests and
demo find them.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import dbf

from .dbffile import DbfTable
from .layout import Layout

SEED_CUSTOMERS = [
    ("0000001", "Bayside Bikes", "USD", "A"),
    ("0000002", "Northwind Traders", "USD", "B"),
    ("0000003", "Contoso Retail", "EUR", "A"),
]
SEED_ITEMS = [
    ("A100", "Widget A", Decimal("10.00")),
    ("A200", "Widget B", Decimal("25.50")),
    ("B100", "Gadget", Decimal("99.99")),
    ("SVC01", "Service hour", Decimal("120.00")),
]
NAMES = (
    "Alder Brook Supply",
    "Beacon Hill Foods",
    "Cedar Point Tools",
    "Delta Marine Parts",
    "Evergreen Office",
    "Foxglove Garden Co",
    "Granite Peak Outfitters",
    "Harbor Light Electric",
    "Ironwood Builders",
    "Juniper Medical",
    "Keystone Auto",
    "Lakeside Printing",
)
CITIES = (
    ("Portland", "OR", "97201"),
    ("Austin", "TX", "73301"),
    ("Denver", "CO", "80202"),
    ("Madison", "WI", "53703"),
    ("Raleigh", "NC", "27601"),
)
PRODUCTS = ("Bracket", "Hinge", "Valve", "Sensor", "Cable", "Filter", "Panel", "Pump")
TERMS = ("NET 30", "NET 15", "2% 10 NET 30", "COD")
PRICE_CODES = ("A", "B", "C")
CODE_DISCOUNT = {"A": Decimal("0.95"), "B": Decimal("0.90"), "C": Decimal("0.85")}
BASE_DATE = dt.date(2025, 1, 2)
CENT = Decimal("0.01")


def company_rows(
    *, customers: int, items: int, seed: int, orders: int | None = None
) -> dict[str, list[dict[str, Any]]]:
    rng = random.Random(seed)
    rows: dict[str, list[dict[str, Any]]] = {
        name: []
        for name in (
            "arcust",
            "icitem",
            "icpric",
            "somast",
            "sotran",
            "armast",
            "artran",
            "arcash",
            "arref",
            "glbtch",
        )
    }
    for index in range(max(customers, len(SEED_CUSTOMERS))):
        if index < len(SEED_CUSTOMERS):
            custno, company, currid, code = SEED_CUSTOMERS[index]
        else:
            custno = f"C{index + 1:05d}"
            company = f"{rng.choice(NAMES)} {index + 1}"
            currid = rng.choice(("USD", "USD", "USD", "EUR", "GBP"))
            code = rng.choice(PRICE_CODES)
        city, state, zipcode = rng.choice(CITIES)
        rows["arcust"].append(
            {
                "custno": custno,
                "company": company,
                "contact": rng.choice(("Ana Ruiz", "Ben Ito", "Cleo Park", "Dev Rao")),
                "address1": f"{rng.randint(10, 9999)} Main St",
                "city": city,
                "addrstate": state,
                "zip": zipcode,
                "country": "US",
                "phone": f"555-{rng.randint(1000, 9999)}",
                "email": f"ap@{custno.lower()}.example.com",
                "pterms": rng.choice(TERMS),
                "credlimit": Decimal(rng.choice((5000, 10000, 25000, 50000))),
                "balance": Decimal(0),
                "credstat": "",
                "currid": currid,
                "pricecode": code,
            }
        )
    for index in range(max(items, len(SEED_ITEMS))):
        if index < len(SEED_ITEMS):
            item, descrip, price = SEED_ITEMS[index]
        else:
            item = f"P{index + 1:05d}"
            descrip = f"{rng.choice(PRODUCTS)} {rng.randint(1, 99)}"
            price = Decimal(rng.randint(100, 50000)) / 100
        rows["icitem"].append({"item": item, "descrip": descrip, "price": price})
        for code in PRICE_CODES:
            rows["icpric"].append(
                {
                    "item": item,
                    "pricecode": code,
                    "custno": "",
                    "price": (price * CODE_DISCOUNT[code]).quantize(
                        Decimal("0.0001"), ROUND_HALF_UP
                    ),
                    "currid": "",
                }
            )
    # A few contract prices for single customers.
    for customer in rng.sample(rows["arcust"], k=min(3, len(rows["arcust"]))):
        item = rng.choice(rows["icitem"])
        rows["icpric"].append(
            {
                "item": item["item"],
                "pricecode": "",
                "custno": customer["custno"],
                "price": (item["price"] * Decimal("0.8")).quantize(CENT),
                "currid": customer["currid"],
            }
        )
    order_count = orders if orders is not None else max(3, customers // 2)
    for number in range(1, order_count + 1):
        customer = rng.choice(rows["arcust"])
        ordate = BASE_DATE + dt.timedelta(days=rng.randint(0, 300))
        sono = str(1000 + number)
        total = Decimal(0)
        for lineno in range(1, rng.randint(1, 5) + 1):
            item = rng.choice(rows["icitem"])
            qty = Decimal(rng.randint(1, 20))
            extprice = (qty * item["price"]).quantize(CENT, ROUND_HALF_UP)
            total += extprice
            rows["sotran"].append(
                {
                    "sono": sono,
                    "tranlineno": lineno,
                    "custno": customer["custno"],
                    "item": item["item"],
                    "descrip": item["descrip"],
                    "qtyord": qty,
                    "origqtyord": qty,
                    "qtyshp": Decimal(0),
                    "price": item["price"],
                    "disc": Decimal(0),
                    "extprice": extprice,
                    "loctid": "MAIN",
                    "sostat": "",
                    "ordate": ordate,
                }
            )
        rows["somast"].append(
            {
                "sono": sono,
                "custno": customer["custno"],
                "ordate": ordate,
                "ponum": f"PO-{rng.randint(10000, 99999)}",
                "ordamt": total,
                "shpamt": Decimal(0),
                "tax": Decimal(0),
                "pterms": customer["pterms"],
                "sostat": "",
                "sotype": "",
                "currid": customer["currid"],
                "adduser": "ADMIN",
                "adddate": ordate,
            }
        )
        if number % 2 == 0:
            invno = str(5000 + number)
            paid = (total * Decimal(rng.choice((0, 0, 50, 100))) / 100).quantize(CENT)
            rows["armast"].append(
                {
                    "invno": invno,
                    "custno": customer["custno"],
                    "invdte": ordate + dt.timedelta(days=3),
                    "ponum": rows["somast"][-1]["ponum"],
                    "sono": sono,
                    "artype": "",
                    "invamt": total,
                    "paidamt": paid,
                    "balance": total - paid,
                    "arstat": "",
                    "currid": customer["currid"],
                }
            )
            for line in rows["sotran"]:
                if line["sono"] == sono:
                    rows["artran"].append(
                        {
                            "invno": invno,
                            "tranlineno": line["tranlineno"],
                            "custno": line["custno"],
                            "artype": "",
                            "item": line["item"],
                            "descrip": line["descrip"],
                            "qtyord": line["qtyord"],
                            "qtyshp": line["qtyord"],
                            "price": line["price"],
                            "disc": line["disc"],
                            "extprice": line["extprice"],
                            "invdte": ordate + dt.timedelta(days=3),
                        }
                    )
    rows["sosyst"] = [{"sono": 1001 + order_count}]
    rows["arsyst"] = [{"invno": 5001 + order_count, "receiptno": 1}]
    rows["glsyst"] = [{"entryno": 1}]
    return rows


def write_dbf(
    data: Path,
    company: str,
    layout: Layout,
    rows: dict[str, list[dict[str, Any]]],
    *,
    force: bool = False,
) -> list[Path]:
    """Create every layout table in `data` and fill it. Refuses to overwrite."""
    data.mkdir(parents=True, exist_ok=True)
    written = []
    for name, table in layout.tables.items():
        path = data / f"{table.file_name(company)}.dbf"
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists() and not force:
            raise FileExistsError(
                f"{path} exists: generate never overwrites a data folder "
                "(give --force for a generated one)"
            )
        if path.exists():
            path.unlink()
        created = dbf.Table(
            str(path),
            "; ".join(f.spec for f in table.fields),
            dbf_type="vfp",
            codepage="cp1252",
        )
        created.open(dbf.READ_WRITE)
        created.close()
        with DbfTable(path, table) as handle:
            for row in rows.get(name, []):
                handle.append(row)
        written.append(path)
    return written
