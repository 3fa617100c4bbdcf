"""Build the GL journal of a payout from its balance transactions.

Pure functions over plain values, so the property tests and the benchmark can
drive them without a database. Amounts are signed minor units of the payout
currency: debit positive, credit negative (each ERP package's templates turn
them into its own journal columns).

Every attributed balance transaction moved the Stripe balance by its `net`
(= amount − fee). The journal books the payout to the bank and explains it:

    Dr bank              payout amount
    Cr clearing          gross of charges; Dr for refunds and disputes
    Dr fees              each fee_details type (dispute fees to their account)
    Dr/Cr adjustments    balance movements no ERP document booked
    Dr/Cr FX             converted amount the ERP booked minus what Stripe settled

Nothing is forced to balance: if the transactions do not add up to the payout
(a missing page, fee details that do not sum to the fee) the difference stays
and the journal is refused at posting time.

A currency with more decimals than the ERP's amount fields (KWD into SYSPRO
or Sage Pro, under the integration's "round" rule, integrations/precision.py)
is journaled in whole ERP units (`step`): each charge, refund and dispute is
rounded on its own, as its ERP document was, so clearing nets to zero; the
bank, fee and adjustment lines are rounded as totals; what rounding leaves is
one more line, to the rounding account:

    Dr/Cr rounding       what the ERP's fields cannot hold
"""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_EVEN, Decimal

from integrations.canonical import Journal, JournalLine
from integrations.precision import round_half_up
from portal.money import exponent, to_minor

# Reporting categories whose gross was booked in the ERP through the Stripe
# bank code (payments, credit notes, dispute adjustments), so it clears there.
CLEARING_CATEGORIES = frozenset(
    {
        "charge",
        "payment",
        "refund",
        "payment_refund",
        "refund_failure",
        "payment_failure_refund",
        "partial_capture_reversal",
        "dispute",
        "dispute_reversal",
    }
)
DISPUTE_CATEGORIES = frozenset({"dispute", "dispute_reversal"})
FEE_CATEGORIES = frozenset({"fee", "stripe_fee"})
# The payout's own transaction is the bank side, not part of its contents.
# Another payout's transaction in the list (a manual payout that drew on the
# same balance) is content: it took money the clearing account was credited
# with, so it debits clearing back.
PAYOUT_CATEGORIES = frozenset({"payout", "payout_reversal"})

CATEGORY_LABELS = {
    "charge": "charges",
    "payment": "payments",
    "refund": "refunds",
    "payment_refund": "refunds",
    "refund_failure": "failed refunds",
    "dispute": "disputes",
    "dispute_reversal": "dispute reversals",
    "payout": "other payouts",
    "payout_reversal": "other payout reversals",
}


@dataclass(frozen=True)
class BalanceLine:
    """What the journal needs from one balance transaction."""

    id: str
    amount: int
    fee: int
    reporting_category: str
    fee_details: tuple[tuple[str, int], ...] = ()
    source: str = ""
    # Amount (payout currency) the ERP booked in clearing for an FX line;
    # None when the line was not converted or its ERP document is unknown.
    fx_clearing: int | None = None


@dataclass(frozen=True)
class JournalResult:
    journal: Journal
    difference: int  # sum of the lines; zero when balanced
    line_count: int  # balance transactions explained
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def balanced(self) -> bool:
        return self.difference == 0


def convert(minor: int, *, from_currency: str, rate: Decimal, to_currency: str) -> int:
    """Minor units of one currency to another at Stripe's `exchange_rate`.

    Stripe defines it as: amount in currency A × exchange_rate = amount in B.
    """
    value = Decimal(minor).scaleb(-exponent(from_currency)) * rate
    quantum = Decimal(1).scaleb(-exponent(to_currency))
    return to_minor(value.quantize(quantum, rounding=ROUND_HALF_EVEN), to_currency)


def is_own_payout_line(*, category: str, source: str, payout_id: str) -> bool:
    return category in PAYOUT_CATEGORIES and source == payout_id


def account_role(category: str) -> str:
    if category in CLEARING_CATEGORIES or category in PAYOUT_CATEGORIES:
        return "clearing"
    if category in FEE_CATEGORIES:
        return "fees"
    return "adjustments"


def fee_breakdown(fee: int, details: Iterable[Mapping]) -> tuple[tuple[str, int], ...]:
    """Fee amounts by type; a fee without details counts as the Stripe fee."""
    by_type: dict[str, int] = defaultdict(int)
    for detail in details:
        by_type[str(detail.get("type") or "stripe_fee")] += int(detail["amount"])
    if not by_type and fee:
        by_type["stripe_fee"] = fee
    return tuple(sorted(by_type.items()))


def payout_journal_build(
    *,
    payout_id: str,
    amount: int,
    currency: str,
    created: int,
    lines: Iterable[BalanceLine],
    accounts: Mapping[str, str],
    description: str = "",
    step: int = 1,
) -> JournalResult:
    """Aggregate the payout's transactions into one journal (one line per account
    and category, so a payout of thousands of charges stays a short journal).

    `step`: the minor units of the ERP's last decimal (10 for KWD into 2
    decimals, integrations.precision.journal_step); above 1 the journal is
    rounded to it and `accounts["rounding"]` takes what rounding leaves.
    """
    totals: dict[tuple[str, str], int] = defaultdict(int)
    # Clearing as the ERP documents booked it: each one rounded on its own.
    booked: dict[tuple[str, str], int] = defaultdict(int)
    counts: dict[tuple[str, str], int] = defaultdict(int)
    explained = 0
    notes: list[str] = []
    for line in lines:
        if is_own_payout_line(
            category=line.reporting_category, source=line.source, payout_id=payout_id
        ):
            continue
        explained += 1
        role = account_role(line.reporting_category)
        label = CATEGORY_LABELS.get(line.reporting_category, line.reporting_category)
        gross_key = (role, label)
        if role == "clearing" and line.fx_clearing is not None:
            totals[gross_key] -= line.fx_clearing
            booked[gross_key] -= round_half_up(line.fx_clearing, step)
            totals[("fx", f"FX on {label}")] -= line.amount - line.fx_clearing
            counts[("fx", f"FX on {label}")] += 1
        else:
            totals[gross_key] -= line.amount
            if role == "clearing":
                booked[gross_key] -= round_half_up(line.amount, step)
        counts[gross_key] += 1
        fee_role = (
            "dispute_fees" if line.reporting_category in DISPUTE_CATEGORIES else "fees"
        )
        for fee_type, fee_amount in line.fee_details:
            key = (fee_role, f"fees: {fee_type}")
            totals[key] += fee_amount
            counts[key] += 1
        detailed = sum(amount for _, amount in line.fee_details)
        if detailed != line.fee:
            notes.append(f"{line.id}: fee {line.fee} but fee_details sum to {detailed}")
    journal_lines = [
        JournalLine(
            account=accounts["bank"],
            amount=amount,
            description=f"Stripe payout {payout_id}",
            reference=payout_id,
        )
    ]
    for (role, label), total in sorted(totals.items()):
        if total == 0:
            continue
        journal_lines.append(
            JournalLine(
                account=accounts[role],
                amount=total,
                description=f"{label} ({counts[(role, label)]})",
                reference=payout_id,
            )
        )
    difference = sum(line.amount for line in journal_lines)
    if step > 1 and difference == 0:
        journal_lines = _rounded(journal_lines, totals, booked, step, accounts)
    journal = Journal(
        stripe_id=payout_id,
        currency=currency.upper(),
        created=created,
        description=description or f"Stripe payout {payout_id}",
        lines=tuple(journal_lines),
    )
    return JournalResult(
        journal=journal, difference=difference, line_count=explained, notes=tuple(notes)
    )


def _rounded(
    lines: list[JournalLine],
    totals: Mapping[tuple[str, str], int],
    booked: Mapping[tuple[str, str], int],
    step: int,
    accounts: Mapping[str, str],
) -> list[JournalLine]:
    """The balanced journal in whole ERP units, plus its rounding line.

    `lines` are the bank line then one per non-zero total, in sorted order.
    """
    bank, *rest = lines
    keys = [key for key, total in sorted(totals.items()) if total != 0]
    rounded = [replace(bank, amount=round_half_up(bank.amount, step))]
    for key, line in zip(keys, rest, strict=True):
        amount = booked[key] if key in booked else round_half_up(line.amount, step)
        rounded.append(replace(line, amount=amount))
    left = -sum(line.amount for line in rounded)
    if left:
        rounded.append(
            JournalLine(
                account=accounts["rounding"],
                amount=left,
                description="rounding to the ERP's amount fields",
                reference=bank.reference,
            )
        )
    # A line rounded to nothing goes; the bank line stays, as it does above.
    return rounded[:1] + [line for line in rounded[1:] if line.amount]


def journal_reverse(journal: Journal, *, stripe_id: str, description: str) -> Journal:
    """The same journal with every line negated: books a failed payout back."""
    return Journal(
        stripe_id=stripe_id,
        currency=journal.currency,
        created=journal.created,
        description=description,
        lines=tuple(
            JournalLine(
                account=line.account,
                amount=-line.amount,
                description=f"Reversal: {line.description}",
                reference=stripe_id,
            )
            for line in journal.lines
        ),
    )
