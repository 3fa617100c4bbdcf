"""The customer portal's ERP readers, by `Connection.kind`.

A reader wraps the connection's connector (one per connection and process,
registry.connector_for), so portal reads share the ERP session the pipeline
uses. An ERP kind without a reader has no portal catalog.
"""

from collections.abc import Callable
from typing import Any

from integrations.connectors.catalog_records import PortalErp
from integrations.erps.sagepro.catalog import SageProCatalog
from integrations.erps.syspro.catalog import SysproCatalog
from integrations.models import Connection

from .registry import connector_for

READERS: dict[str, Callable[[Any], PortalErp]] = {
    "syspro": SysproCatalog,
    "sagepro": SageProCatalog,
}


def portal_erp_for(connection: Connection) -> PortalErp:
    """The reader of an ERP connection; KeyError for a kind without one."""
    return READERS[connection.kind](connector_for(connection))
