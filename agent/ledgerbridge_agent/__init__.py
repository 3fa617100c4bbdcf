"""LedgerBridge agent: serves the /api/v1 contract over Sage Pro ERP's tables.

A separate package: it imports nothing of the LedgerBridge portal.
"""

__version__ = "0.1.0"
