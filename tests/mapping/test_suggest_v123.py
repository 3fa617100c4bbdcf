"""Suggester rules added on v125's former held-out part (Payabli, Krayin CRM).

Each field below is made up after the shape of a miss, named by no vendor,
and stands beside a near field that its rule leaves alone.
"""

from tests.mapping.suggesting import (
    assert_no_source,
    described,
    sourced,
    suggest,
)


def test_an_entry_of_a_list_splitting_the_money_among_receivers_has_no_source(
    samples,
):
    # given the first share of a payout split among couriers, its amount
    # and its note, and a ledger's bare first split (the near case: a double
    # entry's line, which carries the payment's amount)
    share = described(
        "routing.courierSplit.0.amount",
        "number",
        "The amount of the payment to send to this courier",
    )
    note = described(
        "routing.courierSplit.0.note", "string", "A note for this courier's share"
    )
    line = described("books.splits.0.sum", "number", "The amount of this split")
    # when suggested on a Stripe charge, then the share and its note are left
    # empty, and the ledger's split is still the charge's amount
    assert_no_source(sourced(samples, "charge", share))
    assert_no_source(sourced(samples, "charge", note))
    assert sourced(samples, "charge", line).source == "amount"


def test_a_date_kept_in_a_group_named_for_the_order_is_the_orders(samples):
    # given the day an order was placed, kept in the order's own group of a
    # payment request, and a payment request's only date, named for the
    # order (the near case: an order made for the charge, dated by it)
    placed = described("basket.orderInfo.placedOn", "date", "When the order was placed")
    dated = described("orderDate", "date", "The date of the order")
    # when suggested on a Stripe charge, then the order's group keeps its
    # date, which Stripe's charge does not hold, and the only date is still
    # the charge's creation
    assert_no_source(sourced(samples, "charge", placed))
    assert sourced(samples, "charge", dated).source == "created"


def test_where_a_link_points_is_no_word_of_the_field(samples):
    # given a branch's desk identifier whose description links a page of
    # the vendor's API reference by its path, and a reference whose
    # description's link text names the invoice's reference (the near case:
    # the words in brackets are the field's own)
    desk = described(
        "desk",
        "string",
        "The branch's desk identifier. [Learn more](/docs/api-reference/desks#desks)",
    )
    ref = described(
        "ref", "string", "The [reference of the invoice](/docs/guides/overview)."
    )
    # when suggested on a Stripe invoice, then the desk takes no id from the
    # path's "reference" (at the calibrated cut: no source), and the reference
    # is still the invoice's number
    assert_no_source(sourced(samples, "invoice", desk, threshold=None))
    assert sourced(samples, "invoice", ref).source == "number"


def test_a_lines_tax_quoted_from_a_docstring_is_still_the_lines_own(samples):
    # given the tax of an invoice's first item whose description cites the
    # docstring it was read from, and a line's tax described as the whole
    # document's (the near case: the invoice's tax, named on its line)
    line = described(
        "items.0.taxAmount",
        "number",
        "Tax amount on the item (the docstring of the item model)",
    )
    whole = described("items.0.docTax", "number", "The total tax on the document")
    # when suggested on a Stripe invoice, then the item's tax is its own, no
    # Stripe value, and the document's tax is still the invoice's tax
    assert_no_source(sourced(samples, "invoice", line))
    assert sourced(samples, "invoice", whole).source == "tax"


def test_a_line_of_the_invoice_a_payment_settles_has_no_source(samples):
    # given the price and name of the first line of the invoice a payment
    # request carries, and the first item of the payment's own order (the
    # near case: the one item sold, what was paid)
    price = described("invoiceInfo.items.0.price", "number", "The price of the item")
    name = described("invoiceInfo.items.0.name", "string", "The name of the item")
    own = described("order.items.0.price", "number", "The price of the item")
    # when suggested on a Stripe charge, then the invoice's line is left
    # empty, and the order's item is still the charge's amount
    assert_no_source(sourced(samples, "charge", price))
    assert_no_source(sourced(samples, "charge", name))
    assert sourced(samples, "charge", own).source == "amount"


def test_a_python_clients_annotation_is_read_as_the_type_it_wraps(samples):
    # given a member's first name and a bill's due day and total as a Python
    # client annotates them (a value that may be None), and the same due day
    # typed as a class of the vendor's own (the near case: no type the
    # engine knows, so no date conversion)
    first = described("givenName", "typing.Optional[str]", "Given name of the member")
    due = described("dueOn", "typing.Optional[dt.date]", "The day the bill is due")
    total = described("total", "typing.Optional[float]", "The bill's total")
    own = described("dueOn", "typing.Optional[BillDay]", "The day the bill is due")
    # when suggested on Stripe's objects, then the first name is split from
    # the customer's name, the due day converted from Stripe's timestamp and
    # the total from minor units, while the class of its own is converted
    # to no date
    named = sourced(samples, "customer", first)
    assert (named.source, named.transforms[0]["name"]) == ("name", "split_name")
    dated = sourced(samples, "invoice", due)
    assert (dated.source, dated.transforms[0]["name"]) == ("due_date", "unix_to_date")
    summed = sourced(samples, "invoice", total)
    assert (summed.source, summed.transforms[0]["name"]) == (
        "total",
        "minor_to_decimal",
    )
    assert not any(
        step["name"] == "unix_to_date"
        for step in sourced(samples, "invoice", own).transforms
    )


def test_a_detail_written_alike_in_two_groups_is_the_one_partys_twice(samples):
    # given a payer's first name and city, and again the first name of a
    # receipt's recipient, named alike in the receipt's group, and the
    # receipt's town, named otherwise (the near case: a second claim on the
    # city, which competes with the payer's as before)
    fields = [
        described("payer.givenName", "string", "The payer's given name"),
        described(
            "receipt.givenName", "string", "Given name of the receipt's recipient"
        ),
        described("payer.city", "string", "The payer's city"),
        described("receipt.town", "string", "The receipt's town"),
    ]
    # when suggested together on a Stripe charge, then both first names are
    # split from the billed name, and the town gives the city up to the
    # payer's
    found = suggest(samples["charge"], *fields)
    assert found["payer.givenName"].source == "billing_details.name"
    assert found["receipt.givenName"].source == "billing_details.name"
    assert found["payer.city"].source == "billing_details.address.city"
    assert_no_source(found["receipt.town"])


def test_a_list_of_contact_numbers_holds_phones(samples):
    # given the first of a club member's contact numbers, and the first of
    # a customer's contacts' numbers (the near case: those contact records'
    # own keys)
    number = described(
        "club.contactNumbers.0.value", "string", "A number of the club member"
    )
    key = described(
        "club.customerContactNumbers.0",
        "string",
        "The numbers of the customer's contacts",
    )
    # when suggested on a Stripe customer, then the contact number is the
    # customer's phone, and the contacts' key is none
    assert sourced(samples, "customer", number).source == "phone"
    assert sourced(samples, "customer", key).source != "phone"


def test_a_person_named_by_no_role_is_the_party(samples):
    # given the name of the person an enquiry is for, with no description,
    # and the name of the sales person handling it (the near case: a person
    # set up in the system, a setting)
    person = described("personName", "string", "no description (example 'Jane Roe')")
    seller = described(
        "salesPerson.name", "string", "no description (example 'Jane Roe')"
    )
    # when suggested on a Stripe invoice, then the person is the invoiced
    # customer, and the sales person is none
    assert sourced(samples, "invoice", person).source == "customer_name"
    assert_no_source(sourced(samples, "invoice", seller))


def test_a_street_described_as_additional_is_the_second_line(samples):
    # given a member's address and its first numbered address described as an
    # additional address, and one described as the first line (the near case:
    # its number says which line it is)
    street = described("addr", "string", "The member's address")
    extra = described("addr1", "string", "Additional member address")
    first = described("addr1", "string", "The member's address, first line")
    # when suggested on a Stripe customer, then the address is the first
    # line and the additional one the second, while the one described
    # as the first line stays the first
    found = suggest(samples["customer"], street, extra)
    assert found["addr"].source == "address.line1"
    assert found["addr1"].source == "address.line2"
    assert sourced(samples, "customer", first).source == "address.line1"


def test_the_day_a_deal_closes_is_the_invoices_due_date_or_the_payments_day(samples):
    # given the day a deal is expected to close beside its bare close date,
    # and the day a record was closed (the near case: when it was, no close
    # foreseen)
    foreseen = described("deal.expectedCloseOn", "date", "When the deal closes")
    bare = described("deal.closeOn", "date", "The close date")
    closed = described("deal.closedAt", "datetime", "When the record was closed")
    # when suggested on a Stripe invoice, then the foreseen close is the due
    # date and the bare one gives it up; on a charge the bare close date is
    # the charge's creation and the foreseen one gives it up; the closed
    # record's day is neither
    on_invoice = suggest(samples["invoice"], foreseen, bare)
    assert on_invoice["deal.expectedCloseOn"].source == "due_date"
    assert_no_source(on_invoice["deal.closeOn"])
    on_charge = suggest(samples["charge"], foreseen, bare)
    assert on_charge["deal.closeOn"].source == "created"
    assert_no_source(on_charge["deal.expectedCloseOn"])
    assert sourced(samples, "invoice", closed).source != "due_date"
