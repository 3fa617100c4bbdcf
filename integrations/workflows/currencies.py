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
from collections.abc import Callable
from dataclasses import replace
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

from django.db import IntegrityError, transaction

from integrations.canonical import (
    Customer,
    Journal,
    JournalLine,
    OrderLine,
    to_source,
)
from integrations.connectors.errors import ValidationError
from integrations.connectors.records import ErpCustomer, ErpDocument
from integrations.currency_accounts import (
    CONVERT,
    DEFAULT_PATTERN,
    PATTERN_OPTION,
    PER_CURRENCY_ACCOUNT,
    PatternError,
    account_codes,
    currency_policy,
)
from integrations.erps.registry import erp_package
from integrations.models import CustomerLink, Integration
from portal.money import exponent, to_decimal, to_minor

from .common import PlanningError, customer_key, ledger_record, minor, text
from .plan import PlannedRecord, WorkflowContext

logger = logging.getLogger(__name__)

MODE = "currency"
# On an update of a per-currency account: the account's currency.
ACCOUNT_CURRENCY = "account_currency"


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


def currency_account_execute(
    ctx: Any, *, completed: Callable[[Any, dict[str, Any]], dict[str, Any]]
) -> ErpDocument:
    """EXECUTORS["upsert_customer"] for mode "currency". `completed` fills
    what the charge did not say of its payer (name, email, address) from
    the Stripe customer, for an account about to be made."""
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
    code, document = _account_make(
        ctx, completed(ctx, source), main_code=main_code, currency=currency
    )
    earlier = link_insert(
        CustomerLink(
            integration=integration,
            stripe_customer_id=stripe_id,
            currency=currency,
            erp_currency=currency,
            erp_customer_code=code,
        )
    )
    if earlier is not None:
        # Linked meanwhile (by hand in the admin): the link is the truth.
        code = earlier.erp_customer_code
    return ErpDocument(number=code, raw=document.raw, adopted=document.adopted)


def currency_account_updates(
    ctx: WorkflowContext, *, customer: Customer, mode: str, suffix: str
) -> tuple[PlannedRecord, ...]:
    """A customer.updated or .deleted reaches its per-currency accounts too:
    one record each, after the record that made the account."""
    records = []
    for currency in (
        CustomerLink.objects.filter(
            integration=ctx.integration, stripe_customer_id=customer.stripe_id
        )
        .exclude(currency="")
        .order_by("currency")
        .values_list("currency", flat=True)
    ):
        made_by = currency_account_key(customer.stripe_id, currency)
        if ledger_record(ctx, made_by) is None:
            continue
        records.append(
            PlannedRecord(
                key=f"{made_by}{suffix}",
                operation="upsert_customer",
                stripe_id=customer.stripe_id,
                source=to_source(replace(customer, currency=currency))
                | {"mode": mode, ACCOUNT_CURRENCY: currency},
                depends_on=(made_by,),
            )
        )
    return tuple(records)


def currency_account_sync(ctx: Any) -> ErpDocument:
    """EXECUTORS["upsert_customer"] for an update of a per-currency account:
    the master data written to the account linked for that currency."""
    source = ctx.source
    stripe_id = text(source.get("stripe_id"))
    currency = text(source.get(ACCOUNT_CURRENCY)).upper()
    link = CustomerLink.objects.filter(
        integration=ctx.integration, stripe_customer_id=stripe_id, currency=currency
    ).first()
    if link is None:
        raise ValidationError(
            f"No {currency} account is linked to Stripe customer {stripe_id}"
        )
    version = int(source.get("created") or 0)
    if version < link.stripe_updated:
        return ErpDocument(
            number=link.erp_customer_code,
            raw={"skipped": "older than the customer update already applied"},
            adopted=True,
        )
    code = link.erp_customer_code
    document = ctx.connector.upsert_customer(
        ctx.payload(
            "customer",
            source={
                **source,
                "currency": currency,
                "erp_code": code,
                "customer_code": code,
            },
        ),
        reference=f"{stripe_id}:{currency}",
    )
    CustomerLink.objects.filter(pk=link.pk, stripe_updated__lt=version).update(
        stripe_updated=version
    )
    return ErpDocument(number=code, raw=document.raw, adopted=True)


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


# Convert ------------------------------------------------------------------------
#
# Under "convert" a charge is booked in the currency Stripe settled it in, at
# the balance transaction's exchange_rate: the order and payment total the
# transaction's own converted amount (Stripe's figure), each order line is
# converted and rounded on its own, and what rounding the lines left over is
# an explicit "FX difference" line. The ERP customer is then kept in the
# settlement currency. A refund or dispute of such a charge is converted at
# the charge's rate (so the customer's account nets to zero), and what
# Stripe's own transaction of the refund differs from that (the rate moved)
# is posted as a balanced GL journal: the FX account against Stripe clearing.
# https://docs.stripe.com/api/balance_transactions/object#balance_transaction_object-exchange_rate

FX_LINE = "FX difference at Stripe's exchange rate"


def charge_fx(
    *, integration: Integration, charge: dict[str, Any], amount: int, stripe: Any
) -> dict[str, Any]:
    """How the charge (`amount` of it captured) converts under "convert" ({}
    when it is not converted)."""
    if currency_policy(integration.options) != CONVERT:
        return {}
    currency = text(charge.get("currency")).upper()
    found = charge.get("balance_transaction")
    if not found and stripe is not None and text(charge.get("id")):
        # A charge rebuilt from its payment intent carries no transaction.
        found = (
            stripe()
            .retrieve_charge(text(charge.get("id")), expand=["balance_transaction"])
            .get("balance_transaction")
        )
    transaction = _balance_transaction(found, stripe)
    if transaction is None:
        raise PlanningError(
            f"charge {text(charge.get('id'))} has no balance transaction yet, "
            "so there is no exchange rate to convert it at"
        )
    settled = text(transaction.get("currency")).upper()
    if not settled or settled == currency:
        return {}
    rate = transaction.get("exchange_rate")
    if rate in (None, ""):
        raise PlanningError(
            f"balance transaction {text(transaction.get('id'))} converts "
            f"{currency} to {settled} but names no exchange_rate"
        )
    return {
        "currency": settled,
        "rate": str(Decimal(str(rate))),
        "amount": minor(transaction.get("amount")),
        "from_currency": currency,
        "from_amount": amount,
        "balance_transaction": text(transaction.get("id")),
    }


def _balance_transaction(value: Any, stripe: Any) -> dict[str, Any] | None:
    if isinstance(value, dict):
        return value
    if not text(value):
        return None
    if stripe is None:
        raise PlanningError("converting needs the Stripe API and none is available")
    return stripe().retrieve_balance_transaction(text(value))


def fx_amount(amount: int, fx: dict[str, Any]) -> int:
    """`amount` (minor units of the charge's currency) at the charge's rate,
    in minor units of the settlement currency, rounded half to even."""
    if amount == fx["from_amount"]:
        # The whole charge: Stripe's own converted figure, not a re-rounding.
        return fx["amount"]
    units = to_decimal(amount, fx["from_currency"]) * Decimal(fx["rate"])
    quantum = Decimal(1).scaleb(-exponent(fx["currency"]))
    return to_minor(units.quantize(quantum, rounding=ROUND_HALF_EVEN), fx["currency"])


def fx_lines(lines: tuple[OrderLine, ...], fx: dict[str, Any]) -> tuple[OrderLine, ...]:
    """The order's lines converted one by one, with the rounding they leave
    against Stripe's converted total as a line of its own ({}: as they are)."""
    if not fx:
        return lines
    converted = []
    for line in lines:
        unit = fx_amount(line.unit_amount, {**fx, "from_amount": None})
        converted.append(replace(line, unit_amount=unit, amount=unit * line.quantity))
    difference = fx["amount"] - sum(line.amount for line in converted)
    if difference:
        converted.append(
            OrderLine(
                description=FX_LINE,
                quantity=1,
                unit_amount=difference,
                amount=difference,
            )
        )
    return tuple(converted)


def refund_fx_journal(
    *,
    integration: Integration,
    refund: dict[str, Any],
    fx: dict[str, Any],
    credited: int,
    stripe: Any,
) -> Journal | None:
    """The GL journal of what Stripe's transaction of a converted refund
    differs from its credit note at the charge's rate (None: no difference)."""
    transaction = _balance_transaction(refund.get("balance_transaction"), stripe)
    if (
        transaction is None
        or text(transaction.get("currency")).upper() != (fx["currency"])
    ):
        return None
    # Stripe's refund transaction is negative: what left the balance.
    actual = -minor(transaction.get("amount"))
    difference = actual - credited
    if not difference:
        return None
    gl = {
        **(erp_package(integration.erp_kind).default_options.get("gl") or {}),
        **((integration.options or {}).get("gl") or {}),
    }
    refund_id = text(refund.get("id"))
    description = (
        f"FX on refund {refund_id}: {fx['from_currency']} credited at the "
        f"charge's rate {fx['rate']}, refunded at Stripe's rate of the day"
    )
    return Journal(
        stripe_id=f"{refund_id}:fx",
        currency=fx["currency"],
        created=int(refund.get("created") or 0),
        description=description[:60],
        lines=(
            # More left the balance than was credited: a loss (debit).
            JournalLine(account=str(gl["fx"]), amount=difference, reference=refund_id),
            JournalLine(
                account=str(gl["clearing"]), amount=-difference, reference=refund_id
            ),
        ),
    )


def refund_fx_records(
    ctx: Any, refund: dict[str, Any], extra: dict[str, Any]
) -> tuple[PlannedRecord, ...]:
    """The FX journal of a refund of a converted charge, after its credit note."""
    fx = extra.get("fx") or {}
    status = text(refund.get("status")) or "succeeded"
    if not fx or status != "succeeded":
        return ()
    journal = refund_fx_journal(
        integration=ctx.integration,
        refund=refund,
        fx=fx,
        credited=fx_amount(minor(refund.get("amount")), fx),
        stripe=ctx.stripe,
    )
    if journal is None:
        return ()
    refund_id = text(refund.get("id"))
    return (
        PlannedRecord(
            key=f"{refund_id}:fx",
            operation="post_journal",
            stripe_id=journal.stripe_id,
            source=to_source(journal),
            depends_on=(f"{refund_id}:credit_note",),
        ),
    )


def fx_source(fx: dict[str, Any]) -> dict[str, Any]:
    """What a converted charge's records carry of their conversion, so its
    refunds and disputes convert at the same rate."""
    return {"fx": fx} if fx else {}
