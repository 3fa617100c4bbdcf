"""Tables of the SYSPRO e.net sandbox: master data, sessions and AR/SO/GL documents.

Field names follow SYSPRO's own (ArCustomer, SorMaster, ArInvoice, GenJournal)
loosely; amounts are Decimal with three places so KWD-style currencies fit.
"""

from django.db import models

MONEY = {"max_digits": 18, "decimal_places": 3}


class Counter(models.Model):
    """Document number sequences, locked row by row so processes never collide."""

    name = models.CharField(max_length=30, unique=True)
    value = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.name}={self.value}"


class Customer(models.Model):
    code = models.CharField(max_length=7, unique=True)
    name = models.CharField(max_length=30)
    short_name = models.CharField(max_length=10, blank=True)
    currency = models.CharField(max_length=3, default="USD")
    terms_code = models.CharField(max_length=2, blank=True)
    credit_limit = models.DecimalField(**MONEY, default=0)
    telephone = models.CharField(max_length=20, blank=True)
    email = models.CharField(max_length=50, blank=True)
    on_hold = models.BooleanField(default=False)
    # SoldToAddr1..5, SoldPostalCode, ShipToAddr1..5 as sent.
    addresses = models.JSONField(default=dict, blank=True)
    seeded = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"{self.code} {self.name}"


class StockItem(models.Model):
    stock_code = models.CharField(max_length=30, unique=True)
    description = models.CharField(max_length=50)
    stock_uom = models.CharField(max_length=10, default="EA")
    selling_price = models.DecimalField(**MONEY)
    product_class = models.CharField(max_length=20, blank=True, default="")

    def __str__(self) -> str:
        return self.stock_code


class Warehouse(models.Model):
    code = models.CharField(max_length=10, unique=True)
    description = models.CharField(max_length=50)

    def __str__(self) -> str:
        return self.code


class WarehouseItem(models.Model):
    stock_item = models.ForeignKey(StockItem, on_delete=models.CASCADE)
    warehouse = models.ForeignKey(Warehouse, on_delete=models.CASCADE)
    qty_on_hand = models.DecimalField(max_digits=18, decimal_places=6, default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["stock_item", "warehouse"], name="syspro_warehouse_item_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.stock_item_id}@{self.warehouse_id}"


class ContractPrice(models.Model):
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE)
    stock_item = models.ForeignKey(StockItem, on_delete=models.CASCADE)
    price = models.DecimalField(**MONEY)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["customer", "stock_item"], name="syspro_contract_price_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.customer_id}/{self.stock_item_id}"


class InventoryPrice(models.Model):
    """A stock item's selling price under one price code (SYSPRO's InvPrice):
    a customer is priced from its price code unless a contract price says
    otherwise."""

    stock_item = models.ForeignKey(
        StockItem, on_delete=models.CASCADE, related_name="prices"
    )
    price_code = models.CharField(max_length=3)
    selling_price = models.DecimalField(**MONEY)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["stock_item", "price_code"], name="syspro_inv_price_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.stock_item_id}/{self.price_code}"


class PriceBreak(models.Model):
    """From `quantity` ordered, the unit price is `selling_price`."""

    price = models.ForeignKey(
        InventoryPrice, on_delete=models.CASCADE, related_name="breaks"
    )
    quantity = models.DecimalField(max_digits=18, decimal_places=6)
    selling_price = models.DecimalField(**MONEY)

    class Meta:
        ordering = ["price", "quantity"]
        constraints = [
            models.UniqueConstraint(
                fields=["price", "quantity"], name="syspro_price_break_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.price_id}@{self.quantity}"


class Bank(models.Model):
    code = models.CharField(max_length=10, unique=True)
    description = models.CharField(max_length=50)

    def __str__(self) -> str:
        return self.code


class LedgerCode(models.Model):
    code = models.CharField(max_length=35, unique=True)
    description = models.CharField(max_length=50)

    def __str__(self) -> str:
        return f"{self.code} {self.description}"


class Session(models.Model):
    user_id = models.CharField(max_length=64, unique=True)
    operator = models.CharField(max_length=20)
    company_id = models.CharField(max_length=10)
    created_at = models.DateTimeField()
    last_used_at = models.DateTimeField()
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["operator", "ended_at"])]

    def __str__(self) -> str:
        return f"{self.operator} {self.user_id}"


class SalesOrder(models.Model):
    sales_order = models.CharField(max_length=20, unique=True)
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT)
    customer_po_number = models.CharField(max_length=30, blank=True, db_index=True)
    order_date = models.DateField()
    currency = models.CharField(max_length=3)
    email = models.CharField(max_length=255, blank=True)
    warehouse = models.CharField(max_length=10, blank=True)
    ship_address = models.JSONField(default=list, blank=True)
    order_status = models.CharField(max_length=1, default="1")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.sales_order


class SalesOrderLine(models.Model):
    class LineType(models.TextChoices):
        STOCK = "1", "Stock"
        MISC = "5", "Misc charge"
        FREIGHT = "4", "Freight"
        COMMENT = "6", "Comment"

    order = models.ForeignKey(
        SalesOrder, on_delete=models.CASCADE, related_name="lines"
    )
    line = models.PositiveIntegerField()
    line_type = models.CharField(max_length=1, choices=LineType.choices)
    customer_po_line = models.CharField(max_length=10, blank=True)
    stock_code = models.CharField(max_length=30, blank=True)
    warehouse = models.CharField(max_length=10, blank=True)
    order_qty = models.DecimalField(max_digits=18, decimal_places=6, default=0)
    order_uom = models.CharField(max_length=10, blank=True)
    price = models.DecimalField(**MONEY, default=0)
    value = models.DecimalField(**MONEY, default=0)
    description = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["order", "line"]

    def __str__(self) -> str:
        return f"{self.order_id}/{self.line}"


class ArInvoice(models.Model):
    """Invoices, debit notes and credit notes (ARSTIN)."""

    class TransactionType(models.TextChoices):
        INVOICE = "I", "Invoice"
        DEBIT_NOTE = "D", "Debit note"
        CREDIT_NOTE = "C", "Credit note"

    customer = models.ForeignKey(Customer, on_delete=models.PROTECT)
    invoice = models.CharField(max_length=20)
    transaction_type = models.CharField(max_length=1, choices=TransactionType.choices)
    invoice_date = models.DateField()
    reference = models.CharField(max_length=60, blank=True, db_index=True)
    # Signed as SYSPRO books it: credit notes negative.
    invoice_value = models.DecimalField(**MONEY)
    tax_value = models.DecimalField(**MONEY, default=0)
    balance = models.DecimalField(**MONEY)
    journal = models.PositiveIntegerField()
    # A credit or debit note posted to an existing invoice
    # (PostToExistingInvoice=Y): that invoice's number; it carries the value.
    posted_to = models.CharField(max_length=20, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["customer", "invoice"], name="syspro_invoice_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.transaction_type} {self.invoice}"


class ArPayment(models.Model):
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT)
    reference = models.CharField(max_length=60, blank=True, db_index=True)
    payment_value = models.DecimalField(**MONEY)
    payment_date = models.DateField()
    bank = models.CharField(max_length=10)
    payment_type = models.CharField(max_length=10, blank=True)
    journal_notation = models.CharField(max_length=100, blank=True)
    sales_order = models.CharField(max_length=20, blank=True)
    # [{"invoice": "...", "value": "..."}]
    applied = models.JSONField(default=list, blank=True)
    unapplied_value = models.DecimalField(**MONEY, default=0)
    journal = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"payment {self.reference}"


class ArAdjustment(models.Model):
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT)
    bank = models.CharField(max_length=10, blank=True)
    transaction_type = models.CharField(max_length=1)
    invoice = models.CharField(max_length=20)
    adjustment_value = models.DecimalField(**MONEY)
    reference = models.CharField(max_length=60, blank=True, db_index=True)
    journal_notation = models.CharField(max_length=100, blank=True)
    journal = models.PositiveIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"adjustment {self.reference}"


class GlJournal(models.Model):
    gl_year = models.PositiveIntegerField()
    gl_period = models.PositiveIntegerField()
    gl_journal = models.PositiveIntegerField()
    journal_type = models.CharField(max_length=1, default="N")
    journal_date = models.DateField()
    journal_reference = models.CharField(max_length=60, blank=True, db_index=True)
    notation = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["gl_year", "gl_period", "gl_journal"],
                name="syspro_gl_journal_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.gl_year}/{self.gl_period}/{self.gl_journal}"


class GlJournalLine(models.Model):
    journal = models.ForeignKey(
        GlJournal, on_delete=models.CASCADE, related_name="lines"
    )
    entry_number = models.PositiveIntegerField()
    ledger_code = models.CharField(max_length=35)
    reference = models.CharField(max_length=60, blank=True)
    entry_amount = models.DecimalField(**MONEY)
    comment = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["journal", "entry_number"]

    def __str__(self) -> str:
        return f"{self.journal_id}/{self.entry_number}"


class CustomFormValue(models.Model):
    """One custom form field's value for one key (COMSFM, Setup/Add and
    Setup/Update): e.g. form type CUS, key = a customer code."""

    form_type = models.CharField(max_length=3)
    key_field = models.CharField(max_length=30)
    field_name = models.CharField(max_length=6)
    alpha_value = models.CharField(max_length=100, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["form_type", "key_field", "field_name"],
                name="uniq_sandbox_syspro_custom_form_value",
            )
        ]

    def __str__(self) -> str:
        return f"{self.form_type} {self.key_field} {self.field_name}"
