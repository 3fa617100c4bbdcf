"""The staff dashboard: figures per integration, each with the list behind it.

`dashboard_build` runs the aggregate reads in `selectors` (a fixed number of
queries whatever the number of integrations), then lays the figures out per
integration for the template: amounts in units (portal.money), counts and
ages linked to the admin changelist filtered to exactly those rows, and the
chart geometry from `charts`. A person sees only the figures of the lists
their permissions let them open.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.urls import reverse
from django.utils import timezone
from django.utils.timesince import timesince

from integrations.models import Integration, SyncRecord, WebhookEvent
from portal.money import money_format, to_decimal
from reconciliation.models import Payout

from . import charts, selectors
from .charts import Chart
from .links import Figure, Linker, since

WINDOWS = (("today", "Today"), ("7d", "7 days"), ("30d", "30 days"))
CHART_DAYS = 30
CHART_PAYOUTS = 200

OPERATION_LABELS = {
    SyncRecord.Operation.POST_PAYMENT: "Payments posted",
    SyncRecord.Operation.POST_CREDIT_NOTE: "Credit notes posted",
    SyncRecord.Operation.POST_ADJUSTMENT: "Dispute adjustments posted",
}
# In the order shown: what needs a person first.
WAITING_LABELS = {
    SyncRecord.Status.NEEDS_ATTENTION: "Needs attention",
    SyncRecord.Status.UNKNOWN_OUTCOME: "Unknown outcome",
    SyncRecord.Status.HELD: "Held for review",
    SyncRecord.Status.RETRYING: "Retrying",
    SyncRecord.Status.PENDING: "Pending",
    SyncRecord.Status.RUNNING: "Running",
}
WAITING_ORDER = {status: n for n, status in enumerate(WAITING_LABELS)}
PROOF_LABELS = {
    Payout.Proof.RECONCILED: "Payouts proven",
    Payout.Proof.UNRECONCILED: "Payouts unreconciled",
    Payout.Proof.PENDING: "Payouts not proven yet",
}
CLEARING_NOTE = (
    "Computed from stored data, with no live call to Stripe or the ERP: the "
    "money Stripe activity put through the clearing bank code (payments, "
    "credit notes, dispute adjustments in the ledger) against the part of it "
    "the ERP has booked. Fees and payouts move both sides alike through the "
    "payout journal and are left out."
)


@dataclass(frozen=True)
class Row:
    label: str
    cells: tuple[Figure, ...]


@dataclass(frozen=True)
class ClearingRow:
    currency: str
    stripe: Figure
    erp: Figure
    difference: Figure
    equal: bool


@dataclass
class Panel:
    integration: Integration
    url: str
    activity: list[Row] = field(default_factory=list)
    money: list[Row] = field(default_factory=list)
    payouts: list[Row] = field(default_factory=list)
    waiting: list[Row] = field(default_factory=list)
    oldest_event: Figure | None = None
    clearing: list[ClearingRow] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)


@dataclass(frozen=True)
class Dashboard:
    generated_at: datetime
    windows: tuple[tuple[str, str], ...]
    panels: tuple[Panel, ...]
    clearing_note: str
    can_view_records: bool
    can_view_events: bool
    can_view_payouts: bool


def window_starts(now: datetime) -> dict[str, datetime]:
    """Today from local midnight; 7 and 30 days back from now."""
    midnight = timezone.localtime(now).replace(
        hour=0, minute=0, second=0, microsecond=0
    )
    return {
        "today": midnight,
        "7d": now - timedelta(days=7),
        "30d": now - timedelta(days=30),
    }


def latency_text(index: int) -> str:
    if index < 0:
        return "—"
    if index >= len(selectors.LATENCY_BUCKETS):
        return f"> {_duration(selectors.LATENCY_BUCKETS[-1])}"
    return f"≤ {_duration(selectors.LATENCY_BUCKETS[index])}"


def _duration(value: timedelta) -> str:
    seconds = int(value.total_seconds())
    if seconds < 60:
        return f"{seconds} s"
    if seconds < 3600:
        return f"{seconds // 60} min"
    if seconds < 86400:
        return f"{seconds // 3600} h"
    return f"{seconds // 86400} d"


def dashboard_build(
    *, user: AbstractBaseUser | AnonymousUser, now: datetime | None = None
) -> Dashboard:
    now = now or timezone.now()
    linker = Linker(user=user)
    windows = window_starts(now)
    panels: dict[int, Panel] = {}
    if linker.can_view("integration"):
        for integration in selectors.integrations_list():
            panels[integration.pk] = Panel(
                integration=integration,
                url=(
                    reverse(
                        "admin:integrations_integration_change",
                        args=[integration.pk],
                    )
                ),
            )
    if panels and linker.can_view("webhookevent"):
        _events(panels, linker, windows, now)
    if panels and linker.can_view("syncrecord"):
        _records(panels, linker, windows, now)
    if panels and linker.can_view("payout"):
        _payouts(panels, linker, windows)
    return Dashboard(
        generated_at=now,
        windows=WINDOWS,
        panels=tuple(panels.values()),
        clearing_note=CLEARING_NOTE,
        can_view_records=linker.can_view("syncrecord"),
        can_view_events=linker.can_view("webhookevent"),
        can_view_payouts=linker.can_view("payout"),
    )


def _events(
    panels: dict[int, Panel],
    linker: Linker,
    windows: dict[str, datetime],
    now: datetime,
) -> None:
    counted = {
        row["integration_id"]: row for row in selectors.events_counted(windows=windows)
    }
    for pk, panel in panels.items():
        row = counted.get(pk, {})
        for measure, label, status in (
            ("received", "Events received", ""),
            ("processed", "Events processed", WebhookEvent.Status.PROCESSED),
            ("failed", "Events failed", WebhookEvent.Status.FAILED),
        ):
            cells = []
            for key, _ in WINDOWS:
                count = row.get(f"{key}_{measure}", 0)
                filters = {
                    "integration__id__exact": pk,
                    "received_at__gte": since(windows[key]),
                }
                if status:
                    filters["status__exact"] = status
                css = "lb-bad" if measure == "failed" and count else ""
                cells.append(
                    linker.figure(f"{count:,}", "webhookevent", css, **filters)
                )
            panel.activity.append(Row(label, tuple(cells)))

    for row in selectors.events_unprocessed():
        panel = panels.get(row["integration_id"])
        if panel is None:
            continue
        panel.oldest_event = linker.figure(
            f"{timesince(row['oldest'], now)} ago ({row['count']:,} waiting)",
            "webhookevent",
            "lb-warn",
            integration__id__exact=row["integration_id"],
            status__exact=WebhookEvent.Status.RECEIVED,
        )

    days = selectors.days_since(windows["30d"], now)
    bounds = [(begins, ends) for _, begins, ends in days]
    by_day = selectors.events_by_day(days=bounds)
    failed_calls = {}
    if linker.can_view("syncrecord"):
        failed_calls = selectors.failed_attempts_by_day(days=bounds)
    for pk, panel in panels.items():
        received = []
        failed = []
        calls = []
        nothing = [0] * len(days)
        counts = by_day.get(pk, {"received": nothing, "failed": nothing})
        calls_by_day = failed_calls.get(pk, nothing)
        for n_day, (day, begins, ends) in enumerate(days):
            day_filters = {
                "integration__id__exact": pk,
                "received_at__gte": since(begins),
                "received_at__lt": since(ends),
            }
            n = counts["received"][n_day]
            received.append(
                charts.Point(
                    n,
                    f"{day:%d %b}: {n:,} events received",
                    linker.url("webhookevent", **day_filters),
                )
            )
            n = counts["failed"][n_day]
            failed.append(
                charts.Point(
                    n,
                    f"{day:%d %b}: {n:,} events failed",
                    linker.url(
                        "webhookevent",
                        status__exact=WebhookEvent.Status.FAILED,
                        **day_filters,
                    ),
                )
            )
            n = calls_by_day[n_day]
            calls.append(charts.Point(n, f"{day:%d %b}: {n:,} ERP calls failed"))
        series = [
            charts.SeriesIn("Events received", "lb-series-events", received),
            charts.SeriesIn("Events failed", "lb-series-failed", failed),
        ]
        if linker.can_view("syncrecord"):
            series.append(charts.SeriesIn("ERP calls failed", "lb-series-calls", calls))
        panel.charts.append(
            charts.line_chart(
                title=f"Events and failures per day, last {CHART_DAYS} days",
                days=[day for day, _, _ in days],
                series=series,
            )
        )


def _records(
    panels: dict[int, Panel],
    linker: Linker,
    windows: dict[str, datetime],
    now: datetime,
) -> None:
    succeeded = SyncRecord.Status.SUCCEEDED
    histograms = selectors.latency_histograms(windows=windows)
    for pk, panel in panels.items():
        windowed = histograms.get(pk, {})
        for share, label in ((0.5, "Latency p50"), (0.95, "Latency p95")):
            cells = tuple(
                linker.figure(
                    latency_text(
                        selectors.percentile_bucket(windowed.get(key, ()), share)
                    ),
                    "syncrecord",
                    integration__id__exact=pk,
                    status__exact=succeeded,
                    succeeded_at__gte=since(windows[key]),
                )
                for key, _ in WINDOWS
            )
            panel.activity.append(Row(f"{label} (Stripe event → ERP)", cells))

    for row in selectors.money_posted(windows=windows):
        panel = panels.get(row["integration_id"])
        if panel is None:
            continue
        code = row["code"]
        cells = tuple(
            linker.figure(
                money_format(row[key] or 0, code),
                "syncrecord",
                integration__id__exact=row["integration_id"],
                operation__exact=row["operation"],
                status__exact=succeeded,
                succeeded_at__gte=since(windows[key]),
                currency__iexact=code,
            )
            for key, _ in WINDOWS
        )
        panel.money.append(Row(OPERATION_LABELS[row["operation"]], cells))

    waiting = sorted(
        selectors.records_waiting(),
        key=lambda row: (WAITING_ORDER[row["status"]], row["error_class"]),
    )
    for row in waiting:
        panel = panels.get(row["integration_id"])
        if panel is None:
            continue
        status = row["status"]
        label = WAITING_LABELS[status]
        filters = {"integration__id__exact": row["integration_id"]}
        filters["status__exact"] = status
        if status == SyncRecord.Status.NEEDS_ATTENTION:
            label = f"{label}: {row['error_class'] or 'no error class'}"
            filters["error_class__exact"] = row["error_class"]
        css = (
            "lb-bad"
            if status
            in (
                SyncRecord.Status.NEEDS_ATTENTION,
                SyncRecord.Status.UNKNOWN_OUTCOME,
            )
            else "lb-warn"
        )
        panel.waiting.append(
            Row(
                label,
                (
                    linker.figure(f"{row['count']:,}", "syncrecord", css, **filters),
                    Figure(f"{timesince(row['oldest'], now)}"),
                ),
            )
        )

    waiting_statuses = ",".join(selectors.WAITING_STATUSES)
    counted_statuses = ",".join([succeeded, *selectors.WAITING_STATUSES])
    for row in selectors.clearing_compared():
        panel = panels.get(row["integration_id"])
        if panel is None:
            continue
        code = row["code"]
        difference = row["stripe"] - row["erp"]
        money_records = {
            "integration__id__exact": row["integration_id"],
            "currency__iexact": code,
            "operation__in": ",".join(selectors.MONEY_OPERATIONS),
            "amount__isnull": "False",
        }
        panel.clearing.append(
            ClearingRow(
                currency=code,
                stripe=linker.figure(
                    money_format(row["stripe"], code),
                    "syncrecord",
                    status__in=counted_statuses,
                    **money_records,
                ),
                erp=linker.figure(
                    money_format(row["erp"], code),
                    "syncrecord",
                    status__exact=succeeded,
                    **money_records,
                ),
                difference=linker.figure(
                    money_format(difference, code),
                    "syncrecord",
                    "" if difference == 0 else "lb-bad",
                    status__in=waiting_statuses,
                    **money_records,
                ),
                equal=difference == 0 and row["waiting"] == 0,
            )
        )

    days = selectors.days_since(windows["30d"], now)
    by_day = selectors.latency_by_day(days=[(begins, ends) for _, begins, ends in days])
    labels = [latency_text(i) for i in range(len(selectors.LATENCY_BUCKETS) + 1)]
    for pk, panel in panels.items():
        series = []
        for share, label, css in (
            (0.5, "p50", "lb-series-p50"),
            (0.95, "p95", "lb-series-p95"),
        ):
            points = []
            histograms_by_day = by_day.get(pk)
            for n_day, (day, begins, ends) in enumerate(days):
                index = (
                    selectors.percentile_bucket(histograms_by_day[n_day], share)
                    if histograms_by_day
                    else -1
                )
                points.append(
                    charts.Point(
                        None if index < 0 else index,
                        f"{day:%d %b}: {label} {latency_text(index)}",
                        linker.url(
                            "syncrecord",
                            integration__id__exact=pk,
                            status__exact=succeeded,
                            succeeded_at__gte=since(begins),
                            succeeded_at__lt=since(ends),
                        ),
                    )
                )
            series.append(charts.SeriesIn(label, css, points))
        panel.charts.append(
            charts.line_chart(
                title=f"Stripe event → ERP document latency, last {CHART_DAYS} days",
                days=[day for day, _, _ in days],
                series=series,
                y_labels=labels,
            )
        )


def _payouts(
    panels: dict[int, Panel], linker: Linker, windows: dict[str, datetime]
) -> None:
    open_statuses = f"{Payout.Proof.UNRECONCILED},{Payout.Proof.PENDING}"
    for row in selectors.payouts_counted(windows=windows):
        panel = panels.get(row["integration_id"])
        if panel is None:
            continue
        code = row["code"]
        base = {
            "integration__id__exact": row["integration_id"],
            "currency__iexact": code,
        }
        panel.money.append(
            Row(
                "Payouts created",
                tuple(
                    linker.figure(
                        money_format(row[f"{key}_amount"] or 0, code),
                        "payout",
                        created__gte=since(windows[key]),
                        **base,
                    )
                    for key, _ in WINDOWS
                ),
            )
        )
        for status, label in PROOF_LABELS.items():
            panel.payouts.append(
                Row(
                    f"{label} ({code})",
                    tuple(
                        linker.figure(
                            f"{row[f'{key}_{status}']:,}",
                            "payout",
                            "lb-bad"
                            if status == Payout.Proof.UNRECONCILED
                            and row[f"{key}_{status}"]
                            else "",
                            proof_status__exact=status,
                            created__gte=since(windows[key]),
                            **base,
                        )
                        for key, _ in WINDOWS
                    ),
                )
            )
        panel.payouts.append(
            Row(
                f"Open payouts off by, in all ({code})",
                tuple(
                    linker.figure(
                        money_format(row[f"{key}_open_difference"] or 0, code),
                        "payout",
                        "lb-bad" if row[f"{key}_open_difference"] else "",
                        proof_status__in=open_statuses,
                        created__gte=since(windows[key]),
                        **base,
                    )
                    for key, _ in WINDOWS
                ),
            )
        )

    bars: dict[tuple[int, str], list[charts.BarIn]] = defaultdict(list)
    for row in selectors.payout_differences(start=windows["30d"], limit=CHART_PAYOUTS):
        code = row["code"]
        created = timezone.localtime(row["created"]) if row["created"] else None
        bars[(row["integration_id"], code)].append(
            charts.BarIn(
                to_decimal(row["off_by"], code),
                f"{row['stripe_id']}"
                f"{created and f' ({created:%d %b})' or ''}: "
                f"off by {money_format(row['off_by'], code)}, "
                f"{Payout.Proof(row['proof_status']).label.lower()}",
                reverse("reconciliation:payout_proof", args=[row["pk"]]),
            )
        )
    for (pk, code), currency_bars in sorted(bars.items()):
        panel = panels.get(pk)
        if panel is None:
            continue
        panel.charts.append(
            charts.bar_chart(
                title=f"Payout differences ({code}), last {CHART_DAYS} days",
                bars=currency_bars,
                unit=code,
            )
        )
