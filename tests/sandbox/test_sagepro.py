"""Sage Pro sandbox: the /api/v1/ contract of PROTOCOLS.md §2."""

import pytest
from django.core.cache import cache
from django.test import Client

from sandbox import faults as faults_module
from sandbox.faults import faults_set

pytestmark = pytest.mark.django_db

API = "/sandbox/sagepro/api/v1"
AUTH = {"HTTP_AUTHORIZATION": "Bearer sagepro_sandbox_key"}


@pytest.fixture(autouse=True)
def _fresh_faults():
    cache.clear()
    faults_module._cache.clear()
    yield
    faults_module._cache.clear()


@pytest.fixture
def api():
    client = Client()

    class Api:
        def get(self, path, **params):
            return client.get(f"{API}/{path}", params, **AUTH)

        def post(self, path, body, **headers):
            return client.post(
                f"{API}/{path}",
                body,
                content_type="application/json",
                **{**AUTH, **headers},
            )

        def put(self, path, body):
            return client.put(
                f"{API}/{path}", body, content_type="application/json", **AUTH
            )

        def state(self):
            response = client.get("/sandbox/sagepro/_state", **AUTH)
            assert response.status_code == 200
            return response.json()

        raw = client

    return Api()


def order(ponum="ch_1", **changes):
    return {
        "sono": "",
        "custno": "0000001",
        "ordate": "2025-04-01",
        "ponum": ponum,
        "currid": "USD",
        "sostat": "",
        "lines": [
            {
                "item": "A100",
                "descrip": "Widget A",
                "qtyord": "3",
                "price": "9.00",
                "disc": "10",
                "extprice": "24.30",
            },
            {
                "item": "",
                "descrip": "Stripe payment",
                "qtyord": "1",
                "price": "0.70",
                "disc": "0",
                "extprice": "0.70",
            },
        ],
        **changes,
    }


def error_of(response):
    body = response.json()
    return response.status_code, body["error"]["code"], body["error"]["field"]


# --- auth -----------------------------------------------------------------


def test_requires_bearer_key(api):
    assert api.raw.get(f"{API}/customers").status_code == 401
    response = api.raw.get(f"{API}/customers", HTTP_AUTHORIZATION="Bearer wrong")
    assert error_of(response) == (401, "unauthorized", "")


def test_unknown_endpoint_and_missing_document_are_404(api):
    assert error_of(api.get("widgets")) == (404, "not_found", "")
    assert error_of(api.get("salesorders/9999999")) == (404, "not_found", "")
    assert error_of(api.get("cashreceipts/abc")) == (404, "not_found", "")


# --- customers --------------------------------------------------------------


def test_seeded_customers_and_create_update(api):
    seeded = api.get("customers").json()["data"]
    assert [c["custno"] for c in seeded] == ["0000001", "0000002", "0000003"]
    created = api.post(
        "customers",
        {
            "custno": "S0000001",
            "company": "Acme",
            "email": "a@example.com",
            "credlimit": "100.00",
            "currid": "usd",
        },
    )
    assert created.status_code == 201
    assert created.json()["currid"] == "USD"
    updated = api.put("customers/S0000001", {"phone": "555"})
    assert updated.json()["phone"] == "555"
    assert updated.json()["company"] == "Acme"
    assert api.get("customers", custno="S0000001").json()["count"] == 1


@pytest.mark.parametrize(
    ("body", "status", "code", "field"),
    [
        ({"custno": "12345678901", "company": "x"}, 400, "invalid", "custno"),
        ({"custno": "X1"}, 400, "required", "company"),
        ({"custno": "X1", "company": "x", "email": "nope"}, 400, "invalid", "email"),
        (
            {"custno": "X1", "company": "x", "credlimit": "-1"},
            400,
            "invalid",
            "credlimit",
        ),
        (
            {"custno": "X1", "company": ["x"]},
            400,
            "invalid",
            "company",
        ),
        ({"custno": "0000001", "company": "dup"}, 409, "duplicate", "custno"),
    ],
)
def test_customer_validation(api, body, status, code, field):
    assert error_of(api.post("customers", body)) == (status, code, field)


def test_bad_json_and_non_object(api):
    response = api.raw.post(
        f"{API}/customers", "{nope", content_type="application/json", **AUTH
    )
    assert error_of(response)[:2] == (400, "invalid_json")
    assert error_of(api.post("customers", [1, 2]))[:2] == (400, "invalid")


def test_update_missing_customer_is_404(api):
    assert error_of(api.put("customers/NOPE", {"phone": "1"}))[:2] == (404, "not_found")


# --- sales orders -----------------------------------------------------------


def test_sales_order_created_with_number_and_found_by_ponum(api):
    response = api.post("salesorders", order())
    assert response.status_code == 201
    created = response.json()
    assert created["sono"]
    assert created["ordamt"] == "25.00"
    assert [line["extprice"] for line in created["lines"]] == ["24.30", "0.70"]
    found = api.get("salesorders", ponum="ch_1", custno="0000001").json()["data"]
    assert [o["sono"] for o in found] == [created["sono"]]
    assert api.get(f"salesorders/{created['sono']}").json()["ponum"] == "ch_1"


@pytest.mark.parametrize(
    ("changes", "code", "field"),
    [
        ({"custno": "NOPE"}, "unknown_customer", "custno"),
        ({"custno": "12345678901"}, "invalid", "custno"),
        ({"sono": "123"}, "invalid", "sono"),
        ({"ordate": "01/04/2025"}, "invalid", "ordate"),
        ({"currid": "EUR"}, "invalid", "currid"),
        ({"lines": []}, "required", "lines"),
        ({"ordamt": "99.00"}, "invalid", "ordamt"),
    ],
)
def test_sales_order_header_validation(api, changes, code, field):
    assert error_of(api.post("salesorders", order(**changes))) == (400, code, field)
    assert api.state()["sales_orders"] == []


@pytest.mark.parametrize(
    ("line", "code", "field"),
    [
        ({"item": "ZZZ", "qtyord": "1"}, "unknown_item", "lines[0].item"),
        ({"item": "A100", "qtyord": "0"}, "invalid", "lines[0].qtyord"),
        (
            {"item": "A100", "qtyord": "1", "price": "1.001"},
            "invalid",
            "lines[0].price",
        ),
        (
            {"item": "A100", "qtyord": "2", "price": "10", "extprice": "21"},
            "invalid",
            "lines[0].extprice",
        ),
        ({"item": "A100", "qtyord": "1", "disc": "101"}, "invalid", "lines[0].disc"),
        ({"item": "", "qtyord": "1", "price": "1"}, "required", "lines[0].descrip"),
    ],
)
def test_sales_order_line_validation(api, line, code, field):
    assert error_of(api.post("salesorders", order(lines=[line]))) == (400, code, field)


def test_item_price_used_when_none_given(api):
    created = api.post(
        "salesorders", order(lines=[{"item": "B100", "qtyord": "2"}])
    ).json()
    assert created["lines"][0]["price"] == "99.99"
    assert created["ordamt"] == "199.98"


def test_duplicate_ponum_per_customer_is_409(api):
    api.post("salesorders", order())
    assert error_of(api.post("salesorders", order())) == (409, "duplicate", "ponum")
    # the same ponum for another customer is fine
    assert api.post("salesorders", order(custno="0000002")).status_code == 201


# --- invoices, receipts, credit memos, adjustments --------------------------


def test_invoice_receipt_and_credit_memo_flow(api):
    invoice = api.post(
        "invoices",
        {
            "custno": "0000002",
            "invdte": "2025-04-01",
            "ponum": "in_1",
            "invamt": "100.00",
            "currid": "USD",
        },
    ).json()
    assert invoice["balance"] == "100.00"
    receipt = api.post(
        "cashreceipts",
        {
            "custno": "0000002",
            "invno": invoice["invno"],
            "reference": "ch_9",
            "amount": "60.00",
            "date": "2025-04-02",
            "bank": "STRIPE",
            "currid": "USD",
        },
    )
    assert receipt.status_code == 201
    assert receipt.json()["id"]
    memo = api.post(
        "creditmemos",
        {
            "custno": "0000002",
            "invno": invoice["invno"],
            "reference": "re_1",
            "amount": "10.00",
            "date": "2025-04-03",
            "reason": "refund",
            "currid": "USD",
        },
    )
    assert memo.status_code == 201
    assert api.get(f"invoices/{invoice['invno']}").json()["balance"] == "30.00"
    assert api.get("customers/0000002").json()["balance"] == "30.00"
    too_much = {
        "custno": "0000002",
        "invno": invoice["invno"],
        "reference": "ch_10",
        "amount": "31.00",
        "date": "2025-04-02",
        "bank": "STRIPE",
    }
    assert error_of(api.post("cashreceipts", too_much)) == (400, "invalid", "amount")
    assert api.get("cashreceipts", reference="ch_9").json()["count"] == 1
    assert (
        api.get("creditmemos", reference="re_1").json()["data"][0]["amount"] == "10.00"
    )


def test_unapplied_receipt_and_duplicate_reference(api):
    body = {
        "custno": "0000001",
        "invno": "",
        "reference": "ch_1",
        "amount": "19.99",
        "date": "2025-04-01",
        "bank": "STRIPE",
        "currid": "USD",
    }
    assert api.post("cashreceipts", body).status_code == 201
    assert error_of(api.post("cashreceipts", body)) == (409, "duplicate", "reference")
    assert error_of(
        api.post("cashreceipts", {**body, "reference": "x", "bank": "NOPE"})
    ) == (400, "unknown_bank", "bank")
    assert error_of(
        api.post("cashreceipts", {**body, "reference": "x", "amount": 19.999})
    ) == (400, "invalid", "amount")
    assert error_of(api.post("cashreceipts", {**body, "reference": ""})) == (
        400,
        "required",
        "reference",
    )
    assert len(api.state()["payments"]) == 1


def test_adjustment_is_signed_and_kept_apart_from_credit_notes(api):
    body = {
        "type": "adjustment",
        "custno": "0000001",
        "invno": "",
        "reference": "dp_1",
        "amount": "-15.00",
        "date": "2025-04-05",
        "reason": "dispute",
        "currid": "USD",
    }
    assert api.post("creditmemos", body).status_code == 201
    negative_credit = {**body, "type": "creditmemo", "reference": "re_9"}
    assert error_of(api.post("creditmemos", negative_credit)) == (
        400,
        "invalid",
        "amount",
    )
    state = api.state()
    assert [a["amount"] for a in state["adjustments"]] == ["-15.00"]
    assert state["credit_notes"] == []
    assert api.get("customers/0000001").json()["balance"] == "15.00"


def test_credit_memo_against_unknown_document(api):
    body = {
        "custno": "0000001",
        "invno": "NOPE",
        "reference": "re_1",
        "amount": "1.00",
        "date": "2025-04-05",
    }
    assert error_of(api.post("creditmemos", body)) == (400, "invalid", "invno")


# --- journals ------------------------------------------------------------------


def journal(reference="po_1", lines=None):
    return {
        "date": "2025-04-02",
        "reference": reference,
        "descrip": "Stripe payout",
        "currid": "USD",
        "lines": lines
        or [
            {"account": "1010", "debit": "95.00", "credit": "0", "descrip": "bank"},
            {"account": "6210", "debit": "5.00", "credit": "0", "descrip": "fees"},
            {
                "account": "1090",
                "debit": "0",
                "credit": "100.00",
                "descrip": "clearing",
            },
        ],
    }


def test_journal_posts_and_duplicate_reference_is_409(api):
    created = api.post("journalentries", journal())
    assert created.status_code == 201
    assert created.json()["id"]
    assert error_of(api.post("journalentries", journal())) == (
        409,
        "duplicate",
        "reference",
    )
    lines = api.state()["journals"][0]["lines"]
    assert [(line["account"], line["amount"]) for line in lines] == [
        ("1010", "95.00"),
        ("6210", "5.00"),
        ("1090", "-100.00"),
    ]


@pytest.mark.parametrize(
    ("lines", "code", "field"),
    [
        (
            [{"account": "1010", "debit": "10"}, {"account": "1090", "credit": "9.99"}],
            "unbalanced",
            "lines",
        ),
        (
            [{"account": "9999", "debit": "1"}, {"account": "1090", "credit": "1"}],
            "unknown_account",
            "lines[0].account",
        ),
        (
            [{"account": "1010", "debit": "-1"}, {"account": "1090", "credit": "-1"}],
            "invalid",
            "lines[0].debit",
        ),
        (
            [{"account": "1010", "debit": "1", "credit": "1"}, {"account": "1090"}],
            "invalid",
            "lines[0].debit",
        ),
        ([{"account": "1010", "debit": "1"}], "required", "lines"),
    ],
)
def test_journal_validation(api, lines, code, field):
    assert error_of(api.post("journalentries", journal(lines=lines))) == (
        400,
        code,
        field,
    )
    assert api.state()["journals"] == []


# --- faults, state, reset ----------------------------------------------------------


def test_rate_limit_is_429_with_retry_after(api):
    faults_set("sagepro", rate_limit_per_second=2)
    responses = [api.get("customers") for _ in range(4)]
    assert [r.status_code for r in responses[:2]] == [200, 200]
    assert responses[-1].status_code == 429
    assert responses[-1]["Retry-After"] == "1"
    assert responses[-1].json()["error"]["code"] == "rate_limited"


def test_down_error_rate_and_reject_credentials(api):
    faults_set("sagepro", down=True)
    assert api.get("customers").status_code == 503
    faults_set("sagepro", down=False, error_rate=1)
    assert api.get("customers").status_code == 500
    faults_set("sagepro", error_rate=0, reject_credentials=True)
    assert error_of(api.get("customers"))[:2] == (401, "unauthorized")
    faults_set("sagepro", reject_credentials=False)
    assert api.get("customers").status_code == 200


def test_latency(api, monkeypatch):
    slept = []
    monkeypatch.setattr(faults_module.time, "sleep", slept.append)
    faults_set("sagepro", latency_ms=120)
    api.get("customers")
    assert slept == [0.12]


def test_error_after_write_keeps_the_document(api):
    faults_set("sagepro", error_after_write_rate=1)
    assert api.post("journalentries", journal()).status_code == 500
    assert api.get("journalentries", reference="po_1").json()["count"] == 1


def test_control_endpoint(api):
    response = api.raw.post(
        "/sandbox/sagepro/_control",
        {"down": True},
        content_type="application/json",
        **AUTH,
    )
    assert response.json()["faults"]["down"] is True
    assert api.get("customers").status_code == 503
    assert api.raw.get("/sandbox/sagepro/_control").status_code == 401


def test_unknown_filter_is_400(api):
    assert error_of(api.get("customers", colour="red")) == (400, "invalid", "colour")


def test_reset(api):
    api.post("salesorders", order())
    api.post("customers", {"custno": "TEMP", "company": "Temp"})
    api.put("customers/0000001", {"company": "Renamed"})
    assert api.raw.post("/sandbox/sagepro/_reset").status_code == 401
    assert api.raw.post("/sandbox/sagepro/_reset", **AUTH).status_code == 200
    state = api.state()
    assert state["sales_orders"] == []
    assert [(c["custno"], c["company"]) for c in state["customers"]] == [
        ("0000001", "Bayside Bikes"),
        ("0000002", "Northwind Traders"),
        ("0000003", "Contoso Retail"),
    ]
