"""Errors in plain words: every entry of the tables, the sandboxes' errors,
the admin page and the API."""

import ast
import re
from pathlib import Path

import pytest
from django.urls import reverse

from api.serializers import SyncRecordSerializer
from integrations.erps.registry import ERPS
from integrations.explanations import BY_CLASS, GENERIC, explain
from integrations.models import Connection, SyncAttempt, SyncRecord
from integrations.templatetags.explanations import record_explanation
from tests.factories import ConnectionFactory, IntegrationFactory

ROOT = Path(__file__).resolve().parents[2]
SYSPRO = "SYSPRO: "
SAGE = "Sage Pro: "

# (ERP kind, error class, raw message, ERP number or code, entry, words the
# explanation must hold).
EXAMPLES = [
    # SYSPRO: sign-in and licences
    (
        "syspro",
        "authentication",
        "SYSPRO refused the logon of operator ADMIN to company EDU1: "
        "ERROR: Invalid operator password",
        "",
        "syspro_logon_refused",
        "connection",
    ),
    (
        "syspro",
        "validation",
        f"{SYSPRO}e.net exception 100000: Business object 'ARSTPY' is not licensed "
        "or does not exist for this method — field BusinessObject — value 'ARSTPY'",
        "",
        "syspro_not_licensed",
        "ARSTPY",
    ),
    # SYSPRO: what a live SYSPRO says
    (
        "syspro",
        "validation",
        f"{SYSPRO}Customer 0000100 is on credit hold",
        "",
        "syspro_customer_on_hold",
        "credit controller",
    ),
    (
        "syspro",
        "validation",
        f"{SYSPRO}Period 2026/03 is closed",
        "",
        "syspro_period_closed",
        "2026/03",
    ),
    (
        "syspro",
        "validation",
        f"{SYSPRO}Customer 0000100 not on file",
        "",
        "syspro_customer_missing",
        "0000100",
    ),
    # SYSPRO: the sandbox's numbers and texts
    *[
        ("syspro", "validation", f"{SYSPRO}{text}", number, key, words)
        for number, text, key, words in [
            (
                "200101",
                "Customer 'S00042' not found — field Customer — value 'S00042'",
                "syspro_customer_missing",
                "S00042",
            ),
            (
                "200102",
                "Customer 'S00042' exists — field Customer — value 'S00042'",
                "syspro_customer_exists",
                "customer_code_prefix",
            ),
            (
                "200103",
                "Currency EUR differs from the customer's USD — field Currency "
                "— value 'EUR'",
                "syspro_currency_mismatch",
                "USD",
            ),
            (
                "200201",
                "Stock code 'WIDGET' not found — field StockCode — value 'WIDGET'",
                "syspro_stock_code_missing",
                "WIDGET",
            ),
            (
                "200202",
                "Warehouse 'ZZ' not found — field Warehouse — value 'ZZ'",
                "syspro_warehouse_missing",
                "option warehouse",
            ),
            (
                "200203",
                "Zero price is not allowed — field Price — value '0'",
                "syspro_zero_price",
                "zero price",
            ),
            ("200204", "The order has no lines", "syspro_no_lines", "no lines"),
            (
                "200205",
                "Customer PO 'ch_1' already used on sales order 000123 — field "
                "CustomerPoNumber — value 'ch_1'",
                "syspro_duplicate_po",
                "Confirm posted with 000123",
            ),
            (
                "200301",
                "Bank 'STRIPE' not found — field Bank — value 'STRIPE'",
                "syspro_bank_missing",
                "option bank",
            ),
            (
                "200302",
                "Invoice '100234' not found — field Invoice — value '100234'",
                "syspro_invoice_missing",
                "100234",
            ),
            (
                "200303",
                "Document '100234' already exists — field Invoice — value '100234'",
                "syspro_document_exists",
                "100234",
            ),
            (
                "200304",
                "Distributed 120.00 exceeds the payment value 100.00",
                "syspro_distribution",
                "add up",
            ),
            (
                "200305",
                "20.00 of the payment is not distributed",
                "syspro_distribution",
                "add up",
            ),
            (
                "200306",
                "Payment exceeds the balance 50.00 of invoice 100234 — field "
                "PaymentValue — value '80.00'",
                "syspro_exceeds_balance",
                "(50.00)",
            ),
            (
                "200307",
                "Sales order '000999' not found — field SalesOrder — value '000999'",
                "syspro_sales_order_missing",
                "000999",
            ),
            (
                "200308",
                "Product class 'XYZ' not found — field ProductClass — value 'XYZ'",
                "syspro_product_class_missing",
                "option product_class",
            ),
            (
                "200401",
                "Ledger code '9999' not found — field LedgerCode — value '9999'",
                "syspro_gl_account_missing",
                "9999",
            ),
            (
                "200402",
                "Journal does not balance: the entries sum to 0.01",
                "syspro_journal_unbalanced",
                "debits equal credits",
            ),
            (
                "200403",
                "A journal needs at least two lines",
                "syspro_journal_unbalanced",
                "two lines",
            ),
            (
                "100001",
                "Warehouse is required — field Warehouse",
                "syspro_required",
                "Warehouse",
            ),
            (
                "100002",
                "Name may be at most 30 characters — field Name — value 'A very long "
                "customer name indeed'",
                "syspro_value_too_long",
                "30 characters",
            ),
            (
                "100003",
                "InvoiceDate must be a date as CCYY-MM-DD — field InvoiceDate — "
                "value '02/12/2026'",
                "syspro_bad_date",
                "02/12/2026",
            ),
            (
                "100004",
                "PaymentValue must be a decimal number — field PaymentValue — "
                "value '1,000'",
                "syspro_bad_number",
                "1,000",
            ),
            (
                "100005",
                "PostToExistingInvoice must be Y or N — field PostToExistingInvoice "
                "— value 'yes'",
                "syspro_bad_flag",
                "yes",
            ),
            (
                "100006",
                "PaymentValue has more than 2 decimals for currency KWD — field "
                "PaymentValue — value '1.234'",
                "syspro_amount_precision",
                "currency_precision",
            ),
            (
                "100007",
                "PostingPeriod is 1 to 13 — field PostingPeriod — value '14'",
                "syspro_bad_value",
                "14",
            ),
            (
                "100010",
                "Colour is not an element of StockLine — field Colour — value 'red'",
                "syspro_unknown_element",
                "Colour",
            ),
            (
                "100050",
                "XmlIn is not well-formed XML",
                "syspro_unreadable_request",
                "supports your integration",
            ),
            (
                "100051",
                "Filter <Colour> is not supported by this query",
                "syspro_unreadable_request",
                "supports your integration",
            ),
        ]
    ],
    (
        "syspro",
        "validation",
        "SYSPRO rejected 1 item(s) without a reason",
        "",
        "syspro_items_rejected",
        "without saying why",
    ),
    # Sage Pro: the agent contract's codes and messages
    *[
        ("sagepro", error_class, f"{SAGE}{text}", code, key, words)
        for error_class, code, text, key, words in [
            (
                "authentication",
                "unauthorized",
                "missing or invalid API key",
                "sagepro_api_key_rejected",
                "API key",
            ),
            (
                "validation",
                "invalid",
                "customer C042 is on hold",
                "sagepro_customer_on_hold",
                "C042",
            ),
            (
                "validation",
                "invalid",
                "period 2026-03 is closed",
                "sagepro_period_closed",
                "2026-03",
            ),
            (
                "validation",
                "invalid",
                "customer C042 does not exist — field custno",
                "sagepro_customer_missing",
                "C042",
            ),
            (
                "not_found",
                "not_found",
                "customer C042 not found",
                "sagepro_customer_missing",
                "C042",
            ),
            (
                "validation",
                "unknown_item",
                "item WIDGET does not exist — field lines[0].item",
                "sagepro_item_missing",
                "WIDGET",
            ),
            (
                "validation",
                "unknown_bank",
                "bank FNB does not exist — field bank",
                "sagepro_bank_missing",
                "option bank",
            ),
            (
                "validation",
                "unknown_account",
                "account 9999 does not exist — field lines[1].account",
                "sagepro_account_missing",
                "9999",
            ),
            (
                "validation",
                "unbalanced",
                "journal does not balance: debits 10.00 != credits 9.99 — field lines",
                "sagepro_journal_unbalanced",
                "debits equal credits",
            ),
            (
                "validation",
                "invalid",
                "each line needs either a debit or a credit amount",
                "sagepro_journal_unbalanced",
                "debits equal credits",
            ),
            (
                "duplicate",
                "duplicate",
                "a cash receipt with reference ch_1 exists — field reference",
                "sagepro_duplicate_reference",
                "ch_1",
            ),
            (
                "duplicate",
                "duplicate",
                "ponum ch_1 already exists for customer C042 — field ponum",
                "sagepro_duplicate_reference",
                "Confirm posted",
            ),
            (
                "validation",
                "invalid",
                "amount 80.00 exceeds invoice 1042's balance 50.00 — field amount",
                "sagepro_exceeds_balance",
                "(50.00)",
            ),
            (
                "validation",
                "invalid",
                "invoice 1042 not found for C042 — field invno",
                "sagepro_document_missing",
                "1042",
            ),
            (
                "validation",
                "invalid",
                "no invoice or sales order 1042 for customer C042 — field invno",
                "sagepro_document_missing",
                "1042",
            ),
            (
                "validation",
                "invalid",
                "currency EUR differs from customer C042's USD — field currid",
                "sagepro_currency_mismatch",
                "USD",
            ),
            (
                "validation",
                "invalid",
                "lines[0].descrip may be at most 50 characters — field "
                "lines[0].descrip",
                "sagepro_value_too_long",
                "50 characters",
            ),
            (
                "validation",
                "invalid",
                "amount has more than 2 decimals for KWD — field amount",
                "sagepro_amount_precision",
                "currency_precision",
            ),
            (
                "validation",
                "precision",
                "amount 1.234 has 3 decimals; Sage Pro's arcash.amount is "
                "N(12,2) and holds 2: the agent does not round — field amount",
                "sagepro_amount_precision",
                "at most 2 decimals in amount",
            ),
            (
                "validation",
                "unknown_field",
                "lines[0].colour is not a field the agent takes here — field "
                "lines[0].colour",
                "sagepro_unknown_field",
                "lines[0].colour",
            ),
            (
                "transient",
                "locked",
                "customer C042 is locked by another user; nothing was written, "
                "send it again",
                "sagepro_record_locked",
                "retried automatically",
            ),
            (
                "validation",
                "too_large",
                "the body may be at most 1048576 bytes",
                "sagepro_document_too_large",
                "by hand",
            ),
            (
                "validation",
                "invalid",
                "extprice 10.00 should be 9.99 (qtyord x price x (1 - disc/100), "
                "rounded to 2 places) — field lines[0].extprice",
                "sagepro_totals_differ",
                "add up",
            ),
            (
                "validation",
                "required",
                "ponum is required — field ponum",
                "sagepro_required",
                "ponum",
            ),
            (
                "validation",
                "invalid",
                "ordate must be a date YYYY-MM-DD — field ordate",
                "sagepro_bad_value",
                "ordate",
            ),
            (
                "rate_limited",
                "rate_limited",
                "HTTP 429",
                "sagepro_agent_busy",
                "retried automatically",
            ),
            (
                "validation",
                "invalid_json",
                "body is not valid JSON: Expecting value",
                "sagepro_request_unreadable",
                "agent",
            ),
        ]
    ],
    # Generic: our own messages and error classes
    (
        "syspro",
        "validation",
        "The SYSPRO SORTOI request is 4,100 bytes of query string, over the 2,048 "
        "bytes the SYSPRO server accepts (IIS maxQueryString). — field XmlIn",
        "",
        "query_string_too_long",
        "2,048",
    ),
    (
        "sagepro",
        "connector",
        "The connection's base URL is refused: not https. Correct it on the "
        "connection, then retry. — field base_url",
        "",
        "base_url_refused",
        "base URL",
    ),
    (
        "syspro",
        "validation",
        "KWD has 3 decimals but SYSPRO amount fields hold 2, and this integration "
        'refuses such currencies (currency_precision "refuse"): nothing was sent.',
        "",
        "currency_precision_refused",
        '"round"',
    ),
    (
        "syspro",
        "validation",
        "0.004 KWD rounds to zero in amount fields of 2 decimals: there is nothing",
        "",
        "rounds_to_zero",
        "Skip",
    ),
    (
        "syspro",
        "validation",
        "The memo is longer than 40 characters — field Notation",
        "",
        "value_too_long",
        "40 characters",
    ),
    (
        "syspro",
        "validation",
        "InvoiceValue 1.2345 has more than 2 decimals — field InvoiceValue",
        "",
        "syspro_amount_precision",
        "(2 at most)",
    ),
    (
        "sagepro",
        "validation",
        "amount 1.2345 has more than 2 decimals — field amount",
        "",
        "sagepro_amount_precision",
        "2 decimals",
    ),
    (
        "syspro",
        "validation",
        "total with more than 3 decimals is refused",
        "",
        "amount_precision",
        "3",
    ),
    (
        "syspro",
        "transient",
        "Gave up after 8 attempts: SYSPRO answered HTTP 503",
        "",
        "gave_up",
        "8 attempts",
    ),
    (
        "syspro",
        "connector",
        "Unexpected error: KeyError: 'lines'",
        "",
        "unexpected",
        "inside LedgerBridge",
    ),
    (
        "syspro",
        "authentication",
        "SYSPRO refused access (HTTP 401)",
        "",
        "credentials_rejected",
        "resume the integration",
    ),
    (
        "syspro",
        "rate_limited",
        "SYSPRO is busy (HTTP 429)",
        "",
        "rate_limited",
        "slow down",
    ),
    (
        "syspro",
        "transient",
        "SYSPRO answered HTTP 502",
        "",
        "erp_unavailable",
        "retried automatically",
    ),
    (
        "syspro",
        "unknown_outcome",
        "SYSPRO did not answer GENTJL within 30s: GENTJL was sent and its reply "
        "lost, so SYSPRO may have posted it. The ERP cannot be asked…",
        "",
        "unknown_outcome",
        "Confirm posted",
    ),
    (
        "sagepro",
        "unknown_outcome",
        f"{SAGE}reply lost after write: POST cashreceipts was sent and its reply "
        "lost, so Sage Pro may have posted it.",
        "server_error",
        "unknown_outcome",
        "Post again",
    ),
    (
        "syspro",
        "lease_expired",
        "The worker running this record stopped before finishing, and the ERP "
        "cannot be asked for this document by its Stripe reference",
        "",
        "unknown_outcome",
        "Confirm posted",
    ),
    (
        "sagepro",
        "duplicate",
        f"{SAGE}HTTP 409",
        "",
        "duplicate_reference",
        "already has",
    ),
    (
        "sagepro",
        "not_found",
        f"{SAGE}HTTP 404",
        "",
        "not_found",
        "no record",
    ),
    (
        "syspro",
        "validation",
        f"{SYSPRO}Something SYSPRO says that no table knows",
        "",
        "erp_refused",
        "refused",
    ),
    (
        "syspro",
        "connector",
        "SYSPRO answered HTTP 404 for Logon",
        "",
        "connection_problem",
        "settings",
    ),
]


def _explain(kind, error_class, message, number):
    package = ERPS[kind]
    return explain(
        error_class=error_class,
        message=message,
        error_number=number,
        erp_entries=package.explanations,
        erp_label=package.label,
    )


@pytest.mark.parametrize(
    ("kind", "error_class", "message", "number", "key", "words"),
    EXAMPLES,
    ids=[f"{e[4]}-{i}" for i, e in enumerate(EXAMPLES)],
)
def test_each_entry_explains_its_error(kind, error_class, message, number, key, words):
    explained = _explain(kind, error_class, message, number)
    assert explained.key == key
    assert explained.known
    assert words in f"{explained.what} {explained.todo}"
    assert explained.raw == message  # the raw text is kept as it was
    assert "?" not in explained.what  # every placeholder was filled
    # The API reads texts only (no number): it must say the same.
    assert _explain(kind, error_class, message, "").key == key


def test_every_entry_has_an_example():
    tables = {
        "generic": [e.key for e in (*GENERIC, *BY_CLASS)],
        **{kind: [e.key for e in p.explanations] for kind, p in ERPS.items()},
    }
    explained = {example[4] for example in EXAMPLES}
    missing = {
        table: [key for key in keys if key not in explained]
        for table, keys in tables.items()
    }
    assert missing == {table: [] for table in tables}


def test_an_unknown_error_falls_back_without_hiding_the_raw_text():
    explained = _explain("syspro", "mystery", "Something odd: 42", "")
    assert not explained.known
    assert explained.raw == "Something odd: 42"
    assert "message below" in explained.todo
    assert _explain("syspro", "", "", "") is None


def _sandbox_source(kind):
    return "\n".join(
        p.read_text() for p in sorted((ROOT / "sandbox" / kind).glob("*.py"))
    )


def test_every_error_number_the_syspro_sandbox_can_produce_has_an_entry():
    source = _sandbox_source("syspro")
    numbers = set(re.findall(r'^[A-Z_]+ = "(\d{6})"$', source, re.MULTILINE))
    numbers |= set(re.findall(r'EnetException\(\s*"(\d{6})"', source))
    assert len(numbers) >= 25  # the walk found the sandbox's table
    covered = {n for e in ERPS["syspro"].explanations for n in e.numbers}
    assert sorted(numbers - covered) == []


def _agent_codes(tree):
    """The codes of every AgentError(status, code, …) and invalid(field,
    message, code) call in the Sage Pro agent."""
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Name):
            continue
        position = {"AgentError": 1, "invalid": 2}.get(node.func.id)
        if position is None:
            continue
        if len(node.args) > position:
            code = node.args[position]
            if isinstance(code, ast.Constant) and isinstance(code.value, str):
                yield code.value
        elif node.func.id == "invalid":
            yield "invalid"  # its default


def test_every_error_code_the_sage_pro_agent_can_produce_has_an_entry():
    codes = set()
    for path in sorted((ROOT / "agent" / "ledgerbridge_agent").glob("*.py")):
        codes |= set(_agent_codes(ast.parse(path.read_text())))
    assert {"unknown_item", "unbalanced", "unauthorized", "locked"} <= codes
    covered = {n for e in ERPS["sagepro"].explanations for n in e.numbers}
    assert sorted(codes - covered) == []


# --- Shown to people -----------------------------------------------------------

HOSTILE = "<script>alert('x')</script>"


@pytest.fixture
def failed(db):
    integration = IntegrationFactory()
    record = SyncRecord.objects.create(
        integration=integration,
        operation=SyncRecord.Operation.CREATE_INVOICE,
        idempotency_key="create_invoice:in_1",
        stripe_id="in_1",
        status=SyncRecord.Status.NEEDS_ATTENTION,
        error_class="validation",
        error_message=f"{SYSPRO}Product class '{HOSTILE}' not found — field "
        f"ProductClass — value '{HOSTILE}'",
    )
    SyncAttempt.objects.create(
        record=record,
        number=1,
        started_at=record.created_at,
        error_class="validation",
        error_message=record.error_message,
        response={"error_number": "200308"},
    )
    return record


def test_the_admin_shows_the_explanation_above_the_raw_message_escaped(
    admin_client, failed
):
    page = admin_client.get(
        reverse("admin:integrations_syncrecord_change", args=[failed.pk])
    ).content.decode()
    assert "What went wrong" in page
    assert "SYSPRO has no product class" in page
    assert page.index("What went wrong") < page.index("Product class &#x27;")
    assert HOSTILE not in page
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page


def test_the_admin_reads_the_erp_number_of_the_latest_attempt(failed):
    SyncRecord.objects.filter(pk=failed.pk).update(error_message="SYSPRO: ?")
    failed.refresh_from_db()
    assert record_explanation(failed).key == "syspro_product_class_missing"
    assert record_explanation(failed, error_number="").key == "erp_refused"


def test_a_succeeded_record_has_nothing_to_explain(failed):
    failed.status = SyncRecord.Status.SUCCEEDED
    assert record_explanation(failed) is None


def test_the_api_record_carries_the_explanation_and_not_the_raw_text_twice(failed):
    data = SyncRecordSerializer(failed).data
    assert data["explanation"]["key"] == "syspro_product_class_missing"
    assert data["explanation"]["known"] is True
    assert "raw" not in data["explanation"]
    assert data["error_message"] == failed.error_message


def test_a_sage_pro_record_uses_sage_pros_table(db):
    sage = ConnectionFactory(kind=Connection.Kind.SAGEPRO, base_url="http://sage")
    record = SyncRecord.objects.create(
        integration=IntegrationFactory(erp_connection=sage),
        operation=SyncRecord.Operation.POST_PAYMENT,
        idempotency_key="post_payment:ch_9",
        stripe_id="ch_9",
        status=SyncRecord.Status.NEEDS_ATTENTION,
        error_class="validation",
        error_message=f"{SAGE}bank FNB does not exist — field bank",
    )
    assert record_explanation(record).what == (
        "Sage Pro has no bank FNB to receive the payment in."
    )
