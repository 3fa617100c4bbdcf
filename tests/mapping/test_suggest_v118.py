"""Suggester rules added on v120's former held-out part (Sezzle, OnePageCRM).

Each field below is made up after the shape of a miss, named by no vendor,
and stands beside a near field that its rule leaves alone.
"""

from tests.mapping.suggesting import (
    assert_no_source,
    described,
    lookup,
    sourced,
    suggest,
)


def _takes_while_near_does_not(samples, object_type, caught, near, source):
    """`caught` alone takes `source` on `object_type`; `near` does not."""
    assert sourced(samples, object_type, caught).source == source
    assert sourced(samples, object_type, near).source != source


def test_a_text_type_marked_nullable_after_it_is_plain_text(samples):
    # given a member's given and family names typed "String?", as Kotlin and
    # C# mark a text that may be null, and the given name typed as a
    # drop-down that may be null (the near case: a kind of field of the
    # vendor's own)
    names = [
        described(f"member.{part}_name", "String?", "For a person")
        for part in ("given", "family")
    ]
    dropdown = described("member.given_name", "Dropdown?", "For a person")
    # when suggested on a Stripe customer, then the two are the first and
    # the last name split from the customer's name, as text fields' are, and
    # the drop-down is not split
    made = suggest(samples["customer"], *names)
    split = [(made[f["name"]].source, made[f["name"]].transforms) for f in names]
    assert split == [
        ("name", [{"name": "split_name", "params": {"part": part}}])
        for part in ("first", "last")
    ]
    assert sourced(samples, "customer", dropdown).transforms == []


def test_a_description_saying_there_is_none_names_no_description(samples):
    # given a made time typed as text and described only as having no
    # description, and the same time described as a description (the near
    # case: the word names what the field holds)
    none_said = described("madeAt", "string", "no description")
    said = described("madeAt", "string", "Description")
    # when suggested on a Stripe charge, then the first is left empty with
    # the calibrated cut, its word description naming nothing it holds, and
    # the second is still the charge's description
    assert_no_source(sourced(samples, "charge", none_said, threshold=None))
    assert sourced(samples, "charge", said).source == "description"


def test_a_key_whose_name_the_quoted_url_holds_in_braces_is_in_the_path(samples):
    # given a client's key described as the parameter of a URL that holds
    # the key's own name in braces, and the same key described with a URL
    # holding another name in braces (the near case: the key is not the
    # one the URL names)
    in_path = described(
        "client_id", "string", '"Client ID" (parameter of PUT /clients/{client_id})'
    )
    elsewhere = described(
        "client_id", "string", '"Client ID" (parameter of PUT /clients/{group_id})'
    )
    # when suggested on a Stripe customer, then the first is the record made
    # for the customer, its Stripe id through the id map, and the second is
    # not
    assert lookup(sourced(samples, "customer", in_path)) == "customer"
    assert sourced(samples, "customer", elsewhere).transforms == []


def test_a_partys_background_is_its_description(samples):
    # given a member's background, what is known of the member, and the
    # member's background colour (the near case: a colour shown behind a
    # thing, the word only saying where)
    background = described("member.background", "string", "What is known of it")
    colour = described("member.background_colour", "string", "What is known of it")
    # when suggested on a Stripe customer, then the first is the customer's
    # description, and the second is not
    _takes_while_near_does_not(samples, "customer", background, colour, "description")


def test_the_first_entry_of_a_deals_lines_is_the_first_line_item(samples):
    # given the title of the first of a deal's lines, and the title of the
    # first of a task's lines (the near case: a list of no goods)
    deal = described("deal_lines.0.title", "string", "Title of the line")
    task = described("task_lines.0.title", "string", "Title of the line")
    # when suggested on a Stripe invoice, then the first is the first line's
    # description, a deal selling goods as an order does, and the second is
    # not
    _takes_while_near_does_not(
        samples, "invoice", deal, task, "lines.data.0.description"
    )


def test_the_currency_of_a_sum_in_cents_with_no_source_has_none(samples):
    # given a cart's shipping sum as a money object of an amount in cents
    # and its currency, and the cart's total as the same object (the near
    # case: a sum Stripe fills)
    shipping = [
        described("cart.shipping_sum.amount_in_cents", "Int", "The amount in cents"),
        described("cart.shipping_sum.currency", "String", "Currency code"),
    ]
    total = [
        described("cart.total.amount_in_cents", "Int", "The amount in cents"),
        described("cart.total.currency", "String", "Currency code"),
    ]
    # when suggested together on a Stripe charge, then the shipping sum's
    # currency is left empty with its amount, and the total's currency is
    # still the charge's
    made = suggest(samples["charge"], *shipping, *total)
    assert_no_source(made["cart.shipping_sum.currency"])
    assert made["cart.total.currency"].source == "currency"


def test_an_orders_uuid_is_its_key_as_its_id_is(samples):
    # given the uuid of the order a refund is of, and the uuid of the batch
    # it is paid out in (the near case: a key of no record Stripe keeps)
    order = described("order_uuid", "string", "no description")
    batch = described("batch_uuid", "string", "no description")
    # when suggested on a Stripe refund, then the first is the refunded
    # charge through the id map, as order_id's is, and the second is left
    # empty
    assert lookup(sourced(samples, "refund", order)) == "charge"
    assert_no_source(sourced(samples, "refund", batch))
