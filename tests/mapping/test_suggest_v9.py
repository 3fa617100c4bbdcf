"""Suggester rules added on v10's and v11's former held-out parts: each a class
of misses.

The fields are made up in the shape the misses had (a party's country, a
billing block, printed headings and notes, customer and purchase
references, lists typed array), not copied from one vendor.
"""

from mapping.schemas import LINES
from mapping.suggest import field_specs_from_dicts
from tests.mapping.suggesting import suggest


def test_a_partys_country_is_no_country_name(samples):
    got = suggest(samples["invoice"], {"name": "contactCountry"})
    assert got["contactCountry"].source == "customer_address.country"
    assert got["contactCountry"].transforms == []


def test_a_country_described_as_iso_alpha_2_is_copied(samples):
    got = suggest(
        samples["customer"],
        {"name": "CountryName", "description": "Country as ISO 3166-1 alpha-2"},
    )
    assert got["CountryName"].source == "address.country"
    assert got["CountryName"].transforms == []


def test_a_billing_block_repeats_the_customers_name_and_phone(samples):
    got = suggest(
        samples["customer"],
        {"name": "name", "description": "Display name"},
        {"name": "phone"},
        {"name": "bill_to.name", "description": "Name on the billing address"},
        {"name": "bill_to.phone"},
        {"name": "bill_to.city"},
    )
    assert got["name"].source == "name"
    assert got["bill_to.name"].source == "name"
    assert got["phone"].source == "phone"
    assert got["bill_to.phone"].source == "phone"


def test_a_caption_that_only_guesses_leaves_the_description_to_the_remarks(samples):
    got = suggest(
        samples["invoice"],
        {"name": "caption", "description": "Caption printed on the document"},
        {"name": "remarks", "description": "Remarks"},
    )
    assert got["remarks"].source == "description"
    assert got["caption"].source != "description"


def test_a_note_beside_a_field_named_description_takes_the_footer(samples):
    got = suggest(
        samples["invoice"],
        {"name": "description", "description": "Short summary of the document"},
        {"name": "comments", "description": "Further comments"},
    )
    assert got["description"].source == "description"
    assert got["comments"].source == "footer"


def test_a_customers_account_reference_is_its_erp_code(samples):
    got = suggest(
        samples["customer"],
        {
            "name": "accountReference",
            "description": "Your own identifier for the account",
        },
    )
    assert got["accountReference"].source == "metadata.erp_customer_code"


def test_a_customers_plain_reference_is_its_erp_code(samples):
    got = suggest(samples["customer"], {"name": "ref", "description": "Reference"})
    assert got["ref"].source == "metadata.erp_customer_code"
    # Described as the API user's own key, it stays the Stripe id.
    own = suggest(
        samples["customer"],
        {"name": "ref", "description": "Your own reference for the record"},
    )
    assert own["ref"].source == "id"


def test_a_purchase_reference_on_an_invoice_is_the_buyers(samples):
    got = suggest(
        samples["invoice"], {"name": "purchaseRef", "description": "Purchase ref"}
    )
    assert got["purchaseRef"].source == ""
    assert "buyer" in got["purchaseRef"].reason


def test_a_list_of_tax_codes_is_a_setting(samples):
    got = suggest(
        samples["invoice"],
        {"name": "taxCodes", "type": "array", "description": "Codes to apply"},
    )
    assert got["taxCodes"].source == ""


def test_a_list_of_lines_named_for_what_it_sells_is_the_lines(samples):
    specs = field_specs_from_dicts(
        [
            {"name": "product_lines", "type": "array"},
            {"name": "task_lines", "type": "array"},
        ]
    )
    assert [s.type for s in specs] == [LINES, "array"]
    got = suggest(
        samples["invoice"],
        {"name": "article_lines", "type": "array", "description": "Sold articles"},
    )
    assert got["article_lines"].source == "lines.data"


def test_a_payments_number_is_not_its_receipt_number(samples):
    got = suggest(
        samples["charge"],
        {"name": "payment_no", "description": "Number of the payment"},
    )
    assert got["payment_no"].source != "receipt_number"


def test_the_email_sending_a_document_is_a_setting(samples):
    got = suggest(
        samples["invoice"],
        {"name": "mailSubject", "description": "Subject line of the e-mail"},
        {"name": "mailText", "description": "Message body"},
        {"name": "from_name", "description": "Name of the sender"},
        {"name": "recipient_email", "description": "E-mail address to send to"},
    )
    assert got["mailSubject"].source == ""
    assert got["mailText"].source == ""
    assert got["from_name"].source == ""
    assert got["recipient_email"].source == "customer_email"


def test_money_paid_out_beside_money_received_stays_empty(samples):
    fields = (
        {"name": "amount_in", "type": "decimal", "description": "Money received"},
        {"name": "amount_out", "type": "decimal", "description": "Money spent"},
    )
    got = suggest(samples["payout"], *fields)
    assert got["amount_in"].source == "amount"
    assert got["amount_out"].source == ""
    # Alone, an amount out is left to the other rules.
    alone = suggest(samples["payout"], fields[1])
    assert alone["amount_out"].source == "amount"


def test_a_voucher_number_on_a_payment_is_the_erps_series(samples):
    got = suggest(
        samples["payout"],
        {"name": "entryRef", "description": "Voucher number of the entry"},
        {"name": "voucherDate", "type": "date"},
    )
    assert got["entryRef"].source == ""
    assert got["voucherDate"].source in ("created", "arrival_date")
    # Another system's voucher number is the integration's key: the Stripe id.
    external = suggest(
        samples["charge"],
        {"name": "ext_voucher_no", "description": "External voucher number"},
    )
    assert external["ext_voucher_no"].source == "id"


def test_a_snake_case_status_is_no_stripe_id(samples):
    # A payout's status "in_transit" has the shape of an invoice id "in_...".
    payouts = [{**payout, "status": "in_transit"} for payout in samples["payout"]]
    got = suggest(payouts, {"name": "invoiceNo", "description": "Invoice number"})
    assert got["invoiceNo"].source != "status"


def test_a_list_of_tax_per_rate_is_not_the_lines(samples):
    got = suggest(
        samples["invoice"],
        {"name": "vatLines", "type": "lines", "description": "Tax per rate"},
        {"name": "salesLinesExclTax", "type": "lines"},
    )
    assert got["vatLines"].source != "lines.data"
    assert got["salesLinesExclTax"].source == "lines.data"
