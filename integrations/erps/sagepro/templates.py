"""Sage Pro default mapping templates: canonical records → `/api/v1/` payloads.

Every new Sage Pro integration gets a copy (mapping.services
.mapping_defaults_install) and mapping falls back to them when an integration
has no stored set; tests/mapping/test_templates.py pins them.
"""

from integrations.erps.spec import (
    CUSTOMER_CODE,
    TO_DATE,
    TO_DECIMAL,
    constant,
    cut_text,
    field_map,
    from_option,
    step,
)

# A payment names its allocations only when it pays several invoices.
IF_ALLOCATED = {"path": "allocations", "op": "present"}

TEMPLATES: dict[str, list[dict]] = {
    "customer": [
        field_map(
            "custno",
            "erp_code",
            step("coalesce", values=["$customer_code"]),
            step("trim"),
        ),
        cut_text("company", "name", 40),
        cut_text("contact", "name", 20),
        cut_text("address1", "address.line1", 40),
        cut_text("address2", "address.line2", 40),
        cut_text("city", "address.city", 20),
        cut_text("addrstate", "address.state", 10),
        cut_text("zip", "address.postal_code", 10),
        cut_text("country", "address.country", 25),
        cut_text("phone", "phone", 20),
        cut_text("email", "email", 60),
        from_option("pterms", "terms_code"),
        field_map("currid", "currency", step("upper")),
    ],
    "sales_order": [
        constant("sono", ""),
        field_map("custno", "", CUSTOMER_CODE, required=True),
        field_map("ordate", "created", TO_DATE),
        field_map("ponum", "stripe_id", required=True),
        field_map("ordamt", "amount", TO_DECIMAL),
        field_map("currid", "currency", step("upper")),
        constant("sostat", ""),
        field_map("lines", "lines"),
    ],
    "order_line": [
        field_map("item", "sku", step("trim")),
        field_map(
            "descrip",
            "description",
            step("coalesce", values=["$options.misc_charge_description"]),
            step("trim", collapse=True),
            step("truncate", length=40),
        ),
        field_map("qtyord", "quantity", step("to_string")),
        field_map("price", "unit_amount", TO_DECIMAL),
        constant("disc", "0"),
        field_map("extprice", "amount", TO_DECIMAL),
    ],
    "payment": [
        field_map("custno", "", CUSTOMER_CODE, required=True),
        field_map("invno", "invoice_number"),
        field_map("sono", "order_number"),
        field_map("reference", "stripe_id"),
        field_map("amount", "amount", TO_DECIMAL),
        field_map("date", "created", TO_DATE),
        from_option("bank", "bank"),
        field_map("currid", "currency", step("upper")),
        # Only a payment over several invoices has them (metadata erp_invoices).
        field_map("applications", "allocations", condition=IF_ALLOCATED),
    ],
    "payment_line": [
        field_map("invno", "invoice", required=True),
        field_map("amount", "amount", TO_DECIMAL),
    ],
    "credit_note": [
        field_map("custno", "", CUSTOMER_CODE, required=True),
        field_map(
            "invno", "invoice_number", step("coalesce", values=["$order_number"])
        ),
        field_map("reference", "stripe_id"),
        field_map("amount", "amount", TO_DECIMAL),
        field_map("date", "created", TO_DATE),
        cut_text("reason", "reason", 40),
        field_map("currid", "currency", step("upper")),
    ],
    "invoice": [
        # No invno: Stripe's invoice numbers (an 8-character prefix and a
        # sequence, 13 characters) do not fit armast.invno (10), so Sage Pro
        # numbers the invoice itself; ponum keeps the Stripe invoice id.
        field_map("custno", "", CUSTOMER_CODE, required=True),
        field_map("invdte", "created", TO_DATE),
        field_map("ponum", "stripe_id"),
        field_map("invamt", "amount", TO_DECIMAL),
        field_map("currid", "currency", step("upper")),
        field_map("lines", "lines"),
    ],
    "adjustment": [
        constant("type", "adjustment"),
        field_map("custno", "", CUSTOMER_CODE, required=True),
        field_map(
            "invno", "invoice_number", step("coalesce", values=["$order_number"])
        ),
        field_map("reference", "stripe_id"),
        field_map("amount", "amount", TO_DECIMAL),
        field_map("date", "created", TO_DATE),
        cut_text("reason", "reason", 40),
        field_map("currid", "currency", step("upper")),
    ],
    "journal": [
        field_map("date", "created", TO_DATE),
        field_map("reference", "stripe_id"),
        cut_text("descrip", "description", 60),
        field_map("currid", "currency", step("upper")),
        field_map("lines", "lines"),
    ],
    "journal_line": [
        field_map("account", "account", step("trim")),
        field_map("debit", "amount", step("signed_part", part="positive"), TO_DECIMAL),
        field_map("credit", "amount", step("signed_part", part="negative"), TO_DECIMAL),
        cut_text("descrip", "description", 60),
    ],
}
