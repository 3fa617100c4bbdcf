"""Alert rules, the channels alerts are delivered through, delivery records,
and the roll-ups that keep the metrics and the readiness probe cheap.

Alerts themselves live in the integrations core (`integrations.Alert`, raised
by `integrations.audit.alert_raise`); this app reads them and delivers them,
and the core never imports it.
"""

from django.db import models

from integrations.models import Alert, Integration
from portal.crypto import EncryptedTextField


class AlertThresholds(models.Model):
    """When the rules raise an alert for one integration (blank: rule off).

    An integration without a row uses the defaults of these fields.
    """

    integration = models.OneToOneField(
        Integration, on_delete=models.CASCADE, related_name="alert_thresholds"
    )
    needs_attention_count = models.PositiveIntegerField(
        null=True,
        blank=True,
        default=10,
        help_text="Alert when this many records need attention.",
    )
    needs_attention_minutes = models.PositiveIntegerField(
        null=True,
        blank=True,
        default=240,
        help_text="Alert when a record has needed attention this many minutes.",
    )
    retry_backlog_minutes = models.PositiveIntegerField(
        null=True,
        blank=True,
        default=60,
        help_text="Alert when a record has been retrying this many minutes.",
    )
    latency_p95_seconds = models.PositiveIntegerField(
        null=True,
        blank=True,
        default=900,
        help_text="Alert when the 95th percentile from Stripe event to ERP "
        "document, over the last hour, exceeds this many seconds.",
    )
    payout_unproven_days = models.PositiveIntegerField(
        null=True,
        blank=True,
        default=3,
        help_text="Alert when a payout that arrived this many days ago is not "
        "reconciled.",
    )
    rejected_deliveries_per_hour = models.PositiveIntegerField(
        null=True,
        blank=True,
        default=10,
        help_text="Alert when this many webhook deliveries to the endpoint were "
        "refused (bad signature, stale timestamp, malformed body) in an hour.",
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "alert thresholds"
        verbose_name_plural = "alert thresholds"

    def __str__(self) -> str:
        return f"Alert thresholds of {self.integration}"


class AlertChannel(models.Model):
    """Where alerts go: an email list or a chat webhook, for one integration or
    all of them."""

    class Kind(models.TextChoices):
        EMAIL = "email", "Email"
        SLACK = "slack", "Slack incoming webhook"
        TEAMS = "teams", "Microsoft Teams incoming webhook"
        APPRISE = "apprise", "Other service (Apprise URL)"

    class Level(models.TextChoices):
        INFO = "info", "Info and above"
        WARNING = "warning", "Warning and above"
        CRITICAL = "critical", "Critical only"

    name = models.CharField(max_length=100, unique=True)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    integration = models.ForeignKey(
        Integration,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="alert_channels",
        help_text="Blank: alerts of every integration, and those of none.",
    )
    min_level = models.CharField(
        max_length=10, choices=Level.choices, default=Level.WARNING
    )
    recipients = models.TextField(
        blank=True, help_text="Email: addresses, one per line or comma separated."
    )
    # A chat webhook URL carries its own credential: kept encrypted, never
    # shown again (the fingerprint tells two apart).
    url = EncryptedTextField(blank=True, editable=False)
    url_fingerprint = models.CharField(max_length=20, blank=True, editable=False)
    daily_digest = models.BooleanField(
        default=False, help_text="Email: also send the daily finance digest."
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_kind_display()})"

    def recipient_list(self) -> list[str]:
        text = self.recipients.replace(",", "\n").replace(";", "\n")
        return [line.strip() for line in text.splitlines() if line.strip()]


class AlertDelivery(models.Model):
    """One message of one alert through one channel: the first notice
    (reminder 0) or a reminder while nobody has acknowledged it."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed (will retry)"
        GAVE_UP = "gave_up", "Failed (gave up)"
        SKIPPED = "skipped", "Skipped"

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="+")
    channel = models.ForeignKey(
        AlertChannel, on_delete=models.CASCADE, related_name="deliveries"
    )
    reminder = models.PositiveIntegerField(default=0)
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING
    )
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    lease_token = models.CharField(max_length=32, blank=True, editable=False)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "alert deliveries"
        constraints = [
            models.UniqueConstraint(
                fields=["alert", "channel", "reminder"], name="uniq_alert_delivery"
            )
        ]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"]),
            models.Index(fields=["alert", "channel"]),
        ]

    def __str__(self) -> str:
        return f"Alert {self.alert_id} via {self.channel} ({self.status})"


class DigestRun(models.Model):
    """The daily finance digest of one day: sent once per day."""

    day = models.DateField(unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    recipients = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-day"]

    def __str__(self) -> str:
        return f"Digest of {self.day}"


class RollupState(models.Model):
    """How far the ERP call roll-up has read the attempt log (one row).

    Each roll-up reads the attempts up to the highest id the previous one
    saw, so an attempt whose transaction was still open then is counted
    the next time, never skipped.
    """

    last_attempt_id = models.BigIntegerField(default=0)
    seen_attempt_id = models.BigIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"Roll-up up to attempt {self.last_attempt_id}"


class ErpCallLatency(models.Model):
    """Counts and durations of ERP call attempts, by operation and outcome,
    in histogram buckets (not cumulative; /metrics adds them up)."""

    operation = models.CharField(max_length=40)
    outcome = models.CharField(max_length=40)
    count = models.BigIntegerField(default=0)
    sum_ms = models.BigIntegerField(default=0)
    buckets = models.JSONField(default=list)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["operation", "outcome"], name="uniq_erp_call_latency"
            )
        ]

    def __str__(self) -> str:
        return f"{self.operation} {self.outcome}: {self.count}"


class IntegrationHealth(models.Model):
    """When the last successful ERP call of one integration started, as
    rolled up from the attempt log."""

    integration = models.OneToOneField(
        Integration, on_delete=models.CASCADE, related_name="health"
    )
    last_erp_success_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.integration}: last ERP success {self.last_erp_success_at}"
