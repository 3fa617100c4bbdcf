"""Payouts, their balance transactions, the GL journals posted for them, and
the runs of the recovery sweep and the backfill."""

from django.db import models
from django.db.models import Q

from integrations.models import Integration, SyncRecord

# The ledger code the sandboxes seed for funds in transit.
DEFAULT_GL_TRANSIT = "1095"
# Seeded sandbox defaults (the `gl` block of Integration.options).
DEFAULT_GL = {
    "bank": "1010",
    "clearing": "1090",
    "fees": "6210",
    "refunds": "4900",
    "disputes": "5910",
    "dispute_fees": "6220",
    "adjustments": "6900",
    "fx": "7910",
    # Payouts created but not yet in the bank at a period end (the month-end
    # accrual, reconciliation/accruals.py).
    "funds_in_transit": DEFAULT_GL_TRANSIT,
}


class GlAccounts(models.Model):
    """The ledger codes one integration's payout journals post to."""

    integration = models.OneToOneField(
        Integration, on_delete=models.CASCADE, related_name="gl_accounts"
    )
    bank = models.CharField(
        max_length=30, help_text="Bank account the payout lands in."
    )
    clearing = models.CharField(
        max_length=30,
        help_text="Stripe clearing: where ERP payments, credit notes and dispute "
        "adjustments were booked through the Stripe bank code.",
    )
    fees = models.CharField(max_length=30, help_text="Stripe processing fees.")
    refunds = models.CharField(max_length=30)
    disputes = models.CharField(max_length=30)
    dispute_fees = models.CharField(max_length=30)
    adjustments = models.CharField(
        max_length=30, help_text="Stripe balance adjustments no ERP document booked."
    )
    fx = models.CharField(max_length=30, verbose_name="FX gain/loss")
    funds_in_transit = models.CharField(
        max_length=30,
        default=DEFAULT_GL_TRANSIT,
        help_text="Payouts on their way to the bank at a period end: debited by "
        "the month-end accrual, credited by its reversal the next day.",
    )
    validated_at = models.DateTimeField(null=True, blank=True)
    validation_message = models.TextField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    ROLES = tuple(DEFAULT_GL)

    class Meta:
        verbose_name = "GL accounts"
        verbose_name_plural = "GL accounts"

    def __str__(self) -> str:
        return f"GL accounts of {self.integration}"

    def as_dict(self) -> dict[str, str]:
        return {role: getattr(self, role) for role in self.ROLES}


class Payout(models.Model):
    """A Stripe payout and the outcome of proving it against the ERP."""

    class Proof(models.TextChoices):
        PENDING = "pending", "Not proven yet"
        UNRECONCILED = "unreconciled", "Unreconciled"
        RECONCILED = "reconciled", "Reconciled"

    class Attribution(models.TextChoices):
        STRIPE = "stripe", "Stripe's payout transaction list"
        BALANCE_WINDOW = "balance_window", "Available-balance window (manual payout)"

    integration = models.ForeignKey(
        Integration, on_delete=models.PROTECT, related_name="payouts"
    )
    stripe_id = models.CharField(max_length=255)
    amount = models.BigIntegerField(help_text="Minor units of the payout currency.")
    currency = models.CharField(max_length=3)
    automatic = models.BooleanField(default=True)
    stripe_status = models.CharField(max_length=20, blank=True)
    created = models.DateTimeField(null=True, blank=True)
    arrival_date = models.DateTimeField(null=True, blank=True)
    balance_transaction = models.CharField(max_length=255, blank=True)
    attribution = models.CharField(
        max_length=20, choices=Attribution.choices, default=Attribution.STRIPE
    )
    attribution_note = models.TextField(blank=True)
    lines_fetched_at = models.DateTimeField(null=True, blank=True)
    line_count = models.PositiveIntegerField(default=0)
    lines_net = models.BigIntegerField(
        default=0, help_text="Sum of the attributed lines' net amounts."
    )
    proof_status = models.CharField(
        max_length=20, choices=Proof.choices, default=Proof.PENDING
    )
    matched_count = models.PositiveIntegerField(default=0)
    unmatched_count = models.PositiveIntegerField(default=0)
    difference = models.BigIntegerField(
        default=0,
        help_text="Payout amount minus the attributed lines (minor units).",
    )
    unexplained = models.BigIntegerField(
        default=0, help_text="Sum of the line differences against the ERP."
    )
    proved_at = models.DateTimeField(null=True, blank=True)
    reconciled_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created"]
        constraints = [
            models.UniqueConstraint(
                fields=["integration", "stripe_id"], name="uniq_payout_per_integration"
            )
        ]
        indexes = [models.Index(fields=["integration", "proof_status"])]

    def __str__(self) -> str:
        return f"{self.stripe_id} {self.currency.upper()}"


class PayoutLine(models.Model):
    """One balance transaction of a payout and the ERP document that booked it."""

    class Match(models.TextChoices):
        MATCHED = "matched", "Matched"
        JOURNAL = "journal", "Booked by the payout journal"
        NOT_POSTED = "not_posted", "Not yet posted"
        AMOUNT = "amount", "Posted with another amount"
        MISSING = "missing", "Missing in ERP"
        FEE = "fee", "Fee difference"
        FX = "fx", "FX difference"
        UNATTRIBUTED = "unattributed", "Could not be attributed"
        PAYOUT = "payout", "The payout itself"

    payout = models.ForeignKey(Payout, on_delete=models.CASCADE, related_name="lines")
    balance_transaction = models.CharField(max_length=255)
    type = models.CharField(max_length=40)
    reporting_category = models.CharField(max_length=40)
    source = models.CharField(max_length=255, blank=True, db_index=True)
    amount = models.BigIntegerField()
    fee = models.BigIntegerField(default=0)
    net = models.BigIntegerField()
    currency = models.CharField(max_length=3)
    exchange_rate = models.DecimalField(
        max_digits=24, decimal_places=12, null=True, blank=True
    )
    fee_details = models.JSONField(default=list, blank=True)
    description = models.CharField(max_length=500, blank=True)
    created = models.DateTimeField(null=True, blank=True)
    available_on = models.DateTimeField(null=True, blank=True)
    attributed = models.BooleanField(
        default=True, help_text="False: a manual-payout candidate not attributed."
    )
    match = models.CharField(max_length=20, choices=Match.choices, blank=True)
    erp_document = models.CharField(max_length=255, blank=True)
    erp_amount = models.BigIntegerField(null=True, blank=True)
    erp_currency = models.CharField(max_length=3, blank=True)
    difference = models.BigIntegerField(default=0)
    note = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["payout", "created", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["payout", "balance_transaction"], name="uniq_payout_line"
            )
        ]

    def __str__(self) -> str:
        return self.balance_transaction


class JournalPosting(models.Model):
    """A GL journal planned for a payout (or its reversal) and its ledger record."""

    class Kind(models.TextChoices):
        PAYOUT = "payout", "Payout"
        REVERSAL = "reversal", "Reversal of a failed payout"

    payout = models.ForeignKey(
        Payout, on_delete=models.CASCADE, related_name="journals"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    reference = models.CharField(max_length=255)
    currency = models.CharField(max_length=3)
    lines = models.JSONField(default=list)
    difference = models.BigIntegerField(
        default=0, help_text="Sum of the signed lines; not zero means not posted."
    )
    sync_record = models.ForeignKey(
        SyncRecord, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["payout", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["payout", "kind"], name="uniq_journal_kind")
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def balanced(self) -> bool:
        return self.difference == 0


class BackfillRun(models.Model):
    """One backfill over a date range; its cursor makes it resumable."""

    class Status(models.TextChoices):
        RUNNING = "running", "Running"
        INTERRUPTED = "interrupted", "Interrupted"
        COMPLETED = "completed", "Completed"

    integration = models.ForeignKey(
        Integration, on_delete=models.CASCADE, related_name="backfill_runs"
    )
    since = models.DateTimeField()
    until = models.DateTimeField(null=True, blank=True)
    dry_run = models.BooleanField(default=False)
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.RUNNING
    )
    # {"phase": "charges", "after": "ch_…", "done": ["payouts", …]}
    cursor = models.JSONField(default=dict, blank=True)
    counts = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    started_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-started_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["integration", "since", "until", "dry_run"],
                condition=~Q(status="completed"),
                name="uniq_open_backfill",
            )
        ]

    def __str__(self) -> str:
        return f"Backfill {self.integration} since {self.since:%Y-%m-%d}"


class SweepRun(models.Model):
    """One pass of the missed-event sweep for one integration."""

    integration = models.ForeignKey(
        Integration, on_delete=models.CASCADE, related_name="sweep_runs"
    )
    started_at = models.DateTimeField(auto_now_add=True, db_index=True)
    listed = models.PositiveIntegerField(default=0)
    ingested = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"Sweep {self.integration} at {self.started_at:%Y-%m-%d %H:%M}"


class TransitAccrual(models.Model):
    """The month-end accrual of one currency's payouts still in transit.

    At a period end, payouts created but not yet arrived (Stripe's
    `arrival_date` after the period's last day) are money the payout journal
    already booked to the bank (it is dated the payout's creation) but the bank
    has not received: one journal dated the period's last day moves it to
    funds in transit, and its reversal, dated the next period's first day,
    moves it back. One row per integration, period and currency, so a second
    run plans nothing new.
    """

    integration = models.ForeignKey(
        Integration, on_delete=models.PROTECT, related_name="transit_accruals"
    )
    period = models.CharField(
        max_length=7, help_text="CCYY-MM, a month of the business time zone."
    )
    currency = models.CharField(max_length=3)
    amount = models.BigIntegerField(help_text="Minor units of the currency.")
    payouts = models.JSONField(
        default=list, help_text="The payouts in transit: id, amount, arrival day."
    )
    accrual_date = models.DateField()
    reversal_date = models.DateField()
    accrual_record = models.ForeignKey(
        SyncRecord, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reversal_record = models.ForeignKey(
        SyncRecord, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-period", "currency"]
        constraints = [
            models.UniqueConstraint(
                fields=["integration", "period", "currency"],
                name="uniq_transit_accrual",
            )
        ]

    def __str__(self) -> str:
        return f"Funds in transit {self.period} {self.currency.upper()}"
