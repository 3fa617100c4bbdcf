"""Suggester rules added on v126's former held-out part (Forte, Fat Free CRM).

Each field below is made up after the shape of a miss, named by no vendor,
and stands beside a near field that its rule leaves alone.
"""

from tests.mapping.suggesting import (
    described,
    sourced,
)


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
