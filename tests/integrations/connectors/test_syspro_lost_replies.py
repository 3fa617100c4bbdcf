"""SYSPRO commits a write and its reply is lost, through the real ledger.

Every write SYSPRO can be asked about again (ARSQRY, SORQSO) is retried and
the lookup adopts the committed document; a GL journal, which GENQJR cannot
find by reference, goes to unknown_outcome for a person to settle. The
sandbox's `error_after_write_rate` fault commits the document and answers 502.
"""

import pytest
from django.conf import settings

from integrations import ledger
from integrations.connectors import http
from integrations.erps import registry
from integrations.erps.registry import erp_package
from integrations.models import Connection, SyncAttempt, SyncRecord
from integrations.operations import REPEATABLE_OPERATIONS
from integrations.workflows import EXECUTORS, Plan, PlannedRecord
from tests.factories import IntegrationFactory
from tests.integrations.workflows.conftest import ERP_URLS
from tests.support.wsgi import wsgi_session

from .conftest import SANDBOX_HOST, control, sandbox_state

pytestmark = pytest.mark.django_db

Status = SyncRecord.Status
ROOT = "/sandbox/syspro"

# Per write: the SYSPRO payload, the Stripe reference, and where the
# sandbox's state lists the document with the field that carries it.
WRITES = {
    "upsert_customer": (
        {"Customer": "S000043", "Name": "Lost Reply Ltd", "Currency": "USD"},
        "cus_LostS",
        ("customers", "code", "S000043"),
    ),
    "create_sales_order": (
        {
            "Customer": "0000001",
            "OrderDate": "2024-05-01",
            "lines": [
                {
                    "LineType": "misc",
                    "MiscChargeValue": "1.99",
                    "MiscProductClass": "_OTH",
                    "MiscDescription": "Stripe payment",
                }
            ],
        },
        "ch_LostS",
        ("sales_orders", "reference", "ch_LostS"),
    ),
    "create_invoice": (
        {
            "Customer": "0000002",
            "InvoiceDate": "2024-05-03",
            "InvoiceValue": "120.00",
            "ProductClass": "STRP",
        },
        "in_LostS",
        ("invoices", "reference", "in_LostS"),
    ),
    "post_payment": (
        {
            "Customer": "0000001",
            "PaymentValue": "19.99",
            "PaymentDate": "2024-05-01",
            "JournalNotation": "Stripe charge",
            "Bank": "STRIPE",
            "PaymentType": "O",
        },
        "ch_LostPayS",
        ("payments", "reference", "ch_LostPayS"),
    ),
    "post_credit_note": (
        {
            "Customer": "0000001",
            "InvoiceDate": "2024-05-02",
            "InvoiceValue": "5.00",
            "ProductClass": "STRP",
        },
        "re_LostS",
        ("credit_notes", "reference", "re_LostS"),
    ),
    "post_adjustment": (
        {
            "Customer": "0000001",
            "AdjustmentValue": "-15.00",
            "JournalNotation": "Stripe dispute",
            "ProductClass": "DISP",
            "InvoiceDate": "2024-05-04",
        },
        "dp_LostS:withdrawn",
        ("debit_notes", "reference", "dp_LostS:withdrawn"),
    ),
    "post_journal": (
        {
            "JournalDate": "2024-05-05",
            "lines": [
                {"LedgerCode": "1010", "EntryAmount": "97.10"},
                {"LedgerCode": "6210", "EntryAmount": "2.90"},
                {"LedgerCode": "1090", "EntryAmount": "-100.00"},
            ],
        },
        "po_LostS",
        ("journals", "reference", "po_LostS"),
    ),
}


@pytest.fixture
def sandbox(monkeypatch):
    monkeypatch.setattr(http, "SESSION_FACTORY", lambda c: wsgi_session(SANDBOX_HOST))
    session = wsgi_session(SANDBOX_HOST)
    yield session
    session.close()
    registry.close_all()


@pytest.fixture
def integration(sandbox):
    return IntegrationFactory(
        erp_connection__kind=Connection.Kind.SYSPRO,
        erp_connection__base_url=ERP_URLS["syspro"],
        erp_connection__config={
            "operator": settings.SANDBOX_SYSPRO_OPERATOR,
            "company_id": settings.SANDBOX_SYSPRO_COMPANY,
        },
        erp_connection__secrets={
            "operator_password": settings.SANDBOX_SYSPRO_OPERATOR_PASSWORD,
            "company_password": settings.SANDBOX_SYSPRO_COMPANY_PASSWORD,
        },
    )


@pytest.fixture
def direct_executors(monkeypatch):
    """Each write sends its SYSPRO payload as is, without mapping."""

    def execute(ctx):
        payload, _, _ = WRITES[ctx.record.operation]
        ctx.built_payload = ctx.record.payload = payload
        if ctx.record.operation == "upsert_customer":
            return ctx.connector.upsert_customer(
                payload, reference=ctx.record.stripe_id
            )
        # As the ledger's executors do: a first attempt skips the lookup.
        return getattr(ctx.connector, ctx.record.operation)(
            payload, reference=ctx.record.stripe_id, never_sent=ctx.never_sent
        )

    for operation in WRITES:
        monkeypatch.setitem(EXECUTORS, operation, execute)


def faults(session, **switches) -> None:
    control(session, ROOT, settings.SANDBOX_SYSPRO_CONTROL_KEY, **switches)


def committed(session, where: tuple[str, str, str]) -> list[dict]:
    table, field, value = where
    rows = sandbox_state(session, ROOT, settings.SANDBOX_SYSPRO_CONTROL_KEY)[table]
    return [row for row in rows if row.get(field) == value]


def planned(integration, operation: str, reference: str) -> SyncRecord:
    return ledger.sync_records_plan(
        integration=integration,
        event=None,
        plan=Plan(
            records=(
                PlannedRecord(
                    key=f"{reference}:{operation}",
                    operation=operation,
                    stripe_id=reference,
                    source={"stripe_id": reference},
                ),
            )
        ),
    )[0]


def test_syspro_can_be_asked_about_every_write_but_journals():
    # a subscription's fields are set, not created: sent again, not looked up
    assert set(WRITES) | REPEATABLE_OPERATIONS == set(SyncRecord.Operation.values)
    package = erp_package("syspro")
    assert {op for op in WRITES if not package.can_look_up(op)} == {"post_journal"}


@pytest.mark.parametrize("operation", [op for op in WRITES if op != "post_journal"])
def test_a_reply_lost_after_syspro_committed_is_retried_into_one_document(
    integration, sandbox, direct_executors, operation
):
    payload, reference, where = WRITES[operation]
    record = planned(integration, operation, reference)
    # given: SYSPRO commits the write and the reply is lost
    faults(sandbox, error_after_write_rate=1)
    # when
    record = ledger.sync_record_run(record_id=record.pk, worker="w1")
    # then: the record is retried, not left for a person
    assert record.status == Status.RETRYING, record.error_message
    assert len(committed(sandbox, where)) == 1
    # when the retry runs
    faults(sandbox, error_after_write_rate=0)
    SyncRecord.objects.filter(pk=record.pk).update(next_attempt_at=None)
    record = ledger.sync_record_run(record_id=record.pk, worker="w1")
    # then: the lookup adopted the document SYSPRO committed
    assert record.status == Status.SUCCEEDED, record.error_message
    assert len(committed(sandbox, where)) == 1
    assert SyncAttempt.objects.filter(record=record).count() == 2


def test_a_journal_whose_reply_was_lost_waits_for_a_person(
    integration, sandbox, direct_executors
):
    payload, reference, where = WRITES["post_journal"]
    record = planned(integration, "post_journal", reference)
    faults(sandbox, error_after_write_rate=1)

    record = ledger.sync_record_run(record_id=record.pk, worker="w1")

    assert record.status == Status.UNKNOWN_OUTCOME, record.error_message
    assert "may have been posted" in record.error_message
    assert len(committed(sandbox, where)) == 1
