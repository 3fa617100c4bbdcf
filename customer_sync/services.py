"""ERP customers → their linked Stripe customers, repeat-safe.

`customer_sync_run` reads each linked customer from the ERP (SYSPRO has no
customer list business object: ARSQRY per code; Sage Pro: the agent's
GET /api/v1/customers/{custno}), compares it with what the sync last saw
(hashes per field, fields.py), reads the Stripe customer only where
something may differ, and returns the plan; unless it is a dry run it then
updates each Stripe customer with only the fields that differ.

Field owners (models.CustomerSyncSettings): a field Stripe owns is never
sent; a field the ERP owns is sent whenever Stripe differs; a last-writer
field is sent when the ERP's value changed since the last run (the ERPs
carry no change date: the run that sees the change dates it). A Stripe edit
reaches the ERP through the customer.updated webhook at once, so at run time
a last-writer field that still differs was last written in the ERP.

Nothing twice: the update carries an idempotency key made of the link, the
view Stripe held and the view it will hold, and a re-run finds Stripe
already in step and writes nothing. Stripe down: each customer is reported
failed with the reason, nothing is recorded, and the next run retries.
"""

import hashlib
import logging
import time
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone

from integrations.audit import alert_raise, audit_record
from integrations.connectors import stripe_api
from integrations.connectors.errors import ConnectorError, NotFoundError
from integrations.connectors.protocol import ErpConnector
from integrations.erps.registry import connector_for
from integrations.models import Alert, CustomerLink, Integration
from portal.exceptions import ApplicationError

from .fields import (
    FIELDS,
    marker_of,
    stripe_params,
    value_hash,
    view_hashes,
    view_of_erp,
    view_of_stripe,
    written_through,
)
from .models import CustomerSyncState, Owner
from .selectors import (
    customer_field_owners,
    customer_sync_integrations,
    customer_sync_links,
    customer_sync_settings,
)

logger = logging.getLogger(__name__)


class Action(StrEnum):
    UPDATE = "update"  # the Stripe customer gets the listed fields
    RECORD = "record"  # Stripe already holds the ERP's values: record them
    REFUSED = "refused"  # the link names a customer one side no longer has
    FAILED = "failed"  # the ERP or Stripe refused or did not answer


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: Any
    new: Any


@dataclass(frozen=True)
class CustomerChange:
    action: Action
    erp_code: str
    stripe_customer: str
    fields: tuple[FieldChange, ...] = ()
    reason: str = ""


@dataclass(frozen=True)
class CustomerPlan:
    integration_id: int
    dry_run: bool
    changes: tuple[CustomerChange, ...] = ()
    unchanged: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    # The dry run's, passed back by Apply: what moved in between is not
    # applied unseen.
    fingerprint: str = ""


@dataclass(frozen=True)
class _Planned:
    """A change with what applying it needs."""

    change: CustomerChange
    link: CustomerLink
    erp_view: dict[str, Any]
    stripe_view: dict[str, Any]


def plan_fingerprint(changes: Iterable[CustomerChange]) -> str:
    text = "\n".join(
        f"{c.action}|{c.erp_code}|{c.stripe_customer}|"
        + ";".join(f"{f.field}={value_hash(f.new)}" for f in c.fields)
        for c in changes
    )
    return hashlib.sha256(text.encode()).hexdigest()


def customer_sync_run(
    *,
    integration: Integration,
    dry_run: bool,
    actor: AbstractBaseUser | None = None,
    connector: ErpConnector | None = None,
    api: stripe_api.StripeApi | None = None,
    expected_fingerprint: str = "",
) -> CustomerPlan:
    """Plan, and unless `dry_run` apply, the integration's customer sync.

    A dry run reads the ERP and Stripe only. Raises ApplicationError when the
    integration has no customer sync settings, or when `expected_fingerprint`
    (a dry run's) no longer matches the plan.
    """
    if customer_sync_settings(integration=integration) is None:
        raise ApplicationError(
            "Customer sync is not set up for this integration: add its customer "
            "sync settings (field owners) in the admin",
            {"integration_id": integration.pk},
        )
    owners = customer_field_owners(integration=integration)
    connector = connector or connector_for(integration.erp_connection)
    api = api or stripe_api.stripe_api_for(integration)()
    planned, unchanged = _plan(
        links=customer_sync_links(integration=integration),
        owners=owners,
        connector=connector,
        api=api,
    )
    changes = [p.change for p in planned]
    fingerprint = plan_fingerprint(changes)
    if not dry_run and expected_fingerprint not in ("", fingerprint):
        raise ApplicationError(
            "The ERP's or Stripe's customers changed since the dry run: nothing "
            "was applied; run the dry run again",
            {"integration_id": integration.pk},
        )
    if not dry_run:
        changes = [_apply(p, owners=owners, api=api, actor=actor) for p in planned]
    counts: dict[str, int] = {}
    for change in changes:
        counts[change.action] = counts.get(change.action, 0) + 1
    if not dry_run and changes:
        audit_record(
            actor=actor,
            action="customer_sync.run",
            target=integration,
            after=dict(counts),
        )
    logger.info(
        "customer sync %s",
        "planned" if dry_run else "applied",
        extra={"integration_id": integration.pk, "dry_run": dry_run, **counts},
    )
    return CustomerPlan(
        integration_id=integration.pk,
        dry_run=dry_run,
        changes=tuple(changes),
        unchanged=unchanged,
        counts=counts,
        fingerprint=fingerprint,
    )


def _state_of(link: CustomerLink) -> CustomerSyncState | None:
    try:
        return link.sync_state
    except CustomerSyncState.DoesNotExist:
        return None


def _plan(
    *,
    links: Iterable[CustomerLink],
    owners: Mapping[str, str],
    connector: ErpConnector,
    api: stripe_api.StripeApi,
) -> tuple[list[_Planned], int]:
    planned: list[_Planned] = []
    unchanged = 0
    for link in links:
        code, stripe_id = link.erp_customer_code, link.stripe_customer_id
        try:
            erp_customer = connector.find_customer(code=code)
        except ConnectorError as exc:
            planned.append(_failed(link, f"the ERP did not answer for {code}: {exc}"))
            continue
        if erp_customer is None:
            change = CustomerChange(
                Action.REFUSED, code, stripe_id, reason="the ERP has no such customer"
            )
            planned.append(_Planned(change, link, {}, {}))
            continue
        erp_view = view_of_erp(erp_customer)
        state = _state_of(link)
        hashes = view_hashes(erp_view)
        if (
            state is not None
            and not state.stripe_dirty
            and state.erp_hashes == hashes
            and not state.last_error
        ):
            unchanged += 1
            continue
        try:
            stripe_customer = api.retrieve_customer(stripe_id)
        except NotFoundError:
            change = CustomerChange(
                Action.REFUSED, code, stripe_id, reason="Stripe has no such customer"
            )
            planned.append(_Planned(change, link, erp_view, {}))
            continue
        except ConnectorError as exc:
            planned.append(_failed(link, f"Stripe did not answer: {exc}"))
            continue
        if stripe_customer.get("deleted"):
            change = CustomerChange(
                Action.REFUSED, code, stripe_id, reason="the Stripe customer is deleted"
            )
            planned.append(_Planned(change, link, erp_view, {}))
            continue
        stripe_view = view_of_stripe(stripe_customer)
        fields = tuple(
            FieldChange(name, stripe_view[name], erp_view[name])
            for name in FIELDS
            if _sends(name, owners[name], state, hashes, stripe_view, erp_view)
            and stripe_view[name] != erp_view[name]
        )
        action = Action.UPDATE if fields else Action.RECORD
        planned.append(
            _Planned(
                CustomerChange(action, code, stripe_id, fields),
                link,
                erp_view,
                stripe_view,
            )
        )
    return planned, unchanged


def _sends(
    name: str,
    owner: str,
    state: CustomerSyncState | None,
    hashes: Mapping[str, str],
    stripe_view: Mapping[str, Any],
    erp_view: Mapping[str, Any],
) -> bool:
    """Whether the ERP's value of a field may go to Stripe."""
    if owner == Owner.STRIPE:
        return False
    if owner == Owner.ERP or state is None or state.synced_at is None:
        # A link seen for the first time has no earlier ERP value to compare:
        # the ERP, the customer master, is taken as the latest.
        return True
    if state.erp_hashes.get(name) == hashes[name]:
        return False
    # A Stripe edit of the field written to the ERP since the last run makes
    # an ERP change the run then sees; if the ERP holds what that write
    # leaves (Stripe's value, cut to the ERP's length), Stripe is the last
    # writer and nothing goes back.
    written_at = state.stripe_written_at.get(name)
    written = written_at is not None and written_at >= state.synced_at.timestamp()
    return not (written and written_through(stripe_view[name], erp_view[name]))


def _failed(link: CustomerLink, reason: str) -> _Planned:
    change = CustomerChange(
        Action.FAILED, link.erp_customer_code, link.stripe_customer_id, reason=reason
    )
    return _Planned(change, link, {}, {})


def _apply(
    planned: _Planned,
    *,
    owners: Mapping[str, str],
    api: stripe_api.StripeApi,
    actor: AbstractBaseUser | None,
) -> CustomerChange:
    change, link = planned.change, planned.link
    if change.action == Action.FAILED:
        _error_record(link, change.reason)
        return change
    if change.action == Action.REFUSED:
        return change
    if change.action == Action.UPDATE:
        after = dict(planned.stripe_view) | {f.field: f.new for f in change.fields}
        marker = marker_of(after)
        try:
            api.update_customer(
                link.stripe_customer_id,
                stripe_params(
                    {f.field: f.new for f in change.fields},
                    name=after["name"],
                    marker=marker,
                ),
                idempotency_key=(
                    f"customer-sync:{link.pk}:{marker_of(planned.stripe_view)}:{marker}"
                ),
            )
        except ConnectorError as exc:
            reason = f"Stripe refused or did not answer: {exc}"
            logger.warning(
                "customer sync failed",
                extra={
                    "integration_id": link.integration_id,
                    "erp_code": link.erp_customer_code,
                    "error_class": exc.code,
                },
            )
            _error_record(link, reason)
            return CustomerChange(
                Action.FAILED,
                change.erp_code,
                change.stripe_customer,
                change.fields,
                reason=reason,
            )
        _state_record(link, planned, stripe_view=after, actor=actor, marker=marker)
        return change
    _state_record(link, planned, stripe_view=planned.stripe_view, actor=actor)
    return change


def _state_record(
    link: CustomerLink,
    planned: _Planned,
    *,
    stripe_view: Mapping[str, Any],
    actor: AbstractBaseUser | None,
    marker: str = "",
) -> None:
    change = planned.change
    hashes = view_hashes(planned.erp_view)
    now = int(time.time())
    with transaction.atomic():
        state, _ = CustomerSyncState.objects.select_for_update().get_or_create(
            link=link
        )
        changed_at = dict(state.erp_changed_at)
        for name in FIELDS:
            if state.erp_hashes.get(name) != hashes[name]:
                changed_at[name] = now
        state.erp_hashes = hashes
        state.erp_changed_at = changed_at
        state.stripe_hashes = view_hashes(stripe_view)
        state.stripe_dirty = False
        if marker:
            state.sent_marker = marker
        state.synced_at = timezone.now()
        state.last_error = ""
        state.save()
        if change.fields:
            audit_record(
                actor=actor,
                action="customer_sync.update",
                target=link,
                before={f.field: f.old for f in change.fields},
                after={f.field: f.new for f in change.fields},
            )


def _error_record(link: CustomerLink, reason: str) -> None:
    state, _ = CustomerSyncState.objects.get_or_create(link=link)
    state.last_error = reason[:2000]
    state.save(update_fields=["last_error"])


def customer_sync_scheduled() -> dict[str, int]:
    """Apply the customer sync of every integration that has it on; one that
    cannot run raises an alert and the others still run."""
    totals: dict[str, int] = {"integrations": 0, "failed_integrations": 0}
    for integration in customer_sync_integrations():
        totals["integrations"] += 1
        try:
            plan = customer_sync_run(integration=integration, dry_run=False)
        except (ApplicationError, ConnectorError) as exc:
            totals["failed_integrations"] += 1
            alert_raise(
                integration=integration,
                level=Alert.Level.WARNING,
                code="customer_sync_failed",
                message=f"Customer sync to Stripe did not run: {exc}",
                dedupe_key=f"customer_sync_failed:{integration.pk}",
            )
            continue
        for action, count in plan.counts.items():
            totals[action] = totals.get(action, 0) + count
        if plan.counts.get(Action.FAILED):
            alert_raise(
                integration=integration,
                level=Alert.Level.WARNING,
                code="customer_sync_failed",
                message=(
                    f"Customer sync to Stripe: {plan.counts[Action.FAILED]} "
                    "customer(s) failed; the next run retries them"
                ),
                dedupe_key=f"customer_sync_failed:{integration.pk}",
            )
    return totals
