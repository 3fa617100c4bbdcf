"""The default templates reproduce the payload contract, written out by hand."""

import pytest

from mapping.samples import sample_sources
from mapping.services import payload_map, template_compiled

SYSPRO_EXPECTED = {
    "customer": {
        "Customer": "S000042",
        "Name": "Bayside Bikes and Outdoor Equi",  # 30 characters
        "ShortName": "Bayside Bi",
        "Telephone": "+1 415 555 0100",
        "Email": "accounts@baysidebikes.example",
        "Currency": "USD",
        "TermsCode": "30",
        "SoldToAddr1": "1 Harbour Way",
        "SoldToAddr2": "Unit 4",
        "SoldToAddr3": "Bayside",
        "SoldToAddr4": "CA",
        "SoldToAddr5": "US",
        "SoldPostalCode": "94016",
        "ShipToAddr1": "1 Harbour Way",
        "ShipToAddr2": "Unit 4",
        "ShipToAddr3": "Bayside",
        "ShipToAddr4": "CA",
        "ShipToAddr5": "US",
        "CustomerOnHold": "N",
    },
    "sales_order": {
        "CustomerPoNumber": "ch_3MmlLrLkdIwHu7ix0snN0B15",
        "Customer": "0000001",
        "OrderDate": "2024-04-01",
        "Currency": "USD",
        "Email": "accounts@baysidebikes.example",
        "Warehouse": "FG",
        "ShipAddress1": "1 Harbour Way",
        "ShipAddress2": "Unit 4",
        "ShipAddress3": "Bayside",
        "ShipAddress4": "CA",
        "ShipAddress5": "US",
        "lines": [
            {
                "LineType": "stock",
                "CustomerPoLine": 1,
                "StockCode": "A100",
                "Warehouse": "FG",
                "OrderQty": "2",
                "OrderUom": "EA",
                "Price": "10.00",
                "PriceUom": "EA",
            },
            {
                "LineType": "misc",
                "CustomerPoLine": 2,
                "MiscChargeValue": "15.49",
                "MiscProductClass": "_OTH",
                "MiscChargeCode": "",
                "MiscDescription": "Setup fee",
            },
        ],
    },
    "payment": {
        "Customer": "0000001",
        "PaymentValue": "35.49",
        "Reference": "ch_3MmlLrLkdIwHu7ix0snN0B15",
        "PaymentDate": "2024-04-01",
        "Bank": "STRIPE",
        "PaymentType": "O",
        "JournalNotation": "ch_3MmlLrLkdIwHu7ix0snN0B15",
        "InvoiceToPay": "",
    },
    "credit_note": {
        "TransactionType": "C",
        "Customer": "0000002",
        "Invoice": "",
        "InvoiceDate": "2024-04-01",
        "Reference": "re_3MmlLrLkdIwHu7ix0Y3qG1Cz",
        "InvoiceValue": "500",  # JPY: zero decimals
        "TaxValue": "0",
        "ProductClass": "STRP",
    },
    "adjustment": {
        "Customer": "0000003",
        "Bank": "STRIPE",
        "TransactionType": "I",
        # An AR invoice only; a sales order number is not one.
        "Invoice": "",
        "AdjustmentValue": "-1.234",  # KWD: three decimals, signed
        "Reference": "dp_1MtJUT2eZvKYlo2CNaw2HvEv:funds_withdrawn",
        "JournalNotation": "Stripe: fraudulent",
        "ProductClass": "STRP",
        "InvoiceDate": "2024-04-01",
    },
    "invoice": {
        "TransactionType": "I",
        "Customer": "0000002",
        "Invoice": "9A3F2B1C-0001",
        "InvoiceDate": "2024-04-01",
        "Reference": "in_1MtHbELkdIwHu7ixl4OzzPMv",
        "InvoiceValue": "119.00",
        "TaxValue": "19.00",
        "ProductClass": "STRP",
    },
    "journal": {
        "JournalType": "N",
        "JournalDate": "2024-04-01",
        "JournalReference": "po_1OaFDbEcg9tTZuTgNYmX0PKB",
        "Notation": "Stripe payout po_1OaFDbEcg9tTZuTgNYmX0PKB",
        "lines": [
            {
                "EntryNumber": 1,
                "LedgerCode": "1010",
                "Reference": "po_1OaFDbEcg9tTZuTgNYmX0PKB",
                "EntryAmount": "96.51",
                "Comment": "Payout to bank",
            },
            {
                "EntryNumber": 2,
                "LedgerCode": "6210",
                "Reference": "po_1OaFDbEcg9tTZuTgNYmX0PKB",
                "EntryAmount": "3.49",
                "Comment": "Stripe fees",
            },
            {
                "EntryNumber": 3,
                "LedgerCode": "1090",
                "Reference": "po_1OaFDbEcg9tTZuTgNYmX0PKB",
                "EntryAmount": "-100.00",
                "Comment": "Clear Stripe balance",
            },
        ],
    },
}

SAGEPRO_EXPECTED = {
    "customer": {
        "custno": "S000042",
        "company": "Bayside Bikes and Outdoor Equipment Co",
        "contact": "Bayside Bikes and Ou",
        "address1": "1 Harbour Way",
        "address2": "Unit 4",
        "city": "Bayside",
        "addrstate": "CA",
        "zip": "94016",
        "country": "US",
        "phone": "+1 415 555 0100",
        "email": "accounts@baysidebikes.example",
        "pterms": "30",
        "currid": "USD",
    },
    "sales_order": {
        "sono": "",
        "custno": "0000001",
        "ordate": "2024-04-01",
        "ponum": "ch_3MmlLrLkdIwHu7ix0snN0B15",
        "ordamt": "35.49",
        "currid": "USD",
        "sostat": "",
        "lines": [
            {
                "item": "A100",
                "descrip": "Widget A",
                "qtyord": "2",
                "price": "10.00",
                "disc": "0",
                "extprice": "20.00",
            },
            {
                "item": "",
                "descrip": "Setup fee",
                "qtyord": "1",
                "price": "15.49",
                "disc": "0",
                "extprice": "15.49",
            },
        ],
    },
    "payment": {
        "custno": "0000001",
        "invno": "",
        "sono": "000123",
        "reference": "ch_3MmlLrLkdIwHu7ix0snN0B15",
        "amount": "35.49",
        "date": "2024-04-01",
        "bank": "STRIPE",
        "currid": "USD",
    },
    "credit_note": {
        "custno": "0000002",
        "invno": "",
        "reference": "re_3MmlLrLkdIwHu7ix0Y3qG1Cz",
        "amount": "500",
        "date": "2024-04-01",
        "reason": "requested_by_customer",
        "currid": "JPY",
    },
    "adjustment": {
        "type": "adjustment",
        "custno": "0000003",
        "invno": "000124",
        "reference": "dp_1MtJUT2eZvKYlo2CNaw2HvEv:funds_withdrawn",
        "amount": "-1.234",
        "date": "2024-04-01",
        "reason": "fraudulent",
        "currid": "KWD",
    },
    "invoice": {
        "custno": "0000002",
        "invdte": "2024-04-01",
        "ponum": "in_1MtHbELkdIwHu7ixl4OzzPMv",
        "invamt": "119.00",
        "currid": "EUR",
        "lines": [
            {
                "item": "SVC01",
                "descrip": "Service hour",
                "qtyord": "1",
                "price": "100.00",
                "disc": "0",
                "extprice": "100.00",
            },
        ],
    },
    "journal": {
        "date": "2024-04-01",
        "reference": "po_1OaFDbEcg9tTZuTgNYmX0PKB",
        "descrip": "Stripe payout po_1OaFDbEcg9tTZuTgNYmX0PKB",
        "currid": "USD",
        "lines": [
            {
                "account": "1010",
                "debit": "96.51",
                "credit": "0.00",
                "descrip": "Payout to bank",
            },
            {
                "account": "6210",
                "debit": "3.49",
                "credit": "0.00",
                "descrip": "Stripe fees",
            },
            {
                "account": "1090",
                "debit": "0.00",
                "credit": "100.00",
                "descrip": "Clear Stripe balance",
            },
        ],
    },
}


@pytest.mark.parametrize("entity", sorted(SYSPRO_EXPECTED))
def test_syspro_template_reproduces_the_contract(entity):
    compiled = template_compiled(erp="syspro", entity=entity)
    payload = payload_map(
        compiled=compiled, erp="syspro", source=sample_sources()[entity]
    )
    assert payload == SYSPRO_EXPECTED[entity]


@pytest.mark.parametrize("entity", sorted(SAGEPRO_EXPECTED))
def test_sagepro_template_reproduces_the_contract(entity):
    compiled = template_compiled(erp="sagepro", entity=entity)
    payload = payload_map(
        compiled=compiled, erp="sagepro", source=sample_sources()[entity]
    )
    assert payload == SAGEPRO_EXPECTED[entity]


def test_integration_options_override_the_defaults_and_timezone_applies():
    source = {
        **sample_sources()["payment"],
        "options": {"bank": "FNB", "timezone": "America/New_York"},
    }
    payload = payload_map(
        compiled=template_compiled(erp="syspro", entity="payment"),
        erp="syspro",
        source=source,
    )
    assert payload["Bank"] == "FNB"
    assert payload["PaymentType"] == "O"  # not set: the documented default
    assert payload["PaymentDate"] == "2024-03-31"  # midnight UTC is still March 31st
