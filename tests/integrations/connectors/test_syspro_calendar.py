"""The SYSPRO financial calendar kept on the connection.

No public SYSPRO business object answers a GL period's status (the query
classes under SysproIntegration/GeneralLedgerPrimaryQuery in
Zindaar/SYSPROIntegration take a ledger code, year or journal), so the
company's closed periods are listed on the connection and a journal dated in
one is held before it is sent.
"""

import datetime as dt

import pytest
from django.conf import settings

from integrations.connectors.errors import ValidationError
from integrations.erps.syspro.connector import FinancialCalendar, SysproConnector
from integrations.erps.syspro.templates import DEFAULT_OPTIONS_SYSPRO
from integrations.erps.syspro.validation import syspro_settings_problems

from .conftest import sandbox_state

pytest.importorskip("sandbox.syspro.views")

JULY_YEAR = {"financial_year_start_month": "7", "gl_closed_periods": "2024-11, 2025-01"}


def journal(day: str) -> dict:
    return {"JournalType": "N", "JournalDate": day, "JournalReference": "po_cal"}


def test_a_journal_in_a_listed_closed_period_is_held_naming_the_period():
    calendar = FinancialCalendar.of_config(JULY_YEAR)

    # May 2024 is period 11 of the year ending June 2024
    with pytest.raises(ValidationError) as held:
        calendar.posting_period(journal("2024-05-20"))

    assert "2024-11" in str(held.value)
    assert held.value.field == "JournalDate"


def test_an_open_period_gets_syspro_year_and_period():
    calendar = FinancialCalendar.of_config(JULY_YEAR)

    assert calendar.posting_period(journal("2024-06-30")) == {
        "PostingYear": 2024,
        "PostingPeriod": 12,
    }
    assert calendar.period_of(dt.date(2024, 7, 1)) == (2025, 1)
    assert (2025, 1) in calendar.closed


def test_closed_periods_may_be_a_list_and_bad_ones_are_named_on_save():
    assert FinancialCalendar.of_config(
        {"gl_closed_periods": ["2024-03"]}
    ).closed == frozenset({(2024, 3)})

    problems = syspro_settings_problems(
        options=DEFAULT_OPTIONS_SYSPRO,
        config={"gl_closed_periods": "2024-03, March, 2024-13"},
    )

    assert set(problems) == {"gl_closed_periods"}
    assert "March" in problems["gl_closed_periods"]
    assert "2024-13" in problems["gl_closed_periods"]


@pytest.mark.django_db
def test_the_held_journal_never_reaches_syspro(syspro_connection, sandbox_http):
    # given a connection whose calendar lists May 2024 as closed
    syspro_connection.config = {
        **syspro_connection.config,
        "gl_closed_periods": "2024-05",
    }
    connector = SysproConnector(syspro_connection, session=sandbox_http)
    payout = {
        **journal("2024-05-03"),
        "lines": [
            {"LedgerCode": "1010", "EntryAmount": "100.00"},
            {"LedgerCode": "1090", "EntryAmount": "-100.00"},
        ],
    }

    # when the payout journal is posted
    with pytest.raises(ValidationError) as held:
        connector.post_journal(payout, reference="po_cal")
    connector.close()

    # then the reason names the period and the sandbox has no journal
    assert "2024-05" in str(held.value)
    state = sandbox_state(
        sandbox_http, "/sandbox/syspro", settings.SANDBOX_SYSPRO_CONTROL_KEY
    )
    assert state["journals"] == []
