"""Suggester rules added on v101's former held-out part (SSLCommerz, Jumpseller).

The fields are made up in the shape the misses had, not copied from one
vendor, and written through v67's `described`; each rule has a near case
that must not fire.
"""

from tests.mapping.suggesting import described, none_while_near, suggest


def member(name, kind="String"):
    """An SDK model's member, with no description of its own."""
    return described(name, kind, f"no description; member {name} ({kind})")


def test_ship_prefixed_parts_under_a_shipment_are_the_shipping_address(samples):
    # given an SDK's shipment record whose members are the parts of the
    # address the goods go to, each named with "ship" before the part
    fields = [
        member(f"shipmentData.{name}")
        for name in ("shipToName", "shipToCity", "shipToPostal", "shipToProvince")
    ]
    # when suggested on a Stripe charge
    items = suggest(samples["charge"], *fields)
    # then each is read from the charge's shipping address, not left to a
    # shipment method set up in the integration
    assert items["shipmentData.shipToName"].source == "shipping.name"
    assert items["shipmentData.shipToCity"].source == "shipping.address.city"
    postal = items["shipmentData.shipToPostal"].source
    assert postal == "shipping.address.postal_code"
    assert items["shipmentData.shipToProvince"].source == "shipping.address.state"


def test_a_ship_prefixed_method_under_a_shipment_stays_a_setting(samples):
    # given the same shipment record's member for how the goods are sent
    # (the near case: a ship-named member that is no part of an address),
    # beside a ship-named city
    # when each is suggested alone on a Stripe charge
    # then the method has no source, while the city is the shipping city
    none_while_near(
        samples,
        "charge",
        member("shipmentData.shipVia"),
        member("shipmentData.shipToCity"),
        "shipping.address.city",
    )
