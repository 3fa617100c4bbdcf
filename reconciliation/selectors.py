"""Reads for payouts, their proofs and GL account settings."""

from collections.abc import Iterator

from django.db.models import QuerySet

from integrations.models import Integration, SyncRecord
from portal.money import to_decimal

from .models import DEFAULT_GL, GlAccounts, JournalPosting, Payout, PayoutLine

PROOF_CSV_HEADER = (
    "payout",
    "balance_transaction",
    "type",
    "reporting_category",
    "source",
    "currency",
    "amount",
    "fee",
    "net",
    "exchange_rate",
    "match",
    "erp_document",
    "erp_amount",
    "erp_currency",
    "difference",
    "note",
)


def gl_accounts_get(*, integration: Integration) -> dict[str, str]:
    """The configured accounts, else the integration's `options["gl"]`, else the
    sandbox defaults, role by role."""
    row = GlAccounts.objects.filter(integration=integration).first()
    if row is not None:
        return row.as_dict()
    configured = (integration.options or {}).get("gl") or {}
    return {
        role: str(configured.get(role) or code) for role, code in DEFAULT_GL.items()
    }


def payout_get(*, integration: Integration, stripe_id: str) -> Payout | None:
    return Payout.objects.filter(integration=integration, stripe_id=stripe_id).first()


def payout_journal_record(*, payout: Payout, kind: str) -> SyncRecord | None:
    posting = (
        JournalPosting.objects.select_related("sync_record")
        .filter(payout=payout, kind=kind)
        .first()
    )
    return posting.sync_record if posting else None


def payouts_open(*, integration: Integration | None = None) -> QuerySet[Payout]:
    """Payouts whose proof can still change: fetched and not yet reconciled."""
    queryset = Payout.objects.exclude(proof_status=Payout.Proof.RECONCILED).filter(
        lines_fetched_at__isnull=False
    )
    if integration is not None:
        queryset = queryset.filter(integration=integration)
    return queryset


def payout_proof_lines(*, payout: Payout) -> QuerySet[PayoutLine]:
    return payout.lines.order_by("attributed", "match", "created", "id").reverse()


def payout_proof_summary(*, payout: Payout) -> list[dict]:
    """Counts and differences by match class, for the report header."""
    summary: dict[str, dict] = {}
    for line in payout.lines.all():
        row = summary.setdefault(
            line.match or "", {"match": line.match, "count": 0, "difference": 0}
        )
        row["count"] += 1
        row["difference"] += line.difference
    labels = dict(PayoutLine.Match.choices)
    return [
        {**row, "label": labels.get(row["match"], "Not proven")}
        for row in sorted(summary.values(), key=lambda r: r["match"] or "")
    ]


def payout_proof_csv_rows(*, payout: Payout) -> Iterator[tuple]:
    yield PROOF_CSV_HEADER
    for line in payout.lines.order_by("created", "id").iterator(chunk_size=2000):
        currency = line.currency
        yield (
            payout.stripe_id,
            line.balance_transaction,
            line.type,
            line.reporting_category,
            line.source,
            line.currency.upper(),
            to_decimal(line.amount, currency),
            to_decimal(line.fee, currency),
            to_decimal(line.net, currency),
            "" if line.exchange_rate is None else str(line.exchange_rate.normalize()),
            line.match,
            line.erp_document,
            ""
            if line.erp_amount is None
            else to_decimal(line.erp_amount, line.erp_currency or currency),
            line.erp_currency.upper(),
            to_decimal(line.difference, currency),
            line.note,
        )
