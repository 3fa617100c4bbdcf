"""Sage Pro's items reach Stripe through the real agent, in process, over its
generated Sage Pro tables (the reader the B2B portal uses)."""

import datetime as dt
import sys
from pathlib import Path

import pytest

from catalog_sync.models import CatalogLink
from catalog_sync.services import Action, catalog_sync_run
from integrations.erps.sagepro.catalog import SageProCatalog
from integrations.erps.sagepro.connector import SageProConnector
from integrations.models import Connection
from tests.support.wsgi import WSGIAdapter

AGENT_ROOT = Path(__file__).resolve().parents[2] / "agent"
if str(AGENT_ROOT) not in sys.path:
    sys.path.insert(0, str(AGENT_ROOT))

from ledgerbridge_agent.app import AgentApp  # noqa: E402
from ledgerbridge_agent.auth import KeyStore, rotate  # noqa: E402
from ledgerbridge_agent.generate import company_rows, write_dbf  # noqa: E402
from ledgerbridge_agent.hooks import Hooks  # noqa: E402
from ledgerbridge_agent.journal import Journal  # noqa: E402
from ledgerbridge_agent.layout import Layout  # noqa: E402
from ledgerbridge_agent.service import Agent  # noqa: E402
from ledgerbridge_agent.storage import DbfStore  # noqa: E402

pytestmark = pytest.mark.django_db
KEY = "agent-catalog-test-key-0123456789"


@pytest.fixture
def sagepro_reader(tmp_path):
    data = tmp_path / "data"
    write_dbf(data, "01", Layout.default(), company_rows(customers=2, items=6, seed=5))
    keys = tmp_path / "keys"
    rotate(keys, overlap=dt.timedelta(0), key=KEY)
    state = data / ".ledgerbridge-agent"
    state.mkdir()
    agent = Agent(
        store=DbfStore(data, "01", Layout.default()),
        journal=Journal(state / "journal01.sqlite3", Layout.default()),
        hooks=Hooks(enabled=False),
        company="01",
        home_currency="USD",
        lock_wait=0.0,
    )
    connection = Connection(
        pk=303,
        name="Sage Pro agent",
        kind=Connection.Kind.SAGEPRO,
        base_url="http://agent.test/api/v1",
        secrets={"api_key": KEY},
        timeout_seconds=5,
    )
    connector = SageProConnector(connection)
    connector.session.mount(
        "http://agent.test", WSGIAdapter(AgentApp(agent, KeyStore(keys)))
    )
    yield SageProCatalog(connector)
    agent.journal.close()


def test_sagepro_items_become_products_and_prices_once(integration, sagepro_reader):
    integration.erp_connection.kind = Connection.Kind.SAGEPRO
    integration.erp_connection.save(update_fields=["kind"])
    items = sagepro_reader.price_list(price_code="T", currency="USD")

    plan = catalog_sync_run(
        integration=integration, dry_run=False, reader=sagepro_reader
    )

    created = {c.erp_item for c in plan.changes if c.action == Action.CREATE}
    refused = {c.erp_item for c in plan.changes if c.action == Action.REFUSED}
    assert created | refused == {item.code for item in items} and created
    for item in items:
        if item.code in created:
            link = CatalogLink.objects.get(erp_item=item.code)
            assert link.unit_amount == int(item.price * 100)
    again = catalog_sync_run(
        integration=integration, dry_run=False, reader=sagepro_reader
    )
    assert {c.action for c in again.changes} <= {Action.REFUSED}
    assert again.unchanged == len(created)
