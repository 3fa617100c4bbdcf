"""Suggester rules added on v98's former held-out part (PayTabs, Tiendanube / Nuvemshop).

The fields are made up in the shape the misses had, not copied from one
vendor, and written through v67's `described`; each rule has a near case
that must not fire.
"""  # noqa: E501

from mapping.suggest import field_specs_from_dicts
from tests.mapping.suggesting import assert_no_source, described, sourced, suggest


def test_a_locality_beside_a_city_is_a_part_of_the_town(samples):
    # given a delivery address that gives its locality before its city
    fields = [
        described("delivery_address.street", "string", "The address's street"),
        described("delivery_address.locality", "string", "The address's locality"),
        described("delivery_address.city", "string", "The address's city"),
    ]
    # when suggested on a Stripe customer
    items = suggest(samples["customer"], *fields)
    # then the locality is the part of the town (a neighbourhood), which
    # Stripe's addresses do not hold, and the city takes Stripe's city
    assert_no_source(items["delivery_address.locality"])
    assert items["delivery_address.city"].source == "shipping.address.city"


def test_a_locality_with_no_city_beside_it_is_the_town(samples):
    # given the same address with no city field (the near case: the
    # locality is all the place it gives)
    fields = [
        described("delivery_address.street", "string", "The address's street"),
        described("delivery_address.locality", "string", "The address's locality"),
    ]
    # when suggested on a Stripe customer, then it is Stripe's city
    items = suggest(samples["customer"], *fields)
    assert items["delivery_address.locality"].source == "shipping.address.city"


def test_a_name_that_opens_on_send_is_whether_to_send_the_email(samples):
    # given an invoice's switch named for sending an e-mail, with no type
    # given ("send_receipt_email", "Send the receipt email to the buyer")
    field = described(
        "send_receipt_email",
        "not given",
        "Send the receipt email to the buyer. The default is false.",
    )
    # when suggested on a Stripe invoice, then it is whether to send it,
    # the integration's setting, and no e-mail address
    assert_no_source(sourced(samples, "invoice", field))


def test_an_email_a_name_says_things_are_sent_to_is_the_address(samples):
    # given a customer's address that statements are sent to (the near
    # case: "send ... to email" names the address itself)
    field = described(
        "send_statements_to_email", "string", "E-mail address statements are sent to"
    )
    # when suggested on a Stripe customer, then it is the customer's e-mail
    assert sourced(samples, "customer", field).source == "email"


def test_a_date_shown_by_an_iso_date_time_example_keeps_its_time(samples):
    # given a refund's booking moment typed "Date" whose description gives
    # an ISO 8601 example with the time after its T
    field = described(
        "booked_at",
        "Date",
        'When the refund was booked. E.g. `"2021-05-04T09:30:00.000Z"`',
    )
    # when suggested on a Stripe refund, then it is the creation time as a
    # date-time
    item = sourced(samples, "refund", field)
    assert (item.source, item.transforms[0]["name"]) == ("created", "unix_to_datetime")


def test_a_date_shown_by_a_day_or_a_spaced_time_stays_a_date(samples):
    # given the same field shown by a day alone, or by a day and a time
    # after a space (the near cases: no ISO 8601 date-time)
    for example in ('E.g. `"2021-05-04"`', "e.g. 2021-05-04 09:30"):
        field = described("booked_at", "Date", f"When it was booked. {example}")
        # when suggested on a Stripe refund, then it is the creation date
        item = sourced(samples, "refund", field)
        assert (item.source, item.transforms[0]["name"]) == ("created", "unix_to_date")


def test_a_string_shown_by_a_quoted_example_with_cents_is_a_decimal(samples):
    # given a charge's sum typed as a string, shown by an example in quotes
    # with two decimals (a money object's value written as text)
    field = described("paid.value", "String", 'Sum paid, as text. E.g. `"12.50"`')
    # when suggested on a Stripe charge, then it is the amount out of minor
    # units
    item = sourced(samples, "charge", field)
    assert (item.source, item.transforms[0]["name"]) == ("amount", "minor_to_decimal")


def test_a_string_shown_by_a_quoted_whole_number_is_copied(samples):
    # given the same sum shown by a whole number in quotes (the near case:
    # no decimals say the unit)
    field = described("paid.value", "String", 'Sum paid, as text. E.g. `"1250"`')
    # when suggested on a Stripe charge, then it is the amount as it is
    item = sourced(samples, "charge", field)
    assert (item.source, item.transforms) == ("amount", [])


def test_a_name_of_brazils_taxpayer_number_is_the_tax_id(samples):
    # given an invoice's buyer number named as Brazil's taxpayer registry
    # numbers, a person's CPF or a company's CNPJ, and described only
    # vaguely ("The buyer's identity number")
    field = described("buyer.cnpj_or_cpf", "string", "The buyer's identity number.")
    # when suggested on a Stripe invoice, then it is the customer's tax id,
    # as a CIF or NIF is
    item = sourced(samples, "invoice", field)
    assert (item.source, item.transforms) == ("customer_tax_ids.0.value", [])


def test_the_kind_of_a_taxpayer_number_is_no_tax_id(samples):
    # given the kind of that number (the near case: which of the two it is)
    field = described("buyer.cpf_type", "string", "Which of the buyer's numbers")
    # when suggested on a Stripe invoice, then it is not the tax id
    item = sourced(samples, "invoice", field)
    assert item.source != "customer_tax_ids.0.value"


def test_values_a_description_lists_in_quotes_are_the_choices(samples):
    # given an invoice's settlement state whose description lists its
    # possible values in quotes
    field = described(
        "settlement_status",
        "string",
        'Settlement state. Possible values are "unpaid", "partly_paid" and "paid".',
    )
    # when read, then the listed values are its choices
    (spec,) = field_specs_from_dicts([field])
    assert spec.choices == ("unpaid", "partly_paid", "paid")
    # and suggested on a Stripe invoice, the status is mapped onto them
    item = sourced(samples, "invoice", field)
    assert (item.source, item.transforms[0]["name"]) == ("status", "value_map")


def test_one_quoted_value_explained_is_no_list_of_choices():
    # given a suffix whose description names one quoted value and explains
    # it (the near case: "Possible values are "CM" = credit memo, DN = ...")
    (spec,) = field_specs_from_dicts(
        [
            described(
                "doc_suffix",
                "string",
                'Possible values are "CM" = credit memo, DN = debit note.',
            )
        ]
    )
    # then it has no choices
    assert spec.choices == ()


def test_an_alternative_currency_is_a_second_one_stripe_has_none_of(samples):
    # given a payment page's alternative currency, shown beside the one
    # charged ("alternate_currency")
    field = described("page.alternate_currency", "?string", "no description")
    # when suggested on a Stripe charge, then it has no source
    assert_no_source(sourced(samples, "charge", field))


def test_the_page_currency_is_the_charges(samples):
    # given the page's currency itself (the near case: no other word)
    field = described("page.currency", "?string", "no description")
    # when suggested on a Stripe charge, then it is the charge's currency
    assert sourced(samples, "charge", field).source == "currency"
