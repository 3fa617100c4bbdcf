"""Suggester rules added on v73's former held-out part (Bagisto, MultiSafepay).

The fields are made up in the shape the misses had (a web shop's order and
invoice columns and a payment SDK's order requests, described with the code
that declares them), not copied from one vendor. Each is written through
v67's `described`, a name, a type and the few words a model gives.
"""

from tests.mapping.suggesting import assert_no_source, described, sourced, suggest


def test_a_sales_channel_s_currency_beside_the_document_s_has_no_source(samples):
    # given a shop document's currency of the sales channel it was placed in,
    # the channel's default, kept beside the currency the document is in
    channel = described(
        "sales_channel_currency", "string", "the sales channel's default currency"
    )
    placed = described("document_currency", "string", "the currency the sale is in")
    # when suggested together on an invoice or a charge, then the channel's
    # currency is the shop's set-up, not Stripe's, and the document's own is
    for object_type in ("invoice", "charge"):
        got = suggest(samples[object_type], channel, placed)
        assert_no_source(got[channel["name"]])
        assert got[placed["name"]].source == "currency", got


def test_a_shipment_s_track_and_trace_link_described_so_has_no_source(samples):
    # given an order update's link and code of the parcel sent, named in one
    # run-together word and described as the shipment's track and trace
    link = described("parcelfollow_url", "string", "the shipment's track and trace URL")
    code = described(
        "parcelfollow_code", "string", "the package's tracking code at the carrier"
    )
    # when suggested on an invoice or a charge, then neither is the invoice's
    # page nor its number: the carrier gives them
    for object_type in ("invoice", "charge"):
        for field in (link, code):
            assert_no_source(sourced(samples, object_type, field))


def test_a_text_described_as_a_set_up_thing_s_description_has_no_source(samples):
    # given an order's texts described as the title and the description of
    # a thing of the seller's set-up: the delivery method, the sales channel
    texts = (
        described("delivery_text", "string", "description of the delivery method"),
        described("outlet_caption", "string", "title of the sales channel used"),
    )
    # when suggested on an invoice or a charge, then neither is Stripe's
    # description: the seller named the method and the channel once
    for object_type in ("invoice", "charge"):
        for field in texts:
            assert_no_source(sourced(samples, object_type, field))


def test_a_capture_mode_in_words_on_a_charge_maps_its_captured_flag(samples):
    # given a payment request's capture mode as a word, described as the
    # choice to authorise only and capture later
    said = "'later' to authorise only and capture afterwards; absent to capture at once"
    mode = described("capture", "string", said)
    # when suggested on a charge, then it is the charge's captured flag, its
    # true and false mapped onto the words
    item = sourced(samples, "charge", mode)
    steps = [step["name"] for step in item.transforms]
    assert (item.source, steps) == ("captured", ["value_map"]), item
    # and on an invoice, which has no such flag, it is not
    assert sourced(samples, "invoice", mode).source != "captured"


def test_the_reason_for_changing_a_record_has_no_source(samples):
    # given an update request's text described as why the record is changed
    why = described("motive", "string", "the reason for changing the booking")
    # when suggested on an invoice or a charge, then it is not Stripe's
    # description: the integration says why it changes what it sent
    for object_type in ("invoice", "charge"):
        assert_no_source(sourced(samples, object_type, why))
