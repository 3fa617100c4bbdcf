"""Suggester rules added on v47's former held-out part: each a class of misses.

The fields are made up in the shape the misses had (PascalCase dates named
after the VAT, camelCase objects of a tax number's type and value, ...), not
copied from one vendor.
"""

from tests.mapping.suggesting import assert_no_source, suggest


def test_a_date_of_the_taxable_supply_or_the_vat_is_the_erps(samples):
    # given an invoice's dates of its VAT's claim and of its taxable supply
    # beside its date of issue
    fields = (
        {"name": "IssueDate", "type": "date", "description": "Date of issue"},
        {"name": "VatClaimDate", "type": "date", "description": "VAT claimed on"},
        {
            "name": "SupplyDate",
            "type": "date",
            "description": "Date of the taxable supply; required",
        },
        {"name": "DateOfTaxing", "type": "date"},
    )
    got = suggest(samples["invoice"], *fields, threshold=None)
    # then the VAT's dates are the ERP's to set, the issue date is created
    assert got["IssueDate"].source == "created"
    for target in ("VatClaimDate", "SupplyDate", "DateOfTaxing"):
        assert_no_source(got[target])


def test_a_date_of_maturity_is_the_due_date(samples):
    # given an invoice's date of maturity beside its date of issue
    fields = (
        {"name": "IssuedOn", "type": "date"},
        {"name": "DateOfMaturity", "type": "date", "description": "Maturity"},
    )
    got = suggest(samples["invoice"], *fields, threshold=None)
    # then it is the due date, not the creation
    assert got["DateOfMaturity"].source == "due_date"
    assert got["IssuedOn"].source == "created"


def test_a_lines_amount_described_as_its_quantity_counts_the_goods(samples):
    # given the first line's amount described as the quantity of goods, and
    # its price
    fields = (
        {
            "name": "Rows.0.Amount",
            "type": "decimal",
            "description": "The quantity of the row's goods; required",
        },
        {"name": "Rows.0.Price", "type": "decimal", "description": "Unit price"},
    )
    got = suggest(samples["invoice"], *fields, threshold=None)
    # then it is the line's quantity, the price its amount
    assert got["Rows.0.Amount"].source == "lines.data.0.quantity"
    assert got["Rows.0.Amount"].transforms == []
    assert got["Rows.0.Price"].source == "lines.data.0.amount"


def test_a_date_named_a_time_or_described_with_its_time_keeps_the_time(samples):
    # given an invoice's dates typed as dates: one named a time, one
    # described as a date and time, one a bare date
    fields = (
        {"name": "issuedTime", "type": "date", "description": "When it was issued"},
        {
            "name": "dueBy",
            "type": "date",
            "description": "Date and time when the invoice is due.",
        },
        {"name": "issueDate", "type": "date", "description": "Date of issue"},
    )
    got = suggest(samples["invoice"], *fields, threshold=None)
    # then the first two keep the time of day, the bare date does not
    steps = {target: [s["name"] for s in got[target].transforms] for target in got}
    assert got["issuedTime"].source == "created"
    assert steps["issuedTime"] == ["unix_to_datetime"]
    assert got["dueBy"].source == "due_date"
    assert steps["dueBy"] == ["unix_to_datetime"]
    assert steps["issueDate"] == ["unix_to_date"]


def test_stripes_object_tag_fills_no_field(samples):
    # given the first line's unit of measure and code, beside its name
    fields = (
        {"name": "Items.0.Unit", "type": "string", "description": "Unit of measure"},
        {"name": "Items.0.Code", "type": "string", "description": "Item code"},
        {"name": "Items.0.Name", "type": "string", "description": "Item name"},
    )
    got = suggest(samples["invoice"], *fields, threshold=None)
    # then neither takes the tag naming Stripe's kind of object (lines.object)
    assert_no_source(got["Items.0.Unit"])
    assert_no_source(got["Items.0.Code"])
    assert got["Items.0.Name"].source == "lines.data.0.description"


def test_a_list_of_the_taxes_applied_is_no_list_of_goods(samples):
    # given an invoice's taxes as a list of items under a tax object, beside
    # its goods lines
    fields = (
        {
            "name": "vat.items.0.amount",
            "type": "decimal",
            "description": "VAT applied: amount of the VAT.",
        },
        {
            "name": "vat.items.0.description",
            "type": "string",
            "description": "VAT applied: description of the VAT.",
        },
        {"name": "items.0.amount", "type": "decimal", "description": "Line amount"},
    )
    got = suggest(samples["invoice"], *fields, threshold=None)
    # then the first tax's amount is the invoice's tax and its text is none
    # of Stripe's; the goods line is the first line
    assert got["vat.items.0.amount"].source == "tax"
    assert_no_source(got["vat.items.0.description"])
    assert got["items.0.amount"].source == "lines.data.0.amount"


def test_the_customers_tax_number_beside_another_partys_is_the_customers(samples):
    # given an invoice's tax numbers of the issuing organisation and of the
    # customer, each an object of a type and a value, the other party's first
    fields = (
        {
            "name": "companyVatNumber.value",
            "type": "string",
            "description": "Company VAT number shown on the invoice: its value.",
        },
        {
            "name": "clientVatNumber.value",
            "type": "string",
            "description": "Client VAT number shown on the invoice: its value.",
        },
    )
    got = suggest(samples["invoice"], *fields, threshold=None)
    # then the customer's takes Stripe's customer tax id, the other none
    assert got["clientVatNumber.value"].source == "customer_tax_ids.0.value"
    assert_no_source(got["companyVatNumber.value"])


def test_a_vat_number_beside_a_bare_identification_number_takes_the_tax_id(
    samples,
):
    # given a customer's company identification number listed before its
    # VAT identification number
    fields = (
        {
            "name": "RegistrationNumber",
            "type": "string",
            "description": "The company's identification number",
        },
        {"name": "VatRegistrationNumber", "type": "string", "description": "VAT ID"},
    )
    got = suggest(samples["customer"], *fields, threshold=None)
    # then the VAT number takes Stripe's tax id, the other none
    assert got["VatRegistrationNumber"].source == "tax_ids.data.0.value"
    assert_no_source(got["RegistrationNumber"])


def test_the_value_in_a_list_of_tax_numbers_is_the_tax_id(samples):
    # given a customer's tax numbers as a list of entries of a value
    fields = (
        {
            "name": "taxIdentifiers.0.value",
            "type": "string",
            "description": "Tax identifiers of the customer: the value.",
        },
    )
    got = suggest(samples["customer"], *fields, threshold=None)
    # then the first entry's value is the customer's first tax id
    assert got["taxIdentifiers.0.value"].source == "tax_ids.data.0.value"


def test_a_number_described_as_a_bank_accounts_has_no_source(samples):
    # given a customer's account number described as its bank account's
    fields = (
        {
            "name": "AccountNo",
            "type": "string",
            "description": "Bank account number; up to 34 characters",
        },
    )
    got = suggest(samples["customer"], *fields, threshold=None)
    # then it is no code of the customer's: Stripe keeps no bank account
    assert_no_source(got["AccountNo"])


def test_the_date_a_document_becomes_delinquent_is_no_creation(samples):
    # given an invoice's date of delinquency beside its date of issue
    fields = (
        {"name": "issuedOn", "type": "date"},
        {
            "name": "delinquencyDate",
            "type": "date",
            "description": "When the unpaid order is considered delinquent",
        },
    )
    got = suggest(samples["invoice"], *fields, threshold=None)
    # then only the date of issue is the creation
    assert got["issuedOn"].source == "created"
    assert_no_source(got["delinquencyDate"])


def test_an_email_on_the_shipping_side_has_no_source(samples):
    # given an invoice's billing and shipping addresses, each with a list of
    # e-mails
    fields = (
        {
            "name": "billTo.emails.0.address",
            "type": "string",
            "description": "Billing address: e-mail address",
        },
        {
            "name": "shipTo.emails.0.address",
            "type": "string",
            "description": "Shipping address: e-mail address",
        },
    )
    got = suggest(samples["invoice"], *fields, threshold=None)
    # then the billing side's is the customer's, Stripe's shipping keeps none
    assert got["billTo.emails.0.address"].source == "customer_email"
    assert_no_source(got["shipTo.emails.0.address"])


def test_a_record_described_as_the_documents_item_is_its_first_line(samples):
    # given a record added once per line, its fields described as those of
    # the invoice's item
    fields = (
        {"name": "title", "type": "string", "description": "Title of the order item."},
        {"name": "total", "type": "decimal", "description": "Total of the order item."},
    )
    got = suggest(samples["invoice"], *fields, threshold=None)
    # then its text and money are the first line's
    assert got["title"].source == "lines.data.0.description"
    assert got["total"].source == "lines.data.0.amount"


def test_a_whole_number_named_with_is_is_a_switch(samples):
    # given an invoice's whole number whose name opens with "is"
    fields = ({"name": "IsPaid", "type": "int"}, {"name": "is_sent", "type": "int"})
    got = suggest(samples["invoice"], *fields, threshold=None)
    # then each is a flag kept as a number, no amount or count of Stripe's
    for target in ("IsPaid", "is_sent"):
        assert not got[target].source or got[target].source.startswith("options.")
