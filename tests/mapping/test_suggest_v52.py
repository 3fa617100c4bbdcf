"""Suggester rules added on v54's former held-out part: each a class of misses.

The fields are made up in the shape the misses had (money given as an
object whose number is counted in the currency's smallest unit), not copied
from one vendor.
"""

from tests.mapping.test_suggest_v3 import suggest


def test_a_money_objects_number_in_minor_units_is_the_money_it_belongs_to(samples):
    # given an order's total and a payment's settled sum, each an object whose
    # number is counted in the smallest indivisible unit of its currency, the
    # order's described beside the tax rates it was worked out with
    minor = (
        " — Sum in the smallest indivisible unit of a currency, such as cents"
        " for USD (5 USD is given as 500)."
    )
    order = {
        "name": "grandTotal.valueInCents",
        "type": "int",
        "description": "Total of the order, worked out from the tax rates set." + minor,
    }
    payment = {
        "name": "amountReceived.cents",
        "type": "int",
        "description": "Money the payment received." + minor,
    }
    # when suggested
    on_invoice = suggest(samples["invoice"], order, threshold=None)
    on_charge = suggest(samples["charge"], payment, threshold=None)
    # then each number is the money its object names, copied as Stripe counts it
    assert on_invoice["grandTotal.valueInCents"].source == "total"
    assert on_invoice["grandTotal.valueInCents"].transforms == []
    assert on_charge["amountReceived.cents"].source == "amount"
    assert on_charge["amountReceived.cents"].transforms == []
