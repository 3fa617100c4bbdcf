import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from portal.crypto import EncryptedJSONField, EncryptedTextField
from portal.outbound import OutboundUrlRefused, base_url_check


def validate_base_url(value: str) -> None:
    """A URL the portal may send credentials to (portal/outbound.py).

    Intranet host names without a dot are fine (ERP servers); the addresses
    they resolve to are checked by the connectors' transport at call time.
    """
    try:
        base_url_check(value)
    except OutboundUrlRefused as exc:
        raise ValidationError(exc.message, code="unsafe_url") from None


class Connection(models.Model):
    """Credentials and endpoint for one external system."""

    class Kind(models.TextChoices):
        # Every kind but Stripe is an ERP with a package in the registry
        # (integrations/erps/registry.py), which names its settings and secrets.
        STRIPE = "stripe", "Stripe"
        SYSPRO = "syspro", "SYSPRO"
        SAGEPRO = "sagepro", "Sage Pro"

    name = models.CharField(max_length=100, unique=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    base_url = models.CharField(
        max_length=500,
        blank=True,
        validators=[validate_base_url],
        help_text="API root, e.g. http://syspro-app01:20000/SYSPROWCFService/Rest. "
        "Blank for Stripe means api.stripe.com.",
    )
    config = models.JSONField(default=dict, blank=True)
    secrets = EncryptedJSONField(default=dict, blank=True, editable=False)
    timeout_seconds = models.PositiveIntegerField(default=30)
    is_sandbox = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()})"

    def __repr__(self) -> str:
        return f"<Connection {self.pk} {self.kind} {self.name!r}>"


class Integration(models.Model):
    """One integration pair: a Stripe account connected to one ERP company."""

    class Flow(models.TextChoices):
        CHARGES = "charges", "Charges → customer, sales order, payment"
        REFUNDS = "refunds", "Refunds → credit notes"
        DISPUTES = "disputes", "Disputes → adjustments"
        CUSTOMERS = "customers", "Customers → ERP customer master"
        INVOICES = "invoices", "Invoices → ERP invoices"
        PAYOUTS = "payouts", "Payouts → GL journals"

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(max_length=100, unique=True)
    stripe_connection = models.ForeignKey(
        Connection,
        on_delete=models.PROTECT,
        related_name="stripe_integrations",
        limit_choices_to={"kind": Connection.Kind.STRIPE},
    )
    erp_connection = models.ForeignKey(
        Connection,
        on_delete=models.PROTECT,
        related_name="erp_integrations",
        limit_choices_to={
            "kind__in": [
                kind
                for kind in Connection.Kind.values
                if kind != Connection.Kind.STRIPE
            ]
        },
    )
    is_active = models.BooleanField(default=True)
    flows = models.JSONField(
        default=list,
        blank=True,
        help_text="Flows switched on; events of other flows are recorded as ignored.",
    )
    stripe_api_version = models.CharField(
        max_length=40,
        blank=True,
        help_text="API version pinned on the webhook endpoint.",
    )
    options = models.JSONField(
        default=dict,
        blank=True,
        help_text="Workflow defaults: warehouse, bank, misc charge code, "
        "customer code prefix, terms …",
    )
    queue_paused_reason = models.TextField(
        blank=True,
        help_text="Set when the ERP rejected our credentials; "
        "records wait until cleared.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def flow_enabled(self, flow: str) -> bool:
        return flow in self.flows

    @property
    def erp_kind(self) -> str:
        return self.erp_connection.kind


class WebhookSecret(models.Model):
    """A Stripe endpoint signing secret; several active ones allow rotation."""

    integration = models.ForeignKey(
        Integration, on_delete=models.CASCADE, related_name="webhook_secrets"
    )
    secret = EncryptedTextField(editable=False)
    hint = models.CharField(
        "fingerprint",
        max_length=20,
        blank=True,
        editable=False,
        help_text="Tells secrets apart without showing any of their characters.",
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Signing secret {self.hint}"


class WebhookEvent(models.Model):
    """A verified Stripe event exactly as delivered."""

    class Status(models.TextChoices):
        RECEIVED = "received", "Received"
        PROCESSED = "processed", "Processed"
        IGNORED = "ignored", "Ignored"
        FAILED = "failed", "Failed"

    # The unique (integration, stripe_id) index serves every lookup by
    # integration, so the foreign key needs no index of its own.
    integration = models.ForeignKey(
        Integration,
        on_delete=models.PROTECT,
        related_name="events",
        db_index=False,
    )
    stripe_id = models.CharField(max_length=255)
    type = models.CharField(max_length=100)
    api_version = models.CharField(max_length=40, blank=True)
    livemode = models.BooleanField(default=False)
    stripe_created = models.DateTimeField(null=True, blank=True)
    object_id = models.CharField(max_length=255, blank=True, db_index=True)
    body = models.TextField()
    headers = models.JSONField(default=dict)
    source = models.CharField(
        max_length=20,
        default="webhook",
        help_text="webhook, sweep (missed-event recovery) or backfill",
    )
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.RECEIVED
    )
    error = models.TextField(blank=True)
    received_at = models.DateTimeField(auto_now_add=True, db_index=True)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_at"]
        permissions = [("reprocess_webhookevent", "Can reprocess webhook events")]
        constraints = [
            models.UniqueConstraint(
                fields=["integration", "stripe_id"], name="uniq_event_per_integration"
            )
        ]
        indexes = [models.Index(fields=["status", "received_at"])]

    def __str__(self) -> str:
        return f"{self.type} {self.stripe_id}"


class RejectedDelivery(models.Model):
    """A delivery refused at intake; the body is deliberately not kept."""

    integration_uuid = models.CharField(max_length=64, blank=True)
    received_at = models.DateTimeField(auto_now_add=True, db_index=True)
    status_code = models.PositiveSmallIntegerField()
    reason = models.CharField(max_length=255)
    remote_addr = models.GenericIPAddressField(null=True, blank=True)
    body_bytes = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-received_at"]
        verbose_name_plural = "rejected deliveries"

    def __str__(self) -> str:
        return f"{self.status_code} {self.reason}"


class SyncRecord(models.Model):
    """The ledger: one ERP operation planned from Stripe activity."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Succeeded"
        RETRYING = "retrying", "Retrying"
        NEEDS_ATTENTION = "needs_attention", "Needs attention"
        HELD = "held", "Held for review"
        SKIPPED = "skipped", "Skipped"
        # The reply to a write was lost and the ERP cannot be asked whether it
        # committed: a person settles it (ledger.sync_record_confirm_posted or
        # ledger.sync_record_post_again), never a blind retry.
        UNKNOWN_OUTCOME = "unknown_outcome", "Unknown outcome"

    class Operation(models.TextChoices):
        UPSERT_CUSTOMER = "upsert_customer", "Upsert customer"
        CREATE_SALES_ORDER = "create_sales_order", "Create sales order"
        POST_PAYMENT = "post_payment", "Post payment"
        POST_CREDIT_NOTE = "post_credit_note", "Post credit note"
        POST_ADJUSTMENT = "post_adjustment", "Post AR adjustment"
        CREATE_INVOICE = "create_invoice", "Create invoice"
        POST_JOURNAL = "post_journal", "Post GL journal"
        UPDATE_SUBSCRIPTION = (
            "update_subscription",
            "Update the customer's subscription fields",
        )

    OPEN_STATUSES = (Status.PENDING, Status.RETRYING, Status.RUNNING)

    integration = models.ForeignKey(
        Integration, on_delete=models.PROTECT, related_name="sync_records"
    )
    event = models.ForeignKey(
        WebhookEvent,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sync_records",
    )
    operation = models.CharField(max_length=40, choices=Operation.choices)
    idempotency_key = models.CharField(max_length=255, unique=True)
    stripe_id = models.CharField(
        max_length=255, db_index=True, help_text="The Stripe object this comes from."
    )
    source = models.JSONField(
        default=dict, help_text="The canonical record the payload is mapped from."
    )
    payload = models.JSONField(
        null=True, blank=True, help_text="The ERP payload, mapped on first run."
    )
    payload_edited = models.BooleanField(default=False)
    mapping_version = models.PositiveIntegerField(null=True, blank=True)
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.PENDING
    )
    depends_on = models.ManyToManyField(
        "self", symmetrical=False, related_name="dependents", blank=True
    )
    erp_reference = models.CharField(max_length=255, blank=True, db_index=True)
    response = models.JSONField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    # Set by the claim of every attempt, before anything is sent, and never
    # cleared (attempts is reset by retries and payload edits, so it cannot
    # tell). While it is unset no attempt has run, so the ERP cannot hold the
    # record's document and the first send may skip the look-up before it.
    erp_send_started = models.BooleanField(
        default=False,
        help_text="An attempt that may send this record to the ERP has started.",
    )
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    lease_owner = models.CharField(max_length=100, blank=True)
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    error_class = models.CharField(max_length=40, blank=True)
    error_message = models.TextField(blank=True)
    hold_reason = models.TextField(blank=True)
    hold_released = models.BooleanField(
        default=False,
        help_text="Released by finance staff: the anomaly checks pass it.",
    )
    # Copied from the source and the customer dependency when planned, so the
    # anomaly checks find a customer's history with one indexed query.
    customer_key = models.CharField(
        max_length=255,
        blank=True,
        help_text="stripe:<customer id> or erp:<customer code> this money is for.",
    )
    amount = models.BigIntegerField(
        null=True, blank=True, help_text="Minor units of the currency."
    )
    currency = models.CharField(max_length=3, blank=True)
    # A reversal is a record of its own that posts the ERP's reversing
    # document; one-to-one, so the database itself refuses a second reversal.
    reverses = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversal",
        help_text="The succeeded record whose ERP document this one reverses.",
    )
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="Who asked for this record (a reversal), when a person did.",
    )
    requested_by_label = models.CharField(max_length=150, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    succeeded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        permissions = [
            ("retry_syncrecord", "Can retry ledger records"),
            (
                "reverse_syncrecord",
                "Can reverse a succeeded ledger record in the ERP",
            ),
            ("skip_syncrecord", "Can skip ledger records"),
            ("edit_payload_syncrecord", "Can edit ledger payloads"),
            ("release_syncrecord", "Can release held ledger records"),
            (
                "settle_syncrecord",
                "Can settle a ledger record whose ERP outcome is unknown",
            ),
            (
                "approve_payload_syncrecord",
                "Can approve another person's edit of money, customer or reference",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="sync_due_idx"),
            # No partial indexes: the workers' queries are prepared statements
            # whose generic plan cannot prove a parameter meets an index's
            # condition, and fall back to a sequential scan.
            # https://www.postgresql.org/docs/current/sql-prepare.html#SQL-PREPARE-NOTES
            models.Index(fields=["status", "lease_expires_at"], name="sync_lease_idx"),
            models.Index(fields=["integration", "status"]),
            models.Index(
                fields=["integration", "operation", "customer_key", "created_at"],
                name="sync_customer_history_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_operation_display()} {self.stripe_id}"


class PayloadChange(models.Model):
    """An edit of a payload's money, customer or reference, awaiting a second person.

    The record keeps its payload until someone other than the proposer approves.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Pending approval"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"

    record = models.ForeignKey(
        SyncRecord, on_delete=models.CASCADE, related_name="payload_changes"
    )
    base_payload = models.JSONField(
        null=True, blank=True, help_text="The record's payload when proposed."
    )
    payload = models.JSONField(help_text="The payload proposed.")
    protected_fields = models.JSONField(
        default=list, help_text="The protected fields the proposal changes."
    )
    reason = models.TextField(blank=True)
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.PENDING
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    proposed_by_label = models.CharField(max_length=150, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decided_by_label = models.CharField(max_length=150, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["record"],
                condition=Q(status="pending"),
                name="uniq_pending_payload_change",
            )
        ]

    def __str__(self) -> str:
        return f"Payload change #{self.pk} of record {self.record_id} ({self.status})"


class SyncAttempt(models.Model):
    """One try of a ledger record."""

    record = models.ForeignKey(
        SyncRecord, on_delete=models.CASCADE, related_name="attempt_log"
    )
    number = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    duration_ms = models.PositiveIntegerField(default=0)
    succeeded = models.BooleanField(default=False)
    request = models.JSONField(null=True, blank=True)
    response = models.JSONField(null=True, blank=True)
    error_class = models.CharField(max_length=40, blank=True)
    error_message = models.TextField(blank=True)
    worker = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["record", "number"]

    def __str__(self) -> str:
        return f"Attempt {self.number} of {self.record_id}"


class AuditEntry(models.Model):
    """Who changed or retried what, with a before/after diff."""

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True
    )
    actor_label = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=50)
    target_type = models.CharField(max_length=50)
    target_id = models.CharField(max_length=64)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    reason = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "audit entries"
        indexes = [models.Index(fields=["target_type", "target_id"])]

    def __str__(self) -> str:
        return f"{self.actor_label} {self.action} {self.target_type}#{self.target_id}"


class CustomerLink(models.Model):
    """A Stripe customer and the ERP customer code it is booked under."""

    integration = models.ForeignKey(
        Integration, on_delete=models.CASCADE, related_name="customer_links"
    )
    stripe_customer_id = models.CharField(max_length=255)
    erp_customer_code = models.CharField(max_length=20)
    # An ERP customer books one currency only, so a Stripe customer paying in
    # several has one ERP account per extra currency (integrations/workflows/
    # currencies.py): blank is its main account, whatever its currency.
    currency = models.CharField(
        max_length=3,
        blank=True,
        default="",
        help_text="Blank: the main account; else the per-currency account's currency.",
    )
    erp_currency = models.CharField(
        max_length=3,
        blank=True,
        default="",
        help_text="The ERP account's currency as last read from the ERP "
        "(blank: not known yet).",
    )
    stripe_updated = models.PositiveBigIntegerField(
        default=0, help_text="`created` of the last customer event applied."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["integration", "stripe_customer_id", "currency"],
                name="uniq_customer_link_currency",
            )
        ]
        indexes = [models.Index(fields=["integration", "erp_customer_code"])]

    def __str__(self) -> str:
        account = f" ({self.currency})" if self.currency else ""
        return f"{self.stripe_customer_id}{account} → {self.erp_customer_code}"


class Alert(models.Model):
    """Something a person must look at: auth failures, disputes, dead letters."""

    class Level(models.TextChoices):
        INFO = "info", "Info"
        WARNING = "warning", "Warning"
        CRITICAL = "critical", "Critical"

    integration = models.ForeignKey(
        Integration,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="alerts",
    )
    level = models.CharField(max_length=10, choices=Level.choices)
    code = models.CharField(max_length=50)
    message = models.TextField()
    dedupe_key = models.CharField(max_length=255, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    # Someone has seen it and is on it; it stays open until resolved.
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    resolved_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["dedupe_key"],
                condition=Q(resolved_at__isnull=True) & ~Q(dedupe_key=""),
                name="uniq_open_alert",
            )
        ]

    def __str__(self) -> str:
        return f"[{self.level}] {self.message[:60]}"
