"""One client module per external system behind the ERP protocol in base.py.

Importing the package registers the ERP connectors by kind, so anything that
reaches `base.connector_for` (itself under this package) finds them.
"""

from . import sagepro, syspro  # noqa: F401
