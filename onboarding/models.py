import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse

from integrations.models import Connection, Integration
from portal.crypto import EncryptedTextField


class SetupDraft(models.Model):
    """A guided setup in progress: what each step has done so far, kept on the
    server so a person can leave and resume it.

    The integration's uuid is chosen up front: the Stripe webhook endpoint is
    registered (step 1) with the integration's URL before the integration
    itself exists (it needs the ERP connection of step 2).
    """

    class Step(models.TextChoices):
        STRIPE = "stripe", "1. Connect Stripe"
        ERP = "erp", "2. Connect the ERP"
        OPTIONS = "options", "3. Bank, warehouse, terms and GL accounts"
        GO_LIVE = "go_live", "4. Dry run and go live"

    name = models.CharField(
        max_length=100, unique=True, help_text="The name of the integration."
    )
    integration_uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    stripe_connection = models.ForeignKey(
        Connection, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    erp_connection = models.ForeignKey(
        Connection, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    integration = models.OneToOneField(
        Integration,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="setup_draft",
    )
    # What Stripe answered for the key: id, name, country, default currency.
    stripe_account = models.JSONField(default=dict, blank=True)
    webhook_endpoint_id = models.CharField(max_length=255, blank=True)
    webhook_url = models.CharField(max_length=2000, blank=True)
    webhook_events = models.JSONField(default=list, blank=True)
    webhook_api_version = models.CharField(
        max_length=40, blank=True, help_text="The API version Stripe pins it to."
    )
    # The endpoint's signing secret until the integration exists to hold it
    # as a WebhookSecret (step 2); emptied then.
    pending_webhook_secret = EncryptedTextField(blank=True, editable=False)
    erp_profile = models.JSONField(default=dict, blank=True)
    options_saved_at = models.DateTimeField(null=True, blank=True)
    options_unchecked = models.TextField(
        blank=True, help_text="Why the ERP could not check the codes when saved."
    )
    flows = models.JSONField(
        default=list, blank=True, help_text="The flows the person chose to switch on."
    )
    dry_run = models.JSONField(default=dict, blank=True)
    live_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return f"Setup of {self.name}"

    def get_absolute_url(self) -> str:
        """The step to resume at."""
        return reverse(f"onboarding:{self.current_step}", args=[self.pk])

    @property
    def stripe_done(self) -> bool:
        return bool(self.stripe_account and self.webhook_endpoint_id)

    @property
    def erp_done(self) -> bool:
        return self.integration_id is not None and bool(self.erp_profile)

    @property
    def options_done(self) -> bool:
        return self.options_saved_at is not None

    @property
    def current_step(self) -> str:
        """The first step not done yet (the last one once all are)."""
        if not self.stripe_done:
            return self.Step.STRIPE
        if not self.erp_done:
            return self.Step.ERP
        if not self.options_done:
            return self.Step.OPTIONS
        return self.Step.GO_LIVE

    @property
    def current_step_label(self) -> str:
        return self.Step(self.current_step).label
