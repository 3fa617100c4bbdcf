"""A payout in a currency other than the Sage Pro company's home currency is
held before it reaches the agent, with the currency and what to do; one in
the home currency is journaled. Sage Pro keeps its GL in its home currency
(integrations/erps/sagepro/journals.py) and the agent refuses another."""

import json

import pytest
import requests
import stripe
from django.conf import settings

from integrations import ledger
from integrations.connectors import http
from integrations.connectors.errors import HeldForReviewError
from integrations.erps import registry
from integrations.erps.sagepro.journals import journal_currency_check
from integrations.intake import webhook_event_store
from integrations.models import Connection, SyncAttempt, SyncRecord
from portal.outbound import GuardedHTTPAdapter
from sandbox.stripeapi.models import Event
from tests.factories import IntegrationFactory
from tests.support.wsgi import wsgi_session

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("keep_db_connection")]

HOST = "http://testserver"


def _session_for(connection: Connection) -> requests.Session:
    if connection.kind == Connection.Kind.STRIPE:
        return wsgi_session(HOST)
    session = requests.Session()
    session.mount("http://", GuardedHTTPAdapter(max_retries=0))
    return session


@pytest.fixture
def integration(sagepro_agent, monkeypatch):
    monkeypatch.setattr(http, "SESSION_FACTORY", _session_for)
    registry.close_all()
    yield IntegrationFactory(
        stripe_connection__base_url=f"{HOST}/sandbox/stripe",
        stripe_connection__secrets={"api_key": settings.SANDBOX_STRIPE_API_KEY},
        erp_connection__kind=Connection.Kind.SAGEPRO,
        erp_connection__base_url=sagepro_agent.base_url,
        erp_connection__secrets={"api_key": sagepro_agent.key},
        flows=["payouts"],
    )
    registry.close_all()


@pytest.fixture
def sc() -> stripe.StripeClient:
    return stripe.StripeClient(
        settings.SANDBOX_STRIPE_API_KEY,
        base_addresses={"api": f"{HOST}/sandbox/stripe"},
        http_client=stripe.RequestsClient(session=wsgi_session(HOST)),
        max_network_retries=0,
    )


def _payouts_of(sc, integration, capture, currencies: dict[str, int]) -> dict:
    """Charge each currency's amount, pay each balance out, and deliver the
    payout events (the charges are not this test's)."""
    for currency, amount in currencies.items():
        sc.v1.payment_intents.create(
            params={
                "amount": amount,
                "currency": currency,
                "payment_method": "pm_card_visa",
                "confirm": True,
            }
        )
    for currency in currencies:
        sc.raw_request("post", "/v1/test_helpers/payouts/automatic", currency=currency)
    payouts = {p.currency: p.id for p in sc.v1.payouts.list().auto_paging_iter()}
    assert set(payouts) == set(currencies)
    for event in Event.objects.filter(type__startswith="payout.").order_by("id"):
        with capture(execute=True):
            webhook_event_store(
                integration=integration,
                data=event.data,
                body=json.dumps(event.data),
                source="webhook",
            )
    return payouts


def test_a_foreign_currency_payout_is_held_with_its_reason_and_never_sent(
    sagepro_agent, integration, sc, django_capture_on_commit_callbacks
):
    # given: a USD company, and Stripe paying out EUR, JPY and USD balances
    payouts = _payouts_of(
        sc,
        integration,
        django_capture_on_commit_callbacks,
        {"eur": 5000, "jpy": 7000, "usd": 2000},
    )
    journals = {
        r.stripe_id: r
        for r in SyncRecord.objects.filter(
            integration=integration, operation=SyncRecord.Operation.POST_JOURNAL
        )
    }

    # then: the USD journal is in glbtch; the EUR and JPY ones are held,
    # saying why and what to do, and the agent was never sent them
    assert journals[payouts["usd"]].status == SyncRecord.Status.SUCCEEDED
    for currency in ("eur", "jpy"):
        held = journals[payouts[currency]]
        assert held.status == SyncRecord.Status.HELD
        assert held.attempts == 0
        assert not SyncAttempt.objects.filter(record=held).exists()
        reason = held.hold_reason
        assert f"is in {currency.upper()}" in reason
        assert "home currency, USD" in reason
        assert "by hand" in reason
    written = {j["reference"] for j in sagepro_agent.books()["journals"]}
    assert written == {payouts["usd"]}

    # when: it is run again (a sweep), it stays held and unsent
    eur = journals[payouts["eur"]]
    with django_capture_on_commit_callbacks(execute=True):
        ledger.sync_record_run(record_id=eur.pk)
    eur.refresh_from_db()
    assert eur.status == SyncRecord.Status.HELD
    assert {j["reference"] for j in sagepro_agent.books()["journals"]} == {
        payouts["usd"]
    }


@pytest.mark.parametrize(
    ("currid", "home", "held"),
    [
        ("EUR", "USD", True),
        ("KWD", "USD", True),
        ("usd", "USD", False),
        ("JPY", "JPY", False),
        ("", "USD", False),  # the agent books it in its home currency
        ("EUR", "", False),  # an agent that does not say: it decides
    ],
)
def test_the_currency_rule(currid, home, held):
    payload = {"currid": currid, "reference": "po_1"}
    if held:
        with pytest.raises(HeldForReviewError) as caught:
            journal_currency_check(payload, reference="po_1", home_currency=home)
        assert caught.value.extra == {"currency": currid, "home_currency": home}
        assert f"journal po_1 is in {currid}" in caught.value.message
    else:
        journal_currency_check(payload, reference="po_1", home_currency=home)
