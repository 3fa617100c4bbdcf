"""SYSPRO e.net Solutions REST connector.

Every e.net REST call is an HTTP GET with the XML documents URL-encoded in the
query string (PROTOCOLS.md §1). Errors arrive as HTTP 200: a body starting
`ERROR` for a refused logon or a dead session, `e.net exception …` for an
unknown business object, and `ErrorNumber`/`ErrorDescription` elements inside
XmlOut for validation failures.

SYSPRO allows one session per operator, so the session GUID (`UserId`) lives
in Django's cache, shared by every process on the machine (file cache) or
every machine (Redis): a process that logs on publishes its UserId, the
others reuse it (each keeping the one it read for a minute), and a process
whose call comes back `ERROR` first adopts a newer UserId someone else
published before logging on itself (under a cache mutex), so two workers
never keep kicking each other out.

Writes are exactly-once where SYSPRO can be asked: each looks its Stripe
reference up first (SORQSO on CustomerPo, completed and cancelled orders
included, for orders; ARSQRY's TransDetail references for payments, credit
notes and adjustments) and adopts what it finds. GL journals cannot be found
by reference (GENQJR lists by year, period and number; there is no GENQJD),
so a journal whose reply was lost raises UnknownOutcomeError for a person to
settle instead of being posted again.

Every document travels in the query string, which IIS caps (2,048 bytes
unless its administrator raised maxQueryString): the request is measured
before it is sent and refused with a reason beyond the connection's limit.
"""

import atexit
import datetime as dt
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
from urllib.parse import urlencode

import requests
from django.core.cache import cache

from integrations.canonical import SubscriptionState
from integrations.connectors.errors import (
    AuthenticationError,
    ConnectorError,
    DuplicateError,
    NotFoundError,
    RateLimitedError,
    TransientError,
    UnknownOutcomeError,
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
    ErpStockLevel,
    decimal_or_none,
)
from integrations.models import Connection
from integrations.periods import PeriodCalendar
from portal.outbound import OutboundUrlRefused

from .codes import CustomerKeyFormat
from .subscriptions import custom_form_parameters, custom_form_xml
from .xmldoc import (
    AR_STATEMENT_OPTIONS,
    ARSTPY_PARAMETERS,
    CUSTOMER_HEADER_OPTIONS,
    ORDER_LIST_OPTIONS,
    POSTING_PARAMETERS,
    SORTOI_PARAMETERS,
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
# A process reuses the UserId it last read for this long before it reads the
# shared cache again: a UserId replaced meanwhile comes back ERROR, which
# reads the cache at once (`_session_get`), so the cache read per call buys
# nothing but its round trip.
SESSION_MEMO_SECONDS = 60
LOGON_LOCK_SECONDS = 30
LOGON_WAIT_STEP = 0.05
# What a logon answers: a session GUID (e.net pads it with spaces), nothing
# that would need escaping in a query string or a log line.
SESSION_ID_PATTERN = re.compile(r"[A-Za-z0-9{}\-]{1,100}")
# IIS request filtering refuses longer query strings unless the site's
# administrator raised maxQueryString
# (https://learn.microsoft.com/en-us/iis/configuration/system.webserver/security/requestfiltering/requestlimits/).
MAX_QUERY_STRING_DEFAULT = 2048
# A customer's terms, credit hold and currency are the company's to manage
# once the account exists: the template sets them on a new customer, and an
# update leaves out their elements (a setup Update changes only the elements
# it is given), so a Stripe profile change never releases a hold or resets
# the terms finance chose.
CUSTOMER_SET_ON_CREATE = frozenset({"TermsCode", "CustomerOnHold", "Currency"})


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
        self.max_query_string = _positive_int(
            config.get("max_query_string"), MAX_QUERY_STRING_DEFAULT
        )
        self.calendar = FinancialCalendar.of_config(config)
        self._config = dict(config)
        self.session = session or http_session_for(connection)
        # SYSPRO allows one session per operator on a server, so the session
        # is shared by every connection that logs on as this operator there.
        identity = f"{self.base_url}|{self._operator}|{self._company}".encode()
        digest = hashlib.sha256(identity).hexdigest()[:24]
        self._cache_key = f"syspro:userid:{digest}"
        self._lock_key = f"syspro:logon-lock:{digest}"
        self._own_user_ids: set[str] = set()
        # The UserId this process last used, and when it was read or made.
        self._memo: tuple[str, float] | None = None
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
        query_bytes = len(urlencode(params))
        if query_bytes > self.max_query_string:
            raise self._too_long(path, params, query_bytes)
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
        except requests.RequestException as exc:
            raise transport_failure(
                exc,
                erp="SYSPRO",
                write=_is_write(path),
                what=_what(path, params),
                timeout=self.timeout,
                extra={"path": path},
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
        if _is_write(path) and status in REPLY_LOST_STATUSES:
            raise reply_lost(
                erp="SYSPRO",
                what=_what(path, params),
                cause=f"SYSPRO answered HTTP {status}",
                extra={"path": path},
            )
        if status >= 500:
            raise TransientError(f"SYSPRO answered HTTP {status}", {"path": path})
        if status in (401, 403):
            raise AuthenticationError(f"SYSPRO refused access (HTTP {status})")
        # IIS answers a query string over maxQueryString with 404.15, and
        # http.sys an over-long request line with 414.
        if status == 414 or (status == 404 and "404.15" in response.text[:2000]):
            raise self._too_long(path, params, query_bytes)
        if status >= 300:
            raise ConnectorError(
                f"SYSPRO answered HTTP {status} for {path}; check the base URL",
                {"path": path},
            )
        return unwrap_body(response.text)

    def _too_long(
        self, path: str, params: list[tuple[str, str]], query_bytes: int
    ) -> ValidationError:
        business_object = dict(params).get("BusinessObject", path)
        return ValidationError(
            f"The SYSPRO {business_object} request is {query_bytes:,} bytes of "
            f"query string, over the {self.max_query_string:,} bytes the SYSPRO "
            "server accepts (IIS maxQueryString). Send fewer lines, or have the "
            "SYSPRO administrator raise the limit and set it on the connection.",
            {"path": path, "query_bytes": query_bytes, "limit": self.max_query_string},
            field="XmlIn",
        )

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
        is adopted, the same one is replaced by a new logon. Without one, the
        UserId this process used last serves for SESSION_MEMO_SECONDS.
        """
        memo = self._memo
        if (
            memo is not None
            and memo[0] != stale
            and time.monotonic() - memo[1] < SESSION_MEMO_SECONDS
        ):
            return memo[0]
        user_id = self._session_user_id_shared(stale=stale)
        self._memo = (user_id, time.monotonic())
        return user_id

    def _session_user_id_shared(self, *, stale: str) -> str:
        """The UserId in the shared cache, or a new logon published there."""
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
        self._memo = None
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

    def customer_code(self, code: str) -> str:
        """`code` in the company's customer key format (codes.py); a code
        that does not fit it raises ValidationError before SYSPRO is asked."""
        return CustomerKeyFormat.of_config(self._config).formatted(code)

    def _customer_formatted(self, payload: dict) -> dict:
        """The document with its Customer in the company's key format."""
        code = _text(payload.get("Customer"))
        return {**payload, "Customer": self.customer_code(code)} if code else payload

    # --- queries -----------------------------------------------------------

    def _ar_statement(
        self, customer: str, *, options: Mapping[str, str] = AR_STATEMENT_OPTIONS
    ) -> ET.Element | None:
        """ARSQRY for `customer` with its transaction details (or with what
        `options` ask for); None when SYSPRO does not know the customer.

        ARSQRY takes a Key and Options, no Filter; zero-balance invoices are
        asked for so that a paid invoice's transactions are still listed
        (https://github.com/Zindaar/SYSPROIntegration/blob/c03d75db2a7c175a21d5171a0e1fdfe736e816bf/SysproIntegration/ARPrimaryQuery/CustomerQuery/ARSQRY.vb).
        """
        customer = self.customer_code(customer)
        xml_in = key_query_xml({"Customer": customer}, options)
        try:
            return self.query("ARSQRY", xml_in)
        except NotFoundError:
            return None
        except ValidationError as exc:
            # SYSPRO reports an unknown key on the key's own element.
            if exc.field == "Customer":
                return None
            raise

    def find_customer(self, *, code: str = "", email: str = "") -> ErpCustomer | None:
        """The customer by code, from the ARSQRY statement header
        (https://github.com/Zindaar/SYSPROIntegration/blob/c03d75db2a7c175a21d5171a0e1fdfe736e816bf/SysproIntegration/Common/Query/BusinessObjects/CustomerQuery/Header.vb),
        asked without the transactions, which it does not read.
        """
        if code:
            code = self.customer_code(code)
            statement = self._ar_statement(code, options=CUSTOMER_HEADER_OPTIONS)
            if statement is None:
                return None
            header = statement.find(".//Header")
            found = element_dict(header if header is not None else statement)
            return customer_of_header(found, code=code)
        # e.net has no customer enquiry by email: a caller without a code
        # (CustomerLink) cannot find a SYSPRO customer.
        return None

    def ledger_code_exists(self, code: str) -> bool:
        """GENQGL: whether SYSPRO's GL holds `code`
        (https://github.com/Zindaar/SYSPROIntegration/blob/c03d75db2a7c175a21d5171a0e1fdfe736e816bf/SysproIntegration/GeneralLedgerPrimaryQuery/ValidateALedgerCodeEntry/GENQGL.vb).
        """
        try:
            root = self.query("GENQGL", key_query_xml({"LedgerCode": code}, {}))
        except NotFoundError:
            return False
        except ValidationError as exc:
            if exc.field == "LedgerCode":
                return False
            raise
        return bool(find_text(root, "LedgerDetails/LedgerCode", "LedgerCode"))

    def customer_subscription_write(
        self,
        state: SubscriptionState,
        *,
        customer_code: str,
        fields: Mapping[str, str],
    ) -> ErpDocument:
        """COMSFM Setup/Update of the customer's subscription fields
        (subscriptions.py). Setting a value twice sets it once: a retry
        after a lost reply writes the same values again."""
        code = self.customer_code(customer_code)
        root = self.setup(
            "Update",
            "COMSFM",
            custom_form_parameters(),
            custom_form_xml(state, customer_code=code, fields=fields),
        )
        return ErpDocument(code, {"xml": to_xml(root)})

    def customer_prices(self, customer_code: str) -> list[ErpPrice]:
        """SORQCP: contract prices, filtered on the customer (it has no Key)."""
        customer_code = self.customer_code(customer_code)
        root = self.query("SORQCP", filter_query_xml({"Customer": customer_code}, {}))
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
        """SORQSO, completed and cancelled orders included: a finished order
        is still the order a retry must find
        (https://github.com/Zindaar/SYSPROIntegration/blob/c03d75db2a7c175a21d5171a0e1fdfe736e816bf/SysproIntegration/SalesOrdersPrimaryQuery/ListOfSalesOrders/SORQSO.vb).
        """
        xml_in = filter_query_xml(
            {"Customer": "", "CustomerPo": "", **filters}, ORDER_LIST_OPTIONS
        )
        root = self.query("SORQSO", xml_in)
        return [element_dict(item) for item in root.iter("SalesOrderItem")]

    def customer_orders(self, customer_code: str) -> list[ErpOrder]:
        customer_code = self.customer_code(customer_code)
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
        """INVQRY; its reply varies by version: a StockItem element, or the
        item's fields at the top with QueryOptions/WarehouseItem levels."""
        # INVQRY's Option has no warehouse switch: warehouses come back unless
        # a Warehouse Filter narrows them
        # (https://github.com/Zindaar/SYSPROIntegration/blob/c03d75db2a7c175a21d5171a0e1fdfe736e816bf/SysproIntegration/InventoryPrimaryQuery/InventoryQuery/INVQRY.vb).
        root = self.query("INVQRY", key_query_xml({"StockCode": stock_code}, {}))
        item = root.find(".//StockItem")
        if item is None and find_text(root, "StockCode"):
            item = root
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

    def _ar_document(self, *, customer: str, reference: str) -> dict | None:
        """The AR transaction of `customer` carrying `reference`.

        ARSQRY lists each invoice (InvoiceDetail, which has no reference) with
        its transactions (TransDetail, which has): the invoice itself, the
        payments, notes and adjustments posted to it
        (https://github.com/Zindaar/SYSPROIntegration/blob/c03d75db2a7c175a21d5171a0e1fdfe736e816bf/SysproIntegration/Common/Query/BusinessObjects/CustomerQuery/TransDetail.vb).
        """
        statement = self._ar_statement(customer) if customer else None
        return _reference_in(statement, reference)

    # --- writes ------------------------------------------------------------

    def upsert_customer(
        self,
        payload: dict,
        *,
        reference: str,
        looked_up: bool = False,
        create_only: bool = False,
    ) -> ErpDocument:
        code = self.customer_code(_text(payload.get("Customer")))
        parameters = parameters_xml("SetupArCustomer", POSTING_PARAMETERS)
        existing = (
            None
            if looked_up or create_only
            else self.find_customer(code=code, email=_text(payload.get("Email")))
        )
        if not existing:
            try:
                root = self.setup(
                    "Add", "ARSSCS", parameters, customer_xml(payload, code=code)
                )
            except ValidationError as exc:
                # ARSSCS refuses to add a code that exists (on the Customer
                # element): another worker added it between lookup and add,
                # or, with create_only, the code may be anybody's.
                if exc.field != "Customer" or not code:
                    raise
                if create_only:
                    raise DuplicateError(
                        f"SYSPRO customer {code} exists",
                        field="Customer",
                        value=code,
                    ) from exc
                existing = self.find_customer(code=code)
                if not existing:
                    raise
            else:
                number = find_text(root, "Customer") or code
                self._log_write("ARSSCS", reference, number)
                return ErpDocument(number, {"xml": to_xml(root)})
        code = existing.code or code
        changes = {k: v for k, v in payload.items() if k not in CUSTOMER_SET_ON_CREATE}
        root = self.setup(
            "Update", "ARSSCS", parameters, customer_xml(changes, code=code)
        )
        return ErpDocument(code, {"xml": to_xml(root)}, adopted=True)

    def create_sales_order(
        self, payload: dict, *, reference: str, never_sent: bool = False
    ) -> ErpDocument:
        """SORTOI, looked up by CustomerPo first (not on a first send: the
        ledger proved no order can carry the PO yet, and SORTOI refuses a
        duplicate PO anyway, see SORTOI_PARAMETERS). An order too long for one
        query string is imported with the lines that fit and completed by
        add-lines imports (OrderActionType C); a retry after a lost reply
        adopts the order and adds only the lines it lacks."""
        po_number = _text(payload.get("CustomerPoNumber")) or reference
        payload = {
            **self._customer_formatted(payload),
            "lines": [
                {"CustomerPoLine": str(index), **line}
                for index, line in enumerate(payload.get("lines") or [], start=1)
            ],
        }
        parameters = parameters_xml("SalesOrders", SORTOI_PARAMETERS)
        batches = self._order_batches(payload, po_number, parameters)
        found = None if never_sent else self.find_order(po_number=po_number)
        if found:
            number = _text(found.get("SalesOrder"))
            if len(batches) > 1:
                self._order_lines_complete(payload, po_number, number, parameters)
            return ErpDocument(number, found, adopted=True)
        try:
            root = self.transaction(
                "SORTOI",
                parameters,
                sales_order_xml({**payload, "lines": batches[0]}, po_number=po_number),
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
            # A clean import may answer with StatusOfItems alone: the order
            # exists, its number is found by the customer PO
            # (https://github.com/trismegistus0/rectella-shopify-service/blob/main/internal/syspro/client_test.go).
            found = self.find_order(po_number=po_number)
            if found and _text(found.get("SalesOrder")):
                number = _text(found["SalesOrder"])
            else:
                raise ValidationError(
                    "SYSPRO answered the order import without an order number "
                    f"and no order carries customer PO {po_number}",
                    {"reply": to_xml(root)[:500]},
                )
        for lines in batches[1:]:
            self._order_lines_add(payload, po_number, number, parameters, lines)
        self._log_write("SORTOI", reference, number)
        return ErpDocument(number, {"xml": to_xml(root), "parts": len(batches)})

    def _order_batches(
        self, payload: dict, po_number: str, parameters: str
    ) -> list[list[dict]]:
        """The order's lines in groups whose SORTOI documents each fit the
        query-string limit: the first as a new order, the rest as add-lines
        documents."""
        lines = list(payload.get("lines") or [])
        whole = sales_order_xml(payload, po_number=po_number)
        if self._fits("SORTOI", parameters, whole) or not lines:
            return [lines]
        batches: list[list[dict]] = []
        chunk: list[dict] = []
        for line in lines:
            candidate = {**payload, "lines": [*chunk, line]}
            xml_in = (
                sales_order_xml(candidate, po_number=po_number)
                if not batches
                else sales_order_xml(
                    candidate, po_number=po_number, sales_order="0" * 20
                )
            )
            if self._fits("SORTOI", parameters, xml_in):
                chunk.append(line)
                continue
            if not chunk:
                raise ValidationError(
                    f"The order for {po_number} does not fit the SYSPRO server's "
                    f"{self.max_query_string:,}-byte query string even with one "
                    "line; have the SYSPRO administrator raise the limit and set "
                    "it on the connection.",
                    {"limit": self.max_query_string},
                    field="XmlIn",
                )
            batches.append(chunk)
            chunk = [line]
        batches.append(chunk)
        return batches

    def _order_lines_add(
        self,
        payload: dict,
        po_number: str,
        number: str,
        parameters: str,
        lines: list[dict],
    ) -> None:
        self.transaction(
            "SORTOI",
            parameters,
            sales_order_xml(
                {**payload, "lines": lines}, po_number=po_number, sales_order=number
            ),
        )

    def _order_lines_complete(
        self, payload: dict, po_number: str, number: str, parameters: str
    ) -> None:
        """Add the lines a split order still lacks, by CustomerPoLine (SORQRY)."""
        root = self.query("SORQRY", key_query_xml({"SalesOrder": number}, {}))
        present = {
            (element.text or "").strip() for element in root.iter("CustomerPoLine")
        }
        missing = [
            line
            for line in payload.get("lines") or []
            if _text(line.get("CustomerPoLine")) not in present
        ]
        if not missing:
            return
        for lines in self._order_batches(
            {**payload, "lines": missing}, po_number, parameters
        ):
            self._order_lines_add(payload, po_number, number, parameters, lines)

    def post_payment(
        self, payload: dict, *, reference: str, never_sent: bool = False
    ) -> ErpDocument:
        """ARSTPY. A payment's ERP reference is its Reference: ARSQRY, the
        only way to find it again, does not return the AR journal."""
        payload = self._customer_formatted(payload)
        ref = _text(payload.get("Reference")) or reference
        customer = _text(payload.get("Customer"))
        # One ARSQRY answers both questions: is the payment already posted
        # (ApplyIfEntireDocumentValid makes it all or nothing, so one
        # TransDetail with the reference is the whole payment), and what each
        # invoice still owes. A first send of a payment paying no invoice
        # asks neither.
        asks = bool(customer) and (not never_sent or bool(payload.get("InvoicesToPay")))
        statement = self._ar_statement(customer) if asks else None
        found = _reference_in(statement, ref)
        if found:
            return ErpDocument(ref, found, adopted=True)
        payload, attention = _payment_within_balances(payload, statement)
        root = self.transaction(
            "ARSTPY",
            parameters_xml("PostArPayment", ARSTPY_PARAMETERS),
            payment_xml(payload, reference=ref),
        )
        document = self._posted("ARSTPY", root, reference, ref)
        if attention:
            logger.warning(
                "SYSPRO payment posted with an unapplied excess",
                extra=self._log_extra("ARSTPY", reference=ref),
            )
            return ErpDocument(document.number, document.raw, attention=attention)
        return document

    def post_credit_note(
        self, payload: dict, *, reference: str, never_sent: bool = False
    ) -> ErpDocument:
        return self._post_ar_invoice(
            {**payload, "TransactionType": "C"}, reference, never_sent=never_sent
        )

    def create_invoice(
        self, payload: dict, *, reference: str, never_sent: bool = False
    ) -> ErpDocument:
        return self._post_ar_invoice(
            {"TransactionType": "I", **payload}, reference, never_sent=never_sent
        )

    def _post_ar_invoice(
        self, payload: dict, reference: str, *, never_sent: bool = False
    ) -> ErpDocument:
        payload = self._customer_formatted(payload)
        ref = _text(payload.get("Reference")) or reference
        customer = _text(payload.get("Customer"))
        found = (
            None if never_sent else self._ar_document(customer=customer, reference=ref)
        )
        if found:
            return ErpDocument(_text(found.get("Invoice")) or ref, found, adopted=True)
        root = self.transaction(
            "ARSTIN",
            parameters_xml("PostArInvoices", POSTING_PARAMETERS),
            ar_invoice_xml(payload, reference=ref),
        )
        number = find_text(root, "Invoice") or _text(payload.get("Invoice")) or ref
        return self._posted("ARSTIN", root, reference, number)

    def post_adjustment(
        self, payload: dict, *, reference: str, never_sent: bool = False
    ) -> ErpDocument:
        """An adjustment of the AR invoice it names (ARSTPY InvoiceToAdjust).

        SYSPRO adjusts existing AR invoices only (ARSTPYDOC: the Invoice "must
        be a valid SYSPRO A/R invoice"), and a sales order is not one. Without
        an invoice the same movement is posted as a stand-alone note through
        ARSTIN: a negative adjustment (money taken back from us, so the
        customer owes it again) as a debit note, a positive one as a credit
        note.
        """
        payload = self._customer_formatted(payload)
        ref = _text(payload.get("Reference")) or reference
        customer = _text(payload.get("Customer"))
        if not _text(payload.get("Invoice")):
            return self._post_ar_invoice(
                _note_of_adjustment(payload), reference, never_sent=never_sent
            )
        found = (
            None if never_sent else self._ar_document(customer=customer, reference=ref)
        )
        if found:
            return ErpDocument(ref, found, adopted=True)
        root = self.transaction(
            "ARSTPY",
            parameters_xml("PostArPayment", ARSTPY_PARAMETERS),
            adjustment_xml(payload, reference=ref),
        )
        return self._posted("ARSTPY", root, reference, ref)

    def post_journal(
        self, payload: dict, *, reference: str, never_sent: bool = False
    ) -> ErpDocument:
        """GENTJL. SYSPRO cannot find a journal by reference (GENQJR lists by
        year, period and number), so there is no lookup (`never_sent` changes
        nothing): the ledger keeps the journal key, and a lost reply is an
        unknown outcome, never a retry.

        A journal too long for one query string goes as several balanced
        journals (see `_journal_batches`); the ERP reference lists their keys.
        """
        ref = _text(payload.get("JournalReference")) or reference
        payload = {**payload, **self.calendar.posting_period(payload)}
        parameters = parameters_xml("PostGlJournal", POSTING_PARAMETERS)
        batches = self._journal_batches(payload, ref, parameters)
        numbers: list[str] = []
        replies: list[str] = []
        for batch in batches:
            try:
                root = self.transaction(
                    "GENTJL", parameters, journal_xml(batch, reference=ref)
                )
            except UnknownOutcomeError:
                raise self._journal_unknown(ref, numbers, len(batches)) from None
            except ConnectorError:
                # Not sent, or refused: safe to retry unless a batch is in.
                if not numbers:
                    raise
                raise self._journal_unknown(ref, numbers, len(batches)) from None
            number = journal_number(root)
            if not number:
                raise ValidationError(
                    "SYSPRO accepted the journal but returned no journal number",
                    {"reply": to_xml(root)[:500], "posted": numbers},
                )
            numbers.append(number)
            replies.append(to_xml(root))
        number = ",".join(numbers)
        self._log_write("GENTJL", reference, number)
        return ErpDocument(number, {"xml": replies[0], "batches": replies})

    def _journal_unknown(
        self, ref: str, numbers: list[str], batches: int
    ) -> UnknownOutcomeError:
        posted = (
            f" Journals {', '.join(numbers)} of {batches} are posted."
            if numbers
            else ""
        )
        return UnknownOutcomeError(
            f"SYSPRO's reply to GL journal {ref} was lost: it may have been "
            f"posted.{posted} Check SYSPRO's GL journals for this reference "
            "before posting it again.",
            {"business_object": "GENTJL", "reference": ref, "posted": numbers},
        )

    def _journal_batches(self, payload: dict, ref: str, parameters: str) -> list[dict]:
        """The journal as one document, or as balanced batches that each fit
        the query-string limit.

        Every batch but one is balanced by a line on the journal's first
        ledger code carrying the batch's difference; those lines sum to the
        journal's own difference, zero, so that code nets to nothing and the
        GL sees exactly the journal's lines.
        """
        if self._fits("GENTJL", parameters, journal_xml(payload, reference=ref)):
            return [payload]
        lines = list(payload.get("lines") or [])
        if not lines:
            return [payload]
        ledger = _text(lines[0].get("LedgerCode"))

        def batch_of(chunk: list[dict]) -> dict:
            difference = sum(
                (Decimal(_text(line.get("EntryAmount")) or "0") for line in chunk),
                Decimal(0),
            )
            balanced = list(chunk)
            if difference:
                balanced.append(
                    {
                        "LedgerCode": ledger,
                        "EntryAmount": f"{-difference:f}",
                        "Reference": ref,
                        "Comment": f"Carried between the batches of {ref}",
                    }
                )
            return {**payload, "lines": balanced}

        batches: list[dict] = []
        chunk: list[dict] = []
        for line in lines:
            candidate = batch_of([*chunk, line])
            if self._fits("GENTJL", parameters, journal_xml(candidate, reference=ref)):
                chunk.append(line)
                continue
            if not chunk:
                raise ValidationError(
                    f"One line of GL journal {ref} is longer than the SYSPRO "
                    f"server's {self.max_query_string:,}-byte query string",
                    {"limit": self.max_query_string},
                    field="XmlIn",
                )
            batches.append(batch_of(chunk))
            chunk = [line]
        batches.append(batch_of(chunk))
        return batches

    def _fits(self, business_object: str, parameters: str, xml_in: str) -> bool:
        """Whether a Transaction/Post of these documents fits the limit (the
        session id is counted at its longest)."""
        params = [
            ("UserId", "x" * 40),
            ("BusinessObject", business_object),
            ("XmlParameters", parameters),
            ("XmlIn", xml_in),
        ]
        return len(urlencode(params)) <= self.max_query_string

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


class FinancialCalendar(PeriodCalendar):
    """The company's GL calendar, as set on the connection.

    SYSPRO numbers GL periods from the first month of the financial year, and
    names the year by the calendar year it ends in. `gl_open_from`
    (`CCYY-PP`) is the earliest period still open, and `gl_closed_periods`
    lists later periods the company has closed (`CCYY-PP, CCYY-PP`): a
    journal dated in a closed period is held with a reason naming the period
    instead of being refused by SYSPRO.

    The calendar is kept on the connection because no public SYSPRO business
    object answers a GL period's status: the query classes under
    GeneralLedgerPrimaryQuery in Zindaar/SYSPROIntegration (GENQRY, GENQAN,
    GENQGA, GENQJR, GENQST, GENQZM, GENQCO, GENQGL) take a ledger code, a
    year or a journal, and none returns whether a period is open.

    The ledger checks every posting against the same calendar before it is
    sent (integrations/periods.py); this check keeps a journal that reaches
    the connector some other way out of a closed period too.
    """

    def posting_period(self, payload: Mapping[str, Any]) -> dict[str, Any]:
        raw = _text(payload.get("JournalDate"))
        try:
            day = dt.date.fromisoformat(raw)
        except ValueError:
            raise ValidationError(
                "The journal has no valid JournalDate (CCYY-MM-DD)",
                field="JournalDate",
                value=raw,
            ) from None
        year, period = self.period_of(day)
        if self.open_from and (year, period) < self.open_from:
            open_year, open_period = self.open_from
            raise ValidationError(
                f"GL period {year}-{period:02d} of {day.isoformat()} is closed: "
                f"the SYSPRO connection's calendar opens at {open_year}-"
                f"{open_period:02d}. Re-date the journal or reopen the period.",
                field="JournalDate",
                value=raw,
            )
        if (year, period) in self.closed:
            raise ValidationError(
                f"GL period {year}-{period:02d} of {day.isoformat()} is closed "
                "in SYSPRO (the connection's closed periods list it). Re-date "
                "the journal or reopen the period and remove it from the list.",
                field="JournalDate",
                value=raw,
            )
        return {"PostingYear": year, "PostingPeriod": period}


def _note_of_adjustment(payload: Mapping[str, Any]) -> dict[str, Any]:
    value = Decimal(_text(payload.get("AdjustmentValue")) or "0")
    return {
        "TransactionType": "D" if value < 0 else "C",
        "Customer": payload.get("Customer"),
        "InvoiceDate": payload.get("InvoiceDate"),
        "Reference": payload.get("Reference"),
        "InvoiceValue": f"{abs(value):f}",
        "ProductClass": payload.get("ProductClass"),
    }


def _positive_int(value: Any, default: int) -> int:
    try:
        number = int(str(value))
    except (TypeError, ValueError):
        return default
    return number if number > 0 else default


def _po_of(order: Mapping[str, Any]) -> str:
    return _text(order.get("CustomerPoNumber") or order.get("CustomerPo"))


def _is_write(path: str) -> bool:
    """Calls that may create a document: a lost reply may hide one. A
    Setup/Update sets the same values when sent twice, like a read."""
    return path.startswith(("Transaction/", "Setup/Add"))


def _what(path: str, params: list[tuple[str, str]]) -> str:
    business_object = dict(params).get("BusinessObject", "")
    return f"{path} {business_object}".strip()


def _retry_after(response: requests.Response) -> float | None:
    value = response.headers.get("Retry-After", "")
    try:
        return max(float(value), 0.0)
    except ValueError:
        return None


def customer_of_header(found: Mapping[str, Any], *, code: str = "") -> ErpCustomer:
    """An ARSQRY header (or an ARSSCS customer payload, whose elements carry
    the same names) as the canonical customer."""
    sold_to = _address_of(found, "SoldToAddr", "SoldPostalCode")
    return ErpCustomer(
        code=_text(found.get("Customer")) or code,
        name=_text(found.get("CustomerName") or found.get("Name")),
        email=_text(found.get("Email")),
        currency=_text(found.get("Currency")).upper(),
        on_hold=found.get("CustomerOnHold") == "Y",
        phone=_text(found.get("Telephone")),
        postal_code=sold_to.postal_code if sold_to else "",
        terms=_text(found.get("TermsCode")),
        address=sold_to,
        shipping=_address_of(found, "ShipToAddr", "ShipPostalCode"),
    )


# The ARSQRY header's five address lines read back the way the default
# customer template (templates.address_lines) writes them: line1, line2,
# city, state, country.
_ADDRESS_LINE_PARTS = ("line1", "line2", "city", "state", "country")


def _address_of(
    found: Mapping[str, Any], prefix: str, postal_element: str
) -> ErpAddress | None:
    """SoldToAddr1..5 + SoldPostalCode (or the ShipTo ones) of the ARSQRY
    header (Header.vb, linked at find_customer); None when all are blank."""
    parts = {
        part: _text(found.get(f"{prefix}{n}")).strip()
        for n, part in enumerate(_ADDRESS_LINE_PARTS, start=1)
    }
    parts["postal_code"] = _text(found.get(postal_element)).strip()
    if not any(parts.values()):
        return None
    return ErpAddress(**parts)


def _reference_in(statement: ET.Element | None, reference: str) -> dict | None:
    """The ARSQRY transaction carrying `reference`, with its invoice
    (TransDetail.vb, linked at _ar_document)."""
    if statement is None:
        return None
    for invoice in statement.iter("InvoiceDetail"):
        for detail in invoice.iter("TransDetail"):
            values = element_dict(detail)
            if _text(values.get("Reference")) == reference:
                return {**values, "Invoice": find_text(invoice, "Invoice")}
    return None


def _payment_within_balances(
    payload: dict, statement: ET.Element | None
) -> tuple[dict, str]:
    """The payment with no invoice paid beyond its balance, and why not.

    SYSPRO refuses a GrossPaymentValue over the invoice's balance; an invoice
    paid meanwhile (by cheque, by another buyer) would otherwise leave the
    whole card payment unbooked. The part over the balance goes unapplied
    (payment_xml posts what the lines leave as UnappliedPayment) and the
    reason is returned for a person to refund or reallocate. An invoice the
    statement does not list is left for SYSPRO to refuse by name.
    """
    lines = payload.get("InvoicesToPay") or []
    if not lines or statement is None:
        return payload, ""
    balances: dict[str, Decimal] = {}
    for invoice in statement.iter("InvoiceDetail"):
        number = find_text(invoice, "Invoice").strip()
        balance = decimal_or_none(find_text(invoice, "InvoiceBalance"))
        if number and balance is not None:
            balances[number] = balance
    kept, notes = [], []
    for line in lines:
        number = _text(line.get("Invoice")).strip()
        wanted = Decimal(_text(line.get("GrossPaymentValue")) or "0")
        balance = balances.get(number)
        if balance is None or wanted <= balance:
            kept.append(line)
            continue
        applied = max(balance, Decimal(0)).quantize(wanted)
        notes.append(
            f"invoice {number} owed {applied} of the {wanted} paid; "
            f"{wanted - applied} posted unapplied"
        )
        if applied > 0:
            kept.append({**line, "GrossPaymentValue": str(applied)})
    if not notes:
        return payload, ""
    return {**payload, "InvoicesToPay": kept}, "; ".join(notes)
