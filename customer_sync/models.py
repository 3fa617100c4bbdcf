"""Who owns each customer field, and what the ERP → Stripe sync last saw.

`CustomerSyncSettings` is one row per integration, edited in the admin: the
owner of each synced field, and whether the schedule runs the sync. Both
directions read it: the sync never pushes a field Stripe owns, and the
Stripe → ERP workflow never writes a field the ERP owns.

`CustomerSyncState` is one row per linked customer (CustomerLink): a hash of
each field as the ERP last held it (neither SYSPRO's ARSQRY header nor Sage
Pro's arcust carries a change date, so change is detected by hash), when the
sync saw each change, the Stripe values last seen (by the sync or let through
to the ERP), the marker of the sync's last update (the echo test), and
whether Stripe may hold something the ERP owns.
"""

from django.db import models

from integrations.models import CustomerLink, Integration


class Owner(models.TextChoices):
    ERP = "erp", "ERP (Stripe edits are not written to the ERP, and are undone)"
    STRIPE = "stripe", "Stripe (the ERP's value is never sent to Stripe)"
    LATEST = "latest", "Last writer wins (the later change, by time, is kept)"


def _owner_field(default: str = Owner.LATEST) -> models.CharField:
    return models.CharField(max_length=6, choices=Owner.choices, default=default)


class CustomerSyncSettings(models.Model):
    integration = models.OneToOneField(
        Integration, on_delete=models.CASCADE, related_name="customer_sync"
    )
    enabled = models.BooleanField(
        default=True,
        help_text="Run the ERP → Stripe customer sync on its schedule.",
    )
    name_owner = _owner_field()
    email_owner = _owner_field()
    phone_owner = _owner_field()
    address_owner = _owner_field()
    shipping_owner = _owner_field()
    # Stripe has no payment terms; they go to the metadata key erp_terms, and
    # the Stripe → ERP templates take the terms code from an option.
    terms_owner = _owner_field(Owner.ERP)

    class Meta:
        verbose_name = "customer sync settings"
        verbose_name_plural = "customer sync settings"

    def __str__(self) -> str:
        return f"Customer sync of {self.integration}"


class CustomerSyncState(models.Model):
    link = models.OneToOneField(
        CustomerLink, on_delete=models.CASCADE, related_name="sync_state"
    )
    erp_hashes = models.JSONField(
        default=dict, help_text="Field → hash of the ERP's value at the last sync."
    )
    erp_changed_at = models.JSONField(
        default=dict,
        help_text="Field → Unix time the sync saw the ERP's value change.",
    )
    stripe_hashes = models.JSONField(
        default=dict,
        help_text="Field → hash of the Stripe customer's value at the last sync.",
    )
    stripe_written_at = models.JSONField(
        default=dict,
        help_text="Field → Unix time a Stripe edit of it was let through to the "
        "ERP: an ERP change seen after it is that write, not an ERP edit.",
    )
    stripe_dirty = models.BooleanField(
        default=False,
        help_text="Stripe may hold a value the ERP owns: the next run compares.",
    )
    sent_marker = models.CharField(
        max_length=64,
        blank=True,
        default="",
        help_text="The marker of the sync's last Stripe update; cleared once a "
        "Stripe edit is written to the ERP, so a later edit back to the same "
        "values is not taken for the update's echo.",
    )
    synced_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["link_id"]
        permissions = [("sync_customers", "Can sync ERP customers to Stripe")]

    def __str__(self) -> str:
        return f"sync state of {self.link}"
