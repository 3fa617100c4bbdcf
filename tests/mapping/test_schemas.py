from mapping.schemas import ENTITIES, ERP_KINDS, LINES, SCHEMAS, schema_for


def test_every_erp_has_every_entity():
    for erp in ERP_KINDS:
        for entity in ENTITIES:
            assert schema_for(erp=erp, entity=entity).entity == entity


def test_line_fields_point_at_existing_child_entities():
    for schema in SCHEMAS.values():
        for spec in schema.fields:
            if spec.type == LINES:
                assert (schema.erp, spec.child) in SCHEMAS
