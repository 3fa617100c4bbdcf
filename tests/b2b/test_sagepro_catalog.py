"""The Sage Pro portal reader against the real agent, in process, over its
generated Sage Pro tables (agent/: the agent the demo and the tests run)."""

import datetime as dt
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from integrations.connectors.catalog_records import NewOrder, NewOrderLine
from integrations.erps.sagepro.catalog import SageProCatalog
from integrations.erps.sagepro.connector import SageProConnector, rows_of
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

KEY = "agent-portal-test-key-0123456789"
HOST = "http://testserver"


@pytest.fixture
def reader(tmp_path):
    data = tmp_path / "data"
    write_dbf(data, "01", Layout.default(), company_rows(customers=4, items=8, seed=3))
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
        pk=202,
        name="Sage Pro agent",
        kind=Connection.Kind.SAGEPRO,
        base_url=f"{HOST}/api/v1",
        secrets={"api_key": KEY},
        timeout_seconds=5,
    )
    connector = SageProConnector(connection)
    connector.session.mount(HOST, WSGIAdapter(AgentApp(agent, KeyStore(keys))))
    yield SageProCatalog(connector)
    agent.journal.close()


def customers(reader) -> list[str]:
    rows = rows_of(reader.connector.request("GET", "customers"))
    return sorted(row["custno"] for row in rows)


def test_items_prices_and_an_order_written_once(reader):
    custno, other = customers(reader)[:2]
    items = reader.price_list(price_code="", currency="USD")
    assert items and all(item.price > 0 for item in items)
    prices = reader.contract_prices(customer_code=custno)
    assert {p.code for p in prices} <= {item.code for item in items}

    order = NewOrder(
        reference="LBP-00000042",
        customer_code=custno,
        currency="USD",
        date="2026-12-01",
        lines=(
            NewOrderLine(code=items[0].code, quantity=3, unit="", price=items[0].price),
        ),
    )
    first = reader.place_order(order)
    again = reader.place_order(order)
    assert again.number == first.number and again.adopted

    summaries = reader.orders(customer_code=custno)
    assert [s.number for s in summaries if s.reference == order.reference] == [
        first.number
    ]
    detail = reader.order(customer_code=custno, number=first.number)
    assert detail.lines[0].code == items[0].code
    assert detail.summary.total == items[0].price * 3
    assert reader.order(customer_code=other, number=first.number) is None

    statement = reader.statement(customer_code=custno)
    assert statement.customer_code == custno
    assert statement.balance == sum((i.balance for i in statement.invoices), Decimal(0))
