"""Sage Pro through the LedgerBridge agent's `/api/v1/` contract: everything
LedgerBridge knows of Sage Pro.

Sage Pro has no web API; the agent serves the contract (PROTOCOLS.md §2) over
Sage Pro's own tables, and the sandbox runs that same agent over generated
tables. connector.py speaks the contract, schemas.py and templates.py are
what mapping/ fills.
"""

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.conf import settings

from integrations import periods
from integrations.connectors.settings import SettingField
from integrations.erps.package import (
    ErpPackage,
    SandboxCredentials,
    SandboxHook,
)

from . import explanations
from .connector import SageProConnector, customer_of_row
from .schemas import CUSTOMER_CODE_LENGTH, KIND, SCHEMAS
from .templates import TEMPLATES

# Every write the agent takes can be found again by its Stripe reference: the
# contract's list endpoints filter customers by custno and email, orders and
# invoices by ponum, receipts, memos and journal entries by reference, and the
# agent keeps its own reference → document table (PROTOCOLS.md §2).
LOOKUP_OPERATIONS = frozenset(
    {
        "upsert_customer",
        "create_sales_order",
        "create_invoice",
        "post_payment",
        "post_credit_note",
        "post_adjustment",
        "post_journal",
    }
)


def journal_difference(payload: Mapping[str, Any]) -> Decimal:
    """journalentries' dialect: non-negative debit and credit columns."""
    total = Decimal(0)
    for line in payload.get("lines") or []:
        total += Decimal(str(line.get("debit") or 0))
        total -= Decimal(str(line.get("credit") or 0))
    return total


def settings_problems(*, options: Mapping[str, Any], connection: Any) -> dict:
    """The GL calendar kept on the connection (ErpPackage.settings_problems)."""
    return periods.calendar_problems(connection.config or {})


# The agent's contract (PROTOCOLS.md §2) has no period table and no public
# Sage Pro source confirms one the agent could read, so the GL calendar is
# kept on the connection by the admin, as SYSPRO's is.
CALENDAR_SETTINGS = (
    SettingField(
        "financial_year_start_month",
        "First month of the financial year",
        help_text="1-12; GL period 1. The year is named by the calendar year it "
        "ends in.",
    ),
    SettingField(
        "gl_open_from",
        "Earliest open GL period",
        help_text="CCYY-PP; postings dated before it are held (or moved, if the "
        "integration allows it), not sent.",
    ),
    SettingField(
        "gl_closed_periods",
        "Closed GL periods",
        help_text="Later periods closed in Sage Pro, CCYY-PP separated by commas. "
        "The agent cannot read Sage Pro's period status: keep this list as "
        "periods close.",
    ),
)


def sandbox_credentials() -> SandboxCredentials:
    return SandboxCredentials(
        config={},
        secrets={"api_key": settings.SANDBOX_SAGEPRO_API_KEY},
        control_key=settings.SANDBOX_SAGEPRO_API_KEY,
    )


PACKAGE = ErpPackage(
    kind=KIND,
    label="Sage Pro",
    connector=SageProConnector,
    schemas=SCHEMAS,
    templates=TEMPLATES,
    customer_code_length=CUSTOMER_CODE_LENGTH,
    customer_of_payload=customer_of_row,
    journal_difference=journal_difference,
    document_amount_fields=("amount",),
    settings=(SettingField("api_key", "API key", secret=True), *CALENDAR_SETTINGS),
    sandbox=SandboxHook(
        connection_name="Sage Pro sandbox",
        path="",
        # Sage Pro's sandbox is the agent itself over generated tables, as
        # `make demo ERP=sagepro` starts it (.ci/sagepro-agent, AGENT_PORT).
        base_url="http://127.0.0.1:8765/api/v1",
        credentials=sandbox_credentials,
    ),
    # Sage Pro's glued column names: currency id, payment terms.
    vocabulary={"currid": ("currency",), "pterms": ("terms",)},
    lookup_operations=LOOKUP_OPERATIONS,
    explanations=explanations.EXPLANATIONS,
    settings_problems=settings_problems,
    posting_date_fields={
        "payment": "date",
        "credit_note": "date",
        "adjustment": "date",
        "invoice": "invdte",
        "journal": "date",
    },
    posting_note_fields={
        "credit_note": "reason",
        "adjustment": "reason",
        "journal": "descrip",
    },
)
