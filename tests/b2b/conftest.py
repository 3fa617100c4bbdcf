import datetime as dt

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model

from b2b.models import Buyer, Company
from integrations.connectors import http
from integrations.erps import registry
from integrations.models import Connection
from sandbox.syspro.seed import seed_catalog, seed_history
from tests.factories import IntegrationFactory
from tests.support.wsgi import wsgi_session

HOST = "http://testserver"
SYSPRO_URL = f"{HOST}/sandbox/syspro/SYSPROWCFService/Rest"
PASSWORD = "correct horse battery staple 18"


def _syspro_model(name: str) -> type:
    return apps.get_model("sandbox_syspro", name)


@pytest.fixture
def catalog_data(db):
    seed_catalog(_syspro_model)
    seed_history(_syspro_model, today=dt.date(2026, 11, 30))


@pytest.fixture
def sandbox_http():
    session = wsgi_session(HOST)
    yield session
    session.close()


@pytest.fixture
def live_integration(db, monkeypatch, keep_db_connection, catalog_data):
    """An integration whose SYSPRO connection is the in-process sandbox."""
    monkeypatch.setattr(http, "SESSION_FACTORY", lambda c: wsgi_session(HOST))
    registry.close_all()
    integration = IntegrationFactory(
        stripe_connection__base_url=f"{HOST}/sandbox/stripe",
        stripe_connection__secrets={"api_key": settings.SANDBOX_STRIPE_API_KEY},
        erp_connection__kind=Connection.Kind.SYSPRO,
        erp_connection__base_url=SYSPRO_URL,
        erp_connection__secrets={
            "operator_password": settings.SANDBOX_SYSPRO_OPERATOR_PASSWORD,
            "company_password": settings.SANDBOX_SYSPRO_COMPANY_PASSWORD,
        },
    )
    yield integration
    registry.close_all()


def make_buyer(company: Company, email: str, role: str = Buyer.Role.BUYER) -> Buyer:
    user = get_user_model().objects.create_user(
        username=email, email=email, password=PASSWORD
    )
    return Buyer.objects.create(user=user, company=company, role=role)


@pytest.fixture
def bayside(live_integration) -> Company:
    return Company.objects.create(
        integration=live_integration,
        erp_customer_code="0000001",
        name="Bayside Bikes",
        currency="USD",
        price_code="A",
        order_limit=500_000,
    )


@pytest.fixture
def contoso(live_integration) -> Company:
    return Company.objects.create(
        integration=live_integration,
        erp_customer_code="0000003",
        name="Contoso Retail",
        currency="EUR",
        price_code="E",
    )


@pytest.fixture
def bayside_buyer(bayside) -> Buyer:
    return make_buyer(bayside, "ana@bayside.example")


@pytest.fixture
def contoso_buyer(contoso) -> Buyer:
    return make_buyer(contoso, "carl@contoso.example")
