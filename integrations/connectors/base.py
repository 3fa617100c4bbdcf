"""The ERP connector contract and one connector per connection and process.

`ErpConnector` (protocol.py) and the canonical records it answers with
(records.py) are re-exported here for the pipeline; `connector_for` builds a
connection's connector with the factory its ERP package names in the registry
(integrations/erps/registry.py). The HTTP helpers the connectors share live
in http.py, below the ERP packages, so that a package never imports this
module (it sits above them).
"""

from integrations.erps.registry import erp_package
from integrations.models import Connection

from .protocol import ErpConnector
from .records import ErpCustomer, ErpDocument, ErpOrder, ErpPrice, ErpStock

__all__ = [
    "ErpConnector",
    "ErpCustomer",
    "ErpDocument",
    "ErpOrder",
    "ErpPrice",
    "ErpStock",
    "close_all",
    "connector_for",
]

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
