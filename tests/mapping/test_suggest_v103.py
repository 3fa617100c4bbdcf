"""Suggester rules added on v105's former held-out part (Paytm, OrderCloud).

The fields are made up in the shape the misses had, not copied from one
vendor, and written through v67's `described`; each rule has a near case
that must not change.
"""

from tests.mapping.suggesting import assert_no_source, described, sourced, suggest


def member(name, kind="string"):
    """An SDK model's member, with no description of its own."""
    return described(name, kind, f"no description (MadeUpModel, {name})")


def transform_names(item):
    return [step["name"] for step in item.transforms]


def test_a_field_of_the_first_entry_of_a_goods_list_is_the_first_lines(samples):
    # given the text of the first entry of a document's list of goods
    text = member("wares.goods.0.description")
    # when suggested on a Stripe invoice, then it is the first line's text
    assert sourced(samples, "invoice", text).source == "lines.data.0.description"


def test_a_field_of_a_goods_record_stays_the_documents(samples):
    # given the same text on a goods record not written as a list (the near
    # case: no first entry of a list)
    text = member("wares.goods.description")
    # when suggested on a Stripe invoice, then it is the invoice's own
    # description, as before
    assert sourced(samples, "invoice", text).source == "description"


def money_parts(owner, kind="string"):
    """A money object's two members: its sum and its currency's code."""
    return member(f"{owner}.value", kind), member(f"{owner}.currency")


def test_a_text_value_beside_its_currency_is_a_decimal_sum(samples):
    # given a price written as a money object: its sum typed as text beside
    # its currency's code
    value, currency = money_parts("price")
    # when suggested on a Stripe charge
    item = suggest(samples["charge"], value, currency)["price.value"]
    # then it is the charge's amount in major units
    assert item.source == "amount"
    assert transform_names(item) == ["minor_to_decimal"]


def test_a_text_value_with_no_currency_beside_it_stays_text(samples):
    # given the same sum typed as text with no currency in its object (the
    # near case: nothing makes it money)
    value = member("price.value")
    # when suggested on a Stripe charge, then its transform is unchanged:
    # whatever it takes is copied as it is
    assert transform_names(sourced(samples, "charge", value)) == []


def test_a_quantity_typed_as_text_on_the_first_goods_line_is_its_quantity(samples):
    # given the count of the first entry of a document's goods, typed as text
    counted = member("items.0.quantity")
    # when suggested on a Stripe invoice with the calibrated cut, then it is
    # the first line's quantity, copied
    item = sourced(samples, "invoice", counted, threshold=None)
    assert item.source == "lines.data.0.quantity"
    assert item.transforms == []


def test_a_quantitys_unit_typed_as_text_stays_no_quantity(samples):
    # given the unit the same count is in (the near case: a text naming a
    # quantity's unit, not the count)
    unit = member("items.0.quantityUnit")
    # when suggested on a Stripe invoice with the calibrated cut, then it is
    # not the line's quantity
    item = sourced(samples, "invoice", unit, threshold=None)
    assert item.source != "lines.data.0.quantity"


def cited_from(name, said, page):
    """A field described by a line quoted from a repository's page."""
    return described(
        name,
        "string",
        f"'{said}' (line 9 of acme/skills@c68e0b289cc56d5f9885e85ef887a7c8001"
        f"9ebd4:docs/{page})",
    )


def test_a_reference_pages_file_name_is_no_reference_the_field_holds(samples):
    # given a cart's unit described by a line quoted from the vendor's
    # REFERENCE.md page
    unit = cited_from("cart.unit", "Needed for some flows", "REFERENCE.md")
    # when suggested on a Stripe charge, then it is not the charge's own id:
    # the page's name says nothing of the field
    assert sourced(samples, "charge", unit).source != "id"


def test_a_reference_said_in_the_quoted_line_stays_the_charges_id(samples):
    # given the same unit whose quoted line calls it a reference (the near
    # case: the words are the field's, not the page's name)
    unit = cited_from("cart.unit", "A reference for some flows", "README.md")
    # when suggested on a Stripe charge, then it is the charge's own id, as
    # before
    assert sourced(samples, "charge", unit).source == "id"


def test_a_tax_named_a_cost_is_the_documents_tax(samples):
    # given an order's tax named as a cost, a number with no description
    taxed = member("order.TaxCost", "number")
    # when suggested on a Stripe invoice with the calibrated cut
    item = sourced(samples, "invoice", taxed, threshold=None)
    # then it is the invoice's tax in major units: the buyer pays it
    assert item.source == "tax"
    assert transform_names(item) == ["minor_to_decimal"]


def test_a_products_cost_stays_the_sellers(samples):
    # given the goods' cost named the same way (the near case: what the
    # goods cost the seller, never billed)
    bought = member("order.ProductCost", "number")
    # when suggested on a Stripe invoice, then it is left empty, as before
    assert_no_source(sourced(samples, "invoice", bought))


def test_an_address_named_by_its_own_name_field_has_no_source(samples):
    # given a billing address's own name, the label it is saved under
    label = member("billTo.AddressName")
    # when suggested on a Stripe invoice, then it is left empty: a label,
    # not the customer's name
    assert_no_source(sourced(samples, "invoice", label))


def test_the_addressees_name_under_an_address_stays_the_customers(samples):
    # given the name of the same address's person (the near case: a name
    # field under the address, not one named for the address)
    name = member("billTo.FullName")
    # when suggested on a Stripe invoice, then it is the customer's name
    assert sourced(samples, "invoice", name).source == "customer_name"
