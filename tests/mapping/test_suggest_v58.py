"""Suggester rules added on v60's former held-out part: each a class of
misses.

The fields are made up in the shape the misses had (a web shop's order in
snake_case, each address part named after the role it plays, a payment or
a shipping address, and the state called the country's zone; a party's
company beside its person's first and last names), not copied from one
vendor.
"""

from tests.mapping.suggesting import assert_no_source, suggest


def test_a_zone_of_an_address_is_its_state(samples):
    # given the billing and the delivery address's zones beside their keys
    fields = (
        {"name": "billing_zone", "type": "string"},
        {"name": "billing_zone_id", "type": "int"},
        {"name": "delivery_zone", "type": "string"},
    )
    # when suggested on an invoice
    got = suggest(samples["invoice"], *fields, threshold=None)
    # then each zone is its address's state, the zone's key none
    assert got["billing_zone"].source == "customer_address.state"
    assert got["delivery_zone"].source == "customer_shipping.address.state"
    assert_no_source(got["billing_zone_id"])


def test_the_billed_persons_name_parts_repeat_the_customers(samples):
    # given the customer's first and last names and the billing address's
    fields = (
        {"name": "firstname", "type": "string"},
        {"name": "lastname", "type": "string"},
        {"name": "billing_firstname", "type": "string"},
        {"name": "billing_lastname", "type": "string"},
    )
    # when suggested on an invoice
    got = suggest(samples["invoice"], *fields, threshold=None)
    # then each pair of parts is split from the customer's one name
    for target in fields:
        assert got[target["name"]].source == "customer_name"


def test_a_company_on_an_address_named_for_a_person_has_no_source(samples):
    # given the delivery address's person, split in two, and its company
    fields = (
        {"name": "delivery_firstname", "type": "string"},
        {"name": "delivery_lastname", "type": "string"},
        {"name": "delivery_company", "type": "string"},
    )
    # when suggested on an invoice
    got = suggest(samples["invoice"], *fields, threshold=None)
    # then the person takes the shipping name, the company none
    assert got["delivery_firstname"].source == "customer_shipping.name"
    assert_no_source(got["delivery_company"])


def test_a_row_or_table_of_the_erps_books_has_no_source(samples):
    # given references to where a document came from in the ERP: its table
    # and its row
    fields = (
        {"name": "header.ref_table", "type": "string"},
        {"name": "header.ref_row", "type": "string"},
    )
    # when suggested on an invoice
    got = suggest(samples["invoice"], *fields, threshold=None)
    # then neither is the invoice's Stripe id nor its number
    assert_no_source(got["header.ref_table"])
    assert_no_source(got["header.ref_row"])


def test_an_external_reference_named_as_the_erps_own_field_is_the_id(samples):
    # given an external reference whose description names the ERP the field
    # is part of, not a system that keeps the key
    fields = (
        {
            "name": "ExternalRef",
            "type": "string",
            "description": "the provider's transaction id, to skip rows already"
            " imported (ExternalRef, a field in Ledgerly)",
        },
    )
    # when suggested on a balance transaction
    got = suggest(samples["balance_transaction"], *fields, threshold=None)
    # then it is the Stripe id
    assert got["ExternalRef"].source == "id"


def test_an_exchange_currency_described_as_the_transactions_is_its_currency(
    samples,
):
    # given a row's currency named for the exchange but described as the
    # transaction's own
    fields = (
        {
            "name": "ExchangeCurrencyCode",
            "type": "string",
            "description": "currency of the row's account: the transaction currency",
        },
    )
    # when suggested on a balance transaction
    got = suggest(samples["balance_transaction"], *fields, threshold=None)
    # then it is the Stripe currency
    assert got["ExchangeCurrencyCode"].source == "currency"


def test_an_amount_in_the_books_own_currency_has_no_source(samples):
    # given a row's amount described as in the books' basic currency
    fields = (
        {
            "name": "Value",
            "type": "decimal",
            "description": "value of the row in the ledger's basic currency",
        },
    )
    # when suggested on a balance transaction
    got = suggest(samples["balance_transaction"], *fields, threshold=None)
    # then no Stripe amount fills it, Stripe's being in the charge's currency
    assert_no_source(got["Value"])


def test_a_currencys_rate_named_as_an_amount_has_no_source(samples):
    # given a decimal named as the currency's amount, described as its rate
    fields = (
        {
            "name": "currency_amount",
            "type": "decimal",
            "description": "the document currency's rate against the shop's"
            " default currency",
        },
    )
    # when suggested on an invoice
    got = suggest(samples["invoice"], *fields, threshold=None)
    # then it is no amount of Stripe's
    assert_no_source(got["currency_amount"])


def test_a_field_of_an_info_group_is_no_note_for_its_groups_name(samples):
    # given a flag written as text in an invoice's info group
    fields = (
        {
            "name": "invoice_info.archived",
            "type": "string",
            "description": "archived flag",
        },
    )
    # when suggested on an invoice
    got = suggest(samples["invoice"], *fields, threshold=None)
    # then the group's "info" makes it no note: Stripe's description is not it
    assert_no_source(got["invoice_info.archived"])


def test_a_totals_rounding_has_no_source(samples):
    # given the rounding of a document's total, named with the total
    fields = ({"name": "TotalRounding", "type": "decimal"},)
    # when suggested on an invoice
    got = suggest(samples["invoice"], *fields, threshold=None)
    # then Stripe, rounding nothing, has none
    assert_no_source(got["TotalRounding"])


def test_the_suppliers_own_details_have_no_source(samples):
    # given the region of the party issuing the invoice, its supplier
    fields = ({"name": "supplier.region", "type": "string"},)
    # when suggested on an invoice
    got = suggest(samples["invoice"], *fields, threshold=None)
    # then it is the seller's own, not the customer's state
    assert_no_source(got["supplier.region"])


def test_the_web_stores_own_details_have_no_source(samples):
    # given the address of the web store an order was placed in
    fields = ({"name": "store_link", "type": "string"},)
    # when suggested on an invoice
    got = suggest(samples["invoice"], *fields, threshold=None)
    # then it is the shop's own, not the invoice's hosted page
    assert_no_source(got["store_link"])
