from integrations.erps.registry import ERPS
from mapping.schemas import ENTITIES, LINES, all_schemas, schema_for


def test_every_erp_has_every_entity():
    for erp in ERPS:
        for entity in ENTITIES:
            assert schema_for(erp=erp, entity=entity).entity == entity


def test_line_fields_point_at_existing_child_entities():
    schemas = all_schemas()
    for schema in schemas.values():
        for spec in schema.fields:
            if spec.type == LINES:
                assert (schema.erp, spec.child) in schemas
