"""Sage Pro entity schemas: the table columns of the `/api/v1/` contract.

Names and lengths follow Sage Pro's tables (arcust, somast, sotran, armast …)
as PROTOCOLS.md §2 lists them; the contract itself is LedgerBridge's (the
agent serves it over Sage Pro's tables).

Decimal places (`places`, which integrations/precision.py fits amounts to):
Sage Pro's money columns (sotran extprice, somast ordamt, armast invamt, the
receipt, memo and journal amounts) hold 2 decimals: issue 16, item 7, and the
agent's table definitions (agent/ledgerbridge_agent/layout.py, AMOUNT
N(14,2)); PROTOCOLS.md §2 for the columns themselves.
Unit prices and quantities are not declared: precision.py rounds a unit
price to the amount places anyway, so quantity x price is the line amount.
"""

from integrations.erps.spec import (
    DATE,
    ERP_CUSTOMER,
    LINES,
    MONEY,
    REFERENCE_LENGTH,
    STRIPE_REFERENCE,
    EntitySchema,
    FieldSpec,
    decimal_field,
    schemas_by_entity,
    string_field,
)

KIND = "sagepro"
# Decimals of Sage Pro's money amount columns (see above).
AMOUNT_PLACES = 2
# arcust.custno is at most 10 characters.
CUSTOMER_CODE_LENGTH = 10


SCHEMAS = schemas_by_entity(
    EntitySchema(
        KIND,
        "customer",
        "Customer master (arcust)",
        (
            string_field(
                "custno",
                10,
                "Customer number; empty lets the connector assign one",
                protected=ERP_CUSTOMER,
            ),
            string_field("company", 40, "Company name", required=True),
            string_field("contact", 20, "Contact name"),
            string_field("address1", 40, "Address line 1"),
            string_field("address2", 40, "Address line 2"),
            string_field("city", 20, "City"),
            string_field("addrstate", 10, "State"),
            string_field("zip", 10, "Postal code"),
            string_field("country", 25, "Country"),
            string_field("phone", 20, "Phone"),
            string_field("email", 60, "Email"),
            string_field("pterms", 20, "Payment terms"),
            decimal_field("credlimit", "Credit limit", protected=MONEY),
            string_field("currid", 3, "Currency", protected=MONEY),
        ),
    ),
    EntitySchema(
        KIND,
        "sales_order",
        "Sales order (somast)",
        (
            string_field("sono", 20, "Order number; empty on create"),
            string_field(
                "custno", 10, "Customer number", required=True, protected=ERP_CUSTOMER
            ),
            FieldSpec("ordate", DATE, required=True, description="Order date"),
            string_field(
                "ponum",
                30,
                "PO number: the Stripe id",
                required=True,
                protected=STRIPE_REFERENCE,
            ),
            decimal_field(
                "ordamt", "Order amount", protected=MONEY, places=AMOUNT_PLACES
            ),
            string_field("currid", 3, "Currency", protected=MONEY),
            string_field(
                "sostat",
                1,
                "Status: blank open, C closed, V void",
                choices=("", "C", "V"),
            ),
            FieldSpec(
                "lines", LINES, required=True, child="order_line", description="Lines"
            ),
        ),
    ),
    EntitySchema(
        KIND,
        "order_line",
        "Sales order line (sotran)",
        (
            string_field("item", 20, "Item code; blank for a non-stock line"),
            string_field("descrip", 40, "Description"),
            decimal_field("qtyord", "Quantity", required=True, protected=MONEY),
            decimal_field("price", "Unit price", required=True, protected=MONEY),
            decimal_field("disc", "Discount percent", protected=MONEY),
            decimal_field(
                "extprice",
                "Extended price",
                required=True,
                protected=MONEY,
                places=AMOUNT_PLACES,
            ),
        ),
    ),
    EntitySchema(
        KIND,
        "payment",
        "Cash receipt (cashreceipts)",
        (
            string_field(
                "custno", 10, "Customer number", required=True, protected=ERP_CUSTOMER
            ),
            string_field("invno", 20, "Invoice paid; empty posts unapplied"),
            string_field("sono", 20, "Sales order it pays"),
            string_field(
                "reference",
                REFERENCE_LENGTH,
                "Stripe charge id",
                required=True,
                protected=STRIPE_REFERENCE,
            ),
            decimal_field(
                "amount",
                "Amount",
                required=True,
                positive=True,
                protected=MONEY,
                places=AMOUNT_PLACES,
            ),
            FieldSpec("date", DATE, required=True, description="Receipt date"),
            string_field("bank", 15, "Bank code", required=True),
            string_field("currid", 3, "Currency", protected=MONEY),
            FieldSpec(
                "applications",
                LINES,
                child="payment_line",
                description="Several invoices paid by one charge",
            ),
        ),
    ),
    EntitySchema(
        KIND,
        "payment_line",
        "Invoice paid by a charge (one cash receipt each)",
        (
            string_field("invno", 20, "Invoice paid", required=True),
            decimal_field(
                "amount",
                "Amount applied to the invoice",
                required=True,
                positive=True,
                protected=MONEY,
                places=AMOUNT_PLACES,
            ),
        ),
    ),
    EntitySchema(
        KIND,
        "credit_note",
        "Credit memo (creditmemos)",
        (
            string_field(
                "custno", 10, "Customer number", required=True, protected=ERP_CUSTOMER
            ),
            string_field("invno", 20, "The original document"),
            string_field(
                "reference",
                REFERENCE_LENGTH,
                "Stripe refund id",
                required=True,
                protected=STRIPE_REFERENCE,
            ),
            decimal_field(
                "amount",
                "Amount, positive",
                required=True,
                positive=True,
                protected=MONEY,
                places=AMOUNT_PLACES,
            ),
            FieldSpec("date", DATE, required=True, description="Memo date"),
            string_field("reason", 40, "Reason"),
            string_field("currid", 3, "Currency", protected=MONEY),
        ),
    ),
    EntitySchema(
        KIND,
        "invoice",
        "AR invoice (armast)",
        (
            string_field("invno", 20, "Invoice number"),
            string_field(
                "custno", 10, "Customer number", required=True, protected=ERP_CUSTOMER
            ),
            FieldSpec("invdte", DATE, required=True, description="Invoice date"),
            string_field(
                "ponum",
                30,
                "PO number: the Stripe id",
                required=True,
                protected=STRIPE_REFERENCE,
            ),
            decimal_field(
                "invamt",
                "Invoice amount",
                required=True,
                protected=MONEY,
                places=AMOUNT_PLACES,
            ),
            string_field("currid", 3, "Currency", protected=MONEY),
            FieldSpec("lines", LINES, child="order_line", description="Lines"),
        ),
    ),
    EntitySchema(
        KIND,
        "adjustment",
        "AR adjustment (creditmemos, type adjustment)",
        (
            string_field(
                "type", 10, "adjustment", required=True, choices=("adjustment",)
            ),
            string_field(
                "custno", 10, "Customer number", required=True, protected=ERP_CUSTOMER
            ),
            string_field("invno", 20, "Document adjusted"),
            string_field(
                "reference",
                REFERENCE_LENGTH,
                "Stripe dispute id and phase",
                required=True,
                protected=STRIPE_REFERENCE,
            ),
            decimal_field(
                "amount",
                "Signed: negative debits the customer",
                required=True,
                protected=MONEY,
                places=AMOUNT_PLACES,
            ),
            FieldSpec("date", DATE, required=True, description="Date"),
            string_field("reason", 40, "Reason"),
            string_field("currid", 3, "Currency", protected=MONEY),
        ),
    ),
    EntitySchema(
        KIND,
        "journal",
        "GL journal entry (journalentries)",
        (
            FieldSpec("date", DATE, required=True, description="Journal date"),
            string_field(
                "reference",
                REFERENCE_LENGTH,
                "Stripe payout id",
                required=True,
                protected=STRIPE_REFERENCE,
            ),
            string_field("descrip", 60, "Description"),
            string_field("currid", 3, "Currency", protected=MONEY),
            FieldSpec(
                "lines", LINES, required=True, child="journal_line", description="Lines"
            ),
        ),
    ),
    EntitySchema(
        KIND,
        "journal_line",
        "GL journal line",
        (
            string_field("account", 20, "GL account", required=True),
            decimal_field(
                "debit",
                "Debit, non-negative",
                required=True,
                protected=MONEY,
                places=AMOUNT_PLACES,
            ),
            decimal_field(
                "credit",
                "Credit, non-negative",
                required=True,
                protected=MONEY,
                places=AMOUNT_PLACES,
            ),
            string_field("descrip", 60, "Description"),
        ),
    ),
)
