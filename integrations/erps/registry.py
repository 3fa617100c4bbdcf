"""The ERP packages LedgerBridge can connect to, by `Connection.kind`, and
one connector per connection and process built from them.

Adding an ERP is one package under integrations/erps/<kind>/ and one line
here (plus its `Connection.Kind` choice and the migration that records it).
"""

from integrations.connectors.protocol import ErpConnector
from integrations.erps import sagepro, syspro
from integrations.models import Connection

from .package import ErpPackage

ERPS: dict[str, ErpPackage] = {
    syspro.PACKAGE.kind: syspro.PACKAGE,
    sagepro.PACKAGE.kind: sagepro.PACKAGE,
}


def erp_package(kind: str) -> ErpPackage:
    """The package of an ERP kind; KeyError for a kind that is not an ERP."""
    return ERPS[kind]


_instances: dict[tuple[int, str], ErpConnector] = {}


def connector_for(connection: Connection) -> ErpConnector:
    """One connector per connection and process, so ERP sessions are reused.

    A change to the connection (new password, new URL) gives a new instance.
    """
    key = (connection.pk, connection.updated_at.isoformat())
    connector = _instances.get(key)
    if connector is None:
        for stale_key in [k for k in _instances if k[0] == connection.pk]:
            _instances.pop(stale_key).close()
        connector = erp_package(connection.kind).connector(connection)
        _instances[key] = connector
    return connector


def close_all() -> None:
    while _instances:
        _, connector = _instances.popitem()
        connector.close()
