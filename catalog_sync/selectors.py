"""Reads of the catalog sync: which integrations publish, and with what."""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from integrations.models import Integration
from portal.exceptions import ApplicationError

from .models import CatalogLink

OPTION = "catalog_sync"


@dataclass(frozen=True)
class CatalogSyncConfig:
    """The one price list an integration publishes to Stripe."""

    price_code: str
    currency: str  # lower case, as Stripe writes it
    # "" publishes one-time prices; day/week/month/year recurring ones, which
    # a subscription can use (https://docs.stripe.com/api/prices/create#create_price-recurring-interval).
    interval: str = ""


INTERVALS = ("", "day", "week", "month", "year")


def catalog_sync_config(*, integration: Integration) -> CatalogSyncConfig | None:
    """The integration's `catalog_sync` option, or None when it is off
    (absent, or `"enabled": false`); ApplicationError when it is malformed."""
    raw: Any = (integration.options or {}).get(OPTION)
    if not raw:
        return None
    if not isinstance(raw, dict):
        raise ApplicationError(
            f'{OPTION} must be an object like {{"price_code": "A", "currency": "usd"}}',
            {"integration_id": integration.pk},
        )
    if raw.get("enabled") is False:
        return None
    price_code = str(raw.get("price_code") or "").strip()
    currency = str(raw.get("currency") or "").strip()
    if not price_code:
        raise ApplicationError(
            f"{OPTION}: price_code is missing (the ERP price list to publish)",
            {"integration_id": integration.pk},
        )
    if len(currency) != 3 or not currency.isalpha():
        raise ApplicationError(
            f"{OPTION}: currency must be a three-letter ISO code, got {currency!r}",
            {"integration_id": integration.pk},
        )
    interval = str(raw.get("interval") or "").strip().lower()
    if interval not in INTERVALS:
        raise ApplicationError(
            f"{OPTION}: interval must be one of day, week, month, year "
            f"(or absent for one-time prices), got {interval!r}",
            {"integration_id": integration.pk},
        )
    return CatalogSyncConfig(
        price_code=price_code, currency=currency.lower(), interval=interval
    )


def catalog_sync_integrations() -> Iterator[Integration]:
    """Integrations whose catalog sync option is on (malformed ones too, so
    the scheduled run reports them)."""
    for integration in Integration.objects.select_related(
        "stripe_connection", "erp_connection"
    ).order_by("pk"):
        raw = (integration.options or {}).get(OPTION)
        if raw and not (isinstance(raw, dict) and raw.get("enabled") is False):
            yield integration


def catalog_links(
    *, integration: Integration, config: CatalogSyncConfig
) -> QuerySet[CatalogLink]:
    return CatalogLink.objects.filter(
        integration=integration,
        price_code=config.price_code,
        currency=config.currency,
    )


def catalog_link_for_price(
    *, integration: Integration, stripe_price: str
) -> CatalogLink | None:
    """The link whose current price this is; None for a price the table no
    longer holds (a replaced one): its metadata `erp_item` still names the
    stock code."""
    return CatalogLink.objects.filter(
        integration=integration, stripe_price=stripe_price
    ).first()
