"""A third ERP is one package and one registry entry.

The made-up "acme" ERP below is the whole of what a new ERP brings: its
connector, schemas, templates, code length, payload reading and journal
dialect. Registered by a fixture, it is found by mapping, the connector
cache and reconciliation with nothing else changed.
"""

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import pytest

from integrations.connectors.records import ErpCustomer, ErpDocument
from integrations.connectors.settings import SettingField
from integrations.erps import registry
from integrations.erps.package import ErpPackage
from integrations.erps.registry import ERPS, erp_package
from integrations.erps.spec import (
    CUSTOMER_CODE,
    DATE,
    ERP_CUSTOMER,
    MONEY,
    STRIPE_REFERENCE,
    TO_DATE,
    TO_DECIMAL,
    EntitySchema,
    FieldSpec,
    decimal_field,
    field_map,
    from_option,
    schemas_by_entity,
    string_field,
)
from integrations.models import Connection, Integration
from mapping.services import payload_build
from reconciliation.services import journal_payload_difference

KIND = "acme"


class AcmeConnector:
    """Stands in for Acme's API: keeps what it was sent."""

    kind = KIND

    def __init__(self, connection: Connection) -> None:
        self.connection_id = connection.pk
        self.payments: dict[str, dict] = {}

    def post_payment(
        self, payload: dict, *, reference: str, never_sent: bool = False
    ) -> ErpDocument:
        adopted = reference in self.payments
        self.payments.setdefault(reference, payload)
        return ErpDocument(f"P-{reference}", {"sent": payload}, adopted=adopted)

    def find_customer(self, *, code: str = "", email: str = "") -> ErpCustomer | None:
        return ErpCustomer(code=code, currency="EUR") if code == "AC-1" else None

    def close(self) -> None:
        pass


def _customer_of_payload(payload: Mapping[str, Any]) -> ErpCustomer:
    return ErpCustomer(code=str(payload.get("acct") or ""))


def _journal_difference(payload: Mapping[str, Any]) -> Decimal:
    return sum(
        (
            Decimal(str(line["dr"])) - Decimal(str(line["cr"]))
            for line in payload["lines"]
        ),
        Decimal(0),
    )


ACME = ErpPackage(
    kind=KIND,
    label="Acme",
    connector=AcmeConnector,
    schemas=schemas_by_entity(
        EntitySchema(
            KIND,
            "payment",
            "Acme receipt",
            (
                string_field("acct", 8, required=True, protected=ERP_CUSTOMER),
                decimal_field("total", required=True, protected=MONEY),
                string_field("ref", 60, required=True, protected=STRIPE_REFERENCE),
                FieldSpec("on", DATE, required=True),
                string_field("till", 10),
            ),
        )
    ),
    templates={
        "payment": [
            field_map("acct", "", CUSTOMER_CODE, required=True),
            field_map("total", "amount", TO_DECIMAL),
            field_map("ref", "stripe_id"),
            field_map("on", "created", TO_DATE),
            from_option("till", "bank"),
        ]
    },
    customer_code_length=8,
    customer_of_payload=_customer_of_payload,
    journal_difference=_journal_difference,
    settings=(SettingField("token", "API token", secret=True),),
)


@pytest.fixture
def acme(monkeypatch):
    """Register the Acme package for one test; the registry is restored after."""
    registry.close_all()
    monkeypatch.setitem(ERPS, KIND, ACME)
    yield ACME
    registry.close_all()


@pytest.fixture
def acme_integration(db, acme):
    stripe = Connection.objects.create(name="Stripe", kind=Connection.Kind.STRIPE)
    erp = Connection.objects.create(name="Acme", kind=KIND, base_url="http://acme.test")
    return Integration.objects.create(
        name="Stripe ↔ Acme", stripe_connection=stripe, erp_connection=erp
    )


def test_a_registered_package_is_the_erp_of_its_kind(acme):
    assert erp_package(KIND) is acme
    with pytest.raises(KeyError):
        erp_package("stripe")


def test_mapping_builds_the_new_erps_payload_from_its_template(acme_integration):
    # given: a canonical payment, as the charges workflow hands it over
    source = {
        "stripe_id": "ch_1",
        "currency": "EUR",
        "amount": 1999,
        "created": 1_700_000_000,
        "customer_code": "AC-1",
    }

    # when
    payload, version = payload_build(
        integration=acme_integration, entity="payment", source=source
    )

    # then: the package's template, with the default options under it
    assert payload == {
        "acct": "AC-1",
        "total": "19.99",
        "ref": "ch_1",
        "on": "2023-11-14",
        "till": "STRIPE",
    }
    assert version is None


def test_connector_for_builds_the_packages_connector(acme_integration):
    connector = registry.connector_for(acme_integration.erp_connection)

    assert isinstance(connector, AcmeConnector)
    assert registry.connector_for(acme_integration.erp_connection) is connector
    assert connector.find_customer(code="AC-1").currency == "EUR"


def test_reconciliation_reads_journals_in_the_packages_dialect(acme):
    payload = {"lines": [{"dr": "10.00", "cr": "0"}, {"dr": "0", "cr": "9.99"}]}

    assert journal_payload_difference(erp=KIND, payload=payload) == Decimal("0.01")
