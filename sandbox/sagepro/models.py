"""Tables of the Sage Pro sandbox, named after Sage Pro's own (arcust, somast …).

Amounts are Decimal with three places so three-decimal currencies fit.
"""

from django.db import models
from django.db.models import Q

MONEY = {"max_digits": 18, "decimal_places": 3}


class Counter(models.Model):
    """Document number sequences, locked row by row so processes never collide."""

    name = models.CharField(max_length=30, unique=True)
    value = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.name}={self.value}"


class Customer(models.Model):
    """arcust."""

    custno = models.CharField(max_length=10, unique=True)
    company = models.CharField(max_length=40)
    contact = models.CharField(max_length=30, blank=True)
    address1 = models.CharField(max_length=40, blank=True)
    address2 = models.CharField(max_length=40, blank=True)
    city = models.CharField(max_length=20, blank=True)
    addrstate = models.CharField(max_length=10, blank=True)
    zip = models.CharField(max_length=10, blank=True)
    country = models.CharField(max_length=20, blank=True)
    phone = models.CharField(max_length=20, blank=True)
    email = models.CharField(max_length=50, blank=True)
    pterms = models.CharField(max_length=20, blank=True)
    credlimit = models.DecimalField(**MONEY, default=0)
    balance = models.DecimalField(**MONEY, default=0)
    credstat = models.CharField(max_length=1, blank=True)
    currid = models.CharField(max_length=3, default="USD")
    seeded = models.BooleanField(default=False)

    def __str__(self) -> str:
        return f"{self.custno} {self.company}"


class Item(models.Model):
    """icitem."""

    item = models.CharField(max_length=20, unique=True)
    descrip = models.CharField(max_length=50)
    price = models.DecimalField(**MONEY)

    def __str__(self) -> str:
        return self.item


class Account(models.Model):
    """glacnt."""

    account = models.CharField(max_length=20, unique=True)
    descrip = models.CharField(max_length=50)

    def __str__(self) -> str:
        return f"{self.account} {self.descrip}"


class Bank(models.Model):
    code = models.CharField(max_length=10, unique=True)
    descrip = models.CharField(max_length=50)

    def __str__(self) -> str:
        return self.code


class SalesOrder(models.Model):
    """somast; lines in SalesOrderLine (sotran)."""

    sono = models.CharField(max_length=10, unique=True)
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT)
    ordate = models.DateField()
    ponum = models.CharField(max_length=40, blank=True)
    ordamt = models.DecimalField(**MONEY)
    currid = models.CharField(max_length=3)
    sostat = models.CharField(max_length=1, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["customer", "ponum"],
                condition=~Q(ponum=""),
                name="sagepro_so_ponum_per_customer",
            )
        ]

    def __str__(self) -> str:
        return self.sono


class SalesOrderLine(models.Model):
    order = models.ForeignKey(
        SalesOrder, on_delete=models.CASCADE, related_name="lines"
    )
    lineno = models.PositiveIntegerField()
    item = models.CharField(max_length=20, blank=True)
    descrip = models.CharField(max_length=50, blank=True)
    qtyord = models.DecimalField(max_digits=18, decimal_places=6)
    price = models.DecimalField(**MONEY)
    disc = models.DecimalField(max_digits=6, decimal_places=3, default=0)
    extprice = models.DecimalField(**MONEY)

    class Meta:
        ordering = ["order", "lineno"]

    def __str__(self) -> str:
        return f"{self.order_id}/{self.lineno}"


class Invoice(models.Model):
    """armast."""

    invno = models.CharField(max_length=10, unique=True)
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT)
    invdte = models.DateField()
    ponum = models.CharField(max_length=40, blank=True)
    invamt = models.DecimalField(**MONEY)
    paidamt = models.DecimalField(**MONEY, default=0)
    balance = models.DecimalField(**MONEY)
    arstat = models.CharField(max_length=1, blank=True)
    currid = models.CharField(max_length=3)
    lines = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["customer", "ponum"],
                condition=~Q(ponum=""),
                name="sagepro_inv_ponum_per_customer",
            )
        ]

    def __str__(self) -> str:
        return self.invno


class CashReceipt(models.Model):
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT)
    invno = models.CharField(max_length=10, blank=True)
    sono = models.CharField(max_length=10, blank=True)
    reference = models.CharField(max_length=60, unique=True)
    amount = models.DecimalField(**MONEY)
    date = models.DateField()
    bank = models.CharField(max_length=10)
    currid = models.CharField(max_length=3)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"receipt {self.pk} {self.reference}"


class CreditMemo(models.Model):
    """Credit notes and (signed) AR adjustments."""

    class Type(models.TextChoices):
        CREDIT_MEMO = "creditmemo", "Credit memo"
        ADJUSTMENT = "adjustment", "Adjustment"

    type = models.CharField(max_length=12, choices=Type.choices)
    customer = models.ForeignKey(Customer, on_delete=models.PROTECT)
    invno = models.CharField(max_length=10, blank=True)
    reference = models.CharField(max_length=60, unique=True)
    amount = models.DecimalField(**MONEY)
    date = models.DateField()
    reason = models.CharField(max_length=60, blank=True)
    currid = models.CharField(max_length=3)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.type} {self.pk} {self.reference}"


class JournalEntry(models.Model):
    date = models.DateField()
    reference = models.CharField(max_length=60, unique=True)
    descrip = models.CharField(max_length=100, blank=True)
    currid = models.CharField(max_length=3)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "journal entries"

    def __str__(self) -> str:
        return f"journal {self.pk} {self.reference}"


class JournalLine(models.Model):
    entry = models.ForeignKey(
        JournalEntry, on_delete=models.CASCADE, related_name="lines"
    )
    lineno = models.PositiveIntegerField()
    account = models.CharField(max_length=20)
    debit = models.DecimalField(**MONEY, default=0)
    credit = models.DecimalField(**MONEY, default=0)
    descrip = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["entry", "lineno"]
        constraints = [
            models.CheckConstraint(
                condition=Q(debit__gte=0) & Q(credit__gte=0),
                name="sagepro_journal_line_non_negative",
            )
        ]

    def __str__(self) -> str:
        return f"{self.entry_id}/{self.lineno}"
