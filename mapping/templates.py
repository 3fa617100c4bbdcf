"""Default mapping templates: canonical records → the ERP payload contract.

Every new integration gets a copy of these (services.mapping_defaults_install)
and `payload_build` falls back to them when an integration has no stored set.
They must reproduce the payloads the connectors expect exactly; the tests in
tests/mapping/test_templates.py pin them with hand-written payloads.
"""

from typing import Any

from .schemas import SAGEPRO, SYSPRO

# Integration.options defaults (shared facts): used under the integration's
# own options so a key it does not set still has the documented value.
DEFAULT_OPTIONS: dict[str, Any] = {
    "bank": "STRIPE",
    "warehouse": "FG",
    "misc_charge_description": "Stripe payment",
    "customer_code_prefix": "S",
    "terms_code": "30",
    "payment_type": "CC",
    "gl": {
        "bank": "1010",
        "clearing": "1090",
        "ar": "1200",
        "fees": "6210",
        "refunds": "4900",
        "disputes": "5910",
        "dispute_fees": "6220",
        "adjustments": "6900",
        "fx": "7910",
    },
}


def t(name: str, **params: Any) -> dict:
    return {"name": name, "params": params} if params else {"name": name}


def f(
    target: str,
    source: str = "",
    *transforms: dict,
    default: Any = None,
    condition: dict | None = None,
    required: bool = False,
) -> dict:
    return {
        "target": target,
        "source": source,
        "transforms": list(transforms),
        "default": default,
        "condition": condition,
        "required": required,
    }


def const(target: str, value: Any) -> dict:
    return f(target, "", t("constant", value=value))


MONEY = t("minor_to_decimal", currency="$currency")
DATE = t("unix_to_date", timezone="$options.timezone")
CUSTOMER = t("coalesce", values=["$customer_code"])
STOCK = {"path": "sku", "op": "present"}
MISC = {"path": "sku", "op": "empty"}


def _opt(target: str, key: str) -> dict:
    return f(target, f"options.{key}", t("trim"))


def _cut(target: str, source: str, length: int) -> dict:
    return f(target, source, t("trim", collapse=True), t("truncate", length=length))


def _address(prefix: str, base: str, length: int = 40) -> list[dict]:
    parts = ("line1", "line2", "city", "state", "country")
    return [
        _cut(f"{prefix}{n}", f"{base}.{part}", length)
        for n, part in enumerate(parts, start=1)
    ]


SYSPRO_TEMPLATES: dict[str, list[dict]] = {
    "customer": [
        f("Customer", "erp_code", t("coalesce", values=["$customer_code"]), t("trim")),
        _cut("Name", "name", 30),
        _cut("ShortName", "name", 10),
        _cut("Telephone", "phone", 20),
        _cut("Email", "email", 50),
        f("Currency", "currency", t("upper")),
        _opt("TermsCode", "terms_code"),
        *_address("SoldToAddr", "address"),
        _cut("SoldPostalCode", "address.postal_code", 10),
        *_address("ShipToAddr", "shipping_address"),
        const("CustomerOnHold", "N"),
    ],
    "sales_order": [
        f("CustomerPoNumber", "stripe_id", required=True),
        f("Customer", "", CUSTOMER, required=True),
        f("OrderDate", "created", DATE),
        f("Currency", "currency", t("upper")),
        _cut("Email", "email", 50),
        _opt("Warehouse", "warehouse"),
        *_address("ShipAddress", "ship_address"),
        f("lines", "lines"),
    ],
    "order_line": [
        f(
            "LineType",
            "sku",
            t("conditional", op="present", then="stock", otherwise="misc"),
        ),
        f("CustomerPoLine", "line_number"),
        f("StockCode", "sku", t("trim"), condition=STOCK),
        f("Warehouse", "options.warehouse", condition=STOCK),
        f("OrderQty", "quantity", t("to_string"), condition=STOCK),
        f("OrderUom", "options.uom", default="EA", condition=STOCK),
        f("Price", "unit_amount", MONEY, condition=STOCK),
        f("MiscChargeValue", "amount", MONEY, condition=MISC),
        f(
            "MiscDescription",
            "description",
            t("coalesce", values=["$options.misc_charge_description"]),
            t("trim", collapse=True),
            t("truncate", length=30),
            condition=MISC,
        ),
    ],
    "payment": [
        f("Customer", "", CUSTOMER, required=True),
        f("PaymentValue", "amount", MONEY),
        f("Reference", "stripe_id"),
        f("PaymentDate", "created", DATE),
        _opt("Bank", "bank"),
        _opt("PaymentType", "payment_type"),
        f(
            "JournalNotation",
            "description",
            t("coalesce", values=["$stripe_id"]),
            t("truncate", length=100),
        ),
        f("InvoiceToPay", "invoice_number"),
        f("SalesOrder", "order_number"),
    ],
    "credit_note": [
        const("TransactionType", "C"),
        f("Customer", "", CUSTOMER, required=True),
        f("Invoice", "invoice_number"),
        f("InvoiceDate", "created", DATE),
        f("Reference", "stripe_id"),
        f("InvoiceValue", "amount", MONEY),
        f("TaxValue", "tax", t("coalesce", values=[], fallback=0), MONEY),
    ],
    "invoice": [
        const("TransactionType", "I"),
        f("Customer", "", CUSTOMER, required=True),
        f("Invoice", "number", t("truncate", length=20)),
        f("InvoiceDate", "created", DATE),
        f("Reference", "stripe_id"),
        f("InvoiceValue", "amount", MONEY),
        f("TaxValue", "tax", t("coalesce", values=[], fallback=0), MONEY),
    ],
    "adjustment": [
        f("Customer", "", CUSTOMER, required=True),
        _opt("Bank", "bank"),
        const("TransactionType", "I"),
        f("Invoice", "invoice_number", t("coalesce", values=["$order_number"])),
        f("AdjustmentValue", "amount", MONEY),
        f("Reference", "stripe_id"),
        f(
            "JournalNotation",
            "reason",
            t("prefix", text="Stripe dispute "),
            t("coalesce", values=["$stripe_id"]),
            t("truncate", length=100),
        ),
    ],
    "journal": [
        const("JournalType", "N"),
        f("JournalDate", "created", DATE),
        f("JournalReference", "stripe_id"),
        _cut("Notation", "description", 100),
        f(
            "PostingPeriod",
            "created",
            t("unix_to_date", timezone="$options.timezone", format="%m"),
            t("to_int"),
        ),
        f(
            "PostingYear",
            "created",
            t("unix_to_date", timezone="$options.timezone", format="%Y"),
            t("to_int"),
        ),
        f("lines", "lines"),
    ],
    "journal_line": [
        f("EntryNumber", "line_number"),
        f("LedgerCode", "account", t("trim")),
        f(
            "Reference",
            "reference",
            t("coalesce", values=["$parent.stripe_id"]),
            t("truncate", length=60),
        ),
        f("EntryAmount", "amount", MONEY),
        _cut("Comment", "description", 100),
    ],
}

SAGEPRO_TEMPLATES: dict[str, list[dict]] = {
    "customer": [
        f("custno", "erp_code", t("coalesce", values=["$customer_code"]), t("trim")),
        _cut("company", "name", 40),
        _cut("contact", "name", 20),
        _cut("address1", "address.line1", 40),
        _cut("address2", "address.line2", 40),
        _cut("city", "address.city", 20),
        _cut("addrstate", "address.state", 10),
        _cut("zip", "address.postal_code", 10),
        _cut("country", "address.country", 25),
        _cut("phone", "phone", 20),
        _cut("email", "email", 60),
        _opt("pterms", "terms_code"),
        f("currid", "currency", t("upper")),
    ],
    "sales_order": [
        const("sono", ""),
        f("custno", "", CUSTOMER, required=True),
        f("ordate", "created", DATE),
        f("ponum", "stripe_id", required=True),
        f("ordamt", "amount", MONEY),
        f("currid", "currency", t("upper")),
        const("sostat", ""),
        f("lines", "lines"),
    ],
    "order_line": [
        f("item", "sku", t("trim")),
        f(
            "descrip",
            "description",
            t("coalesce", values=["$options.misc_charge_description"]),
            t("trim", collapse=True),
            t("truncate", length=40),
        ),
        f("qtyord", "quantity", t("to_string")),
        f("price", "unit_amount", MONEY),
        const("disc", "0"),
        f("extprice", "amount", MONEY),
    ],
    "payment": [
        f("custno", "", CUSTOMER, required=True),
        f("invno", "invoice_number"),
        f("sono", "order_number"),
        f("reference", "stripe_id"),
        f("amount", "amount", MONEY),
        f("date", "created", DATE),
        _opt("bank", "bank"),
        f("currid", "currency", t("upper")),
    ],
    "credit_note": [
        f("custno", "", CUSTOMER, required=True),
        f("invno", "invoice_number", t("coalesce", values=["$order_number"])),
        f("reference", "stripe_id"),
        f("amount", "amount", MONEY),
        f("date", "created", DATE),
        _cut("reason", "reason", 40),
        f("currid", "currency", t("upper")),
    ],
    "invoice": [
        f("invno", "number"),
        f("custno", "", CUSTOMER, required=True),
        f("invdte", "created", DATE),
        f("ponum", "stripe_id"),
        f("invamt", "amount", MONEY),
        f("currid", "currency", t("upper")),
        f("lines", "lines"),
    ],
    "adjustment": [
        const("type", "adjustment"),
        f("custno", "", CUSTOMER, required=True),
        f("invno", "invoice_number", t("coalesce", values=["$order_number"])),
        f("reference", "stripe_id"),
        f("amount", "amount", MONEY),
        f("date", "created", DATE),
        _cut("reason", "reason", 40),
        f("currid", "currency", t("upper")),
    ],
    "journal": [
        f("date", "created", DATE),
        f("reference", "stripe_id"),
        _cut("descrip", "description", 60),
        f("currid", "currency", t("upper")),
        f("lines", "lines"),
    ],
    "journal_line": [
        f("account", "account", t("trim")),
        f("debit", "amount", t("signed_part", part="positive"), MONEY),
        f("credit", "amount", t("signed_part", part="negative"), MONEY),
        _cut("descrip", "description", 60),
    ],
}

TEMPLATES: dict[str, dict[str, list[dict]]] = {
    SYSPRO: SYSPRO_TEMPLATES,
    SAGEPRO: SAGEPRO_TEMPLATES,
}


def template_for(*, erp: str, entity: str) -> list[dict]:
    return TEMPLATES[erp][entity]
