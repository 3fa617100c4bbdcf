"""The /api/v1 contract over generated DBF tables, read back with the dbf package."""

from decimal import Decimal

import pytest
from conftest import order_body, read_table

# --- auth and routing ----------------------------------------------------------


def test_a_request_without_the_key_or_with_a_wrong_one_is_401(client):
    assert client.get("customers", key=None).error == (401, "unauthorized", "")
    response = client.get("customers", key="wrong-key-wrong-key")
    assert response.error == (401, "unauthorized", "")
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert client.request("GET", "/api/v1/customers", key=None).status_code == 401


def test_unknown_endpoints_documents_and_methods(client):
    assert client.get("widgets").error == (404, "not_found", "")
    assert client.get("salesorders/99999").error == (404, "not_found", "")
    assert client.get("cashreceipts/abc").error == (404, "not_found", "")
    assert client.request("GET", "/elsewhere").error == (404, "not_found", "")
    assert client.request("DELETE", "/api/v1/customers").error == (
        405,
        "method_not_allowed",
        "",
    )
    assert client.put("salesorders/1", {}).status_code == 405


def test_an_unknown_filter_is_refused_with_its_name(client):
    assert client.get("salesorders", query="colour=red").error == (
        400,
        "invalid",
        "colour",
    )


def test_bad_json_is_400_not_500(client):
    response = client.request("POST", "/api/v1/salesorders", raw=b"{not json")
    assert response.error == (400, "invalid_json", "")
    response = client.request("POST", "/api/v1/salesorders", raw=b'{"a": NaN}')
    assert response.error == (400, "invalid_json", "")
    assert client.post("salesorders", [1, 2]).error == (400, "invalid", "body")
    response = client.request("POST", "/api/v1/salesorders", raw=b"\xff\xfe")
    assert response.error == (400, "invalid_json", "")


def test_a_body_too_large_or_a_negative_length_is_refused(client):
    too_large = b"[" + b"1," * 600_000 + b"1]"
    assert client.request("POST", "/api/v1/salesorders", raw=too_large).error == (
        413,
        "too_large",
        "",
    )
    negative = client.request("POST", "/api/v1/salesorders", raw=b"{}", length="-1")
    assert negative.error == (400, "invalid", "")


# --- customers ------------------------------------------------------------------


def test_customers_create_read_update_and_refuse_a_second_create(client, data_dir):
    # when
    created = client.post(
        "customers",
        {"custno": "S1", "company": "Acme", "email": "a@example.com", "currid": "usd"},
    )
    # then
    assert created.status_code == 201
    assert created.json()["currid"] == "USD"
    again = client.post("customers", {"custno": "S1", "company": "Other"})
    assert again.error == (409, "duplicate", "custno")
    assert again.json()["document"]["company"] == "Acme"
    updated = client.put("customers/S1", {"phone": "555-1234", "credlimit": "250.50"})
    assert updated.json()["phone"] == "555-1234"
    rows = [r for r in read_table(data_dir, "arcust") if r["custno"] == "S1"]
    assert len(rows) == 1
    assert rows[0]["company"] == "Acme"
    assert rows[0]["phone"] == "555-1234"
    assert rows[0]["credlimit"] == Decimal("250.50")
    by_email = client.get("customers", query="email=A@EXAMPLE.COM").json()
    assert [c["custno"] for c in by_email["data"]] == ["S1"]
    assert client.get("customers/S1").json()["email"] == "a@example.com"


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"company": "No number"}, "custno"),
        ({"custno": "X" * 11, "company": "Too long"}, "custno"),
        ({"custno": "S2"}, "company"),
        ({"custno": "S2", "company": "A", "email": "not-an-email"}, "email"),
        ({"custno": "S2", "company": "A", "credlimit": "-1"}, "credlimit"),
        ({"custno": "S2", "company": "A", "credlimit": "1.005"}, "credlimit"),
        ({"custno": "S2", "company": "A", "credlimit": "123456789012"}, "credlimit"),
        ({"custno": "S2", "company": "A", "currid": "US"}, "currid"),
        ({"custno": "S2", "company": "Snow \u2603"}, "company"),
        ({"custno": "S2", "company": "A", "balance": "5"}, "balance"),
    ],
)
def test_a_bad_customer_is_400_with_the_field(client, body, field):
    status, _, named = client.post("customers", body).error
    assert (status, named) == (400, field)


def test_updating_a_missing_customer_is_404_and_custno_cannot_change(client):
    assert client.put("customers/NOPE", {"phone": "1"}).error[0] == 404
    assert client.put("customers/0000001", {"custno": "0000002"}).error == (
        400,
        "invalid",
        "custno",
    )


# --- sales orders --------------------------------------------------------------------


def test_a_sales_order_is_written_open_with_its_lines_to_the_cent(client, data_dir):
    # when
    response = client.post("salesorders", order_body())
    # then: the reply
    assert response.status_code == 201
    order = response.json()
    assert order["ordamt"] == "224.98"
    assert [line["extprice"] for line in order["lines"]] == ["24.30", "0.70", "199.98"]
    # and: somast/sotran as another reader sees them
    headers = [r for r in read_table(data_dir, "somast") if r["ponum"] == "ch_1"]
    assert len(headers) == 1
    header = headers[0]
    assert header["sono"] == order["sono"]
    assert header["custno"] == "0000001"
    assert header["ordamt"] == Decimal("224.98")
    assert header["sostat"] == ""
    assert str(header["ordate"]) == "2025-04-01"
    lines = [r for r in read_table(data_dir, "sotran") if r["sono"] == order["sono"]]
    assert sorted((int(r["tranlineno"]), r["extprice"]) for r in lines) == [
        (1, Decimal("24.30")),
        (2, Decimal("0.70")),
        (3, Decimal("199.98")),
    ]
    # and: it can be looked up the way the connector does before it creates
    found = client.get("salesorders", query="ponum=ch_1").json()["data"]
    assert [o["sono"] for o in found] == [order["sono"]]
    assert client.get(f"salesorders/{order['sono']}").json() == order


def test_sono_is_taken_from_the_next_number_record_and_kept_right_aligned(
    client, data_dir
):
    # given
    next_sono = int(read_table(data_dir, "sosyst")[0]["sono"])
    # when
    first = client.post("salesorders", order_body("ch_a")).json()["sono"]
    second = client.post("salesorders", order_body("ch_b")).json()["sono"]
    # then
    assert (int(first), int(second)) == (next_sono, next_sono + 1)
    assert int(read_table(data_dir, "sosyst")[0]["sono"]) == next_sono + 2
    raw = (data_dir / "somast01.dbf").read_bytes()
    assert f" {first}".rjust(10).encode() in raw


def test_a_number_a_sage_pro_user_took_by_hand_is_skipped(client, data_dir, agent):
    # given: someone typed the next number into Sage Pro already
    next_sono = str(int(read_table(data_dir, "sosyst")[0]["sono"]))
    with agent.store.writing(("somast",), wait=0) as writer:
        writer.append("somast", {"sono": next_sono, "custno": "0000002"})
    # when
    sono = client.post("salesorders", order_body("ch_c")).json()["sono"]
    # then
    assert int(sono) == int(next_sono) + 1


def test_a_repeated_reference_is_409_with_the_existing_document(client, data_dir):
    first = client.post("salesorders", order_body("ch_dup")).json()
    again = client.post("salesorders", order_body("ch_dup"))
    assert again.error == (409, "duplicate", "ponum")
    assert again.json()["document"] == first
    assert (
        len([r for r in read_table(data_dir, "somast") if r["ponum"] == "ch_dup"]) == 1
    )


def test_an_order_sage_pro_already_has_with_that_ponum_is_409(client, data_dir):
    existing = read_table(data_dir, "somast")[0]
    body = order_body(existing["ponum"], custno=existing["custno"], currid="")
    response = client.post("salesorders", body)
    assert response.error == (409, "duplicate", "ponum")
    assert response.json()["document"]["sono"] == existing["sono"]


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"custno": "NOPE"}, "custno", "unknown_customer"),
        ({"sono": "123"}, "sono", "invalid"),
        ({"ordate": "01/04/2025"}, "ordate", "invalid"),
        ({"ordate": "2025-02-30"}, "ordate", "invalid"),
        ({"ordate": ""}, "ordate", "required"),
        ({"currid": "EUR"}, "currid", "invalid"),
        ({"sostat": "C"}, "sostat", "invalid"),
        ({"ponum": "x" * 31}, "ponum", "invalid"),
        ({"lines": []}, "lines", "required"),
        ({"lines": "none"}, "lines", "required"),
        ({"ordamt": "1.00"}, "ordamt", "invalid"),
        ({"ordamt": "224.975"}, "ordamt", "precision"),
    ],
)
def test_a_bad_order_is_400_with_the_field_and_nothing_is_written(
    client, data_dir, change, field, code
):
    before = len(read_table(data_dir, "somast"))
    assert client.post("salesorders", order_body(**change)).error == (400, code, field)
    assert len(read_table(data_dir, "somast")) == before


@pytest.mark.parametrize(
    ("line", "field", "code"),
    [
        ({"item": "NOPE", "qtyord": "1"}, "lines[0].item", "unknown_item"),
        ({"descrip": "x", "qtyord": "0", "price": "1"}, "lines[0].qtyord", "invalid"),
        ({"descrip": "x", "qtyord": "1"}, "lines[0].price", "required"),
        ({"qtyord": "1", "price": "1"}, "lines[0].descrip", "required"),
        (
            {"descrip": "x", "qtyord": "1", "price": "1", "disc": "101"},
            "lines[0].disc",
            "invalid",
        ),
        (
            {"descrip": "x", "qtyord": "1", "price": "2.00", "extprice": "2.01"},
            "lines[0].extprice",
            "invalid",
        ),
        ({"descrip": "x", "qtyord": "1", "price": "abc"}, "lines[0].price", "invalid"),
        ({"descrip": "x", "qtyord": "1", "price": True}, "lines[0].price", "invalid"),
        ({"descrip": "x", "qtyord": "1", "price": "1e3"}, "lines[0].price", "invalid"),
        ("a line", "lines[0]", "invalid"),
    ],
)
def test_a_bad_line_is_400_with_its_index(client, line, field, code):
    body = order_body(lines=[line])
    body.pop("ordamt", None)
    assert client.post("salesorders", body).error == (400, code, field)


@pytest.mark.parametrize(
    ("currency", "extprice", "accepted"),
    [
        ("KWD", "1.234", False),  # three decimals: Sage Pro's extprice holds two
        ("BHD", "0.005", False),
        ("KWD", "1.230", True),  # three places written, the value fits two
        ("JPY", "1500", True),  # zero-decimal amounts fit
        ("USD", "12.34", True),
    ],
)
def test_an_amount_with_more_decimals_than_the_field_is_refused_not_rounded(
    client, agent, currency, extprice, accepted
):
    # given: a customer in that currency
    client.post(
        "customers", {"custno": f"K{currency}", "company": "X", "currid": currency}
    )
    body = {
        "custno": f"K{currency}",
        "ordate": "2025-04-01",
        "ponum": f"ch_{currency}_{extprice}",
        "lines": [
            {
                "descrip": "Charge",
                "qtyord": "1",
                "price": extprice,
                "extprice": extprice,
            }
        ],
    }
    # when
    response = client.post("salesorders", body)
    # then
    if accepted:
        assert response.status_code == 201
        assert Decimal(response.json()["ordamt"]) == Decimal(extprice)
    else:
        status, code, field = response.error
        assert (status, code, field) == (400, "precision", "lines[0].extprice")
        assert "holds 2" in response.json()["error"]["message"]


def test_the_schema_gives_the_precision_of_every_money_field(client):
    schema = client.get("schema").json()
    assert schema["decimals"]["salesorders.lines.extprice"] == 2
    assert schema["decimals"]["cashreceipts.amount"] == 2
    assert schema["decimals"]["salesorders.lines.price"] == 4
    somast = schema["tables"]["somast"]
    assert somast["file"] == "somast01.dbf"
    assert somast["fields"]["ordamt"] == {
        "type": "N",
        "column": "ordamt",
        "length": 14,
        "decimals": 2,
        "confirmed": True,
    }
    assert schema["tables"]["arcash"]["confirmed"] is False
    assert client.get("info").json()["storage"] == "dbf"


# --- invoices, receipts, memos, journals ----------------------------------------


def test_an_invoice_with_lines_and_a_receipt_applied_to_it(client, data_dir):
    invoice = client.post(
        "invoices",
        {
            "custno": "0000002",
            "invdte": "2025-04-02",
            "ponum": "in_1",
            "lines": [{"item": "A200", "qtyord": "2", "price": "25.50"}],
        },
    )
    assert invoice.status_code == 201
    invno = invoice.json()["invno"]
    assert invoice.json()["invamt"] == "51.00"
    armast = [r for r in read_table(data_dir, "armast") if r["invno"] == invno]
    assert armast[0]["balance"] == Decimal("51.00")
    assert armast[0]["arstat"] == ""
    artran = [r for r in read_table(data_dir, "artran") if r["invno"] == invno]
    assert [r["extprice"] for r in artran] == [Decimal("51.00")]
    too_much = {
        "custno": "0000002",
        "invno": invno,
        "reference": "ch_pay",
        "amount": "51.01",
        "date": "2025-04-03",
        "bank": "STRIPE",
    }
    assert client.post("cashreceipts", too_much).error == (400, "invalid", "amount")
    paid = client.post("cashreceipts", {**too_much, "amount": "51.00"})
    assert paid.status_code == 201
    # An unposted receipt already covers the balance: a second one is refused.
    second = {**too_much, "reference": "ch_pay2", "amount": "1.00"}
    assert client.post("cashreceipts", second).error == (400, "invalid", "amount")
    arcash = [r for r in read_table(data_dir, "arcash") if r["reference"] == "ch_pay"]
    assert arcash[0]["amount"] == Decimal("51.00")
    assert arcash[0]["invno"] == invno
    listed = client.get("cashreceipts", query="reference=ch_pay").json()["data"]
    assert [r["receiptno"] for r in listed] == [paid.json()["receiptno"]]
    again = client.post("cashreceipts", {**too_much, "amount": "51.00"})
    assert again.error == (409, "duplicate", "reference")


def test_an_invoice_for_an_unknown_sales_order_is_400(client):
    body = {"custno": "0000001", "invdte": "2025-04-02", "invamt": "5.00"}
    response = client.post("invoices", {**body, "ponum": "in_so", "sono": "99999"})
    assert response.error == (400, "invalid", "sono")


def test_an_invoice_number_given_twice_is_409(client):
    body = {"custno": "0000001", "invdte": "2025-04-02", "invamt": "5.00"}
    assert (
        client.post("invoices", {**body, "invno": "X1", "ponum": "a"}).status_code
        == 201
    )
    response = client.post("invoices", {**body, "invno": "X1", "ponum": "b"})
    assert response.error == (409, "duplicate", "invno")


def test_credit_memos_and_signed_adjustments(client, data_dir):
    order = client.post("salesorders", order_body("ch_m")).json()
    memo = {
        "custno": "0000001",
        "invno": order["sono"],
        "reference": "re_1",
        "amount": "10.00",
        "date": "2025-04-05",
        "reason": "Refund",
    }
    assert client.post("creditmemos", memo).status_code == 201
    assert client.post(
        "creditmemos", {**memo, "reference": "re_2", "amount": "-1"}
    ).error == (
        400,
        "invalid",
        "amount",
    )
    adjustment = {**memo, "reference": "dp_1", "type": "adjustment", "amount": "-15.00"}
    assert client.post("creditmemos", adjustment).json()["amount"] == "-15.00"
    assert client.post(
        "creditmemos", {**memo, "reference": "x", "invno": "NOPE"}
    ).error == (
        400,
        "invalid",
        "invno",
    )
    assert client.post(
        "creditmemos", {**memo, "reference": "y", "type": "gift"}
    ).error == (
        400,
        "invalid",
        "type",
    )
    # Sage Pro's signs: a credit is negative in armast, a debit positive.
    links = {r["invno"]: r for r in read_table(data_dir, "arref")}
    memos = [r for r in read_table(data_dir, "armast") if r["invno"] in links]
    assert sorted(
        (links[r["invno"]]["reference"], r["artype"], r["invamt"]) for r in memos
    ) == [
        ("dp_1", "D", Decimal("15.00")),
        ("re_1", "C", Decimal("-10.00")),
    ]


def test_a_journal_must_balance_and_is_written_as_one_batch(client, data_dir):
    journal = {
        "date": "2025-04-30",
        "reference": "po_1",
        "descrip": "Stripe payout",
        "lines": [
            {"account": "1010", "debit": "97.10"},
            {"account": "6210", "debit": "2.90"},
            {"account": "1090", "credit": "100.00"},
        ],
    }
    unbalanced = {
        **journal,
        "lines": journal["lines"][:2] + [{"account": "1090", "credit": "99.99"}],
    }
    assert client.post("journalentries", unbalanced).error == (
        400,
        "unbalanced",
        "lines",
    )
    both = {**journal, "lines": [{"account": "1", "debit": "1", "credit": "1"}] * 2}
    assert client.post("journalentries", both).error == (
        400,
        "invalid",
        "lines[0].debit",
    )
    created = client.post("journalentries", journal)
    assert created.status_code == 201
    entry = created.json()
    assert [line["amount"] for line in entry["lines"]] == ["97.10", "2.90", "-100.00"]
    rows = [r for r in read_table(data_dir, "glbtch") if r["reference"] == "po_1"]
    assert (
        sum(r["debit"] for r in rows) == sum(r["credit"] for r in rows) == Decimal(100)
    )
    assert client.get("journalentries", query="reference=po_1").json()["data"] == [
        entry
    ]
    assert client.get(f"journalentries/{entry['entryno']}").json() == entry


# --- catalog -------------------------------------------------------------------------


def test_items_and_customer_prices(client):
    assert client.get("items/A100").json() == {
        "item": "A100",
        "descrip": "Widget A",
        "price": "10.00",
    }
    prices = client.get("customers/0000001/prices").json()["data"]
    a100 = next(p for p in prices if p["item"] == "A100")
    assert a100["price"] == "9.50"  # price code A: 95 %
    assert a100["currid"] == "USD"
    assert client.get("customers/NOPE/prices").error[0] == 404


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("salesorders", order_body(colour="red"), "colour"),
        (
            "salesorders",
            order_body(lines=[{"item": "A100", "qtyord": "1", "qty": "2"}]),
            "lines[0].qty",
        ),
        ("customers", {"custno": "Z1", "company": "Z", "fax": "1"}, "fax"),
        (
            "cashreceipts",
            {"custno": "0000001", "reference": "r", "amount": "1", "memo": "x"},
            "memo",
        ),
    ],
)
def test_a_field_the_document_does_not_have_is_refused_not_dropped(
    client, path, body, field
):
    assert client.post(path, body).error == (400, "unknown_field", field)


def test_a_line_without_a_price_takes_the_items_price(client, data_dir):
    body = order_body("ch_list", lines=[{"item": "A100", "qtyord": "2"}])
    created = client.post("salesorders", body).json()
    # generate.py: A100 Widget A lists at 10.00
    assert created["lines"][0]["price"] == "10.00"
    assert created["ordamt"] == "20.00"
    [row] = [r for r in read_table(data_dir, "sotran") if r["sono"] == created["sono"]]
    assert (row["price"], row["extprice"]) == (Decimal("10.00"), Decimal("20.00"))
