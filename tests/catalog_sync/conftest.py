import pytest
from django.apps import apps
from django.conf import settings

from integrations.connectors import http
from integrations.erps import registry
from integrations.models import Connection
from tests.factories import IntegrationFactory
from tests.support.wsgi import wsgi_session

HOST = "http://testserver"
SYSPRO_URL = f"{HOST}/sandbox/syspro/SYSPROWCFService/Rest"


def syspro_model(name: str) -> type:
    return apps.get_model("sandbox_syspro", name)


@pytest.fixture
def integration(db, monkeypatch, keep_db_connection):
    """SYSPRO and Stripe are the in-process sandboxes, reached over WSGI."""
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
    integration.options = {
        **integration.options,
        "catalog_sync": {"price_code": "T", "currency": "usd"},
    }
    integration.save(update_fields=["options"])
    yield integration
    registry.close_all()
