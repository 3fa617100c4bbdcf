"""Business dates and ERP posting periods: the one place a date sent to an ERP
is derived, and the one check of a posting date against the ERP's calendar.

Stripe timestamps are UTC epoch seconds and Stripe cuts its days at midnight
UTC (https://docs.stripe.com/api/balance_transactions/object#balance_transaction_object-created).
An ERP books a document on the business day of the company that owns it: a
charge at 23:30 UTC on 31 March is dated 1 April in Johannesburg. Every
integration has a business time zone (its `timezone` option; settings.TIME_ZONE
when unset) and every date of an ERP document is `business_date` of a Stripe
timestamp in that zone.

The GL calendar of the ERP company is kept on its connection
(`financial_year_start_month`, `gl_open_from`, `gl_closed_periods`): neither
ERP answers a period's status through an interface we can call (see
integrations/erps/syspro/connector.py FinancialCalendar for SYSPRO; the Sage
Pro agent has no period table confirmed publicly). A posting dated in a
closed period is held with a reason naming the period, or, when the
integration's `closed_period` option is `move`, dated the first day of the
next open period with a note on the document.
"""

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from django.conf import settings
from django.utils import timezone

from portal.exceptions import ApplicationError

TIMEZONE_OPTION = "timezone"
CLOSED_PERIOD_OPTION = "closed_period"
HOLD = "hold"
MOVE = "move"
CLOSED_PERIOD_POLICIES = (HOLD, MOVE)

# How far ahead the next open period is looked for: a calendar that closes
# ten years ahead is a typing mistake, not a reason to loop.
_PERIODS_AHEAD = 120


class PeriodClosedError(ApplicationError):
    """A posting is dated in a closed ERP period and may not be moved."""


# Time zone -------------------------------------------------------------------


def business_timezone_name(options: Mapping[str, Any] | None) -> str:
    """The integration's business time zone: its option, else TIME_ZONE."""
    name = str((options or {}).get(TIMEZONE_OPTION) or "").strip()
    return name or settings.TIME_ZONE


def options_with_timezone(options: Mapping[str, Any] | None) -> dict[str, Any]:
    """The options with `timezone` always set, so `$options.timezone` in a
    mapping names the business zone even where the integration left it blank."""
    merged = dict(options or {})
    merged[TIMEZONE_OPTION] = business_timezone_name(merged)
    return merged


def timezone_problem(name: Any) -> str:
    """Why `name` is not an IANA time zone name; empty when it is one."""
    if name in (None, ""):
        return ""
    if not isinstance(name, str):
        return f"{name!r} is not a time zone name."
    if name not in _zone_names():
        return (
            f"{name!r} is not an IANA time zone name (e.g. Africa/Johannesburg, "
            "Europe/London, UTC)."
        )
    return ""


@lru_cache(maxsize=1)
def _zone_names() -> frozenset[str]:
    return frozenset(available_timezones()) | {"UTC"}


@lru_cache(maxsize=64)
def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ApplicationError(
            f"Unknown time zone {name!r}: set an IANA name such as "
            "Africa/Johannesburg in the integration's options.",
            {"timezone": name},
        ) from exc


def business_moment(seconds: int, *, zone_name: str) -> dt.datetime:
    """A Stripe timestamp (UTC epoch seconds) as an aware time in the zone."""
    return dt.datetime.fromtimestamp(int(seconds), tz=dt.UTC).astimezone(
        zone(zone_name)
    )


def business_date(seconds: int, *, zone_name: str) -> dt.date:
    """The business day a Stripe timestamp falls on in the zone."""
    return business_moment(seconds, zone_name=zone_name).date()


def business_today(
    options: Mapping[str, Any] | None, *, now: dt.datetime | None = None
) -> dt.date:
    """Today in the integration's business time zone."""
    moment = now or timezone.now()
    return moment.astimezone(zone(business_timezone_name(options))).date()


def day_timestamp(day: dt.date, *, zone_name: str) -> int:
    """Epoch seconds of noon of `day` in the zone: a time whose business day
    is `day`, for a document we date ourselves (a month-end accrual)."""
    return int(
        dt.datetime.combine(day, dt.time(12), tzinfo=zone(zone_name)).timestamp()
    )


def month_bounds(
    year: int, month: int, *, zone_name: str
) -> tuple[dt.datetime, dt.datetime]:
    """[start, end) of a calendar month in the zone, as aware times."""
    tz = zone(zone_name)
    start = dt.datetime(year, month, 1, tzinfo=tz)
    following = next_month_start(dt.date(year, month, 1))
    end = dt.datetime(following.year, following.month, 1, tzinfo=tz)
    return start, end


def month_end(day: dt.date) -> dt.date:
    return next_month_start(day) - dt.timedelta(days=1)


def next_month_start(day: dt.date) -> dt.date:
    return (
        dt.date(day.year + 1, 1, 1)
        if day.month == 12
        else dt.date(day.year, day.month + 1, 1)
    )


# Posting periods -------------------------------------------------------------


def closed_period_texts(config: Mapping[str, Any]) -> list[str]:
    """A connection's `gl_closed_periods`, one CCYY-PP text each."""
    raw = config.get("gl_closed_periods") or ""
    parts = raw if isinstance(raw, list) else re.split(r"[\s,;]+", str(raw))
    return [str(part).strip() for part in parts if str(part).strip()]


def period_of_text(value: str) -> tuple[int, int] | None:
    match = re.fullmatch(r"(\d{4})-(\d{1,2})", value.strip())
    if not match or not 1 <= int(match.group(2)) <= 12:
        return None
    return int(match.group(1)), int(match.group(2))


def calendar_problems(config: Mapping[str, Any]) -> dict[str, str]:
    """What is wrong with a connection's GL calendar settings, by setting."""
    problems: dict[str, str] = {}
    month = str(config.get("financial_year_start_month") or "").strip()
    if month and not (month.isdigit() and 1 <= int(month) <= 12):
        problems["financial_year_start_month"] = (
            f"{month!r} is not a month number from 1 to 12."
        )
    open_from = str(config.get("gl_open_from") or "").strip()
    if open_from and period_of_text(open_from) is None:
        problems["gl_open_from"] = (
            f"{open_from!r} is not a GL period written CCYY-PP (e.g. 2026-04)."
        )
    bad = [text for text in closed_period_texts(config) if not period_of_text(text)]
    if bad:
        problems["gl_closed_periods"] = (
            f"{', '.join(bad)}: not GL periods written CCYY-PP, separated by commas."
        )
    return problems


class PeriodCalendar:
    """An ERP company's GL calendar as set on its connection.

    Periods are months numbered from the first month of the financial year;
    the year is named by the calendar year it ends in (SYSPRO's convention,
    used for Sage Pro's admin-maintained calendar too). `open_from` is the
    earliest open period, `closed` later periods closed since.
    """

    def __init__(
        self,
        *,
        first_month: int = 1,
        open_from: tuple[int, int] | None = None,
        closed: frozenset[tuple[int, int]] = frozenset(),
    ):
        self.first_month = first_month
        self.open_from = open_from
        self.closed = closed

    @classmethod
    def of_config(cls, config: Mapping[str, Any] | None) -> "PeriodCalendar":
        config = config or {}
        try:
            first_month = int(str(config.get("financial_year_start_month") or 1))
        except ValueError:
            first_month = 1
        if not 1 <= first_month <= 12:
            first_month = 1
        return cls(
            first_month=first_month,
            open_from=period_of_text(str(config.get("gl_open_from") or "")),
            closed=frozenset(
                period
                for text in closed_period_texts(config)
                if (period := period_of_text(text))
            ),
        )

    def period_of(self, day: dt.date) -> tuple[int, int]:
        """(GL year, GL period) of `day`."""
        period = (day.month - self.first_month) % 12 + 1
        year = (
            day.year
            if self.first_month == 1 or day.month < self.first_month
            else (day.year + 1)
        )
        return year, period

    def closed_reason(self, day: dt.date, *, erp_label: str) -> str:
        """Why `day` may not be posted to; empty when its period is open."""
        year, period = self.period_of(day)
        label = f"{year}-{period:02d}"
        if self.open_from and (year, period) < self.open_from:
            opens = f"{self.open_from[0]}-{self.open_from[1]:02d}"
            return (
                f"GL period {label} of {day.isoformat()} is closed: the {erp_label} "
                f"connection's calendar opens at {opens}"
            )
        if (year, period) in self.closed:
            return (
                f"GL period {label} of {day.isoformat()} is closed in {erp_label} "
                "(the connection's closed periods list it)"
            )
        return ""

    def next_open_day(self, day: dt.date) -> dt.date | None:
        """The first day of the first open period after `day`'s; None when
        none is open in the next ten years."""
        candidate = next_month_start(day)
        for _ in range(_PERIODS_AHEAD):
            if not self.closed_reason(candidate, erp_label=""):
                return candidate
            candidate = next_month_start(candidate)
        return None


def closed_period_policy(options: Mapping[str, Any] | None) -> str:
    value = str((options or {}).get(CLOSED_PERIOD_OPTION) or HOLD).strip().lower()
    return value if value in CLOSED_PERIOD_POLICIES else HOLD


def closed_period_problem(value: Any) -> str:
    if value in (None, "") or value in CLOSED_PERIOD_POLICIES:
        return ""
    return f"{value!r} is not one of {', '.join(CLOSED_PERIOD_POLICIES)}."


@dataclass(frozen=True)
class PostingDate:
    """A payload checked against the calendar; `moved_from` is set when its
    date was moved out of a closed period."""

    payload: dict[str, Any]
    moved_from: dt.date | None = None
    note: str = ""


def posting_dated(
    *,
    payload: Mapping[str, Any],
    date_field: str,
    calendar: PeriodCalendar,
    policy: str,
    erp_label: str,
    note_field: str = "",
    note_length: int | None = None,
) -> PostingDate:
    """The payload to post, checked against the ERP's GL calendar.

    A date in a closed period raises PeriodClosedError (policy `hold`) or is
    moved to the first day of the next open period (policy `move`), with a
    note in `note_field` where the ERP document has one.
    """
    raw = str(payload.get(date_field) or "").strip()
    if not raw:
        # Nothing dated (a SYSPRO adjustment against an invoice): the ERP
        # books it on its own date.
        return PostingDate(payload=dict(payload))
    try:
        day = dt.date.fromisoformat(raw)
    except ValueError:
        raise ApplicationError(
            f"The document's {date_field} {raw!r} is not a date (CCYY-MM-DD).",
            {"field": date_field, "value": raw},
        ) from None
    reason = calendar.closed_reason(day, erp_label=erp_label)
    if not reason:
        return PostingDate(payload=dict(payload))
    target = calendar.next_open_day(day) if policy == MOVE else None
    if target is None:
        advice = (
            "Reopen the period in the ERP and update the connection's calendar, "
            "then release the record; or set the integration's closed-period "
            "rule to move postings to the next open period."
            if policy != MOVE
            else "No open period follows it in the connection's calendar: "
            "correct the calendar, then release the record."
        )
        raise PeriodClosedError(
            f"{reason}. {advice}",
            {"field": date_field, "value": raw},
        )
    note = f"Moved from {day.isoformat()} (period closed)"
    moved = {**payload, date_field: target.isoformat()}
    if note_field:
        moved[note_field] = _with_note(
            str(payload.get(note_field) or ""), note, note_length
        )
    return PostingDate(payload=moved, moved_from=day, note=note)


def _with_note(text: str, note: str, length: int | None) -> str:
    """The note after the field's text, the text cut so the note fits."""
    text = text.strip()
    if not text:
        return note[:length] if length else note
    joined = f"{text} - {note}"
    if length is None or len(joined) <= length:
        return joined
    room = length - len(note) - 3
    if room <= 0:
        return note[:length]
    return f"{text[:room].rstrip()} - {note}"
