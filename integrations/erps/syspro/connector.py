"""SYSPRO e.net Solutions REST connector.

Every e.net REST call is an HTTP GET with the XML documents URL-encoded in the
query string (PROTOCOLS.md §1). Errors arrive as HTTP 200: a body starting
`ERROR` for a refused logon or a dead session, `e.net exception …` for an
unknown business object, and `ErrorNumber`/`ErrorDescription` elements inside
XmlOut for validation failures.

SYSPRO allows one session per operator, so the session GUID (`UserId`) lives
in Django's cache, shared by every process on the machine (file cache) or
every machine (Redis): a process that logs on publishes its UserId, the
others reuse it, and a process whose call comes back `ERROR` first adopts a
newer UserId someone else published before logging on itself (under a cache
mutex), so two workers never keep kicking each other out.

Writes are exactly-once: each looks its Stripe reference up first (SORQSO on
CustomerPo for orders, ARSQRY PayDetail/InvoiceDetail references for payments,
credit notes and adjustments, GENQJD by JournalReference for journals — GENQJD
is a stand-in query of the LedgerBridge sandbox for SYSPRO's GL journal
enquiry, not a stock business object) and adopts what it finds.
"""

import atexit
import hashlib
import logging
import re
import time
import uuid
import weakref
import xml.etree.ElementTree as ET  # noqa: S405 - builds XML only; parsing uses defusedxml
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import requests
from django.core.cache import cache

from integrations.connectors.errors import (
    AuthenticationError,
    ConnectorError,
    NotFoundError,
    RateLimitedError,
    TransientError,
    ValidationError,
)
from integrations.connectors.http import (
    base_url_checked,
    http_session_for,
    outbound_refusal,
    rate_limit_waited,
)
from integrations.connectors.records import (
    ErpCustomer,
    ErpDocument,
    ErpOrder,
    ErpPrice,
    ErpStock,
    ErpStockLevel,
    decimal_or_none,
)
from integrations.models import Connection
from portal.outbound import OutboundUrlRefused

from .xmldoc import (
    ARSTPY_PARAMETERS,
    JOURNAL_NUMBER_TAGS,
    POSTING_PARAMETERS,
    SORTOI_PARAMETERS,
    _add_fields,
    _text,
    adjustment_xml,
    ar_invoice_xml,
    customer_xml,
    element_dict,
    filter_query_xml,
    find_text,
    is_enet_exception,
    is_session_error,
    journal_number,
    journal_xml,
    key_query_xml,
    parameters_xml,
    parse_xml,
    payment_xml,
    raise_for_xml_errors,
    reply_digest,
    sales_order_xml,
    to_xml,
    unwrap_body,
    vendor_message,
)

logger = logging.getLogger(__name__)

# SYSPRO ends idle sessions on its own; keep the cached UserId shorter than a
# working day so a stale one is dropped even if nobody saw an ERROR reply.
SESSION_CACHE_SECONDS = 4 * 3600
LOGON_LOCK_SECONDS = 30
LOGON_WAIT_STEP = 0.05
# What a logon answers: a session GUID (e.net pads it with spaces), nothing
# that would need escaping in a query string or a log line.
SESSION_ID_PATTERN = re.compile(r"[A-Za-z0-9{}\-]{1,100}")


_LIVE: "weakref.WeakSet[SysproConnector]" = weakref.WeakSet()


@atexit.register
def _logoff_live_connectors() -> None:
    # Never let a failed logoff break interpreter shutdown.
    for connector in list(_LIVE):
        try:
            connector.close()
        except Exception:
            logger.warning("SYSPRO logoff at exit failed", exc_info=True)


class SysproConnector:
    kind = "syspro"

    def __init__(
        self, connection: Connection, *, session: requests.Session | None = None
    ) -> None:
        self.connection_id = connection.pk
        self.base_url = connection.base_url.rstrip("/")
        self.timeout = connection.timeout_seconds
        config = connection.config or {}
        secrets = connection.secrets or {}
        self._operator = str(config.get("operator", ""))
        self._company = str(config.get("company_id", ""))
        self._operator_password = str(secrets.get("operator_password", ""))
        self._company_password = str(secrets.get("company_password", ""))
        self.session = session or http_session_for(connection)
        # SYSPRO allows one session per operator on a server, so the session
        # is shared by every connection that logs on as this operator there.
        identity = f"{self.base_url}|{self._operator}|{self._company}".encode()
        digest = hashlib.sha256(identity).hexdigest()[:24]
        self._cache_key = f"syspro:userid:{digest}"
        self._lock_key = f"syspro:logon-lock:{digest}"
        self._own_user_ids: set[str] = set()
        _LIVE.add(self)

    def __repr__(self) -> str:
        return f"<SysproConnector connection={self.connection_id} {self.base_url}>"

    # --- transport ---------------------------------------------------------

    def _log_extra(self, path: str, **more: Any) -> dict[str, Any]:
        return {"connection_id": self.connection_id, "syspro_path": path, **more}

    def _get(self, path: str, params: list[tuple[str, str]]) -> str:
        """One GET, sent again while SYSPRO asks us to wait (rate limit)."""
        return rate_limit_waited(lambda: self._get_once(path, params))

    def _get_once(self, path: str, params: list[tuple[str, str]]) -> str:
        """One GET; the query keeps the order e.net expects (XmlParameters first)."""
        base_url = base_url_checked(self.base_url, connection_id=self.connection_id)
        url = f"{base_url}/{path}"
        started = time.monotonic()
        # e.net takes passwords and the session id in the query string, and
        # requests' exceptions quote the URL: never chain them (`from None`).
        # requests form-encodes `params` (every `&`, `=`, `#`, `+` escaped);
        # a redirect would carry that query, passwords included, elsewhere.
        try:
            response = self.session.get(
                url, params=params, timeout=self.timeout, allow_redirects=False
            )
        except OutboundUrlRefused as exc:
            raise outbound_refusal(exc, connection_id=self.connection_id) from None
        except requests.Timeout:
            raise TransientError(
                f"SYSPRO did not answer {path} within {self.timeout}s",
                {"path": path},
            ) from None
        except requests.RequestException as exc:
            raise TransientError(
                f"SYSPRO is unreachable ({type(exc).__name__})", {"path": path}
            ) from None
        elapsed_ms = int((time.monotonic() - started) * 1000)
        logger.debug(
            "SYSPRO call",
            extra=self._log_extra(
                path, status=response.status_code, duration_ms=elapsed_ms
            ),
        )
        status = response.status_code
        retry_after = _retry_after(response)
        if status == 429 or (status >= 500 and retry_after is not None):
            raise RateLimitedError(
                f"SYSPRO is busy (HTTP {status})",
                retry_after=retry_after,
                extra={"path": path},
            )
        if status >= 500:
            raise TransientError(f"SYSPRO answered HTTP {status}", {"path": path})
        if status in (401, 403):
            raise AuthenticationError(f"SYSPRO refused access (HTTP {status})")
        if status >= 300:
            raise ConnectorError(
                f"SYSPRO answered HTTP {status} for {path}; check the base URL",
                {"path": path},
            )
        return unwrap_body(response.text)

    # --- session -----------------------------------------------------------

    def _logon(self) -> str:
        body = self._get(
            "Logon",
            [
                ("Operator", self._operator),
                ("OperatorPassword", self._operator_password),
                ("CompanyId", self._company),
                ("CompanyPassword", self._company_password),
            ],
        )
        user_id = body.strip()
        if (
            not user_id
            or is_session_error(body)
            or "exception" in body.lower()
            or not SESSION_ID_PATTERN.fullmatch(user_id)
        ):
            reason = vendor_message(body) or (
                "an empty reply" if not body else "a reply that is not a session id"
            )
            raise AuthenticationError(
                f"SYSPRO refused the logon of operator {self._operator} "
                f"to company {self._company}: {reason}",
                {"connection_id": self.connection_id, **reply_digest(body)},
            )
        self._own_user_ids.add(user_id)
        logger.info("SYSPRO logon", extra=self._log_extra("Logon"))
        return user_id

    def _session_user_id(self, *, stale: str = "") -> str:
        """The shared UserId; log on (once across processes) if there is none.

        `stale` is a UserId SYSPRO just refused: a different one in the cache
        is adopted, the same one is replaced by a new logon.
        """
        current = cache.get(self._cache_key)
        if current and current != stale:
            return current
        token = uuid.uuid4().hex
        deadline = time.monotonic() + LOGON_LOCK_SECONDS
        while not cache.add(self._lock_key, token, LOGON_LOCK_SECONDS):
            # Another process is logging on: wait for its UserId.
            time.sleep(LOGON_WAIT_STEP)
            current = cache.get(self._cache_key)
            if current and current != stale:
                return current
            if time.monotonic() > deadline:
                raise TransientError("Timed out waiting for another SYSPRO logon")
        try:
            current = cache.get(self._cache_key)
            if current and current != stale:
                return current
            user_id = self._logon()
            cache.set(self._cache_key, user_id, SESSION_CACHE_SECONDS)
            return user_id
        finally:
            if cache.get(self._lock_key) == token:
                cache.delete(self._lock_key)

    def _session_get(self, path: str, params: list[tuple[str, str]]) -> str:
        user_id = self._session_user_id()
        body = self._get(path, [("UserId", user_id), *params])
        if not is_session_error(body):
            return body
        # An ERROR reply means SYSPRO did not run the call (dead or unknown
        # session), so running it again under a new session is safe.
        logger.info(
            "SYSPRO session refused, logging on again",
            extra=self._log_extra(path, **reply_digest(body)),
        )
        user_id = self._session_user_id(stale=user_id)
        body = self._get(path, [("UserId", user_id), *params])
        if is_session_error(body):
            raise TransientError(
                f"SYSPRO refused a fresh session: {vendor_message(body)}",
                {"path": path},
            )
        return body

    def close(self) -> None:
        """Log off the sessions this process opened, unless they were replaced."""
        for user_id in list(self._own_user_ids):
            cached = cache.get(self._cache_key)
            if cached not in (user_id, None):
                continue
            if cached == user_id:
                cache.delete(self._cache_key)
            try:
                self._get("Logoff", [("UserId", user_id)])
            except ConnectorError:
                logger.warning("SYSPRO logoff failed", extra=self._log_extra("Logoff"))
        self._own_user_ids.clear()
        self.session.close()

    # --- business object calls --------------------------------------------

    def _business_object(
        self, path: str, business_object: str, params: list[tuple[str, str]]
    ) -> ET.Element:
        body = self._session_get(path, [("BusinessObject", business_object), *params])
        if is_enet_exception(body):
            raise ValidationError(
                f"SYSPRO: {vendor_message(body)}",
                {"business_object": business_object},
                field="BusinessObject",
                value=business_object,
            )
        if not body.startswith("<"):
            raise ValidationError(
                f"SYSPRO {business_object} answered with a reply that is neither "
                "XML nor an e.net error",
                {"business_object": business_object, **reply_digest(body)},
            )
        root = parse_xml(body)
        raise_for_xml_errors(root, business_object)
        return root

    def query(self, business_object: str, xml_in: str) -> ET.Element:
        return self._business_object(
            "Query/Query", business_object, [("XmlIn", xml_in)]
        )

    def transaction(
        self, business_object: str, parameters: str, xml_in: str
    ) -> ET.Element:
        return self._business_object(
            "Transaction/Post",
            business_object,
            [("XmlParameters", parameters), ("XmlIn", xml_in)],
        )

    def setup(
        self, action: str, business_object: str, parameters: str, xml_in: str
    ) -> ET.Element:
        return self._business_object(
            f"Setup/{action}",
            business_object,
            [("XmlParameters", parameters), ("XmlIn", xml_in)],
        )

    def logon_profile(self) -> dict[str, Any]:
        body = self._session_get("GetLogonProfile", [])
        return element_dict(parse_xml(body))

    # --- queries -----------------------------------------------------------

    def _ar_statement(self, customer: str, *, reference: str = "") -> ET.Element | None:
        """ARSQRY for `customer`; None when SYSPRO does not know the customer
        (https://github.com/Zindaar/SYSPROIntegration/blob/c03d75db2a7c175a21d5171a0e1fdfe736e816bf/SysproIntegration/ARPrimaryQuery/CustomerQuery/ARSQRYOUT.vb).

        A `Reference` filter narrows the details to one reference (the
        sandbox supports it; the matching below does not rely on it).
        """
        root = ET.Element("Query")
        _add_fields(ET.SubElement(root, "Key"), {"Customer": customer}, ["Customer"])
        _add_fields(
            ET.SubElement(root, "Option"),
            {"IncludeInvoices": "Y", "IncludePayments": "Y"},
            ["IncludeInvoices", "IncludePayments"],
        )
        if reference:
            ET.SubElement(
                ET.SubElement(root, "Filter"),
                "Reference",
                FilterType="S",
                FilterValue=reference,
            )
        xml_in = to_xml(root)
        try:
            return self.query("ARSQRY", xml_in)
        except (ValidationError, NotFoundError) as exc:
            if "not found" in exc.message.lower() or isinstance(exc, NotFoundError):
                return None
            raise

    def find_customer(self, *, code: str = "", email: str = "") -> ErpCustomer | None:
        """The customer by code, from the ARSQRY statement header
        (https://github.com/Zindaar/SYSPROIntegration/blob/c03d75db2a7c175a21d5171a0e1fdfe736e816bf/SysproIntegration/Common/Query/BusinessObjects/CustomerQuery/Header.vb).
        """
        if code:
            statement = self._ar_statement(code)
            if statement is None:
                return None
            header = statement.find(".//Header")
            found = element_dict(header if header is not None else statement)
            return ErpCustomer(
                code=_text(found.get("Customer")) or code,
                name=_text(found.get("CustomerName") or found.get("Name")),
                email=_text(found.get("Email")),
                currency=_text(found.get("Currency")).upper(),
                on_hold=found.get("CustomerOnHold") == "Y",
            )
        # e.net has no customer enquiry by email: a caller without a code
        # (CustomerLink) cannot find a SYSPRO customer.
        return None

    def customer_prices(self, customer_code: str) -> list[ErpPrice]:
        root = self.query("SORQCP", key_query_xml({"Customer": customer_code}, {}))
        prices = []
        for element in root.iter():
            if element.find("StockCode") is None:
                continue
            values = element_dict(element)
            price = decimal_or_none(values.get("Price"))
            if price is None:
                continue
            prices.append(
                ErpPrice(
                    stock_code=_text(values.get("StockCode")),
                    price=price,
                    description=_text(values.get("Description")),
                )
            )
        return prices

    def _orders(self, filters: Mapping[str, str]) -> list[dict]:
        xml_in = filter_query_xml(
            {"Customer": "", "CustomerPo": "", **filters},
            {"IncludeStockLines": "Y"},
        )
        root = self.query("SORQSO", xml_in)
        return [element_dict(item) for item in root.iter("SalesOrderItem")]

    def customer_orders(self, customer_code: str) -> list[ErpOrder]:
        return [
            ErpOrder(
                number=_text(order.get("SalesOrder")),
                customer_code=_text(order.get("Customer")) or customer_code,
                reference=_po_of(order),
                date=_text(order.get("OrderDate")),
                currency=_text(order.get("Currency")).upper(),
                total=decimal_or_none(order.get("OrderValue")),
                status=_text(order.get("OrderStatus")),
            )
            for order in self._orders({"Customer": customer_code})
        ]

    def find_order(self, *, po_number: str) -> dict | None:
        for order in self._orders({"CustomerPo": po_number}):
            if _po_of(order) == po_number:
                return order
        return None

    def stock(self, stock_code: str) -> ErpStock:
        root = self.query(
            "INVQRY",
            key_query_xml({"StockCode": stock_code}, {"IncludeWarehouses": "Y"}),
        )
        item = root.find(".//StockItem")
        if item is None:
            raise NotFoundError(
                f"SYSPRO has no stock item {stock_code}",
                field="StockCode",
                value=stock_code,
            )
        values = element_dict(item)
        levels = []
        for element in root.iter("WarehouseItem"):
            warehouse = element_dict(element)
            levels.append(
                ErpStockLevel(
                    warehouse=_text(warehouse.get("Warehouse")),
                    on_hand=decimal_or_none(warehouse.get("QtyOnHand")) or Decimal(0),
                )
            )
        return ErpStock(
            code=_text(values.get("StockCode")) or stock_code,
            description=_text(values.get("Description")),
            unit=_text(values.get("StockUom")),
            price=decimal_or_none(values.get("SellingPrice")),
            levels=tuple(levels),
        )

    def _ar_document(
        self, *, customer: str, reference: str, kinds: tuple[str, ...]
    ) -> dict | None:
        """The PayDetail / InvoiceDetail of `customer` carrying `reference`."""
        statement = (
            self._ar_statement(customer, reference=reference) if customer else None
        )
        if statement is None:
            return None
        for kind in kinds:
            for element in statement.iter(kind):
                values = element_dict(element)
                if reference in (values.get("Reference"), values.get("TrnReference")):
                    return values
        return None

    def find_journal(self, *, reference: str) -> dict | None:
        root = self.query(
            "GENQJD", filter_query_xml({"JournalReference": reference}, {})
        )
        for element in root.iter():
            values = element_dict(element)
            if values.get("JournalReference") == reference and journal_number(element):
                values["number"] = journal_number(element)
                return values
        return None

    # --- writes ------------------------------------------------------------

    def upsert_customer(
        self, payload: dict, *, reference: str, looked_up: bool = False
    ) -> ErpDocument:
        code = _text(payload.get("Customer"))
        parameters = parameters_xml("SetupArCustomer", POSTING_PARAMETERS)
        existing = (
            None
            if looked_up
            else self.find_customer(code=code, email=_text(payload.get("Email")))
        )
        if not existing:
            try:
                root = self.setup(
                    "Add", "ARSSCS", parameters, customer_xml(payload, code=code)
                )
            except ValidationError as exc:
                # Another worker added the customer between lookup and add.
                if exc.field != "Customer" or not code:
                    raise
                existing = self.find_customer(code=code)
                if not existing:
                    raise
            else:
                number = find_text(root, "Customer") or code
                self._log_write("ARSSCS", reference, number)
                return ErpDocument(number, {"xml": to_xml(root)})
        code = existing.code or code
        root = self.setup(
            "Update", "ARSSCS", parameters, customer_xml(payload, code=code)
        )
        return ErpDocument(code, {"xml": to_xml(root)}, adopted=True)

    def create_sales_order(self, payload: dict, *, reference: str) -> ErpDocument:
        po_number = _text(payload.get("CustomerPoNumber")) or reference
        found = self.find_order(po_number=po_number)
        if found:
            return ErpDocument(_text(found.get("SalesOrder")), found, adopted=True)
        try:
            root = self.transaction(
                "SORTOI",
                parameters_xml("SalesOrders", SORTOI_PARAMETERS),
                sales_order_xml(payload, po_number=po_number),
            )
        except ValidationError as exc:
            # Another worker imported the order between lookup and post.
            if exc.field != "CustomerPoNumber":
                raise
            found = self.find_order(po_number=po_number)
            if not found:
                raise
            return ErpDocument(_text(found.get("SalesOrder")), found, adopted=True)
        number = find_text(root, "Order/SalesOrder", "SalesOrder")
        if not number:
            raise ValidationError(
                "SYSPRO accepted the order but returned no order number",
                {"reply": to_xml(root)[:500]},
            )
        self._log_write("SORTOI", reference, number)
        return ErpDocument(number, {"xml": to_xml(root)})

    def post_payment(self, payload: dict, *, reference: str) -> ErpDocument:
        ref = _text(payload.get("Reference")) or reference
        customer = _text(payload.get("Customer"))
        found = self._ar_document(
            customer=customer, reference=ref, kinds=("PayDetail",)
        )
        if found:
            return ErpDocument(_ar_number(found, ref), found, adopted=True)
        root = self.transaction(
            "ARSTPY",
            parameters_xml("PostArPayment", ARSTPY_PARAMETERS),
            payment_xml(payload, reference=ref),
        )
        return self._posted(
            "ARSTPY", root, reference, find_text(root, *JOURNAL_NUMBER_TAGS) or ref
        )

    def post_credit_note(self, payload: dict, *, reference: str) -> ErpDocument:
        return self._post_ar_invoice({"TransactionType": "C", **payload}, reference)

    def create_invoice(self, payload: dict, *, reference: str) -> ErpDocument:
        return self._post_ar_invoice({"TransactionType": "I", **payload}, reference)

    def _post_ar_invoice(self, payload: dict, reference: str) -> ErpDocument:
        ref = _text(payload.get("Reference")) or reference
        customer = _text(payload.get("Customer"))
        found = self._ar_document(
            customer=customer, reference=ref, kinds=("InvoiceDetail",)
        )
        if found:
            return ErpDocument(_text(found.get("Invoice")) or ref, found, adopted=True)
        root = self.transaction(
            "ARSTIN",
            parameters_xml("PostArInvoice", POSTING_PARAMETERS),
            ar_invoice_xml(payload, reference=ref),
        )
        number = find_text(root, "Invoice") or _text(payload.get("Invoice")) or ref
        return self._posted("ARSTIN", root, reference, number)

    def post_adjustment(self, payload: dict, *, reference: str) -> ErpDocument:
        ref = _text(payload.get("Reference")) or reference
        customer = _text(payload.get("Customer"))
        found = self._ar_document(
            customer=customer, reference=ref, kinds=("PayDetail", "InvoiceDetail")
        )
        if found:
            return ErpDocument(_ar_number(found, ref), found, adopted=True)
        root = self.transaction(
            "ARSTPY",
            parameters_xml("PostArPayment", ARSTPY_PARAMETERS),
            adjustment_xml(payload, reference=ref),
        )
        return self._posted(
            "ARSTPY", root, reference, find_text(root, *JOURNAL_NUMBER_TAGS) or ref
        )

    def post_journal(self, payload: dict, *, reference: str) -> ErpDocument:
        ref = _text(payload.get("JournalReference")) or reference
        found = self.find_journal(reference=ref)
        if found:
            return ErpDocument(found["number"], found, adopted=True)
        root = self.transaction(
            "GENTJL",
            parameters_xml("PostGlJournal", POSTING_PARAMETERS),
            journal_xml(payload, reference=ref),
        )
        number = journal_number(root)
        if not number:
            raise ValidationError(
                "SYSPRO accepted the journal but returned no journal number",
                {"reply": to_xml(root)[:500]},
            )
        return self._posted("GENTJL", root, reference, number)

    def _posted(
        self, business_object: str, root: ET.Element, reference: str, number: str
    ) -> ErpDocument:
        self._log_write(business_object, reference, number)
        return ErpDocument(number, {"xml": to_xml(root)})

    def _log_write(self, business_object: str, reference: str, number: str) -> None:
        logger.info(
            "SYSPRO document created",
            extra={
                "connection_id": self.connection_id,
                "business_object": business_object,
                "reference": reference,
                "erp_number": number,
            },
        )


def _po_of(order: Mapping[str, Any]) -> str:
    return _text(order.get("CustomerPoNumber") or order.get("CustomerPo"))


def _ar_number(values: Mapping[str, Any], reference: str) -> str:
    for tag in JOURNAL_NUMBER_TAGS:
        if values.get(tag):
            return _text(values[tag])
    return reference


def _retry_after(response: requests.Response) -> float | None:
    value = response.headers.get("Retry-After", "")
    try:
        return max(float(value), 0.0)
    except ValueError:
        return None
