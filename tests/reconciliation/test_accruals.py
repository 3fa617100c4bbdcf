"""The month-end accrual of funds in transit (reconciliation/accruals.py)."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import reverse
from freezegun import freeze_time

from integrations import ledger
from integrations.erps.registry import erp_package
from integrations.models import AuditEntry, SyncRecord
from portal.exceptions import ApplicationError
from portal.schedules import schedules
from reconciliation import accruals
from reconciliation.models import DEFAULT_GL, Payout, TransitAccrual

from .fakes import payout_obj

pytestmark = [pytest.mark.django_db, pytest.mark.real_mapping]

Status = SyncRecord.Status
MARCH = accruals.Period(2024, 3)
# Just after March ends everywhere the tests look.
APRIL_FIRST = dt.datetime(2024, 4, 1, 10, 0, tzinfo=dt.UTC)


def _utc(*args) -> int:
    return int(dt.datetime(*args, tzinfo=dt.UTC).timestamp())


def _payout(*, created: int, arrival_day: dt.date, status="in_transit", **kw):
    obj = payout_obj(created=created, status=status, **kw)
    # Stripe gives the arrival day as midnight UTC of it.
    obj["arrival_date"] = _utc(arrival_day.year, arrival_day.month, arrival_day.day)
    return obj


@pytest.fixture
def johannesburg(integration):
    integration.options = {**integration.options, "timezone": "Africa/Johannesburg"}
    integration.save()
    return integration


def _post(integration, stripe_fake, period=MARCH, now=APRIL_FIRST, **kw):
    with_commit = kw.pop("capture")
    with with_commit(execute=True):
        return accruals.transit_accruals_post(
            integration=integration,
            period=period,
            stripe_api=stripe_fake,
            now=now,
            **kw,
        )


def test_payouts_travelling_over_the_period_end_are_accrued_and_reversed(
    johannesburg, erp, stripe_fake, django_capture_on_commit_callbacks
):
    # given: created 30 March, arriving 2 April (in transit at the end of March)
    travelling = _payout(
        id="po_travel",
        amount=150000,
        currency="zar",
        created=_utc(2024, 3, 30, 9),
        arrival_day=dt.date(2024, 4, 2),
    )
    # arrived on 29 March: in the bank at the period end
    arrived = _payout(
        id="po_arrived",
        amount=70000,
        currency="zar",
        created=_utc(2024, 3, 27, 9),
        arrival_day=dt.date(2024, 3, 29),
        status="paid",
    )
    # 31 March 22:30 UTC is 1 April 00:30 in Johannesburg: April's payout
    april = _payout(
        id="po_april",
        amount=99900,
        currency="zar",
        created=_utc(2024, 3, 31, 22, 30),
        arrival_day=dt.date(2024, 4, 3),
    )
    stripe_fake.objects["payouts"] = [travelling, arrived, april]

    # when
    [accrual] = _post(
        johannesburg, stripe_fake, capture=django_capture_on_commit_callbacks
    )

    # then one accrual of the travelling payout, posted and reversed
    assert (accrual.period, accrual.currency, accrual.amount) == (
        "2024-03",
        "ZAR",
        150000,
    )
    assert [item["id"] for item in accrual.payouts] == ["po_travel"]
    assert accrual.accrual_date == dt.date(2024, 3, 31)
    assert accrual.reversal_date == dt.date(2024, 4, 1)
    accrual.refresh_from_db()
    assert accrual.accrual_record.status == Status.SUCCEEDED
    assert accrual.reversal_record.status == Status.SUCCEEDED
    journal, reversal = (
        erp.document("post_journal", "transit:2024-03:ZAR"),
        erp.document("post_journal", "transit:2024-03:ZAR:reversal"),
    )
    assert journal.payload["JournalDate"] == "2024-03-31"
    assert reversal.payload["JournalDate"] == "2024-04-01"
    assert [
        (line["LedgerCode"], line["EntryAmount"]) for line in journal.payload["lines"]
    ] == [(DEFAULT_GL["funds_in_transit"], "1500.00"), (DEFAULT_GL["bank"], "-1500.00")]
    assert [
        (line["LedgerCode"], line["EntryAmount"]) for line in reversal.payload["lines"]
    ] == [(DEFAULT_GL["funds_in_transit"], "-1500.00"), (DEFAULT_GL["bank"], "1500.00")]
    # the payouts Stripe listed up to the period end are known here now, for
    # the proof pages
    assert set(
        Payout.objects.filter(integration=johannesburg).values_list(
            "stripe_id", flat=True
        )
    ) == {"po_travel", "po_arrived"}
    assert AuditEntry.objects.filter(action="transit_accrual.planned").count() == 1


def test_a_period_is_accrued_exactly_once(
    johannesburg, erp, stripe_fake, django_capture_on_commit_callbacks
):
    stripe_fake.objects["payouts"] = [
        _payout(
            id="po_1",
            amount=5000,
            created=_utc(2024, 3, 31, 8),
            arrival_day=dt.date(2024, 4, 2),
        )
    ]
    first = _post(johannesburg, stripe_fake, capture=django_capture_on_commit_callbacks)
    # a payout Stripe lists later changes nothing: the period was accrued
    stripe_fake.objects["payouts"].append(
        _payout(
            id="po_2",
            amount=7000,
            created=_utc(2024, 3, 30, 8),
            arrival_day=dt.date(2024, 4, 1),
        )
    )
    again = _post(johannesburg, stripe_fake, capture=django_capture_on_commit_callbacks)

    assert [row.pk for row in again] == [row.pk for row in first]
    assert again[0].amount == 5000
    assert TransitAccrual.objects.count() == 1
    assert SyncRecord.objects.filter(operation="post_journal").count() == 2
    assert erp.created("post_journal") == 2


def test_a_journal_whose_reply_was_lost_is_posted_once(
    johannesburg, erp, stripe_fake, django_capture_on_commit_callbacks
):
    stripe_fake.objects["payouts"] = [
        _payout(
            id="po_1",
            amount=5000,
            created=_utc(2024, 3, 31, 8),
            arrival_day=dt.date(2024, 4, 2),
        )
    ]
    erp.crash_after_write("post_journal")
    [accrual] = _post(
        johannesburg, stripe_fake, capture=django_capture_on_commit_callbacks
    )
    accrual.refresh_from_db()
    assert accrual.accrual_record.status == Status.RETRYING
    # the retry falls due: the lookup by reference adopts what the ERP wrote
    SyncRecord.objects.filter(pk=accrual.accrual_record_id).update(next_attempt_at=None)
    with django_capture_on_commit_callbacks(execute=True):
        ledger.sync_record_run(record_id=accrual.accrual_record_id, worker="w2")
    accrual.refresh_from_db()
    assert accrual.accrual_record.status == Status.SUCCEEDED
    assert accrual.reversal_record.status == Status.SUCCEEDED
    assert erp.created("post_journal") == 2
    assert len(erp.docs("post_journal")) == 2


@pytest.mark.parametrize(
    ("currency", "amount", "journal_amount"),
    [
        # zero-decimal: 12,000 yen is "12000"
        ("jpy", 12000, "12000"),
        # three-decimal into SYSPRO's two-decimal fields: rounded to 12.35 on
        # both lines alike, so the journal still balances
        ("kwd", 12345, "12.35"),
    ],
)
def test_zero_and_three_decimal_currencies_are_accrued_in_balance(
    integration,
    erp,
    stripe_fake,
    django_capture_on_commit_callbacks,
    currency,
    amount,
    journal_amount,
):
    integration.options = {**integration.options, "timezone": "UTC"}
    integration.save()
    stripe_fake.objects["payouts"] = [
        _payout(
            amount=amount,
            currency=currency,
            created=_utc(2024, 3, 31, 12),
            arrival_day=dt.date(2024, 4, 2),
        )
    ]
    [accrual] = _post(
        integration, stripe_fake, capture=django_capture_on_commit_callbacks
    )
    assert accrual.amount == amount
    package = erp_package(integration.erp_kind)
    accrued = f"transit:2024-03:{currency.upper()}"
    for reference in (accrued, f"{accrued}:reversal"):
        document = erp.document("post_journal", reference)
        assert package.journal_difference(document.payload) == Decimal(0)
        amounts = {
            line["EntryAmount"].lstrip("-") for line in document.payload["lines"]
        }
        assert amounts == {journal_amount}


def test_payouts_in_several_currencies_make_one_journal_pair_each(
    integration, erp, stripe_fake, django_capture_on_commit_callbacks
):
    integration.options = {**integration.options, "timezone": "UTC"}
    integration.save()
    stripe_fake.objects["payouts"] = [
        _payout(
            amount=amount,
            currency=currency,
            created=_utc(2024, 3, 31, 12),
            arrival_day=dt.date(2024, 4, 1),
        )
        for currency, amount in (("usd", 1000), ("usd", 2500), ("eur", 700))
    ]
    rows = _post(integration, stripe_fake, capture=django_capture_on_commit_callbacks)
    assert [(row.currency, row.amount, len(row.payouts)) for row in rows] == [
        ("EUR", 700, 1),
        ("USD", 3500, 2),
    ]
    assert erp.created("post_journal") == 4


def test_failed_and_canceled_payouts_are_not_in_transit(
    integration, erp, stripe_fake, django_capture_on_commit_callbacks
):
    integration.options = {**integration.options, "timezone": "UTC"}
    integration.save()
    stripe_fake.objects["payouts"] = [
        _payout(
            amount=100,
            created=_utc(2024, 3, 31, 12),
            arrival_day=dt.date(2024, 4, 2),
            status=status,
        )
        for status in ("failed", "canceled")
    ]
    assert (
        _post(integration, stripe_fake, capture=django_capture_on_commit_callbacks)
        == []
    )


def test_a_period_that_has_not_ended_is_refused(integration, stripe_fake):
    integration.options = {**integration.options, "timezone": "Africa/Johannesburg"}
    integration.save()
    with pytest.raises(ApplicationError, match="has not ended"):
        accruals.transit_accruals_post(
            integration=integration,
            period=accruals.Period(2024, 3),
            stripe_api=stripe_fake,
            # 31 March 21:00 UTC is 23:00 in Johannesburg: still March
            now=dt.datetime(2024, 3, 31, 21, 0, tzinfo=dt.UTC),
        )


def test_a_period_must_be_written_as_a_month():
    with pytest.raises(ApplicationError, match="CCYY-MM"):
        accruals.Period.of_text("March")
    assert accruals.Period.of_text("2024-03") == MARCH


def test_the_last_ended_period_is_cut_in_the_business_zone(integration):
    integration.options = {**integration.options, "timezone": "Africa/Johannesburg"}
    moment = dt.datetime(2024, 3, 31, 22, 30, tzinfo=dt.UTC)  # 1 April 00:30 SAST
    assert accruals.transit_period_last_closed(
        integration=integration, now=moment
    ) == accruals.Period(2024, 3)
    integration.options["timezone"] = "UTC"
    assert accruals.transit_period_last_closed(
        integration=integration, now=moment
    ) == accruals.Period(2024, 2)


def test_the_schedule_accrues_each_integration_once(
    johannesburg, erp, stripe_fake, django_capture_on_commit_callbacks
):
    stripe_fake.objects["payouts"] = [
        _payout(
            amount=5000, created=_utc(2024, 3, 31, 8), arrival_day=dt.date(2024, 4, 2)
        )
    ]
    with django_capture_on_commit_callbacks(execute=True):
        first = accruals.transit_accruals_due(now=APRIL_FIRST)
    with django_capture_on_commit_callbacks(execute=True):
        second = accruals.transit_accruals_due(now=APRIL_FIRST)
    assert first == {johannesburg.name: 1}
    assert second == {}
    assert erp.created("post_journal") == 2
    name = "reconciliation: month-end funds in transit"
    assert schedules()[name].func == "reconciliation.tasks.accrue_funds_in_transit"


@freeze_time("2024-04-05T08:00:00Z")
def test_the_command_accrues_a_given_period(
    johannesburg, erp, stripe_fake, django_capture_on_commit_callbacks
):
    stripe_fake.objects["payouts"] = [
        _payout(
            amount=5000, created=_utc(2024, 3, 31, 8), arrival_day=dt.date(2024, 4, 2)
        )
    ]
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command(
            "accrue_transit",
            "--integration",
            str(johannesburg.pk),
            "--period",
            "2024-03",
            stdout=out,
        )
    assert "2024-03 USD: 50.00 USD in transit (1 payouts)" in out.getvalue()
    assert erp.created("post_journal") == 2


def test_the_payout_proof_page_and_the_admin_show_the_accrual(
    johannesburg, erp, stripe_fake, client, django_capture_on_commit_callbacks
):
    stripe_fake.objects["payouts"] = [
        _payout(
            id="po_shown",
            amount=5000,
            created=_utc(2024, 3, 31, 8),
            arrival_day=dt.date(2024, 4, 2),
        )
    ]
    _post(johannesburg, stripe_fake, capture=django_capture_on_commit_callbacks)
    user = get_user_model().objects.create_superuser("finance", "f@example.com", "pw")
    client.force_login(user)
    payout = Payout.objects.get(stripe_id="po_shown")

    page = client.get(reverse("reconciliation:payout_proof", args=[payout.pk]))
    body = page.content.decode()
    assert "Funds in transit at the end of 2024-03" in body
    assert "50.00 USD in transit" in body

    listing = client.get(reverse("admin:reconciliation_transitaccrual_changelist"))
    assert listing.status_code == 200
    assert "50.00 USD" in listing.content.decode()


@freeze_time("2024-04-05T08:00:00Z")
def test_the_admin_accrues_a_period_on_demand(
    johannesburg, erp, stripe_fake, client, django_capture_on_commit_callbacks
):
    stripe_fake.objects["payouts"] = [
        _payout(
            amount=5000, created=_utc(2024, 3, 31, 8), arrival_day=dt.date(2024, 4, 2)
        )
    ]
    user = get_user_model().objects.create_superuser("finance", "f@example.com", "pw")
    client.force_login(user)
    url = reverse("admin:reconciliation_transitaccrual_accrue")
    assert client.get(url).status_code == 200
    refused = client.post(url, {"integration": johannesburg.pk, "period": "March"})
    assert refused.status_code == 200
    assert "CCYY-MM" in refused.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(url, {"integration": johannesburg.pk, "period": "2024-03"})
    assert done.status_code == 302
    assert TransitAccrual.objects.get().amount == 5000
    assert erp.created("post_journal") == 2
