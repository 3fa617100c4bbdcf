"""ERP price list → Stripe Products and Prices, repeat-safe.

`catalog_sync_run` reads the integration's configured price list through the
ERP package's catalog reader (integrations/erps/catalogs.py, the one the B2B
portal uses), compares it with our links, and returns the plan; unless it is
a dry run it then applies each change to Stripe and records the link.

Stripe Prices are immutable: their amount cannot be updated
(https://docs.stripe.com/api/prices/update), so a changed ERP price makes a
new Price that takes the lookup key over (`transfer_lookup_key`,
https://docs.stripe.com/api/prices/create#create_price-transfer_lookup_key)
and the old one is deactivated. A product with prices cannot be deleted
(https://docs.stripe.com/api/products/delete): an item that leaves the price
list is archived (`active=false`) with its price.

Nothing twice: the product id is chosen by us from the integration and the
stock code (Stripe refuses a second product with the same id,
https://docs.stripe.com/api/products/create#create_product-id), and a price is
looked up by its lookup key (the list endpoint, consistent at once) before one
is created, so a run that died between Stripe's reply and our commit adopts
what it made instead of making it again.
"""

import hashlib
import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from integrations.audit import alert_raise, audit_record
from integrations.connectors import stripe_api
from integrations.connectors.catalog_records import CatalogItem, PortalErp
from integrations.connectors.errors import ConnectorError, ValidationError
from integrations.erps.catalogs import portal_erp_for
from integrations.models import Alert, Integration
from portal.exceptions import ApplicationError
from portal.money import exponent

from .models import CatalogLink
from .selectors import (
    CatalogSyncConfig,
    catalog_links,
    catalog_sync_config,
    catalog_sync_integrations,
)

logger = logging.getLogger(__name__)

# Stripe's limit on a product name
# (https://docs.stripe.com/api/products/create#create_product-name).
NAME_MAX = 250


class Action(StrEnum):
    CREATE = "create"  # a new product and its price
    UPDATE = "update"  # the product's name changed, the price did not
    NEW_PRICE = "new_price"  # a new price; the old one is deactivated
    ARCHIVE = "archive"  # the item left the price list
    RESTORE = "restore"  # an archived item is back on the price list
    REFUSED = "refused"  # the ERP price cannot be published as it is
    FAILED = "failed"  # Stripe refused or did not answer; the next run retries


@dataclass(frozen=True)
class CatalogChange:
    action: Action
    erp_item: str
    name: str = ""
    unit_amount: int | None = None  # minor units
    previous_amount: int | None = None
    reason: str = ""


@dataclass(frozen=True)
class CatalogPlan:
    integration_id: int
    price_code: str
    currency: str
    dry_run: bool
    changes: tuple[CatalogChange, ...] = ()
    unchanged: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    # What the plan said before it was applied: an Apply after a dry run
    # passes the dry run's, so a price list that moved in between is not
    # applied unseen.
    fingerprint: str = ""


def plan_fingerprint(changes: Iterable[CatalogChange]) -> str:
    text = "\n".join(
        f"{c.action}|{c.erp_item}|{c.name}|{c.unit_amount}|{c.previous_amount}"
        for c in changes
    )
    return hashlib.sha256(text.encode()).hexdigest()


def catalog_sync_run(
    *,
    integration: Integration,
    dry_run: bool,
    actor: AbstractBaseUser | None = None,
    reader: PortalErp | None = None,
    api: stripe_api.StripeApi | None = None,
    expected_fingerprint: str = "",
) -> CatalogPlan:
    """Plan, and unless `dry_run` apply, the integration's catalog sync.

    A dry run reads the ERP and our links only: it calls no Stripe write and
    writes nothing. Raises ApplicationError when the option is off or
    malformed, when `expected_fingerprint` (a dry run's) no longer matches the
    plan, and the ERP's ConnectorError when the price list cannot be read.
    """
    config = catalog_sync_config(integration=integration)
    if config is None:
        raise ApplicationError(
            "Catalog sync is off for this integration: set the option "
            'catalog_sync to {"price_code": "A", "currency": "usd"}',
            {"integration_id": integration.pk},
        )
    reader = reader or portal_erp_for(integration.erp_connection)
    items = reader.price_list(
        price_code=config.price_code, currency=config.currency.upper()
    )
    links = {
        link.erp_item: link
        for link in catalog_links(integration=integration, config=config)
    }
    changes, unchanged = catalog_plan(
        items=items, links=links, config=config, erp_kind=integration.erp_kind
    )
    fingerprint = plan_fingerprint(changes)
    if not dry_run and expected_fingerprint not in ("", fingerprint):
        raise ApplicationError(
            "The ERP's price list or the links changed since the dry run: "
            "nothing was applied; run the dry run again",
            {"integration_id": integration.pk},
        )
    if not dry_run and any(c.action not in _NOT_APPLIED for c in changes):
        api = api or stripe_api.stripe_api_for(integration)()
        changes = [
            _apply(
                change,
                integration=integration,
                config=config,
                link=links.get(change.erp_item),
                api=api,
                actor=actor,
            )
            if change.action not in _NOT_APPLIED
            else change
            for change in changes
        ]
    counts: dict[str, int] = {}
    for change in changes:
        counts[change.action] = counts.get(change.action, 0) + 1
    plan = CatalogPlan(
        integration_id=integration.pk,
        price_code=config.price_code,
        currency=config.currency,
        dry_run=dry_run,
        changes=tuple(changes),
        unchanged=unchanged,
        counts=counts,
        fingerprint=fingerprint,
    )
    if not dry_run and changes:
        audit_record(
            actor=actor,
            action="catalog_sync.run",
            target=integration,
            after={"price_code": config.price_code, "currency": config.currency}
            | counts,
        )
    logger.info(
        "catalog sync %s",
        "planned" if dry_run else "applied",
        extra={"integration_id": integration.pk, "dry_run": dry_run, **counts},
    )
    return plan


_NOT_APPLIED = (Action.REFUSED, Action.FAILED)


def catalog_plan(
    *,
    items: Iterable[CatalogItem],
    links: Mapping[str, CatalogLink],
    config: CatalogSyncConfig,
    erp_kind: str,
) -> tuple[list[CatalogChange], int]:
    """What a run would change, from the ERP's price list and our links."""
    changes: list[CatalogChange] = []
    unchanged = 0
    seen: set[str] = set()
    for item in items:
        code = item.code.strip()
        if not code or code in seen:
            continue
        seen.add(code)
        name = (item.description.strip() or code)[:NAME_MAX]
        link = links.get(code)
        amount, reason = price_minor_units(item.price, config.currency, erp_kind)
        if amount is None:
            changes.append(CatalogChange(Action.REFUSED, code, name, reason=reason))
            continue
        previous = link.unit_amount if link else None
        if link is None:
            action = Action.CREATE
        elif link.archived_at is not None:
            action = Action.RESTORE
        elif link.unit_amount != amount or link.interval != config.interval:
            action = Action.NEW_PRICE
        elif link.name != name:
            action = Action.UPDATE
        else:
            unchanged += 1
            continue
        changes.append(CatalogChange(action, code, name, amount, previous))
    for code, link in sorted(links.items()):
        if code not in seen and link.archived_at is None:
            changes.append(
                CatalogChange(
                    Action.ARCHIVE,
                    code,
                    link.name,
                    previous_amount=link.unit_amount,
                    reason=f"no longer on price list {config.price_code}",
                )
            )
    return changes, unchanged


def price_minor_units(
    price: Decimal, currency: str, erp_kind: str
) -> tuple[int | None, str]:
    """The price in the currency's minor units, or None and why: a price
    finer than the currency holds is refused, never rounded."""
    places = exponent(currency)
    scaled = price.scaleb(places)
    if price < 0:
        return None, f"the {erp_kind} price {price} is negative"
    if scaled != scaled.to_integral_value():
        return None, (
            f"the {erp_kind} price {price} has more decimals than "
            f"{currency.upper()} holds ({places}); correct it in the ERP"
        )
    return int(scaled), ""


def product_id_for(integration: Integration, erp_item: str) -> str:
    """Our product id: one per integration and stock code, whatever the code
    holds (a hash keeps it to the characters an id may carry)."""
    digest = hashlib.sha256(erp_item.encode()).hexdigest()[:24]
    return f"prod_lb{integration.pk}_{digest}"


def lookup_key_for(integration: Integration, config: CatalogSyncConfig, erp_item: str):
    interval = config.interval or "once"
    return (
        f"lb{integration.pk}:{config.price_code}:{config.currency}:{interval}:"
        f"{erp_item}"
    )


def _apply(
    change: CatalogChange,
    *,
    integration: Integration,
    config: CatalogSyncConfig,
    link: CatalogLink | None,
    api: stripe_api.StripeApi,
    actor: AbstractBaseUser | None,
) -> CatalogChange:
    try:
        if change.action == Action.ARCHIVE:
            assert link is not None  # noqa: S101 - the plan archives links only
            _archive(link, api=api, actor=actor)
        else:
            _publish(
                change,
                integration=integration,
                config=config,
                link=link,
                api=api,
                actor=actor,
            )
    except ConnectorError as exc:
        logger.warning(
            "catalog sync item failed",
            extra={
                "integration_id": integration.pk,
                "erp_item": change.erp_item,
                "error_class": exc.code,
            },
        )
        return CatalogChange(
            Action.FAILED,
            change.erp_item,
            change.name,
            change.unit_amount,
            change.previous_amount,
            reason=f"{change.action}: {exc}",
        )
    return change


def _publish(
    change: CatalogChange,
    *,
    integration: Integration,
    config: CatalogSyncConfig,
    link: CatalogLink | None,
    api: stripe_api.StripeApi,
    actor: AbstractBaseUser | None,
) -> None:
    assert change.unit_amount is not None  # noqa: S101 - refused items never apply
    code = change.erp_item
    product_id = link.stripe_product if link else product_id_for(integration, code)
    product_fields = {
        "name": change.name,
        "active": True,
        "metadata": {"erp_item": code, "ledgerbridge_integration": str(integration.pk)},
    }
    if link is None:
        _product_ensure(api, product_id, product_fields)
    elif change.action != Action.NEW_PRICE or link.name != change.name:
        api.update_product(product_id, product_fields)
    price_id = link.stripe_price if link else ""
    if (
        link is None
        or link.unit_amount != change.unit_amount
        or link.interval != config.interval
        or link.archived_at
    ):
        price_id = _price_ensure(
            api,
            replacing=price_id,
            product_id=product_id,
            currency=config.currency,
            unit_amount=change.unit_amount,
            interval=config.interval,
            lookup_key=lookup_key_for(integration, config, code),
            metadata={"erp_item": code, "erp_price_code": config.price_code},
        )
    if link is not None and link.stripe_price and link.stripe_price != price_id:
        api.update_price(link.stripe_price, {"active": False})
    before = _link_state(link)
    with transaction.atomic():
        saved, _ = CatalogLink.objects.update_or_create(
            integration=integration,
            erp_item=code,
            price_code=config.price_code,
            currency=config.currency,
            defaults={
                "name": change.name,
                "stripe_product": product_id,
                "stripe_price": price_id,
                "unit_amount": change.unit_amount,
                "interval": config.interval,
                "synced_at": timezone.now(),
                "archived_at": None,
            },
        )
        audit_record(
            actor=actor,
            action=f"catalog_sync.{change.action}",
            target=saved,
            before=before,
            after=_link_state(saved),
        )


def _archive(
    link: CatalogLink, *, api: stripe_api.StripeApi, actor: AbstractBaseUser | None
) -> None:
    if link.stripe_price:
        api.update_price(link.stripe_price, {"active": False})
    api.update_product(link.stripe_product, {"active": False})
    before = _link_state(link)
    with transaction.atomic():
        link.archived_at = link.synced_at = timezone.now()
        link.save(update_fields=["archived_at", "synced_at"])
        audit_record(
            actor=actor,
            action="catalog_sync.archive",
            target=link,
            before=before,
            after=_link_state(link),
        )


def _product_ensure(
    api: stripe_api.StripeApi, product_id: str, fields: dict[str, Any]
) -> None:
    """Create our product, or bring back the one an earlier run created."""
    try:
        api.create_product({"id": product_id, **fields})
    except ValidationError as exc:
        if exc.extra.get("stripe_code") != "resource_already_exists":
            raise
        api.update_product(product_id, fields)


def _price_ensure(
    api: stripe_api.StripeApi,
    *,
    replacing: str,
    product_id: str,
    currency: str,
    unit_amount: int,
    interval: str,
    lookup_key: str,
    metadata: dict[str, str],
) -> str:
    """The id of an active price of this amount under the lookup key: the one
    Stripe already holds (made by a run that died before its commit, or an
    archived item's old price), or a new one that takes the key over."""
    for price in api.prices_by_lookup_key(lookup_key):
        if (
            price.get("product") == product_id
            and price.get("currency") == currency
            and price.get("unit_amount") == unit_amount
            and (price.get("recurring") or {}).get("interval", "") == interval
        ):
            if not price.get("active"):
                api.update_price(price["id"], {"active": True})
            return str(price["id"])
    params: dict[str, Any] = {
        "product": product_id,
        "currency": currency,
        "unit_amount": unit_amount,
        "lookup_key": lookup_key,
        "transfer_lookup_key": True,
        "metadata": metadata,
    }
    if interval:
        params["recurring"] = {"interval": interval}
    price = api.create_price(
        params,
        # The price it replaces is in the key: going back to an earlier
        # amount within Stripe's 24 hours of key memory is a new price too.
        idempotency_key=(
            f"catalog-price:{lookup_key}:{unit_amount}:{replacing or 'first'}"
        ),
    )
    return str(price["id"])


def _link_state(link: CatalogLink | None) -> dict[str, Any] | None:
    if link is None:
        return None
    return {
        "stripe_product": link.stripe_product,
        "stripe_price": link.stripe_price,
        "unit_amount": link.unit_amount,
        "interval": link.interval,
        "name": link.name,
        "archived": link.archived_at is not None,
    }


def catalog_sync_scheduled() -> dict[str, int]:
    """Apply the catalog sync of every integration that has it on; one that
    cannot run (a malformed option, an ERP that does not answer) raises an
    alert and the others still run."""
    totals: dict[str, int] = {"integrations": 0, "failed_integrations": 0}
    for integration in catalog_sync_integrations():
        totals["integrations"] += 1
        try:
            plan = catalog_sync_run(integration=integration, dry_run=False)
        except ApplicationError as exc:
            totals["failed_integrations"] += 1
            alert_raise(
                integration=integration,
                level=Alert.Level.WARNING,
                code="catalog_sync_failed",
                message=f"Catalog sync to Stripe did not run: {exc}",
                dedupe_key=f"catalog_sync_failed:{integration.pk}",
            )
            continue
        for action, count in plan.counts.items():
            totals[action] = totals.get(action, 0) + count
    return totals
