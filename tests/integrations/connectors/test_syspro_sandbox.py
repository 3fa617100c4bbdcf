"""SysproConnector end to end against the in-process SYSPRO sandbox."""

from decimal import Decimal

import pytest
from django.conf import settings

from integrations.connectors.errors import (
    AuthenticationError,
    TransientError,
    UnknownOutcomeError,
    ValidationError,
)
from integrations.erps.syspro.connector import SysproConnector

from .conftest import control, sandbox_state

pytest.importorskip("sandbox.syspro.views")

pytestmark = pytest.mark.django_db

ROOT = "/sandbox/syspro"


@pytest.fixture
def connector(syspro_connection, sandbox_http) -> SysproConnector:
    connector = SysproConnector(syspro_connection, session=sandbox_http)
    yield connector
    connector.close()


def set_faults(session, **switches) -> None:
    control(session, ROOT, settings.SANDBOX_SYSPRO_CONTROL_KEY, **switches)


def state(session) -> dict:
    return sandbox_state(session, ROOT, settings.SANDBOX_SYSPRO_CONTROL_KEY)


ORDER = {
    "Customer": "0000001",
    "OrderDate": "2024-05-01",
    "Currency": "USD",
    "Email": "accounts@baysidebikes.example",
    "Warehouse": "FG",
    "ShipAddress1": "1 Harbour Road",
    "lines": [
        {
            "LineType": "stock",
            "StockCode": "A100",
            "Warehouse": "FG",
            "OrderQty": "2",
            "OrderUom": "EA",
            "Price": "9.00",
            "PriceUom": "EA",
        },
        {
            "LineType": "misc",
            "MiscChargeValue": "1.99",
            "MiscProductClass": "_OTH",
            "MiscDescription": "Stripe payment",
        },
    ],
}


def test_queries_read_seeded_master_data(connector):
    customer = connector.find_customer(code="0000001")
    assert customer.code == "0000001"
    assert connector.find_customer(code="9999999") is None

    stock = connector.stock("A100")
    assert stock.code == "A100"
    assert any(level.warehouse == "FG" for level in stock.levels)

    prices = connector.customer_prices("0000001")
    a100 = next(p for p in prices if p.stock_code == "A100")
    assert a100.price == Decimal("9.00")

    profile = connector.logon_profile()
    assert profile["CompanyId"] == settings.SANDBOX_SYSPRO_COMPANY


def test_sales_order_is_created_once_and_adopted_on_replay(connector, sandbox_http):
    created = connector.create_sales_order(
        {**ORDER, "CustomerPoNumber": "ch_3Ord1"}, reference="ch_3Ord1"
    )
    replay = connector.create_sales_order(
        {**ORDER, "CustomerPoNumber": "ch_3Ord1"}, reference="ch_3Ord1"
    )

    assert created.number and not created.adopted
    assert (replay.number, replay.adopted) == (created.number, True)
    orders = [
        o for o in state(sandbox_http)["sales_orders"] if o["reference"] == "ch_3Ord1"
    ]
    assert len(orders) == 1
    assert Decimal(orders[0]["order_value"]) == Decimal("19.99")
    listed = connector.customer_orders("0000001")
    assert created.number in [o.number for o in listed]


def test_an_order_sent_twice_as_a_first_send_is_refused_by_po_and_adopted(
    connector, sandbox_http
):
    """SORTOI refuses a second order with the customer's PO (SORTOI_PARAMETERS
    keep it an error): an order wrongly sent without its lookup is still
    written once."""
    order = {**ORDER, "CustomerPoNumber": "ch_3Blind"}
    created = connector.create_sales_order(order, reference="ch_3Blind")

    again = connector.create_sales_order(order, reference="ch_3Blind", never_sent=True)

    assert (again.number, again.adopted) == (created.number, True)
    orders = [
        o for o in state(sandbox_http)["sales_orders"] if o["reference"] == "ch_3Blind"
    ]
    assert len(orders) == 1


def test_customer_is_added_then_updated(connector, sandbox_http):
    payload = {
        "Customer": "S000042",
        "Name": "Ada Lovelace Ltd",
        "ShortName": "ADA",
        "Email": "ada@example.com",
        "Currency": "USD",
        "TermsCode": "30",
        "CreditLimit": "0",
        "SoldToAddr1": "12 St James Sq",
    }
    created = connector.upsert_customer(payload, reference="cus_Ada")
    updated = connector.upsert_customer(
        {**payload, "Name": "Ada Lovelace plc", "Telephone": ""},
        reference="cus_Ada",
    )

    assert (created.number, created.adopted) == ("S000042", False)
    assert (updated.number, updated.adopted) == ("S000042", True)
    customer = next(
        c for c in state(sandbox_http)["customers"] if c["code"] == "S000042"
    )
    assert customer["name"] == "Ada Lovelace plc"


def test_an_update_keeps_the_hold_terms_and_currency_finance_set(
    connector, sandbox_http
):
    payload = {
        "Customer": "S000043",
        "Name": "Hold Co",
        "Currency": "USD",
        "TermsCode": "30",
        "CustomerOnHold": "N",
    }
    connector.upsert_customer(payload, reference="cus_Hold")
    # Finance puts the account on hold, on other terms, in SYSPRO itself.
    connector.setup(
        "Update",
        "ARSSCS",
        "<SetupArCustomer><Parameters><ValidateOnly>N</ValidateOnly></Parameters>"
        "</SetupArCustomer>",
        "<SetupArCustomer><Item><Key><Customer>S000043</Customer></Key>"
        "<TermsCode>CO</TermsCode><CustomerOnHold>Y</CustomerOnHold>"
        "</Item></SetupArCustomer>",
    )

    # The Stripe profile changes: the template sends its defaults again.
    connector.upsert_customer(
        {**payload, "Name": "Hold Co plc", "Currency": "EUR"}, reference="cus_Hold"
    )

    customer = next(
        c for c in state(sandbox_http)["customers"] if c["code"] == "S000043"
    )
    assert customer["name"] == "Hold Co plc"
    assert (customer["on_hold"], customer["terms_code"]) == (True, "CO")
    assert customer["currency"] == "USD"


def test_payment_credit_note_adjustment_are_exactly_once_and_journals_post_once(
    connector, sandbox_http
):
    """AR documents are looked up by reference through ARSQRY's TransDetail
    (Zindaar/SYSPROIntegration SysproIntegration/Common/Query/BusinessObjects/
    CustomerQuery/TransDetail.vb); journals cannot be, so they post once."""
    connector.create_sales_order(
        {**ORDER, "CustomerPoNumber": "ch_3Pay1"}, reference="ch_3Pay1"
    )
    payment = {
        "Customer": "0000001",
        "PaymentValue": "19.99",
        "Reference": "ch_3Pay1",
        "PaymentDate": "2024-05-01",
        "Bank": "STRIPE",
        "PaymentType": "O",
        "JournalNotation": "Stripe charge ch_3Pay1",
        "InvoiceToPay": "",
    }
    paid = connector.post_payment(payment, reference="ch_3Pay1")
    paid_again = connector.post_payment(payment, reference="ch_3Pay1")
    assert not paid.adopted and paid_again.adopted

    invoice = {
        "TransactionType": "I",
        "Customer": "0000001",
        "Invoice": "",
        "InvoiceDate": "2024-05-02",
        "Reference": "in_3Inv1",
        "InvoiceValue": "40.00",
        "TaxValue": "0",
        "ProductClass": "STRP",
    }
    billed = connector.create_invoice(invoice, reference="in_3Inv1")
    assert connector.create_invoice(invoice, reference="in_3Inv1").adopted

    credit = {
        "TransactionType": "C",
        "Customer": "0000001",
        "Invoice": billed.number,
        "InvoiceDate": "2024-05-02",
        "Reference": "re_3Ref1",
        "InvoiceValue": "5.00",
        "TaxValue": "0",
        "ProductClass": "STRP",
    }
    note = connector.post_credit_note(credit, reference="re_3Ref1")
    note_again = connector.post_credit_note(credit, reference="re_3Ref1")
    assert note_again.adopted and note_again.number == note.number == billed.number

    adjustment = {
        "Customer": "0000001",
        "Bank": "STRIPE",
        "TransactionType": "I",
        "Invoice": billed.number,
        "AdjustmentValue": "-15.00",
        "Reference": "txn_3Dsp1",
        "JournalNotation": "Dispute dp_1 funds withdrawn",
    }
    connector.post_adjustment(adjustment, reference="txn_3Dsp1")
    assert connector.post_adjustment(adjustment, reference="txn_3Dsp1").adopted

    journal = {
        "JournalType": "N",
        "JournalDate": "2024-05-03",
        "JournalReference": "po_3Pout1",
        "Notation": "Stripe payout po_3Pout1",
        "lines": [
            {"LedgerCode": "1010", "EntryAmount": "97.10", "Reference": "po_3Pout1"},
            {"LedgerCode": "6210", "EntryAmount": "2.90", "Reference": "po_3Pout1"},
            {"LedgerCode": "1090", "EntryAmount": "-100.00", "Reference": "po_3Pout1"},
        ],
    }
    posted = connector.post_journal(journal, reference="po_3Pout1")
    assert posted.number.startswith("2024-5-")

    current = state(sandbox_http)
    assert [p["reference"] for p in current["payments"]] == ["ch_3Pay1"]
    assert [c["reference"] for c in current["credit_notes"]] == ["re_3Ref1"]
    assert [a["reference"] for a in current["adjustments"]] == ["txn_3Dsp1"]
    assert [j["reference"] for j in current["journals"]] == ["po_3Pout1"]
    # 40.00 invoiced, 5.00 credited, a 15.00 withdrawal owed again: 50.00.
    (billed_row,) = current["invoices"]
    assert billed_row["balance"] == "50.00"


def test_adjustment_without_an_invoice_is_a_debit_note(connector, sandbox_http):
    """ARSTPY adjusts AR invoices only (ARSTPYDOC.vb InvoiceToAdjust/Invoice);
    without one the withdrawal is an ARSTIN debit note (ARSTINDOC.vb)."""
    adjustment = {
        "Customer": "0000001",
        "Bank": "STRIPE",
        "TransactionType": "I",
        "Invoice": "",
        "AdjustmentValue": "-30.00",
        "Reference": "dp_3Dsp2:withdrawn",
        "JournalNotation": "Stripe dispute",
        "ProductClass": "DISP",
        "InvoiceDate": "2024-05-04",
    }
    first = connector.post_adjustment(adjustment, reference="dp_3Dsp2:withdrawn")
    again = connector.post_adjustment(adjustment, reference="dp_3Dsp2:withdrawn")
    assert again.adopted and again.number == first.number
    (note,) = state(sandbox_http)["debit_notes"]
    assert (note["reference"], note["invoice_value"]) == ("dp_3Dsp2:withdrawn", "30.00")


def test_validation_errors_carry_syspro_message_field_and_value(connector):
    bad = {**ORDER, "lines": [{**ORDER["lines"][0], "StockCode": "NOPE1"}]}
    with pytest.raises(ValidationError) as caught:
        connector.create_sales_order(bad, reference="ch_3Bad1")
    assert caught.value.field == "StockCode"
    assert caught.value.value == "NOPE1"
    assert "not found" in caught.value.message

    unbalanced = {
        "JournalDate": "2024-05-03",
        "lines": [
            {"LedgerCode": "1010", "EntryAmount": "10.00"},
            {"LedgerCode": "1090", "EntryAmount": "-9.99"},
        ],
    }
    with pytest.raises(ValidationError) as caught:
        connector.post_journal(unbalanced, reference="po_3Bad1")
    assert caught.value.field == "JournalDetails"


def test_expired_sessions_are_replaced_transparently(connector, sandbox_http):
    connector.stock("A100")
    set_faults(sandbox_http, session_expired=True)

    assert connector.stock("A100").code == "A100"


def test_another_process_logging_on_does_not_break_this_one(
    syspro_connection, sandbox_http
):
    first = SysproConnector(syspro_connection, session=sandbox_http)
    second = SysproConnector(syspro_connection, session=sandbox_http)
    first.stock("A100")
    second.stock("A100")  # shares the cached session instead of logging on
    first.stock("A100")
    assert first._own_user_ids and not second._own_user_ids


def test_rejected_credentials_are_an_authentication_error(connector, sandbox_http):
    set_faults(sandbox_http, reject_credentials=True)
    with pytest.raises(AuthenticationError):
        connector.stock("A100")


def test_wrong_password_is_an_authentication_error(syspro_connection, sandbox_http):
    syspro_connection.secrets = {
        **syspro_connection.secrets,
        "operator_password": "not-it",
    }
    connector = SysproConnector(syspro_connection, session=sandbox_http)
    with pytest.raises(AuthenticationError) as caught:
        connector.stock("A100")
    assert "not-it" not in caught.value.message


@pytest.mark.parametrize("switch", [{"down": True}, {"error_rate": 1}])
def test_outages_are_transient(connector, sandbox_http, switch):
    set_faults(sandbox_http, **switch)
    with pytest.raises(TransientError):
        connector.stock("A100")


def test_a_lost_reply_after_a_write_is_retried_into_adoption(connector, sandbox_http):
    set_faults(sandbox_http, error_after_write_rate=1)
    with pytest.raises(UnknownOutcomeError):
        connector.create_sales_order(
            {**ORDER, "CustomerPoNumber": "ch_3Lost"}, reference="ch_3Lost"
        )
    set_faults(sandbox_http, error_after_write_rate=0)

    retried = connector.create_sales_order(
        {**ORDER, "CustomerPoNumber": "ch_3Lost"}, reference="ch_3Lost"
    )

    assert retried.adopted
    orders = [
        o for o in state(sandbox_http)["sales_orders"] if o["reference"] == "ch_3Lost"
    ]
    assert len(orders) == 1


LOST_REPLY_WRITES = {
    "payment": (
        "post_payment",
        {
            "Customer": "0000001",
            "PaymentValue": "12.00",
            "PaymentDate": "2024-05-01",
            "Bank": "STRIPE",
            "PaymentType": "O",
            "JournalNotation": "Stripe charge",
        },
        "payments",
    ),
    "debit note": (
        "post_adjustment",
        {
            "Customer": "0000001",
            "AdjustmentValue": "-7.00",
            "JournalNotation": "Stripe dispute",
            "ProductClass": "DISP",
            "InvoiceDate": "2024-05-01",
        },
        "debit_notes",
    ),
    "adjustment of an invoice": (
        "post_adjustment",
        {
            "Customer": "0000002",
            "Invoice": "LOSTINV",
            "AdjustmentValue": "-2.00",
            "JournalNotation": "Stripe dispute",
        },
        "adjustments",
    ),
    "invoice": (
        "create_invoice",
        {
            "Customer": "0000001",
            "InvoiceDate": "2024-05-01",
            "InvoiceValue": "21.00",
            "ProductClass": "STRP",
        },
        "invoices",
    ),
    "credit note": (
        "post_credit_note",
        {
            "Customer": "0000001",
            "InvoiceDate": "2024-05-01",
            "InvoiceValue": "3.00",
            "ProductClass": "STRP",
        },
        "credit_notes",
    ),
}


@pytest.mark.parametrize("kind", sorted(LOST_REPLY_WRITES))
def test_reply_lost_after_syspro_committed_is_adopted_on_retry(
    connector, sandbox_http, kind
):
    # given SYSPRO commits the document and the reply never arrives
    operation, payload, listed = LOST_REPLY_WRITES[kind]
    reference = f"ref_3Lost_{kind.replace(' ', '_')}"[:30]
    if payload.get("Invoice") == "LOSTINV":
        connector.create_invoice(
            {
                "Customer": "0000002",
                "Invoice": "LOSTINV",
                "InvoiceValue": "9.00",
                "ProductClass": "STRP",
            },
            reference="in_3LostInv",
        )
    set_faults(sandbox_http, error_after_write_rate=1)
    with pytest.raises(UnknownOutcomeError):
        getattr(connector, operation)(payload, reference=reference)
    set_faults(sandbox_http, error_after_write_rate=0)

    # when the ledger retries
    retried = getattr(connector, operation)(payload, reference=reference)

    # then the lookup finds what SYSPRO committed: one document
    assert retried.adopted
    rows = [r for r in state(sandbox_http)[listed] if r["reference"] == reference]
    assert len(rows) == 1


def test_customer_reply_lost_is_adopted_and_updated_on_retry(connector, sandbox_http):
    customer = {"Customer": "S000077", "Name": "Lost Reply Ltd", "Currency": "USD"}
    set_faults(sandbox_http, error_after_write_rate=1)
    with pytest.raises(UnknownOutcomeError):
        connector.upsert_customer(customer, reference="cus_3Lost")
    set_faults(sandbox_http, error_after_write_rate=0)

    retried = connector.upsert_customer(customer, reference="cus_3Lost")

    assert retried.adopted and retried.number == "S000077"
    codes = [c["code"] for c in state(sandbox_http)["customers"]]
    assert codes.count("S000077") == 1


def test_journal_reply_lost_is_an_unknown_outcome_not_a_retry(connector, sandbox_http):
    """GENQJR cannot find a journal by reference and there is no GENQJD
    (PROTOCOLS.md section 1): a lost GENTJL reply goes to a person."""
    journal = {
        "JournalDate": "2024-05-03",
        "lines": [
            {"LedgerCode": "1010", "EntryAmount": "10.00"},
            {"LedgerCode": "1090", "EntryAmount": "-10.00"},
        ],
    }
    set_faults(sandbox_http, error_after_write_rate=1)
    with pytest.raises(UnknownOutcomeError) as caught:
        connector.post_journal(journal, reference="po_3Lost")
    set_faults(sandbox_http, error_after_write_rate=0)
    assert "may have been posted" in caught.value.message
    assert [j["reference"] for j in state(sandbox_http)["journals"]] == ["po_3Lost"]


def _order_of(lines: int) -> dict:
    return {
        **ORDER,
        "lines": [
            {**ORDER["lines"][0], "CustomerPoLine": str(n)} for n in range(1, lines + 1)
        ],
    }


@pytest.mark.parametrize(("lines", "parts"), [(1, 1), (20, 7), (200, 67)])
def test_long_orders_are_split_into_add_lines_imports(
    connector, sandbox_http, lines, parts
):
    """IIS refuses query strings over maxQueryString, 2,048 bytes by default
    (learn.microsoft.com, requestFiltering/requestLimits): the lines that do
    not fit are added to the order by SORTOI with OrderActionType C
    (Zindaar/SYSPROIntegration SysproIntegration/SalesOrdersPrimaryPosting/
    SalesOrderImport/SORTOIDOC.vb)."""
    reference = f"ch_3Size{lines}"
    order = {**_order_of(lines), "CustomerPoNumber": reference}
    created = connector.create_sales_order(order, reference=reference)
    assert created.raw["parts"] == parts
    (stored,) = [
        o for o in state(sandbox_http)["sales_orders"] if o["reference"] == reference
    ]
    assert stored["sales_order"] == created.number
    assert len(stored["lines"]) == lines
    assert stored["order_value"] == f"{18 * lines:.2f}"


def test_a_split_order_whose_reply_was_lost_is_completed_not_duplicated(
    connector, sandbox_http
):
    # given the first part of a 6-line order committed and its reply was lost
    order = {**_order_of(6), "CustomerPoNumber": "ch_3SplitLost"}
    set_faults(sandbox_http, error_after_write_rate=1)
    with pytest.raises(UnknownOutcomeError):
        connector.create_sales_order(order, reference="ch_3SplitLost")
    set_faults(sandbox_http, error_after_write_rate=0)

    # when the ledger retries
    retried = connector.create_sales_order(order, reference="ch_3SplitLost")

    # then the order is adopted and only its missing lines are added
    assert retried.adopted
    (stored,) = [
        o
        for o in state(sandbox_http)["sales_orders"]
        if o["reference"] == "ch_3SplitLost"
    ]
    assert len(stored["lines"]) == 6


def test_a_long_journal_posts_as_balanced_batches_that_net_to_it(
    connector, sandbox_http
):
    """Each GENTJL document must balance; the carried lines on the first
    ledger code net to zero, so the GL sees exactly the journal's lines."""
    lines = []
    for n in range(1, 21):
        lines += [
            {"LedgerCode": "6210", "EntryAmount": f"{n}.00", "Comment": f"fee {n}"},
            {"LedgerCode": "1090", "EntryAmount": f"-{n}.00", "Comment": f"fee {n}"},
        ]
    journal = {"JournalDate": "2024-05-03", "lines": lines}

    posted = connector.post_journal(journal, reference="po_3Long")

    journals = [
        j for j in state(sandbox_http)["journals"] if j["reference"] == "po_3Long"
    ]
    assert posted.number == ",".join(
        f"{j['gl_year']}-{j['gl_period']}-{j['gl_journal']}" for j in journals
    )
    assert len(journals) > 1
    totals: dict[str, Decimal] = {}
    for entry in journals:
        amounts = [Decimal(line["amount"]) for line in entry["lines"]]
        assert sum(amounts) == 0
        for line in entry["lines"]:
            code = line["ledger_code"]
            totals[code] = totals.get(code, Decimal(0)) + Decimal(line["amount"])
    assert totals == {"6210": Decimal(210), "1090": Decimal(-210)}


def test_one_line_too_long_for_the_limit_is_refused_with_a_reason(connector):
    connector.max_query_string = 600
    with pytest.raises(ValidationError) as caught:
        connector.create_sales_order(
            {**_order_of(1), "CustomerPoNumber": "ch_3Tiny"}, reference="ch_3Tiny"
        )
    assert "raise the limit" in caught.value.message


def test_a_limit_set_above_the_server_s_is_reported_as_a_length_problem(
    connector, sandbox_http
):
    # given the connection says the server accepts more than it really does
    connector.max_query_string = 100_000
    order = {**_order_of(20), "CustomerPoNumber": "ch_3Size20b"}
    # then the server's 404.15 is reported as a length problem, not a bad URL
    with pytest.raises(ValidationError) as caught:
        connector.create_sales_order(order, reference="ch_3Size20b")
    assert "query string" in caught.value.message


def test_connector_for_builds_the_registered_connector_from_a_stored_connection(
    monkeypatch,
):
    from integrations.connectors import http
    from integrations.erps import registry
    from tests.factories import ConnectionFactory
    from tests.support.wsgi import wsgi_session

    connection = ConnectionFactory(
        kind="syspro",
        base_url="http://testserver/sandbox/syspro/SYSPROWCFService/Rest",
        config={
            "operator": settings.SANDBOX_SYSPRO_OPERATOR,
            "company_id": settings.SANDBOX_SYSPRO_COMPANY,
        },
    )
    connection.refresh_from_db()  # secrets come back decrypted
    monkeypatch.setattr(
        http, "SESSION_FACTORY", lambda c: wsgi_session("http://testserver")
    )
    try:
        connector = registry.connector_for(connection)
        assert isinstance(connector, SysproConnector)
        assert registry.connector_for(connection) is connector
        assert connector.stock("B100").code == "B100"
    finally:
        registry.close_all()
