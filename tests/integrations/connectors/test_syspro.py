"""SysproConnector against a scripted e.net server: sessions, errors, adoption."""

import json
import logging
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
import requests

from integrations.connectors.errors import (
    AuthenticationError,
    DuplicateError,
    RateLimitedError,
    TransientError,
    UnknownOutcomeError,
    ValidationError,
)
from integrations.connectors.records import ErpStockLevel
from integrations.erps.syspro import connector as syspro_connector
from integrations.erps.syspro.connector import SysproConnector
from integrations.models import Connection

from .support import path_of, query_of, scripted_session

BASE = "http://erp.test/SYSPROWCFService/Rest"
OPERATOR_PASSWORD = "op-Secret-123"


class FakeSyspro:
    """Just enough e.net: one session per operator, replies per business object."""

    def __init__(self) -> None:
        self.sessions: set[str] = set()
        self.logons = 0
        self.logoffs: list[str] = []
        self.replies: dict[str, object] = {}
        self.calls: list[tuple[str, dict]] = []
        self.quote = False

    def __call__(self, request: requests.PreparedRequest) -> tuple:
        path = path_of(request).split("/Rest/", 1)[1]
        params = dict(query_of(request))
        self.calls.append((path, params))
        if path == "Logon":
            if params["OperatorPassword"] != OPERATOR_PASSWORD:
                return 200, self._body("ERROR: Invalid operator password")
            self.logons += 1
            user_id = f"GUID-{self.logons}"
            self.sessions = {user_id}  # a second logon ends the first session
            return 200, self._body(user_id)
        if path == "Logoff":
            self.logoffs.append(params["UserId"])
            self.sessions.discard(params["UserId"])
            return 200, self._body("0")
        if params.get("UserId") not in self.sessions:
            return 200, self._body("ERROR: Session expired or invalid UserId")
        reply = self.replies.get(params.get("BusinessObject"))
        if reply is None:
            return 200, self._body("e.net exception 100000 Business object not found")
        body = reply(params) if callable(reply) else reply
        return 200, self._body(body)

    def _body(self, text: str) -> str:
        return json.dumps(text) if self.quote else text

    def business_calls(self, business_object: str) -> list[dict]:
        return [p for _, p in self.calls if p.get("BusinessObject") == business_object]


def make_connection(**overrides) -> Connection:
    values = {
        "pk": 7,
        "kind": Connection.Kind.SYSPRO,
        "base_url": BASE,
        "config": {"operator": "ADMIN", "company_id": "EDU1"},
        "secrets": {
            "operator_password": OPERATOR_PASSWORD,
            "company_password": "co-Secret-456",
        },
        "timeout_seconds": 5,
        **overrides,
    }
    return Connection(**values)


@pytest.fixture
def erp() -> FakeSyspro:
    return FakeSyspro()


def connector_for(erp, **overrides) -> SysproConnector:
    session, _ = scripted_session(erp)
    return SysproConnector(make_connection(**overrides), session=session)


@pytest.fixture
def connector(erp) -> SysproConnector:
    return connector_for(erp)


STOCK_REPLY = (
    "<InvQuery><StockItem><StockCode>A100</StockCode><Description>Widget A"
    "</Description></StockItem><WarehouseItem><Warehouse>FG</Warehouse>"
    "<QtyOnHand>100</QtyOnHand></WarehouseItem></InvQuery>"
)


def test_logs_on_once_and_reuses_the_user_id_across_processes(erp, connector):
    erp.replies["INVQRY"] = STOCK_REPLY
    other_process = connector_for(erp)  # same cache, separate instance

    first = connector.stock("A100")
    connector.stock("A100")
    other_process.stock("A100")

    assert erp.logons == 1
    assert first.code == "A100"
    assert first.levels == (ErpStockLevel(warehouse="FG", on_hand=Decimal(100)),)
    query_calls = [p for path, p in erp.calls if path == "Query/Query"]
    assert {p["UserId"] for p in query_calls} == {"GUID-1"}


def test_stock_query_is_a_key_without_unknown_options(erp, connector):
    """INVQRY takes a Key; its Option has no warehouse switch (Zindaar/
    SYSPROIntegration SysproIntegration/InventoryPrimaryQuery/InventoryQuery/
    INVQRY.vb)."""
    erp.replies["INVQRY"] = STOCK_REPLY
    connector.stock("A100")
    query = ET.fromstring(erp.business_calls("INVQRY")[0]["XmlIn"])
    assert [child.tag for child in query] == ["Key"]
    assert query.findtext("Key/StockCode") == "A100"


def test_stock_reply_without_a_stock_item_element_is_read_too(erp, connector):
    erp.replies["INVQRY"] = (
        "<InvQuery><StockCode>A100</StockCode><Description>Widget A</Description>"
        "<QueryOptions><WarehouseItem><Warehouse>FG</Warehouse><QtyOnHand>7"
        "</QtyOnHand></WarehouseItem></QueryOptions></InvQuery>"
    )
    stock = connector.stock("A100")
    assert (stock.code, stock.description) == ("A100", "Widget A")
    assert stock.levels == (ErpStockLevel(warehouse="FG", on_hand=Decimal(7)),)


def test_parameters_travel_in_order_with_xml_parameters_before_xml_in(erp, connector):
    erp.replies["SORQSO"] = "<SorQuery></SorQuery>"
    erp.replies["SORTOI"] = (
        "<SalesOrders><Order><CustomerPoNumber>ch_1</CustomerPoNumber>"
        "<SalesOrder>000123</SalesOrder></Order></SalesOrders>"
    )
    session, adapter = scripted_session(erp)
    connector = SysproConnector(make_connection(), session=session)

    connector.create_sales_order({"Customer": "0000001", "lines": []}, reference="ch_1")

    post = next(r for r in adapter.requests if "Transaction/Post" in r.url)
    names = [name for name, _ in query_of(post)]
    assert names == ["UserId", "BusinessObject", "XmlParameters", "XmlIn"]
    assert post.method == "GET"


def test_json_quoted_replies_are_unwrapped(erp, connector):
    erp.quote = True
    erp.replies["INVQRY"] = STOCK_REPLY
    assert connector.stock("A100").code == "A100"


def test_refused_logon_is_an_authentication_error_without_secrets(erp, caplog):
    connector = connector_for(
        erp, secrets={"operator_password": "wrong-pw", "company_password": "x"}
    )
    erp.replies["INVQRY"] = STOCK_REPLY
    with caplog.at_level(logging.DEBUG), pytest.raises(AuthenticationError) as caught:
        connector.stock("A100")
    assert "Invalid operator password" in caught.value.message
    text = caught.value.message + repr(caught.value.extra) + caplog.text
    assert "wrong-pw" not in text
    assert OPERATOR_PASSWORD not in text


def test_expired_session_logs_on_again_and_retries_once(erp, connector):
    erp.replies["INVQRY"] = STOCK_REPLY
    connector.stock("A100")
    erp.sessions.clear()  # SYSPRO recycled its app pool

    assert connector.stock("A100").code == "A100"
    assert erp.logons == 2


def test_a_session_replaced_by_another_process_is_adopted(erp):
    erp.replies["INVQRY"] = STOCK_REPLY
    first = connector_for(erp)
    second = connector_for(erp)
    first.stock("A100")  # GUID-1 cached
    # Another process logged on with the same operator: GUID-1 is dead and
    # GUID-2 is what the cache holds now.
    second._session_user_id(stale="GUID-1")
    assert erp.logons == 2

    first.stock("A100")

    assert erp.logons == 2  # adopted GUID-2 instead of kicking it out
    assert erp.calls[-1][1]["UserId"] == "GUID-2"


class _CountedCache:
    """The cache, with its reads counted."""

    def __init__(self, real) -> None:
        self.real = real
        self.reads = 0

    def get(self, *args, **kwargs):
        self.reads += 1
        return self.real.get(*args, **kwargs)

    def __getattr__(self, name: str):
        return getattr(self.real, name)


def test_a_process_reuses_its_user_id_a_while_before_reading_the_cache(
    erp, connector, monkeypatch
):
    erp.replies["INVQRY"] = STOCK_REPLY
    connector.stock("A100")  # logged on: GUID-1
    counted = _CountedCache(syspro_connector.cache)
    monkeypatch.setattr(syspro_connector, "cache", counted)

    connector.stock("A100")
    connector.stock("A100")
    assert counted.reads == 0

    # once SESSION_MEMO_SECONDS have passed, the shared UserId is read again
    monkeypatch.setattr(syspro_connector, "SESSION_MEMO_SECONDS", 0)
    connector.stock("A100")
    assert counted.reads == 1
    assert erp.logons == 1
    assert {p["UserId"] for _, p in erp.calls if p.get("BusinessObject")} == {"GUID-1"}


def test_a_session_refused_twice_is_transient(erp, connector, monkeypatch):
    erp.replies["INVQRY"] = lambda params: "ERROR: Session expired"
    with pytest.raises(TransientError, match="fresh session"):
        connector.stock("A100")


def test_unknown_business_object_is_a_validation_error(erp, connector):
    with pytest.raises(ValidationError) as caught:
        connector.stock("A100")  # INVQRY not licensed in this fake
    assert caught.value.field == "BusinessObject"
    assert caught.value.value == "INVQRY"
    assert "100000" in caught.value.message


def test_xml_out_errors_become_validation_errors(erp, connector):
    erp.replies["SORQSO"] = "<SorQuery/>"
    erp.replies["SORTOI"] = (
        "<SalesOrders><Order><Customer><Value>0009999</Value>"
        "<ErrorNumber>110400</ErrorNumber><ErrorDescription>Customer not on file"
        "</ErrorDescription></Customer><ItemNumber>000001</ItemNumber></Order>"
        "<StatusOfItems><ItemsProcessed>00000</ItemsProcessed>"
        "<ItemsInvalid>00001</ItemsInvalid></StatusOfItems></SalesOrders>"
    )
    with pytest.raises(ValidationError) as caught:
        connector.create_sales_order({"Customer": "0009999"}, reference="ch_9")
    assert (caught.value.field, caught.value.value) == ("Customer", "0009999")
    assert "Customer not on file" in caught.value.describe()


@pytest.mark.parametrize(
    ("failure", "error_class"),
    [
        (requests.ReadTimeout("slow"), TransientError),
        (requests.ConnectionError("refused"), TransientError),
        ((503, "Service Unavailable"), TransientError),
        ((500, "boom"), TransientError),
        ((429, "slow down", {"Retry-After": "7"}), RateLimitedError),
        ((401, "no"), AuthenticationError),
    ],
)
def test_transport_failures_are_mapped(failure, error_class):
    def handler(request):
        if isinstance(failure, Exception):
            raise failure
        return failure

    session, _ = scripted_session(handler)
    connector = SysproConnector(make_connection(), session=session)
    with pytest.raises(error_class) as caught:
        connector.stock("A100")
    if error_class is RateLimitedError:
        assert caught.value.retry_after == 7.0


def test_create_sales_order_adopts_an_order_found_by_customer_po(erp, connector):
    erp.replies["SORQSO"] = (
        "<SorQuery><SalesOrderItem><SalesOrder>000555</SalesOrder>"
        "<CustomerPoNumber>ch_1</CustomerPoNumber><Customer>0000001</Customer>"
        "</SalesOrderItem></SorQuery>"
    )

    document = connector.create_sales_order(
        {"Customer": "0000001", "CustomerPoNumber": "ch_1"}, reference="ch_1"
    )

    assert (document.number, document.adopted) == ("000555", True)
    assert erp.business_calls("SORTOI") == []
    lookup = ET.fromstring(erp.business_calls("SORQSO")[0]["XmlIn"])
    po_filter = lookup.find("Filter/CustomerPo")
    assert (po_filter.get("FilterType"), po_filter.get("FilterValue")) == ("S", "ch_1")


def test_create_sales_order_ignores_orders_with_another_po(erp, connector):
    erp.replies["SORQSO"] = (
        "<SorQuery><SalesOrderItem><SalesOrder>000555</SalesOrder>"
        "<CustomerPoNumber>ch_10</CustomerPoNumber></SalesOrderItem></SorQuery>"
    )
    erp.replies["SORTOI"] = (
        "<SalesOrders><Order><CustomerPoNumber>ch_1</CustomerPoNumber>"
        "<SalesOrder>000556</SalesOrder></Order></SalesOrders>"
    )

    document = connector.create_sales_order({"Customer": "0000001"}, reference="ch_1")

    assert (document.number, document.adopted) == ("000556", False)
    xml_in = ET.fromstring(erp.business_calls("SORTOI")[0]["XmlIn"])
    assert xml_in.findtext("Orders/OrderHeader/CustomerPoNumber") == "ch_1"
    parameters = ET.fromstring(erp.business_calls("SORTOI")[0]["XmlParameters"])
    assert parameters.findtext("Parameters/Process") == "IMPORT"


def ar_statement(*details: str) -> str:
    return (
        "<ARStatement><Header><Customer>0000001</Customer><Name>Bayside Bikes</Name>"
        f"</Header>{''.join(details)}</ARStatement>"
    )


def invoice_detail(invoice: str, *references: str) -> str:
    """An ARSQRY InvoiceDetail with one TransDetail per reference (Zindaar/
    SYSPROIntegration Common/Query/BusinessObjects/CustomerQuery/TransDetail.vb)."""
    transactions = "".join(
        f"<TransDetail><Reference>{ref}</Reference><TrnValue>1.00</TrnValue>"
        "<JournalDate>2024-05-01</JournalDate></TransDetail>"
        for ref in references
    )
    return f"<InvoiceDetail><Invoice>{invoice}</Invoice>{transactions}</InvoiceDetail>"


def test_ar_lookups_ask_arsqry_with_options_only(erp, connector):
    """ARSQRY takes a Key and Options, no Filter; zero balances included
    (Zindaar/SYSPROIntegration ARPrimaryQuery/CustomerQuery/ARSQRY.vb)."""
    erp.replies["ARSQRY"] = ar_statement()
    erp.replies["ARSTPY"] = "<PostArPayment><Item/></PostArPayment>"
    connector.post_payment(
        {"Customer": "0000001", "PaymentValue": "1.00"}, reference="ch_9"
    )
    query = ET.fromstring(erp.business_calls("ARSQRY")[0]["XmlIn"])
    assert query.find("Filter") is None
    assert query.findtext("Key/Customer") == "0000001"
    assert [e.tag for e in query.find("Option")] == [
        "IncludeTransactions",
        "IncludeZeroBalances",
    ]
    assert query.findtext("Option/IncludeZeroBalances") == "Y"


def test_post_payment_adopts_a_payment_with_the_same_reference(erp, connector):
    erp.replies["ARSQRY"] = ar_statement(invoice_detail("ch_1", "ch_1"))
    document = connector.post_payment(
        {"Customer": "0000001", "PaymentValue": "19.99", "Reference": "ch_1"},
        reference="ch_1",
    )
    assert (document.number, document.adopted) == ("ch_1", True)
    assert erp.business_calls("ARSTPY") == []


def test_post_payment_creates_when_the_reference_is_new(erp, connector):
    """ARSTPY Payment: GrossPaymentValue inside UnappliedPayment, no
    SalesOrder (Zindaar/SYSPROIntegration ARPrimaryPosting/
    PostARPaymentsAdjustmentsAndMiscellaneousReceipts/ARSTPYDOC.vb)."""
    erp.replies["ARSQRY"] = ar_statement(invoice_detail("000100", "in_0", "ch_0"))
    erp.replies["ARSTPY"] = (
        "<PostArPayment><Item><Payment><TrnJournal>43</TrnJournal></Payment>"
        "</Item><StatusOfItems><ItemsProcessed>000001</ItemsProcessed>"
        "<ItemsRejectedWithWarnings>000000</ItemsRejectedWithWarnings>"
        "</StatusOfItems></PostArPayment>"
    )
    document = connector.post_payment(
        {"Customer": "0000001", "PaymentValue": "19.99", "Bank": "STRIPE"},
        reference="ch_1",
    )
    assert (document.number, document.adopted) == ("ch_1", False)
    posted = ET.fromstring(erp.business_calls("ARSTPY")[0]["XmlIn"])
    assert posted.findtext("Item/Payment/Reference") == "ch_1"
    assert posted.findtext("Item/Payment/UnappliedPayment/GrossPaymentValue") == "19.99"
    assert posted.find("Item/Payment/SalesOrder") is None


def test_credit_note_adopts_the_transaction_with_the_reference(erp, connector):
    erp.replies["ARSQRY"] = ar_statement(invoice_detail("C00012", "re_1"))
    document = connector.post_credit_note(
        {"Customer": "0000001", "InvoiceValue": "5.00"}, reference="re_1"
    )
    assert (document.number, document.adopted) == ("C00012", True)
    assert erp.business_calls("ARSTIN") == []


def test_credit_note_is_posted_as_transaction_type_c(erp, connector):
    """ARSTIN root PostArInvoices in both documents, ProductClass sent, a
    note without an invoice numbered by SYSPRO (Zindaar/SYSPROIntegration
    ARPrimaryPosting/AccountsReceivableInvoicePosting/ARSTIN.vb, ARSTINDOC.vb)."""
    erp.replies["ARSQRY"] = ar_statement()
    erp.replies["ARSTIN"] = (
        "<PostArInvoices><Item><Invoice>C00013</Invoice></Item></PostArInvoices>"
    )
    document = connector.post_credit_note(
        {
            "Customer": "0000001",
            "InvoiceValue": "5.00",
            "Invoice": "",
            "ProductClass": "STRP",
        },
        reference="re_2",
    )
    assert document.number == "C00013"
    call = erp.business_calls("ARSTIN")[0]
    assert ET.fromstring(call["XmlParameters"]).tag == "PostArInvoices"
    posted = ET.fromstring(call["XmlIn"])
    assert posted.tag == "PostArInvoices"
    assert posted.findtext("Item/TransactionType") == "C"
    assert posted.findtext("Item/Reference") == "re_2"
    assert posted.findtext("Item/GenerateInvoiceNumber") == "Y"
    assert posted.findtext("Item/ProductClass") == "STRP"


def test_credit_note_against_an_invoice_posts_to_it(erp, connector):
    """PostToExistingInvoice=Y keeps the note from colliding with the
    invoice's number (ARSTINDOC.vb)."""
    erp.replies["ARSQRY"] = ar_statement()
    erp.replies["ARSTIN"] = (
        "<PostArInvoices><Item><Invoice>000100</Invoice></Item></PostArInvoices>"
    )
    connector.post_credit_note(
        {"Customer": "0000001", "InvoiceValue": "5.00", "Invoice": "000100"},
        reference="re_3",
    )
    posted = ET.fromstring(erp.business_calls("ARSTIN")[0]["XmlIn"])
    assert posted.findtext("Item/PostToExistingInvoice") == "Y"
    assert posted.findtext("Item/Invoice") == "000100"
    assert posted.find("Item/GenerateInvoiceNumber") is None


def test_adjustment_adopts_or_posts(erp, connector):
    """ARSTPY Adjustments/InvoiceToAdjust against an AR invoice, with the
    mandatory JournalNotation (ARSTPYDOC.vb)."""
    erp.replies["ARSQRY"] = ar_statement(invoice_detail("000100", "in_1"))
    erp.replies["ARSTPY"] = (
        "<PostArPayment><Item><TrnJournal>50</TrnJournal></Item></PostArPayment>"
    )
    payload = {
        "Customer": "0000001",
        "Bank": "STRIPE",
        "Invoice": "000100",
        "AdjustmentValue": "-15.00",
        "JournalNotation": "Stripe dispute",
    }

    created = connector.post_adjustment(payload, reference="txn_dp1")
    erp.replies["ARSQRY"] = ar_statement(invoice_detail("000100", "in_1", "txn_dp1"))
    again = connector.post_adjustment(payload, reference="txn_dp1")

    assert (created.number, created.adopted) == ("txn_dp1", False)
    assert (again.number, again.adopted) == ("txn_dp1", True)
    assert len(erp.business_calls("ARSTPY")) == 1
    posted = ET.fromstring(erp.business_calls("ARSTPY")[0]["XmlIn"])
    to_adjust = posted.find("Item/Adjustments/InvoiceToAdjust")
    assert to_adjust.findtext("Reference") == "txn_dp1"
    assert to_adjust.findtext("Invoice") == "000100"
    assert to_adjust.findtext("AdjustmentValue") == "-15.00"
    assert to_adjust.findtext("JournalNotation") == "Stripe dispute"


def test_adjustment_without_invoice_is_a_debit_note(erp, connector):
    erp.replies["ARSQRY"] = ar_statement()
    erp.replies["ARSTIN"] = (
        "<PostArInvoices><Item><Invoice>0000007</Invoice></Item></PostArInvoices>"
    )
    document = connector.post_adjustment(
        {
            "Customer": "0000001",
            "AdjustmentValue": "-15.00",
            "ProductClass": "DISP",
            "InvoiceDate": "2024-05-01",
        },
        reference="dp_1:withdrawn",
    )
    assert document.number == "0000007"
    assert erp.business_calls("ARSTPY") == []
    posted = ET.fromstring(erp.business_calls("ARSTIN")[0]["XmlIn"])
    assert posted.findtext("Item/TransactionType") == "D"
    assert posted.findtext("Item/InvoiceValue") == "15.00"
    assert posted.findtext("Item/ProductClass") == "DISP"


def test_post_journal_never_queries_and_takes_the_period_from_the_calendar(erp):
    """There is no GENQJD; GENQJR cannot search by reference (PROTOCOLS.md
    section 1). GL period 1 is the financial year's first month (GENTJL, Zindaar/
    SYSPROIntegration GeneralLedgerPrimaryPosting/PostJournalsToGLSystemNormal
    ProvisionalUserDefinedStatisticalAlternateCurrency/)."""
    connector = connector_for(
        erp,
        config={
            "operator": "ADMIN",
            "company_id": "EDU1",
            "financial_year_start_month": "3",
        },
    )
    erp.replies["GENTJL"] = (
        "<postgljournal><Item><Transaction><Key><GlYear>2025</GlYear>"
        "<GlPeriod>3</GlPeriod><GlJournal>12</GlJournal></Key></Transaction>"
        "</Item></postgljournal>"
    )
    payload = {
        "JournalDate": "2024-05-03",
        "PostingPeriod": 5,
        "PostingYear": 2024,
        "lines": [
            {"LedgerCode": "1010", "EntryAmount": "10.00"},
            {"LedgerCode": "1090", "EntryAmount": "-10.00"},
        ],
    }
    created = connector.post_journal(payload, reference="po_1")

    assert (created.number, created.adopted) == ("2025-3-12", False)
    assert [p.get("BusinessObject") for _, p in erp.calls if _ != "Logon"] == ["GENTJL"]
    posted = ET.fromstring(erp.business_calls("GENTJL")[0]["XmlIn"])
    assert posted.findtext("Item/PostingPeriod") == "3"
    assert posted.findtext("Item/PostingYear") == "2025"


def test_journal_in_a_closed_period_is_held_with_a_reason(erp):
    connector = connector_for(
        erp,
        config={"operator": "ADMIN", "company_id": "EDU1", "gl_open_from": "2024-06"},
    )
    with pytest.raises(ValidationError) as caught:
        connector.post_journal(
            {"JournalDate": "2024-05-03", "lines": []}, reference="po_2"
        )
    assert "2024-05" in caught.value.message and "closed" in caught.value.message
    assert erp.business_calls("GENTJL") == []


@pytest.mark.parametrize(
    ("failure", "error_class"),
    [
        (requests.ReadTimeout("slow"), UnknownOutcomeError),
        (requests.ConnectTimeout("never connected"), TransientError),
        ((502, "Bad Gateway"), UnknownOutcomeError),
        ((500, "boom"), UnknownOutcomeError),
        ((503, "Service Unavailable"), TransientError),
    ],
)
def test_a_posting_whose_reply_may_be_lost_is_an_unknown_outcome(
    erp, connector, failure, error_class
):
    erp.replies["ARSQRY"] = ar_statement()

    def lost(params):
        if isinstance(failure, Exception):
            raise failure
        return failure

    erp.replies["ARSTPY"] = lost
    erp_call = erp.__call__

    def handler(request):
        result = erp_call(request)
        return result[1] if isinstance(result[1], tuple) else result

    session, _ = scripted_session(handler)
    connector = SysproConnector(make_connection(), session=session)
    with pytest.raises(error_class):
        connector.post_payment(
            {"Customer": "0000001", "PaymentValue": "1.00"}, reference="ch_lost"
        )


def test_journal_reply_lost_is_an_unknown_outcome(erp, connector):
    erp.replies["GENTJL"] = lambda params: (_ for _ in ()).throw(
        requests.ReadTimeout("read timed out")
    )
    with pytest.raises(UnknownOutcomeError):
        connector.post_journal(
            {"JournalDate": "2024-05-03", "lines": []}, reference="po_3"
        )


def test_upsert_customer_adds_new_and_updates_existing(erp, connector):
    erp.replies["ARSQRY"] = lambda params: (
        ar_statement()
        if "0000001" in params["XmlIn"]
        else "<ARStatement><Customer><Value>S000001</Value><ErrorNumber>100001"
        "</ErrorNumber><ErrorDescription>Customer not on file</ErrorDescription>"
        "</Customer></ARStatement>"
    )
    erp.replies["ARSSCS"] = (
        "<SetupArCustomer><Item><Key><Customer>S000001</Customer></Key></Item></SetupArCustomer>"
    )

    created = connector.upsert_customer(
        {"Customer": "S000001", "Name": "Ada"}, reference="cus_1"
    )
    updated = connector.upsert_customer(
        {"Customer": "0000001", "Name": "Bayside Bikes Ltd"}, reference="cus_2"
    )

    assert (created.number, created.adopted) == ("S000001", False)
    assert (updated.number, updated.adopted) == ("0000001", True)
    paths = [path for path, p in erp.calls if p.get("BusinessObject") == "ARSSCS"]
    assert paths == ["Setup/Add", "Setup/Update"]


def test_query_string_over_the_limit_is_refused_before_sending(erp, connector):
    erp.replies["ARSQRY"] = ar_statement()
    connector.max_query_string = 300
    with pytest.raises(ValidationError) as caught:
        connector.post_payment(
            {
                "Customer": "0000001",
                "PaymentValue": "1.00",
                "JournalNotation": "x" * 300,
            },
            reference="ch_long",
        )
    assert "query string" in caught.value.message
    assert erp.business_calls("ARSTPY") == []


def test_close_logs_off_only_its_own_live_session(erp):
    erp.replies["INVQRY"] = STOCK_REPLY
    first = connector_for(erp)
    second = connector_for(erp)
    first.stock("A100")
    second.stock("A100")  # reuses GUID-1, did not log on

    second.close()
    assert erp.logoffs == []
    first.close()
    assert erp.logoffs == ["GUID-1"]


def test_close_skips_logoff_of_a_session_already_replaced(erp):
    erp.replies["INVQRY"] = STOCK_REPLY
    first = connector_for(erp)
    second = connector_for(erp)
    first.stock("A100")
    second._session_user_id(stale="GUID-1")  # GUID-2 replaces it

    first.close()
    assert erp.logoffs == []
    second.close()
    assert erp.logoffs == ["GUID-2"]


def test_network_errors_do_not_carry_the_url_with_passwords():
    def handler(request):
        raise requests.ConnectionError(f"refused: {request.url}")

    session, _ = scripted_session(handler)
    connector = SysproConnector(make_connection(), session=session)
    with pytest.raises(TransientError) as caught:
        connector.stock("A100")
    assert caught.value.__cause__ is None
    assert caught.value.__suppress_context__
    assert OPERATOR_PASSWORD not in caught.value.message


def test_customer_added_by_someone_else_meanwhile_is_updated(erp):
    # given: the lookup misses, then another worker adds the customer first
    statements = iter(
        [
            "<ARStatement><Customer><Value>S000009</Value><ErrorNumber>200101"
            "</ErrorNumber><ErrorDescription>Customer 'S000009' not found"
            "</ErrorDescription></Customer></ARStatement>",
            ar_statement().replace("0000001", "S000009"),
        ]
    )
    erp.replies["ARSQRY"] = lambda params: next(statements)
    setups = []

    def setup_reply(params):
        setups.append(params)
        if len(setups) == 1:
            return (
                "<SetupArCustomer><Item><Customer><Value>S000009</Value>"
                "<ErrorNumber>200102</ErrorNumber><ErrorDescription>Customer "
                "'S000009' exists</ErrorDescription></Customer></Item>"
                "</SetupArCustomer>"
            )
        return (
            "<SetupArCustomer><Item><Customer>S000009</Customer></Item>"
            "</SetupArCustomer>"
        )

    erp.replies["ARSSCS"] = setup_reply
    connector = connector_for(erp)

    # when
    document = connector.upsert_customer(
        {"Customer": "S000009", "Name": "Ada"}, reference="cus_9"
    )

    # then
    assert (document.number, document.adopted) == ("S000009", True)
    paths = [path for path, p in erp.calls if p.get("BusinessObject") == "ARSSCS"]
    assert paths == ["Setup/Add", "Setup/Update"]


def test_create_only_refuses_a_taken_code_without_touching_it(erp):
    # given SYSPRO holds the code (ARSSCS Add refuses it on the Customer element)
    erp.replies["ARSSCS"] = lambda params: (
        "<SetupArCustomer><Item><Customer><Value>S000009</Value>"
        "<ErrorNumber>200102</ErrorNumber><ErrorDescription>Customer "
        "'S000009' exists</ErrorDescription></Customer></Item>"
        "</SetupArCustomer>"
    )
    connector = connector_for(erp)

    # when a new customer is created under it
    with pytest.raises(DuplicateError) as refused:
        connector.upsert_customer(
            {"Customer": "S000009", "Name": "Ada"}, reference="cus_9", create_only=True
        )

    # then the caller hears the code is taken; nothing was asked or updated
    assert refused.value.value == "S000009"
    business_objects = [p.get("BusinessObject") for _, p in erp.calls]
    assert "ARSQRY" not in business_objects
    paths = [path for path, p in erp.calls if p.get("BusinessObject") == "ARSSCS"]
    assert paths == ["Setup/Add"]


def test_find_customer_asks_arsqry_for_the_header_without_transactions(erp, connector):
    """IncludeTransactions defaults to Y (ARPrimaryQuery/CustomerQuery/
    ARSQRY.vb): the header is all find_customer reads, so it says N."""
    erp.replies["ARSQRY"] = ar_statement()

    found = connector.find_customer(code="0000001")

    assert (found.code, found.name) == ("0000001", "Bayside Bikes")
    query = ET.fromstring(erp.business_calls("ARSQRY")[0]["XmlIn"])
    assert query.findtext("Option/IncludeTransactions") == "N"
    assert query.findtext("Option/IncludeZeroBalances") == "N"


def test_query_string_values_are_form_encoded(erp):
    session, adapter = scripted_session(erp)
    connector = SysproConnector(make_connection(), session=session)
    erp.replies["ARSQRY"] = "<ArStatement><Header/></ArStatement>"
    code = "A&B=C#D+E F%20?"

    connector.find_customer(code=code)

    request = adapter.requests[-1]
    assert "#" not in request.url
    assert [name for name, _ in query_of(request)] == [
        "UserId",
        "BusinessObject",
        "XmlIn",
    ]
    xml_in = ET.fromstring(dict(query_of(request))["XmlIn"])
    assert xml_in.find("Key/Customer").text == code


# A record's first send (the ledger's never_sent) skips the lookup ------------


def test_a_first_send_of_an_order_imports_without_asking_sorqso(erp, connector):
    erp.replies["SORTOI"] = (
        "<SalesOrders><Order><CustomerPoNumber>ch_1</CustomerPoNumber>"
        "<SalesOrder>000556</SalesOrder></Order></SalesOrders>"
    )

    document = connector.create_sales_order(
        {"Customer": "0000001"}, reference="ch_1", never_sent=True
    )

    assert (document.number, document.adopted) == ("000556", False)
    assert erp.business_calls("SORQSO") == []


def test_a_first_send_of_a_payment_paying_no_invoice_asks_no_statement(erp, connector):
    erp.replies["ARSTPY"] = "<PostArPayment><Item/></PostArPayment>"

    document = connector.post_payment(
        {"Customer": "0000001", "PaymentValue": "19.99"},
        reference="ch_1",
        never_sent=True,
    )

    assert (document.number, document.adopted) == ("ch_1", False)
    assert erp.business_calls("ARSQRY") == []


def test_a_first_send_of_a_payment_paying_invoices_still_reads_their_balances(
    erp, connector
):
    # given an invoice that owes less than the charge pays towards it
    erp.replies["ARSQRY"] = ar_statement(
        "<InvoiceDetail><Invoice>000100</Invoice>"
        "<InvoiceBalance>5.00</InvoiceBalance></InvoiceDetail>"
    )
    erp.replies["ARSTPY"] = "<PostArPayment><Item/></PostArPayment>"

    document = connector.post_payment(
        {
            "Customer": "0000001",
            "PaymentValue": "19.99",
            "InvoicesToPay": [{"Invoice": "000100", "GrossPaymentValue": "19.99"}],
        },
        reference="ch_1",
        never_sent=True,
    )

    # then the statement was read and the excess posted unapplied
    assert len(erp.business_calls("ARSQRY")) == 1
    assert "owed 5.00 of the 19.99" in document.attention


def test_a_first_send_of_an_ar_invoice_or_adjustment_asks_no_statement(erp, connector):
    erp.replies["ARSTIN"] = (
        "<PostArInvoices><Item><Invoice>000101</Invoice></Item></PostArInvoices>"
    )
    erp.replies["ARSTPY"] = "<PostArPayment><Item/></PostArPayment>"

    connector.create_invoice(
        {"Customer": "0000001", "InvoiceValue": "120.00"},
        reference="in_1",
        never_sent=True,
    )
    connector.post_credit_note(
        {"Customer": "0000001", "InvoiceValue": "5.00"},
        reference="re_1",
        never_sent=True,
    )
    connector.post_adjustment(
        {"Customer": "0000001", "Invoice": "000100", "AdjustmentValue": "-1.00"},
        reference="txn_1",
        never_sent=True,
    )

    assert erp.business_calls("ARSQRY") == []
    assert len(erp.business_calls("ARSTIN")) == 2
    assert len(erp.business_calls("ARSTPY")) == 1
