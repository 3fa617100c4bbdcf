"""Suggester rules added on v64's former held-out part (FacturaScripts, Midtrans).

The fields are made up in the shape the misses had (Spanish column names,
often run together after a short prefix such as cod, fec or dir), not
copied from one vendor.
"""

from tests.mapping.suggesting import assert_no_source, lookup, suggest


def test_spanish_column_names_are_read_as_their_english_words(samples):
    # given a customer's columns named in Spanish, some run together after
    # a short prefix (codigo postal, a mobile phone, a locality, comments)
    fields = (
        {"name": "codigopostal", "type": "string"},
        {"name": "localidad", "type": "string"},
        {"name": "movil", "type": "string"},
        {"name": "comentarios", "type": "string"},
    )
    # when suggested on a customer
    got = suggest(samples["customer"], *fields)
    # then each is read as the English word it translates
    assert got["codigopostal"].source == "address.postal_code"
    assert got["localidad"].source == "address.city"
    assert got["movil"].source == "phone"
    assert got["comentarios"].source == "description"


def test_a_spanish_prefixed_currency_code_is_the_currency(samples):
    # given an invoice's currency named cod + moneda, and its notes
    fields = (
        {"name": "codmoneda", "type": "string"},
        {"name": "notas", "type": "string"},
    )
    # when suggested on an invoice
    got = suggest(samples["invoice"], *fields)
    # then the code is the invoice's currency and the notes its description
    assert got["codmoneda"].source == "currency"
    assert got["notas"].source == "description"


def test_a_spanish_speaking_country_s_tax_id_is_the_party_s_tax_id(samples):
    # given a customer's Mexican RFC and an Argentine CUIT beside its name
    fields = (
        {"name": "rfc_cliente", "type": "string"},
        {"name": "nombre", "type": "string"},
    )
    other = ({"name": "cuit", "type": "string", "description": "CUIT"},)
    # when suggested on a customer
    got = suggest(samples["customer"], *fields)
    got_other = suggest(samples["customer"], *other)
    # then each is the customer's tax id
    assert got["rfc_cliente"].source == "tax_ids.data.0.value"
    assert got_other["cuit"].source == "tax_ids.data.0.value"


def test_a_spanish_cif_and_nif_column_is_the_customer_s_tax_id(samples):
    # given an invoice's column holding the customer's CIF or NIF, run
    # together, beside the customer's name
    fields = (
        {"name": "nifcif", "type": "string"},
        {"name": "nombrecliente", "type": "string"},
    )
    # when suggested on an invoice
    got = suggest(samples["invoice"], *fields)
    # then it is the tax id copied onto the invoice
    assert got["nifcif"].source == "customer_tax_ids.0.value"


def test_a_spanish_code_before_the_record_it_keys_is_a_reference(samples):
    # given a payment's columns keying its customer and its invoice by a
    # code written before the record's name (codigo de cliente, cod factura)
    fields = (
        {"name": "codigo_cliente", "type": "string"},
        {"name": "codfactura", "type": "string"},
    )
    # when suggested on a charge
    got = suggest(samples["charge"], *fields)
    # then each is the record it keys, through the id map
    assert got["codigo_cliente"].source == "customer"
    assert lookup(got["codigo_cliente"]) == "customer"
    assert got["codfactura"].source == "invoice"
    assert lookup(got["codfactura"]) == "invoice"


def test_an_int_amount_described_in_whole_units_of_a_currency_is_converted(samples):
    # given a whole-number amount described as counted in whole pesos, and
    # one in whole rupiahs
    fields = (
        {"name": "chargeTotal", "type": "int", "description": "Total (whole pesos)"},
        {"name": "paidSum", "type": "int", "description": "Paid, in whole rupiahs"},
    )
    # when suggested on a charge
    got = suggest(samples["charge"], *fields)
    # then Stripe's minor units are converted into the currency's main unit
    for target in ("chargeTotal", "paidSum"):
        assert [step["name"] for step in got[target].transforms] == ["minor_to_decimal"]


def test_a_field_of_a_spanish_named_first_line_is_the_first_line_s(samples):
    # given an invoice's first row of a list named detalle (Spanish for the
    # document's detail lines): its text and its net price
    fields = (
        {"name": "detalle.0.descripcion", "type": "string"},
        {"name": "detalle.0.preciototal", "type": "decimal"},
    )
    # when suggested on an invoice
    got = suggest(samples["invoice"], *fields)
    # then each is the first line item's, not the invoice's own
    assert got["detalle.0.descripcion"].source == "lines.data.0.description"
    assert got["detalle.0.preciototal"].source == "lines.data.0.amount"


def test_a_line_s_quantity_already_delivered_is_not_the_quantity_sold(samples):
    # given the first line's quantity ordered and the part of it already
    # delivered, as an ERP's order lines keep it
    fields = (
        {"name": "items.0.qty", "type": "decimal", "description": "Quantity"},
        {
            "name": "items.0.qtydone",
            "type": "decimal",
            "description": "Quantity already delivered to the customer",
        },
    )
    # when suggested on an invoice
    got = suggest(samples["invoice"], *fields)
    # then the quantity is the line's; the delivered part has no source
    assert got["items.0.qty"].source == "lines.data.0.quantity"
    assert_no_source(got["items.0.qtydone"])


def test_a_spanish_withholding_amount_has_no_source(samples):
    # given an invoice's sum withheld, named for the retención and for
    # Spain's IRPF, beside its tax
    fields = (
        {"name": "importeretencion", "type": "decimal"},
        {"name": "importeirpf", "type": "decimal"},
        {"name": "impuesto", "type": "decimal"},
    )
    # when suggested on an invoice
    got = suggest(samples["invoice"], *fields)
    # then what the payer withholds has no source; the tax is the tax
    assert_no_source(got["importeretencion"])
    assert_no_source(got["importeirpf"])
    assert got["impuesto"].source == "tax"


def test_a_po_box_named_in_spanish_has_no_source(samples):
    # given a customer's casilla postal (a post-office box, as Chile and
    # Argentina name it) beside its street
    fields = (
        {
            "name": "casilla",
            "type": "string",
            "description": "Casilla postal del cliente (PO box)",
        },
        {"name": "calle", "type": "string"},
    )
    # when suggested on a customer
    got = suggest(samples["customer"], *fields)
    # then the box has no source; the street is the address's first line
    assert_no_source(got["casilla"])
    assert got["calle"].source == "address.line1"


def test_a_line_s_int_price_in_whole_units_of_a_currency_is_the_line_s(samples):
    # given the first line's price as a whole number of pesos
    fields = (
        {
            "name": "products.0.salePrice",
            "type": "int",
            "description": "Sale price of the product (whole pesos)",
        },
    )
    # when suggested on an invoice
    got = suggest(samples["invoice"], *fields)
    # then it is the first line's amount, converted from Stripe's minor units
    assert got["products.0.salePrice"].source == "lines.data.0.amount"
    assert [step["name"] for step in got["products.0.salePrice"].transforms] == [
        "minor_to_decimal"
    ]


def test_a_number_described_as_a_percent_of_a_tax_is_a_rate(samples):
    # given a line's number described as the % of its tax, and the line's
    # net price
    fields = (
        {"name": "items.0.vat", "type": "decimal", "description": "% of the VAT"},
        {"name": "items.0.netprice", "type": "decimal", "description": "Net"},
    )
    # when suggested on an invoice
    got = suggest(samples["invoice"], *fields)
    # then the percentage is a rate with no source; the price is the line's
    assert_no_source(got["items.0.vat"])
    assert got["items.0.netprice"].source == "lines.data.0.amount"


def test_a_bare_name_beside_a_last_name_and_no_first_name_is_the_first_name(
    samples,
):
    # given a contact named by a bare name and a cognome (Italian: the last
    # name), with no first-name field
    fields = (
        {"name": "contatto.nome", "type": "string"},
        {"name": "contatto.cognome", "type": "string", "description": "Surname"},
    )
    # and another record with a first name beside the bare name
    others = (
        {"name": "Name", "type": "string"},
        {"name": "FirstName", "type": "string"},
        {"name": "LastName", "type": "string"},
    )
    # when suggested on a customer
    got = suggest(samples["customer"], *fields)
    got_others = suggest(samples["customer"], *others)
    # then the bare name is the first name split from Stripe's one name
    assert got["contatto.nome"].source == "name"
    assert got["contatto.nome"].transforms == [
        {"name": "split_name", "params": {"part": "first"}}
    ]
    # and beside a first name of its own it stays the whole name
    assert got_others["Name"].transforms == []


def test_a_number_counted_within_a_series_has_no_source(samples):
    # given an invoice's number described as counted within its fiscal year,
    # beside its series
    fields = (
        {
            "name": "invoice_no",
            "type": "string",
            "description": "Running number within the fiscal year",
        },
        {"name": "serie", "type": "string"},
    )
    # when suggested on an invoice
    got = suggest(samples["invoice"], *fields)
    # then the ERP counts it: no source, not Stripe's number
    assert_no_source(got["invoice_no"])


def test_a_position_shared_alone_does_not_make_a_field_an_address_line(samples):
    # given an invoice's second order number (pedido: Spanish for an order),
    # which shares only its digit with the customer's address line 2
    fields = ({"name": "pedido2", "type": "string"},)
    # when suggested on an invoice
    got = suggest(samples["invoice"], *fields)
    # then the digit alone does not make it the address's second line
    assert got["pedido2"].source != "customer_address.line2"
    assert got["pedido2"].confidence < 0.5


def test_an_amount_the_erp_computes_itself_has_no_source(samples):
    # given an invoice's total described as computed by the ERP on save
    fields = (
        {
            "name": "invoiceTotal",
            "type": "decimal",
            "description": "Invoice total (computed on save)",
        },
    )
    # when suggested on an invoice
    got = suggest(samples["invoice"], *fields)
    # then the ERP's own figure has no source
    assert_no_source(got["invoiceTotal"])
