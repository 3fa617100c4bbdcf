"""Suggester rules added on v40's former held-out part: each a class of misses.

The fields are made up in the shape the misses had (a request body's fields
described by where they sit, ...), not copied from one vendor.
"""

from tests.mapping.suggesting import assert_no_source, suggest


def test_an_email_described_as_in_the_request_body_is_the_customers(samples):
    # given a customer's e-mail whose description says it sits in the body of
    # the request, not in the body of an e-mail
    fields = (
        {
            "name": "emailAddress",
            "type": "string",
            "description": "Body, top level (required): 'The customer's email'",
        },
        {
            "name": "contactEmail",
            "type": "string",
            "description": "Request body: the e-mail address on file for the buyer",
        },
    )
    got = suggest(samples["customer"], *fields, threshold=None)
    # then each is the customer's e-mail, not the e-mail that sends a document
    for name in ("emailAddress", "contactEmail"):
        assert (got[name].source, got[name].transforms) == ("email", []), got[name]


def test_an_emails_body_is_still_the_integrations_text(samples):
    # given the body of the e-mail that sends an invoice
    fields = (
        {
            "name": "emailText",
            "type": "string",
            "description": "Body of the email sent with the invoice",
        },
    )
    got = suggest(samples["invoice"], *fields, threshold=None)
    # then it has no source
    text = got["emailText"]
    assert_no_source(text)


def test_dates_of_what_befalls_an_invoice_later_are_not_its_creation(samples):
    # given an invoice's dates of events after it is issued: printed, sent,
    # settled, its balance last worked out, its e-invoice generated
    names = (
        "printedOn",
        "dateSent",
        "settlementDate",
        "lastCalculatedDate",
        "eDocumentGenerated",
    )
    fields = [{"name": name, "type": "date"} for name in names]
    fields.append({"name": "documentDate", "type": "date"})
    got = suggest(samples["invoice"], *fields, threshold=None)
    # then none has a source
    for name in names:
        assert_no_source(got[name])
    # and the document's own date stays its creation
    assert got["documentDate"].source == "created"


def test_a_client_defined_as_a_tenant_of_the_erp_is_its_setting(samples):
    # given a record's client defined as a company whose data the ERP keeps
    # apart from the other clients' (a tenant), beside the buyer's key
    tenant = {
        "name": "clientKey",
        "type": "string",
        "description": (
            "'Client' (required, an id of a Client record): 'A client is a "
            "company or a legal entity. You cannot share data between clients.'"
        ),
    }
    buyer = {"name": "client_id", "type": "string", "description": "ID of the client"}
    for kind in ("invoice", "charge", "customer"):
        got = suggest(samples[kind], tenant, buyer, threshold=None)
        # then the tenant has no source: it is the seller's own set-up
        found = got["clientKey"]
        assert_no_source(found)
    # and a client described as the buyer is still the customer
    got = suggest(samples["invoice"], tenant, buyer, threshold=None)
    assert got["client_id"].source == "customer"


def test_fields_of_a_card_object_on_a_customer_are_the_card_on_file(samples):
    # given a customer's card object: the holder's name and the card's token
    fields = (
        {"name": "billingCard.holderName", "type": "string"},
        {
            "name": "billingCard.token",
            "type": "string",
            "description": "Token of the card, from the card vault",
        },
        {"name": "fullName", "type": "string"},
    )
    got = suggest(samples["customer"], *fields, threshold=None)
    # then neither has a source: Stripe's customer carries no card
    for name in ("billingCard.holderName", "billingCard.token"):
        assert_no_source(got[name])
    # and the customer's own name stays its name
    assert got["fullName"].source == "name"


def test_a_unique_key_named_for_the_customer_is_the_customers_key(samples):
    # given a customer's key whose name says it is unique, as keys are
    field = {
        "name": "customerUniqueKey",
        "type": "string",
        "description": "Path parameter: the unique identifier of the customer",
    }
    # when it sits on an invoice, and on the customer updated
    on_invoice = suggest(samples["invoice"], field, threshold=None)
    on_customer = suggest(samples["customer"], field, threshold=None)
    # then it is the customer's key through the customer map, as customerKey is
    assert on_invoice["customerUniqueKey"].source == "customer"
    assert on_customer["customerUniqueKey"].source == "id"
    for got in (on_invoice, on_customer):
        steps = got["customerUniqueKey"].transforms
        assert [s["name"] for s in steps] == ["lookup"], steps


def test_an_email_whose_description_says_this_body_lacks_one_is_the_customers(
    samples,
):
    # given a customer's e-mail whose description is borrowed from another call,
    # "this body" (the request's) giving none
    field = {
        "name": "email",
        "type": "string",
        "description": (
            "'The customer's email address' (quoted from another call; no "
            "description in this body)"
        ),
    }
    got = suggest(samples["customer"], field, threshold=None)
    # then it is the customer's e-mail, not the text of an e-mail sent
    assert (got["email"].source, got["email"].transforms) == ("email", [])


def test_a_city_or_region_described_as_a_records_id_is_the_erps_key(samples):
    # given an address's city and region named plainly but described as the
    # id of the ERP's city and region records, beside a city's name
    fields = (
        {
            "name": "town",
            "type": "string",
            "description": "'Town' (an id of a Town record): the town in a country",
        },
        {
            "name": "province",
            "type": "string",
            "description": "The id of the province record of the country",
        },
        {"name": "cityName", "type": "string", "description": "Name of the city"},
    )
    got = suggest(samples["customer"], *fields, threshold=None)
    # then neither key has a source: Stripe names the city and state
    for name in ("town", "province"):
        assert_no_source(got[name])
    # and the city's name stays the city
    assert got["cityName"].source == "address.city"


def test_a_deposit_beside_a_withdrawal_is_the_money_coming_in(samples):
    # given a bank account's transaction with a column for money deposited
    # and one for money withdrawn, each named for neither way
    fields = (
        {
            "name": "firstAmount",
            "type": "decimal",
            "description": "'Withdrawal Amount': withdrawal amount; default 0",
        },
        {
            "name": "secondAmount",
            "type": "decimal",
            "description": "'Deposit Amount': amount deposited into the account",
        },
    )
    got = suggest(samples["payout"], *fields, threshold=None)
    # then the payout's money, coming in, is not the withdrawal's
    withdrawal = got["firstAmount"]
    assert_no_source(withdrawal)
