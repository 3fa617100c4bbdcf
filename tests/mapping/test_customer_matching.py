"""Go-live customer matching through the ERP listings, the service and the admin."""

import pytest
import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse

from integrations.connectors import http, stripe_api
from integrations.connectors.records import ErpCustomer
from integrations.connectors.stripe_api import StripeApi
from integrations.erps.sagepro.connector import SageProConnector
from integrations.erps.sagepro.listing import list_customers as sagepro_customers
from integrations.erps.syspro.connector import SysproConnector
from integrations.erps.syspro.listing import list_customers as syspro_customers
from integrations.models import AuditEntry, Connection, CustomerLink, Integration
from mapping.customer_matching import (
    customer_match_proposal,
    customer_matches_accept,
    parse_accepted,
)
from mapping.matching import StripeCustomer
from portal.exceptions import ApplicationError
from portal.outbound import GuardedHTTPAdapter
from tests.integrations.connectors.conftest import SANDBOX_HOST
from tests.support.wsgi import wsgi_session

from .conftest import make_integration

pytestmark = pytest.mark.django_db


@pytest.fixture
def sandbox_http():
    session = wsgi_session(SANDBOX_HOST)
    yield session
    session.close()


def test_sage_pro_lists_its_customers_as_canonical_records(sagepro_agent):
    connection = Connection(
        pk=311,
        name="Sage Pro agent",
        kind=Connection.Kind.SAGEPRO,
        base_url=sagepro_agent.base_url,
        secrets={"api_key": sagepro_agent.key},
        timeout_seconds=10,
    )
    connector = SageProConnector(connection)
    connector.request(
        "PUT",
        "customers/0000001",
        body={"email": "ap@bayside.example", "zip": "94016", "phone": "415 555 0100"},
    )
    found = {c.code: c for c in sagepro_customers(connector)}
    assert found["0000001"].email == "ap@bayside.example"
    assert found["0000001"].postal_code == "94016"
    assert all(isinstance(c, ErpCustomer) for c in found.values())


def test_syspro_reads_the_named_customers_one_arsqry_at_a_time(sandbox_http):
    connection = Connection(
        pk=111,
        name="SYSPRO sandbox",
        kind=Connection.Kind.SYSPRO,
        base_url=f"{SANDBOX_HOST}/sandbox/syspro/SYSPROWCFService/Rest",
        config={
            "operator": settings.SANDBOX_SYSPRO_OPERATOR,
            "company_id": settings.SANDBOX_SYSPRO_COMPANY,
        },
        secrets={
            "operator_password": settings.SANDBOX_SYSPRO_OPERATOR_PASSWORD,
            "company_password": settings.SANDBOX_SYSPRO_COMPANY_PASSWORD,
        },
        timeout_seconds=5,
    )
    connector = SysproConnector(connection, session=sandbox_http)
    try:
        found = syspro_customers(connector, codes=("0000001", "9999999"))
    finally:
        connector.close()
    assert [c.code for c in found] == ["0000001"]
    assert found[0].name


def test_accepted_matches_become_audited_customer_links_once():
    integration = make_integration()
    user = get_user_model().objects.create_user("finance", password="x")
    created, skipped = customer_matches_accept(
        integration=integration,
        pairs=[("cus_1", "C001"), ("cus_2", "C002")],
        actor=user,
    )
    assert (created, skipped) == (2, [])
    assert AuditEntry.objects.filter(action="customer_link.matched").count() == 2
    # again, and with another code for cus_1: nothing is overwritten
    created, skipped = customer_matches_accept(
        integration=integration,
        pairs=[("cus_1", "C009"), ("cus_2", "C002")],
        actor=user,
    )
    assert created == 0
    assert skipped == ["cus_1 is already linked to C001"]
    assert CustomerLink.objects.get(stripe_customer_id="cus_1").erp_customer_code == (
        "C001"
    )


def test_already_linked_customers_are_left_out_of_the_proposal():
    integration = make_integration()
    CustomerLink.objects.create(
        integration=integration, stripe_customer_id="cus_1", erp_customer_code="C1"
    )
    proposal = customer_match_proposal(
        integration=integration,
        erp_customers=[
            ErpCustomer("C1", "Alpha", "a@x.example"),
            ErpCustomer("C2", "Beta", "b@x.example"),
        ],
        stripe_customers=[
            StripeCustomer("cus_1", "Alpha", "a@x.example"),
            StripeCustomer("cus_2", "Beta", "b@x.example"),
        ],
    )
    assert [(m.erp_code, m.stripe_id) for m in proposal.matches] == [("C2", "cus_2")]


@pytest.mark.parametrize("value", ["cus_1", "ch_1|C1", "cus_1|", "cus_1|" + "9" * 30])
def test_a_malformed_accepted_value_is_refused(value):
    with pytest.raises(ApplicationError):
        parse_accepted([value])


def test_the_review_screen_links_the_ticked_matches(client):
    integration = make_integration()
    admin = get_user_model().objects.create_superuser("boss", password="x")
    client.force_login(admin)
    url = reverse("admin:mapping_mappingset_customer_matching")
    page = client.get(url, {"integration": integration.pk})
    assert page.status_code == 200
    assert b"Match ERP customers with Stripe customers" in page.content
    response = client.post(
        url, {"integration": integration.pk, "match": ["cus_7|C007"]}
    )
    assert response.status_code == 302
    assert CustomerLink.objects.get(stripe_customer_id="cus_7").erp_customer_code == (
        "C007"
    )
    refused = client.post(url, {"integration": integration.pk, "match": ["bad"]})
    assert refused.status_code == 302
    assert CustomerLink.objects.count() == 1


def test_the_review_screen_needs_the_right_to_link_customers(client):
    make_integration()
    clerk = get_user_model().objects.create_user("clerk", password="x", is_staff=True)
    client.force_login(clerk)
    response = client.get(reverse("admin:mapping_mappingset_customer_matching"))
    assert response.status_code == 403


def test_a_syspro_run_without_codes_says_what_to_give(client):
    integration = make_integration("syspro")
    admin = get_user_model().objects.create_superuser("boss", password="x")
    client.force_login(admin)
    page = client.get(
        reverse("admin:mapping_mappingset_customer_matching"),
        {"integration": integration.pk, "run": "1"},
    )
    assert page.status_code == 200
    assert b"one code at a time" in page.content


def _stripe_in_process_agent_over_loopback(connection: Connection):
    """The Stripe sandbox in process; the Sage Pro agent over loopback."""
    if connection.kind == Connection.Kind.STRIPE:
        return wsgi_session(SANDBOX_HOST)
    session = requests.Session()
    session.mount("http://", GuardedHTTPAdapter(max_retries=0))
    return session


def test_end_to_end_the_screen_proposes_email_matches_from_the_sandbox_and_agent(
    client, monkeypatch, sagepro_agent
):
    # given: a Sage Pro customer (in the agent's arcust table) and a Stripe
    # customer sharing an email
    monkeypatch.setattr(http, "SESSION_FACTORY", _stripe_in_process_agent_over_loopback)
    monkeypatch.setattr(stripe_api, "MAX_NETWORK_RETRIES", 0)
    stripe_connection = Connection.objects.create(
        name="Stripe sandbox",
        kind=Connection.Kind.STRIPE,
        base_url=f"{SANDBOX_HOST}/sandbox/stripe",
        secrets={"api_key": settings.SANDBOX_STRIPE_API_KEY},
        timeout_seconds=5,
    )
    erp_connection = Connection.objects.create(
        name="Sage Pro agent",
        kind=Connection.Kind.SAGEPRO,
        base_url=sagepro_agent.base_url,
        secrets={"api_key": sagepro_agent.key},
        timeout_seconds=10,
    )
    SageProConnector(erp_connection).request(
        "PUT", "customers/0000001", body={"email": "ap@bayside.example"}
    )
    [arcust] = [
        c for c in sagepro_agent.books()["customers"] if c["custno"] == "0000001"
    ]
    integration = Integration.objects.create(
        name="Go-live",
        stripe_connection=stripe_connection,
        erp_connection=erp_connection,
        flows=["customers"],
    )
    api = StripeApi(stripe_connection)
    stripe_id = api.v1.customers.create(
        {"name": arcust["company"], "email": "AP@bayside.example"}
    ).id
    admin = get_user_model().objects.create_superuser("boss", password="x")
    client.force_login(admin)
    url = reverse("admin:mapping_mappingset_customer_matching")
    # when
    page = client.get(url, {"integration": integration.pk, "run": "1"})
    # then
    body = page.content.decode()
    assert page.status_code == 200, body
    assert f'value="{stripe_id}|0000001" checked' in body
    assert "<strong>email</strong> (proposed)" in body
    client.post(url, {"integration": integration.pk, "match": [f"{stripe_id}|0000001"]})
    assert CustomerLink.objects.get(integration=integration).stripe_customer_id == (
        stripe_id
    )
