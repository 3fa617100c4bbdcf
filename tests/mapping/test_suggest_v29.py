"""Suggester rules added on v31's former held-out part: each a class of misses.

The fields are made up in the shape the misses had (a country's first-level
division named by its level, ...), not copied from one vendor.
"""

from tests.mapping.suggesting import suggest


def test_a_first_level_administrative_area_is_the_state(samples):
    # given an address whose state is named as the country's first-level area
    fields = (
        {"name": "postal.locality"},
        {
            "name": "postal.administrativeAreaLevel1",
            "description": "Postal address: top-level division of the country",
        },
        {"name": "delivery.admin_area_level_1"},
    )
    got = suggest(samples["customer"], *fields)
    # then it is the state, on each side of the address
    area = got["postal.administrativeAreaLevel1"]
    assert area.source == "address.state", area
    delivered = got["delivery.admin_area_level_1"]
    assert delivered.source == "shipping.address.state", delivered


def test_a_tip_a_fee_or_cash_handed_over_is_not_the_amount(samples):
    # given a payment with its amount and, beside it, a tip, a fee and the
    # cash the payer handed over before change
    fields = (
        {"name": "total.value", "type": "int", "description": "Amount paid"},
        {"name": "gratuity.value", "type": "int", "description": "Tip added"},
        {"name": "processor_fee_total", "type": "decimal"},
        {"name": "cash.tenderedValue", "type": "int", "description": "Cash given"},
    )
    got = suggest(samples["charge"], *fields)
    # then only the amount has a source
    assert got["total.value"].source == "amount", got["total.value"]
    for name in ("gratuity.value", "processor_fee_total", "cash.tenderedValue"):
        assert got[name].abstained and not got[name].source, got[name]


def test_a_date_set_for_later_or_kept_offline_is_not_the_created_date(samples):
    # given a document's date beside one it is planned for
    fields = (
        {"name": "created_at", "type": "datetime"},
        {"name": "send.plannedDate", "type": "date", "description": "Send on"},
    )
    got = suggest(samples["invoice"], *fields)
    # then only the first is Stripe's created date
    assert got["created_at"].source == "created", got["created_at"]
    planned = got["send.plannedDate"]
    assert planned.abstained and not planned.source, planned
    # and a payment's time as a device kept it offline is left too
    field = {"name": "offline_capture.device_time", "type": "datetime"}
    got = suggest(samples["charge"], field)["offline_capture.device_time"]
    assert got.abstained and not got.source, got


def test_an_id_tying_the_document_to_another_system_is_the_stripe_id(samples):
    # given a document's only reference, described as the user's id tying it
    # to a record in another system
    field = {
        "name": "linkRef",
        "description": "An ID the caller sets to associate this sale with its "
        "record in another system",
    }
    got = suggest(samples["invoice"], field)["linkRef"]
    # then it is Stripe's id, not the document's number
    assert got.source == "id", got


def test_the_id_of_where_the_money_comes_from_or_goes_is_left(samples):
    # given a payment's id of its source of funds, beside its own id
    fields = (
        {"name": "id", "description": "The payment's unique ID"},
        {"name": "funding_id", "description": "ID of the source of funds (a token)"},
    )
    got = suggest(samples["charge"], *fields)
    # then only the payment's own id is Stripe's
    assert got["id"].source == "id", got["id"]
    funding = got["funding_id"]
    assert funding.abstained and not funding.source, funding
    # and a refund's id of where the funds go back to is left too
    field = {"name": "target_id", "description": "The ID of where funds are sent"}
    got = suggest(samples["refund"], field)["target_id"]
    assert got.abstained and not got.source, got


def test_a_name_identifying_the_sale_or_its_origin_is_not_the_buyers(samples):
    # given a sale's short label and a name of the channel it came in through
    fields = (
        {"name": "tab_name", "description": "A label to identify this sale at a till"},
        {
            "name": "channel.name",
            "description": "The name that identifies the channel the sale came from",
        },
    )
    for field in fields:
        got = suggest(samples["invoice"], field)[field["name"]]
        # then neither is the customer's name
        assert got.abstained and not got.source, got
    # while the buyer's name is
    field = {"name": "buyer.name", "description": "Name of the buyer"}
    got = suggest(samples["invoice"], field)["buyer.name"]
    assert got.source == "customer_name", got


def test_an_id_tying_a_refund_to_its_originating_source_is_its_own(samples):
    # given a refund's id the caller sets to tie it to where it came from
    field = {
        "name": "origin.source_key",
        "type": "string",
        "description": "An ID to associate this refund with its originating source",
    }
    got = suggest(samples["refund"], field)["origin.source_key"]
    # then it is the refund's own Stripe id, not the charge it refunds
    assert got.source == "id", got


def test_a_field_only_for_a_refund_tied_to_no_payment_is_left(samples):
    # given a refund's customer key asked only of a standalone refund
    field = {
        "name": "client_ref_id",
        "description": "Key of the client the refund is for; only valid for "
        "standalone refunds",
    }
    got = suggest(samples["refund"], field)["client_ref_id"]
    # then it is left: every Stripe refund refunds a payment
    assert got.abstained and not got.source, got
