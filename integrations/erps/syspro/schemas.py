"""SYSPRO entity schemas: the business-object elements mapping/ can fill.

Names and lengths follow SYSPRO's XSDs (PROTOCOLS.md §1), e.g. ARSTPYDOC:
https://github.com/Zindaar/SYSPROIntegration/blob/c03d75db2a7c175a21d5171a0e1fdfe736e816bf/SysproIntegration/ARPrimaryPosting/PostARPaymentsAdjustmentsAndMiscellaneousReceipts/ARSTPYDOC.vb
The real SYSPRO Reference column is 30 wide; REFERENCE_LENGTH widens it so a
dispute id plus its phase suffix fits.

Decimal places (`places`), which integrations/precision.py fits amounts to:
SORTOIDOC gives MiscChargeValue as "12.2", Price as "10.5" and OrderQty as
"12.6" (SalesOrdersPrimaryPosting/SalesOrderImport/SORTOIDOC.vb in the
repository above), and a live SYSPRO database keeps sales order values as
decimal(14, 2), prices as decimal(15, 5), quantities as decimal(18, 6)
(SorDetail.NMscChargeValue, MPrice, MOrderQty in
https://github.com/skmuthukrishnan93/Ortho-xact-api/blob/d94f07533d56ecdea1894a63e22d180c2104476d/SysModels/SysproContext.cs).
ARSTPYDOC, ARSTINDOC and GENTJLDOC state no format for PaymentValue,
InvoiceValue, AdjustmentValue and EntryAmount: they are taken as SYSPRO's
value columns, 2 decimals, like the rest.
"""

from integrations.erps.spec import (
    DATE,
    ERP_CUSTOMER,
    FLAG,
    INT,
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

KIND = "syspro"
# Decimals of SYSPRO's value, price and quantity columns (see above).
VALUE_PLACES = 2
PRICE_PLACES = 5
QUANTITY_PLACES = 6
# ARSSCS Customer: SYSPRO's customer code is at most 7 characters.
CUSTOMER_CODE_LENGTH = 7


def address_fields(prefix: str, length: int, what: str) -> tuple[FieldSpec, ...]:
    """SYSPRO's five numbered address lines: line 1, line 2, city, state, country."""
    parts = ("line 1", "line 2", "city", "state", "country")
    return tuple(
        string_field(f"{prefix}{n}", length, f"{what} address {parts[n - 1]}")
        for n in range(1, 6)
    )


SCHEMAS = schemas_by_entity(
    EntitySchema(
        KIND,
        "customer",
        "AR customer (ARSSCS)",
        (
            string_field(
                "Customer",
                7,
                "Customer code; empty lets the connector assign one",
                protected=ERP_CUSTOMER,
            ),
            string_field("Name", 30, "Customer name", required=True),
            string_field("ShortName", 10, "Short name used in searches"),
            string_field("Telephone", 20, "Telephone number"),
            string_field("Email", 50, "Email address"),
            string_field("Currency", 3, "ISO currency code", protected=MONEY),
            string_field("TermsCode", 2, "Terms code"),
            decimal_field("CreditLimit", "Credit limit", protected=MONEY),
            *address_fields("SoldToAddr", 40, "Sold-to"),
            string_field("SoldPostalCode", 9, "Sold-to postal code"),
            *address_fields("ShipToAddr", 40, "Ship-to"),
            FieldSpec("CustomerOnHold", FLAG, 1, description="Y puts it on hold"),
        ),
    ),
    EntitySchema(
        KIND,
        "sales_order",
        "Sales order import (SORTOI)",
        (
            string_field(
                "CustomerPoNumber",
                30,
                "Customer PO: the Stripe id",
                required=True,
                protected=STRIPE_REFERENCE,
            ),
            string_field(
                "Customer", 7, "Customer code", required=True, protected=ERP_CUSTOMER
            ),
            FieldSpec("OrderDate", DATE, required=True, description="Order date"),
            string_field("Currency", 3, "ISO currency code", protected=MONEY),
            string_field("Email", 50, "Email address"),
            string_field("Warehouse", 10, "Default warehouse"),
            *address_fields("ShipAddress", 40, "Ship-to"),
            FieldSpec(
                "lines", LINES, required=True, child="order_line", description="Lines"
            ),
        ),
    ),
    EntitySchema(
        KIND,
        "order_line",
        "Sales order line (StockLine or MiscChargeLine)",
        (
            string_field(
                "LineType",
                5,
                "stock or misc: picks the XML element",
                required=True,
                choices=("stock", "misc"),
            ),
            FieldSpec("CustomerPoLine", INT, required=True, description="Line number"),
            string_field(
                "StockCode", 30, "Stock code", required_when=("LineType", ("stock",))
            ),
            string_field(
                "Warehouse", 10, "Warehouse", required_when=("LineType", ("stock",))
            ),
            decimal_field(
                "OrderQty",
                "Quantity",
                required_when=("LineType", ("stock",)),
                protected=MONEY,
                places=QUANTITY_PLACES,
            ),
            string_field("OrderUom", 10, "Unit of measure"),
            decimal_field(
                "Price",
                "Unit price",
                required_when=("LineType", ("stock",)),
                protected=MONEY,
                places=PRICE_PLACES,
            ),
            string_field(
                "PriceUom",
                10,
                "Unit the price is per; SYSPRO needs it with Price, so the "
                "order unit is sent when it is empty",
            ),
            decimal_field(
                "MiscChargeValue",
                "Misc charge value",
                required_when=("LineType", ("misc",)),
                protected=MONEY,
                places=VALUE_PLACES,
            ),
            string_field(
                "MiscProductClass",
                4,
                "Product class of a misc charge (or give MiscChargeCode)",
            ),
            string_field("MiscDescription", 30, "Misc charge description"),
            string_field("MiscChargeCode", 6, "Standard misc charge code"),
        ),
    ),
    EntitySchema(
        KIND,
        "payment",
        "AR payment (ARSTPY Payment)",
        (
            string_field(
                "Customer", 7, "Customer code", required=True, protected=ERP_CUSTOMER
            ),
            decimal_field(
                "PaymentValue",
                "Amount received",
                required=True,
                positive=True,
                protected=MONEY,
                places=VALUE_PLACES,
            ),
            string_field(
                "Reference",
                REFERENCE_LENGTH,
                "Stripe charge id",
                required=True,
                protected=STRIPE_REFERENCE,
            ),
            FieldSpec("PaymentDate", DATE, required=True, description="Payment date"),
            string_field("Bank", 15, "AR bank code", required=True),
            string_field(
                "PaymentType",
                1,
                "C check, S cash, O other",
                choices=("C", "S", "O"),
            ),
            string_field("JournalNotation", 100, "Journal notation"),
            string_field("InvoiceToPay", 20, "Invoice paid; empty posts unapplied"),
            FieldSpec(
                "InvoicesToPay",
                LINES,
                child="payment_line",
                description="Several invoices paid by one payment",
            ),
        ),
    ),
    EntitySchema(
        KIND,
        "payment_line",
        "Invoice paid by a payment (ARSTPY InvoiceToPay)",
        (
            string_field("Invoice", 20, "AR invoice", required=True),
            decimal_field(
                "GrossPaymentValue",
                "Amount applied to the invoice",
                required=True,
                positive=True,
                protected=MONEY,
                places=VALUE_PLACES,
            ),
        ),
    ),
    EntitySchema(
        KIND,
        "credit_note",
        "AR credit note (ARSTIN, type C)",
        (
            string_field("TransactionType", 1, "C", required=True, choices=("C",)),
            string_field(
                "Customer", 7, "Customer code", required=True, protected=ERP_CUSTOMER
            ),
            string_field(
                "Invoice",
                20,
                "Invoice the note is posted to; empty: a note SYSPRO numbers",
            ),
            FieldSpec("InvoiceDate", DATE, required=True, description="Document date"),
            string_field(
                "Reference",
                REFERENCE_LENGTH,
                "Stripe refund id",
                required=True,
                protected=STRIPE_REFERENCE,
            ),
            decimal_field(
                "InvoiceValue",
                "Value, positive",
                required=True,
                positive=True,
                protected=MONEY,
                places=VALUE_PLACES,
            ),
            decimal_field(
                "TaxValue", "Tax included", protected=MONEY, places=VALUE_PLACES
            ),
            string_field("ProductClass", 4, "SYSPRO product class", required=True),
        ),
    ),
    EntitySchema(
        KIND,
        "invoice",
        "AR invoice (ARSTIN, type I)",
        (
            string_field("TransactionType", 1, "I", required=True, choices=("I", "D")),
            string_field(
                "Customer", 7, "Customer code", required=True, protected=ERP_CUSTOMER
            ),
            string_field("Invoice", 20, "Invoice number"),
            FieldSpec("InvoiceDate", DATE, required=True, description="Invoice date"),
            string_field(
                "Reference",
                REFERENCE_LENGTH,
                "Stripe invoice id",
                required=True,
                protected=STRIPE_REFERENCE,
            ),
            decimal_field(
                "InvoiceValue",
                "Value, positive",
                required=True,
                protected=MONEY,
                places=VALUE_PLACES,
            ),
            decimal_field(
                "TaxValue", "Tax included", protected=MONEY, places=VALUE_PLACES
            ),
            string_field("ProductClass", 4, "SYSPRO product class", required=True),
        ),
    ),
    EntitySchema(
        KIND,
        "adjustment",
        "AR adjustment (ARSTPY Adjustments)",
        (
            string_field(
                "Customer", 7, "Customer code", required=True, protected=ERP_CUSTOMER
            ),
            string_field("Bank", 15, "AR bank code", required=True),
            string_field(
                "TransactionType",
                1,
                "Document adjusted: I invoice, C credit note, D debit note",
                required=True,
                choices=("I", "C", "D"),
            ),
            string_field(
                "Invoice",
                20,
                "AR invoice adjusted; empty posts a debit or credit note instead",
            ),
            decimal_field(
                "AdjustmentValue",
                "Signed as a payment: positive lowers the balance",
                required=True,
                protected=MONEY,
                places=VALUE_PLACES,
            ),
            string_field(
                "Reference",
                REFERENCE_LENGTH,
                "Stripe dispute id and phase",
                required=True,
                protected=STRIPE_REFERENCE,
            ),
            string_field("JournalNotation", 100, "Journal notation", required=True),
            string_field("ProductClass", 4, "Product class of a debit/credit note"),
            FieldSpec("InvoiceDate", DATE, description="Date of a debit/credit note"),
        ),
    ),
    EntitySchema(
        KIND,
        "journal",
        "GL journal (GENTJL)",
        (
            string_field(
                "JournalType",
                1,
                "N normal; P, U, S, L as the company uses them",
                choices=("N", "P", "U", "S", "L"),
            ),
            FieldSpec("JournalDate", DATE, required=True, description="Journal date"),
            string_field(
                "JournalReference",
                REFERENCE_LENGTH,
                "Stripe payout id",
                required=True,
                protected=STRIPE_REFERENCE,
            ),
            string_field("Notation", 100, "Notation"),
            FieldSpec(
                "PostingPeriod",
                INT,
                description="GL period: set from the company's calendar",
            ),
            FieldSpec(
                "PostingYear",
                INT,
                description="GL year: set from the company's calendar",
            ),
            FieldSpec(
                "lines", LINES, required=True, child="journal_line", description="Lines"
            ),
        ),
    ),
    EntitySchema(
        KIND,
        "journal_line",
        "GL journal detail (JournalDetails)",
        (
            FieldSpec("EntryNumber", INT, required=True, description="Line number"),
            string_field("LedgerCode", 35, "GL ledger code", required=True),
            string_field("Reference", REFERENCE_LENGTH, "Reference"),
            decimal_field(
                "EntryAmount",
                "Signed: debit +, credit -",
                required=True,
                protected=MONEY,
                places=VALUE_PLACES,
            ),
            string_field("Comment", 100, "Comment"),
        ),
    ),
)
