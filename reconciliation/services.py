"""Writes: store payouts and their balance transactions, prepare their GL
journals, prove them against what the ledger posted, validate GL accounts."""

import inspect
import logging
from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from integrations import precision
from integrations.audit import audit_record
from integrations.canonical import Journal, JournalLine, to_source
from integrations.erps.registry import connector_for, erp_package
from integrations.models import Integration, SyncRecord
from integrations.workflows import PlannedRecord
from portal.exceptions import ApplicationError
from portal.money import to_minor

from .journal import (
    CLEARING_CATEGORIES,
    DISPUTE_CATEGORIES,
    PAYOUT_CATEGORIES,
    BalanceLine,
    convert,
    fee_breakdown,
    is_own_payout_line,
    journal_reverse,
    payout_journal_build,
)
from .models import GlAccounts, JournalPosting, Payout, PayoutLine
from .selectors import gl_accounts_get, payouts_open

logger = logging.getLogger(__name__)

Match = PayoutLine.Match
Status = SyncRecord.Status

# The ledger operation that books each reporting category in the ERP; other
# categories have no ERP document and are booked by the payout journal alone.
CATEGORY_OPERATION = {
    "charge": "post_payment",
    "payment": "post_payment",
    "refund": "post_credit_note",
    "payment_refund": "post_credit_note",
    "dispute": "post_adjustment",
    "dispute_reversal": "post_adjustment",
}
# Phases the dispute workflow keys its adjustments by.
DISPUTE_PHASES = ("withdrawn", "reinstated")
# Ids per IN (…) query, under SQLite's smallest parameter limit.
_IN_CHUNK = 900
# How far back a manual payout looks for balance when it is the first one.
MANUAL_WINDOW_DEFAULT = timedelta(days=90)


def _ts(value: Any) -> datetime | None:
    return datetime.fromtimestamp(int(value), tz=UTC) if value else None


def _plain(value: Any) -> Any:
    """Stripe SDK objects are dict subclasses; store plain JSON values.

    The Stripe connector already hands out plain dicts (`to_dict()`), which
    pass through untouched: converting 10,000 of them costs real time.
    """
    if type(value) is dict:
        return value
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


# Payouts and their lines -------------------------------------------------------


def payout_store(*, integration: Integration, data: Mapping[str, Any]) -> Payout:
    """Create or refresh the payout header from a Stripe payout object."""
    fields = {
        "amount": int(data["amount"]),
        "currency": str(data["currency"]).lower(),
        "automatic": bool(data.get("automatic", True)),
        "stripe_status": str(data.get("status") or ""),
        "created": _ts(data.get("created")),
        "arrival_date": _ts(data.get("arrival_date")),
        "balance_transaction": str(data.get("balance_transaction") or ""),
    }
    payout = Payout.objects.filter(
        integration=integration, stripe_id=data["id"]
    ).first()
    if payout is None:
        try:
            with transaction.atomic():
                return Payout.objects.create(
                    integration=integration, stripe_id=data["id"], **fields
                )
        except IntegrityError:
            payout = Payout.objects.get(integration=integration, stripe_id=data["id"])
    if payout.lines_fetched_at is not None:
        # The amount and currency the lines were proven against stay fixed.
        fields = {"stripe_status": fields["stripe_status"]}
    Payout.objects.filter(pk=payout.pk).update(**fields)
    payout.refresh_from_db()
    return payout


def _line_from_bt(payout: Payout, bt: Mapping[str, Any], *, attributed: bool = True):
    rate = bt.get("exchange_rate")
    return PayoutLine(
        payout=payout,
        balance_transaction=str(bt["id"]),
        type=str(bt.get("type") or ""),
        reporting_category=str(bt.get("reporting_category") or bt.get("type") or ""),
        source=str(
            (bt.get("source") or {}).get("id", "")
            if isinstance(bt.get("source"), Mapping)
            else bt.get("source") or ""
        ),
        amount=int(bt["amount"]),
        fee=int(bt.get("fee") or 0),
        net=int(bt["net"]) if bt.get("net") is not None else int(bt["amount"]),
        currency=str(bt.get("currency") or payout.currency).lower(),
        exchange_rate=None if rate in (None, "") else Decimal(str(rate)),
        fee_details=_plain(bt.get("fee_details") or []),
        description=str(bt.get("description") or "")[:500],
        created=_ts(bt.get("created")),
        available_on=_ts(bt.get("available_on")),
        attributed=attributed,
    )


def payout_lines_fetch(*, payout: Payout, stripe_api: Any) -> Payout:
    """Fetch and store the payout's balance transactions once (all pages).

    Automatic payouts have Stripe's own list. Manual payouts have none: their
    lines are attributed from the available balance (see `_attribute_manual`).
    """
    if payout.lines_fetched_at is not None:
        return payout
    if payout.automatic:
        transactions = [
            _plain(bt)
            for bt in stripe_api.list_balance_transactions(payout=payout.stripe_id)
        ]
        lines = [_line_from_bt(payout, bt) for bt in transactions]
        note = ""
        attribution = Payout.Attribution.STRIPE
    else:
        lines, note = _attribute_manual(payout, stripe_api)
        attribution = Payout.Attribution.BALANCE_WINDOW
    with transaction.atomic():
        locked = Payout.objects.select_for_update().get(pk=payout.pk)
        if locked.lines_fetched_at is not None:
            return locked
        PayoutLine.objects.bulk_create(lines, batch_size=1000, ignore_conflicts=True)
        attributed = [
            line
            for line in lines
            if line.attributed
            and not is_own_payout_line(
                category=line.reporting_category,
                source=line.source,
                payout_id=payout.stripe_id,
            )
        ]
        Payout.objects.filter(pk=payout.pk).update(
            lines_fetched_at=timezone.now(),
            line_count=len(lines),
            lines_net=sum(line.net for line in attributed),
            attribution=attribution,
            attribution_note=note,
        )
    payout.refresh_from_db()
    return payout


def _lists_by_date(stripe_api: Any) -> bool:
    """Whether the client can list balance transactions by creation date (the
    API can; a client built for payout lists only may not)."""
    try:
        parameters = inspect.signature(stripe_api.list_balance_transactions).parameters
    except (TypeError, ValueError):
        return False
    return "created_gte" in parameters or any(
        p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters.values()
    )


def _attribute_manual(payout: Payout, stripe_api: Any) -> tuple[list[PayoutLine], str]:
    """Attribute balance to a manual payout by its available-balance window.

    The window runs from the previous payout in the same currency to this one.
    Transactions already attributed to another payout are left out. The
    candidates are attributed oldest first only when a prefix of them adds up
    to the payout exactly; otherwise none is, and all are shown unattributed.
    """
    end = payout.created or timezone.now()
    previous = (
        Payout.objects.filter(
            integration=payout.integration,
            currency=payout.currency,
            created__lt=end,
        )
        .exclude(pk=payout.pk)
        .order_by("-created")
        .first()
    )
    start = (
        previous.created
        if previous and previous.created
        else end - MANUAL_WINDOW_DEFAULT
    )
    taken = set(
        PayoutLine.objects.filter(
            payout__integration=payout.integration,
            attributed=True,
            created__gte=start,
        )
        .exclude(payout=payout)
        .values_list("balance_transaction", flat=True)
    )
    window = f"{start:%Y-%m-%d %H:%M} – {end:%Y-%m-%d %H:%M} UTC"
    if not _lists_by_date(stripe_api):
        return [], (
            f"Manual payout: the Stripe connector cannot list balance transactions "
            f"by date, so nothing in {window} could be attributed."
        )
    candidates = []
    for bt in stripe_api.list_balance_transactions(
        created_gte=int(start.timestamp()), created_lte=int(end.timestamp())
    ):
        bt = _plain(bt)
        category = str(bt.get("reporting_category") or bt.get("type") or "")
        if (
            bt["id"] in taken
            or category in PAYOUT_CATEGORIES
            or str(bt.get("currency", "")).lower() != payout.currency
            or int(bt.get("available_on") or 0) > int(end.timestamp())
        ):
            continue
        candidates.append(bt)
    candidates.sort(
        key=lambda b: (b.get("available_on") or 0, b.get("created") or 0, b["id"])
    )
    running = 0
    cut = None
    for index, bt in enumerate(candidates):
        running += int(bt["net"])
        if running == payout.amount:
            cut = index + 1
            break
    if cut is None:
        total = sum(int(bt["net"]) for bt in candidates)
        note = (
            f"Manual payout: {len(candidates)} balance transactions available in "
            f"{window} net {total}, the payout is {payout.amount}; no oldest-first "
            "run of them adds up to it, so none is attributed."
        )
        return [_line_from_bt(payout, bt, attributed=False) for bt in candidates], note
    note = (
        f"Manual payout: attributed the {cut} oldest of {len(candidates)} balance "
        f"transactions available in {window}; they add up to the payout exactly."
    )
    lines = [
        _line_from_bt(payout, bt, attributed=index < cut)
        for index, bt in enumerate(candidates)
    ]
    return lines, note


# Journals -------------------------------------------------------------------


def _balance_lines(payout: Payout) -> list[BalanceLine]:
    lines = list(payout.lines.filter(attributed=True))
    fx = _fx_clearing(payout.integration, lines)
    return [
        BalanceLine(
            id=line.balance_transaction,
            amount=line.amount,
            fee=line.fee,
            reporting_category=line.reporting_category,
            fee_details=fee_breakdown(line.fee, line.fee_details),
            source=line.source,
            fx_clearing=fx.get(line.balance_transaction),
        )
        for line in lines
    ]


def _fx_clearing(integration: Integration, lines: list[PayoutLine]) -> dict[str, int]:
    """For converted lines whose ERP document is known: what it booked, in the
    payout currency at Stripe's rate, so the remainder goes to FX."""
    converted = [
        line
        for line in lines
        if line.exchange_rate is not None
        and line.reporting_category in CLEARING_CATEGORIES
        and CATEGORY_OPERATION.get(line.reporting_category)
    ]
    if not converted:
        return {}
    records = _records_by_source(integration, converted)
    result = {}
    for line in converted:
        record = _best_record(records.get(line.source, []), line)
        if record is None:
            continue
        amount, currency = _record_amount(record, line)
        if currency and currency != line.currency:
            result[line.balance_transaction] = convert(
                amount,
                from_currency=currency,
                rate=line.exchange_rate,
                to_currency=line.currency,
            )
    return result


def _posting_planned(posting: JournalPosting) -> PlannedRecord:
    journal_key = f"{posting.payout.stripe_id}:journal"
    return PlannedRecord(
        key=journal_key
        if posting.kind == JournalPosting.Kind.PAYOUT
        else posting.reference,
        operation=SyncRecord.Operation.POST_JOURNAL,
        stripe_id=posting.reference,
        source={
            **to_source(
                Journal(
                    stripe_id=posting.reference,
                    currency=posting.currency.upper(),
                    created=int(posting.payout.created.timestamp())
                    if posting.payout.created
                    else 0,
                    description=(
                        f"Stripe payout {posting.payout.stripe_id}"
                        if posting.kind == JournalPosting.Kind.PAYOUT
                        else f"Reversal of failed payout {posting.payout.stripe_id}"
                    ),
                    lines=tuple(JournalLine(**line) for line in posting.lines),
                )
            ),
            "payout": posting.payout.stripe_id,
            "kind": posting.kind,
            "difference": posting.difference,
        },
        depends_on=(journal_key,)
        if posting.kind == JournalPosting.Kind.REVERSAL
        else (),
    )


def payout_journal_prepare(*, payout: Payout) -> PlannedRecord:
    """Build the payout's journal once and return the ledger record to plan.

    The journal is kept (JournalPosting) so a replayed event plans the very
    same record; the ledger's idempotency key does the rest.
    """
    posting = JournalPosting.objects.filter(
        payout=payout, kind=JournalPosting.Kind.PAYOUT
    ).first()
    if posting is None:
        integration = payout.integration
        erp = integration.erp_kind
        result = payout_journal_build(
            payout_id=payout.stripe_id,
            amount=payout.amount,
            currency=payout.currency,
            created=int(payout.created.timestamp()) if payout.created else 0,
            lines=_balance_lines(payout),
            accounts={
                **gl_accounts_get(integration=integration),
                "rounding": precision.rounding_account(
                    precision.options_merged(erp, integration.options), erp_kind=erp
                ),
            },
            step=precision.journal_step(
                erp_kind=erp, currency=payout.currency, options=integration.options
            ),
        )
        if not result.balanced:
            logger.warning(
                "payout %s journal does not balance",
                payout.stripe_id,
                extra={"difference": result.difference, "notes": result.notes},
            )
        posting, _ = JournalPosting.objects.get_or_create(
            payout=payout,
            kind=JournalPosting.Kind.PAYOUT,
            defaults={
                "reference": payout.stripe_id,
                "currency": payout.currency,
                "lines": [to_source(line) for line in result.journal.lines],
                "difference": result.difference,
            },
        )
    return _posting_planned(posting)


def payout_reversal_prepare(*, payout: Payout) -> PlannedRecord | None:
    """The reversal of a paid payout's journal; None when none was planned."""
    original = JournalPosting.objects.filter(
        payout=payout, kind=JournalPosting.Kind.PAYOUT
    ).first()
    if original is None:
        return None
    reference = f"{payout.stripe_id}:reversal"
    reversed_journal = journal_reverse(
        Journal(
            stripe_id=payout.stripe_id,
            currency=original.currency.upper(),
            created=0,
            description="",
            lines=tuple(JournalLine(**line) for line in original.lines),
        ),
        stripe_id=reference,
        description=f"Reversal of failed Stripe payout {payout.stripe_id}",
    )
    posting, _ = JournalPosting.objects.get_or_create(
        payout=payout,
        kind=JournalPosting.Kind.REVERSAL,
        defaults={
            "reference": reference,
            "currency": original.currency,
            "lines": [to_source(line) for line in reversed_journal.lines],
            "difference": -original.difference,
        },
    )
    return _posting_planned(posting)


def journal_postings_link(*, integration: Integration, payout: Payout) -> None:
    """Point each posting at the ledger record planned for it."""
    for posting in payout.journals.filter(sync_record__isnull=True):
        key = (
            f"{payout.stripe_id}:journal"
            if posting.kind == JournalPosting.Kind.PAYOUT
            else posting.reference
        )
        record = SyncRecord.objects.filter(
            idempotency_key=f"{integration.pk}:{key}"
        ).first()
        if record is not None:
            JournalPosting.objects.filter(pk=posting.pk).update(sync_record=record)


def journal_payload_difference(*, erp: str, payload: Mapping[str, Any]) -> Decimal:
    """What an (edited) ERP journal payload is out of balance by, read in the
    journal dialect of the ERP's package."""
    try:
        return erp_package(erp).journal_difference(payload)
    except (InvalidOperation, TypeError, AttributeError) as exc:
        raise ApplicationError(
            f"Journal payload has an unreadable amount: {exc}"
        ) from exc


# Proof ----------------------------------------------------------------------


def _records_by_source(
    integration: Integration, lines: Iterable[PayoutLine]
) -> dict[str, list[SyncRecord]]:
    """Ledger records that booked each line's Stripe source, 900 ids a query."""
    plain_ids, dispute_ids = set(), set()
    for line in lines:
        if not line.source:
            continue
        if line.reporting_category in DISPUTE_CATEGORIES:
            dispute_ids.add(line.source)
        else:
            plain_ids.add(line.source)
    found: dict[str, list[SyncRecord]] = defaultdict(list)
    operations = set(CATEGORY_OPERATION.values())
    # Dispute adjustments are keyed by dispute id and phase ("dp_1:withdrawn").
    wanted = {stripe_id: stripe_id for stripe_id in plain_ids}
    for dispute in dispute_ids:
        wanted[dispute] = dispute
        for phase in DISPUTE_PHASES:
            wanted[f"{dispute}:{phase}"] = dispute
    keys = sorted(wanted)
    for start in range(0, len(keys), _IN_CHUNK):
        for record in SyncRecord.objects.filter(
            integration=integration,
            stripe_id__in=keys[start : start + _IN_CHUNK],
            operation__in=operations,
        ):
            found[wanted[record.stripe_id]].append(record)
    return found


def _expected(line: PayoutLine) -> int:
    """The line's gross as the ERP document states it (credit notes positive)."""
    if line.reporting_category in ("refund", "payment_refund"):
        return -line.amount
    return line.amount


def _record_amount(record: SyncRecord, line: PayoutLine) -> tuple[int, str]:
    """The amount the ERP document carries (edited payload wins), signed as
    `_expected`, and its currency."""
    source = record.source or {}
    currency = str(source.get("currency") or line.currency).lower()
    amount = int(source.get("amount") or 0)
    if record.payload_edited and isinstance(record.payload, Mapping):
        package = erp_package(record.integration.erp_kind)
        for name in package.document_amount_fields:
            if name in record.payload:
                try:
                    edited = abs(to_minor(str(record.payload[name]), currency))
                except (ValueError, ArithmeticError):
                    break
                amount = edited if amount >= 0 else -edited
                break
    return amount, currency


def _best_record(records: list[SyncRecord], line: PayoutLine) -> SyncRecord | None:
    """Prefer a succeeded record whose amount and sign fit the line."""
    if not records:
        return None
    expected = _expected(line)

    def rank(record: SyncRecord) -> tuple:
        amount, _ = _record_amount(record, line)
        return (
            record.status != Status.SUCCEEDED,
            (amount < 0) != (expected < 0),
            abs(abs(amount) - abs(expected)),
        )

    return min(records, key=rank)


def _classify(line: PayoutLine, records: list[SyncRecord], journal: SyncRecord | None):
    """Set the line's match fields from the ledger's records (no save)."""
    line.erp_document, line.erp_amount, line.erp_currency = "", None, ""
    line.difference, line.note = 0, ""
    if not line.attributed:
        line.match = Match.UNATTRIBUTED
        line.difference = line.net
        line.note = "Available in the window but not attributed to this payout."
        return
    if is_own_payout_line(
        category=line.reporting_category,
        source=line.source,
        payout_id=line.payout.stripe_id,
    ):
        line.match = Match.PAYOUT
        return
    operation = CATEGORY_OPERATION.get(line.reporting_category)
    if operation is None or not line.source:
        # Fees, adjustments and the like have no ERP document of their own.
        if journal is not None and journal.status == Status.SUCCEEDED:
            line.match = Match.JOURNAL
            line.erp_document = journal.erp_reference
        else:
            line.match = Match.NOT_POSTED
            line.note = "Booked by the payout journal, which is not posted yet."
        return
    expected = _expected(line)
    record = _best_record(records, line)
    if record is None:
        line.match = Match.MISSING
        line.difference = expected
        line.note = f"No {operation} in the ledger for {line.source}."
        return
    if record.status != Status.SUCCEEDED:
        failed = record.status in (Status.NEEDS_ATTENTION, Status.SKIPPED)
        line.match = Match.MISSING if failed else Match.NOT_POSTED
        line.difference = expected
        line.note = f"{operation} is {record.status}"
        if record.error_message:
            line.note = f"{line.note}: {record.error_message}"[:500]
        return
    amount, currency = _record_amount(record, line)
    line.erp_document = record.erp_reference
    line.erp_amount = amount
    line.erp_currency = currency
    if currency != line.currency:
        if line.exchange_rate is None:
            line.match = Match.FX
            line.difference = expected
            line.note = (
                f"ERP document in {currency.upper()}, no exchange rate on the "
                "balance transaction."
            )
            return
        booked = convert(
            amount,
            from_currency=currency,
            rate=line.exchange_rate,
            to_currency=line.currency,
        )
        line.difference = expected - booked
        line.match = Match.MATCHED if line.difference == 0 else Match.FX
        line.note = f"Converted at {line.exchange_rate.normalize()}"
        return
    line.difference = expected - amount
    if line.difference == 0:
        line.match = Match.MATCHED
    elif line.fee and abs(amount) == abs(expected) - line.fee:
        line.match = Match.FEE
        line.note = "The ERP document carries the net amount (fee deducted)."
    else:
        line.match = Match.AMOUNT


_MATCH_FIELDS = (
    "match",
    "erp_document",
    "erp_amount",
    "erp_currency",
    "difference",
    "note",
)


def _lines_save_matches(lines: list[PayoutLine]) -> None:
    """One parameterised UPDATE run for many rows: bulk_update's CASE WHEN
    statements grow with the batch and take seconds for a 10,000-line payout."""
    if not lines:
        return
    table = connection.ops.quote_name(PayoutLine._meta.db_table)
    columns = ", ".join(
        f"{connection.ops.quote_name(name)} = %s" for name in _MATCH_FIELDS
    )
    params = [
        [getattr(line, name) for name in _MATCH_FIELDS] + [line.pk] for line in lines
    ]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.executemany(f"UPDATE {table} SET {columns} WHERE id = %s", params)  # noqa: S608


def payout_proof_compute(*, payout: Payout) -> Payout:
    """Match every line with the ERP document that booked it and store the
    outcome. Safe to repeat: a payout whose charges are posted later becomes
    reconciled on a later run."""
    if payout.lines_fetched_at is None:
        return payout
    journal_posting = (
        JournalPosting.objects.select_related("sync_record")
        .filter(payout=payout, kind=JournalPosting.Kind.PAYOUT)
        .first()
    )
    if journal_posting is not None and journal_posting.sync_record is None:
        journal_postings_link(integration=payout.integration, payout=payout)
        journal_posting.refresh_from_db()
    journal = journal_posting.sync_record if journal_posting else None
    lines = list(payout.lines.all())
    records = _records_by_source(payout.integration, lines)
    changed = []
    for line in lines:
        before = tuple(getattr(line, name) for name in _MATCH_FIELDS)
        _classify(line, records.get(line.source, []), journal)
        if tuple(getattr(line, name) for name in _MATCH_FIELDS) != before:
            changed.append(line)
    _lines_save_matches(changed)
    ok = {Match.MATCHED, Match.JOURNAL, Match.PAYOUT}
    matched = sum(1 for line in lines if line.match in ok)
    unexplained = sum(line.difference for line in lines if line.match not in ok)
    difference = payout.amount - payout.lines_net
    reconciled = (
        matched == len(lines)
        and difference == 0
        and unexplained == 0
        and journal is not None
        and journal.status == Status.SUCCEEDED
    )
    now = timezone.now()
    payout.matched_count = matched
    payout.unmatched_count = len(lines) - matched
    payout.difference = difference
    payout.unexplained = unexplained
    payout.proved_at = now
    payout.proof_status = (
        Payout.Proof.RECONCILED if reconciled else Payout.Proof.UNRECONCILED
    )
    if reconciled and payout.reconciled_at is None:
        payout.reconciled_at = now
    payout.save(
        update_fields=[
            "matched_count",
            "unmatched_count",
            "difference",
            "unexplained",
            "proved_at",
            "proof_status",
            "reconciled_at",
            "updated_at",
        ]
    )
    return payout


def payouts_prove_open(*, integration: Integration | None = None) -> int:
    """Re-prove every payout not yet reconciled; returns how many reconciled."""
    reconciled = 0
    for payout in payouts_open(integration=integration).select_related("integration"):
        payout_proof_compute(payout=payout)
        reconciled += payout.proof_status == Payout.Proof.RECONCILED
    return reconciled


# GL accounts -----------------------------------------------------------------


def gl_accounts_validate(
    *, gl_accounts: GlAccounts, actor: AbstractBaseUser | None = None
) -> list[str]:
    """Check the codes against the ERP's ledger where the connector can list it.

    Connectors that expose `ledger_codes() -> set[str]` are asked; for the
    others only the shape is checked and the result says so.
    """
    problems = [
        f"{role}: empty"
        for role, code in gl_accounts.as_dict().items()
        if not code.strip()
    ]
    connector = connector_for(gl_accounts.integration.erp_connection)
    lister = getattr(connector, "ledger_codes", None)
    if lister is None:
        message = "The ERP connector cannot list ledger codes; checked for blanks only."
    else:
        known = set(lister())
        problems += [
            f"{role}: {code} is not a ledger code in the ERP"
            for role, code in gl_accounts.as_dict().items()
            if code and code not in known
        ]
        message = "Checked against the ERP's ledger codes."
    if problems:
        message = "; ".join(problems)
    with transaction.atomic():
        before = gl_accounts.validation_message
        gl_accounts.validation_message = message
        gl_accounts.validated_at = timezone.now() if not problems else None
        gl_accounts.save(
            update_fields=["validation_message", "validated_at", "updated_at"]
        )
        audit_record(
            actor=actor,
            action="gl_accounts.validated",
            target=gl_accounts,
            before=before,
            after=message,
        )
    return problems
