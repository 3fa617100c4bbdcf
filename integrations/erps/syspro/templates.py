"""SYSPRO default mapping templates: canonical records → SYSPRO payloads.

Every new SYSPRO integration gets a copy (mapping.services
.mapping_defaults_install) and mapping falls back to them when an integration
has no stored set. They must reproduce the payloads the connector expects
exactly; tests/mapping/test_templates.py pins them.
"""

from integrations.erps.spec import (
    CUSTOMER_CODE,
    DEFAULT_OPTIONS,
    TO_DATE,
    TO_DECIMAL,
    constant,
    cut_text,
    field_map,
    from_option,
    step,
)

# What a SYSPRO company must configure (the admin edits them per integration);
# these defaults match the sandbox company. Sources of each element:
# ARSTINDOC ProductClass, SORTOIDOC MiscProductClass and PriceUom, ARSTPYDOC
# PaymentType (C check, S cash, O other), GENTJLDOC JournalType.
DEFAULT_OPTIONS_SYSPRO: dict = {
    **DEFAULT_OPTIONS,
    "payment_type": "O",
    "product_class": "STRP",
    "adjustment_product_class": "",
    "misc_product_class": "_OTH",
    "misc_charge_code": "",
    "uom": "EA",
    "journal_type": "N",
    # Seven characters at most, and digits only on a numeric key (codes.py):
    # no separator, and {currency} is then the ISO 4217 number.
    "currency_account_pattern": "{code}{currency}",
}

# A stock line names a SKU; anything else is booked as a misc charge line.
IF_STOCK = {"path": "sku", "op": "present"}
IF_MISC = {"path": "sku", "op": "empty"}
# A payment names its allocations only when it pays several invoices.
IF_ALLOCATED = {"path": "allocations", "op": "present"}


def address_lines(prefix: str, base: str, length: int = 40) -> list[dict]:
    """SYSPRO's five numbered address lines from a canonical address."""
    parts = ("line1", "line2", "city", "state", "country")
    return [
        cut_text(f"{prefix}{n}", f"{base}.{part}", length)
        for n, part in enumerate(parts, start=1)
    ]


TEMPLATES: dict[str, list[dict]] = {
    "customer": [
        field_map(
            "Customer",
            "erp_code",
            step("coalesce", values=["$customer_code"]),
            step("trim"),
        ),
        cut_text("Name", "name", 30),
        cut_text("ShortName", "name", 10),
        cut_text("Telephone", "phone", 20),
        cut_text("Email", "email", 50),
        field_map("Currency", "currency", step("upper")),
        from_option("TermsCode", "terms_code"),
        *address_lines("SoldToAddr", "address"),
        cut_text("SoldPostalCode", "address.postal_code", 9),
        *address_lines("ShipToAddr", "shipping_address"),
        constant("CustomerOnHold", "N"),
    ],
    "sales_order": [
        field_map("CustomerPoNumber", "stripe_id", required=True),
        field_map("Customer", "", CUSTOMER_CODE, required=True),
        field_map("OrderDate", "created", TO_DATE),
        field_map("Currency", "currency", step("upper")),
        cut_text("Email", "email", 50),
        from_option("Warehouse", "warehouse"),
        *address_lines("ShipAddress", "ship_address"),
        field_map("lines", "lines"),
    ],
    "order_line": [
        field_map(
            "LineType",
            "sku",
            step("conditional", op="present", then="stock", otherwise="misc"),
        ),
        field_map("CustomerPoLine", "line_number"),
        field_map("StockCode", "sku", step("trim"), condition=IF_STOCK),
        field_map("Warehouse", "options.warehouse", condition=IF_STOCK),
        field_map("OrderQty", "quantity", step("to_string"), condition=IF_STOCK),
        field_map("OrderUom", "options.uom", default="EA", condition=IF_STOCK),
        field_map("Price", "unit_amount", TO_DECIMAL, condition=IF_STOCK),
        field_map("PriceUom", "options.uom", default="EA", condition=IF_STOCK),
        field_map("MiscChargeValue", "amount", TO_DECIMAL, condition=IF_MISC),
        field_map(
            "MiscProductClass",
            "options.misc_product_class",
            step("trim"),
            condition=IF_MISC,
        ),
        field_map(
            "MiscChargeCode",
            "options.misc_charge_code",
            step("trim"),
            condition=IF_MISC,
        ),
        field_map(
            "MiscDescription",
            "description",
            step("coalesce", values=["$options.misc_charge_description"]),
            step("trim", collapse=True),
            step("truncate", length=30),
            condition=IF_MISC,
        ),
    ],
    "payment": [
        field_map("Customer", "", CUSTOMER_CODE, required=True),
        field_map("PaymentValue", "amount", TO_DECIMAL),
        field_map("Reference", "stripe_id"),
        field_map("PaymentDate", "created", TO_DATE),
        from_option("Bank", "bank"),
        from_option("PaymentType", "payment_type"),
        field_map(
            "JournalNotation",
            "description",
            step("coalesce", values=["$stripe_id"]),
            step("truncate", length=100),
        ),
        field_map("InvoiceToPay", "invoice_number"),
        # Only a payment over several invoices has them (metadata erp_invoices).
        field_map("InvoicesToPay", "allocations", condition=IF_ALLOCATED),
    ],
    "payment_line": [
        field_map("Invoice", "invoice", required=True),
        field_map("GrossPaymentValue", "amount", TO_DECIMAL),
    ],
    "credit_note": [
        constant("TransactionType", "C"),
        field_map("Customer", "", CUSTOMER_CODE, required=True),
        field_map("Invoice", "invoice_number"),
        field_map("InvoiceDate", "created", TO_DATE),
        field_map("Reference", "stripe_id"),
        field_map("InvoiceValue", "amount", TO_DECIMAL),
        field_map(
            "TaxValue", "tax", step("coalesce", values=[], fallback=0), TO_DECIMAL
        ),
        from_option("ProductClass", "product_class"),
    ],
    "invoice": [
        constant("TransactionType", "I"),
        field_map("Customer", "", CUSTOMER_CODE, required=True),
        field_map("Invoice", "number", step("truncate", length=20)),
        field_map("InvoiceDate", "created", TO_DATE),
        field_map("Reference", "stripe_id"),
        field_map("InvoiceValue", "amount", TO_DECIMAL),
        field_map(
            "TaxValue", "tax", step("coalesce", values=[], fallback=0), TO_DECIMAL
        ),
        from_option("ProductClass", "product_class"),
    ],
    "adjustment": [
        field_map("Customer", "", CUSTOMER_CODE, required=True),
        from_option("Bank", "bank"),
        constant("TransactionType", "I"),
        # An AR invoice only: SYSPRO does not adjust sales orders.
        field_map("Invoice", "invoice_number"),
        # SYSPRO's sign, that of a payment: positive lowers what the customer
        # owes. Stripe's negative (funds withdrawn) therefore raises it.
        field_map("AdjustmentValue", "amount", TO_DECIMAL),
        field_map("Reference", "stripe_id"),
        field_map(
            "JournalNotation",
            "reason",
            step("prefix", text="Stripe: "),
            step("coalesce", values=["$stripe_id"]),
            step("truncate", length=100),
        ),
        # Used when there is no invoice to adjust: the connector then posts a
        # debit or credit note, which needs a product class and a date.
        field_map(
            "ProductClass",
            "options.adjustment_product_class",
            step("coalesce", values=["$options.product_class"]),
            step("trim"),
        ),
        field_map("InvoiceDate", "created", TO_DATE),
    ],
    "journal": [
        from_option("JournalType", "journal_type"),
        field_map("JournalDate", "created", TO_DATE),
        field_map("JournalReference", "stripe_id"),
        cut_text("Notation", "description", 100),
        # PostingPeriod and PostingYear come from the company's financial
        # calendar (the connection's settings), not the calendar month: the
        # connector derives them from JournalDate.
        field_map("lines", "lines"),
    ],
    "journal_line": [
        field_map("EntryNumber", "line_number"),
        field_map("LedgerCode", "account", step("trim")),
        field_map(
            "Reference",
            "reference",
            step("coalesce", values=["$parent.stripe_id"]),
            step("truncate", length=60),
        ),
        field_map("EntryAmount", "amount", TO_DECIMAL),
        cut_text("Comment", "description", 100),
    ],
}
