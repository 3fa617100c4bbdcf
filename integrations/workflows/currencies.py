"""The ERP customer account a charge in a given currency is booked to.

An ERP customer books one currency only (integrations/currency_accounts.py).
Every charge therefore waits on a record keyed by its Stripe customer and
currency (`customer:<id>:<CUR>`, an upsert_customer with mode "currency")
which itself waits on the customer's main record. At run time it answers
the code the charge's order, payment, refunds and disputes are booked to:

- the main account's code when the main account is in that currency (or
  its currency is unknown), and always under the "hold" and "convert"
  policies (the anomaly rule holds, or the amounts are converted);
- else, under "per_currency_account", the per-currency account linked to
  the same Stripe customer, created on first use with a code from the
  integration's pattern.

Exactly once: the record is keyed by customer and currency, so duplicated,
reordered or retried events share it; its codes are derived from the main
code and the Stripe id only, so a retry after a crash (or a lost reply)
tries the same codes and adopts the account it made, by currency and name,
instead of making a second one.
"""

import logging
from typing import Any

from django.db import IntegrityError, transaction

from integrations.connectors.errors import ValidationError
from integrations.connectors.records import ErpCustomer, ErpDocument
from integrations.currency_accounts import (
    DEFAULT_PATTERN,
    PATTERN_OPTION,
    PER_CURRENCY_ACCOUNT,
    PatternError,
    account_codes,
    currency_policy,
)
from integrations.erps.registry import erp_package
from integrations.models import CustomerLink, Integration

from .common import customer_key, text
from .plan import PlannedRecord

logger = logging.getLogger(__name__)

MODE = "currency"


def currency_account_key(customer_id: str, currency: str) -> str:
    return f"{customer_key(customer_id)}:{currency.upper()}"


def currency_account_record(
    *, customer_id: str, currency: str, source: dict[str, Any], main_key: str
) -> PlannedRecord:
    """The record that picks the account for `currency`, after the main one."""
    return PlannedRecord(
        key=currency_account_key(customer_id, currency),
        operation="upsert_customer",
        stripe_id=customer_id,
        source=source | {"mode": MODE, "currency": currency.upper()},
        depends_on=(main_key,),
    )


def currency_account_execute(ctx: Any) -> ErpDocument:
    """EXECUTORS["upsert_customer"] for mode "currency"."""
    source = ctx.source
    integration: Integration = ctx.integration
    stripe_id = text(source.get("stripe_id"))
    currency = text(source.get("currency")).upper()
    main_code = text(source.get("customer_code"))
    if not main_code:
        raise ValidationError(
            "The customer's main ERP account has no code; retry its customer "
            "record first"
        )
    options = source.get("options") or integration.options or {}
    main_currency = _main_currency(ctx, stripe_id=stripe_id, code=main_code)
    policy = currency_policy(options)
    if not main_currency or main_currency == currency or policy != PER_CURRENCY_ACCOUNT:
        return ErpDocument(
            number=main_code,
            raw={"account": "main", "currency": main_currency, "policy": policy},
            adopted=True,
        )
    link = CustomerLink.objects.filter(
        integration=integration, stripe_customer_id=stripe_id, currency=currency
    ).first()
    if link is not None:
        return ErpDocument(
            number=link.erp_customer_code,
            raw={"account": currency, "resolved": "linked"},
            adopted=True,
        )
    code, document = _account_make(ctx, source, main_code=main_code, currency=currency)
    link_insert(
        CustomerLink(
            integration=integration,
            stripe_customer_id=stripe_id,
            currency=currency,
            erp_currency=currency,
            erp_customer_code=code,
        )
    )
    return ErpDocument(number=code, raw=document.raw, adopted=document.adopted)


def _account_make(
    ctx: Any, source: dict[str, Any], *, main_code: str, currency: str
) -> tuple[str, ErpDocument]:
    """The first candidate code that is free (created now) or already this
    customer's account in `currency` (adopted: made by a crashed attempt)."""
    integration: Integration = ctx.integration
    package = erp_package(integration.erp_kind)
    options = source.get("options") or integration.options or {}
    pattern = text(
        options.get(PATTERN_OPTION) or package.default_options.get(PATTERN_OPTION)
    )
    stripe_id = text(source.get("stripe_id"))
    try:
        candidates = account_codes(
            pattern or DEFAULT_PATTERN,
            code=main_code,
            currency=currency,
            stripe_id=stripe_id,
            rule=package.code_rule(integration.erp_connection.config),
        )
    except PatternError as exc:
        raise ValidationError(str(exc), field=PATTERN_OPTION) from exc
    taken = set(
        CustomerLink.objects.filter(
            integration=integration, erp_customer_code__in=[*candidates, main_code]
        )
        .exclude(stripe_customer_id=stripe_id, currency=currency)
        .values_list("erp_customer_code", flat=True)
    )
    account = {
        **source,
        "currency": currency,
        "erp_code": "",
        "customer_code": "",
    }
    for code in candidates:
        if code in taken:
            continue
        existing = ctx.connector.find_customer(code=code)
        if existing is None:
            # Asked just now: the connector must not match by email, which
            # would find the main account (same person, other currency).
            document = ctx.connector.upsert_customer(
                ctx.payload(
                    "customer",
                    source=account | {"erp_code": code, "customer_code": code},
                ),
                reference=f"{stripe_id}:{currency}",
                looked_up=True,
            )
            return document.number or code, document
        if existing.currency.upper() == currency and looks_like(existing, source):
            return existing.code or code, ErpDocument(
                number=existing.code or code, raw={"resolved": "existing"}, adopted=True
            )
    raise ValidationError(
        f"Every code the pattern {pattern!r} gives for the {currency} account of "
        f"customer {main_code} is taken by another ERP customer; change "
        f"{PATTERN_OPTION} in the integration's options, or create the account "
        "and link it by hand",
        field=PATTERN_OPTION,
    )


def _main_currency(ctx: Any, *, stripe_id: str, code: str) -> str:
    """The main account's currency: kept on its link once read, else asked."""
    link = CustomerLink.objects.filter(
        integration=ctx.integration, stripe_customer_id=stripe_id, currency=""
    ).first()
    if link is not None and link.erp_customer_code == code and link.erp_currency:
        return link.erp_currency
    found = ctx.connector.find_customer(code=code)
    currency = found.currency.upper() if found else ""
    if link is not None and link.erp_customer_code == code and currency:
        CustomerLink.objects.filter(pk=link.pk).update(erp_currency=currency)
    return currency


def looks_like(customer: ErpCustomer, source: dict[str, Any]) -> bool:
    """Is this ERP customer the one an earlier, crashed attempt created?"""
    email = text(source.get("email")).lower()
    if email:
        return email == customer.email.lower()
    name = text(source.get("name")).lower()
    return bool(name) and name == customer.name.lower()


def link_insert(link: CustomerLink) -> CustomerLink | None:
    """Insert a new link; None once inserted, else the link a concurrent run
    of the same customer and account inserted first."""
    try:
        if transaction.get_connection().in_atomic_block:
            # A savepoint, so that the caller's transaction survives a
            # duplicate (PostgreSQL refuses every statement after an error).
            with transaction.atomic():
                link.save(force_insert=True)
        else:
            # One statement needs no transaction of its own.
            link.save(force_insert=True)
    except IntegrityError:
        return CustomerLink.objects.get(
            integration_id=link.integration_id,
            stripe_customer_id=link.stripe_customer_id,
            currency=link.currency,
        )
    return None
