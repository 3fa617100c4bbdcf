"""The month-end accrual of funds in transit.

A payout's journal is dated the day Stripe created the payout and debits the
bank (journal.py), but the money reaches the bank on Stripe's `arrival_date`
(https://docs.stripe.com/api/payouts/object#payout_object-arrival_date). A
payout created in one period and arriving in the next is, at the period end,
money in neither the Stripe balance nor the bank: it is accrued with one GL
journal per currency dated the period's last day

    Dr funds in transit    the payouts still travelling
    Cr bank                the same

and reversed by a journal dated the next period's first day. Periods are
months of the integration's business time zone (integrations/periods.py).

Exactly once: one TransitAccrual row per integration, period and currency
(a unique constraint) keeps what the first run found, and its two ledger
records are keyed by integration, period and currency; a second run, a
retried task or an admin action plans nothing new.
"""

import datetime as dt
import logging
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from integrations import ledger, periods
from integrations.audit import alert_raise, audit_record
from integrations.canonical import Journal, JournalLine, to_source
from integrations.connectors import stripe_api as stripe_connector
from integrations.models import Alert, Integration, SyncRecord
from integrations.workflows import Plan, PlannedRecord
from portal.exceptions import ApplicationError

from .models import Payout, TransitAccrual
from .selectors import gl_accounts_get
from .services import payout_store

logger = logging.getLogger(__name__)

# Payouts that never left the Stripe balance, or came back to it.
NOT_IN_TRANSIT = ("canceled", "failed")
# https://docs.stripe.com/api/payouts/object#payout_object-status
IN_TRANSIT = ("pending", "in_transit")
# How long before a period's first day a payout still travelling at its end
# may have been created: Stripe's standard payouts take days.
_LOOK_BACK_DAYS = 31


@dataclass(frozen=True)
class Period:
    """A month of the business time zone."""

    year: int
    month: int

    @classmethod
    def of_text(cls, text: str) -> "Period":
        parsed = periods.period_of_text(str(text or ""))
        if parsed is None:
            raise ApplicationError(
                f"{text!r} is not a period written CCYY-MM (e.g. 2026-03).",
                {"period": text},
            )
        return cls(*parsed)

    @property
    def label(self) -> str:
        return f"{self.year}-{self.month:02d}"

    @property
    def last_day(self) -> dt.date:
        return periods.month_end(dt.date(self.year, self.month, 1))

    @property
    def next_first_day(self) -> dt.date:
        return periods.next_month_start(dt.date(self.year, self.month, 1))


def transit_period_last_closed(
    *, integration: Integration, now: dt.datetime | None = None
) -> Period:
    """The last month that has ended in the integration's business zone."""
    today = periods.business_today(integration.options, now=now)
    last = today.replace(day=1) - dt.timedelta(days=1)
    return Period(last.year, last.month)


def transit_payouts(*, integration: Integration, period: Period) -> list[Payout]:
    """Payouts created by the period's end that arrive after its last day, or
    that Stripe still has on their way (pending, in_transit) as this runs.

    `arrival_date` is a day (Stripe gives midnight UTC of it), compared as
    that day; `created` is a moment, cut at the period's end in the business
    zone.
    """
    zone_name = periods.business_timezone_name(integration.options)
    start, end = periods.month_bounds(period.year, period.month, zone_name=zone_name)
    first_after = dt.datetime.combine(period.next_first_day, dt.time(), tzinfo=dt.UTC)
    return list(
        Payout.objects.filter(
            Q(arrival_date__gte=first_after) | Q(stripe_status__in=IN_TRANSIT),
            integration=integration,
            # Only what _payouts_fetch refreshes: an older row's status may be
            # stale.
            created__gte=start - dt.timedelta(days=_LOOK_BACK_DAYS),
            created__lt=end,
        )
        .exclude(stripe_status__in=NOT_IN_TRANSIT)
        .order_by("created", "stripe_id")
    )


def transit_accruals_post(
    *,
    integration: Integration,
    period: Period,
    stripe_api: Any = None,
    actor: AbstractBaseUser | None = None,
    now: dt.datetime | None = None,
) -> list[TransitAccrual]:
    """Accrue the period's payouts in transit, one journal pair per currency.

    The payouts are asked of Stripe first (`stripe_api`): a payout still
    travelling has sent no `payout.paid` yet, so it may be unknown here.
    Exactly once: a period already accrued returns its rows and plans
    nothing, whatever Stripe says now. A period that has not ended in the
    business zone is refused.
    """
    if periods.business_today(integration.options, now=now) <= period.last_day:
        raise ApplicationError(
            f"Period {period.label} has not ended in the integration's business "
            "time zone: its funds in transit are accrued after its last day.",
            {"period": period.label},
        )
    done = transit_accruals_of_period(integration=integration, period=period)
    if done:
        return done
    if stripe_api is not None:
        _payouts_fetch(integration=integration, period=period, stripe_api=stripe_api)
    by_currency: dict[str, list[Payout]] = defaultdict(list)
    for payout in transit_payouts(integration=integration, period=period):
        by_currency[payout.currency.upper()].append(payout)
    try:
        with transaction.atomic():
            accruals = [
                _accrual_plan(
                    integration=integration,
                    period=period,
                    currency=currency,
                    payouts=payouts,
                    actor=actor,
                )
                for currency, payouts in sorted(by_currency.items())
                if sum(payout.amount for payout in payouts) > 0
            ]
    except IntegrityError:
        # Another run accrued the period meanwhile: its rows stand.
        return transit_accruals_of_period(integration=integration, period=period)
    for accrual in accruals:
        logger.info(
            "funds in transit accrued",
            extra={
                "integration_id": integration.pk,
                "period": period.label,
                "currency": accrual.currency,
                "amount": accrual.amount,
            },
        )
    return accruals


def transit_accruals_of_period(
    *, integration: Integration, period: Period
) -> list[TransitAccrual]:
    return list(
        TransitAccrual.objects.filter(
            integration=integration, period=period.label
        ).order_by("currency")
    )


def _payouts_fetch(
    *, integration: Integration, period: Period, stripe_api: Any
) -> None:
    """Store the payouts Stripe created in the period and the month before it
    (a payout travels days, not months), so the query below sees them all."""
    zone_name = periods.business_timezone_name(integration.options)
    start, end = periods.month_bounds(period.year, period.month, zone_name=zone_name)
    since = start - dt.timedelta(days=_LOOK_BACK_DAYS)
    for data in stripe_api.list_payouts(
        created_gte=int(since.timestamp()), created_lte=int(end.timestamp()) - 1
    ):
        payout_store(integration=integration, data=data)


def _accrual_plan(
    *,
    integration: Integration,
    period: Period,
    currency: str,
    payouts: list[Payout],
    actor: AbstractBaseUser | None,
) -> TransitAccrual:
    accrual = TransitAccrual.objects.create(
        integration=integration,
        period=period.label,
        currency=currency,
        amount=sum(payout.amount for payout in payouts),
        payouts=[
            {
                "id": payout.stripe_id,
                "amount": payout.amount,
                "arrival_date": payout.arrival_date.date().isoformat(),
            }
            for payout in payouts
        ],
        accrual_date=period.last_day,
        reversal_date=period.next_first_day,
    )
    # Planned records run when this transaction commits (ledger planning).
    accrual.accrual_record, accrual.reversal_record = ledger.sync_records_plan(
        integration=integration,
        event=None,
        plan=Plan(records=_planned(integration, accrual)),
    )
    accrual.save(update_fields=["accrual_record", "reversal_record"])
    audit_record(
        actor=actor,
        action="transit_accrual.planned",
        target=accrual,
        after={
            "period": accrual.period,
            "currency": currency,
            "amount": accrual.amount,
            "payouts": [item["id"] for item in accrual.payouts],
        },
    )
    return accrual


def _planned(
    integration: Integration, accrual: TransitAccrual
) -> tuple[PlannedRecord, PlannedRecord]:
    accounts = gl_accounts_get(integration=integration)
    zone_name = periods.business_timezone_name(integration.options)
    reference = f"transit:{accrual.period}:{accrual.currency}"
    reversal_reference = f"{reference}:reversal"
    count = len(accrual.payouts)
    accrual_journal = Journal(
        stripe_id=reference,
        currency=accrual.currency,
        created=periods.day_timestamp(accrual.accrual_date, zone_name=zone_name),
        description=f"Stripe payouts in transit at {accrual.accrual_date} ({count})",
        lines=(
            JournalLine(
                account=accounts["funds_in_transit"],
                amount=accrual.amount,
                description="Payouts in transit",
                reference=reference,
            ),
            JournalLine(
                account=accounts["bank"],
                amount=-accrual.amount,
                description="Not yet in the bank",
                reference=reference,
            ),
        ),
    )
    reversal_journal = Journal(
        stripe_id=reversal_reference,
        currency=accrual.currency,
        created=periods.day_timestamp(accrual.reversal_date, zone_name=zone_name),
        description=f"Reversal of payouts in transit at {accrual.accrual_date}",
        lines=tuple(
            JournalLine(
                account=line.account,
                amount=-line.amount,
                description=line.description,
                reference=reversal_reference,
            )
            for line in accrual_journal.lines
        ),
    )
    source_extra = {"accrual_period": accrual.period, "difference": 0}
    return (
        PlannedRecord(
            key=reference,
            operation=SyncRecord.Operation.POST_JOURNAL,
            stripe_id=reference,
            source={**to_source(accrual_journal), **source_extra, "kind": "accrual"},
        ),
        PlannedRecord(
            key=reversal_reference,
            operation=SyncRecord.Operation.POST_JOURNAL,
            stripe_id=reversal_reference,
            source={**to_source(reversal_journal), **source_extra, "kind": "reversal"},
            depends_on=(reference,),
        ),
    )


def transit_accruals_for_payout(*, payout: Payout) -> list[TransitAccrual]:
    """The accruals that carried this payout over a period end."""
    return [
        accrual
        for accrual in TransitAccrual.objects.filter(
            integration_id=payout.integration_id, currency=payout.currency.upper()
        ).select_related("accrual_record", "reversal_record")
        if any(item.get("id") == payout.stripe_id for item in accrual.payouts)
    ]


def transit_accruals_due(*, now: dt.datetime | None = None) -> dict[str, int]:
    """The schedule's run: each active integration's last ended period, once.

    Integrations without the payouts flow have no payout journals to accrue
    against and are left out.
    """
    moment = now or timezone.now()
    results = {}
    for integration in Integration.objects.filter(is_active=True).select_related(
        "erp_connection"
    ):
        if not integration.flow_enabled(Integration.Flow.PAYOUTS):
            continue
        period = transit_period_last_closed(integration=integration, now=moment)
        if transit_accruals_of_period(integration=integration, period=period):
            continue
        try:
            accruals = transit_accruals_post(
                integration=integration,
                period=period,
                stripe_api=stripe_connector.stripe_api_for(integration)(),
                now=moment,
            )
        except ApplicationError as exc:
            # Stripe out of reach: the next hour tries again; say so once.
            alert_raise(
                integration=integration,
                level=Alert.Level.WARNING,
                code="transit_accrual_failed",
                message=f"Funds in transit of {period.label} not accrued yet: "
                f"{exc.message}",
                dedupe_key=f"transit:{integration.pk}:{period.label}",
            )
            results[integration.name] = 0
            continue
        results[integration.name] = len(accruals)
    return results
