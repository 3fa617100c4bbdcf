"""The SYSPRO sandbox's COMSFM (custom form fields, Setup/Add and Setup/Update):
it takes what the public uses of COMSFM send and refuses the rest, as
sandbox/syspro/shapes.py cites."""

import pytest
from django.test import Client

from tests.sandbox.test_syspro import (
    CONTROL_AUTH,
    LOGON,
    call,
    errors_of,
    xml,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def client():
    return Client()


@pytest.fixture
def user_id(client):
    return call(client, "Logon", **LOGON).content.decode()


def params(validate_only: str = "N") -> str:
    return (
        "<SetupCustomForm><Parameters><ValidateOnly>"
        f"{validate_only}</ValidateOnly></Parameters></SetupCustomForm>"
    )


def item(field: str, value: str, *, key: str = "0000001", form: str = "CUS", extra=""):
    return (
        f"<Item><Key><FormType>{form}</FormType><KeyField>{key}</KeyField>"
        f"<FieldName>{field}</FieldName></Key><AlphaValue>{value}</AlphaValue>"
        f"{extra}</Item>"
    )


def setup(client, user_id, *items, action="Update", parameters=None):
    response = call(
        client,
        f"Setup/{action}",
        UserId=user_id,
        BusinessObject="COMSFM",
        XmlParameters=params() if parameters is None else parameters,
        XmlIn=f"<SetupCustomForm>{''.join(items)}</SetupCustomForm>",
    )
    assert response.status_code == 200
    return xml(response.content.decode())


def values(client) -> dict:
    rows = client.get("/sandbox/syspro/_state", **CONTROL_AUTH).json()["custom_forms"]
    return {(r["key_field"], r["field_name"]): r["alpha_value"] for r in rows}


def test_add_and_update_set_the_value_of_a_defined_field(client, user_id):
    root = setup(client, user_id, item("SUBSTS", "active"), action="Add")
    assert errors_of(root) == []
    setup(client, user_id, item("SUBSTS", "canceled"), item("SUBMRR", "0.00"))

    assert values(client) == {
        ("0000001", "SUBSTS"): "canceled",
        ("0000001", "SUBMRR"): "0.00",
    }


def test_validate_only_writes_nothing(client, user_id):
    setup(client, user_id, item("SUBSTS", "active"), parameters=params("Y"))

    assert values(client) == {}


@pytest.mark.parametrize(
    ("document", "tag"),
    [
        # Only AlphaValue is attested; a value element SYSPRO would drop
        # silently is refused here.
        (item("SUBMRR", "1", extra="<NumericValue>1</NumericValue>"), "NumericValue"),
        (item("SUBXXX", "1"), "FieldName"),
        (item("SUBSTS", "1", form="ZZZ"), "FormType"),
        (item("SUBSTS", "1", key="0999999"), "KeyField"),
        (item("SUBPLN", "P" * 31), "AlphaValue"),
        (
            "<Item><Key><FormType>CUS</FormType><KeyField>0000001</KeyField>"
            "</Key><AlphaValue>x</AlphaValue></Item>",
            "FieldName",
        ),
    ],
)
def test_what_the_custom_form_does_not_take_is_refused(client, user_id, document, tag):
    root = setup(client, user_id, document)

    assert tag in [error[0] for error in errors_of(root)]
    assert values(client) == {}


def test_an_unknown_parameter_is_refused(client, user_id):
    root = setup(
        client,
        user_id,
        item("SUBSTS", "active"),
        parameters="<SetupCustomForm><Parameters><IgnoreWarnings>Y</IgnoreWarnings>"
        "</Parameters></SetupCustomForm>",
    )

    assert "IgnoreWarnings" in [error[0] for error in errors_of(root)]
    assert values(client) == {}
