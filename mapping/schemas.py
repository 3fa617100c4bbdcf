"""ERP entity schemas as data: every target field the mapping engine can fill.

One `EntitySchema` per (ERP kind, entity). Field names are the ERP's own
(SYSPRO business-object elements, Sage Pro table columns, see
PROTOCOLS.md) and match the payload dicts the connectors consume. Lengths are
the ERP column sizes where they are published; Stripe references (ids, up to
~45 characters with a dispute phase suffix) get room for that, a design
choice noted on the field.

Types:
- ``string``: text, at most ``max_length`` characters.
- ``decimal``: a decimal number as a string ("19.99", "-5.000", "500").
- ``date``: ``CCYY-MM-DD``.
- ``int``: a whole number (int or a string of digits).
- ``flag``: ``Y`` or ``N``.
- ``lines``: a list of dicts, each one a payload of ``child`` entity.

Protected fields (``protected``) stay as mapped from the Stripe source unless
a second person approves a hand edit of them (integrations.ledger):
- ``money``: an amount, its currency, or a quantity, price or discount that
  sets one.
- ``customer``: the ERP customer the document is booked to.
- ``reference``: the Stripe id the connector looks a document up by before it
  creates one (the exactly-once key).
"""

from dataclasses import dataclass, field

STRING = "string"
DECIMAL = "decimal"
DATE = "date"
INT = "int"
FLAG = "flag"
LINES = "lines"

TYPES = (STRING, DECIMAL, DATE, INT, FLAG, LINES)

MONEY = "money"
ERP_CUSTOMER = "customer"
STRIPE_REFERENCE = "reference"
PROTECTED_KINDS = (MONEY, ERP_CUSTOMER, STRIPE_REFERENCE)

SYSPRO = "syspro"
SAGEPRO = "sagepro"
ERP_KINDS = (SYSPRO, SAGEPRO)

ENTITIES = (
    "customer",
    "sales_order",
    "order_line",
    "payment",
    "credit_note",
    "adjustment",
    "invoice",
    "journal",
    "journal_line",
)
# Entities that are only ever mapped as lines of a parent.
LINE_ENTITIES = ("order_line", "journal_line")


@dataclass(frozen=True)
class FieldSpec:
    name: str
    type: str = STRING
    max_length: int | None = None
    required: bool = False
    choices: tuple[str, ...] = ()
    description: str = ""
    child: str = ""  # for LINES: the entity each line is
    # Required only when another field of the same payload has one of these
    # values, e.g. StockCode when LineType is "stock".
    required_when: tuple[str, tuple[str, ...]] | None = None
    positive: bool = False  # decimals that must be > 0
    protected: str = ""  # one of PROTECTED_KINDS: a hand edit needs approval


@dataclass(frozen=True)
class EntitySchema:
    erp: str
    entity: str
    title: str
    fields: tuple[FieldSpec, ...]
    by_name: dict[str, FieldSpec] = field(default_factory=dict, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_name", {f.name: f for f in self.fields})

    def get(self, name: str) -> FieldSpec | None:
        return self.by_name.get(name)

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields if f.required)


def _s(name: str, max_length: int, description: str = "", **kw) -> FieldSpec:
    return FieldSpec(name, STRING, max_length, description=description, **kw)


def _d(name: str, description: str = "", **kw) -> FieldSpec:
    return FieldSpec(name, DECIMAL, description=description, **kw)


def _addr(prefix: str, length: int, what: str) -> tuple[FieldSpec, ...]:
    parts = ("line 1", "line 2", "city", "state", "country")
    return tuple(
        _s(f"{prefix}{n}", length, f"{what} address {parts[n - 1]}")
        for n in range(1, 6)
    )


# Stripe references are written into these; the real SYSPRO Reference column
# is 30 wide, widened so a dispute id plus its phase suffix fits.
_REF_LEN = 60

_SYSPRO = (
    EntitySchema(
        SYSPRO,
        "customer",
        "AR customer (ARSSCS)",
        (
            _s(
                "Customer",
                7,
                "Customer code; empty lets the connector assign one",
                protected=ERP_CUSTOMER,
            ),
            _s("Name", 30, "Customer name", required=True),
            _s("ShortName", 10, "Short name used in searches"),
            _s("Telephone", 20, "Telephone number"),
            _s("Email", 50, "Email address"),
            _s("Currency", 3, "ISO currency code", protected=MONEY),
            _s("TermsCode", 2, "Terms code"),
            _d("CreditLimit", "Credit limit", protected=MONEY),
            *_addr("SoldToAddr", 40, "Sold-to"),
            _s("SoldPostalCode", 10, "Sold-to postal code"),
            *_addr("ShipToAddr", 40, "Ship-to"),
            FieldSpec("CustomerOnHold", FLAG, 1, description="Y puts it on hold"),
        ),
    ),
    EntitySchema(
        SYSPRO,
        "sales_order",
        "Sales order import (SORTOI)",
        (
            _s(
                "CustomerPoNumber",
                30,
                "Customer PO: the Stripe id",
                required=True,
                protected=STRIPE_REFERENCE,
            ),
            _s("Customer", 7, "Customer code", required=True, protected=ERP_CUSTOMER),
            FieldSpec("OrderDate", DATE, required=True, description="Order date"),
            _s("Currency", 3, "ISO currency code", protected=MONEY),
            _s("Email", 50, "Email address"),
            _s("Warehouse", 10, "Default warehouse"),
            *_addr("ShipAddress", 40, "Ship-to"),
            FieldSpec(
                "lines", LINES, required=True, child="order_line", description="Lines"
            ),
        ),
    ),
    EntitySchema(
        SYSPRO,
        "order_line",
        "Sales order line (StockLine or MiscChargeLine)",
        (
            _s(
                "LineType",
                5,
                "stock or misc: picks the XML element",
                required=True,
                choices=("stock", "misc"),
            ),
            FieldSpec("CustomerPoLine", INT, required=True, description="Line number"),
            _s("StockCode", 30, "Stock code", required_when=("LineType", ("stock",))),
            _s("Warehouse", 10, "Warehouse", required_when=("LineType", ("stock",))),
            _d(
                "OrderQty",
                "Quantity",
                required_when=("LineType", ("stock",)),
                protected=MONEY,
            ),
            _s("OrderUom", 10, "Unit of measure"),
            _d(
                "Price",
                "Unit price",
                required_when=("LineType", ("stock",)),
                protected=MONEY,
            ),
            _d(
                "MiscChargeValue",
                "Misc charge value",
                required_when=("LineType", ("misc",)),
                protected=MONEY,
            ),
            _s("MiscDescription", 30, "Misc charge description"),
        ),
    ),
    EntitySchema(
        SYSPRO,
        "payment",
        "AR payment (ARSTPY Payment)",
        (
            _s("Customer", 7, "Customer code", required=True, protected=ERP_CUSTOMER),
            _d(
                "PaymentValue",
                "Amount received",
                required=True,
                positive=True,
                protected=MONEY,
            ),
            _s(
                "Reference",
                _REF_LEN,
                "Stripe charge id",
                required=True,
                protected=STRIPE_REFERENCE,
            ),
            FieldSpec("PaymentDate", DATE, required=True, description="Payment date"),
            _s("Bank", 15, "AR bank code", required=True),
            _s("PaymentType", 10, "Payment type code"),
            _s("JournalNotation", 100, "Journal notation"),
            _s("InvoiceToPay", 20, "Invoice paid; empty posts unapplied"),
            _s("SalesOrder", 20, "Sales order it pays"),
        ),
    ),
    EntitySchema(
        SYSPRO,
        "credit_note",
        "AR credit note (ARSTIN, type C)",
        (
            _s("TransactionType", 1, "C", required=True, choices=("C",)),
            _s("Customer", 7, "Customer code", required=True, protected=ERP_CUSTOMER),
            _s("Invoice", 20, "Document number; empty lets SYSPRO number it"),
            FieldSpec("InvoiceDate", DATE, required=True, description="Document date"),
            _s(
                "Reference",
                _REF_LEN,
                "Stripe refund id",
                required=True,
                protected=STRIPE_REFERENCE,
            ),
            _d(
                "InvoiceValue",
                "Value, positive",
                required=True,
                positive=True,
                protected=MONEY,
            ),
            _d("TaxValue", "Tax included", protected=MONEY),
        ),
    ),
    EntitySchema(
        SYSPRO,
        "invoice",
        "AR invoice (ARSTIN, type I)",
        (
            _s("TransactionType", 1, "I", required=True, choices=("I", "D")),
            _s("Customer", 7, "Customer code", required=True, protected=ERP_CUSTOMER),
            _s("Invoice", 20, "Invoice number"),
            FieldSpec("InvoiceDate", DATE, required=True, description="Invoice date"),
            _s(
                "Reference",
                _REF_LEN,
                "Stripe invoice id",
                required=True,
                protected=STRIPE_REFERENCE,
            ),
            _d("InvoiceValue", "Value, positive", required=True, protected=MONEY),
            _d("TaxValue", "Tax included", protected=MONEY),
        ),
    ),
    EntitySchema(
        SYSPRO,
        "adjustment",
        "AR adjustment (ARSTPY Adjustments)",
        (
            _s("Customer", 7, "Customer code", required=True, protected=ERP_CUSTOMER),
            _s("Bank", 15, "AR bank code", required=True),
            _s(
                "TransactionType",
                1,
                "Document adjusted: I invoice, C credit, D debit, P payment",
                required=True,
                choices=("I", "C", "D", "P"),
            ),
            _s("Invoice", 20, "Document adjusted"),
            _d("AdjustmentValue", "Signed value", required=True, protected=MONEY),
            _s(
                "Reference",
                _REF_LEN,
                "Stripe dispute id and phase",
                required=True,
                protected=STRIPE_REFERENCE,
            ),
            _s("JournalNotation", 100, "Journal notation"),
        ),
    ),
    EntitySchema(
        SYSPRO,
        "journal",
        "GL journal (GENTJL)",
        (
            _s("JournalType", 1, "N normal", choices=("N", "R", "S")),
            FieldSpec("JournalDate", DATE, required=True, description="Journal date"),
            _s(
                "JournalReference",
                _REF_LEN,
                "Stripe payout id",
                required=True,
                protected=STRIPE_REFERENCE,
            ),
            _s("Notation", 100, "Notation"),
            FieldSpec("PostingPeriod", INT, description="GL period 1-13"),
            FieldSpec("PostingYear", INT, description="GL year"),
            FieldSpec(
                "lines", LINES, required=True, child="journal_line", description="Lines"
            ),
        ),
    ),
    EntitySchema(
        SYSPRO,
        "journal_line",
        "GL journal detail (JournalDetails)",
        (
            FieldSpec("EntryNumber", INT, required=True, description="Line number"),
            _s("LedgerCode", 35, "GL ledger code", required=True),
            _s("Reference", _REF_LEN, "Reference"),
            _d(
                "EntryAmount",
                "Signed: debit +, credit -",
                required=True,
                protected=MONEY,
            ),
            _s("Comment", 100, "Comment"),
        ),
    ),
)

_SAGEPRO = (
    EntitySchema(
        SAGEPRO,
        "customer",
        "Customer master (arcust)",
        (
            _s(
                "custno",
                10,
                "Customer number; empty lets the connector assign one",
                protected=ERP_CUSTOMER,
            ),
            _s("company", 40, "Company name", required=True),
            _s("contact", 20, "Contact name"),
            _s("address1", 40, "Address line 1"),
            _s("address2", 40, "Address line 2"),
            _s("city", 20, "City"),
            _s("addrstate", 10, "State"),
            _s("zip", 10, "Postal code"),
            _s("country", 25, "Country"),
            _s("phone", 20, "Phone"),
            _s("email", 60, "Email"),
            _s("pterms", 20, "Payment terms"),
            _d("credlimit", "Credit limit", protected=MONEY),
            _s("currid", 3, "Currency", protected=MONEY),
        ),
    ),
    EntitySchema(
        SAGEPRO,
        "sales_order",
        "Sales order (somast)",
        (
            _s("sono", 20, "Order number; empty on create"),
            _s("custno", 10, "Customer number", required=True, protected=ERP_CUSTOMER),
            FieldSpec("ordate", DATE, required=True, description="Order date"),
            _s(
                "ponum",
                30,
                "PO number: the Stripe id",
                required=True,
                protected=STRIPE_REFERENCE,
            ),
            _d("ordamt", "Order amount", protected=MONEY),
            _s("currid", 3, "Currency", protected=MONEY),
            _s(
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
        SAGEPRO,
        "order_line",
        "Sales order line (sotran)",
        (
            _s("item", 20, "Item code; blank for a non-stock line"),
            _s("descrip", 40, "Description"),
            _d("qtyord", "Quantity", required=True, protected=MONEY),
            _d("price", "Unit price", required=True, protected=MONEY),
            _d("disc", "Discount percent", protected=MONEY),
            _d("extprice", "Extended price", required=True, protected=MONEY),
        ),
    ),
    EntitySchema(
        SAGEPRO,
        "payment",
        "Cash receipt (cashreceipts)",
        (
            _s("custno", 10, "Customer number", required=True, protected=ERP_CUSTOMER),
            _s("invno", 20, "Invoice paid; empty posts unapplied"),
            _s("sono", 20, "Sales order it pays"),
            _s(
                "reference",
                _REF_LEN,
                "Stripe charge id",
                required=True,
                protected=STRIPE_REFERENCE,
            ),
            _d("amount", "Amount", required=True, positive=True, protected=MONEY),
            FieldSpec("date", DATE, required=True, description="Receipt date"),
            _s("bank", 15, "Bank code", required=True),
            _s("currid", 3, "Currency", protected=MONEY),
        ),
    ),
    EntitySchema(
        SAGEPRO,
        "credit_note",
        "Credit memo (creditmemos)",
        (
            _s("custno", 10, "Customer number", required=True, protected=ERP_CUSTOMER),
            _s("invno", 20, "The original document"),
            _s(
                "reference",
                _REF_LEN,
                "Stripe refund id",
                required=True,
                protected=STRIPE_REFERENCE,
            ),
            _d(
                "amount",
                "Amount, positive",
                required=True,
                positive=True,
                protected=MONEY,
            ),
            FieldSpec("date", DATE, required=True, description="Memo date"),
            _s("reason", 40, "Reason"),
            _s("currid", 3, "Currency", protected=MONEY),
        ),
    ),
    EntitySchema(
        SAGEPRO,
        "invoice",
        "AR invoice (armast)",
        (
            _s("invno", 20, "Invoice number"),
            _s("custno", 10, "Customer number", required=True, protected=ERP_CUSTOMER),
            FieldSpec("invdte", DATE, required=True, description="Invoice date"),
            _s(
                "ponum",
                30,
                "PO number: the Stripe id",
                required=True,
                protected=STRIPE_REFERENCE,
            ),
            _d("invamt", "Invoice amount", required=True, protected=MONEY),
            _s("currid", 3, "Currency", protected=MONEY),
            FieldSpec("lines", LINES, child="order_line", description="Lines"),
        ),
    ),
    EntitySchema(
        SAGEPRO,
        "adjustment",
        "AR adjustment (creditmemos, type adjustment)",
        (
            _s("type", 10, "adjustment", required=True, choices=("adjustment",)),
            _s("custno", 10, "Customer number", required=True, protected=ERP_CUSTOMER),
            _s("invno", 20, "Document adjusted"),
            _s(
                "reference",
                _REF_LEN,
                "Stripe dispute id and phase",
                required=True,
                protected=STRIPE_REFERENCE,
            ),
            _d(
                "amount",
                "Signed: negative debits the customer",
                required=True,
                protected=MONEY,
            ),
            FieldSpec("date", DATE, required=True, description="Date"),
            _s("reason", 40, "Reason"),
            _s("currid", 3, "Currency", protected=MONEY),
        ),
    ),
    EntitySchema(
        SAGEPRO,
        "journal",
        "GL journal entry (journalentries)",
        (
            FieldSpec("date", DATE, required=True, description="Journal date"),
            _s(
                "reference",
                _REF_LEN,
                "Stripe payout id",
                required=True,
                protected=STRIPE_REFERENCE,
            ),
            _s("descrip", 60, "Description"),
            _s("currid", 3, "Currency", protected=MONEY),
            FieldSpec(
                "lines", LINES, required=True, child="journal_line", description="Lines"
            ),
        ),
    ),
    EntitySchema(
        SAGEPRO,
        "journal_line",
        "GL journal line",
        (
            _s("account", 20, "GL account", required=True),
            _d("debit", "Debit, non-negative", required=True, protected=MONEY),
            _d("credit", "Credit, non-negative", required=True, protected=MONEY),
            _s("descrip", 60, "Description"),
        ),
    ),
)

SCHEMAS: dict[tuple[str, str], EntitySchema] = {
    (s.erp, s.entity): s for s in (*_SYSPRO, *_SAGEPRO)
}


def schema_for(*, erp: str, entity: str) -> EntitySchema:
    try:
        return SCHEMAS[(erp, entity)]
    except KeyError:
        raise KeyError(f"no schema for {erp} {entity}") from None
