"""Reads of the customer sync: settings, owners, the links to sync."""

from collections.abc import Iterator

from django.db.models import QuerySet

from integrations.models import CustomerLink, Integration

from .fields import FIELDS
from .models import CustomerSyncSettings, CustomerSyncState, Owner

DEFAULT_OWNERS = {field: Owner.LATEST for field in FIELDS} | {"terms": Owner.ERP}


def customer_sync_settings(*, integration: Integration) -> CustomerSyncSettings | None:
    return CustomerSyncSettings.objects.filter(integration=integration).first()


def customer_field_owners(*, integration: Integration) -> dict[str, str]:
    """Field → owner; an integration without settings keeps the defaults
    (last writer wins, terms the ERP's), which is how Stripe → ERP behaved
    before ownership existed."""
    settings = customer_sync_settings(integration=integration)
    if settings is None:
        return dict(DEFAULT_OWNERS)
    return {field: getattr(settings, f"{field}_owner") for field in FIELDS}


def customer_sync_integrations() -> Iterator[Integration]:
    """Integrations whose scheduled customer sync is on."""
    for settings in (
        CustomerSyncSettings.objects.filter(enabled=True)
        .select_related("integration")
        .order_by("integration_id")
    ):
        yield settings.integration


def customer_sync_links(*, integration: Integration) -> QuerySet[CustomerLink]:
    """The main ERP account of each Stripe customer (not guests of one
    charge, nor the per-currency accounts linked to the same customer): only
    it has a Stripe customer to keep in step."""
    return (
        CustomerLink.objects.filter(
            integration=integration, stripe_customer_id__startswith="cus_", currency=""
        )
        .select_related("sync_state")
        .order_by("pk")
    )


def customer_sync_state(*, link: CustomerLink) -> CustomerSyncState | None:
    return CustomerSyncState.objects.filter(link=link).first()
