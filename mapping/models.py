from django.db import models
from django.db.models import Q


class Entity(models.TextChoices):
    CUSTOMER = "customer", "Customer"
    SALES_ORDER = "sales_order", "Sales order"
    ORDER_LINE = "order_line", "Order line"
    PAYMENT = "payment", "Payment"
    CREDIT_NOTE = "credit_note", "Credit note"
    ADJUSTMENT = "adjustment", "Adjustment"
    INVOICE = "invoice", "Invoice"
    JOURNAL = "journal", "GL journal"
    JOURNAL_LINE = "journal_line", "GL journal line"


class MappingSet(models.Model):
    """One version of how an integration maps one ERP entity.

    Versions are kept: a ledger record stores the version it was mapped
    with, and editing an active set archives its previous content under the
    old number first (services.mapping_set_archive).
    """

    integration = models.ForeignKey(
        "integrations.Integration",
        on_delete=models.CASCADE,
        related_name="mapping_sets",
    )
    entity = models.CharField(max_length=20, choices=Entity.choices)
    version = models.PositiveIntegerField(default=1)
    is_active = models.BooleanField(default=False)
    note = models.CharField(max_length=255, blank=True)
    based_on = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["integration", "entity", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["integration", "entity", "version"], name="uniq_mapping_version"
            ),
            models.UniqueConstraint(
                fields=["integration", "entity"],
                condition=Q(is_active=True),
                name="uniq_active_mapping",
            ),
        ]

    def __str__(self) -> str:
        state = "active" if self.is_active else "draft"
        entity = self.get_entity_display()
        return f"{self.integration} · {entity} v{self.version} ({state})"


class FieldMapping(models.Model):
    """How one ERP target field is filled."""

    mapping_set = models.ForeignKey(
        MappingSet, on_delete=models.CASCADE, related_name="fields"
    )
    position = models.PositiveIntegerField(default=0)
    target = models.CharField(max_length=60, help_text="ERP field name")
    source_path = models.CharField(
        max_length=200,
        blank=True,
        help_text="Dotted path into the source, e.g. address.city or options.bank",
    )
    transforms = models.JSONField(
        default=list,
        blank=True,
        help_text='Ordered pipeline: [{"name": "truncate", "params": {"length": 30}}]',
    )
    default = models.JSONField(
        null=True, blank=True, help_text="Used when the pipeline gives nothing"
    )
    condition = models.JSONField(
        null=True,
        blank=True,
        help_text='Only map when true: {"path": "sku", "op": "present"}',
    )
    required = models.BooleanField(default=False)
    suggestion_confidence = models.FloatField(null=True, blank=True, editable=False)
    suggestion_reason = models.CharField(max_length=255, blank=True, editable=False)
    suggested_source = models.CharField(max_length=200, blank=True, editable=False)

    class Meta:
        ordering = ["mapping_set", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["mapping_set", "target"], name="uniq_target_per_set"
            )
        ]

    def __str__(self) -> str:
        return f"{self.target} ← {self.source_path or '—'}"

    def as_spec(self) -> dict:
        return {
            "target": self.target,
            "source": self.source_path,
            "transforms": self.transforms or [],
            "default": self.default,
            "condition": self.condition,
            "required": self.required,
        }


class SuggestionFeedback(models.Model):
    """What admins kept (or replaced) of a suggestion: it steers the next ones."""

    erp = models.CharField(max_length=20)
    entity = models.CharField(max_length=20, choices=Entity.choices)
    target = models.CharField(max_length=60)
    source_path = models.CharField(max_length=200)
    accepted = models.PositiveIntegerField(default=0)
    rejected = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["erp", "entity", "target", "source_path"],
                name="uniq_suggestion_feedback",
            )
        ]

    def __str__(self) -> str:
        return f"{self.erp} {self.entity}.{self.target} ← {self.source_path}"


class AnomalyPolicy(models.Model):
    """Per-integration rules that hold a record for review before it posts."""

    integration = models.OneToOneField(
        "integrations.Integration",
        on_delete=models.CASCADE,
        related_name="anomaly_policy",
    )
    enabled = models.BooleanField(default=True)
    amount_outlier = models.BooleanField(
        default=True, help_text="Amount far outside the customer's history"
    )
    outlier_threshold = models.DecimalField(
        max_digits=6,
        decimal_places=2,
        default=4,
        help_text="Robust z-score of the amount's logarithm against the "
        "customer's earlier amounts above which an amount is held (it must "
        "also lie three times beyond their range)",
    )
    duplicate_charge = models.BooleanField(
        default=True, help_text="Same customer and amount within the window"
    )
    duplicate_window_minutes = models.PositiveIntegerField(default=10)
    refund_excess = models.BooleanField(
        default=True, help_text="A refund above what remains of its charge"
    )
    currency_mismatch = models.BooleanField(
        default=True, help_text="A currency other than the ERP customer's"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = "anomaly policies"
        constraints = [
            models.CheckConstraint(
                condition=Q(outlier_threshold__gt=0), name="outlier_threshold_positive"
            )
        ]

    def __str__(self) -> str:
        return f"Anomaly policy of {self.integration}"
