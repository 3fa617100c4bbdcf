"""Business-object XML built from payloads and XmlOut parsed, per PROTOCOLS.md §1."""

import xml.etree.ElementTree as ET

import pytest
from defusedxml import ElementTree as DefusedET

from integrations.connectors.errors import TransientError, ValidationError
from integrations.erps.syspro import xmldoc as syspro


def parse(xml: str) -> ET.Element:
    return ET.fromstring(xml)


def test_unwrap_body_handles_json_quoted_replies():
    assert syspro.unwrap_body('"<a>1</a>"') == "<a>1</a>"
    assert syspro.unwrap_body('"ERROR: Invalid operator password"').startswith("ERROR")
    assert syspro.unwrap_body("  <a/>\n") == "<a/>"
    assert syspro.unwrap_body('"\\u003cX\\u003e"') == "<X>"


def test_customer_xml_keys_the_customer_and_skips_blanks():
    payload = {
        "Customer": "S000042",
        "Name": "Ada & Co",
        "Email": "ada@example.com",
        "Currency": "USD",
        "Telephone": "",
        "CreditLimit": "0",
        "CustomerOnHold": "N",
    }
    root = parse(syspro.customer_xml(payload, code="S000042"))
    assert root.tag == "SetupArCustomer"
    item = root.find("Item")
    assert item.findtext("Key/Customer") == "S000042"
    assert item.findtext("Name") == "Ada & Co"
    assert item.findtext("CreditLimit") == "0"
    assert item.find("Telephone") is None


def test_sales_order_xml_has_header_stock_and_misc_lines():
    """StockLine with PriceUom beside Price, MiscChargeLine with
    MiscProductClass (Zindaar/SYSPROIntegration SysproIntegration/
    SalesOrdersPrimaryPosting/SalesOrderImport/SORTOIDOC.vb)."""
    payload = {
        "CustomerPoNumber": "",
        "Customer": "0000001",
        "OrderDate": "2024-05-01",
        "Currency": "USD",
        "Warehouse": "FG",
        "ShipAddress1": "1 Main St",
        "lines": [
            {
                "LineType": "stock",
                "StockCode": "A100",
                "Warehouse": "FG",
                "OrderQty": "2",
                "OrderUom": "EA",
                "Price": "9.00",
            },
            {
                "LineType": "misc",
                "MiscChargeValue": "1.99",
                "MiscProductClass": "_OTH",
                "MiscDescription": "Stripe payment",
            },
        ],
    }
    root = parse(syspro.sales_order_xml(payload, po_number="ch_123"))
    header = root.find("Orders/OrderHeader")
    assert header.findtext("CustomerPoNumber") == "ch_123"
    assert header.findtext("OrderActionType") == "A"
    assert header.findtext("Customer") == "0000001"
    stock = root.find("Orders/OrderDetails/StockLine")
    assert stock.findtext("StockCode") == "A100"
    assert stock.findtext("Price") == "9.00"
    assert stock.findtext("PriceUom") == "EA"  # the order unit when not mapped
    assert stock.findtext("CustomerPoLine") == "1"
    assert stock.find("LineType") is None
    misc = root.find("Orders/OrderDetails/MiscChargeLine")
    assert misc.findtext("MiscChargeValue") == "1.99"
    assert misc.findtext("MiscProductClass") == "_OTH"
    assert misc.findtext("CustomerPoLine") == "2"


def test_parameters_xml():
    root = parse(syspro.parameters_xml("SalesOrders", syspro.SORTOI_PARAMETERS))
    assert root.findtext("Parameters/Process") == "IMPORT"
    assert root.findtext("Parameters/AlwaysUsePriceEntered") == "Y"


def test_payment_xml_applied_and_unapplied():
    """GrossPaymentValue inside InvoiceToPay and UnappliedPayment; Payment has
    no SalesOrder (Zindaar/SYSPROIntegration SysproIntegration/ARPrimaryPosting/
    PostARPaymentsAdjustmentsAndMiscellaneousReceipts/ARSTPYDOC.vb)."""
    base = {
        "Customer": "0000001",
        "PaymentValue": "19.99",
        "PaymentDate": "2024-05-01",
        "Bank": "STRIPE",
        "PaymentType": "O",
        "JournalNotation": "Stripe ch_1",
    }
    applied = parse(
        syspro.payment_xml({**base, "InvoiceToPay": "100234"}, reference="ch_1")
    )
    payment = applied.find("Item/Payment")
    assert payment.findtext("Reference") == "ch_1"
    assert payment.findtext("InvoiceToPay/Invoice") == "100234"
    assert payment.findtext("InvoiceToPay/GrossPaymentValue") == "19.99"
    assert payment.find("UnappliedPayment") is None

    unapplied = parse(
        syspro.payment_xml({**base, "InvoiceToPay": ""}, reference="ch_1")
    )
    payment = unapplied.find("Item/Payment")
    assert payment.find("InvoiceToPay") is None
    assert payment.findtext("UnappliedPayment/GrossPaymentValue") == "19.99"
    assert payment.find("SalesOrder") is None
    assert [e.tag for e in payment.find("UnappliedPayment")] == ["GrossPaymentValue"]


def test_credit_note_and_adjustment_xml():
    """ARSTIN root PostArInvoices with ProductClass (Zindaar/SYSPROIntegration
    SysproIntegration/ARPrimaryPosting/AccountsReceivableInvoicePosting/
    ARSTINDOC.vb); ARSTPY InvoiceToAdjust (.../ARSTPYDOC.vb)."""
    credit = parse(
        syspro.ar_invoice_xml(
            {
                "TransactionType": "C",
                "Customer": "0000001",
                "Invoice": "",
                "InvoiceDate": "2024-05-02",
                "InvoiceValue": "5.00",
                "TaxValue": "0",
                "ProductClass": "STRP",
            },
            reference="re_1",
        )
    )
    assert credit.tag == "PostArInvoices"
    item = credit.find("Item")
    assert [e.tag for e in item] == [
        "TransactionType",
        "Customer",
        "GenerateInvoiceNumber",
        "InvoiceDate",
        "Reference",
        "InvoiceValue",
        "TaxValue",
        "ProductClass",
    ]
    assert item.findtext("TransactionType") == "C"
    assert item.findtext("InvoiceValue") == "5.00"
    assert item.findtext("Reference") == "re_1"

    adjustment = parse(
        syspro.adjustment_xml(
            {
                "Customer": "0000001",
                "Bank": "STRIPE",
                "TransactionType": "D",
                "Invoice": "100234",
                "AdjustmentValue": "-15.00",
                "JournalNotation": "Dispute dp_1",
            },
            reference="dp_1",
        )
    )
    adj = adjustment.find("Item/Adjustments")
    assert adj.findtext("Customer") == "0000001"
    assert adj.findtext("InvoiceToAdjust/AdjustmentValue") == "-15.00"
    assert adj.findtext("InvoiceToAdjust/Reference") == "dp_1"


def test_journal_xml_numbers_the_lines():
    payload = {
        "JournalType": "N",
        "JournalDate": "2024-05-03",
        "Notation": "Payout po_1",
        "PostingPeriod": "5",
        "PostingYear": "2024",
        "lines": [
            {"LedgerCode": "1010", "EntryAmount": "97.10", "Reference": "po_1"},
            {"LedgerCode": "6210", "EntryAmount": "2.90", "Reference": "po_1"},
            {"LedgerCode": "1090", "EntryAmount": "-100.00", "Reference": "po_1"},
        ],
    }
    root = parse(syspro.journal_xml(payload, reference="po_1"))
    item = root.find("Item")
    assert item.findtext("JournalReference") == "po_1"
    details = item.findall("JournalDetails")
    assert [d.findtext("EntryNumber") for d in details] == ["1", "2", "3"]
    assert [d.findtext("EntryAmount") for d in details] == ["97.10", "2.90", "-100.00"]


def test_xml_errors_name_the_element_value_and_number():
    reply = """<SalesOrders><Order><CustomerPoNumber>ch_1</CustomerPoNumber>
      <StockCode><Value>ZZZ</Value><ErrorNumber>100050</ErrorNumber>
      <ErrorDescription>Stock code 'ZZZ' not found</ErrorDescription></StockCode>
      <ItemNumber>000001</ItemNumber></Order>
      <StatusOfItems><ItemsProcessed>00000</ItemsProcessed>
      <ItemsInvalid>00001</ItemsInvalid></StatusOfItems></SalesOrders>"""
    root = syspro.parse_xml(reply)
    with pytest.raises(ValidationError) as caught:
        syspro.raise_for_xml_errors(root, "SORTOI")
    error = caught.value
    assert error.message == "SYSPRO: Stock code 'ZZZ' not found"
    assert error.field == "StockCode"
    assert error.value == "ZZZ"
    assert error.extra["error_number"] == "100050"
    assert error.extra["business_object"] == "SORTOI"


def test_xml_errors_as_attributes_and_item_level():
    root = syspro.parse_xml(
        '<X><Item><Customer Value="9" ErrorNumber="1" '
        'ErrorDescription="Customer not on file"/></Item>'
        "<Item><ErrorDescription>Period closed</ErrorDescription></Item></X>"
    )
    errors = syspro.xml_errors(root)
    assert [(e.field, e.value) for e in errors] == [("Customer", "9"), ("", "")]
    assert errors[1].message == "SYSPRO: Period closed"


def test_rejected_counters_without_description_are_still_an_error():
    """SORTOI's counters as a live SYSPRO 8 answers them
    (trismegistus0/rectella-shopify-service internal/syspro/client_test.go) and
    GENTJL's PostingsInvalid."""
    root = syspro.parse_xml(
        "<SalesOrders><Order><SalesOrder/></Order><StatusOfItems>"
        "<ItemsProcessed>000001</ItemsProcessed>"
        "<ItemsRejectedWithWarnings>000002</ItemsRejectedWithWarnings>"
        "<ItemsProcessedWithWarnings>000000</ItemsProcessedWithWarnings>"
        "</StatusOfItems></SalesOrders>"
    )
    with pytest.raises(ValidationError, match="2 item"):
        syspro.raise_for_xml_errors(root, "SORTOI")
    journal = syspro.parse_xml(
        "<postgljournal><StatusOfItems><PostingsInvalid>000001</PostingsInvalid>"
        "</StatusOfItems></postgljournal>"
    )
    with pytest.raises(ValidationError, match="1 item"):
        syspro.raise_for_xml_errors(journal, "GENTJL")
    ok = syspro.parse_xml(
        "<SalesOrders><StatusOfItems><ItemsProcessed>000001</ItemsProcessed>"
        "<ItemsRejectedWithWarnings>000000</ItemsRejectedWithWarnings>"
        "<ItemsProcessedWithWarnings>000001</ItemsProcessedWithWarnings>"
        "</StatusOfItems></SalesOrders>"
    )
    syspro.raise_for_xml_errors(ok, "SORTOI")


def test_parse_xml_refuses_entities_and_garbage():
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">'
        '<!ENTITY b "&a;&a;&a;">]><x>&b;</x>'
    )
    with pytest.raises(TransientError):
        syspro.parse_xml(bomb)
    with pytest.raises(TransientError):
        syspro.parse_xml("<unclosed>")


def test_journal_number_and_element_dict():
    root = syspro.parse_xml(
        "<postgljournal><Item><Transaction><Key><GlYear>2024</GlYear>"
        "<GlPeriod>5</GlPeriod><GlJournal>12</GlJournal></Key></Transaction>"
        "</Item></postgljournal>"
    )
    assert syspro.journal_number(root) == "2024-5-12"
    stock = syspro.parse_xml(
        "<InvQuery><StockItem><StockCode>A100</StockCode>"
        "<WarehouseItem><Warehouse>FG</Warehouse><QtyOnHand>10</QtyOnHand>"
        "</WarehouseItem></StockItem></InvQuery>"
    )
    values = syspro.element_dict(stock.find("StockItem"))
    assert values["StockCode"] == "A100"
    assert values["WarehouseItem"] == [{"Warehouse": "FG", "QtyOnHand": "10"}]


def test_filter_query_xml():
    root = parse(syspro.filter_query_xml({"Customer": "", "CustomerPo": "ch_1"}, {}))
    assert root.find("Filter/Customer").get("FilterType") == "A"
    po = root.find("Filter/CustomerPo")
    assert (po.get("FilterType"), po.get("FilterValue")) == ("S", "ch_1")


def test_control_characters_and_lone_surrogates_are_stripped_from_the_xml():
    name = "Ada\x00 Lovelace\x07 \x1b[1mLtd\ud800\x0b\x0c\ufffe"

    xml = syspro.customer_xml({"Name": name, "SoldToAddr1": "Line\x1f 1"}, code="C\x01")
    query = syspro.filter_query_xml({"Customer": "C\x02\x03"}, {})

    root = DefusedET.fromstring(xml)
    assert root.find("Item/Name").text == "Ada Lovelace [1mLtd"
    assert root.find("Item/SoldToAddr1").text == "Line 1"
    assert root.find("Item/Key/Customer").text == "C"
    assert DefusedET.fromstring(query).find("Filter/Customer").get("FilterValue") == "C"
    xml.encode("utf-8")  # no lone surrogate left to break the query string
