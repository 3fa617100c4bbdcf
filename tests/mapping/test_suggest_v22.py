"""Suggester rules added on v24's former held-out part: each a class of misses.

The fields are made up in the shape the misses had (a currency key described
as the currency itself, ...), not copied from one vendor.
"""

from tests.mapping.suggesting import lookup, suggest


def test_a_key_described_as_the_currency_itself_holds_its_code(samples):
    # given an invoice keyed by currency and country, described as the things
    fields = (
        {"name": "doc_currency_id", "description": "Currency the invoice is billed in"},
        {"name": "buyerCountryId", "description": "The buyer's country"},
    )
    got = suggest(samples["invoice"], *fields)
    # then the currency is its upper-cased code and the country its ISO code
    assert got["doc_currency_id"].source == "currency", got["doc_currency_id"]
    assert got["doc_currency_id"].transforms == [{"name": "upper"}], got[
        "doc_currency_id"
    ]
    assert got["buyerCountryId"].source == "customer_address.country", got[
        "buyerCountryId"
    ]
    assert got["buyerCountryId"].transforms == [], got["buyerCountryId"]


def test_a_key_described_as_a_currency_record_is_still_looked_up(samples):
    # given currency keys described as a record's id or a record
    fields = (
        {"name": "currency_ref_id", "description": "Id of the invoice's currency"},
        {"name": "sales_currency_id", "description": "Currency (a stored record)"},
    )
    got = suggest(samples["invoice"], *fields)
    # then each goes through the currency table
    assert lookup(got["currency_ref_id"]) == "currency", got["currency_ref_id"]
    assert lookup(got["sales_currency_id"]) == "currency", got["sales_currency_id"]


def test_a_place_written_out_as_text_is_the_place_not_a_note(samples):
    # given a customer's town and region in their text forms, and its notes
    fields = (
        {"name": "townText", "description": "The town, as text"},
        {"name": "region_text", "description": "The region's name, in text form"},
        {"name": "remarks", "description": "Remarks on the customer"},
    )
    got = suggest(samples["customer"], *fields)
    # then the places take the address's and the notes the description
    assert got["townText"].source == "address.city", got["townText"]
    assert got["region_text"].source == "address.state", got["region_text"]
    assert got["remarks"].source == "description", got["remarks"]


def test_a_message_to_the_party_billed_is_the_documents_note(samples):
    # given an invoice and a credit note with a message to the party billed
    fields = (
        {"name": "debtorMessage", "description": "Message shown to the debtor"},
        {"name": "lines", "type": "lines", "description": "Lines"},
    )
    invoice = suggest(samples["invoice"], *fields)
    credit = suggest(samples["credit_note"], *fields)
    # then the message takes the document's own text
    assert invoice["debtorMessage"].source == "description", invoice["debtorMessage"]
    assert credit["debtorMessage"].source == "memo", credit["debtorMessage"]


def test_a_cash_amount_moved_on_an_account_is_the_payments_amount(samples):
    # given a payment's amount on its cash account, and a cash tender's amount
    booked = {
        "name": "cash_total",
        "type": "decimal",
        "description": "Amount paid into or out of the cash account",
    }
    tender = {"name": "cash_total", "type": "decimal", "description": "Cash tendered"}
    # then, at the calibrated threshold, the first is the payment's amount and
    # the second has no source
    got = suggest(samples["charge"], booked, threshold=None)["cash_total"]
    assert got.source == "amount", got
    assert got.transforms[0]["name"] == "minor_to_decimal", got
    other = suggest(samples["charge"], tender, threshold=None)["cash_total"]
    assert other.source == "", other


def test_a_payments_associated_document_is_what_it_pays_or_returns(samples):
    # given a payment and a refund, each with a list of associated documents
    fields = (
        {"name": "associations.0.documentKey", "description": "Document involved"},
        {"name": "associations.0.amount", "type": "decimal", "description": "Amount"},
    )
    paid = suggest(samples["charge"], *fields)
    refunded = suggest(samples["refund"], *fields)
    # then the payment's document is its invoice and the refund's its charge
    key = "associations.0.documentKey"
    assert paid[key].source == "invoice" and lookup(paid[key]) == "invoice", paid[key]
    assert refunded[key].source == "charge", refunded[key]
    assert lookup(refunded[key]) == "charge", refunded[key]


def test_a_contacts_number_on_a_contact_record_is_the_erps_code(samples):
    # given a customer kept as a contact: its name, its number, a phone number
    fields = (
        {"name": "name", "description": "Name of the contact"},
        {"name": "contact_nr", "description": "Number the contact is known by"},
        {"name": "contactNumber", "description": "Telephone number"},
    )
    got = suggest(samples["customer"], *fields, threshold=None)
    # then the contact's number is the ERP's code and the name the name
    assert got["contact_nr"].source == "metadata.erp_customer_code", got["contact_nr"]
    assert got["name"].source == "name", got["name"]
    # and the telephone's best guess is the phone, under the cut: a number
    # named so is not surely a telephone
    assert got["contactNumber"].abstained, got["contactNumber"]
    guess = suggest(samples["customer"], *fields)["contactNumber"]
    assert guess.source == "phone", guess


def test_the_side_a_booking_posts_to_is_no_stripe_value(samples):
    # given a refund booked on one side of the bank account
    fields = (
        {
            "name": "bank_side",
            "choices": ["Debit", "Credit"],
            "description": "Money in (Debit) or out (Credit)",
        },
    )
    got = suggest(samples["refund"], *fields)
    # then no Stripe word (card, for a credit card) is mapped onto the side
    assert got["bank_side"].source == "", got["bank_side"]


def test_a_payouts_entry_date_is_the_journals_not_the_arrival(samples):
    # given a payout booked as an entry, and one booked as a bank transaction
    entry = {
        "name": "posting_entry_date",
        "type": "date",
        "description": "Date of the transaction's entry",
    }
    bank = {
        "name": "transaction_date",
        "type": "date",
        "description": "Date of the bank transaction",
    }
    # then the entry is dated when the payout was made, the bank's on arrival
    got = suggest(samples["payout"], entry)["posting_entry_date"]
    assert got.source == "created", got
    other = suggest(samples["payout"], bank)["transaction_date"]
    assert other.source == "arrival_date", other


def test_how_an_email_or_phone_is_used_is_a_setting_not_the_address(samples):
    # given a customer's e-mail and phone, and how each is used
    fields = (
        {"name": "email", "description": "E-mail invoices go to"},
        {
            "name": "invoiceEmailMode",
            "description": "Whether invoices are mailed as a link or attached",
        },
        {"name": "phone", "description": "Phone number"},
        {"name": "phone_line_type", "description": "Landline or mobile"},
    )
    got = suggest(samples["customer"], *fields)
    # then only the e-mail and phone fields take Stripe's
    assert got["email"].source == "email", got["email"]
    assert got["phone"].source == "phone", got["phone"]
    assert got["invoiceEmailMode"].source == "", got["invoiceEmailMode"]
    assert got["phone_line_type"].source == "", got["phone_line_type"]


def test_a_free_form_voucher_number_is_the_senders_key(samples):
    # given a payout's entry with a voucher number the sender writes as it
    # likes, and one with a voucher number from the ledger's series
    free = {
        "name": "voucher_nr",
        "description": "Number or text identifying the entry's voucher",
    }
    series = {"name": "voucher_nr", "description": "Voucher number"}
    # then the first takes the payout's Stripe id and the second nothing
    got = suggest(samples["payout"], free)["voucher_nr"]
    assert got.source == "id", got
    other = suggest(samples["payout"], series)["voucher_nr"]
    assert other.source == "", other
