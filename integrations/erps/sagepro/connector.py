"""Sage Pro connector over the LedgerBridge REST contract `/api/v1/`.

Sage Pro has no web API of its own; PROTOCOLS.md §2 defines the REST contract
whose field names follow Sage Pro's tables (arcust, somast, armast …). Errors
come as `{"error": {"code", "message", "field"}}` with the HTTP status saying
what kind they are.

Writes are exactly-once: each looks its Stripe reference up first
(`?ponum=` for orders and invoices, `?reference=` for cash receipts, credit
memos and journal entries) and adopts what it finds, except on a record's
first send (`never_sent`, protocol.py), which nothing can have written yet;
a 409 on create (the agent refuses a reference it holds, PROTOCOLS.md §2)
means the document exists, so it is looked up again and adopted. A POST
whose reply was lost after it left (read timeout, reset, 500, 502, 504)
raises UnknownOutcomeError; the package declares every write can be looked
up, so the ledger retries it and the lookup adopts what was committed.
"""

import json
import logging
import re
import time
from collections.abc import Mapping
from decimal import Decimal
from typing import Any
from urllib.parse import quote

import requests

from integrations import periods
from integrations.canonical import SubscriptionState
from integrations.connectors.errors import (
    AuthenticationError,
    ConnectorError,
    DuplicateError,
    NotFoundError,
    RateLimitedError,
    TransientError,
    ValidationError,
)
from integrations.connectors.http import (
    REPLY_LOST_STATUSES,
    base_url_checked,
    http_session_for,
    outbound_refusal,
    rate_limit_waited,
    reply_lost,
    transport_failure,
)
from integrations.connectors.records import (
    ErpAddress,
    ErpCustomer,
    ErpDocument,
    ErpOrder,
    ErpPrice,
    ErpStock,
    decimal_or_none,
)
from integrations.models import Connection
from portal.money import to_decimal
from portal.outbound import OutboundUrlRefused

from .journals import journal_currency_check

logger = logging.getLogger(__name__)

# Keys a list endpoint may wrap its rows in.
LIST_KEYS = ("data", "results", "items")
# Field names a created document's number may come back under, per endpoint.
NUMBER_FIELDS = {
    "customers": ("custno",),
    "salesorders": ("sono",),
    "invoices": ("invno",),
    # Receipts, memos and journal entries are numbered by their row id; a
    # memo's invno is the document it credits, not its own number.
    "cashreceipts": ("receiptno", "id"),
    "creditmemos": ("memono", "id"),
    "journalentries": ("entryno", "id"),
}


# Writes that create: a lost reply may hide a document. A PUT of a customer
# sets the same values when sent twice, so it is repeated like a read.
WRITE_METHODS = frozenset({"POST"})
# The agent's arsubs.plan is C(30) by default; a longer plan text is cut.
SUBSCRIPTION_PLAN_LENGTH = 30
# A customer's terms and currency are the company's to manage once the
# account exists: the template sets them on a new customer, and an update
# leaves them out, so a Stripe profile change never resets what finance set.
CUSTOMER_SET_ON_CREATE = frozenset({"pterms", "currid"})


def rows_of(body: Any) -> list[dict]:
    """The rows of a list reply: a bare list or one wrapped under a known key."""
    if isinstance(body, list):
        return [row for row in body if isinstance(row, dict)]
    if isinstance(body, dict):
        for key in LIST_KEYS:
            if isinstance(body.get(key), list):
                return [row for row in body[key] if isinstance(row, dict)]
    return []


def object_of(body: Any) -> dict:
    """A single object reply, bare or wrapped under "data"."""
    if isinstance(body, dict) and isinstance(body.get("data"), dict):
        return body["data"]
    return body if isinstance(body, dict) else {}


def number_of(resource: str, document: Mapping[str, Any]) -> str:
    for name in NUMBER_FIELDS[resource]:
        value = document.get(name)
        if value not in (None, ""):
            return str(value)
    return ""


def error_of(response: requests.Response) -> tuple[str, str, str]:
    """(code, message, field) of an error reply in the contract's error shape.

    Any other body is not repeated: a base URL pointed at some other service
    must not copy that service's reply into the ledger; the message is then
    empty and the caller names the HTTP status.
    """
    try:
        body = response.json()
    except ValueError:
        return "", "", ""
    error = body.get("error") if isinstance(body, dict) else None
    if isinstance(error, dict):
        return (
            str(error.get("code") or ""),
            str(error.get("message") or ""),
            str(error.get("field") or ""),
        )
    if isinstance(error, str):
        return "", error, ""
    return "", "", ""


def resource_path(*segments: str) -> str:
    """A path of percent-encoded segments: a key holding `/`, `?` or `#` stays
    one segment (`customers/../salesorders/SO1` must not name another
    resource).

    `.` and `..` cannot be sent as one segment (requests decodes `%2E` again
    and urllib3 then resolves the dot segment), and an empty key would name
    the whole list, so such keys are refused.
    """
    for segment in segments:
        if segment.strip() in ("", ".", ".."):
            raise ValidationError(
                "Sage Pro: a document key is empty or a dot segment",
                field="key",
                value=segment,
            )
    return "/".join(quote(segment, safe="") for segment in segments)


class SageProConnector:
    kind = "sagepro"

    def __init__(
        self, connection: Connection, *, session: requests.Session | None = None
    ) -> None:
        self.connection_id = connection.pk
        self.base_url = connection.base_url.rstrip("/")
        self.timeout = connection.timeout_seconds
        self._api_key = str((connection.secrets or {}).get("api_key", ""))
        self.session = session or http_session_for(connection)
        self._home_currency: str | None = None

    def __repr__(self) -> str:
        return f"<SageProConnector connection={self.connection_id} {self.base_url}>"

    def close(self) -> None:
        self.session.close()

    # --- transport ---------------------------------------------------------

    def _url(self, path: str) -> str:
        # base_url may be the server root or already end in /api/v1.
        root = base_url_checked(self.base_url, connection_id=self.connection_id)
        if not root.endswith("/api/v1"):
            root = f"{root}/api/v1"
        return f"{root}/{path.lstrip('/')}"

    def request(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str] | None = None,
        body: Mapping[str, Any] | None = None,
    ) -> Any:
        """One call, sent again while Sage Pro asks us to wait (rate limit)."""
        return rate_limit_waited(
            lambda: self._request_once(method, path, params=params, body=body)
        )

    def _request_once(
        self,
        method: str,
        path: str,
        *,
        params: Mapping[str, str] | None = None,
        body: Mapping[str, Any] | None = None,
    ) -> Any:
        url = self._url(path)
        started = time.monotonic()
        try:
            response = self.session.request(
                method,
                url,
                params=params,
                json=body,
                headers={
                    "Authorization": f"Bearer {self._api_key}",
                    "Accept": "application/json",
                },
                timeout=self.timeout,
                # A redirect would carry the API key to wherever it points.
                allow_redirects=False,
            )
        except OutboundUrlRefused as exc:
            raise outbound_refusal(exc, connection_id=self.connection_id) from None
        except requests.RequestException as exc:
            raise transport_failure(
                exc,
                erp="Sage Pro",
                write=method in WRITE_METHODS,
                what=f"{method} {path}",
                timeout=self.timeout,
                extra={"path": path, "method": method},
            ) from exc
        logger.debug(
            "Sage Pro call",
            extra={
                "connection_id": self.connection_id,
                "method": method,
                "path": path,
                "status": response.status_code,
                "duration_ms": int((time.monotonic() - started) * 1000),
            },
        )
        if 300 <= response.status_code < 400:
            raise ConnectorError(
                f"Sage Pro answered {method} {path} with a redirect "
                f"(HTTP {response.status_code}); set the connection's base URL "
                "to the address the API answers on.",
                {"path": path, "status": response.status_code},
            )
        if response.status_code < 400:
            if not response.content:
                return {}
            try:
                return response.json()
            except ValueError as exc:
                text = f"Sage Pro answered {method} {path} with a body that is not JSON"
                if method in WRITE_METHODS:
                    # A 2xx to a create: the document exists, its number is lost.
                    raise reply_lost(
                        erp="Sage Pro",
                        what=f"{method} {path}",
                        cause=text,
                        extra={"path": path, "status": response.status_code},
                    ) from exc
                raise TransientError(text, {"path": path}) from exc
        raise self._error(method, path, response)

    def _error(
        self, method: str, path: str, response: requests.Response
    ) -> ConnectorError:
        status = response.status_code
        code, message, field = error_of(response)
        message = message or f"HTTP {status}"
        extra = {"path": path, "method": method, "status": status, "code": code}
        text = f"Sage Pro: {message}"
        if status in (401, 403):
            return AuthenticationError(text, extra)
        if status == 404:
            return NotFoundError(text, extra, field=field)
        if status == 409:
            return DuplicateError(text, extra, field=field)
        if status in (423, 429):
            # 423: a record or table another Sage Pro user holds locked. The
            # agent answers it before it writes anything, so the call is sent
            # again after Retry-After, as for a rate limit (README, "Sage Pro
            # agent", Locks).
            return RateLimitedError(
                text, retry_after=_retry_after(response), extra=extra
            )
        if method in WRITE_METHODS and status in REPLY_LOST_STATUSES:
            return reply_lost(
                erp="Sage Pro", what=f"{method} {path}", cause=text, extra=extra
            )
        if status >= 500:
            return TransientError(text, extra)
        value = ""
        if field and isinstance(response.request.body, bytes | str):
            value = _sent_value(response.request.body, field)
        return ValidationError(text, extra, field=field, value=value)

    # --- lookups -----------------------------------------------------------

    def _list(self, resource: str, params: Mapping[str, str]) -> list[dict]:
        return rows_of(self.request("GET", resource, params=params))

    def _get_one(self, resource: str, number: str) -> dict | None:
        try:
            return object_of(self.request("GET", resource_path(resource, number)))
        except NotFoundError:
            return None

    def _find(
        self, resource: str, key: str, value: str, *, prefer: Mapping[str, str]
    ) -> dict | None:
        """The row whose `key` equals `value`; if several, the one matching `prefer`."""
        rows = [
            row
            for row in self._list(resource, {key: value})
            if _str(row.get(key)) == value
        ]
        for row in rows:
            if all(_str(row.get(k)) == v for k, v in prefer.items() if v):
                return row
        return rows[0] if rows else None

    def find_customer(self, *, code: str = "", email: str = "") -> ErpCustomer | None:
        row = self._customer_row(code=code, email=email)
        return customer_of_row(row) if row is not None else None

    def _customer_row(self, *, code: str = "", email: str = "") -> dict | None:
        if code:
            found = self._get_one("customers", code)
            if found:
                return found
        if email:
            for row in self._list("customers", {"email": email}):
                if _str(row.get("email")).lower() == email.lower():
                    return row
        return None

    def customer_prices(self, customer_code: str) -> list[ErpPrice]:
        """Contract prices, where the server offers `/customers/{custno}/prices`.

        The `/api/v1/` contract has no price endpoint of its own; a server
        without one answers 404, which means "no customer-specific prices".
        """
        try:
            rows = rows_of(
                self.request("GET", resource_path("customers", customer_code, "prices"))
            )
        except NotFoundError:
            return []
        prices = []
        for row in rows:
            price = decimal_or_none(row.get("price"))
            if price is not None:
                prices.append(
                    ErpPrice(
                        stock_code=_str(row.get("item")),
                        price=price,
                        currency=_str(row.get("currid")).upper(),
                        description=_str(row.get("descrip")),
                    )
                )
        return prices

    def customer_orders(self, customer_code: str) -> list[ErpOrder]:
        return [
            ErpOrder(
                number=_str(row.get("sono")),
                customer_code=_str(row.get("custno")) or customer_code,
                reference=_str(row.get("ponum")),
                date=_str(row.get("ordate")),
                currency=_str(row.get("currid")).upper(),
                total=decimal_or_none(row.get("ordamt")),
                status=_str(row.get("sostat")),
            )
            for row in self._list("salesorders", {"custno": customer_code})
        ]

    def stock(self, stock_code: str) -> ErpStock:
        row = object_of(self.request("GET", resource_path("items", stock_code)))
        return ErpStock(
            code=_str(row.get("item")) or stock_code,
            description=_str(row.get("descrip")),
            price=decimal_or_none(row.get("price")),
        )

    # --- writes ------------------------------------------------------------

    def _create_once(
        self,
        resource: str,
        payload: dict,
        *,
        key: str,
        value: str,
        prefer: Mapping[str, str],
        reference: str,
        never_sent: bool = False,
    ) -> ErpDocument:
        """Look `value` up under `key` (unless `never_sent`), adopt it if
        found, else POST it."""
        found = None if never_sent else self._find(resource, key, value, prefer=prefer)
        if found:
            return ErpDocument(number_of(resource, found), found, adopted=True)
        body = {**payload, key: value}
        try:
            created = object_of(self.request("POST", resource, body=body))
        except DuplicateError as exc:
            # Someone else created it between our lookup and our POST, or it
            # was written before a first send the ledger could not know of.
            found = self._find(resource, key, value, prefer=prefer)
            if found:
                return ErpDocument(number_of(resource, found), found, adopted=True)
            raise exc
        number = number_of(resource, created)
        if not number:
            raise ValidationError(
                f"Sage Pro created a {resource} document but returned no number",
                {"reply": created},
            )
        logger.info(
            "Sage Pro document created",
            extra={
                "connection_id": self.connection_id,
                "resource": resource,
                "reference": reference,
                "erp_number": number,
            },
        )
        return ErpDocument(number, created)

    def upsert_customer(
        self,
        payload: dict,
        *,
        reference: str,
        looked_up: bool = False,
        create_only: bool = False,
    ) -> ErpDocument:
        code = _str(payload.get("custno"))
        existing = (
            None
            if looked_up or create_only
            else self._customer_row(code=code, email=_str(payload.get("email")))
        )
        if existing:
            code = _str(existing.get("custno")) or code
            # Send only what the payload knows: blanks would erase ERP data.
            changes = {
                k: v
                for k, v in payload.items()
                if v not in (None, "") and k not in CUSTOMER_SET_ON_CREATE
            }
            changes.pop("custno", None)
            updated = object_of(
                self.request("PUT", resource_path("customers", code), body=changes)
            )
            return ErpDocument(code, updated or existing, adopted=True)
        try:
            created = object_of(self.request("POST", "customers", body=payload))
        except DuplicateError:
            if create_only:
                raise
            found = self._customer_row(code=code, email=_str(payload.get("email")))
            if not found:
                raise
            return ErpDocument(_str(found.get("custno")), found, adopted=True)
        number = _str(created.get("custno")) or code
        logger.info(
            "Sage Pro customer created",
            extra={
                "connection_id": self.connection_id,
                "reference": reference,
                "erp_number": number,
            },
        )
        return ErpDocument(number, created)

    def customer_subscription_write(
        self,
        state: SubscriptionState,
        *,
        customer_code: str,
        fields: Mapping[str, str],
    ) -> ErpDocument:
        """PUT /api/v1/customers/{custno}/subscription: the agent keeps one row
        per customer (its `arsubs` table, named in its layout, so `fields`
        has nothing to rename here). A PUT sets the same row when sent twice,
        so a lost reply is retried (only POST is a write that may be unknown)."""
        end = (
            periods.business_date(
                state.current_period_end, zone_name=state.zone
            ).isoformat()
            if state.current_period_end
            else None
        )
        body = {
            "subscription": state.stripe_id,
            "plan": state.plan[:SUBSCRIPTION_PLAN_LENGTH],
            "status": state.status,
            "period_end": end,
            "mrr": f"{to_decimal(state.mrr, state.currency):f}",
            "currid": state.currency,
        }
        path = resource_path("customers", customer_code, "subscription")
        row = object_of(self.request("PUT", path, body=body))
        return ErpDocument(customer_code, row)

    def create_sales_order(
        self, payload: dict, *, reference: str, never_sent: bool = False
    ) -> ErpDocument:
        body = {k: v for k, v in payload.items() if k != "sono" or v}
        return self._create_once(
            "salesorders",
            body,
            key="ponum",
            value=_str(payload.get("ponum")) or reference,
            prefer={"custno": _str(payload.get("custno"))},
            reference=reference,
            never_sent=never_sent,
        )

    def create_invoice(
        self, payload: dict, *, reference: str, never_sent: bool = False
    ) -> ErpDocument:
        body = {k: v for k, v in payload.items() if k != "invno" or v}
        return self._create_once(
            "invoices",
            body,
            key="ponum",
            value=_str(payload.get("ponum")) or reference,
            prefer={"custno": _str(payload.get("custno"))},
            reference=reference,
            never_sent=never_sent,
        )

    def post_payment(
        self, payload: dict, *, reference: str, never_sent: bool = False
    ) -> ErpDocument:
        applications = payload.get("applications") or []
        if not applications:
            return self._by_reference(
                "cashreceipts", payload, reference, never_sent=never_sent
            )
        return self._receipts_applied(
            payload, applications, reference, never_sent=never_sent
        )

    def _receipts_applied(
        self,
        payload: dict,
        applications: list[dict],
        reference: str,
        *,
        never_sent: bool = False,
    ) -> ErpDocument:
        """One charge paying several invoices: one cash receipt per invoice
        (the agent's receipt names one invno, like an arcash row), each
        referenced `<charge>/<invno>` and looked up before it is made, and
        the rest of the charge as an unapplied receipt under the charge's own
        reference. A retry after a lost reply adopts what exists and makes
        only what is missing.

        An invoice that owes less than its share (paid meanwhile) takes what
        it owes; the excess joins the unapplied receipt and the reason is
        returned for a person to refund or reallocate.
        """
        ref = _str(payload.get("reference")) or reference
        custno = _str(payload.get("custno"))
        base = {k: v for k, v in payload.items() if k != "applications"}
        total = Decimal(_str(payload.get("amount")) or "0")
        numbers, notes = [], []
        applied_total = Decimal(0)
        for application in applications:
            invno = _str(application.get("invno")).strip()
            wanted = Decimal(_str(application.get("amount")) or "0")
            line_ref = f"{ref}/{invno}"
            found = (
                None
                if never_sent
                else self._find("cashreceipts", "reference", line_ref, prefer={})
            )
            if found:
                numbers.append(number_of("cashreceipts", found))
                applied_total += Decimal(_str(found.get("amount")) or "0")
                continue
            owed = self._invoice_open(custno=custno, invno=invno)
            amount = wanted if owed is None else min(wanted, max(owed, Decimal(0)))
            if amount < wanted:
                notes.append(
                    f"invoice {invno} owed {amount} of the {wanted} paid; "
                    f"{wanted - amount} posted unapplied"
                )
            if amount <= 0:
                continue
            document = self._create_once(
                "cashreceipts",
                {**base, "invno": invno, "amount": str(amount)},
                key="reference",
                value=line_ref,
                prefer={"custno": custno},
                reference=reference,
                never_sent=never_sent,
            )
            numbers.append(document.number)
            applied_total += amount
        rest = total - applied_total
        if rest > 0:
            document = self._create_once(
                "cashreceipts",
                {**base, "invno": "", "amount": str(rest)},
                key="reference",
                value=ref,
                prefer={"custno": custno},
                reference=reference,
                never_sent=never_sent,
            )
            numbers.append(document.number)
        return ErpDocument(
            ",".join(numbers)[:255],
            {"receipts": numbers},
            attention="; ".join(notes),
        )

    def _invoice_open(self, *, custno: str, invno: str) -> Decimal | None:
        """What an invoice still owes: its balance less the open receipts
        applied to it, as the agent counts it before taking a receipt; None
        for an invoice the agent does not know (it then refuses by name)."""
        invoice = self._get_one("invoices", invno)
        if invoice is None or _str(invoice.get("custno")).strip() != custno.strip():
            return None
        receipts = self._list("cashreceipts", {"invno": invno})
        return Decimal(_str(invoice.get("balance")) or "0") - sum(
            (Decimal(_str(r.get("amount")) or "0") for r in receipts), Decimal(0)
        )

    def post_credit_note(
        self, payload: dict, *, reference: str, never_sent: bool = False
    ) -> ErpDocument:
        return self._by_reference(
            "creditmemos", payload, reference, never_sent=never_sent
        )

    def post_adjustment(
        self, payload: dict, *, reference: str, never_sent: bool = False
    ) -> ErpDocument:
        return self._by_reference(
            "creditmemos",
            {**payload, "type": "adjustment"},
            reference,
            never_sent=never_sent,
        )

    def post_journal(
        self, payload: dict, *, reference: str, never_sent: bool = False
    ) -> ErpDocument:
        journal_currency_check(
            payload, reference=reference, home_currency=self.home_currency()
        )
        return self._by_reference(
            "journalentries", payload, reference, never_sent=never_sent
        )

    def home_currency(self) -> str:
        """The company's home currency, as the agent's /info reports it."""
        if self._home_currency is None:
            info = object_of(self.request("GET", "info"))
            self._home_currency = _str(info.get("currency")).upper()
        return self._home_currency

    def _by_reference(
        self,
        resource: str,
        payload: dict,
        reference: str,
        *,
        never_sent: bool = False,
    ) -> ErpDocument:
        return self._create_once(
            resource,
            payload,
            key="reference",
            value=_str(payload.get("reference")) or reference,
            prefer={"custno": _str(payload.get("custno"))},
            reference=reference,
            never_sent=never_sent,
        )


def customer_of_row(row: Mapping[str, Any]) -> ErpCustomer:
    """An arcust row (or a mapped customer payload) as the canonical customer.

    arcust holds one address (address1, address2, city, addrstate, zip,
    country) and no ship-to address; pterms is the terms text.
    """
    address = ErpAddress(
        line1=_str(row.get("address1")).strip(),
        line2=_str(row.get("address2")).strip(),
        city=_str(row.get("city")).strip(),
        state=_str(row.get("addrstate")).strip(),
        postal_code=_str(row.get("zip")).strip(),
        country=_str(row.get("country")).strip(),
    )
    return ErpCustomer(
        code=_str(row.get("custno")),
        name=_str(row.get("company")),
        email=_str(row.get("email")),
        currency=_str(row.get("currid")).upper(),
        phone=_str(row.get("phone")).strip(),
        postal_code=address.postal_code,
        terms=_str(row.get("pterms")).strip(),
        address=address if any(vars(address).values()) else None,
    )


def _str(value: Any) -> str:
    return "" if value is None else str(value)


def _sent_value(body: bytes | str, field: str) -> str:
    """The value we sent for `field` (`ordate`, `lines[0].item`), for the record."""
    try:
        value: Any = json.loads(body)
    except ValueError:
        return ""
    for token in re.findall(r"[^.\[\]]+", field):
        if isinstance(value, list) and token.isdigit() and int(token) < len(value):
            value = value[int(token)]
        elif isinstance(value, dict) and token in value:
            value = value[token]
        else:
            return ""
    return "" if isinstance(value, dict | list) else _str(value)


def _retry_after(response: requests.Response) -> float | None:
    try:
        return max(float(response.headers.get("Retry-After", "")), 0.0)
    except ValueError:
        return None
