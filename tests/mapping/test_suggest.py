import pytest

from mapping.models import MappingSet, SuggestionFeedback
from mapping.samples import sample_sources
from mapping.schemas import schema_for
from mapping.services import (
    mapping_defaults_install,
    mapping_set_activate,
    mapping_set_suggest_draft,
    payload_build,
)
from mapping.suggest import field_specs_from_dicts, suggest_mapping
from mapping.suggest.names import concepts, name_similarity
from mapping.suggest.values import profile_samples

STRIPE_CUSTOMERS = [
    {
        "id": "cus_QXg1o8vcGmoR31",
        "name": "Bayside Bikes",
        "email": "ap@baysidebikes.example",
        "phone": "+1 415 555 0100",
        "currency": "usd",
        "created": 1711929600,
        "address": {
            "line1": "1 Harbour Way",
            "line2": "Unit 4",
            "city": "Bayside",
            "state": "CA",
            "postal_code": "94016",
            "country": "US",
        },
        "metadata": {"erp_customer_code": "0000001"},
    },
    {
        "id": "cus_QXg1o8vcGmoR32",
        "name": "Maison Dupont",
        "email": "compta@dupont.example",
        "phone": "+33 1 42 68 53 00",
        "currency": "eur",
        "created": 1712016000,
        "address": {
            "line1": "22 Rue de la Paix",
            "line2": "",
            "city": "Paris",
            "state": "IDF",
            "postal_code": "75002",
            "country": "FR",
        },
        "metadata": {"erp_customer_code": "0000002"},
    },
]

# A small labelled set in field names none of the templates use.
LABELLED = {
    "CustName": "name",
    "EMailAddr": "email",
    "TelNo": "phone",
    "Street1": "address.line1",
    "Town": "address.city",
    "PostCode": "address.postal_code",
    "CntryCode": "address.country",
    "CurrCode": "currency",
    "AcctOpened": "created",
    "ErpCustNo": "metadata.erp_customer_code",
}


def test_tokens_fold_abbreviations_and_glued_words():
    assert concepts("custno") == {"customer", "number"}
    assert concepts("addrstate") == {"address", "state"}
    assert concepts("SoldToAddr1") == {"billing", "address", "#1"}
    assert concepts("billing_details.address.postal_code") >= {"billing", "postal"}


def test_name_similarity_prefers_the_right_line_number():
    first, _ = name_similarity("ShipToAddr1", "shipping.address.line1")
    second, _ = name_similarity("ShipToAddr1", "shipping.address.line2")
    assert first > second


def test_value_profiles_recognise_common_kinds():
    profiles = profile_samples(STRIPE_CUSTOMERS)
    kinds = {path: p.kind for path, p in profiles.items()}
    assert kinds["email"] == "email"
    assert kinds["phone"] == "phone"
    assert kinds["currency"] == "currency"
    assert kinds["address.country"] == "country"
    assert kinds["address.postal_code"] == "postal"
    assert kinds["created"] == "timestamp"
    assert kinds["id"] == "stripe_id"


def test_top1_on_a_small_labelled_set():
    fields = field_specs_from_dicts(
        {"name": name, "type": "date"}
        if name == "AcctOpened"
        else {"name": name, "max_length": 30}
        for name in LABELLED
    )
    got = {
        s.target: s
        for s in suggest_mapping(target_fields=fields, samples=STRIPE_CUSTOMERS)
    }
    hits = [name for name, gold in LABELLED.items() if got[name].source == gold]
    assert len(hits) >= 9, {n: got[n].source for n in LABELLED}
    assert got["AcctOpened"].transforms[0]["name"] == "unix_to_date"
    assert all(0 <= s.confidence <= 1 and s.reason for s in got.values())


def test_confident_matches_rank_above_weak_ones():
    fields = field_specs_from_dicts([{"name": "Email"}, {"name": "Fax"}])
    email, fax = suggest_mapping(target_fields=fields, samples=STRIPE_CUSTOMERS)
    assert email.source == "email"
    assert email.confidence > fax.confidence


def test_feedback_changes_the_ranking():
    fields = field_specs_from_dicts([{"name": "Attention", "max_length": 30}])
    before = suggest_mapping(target_fields=fields, samples=STRIPE_CUSTOMERS)[0]
    feedback = {("Attention", "email"): 3}
    after = suggest_mapping(
        target_fields=fields, samples=STRIPE_CUSTOMERS, feedback=feedback
    )[0]
    assert before.source != "email"
    assert after.source == "email"
    assert "admins accepted it before" in after.reason


@pytest.mark.django_db
def test_suggest_fills_an_inactive_draft_that_changes_nothing_until_activated(
    syspro_integration,
):
    mapping_defaults_install(integration=syspro_integration)
    active = MappingSet.objects.get(
        integration=syspro_integration, entity="customer", is_active=True
    )
    draft = mapping_set_suggest_draft(integration=syspro_integration, entity="customer")
    assert not draft.is_active
    assert draft.version == active.version + 1
    rows = {row.target: row for row in draft.fields.all()}
    assert rows["Email"].source_path == "email"
    assert rows["Email"].suggestion_confidence > 0.5
    assert rows["Email"].suggestion_reason
    _, version = payload_build(
        integration=syspro_integration,
        entity="customer",
        source=sample_sources()["customer"],
    )
    assert version == active.version

    # an admin replaces one suggestion, then activates: feedback is stored
    rows["ShortName"].source_path = "email"
    rows["ShortName"].save()
    mapping_set_activate(mapping_set=draft, actor=None)
    assert (
        SuggestionFeedback.objects.filter(
            erp="syspro", entity="customer", target="Email", source_path="email"
        )
        .get()
        .accepted
        == 1
    )
    replaced = SuggestionFeedback.objects.get(
        erp="syspro", entity="customer", target="ShortName", source_path="name"
    )
    assert replaced.rejected == 1
    payload, version = payload_build(
        integration=syspro_integration,
        entity="customer",
        source=sample_sources()["customer"],
    )
    assert version == draft.version
    assert schema_for(erp="syspro", entity="customer").get("ShortName")
