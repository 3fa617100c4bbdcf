"""Suggester rules added on v106's former held-out part (Fondy, Commerce.js).

The fields are made up in the shape the misses had, not copied from one
vendor, and written through v103's `member`; each rule has a near case
that must not change.
"""

from tests.mapping.suggesting import (
    assert_no_source,
    described,
    none_while_near,
    sourced,
    suggest,
)
from tests.mapping.test_suggest_v103 import member, transform_names


def test_ids_under_a_group_named_for_stripe_are_stripes_own(samples):
    # given a tender's customer and payment intent kept under a group named
    # for Stripe
    customer = member("tender.stripe.customerId")
    intent = member("tender.stripe.paymentIntentId")
    # when suggested on a Stripe charge with the calibrated cut
    found = suggest(samples["charge"], customer, intent, threshold=None)
    # then each is the charge's own Stripe id, copied as it is
    assert found["tender.stripe.paymentIntentId"].source == "payment_intent"
    assert found["tender.stripe.paymentIntentId"].transforms == []
    assert found["tender.stripe.customerId"].source == "customer"
    assert transform_names(found["tender.stripe.customerId"]) == []


def test_a_customer_id_under_a_plain_group_stays_looked_up(samples):
    # given the same customer under a group named for nothing but the tender
    # (the near case: no sign the id is Stripe's)
    customer = member("tender.customer_id")
    # when suggested on a Stripe charge, then it is the charge's customer
    # through the id map, as before
    item = sourced(samples, "charge", customer)
    assert item.source == "customer"
    assert transform_names(item) == ["lookup"]


def test_a_field_named_meta_alone_has_no_source(samples):
    # given a payer's meta data, typed as a named type of the SDK, and the
    # payer's code in the ERP named for the meta data it is kept in (the near
    # case: one key the metadata holds, not the whole of it)
    meta = member("payer.meta", "MadeUpMetaType")
    code = member("payer.metaCustomerCode")
    # when suggested on a Stripe invoice, whose metadata is empty, then the
    # meta data is left empty: the ERP's own keys, not Stripe's metadata as
    # a whole; on a Stripe customer the code is still read from the metadata
    assert_no_source(sourced(samples, "invoice", meta))
    assert sourced(samples, "customer", code).source == "metadata.erp_customer_code"


def tender_with_stripe(*fields):
    """A tender's fields beside the customer it keeps under Stripe's name."""
    return (member("tender.stripe.customerId"), *(member(f) for f in fields))


def test_a_group_beside_stripes_is_another_means_with_no_source(samples):
    # given a tender's slots for other means beside its Stripe slot: another
    # provider's payer and a card's raw postal code
    fields = tender_with_stripe("tender.acmepay.payerId", "tender.card.zipCode")
    # when suggested on a Stripe charge
    found = suggest(samples["charge"], *fields)
    # then neither takes a source: their data is the other means's, not
    # Stripe's
    assert_no_source(found["tender.acmepay.payerId"])
    assert_no_source(found["tender.card.zipCode"])


def test_a_group_the_lexicon_reads_beside_stripes_keeps_its_source(samples):
    # given the tender's billing postal code beside the same Stripe slot
    # (the near case: a group named by a word the lexicon reads)
    fields = tender_with_stripe("tender.billing.zipCode")
    # when suggested on a Stripe charge, then it is the billing postal code,
    # as before
    found = suggest(samples["charge"], *fields)
    assert found["tender.billing.zipCode"].source == (
        "billing_details.address.postal_code"
    )


def test_a_field_named_for_the_goods_lines_is_no_address_line(samples):
    # given a basket's goods lines as one field of no given type, and an
    # address line of the same basket (the near case: a line named for the
    # address, not for the goods)
    lines, street = member("lineItems", "any"), member("addressLine", "any")
    # when suggested on a Stripe charge, then the goods lines are left
    # empty, the list of what is sold, and the address line is the billing
    # address's first line, as before
    none_while_near(samples, "charge", lines, street, "billing_details.address.line1")


def test_an_email_named_for_its_sender_alone_is_the_payers(samples):
    # given a payment request's sender e-mail, described by nothing but
    # where it is set, and the same e-mail described as the sender's address
    # (the near case: the description, not the name alone, says whose it is)
    sent = member("request.senderMail")
    said = described("request.senderMail", "string", "The sender e-mail address")
    # when suggested on a Stripe charge, then the described one is left
    # empty, the integration's setting as before, and the one named alone is
    # the payer's e-mail: the one sending the money
    none_while_near(samples, "charge", said, sent, "billing_details.email")


def test_a_price_of_no_type_on_the_first_goods_line_is_its_decimal_amount(samples):
    # given the price of the first product of a basket, of no given type,
    # and the product's amount (the near case: an amount of goods may be
    # their count, as a price never is)
    price = member("basket.products.0.price", "not given")
    counted = member("basket.products.0.amount", "not given")
    # when suggested on a Stripe invoice, then the price is the first line's
    # amount in major units, and the amount is left empty, as before
    item = sourced(samples, "invoice", price)
    assert item.source == "lines.data.0.amount"
    assert transform_names(item) == ["minor_to_decimal"]
    assert_no_source(sourced(samples, "invoice", counted))


def test_a_link_named_for_a_response_is_the_integrations(samples):
    # given the link a payment page sends its response to, and a link named
    # for the invoice's page (the near case: the document's own page)
    answered = member("checkout.responseUrl")
    page = member("checkout.invoicePageUrl")
    # when suggested on a Stripe invoice, then the response's link is left
    # empty, an endpoint set up once, and the page's is the hosted page
    none_while_near(samples, "invoice", answered, page, "hosted_invoice_url")


def country_described(said):
    """A country of a tax zone, of no given type, described as `said`."""
    return described("zone.country", "not given", said)


def test_a_country_cited_from_an_example_request_keeps_the_code(samples):
    # given a country described only by where it is shown: the vendor's
    # example request
    country = country_described(
        "no description (in the example request, acme/sdk@7f4c57f10d2e787757e8"
        "ea3f8947fe4d648fee65:docs/Checkout.md line 461)"
    )
    # when suggested on a Stripe invoice, then it is the customer's country,
    # its ISO code copied: the example's request is no example country
    item = sourced(samples, "invoice", country)
    assert item.source == "customer_address.country"
    assert item.transforms == []


def test_a_country_given_by_an_example_name_stays_a_name(samples):
    # given a country whose example is a country's name (the near case: the
    # example is the value)
    country = country_described("The country (example 'Australia')")
    # when suggested on a Stripe invoice, then the code is turned into the
    # country's name, as before
    assert transform_names(sourced(samples, "invoice", country)) == ["country_code"]
