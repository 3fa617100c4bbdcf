"""Suggester rules added on v62's former held-out part: each a class of
misses.

The fields are made up in the shape the misses had (a currency named by its
name in the ERP, or described as the currency under a name field; a party's
mobile number named by the GSM network; a voucher's summary line named its
digest; a refund's reason as listed words, described by the payment it gives
back; a price and a paid price at the top of a payment or document;
the first item of a shopping basket, with the part of its price a
marketplace's seller gets; a party's key described as a customer/vendor
code, with notes after a semicolon; a voucher's code described as its
document number, and another's described as a corresponding document's;
numbered fields described as user-defined, the word for a field unsaid; the
name of the gateway a payment is routed through; the amount of a loyalty
bonus to spend; a tax withheld, on a document and on its first item; when
and where a payer registered with the shop), not copied from one vendor.
"""

from tests.mapping.suggesting import assert_no_source, lookup, suggest


def test_a_currency_named_by_its_name_is_the_erp_s_currency_record(samples):
    # given a document's currency by name, and a name field described as the
    # currency
    fields = (
        {"name": "curr_name", "type": "string", "description": "Currency"},
        {
            "name": "rateexch_name",
            "type": "string",
            "description": "货币 (currency); optional",
        },
    )
    # when suggested on an invoice
    got = suggest(samples["invoice"], *fields, threshold=None)
    # then both are the invoice's currency through the ERP's currency records:
    # Stripe keeps an ISO code, the ERP names its currency otherwise
    for target in ("curr_name", "rateexch_name"):
        assert got[target].source == "currency", got[target]
        assert lookup(got[target]) == "currency"


def test_a_gsm_number_is_the_party_s_phone(samples):
    # given a buyer's GSM (mobile) number, the only phone of the record
    fields = (
        {
            "name": "payer.gsmNo",
            "type": "string",
            "description": "the payer's mobile phone number",
        },
        {"name": "payer.name", "type": "string"},
    )
    # when suggested on a charge
    got = suggest(samples["charge"], *fields, threshold=None)
    # then it is the billing phone
    assert got["payer.gsmNo"].source == "billing_details.phone"


def test_a_gsm_number_beside_a_phone_yields_it(samples):
    # given a customer's phone and GSM number side by side
    fields = (
        {"name": "telephone", "type": "string"},
        {"name": "gsm", "type": "string"},
    )
    # when suggested on a customer
    got = suggest(samples["customer"], *fields, threshold=None)
    # then the phone takes Stripe's one phone, the GSM number none
    assert got["telephone"].source == "phone"
    assert not got["gsm"].source


def test_a_document_s_digest_is_its_free_text(samples):
    # given a voucher's summary line, named a digest as Chinese ERPs
    # translate it
    digest = {"name": "digest", "type": "string", "description": "摘要 (summary)"}
    # when suggested on a payment and on a refund
    paid = suggest(samples["charge"], digest, threshold=None)
    refunded = suggest(samples["refund"], digest, threshold=None)
    # then it is the payment's description and the refund's reason
    assert paid["digest"].source == "description"
    assert refunded["digest"].source == "reason"


def test_a_field_of_listed_words_is_no_record_s_key(samples):
    # given a refund's reason as one of listed words, described by the
    # payment it gives back
    field = {
        "name": "cause",
        "type": "string",
        "description": "why the sale is refunded",
        "choices": ["DUPLICATE", "REQUESTED", "FRAUD", "OTHER"],
    }
    # when suggested on a refund
    got = suggest(samples["refund"], field, threshold=None)
    # then it is not the charge refunded, by key
    assert got["cause"].source != "charge"
    assert not got["cause"].transforms or got["cause"].transforms[0]["name"] != "lookup"


def test_a_payment_s_or_document_s_own_price_is_its_amount_or_total(samples):
    # given a price and a paid price at the top of a request
    fields = (
        {"name": "price", "type": "decimal", "description": "the cart's price"},
        {"name": "paid_price", "type": "decimal", "description": "what is paid"},
    )
    # when suggested on a charge and on an invoice
    paid = suggest(samples["charge"], *fields, threshold=None)
    billed = suggest(samples["invoice"], fields[0], threshold=None)
    # then the payment's price is its amount, the invoice's its total
    assert paid["price"].source == "amount"
    assert paid["paid_price"].source == "amount"
    assert billed["price"].source == "total"


def test_a_basket_s_first_item_is_the_first_line(samples):
    # given the first item of a shopping cart: its key, price and name
    fields = (
        {"name": "cartItems.0.id", "type": "string", "description": "item id"},
        {"name": "cartItems.0.price", "type": "decimal"},
        {"name": "cartItems.0.name", "type": "string", "description": "item name"},
        {"name": "cartItems.0.sellerPrice", "type": "decimal"},
    )
    # when suggested on an invoice
    got = suggest(samples["invoice"], *fields, threshold=None)
    # then they are the first line's
    assert got["cartItems.0.id"].source == "lines.data.0.id"
    assert got["cartItems.0.price"].source == "lines.data.0.amount"
    assert got["cartItems.0.name"].source == "lines.data.0.description"
    # but the part of its price paid out to the seller is not the line's
    assert got["cartItems.0.sellerPrice"].source != "lines.data.0.amount"


def test_a_key_described_as_the_customer_s_or_vendor_s_code_is_the_customer(
    samples,
):
    # given a sales document's party by a code described as a customer's or
    # vendor's, with a gloss and notes after it
    field = {
        "name": "cust_vendor_no",
        "type": "string",
        "description": "往来单位编码 (customer/vendor code); string, required",
    }
    # when suggested on an invoice and on a charge
    billed = suggest(samples["invoice"], field, threshold=None)
    paid = suggest(samples["charge"], field, threshold=None)
    # then it is the customer, through the id map
    for got in (billed, paid):
        assert got["cust_vendor_no"].source == "customer"
        assert lookup(got["cust_vendor_no"]) == "customer"


def test_a_code_described_as_the_document_number_is_the_invoice_number(samples):
    # given a voucher's code described, under a label in its own script, as
    # the receivable document's number
    field = {
        "name": "code",
        "type": "string",
        "description": "单据号 (receivable document number); required",
    }
    # when suggested on an invoice
    got = suggest(samples["invoice"], field, threshold=None)
    # then it is the invoice's number, not a postal code
    assert got["code"].source == "number"


def test_a_corresponding_document_s_number_has_no_source(samples):
    # given a voucher's reference described as a corresponding document's
    # number, beside its own number
    fields = (
        {"name": "voucher_no", "type": "string", "description": "Document number"},
        {
            "name": "link_voucher_no",
            "type": "string",
            "description": "对应单据号 (corresponding document number)",
        },
    )
    # when suggested on an invoice
    got = suggest(samples["invoice"], *fields, threshold=None)
    # then only the own number is the invoice's
    assert got["voucher_no"].source == "number"
    assert not got["link_voucher_no"].source


def test_a_field_described_as_user_defined_has_no_source(samples):
    # given numbered fields described as user-defined with no word for a
    # field, one under a label in the vendor's own script
    fields = (
        {
            "name": "extra1",
            "type": "string",
            "description": "自定义项1 (user-defined 1)",
        },
        {"name": "extra2", "type": "string", "description": "user defined 2; optional"},
    )
    # when suggested on a charge
    got = suggest(samples["charge"], *fields, threshold=0.0)
    # then neither is an address line: the user fills them as it likes
    assert_no_source(got["extra1"])
    assert_no_source(got["extra2"])


def test_a_connector_s_or_gateway_s_name_is_no_party_s(samples):
    # given the name of the bank gateway a payment is routed through
    field = {
        "name": "gatewayName",
        "type": "string",
        "description": "the name of the bank gateway to send the payment through",
    }
    # when suggested on a charge
    got = suggest(samples["charge"], field, threshold=None)
    # then it has no source: the seller's set-up, not the payer
    assert not got["gatewayName"].source


def test_a_loyalty_reward_s_amount_has_no_source(samples):
    # given the amount of a loyalty bonus to spend on a payment
    field = {
        "name": "bonus.bonusAmount",
        "type": "decimal",
        "description": "the loyalty bonus amount to use",
    }
    # when suggested on a charge
    got = suggest(samples["charge"], field, threshold=0.0)
    # then it is not the payment's amount: Stripe keeps no loyalty scheme
    assert_no_source(got["bonus.bonusAmount"])


def test_a_tax_withheld_has_no_source(samples):
    # given the tax a payer withholds, on a document and on its first item
    fields = (
        {"name": "withheld_tax", "type": "decimal", "description": "tax withheld"},
        {"name": "items.0.withholdingVat", "type": "decimal"},
    )
    # when suggested on an invoice
    got = suggest(samples["invoice"], *fields, threshold=0.0)
    # then neither is the invoice's tax: Stripe keeps no tax withheld
    assert_no_source(got["withheld_tax"])
    assert_no_source(got["items.0.withholdingVat"])


def test_when_or_where_a_party_registered_is_no_tax_id(samples):
    # given when and where the payer signed up with the shop, as text
    fields = (
        {
            "name": "payer.registrationTime",
            "type": "string",
            "description": "when the payer signed up at the shop, 'yyyy-MM-dd HH:mm'",
        },
        {"name": "payer.registrationAddress", "type": "string"},
    )
    # when suggested on an invoice
    got = suggest(samples["invoice"], *fields, threshold=0.0)
    # then neither is a tax registration number
    for target in ("payer.registrationTime", "payer.registrationAddress"):
        assert got[target].source != "customer_tax_ids.0.value"
