"""SageProConnector against scripted `/api/v1/` replies (PROTOCOLS.md §2)."""

import json
import logging

import pytest
import requests
import urllib3.exceptions

from integrations.connectors import http
from integrations.connectors.errors import (
    AuthenticationError,
    DuplicateError,
    NotFoundError,
    RateLimitedError,
    TransientError,
    UnknownOutcomeError,
    ValidationError,
)
from integrations.connectors.records import ErpOrder
from integrations.erps.sagepro.connector import SageProConnector, rows_of
from integrations.models import Connection

from .support import path_of, query_of, scripted_session

API_KEY = "sage-Secret-789"


class FakeSage:
    """Routes (method, path) to replies; records what was asked."""

    def __init__(self) -> None:
        self.routes: dict[tuple[str, str], object] = {}
        self.calls: list[tuple[str, str, dict, dict | None]] = []

    def __call__(self, request: requests.PreparedRequest) -> tuple:
        assert request.headers["Authorization"] == f"Bearer {API_KEY}"
        path = path_of(request).split("/api/v1", 1)[1]
        params = dict(query_of(request))
        body = json.loads(request.body) if request.body else None
        self.calls.append((request.method, path, params, body))
        reply = self.routes.get((request.method, path))
        if reply is None:
            return 404, {"error": {"code": "not_found", "message": "no route"}}
        return reply(params, body) if callable(reply) else reply

    def posts(self, path: str) -> list[dict]:
        return [b for m, p, _, b in self.calls if m == "POST" and p == path]


@pytest.fixture
def sage() -> FakeSage:
    return FakeSage()


@pytest.fixture
def connector(sage) -> SageProConnector:
    session, _ = scripted_session(sage)
    connection = Connection(
        pk=9,
        kind=Connection.Kind.SAGEPRO,
        base_url="http://sage.test",
        secrets={"api_key": API_KEY},
        timeout_seconds=5,
    )
    return SageProConnector(connection, session=session)


ORDER = {
    "sono": "",
    "custno": "0000001",
    "ordate": "2024-05-01",
    "ponum": "ch_1",
    "ordamt": "19.99",
    "currid": "USD",
    "lines": [
        {
            "item": "A100",
            "descrip": "Widget A",
            "qtyord": "2",
            "price": "9.00",
            "disc": "0",
            "extprice": "18.00",
        }
    ],
}


def test_rows_of_accepts_bare_and_wrapped_lists():
    assert rows_of([{"a": 1}]) == [{"a": 1}]
    assert rows_of({"data": [{"a": 1}], "has_more": False}) == [{"a": 1}]
    assert rows_of({"results": [{"a": 2}]}) == [{"a": 2}]
    assert rows_of({"error": "x"}) == []


def test_sales_order_is_looked_up_by_ponum_and_adopted(sage, connector):
    sage.routes[("GET", "/salesorders")] = (
        200,
        {"data": [{"sono": "SO0001", "custno": "0000001", "ponum": "ch_1"}]},
    )

    document = connector.create_sales_order(ORDER, reference="ch_1")

    assert (document.number, document.adopted) == ("SO0001", True)
    assert sage.calls[0][2] == {"ponum": "ch_1"}
    assert sage.posts("/salesorders") == []


def test_sales_order_is_created_without_sono_when_absent(sage, connector):
    sage.routes[("GET", "/salesorders")] = (200, [])
    sage.routes[("POST", "/salesorders")] = (201, {**ORDER, "sono": "SO0002"})

    document = connector.create_sales_order(ORDER, reference="ch_1")

    assert (document.number, document.adopted) == ("SO0002", False)
    sent = sage.posts("/salesorders")[0]
    assert "sono" not in sent
    assert sent["ponum"] == "ch_1"
    assert sent["lines"][0]["extprice"] == "18.00"


def test_a_409_on_create_is_adopted_after_a_second_lookup(sage, connector):
    lookups = iter([[], [{"id": 77, "reference": "ch_1", "custno": "0000001"}]])
    sage.routes[("GET", "/cashreceipts")] = lambda params, body: (200, next(lookups))
    sage.routes[("POST", "/cashreceipts")] = (
        409,
        {"error": {"code": "duplicate", "message": "exists", "field": "reference"}},
    )

    document = connector.post_payment(
        {"custno": "0000001", "amount": "19.99", "reference": "ch_1"},
        reference="ch_1",
    )

    assert (document.number, document.adopted) == ("77", True)


def test_a_409_with_nothing_to_adopt_is_a_duplicate_error(sage, connector):
    sage.routes[("GET", "/cashreceipts")] = (200, [])
    sage.routes[("POST", "/cashreceipts")] = (
        409,
        {"error": {"code": "duplicate", "message": "exists", "field": "reference"}},
    )
    with pytest.raises(DuplicateError):
        connector.post_payment({"custno": "0000001"}, reference="ch_1")


def test_lookup_ignores_rows_of_another_reference(sage, connector):
    # A server that filters loosely must not make us adopt the wrong document.
    sage.routes[("GET", "/creditmemos")] = (200, [{"id": 5, "reference": "re_10"}])
    sage.routes[("POST", "/creditmemos")] = (201, {"id": 6, "reference": "re_1"})

    document = connector.post_credit_note(
        {"custno": "0000001", "invno": "INV1", "amount": "5.00"}, reference="re_1"
    )

    assert (document.number, document.adopted) == ("6", False)
    assert sage.posts("/creditmemos")[0]["reference"] == "re_1"


def test_adjustment_is_a_credit_memo_of_type_adjustment(sage, connector):
    sage.routes[("GET", "/creditmemos")] = (200, [])
    sage.routes[("POST", "/creditmemos")] = (201, {"id": 8, "type": "adjustment"})

    document = connector.post_adjustment(
        {"custno": "0000001", "amount": "-15.00", "reference": "txn_1"},
        reference="txn_1",
    )

    assert document.number == "8"
    assert sage.posts("/creditmemos")[0]["type"] == "adjustment"
    assert sage.posts("/creditmemos")[0]["amount"] == "-15.00"


def test_journal_and_invoice_lookups(sage, connector):
    # a journal's currency is checked against the company's home currency first
    sage.routes[("GET", "/info")] = (200, {"company": "01", "currency": "USD"})
    sage.routes[("GET", "/journalentries")] = (200, [{"id": 3, "reference": "po_1"}])
    sage.routes[("GET", "/invoices")] = (
        200,
        [{"invno": "INV9", "ponum": "in_1", "custno": "0000001"}],
    )

    journal = connector.post_journal({"lines": []}, reference="po_1")
    invoice = connector.create_invoice({"custno": "0000001"}, reference="in_1")

    assert (journal.number, journal.adopted) == ("3", True)
    assert (invoice.number, invoice.adopted) == ("INV9", True)


def test_upsert_customer_creates_or_updates_without_blanking(sage, connector):
    sage.routes[("GET", "/customers/S000001")] = (
        404,
        {"error": {"code": "not_found", "message": "customer S000001 not found"}},
    )
    sage.routes[("POST", "/customers")] = (201, {"custno": "S000001"})
    sage.routes[("GET", "/customers/0000001")] = (200, {"custno": "0000001"})
    sage.routes[("PUT", "/customers/0000001")] = (200, {"custno": "0000001"})

    created = connector.upsert_customer(
        {"custno": "S000001", "company": "Ada"}, reference="cus_1"
    )
    updated = connector.upsert_customer(
        {"custno": "0000001", "company": "Bayside", "phone": ""}, reference="cus_2"
    )

    assert (created.number, created.adopted) == ("S000001", False)
    assert (updated.number, updated.adopted) == ("0000001", True)
    put = next(b for m, p, _, b in sage.calls if m == "PUT")
    assert put == {"company": "Bayside"}


def test_an_update_leaves_terms_and_currency_to_the_company(sage, connector):
    sage.routes[("GET", "/customers/0000001")] = (200, {"custno": "0000001"})
    sage.routes[("PUT", "/customers/0000001")] = (200, {"custno": "0000001"})

    connector.upsert_customer(
        {"custno": "0000001", "company": "Bayside", "pterms": "NET30", "currid": "EUR"},
        reference="cus_2",
    )

    put = next(b for m, p, _, b in sage.calls if m == "PUT")
    assert put == {"company": "Bayside"}


def test_find_customer_by_email(sage, connector):
    sage.routes[("GET", "/customers")] = (
        200,
        [{"custno": "0000002", "email": "AP@northwind.example"}],
    )
    found = connector.find_customer(email="ap@northwind.example")
    assert found.code == "0000002"
    assert sage.calls[0][2] == {"email": "ap@northwind.example"}


def test_customer_prices_without_a_price_endpoint_are_empty(sage, connector):
    assert connector.customer_prices("0000001") == []


@pytest.mark.parametrize(
    ("status", "headers", "error_class"),
    [
        (400, {}, ValidationError),
        (401, {}, AuthenticationError),
        (403, {}, AuthenticationError),
        (404, {}, NotFoundError),
        (409, {}, DuplicateError),
        (429, {"Retry-After": "12"}, RateLimitedError),
        (500, {}, TransientError),
        (503, {}, TransientError),
    ],
)
def test_http_errors_are_mapped(sage, connector, status, headers, error_class):
    sage.routes[("GET", "/salesorders")] = (
        status,
        {"error": {"code": "x", "message": "refused", "field": "ordate"}},
        headers,
    )
    with pytest.raises(error_class) as caught:
        connector.customer_orders("0000001")
    assert "refused" in caught.value.message
    if status == 429:
        assert caught.value.retry_after == 12.0


def test_validation_error_names_the_field_and_the_value_sent(sage, connector):
    sage.routes[("GET", "/salesorders")] = (200, [])
    sage.routes[("POST", "/salesorders")] = (
        400,
        {
            "error": {
                "code": "invalid",
                "message": "ordate must be CCYY-MM-DD",
                "field": "ordate",
            }
        },
    )
    with pytest.raises(ValidationError) as caught:
        connector.create_sales_order(
            {**ORDER, "ordate": "01/05/2024"}, reference="ch_1"
        )
    assert (caught.value.field, caught.value.value) == ("ordate", "01/05/2024")
    assert "ordate must be" in caught.value.describe()


@pytest.mark.parametrize(
    "failure", [requests.ConnectTimeout("t"), requests.ConnectionError("refused")]
)
def test_network_failures_are_transient(failure, caplog):
    def handler(request):
        raise failure

    session, _ = scripted_session(handler)
    connection = Connection(
        pk=9,
        kind=Connection.Kind.SAGEPRO,
        base_url="http://sage.test/api/v1",
        secrets={"api_key": API_KEY},
    )
    connector = SageProConnector(connection, session=session)
    with caplog.at_level(logging.DEBUG), pytest.raises(TransientError) as caught:
        connector.stock("A100")
    assert API_KEY not in caught.value.message + caplog.text


def test_a_rate_limit_is_waited_out_within_the_budget(
    sage, connector, settings, monkeypatch
):
    settings.ERP_RATE_LIMIT_WAIT_SECONDS = 10
    waits = []
    monkeypatch.setattr(http.time, "sleep", waits.append)
    replies = iter(
        [
            (429, {"error": {"message": "slow down"}}, {"Retry-After": "1"}),
            (429, {"error": {"message": "slow down"}}, {"Retry-After": "2"}),
            (200, [{"sono": "S1", "ponum": "ch_1"}]),
        ]
    )
    sage.routes[("GET", "/salesorders")] = lambda params, body: next(replies)

    assert connector.customer_orders("0000001") == [
        ErpOrder(number="S1", customer_code="0000001", reference="ch_1")
    ]
    assert len(sage.calls) == 3
    # Retry-After, plus up to half again so workers do not return together.
    assert 1 <= waits[0] <= 1.5 and 2 <= waits[1] <= 3


def test_a_rate_limit_past_the_budget_goes_to_the_ledger(
    sage, connector, settings, monkeypatch
):
    settings.ERP_RATE_LIMIT_WAIT_SECONDS = 5
    waits = []
    monkeypatch.setattr(http.time, "sleep", waits.append)
    sage.routes[("GET", "/salesorders")] = (
        429,
        {"error": {"message": "slow down"}},
        {"Retry-After": "2"},
    )
    with pytest.raises(RateLimitedError):
        connector.customer_orders("0000001")
    assert sum(waits) <= 5
    assert len(sage.calls) == len(waits) + 1 >= 2


def test_a_customer_just_looked_up_is_created_without_asking_again(sage, connector):
    sage.routes[("POST", "/customers")] = (201, {"custno": "S000002"})

    created = connector.upsert_customer(
        {"custno": "S000002", "company": "Ada", "email": "ada@example.com"},
        reference="cus_2",
        looked_up=True,
    )

    assert (created.number, created.adopted) == ("S000002", False)
    assert [(m, p) for m, p, _, _ in sage.calls] == [("POST", "/customers")]


def test_a_looked_up_customer_that_appeared_meanwhile_is_adopted(sage, connector):
    sage.routes[("POST", "/customers")] = (
        409,
        {"error": {"code": "duplicate", "message": "custno exists"}},
    )
    sage.routes[("GET", "/customers/S000003")] = (200, {"custno": "S000003"})

    adopted = connector.upsert_customer(
        {"custno": "S000003", "company": "Ada"}, reference="cus_3", looked_up=True
    )

    assert (adopted.number, adopted.adopted) == ("S000003", True)


def test_create_only_refuses_a_taken_code_without_adopting_it(sage, connector):
    sage.routes[("POST", "/customers")] = (
        409,
        {"error": {"code": "duplicate", "message": "custno S000004 already exists"}},
    )

    with pytest.raises(DuplicateError):
        connector.upsert_customer(
            {"custno": "S000004", "company": "Ada"}, reference="cus_4", create_only=True
        )

    assert [(m, p) for m, p, _, _ in sage.calls] == [("POST", "/customers")]


def test_a_key_with_slashes_and_dots_is_sent_as_one_encoded_segment():
    session, adapter = scripted_session(lambda request: (200, {"custno": "X"}))
    connector = SageProConnector(
        Connection(
            pk=9,
            kind="sagepro",
            base_url="http://sage.test",
            secrets={"api_key": API_KEY},
        ),
        session=session,
    )

    connector.find_customer(code="customers/../salesorders/SO1")
    connector.stock("A 1?x=1#top")

    assert [request.url for request in adapter.requests] == [
        "http://sage.test/api/v1/customers/customers%2F..%2Fsalesorders%2FSO1",
        "http://sage.test/api/v1/items/A%201%3Fx%3D1%23top",
    ]


@pytest.mark.parametrize("key", ["..", ".", ""])
def test_a_key_that_is_a_dot_segment_or_empty_is_refused(sage, connector, key):
    with pytest.raises(ValidationError):
        connector.stock(key)

    assert sage.calls == []


@pytest.mark.parametrize("status", [500, 502, 504])
def test_a_create_whose_reply_is_lost_behind_a_5xx_has_an_unknown_outcome(
    sage, connector, status
):
    sage.routes[("GET", "/salesorders")] = (200, [])
    sage.routes[("POST", "/salesorders")] = (status, {"error": {"message": "gateway"}})
    with pytest.raises(UnknownOutcomeError) as caught:
        connector.create_sales_order(ORDER, reference="ch_1")
    assert caught.value.code == "unknown_outcome" and not caught.value.retryable
    assert caught.value.extra["reply_lost"] is True


def test_a_turned_away_create_and_a_failed_read_are_transient(sage, connector):
    sage.routes[("GET", "/salesorders")] = (200, [])
    sage.routes[("POST", "/salesorders")] = (503, {"error": {"message": "stopped"}})
    with pytest.raises(TransientError) as caught:
        connector.create_sales_order(ORDER, reference="ch_1")
    assert not isinstance(caught.value, UnknownOutcomeError)
    sage.routes[("GET", "/salesorders")] = (502, {"error": {"message": "gateway"}})
    with pytest.raises(TransientError) as caught:
        connector.customer_orders("0000001")
    assert not isinstance(caught.value, UnknownOutcomeError)


@pytest.mark.parametrize(
    ("failure", "error_class"),
    [
        (requests.ReadTimeout("read timed out"), UnknownOutcomeError),
        (requests.ConnectionError("Connection aborted"), UnknownOutcomeError),
        (requests.ConnectTimeout("connect timed out"), TransientError),
        (
            requests.ConnectionError(
                urllib3.exceptions.MaxRetryError(
                    None,
                    "/",
                    urllib3.exceptions.NewConnectionError(None, "refused"),
                )
            ),
            TransientError,
        ),
    ],
)
def test_a_create_that_may_have_left_has_an_unknown_outcome(failure, error_class):
    def handler(request):
        if request.method == "GET":
            return 200, []
        raise failure

    session, _ = scripted_session(handler)
    connection = Connection(
        pk=9,
        kind=Connection.Kind.SAGEPRO,
        base_url="http://sage.test/api/v1",
        secrets={"api_key": API_KEY},
    )
    with pytest.raises(error_class) as caught:
        SageProConnector(connection, session=session).create_sales_order(
            ORDER, reference="ch_1"
        )
    assert type(caught.value) is error_class


def test_a_create_answered_with_an_unreadable_body_has_an_unknown_outcome(
    sage, connector
):
    sage.routes[("GET", "/salesorders")] = (200, [])
    sage.routes[("POST", "/salesorders")] = (201, "<html>proxy</html>")
    with pytest.raises(UnknownOutcomeError):
        connector.create_sales_order(ORDER, reference="ch_1")
