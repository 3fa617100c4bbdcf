"""State of the Stripe API sandbox.

API objects keep Stripe's own JSON shape in `ApiObject.data`; the columns
beside it are only the ones the list filters, paging and balance sums query.
One table for every object type keeps expansion (`expand[]=`) and paging
generic, which is all a stand-in needs.
"""

from django.db import models
from django.db.models import Q


class ApiKey(models.Model):
    """An extra secret key the sandbox accepts besides SANDBOX_STRIPE_API_KEY."""

    key = models.CharField(max_length=255, unique=True)
    label = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "API key"

    def __str__(self) -> str:
        return self.label or f"{self.key[:12]}…"


class ApiObject(models.Model):
    """One Stripe API object (customer, charge, balance transaction …)."""

    class Kind(models.TextChoices):
        CUSTOMER = "customer", "Customer"
        PAYMENT_INTENT = "payment_intent", "PaymentIntent"
        CHARGE = "charge", "Charge"
        REFUND = "refund", "Refund"
        DISPUTE = "dispute", "Dispute"
        PAYOUT = "payout", "Payout"
        BALANCE_TRANSACTION = "balance_transaction", "Balance transaction"
        PRODUCT = "product", "Product"
        PRICE = "price", "Price"
        INVOICE = "invoice", "Invoice"
        INVOICE_ITEM = "invoiceitem", "Invoice item"
        INVOICE_PAYMENT = "invoice_payment", "Invoice payment"
        SUBSCRIPTION = "subscription", "Subscription"
        CREDIT_NOTE = "credit_note", "Credit note"
        TEST_CLOCK = "test_helpers.test_clock", "Test clock"
        CHECKOUT_SESSION = "checkout.session", "Checkout Session"

    stripe_id = models.CharField(max_length=255, unique=True)
    kind = models.CharField(max_length=30, choices=Kind.choices)
    created = models.PositiveBigIntegerField(help_text="Unix time, as Stripe shows it.")
    data = models.JSONField()
    customer = models.CharField(max_length=255, blank=True)
    parent = models.CharField(
        max_length=255,
        blank=True,
        help_text="Charge of a refund or dispute, product of a price, "
        "source of a balance transaction, invoice of an item, payment or "
        "credit note.",
    )
    payout = models.CharField(
        max_length=255,
        blank=True,
        help_text="Automatic payout a balance transaction was paid out in.",
    )
    currency = models.CharField(max_length=3, blank=True)
    net = models.BigIntegerField(
        null=True, blank=True, help_text="Balance transaction net, minor units."
    )
    deleted = models.BooleanField(default=False)

    class Meta:
        verbose_name = "API object"
        indexes = [
            models.Index(fields=["kind", "-id"], name="stripe_obj_kind_idx"),
            models.Index(fields=["kind", "customer"], name="stripe_obj_customer_idx"),
            models.Index(fields=["kind", "parent"], name="stripe_obj_parent_idx"),
            models.Index(fields=["payout"], name="stripe_obj_payout_idx"),
            models.Index(
                fields=["currency"],
                name="stripe_bt_unpaid_idx",
                condition=Q(kind="balance_transaction", payout=""),
            ),
        ]

    def __str__(self) -> str:
        return self.stripe_id


class Event(models.Model):
    """An event as Stripe would list it; `data` is the whole event object."""

    stripe_id = models.CharField(max_length=255, unique=True)
    type = models.CharField(max_length=100, db_index=True)
    created = models.PositiveBigIntegerField(db_index=True)
    data = models.JSONField()

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.type} {self.stripe_id}"


class WebhookEndpoint(models.Model):
    class Status(models.TextChoices):
        ENABLED = "enabled", "Enabled"
        DISABLED = "disabled", "Disabled"

    stripe_id = models.CharField(max_length=255, unique=True)
    url = models.URLField(max_length=2000)
    secret = models.CharField(max_length=255, editable=False)
    enabled_events = models.JSONField(default=list)
    api_version = models.CharField(max_length=40, blank=True)
    description = models.CharField(max_length=5000, blank=True)
    metadata = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.ENABLED
    )
    created = models.PositiveBigIntegerField()

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.stripe_id} → {self.url}"

    def wants(self, event_type: str) -> bool:
        return "*" in self.enabled_events or event_type in self.enabled_events


class WebhookDelivery(models.Model):
    """One event to one endpoint, created in the event's own transaction."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed (gave up)"

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="deliveries"
    )
    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempt_count = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField()
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "webhook deliveries"
        ordering = ["-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "endpoint"], name="uniq_stripe_delivery"
            )
        ]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="stripe_delivery_due_idx",
                condition=Q(status="pending"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.event.stripe_id} → {self.endpoint.stripe_id}"


class WebhookAttempt(models.Model):
    """One HTTP POST of a delivery."""

    delivery = models.ForeignKey(
        WebhookDelivery, on_delete=models.CASCADE, related_name="attempts"
    )
    number = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    duration_ms = models.PositiveIntegerField(default=0)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    duplicate = models.BooleanField(
        default=False, help_text="An extra send injected by webhook_duplicate_rate."
    )

    class Meta:
        ordering = ["delivery", "number"]

    def __str__(self) -> str:
        return f"Attempt {self.number} of delivery {self.delivery_id}"


class IdempotentRequest(models.Model):
    """The stored answer to a POST sent with an Idempotency-Key."""

    key = models.CharField(max_length=255, unique=True)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=500)
    fingerprint = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField()
    body = models.TextField()
    request_id = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.method} {self.path} [{self.key}]"
