import pytest

from mapping.errors import MappingInvalid, PayloadInvalid
from mapping.models import FieldMapping, MappingSet
from mapping.samples import sample_sources
from mapping.services import (
    ACTIVE_SETS_SECONDS,
    ActiveSets,
    mapping_defaults_install,
    mapping_fields_problems,
    mapping_set_activate,
    mapping_set_archive,
    mapping_set_create,
    mapping_set_touch,
    payload_build,
    payload_validate,
)
from mapping.templates import template_for

pytestmark = pytest.mark.django_db


def test_payload_build_falls_back_to_the_template(syspro_integration):
    payload, version = payload_build(
        integration=syspro_integration,
        entity="payment",
        source=sample_sources()["payment"],
    )
    assert version is None
    assert payload["PaymentValue"] == "35.49"


def test_defaults_install_is_idempotent_and_versioned(sagepro_integration):
    first = mapping_defaults_install(integration=sagepro_integration)
    again = mapping_defaults_install(integration=sagepro_integration)
    assert len(first) == 9 and again == []
    payload, version = payload_build(
        integration=sagepro_integration,
        entity="sales_order",
        source=sample_sources()["sales_order"],
    )
    assert version == 1
    assert payload["lines"][1]["descrip"] == "Setup fee"


def test_an_edited_mapping_is_followed_by_the_next_payload(syspro_integration):
    # given the defaults, and one payload mapped with them
    mapping_defaults_install(integration=syspro_integration)
    source = sample_sources()["payment"]
    payload_build(integration=syspro_integration, entity="payment", source=source)
    mapping_set = MappingSet.objects.get(
        integration=syspro_integration, entity="payment", is_active=True
    )
    # when an admin edits the active set (archived first, as the admin does)
    mapping_set_archive(mapping_set=mapping_set)
    row = mapping_set.fields.get(target="JournalNotation")
    row.source_path = "stripe_id"
    row.transforms = [{"name": "prefix", "params": {"text": "Stripe "}}]
    row.save()
    mapping_set_touch(mapping_set=mapping_set)
    # then the next payload follows the edit and names the new version
    payload, version = payload_build(
        integration=syspro_integration, entity="payment", source=source
    )
    assert payload["JournalNotation"] == "Stripe ch_3MmlLrLkdIwHu7ix0snN0B15"
    assert version == 2
    archived = MappingSet.objects.get(
        integration=syspro_integration, entity="payment", version=1
    )
    assert not archived.is_active
    assert archived.fields.get(target="JournalNotation").source_path == "description"


def test_a_run_reads_the_active_sets_once_a_second(
    syspro_integration, django_assert_num_queries
):
    # given a run's reading of the active sets, on a clock the test moves
    mapping_defaults_install(integration=syspro_integration)
    now = [100.0]
    active_sets = ActiveSets(syspro_integration.pk, clock=lambda: now[0])
    source = sample_sources()["payment"]

    def build():
        return payload_build(
            integration=syspro_integration,
            entity="payment",
            source=source,
            active_sets=active_sets,
        )

    build()
    # when the same run maps more records within the second: no query
    with django_assert_num_queries(0):
        build()
    # an admin edits the mapping; within the second the run keeps its reading
    mapping_set = MappingSet.objects.get(
        integration=syspro_integration, entity="payment", is_active=True
    )
    mapping_set_archive(mapping_set=mapping_set)
    row = mapping_set.fields.get(target="JournalNotation")
    row.source_path = "stripe_id"
    row.save()
    mapping_set_touch(mapping_set=mapping_set)
    assert build()[1] == 1

    # then once the second has passed, the run maps with the edit
    now[0] += ACTIVE_SETS_SECONDS + 0.01
    payload, version = build()
    assert version == 2
    assert payload["JournalNotation"] == "ch_3MmlLrLkdIwHu7ix0snN0B15"


def test_a_draft_only_applies_once_activated(syspro_integration):
    mapping_defaults_install(integration=syspro_integration)
    fields = [dict(f) for f in template_for(erp="syspro", entity="payment")]
    for spec in fields:
        if spec["target"] == "Bank":
            spec["source"], spec["transforms"] = (
                "",
                [{"name": "constant", "params": {"value": "FNB"}}],
            )
    draft = mapping_set_create(
        integration=syspro_integration, entity="payment", fields=fields
    )
    source = sample_sources()["payment"]
    before, _ = payload_build(
        integration=syspro_integration, entity="payment", source=source
    )
    mapping_set_activate(mapping_set=draft, actor=None)
    after, version = payload_build(
        integration=syspro_integration, entity="payment", source=source
    )
    assert (before["Bank"], after["Bank"], version) == ("STRIPE", "FNB", draft.version)


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        ({"target": "Nonsense"}, "'Nonsense' is not a field of"),
        (
            {"transforms": [{"name": "truncate", "params": {"length": 99}}]},
            "exceeds the field's 30 characters",
        ),
        (
            {"target": "CreditLimit", "transforms": [{"name": "unix_to_date"}]},
            "gives a date value but the field is decimal",
        ),
        (
            {"transforms": [{"name": "constant", "params": {"value": "x" * 31}}]},
            "longer than 30",
        ),
        ({"source": "bad path!"}, "not a dotted path"),
        ({"condition": {"path": "sku", "op": "maybe"}}, "condition op"),
        ({"transforms": [{"name": "truncate"}]}, "needs parameter 'length'"),
    ],
)
def test_bad_field_mappings_are_rejected_on_save(change, fragment):
    fields = [dict(f) for f in template_for(erp="syspro", entity="customer")]
    name = next(f for f in fields if f["target"] == "Name")
    name.update(change)
    problems = mapping_fields_problems(erp="syspro", entity="customer", fields=fields)
    assert any(fragment in p for p in problems), problems


def test_missing_required_target_is_rejected(syspro_integration):
    fields = [
        f for f in template_for(erp="syspro", entity="payment") if f["target"] != "Bank"
    ]
    with pytest.raises(MappingInvalid, match="Bank: required by"):
        mapping_set_create(
            integration=syspro_integration, entity="payment", fields=fields
        )
    assert not FieldMapping.objects.exists()


def test_payload_errors_name_field_value_and_rule(syspro_integration):
    source = {**sample_sources()["payment"], "customer_code": "TOO-LONG-CODE"}
    with pytest.raises(PayloadInvalid) as caught:
        payload_build(integration=syspro_integration, entity="payment", source=source)
    error = caught.value
    assert error.field == "payment.Customer"
    assert error.value == "TOO-LONG-CODE"
    assert error.rule == "longer than 7 characters (13)"
    assert "payment.Customer" in error.message and "TOO-LONG-CODE" in error.message


def test_missing_customer_code_is_reported(syspro_integration):
    source = {**sample_sources()["sales_order"], "customer_code": ""}
    with pytest.raises(PayloadInvalid, match="Customer.*required"):
        payload_build(
            integration=syspro_integration, entity="sales_order", source=source
        )


def test_line_errors_say_which_line(syspro_integration):
    source = dict(sample_sources()["sales_order"])
    source["lines"] = [dict(line) for line in source["lines"]]
    source["lines"][0]["sku"] = "A-VERY-LONG-STOCK-CODE-THAT-DOES-NOT-FIT"
    with pytest.raises(PayloadInvalid) as caught:
        payload_build(
            integration=syspro_integration, entity="sales_order", source=source
        )
    assert caught.value.field == "sales_order.lines[1].StockCode"


@pytest.mark.parametrize(
    ("payload", "fragment"),
    [
        ({"Customer": "0000001"}, "PaymentValue"),
        ({"Customer": "0000001", "PaymentValue": 12.5}, "decimal number as text"),
        ({"Customer": "0000001", "PaymentValue": "-1.00"}, "greater than zero"),
        ({"Customer": "0000001", "Extra": "x"}, "not a field of"),
    ],
)
def test_edited_payloads_are_validated(syspro_integration, payload, fragment):
    with pytest.raises(PayloadInvalid, match=fragment):
        payload_validate(
            integration=syspro_integration, entity="payment", payload=payload
        )


def test_bad_dates_are_rejected(sagepro_integration):
    payload = {
        "custno": "0000001",
        "reference": "ch_1",
        "amount": "1.00",
        "date": "2024-02-30",
        "bank": "STRIPE",
    }
    with pytest.raises(PayloadInvalid, match="real calendar date"):
        payload_validate(
            integration=sagepro_integration, entity="payment", payload=payload
        )
