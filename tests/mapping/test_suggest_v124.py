"""Suggester rules added on v126's former held-out part (Forte, Fat Free CRM).

Each field below is made up after the shape of a miss, named by no vendor,
and stands beside a near field that its rule leaves alone.
"""

from tests.mapping.suggesting import (
    described,
    sourced,
)


def transform_names(item):
    return [step["name"] for step in item.transforms]


def test_info_named_by_a_note_word_is_the_note(samples):
    # given a shop's background info (the story behind the record, a text
    # area), and a shop's campaign info (the near case: information about
    # another thing, the campaign)
    background = described("shop.backgroundInfo", "string")
    campaign = described("shop.campaignInfo", "string")
    # when suggested on a Stripe invoice, then the background info is the
    # invoice's description, and the campaign info is not
    assert sourced(samples, "invoice", background).source == "description"
    assert sourced(samples, "invoice", campaign).source != "description"


def test_a_text_sum_described_as_the_money_charged_is_a_decimal(samples):
    # given a hold's amount typed as text and described as the sum being
    # collected from the buyer, and the same text described as the amount
    # held on the card (the near case: no word of what the request moves)
    charged = described(
        "hold_amount", "string", "The sum being collected from the buyer."
    )
    held = described("hold_amount", "string", "The amount held on the card.")
    # when suggested on a Stripe charge, then the charged one is the charge's
    # amount in major units, and the held one is not read as a decimal
    item = sourced(samples, "charge", charged)
    assert (item.source, transform_names(item)) == ("amount", ["minor_to_decimal"])
    assert transform_names(sourced(samples, "charge", held)) == []
