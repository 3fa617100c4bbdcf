"""A GL batch in the company's home currency only.

Sage Pro keeps its General Ledger in one home currency: its Multicurrency
module keeps other currencies on customers and vendors and translates their
transactions at the exchange rates it holds (Sage Pro ERP Multicurrency,
http://www.findaccountingsoftware.com/software/application/10076); a GL batch
has no currency of its own, and no public source shows one that has. The
agent therefore writes glbtch in the home currency and refuses another. A
payout in another currency is held before it is sent, with what to do,
rather than sent to be refused.
"""

from collections.abc import Mapping
from typing import Any

from integrations.connectors.errors import HeldForReviewError


def journal_currency_check(
    payload: Mapping[str, Any], *, reference: str, home_currency: str
) -> None:
    """Raise HeldForReviewError if the journal is not in the home currency.

    A payload without `currid` is booked in the home currency by the agent,
    and an agent that does not say its currency is left to decide.
    """
    currency = str(payload.get("currid") or "").strip().upper()
    home = home_currency.strip().upper()
    if not currency or not home or currency == home:
        return
    raise HeldForReviewError(
        f"Not sent: journal {reference} is in {currency}, and Sage Pro keeps its "
        f"General Ledger in the company's home currency, {home} (as the "
        f"LedgerBridge agent reports); Sage Pro has no {currency} GL batch. "
        f"Book this payout in Sage Pro by hand in {home} at the rate your bank "
        "applied, then skip this record; to avoid it, have Stripe pay this "
        f"currency out in {home} (Stripe converts a balance that has no bank "
        "account of its own currency to the default currency).",
        {"currency": currency, "home_currency": home},
    )
