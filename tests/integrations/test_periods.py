"""Business dates and closed ERP periods (integrations/periods.py): every date
sent to an ERP is the integration's business day, and a posting dated in a
closed GL period is held with its reason, or moved when the admin allows it."""

import datetime as dt
from dataclasses import replace

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from integrations import ledger, periods
from integrations.admin import IntegrationForm
from integrations.canonical import Payment, SubscriptionState, to_source
from integrations.erps.syspro.subscriptions import subscription_values
from integrations.ledger.context import PERIOD_MOVED
from integrations.models import AuditEntry, Connection, SyncRecord
from integrations.workflows import Plan, PlannedRecord
from mapping.transforms import TransformError, unix_to_date
from tests.factories import ConnectionFactory, IntegrationFactory
from tests.support.fake_erp import FakeErp

Status = SyncRecord.Status

# 2024-03-31 23:30:00 UTC: 1 April 01:30 in Johannesburg, 31 March 19:30 in
# New York. Stripe's day (UTC) is 31 March.
LATE_MARCH = int(dt.datetime(2024, 3, 31, 23, 30, tzinfo=dt.UTC).timestamp())


# --- the business day ----------------------------------------------------------


@pytest.mark.parametrize(
    ("zone", "day"),
    [
        ("UTC", dt.date(2024, 3, 31)),
        ("Africa/Johannesburg", dt.date(2024, 4, 1)),
        ("America/New_York", dt.date(2024, 3, 31)),
        ("Asia/Tokyo", dt.date(2024, 4, 1)),
    ],
)
def test_a_stripe_time_is_dated_on_the_business_day_of_the_zone(zone, day):
    assert periods.business_date(LATE_MARCH, zone_name=zone) == day


def test_the_business_zone_defaults_to_the_portal_time_zone(settings):
    settings.TIME_ZONE = "Africa/Johannesburg"
    assert periods.business_timezone_name({}) == "Africa/Johannesburg"
    assert periods.business_timezone_name({"timezone": ""}) == "Africa/Johannesburg"
    assert periods.business_timezone_name({"timezone": "Asia/Tokyo"}) == "Asia/Tokyo"
    assert periods.options_with_timezone({"bank": "B"}) == {
        "bank": "B",
        "timezone": "Africa/Johannesburg",
    }


def test_unix_to_date_goes_through_the_business_day():
    assert unix_to_date(LATE_MARCH, timezone="Africa/Johannesburg") == "2024-04-01"
    assert unix_to_date(LATE_MARCH, timezone="UTC") == "2024-03-31"
    with pytest.raises(TransformError, match="Mars/Olympus"):
        unix_to_date(LATE_MARCH, timezone="Mars/Olympus")


def test_today_is_the_business_day():
    now = dt.datetime(2024, 3, 31, 23, 30, tzinfo=dt.UTC)
    assert periods.business_today({"timezone": "UTC"}, now=now) == dt.date(2024, 3, 31)
    assert periods.business_today(
        {"timezone": "Africa/Johannesburg"}, now=now
    ) == dt.date(2024, 4, 1)


@pytest.mark.parametrize("name", ["Mars/Olympus", "africa/johannesburg", "+02:00", 5])
def test_a_time_zone_that_is_not_an_iana_name_is_refused(name):
    assert periods.timezone_problem(name)


@pytest.mark.parametrize("name", ["", None, "UTC", "Africa/Johannesburg"])
def test_iana_names_and_blank_are_accepted(name):
    assert periods.timezone_problem(name) == ""


def test_month_bounds_are_cut_in_the_zone():
    start, end = periods.month_bounds(2024, 3, zone_name="Africa/Johannesburg")
    assert start == dt.datetime(2024, 2, 29, 22, 0, tzinfo=dt.UTC)
    assert end == dt.datetime(2024, 3, 31, 22, 0, tzinfo=dt.UTC)
    assert periods.month_end(dt.date(2024, 2, 10)) == dt.date(2024, 2, 29)
    assert periods.next_month_start(dt.date(2024, 12, 31)) == dt.date(2025, 1, 1)


# --- the calendar -----------------------------------------------------------------

JULY_YEAR = periods.PeriodCalendar.of_config(
    {
        "financial_year_start_month": "7",
        "gl_open_from": "2024-09",
        "gl_closed_periods": "2024-11, 2025-01",
    }
)


def test_periods_are_numbered_from_the_first_month_of_the_financial_year():
    assert JULY_YEAR.period_of(dt.date(2023, 7, 1)) == (2024, 1)
    assert JULY_YEAR.period_of(dt.date(2024, 3, 31)) == (2024, 9)
    assert JULY_YEAR.period_of(dt.date(2024, 6, 30)) == (2024, 12)


def test_a_day_before_the_open_period_or_in_a_closed_one_is_closed():
    reason = JULY_YEAR.closed_reason(dt.date(2024, 2, 29), erp_label="SYSPRO")
    assert "2024-08" in reason and "2024-09" in reason and "SYSPRO" in reason
    assert "2024-11" in JULY_YEAR.closed_reason(dt.date(2024, 5, 2), erp_label="X")
    assert JULY_YEAR.closed_reason(dt.date(2024, 3, 1), erp_label="X") == ""


def test_the_next_open_day_skips_closed_periods():
    # 2024-05 is period 11 (closed), 2024-06 is period 12 (open).
    assert JULY_YEAR.next_open_day(dt.date(2024, 5, 20)) == dt.date(2024, 6, 1)
    # Before the open-from period: the first day of 2024-09 (March 2024).
    assert JULY_YEAR.next_open_day(dt.date(2024, 1, 15)) == dt.date(2024, 3, 1)


def test_a_calendar_that_never_opens_has_no_next_open_day():
    calendar = periods.PeriodCalendar(open_from=(2999, 1))
    assert calendar.next_open_day(dt.date(2024, 1, 1)) is None


def test_calendar_settings_are_checked():
    problems = periods.calendar_problems(
        {
            "financial_year_start_month": "13",
            "gl_open_from": "April",
            "gl_closed_periods": "2024-03, 2024-13",
        }
    )
    assert set(problems) == {
        "financial_year_start_month",
        "gl_open_from",
        "gl_closed_periods",
    }
    assert "2024-13" in problems["gl_closed_periods"]
    assert "2024-03," not in problems["gl_closed_periods"]


# --- a posting's date -------------------------------------------------------------

MARCH_CLOSED = periods.PeriodCalendar.of_config({"gl_closed_periods": "2024-03"})


def test_a_posting_in_a_closed_period_is_refused_with_the_period_and_what_to_do():
    with pytest.raises(periods.PeriodClosedError) as caught:
        periods.posting_dated(
            payload={"PaymentDate": "2024-03-31"},
            date_field="PaymentDate",
            calendar=MARCH_CLOSED,
            policy=periods.HOLD,
            erp_label="SYSPRO",
        )
    message = caught.value.message
    assert "2024-03" in message and "2024-03-31" in message
    assert "Reopen the period" in message and "next open period" in message


def test_a_posting_in_an_open_period_is_unchanged():
    dated = periods.posting_dated(
        payload={"PaymentDate": "2024-04-01", "JournalNotation": "ch_1"},
        date_field="PaymentDate",
        calendar=MARCH_CLOSED,
        policy=periods.MOVE,
        erp_label="SYSPRO",
        note_field="JournalNotation",
    )
    assert dated.payload == {"PaymentDate": "2024-04-01", "JournalNotation": "ch_1"}
    assert dated.moved_from is None


def test_a_moved_posting_is_dated_the_next_open_period_with_a_note_that_fits():
    dated = periods.posting_dated(
        payload={"date": "2024-03-15", "reason": "Requested by customer, full"},
        date_field="date",
        calendar=MARCH_CLOSED,
        policy=periods.MOVE,
        erp_label="Sage Pro",
        note_field="reason",
        note_length=40,
    )
    assert dated.payload["date"] == "2024-04-01"
    assert dated.moved_from == dt.date(2024, 3, 15)
    assert dated.payload["reason"].endswith("Moved from 2024-03-15 (period closed)")
    assert len(dated.payload["reason"]) <= 40


def test_an_undated_posting_is_left_to_the_erp():
    dated = periods.posting_dated(
        payload={"InvoiceDate": ""},
        date_field="InvoiceDate",
        calendar=MARCH_CLOSED,
        policy=periods.HOLD,
        erp_label="SYSPRO",
    )
    assert dated.moved_from is None


# --- in the ledger ----------------------------------------------------------------


def _payment_record(integration, *, created=LATE_MARCH, key="ch_1"):
    source = {
        **to_source(
            Payment(stripe_id=key, currency="ZAR", amount=150000, created=created)
        ),
        "customer_code": "0000001",
    }
    return ledger.sync_records_plan(
        integration=integration,
        event=None,
        plan=Plan(
            records=(
                PlannedRecord(
                    key=f"{key}:post_payment",
                    operation="post_payment",
                    stripe_id=key,
                    source=source,
                ),
            )
        ),
    )[0]


def _integration(*, kind="syspro", calendar, **options):
    connection = ConnectionFactory(
        kind=kind,
        base_url="http://testserver/erp",
        config={"operator": "ADMIN", "company_id": "EDU1", **calendar},
    )
    integration = IntegrationFactory(erp_connection=connection)
    integration.options = {**integration.options, **options}
    integration.save()
    return integration


def _run(record):
    return ledger.sync_record_run(record_id=record.pk, worker="w1")


@pytest.mark.django_db
def test_a_payment_is_dated_in_the_business_zone(erp):
    # given an integration in Johannesburg, a charge at 23:30 UTC on 31 March
    integration = _integration(calendar={}, timezone="Africa/Johannesburg")
    # when its payment posts
    record = _run(_payment_record(integration))
    # then the ERP books it on 1 April
    assert record.status == Status.SUCCEEDED, record.error_message
    assert erp.docs("post_payment")[0].payload["PaymentDate"] == "2024-04-01"


@pytest.mark.django_db
def test_without_a_zone_the_portal_time_zone_dates_it(erp, settings):
    settings.TIME_ZONE = "America/New_York"
    integration = _integration(calendar={})
    record = _run(_payment_record(integration))
    assert record.status == Status.SUCCEEDED, record.error_message
    assert erp.docs("post_payment")[0].payload["PaymentDate"] == "2024-03-31"


@pytest.mark.django_db
def test_the_business_day_decides_the_period(erp):
    # March is closed; in UTC the charge is a March posting, in Johannesburg
    # an April one.
    in_utc = _integration(calendar={"gl_closed_periods": "2024-03"}, timezone="UTC")
    in_jhb = _integration(
        calendar={"gl_closed_periods": "2024-03"}, timezone="Africa/Johannesburg"
    )
    assert _run(_payment_record(in_utc, key="ch_utc")).status == Status.HELD
    assert _run(_payment_record(in_jhb, key="ch_jhb")).status == Status.SUCCEEDED


@pytest.mark.django_db
def test_a_posting_in_a_closed_period_is_held_with_its_reason(erp):
    integration = _integration(
        calendar={"gl_closed_periods": "2024-03"}, timezone="UTC"
    )
    record = _run(_payment_record(integration))
    assert record.status == Status.HELD
    assert "GL period 2024-03 of 2024-03-31 is closed" in record.hold_reason
    assert "Reopen the period" in record.hold_reason
    assert record.attempts == 0
    assert erp.docs("post_payment") == []


@pytest.mark.django_db
def test_releasing_a_held_posting_does_not_post_into_the_closed_period(erp):
    integration = _integration(
        calendar={"gl_closed_periods": "2024-03"}, timezone="UTC"
    )
    record = _run(_payment_record(integration))
    assert ledger.sync_record_release(record=record, actor=None, reason="try")
    assert _run(record).status == Status.HELD
    assert erp.docs("post_payment") == []
    # once the period is reopened on the connection, the release posts it
    connection = integration.erp_connection
    connection.config = {**connection.config, "gl_closed_periods": ""}
    connection.save()
    ledger.sync_record_release(record=record, actor=None, reason="reopened")
    assert _run(record).status == Status.SUCCEEDED
    assert erp.docs("post_payment")[0].payload["PaymentDate"] == "2024-03-31"


@pytest.mark.django_db
def test_a_moved_posting_is_noted_on_the_document_and_the_record_once(erp):
    integration = _integration(
        calendar={"gl_closed_periods": "2024-03"},
        timezone="UTC",
        closed_period="move",
    )
    record = _payment_record(integration)
    erp.fail_next("post_payment")
    assert _run(record).status == Status.RETRYING
    # the retry falls due
    SyncRecord.objects.filter(pk=record.pk).update(next_attempt_at=None)
    record = _run(record)
    assert record.status == Status.SUCCEEDED, record.error_message
    [document] = erp.docs("post_payment")
    assert document.payload["PaymentDate"] == "2024-04-01"
    assert (
        "Moved from 2024-03-31 (period closed)" in (document.payload["JournalNotation"])
    )
    assert record.payload["PaymentDate"] == "2024-04-01"
    [entry] = AuditEntry.objects.filter(action=PERIOD_MOVED, target_id=str(record.pk))
    assert entry.before == {"date": "2024-03-31"}
    assert entry.after["date"] == "2024-04-01"
    assert erp.created("post_payment") == 1


@pytest.mark.django_db
def test_sage_pro_postings_are_checked_against_its_connection_calendar():
    fake = FakeErp(kind="sagepro")
    with fake.installed():
        integration = _integration(
            kind=Connection.Kind.SAGEPRO,
            calendar={"gl_open_from": "2024-04"},
            timezone="UTC",
        )
        record = _run(_payment_record(integration))
    assert record.status == Status.HELD
    assert "Sage Pro connection's calendar opens at 2024-04" in record.hold_reason


# --- the admin --------------------------------------------------------------------


def _form_data(integration, **fields):
    return {
        "name": integration.name,
        "stripe_connection": integration.stripe_connection.pk,
        "erp_connection": integration.erp_connection.pk,
        "is_active": "on",
        "flows": list(integration.flows),
        "stripe_api_version": "",
        "options": '{"bank": "STRIPE"}',
        **fields,
    }


@pytest.mark.django_db
def test_the_admin_refuses_a_time_zone_that_is_not_an_iana_name(erp):
    integration = _integration(calendar={})
    form = IntegrationForm(
        data=_form_data(integration, business_timezone="Johannesburg"),
        instance=integration,
    )
    assert not form.is_valid()
    assert "IANA" in str(form.errors["business_timezone"])


@pytest.mark.django_db
def test_the_admin_writes_the_zone_and_the_closed_period_rule_into_the_options(erp):
    integration = _integration(calendar={})
    form = IntegrationForm(
        data=_form_data(
            integration,
            business_timezone="Africa/Johannesburg",
            closed_period="move",
        ),
        instance=integration,
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["options"]["timezone"] == "Africa/Johannesburg"
    assert form.cleaned_data["options"]["closed_period"] == "move"


@pytest.mark.django_db
def test_a_hand_edited_date_in_a_closed_period_is_moved_too(erp):
    integration = _integration(
        calendar={"gl_closed_periods": "2024-03"},
        timezone="UTC",
        closed_period="move",
    )
    record = _payment_record(integration, created=LATE_MARCH + 86400 * 3)
    edited = {
        "Customer": "0000001",
        "PaymentValue": "1500.00",
        "Reference": "ch_1",
        "PaymentDate": "2024-03-20",
        "Bank": "STRIPE",
        "PaymentType": "O",
        "JournalNotation": "ch_1",
    }
    SyncRecord.objects.filter(pk=record.pk).update(payload=edited, payload_edited=True)
    record = _run(record)
    assert record.status == Status.SUCCEEDED, record.error_message
    [document] = erp.docs("post_payment")
    assert document.payload["PaymentDate"] == "2024-04-01"
    assert document.payload["JournalNotation"] == (
        "ch_1 - Moved from 2024-03-20 (period closed)"
    )
    # the attempt log shows what was sent
    assert record.attempt_log.get().request["PaymentDate"] == "2024-04-01"


@pytest.mark.django_db
def test_the_connection_admin_shows_the_gl_calendar_once_for_every_erp(client):
    user = get_user_model().objects.create_superuser("admin", "a@example.com", "pw")
    client.force_login(user)
    page = client.get(reverse("admin:integrations_connection_add")).content.decode()
    assert page.count("GL calendar (any ERP)") == 1
    assert page.count('name="gl_closed_periods"') == 1
    connection = ConnectionFactory(kind=Connection.Kind.SAGEPRO, config={})
    response = client.post(
        reverse("admin:integrations_connection_change", args=[connection.pk]),
        {
            "name": connection.name,
            "kind": "sagepro",
            "base_url": "http://127.0.0.1:18400/api/v1",
            "timeout_seconds": 30,
            "gl_open_from": "2024-04",
            "gl_closed_periods": "2024-06",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    connection.refresh_from_db()
    calendar = periods.PeriodCalendar.of_config(connection.config)
    assert calendar.open_from == (2024, 4)
    assert calendar.closed == frozenset({(2024, 6)})


def test_a_subscription_period_end_is_dated_on_the_business_day():
    state = SubscriptionState(
        stripe_id="sub_1",
        customer_id="cus_A",
        currency="USD",
        status="active",
        plan="SUB-BASIC",
        current_period_end=LATE_MARCH,
        mrr=0,
        as_of=1,
        zone="Africa/Johannesburg",
    )
    assert subscription_values(state)["period_end"] == "2024-04-01"
    assert subscription_values(replace(state, zone="UTC"))["period_end"] == (
        "2024-03-31"
    )
