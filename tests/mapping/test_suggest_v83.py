"""Suggester rules added on v85's former held-out part (Drupal Commerce, Finix).

The fields are made up in the shape the misses had (a sale's purchase data
with its own address parts, an address's extra name, an amount shared out
to another party), not copied from one vendor. Each is written through
v67's `described`, a name, a type and the few words a model gives.
"""

from tests.mapping.suggesting import (
    assert_no_source,
    described,
    none_while_near,
    sourced,
    suggest,
)


def _takes_but_not_near(samples, object_type, caught, near, source, cut=0.0):
    """`caught` takes `source` (past `cut`); `near` takes something else."""
    assert sourced(samples, object_type, caught, threshold=cut).source == source
    assert sourced(samples, object_type, near).source != source


def test_the_postal_code_goods_ship_from_has_no_source(samples):
    # given a sale's postal code of the place its goods are shipped from,
    # and near it the postal code of the place they are shipped to
    origin = described(
        "purchase.shipFromZip", "string", "The zip code the goods leave from"
    )
    bound = described("purchase.shipToZip", "string", "The zip code of the delivery")
    # when suggested on a charge, then the place shipped from has no source:
    # where goods leave is the seller's own warehouse, a setting
    # while the place shipped to still takes the shipping address's code
    none_while_near(samples, "charge", origin, bound, "shipping.address.postal_code")


def test_an_additional_name_of_a_person_has_no_source(samples):
    # given a contact's additional name, the standard address word for the
    # names between the given and the family name, and near it an
    # additional name of the contact's company
    between = described("contact.additionalName", "string", "The additional name")
    company = described("contact.additionalCompanyName", "string", "")
    # when suggested on a customer, then the additional name has no source:
    # Stripe's one name splits into a first and a last part, no middle one
    # while the company's additional name still takes the customer's name
    none_while_near(samples, "customer", between, company, "name")


def test_an_idempotency_key_takes_the_records_own_id(samples):
    # given a refund's key that makes its request idempotent, described as a
    # value the sender makes up, and near it how long such keys are kept
    key = described(
        "request.idempotencyKey", "string", "Any unique value tied to the request."
    )
    kept = described(
        "request.idempotencyWindow", "string", "How long a key is remembered."
    )
    # when suggested on a refund, then the key takes the refund's own id:
    # one key per object, so that a retried call is not booked twice, and
    # sure enough to be shown past the calibrated cut
    # while how long keys are kept, no key itself, takes no id
    _takes_but_not_near(samples, "refund", key, kept, "id", cut=None)


def test_a_key_described_as_the_remote_payments_takes_its_own_id(samples):
    # given a charge's key described as the remote payment's, the one the
    # payment service far off gave it, and near it the key of the remote
    # account the money came from
    paid = described("remoteKey", "string", "The remote payment key.")
    account = described("remoteKey", "string", "The remote account key.")
    # when suggested on a charge, then the payment's key takes the charge's
    # own id, shown past the calibrated cut: the service is Stripe
    assert sourced(samples, "charge", paid, threshold=None).source == "id"
    # while the remote account's key, no key of the payment, is not shown
    assert_no_source(sourced(samples, "charge", account, threshold=None))


def test_an_amount_split_off_to_another_party_has_no_source(samples):
    # given a charge's amount described as the part split off and paid out
    # to a partner, and near it the amount the charge itself was for
    shared = described(
        "partnerShares.0.amount",
        "integer",
        "The amount that gets split and paid out to the given partner.",
    )
    whole = described("amount", "integer", "The amount of the sale.")
    # when suggested on a charge, then the share has no source: how a sale
    # is shared among other sellers is the platform's, not Stripe's charge
    # while the sale's own amount still takes the charge's amount
    none_while_near(samples, "charge", shared, whole, "amount")


def test_the_number_of_a_money_object_is_its_amount(samples):
    # given a charge's price object written as a decimal number beside a
    # currency code, and near it a decimal number under an order
    money = described("paidPrice.number", "decimal", "The paid price.")
    ordered = described("order.number", "decimal", "The order's number.")
    # when suggested on a charge, then the money's number takes the charge's
    # amount in major units: a price's number is its amount
    got = sourced(samples, "charge", money, threshold=None)
    assert got.source == "amount", got
    assert got.transforms[0]["name"] == "minor_to_decimal"
    # while an order's number is no amount
    assert sourced(samples, "charge", ordered).source != "amount"


def test_a_state_that_lists_its_stages_maps_the_status_onto_them(samples):
    # given an invoice's state whose description lists the stages it moves
    # through in its workflow, and near it a status naming stages only as
    # examples, no workflow's
    staged = described(
        "state", "string", "The order state (workflow: draft, paid, canceled)."
    )
    bare = described("status", "string", "The order status, e.g. draft or paid.")
    # when suggested on an invoice, then the staged state maps Stripe's
    # status onto the stages listed: they are the values it allows
    got = sourced(samples, "invoice", staged)
    assert got.source == "status", got
    assert got.transforms[0]["name"] == "value_map"
    # while a status whose stages are only examples has none to map onto
    assert_no_source(sourced(samples, "invoice", bare))


def test_an_administrative_area_is_the_state(samples):
    # given a customer's address with an administrative area, the address
    # standards' word for a state or province, and near it a service area
    governed = described("postal.administrativeArea", "string", "")
    served = described("postal.serviceArea", "string", "")
    # when suggested on a customer, then the administrative area takes the
    # address's state
    # while an area served, no division of a country, takes no state
    _takes_but_not_near(samples, "customer", governed, served, "address.state")


def test_a_business_tax_id_takes_the_tax_id_before_a_plain_one(samples):
    # given a party's plain tax id beside its business tax id
    plain = described("party.taxId", "string", "The party's tax identification.")
    business = described("party.businessTaxId", "string", "The business's tax id.")
    # when suggested on a customer, then the business tax id takes Stripe's
    # tax id: a customer's tax ids are those of a business (VAT, EIN)
    got = suggest(samples["customer"], plain, business)
    assert got["party.businessTaxId"].source == "tax_ids.data.0.value"
    assert not got["party.taxId"].source
    # while a plain tax id alone still takes it
    assert sourced(samples, "customer", plain).source == "tax_ids.data.0.value"
