"""Go-live customer matching: read both sides, propose, accept into the id map.

Reads go through the ERP package's listing module (read only) and the Stripe
connector; accepted pairs become CustomerLink rows, the id map the `lookup`
transform and the customer workflow resolve customers through.
"""

from collections.abc import Callable, Iterable
from itertools import islice
from typing import Any

from django.db import transaction

from integrations.audit import audit_record
from integrations.connectors.records import ErpCustomer
from integrations.connectors.stripe_api import StripeApi
from integrations.erps.registry import connector_for
from integrations.erps.sagepro import listing as sagepro_listing
from integrations.erps.syspro import listing as syspro_listing
from integrations.models import CustomerLink
from portal.exceptions import ApplicationError

from .matching import MatchProposal, StripeCustomer, propose_matches, stripe_customer_of

# ERP kind → its read-only customer listing (integrations/erps/<kind>/listing.py).
LISTINGS: dict[str, Callable[..., list[ErpCustomer]]] = {
    "sagepro": sagepro_listing.list_customers,
    "syspro": syspro_listing.list_customers,
}
# An ERP whose listing needs the codes to read (no list query).
NEEDS_CODES = {"syspro"}
MAX_CUSTOMERS = 2000
_ERP_CODE_MAX = CustomerLink._meta.get_field("erp_customer_code").max_length


def erp_customers_list(
    *, integration: Any, codes: Iterable[str] = (), limit: int = MAX_CUSTOMERS
) -> list[ErpCustomer]:
    """The ERP's customers, through its package's listing module."""
    listing = LISTINGS.get(integration.erp_kind)
    if listing is None:
        raise ApplicationError(
            f"{integration.erp_kind} cannot list its customers for matching"
        )
    wanted = tuple(dict.fromkeys(c.strip() for c in codes if c.strip()))
    if integration.erp_kind in NEEDS_CODES and not wanted:
        raise ApplicationError(
            "This ERP reads customers one code at a time: list the customer "
            "codes to match (one a line)."
        )
    connector = connector_for(integration.erp_connection)
    return listing(connector, codes=wanted, limit=limit)


def stripe_customers_list(
    *, integration: Any, limit: int = MAX_CUSTOMERS
) -> list[StripeCustomer]:
    api = StripeApi(integration.stripe_connection)
    try:
        return [stripe_customer_of(obj) for obj in islice(api.list_customers(), limit)]
    finally:
        api.close()


def customer_match_proposal(
    *,
    integration: Any,
    erp_customers: Iterable[ErpCustomer],
    stripe_customers: Iterable[StripeCustomer],
) -> MatchProposal:
    """Matches between customers neither side has linked yet."""
    links = CustomerLink.objects.filter(integration=integration)
    linked_stripe = set(links.values_list("stripe_customer_id", flat=True))
    linked_erp = set(links.values_list("erp_customer_code", flat=True))
    return propose_matches(
        erp_customers=[c for c in erp_customers if c.code not in linked_erp],
        stripe_customers=[
            c for c in stripe_customers if c.stripe_id not in linked_stripe
        ],
    )


def parse_accepted(values: Iterable[str]) -> list[tuple[str, str]]:
    """Form values "stripe id|ERP code" as pairs; a malformed one is an error."""
    pairs = []
    for value in values:
        stripe_id, sep, code = value.partition("|")
        stripe_id, code = stripe_id.strip(), code.strip()
        if not sep or not stripe_id.startswith("cus_") or not code:
            raise ApplicationError(f"not a customer match: {value[:80]!r}")
        if len(code) > _ERP_CODE_MAX or len(stripe_id) > 255:
            raise ApplicationError(f"customer code too long: {code[:40]!r}")
        pairs.append((stripe_id, code))
    return pairs


@transaction.atomic
def customer_matches_accept(
    *, integration: Any, pairs: Iterable[tuple[str, str]], actor: Any
) -> tuple[int, list[str]]:
    """Link each accepted (Stripe id, ERP code); returns (created, skipped notes).

    A Stripe customer already linked keeps its link: the same code is a
    no-op, another code is reported, never overwritten.
    """
    created, skipped = 0, []
    for stripe_id, code in pairs:
        link = CustomerLink.objects.filter(
            integration=integration, stripe_customer_id=stripe_id, currency=""
        ).first()
        if link is not None:
            if link.erp_customer_code != code:
                skipped.append(
                    f"{stripe_id} is already linked to {link.erp_customer_code}"
                )
            continue
        link = CustomerLink.objects.create(
            integration=integration,
            stripe_customer_id=stripe_id,
            erp_customer_code=code,
        )
        audit_record(
            actor=actor,
            action="customer_link.matched",
            target=link,
            after={"stripe_customer_id": stripe_id, "erp_customer_code": code},
            reason="go-live customer matching",
        )
        created += 1
    return created, skipped
