"""Suggester rules added on v56's former held-out part: each a class of misses.

The fields are made up in the shape the misses had (reference elements named
for the record they point at and described as references to it, dates of the
receivables' follow-up kept beside a document's own dates), not copied from
one vendor.
"""

from tests.mapping.suggesting import assert_no_source, lookup, suggest


def test_a_reference_to_a_record_stripe_does_not_keep_has_no_source(samples):
    # given reference elements described as references to records of the
    # ERP's own set-up, beside references to records Stripe keeps too
    fields = (
        {
            "name": "Billing_Schedule_Reference",
            "type": "string",
            "description": "A reference to a Billing Schedule by one of its IDs.",
        },
        {
            "name": "Warehouse_Reference",
            "type": "array",
            "description": "References to Warehouse instances.",
        },
        {
            "name": "Sales_Territory_Ref",
            "type": "string",
            "description": "Reference to the sales territory.",
        },
        {
            "name": "Customer_Reference",
            "type": "string",
            "description": "A reference to the Customer billed.",
        },
        {
            "name": "Currency_Reference",
            "type": "string",
            "description": "The currency, a reference to a Currency by its code.",
        },
    )
    # when suggested
    got = suggest(samples["invoice"], *fields, threshold=None)
    # then the ERP's records are left to it and Stripe's are still filled
    assert_no_source(got["Billing_Schedule_Reference"])
    assert_no_source(got["Warehouse_Reference"])
    assert_no_source(got["Sales_Territory_Ref"])
    assert lookup(got["Customer_Reference"]) == "customer"
    assert got["Currency_Reference"].source == "currency"


def test_a_reference_to_a_kind_stripe_does_not_type_has_no_source(samples):
    # given references to the ERP's kinds of things, beside one to the kind
    # of a thing the Stripe object has a type for
    fields = (
        {
            "name": "Contact_Device_Type_Reference",
            "type": "string",
            "description": "A reference to a Contact Device Type by one of its IDs.",
        },
        {
            "name": "Default_Payment_Type_Reference",
            "type": "string",
            "description": "A reference to a Payment Type.",
        },
        {
            "name": "Tax_ID_Type_Reference",
            "type": "string",
            "description": "The kind of tax ID, a reference to a Tax ID Type.",
        },
    )
    # when suggested on a customer
    got = suggest(samples["customer"], *fields, threshold=None)
    # then only the typed thing Stripe has keeps its type
    assert_no_source(got["Contact_Device_Type_Reference"])
    assert_no_source(got["Default_Payment_Type_Reference"])
    assert got["Tax_ID_Type_Reference"].source == "tax_ids.data.0.type"


def test_a_reference_to_the_payments_type_is_its_method(samples):
    # given a payment's reference to its payment type
    field = {
        "name": "Payment_Type_Reference",
        "type": "string",
        "description": "A reference to a Payment Type.",
    }
    # when suggested on a charge
    got = suggest(samples["charge"], field, threshold=None)
    # then it is not left to the ERP: the payment has a type of its own
    assert not got["Payment_Type_Reference"].abstained


def test_dates_of_collecting_the_debt_are_not_the_documents(samples):
    # given an invoice's dates of the receivables' work after it is issued
    # (its collection, its follow-up, a dispute, a dunning letter, a risk
    # score), beside its own date
    fields = (
        {"name": "Collection_Date", "type": "date", "description": "Collection Date"},
        {"name": "FollowUpDate", "type": "date", "description": "Follow-up date."},
        {"name": "dispute_date", "type": "date", "description": "Dispute Date"},
        {"name": "DunningDate", "type": "date", "description": "Last dunning."},
        {"name": "Risk_Score_Date", "type": "date", "description": "Risk Score Date"},
        {"name": "Invoice_Date", "type": "date", "description": "Invoice date."},
    )
    # when suggested
    got = suggest(samples["invoice"], *fields, threshold=None)
    # then none of the later dates is its creation; its own date is
    for name in (
        "Collection_Date",
        "FollowUpDate",
        "dispute_date",
        "DunningDate",
        "Risk_Score_Date",
    ):
        assert_no_source(got[name])
    assert got["Invoice_Date"].source == "created"


def test_a_date_in_a_group_of_dunning_settings_is_what_it_names(samples):
    # given the date a payment was made, kept in a group of dunning settings
    field = {
        "name": "dunningSettings.paidAt",
        "type": "date",
        "description": "Date when the invoice was paid.",
    }
    # when suggested on the charge that paid it
    got = suggest(samples["charge"], field, threshold=None)
    # then the group's word does not make it a date of the dunning
    assert got["dunningSettings.paidAt"].source == "created"


def test_the_company_a_document_belongs_to_is_the_sellers(samples):
    # given the company a document is booked to, and on a contact the
    # company the person belongs to
    company = {
        "name": "Company_Reference",
        "type": "string",
        "description": "The company (legal entity) the document belongs to.",
    }
    employer = {
        "name": "company",
        "type": "string",
        "description": "The company the contact belongs to.",
    }
    # when suggested on an invoice, on a payment and on a customer
    on_invoice = suggest(samples["invoice"], company, threshold=None)
    on_charge = suggest(samples["charge"], company, threshold=None)
    on_customer = suggest(samples["customer"], employer, threshold=None)
    # then the document's company is the seller's own, a setting; the
    # contact's is the customer's
    assert_no_source(on_invoice["Company_Reference"])
    assert_no_source(on_charge["Company_Reference"])
    assert on_customer["company"].source == "name"


def test_a_list_of_nested_records_taken_as_one_field_has_no_source(samples):
    # given lists of nested data elements, each kept as one field
    fields = (
        {
            "name": "Contact.Usage_Data",
            "type": "array",
            "description": "List of Communication Usage Data elements.",
        },
        {
            "name": "Delivery_Address_Data",
            "type": "array",
            "description": "A list of address records (one target).",
        },
    )
    # when suggested on a customer
    got = suggest(samples["customer"], *fields, threshold=None)
    # then no one Stripe value fills a list of records
    assert_no_source(got["Contact.Usage_Data"])
    assert_no_source(got["Delivery_Address_Data"])


def test_a_customers_key_assigned_by_the_sender_is_its_stripe_id(samples):
    # given a customer's custom key, described as an account ID the API's
    # user assigns, named for neither an id nor a key
    field = {
        "name": "lookup.custom",
        "type": "string",
        "description": "Optional custom account ID assigned by you.",
    }
    # when suggested on a customer
    got = suggest(samples["customer"], field, threshold=None)
    # then the sender's key is the customer's Stripe id, not a setting
    assert got["lookup.custom"].source == "id"


def test_a_yes_or_no_written_as_codes_is_a_switch(samples):
    # given a refund's question answered by one code for yes, another for no
    field = {
        "name": "returns.0.notification",
        "type": "string",
        "description": 'Notify the customer of the return by e-mail? "ORIGINAL" = yes; '
        '"NONE" = no',
    }
    # when suggested
    got = suggest(samples["refund"], field, threshold=None)
    # then it is a switch of the integration's, no Stripe value
    assert_no_source(got["returns.0.notification"])


def test_a_fact_answered_by_numbers_for_yes_and_no_is_not_a_switch(samples):
    # given a customer's fact kept as 1 for yes and 0 for no
    field = {
        "name": "vat_liable",
        "type": "int",
        "description": "Subject to VAT: 1=yes, 0=no",
    }
    # when suggested
    got = suggest(samples["customer"], field, threshold=None)
    # then it is not left to the integration as a switch of its own
    assert "codes" not in got["vat_liable"].reason


def test_a_reference_to_a_countrys_region_record_has_no_source(samples):
    # given an address's state as a reference to a region record of the
    # ERP's, named for the country it divides, beside the country's key
    fields = (
        {
            "name": "Address.Country_Region_Reference",
            "type": "string",
            "description": "The address's state or province as a Country Region "
            "reference.",
        },
        {
            "name": "Address.CountryRegionId",
            "type": "string",
            "description": "The country of the address.",
        },
    )
    # when suggested
    got = suggest(samples["customer"], *fields, threshold=None)
    # then the region's key is the ERP's; the country's id is the country
    assert_no_source(got["Address.Country_Region_Reference"])
    assert got["Address.CountryRegionId"].source == "address.country"


def test_a_countrys_region_written_as_text_is_the_state(samples):
    # given an address's state as text, named for the country it divides
    field = {
        "name": "Delivery_Address.Country_Region_Text",
        "type": "string",
        "description": "The address's state or province, as text.",
    }
    # when suggested on an invoice
    got = suggest(samples["invoice"], field, threshold=None)
    # then it is the state of that address, not its country
    assert got["Delivery_Address.Country_Region_Text"].source == (
        "customer_shipping.address.state"
    )


def test_the_currency_of_a_credit_limit_is_not_the_customers(samples):
    # given a customer's credit limit currency beside its own currency
    fields = (
        {
            "name": "Credit_Limit_Currency_Code",
            "type": "string",
            "description": "The currency of the credit limit.",
        },
        {"name": "Currency_Code", "type": "string", "description": "The currency."},
    )
    # when suggested
    got = suggest(samples["customer"], *fields, threshold=None)
    # then the limit's currency is the ERP's; the customer's is Stripe's
    assert_no_source(got["Credit_Limit_Currency_Code"])
    assert got["Currency_Code"].source == "currency"


def test_a_reference_to_another_record_of_its_own_kind_has_no_source(samples):
    # given an invoice's reference to a consolidated invoice and a customer's
    # to the customer it is paid from, beside the invoice's own reference
    consolidated = {
        "name": "Consolidated_Invoice_Reference",
        "type": "string",
        "description": "A reference to a Consolidated Invoice.",
    }
    own = {
        "name": "Customer_Invoice_Reference",
        "type": "string",
        "description": "The invoice's reference.",
    }
    remit_from = {
        "name": "Paid_By_Customer_Reference",
        "type": "string",
        "description": "The customer that pays for this one, a reference.",
    }
    # when suggested
    on_invoice = suggest(samples["invoice"], consolidated, own, threshold=None)
    on_customer = suggest(samples["customer"], remit_from, threshold=None)
    # then the other record of the same kind is the ERP's; its own is not
    assert_no_source(on_invoice["Consolidated_Invoice_Reference"])
    assert not on_invoice["Customer_Invoice_Reference"].abstained
    assert_no_source(on_customer["Paid_By_Customer_Reference"])


def test_a_record_named_alone_and_described_as_its_id_is_a_key(samples):
    # given a refund's field named only for the order, described as the
    # order's ID, beside one named for an order that is a sequence
    fields = (
        {
            "name": "items.0.order",
            "type": "string",
            "description": "items: the entries to give back — order: 'Order ID "
            "of the sale to give back'",
        },
        {
            "name": "splits.0.order",
            "type": "string",
            "description": "Order of the split in its group.",
        },
    )
    # when suggested on a refund
    got = suggest(samples["refund"], *fields, threshold=None)
    # then the order's ID is the charge refunded; a sequence is not
    assert lookup(got["items.0.order"]) == "charge"
    assert got["splits.0.order"].source != "charge"


def test_a_reference_to_a_kind_stripe_has_is_mapped_onto_it(samples):
    # given references to one of the ERP's kinds or reasons, where the
    # Stripe object has a kind of the same thing or a reason of its own
    payment_type = {
        "name": "Payment_Type_Reference",
        "type": "string",
        "description": "The payment type (cheque, card, transfer), a reference.",
    }
    tax_id_type = {
        "name": "Tax_ID_Type_Reference",
        "type": "string",
        "description": "The kind of tax ID, a Tax ID Type reference.",
    }
    reason = {
        "name": "Adjustment_Reason_Reference",
        "type": "string",
        "description": "Why the document is adjusted, a reference.",
    }
    # when suggested on a charge, a customer and a credit note
    on_charge = suggest(samples["charge"], payment_type, threshold=None)
    on_customer = suggest(samples["customer"], tax_id_type, threshold=None)
    on_credit = suggest(samples["credit_note"], reason, threshold=None)
    # then each is Stripe's kind or reason, mapped onto the ERP's records
    for got, target, source in (
        (on_charge, "Payment_Type_Reference", "payment_method_details.type"),
        (on_customer, "Tax_ID_Type_Reference", "tax_ids.data.0.type"),
        (on_credit, "Adjustment_Reason_Reference", "reason"),
    ):
        assert got[target].source == source, got[target]
        assert [s["name"] for s in got[target].transforms] == ["value_map"]


def test_a_page_to_reference_in_the_reason_is_not_the_reason(samples):
    # given a credit's link to a page, named for the reason it is cited in
    field = {
        "name": "reasonReference",
        "type": "string",
        "description": "ID of a Page to reference in reason.",
    }
    # when suggested
    got = suggest(samples["credit_note"], field, threshold=None)
    # then it is no reason mapped onto the ERP's
    assert got["reasonReference"].source != "reason"


def test_a_reference_to_a_record_the_object_links_is_looked_up(samples):
    # given a credit's reference to the invoice it corrects and a payment's
    # to the customer it comes from, both qualified
    corrected = {
        "name": "Corrected_Sales_Invoice_Reference",
        "type": "string",
        "description": "The sales invoice the credit corrects, a reference.",
    }
    payer = {
        "name": "Paying_Customer_Reference",
        "type": "string",
        "description": "The customer the payment comes from, a reference.",
    }
    # when suggested
    on_credit = suggest(samples["credit_note"], corrected, threshold=None)
    on_charge = suggest(samples["charge"], payer, threshold=None)
    # then each is the linked record's Stripe id through the id map
    assert lookup(on_credit["Corrected_Sales_Invoice_Reference"]) == "invoice"
    assert lookup(on_charge["Paying_Customer_Reference"]) == "customer"


def test_a_list_of_currencies_is_not_the_records_one_currency(samples):
    # given a customer's list of the currencies it may be billed in
    field = {
        "name": "Allowed_Currencies",
        "type": "array",
        "description": "The currencies accepted from the customer.",
    }
    # when suggested
    got = suggest(samples["customer"], field, threshold=None)
    # then Stripe's one currency is not the list
    assert_no_source(got["Allowed_Currencies"])


def test_a_tax_ids_type_as_a_reference_is_mapped_onto_the_erps_types(samples):
    # given a tax id's group whose type is a reference to the ERP's types
    field = {
        "name": "Tax_Number_Data.0.Tax_ID_Type_Reference",
        "type": "string",
        "description": "The kind of tax ID, a Tax ID Type reference.",
    }
    # when suggested on a customer
    got = suggest(samples["customer"], field, threshold=None)
    # then the tax id's type goes onto them through a value map
    item = got["Tax_Number_Data.0.Tax_ID_Type_Reference"]
    assert item.source == "tax_ids.data.0.type"
    assert [s["name"] for s in item.transforms] == ["value_map"]


def test_a_date_kept_on_an_address_is_not_the_documents(samples):
    # given an invoice's bill-to address with a date of its own
    field = {
        "name": "Billing_Address.0.Valid_From",
        "type": "date",
        "description": "Effective date.",
    }
    # when suggested
    got = suggest(samples["invoice"], field, threshold=None)
    # then Stripe's addresses carry no date: none is the document's
    assert_no_source(got["Billing_Address.0.Valid_From"])
