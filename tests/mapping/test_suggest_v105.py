"""Suggester rules added on v107's former held-out part (DOKU, Global Payments).

Each field is made up after the shape of a miss, named for no vendor and
written through v103's `member`, beside a near case the rule leaves as it
was.
"""

from tests.mapping.suggesting import (
    assert_no_source,
    described,
    none_while_near,
    sourced,
    suggest,
)
from tests.mapping.test_suggest_v103 import member, transform_names


def test_a_currency_conversion_is_no_currency(samples):
    # given a payment's currency conversion, as a whole and by its id, of no
    # given type, and the same payment's currency (the near case: no
    # conversion named)
    whole = member("payment.currency_conversion", "not given")
    key = member("payment.currencyConversion.id", "not given")
    currency = member("payment.currency", "not given")
    # when suggested on a Stripe charge, then neither conversion field takes
    # the currency: a conversion the gateway made, where Stripe's charge has
    # one currency; the currency is the charge's, in capitals, as before
    assert_no_source(sourced(samples, "charge", whole))
    assert_no_source(sourced(samples, "charge", key))
    item = sourced(samples, "charge", currency)
    assert (item.source, transform_names(item)) == ("currency", ["upper"])


def test_a_mask_the_cut_drops_leaves_the_description_to_its_field(samples):
    # given a payment's masked flag and its description, both of no given
    # type and described by nothing but where they are set
    flag = member("masked", "not given")
    text = member("description", "not given")
    # when suggested on a Stripe charge with the calibrated cut
    found = suggest(samples["charge"], flag, text, threshold=None)
    # then the description is the charge's, copied as it is, and the flag,
    # a guess the cut drops, is left empty
    assert found["description"].source == "description"
    assert found["description"].transforms == []
    assert_no_source(found["masked"])


def test_a_masked_card_number_still_owns_the_last_digits(samples):
    # given a card's masked number beside its number in full (the near case:
    # a masked number the cut keeps)
    full = described("card.number", "string", "The card number")
    masked = described("card.maskedNumber", "string", "The masked card number")
    # when suggested on a Stripe charge with the calibrated cut, then the
    # masked one takes the last four digits, as before
    found = suggest(samples["charge"], full, masked, threshold=None)
    assert found["card.maskedNumber"].source == "payment_method_details.card.last4"
    assert_no_source(found["card.number"])


def test_a_field_named_for_the_app_is_the_apps_own(samples):
    # given a payment link's e-mail and fee of the app that sends it, of no
    # given type, and the payer's e-mail (the near case: no app named)
    app_email = member("link.app_email", "not given")
    app_fee = member("link.app_fee", "not given")
    payer_email = member("link.payer_email", "not given")
    # when suggested on a Stripe invoice, then the app's e-mail and fee are
    # left empty, the integration's own, and the payer's e-mail is the
    # invoice's customer e-mail, as before
    assert_no_source(sourced(samples, "invoice", app_fee))
    none_while_near(samples, "invoice", app_email, payer_email, "customer_email")


def test_a_country_in_a_group_of_configuration_is_a_setting(samples):
    # given the country of a link's transaction configuration, and the
    # country of its payer's billing address (the near case: no
    # configuration named)
    configured = member("order.transaction_configuration.country", "not given")
    billed = member("payer.billing_address.country", "not given")
    # when suggested on a Stripe invoice, then the configured country is
    # left empty, set up once, and the billing country is the customer's
    # address country, as before
    none_while_near(samples, "invoice", configured, billed, "customer_address.country")
