"""Suggester rules added on v39's former held-out part: each a class of misses.

The fields are made up in the shape the misses had (a bare key sent in the
URL, ...), not copied from one vendor.
"""

from tests.mapping.suggesting import assert_no_source, suggest


def test_an_invoices_own_key_in_the_url_is_looked_up_through_the_invoice_map(
    samples,
):
    # given a call on the record made earlier for the invoice, named by a bare
    # key sent in the URL
    fields = (
        {
            "name": "id",
            "type": "string",
            "description": "Path parameter: the ID of the order to print an "
            "invoice for.",
        },
    )
    got = suggest(samples["invoice"], *fields, threshold=None)
    # then the key is the invoice's own record, found through the invoice map
    lookup = [{"name": "lookup", "params": {"table": "invoice"}}]
    assert (got["id"].source, got["id"].transforms) == ("id", lookup), got["id"]


def test_a_bare_key_in_the_url_is_the_key_of_the_record_it_is_described_as(
    samples,
):
    # given a refund sent on a record named in the URL by a bare key, whose
    # description says which record that is
    fields = (
        {
            "name": "id",
            "type": "string",
            "description": "Path parameter (required): the ID of the web order "
            "to refund.",
        },
    )
    got = suggest(samples["refund"], *fields, threshold=None)
    # then it is read as that record's key: the order booked for the charge
    # refunded, through the charge map
    lookup = [{"name": "lookup", "params": {"table": "charge"}}]
    assert (got["id"].source, got["id"].transforms) == ("charge", lookup), got["id"]


def test_a_country_whose_example_is_a_two_letter_code_takes_the_code(samples):
    # given an invoice's country described only by an example, a two-letter code
    fields = (
        {
            "name": "country",
            "type": "string",
            "description": 'The country of the buyer; the example shows "DE".',
        },
    )
    got = suggest(samples["invoice"], *fields, threshold=None)
    # then the ISO code is copied as it is, not turned into a country name
    country = got["country"]
    assert (country.source, country.transforms) == ("customer_address.country", [])


def test_a_reference_document_is_the_credited_invoice_or_no_source(samples):
    # given a document's key of the document it was made with reference to
    field = {
        "name": "RefDocument",
        "type": "string",
        "max_length": 12,
        "description": "'Reference doc.' ('Number of the reference document')",
    }
    credit = suggest(samples["credit_note"], field, threshold=None)["RefDocument"]
    invoice = suggest(samples["invoice"], field, threshold=None)["RefDocument"]
    # then on a credit note it is the invoice credited, through the invoice map
    lookup = [{"name": "lookup", "params": {"table": "invoice"}}]
    assert (credit.source, credit.transforms) == ("invoice", lookup), credit
    # and on an invoice, which is made with reference to no Stripe document,
    # it has no source: not the invoice's own id or number
    assert_no_source(invoice)


def test_the_name_of_a_place_is_that_place_not_the_partys_name(samples):
    # given a customer's address whose parts are named as the names of places
    fields = (
        {"name": "street_name", "type": "string", "description": "'Street'"},
        {"name": "display_name", "type": "string", "description": "'Name'"},
    )
    got = suggest(samples["customer"], *fields, threshold=None)
    # then the street's name is the street line, not the customer's name
    street = got["street_name"]
    assert (street.source, street.transforms) == ("address.line1", []), street
    # and the name with no place before it stays the customer's
    assert (got["display_name"].source, got["display_name"].transforms) == ("name", [])


def test_a_township_beside_the_city_is_a_part_of_it_with_no_source(samples):
    # given a customer's address with a city and, beside it, a township
    fields = (
        {"name": "city", "type": "string", "description": "'City'"},
        {"name": "township_name", "type": "string", "description": "'Township'"},
        {"name": "township_code", "type": "string", "description": "'Township code'"},
    )
    got = suggest(samples["customer"], *fields, threshold=None)
    # then the township is a division below the city, which Stripe lacks
    for name in ("township_name", "township_code"):
        assert_no_source(got[name])
    # and the city stays the city
    assert (got["city"].source, got["city"].transforms) == ("address.city", [])


def test_a_credit_memo_named_as_a_document_is_no_memo_text(samples):
    # given a credit note's key named for the document, a credit memo, beside
    # its memo text
    fields = (
        {
            "name": "CreditNoteRequest",
            "type": "string",
            "max_length": 10,
            "description": "'Credit Note Request' (header)",
        },
        {"name": "memo", "type": "string", "description": "Memo"},
    )
    got = suggest(samples["credit_note"], *fields, threshold=None)
    # then the document's key takes no text: "credit memo" names a document
    request = got["CreditNoteRequest"]
    assert_no_source(request)
    # and the memo stays the memo
    assert (got["memo"].source, got["memo"].transforms) == ("memo", [])


def test_a_date_prices_or_rates_are_fixed_on_is_no_documents_date(samples):
    # given an invoice's date named for pricing beside its document date
    fields = (
        {"name": "price_date", "type": "date", "description": "Date for prices"},
        {"name": "rate_date", "type": "date", "description": "Exchange rate date"},
        {"name": "doc_date", "type": "date", "description": "Document date"},
    )
    got = suggest(samples["invoice"], *fields, threshold=None)
    # then the dates prices and exchange rates are fixed on have no source
    for name in ("price_date", "rate_date"):
        assert_no_source(got[name])
    # and the document date stays the invoice's creation
    assert got["doc_date"].source == "created", got["doc_date"]


def test_a_format_and_a_country_for_a_format_rule_are_settings(samples):
    # given a customer's name format and the country that picks its rule
    fields = (
        {"name": "name_format", "type": "string", "description": "'Format'"},
        {
            "name": "name_country",
            "type": "string",
            "max_length": 3,
            "description": "'Country for format' ('Country for the name format rule')",
        },
    )
    got = suggest(samples["customer"], *fields, threshold=None)
    # then neither is the customer's name or country: how a name is written
    # is a setting
    for name in ("name_format", "name_country"):
        assert_no_source(got[name])


def test_the_day_a_company_was_founded_is_not_when_the_customer_was_created(
    samples,
):
    # given a customer's founding date, described as its entry in a register,
    # beside the date it became a customer
    fields = (
        {
            "name": "CompanyFoundedOn",
            "type": "date",
            "description": "'Date founded': 'The company's registration in the "
            "trade register.'",
        },
        {"name": "customer_since", "type": "date", "description": "Customer since"},
    )
    got = suggest(samples["customer"], *fields, threshold=None)
    # then the founding date has no source: Stripe knows when the customer was
    # made, not when the company was
    founded = got["CompanyFoundedOn"]
    assert_no_source(founded)
    # and the customer's own date stays its creation
    assert got["customer_since"].source == "created", got["customer_since"]


def test_a_country_goods_leave_from_is_the_sellers_with_no_source(samples):
    # given an order's country of departure beside the buyer's address country
    fields = (
        {
            "name": "DispatchCountry",
            "type": "string",
            "max_length": 3,
            "description": "'Country of dispatch'",
        },
        {"name": "bill_to_country", "type": "string", "max_length": 2},
    )
    got = suggest(samples["invoice"], *fields, threshold=None)
    # then where the goods leave from is the seller's country, not the buyer's
    dispatch = got["DispatchCountry"]
    assert_no_source(dispatch)
    # and the billing country stays the customer's
    assert got["bill_to_country"].source == "customer_address.country"


def test_a_house_numbers_supplement_is_no_second_address_line(samples):
    # given a customer's address with a street, a house number and the
    # number's supplement
    fields = (
        {"name": "street", "type": "string", "description": "'Street'"},
        {"name": "house_number", "type": "string", "description": "'House no.'"},
        {
            "name": "house_number_supplement",
            "type": "string",
            "max_length": 10,
            "description": "'Addition' ('House number supplement')",
        },
    )
    got = suggest(samples["customer"], *fields, threshold=None)
    # then the supplement is a part of the house number, which Stripe keeps in
    # its street line: no source, not line2
    extra = got["house_number_supplement"]
    assert_no_source(extra)
    # and the street stays line1
    assert (got["street"].source, got["street"].transforms) == ("address.line1", [])


def test_a_citys_code_is_the_key_of_a_city_record_not_the_city(samples):
    # given a customer's address with a city, the city's code in the ERP's
    # register of cities, and the city's postal code
    fields = (
        {"name": "town", "type": "string", "description": "'Town'"},
        {
            "name": "town_code",
            "type": "string",
            "max_length": 12,
            "description": "'Town code' (for the register of towns and streets)",
        },
        {"name": "town_postal_code", "type": "string", "description": "'Postcode'"},
    )
    got = suggest(samples["customer"], *fields, threshold=None)
    # then the code has no source: Stripe names a city, it keys none
    code = got["town_code"]
    assert_no_source(code)
    # and the city and its postal code keep theirs
    assert got["town"].source == "address.city", got["town"]
    assert got["town_postal_code"].source == "address.postal_code"


def test_a_note_on_an_email_or_phone_item_is_no_text_of_the_customer(samples):
    # given a customer's e-mail and phone items, each with its address or
    # number and a note on it
    fields = (
        {"name": "mail_addresses.0.email", "type": "string", "description": "Mail"},
        {
            "name": "mail_addresses.0.remark_text",
            "type": "string",
            "max_length": 50,
            "description": "'Notes' ('Notes on the communication link')",
        },
        {"name": "phones.0.number", "type": "string", "description": "'Phone'"},
        {"name": "phones.0.comment", "type": "string", "description": "'Comment'"},
    )
    got = suggest(samples["customer"], *fields, threshold=None)
    # then a note on an e-mail address or a phone number has no source:
    # Stripe keeps no text per contact, and it is neither the e-mail nor the
    # customer's description
    for name in ("mail_addresses.0.remark_text", "phones.0.comment"):
        assert_no_source(got[name])
    # and the e-mail and the phone keep theirs
    assert got["mail_addresses.0.email"].source == "email"
    assert got["phones.0.number"].source == "phone"


def test_a_division_of_the_organisation_is_no_state(samples):
    # given an order's division of the selling organisation beside the buyer's
    # region
    fields = (
        {
            "name": "SalesDivision",
            "type": "string",
            "max_length": 2,
            "description": "'Division'",
        },
        {"name": "billing_region", "type": "string", "description": "'Region'"},
    )
    got = suggest(samples["invoice"], *fields, threshold=None)
    # then the division is a part of the seller's set-up, with no source
    division = got["SalesDivision"]
    assert_no_source(division)
    # and the region stays the buyer's state
    assert got["billing_region"].source == "customer_address.state"


def test_a_tax_numbers_category_is_the_tax_ids_type_onto_the_erps_codes(samples):
    # given a customer's tax item: its number and the number's category
    fields = (
        {
            "name": "taxes.0.TaxNo",
            "type": "string",
            "max_length": 20,
            "description": "'Tax number'",
        },
        {
            "name": "taxes.0.TaxNoKind",
            "type": "string",
            "max_length": 4,
            "description": "'Category of the tax number'",
        },
    )
    got = suggest(samples["customer"], *fields, threshold=None)
    # then the category is the tax id's type, mapped onto the ERP's categories
    kind = got["taxes.0.TaxNoKind"]
    value_map = [{"name": "value_map", "params": {"map": {}}}]
    assert (kind.source, kind.transforms) == ("tax_ids.data.0.type", value_map), kind
    # and the number stays the tax id's value
    assert got["taxes.0.TaxNo"].source == "tax_ids.data.0.value"


def test_a_documents_reason_a_few_characters_wide_is_a_code_of_the_erps(samples):
    # given a credit note's reason three characters wide
    fields = (
        {
            "name": "DocReason",
            "type": "string",
            "max_length": 3,
            "description": "'Order reason' ('Reason for the transaction')",
        },
    )
    got = suggest(samples["credit_note"], *fields, threshold=None)
    # then the document's reason is Stripe's, mapped onto the ERP's codes:
    # none of Stripe's reasons fits in three characters
    value_map = [{"name": "value_map", "params": {"map": {}}}]
    reason = got["DocReason"]
    assert (reason.source, reason.transforms) == ("reason", value_map), reason


def test_an_order_date_described_as_the_document_date_is_the_documents(samples):
    # given an order standing for the invoice, with its order date described as
    # the document's date, beside a billing document date
    fields = (
        {"name": "OrderDate", "type": "date", "description": "'Document date'"},
        {"name": "BillingDocDate", "type": "date", "description": "'Billing date'"},
    )
    got = suggest(samples["invoice"], *fields, threshold=None)
    # then the order date is the document's own date: the invoice's creation
    order = got["OrderDate"]
    unix = [{"name": "unix_to_date", "params": {"timezone": "$options.timezone"}}]
    assert (order.source, order.transforms) == ("created", unix), order


def test_a_value_date_on_an_invoice_is_no_date_of_the_document(samples):
    # given an invoice's value date beside its document date
    fields = (
        {"name": "value_dt", "type": "date", "description": "'Value date'"},
        {"name": "doc_date", "type": "date", "description": "'Document date'"},
    )
    got = suggest(samples["invoice"], *fields, threshold=None)
    # then the value date, when a payment counts as made, has no source on a
    # document no payment has settled yet
    value = got["value_dt"]
    assert_no_source(value)
    # and the document date stays the invoice's creation
    assert got["doc_date"].source == "created", got["doc_date"]


def test_a_business_partners_number_is_no_registered_business_number(samples):
    # given a customer record keyed by its business partner's number, with no
    # tax id field beside it
    fields = (
        {
            "name": "Partner",
            "type": "string",
            "max_length": 10,
            "description": "'Partner' ('Business partner number'): 'Key of the "
            "business partner in the ERP.'",
        },
        {"name": "CityName", "type": "string", "description": "'City'"},
    )
    got = suggest(samples["customer"], *fields, threshold=None)
    # then the partner's key is not taken for the company's registered number,
    # the tax id: a business partner is the party, not a business number
    partner = got["Partner"]
    assert not partner.source.startswith("tax_ids"), partner


def test_a_partys_key_on_an_address_record_is_the_customer_looked_up(samples):
    # given an address record of a customer, with no name of the party, keyed
    # by the party it is added to
    fields = (
        {
            "name": "Partner",
            "type": "string",
            "max_length": 10,
            "description": "'Partner' ('Business partner number'): 'Key of the "
            "business partner in the ERP.'",
        },
        {"name": "Street", "type": "string", "description": "'Street'"},
        {"name": "CityName", "type": "string", "description": "'City'"},
        {"name": "PostCode", "type": "string", "description": "'Postal code'"},
        {"name": "Country", "type": "string", "description": "'Country'"},
    )
    got = suggest(samples["customer"], *fields, threshold=None)
    # then the key is of the customer the address belongs to, which exists
    # already: its Stripe id through the customer map
    partner = got["Partner"]
    lookup = [{"name": "lookup", "params": {"table": "customer"}}]
    assert (partner.source, partner.transforms) == ("id", lookup), partner
    # and the address parts keep theirs
    assert got["CityName"].source == "address.city"


def test_a_key_from_an_unnamed_external_system_is_the_stripe_id(samples):
    # given a customer's number in an external system the description does not
    # name
    fields = (
        {
            "name": "PartnerNoByExtSys",
            "type": "string",
            "max_length": 20,
            "description": "'External number' ('Partner number in External "
            "System'): 'Number from an external or a legacy system.'",
        },
    )
    got = suggest(samples["customer"], *fields, threshold=None)
    # then the external system is the one sending the customer: Stripe, its id
    key = got["PartnerNoByExtSys"]
    assert (key.source, key.transforms) == ("id", []), key


def test_a_persons_birthplace_is_no_name_of_the_customer(samples):
    # given a customer's birthplace, named as the place's name
    fields = (
        {
            "name": "BirthplaceName",
            "type": "string",
            "description": "'Birthplace' ('Birthplace of the customer')",
        },
    )
    got = suggest(samples["customer"], *fields, threshold=0.0)
    # then it is a detail of the person's birth, which Stripe does not ask,
    # not even as a weak guess at the customer's name
    birthplace = got["BirthplaceName"]
    assert_no_source(birthplace)


def test_the_first_of_numbered_name_fields_takes_the_name(samples):
    # given a customer's four numbered name fields, the first described as the
    # first name field and the third as the third
    fields = [
        {
            "name": f"OrgName{number}",
            "type": "string",
            "description": f"'Name {number}': '{ordinal} name field of the "
            "organisation.'",
        }
        for number, ordinal in (
            (1, "First"),
            (2, "Second"),
            (3, "Third"),
            (4, "Fourth"),
        )
    ]
    got = suggest(samples["customer"], *fields, threshold=None)
    # then the first takes the customer's name, the others go on with it
    assert (got["OrgName1"].source, got["OrgName1"].transforms) == ("name", [])
    for name in ("OrgName2", "OrgName3", "OrgName4"):
        assert not got[name].source, got[name]
