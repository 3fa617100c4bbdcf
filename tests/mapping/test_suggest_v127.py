"""Suggester rules added on v129's former held-out part (Payrexx, X2CRM).

Each field below is made up after the shape of a miss, named by no vendor,
and stands beside a near field that its rule leaves alone.
"""

from tests.mapping.suggesting import described, lookup, sourced

LINKED_ACCOUNT = "A link to one record of another module (its key or its title)."


def test_an_account_linked_to_a_deal_is_its_customer(samples):
    # given a deal's account typed as a link to another module's record, on
    # a Stripe invoice and on a Stripe charge
    for kind in ("invoice", "charge"):
        item = sourced(samples, kind, described("accountTitle", "link", LINKED_ACCOUNT))
        # then it is the customer, through the integration's customer map
        assert (item.source, lookup(item)) == ("customer", "customer"), item


def test_links_the_account_rule_leaves_alone(samples):
    # the near cases: a customer's own link to an account (its parent, not
    # itself) and a deal's link to a brochure, which no Stripe field is
    near = [
        ("customer", described("accountTitle", "link", LINKED_ACCOUNT)),
        ("invoice", described("brochure", "link", "One record of the Files module.")),
    ]
    found = [sourced(samples, kind, field) for kind, field in near]
    assert [(item.source, item.transforms) for item in found] == [("", [])] * 2, found


def test_a_flag_whose_note_gives_its_default_takes_no_region(samples):
    # given a yes-or-no typed with its default in the note after the type, and
    # named for a state (whether the plan renews), beside a text typed with
    # a plain note (the near case: a region of the payer's address)
    renews = described("renewalState", "bool (optional, default true)", "Renews?")
    region = described("payerState", "string (optional)", "The payer's region.")
    # when suggested on a Stripe charge, then the flag takes no region (it
    # abstains) and the text still takes the billing address's state
    found = [sourced(samples, "charge", field) for field in (renews, region)]
    assert [item.source for item in found] == ["", "billing_details.address.state"]
    assert found[0].abstained, found[0]


def test_what_a_payment_is_for_is_its_text(samples):
    # given what a payment is for as text, and the same given as one of an
    # API's codes (the near case: the description shows a code)
    text = described("transferPurpose", "string", "Shown to the payer.")
    code = described("flowPurpose", "string", "What it is for (e.g. gift_card_sale).")
    # when suggested on a Stripe charge, then the text takes the charge's
    # description and the code abstains
    found = [sourced(samples, "charge", field) for field in (text, code)]
    assert [item.source for item in found] == ["description", ""], found
    assert found[1].abstained, found[1]


def test_a_sum_typed_as_money_is_a_decimal_amount(samples):
    # given an offer's sum typed as money ("currency") and described as a
    # decimal number, beside the offer's currency typed the same (the near
    # case: a field named for the currency holds its code)
    words = "A decimal sum in the shop's own money."
    found = [
        sourced(samples, "invoice", described(name, "currency", words), threshold=None)
        for name in ("offerSum", "offerCurrency")
    ]
    # when suggested on a Stripe invoice, then the sum takes the invoice's
    # total turned from minor units, and the currency its code
    steps = [[step["name"] for step in item.transforms] for item in found]
    assert [item.source for item in found] == ["total", "currency"], found
    assert steps[0] == ["minor_to_decimal"] and "minor_to_decimal" not in steps[1]


def test_a_dropdown_whose_description_lists_its_values_maps_onto_them(samples):
    # given a bill's phase picked from a dropdown whose description lists the
    # values after a colon, then names where it comes from; beside it the
    # same dropdown whose description lists none (the near case)
    listed = "Picked from the list 'Bill phase': Waiting, Open, Paid, Dropped, a/b.sql"
    fields = [
        described("billPhase", "dropdown", words)
        for words in (listed, "Picked from the list 'Bill phase'.")
    ]
    found = [sourced(samples, "invoice", field, threshold=None) for field in fields]
    # when suggested on a Stripe invoice, then the listed one maps the
    # invoice's status onto its values and the other abstains
    assert [item.source for item in found] == ["status", ""], found
    assert found[0].transforms[0]["params"]["map"]["paid"] == "Paid", found[0]
    assert found[1].abstained, found[1]


def test_a_control_of_the_payers_page_takes_no_text(samples):
    # given the caption of a button on the page a payer is shown, beside the
    # text shown above the page's form (the near case: the payment's text)
    expected = {
        "submitButtonLabel": ("", ""),
        "headText": ("Text shown above the form.", "description"),
    }
    # when each is suggested alone on a Stripe charge, then the caption
    # abstains and the text above the form takes the charge's description
    for name, (words, source) in expected.items():
        item = sourced(samples, "charge", described(name, "string", words))
        assert (item.source, item.abstained) == (source, not source), item
