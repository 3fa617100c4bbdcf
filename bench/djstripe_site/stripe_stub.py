"""A loopback stand-in for the few Stripe API reads dj-stripe makes on receipt.

dj-stripe syncs a charge event by retrieving the charge (with its balance
transaction expanded) and, the first time, the account and payment method.
This answers those from Stripe's published charge example so that nothing
leaves the machine. Real Stripe would add a network round trip per call.
"""

import json
import os
import sys
import time
from pathlib import Path

_CHARGE = json.loads(Path(os.environ["DJSTRIPE_SITE_CHARGE_FIXTURE"]).read_text())
_CREATED = int(time.time())
_ACCOUNT = {
    "id": "acct_benchloopback",
    "object": "account",
    "business_profile": {"name": "LedgerBridge bench"},
    "business_type": "company",
    "capabilities": {},
    "charges_enabled": True,
    "country": "US",
    "created": _CREATED,
    "default_currency": "usd",
    "details_submitted": True,
    "email": "bench@example.com",
    "metadata": {},
    "payouts_enabled": True,
    "settings": {
        "branding": {"icon": None, "logo": None},
        "dashboard": {"display_name": "Bench", "timezone": "Etc/UTC"},
        "payments": {"statement_descriptor": "BENCH"},
    },
    "type": "standard",
}


def _balance_transaction(txn_id):
    return {
        "id": txn_id,
        "object": "balance_transaction",
        "amount": 1999,
        "available_on": _CREATED,
        "created": _CREATED,
        "currency": "usd",
        "description": None,
        "exchange_rate": None,
        "fee": 88,
        "fee_details": [
            {
                "amount": 88,
                "application": None,
                "currency": "usd",
                "description": "Stripe processing fees",
                "type": "stripe_fee",
            }
        ],
        "net": 1911,
        "reporting_category": "charge",
        "source": _CHARGE["id"],
        "status": "available",
        "type": "charge",
    }


def _payment_method(pm_id):
    return {
        "id": pm_id,
        "object": "payment_method",
        "billing_details": _CHARGE["billing_details"],
        "card": {
            "brand": "visa",
            "checks": {},
            "country": "US",
            "exp_month": 8,
            "exp_year": 2030,
            "fingerprint": "Xt5EWLLDS7FJjR1c",
            "funding": "credit",
            "last4": "4242",
            "networks": {"available": ["visa"], "preferred": None},
            "wallet": None,
        },
        "created": _CREATED,
        "customer": None,
        "livemode": False,
        "metadata": {},
        "type": "card",
    }


def _charge(charge_id, query):
    charge = dict(_CHARGE, id=charge_id)
    if "balance_transaction" in query:
        charge["balance_transaction"] = _balance_transaction(
            _CHARGE["balance_transaction"]
        )
    return charge


def _answer(path, query):
    parts = path.strip("/").split("/")
    if parts == ["v1", "account"]:
        return _ACCOUNT
    if len(parts) == 3 and parts[0] == "v1":
        collection, object_id = parts[1], parts[2]
        if collection == "charges":
            return _charge(object_id, query)
        if collection == "balance_transactions":
            return _balance_transaction(object_id)
        if collection == "payment_methods":
            return _payment_method(object_id)
    return None


def application(environ, start_response):
    path, query = environ.get("PATH_INFO", ""), environ.get("QUERY_STRING", "")
    found = _answer(path, query)
    if found is None:
        # Say what dj-stripe asked for that the stub cannot answer.
        print(f"stripe stub: no answer for {path}?{query}", file=sys.stderr)
        status = "404 Not Found"
        found = {"error": {"type": "invalid_request_error", "message": path}}
    else:
        status = "200 OK"
    body = json.dumps(found).encode()
    start_response(
        status,
        [("Content-Type", "application/json"), ("Content-Length", str(len(body)))],
    )
    return [body]
