"""The B2B customer portal: companies (one ERP customer each), their buyers,
and the orders buyers place, written back to the ERP exactly once.

Amounts are integers in the company currency's minor units; the ERP boundary
(services/orders.py) turns them into Decimal units.
"""

from django.conf import settings
from django.db import models

from integrations.models import Integration


class Company(models.Model):
    """One ERP customer whose people use the portal."""

    integration = models.ForeignKey(
        Integration, on_delete=models.PROTECT, related_name="b2b_companies"
    )
    erp_customer_code = models.CharField("ERP customer code", max_length=30)
    name = models.CharField(max_length=100)
    currency = models.CharField(max_length=3)
    price_code = models.CharField(
        max_length=3,
        default="A",
        help_text="The ERP price list this customer buys from (SYSPRO price "
        "code); contract prices override it.",
    )
    order_limit = models.PositiveBigIntegerField(
        default=0,
        help_text="Largest order a buyer places without an approver, in minor "
        "units of the company currency; 0 means no limit.",
    )
    is_active = models.BooleanField(default=True)
    # The Stripe customer card payments are made as; its metadata names the
    # ERP customer, so the webhook pipeline posts them to this customer.
    stripe_customer = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "companies"
        constraints = [
            models.UniqueConstraint(
                fields=["integration", "erp_customer_code"],
                name="b2b_company_erp_customer_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.erp_customer_code})"


class Buyer(models.Model):
    """A person of one company. Never staff: the portal is their only door."""

    class Role(models.TextChoices):
        VIEWER = "viewer", "Viewer (prices, history, invoices)"
        BUYER = "buyer", "Buyer (orders up to the company limit)"
        APPROVER = "approver", "Approver (orders and approves)"

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="buyer"
    )
    company = models.ForeignKey(
        Company, on_delete=models.PROTECT, related_name="buyers"
    )
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.VIEWER)
    invited_at = models.DateTimeField(null=True, blank=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    def __str__(self) -> str:
        return f"{self.user} @ {self.company}"

    @property
    def can_order(self) -> bool:
        return self.role in (self.Role.BUYER, self.Role.APPROVER)

    @property
    def can_approve(self) -> bool:
        return self.role == self.Role.APPROVER


class Order(models.Model):
    """An order placed in the portal; `reference` is its key in the ERP."""

    class Status(models.TextChoices):
        AWAITING_APPROVAL = "awaiting_approval", "Awaiting approval"
        READY = "ready", "Ready to send to the ERP"
        SUBMITTING = "submitting", "Being sent to the ERP"
        PLACED = "placed", "Placed in the ERP"
        FAILED = "failed", "Not sent: try again"
        REJECTED = "rejected", "Rejected by the approver"

    class Payment(models.TextChoices):
        ACCOUNT = "account", "On account (your terms)"
        CARD = "card", "By card"

    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="+")
    buyer = models.ForeignKey(Buyer, on_delete=models.PROTECT, related_name="orders")
    # The review form's one-time token: a second POST of the same form finds
    # this order instead of making another.
    submission = models.UUIDField(unique=True)
    status = models.CharField(max_length=20, choices=Status.choices)
    payment = models.CharField(
        max_length=10, choices=Payment.choices, default=Payment.ACCOUNT
    )
    currency = models.CharField(max_length=3)
    total = models.BigIntegerField()
    po_number = models.CharField("PO number", max_length=30, blank=True)
    ship_to = models.CharField(max_length=200, blank=True)
    requested_date = models.DateField(null=True, blank=True)
    notes = models.CharField(max_length=500, blank=True)
    erp_order_number = models.CharField(max_length=30, blank=True)
    error = models.CharField(max_length=500, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        Buyer, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    payment_intent = models.CharField(max_length=100, blank=True)
    # The Stripe Checkout Session the buyer pays on; a new one (the next
    # attempt, a new idempotency key) only once the last has expired.
    checkout_session = models.CharField(max_length=255, blank=True)
    checkout_attempt = models.PositiveSmallIntegerField(default=0)
    card_paid_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    placed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["company", "-created_at"])]

    def __str__(self) -> str:
        return self.reference

    @property
    def reference(self) -> str:
        """The customer PO the ERP order is imported with and found by."""
        return f"LBP-{self.pk:08d}"


class OrderLine(models.Model):
    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    code = models.CharField(max_length=30)
    description = models.CharField(max_length=100, blank=True)
    unit = models.CharField(max_length=10, blank=True)
    quantity = models.PositiveIntegerField()
    unit_price = models.BigIntegerField()  # minor units
    amount = models.BigIntegerField()

    class Meta:
        ordering = ["order", "pk"]

    def __str__(self) -> str:
        return f"{self.order_id}: {self.quantity} x {self.code}"


class InvoicePayment(models.Model):
    """One ERP invoice paid by card from the portal. The invoices of one pay
    form (`submission`) share one Checkout Session and so one charge, whose
    metadata names each invoice and its amount; the webhook pipeline posts it
    as one ERP payment applied to exactly those invoices."""

    company = models.ForeignKey(Company, on_delete=models.PROTECT, related_name="+")
    buyer = models.ForeignKey(Buyer, on_delete=models.PROTECT, related_name="+")
    # The pay form's one-time token: the same form sent again pays nothing more.
    submission = models.UUIDField()
    invoice = models.CharField(max_length=30)
    currency = models.CharField(max_length=3)
    amount = models.BigIntegerField()  # minor units
    payment_intent = models.CharField(max_length=100, blank=True)
    checkout_session = models.CharField(max_length=255, blank=True)
    paid_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["submission", "invoice"], name="b2b_invoice_payment_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.invoice} {self.amount} {self.currency}"
