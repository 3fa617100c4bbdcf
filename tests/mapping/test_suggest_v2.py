"""Suggester v2: lookups, name splits, value maps, list paths, settings, abstention."""

from django.contrib.auth import get_user_model
from django.urls import reverse

from integrations.models import CustomerLink
from mapping.calibration import abstention_threshold, fit_isotonic, probability
from mapping.engine import compile_mapping
from mapping.idmaps import IdMaps
from mapping.models import FieldMapping, MappingSet
from mapping.samples import sample_sources
from mapping.schemas import EntitySchema, schema_for
from mapping.services import field_mapping_problems, mapping_preview
from mapping.suggest import (
    Suggestion,
    apply_threshold,
    field_specs_from_dicts,
    suggest_mapping,
)
from mapping.suggest.values import profile_samples
from mapping.valuemaps import propose_value_map

from .conftest import make_integration
from .suggesting import suggest


def test_profiling_reaches_values_inside_lists(samples):
    profiles = profile_samples(samples["customer"])
    assert profiles["tax_ids.data.0.value"].kind == "text"
    assert profiles["tax_ids.data"].kind == "list"
    invoices = profile_samples(samples["invoice"])
    assert "customer_tax_ids.0.value" in invoices


def test_a_tax_id_target_takes_the_first_tax_id_in_the_list(samples):
    got = suggest(samples["customer"], {"name": "VATNumber"})
    assert got["VATNumber"].source == "tax_ids.data.0.value"


def test_reference_fields_resolve_stripe_ids_through_the_id_map(samples):
    got = suggest(
        samples["charge"],
        {"name": "CustomerRef.value"},
        {"name": "InvoiceId"},
        {"name": "currency_id", "type": "int"},
    )
    assert got["CustomerRef.value"].source == "customer"
    assert got["CustomerRef.value"].transforms == [
        {"name": "lookup", "params": {"table": "customer"}}
    ]
    assert got["InvoiceId"].transforms[0]["params"]["table"] == "invoice"
    assert got["currency_id"].source == "currency"
    assert got["currency_id"].transforms[0]["params"]["table"] == "currency"


def test_a_refunds_customer_is_found_through_its_charge(samples):
    got = suggest(samples["refund"], {"name": "CustomerNumber"})
    assert got["CustomerNumber"].source == "charge"
    assert got["CustomerNumber"].transforms == [
        {"name": "lookup", "params": {"table": "customer_of_charge"}}
    ]


def test_first_and_last_names_are_split_from_the_full_name(samples):
    got = suggest(samples["customer"], {"name": "GivenName"}, {"name": "FamilyName"})
    assert got["GivenName"].source == "name"
    assert got["GivenName"].transforms[0]["params"] == {"part": "first"}
    assert got["FamilyName"].transforms[0]["params"] == {"part": "last"}


def test_an_enumerated_target_gets_a_value_map_built_from_the_samples(
    samples,
):
    got = suggest(
        samples["charge"],
        {
            "name": "payment_mode",
            "choices": ["check", "cash", "creditcard", "banktransfer"],
        },
    )
    item = got["payment_mode"]
    assert item.source == "payment_method_details.type"
    assert item.transforms[0]["name"] == "value_map"
    assert item.transforms[0]["params"]["map"] == {
        "card": "creditcard",
        "sepa_debit": "banktransfer",
    }


def test_value_map_is_not_proposed_when_few_values_match():
    assert (
        propose_value_map(["none", "reverse", "exempt"], ["Print", "Email", "None"])[0]
        == {}
    )


def test_configuration_fields_abstain_or_take_an_option(samples):
    got = suggest(
        samples["charge"],
        {"name": "DepositToAccountRef.value"},
        {"name": "SalesTermRef.value"},
        {"name": "undepFunds", "type": "flag"},
    )
    for target in got.values():
        assert target.source == ""
        assert "settings" in target.reason
    with_options = [{**s, "options": {"bank": "STRIPE"}} for s in samples["charge"]]
    got = suggest(with_options, {"name": "Bank"})
    assert got["Bank"].source == "options.bank"


def test_a_single_allowed_value_is_a_constant(samples):
    got = suggest(samples["refund"], {"name": "TransactionType", "choices": ["C"]})
    assert got["TransactionType"].transforms == [
        {"name": "constant", "params": {"value": "C"}}
    ]


def test_datetime_country_name_and_absolute_amounts(samples):
    got = suggest(
        samples["customer"],
        {"name": "CreatedDateTime", "type": "datetime"},
        {"name": "CountryName", "description": "Country name"},
        {"name": "CountryISO3", "max_length": 3},
    )
    assert got["CreatedDateTime"].transforms[0]["name"] == "unix_to_datetime"
    assert got["CountryName"].transforms == [
        {"name": "country_code", "params": {"to": "name"}}
    ]
    assert got["CountryISO3"].transforms == [
        {"name": "country_code", "params": {"to": "alpha3"}}
    ]
    got = suggest(
        samples["balance_transaction"],
        {"name": "Amount", "type": "decimal", "positive": True},
    )
    assert [s["name"] for s in got["Amount"].transforms] == [
        "minor_to_decimal",
        "absolute",
    ]


def test_billing_and_shipping_sides_stay_apart(samples):
    got = suggest(
        samples["charge"],
        {"name": "BillToCity"},
        {"name": "ShipToCity"},
        {"name": "PayerName"},
    )
    assert got["BillToCity"].source == "billing_details.address.city"
    assert got["ShipToCity"].source == "shipping.address.city"


def test_two_note_fields_do_not_both_copy_the_description(samples):
    got = suggest(samples["charge"], {"name": "description"}, {"name": "comment"})
    assert got["description"].source == "description"
    assert got["comment"].source == ""


def test_the_threshold_turns_a_weak_guess_into_an_abstention():
    weak = Suggestion("X", "name", [], 0.4, "weak", score=0.1)
    out = apply_threshold(weak, 0.5)
    assert out.source == "" and out.abstained
    assert "under the 50% threshold" in out.reason
    assert apply_threshold(weak, 0.3) is weak


def test_isotonic_calibration_never_falls_with_the_score():
    points = [(0.1, False), (0.2, False), (0.3, True), (0.4, False)] + [
        (0.5 + i / 100, True) for i in range(20)
    ]
    edges, rates = fit_isotonic(points, bin_size=4)
    assert rates == sorted(rates)
    table = {"edges": edges, "probabilities": rates}
    assert probability(0.0, table) == rates[0]
    assert probability(0.9, table) == rates[-1]


def test_id_maps_resolve_customers_and_option_tables(db):
    integration = make_integration(id_maps={"currency": {"EUR": "2"}})
    CustomerLink.objects.create(
        integration=integration, stripe_customer_id="cus_1", erp_customer_code="C001"
    )
    maps = IdMaps(integration=integration, options=integration.options)
    assert maps.resolve("customer", "cus_1") == "C001"
    assert maps.resolve("customer", "cus_2") is None
    assert maps.resolve("currency", "eur") == "2"
    assert maps.resolve("invoice", "in_1") is None


def test_the_engine_hands_the_id_maps_to_lookup(db):
    integration = make_integration()
    CustomerLink.objects.create(
        integration=integration, stripe_customer_id="cus_1", erp_customer_code="C001"
    )
    schema = EntitySchema(
        erp="x",
        entity="payment",
        title="Payment",
        fields=tuple(field_specs_from_dicts([{"name": "Customer"}])),
    )
    compiled = compile_mapping(
        schema=schema,
        fields=[
            {
                "target": "Customer",
                "source": "customer",
                "transforms": [{"name": "lookup", "params": {"table": "customer"}}],
            }
        ],
    )
    payload = compiled.build(
        {"customer": "cus_1", "lookups": IdMaps(integration=integration)}
    )
    assert payload == {"Customer": "C001"}


def test_the_admin_shows_each_suggestion_against_the_abstention_threshold(client, db):
    integration = make_integration()
    draft = MappingSet.objects.create(integration=integration, entity="customer")
    FieldMapping.objects.create(
        mapping_set=draft,
        target="Email",
        source_path="email",
        suggestion_confidence=0.99,
        suggestion_reason="values look like emails",
        suggested_source="email",
    )
    admin = get_user_model().objects.create_superuser("boss", password="x")
    client.force_login(admin)
    page = client.get(reverse("admin:mapping_mappingset_change", args=[draft.pk]))
    threshold = round(abstention_threshold() * 100)
    assert (
        f"99% · values look like emails · over the {threshold}% abstention threshold"
        in page.content.decode()
    )


def test_the_preview_resolves_lookups_through_the_integrations_id_maps(db):
    integration = make_integration()
    CustomerLink.objects.create(
        integration=integration, stripe_customer_id="cus_1", erp_customer_code="C001"
    )
    draft = MappingSet.objects.create(integration=integration, entity="payment")
    FieldMapping.objects.create(
        mapping_set=draft,
        target="Customer",
        source_path="customer",
        transforms=[{"name": "lookup", "params": {"table": "customer"}}],
    )
    result = mapping_preview(mapping_set=draft, source={"customer": "cus_1"})
    assert result["payload"]["Customer"] == "C001"


def test_canonical_sources_take_the_codes_the_ledger_resolved():
    sources = sample_sources()
    customer = {
        s.target: s
        for s in suggest_mapping(
            target_fields=schema_for(erp="syspro", entity="customer").fields,
            samples=[sources["customer"]],
            entity="customer",
        )
    }
    assert customer["Customer"].source == "erp_code"
    assert customer["SoldPostalCode"].source == "address.postal_code"
    payment = {
        s.target: s
        for s in suggest_mapping(
            target_fields=schema_for(erp="syspro", entity="payment").fields,
            samples=[sources["payment"]],
            entity="payment",
        )
    }
    assert payment["Customer"].source == "customer_code"
    assert payment["Customer"].transforms == []


def test_a_lookup_may_fill_a_number_field_such_as_a_record_id():
    schema = schema_for(erp="syspro", entity="journal")
    spec = {
        "target": "PostingPeriod",
        "source": "currency",
        "transforms": [{"name": "lookup", "params": {"table": "currency"}}],
    }
    assert field_mapping_problems(schema=schema, spec=spec) == []
