"""Suggester rules added on v50's former held-out part: each a class of misses.

The fields are made up in the shape the misses had (amounts typed as decimals
but counted in the minor unit, dates written with their time of day, records
referred to by their link), not copied from one vendor.
"""

from tests.mapping.suggesting import assert_no_source, lookup, suggest


def test_a_decimal_counted_in_the_minor_unit_takes_stripes_amount_as_is(samples):
    # given a payment's sum, typed as a decimal but counted in kopecks
    field = {
        "name": "total_sum",
        "type": "decimal",
        "description": "Sum of the payment in the document's currency, in kopecks",
    }
    # when suggested
    got = suggest(samples["charge"], field, threshold=None)
    # then it is the charge's amount, not turned into the main unit
    assert got["total_sum"].source == "amount"
    assert got["total_sum"].transforms == []


def test_a_date_written_with_its_time_of_day_is_a_datetime(samples):
    # given a payment's document date, typed as a date but its format with
    # hours, minutes and seconds
    field = {
        "name": "doc_moment",
        "type": "date",
        "description": "Date of the document, YYYY-MM-DD HH:MM:SS",
    }
    # when suggested
    got = suggest(samples["charge"], field, threshold=None)
    # then it is the charge's creation time, kept with its time of day
    assert got["doc_moment"].source == "created"
    assert got["doc_moment"].transforms[0]["name"] == "unix_to_datetime"


def test_a_link_to_a_record_is_filled_only_by_a_lookup(samples):
    # given a customer's status and its address's region, each named by the
    # href of the record it refers to
    status = {
        "name": "status_ref.meta.href",
        "type": "string",
        "description": "Status of the client: the href of its meta",
    }
    region = {
        "name": "postal_address.region.meta.href",
        "type": "string",
        "description": "Postal address, region: the href of the region record",
    }
    # when suggested
    got = suggest(samples["customer"], status, region, threshold=None)
    # then neither takes a plain value of Stripe's: a link is no state code
    assert_no_source(got["status_ref.meta.href"])
    assert_no_source(got["postal_address.region.meta.href"])


def test_a_link_to_the_party_in_its_role_is_the_customer(samples):
    # given a document's and a payment's link to the other party, described
    # by its role in brackets
    buyer = {
        "name": "counterpart.meta.href",
        "type": "string",
        "description": "Metadata of the other party (the buyer): the href of its meta",
    }
    payee = {
        "name": "counterpart.meta.href",
        "type": "string",
        "description": "Metadata of the other party or employee (the payee): the href",
    }
    # when suggested
    on_invoice = suggest(samples["invoice"], buyer, threshold=None)
    on_refund = suggest(samples["refund"], payee, threshold=None)
    # then each is the customer through the id map (a refund's, its charge's)
    assert lookup(on_invoice["counterpart.meta.href"]) == "customer"
    assert lookup(on_refund["counterpart.meta.href"]) == "customer_of_charge"


def test_a_documents_own_code_is_no_postal_code(samples):
    # given the bare code an invoice and a payment are kept under in the ERP
    on_invoice = {
        "name": "code",
        "type": "string",
        "description": "Code of the sales document to the client, String(255)",
    }
    on_charge = {
        "name": "code",
        "type": "string",
        "description": "Code of the cash receipt",
    }
    # when suggested
    invoice = suggest(samples["invoice"], on_invoice, threshold=0.0)
    charge = suggest(samples["charge"], on_charge, threshold=0.0)
    # then neither is the customer's postal code, which shares only the word
    assert_no_source(invoice["code"])
    assert_no_source(charge["code"])


def test_a_payments_purpose_is_its_text(samples):
    # given a payment's and a refund's purpose, as a bank transfer states it,
    # beside the record's own comment
    field = {
        "name": "transfer_purpose",
        "type": "string",
        "description": "Purpose of the payment, String(210)",
    }
    note = {"name": "description", "type": "string", "description": "Comment"}
    # when suggested
    on_charge = suggest(samples["charge"], field, note, threshold=None)
    on_refund = suggest(samples["refund"], field, note, threshold=None)
    # then it is the charge's description and the refund's reason, which the
    # comment keeps too
    assert on_charge["transfer_purpose"].source == "description"
    assert on_refund["transfer_purpose"].source == "reason"
    assert on_charge["description"].source == "description"
    assert on_refund["description"].source == "reason"


def test_a_planned_payment_date_is_the_due_date(samples):
    # given an invoice's date its payment is planned for
    field = {
        "name": "pay_planned_at",
        "type": "date",
        "description": "Planned payment date",
    }
    # when suggested
    got = suggest(samples["invoice"], field, threshold=None)
    # then it is the invoice's due date, not a date Stripe has none of
    assert got["pay_planned_at"].source == "due_date"


def test_a_charges_country_is_not_the_customers(samples):
    # given a payment request's country, described as the charge's
    field = {
        "name": "country",
        "type": "string",
        "description": "ISO alpha-2 country code of the payment, default GB",
    }
    # when suggested
    got = suggest(samples["invoice"], field, threshold=0.0)
    # then it is where the payment is taken, not the customer's address
    assert_no_source(got["country"])


def test_a_reference_described_as_unique_keeps_the_stripe_id(samples):
    # given a payment request's reference for an invoice, described as the
    # seller's unique one, and no field for the invoice's number
    field = {
        "name": "pay_ref",
        "type": "string",
        "description": "The seller's unique reference for the transaction",
    }
    # when suggested
    got = suggest(samples["invoice"], field, threshold=None)
    # then it is the invoice's Stripe id, a key, not its number
    assert got["pay_ref"].source == "id"


def test_an_external_code_of_a_document_to_the_buyer_is_its_stripe_id(samples):
    # given an invoice's external code, its description naming the buyer
    # the invoice is to, beside its number
    field = {
        "name": "outerCode",
        "type": "string",
        "description": "External code of the sales invoice to the client",
    }
    number = {"name": "docNumber", "type": "string", "description": "Invoice number"}
    # when suggested
    got = suggest(samples["invoice"], field, number, threshold=None)
    # then it is the invoice's own Stripe id, not the customer's code in the ERP
    assert got["outerCode"].source == "id"


def test_a_date_format_in_a_description_says_how_not_what(samples):
    # given an invoice's document date, its description ending in its format
    field = {
        "name": "doc_moment",
        "type": "date",
        "description": "Date of the document, YYYY-MM-DD HH:MM:SS",
    }
    # when suggested
    got = suggest(samples["invoice"], field, threshold=None)
    # then the format's letters do not drown the words: it is the invoice's date
    assert got["doc_moment"].source == "created"


def test_a_comment_under_an_address_is_the_addresss_note(samples):
    # given a comment kept inside a customer's structured address
    field = {
        "name": "postalAddressFull.comment",
        "type": "string",
        "description": "Full postal address, Comment, String(255)",
    }
    # when suggested
    got = suggest(samples["customer"], field, threshold=0.0)
    # then it is no text of the customer's: Stripe keeps none per address
    assert_no_source(got["postalAddressFull.comment"])


def test_a_payments_name_described_as_its_number_is_not_the_payers(samples):
    # given a payment's bare name, described as its number
    field = {
        "name": "name",
        "type": "string",
        "description": "Name (number) of the cash receipt, String(255)",
    }
    # when suggested
    got = suggest(samples["charge"], field, threshold=0.0)
    # then it is no name of the payer: a payment has no number in Stripe
    assert_no_source(got["name"])


def test_a_list_of_links_to_related_records_is_the_erps(samples):
    # given an invoice's list of links to the payments booked against it
    field = {
        "name": "receipts",
        "type": "array",
        "description": "Array of links to the related payments and receipts",
    }
    # when suggested
    got = suggest(samples["invoice"], field, threshold=0.0)
    # then no one Stripe field fills it: the links are the ERP's records'
    assert_no_source(got["receipts"])


def test_a_text_described_as_the_name_shown_is_the_customers_name(samples):
    # given a customer's narrative, described as the name shown on what the
    # ERP makes for it
    field = {
        "name": "narrative",
        "type": "string",
        "description": "Name shown on the payment account; for example the "
        "customer's full name",
    }
    # when suggested
    got = suggest(samples["customer"], field, threshold=None)
    # then it is the customer's name, not a note printed for it
    assert got["narrative"].source == "name"


def test_a_records_dates_share_the_format_one_of_them_gives(samples):
    # given an invoice's issue date written with its time of day, and a due
    # date with no format of its own
    fields = (
        {
            "name": "issued",
            "type": "date",
            "description": "Date of the document, YYYY-MM-DD HH:MM:SS",
        },
        {
            "name": "pay_planned_at",
            "type": "date",
            "description": "Planned payment date",
        },
    )
    # when suggested
    got = suggest(samples["invoice"], *fields, threshold=None)
    # then the due date is written with its time of day too
    assert got["pay_planned_at"].source == "due_date"
    assert got["pay_planned_at"].transforms[0]["name"] == "unix_to_datetime"
