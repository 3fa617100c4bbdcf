"""Suggester rules added on v96's former held-out part (Swell, Shift4).

The fields are made up in the shape the misses had, not copied from one
vendor, and written through v67's `described`; each rule has a near case
that must not fire.
"""

from mapping.suggest import field_specs_from_dicts
from tests.mapping.suggesting import assert_no_source, described, lookup, sourced

# Where a generated type places a member: the record holding it is named an
# account (a shop's customer account), and the call opens one.
_PLACE = (
    "(Invoicing member town; in Account member invoicing (line 12); "
    "Open an account, POST /members) at line 7 of acme/acme-js@0a1b2c3d:"
    "types/invoicing/model.ts"
)


def test_a_field_said_to_have_no_description_is_not_read_by_its_place(samples):
    # given a customer's invoicing town whose description says it has none
    # and only places it in an account record
    field = described("invoicing.town", "string", f"no description {_PLACE}")
    # when suggested on a Stripe customer
    item = sourced(samples, "customer", field)
    # then the account it sits in is no ledger setting: the customer's city
    assert (item.source, item.transforms) == ("address.city", [])


def test_a_placed_field_with_words_of_its_own_is_read_by_them(samples):
    # given the same place followed by words of the field's own that name
    # a ledger account (the near case: the description is not none)
    field = described(
        "invoicing.town", "string", f"no description {_PLACE}; receivable account"
    )
    # when suggested on a Stripe customer, then it is a ledger setting
    assert_no_source(sourced(samples, "customer", field))


def test_a_type_named_with_brackets_after_it_is_a_list_of_it(samples):
    # given an invoice's levies typed as a generated client prints a list
    # of records ("Levy[] (optional)")
    field = described("levies", "Levy[] (optional)", "")
    # when suggested on a Stripe invoice
    item = sourced(samples, "invoice", field)
    # then it is a list of levies, and no one Stripe amount is the list
    (spec,) = field_specs_from_dicts([field])
    assert spec.type == "array of levy"
    assert_no_source(item)


def test_a_type_with_brackets_that_hold_something_is_no_list():
    # given a string whose type carries a length in its brackets (the near
    # case: "string[3]" is a string of three characters, not a list)
    (spec,) = field_specs_from_dicts([described("levy_code", "string[3]")])
    # then its written type stays as it is
    assert spec.type == "string[3]"


def test_no_in_a_description_saying_it_has_none_is_no_number(samples):
    # given an invoice's dispatch service whose description says it has
    # none and places it in the invoice ("no" is also short for number)
    field = described(
        "dispatch.service",
        "string",
        "no description (Dispatch member service; in Invoice member dispatch; "
        "Create an invoice, POST /bills) at line 71 of acme/acme-js@0a1b2c3d:"
        "types/dispatch.ts",
    )
    # when suggested on a Stripe invoice, then it is not the invoice's number
    assert sourced(samples, "invoice", field).source != "number"


def test_a_description_giving_the_invoice_no_is_its_number(samples):
    # given an invoice's reference described as the invoice's no (the near
    # case: "no" stands for number where no description is said)
    field = described("bill_ref", "string", "Invoice no as printed on the bill")
    # when suggested on a Stripe invoice, then it is the invoice's number
    assert sourced(samples, "invoice", field).source == "number"


def test_a_generic_map_type_is_the_map_it_is(samples):
    # given a charge's extras typed as a Java or C# client types a map
    # ("Map<String, String>")
    field = described("extras", "Map<String, String>", "Extra pairs of the charge")
    # when suggested on a Stripe charge
    (spec,) = field_specs_from_dicts([field])
    # then it is a map, an object of the API's own keys, which no Stripe
    # value fills
    assert spec.type == "map"
    assert_no_source(sourced(samples, "charge", field))


def test_a_type_that_only_begins_like_map_is_no_map():
    # given a string typed with a name that only begins like the word (the
    # near case: "mapping<string>" is no map)
    (spec,) = field_specs_from_dicts([described("route", "Mapping<String>")])
    # then its written type stays as it is
    assert spec.type == "mapping<string>"


def test_a_reason_typed_as_a_named_enumeration_is_mapped(samples):
    # given a refund's cause typed as a generated client types an
    # enumeration of its own whose values it does not list
    field = described("cause_reason", "ReturnReason (enum)", "Why it is given back")
    # when suggested on a Stripe refund
    item = sourced(samples, "refund", field)
    # then Stripe's reason goes onto the API's own values through a map
    assert item.source == "reason"
    assert item.transforms[0]["name"] == "value_map"


def test_a_reason_typed_as_text_is_copied(samples):
    # given the same cause typed as a string (the near case: free text)
    field = described("cause_reason", "string", "Why it is given back")
    # when suggested on a Stripe refund, then Stripe's reason as it is
    item = sourced(samples, "refund", field)
    assert (item.source, item.transforms) == ("reason", [])


def test_a_refunds_parent_is_the_payment_it_gives_back(samples):
    # given a refund's parent key, the refund being the child of a payment
    field = described("parent_key_id", "string", "The record this one is under")
    # when suggested on a Stripe refund
    item = sourced(samples, "refund", field)
    # then it is the refunded charge, through the charge map
    assert (item.source, lookup(item)) == ("charge", "charge")


def test_a_customers_parent_is_no_payment(samples):
    # given the same parent key on a customer (the near case: a customer's
    # parent is another customer record, never a payment)
    field = described("parent_key_id", "string", "The record this one is under")
    # when suggested on a Stripe customer, then it is no charge
    assert sourced(samples, "customer", field).source != "charge"
