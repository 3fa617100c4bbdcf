"""Customers: Stripe customers ↔ the ERP customer master.

The planners only say *which* Stripe customer needs an ERP customer; the
executor (`EXECUTORS["upsert_customer"]`) resolves the code at run time, in
this order: CustomerLink → the ERP code in the Stripe customer's metadata →
an ERP customer with the same email → a new customer with a generated code.
The code is then linked and written back to the Stripe customer's metadata.

Source `mode`: "ensure" (a charge needs the customer; an existing ERP
customer is adopted untouched), "sync" (customer.created/updated: write the
master data) or "delete" (customer.deleted: put the ERP customer on hold).
"""

import hashlib
import logging
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

from customer_sync.inbound import customer_sync_inbound
from integrations.canonical import to_source
from integrations.connectors.errors import (
    ConnectorError,
    DuplicateError,
    NotFoundError,
)
from integrations.connectors.records import ErpDocument
from integrations.erps.registry import erp_package
from integrations.models import CustomerLink, Integration
from mapping.anomalies import customer_currency_remember

from .common import (
    META_ERP_CODE,
    PlanningError,
    customer_from_stripe,
    customer_key,
    event_object,
    ledger_record,
    previous_attributes,
    text,
)
from .currencies import (
    ACCOUNT_CURRENCY,
    currency_account_execute,
    currency_account_sync,
    currency_account_updates,
    link_insert,
    looks_like,
)
from .currencies import MODE as CURRENCY_MODE
from .plan import Plan, PlannedRecord, WorkflowContext

logger = logging.getLogger(__name__)

DEFAULT_PREFIX = "S"
# Candidates tried before giving up on a free generated code.
MAX_CODE_CANDIDATES = 50
# Candidates checked against the links in one query.
CODE_BATCH = 5


# Planning -------------------------------------------------------------------


def plan_customer_event(ctx: WorkflowContext, event: dict[str, Any]) -> Plan:
    stripe_customer = event_object(event)
    customer_id = text(stripe_customer.get("id"))
    if not customer_id:
        raise PlanningError("the customer has no id")
    event_type = event.get("type", "")
    # The event's own time orders updates: two updates in one second are
    # told apart by the event id in the key.
    version = int(event.get("created") or stripe_customer.get("created") or 0)
    link = CustomerLink.objects.filter(
        integration=ctx.integration, stripe_customer_id=customer_id, currency=""
    ).first()
    if event_type != "customer.deleted" and link and version < link.stripe_updated:
        return Plan(ignored_reason="older than the customer update already applied")
    if (
        event_type == "customer.deleted"
        and link is None
        and ledger_record(ctx, customer_key(customer_id)) is None
    ):
        return Plan(ignored_reason="customer was never booked in the ERP")
    if event_type == "customer.updated" and not _relevant_change(event):
        return Plan(ignored_reason="no change to fields the ERP keeps")
    if (
        event_type != "customer.deleted"
        and link is None
        and ledger_record(ctx, customer_key(customer_id)) is None
        and not stripe_customer.get("currency")
        and not (stripe_customer.get("metadata") or {}).get(META_ERP_CODE)
    ):
        # An ERP customer's currency is fixed once it has documents; booking
        # one now would guess it. Its first payment books it in that currency.
        return Plan(
            ignored_reason="no currency yet: booked in the ERP with its first payment"
        )
    customer = customer_from_stripe(stripe_customer, created=version)
    base_key = customer_key(customer_id)
    # The base record makes sure the customer exists (shared with charges);
    # an update or deletion is a further record that waits for it.
    base = PlannedRecord(
        key=base_key,
        operation="upsert_customer",
        stripe_id=customer_id,
        source=to_source(customer)
        | {"mode": "sync" if event_type == "customer.created" else "ensure"},
    )
    if event_type == "customer.created":
        return Plan(records=(base,))
    mode = "delete" if event_type == "customer.deleted" else "sync"
    if mode == "delete":
        customer = replace(customer, deleted=True)
    update = PlannedRecord(
        key=f"{base_key}:{mode}:{version}:{event.get('id', '')}",
        operation="upsert_customer",
        stripe_id=customer_id,
        source=to_source(customer) | {"mode": mode},
        depends_on=(base_key,),
    )
    accounts = currency_account_updates(
        ctx, customer=customer, mode=mode, suffix=update.key.removeprefix(base_key)
    )
    return Plan(records=(base, update, *accounts))


# Fields whose change is worth an ERP update (metadata only for our code).
_RELEVANT = {"name", "email", "phone", "address", "shipping", "currency", "description"}


def _relevant_change(event: dict[str, Any]) -> bool:
    previous = previous_attributes(event)
    if not previous:
        return True
    if _RELEVANT & previous.keys():
        return True
    return META_ERP_CODE in (previous.get("metadata") or {})


# Running --------------------------------------------------------------------


def customer_code_candidates(*, stripe_id: str, prefix: str, length: int) -> list[str]:
    """Codes derived from the Stripe id: a retry after a crash gets the same ones."""
    prefix = prefix[: max(0, length - 4)]
    digits = length - len(prefix)
    modulus = 10**digits
    candidates = []
    for attempt in range(MAX_CODE_CANDIDATES):
        seed = f"{stripe_id}#{attempt}".encode()
        number = int.from_bytes(hashlib.sha256(seed).digest()[:8], "big") % modulus
        candidates.append(f"{prefix}{number:0{digits}d}")
    return candidates


def upsert_customer_execute(ctx: Any) -> ErpDocument:
    """EXECUTORS["upsert_customer"]: resolve, create or update, then link."""
    source = ctx.source
    if source.get("mode") == CURRENCY_MODE:
        return currency_account_execute(ctx, completed=_completed_from_stripe)
    if source.get(ACCOUNT_CURRENCY):
        return currency_account_sync(ctx)
    integration: Integration = ctx.integration
    connector = ctx.connector
    stripe_id = source["stripe_id"]
    mode = source.get("mode", "ensure")
    options = source.get("options") or integration.options or {}
    link = CustomerLink.objects.filter(
        integration=integration, stripe_customer_id=stripe_id, currency=""
    ).first()
    version = int(source.get("created") or 0)
    if mode == "sync" and link and version < link.stripe_updated:
        return ErpDocument(
            number=link.erp_customer_code,
            raw={"skipped": "older than the customer update already applied"},
            adopted=True,
        )
    if mode == "sync" and link:
        # The ERP → Stripe sync's rules: its own echo and the fields the ERP
        # owns are not written (customer_sync/inbound.py).
        inbound = customer_sync_inbound(link=link, source=source, connector=connector)
        if inbound.source is None:
            _link_save(
                integration=integration,
                stripe_id=stripe_id,
                code=link.erp_customer_code,
                version=version,
                link=link,
            )
            return ErpDocument(
                number=link.erp_customer_code,
                raw={"skipped": inbound.reason},
                adopted=True,
            )
        source = inbound.source

    stripe_customer = _stripe_customer(ctx, stripe_id) if not link else None
    if stripe_customer and mode == "ensure":
        source = _completed(source, stripe_customer)
    code = link.erp_customer_code if link else _known_code(ctx, source, options)
    created_here = False
    document: ErpDocument | None = None
    if not code:
        created_here = True
        # The email (where matched) was just asked for: only the code is open.
        email_asked = not text(source.get("email")) or options.get(
            "match_customer_by_email", True
        )
        code, document = _new_customer(ctx, source, options, email_asked=email_asked)
    elif mode in ("sync", "delete"):
        payload = ctx.payload("customer", source=_with_code(source, code))
        document = connector.upsert_customer(payload, reference=stripe_id)
    if document is not None:
        code = document.number or code
    else:
        document = ErpDocument(number=code, raw={"resolved": "existing"}, adopted=True)
    _link_save(
        integration=integration,
        stripe_id=stripe_id,
        code=code,
        version=version if mode == "sync" else 0,
        link=link,
        # The currency it was made in: a charge in another asks no ERP.
        erp_currency=text(source.get("currency")).upper()
        if created_here and not document.adopted
        else "",
    )
    if not link and stripe_id.startswith("cus_"):
        _write_back(ctx, stripe_id, code, stripe_customer, options)
    return ErpDocument(number=code, raw=document.raw, adopted=document.adopted)


def _with_code(source: dict[str, Any], code: str) -> dict[str, Any]:
    return {**source, "erp_code": code, "customer_code": code}


def _known_code(ctx: Any, source: dict[str, Any], options: dict[str, Any]) -> str:
    """An existing ERP customer: by code from metadata, else by email."""
    code = text(source.get("erp_code"))
    if code:
        if ctx.connector.find_customer(code=code) is None:
            raise NotFoundError(
                "ERP customer named in Stripe metadata does not exist", value=code
            )
        return code
    email = text(source.get("email"))
    if email and options.get("match_customer_by_email", True):
        found = ctx.connector.find_customer(email=email)
        if found:
            if not found.code:
                raise NotFoundError("ERP customer lookup returned no code")
            return found.code
    return ""


def _new_customer(
    ctx: Any, source: dict[str, Any], options: dict[str, Any], *, email_asked: bool
) -> tuple[str, ErpDocument]:
    """Create the customer under the first generated code that is free, or
    adopt the one an earlier, crashed attempt created; remember its currency.

    The first candidate is created without asking the ERP first
    (`create_only`): the ERP refuses a taken code, and only then is the code
    looked up. Later candidates are asked for before they are created."""
    connector = ctx.connector
    stripe_id = source["stripe_id"]
    for attempt, code in enumerate(_code_candidates(ctx, source, options)):
        payload = ctx.payload("customer", source=_with_code(source, code))
        if attempt == 0 and email_asked:
            try:
                document = connector.upsert_customer(
                    payload, reference=stripe_id, create_only=True
                )
            except DuplicateError:
                pass
            else:
                return code, _remembered(ctx, code, payload, document)
        existing = connector.find_customer(code=code)
        if existing is not None and not looks_like(existing, source):
            continue
        document = connector.upsert_customer(
            payload, reference=stripe_id, looked_up=existing is None and email_asked
        )
        return code, _remembered(ctx, code, payload, document)
    raise ConnectorError("no free customer code left for this prefix")


def _remembered(
    ctx: Any, code: str, payload: dict[str, Any], document: ErpDocument
) -> ErpDocument:
    if not document.adopted:
        customer_currency_remember(
            integration=ctx.integration, code=document.number or code, payload=payload
        )
    return document


def _code_candidates(
    ctx: Any, source: dict[str, Any], options: dict[str, Any]
) -> Iterator[str]:
    """The generated codes not linked to another Stripe customer, in order."""
    package = erp_package(ctx.integration.erp_kind)
    prefix = text(options.get("customer_code_prefix")) or DEFAULT_PREFIX
    candidates = customer_code_candidates(
        stripe_id=source["stripe_id"],
        prefix=prefix,
        length=package.customer_code_length,
    )
    # A few candidates at a time: every code of the integration would grow
    # with it, and the first is nearly always free.
    for start in range(0, len(candidates), CODE_BATCH):
        batch = candidates[start : start + CODE_BATCH]
        taken_by_others = set(
            CustomerLink.objects.filter(
                integration=ctx.integration, erp_customer_code__in=batch
            )
            .exclude(stripe_customer_id=source["stripe_id"])
            .values_list("erp_customer_code", flat=True)
        )
        yield from (code for code in batch if code not in taken_by_others)


def _stripe_customer(ctx: Any, stripe_id: str) -> dict[str, Any] | None:
    """The Stripe customer, for its metadata code and contact details.

    Best effort: without it the charge's billing details still book the sale.
    """
    if not stripe_id.startswith("cus_"):
        return None
    try:
        return ctx.stripe().retrieve_customer(stripe_id)
    except Exception:
        logger.warning("could not fetch Stripe customer %s", stripe_id, exc_info=True)
        return None


def _completed(source: dict[str, Any], stripe_customer: dict[str, Any]) -> dict:
    """Fill what the charge did not say from the Stripe customer."""
    if stripe_customer.get("deleted"):
        return source
    full = to_source(customer_from_stripe(stripe_customer))
    merged = dict(source)
    for name, value in full.items():
        if name in ("created", "deleted", "stripe_id"):
            continue
        empty = merged.get(name) in (None, "", {}) or (
            isinstance(merged.get(name), dict) and not any(merged[name].values())
        )
        if (
            empty
            or (name == "erp_code" and value)
            or (name == "name" and _stand_in(source))
        ):
            merged[name] = value
    return merged


def _completed_from_stripe(ctx: Any, source: dict[str, Any]) -> dict[str, Any]:
    """`source` completed from its Stripe customer, when Stripe answers."""
    stripe_customer = _stripe_customer(ctx, source["stripe_id"])
    return _completed(source, stripe_customer) if stripe_customer else source


def _stand_in(source: dict[str, Any]) -> bool:
    """Whether the charge named its payer only by an id or an email (the
    fallback of customer_from_charge): the Stripe customer's name is better."""
    name = text(source.get("name"))
    return name in (
        text(source.get("stripe_id")),
        text(source.get("email")),
    ) or name.startswith(("cus_", "ch_", "py_"))


def _link_save(
    *,
    integration: Integration,
    stripe_id: str,
    code: str,
    version: int,
    link: CustomerLink | None,
    erp_currency: str = "",
) -> None:
    """Link the Stripe customer to `code`; `link` is the one the caller read."""
    if link is None:
        link = link_insert(
            CustomerLink(
                integration=integration,
                stripe_customer_id=stripe_id,
                erp_customer_code=code,
                erp_currency=erp_currency,
                stripe_updated=version,
            )
        )
        if link is None:
            return
    if link.erp_customer_code != code or version > link.stripe_updated:
        link.erp_customer_code = code
        link.stripe_updated = max(version, link.stripe_updated)
        link.save(update_fields=["erp_customer_code", "stripe_updated"])


def _write_back(
    ctx: Any,
    stripe_id: str,
    code: str,
    stripe_customer: dict[str, Any] | None,
    options: dict[str, Any],
) -> None:
    """Put the ERP code on the Stripe customer; the link already holds it."""
    metadata = (stripe_customer or {}).get("metadata") or {}
    if metadata.get(META_ERP_CODE) == code or options.get("write_back") is False:
        return
    try:
        ctx.stripe().update_customer_metadata(stripe_id, {META_ERP_CODE: code})
    except Exception:
        logger.warning(
            "could not write ERP code %s back to Stripe customer %s",
            code,
            stripe_id,
            exc_info=True,
        )
