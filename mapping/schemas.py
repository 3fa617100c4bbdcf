"""ERP entity schemas, as the mapping engine reads them.

Each ERP package (integrations/erps/<kind>/) describes its own entities with
the ERP-neutral blocks of integrations/erps/spec.py, re-exported here for the
mapping modules; the registry says which packages there are.
"""

from integrations.erps.registry import ERPS, erp_package
from integrations.erps.spec import (
    DATE,
    DECIMAL,
    ENTITIES,
    ERP_CUSTOMER,
    FLAG,
    INT,
    LINE_ENTITIES,
    LINES,
    MONEY,
    PROTECTED_KINDS,
    STRING,
    STRIPE_REFERENCE,
    TYPES,
    EntitySchema,
    FieldSpec,
)

__all__ = [
    "DATE",
    "DECIMAL",
    "ENTITIES",
    "ERP_CUSTOMER",
    "FLAG",
    "INT",
    "LINES",
    "LINE_ENTITIES",
    "MONEY",
    "PROTECTED_KINDS",
    "STRING",
    "STRIPE_REFERENCE",
    "TYPES",
    "EntitySchema",
    "FieldSpec",
    "all_schemas",
    "schema_for",
]


def schema_for(*, erp: str, entity: str) -> EntitySchema:
    try:
        return erp_package(erp).schemas[entity]
    except KeyError:
        raise KeyError(f"no schema for {erp} {entity}") from None


def all_schemas() -> dict[tuple[str, str], EntitySchema]:
    """Every (ERP kind, entity) schema of the registered ERP packages."""
    return {
        (kind, entity): schema
        for kind, package in ERPS.items()
        for entity, schema in package.schemas.items()
    }
