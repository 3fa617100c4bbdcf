"""GET /v1/account: the sandbox's own account, as a secret key's owner reads it.

The portal's guided setup retrieves it to show whose key was entered
(https://docs.stripe.com/api/accounts/retrieve). Only the fields the portal
shows are filled; the sandbox has one account.
"""

from typing import Any

from .params import reject_unknown

ACCOUNT_ID = "acct_ledgerbridgesandbox"


def account_retrieve(params: dict[str, Any]) -> dict[str, Any]:
    reject_unknown(params, {"expand"})
    return {
        "id": ACCOUNT_ID,
        "object": "account",
        "business_profile": {"name": "LedgerBridge Sandbox"},
        "charges_enabled": True,
        "country": "US",
        "default_currency": "usd",
        "details_submitted": True,
        "email": "finance@sandbox.example",
        "payouts_enabled": True,
        "settings": {"dashboard": {"display_name": "LedgerBridge Sandbox"}},
        "type": "standard",
    }
