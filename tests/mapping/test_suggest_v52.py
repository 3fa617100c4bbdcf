"""Suggester rules added on v54's former held-out part: each a class of misses.

The fields are made up in the shape the misses had (money given as an
object whose number is counted in the currency's smallest unit), not copied
from one vendor.
"""

from tests.mapping.suggesting import assert_no_source, suggest


def test_a_money_objects_number_in_minor_units_is_the_money_it_belongs_to(samples):
    # given an order's total and a payment's settled sum, each an object whose
    # number is counted in the smallest indivisible unit of its currency, the
    # order's described beside the tax rates it was worked out with
    minor = (
        " — Sum in the smallest indivisible unit of a currency, such as cents"
        " for USD (5 USD is given as 500)."
    )
    order = {
        "name": "grandTotal.valueInCents",
        "type": "int",
        "description": "Total of the order, worked out from the tax rates set." + minor,
    }
    payment = {
        "name": "amountReceived.cents",
        "type": "int",
        "description": "Money the payment received." + minor,
    }
    # when suggested
    on_invoice = suggest(samples["invoice"], order, threshold=None)
    on_charge = suggest(samples["charge"], payment, threshold=None)
    # then each number is the money its object names, copied as Stripe counts it
    assert on_invoice["grandTotal.valueInCents"].source == "total"
    assert on_invoice["grandTotal.valueInCents"].transforms == []
    assert on_charge["amountReceived.cents"].source == "amount"
    assert on_charge["amountReceived.cents"].transforms == []


def test_a_key_described_as_the_payment_services_is_the_stripe_id(samples):
    # given a payment's and a refund's keys named by what they are to the
    # ERP, each described as the identifier the payment service gave it
    payment = {
        "name": "handlerId",
        "type": "string",
        "description": "Identifier given by the payment provider that handles"
        " the payment.",
    }
    refund = {
        "name": "steps.0.correlationId",
        "type": "string",
        "description": "Steps of the refund. (first step) — Identifier used by"
        " the payment service that manages the step.",
    }
    # when suggested
    on_charge = suggest(samples["charge"], payment, threshold=None)
    on_refund = suggest(samples["refund"], refund, threshold=None)
    # then each is the object's own Stripe id: Stripe is that payment service
    assert on_charge["handlerId"].source == "id"
    assert on_refund["steps.0.correlationId"].source == "id"


def test_a_text_named_as_something_done_to_a_thing_is_whether_it_was(samples):
    # given an invoice's description beside texts named by something done
    # to the document, its texts (printed, sent, posted)
    fields = (
        {
            "name": "Bills.0.BillDescription",
            "type": "string",
            "description": '"Bill Description" (the label)',
        },
        {
            "name": "Bills.0.TextPrinted",
            "type": "string",
            "description": '"Text Printed" (the label)',
        },
        {
            "name": "Bills.0.NoteSent",
            "type": "string",
            "description": '"Note Sent" (the label)',
        },
        {
            "name": "Bills.0.MemoPosted",
            "type": "flag",
            "description": '"Memo Posted" (the label)',
        },
    )
    # when suggested
    got = suggest(samples["invoice"], *fields, threshold=None)
    # then the description is the invoice's, and the others, whether a thing
    # was done, have none
    assert got["Bills.0.BillDescription"].source == "description"
    assert_no_source(got["Bills.0.TextPrinted"])
    assert_no_source(got["Bills.0.NoteSent"])
    assert_no_source(got["Bills.0.MemoPosted"])


def test_an_amount_received_in_a_list_of_receipts_and_adjustments_is_paid(samples):
    # given a payment's entries, each a receipt or an adjustment, the sum
    # received and the sum adjusted
    fields = (
        {
            "name": "PaymentsAdjustments.0.PaymentAmount",
            "type": "decimal",
            "description": "Payment amount; PaymentsAdjustment.PaymentAmount",
        },
        {
            "name": "PaymentsAdjustments.0.AdjustmentTotal",
            "type": "decimal",
            "description": "Adjustment total; PaymentsAdjustment.AdjustmentTotal",
        },
    )
    # when suggested
    got = suggest(samples["charge"], *fields, threshold=None)
    # then the sum received is the charge's amount, what the list is also
    # named after does not make it an adjustment; the adjustment has none
    assert got["PaymentsAdjustments.0.PaymentAmount"].source == "amount"
    assert_no_source(got["PaymentsAdjustments.0.AdjustmentTotal"])


def test_a_state_beside_a_region_keeps_the_state_on_a_second_address(samples):
    # given a customer's second address, the shipping one, with its city, a
    # state and a region named alike
    fields = tuple(
        {
            "name": f"contactAddresses.1.{part}",
            "type": "string",
            "description": "Addresses of the customer. (item 1: the shipping"
            f" address) — Name of the {part}.",
        }
        for part in ("city", "region", "state")
    )
    # when suggested
    got = suggest(samples["customer"], *fields, threshold=None)
    # then the state field has the shipping state, the region none
    assert got["contactAddresses.1.state"].source == "shipping.address.state"
    assert_no_source(got["contactAddresses.1.region"])


def test_a_lines_cost_is_not_its_price(samples):
    # given an invoice's first line with its cost named before its price
    fields = (
        {
            "name": "Docs.0.Rows.0.Cost",
            "type": "decimal",
            "description": '"Costs" (the label); Row.Cost',
        },
        {
            "name": "Docs.0.Rows.0.Price",
            "type": "decimal",
            "description": "Price; Row.Price",
        },
    )
    # when suggested
    got = suggest(samples["invoice"], *fields, threshold=None)
    # then the price is the first line's amount; the cost, what the goods
    # cost the seller, has none
    assert got["Docs.0.Rows.0.Price"].source == "lines.data.0.amount"
    assert_no_source(got["Docs.0.Rows.0.Cost"])


def test_the_payment_service_beside_the_method_is_not_the_method(samples):
    # given a charge's method block, described as the service that took the
    # payment and the method used, with the service and the method in it
    block = "About the payment service (a PSP) and the payment method used."
    fields = (
        {
            "name": "paymentMethodData.paymentService",
            "type": "string",
            "description": block + " — Payment service that handles the payment,"
            " for example a PSP.",
        },
        {
            "name": "paymentMethodData.method",
            "type": "string",
            "description": block + " — Payment method to use, for example a card"
            " or a bank debit.",
        },
    )
    # when suggested
    got = suggest(samples["charge"], *fields, threshold=None)
    # then the method is the charge's type, mapped; the service, Stripe
    # itself, is none of the charge's fields
    assert got["paymentMethodData.method"].source == "payment_method_details.type"
    assert_no_source(got["paymentMethodData.paymentService"])


def test_a_user_defined_key_of_a_referenced_record_is_not_stripes(samples):
    # given a payment naming its payer and its status record each by a key
    # the user chose
    fields = (
        {
            "name": "payer.key",
            "type": "string",
            "description": "The payer. — User-defined identifier of the payer"
            " record, used when its id is not given.",
        },
        {
            "name": "status.record.key",
            "type": "string",
            "description": "Status. — User defined key of the status record.",
        },
    )
    # when suggested
    got = suggest(samples["charge"], *fields, threshold=None)
    # then neither has a source: Stripe holds no key a user chose in the ERP
    assert_no_source(got["payer.key"])
    assert_no_source(got["status.record.key"])


def test_a_check_or_receipt_number_is_the_payments_reference(samples):
    # given a payment entry's number, a check's or the receipt's
    field = {
        "name": "Entries.0.ChequeReceiptNo",
        "type": "string",
        "description": "Cheque/receipt number; Entry.ChequeReceiptNo",
    }
    # when suggested
    got = suggest(samples["charge"], field, threshold=None)
    # then it is the payment's reference: the charge's Stripe id
    assert got["Entries.0.ChequeReceiptNo"].source == "id"


def test_a_text_named_the_payer_is_the_name_billed(samples):
    # given a payment entry's payer, named so alone, beside its customer key
    fields = (
        {"name": "Entries.0.Remitter", "type": "string", "description": '"Remitter"'},
        {"name": "Entries.0.ClientCode", "type": "string", "description": "Client"},
    )
    # when suggested
    got = suggest(samples["charge"], *fields, threshold=None)
    # then the payer is the name the charge was billed to
    assert got["Entries.0.Remitter"].source == "billing_details.name"


def test_a_count_or_a_serial_number_of_the_erps_entries_is_no_amount(samples):
    # given a refund batch's numbers, typed decimal: how many entries it
    # holds, and the serial numbers of the batch, an entry and a row
    fields = (
        {"name": "NumberOfWarnings", "type": "decimal", "description": "Warnings"},
        {"name": "Items.0.BatchNo", "type": "decimal", "description": "Batch no."},
        {"name": "Items.0.RowNumber", "type": "decimal", "description": "Row"},
        {"name": "Items.0.SequenceNum", "type": "int", "description": "Sequence"},
    )
    # when suggested
    got = suggest(samples["refund"], *fields, threshold=None)
    # then none is the refund's amount
    for name in (
        "NumberOfWarnings",
        "Items.0.BatchNo",
        "Items.0.RowNumber",
        "Items.0.SequenceNum",
    ):
        assert_no_source(got[name])
