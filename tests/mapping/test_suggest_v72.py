"""Suggester rules added on v74's former held-out part (Aimeos, Pay.nl).

The fields are made up in the shape the misses had (a payment SDK's order
request with the statistics it sends about its caller), not copied from one
vendor. Each is written through v67's `described`, a name, a type and the
few words a model gives.
"""

from tests.mapping.suggesting import assert_no_source, described, sourced, suggest


def test_a_statistics_field_of_the_request_has_no_source(samples):
    # given a payment request's statistics about its caller, grouped under a
    # stats object: the calling program, a free text, a numbered free field
    fields = (
        described("analytics.caller", "string", "statistics: the calling program"),
        described("stats.memo", "string", "statistics: free text"),
        described("stats.slot2", "string", "statistics: free field 2"),
    )
    # when suggested on an invoice or a charge
    got = [
        sourced(samples, kind, field)
        for kind in ("invoice", "charge")
        for field in fields
    ]
    # then none is Stripe's status nor its description: the integration
    # reports itself to the provider
    for item in got:
        assert_no_source(item)


def test_an_address_s_bare_code_naming_the_address_has_no_source(samples):
    # given an order's addresses, each with a bare code described as the
    # address's own label, beside its postal code
    labels = (
        described(
            "billingAddress.code", "string", "the billing address: a label (POST /x)"
        ),
        described(
            "shipTo.address.code", "string", "the ship-to address: its code ('home')"
        ),
    )
    postal = described("billingAddress.zipCode", "string", "the billing address: zip")
    # when suggested on an invoice or a charge, then neither code is the
    # postal code nor a document's reference: the integration names its
    # addresses, and the postal code goes to the postal code
    for object_type in ("invoice", "charge"):
        for field in labels:
            assert_no_source(sourced(samples, object_type, field))
        got = suggest(samples[object_type], labels[0], postal)
        assert_no_source(got[labels[0]["name"]])
        assert "postal_code" in (got[postal["name"]].source or ""), got


def test_a_date_on_which_to_carry_out_the_request_has_no_source(samples):
    # given a refund request's date described as the day to carry it out
    when = described(
        "executeOn", "date", "the date on which to execute the refund (any date)"
    )
    # when suggested on a refund, then it is not the refund's creation: the
    # integration plans when the provider acts
    assert_no_source(sourced(samples, "refund", when))


def test_the_merchant_s_reference_for_the_payer_is_the_customer(samples):
    # given an order request's party with the merchant's own reference for
    # it, described as the reference for the buyer
    ref = described(
        "buyer.merchantRef", "string", "the merchant's own reference for the buyer"
    )
    # when suggested on an invoice or a charge, then it is the customer the
    # document is for, not the document's own key
    for object_type in ("invoice", "charge"):
        assert sourced(samples, object_type, ref).source == "customer"


def test_a_label_described_as_the_customer_s_display_name_is_its_name(samples):
    # given a customer record's label, described as the name it is shown by
    label = described("person.caption", "string", "caption, the client's display name")
    # when suggested on a customer, then it is the customer's name, not its
    # description
    assert sourced(samples, "customer", label).source == "name"
    # and a field named a name, so described beside the company's name, is
    # left to the ranking, which gives the company's name none
    shown = described("name", "string", "the company's display name")
    company = described("companyName", "string", "the company's registered name")
    got = suggest(samples["customer"], shown, company)
    assert got["name"].source == "name", got
    assert_no_source(got["companyName"])


def test_the_amount_to_capture_on_a_charge_is_the_amount_captured(samples):
    # given a capture request's amount, described as the amount to capture
    amount = described("capture.sum", "int", "the amount to capture in cents")
    # when suggested on a charge, then it is the charge's captured amount,
    # not the amount authorised
    assert sourced(samples, "charge", amount).source == "amount_captured"
