"""SYSPRO 8 over e.net Solutions REST: everything LedgerBridge knows of SYSPRO.

connector.py speaks e.net (sessions, business objects), xmldoc.py builds and
reads its XML, schemas.py and templates.py are what mapping/ fills.
"""

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.conf import settings

from integrations.connectors.errors import ValidationError
from integrations.connectors.records import ErpCustomer
from integrations.connectors.settings import SettingField
from integrations.currency_accounts import CodeRule
from integrations.erps.package import (
    ErpPackage,
    SandboxCredentials,
    SandboxHook,
)

from . import explanations, validation
from .codes import CustomerKeyFormat
from .connector import SysproConnector
from .schemas import CUSTOMER_CODE_LENGTH, KIND, SCHEMAS
from .templates import DEFAULT_OPTIONS_SYSPRO, TEMPLATES

# The writes whose document the connector finds again by its Stripe
# reference with a query SYSPRO answers: ARSQRY for customers and AR
# transactions (TransDetail/Reference), SORQSO by CustomerPo for orders. GL
# journals are not among them: GENQJR cannot search by reference, so a lost
# GENTJL reply is an unknown outcome for a person to settle.
LOOKUP_OPERATIONS = frozenset(
    {
        "upsert_customer",
        "create_sales_order",
        "create_invoice",
        "post_payment",
        "post_credit_note",
        "post_adjustment",
    }
)


def customer_of_payload(payload: Mapping[str, Any]) -> ErpCustomer:
    return ErpCustomer(
        code=str(payload.get("Customer") or ""),
        name=str(payload.get("Name") or ""),
        email=str(payload.get("Email") or ""),
        currency=str(payload.get("Currency") or "").upper(),
        on_hold=payload.get("CustomerOnHold") == "Y",
    )


def journal_difference(payload: Mapping[str, Any]) -> Decimal:
    """GENTJL's dialect: one signed EntryAmount per line, debit positive."""
    total = Decimal(0)
    for line in payload.get("lines") or []:
        if "EntryAmount" in line:
            total += Decimal(str(line["EntryAmount"]))
    return total


def customer_code_rule(config: Mapping[str, Any]) -> CodeRule:
    """Customer codes in the company's key format (codes.py): numeric keys
    take digits only, up to the key length SYSPRO zero-fills to."""
    try:
        key_format = CustomerKeyFormat.of_config(config)
    except ValidationError:
        # The connection's own check reports the bad setting.
        key_format = CustomerKeyFormat()
    return CodeRule(max_length=key_format.length, digits_only=key_format.numeric)


def sandbox_credentials() -> SandboxCredentials:
    return SandboxCredentials(
        config={
            "operator": settings.SANDBOX_SYSPRO_OPERATOR,
            "company_id": settings.SANDBOX_SYSPRO_COMPANY,
        },
        secrets={
            "operator_password": settings.SANDBOX_SYSPRO_OPERATOR_PASSWORD,
            "company_password": settings.SANDBOX_SYSPRO_COMPANY_PASSWORD,
        },
        control_key=settings.SANDBOX_SYSPRO_CONTROL_KEY,
    )


PACKAGE = ErpPackage(
    kind=KIND,
    label="SYSPRO",
    connector=SysproConnector,
    schemas=SCHEMAS,
    templates=TEMPLATES,
    customer_code_length=CUSTOMER_CODE_LENGTH,
    customer_of_payload=customer_of_payload,
    customer_code_rule=customer_code_rule,
    journal_difference=journal_difference,
    document_amount_fields=("PaymentValue", "InvoiceValue", "AdjustmentValue"),
    settings=(
        SettingField("operator", "Operator", help_text="SYSPRO operator code."),
        SettingField("company_id", "Company id", help_text="SYSPRO company id."),
        SettingField("operator_password", "Operator password", secret=True),
        SettingField("company_password", "Company password", secret=True),
        SettingField(
            "max_query_string",
            "Longest query string",
            help_text="Bytes the SYSPRO web server accepts in a query string "
            "(IIS maxQueryString); 2048 unless its administrator raised it.",
        ),
        SettingField(
            "customer_key_type",
            "Customer key type",
            help_text="A (alphanumeric) or N (numeric), as SYSPRO's Setup "
            "Options > Keys has it for customers. Numeric codes are sent "
            "right-aligned with preceding zeros; with N, set the integration's "
            "customer code prefix to digits (e.g. 0).",
        ),
        SettingField(
            "customer_key_length",
            "Customer key length",
            help_text="For a numeric key: the digits SYSPRO zero-fills customer "
            "codes to (at most 7 here).",
        ),
        SettingField(
            "financial_year_start_month",
            "First month of the financial year",
            help_text="1-12; SYSPRO's GL period 1. The year is named by the "
            "calendar year it ends in.",
        ),
        SettingField(
            "gl_open_from",
            "Earliest open GL period",
            help_text="CCYY-PP; postings dated before it are held (or moved, if "
            "the integration allows it), not sent.",
        ),
        SettingField(
            "gl_closed_periods",
            "Closed GL periods",
            help_text="Later periods closed in SYSPRO, CCYY-PP separated by "
            "commas; postings dated in them are held, not sent. No published "
            "SYSPRO query reports a period's status: keep it as periods close.",
        ),
    ),
    default_options=DEFAULT_OPTIONS_SYSPRO,
    lookup_operations=LOOKUP_OPERATIONS,
    explanations=explanations.EXPLANATIONS,
    settings_problems=validation.settings_problems,
    posting_date_fields={
        "payment": "PaymentDate",
        "credit_note": "InvoiceDate",
        "adjustment": "InvoiceDate",
        "invoice": "InvoiceDate",
        "journal": "JournalDate",
    },
    # ARSTIN's documents have no free-text field in our schema: a move of an
    # invoice or credit note is noted on the ledger record only.
    posting_note_fields={
        "payment": "JournalNotation",
        "adjustment": "JournalNotation",
        "journal": "Notation",
    },
    sandbox=SandboxHook(
        connection_name="SYSPRO sandbox",
        path="/sandbox/syspro/SYSPROWCFService/Rest",
        credentials=sandbox_credentials,
    ),
)
