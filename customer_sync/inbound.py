"""The Stripe → ERP side of the customer sync: what a customer.updated may
write to the ERP (called by integrations/workflows/customers.py).

Two rules, before the workflow maps the customer to the ERP:
- the echo of the sync's own Stripe update (its marker matches what the
  customer holds, fields.py) writes nothing: it would only bounce back what
  the ERP already holds;
- a field the ERP owns, or a last-writer field the ERP changed after the
  Stripe event was made, keeps the ERP's value; Stripe's differing value is
  put right by the next sync run.
"""

import logging
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from integrations.connectors.protocol import ErpConnector
from integrations.models import CustomerLink

from .fields import (
    FIELDS,
    is_echo,
    source_with,
    view_hashes,
    view_of_erp,
    view_of_source,
)
from .models import CustomerSyncState, Owner
from .selectors import customer_field_owners

logger = logging.getLogger(__name__)

# Terms never go from Stripe to the ERP (the templates take the terms code
# from an option), so they need no guarding here.
WRITTEN_TO_ERP = tuple(name for name in FIELDS if name != "terms")
ECHO = "echo of the ERP → Stripe customer sync: nothing to write back"
NOTHING_OWNED = "no field Stripe may write to the ERP changed"


@dataclass(frozen=True)
class Inbound:
    """The source to write (None: write nothing, for `reason`)."""

    source: dict[str, Any] | None
    reason: str = ""


def customer_sync_inbound(
    *, link: CustomerLink, source: Mapping[str, Any], connector: ErpConnector
) -> Inbound:
    """What of a Stripe customer update (the workflows' canonical source,
    `created` the event's time) may reach the linked ERP customer."""
    state = CustomerSyncState.objects.filter(link=link).first()
    if state is not None and is_echo(source, sent=state.sent_marker):
        return Inbound(None, ECHO)
    owners = customer_field_owners(integration=link.integration)
    created = int(source.get("created") or 0)
    changed_at = state.erp_changed_at if state else {}
    seen_in_stripe = state.stripe_hashes if state else {}
    stripe_hashes = view_hashes(view_of_source(source))
    kept = {
        name
        for name in WRITTEN_TO_ERP
        if owners[name] == Owner.ERP
        or (
            owners[name] == Owner.LATEST
            and (
                created < int(changed_at.get(name, 0))
                # Not changed in Stripe since the last sync: writing it
                # would undo an ERP edit the sync has not seen yet.
                or seen_in_stripe.get(name) == stripe_hashes[name]
            )
        )
    }
    if not kept:
        return _written(state, dict(source), set(WRITTEN_TO_ERP), stripe_hashes)
    erp_customer = connector.find_customer(code=link.erp_customer_code)
    if erp_customer is None:
        return _written(state, dict(source), set(WRITTEN_TO_ERP) - kept, stripe_hashes)
    erp_view = view_of_erp(erp_customer)
    stripe_view = view_of_source(source)
    differing = {name for name in kept if stripe_view[name] != erp_view[name]}
    if differing:
        _mark_stripe_behind(link, differing, owners)
    written = source_with(source, erp_view, kept)
    if view_of_source(written) == erp_view:
        return Inbound(None, NOTHING_OWNED)
    return _written(state, written, set(WRITTEN_TO_ERP) - kept, stripe_hashes)


def _written(
    state: CustomerSyncState | None,
    source: dict[str, Any],
    fields: set[str],
    stripe_hashes: Mapping[str, str],
) -> Inbound:
    """A Stripe edit of `fields` that will be written to the ERP: from now on
    the sync's last marker no longer stands for what the ERP holds, Stripe's
    values of `fields` are the ones the ERP was given, and an ERP change of
    those fields seen by the next run may be this write."""
    if state is not None:
        now = time.time()
        with transaction.atomic():
            locked = CustomerSyncState.objects.select_for_update().get(pk=state.pk)
            locked.sent_marker = ""
            locked.stripe_written_at = dict(locked.stripe_written_at) | {
                name: now for name in fields
            }
            locked.stripe_hashes = dict(locked.stripe_hashes) | {
                name: stripe_hashes[name] for name in fields
            }
            locked.save(
                update_fields=["sent_marker", "stripe_written_at", "stripe_hashes"]
            )
    return Inbound(source)


def _mark_stripe_behind(
    link: CustomerLink, fields: set[str], owners: Mapping[str, str]
) -> None:
    """Have the next run put the ERP's values of `fields` back in Stripe."""
    with transaction.atomic():
        state, _ = CustomerSyncState.objects.select_for_update().get_or_create(
            link=link
        )
        hashes = dict(state.erp_hashes)
        for name in fields:
            if owners[name] == Owner.LATEST:
                # Seen as changed by the next run, so it is sent.
                hashes[name] = ""
        state.erp_hashes = hashes
        state.stripe_dirty = True
        state.save(update_fields=["erp_hashes", "stripe_dirty"])
    logger.info(
        "Stripe customer differs from the ERP on fields it does not own",
        extra={"link_id": link.pk, "fields": sorted(fields)},
    )
