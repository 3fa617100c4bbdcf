"""Suggester rules added on v71's former held-out part (Ever Gauzy, Stancer).

The fields are made up in the shape the misses had (a business platform's
create DTOs and a payment SDK's data models, described with the code that
declares them), not copied from one vendor. Each is written through v67's
`described`, a name, a type and the few words a model gives.
"""

from tests.mapping.suggesting import (
    assert_no_source,
    described,
    lookup,
    sourced,
    suggest,
)


def test_a_country_given_two_letters_is_the_alpha_2_code_whatever_standard(samples):
    # given an address's country described as two letters, though the
    # comment it was read from names the three-letter standard
    country = described(
        "invoice_address.country",
        "string",
        "the address's country, two letters (the comment says ISO 3166-1 alpha-3)",
    )
    # when suggested on a charge, then Stripe's two-letter code is taken as
    # it is, not turned into three letters a two-letter field cannot hold
    item = sourced(samples, "charge", country)
    assert item.source == "billing_details.address.country"
    assert not [t for t in item.transforms if t["name"] == "country_code"], item


def test_a_street_line_named_by_a_number_past_two_has_no_source(samples):
    # given an address's third line, described as a street line by its number,
    # beside the address's own city
    line = described("postal_address.line3", "string", "the address: street line 3")
    city = described("postal_address.city", "string", "the address: city name")
    # when suggested on a customer, then the word street names the kind of
    # line, not the first one: Stripe has no third street line
    assert_no_source(suggest(samples["customer"], line, city)[line["name"]])


def test_free_data_kept_in_an_address_has_no_source(samples):
    # given an address record's own free data, a JSON object kept as a text
    meta = described(
        "delivery_address.metadata", "string", "the address: free data, JSON as text"
    )
    # when suggested on a charge or an invoice, then it is the address's,
    # which Stripe keeps none of: not the object's metadata, no address part
    for object_type in ("charge", "invoice"):
        assert_no_source(sourced(samples, object_type, meta))


def test_a_unicity_key_of_a_payment_is_its_stripe_id(samples):
    # given a payment request's key that keeps the same payment from being
    # sent twice
    for key in (
        described("dedupe_key", "string", "unicity key: a second request is refused"),
        described("requestKey", "string", "idempotency key, 1 to 40 characters"),
    ):
        # when suggested on a charge, then the key the sender writes for it is
        # the charge's own Stripe id, shown past the calibrated cut
        item = sourced(samples, "charge", key, threshold=None)
        assert item.source == "id" and not item.abstained, key


def test_a_company_s_contact_key_described_as_the_client_is_the_customer(samples):
    # given a document's key of the company's own contact, described as the
    # client it is made out to
    key = described("companyClientId", "string", "the client billed (a client id)")
    # when suggested on an invoice or a charge, then it is the customer, by
    # the id map
    for object_type in ("invoice", "charge"):
        item = sourced(samples, object_type, key)
        assert item.source == "customer" and lookup(item) == "customer", item
    # and on a balance entry, which names no customer, it takes none
    assert sourced(samples, "balance_transaction", key).source != "source"


def test_currency_codes_allowed_in_lower_case_take_stripe_s_as_it_is(samples):
    # given a currency whose allowed values are ISO codes written in lower case
    currency = {
        **described("currency", "string", "the currency processed, lower case"),
        "choices": ["chf", "eur", "gbp", "jpy", "usd"],
    }
    # when suggested on a charge, then Stripe's code, lower case too, is
    # taken as it is, not upper-cased out of the allowed values
    item = sourced(samples, "charge", currency)
    assert item.source == "currency" and item.transforms == [], item


def test_a_flag_asking_for_the_capture_is_the_charge_s_captured_flag(samples):
    # given a payment request's switch to capture the money at once
    flag = described("captureNow", "flag", "capture at once, or only authorise")
    # when suggested on a charge, then it is whether Stripe captured it
    assert sourced(samples, "charge", flag).source == "captured"
    # and on an invoice, which captures nothing, it has no source
    assert_no_source(sourced(samples, "invoice", flag))


def test_the_merchant_s_order_identifier_is_its_order_or_its_number(samples):
    # given a payment request's key described as the merchant's own order
    # identifier
    key = described("shop_order_ref", "string", "the merchant's order identifier")
    # when suggested on a charge, then it is the order the seller's metadata
    # keeps, not the charge's key nor an invoice looked up
    assert sourced(samples, "charge", key).source == "metadata.erp_order"
    # and on an invoice it is the document's own number
    assert sourced(samples, "invoice", key).source == "number"


def test_a_region_code_described_as_no_state_has_no_source(samples):
    # given a contact's region code, described as a locale's region and, in
    # so many words, not a state
    region = described(
        "details.region_code",
        "string",
        "the contact's region code (a locale's, for formats; not a state)",
    )
    # when suggested on a customer, then it takes no state: Stripe's address
    # keeps no other region
    assert_no_source(sourced(samples, "customer", region))


def test_a_status_described_as_the_one_asked_for_has_no_source(samples):
    # given a payment request's status, described as the one the request
    # asks for, its allowed values words a charge's outcome also uses
    status = {
        **described(
            "status", "string", "the status requested (authorize, capture) on sending"
        ),
        "choices": ["authorize", "authorized", "capture", "captured", "failed"],
    }
    # when suggested on a charge, then it says what to do next, not what was
    # done: no Stripe value
    assert_no_source(sourced(samples, "charge", status))


def test_a_tax_numbered_past_the_first_has_no_source(samples):
    # given a document's second tax, numbered as an ERP with several taxes
    # numbers them
    for second in (
        described("localTax2", "decimal", "second tax on the document"),
        described("lines.0.vat_amount_3", "decimal", "the line's third tax"),
    ):
        # when suggested alone on an invoice, then Stripe's one tax is the
        # first's or the whole, never a later one's
        assert_no_source(sourced(samples, "invoice", second))
