"""Suggester rules added on v22's former held-out part: each a class of misses.

The fields are made up in the shape the misses had (a record that is a
customer's delivery address, ...), not copied from one vendor.
"""

from tests.mapping.suggesting import suggest


def test_a_delivery_address_records_bare_fields_are_the_shipping_side(samples):
    # given a record described, field by field, as a customer's delivery address
    fields = (
        {"name": "owner", "description": "Customer the shipping address is for"},
        {"name": "recipient", "description": "Recipient's name"},
        {"name": "name", "description": "Name of the recipient"},
        {"name": "street", "description": "Street and number"},
        {"name": "postcode", "description": "Postal code"},
        {"name": "city", "description": "City"},
        {"name": "country", "description": "ISO country code"},
        {"name": "floor", "description": "Floor at the shipping address"},
    )
    got = suggest(samples["customer"], *fields)
    # then its bare address parts and name are the shipping side's
    assert got["street"].source == "shipping.address.line1", got["street"]
    assert got["postcode"].source == "shipping.address.postal_code", got["postcode"]
    assert got["city"].source == "shipping.address.city", got["city"]
    assert got["country"].source == "shipping.address.country", got["country"]
    assert got["name"].source == "shipping.name", got["name"]
    # A location that may be a bill-to address too stays the customer's own.
    either = suggest(
        samples["customer"],
        *fields,
        {"name": "is_billing", "description": "Whether it is the billing address"},
    )
    assert either["city"].source == "address.city", either["city"]


def test_a_key_nested_in_another_records_object_is_not_the_own_id(samples):
    # given an invoice referencing ERP records by objects holding their key
    got = suggest(
        samples["invoice"],
        {"name": "number", "type": "string"},
        {"name": "deliveryNote.id", "description": "ID of the delivery note"},
        {"name": "campaign.id", "description": "Campaign"},
    )
    # then neither key is the invoice's own Stripe id
    for name in ("deliveryNote.id", "campaign.id"):
        assert got[name].source != "id", got[name]
    # The object's own kind nested the same way is still its own key.
    own = suggest(samples["invoice"], {"name": "invoice.id"})
    assert own["invoice.id"].source == "id", own["invoice.id"]


def test_lines_of_a_charge_beside_the_goods_are_not_stripes_lines(samples):
    # given an order with its goods, freight and fee lines in lists of their own
    got = suggest(
        samples["invoice"],
        {"name": "order_items", "type": "lines"},
        {"name": "freight_lines", "type": "lines"},
        {"name": "fee_items", "type": "lines"},
    )
    # then only the goods take Stripe's lines
    assert got["order_items"].source == "lines.data", got["order_items"]
    for name in ("freight_lines", "fee_items"):
        assert got[name].source == "", got[name]
    # A list named for the charge alone (fees) is the document's lines.
    fees = suggest(samples["invoice"], {"name": "fees", "type": "lines"})
    assert fees["fees"].source == "lines.data", fees["fees"]


def test_a_key_nested_in_a_records_object_that_is_no_party_is_not_the_customer(
    samples,
):
    # given an invoice with keys of records described by the customer
    for name, description in (
        ("project.id", "ID of the main project the customer belongs to"),
        ("financials.paymentMethod.id", "ID of the customer's default payment method"),
    ):
        got = suggest(
            samples["invoice"],
            {"name": "number"},
            {"name": name, "description": description},
        )
        # then the key is not the customer
        assert got[name].source == "", got[name]
    # The party's own key nested the same way is the customer.
    party = suggest(
        samples["invoice"],
        {"name": "client.id", "description": "The client the invoice is for"},
    )
    assert party["client.id"].source == "customer", party["client.id"]


def test_a_tax_id_described_by_its_party_is_no_key_of_the_party(samples):
    # given an invoice whose VAT number is described as the business partner's
    got = suggest(
        samples["invoice"],
        {"name": "number"},
        {"name": "taxId", "description": "Tax ID of the business partner"},
    )
    # then it is the customer's tax id, not the customer
    assert got["taxId"].source == "customer_tax_ids.0.value", got["taxId"]


def test_a_payments_transaction_key_on_an_invoice_is_its_charge(samples):
    # given an order standing for the invoice, with its payment's transaction key
    got = suggest(
        samples["invoice"],
        {"name": "number"},
        {"name": "payment_txn_id", "description": "Transaction identifier"},
    )
    # then it is the invoice's charge
    assert got["payment_txn_id"].source == "charge", got["payment_txn_id"]


def test_a_documents_status_beside_a_payment_is_not_the_charges(samples):
    # given a payment marking an invoice paid, with the invoice's status
    got = suggest(
        samples["charge"],
        {"name": "amount", "type": "decimal"},
        {
            "name": "invoice_status",
            "description": "Status of the invoice",
            "choices": ["draft", "pending", "paid", "failed"],
        },
    )
    # then it has no source
    assert got["invoice_status"].source == "", got["invoice_status"]
