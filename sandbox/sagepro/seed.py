"""Master data every Sage Pro sandbox starts with (the shared seed codes).

Plain data plus one function that takes a model getter, so the data migration
(historical models) and `_reset` (live models) load exactly the same rows.
"""

from collections.abc import Callable
from decimal import Decimal

CUSTOMERS = [
    ("0000001", "Bayside Bikes", "USD"),
    ("0000002", "Northwind Traders", "USD"),
    ("0000003", "Contoso Retail", "EUR"),
]
ITEMS = [
    ("A100", "Widget A", Decimal("10.00")),
    ("A200", "Widget B", Decimal("25.50")),
    ("B100", "Gadget", Decimal("99.99")),
    ("SVC01", "Service hour", Decimal("120.00")),
]
BANKS = [("STRIPE", "Stripe balance"), ("FNB", "First National Bank")]
ACCOUNTS = [
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


def seed_master_data(get_model: Callable[[str], type]) -> None:
    """Create or restore the seeded rows; idempotent."""
    customer_model = get_model("Customer")
    for custno, company, currid in CUSTOMERS:
        customer_model.objects.update_or_create(
            custno=custno,
            defaults={
                "company": company,
                "contact": "",
                "address1": "",
                "address2": "",
                "city": "",
                "addrstate": "",
                "zip": "",
                "country": "",
                "phone": "",
                "email": "",
                "pterms": "NET 30",
                "credlimit": Decimal("50000"),
                "balance": Decimal(0),
                "credstat": "",
                "currid": currid,
                "seeded": True,
            },
        )
    item_model = get_model("Item")
    for item, descrip, price in ITEMS:
        item_model.objects.update_or_create(
            item=item, defaults={"descrip": descrip, "price": price}
        )
    bank_model = get_model("Bank")
    for code, descrip in BANKS:
        bank_model.objects.update_or_create(code=code, defaults={"descrip": descrip})
    account_model = get_model("Account")
    for account, descrip in ACCOUNTS:
        account_model.objects.update_or_create(
            account=account, defaults={"descrip": descrip}
        )
