import json
from pathlib import Path

import pytest

from integrations.models import Connection, Integration
from mapping import services

# The suggester's labelled data (bench/suggest.py); every version carries the
# same Stripe objects.
SUGGEST_DATA = Path(__file__).resolve().parents[2] / "bench/data/suggest_v130.json"


@pytest.fixture(autouse=True)
def _fresh_compiled_cache():
    services._CACHE.clear()
    yield
    services._CACHE.clear()


def make_integration(kind: str = "syspro", name: str = "Main", **options):
    stripe = Connection.objects.create(name=f"{name} Stripe", kind="stripe")
    erp = Connection.objects.create(
        name=f"{name} ERP", kind=kind, base_url="http://testserver/sandbox/x"
    )
    return Integration.objects.create(
        name=name,
        stripe_connection=stripe,
        erp_connection=erp,
        flows=["charges", "refunds", "disputes", "customers", "invoices", "payouts"],
        options=options,
    )


@pytest.fixture
def syspro_integration(db):
    return make_integration("syspro", "SYSPRO pair")


@pytest.fixture
def sagepro_integration(db):
    return make_integration("sagepro", "Sage pair")


@pytest.fixture(scope="session")
def samples():
    """The Stripe objects, by type, that the labelled pairs are mapped from."""
    return json.loads(SUGGEST_DATA.read_text())["stripe_samples"]
