"""Suggester rules added on v19's former held-out part: each a class of misses.

The fields are made up in the shape the misses had (a service period's
bounds, dates typed as timestamps), not copied from one vendor.
"""

from tests.mapping.suggesting import suggest


def test_a_service_periods_bounds_have_no_source_even_named_period(samples):
    # given an invoice with a service period named so, beside its own date
    got = suggest(
        samples["invoice"],
        {"name": "documentDate", "type": "date"},
        {"name": "servicePeriodStart", "type": "date"},
        {
            "name": "periodEnd",
            "type": "date",
            "description": "Last day of the delivery period",
        },
    )
    # then neither bound takes Stripe's usage period, the date its creation
    assert got["servicePeriodStart"].source == "", got["servicePeriodStart"]
    assert got["periodEnd"].source == "", got["periodEnd"]
    assert got["documentDate"].source == "created", got["documentDate"]
    # A period named so and nothing more still ranks Stripe's period.
    plain = suggest(samples["invoice"], {"name": "periodEndDate", "type": "date"})
    assert plain["periodEndDate"].source == "period_end", plain["periodEndDate"]


def test_a_date_typed_as_a_timestamp_takes_stripes_timestamp_as_it_is(samples):
    # given a payment and an invoice whose dates are typed timestamps
    payment = suggest(
        samples["charge"],
        {"name": "amountPaid", "type": "decimal"},
        {"name": "datePaid", "type": "timestamp"},
    )
    invoice = suggest(
        samples["invoice"],
        {"name": "documentNumber", "type": "string"},
        {"name": "documentDate", "type": "timestamp"},
        {"name": "postingDate", "type": "timestamp"},
    )
    # then each takes Stripe's creation time, with no date written out
    for got, name in (
        (payment, "datePaid"),
        (invoice, "documentDate"),
        (invoice, "postingDate"),
    ):
        assert got[name].source == "created", got[name]
        assert got[name].transforms == [], got[name]
        assert got[name].confidence >= 0.7, got[name]


def test_a_credit_notes_own_number_named_for_an_invoice_is_its_number(samples):
    # given credit notes kept as invoices of a credit type: a number described
    # as the credit note's, and a key filled from the invoice sequence
    described = suggest(
        samples["credit_note"],
        {"name": "invoiceNumber", "description": "Credit note number"},
        {"name": "invoiceDate", "type": "date"},
    )
    sequenced = suggest(
        samples["credit_note"],
        {
            "name": "invoiceId",
            "description": "Id and number of the invoice (from the company's "
            "invoice sequence when empty)",
        },
        {"name": "invoiceDate", "type": "date"},
    )
    # then each is the credit note's own number, not the invoice it credits
    assert described["invoiceNumber"].source == "number", described["invoiceNumber"]
    assert sequenced["invoiceId"].source == "number", sequenced["invoiceId"]
    # An invoice number saying nothing more is the invoice credited.
    plain = suggest(samples["credit_note"], {"name": "invoiceNumber"})
    assert plain["invoiceNumber"].source == "invoice", plain["invoiceNumber"]


def test_a_credit_notes_own_description_keeps_its_memo_before_a_printed_note(
    samples,
):
    # given a credit note with its own description and a text printed on it
    got = suggest(
        samples["credit_note"],
        {"name": "description", "description": "Description of the credit note (HTML)"},
        {"name": "closingText", "description": "Text printed on the credit note"},
    )
    # then the description takes the memo; the printed text has nothing left
    assert got["description"].source == "memo", got["description"]
    assert got["closingText"].source == "", got["closingText"]


def test_a_name_part_that_holds_a_companys_name_takes_the_whole_name(samples):
    # given a contact either a person or a company, named in one part field
    got = suggest(
        samples["customer"],
        {
            "name": "firstName",
            "description": "Given name of a person, or the company name of a firm",
        },
        {"name": "email"},
    )
    # then it takes Stripe's name whole, not split
    assert got["firstName"].source == "name", got["firstName"]
    assert got["firstName"].transforms == [], got["firstName"]
    # A part not used for companies is still split from the full name.
    person = suggest(
        samples["customer"],
        {"name": "lastName", "description": "Last name; not used for companies"},
    )
    assert person["lastName"].transforms[0]["name"] == "split_name", person["lastName"]


def test_a_transactions_key_at_the_payment_processor_is_its_stripe_id(samples):
    # given a key described as the transaction's at the payment processor
    key = {
        "name": "processorReference",
        "description": "Id the processor gave the transaction",
    }
    # when on an invoice, a payment and a credit note
    invoice = suggest(samples["invoice"], {"name": "number"}, key)
    payment = suggest(samples["charge"], {"name": "amount", "type": "decimal"}, key)
    credit = suggest(samples["credit_note"], {"name": "number"}, key)
    # then it is the invoice's charge, or the object's own Stripe id
    assert invoice["processorReference"].source == "charge", invoice
    assert payment["processorReference"].source == "id", payment
    assert credit["processorReference"].source == "id", credit
    # The processor's own record is no transaction of Stripe's.
    gateway = suggest(
        samples["charge"],
        {"name": "gateway_id", "description": "Id of the payment gateway selected"},
    )
    assert gateway["gateway_id"].source != "id", gateway["gateway_id"]
