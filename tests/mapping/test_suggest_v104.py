"""Suggester rules added on v106's former held-out part (Fondy, Commerce.js).

The fields are made up in the shape the misses had, not copied from one
vendor, and written through v103's `member`; each rule has a near case
that must not change.
"""

from tests.mapping.suggesting import assert_no_source, described, sourced, suggest
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
    # given a payer's meta data, typed as a named type of the SDK
    meta = member("payer.meta", "MadeUpMetaType")
    # when suggested on a Stripe invoice, whose metadata is empty, then it
    # is left empty: the ERP's own keys, not Stripe's metadata as a whole
    assert_no_source(sourced(samples, "invoice", meta))


def test_a_key_kept_in_stripes_metadata_is_still_found(samples):
    # given the payer's code in the ERP, named for the meta data it is kept
    # in (the near case: one key the metadata holds, not the whole of it)
    code = member("payer.metaCustomerCode")
    # when suggested on a Stripe customer, then it is still read from the
    # metadata
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
    # given a basket's goods lines as one field of no given type
    lines = member("lineItems", "any")
    # when suggested on a Stripe charge, then it is left empty: the list of
    # what is sold, not the first line of the payer's address
    assert_no_source(sourced(samples, "charge", lines))


def test_an_address_line_stays_the_payers_first_line(samples):
    # given an address line of the same basket (the near case: a line named
    # for the address, not for the goods)
    street = member("addressLine", "any")
    # when suggested on a Stripe charge, then it is the billing address's
    # first line, as before
    assert sourced(samples, "charge", street).source == "billing_details.address.line1"


def test_an_email_named_for_its_sender_alone_is_the_payers(samples):
    # given a payment request's sender e-mail, described by nothing but
    # where it is set
    sent = member("request.senderMail")
    # when suggested on a Stripe charge, then it is the payer's e-mail: the
    # one sending the money
    assert sourced(samples, "charge", sent).source == "billing_details.email"


def test_an_email_described_as_the_senders_stays_a_setting(samples):
    # given the same e-mail described as the sender's address (the near
    # case: the description, not the name alone, says whose it is)
    sent = described("request.senderMail", "string", "The sender e-mail address")
    # when suggested on a Stripe charge, then it is left empty: the
    # integration's setting, as before
    assert_no_source(sourced(samples, "charge", sent))


def test_a_price_of_no_type_on_the_first_goods_line_is_its_decimal_amount(samples):
    # given the price of the first product of a basket, of no given type
    price = member("basket.products.0.price", "not given")
    # when suggested on a Stripe invoice
    item = sourced(samples, "invoice", price)
    # then it is the first line's amount in major units
    assert item.source == "lines.data.0.amount"
    assert transform_names(item) == ["minor_to_decimal"]


def test_an_amount_of_no_type_on_the_first_goods_line_stays_empty(samples):
    # given the product's amount of no given type (the near case: an amount
    # of goods may be their count, as a price never is)
    counted = member("basket.products.0.amount", "not given")
    # when suggested on a Stripe invoice, then it is left empty, as before
    assert_no_source(sourced(samples, "invoice", counted))


def test_a_link_named_for_a_response_is_the_integrations(samples):
    # given the link a payment page sends its response to
    answered = member("checkout.responseUrl")
    # when suggested on a Stripe invoice, then it is left empty: an endpoint
    # set up once, not the invoice's page
    assert_no_source(sourced(samples, "invoice", answered))


def test_a_link_named_for_the_invoices_page_stays_its_page(samples):
    # given a link named for the invoice's page (the near case: the
    # document's own page, no endpoint)
    page = member("checkout.invoicePageUrl")
    # when suggested on a Stripe invoice, then it is the hosted invoice page
    assert sourced(samples, "invoice", page).source == "hosted_invoice_url"


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
