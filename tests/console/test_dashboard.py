"""The staff dashboard on the admin index: figures, links, roles, queries."""

import html
import re

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext

from console.dashboard import dashboard_build, latency_text
from integrations.models import SyncRecord
from portal.money import money_format
from tests.factories import IntegrationFactory

from .conftest import ledger_build, staff

pytestmark = pytest.mark.django_db

FIGURE = re.compile(r'<a href="([^"]*)" class="lb-figure[^"]*">([^<]*)</a>')


def _figures(response) -> list[tuple[str, str]]:
    """(url, text) of every linked figure on the page."""
    body = response.content.decode()
    return [
        (html.unescape(url), html.unescape(text)) for url, text in FIGURE.findall(body)
    ]


def _row(response, label: str) -> list[tuple[str, str]]:
    """The linked figures of the first table row whose header is `label`."""
    body = response.content.decode()
    match = re.search(
        rf"<tr[^>]*><th scope=\"row\">{re.escape(label)}</th>(.*?)</tr>", body, re.S
    )
    assert match, f"no row {label!r} on the dashboard"
    return [
        (html.unescape(url), html.unescape(text))
        for url, text in FIGURE.findall(match.group(1))
    ]


def test_the_dashboard_is_the_staff_landing_page(
    finance_client, integration_with_ledger
):
    response = finance_client.get("/admin/")

    assert response.status_code == 200
    assert b'id="lb-dashboard"' in response.content
    assert b"Acme SYSPRO" in response.content
    # The model list is still there, below.
    assert b"All models" in response.content


def test_counts_per_window(finance_client, integration_with_ledger):
    response = finance_client.get("/admin/")

    assert [text for _, text in _row(response, "Events received")] == ["4", "5", "5"]
    assert [text for _, text in _row(response, "Events processed")] == ["2", "3", "3"]
    assert [text for _, text in _row(response, "Events failed")] == ["1", "1", "1"]


def test_latency_percentiles_per_window(finance_client, integration_with_ledger):
    response = finance_client.get("/admin/")

    # Today: posted 3 s and 40 s after their events; 7 days adds one at 10 min.
    p50 = _row(response, "Latency p50 (Stripe event → ERP)")
    p95 = _row(response, "Latency p95 (Stripe event → ERP)")
    assert [text for _, text in p50] == ["≤ 5 s", "≤ 1 min", "≤ 1 min"]
    assert [text for _, text in p95] == ["≤ 1 min", "≤ 15 min", "≤ 15 min"]


def test_money_is_shown_in_units_of_each_currency(
    finance_client, integration_with_ledger
):
    response = finance_client.get("/admin/")
    texts = [text for _, text in _figures(response)]

    assert "2,369.92 USD" in texts
    assert "2,869.92 USD" in texts  # 30 days: and the 500.00 of 20 days ago
    assert "12,000 JPY" in texts
    assert "1.250 KWD" in texts
    assert "100.00 USD" in texts  # the credit note
    assert "1,600.00 USD" in texts  # payouts created in 30 days
    assert b"236992" not in response.content


def test_every_figure_opens_a_list_that_answers_and_counts_the_same(
    finance_client, integration_with_ledger
):
    response = finance_client.get("/admin/")
    figures = _figures(response)
    assert len(figures) > 40

    for url, text in figures:
        answer = finance_client.get(url)
        assert answer.status_code == 200, url
        changelist = answer.context["cl"]
        # A filter the admin refused would have redirected with ?e=1.
        assert changelist.has_filters or changelist.params, url
        if re.fullmatch(r"[\d,]+", text):
            assert changelist.result_count == int(text.replace(",", "")), url


def test_a_money_figure_lists_exactly_the_records_it_sums(
    finance_client, integration_with_ledger
):
    response = finance_client.get("/admin/")
    url, text = [
        (url, text) for url, text in _figures(response) if text == "2,869.92 USD"
    ][0]

    changelist = finance_client.get(url).context["cl"]

    total = changelist.queryset.aggregate(total=Sum("amount"))["total"]
    assert money_format(total, "usd") == text
    assert changelist.result_count == 2
    assert {r.operation for r in changelist.queryset} == {"post_payment"}


def test_waiting_records_by_state_and_error_class(
    finance_client, integration_with_ledger
):
    response = finance_client.get("/admin/")

    [(url, count)] = _row(response, "Needs attention: validation")
    listed = finance_client.get(url).context["cl"].queryset
    assert count == "2"
    assert {(r.status, r.error_class) for r in listed} == {
        (SyncRecord.Status.NEEDS_ATTENTION, "validation")
    }
    for label in ("Unknown outcome", "Held for review", "Retrying", "Pending"):
        [(_, count)] = _row(response, label)
        assert count == "1", label


def test_oldest_unprocessed_event(finance_client, integration_with_ledger):
    response = finance_client.get("/admin/")

    [(url, text)] = [figure for figure in _figures(response) if "waiting)" in figure[1]]
    assert text.replace("\xa0", " ") == "2 hours, 30 minutes ago (1 waiting)"
    listed = finance_client.get(url).context["cl"]
    assert listed.result_count == 1


def test_payouts_proven_and_open_with_their_differences(
    finance_client, integration_with_ledger
):
    response = finance_client.get("/admin/")

    assert [t for _, t in _row(response, "Payouts proven (USD)")] == ["1", "1", "1"]
    assert [t for _, t in _row(response, "Payouts unreconciled (USD)")] == [
        "0",
        "1",
        "1",
    ]
    assert [t for _, t in _row(response, "Payouts not proven yet (USD)")] == [
        "0",
        "0",
        "1",
    ]
    assert [t for _, t in _row(response, "Open payouts off by, in all (USD)")] == [
        "0.00 USD",
        "0.05 USD",
        "0.05 USD",
    ]


def test_clearing_compares_stripe_activity_with_what_the_erp_booked(
    finance_client, finance_user, integration_with_ledger
):
    # Stripe side: 2,369.92 + 500.00 − 100.00 + 7.00 held + 10.00 pending;
    # the ERP has all but the held and the pending payment.
    dashboard = dashboard_build(user=finance_user)
    [panel] = dashboard.panels
    usd = next(row for row in panel.clearing if row.currency == "USD")

    assert (usd.stripe.text, usd.erp.text, usd.difference.text, usd.equal) == (
        "2,786.92 USD",
        "2,769.92 USD",
        "17.00 USD",
        False,
    )
    listed = finance_client.get(usd.difference.url).context["cl"]
    assert sorted(r.amount for r in listed.queryset) == [700, 1000]
    for figure, status in ((usd.stripe, None), (usd.erp, SyncRecord.Status.SUCCEEDED)):
        listed = finance_client.get(figure.url).context["cl"].queryset
        signed = sum(
            -r.amount if r.operation == "post_credit_note" else r.amount for r in listed
        )
        assert money_format(signed, "usd") == figure.text
        assert status is None or {r.status for r in listed} == {status}
    jpy = next(row for row in panel.clearing if row.currency == "JPY")
    assert (jpy.stripe.text, jpy.erp.text, jpy.equal) == (
        "12,000 JPY",
        "12,000 JPY",
        True,
    )
    response = finance_client.get("/admin/")
    assert b"no live call to Stripe or the ERP" in response.content


def test_charts_are_inline_svg_with_nothing_fetched(
    finance_client, integration_with_ledger
):
    response = finance_client.get("/admin/")
    body = response.content.decode()

    # events, latency, USD payout differences
    assert body.count('<figure class="lb-chart">') == 3
    assert body.count('<svg xmlns="http://www.w3.org/2000/svg" role="img"') == 3
    assert "Events and failures per day" in body
    assert "Payout differences (USD)" in body
    assert "<script" not in body.split('id="lb-dashboard"')[1].split("</section>")[0]
    assert not re.search(r'(src|href)="(https?:)?//', body)
    # A bar opens the payout's proof.
    assert re.search(r'<a href="/reconciliation/payouts/\d+/proof/">\s*<rect', body)


def test_every_echoed_value_is_escaped(finance_client, frozen_now):
    IntegrationFactory(
        name="<script>alert(1)</script>", queue_paused_reason="<b>bad</b>"
    )

    body = finance_client.get("/admin/").content.decode()

    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "<b>bad</b>" not in body


def test_roles_see_what_their_permissions_allow(client, integration_with_ledger):
    # given a staff user who may view payouts and integrations only
    user = staff("paula", None)
    user.user_permissions.set(
        Permission.objects.filter(codename__in=["view_payout", "view_integration"])
    )
    client.force_login(user)

    body = client.get("/admin/").content.decode()

    assert "Payouts proven (USD)" in body
    assert "Events received" not in body
    assert "/admin/integrations/syncrecord/" not in body
    assert "/admin/integrations/webhookevent/" not in body
    assert "Stripe balance vs ERP clearing" not in body


def test_staff_without_permissions_see_no_figures(client, integration_with_ledger):
    client.force_login(staff("nobody", None))

    body = client.get("/admin/").content.decode()

    assert "No integrations you may view." in body
    assert "lb-figure" not in body


def test_integration_admins_see_the_dashboard_too(
    admin_role_client, integration_with_ledger
):
    response = admin_role_client.get("/admin/")

    assert [t for _, t in _row(response, "Events received")] == ["4", "5", "5"]


def test_queries_do_not_grow_with_integrations(finance_client, frozen_now):
    # given one integration's month of activity, then five more
    ledger_build(IntegrationFactory(name="first"))
    finance_client.get("/admin/")
    with CaptureQueriesContext(connection) as one:
        finance_client.get("/admin/")
    for n in range(5):
        ledger_build(IntegrationFactory(name=f"more-{n}"))

    with CaptureQueriesContext(connection) as six:
        response = finance_client.get("/admin/")

    assert response.content.decode().count('class="module lb-integration"') == 6
    assert len(six) == len(one)


def test_dashboard_query_budget(
    finance_client, frozen_now, django_assert_max_num_queries
):
    for n in range(4):
        ledger_build(IntegrationFactory(name=f"integration-{n}"))

    with django_assert_max_num_queries(25):
        response = finance_client.get("/admin/")

    assert response.status_code == 200


def test_latency_text():
    assert latency_text(-1) == "—"
    assert latency_text(0) == "≤ 1 s"
    assert latency_text(5) == "≤ 1 min"
    assert latency_text(10) == "≤ 1 d"
    assert latency_text(11) == "> 1 d"
