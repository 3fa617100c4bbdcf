"""Suggester rules added on v29's former held-out part: each a class of misses.

The fields are made up in the shape the misses had (an address's country
area, ...), not copied from one vendor.
"""

from tests.mapping.suggesting import lookup, suggest


def test_a_countrys_area_is_the_state_not_the_country(samples):
    # given an address nested under its side, its country beside the area
    # of the country it lies in (the state or province)
    fields = (
        {"name": "mainAddress.country", "description": "Country code"},
        {"name": "mainAddress.country_area", "description": "Region of the country"},
        {"name": "deliverTo.countryArea"},
    )
    got = suggest(samples["customer"], *fields)
    # then the country is the country and each area is its side's state
    assert got["mainAddress.country"].source == "address.country"
    area = got["mainAddress.country_area"]
    assert area.source == "address.state", area
    shipped = got["deliverTo.countryArea"]
    assert shipped.source == "shipping.address.state", shipped


def test_a_bare_key_described_as_an_order_is_the_invoice_paid_or_credited(samples):
    # given a call's bare key described as the order it acts on, on a
    # payment and on a credit note
    field = {"name": "id", "description": "Identifier of the sales order to settle."}
    paid = suggest(samples["charge"], field)["id"]
    credited = suggest(samples["credit_note"], {**field, "name": "uid"})["uid"]
    # then it is the invoice, looked up: Stripe keeps the order as an invoice
    assert paid.source == "invoice", paid
    assert lookup(paid) == "invoice", paid
    assert credited.source == "invoice", credited
    assert lookup(credited) == "invoice", credited


def test_a_bare_key_described_as_a_transaction_is_the_charge_refunded(samples):
    # given a refund reported on a payment transaction by its bare key
    field = {"name": "id", "description": "Id of the payment transaction to report on"}
    got = suggest(samples["refund"], field)["id"]
    # then it is the charge the refund gives back, looked up
    assert got.source == "charge", got
    assert lookup(got) == "charge", got


def test_a_payment_methods_card_details_are_the_charges_card(samples):
    # given a payment's method details nested with the card's brand and last
    # digits, as a GraphQL input nests them
    fields = (
        {"name": "payment.methodDetails.card.brand", "description": "Card brand"},
        {"name": "payment.methodDetails.card.lastDigits", "description": "Last digits"},
    )
    got = suggest(samples["charge"], *fields)
    # then each is the charge's card detail, not a setting of the integration
    brand = got["payment.methodDetails.card.brand"]
    assert brand.source == "payment_method_details.card.brand", brand
    digits = got["payment.methodDetails.card.lastDigits"]
    assert digits.source == "payment_method_details.card.last4", digits


def test_an_enumerations_value_in_a_description_does_not_make_a_kind(samples):
    # given a refund's amount whose description lists, in capitals, the kinds
    # of event it is required for, one of them an adjustment
    field = {
        "name": "eventAmount",
        "type": "decimal",
        "description": "Amount reported; needed for PAYMENT and ADJUSTMENT events.",
    }
    got = suggest(samples["refund"], field)["eventAmount"]
    # then it is the refund's amount, not a bookkeeping adjustment
    assert got.source == "amount", got
    assert [step["name"] for step in got.transforms] == ["minor_to_decimal"], got


def test_money_authorised_or_cancelled_is_not_the_amount_charged(samples):
    # given a payment's money kept per state, each state's amount and
    # currency nested under it, the charged one beside those held or released
    fields = (
        {"name": "payment.chargedMoney.value", "type": "decimal"},
        {"name": "payment.chargedMoney.currency"},
        {"name": "payment.authorisedMoney.value", "type": "decimal"},
        {"name": "payment.authorisedMoney.currency"},
        {"name": "payment.cancelled_amount", "type": "decimal"},
    )
    got = suggest(samples["charge"], *fields)
    # then only the charged money is the charge's amount and currency
    assert got["payment.chargedMoney.value"].source == "amount"
    assert got["payment.chargedMoney.currency"].source == "currency"
    for name in (
        "payment.authorisedMoney.value",
        "payment.authorisedMoney.currency",
        "payment.cancelled_amount",
    ):
        assert not got[name].source, got[name]


def test_a_link_users_are_sent_to_is_a_setting_not_the_documents_page(samples):
    # given an invoice's link where the shop sends its users back after they
    # pay, by its name and by its description, beside the document's own link
    fields = (
        {"name": "checkout.return_url", "description": "Page shown after paying"},
        {"name": "viewLink", "description": "Link users are redirected to"},
        {"name": "documentUrl", "description": "Link to view the invoice online"},
    )
    got = suggest(samples["invoice"], *fields)
    # then neither is the hosted invoice page, which the document's link is
    assert not got["checkout.return_url"].source, got["checkout.return_url"]
    assert not got["viewLink"].source, got["viewLink"]
    assert got["documentUrl"].source == "hosted_invoice_url", got["documentUrl"]


def test_a_shipping_charges_money_parts_are_not_the_documents_totals(samples):
    # given an invoice's freight charge kept as a money object, its gross and
    # net parts nested under it, beside the document's own total
    fields = (
        {"name": "freightCost.gross", "type": "decimal"},
        {"name": "freightCost.net", "type": "decimal"},
        {"name": "grandTotal", "type": "decimal"},
    )
    got = suggest(samples["invoice"], *fields)
    # then the freight's parts have no source: Stripe books it as a line
    assert not got["freightCost.gross"].source, got["freightCost.gross"]
    assert not got["freightCost.net"].source, got["freightCost.net"]
    assert got["grandTotal"].source == "total", got["grandTotal"]


def test_a_nested_records_key_described_as_the_customers_is_the_customer(samples):
    # given an invoice's party nested under the platform's own word for it
    # (a member), its key and external key each described as the client's
    fields = (
        {"name": "sale.member.id", "description": "Client ID linked to the sale."},
        {
            "name": "sale.member.externalRef",
            "description": "Client external ID associated with the sale.",
        },
    )
    got = suggest(samples["invoice"], *fields)
    # then the key is the customer looked up, the external key Stripe's own
    key = got["sale.member.id"]
    assert key.source == "customer", key
    assert lookup(key) == "customer", key
    external = got["sale.member.externalRef"]
    assert external.source == "customer", external
    assert not external.transforms, external


def test_a_reason_offered_no_values_is_the_credit_notes_free_text(samples):
    # given a credit note's reason, nested in an input envelope, that lists
    # no values to choose from, and one that lists them
    free = {"name": "payload.reason", "description": "Why the credit was granted."}
    coded = {
        "name": "reason",
        "description": "Why the credit was granted",
        "choices": ["duplicate", "fraudulent", "order_change", "other"],
    }
    got = suggest(samples["credit_note"], free)["payload.reason"]
    kinds = suggest(samples["credit_note"], coded)["reason"]
    # then the free one is the credit note's memo, the coded one Stripe's reason
    assert got.source == "memo", got
    assert kinds.source == "reason", kinds


def test_a_note_by_or_about_the_customer_is_not_the_documents_note(samples):
    # given an invoice's one note, left by the buyer when ordering, or kept
    # about the client, or printed for the customer
    left = {"name": "buyerComment", "description": "Comment left by the buyer"}
    about = {"name": "clientRemark", "description": "Remarks about the client."}
    printed = {"name": "memo_to_customer", "description": "Note printed on it"}
    # then only the printed note is the invoice's description
    got = suggest(samples["invoice"], left)["buyerComment"]
    assert not got.source, got
    got = suggest(samples["invoice"], about)["clientRemark"]
    assert not got.source, got
    got = suggest(samples["invoice"], printed)["memo_to_customer"]
    assert got.source == "description", got


def test_a_payments_own_message_is_its_note(samples):
    # given a payment's message nested under the payment, beside its failure
    # message
    fields = (
        {"name": "payment.message", "description": "Message of the payment."},
        {"name": "payment.failureMessage", "description": "Why the payment failed"},
    )
    got = suggest(samples["charge"], *fields)
    # then the message is the charge's description, the failure's is not
    assert got["payment.message"].source == "description", got["payment.message"]
    failure = got["payment.failureMessage"]
    assert failure.source != "description", failure


def test_a_word_several_allowed_values_share_maps_onto_none_of_them(samples):
    # given a refund's event kind whose allowed values each join an action to
    # the same outcome word
    field = {
        "name": "eventKind",
        "choices": ["SALE_COMPLETED", "HOLD_COMPLETED", "VOID_COMPLETED", "NOTICE"],
    }
    got = suggest(samples["refund"], field)["eventKind"]
    # then Stripe's status is mapped onto none of them: it says no action
    assert got.source != "status", got


def test_a_reference_described_as_another_records_key_is_not_the_documents(samples):
    # given a credit note's reference described as the key of a record of the
    # platform's own (a topic), with no other field for the number
    field = {"name": "payload.topicRef", "description": "ID of a Topic (Model)."}
    got = suggest(samples["credit_note"], field)["payload.topicRef"]
    # then it takes neither the credit note's number nor its Stripe id
    assert not got.source, got


def test_a_key_kept_with_a_note_is_neither_the_note_nor_the_documents_id(samples):
    # given, in a list of remarks on an invoice, the key of the platform user
    # who wrote one, described after the list's heading
    field = {
        "name": "remarks.0.writerExternalReference",
        "description": "Remarks on the sale: the user external ID of the writer.",
    }
    got = suggest(samples["invoice"], field)["remarks.0.writerExternalReference"]
    # then it takes neither the invoice's note nor its Stripe id
    assert not got.source, got
