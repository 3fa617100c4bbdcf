"""Go-live customer matching: keys scored on the records, matches proposed."""

from integrations.connectors.records import ErpCustomer
from mapping.matching import (
    StripeCustomer,
    normal_name,
    normal_tax_id,
    propose_matches,
    stripe_customer_of,
)


def erp(code, name="", email="", postal_code="", tax_id=""):
    return ErpCustomer(
        code=code, name=name, email=email, postal_code=postal_code, tax_id=tax_id
    )


def stripe(stripe_id, name="", email="", postal_code="", tax_ids=()):
    return StripeCustomer(
        stripe_id=stripe_id,
        name=name,
        email=email,
        postal_code=postal_code,
        tax_ids=tuple(tax_ids),
    )


def test_names_and_tax_ids_are_compared_in_a_normal_form():
    assert normal_name("Linden Handel GmbH") == normal_name("LINDEN-HANDEL")
    assert normal_name("Café Müller & Co.") == "cafe muller"
    assert normal_tax_id("DE 123 456 789") == ("DE123456789", "123456789")
    assert normal_tax_id("12") == ()


def test_the_stripe_objects_facts_include_its_tax_ids_and_postcode():
    facts = stripe_customer_of(
        {
            "id": "cus_1",
            "name": "Bayside Bikes",
            "email": "ap@bayside.example",
            "address": {"postal_code": "94016"},
            "tax_ids": {"data": [{"type": "us_ein", "value": "12-3456789"}]},
        }
    )
    assert facts == stripe(
        "cus_1", "Bayside Bikes", "ap@bayside.example", "94016", ["12-3456789"]
    )


def test_email_is_proposed_when_it_pairs_every_customer_one_to_one():
    # given
    erp_side = [
        erp("C1", "Bayside Bikes", "AP@bayside.example"),
        erp("C2", "Maison Dupont", "compta@dupont.example; boss@dupont.example"),
        erp("C3", "Linden Handel", "buchhaltung@linden.example"),
    ]
    stripe_side = [
        stripe("cus_1", "Bayside Bikes Inc", "ap@bayside.example"),
        stripe("cus_2", "Dupont", "compta@dupont.example"),
        stripe("cus_3", "Linden Handel GmbH", "buchhaltung@linden.example"),
    ]
    # when
    proposal = propose_matches(erp_customers=erp_side, stripe_customers=stripe_side)
    # then
    assert proposal.best_key.key == "email"
    assert proposal.best_key.unique == 3
    assert proposal.best_key.confidence > 0.9
    pairs = {m.erp_code: m.stripe_id for m in proposal.matches}
    assert pairs == {"C1": "cus_1", "C2": "cus_2", "C3": "cus_3"}
    both = next(m for m in proposal.matches if m.erp_code == "C3")
    assert both.keys == ("email", "name")
    assert both.confidence > next(
        m.confidence for m in proposal.matches if m.erp_code == "C2"
    )


def test_a_shared_mailbox_pairs_nobody_and_name_and_postcode_takes_over():
    erp_side = [
        erp("C1", "North Store", "ap@group.example", "10117"),
        erp("C2", "South Store", "ap@group.example", "80331"),
    ]
    stripe_side = [
        stripe("cus_1", "North Store", "ap@group.example", "10117"),
        stripe("cus_2", "South Store", "ap@group.example", "80331"),
    ]
    proposal = propose_matches(erp_customers=erp_side, stripe_customers=stripe_side)
    email = next(k for k in proposal.keys if k.key == "email")
    assert email.unique == 0 and email.ambiguous == 2
    assert proposal.best_key.key == "name_postcode"
    assert {m.erp_code: m.keys[0] for m in proposal.matches} == {
        "C1": "name_postcode",
        "C2": "name_postcode",
    }


def test_tax_ids_match_with_or_without_their_country_prefix():
    proposal = propose_matches(
        erp_customers=[erp("C9", "Linden", tax_id="123456789")],
        stripe_customers=[stripe("cus_9", "Other name", tax_ids=["DE123456789"])],
    )
    assert proposal.matches[0].stripe_id == "cus_9"
    assert proposal.matches[0].keys == ("tax_id",)


def test_keys_that_disagree_are_a_conflict_for_a_person():
    proposal = propose_matches(
        erp_customers=[erp("C1", "Bayside Bikes", "ap@bayside.example")],
        stripe_customers=[
            stripe("cus_1", "Someone Else", "ap@bayside.example"),
            stripe("cus_2", "Bayside Bikes"),
        ],
    )
    (match,) = proposal.matches
    assert match.stripe_id == "cus_1"
    assert match.conflict == "cus_2 by another key"
    assert match.confidence == 0.5


def test_customers_without_any_pairing_are_listed_as_unmatched():
    proposal = propose_matches(
        erp_customers=[erp("C1", "Alpha"), erp("C2", "")],
        stripe_customers=[stripe("cus_1", "Beta")],
    )
    assert proposal.matches == ()
    assert proposal.unmatched_erp == ("C1", "C2")
