"""SYSPRO sandbox: a numerically keyed customer master, and GENQGL.

Numeric keys take "Only the digits 0 to 9" and are "right-aligned ... with
preceding zeros" (SYSPRO 8 help, Setup Options > Keys,
https://help.syspro.com/syspro-8-2023/g_programs/imp/impcfg/forms/keys/impcfg-keys.htm).
GENQGL's request and reply are Zindaar/SYSPROIntegration's
SysproIntegration/GeneralLedgerPrimaryQuery/ValidateALedgerCodeEntry/GENQGL.vb
and GENQGLOUT.vb.
"""

import pytest
from defusedxml import ElementTree as SafeET
from django.test import override_settings

from sandbox.syspro.selectors import query_run
from sandbox.syspro.services import session_logon, session_require, setup_post

pytestmark = pytest.mark.django_db

SETUP_PARAMS = (
    "<SetupArCustomer><Parameters><IgnoreWarnings>N</IgnoreWarnings>"
    "<ApplyIfEntireDocumentValid>Y</ApplyIfEntireDocumentValid>"
    "<ValidateOnly>N</ValidateOnly></Parameters></SetupArCustomer>"
)


def new_customer(code: str) -> str:
    return (
        "<SetupArCustomer><Item><Key><Customer>"
        f"{code}</Customer></Key><Name>Harbour Cycles</Name>"
        "<Currency>USD</Currency></Item></SetupArCustomer>"
    )


def errors(reply: str) -> list[str]:
    root = SafeET.fromstring(reply)
    return [
        (node.findtext("ErrorDescription") or node.get("ErrorDescription") or "")
        for node in root.iter()
        if node.find("ErrorDescription") is not None or node.get("ErrorDescription")
    ]


@pytest.fixture
def session():
    user_id = session_logon(
        operator="ADMIN",
        operator_password="sandbox-operator",
        company_id="EDU1",
        company_password="sandbox-company",
    )
    return session_require(user_id=user_id)


def customer_add(session, code: str) -> str:
    return setup_post(
        session=session,
        business_object="ARSSCS",
        xml_parameters=SETUP_PARAMS,
        xml_in=new_customer(code),
        adding=True,
    )


@override_settings(SANDBOX_SYSPRO_CUSTOMER_KEY_TYPE="N")
def test_a_numeric_master_refuses_a_lettered_code_and_zero_fills_a_number(session):
    refused = customer_add(session, "S42")
    added = customer_add(session, "42")

    assert any("S42" in error for error in errors(refused))
    assert errors(added) == []
    assert "0000042" in added


def test_an_alphanumeric_master_takes_the_code_as_given(session):
    added = customer_add(session, "S42")

    assert errors(added) == []


def genqgl(session, key: str) -> str:
    return query_run(
        session=session,
        business_object="GENQGL",
        xml_in=f"<Query><Key>{key}</Key></Query>",
    )


def test_genqgl_answers_a_seeded_ledger_code_and_refuses_an_unknown_one(session):
    known = SafeET.fromstring(genqgl(session, "<LedgerCode>1200</LedgerCode>"))
    unknown = genqgl(session, "<LedgerCode>9999</LedgerCode>")

    assert known.tag == "GLStructureQuery"
    assert known.findtext("LedgerDetails/LedgerCode") == "1200"
    assert any("9999" in error for error in errors(unknown))


def test_genqgl_refuses_what_its_class_does_not_have(session):
    bad_flag = genqgl(
        session,
        "<LedgerCode>1200</LedgerCode><ValidateFlags>X</ValidateFlags>",
    )
    no_code = genqgl(session, "<Company>EDU1</Company>")

    assert errors(bad_flag)
    assert errors(no_code)
