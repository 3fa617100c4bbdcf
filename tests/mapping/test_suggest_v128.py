"""Suggester rules added on v130's former held-out part (eWAY, Zurmo).

Each field below is made up after the shape of a miss, named by no vendor,
and stands beside a near field that its rule leaves alone.
"""

from tests.mapping.suggesting import described, lookup, sourced, suggest


def test_an_address_in_a_group_named_second_takes_no_email(samples):
    # given a person's e-mail held in a group named for the other address
    # (the address inside "alternateEmail"), beside the same inside the group
    # named for the main one (the near case)
    other = described("alternateEmail.address", "email", "The address.")
    main = described("mainEmail.address", "email", "The address.")
    # when each is suggested alone on a Stripe customer, then the other
    # abstains and the main one takes the customer's e-mail
    found = [sourced(samples, "customer", field) for field in (other, main)]
    assert [item.source for item in found] == ["", "email"], found
    assert found[0].abstained, found[0]


def test_an_apostrophe_in_a_quoted_label_does_not_close_it(samples):
    # given a person's title whose quoted label holds a possessive ("the
    # client's title"), beside a coded column whose quoted label closes
    # before the words after it (the near case: read as "Client number")
    title = described("Client.Title", "string", "'The client's title: Mr, Dr or Prof.'")
    coded = described("CLTNMBR", "string", "'Client number' (the client's own)")
    # when each is suggested alone on a Stripe charge, then the title is
    # read whole (a form of address, which abstains), not as "The client",
    # a key of the client; the coded column is the charge's customer
    found = [sourced(samples, "charge", field) for field in (title, coded)]
    assert [item.source for item in found] == ["", "customer"], found
    assert found[0].abstained and lookup(found[1]) == "customer", found


def test_a_key_used_by_the_sending_software_names_no_party(samples):
    # given a partner's key described as one a shop's platform or plugin
    # sends, beside a partner's key described as the party paying (the near
    # case: the charge's customer)
    sent = described(
        "PartnerRef", "string", "'Used by the platform or plugin sending it.'"
    )
    paying = described("PartnerRef", "string", "Id of the partner paying.")
    # when each is suggested alone on a Stripe charge, then the software's
    # key abstains and the party's is the customer through the id map
    found = [sourced(samples, "charge", field) for field in (sent, paying)]
    assert [item.source for item in found] == ["", "customer"], found
    assert found[0].abstained and lookup(found[1]) == "customer", found


def test_a_key_of_the_customer_as_a_gateway_keeps_it_is_the_customer(samples):
    # given the key of a customer as a payment gateway stores it (a vaulted
    # customer's, a client profile's), beside a token held for the client
    # with no key word (the near case: a value of the gateway's own)
    keys = [
        described("VaultCustomerID", "string", "An ID the gateway issued."),
        described("payer.clientProfileId", "string", "The gateway's profile id."),
    ]
    token = described("payer.clientToken", "string", "A token for the client.")
    # when suggested on a Stripe invoice, then each key is the invoice's
    # customer through the id map, and the token takes no customer
    found = [sourced(samples, "invoice", field) for field in keys]
    assert [(item.source, lookup(item)) for item in found] == [
        ("customer", "customer")
    ] * 2, found
    assert sourced(samples, "invoice", token).source != "customer"


def test_an_account_key_typed_as_the_account_record_is_the_customer(samples):
    # given a deal's account held by its key and typed as the account record
    # it refers to, on a Stripe invoice and on a Stripe charge
    account = described("acct.key", "Account (one record, by key)", "The account.")
    for kind in ("invoice", "charge"):
        item = sourced(samples, kind, account)
        # then it is the customer, through the integration's customer map
        assert (item.source, lookup(item)) == ("customer", "customer"), item


def test_record_typed_keys_the_account_rule_leaves_alone(samples):
    # the near cases: the same key on a customer (another account, its
    # parent) and a deal's owner typed as a user record, which no Stripe
    # field is
    near = [
        ("customer", described("acct.key", "Account (one record, by key)", "")),
        ("invoice", described("owner.key", "User (one record, by key)", "")),
    ]
    found = [sourced(samples, kind, field) for kind, field in near]
    assert [(item.source, item.transforms) for item in found] == [("", [])] * 2, found


# A deal's phases as a form's dropdown lists them.
DEAL_PHASE = {
    **described("dealPhase", "dropdown", "The phase the deal is in."),
    "choices": ["Talking", "Offer made", "Deal won", "Deal lost"],
}


def test_a_deals_phases_ending_won_or_lost_take_the_status(samples):
    # given a deal's phase picked from a list that ends on a won and a lost
    # phase, on a Stripe invoice and on a Stripe charge
    for kind, done in (("invoice", "paid"), ("charge", "succeeded")):
        item = sourced(samples, kind, DEAL_PHASE)
        # then the status maps onto it: a paid invoice or a charge that
        # succeeded is the won deal, a failed or voided one the lost deal
        table = item.transforms[0]["params"]["map"] if item.transforms else {}
        assert (item.source, table.get(done)) == ("status", "Deal won"), item


def test_a_customers_deal_phases_take_no_status(samples):
    # the near case: the same list on a Stripe customer, which has no status
    item = sourced(samples, "customer", DEAL_PHASE)
    assert (item.source, item.transforms) == ("", []), item


def test_a_deals_own_name_is_the_invoices_number(samples):
    # given a bare name described as a deal's (the record the request makes)
    name = described("name", "string", "'Name' (the Deal record, required)")
    # when suggested on a Stripe invoice, then it is the invoice's number
    assert sourced(samples, "invoice", name).source == "number"


def test_a_deals_own_name_is_the_charges_description(samples):
    # given the same bare name described as a deal's, on a Stripe charge
    name = described("name", "string", "'Name' (the Deal record, required)")
    # then it is what the charge was for, not the payer's name
    assert sourced(samples, "charge", name).source == "description"


def test_names_the_deal_rule_leaves_alone(samples):
    # the near cases: a bare name on an invoice described as nothing's (the
    # document's own title, which Stripe lacks) and a job title of a deal's
    # contact, which is a person's
    fields = [
        described("name", "string", "'Name'"),
        described("title", "string", "Job title of the deal's contact."),
    ]
    found = [sourced(samples, "invoice", field) for field in fields]
    assert found[0].source == "" and found[1].source != "number", found


def test_the_name_of_a_thing_takes_no_partys_name(samples):
    # given the name of a font and of a web host (things, not parties),
    # beside the buyer's name (the near case)
    fields = [
        described("fontName", "string", ""),
        described("webHostName", "string", ""),
        described("buyerName", "string", ""),
    ]
    # when each is suggested alone on a Stripe invoice, then the things'
    # names abstain and the buyer's takes the customer's name
    found = [sourced(samples, "invoice", field) for field in fields]
    assert [item.source for item in found] == ["", "", "customer_name"], found
    assert found[0].abstained and found[1].abstained, found


def test_a_link_the_checkout_returns_to_is_a_setting(samples):
    # given a link described as the one a checkout returns to, beside a link
    # described as the invoice document's (the near case)
    back = described("doneUrl", "string", "The address the checkout uses to return to")
    document = described("docUrl", "string", "The address of the invoice document")
    # when each is suggested alone on a Stripe invoice, then the first
    # abstains and the document's takes the invoice's hosted page
    found = [sourced(samples, "invoice", field) for field in (back, document)]
    assert [item.source for item in found] == ["", "hosted_invoice_url"], found
    assert found[0].abstained, found[0]


def test_a_link_to_a_partys_own_site_is_no_document_page(samples):
    # given a link described as the buyer's own site, beside a link
    # described as the invoice document's (the near case)
    site = described("Buyer.Url", "string", "'The link to the buyer's web site'")
    document = described("docUrl", "string", "The address of the invoice document")
    # when each is suggested alone on a Stripe invoice, then the site
    # abstains and the document's takes the invoice's hosted page
    found = [sourced(samples, "invoice", field) for field in (site, document)]
    assert [item.source for item in found] == ["", "hosted_invoice_url"], found
    assert found[0].abstained, found[0]


def test_a_language_in_a_partys_group_is_a_setting(samples):
    # given the language a buyer's pages are shown in, held in the buyer's
    # group, beside the buyer's e-mail in the same group (the near case)
    language = described("Buyer.Language", "string", "'The language the pages are in'")
    email = described("Buyer.Email", "string", "The buyer's e-mail address")
    # when both are suggested on a Stripe customer (its ERP code kept in the
    # metadata), then the language abstains and the e-mail takes the
    # customer's
    found = suggest(samples["customer"], language, email)
    assert found["Buyer.Language"].abstained, found
    assert [found[name].source for name in found] == ["", "email"], found


def test_a_field_described_as_a_group_of_fields_holds_no_value(samples):
    # given a buyer field described as the group of the buyer's fields,
    # beside a buyer key whose description ends on its group's (the near
    # case: a key of the group, which is the refunded charge's customer)
    group = described(
        "Buyer", "Buyer", "'This group of fields holds the buyer's details.'"
    )
    key = described(
        "Buyer.Id", "string", "'The buyer's key.'; Buyer is 'This group of fields …'"
    )
    # when each is suggested alone on a Stripe refund, then the group
    # abstains and the key is the charge's customer through the id map
    found = [sourced(samples, "refund", field) for field in (group, key)]
    assert [item.source for item in found] == ["", "charge"], found
    assert found[0].abstained and lookup(found[1]) == "customer_of_charge", found


def test_a_kind_of_email_beside_the_plain_email_is_another_address(samples):
    # given a person's plain e-mail beside the e-mails kept for work and home
    fields = [
        described("email", "string", "E-mail"),
        described("workEmail", "string", "E-mail at work"),
        described("homeEmail", "string", "E-mail at home"),
    ]
    # when suggested together on a Stripe customer, then the plain one takes
    # the customer's e-mail and the kinds abstain (other addresses)
    found = suggest(samples["customer"], *fields)
    assert [item.source for item in found.values()] == ["email", "", ""], found
    assert found["workEmail"].abstained and found["homeEmail"].abstained, found


def test_a_kind_of_email_alone_is_the_email(samples):
    # the near case: the work e-mail with no plain one beside it
    item = sourced(samples, "customer", described("workEmail", "string", "At work"))
    assert item.source == "email", item


def test_a_form_fields_value_keyed_by_its_kind_is_read_by_the_key(samples):
    # given the values of a payment form's fields, keyed by each field's kind
    # (the payer's given name, city), beside a listed field's value kept by
    # its position (the near case: no kind to read it by)
    fields = [
        described("formFields.givenname.value", "string", "What the payer typed in"),
        described("formFields.city.value", "string", "What the payer typed in"),
        described("formFields.0.value", "string", "What the payer typed in"),
    ]
    # when suggested together on a Stripe charge, then each keyed value
    # takes what its key names, and the positioned one takes neither
    found = suggest(samples["charge"], *fields)
    assert [item.source for item in found.values()][:2] == [
        "billing_details.name",
        "billing_details.address.city",
    ], found
    assert found["formFields.0.value"].source not in (
        "billing_details.name",
        "billing_details.address.city",
    ), found


def test_a_forename_is_the_first_name(samples):
    # given the payer's forename (the British word for a given name) beside
    # the payer's surname (the near case, read as the last name already)
    fields = [
        described("payerForename", "string", ""),
        described("payerSurname", "string", ""),
    ]
    # when suggested together on a Stripe charge, then each is a part of
    # the billing name, split
    found = suggest(samples["charge"], *fields)
    parts = [item.transforms[0]["params"]["part"] for item in found.values()]
    assert [item.source for item in found.values()] == ["billing_details.name"] * 2
    assert parts == ["first", "last"], found
