"""Suggester rules added on v65's former held-out part (Ekylibre, Pagar.me).

The fields are made up in the shape the misses had (snake_case SQL columns
described by the model's callbacks), not copied from one vendor.
"""

from tests.mapping.suggesting import assert_no_source, suggest


def test_a_field_the_erp_sets_from_another_of_its_records_has_no_source(samples):
    # given an order line's currency and a receipt's currency, described as
    # set or copied from another record of the ERP's (the order, the till)
    fields = (
        {
            "name": "line_currency_code",
            "type": "string",
            "description": "copied from the order on save",
        },
        {
            "name": "moneda",
            "type": "string",
            "description": "set from the till (before_save)",
        },
    )
    # when suggested on an invoice
    got = suggest(samples["invoice"], *fields)
    # then the ERP fills them itself: no source
    assert_no_source(got["line_currency_code"])
    assert_no_source(got["moneda"])


def test_a_field_set_from_a_record_only_when_not_given_may_be_sent(samples):
    # given a currency taken from the customer's settings when not sent
    fields = (
        {
            "name": "moneda",
            "type": "string",
            "description": "copied from the customer when not given",
        },
    )
    # when suggested on an invoice
    got = suggest(samples["invoice"], *fields)
    # then it is still the invoice's currency
    assert got["moneda"].source == "currency"


def test_a_timestamp_of_a_bookkeeping_step_the_erp_takes_has_no_source(samples):
    # given a payment's timestamps named for when the books confirmed,
    # validated and reconciled it, with no description
    fields = (
        {"name": "receipt_confirmed_at", "type": "datetime"},
        {"name": "validated_at", "type": "datetime"},
        {"name": "reconciled_at", "type": "datetime"},
    )
    # when suggested on a charge
    got = suggest(samples["charge"], *fields)
    # then each is when the ERP took that step: no source
    assert_no_source(got["receipt_confirmed_at"])
    assert_no_source(got["validated_at"])
    assert_no_source(got["reconciled_at"])


def test_an_amount_described_first_as_computed_is_the_erp_s_figure(samples):
    # given an order's totals whose description opens with "computed"
    # (a sum of the lines, a figure from another column)
    fields = (
        {
            "name": "total_neto",
            "type": "decimal",
            "description": "computed: sum of the lines; orders.total_neto numeric",
        },
        {"name": "gross_total", "type": "decimal", "description": "computed; numeric"},
        {
            "name": "importe",
            "type": "decimal",
            "description": "computed from the unit price times the quantity",
        },
    )
    # when suggested on an invoice
    got = suggest(samples["invoice"], *fields)
    # then the ERP works each out itself: no source
    assert_no_source(got["total_neto"])
    assert_no_source(got["gross_total"])
    assert_no_source(got["importe"])


def test_an_amount_computed_only_when_left_out_may_be_sent(samples):
    # given an invoice total computed only when not given
    fields = (
        {
            "name": "gross_total",
            "type": "decimal",
            "description": "computed when blank from the lines",
        },
    )
    # when suggested on an invoice
    got = suggest(samples["invoice"], *fields)
    # then it is still the invoice's total
    assert got["gross_total"].source == "total"


def test_a_key_described_as_the_external_record_s_id_is_stripe_s_id(samples):
    # given a link object to an outside system, its key described as the
    # external record's id
    fields = (
        {
            "name": "sync_link.id",
            "type": "string",
            "description": "key of the link object: the external record's id",
        },
    )
    # when suggested on a customer
    got = suggest(samples["customer"], *fields)
    # then it is the record's Stripe id
    assert got["sync_link.id"].source == "id"


def test_a_list_entry_s_external_record_key_is_not_the_document_s_id(samples):
    # given the link object of an invoice's first line, its key described
    # as the external record's id
    fields = (
        {
            "name": "rows.0.sync_link.id",
            "type": "string",
            "description": "key of the link object: the external record's id",
        },
    )
    # when suggested on an invoice
    got = suggest(samples["invoice"], *fields)
    # then it is not the invoice's Stripe id
    assert got["rows.0.sync_link.id"].source != "id"


def test_an_address_line_named_by_its_number_keeps_that_line_beside_a_street(
    samples,
):
    # given a postal address with both a street field and numbered lines,
    # as Brazilian gateways ask for
    fields = (
        {"name": "endereco.street", "type": "string", "description": "Street name"},
        {"name": "endereco.line_1", "type": "string", "description": "First line"},
        {"name": "endereco.line_2", "type": "string", "description": "Second line"},
    )
    # when suggested on a customer
    got = suggest(samples["customer"], *fields)
    # then each numbered line is Stripe's line of that number, the first as
    # the street is
    assert got["endereco.street"].source == "address.line1"
    assert got["endereco.line_1"].source == "address.line1"
    assert got["endereco.line_2"].source == "address.line2"


def test_a_record_s_reference_in_the_merchant_s_system_is_its_own_key(samples):
    # given a gateway's ref field described as the record's reference code
    # in the merchant's system, on a payment and on an invoice
    field = {
        "name": "codigo",
        "type": "string",
        "description": "the record's reference code in the merchant's own system",
    }
    # when suggested on a charge and on an invoice
    on_charge = suggest(samples["charge"], field)
    on_invoice = suggest(samples["invoice"], field)
    # then it is the charge's Stripe id and the invoice's number
    assert on_charge["codigo"].source == "id"
    assert on_invoice["codigo"].source == "number"


def test_a_timestamp_of_when_the_erp_last_did_something_has_no_source(samples):
    # given an invoice's timestamps of its last reminder and last print
    fields = (
        {"name": "last_reminder_at", "type": "datetime"},
        {"name": "last_print_at", "type": "datetime"},
    )
    # when suggested on an invoice
    got = suggest(samples["invoice"], *fields)
    # then each is when the ERP last did it: no source
    assert_no_source(got["last_reminder_at"])
    assert_no_source(got["last_print_at"])


def test_a_state_described_as_a_state_machine_is_a_status(samples):
    # given an order's state whose description lists its steps and calls it
    # a state machine, none of them a stage Stripe names
    fields = (
        {
            "name": "order_state",
            "type": "string",
            "description": "quote, confirmed, shipped (state machine)",
        },
    )
    # when suggested on an invoice
    got = suggest(samples["invoice"], *fields)
    # then it is the ERP's status, not a place's state: no source
    assert_no_source(got["order_state"])


def test_a_text_described_first_as_computed_is_the_erp_s_own(samples):
    # given a party's display name the ERP puts together from its parts
    fields = (
        {
            "name": "nombre_completo",
            "type": "string",
            "description": "computed: salutation + given name + surname",
        },
    )
    # when suggested on a customer
    got = suggest(samples["customer"], *fields)
    # then the ERP works it out itself: no source
    assert_no_source(got["nombre_completo"])


def test_a_name_described_as_the_kind_of_record_has_no_source(samples):
    # given a link object's name described as the kind of record it links
    # to, beside a customer's name
    fields = (
        {"name": "razon_social", "type": "string", "description": "company name"},
        {
            "name": "sync_link.name",
            "type": "string",
            "description": "the kind of external record",
        },
    )
    # when suggested on a customer
    got = suggest(samples["customer"], *fields)
    # then it names a kind, no party: no source
    assert_no_source(got["sync_link.name"])


def test_a_last_name_described_as_a_company_s_whole_name_is_the_name(samples):
    # given a party's family-name column that holds a company's whole name
    fields = (
        {
            "name": "apellidos",
            "type": "string",
            "description": "the name; a company's whole name for companies",
        },
    )
    # when suggested on a customer
    got = suggest(samples["customer"], *fields)
    # then it is Stripe's whole name, not split
    assert got["apellidos"].source == "name"
    assert got["apellidos"].transforms == []


def test_a_whole_number_carriage_charge_in_cents_has_no_source(samples):
    # given an order's freight charge, a whole number of cents
    fields = (
        {
            "name": "freight.amount",
            "type": "int",
            "description": "Freight charge, in cents",
        },
    )
    # when suggested on an invoice
    got = suggest(samples["invoice"], *fields)
    # then Stripe books carriage as a line: no source
    assert_no_source(got["freight.amount"])
