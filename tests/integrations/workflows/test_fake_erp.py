"""The fake ERP keeps the exactly-once contract the real connectors keep."""

from decimal import Decimal

import pytest

from integrations.connectors.errors import (
    NotFoundError,
    TransientError,
    ValidationError,
)
from tests.support.fake_erp import FakeErp


def _order(customer: str = "0000001") -> dict:
    return {
        "CustomerPoNumber": "ch_1",
        "Customer": customer,
        "lines": [
            {
                "LineType": "stock",
                "StockCode": "A100",
                "OrderQty": "2",
                "Price": "9.00",
            },
            {"LineType": "misc", "MiscChargeValue": "1.50", "MiscDescription": "x"},
        ],
    }


def test_a_second_write_with_the_same_reference_adopts():
    erp = FakeErp()

    first = erp.create_sales_order(_order(), reference="ch_1")
    second = erp.create_sales_order(_order(), reference="ch_1")

    assert not first.adopted
    assert second.adopted
    assert second.number == first.number
    assert erp.created("create_sales_order") == 1
    assert erp.document("create_sales_order", "ch_1").amount == Decimal("19.50")


def test_crash_after_write_keeps_the_document_and_the_retry_adopts_it():
    erp = FakeErp()
    erp.crash_after_write("post_payment")
    payload = {"Customer": "0000001", "PaymentValue": "19.99", "Reference": "ch_1"}

    with pytest.raises(TransientError):
        erp.post_payment(payload, reference="ch_1")
    retried = erp.post_payment(payload, reference="ch_1")

    assert retried.adopted
    assert erp.created("post_payment") == 1
    assert erp.totals_by_customer() == {"0000001": Decimal("19.99")}


def test_fail_next_writes_nothing():
    erp = FakeErp(kind="sagepro")
    erp.fail_next("post_payment")
    payload = {"custno": "0000002", "amount": "500", "reference": "ch_2"}

    with pytest.raises(TransientError):
        erp.post_payment(payload, reference="ch_2")

    assert erp.docs("post_payment") == []
    assert not erp.post_payment(payload, reference="ch_2").adopted


def test_unknown_customer_and_long_codes_are_refused():
    erp = FakeErp()

    with pytest.raises(NotFoundError):
        erp.post_payment({"Customer": "NOPE", "PaymentValue": "1"}, reference="ch_3")
    with pytest.raises(ValidationError):
        erp.upsert_customer({"Customer": "S12345678"}, reference="cus_1")


def test_totals_net_credits_and_signed_adjustments():
    erp = FakeErp(kind="sagepro")
    erp.post_payment({"custno": "0000003", "amount": "1.234"}, reference="ch_k")
    erp.post_credit_note({"custno": "0000003", "amount": "0.200"}, reference="re_k")
    erp.post_adjustment({"custno": "0000003", "amount": "-1.034"}, reference="dp_k")

    assert erp.totals_by_customer() == {"0000003": Decimal("0.000")}


def test_find_customer_by_email_ignores_case():
    erp = FakeErp()

    found = erp.find_customer(email="AP@Northwind.example")

    assert found.code == "0000002"
    assert erp.find_customer(email="nobody@example.com") is None
