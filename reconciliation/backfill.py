"""Backfill: replay historical Stripe objects through the event workflows.

Charges, refunds, disputes and then payouts (last, so their proofs find the
records the others planned) are paged from the Stripe API newest first. Each
object becomes the event(s) a webhook would have delivered, with a stable id
(`backfill:<object id>:<event type>`), stored once per integration and
processed by the same path as a webhook; the planners key their ledger
records by Stripe object, so nothing is posted twice, whichever way an object
arrives.

A run keeps a cursor (phase and last object id) in `BackfillRun`; running the
same range again resumes from it with Stripe's `starting_after`.

A dry run stores no events and posts nothing: it plans every event inside a
savepoint that is rolled back, and writes the ERP payloads the records would
carry and the payout proofs to a JSON-lines file.
"""

import json
import logging
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any, TextIO

from django.db import transaction
from django.utils import timezone

from integrations.connectors import stripe_api as stripe_connector
from integrations.intake import webhook_event_store
from integrations.models import Integration
from integrations.workflows import (
    EVENT_FLOWS,
    OPERATION_ENTITY,
    WORKFLOWS,
    WorkflowContext,
)
from mapping.services import payload_build

from .models import BackfillRun, Payout
from .selectors import payout_proof_csv_rows
from .services import _plain, payout_proof_compute

logger = logging.getLogger(__name__)

PHASES = ("charges", "refunds", "disputes", "payouts")
# Save the cursor this often; replaying up to this many objects after a crash
# is harmless because events are stored once by id.
CURSOR_EVERY = 25


class _Rollback(Exception):
    """Raised to undo a dry run's planning savepoint."""


@dataclass
class BackfillReport:
    run: BackfillRun
    counts: Counter = field(default_factory=Counter)

    def table(self) -> str:
        rows = [("phase", "objects", "events new", "events known", "planned", "errors")]
        for phase in PHASES:
            rows.append(
                (
                    phase,
                    str(self.counts[f"{phase}.objects"]),
                    str(self.counts[f"{phase}.stored"]),
                    str(self.counts[f"{phase}.known"]),
                    str(self.counts[f"{phase}.planned"]),
                    str(self.counts[f"{phase}.errors"]),
                )
            )
        widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
        return "\n".join(
            "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True))
            for row in rows
        )


def events_for(kind: str, obj: dict[str, Any]) -> list[str]:
    """The event types a webhook endpoint would have received for the object."""
    status = str(obj.get("status") or "")
    if kind == "charges":
        if status == "succeeded":
            return ["charge.succeeded"]
        return ["charge.failed"] if status == "failed" else []
    if kind == "refunds":
        types = ["refund.created"]
        if status == "failed":
            types.append("refund.failed")
        return types
    if kind == "disputes":
        types = ["charge.dispute.created"]
        if status in ("won", "lost"):
            types.append("charge.dispute.closed")
        return types
    if kind == "payouts":
        # Only paid payouts were journaled; pending ones arrive by webhook later.
        return ["payout.paid"] if status == "paid" else []
    raise ValueError(f"unknown backfill phase {kind!r}")


def event_build(
    integration: Integration, event_type: str, obj: dict[str, Any]
) -> dict[str, Any]:
    return {
        "id": f"backfill:{obj['id']}:{event_type}",
        "object": "event",
        "type": event_type,
        "api_version": integration.stripe_api_version or None,
        "created": int(obj.get("created") or 0),
        "livemode": bool(obj.get("livemode")),
        "data": {"object": obj},
    }


def backfill_run_start(
    *,
    integration: Integration,
    since: datetime,
    until: datetime | None,
    dry_run: bool,
) -> BackfillRun:
    """The unfinished run of the same range (to resume), else a new one."""
    run = (
        BackfillRun.objects.filter(
            integration=integration, since=since, until=until, dry_run=dry_run
        )
        .exclude(status=BackfillRun.Status.COMPLETED)
        .first()
    )
    if run is None:
        return BackfillRun.objects.create(
            integration=integration,
            since=since,
            until=until,
            dry_run=dry_run,
            cursor={"phase": PHASES[0], "after": None, "done": []},
        )
    BackfillRun.objects.filter(pk=run.pk).update(
        status=BackfillRun.Status.RUNNING, error=""
    )
    run.refresh_from_db()
    return run


def backfill_execute(
    *,
    run: BackfillRun,
    stripe_api: Any = None,
    output: TextIO | None = None,
    progress: Callable[[str], Any] | None = None,
) -> BackfillReport:
    """Page through every phase from the run's cursor; interruptible."""
    integration = run.integration
    api = stripe_api or stripe_connector.stripe_api_for(integration)()
    report = BackfillReport(run=run, counts=Counter(run.counts or {}))
    cursor = dict(run.cursor or {})
    done = list(cursor.get("done") or [])
    gte = int(run.since.timestamp())
    lte = int(run.until.timestamp()) if run.until else None
    try:
        for phase in PHASES:
            if phase in done:
                continue
            after = cursor.get("after") if cursor.get("phase") == phase else None
            since_save = 0
            for obj in _objects(api, phase, gte, lte, after):
                _one_object(run, phase, obj, report, output, api)
                cursor = {"phase": phase, "after": obj["id"], "done": done}
                since_save += 1
                if progress is not None:
                    progress(phase)
                if since_save >= CURSOR_EVERY:
                    _save(run, cursor, report)
                    since_save = 0
            done.append(phase)
            cursor = {"phase": phase, "after": None, "done": done}
            _save(run, cursor, report)
    except BaseException as exc:
        _save(run, cursor, report)
        BackfillRun.objects.filter(pk=run.pk).update(
            status=BackfillRun.Status.INTERRUPTED,
            error=f"{exc.__class__.__name__}: {exc}"[:2000],
        )
        run.refresh_from_db()
        raise
    BackfillRun.objects.filter(pk=run.pk).update(
        status=BackfillRun.Status.COMPLETED, finished_at=timezone.now()
    )
    run.refresh_from_db()
    return report


def _objects(
    api: Any, phase: str, gte: int, lte: int | None, after: str | None
) -> Iterator[dict[str, Any]]:
    lister = getattr(api, f"list_{phase}")
    for obj in lister(created_gte=gte, created_lte=lte, starting_after=after):
        yield _plain(obj)


def _save(run: BackfillRun, cursor: dict, report: BackfillReport) -> None:
    run.cursor = cursor
    run.counts = dict(report.counts)
    BackfillRun.objects.filter(pk=run.pk).update(cursor=cursor, counts=run.counts)


def _one_object(
    run: BackfillRun,
    phase: str,
    obj: dict[str, Any],
    report: BackfillReport,
    output: TextIO | None,
    api: Any,
) -> None:
    report.counts[f"{phase}.objects"] += 1
    for event_type in events_for(phase, obj):
        event = event_build(run.integration, event_type, obj)
        if run.dry_run:
            _dry_plan(run.integration, phase, event, report, output, api)
            continue
        _, created = webhook_event_store(
            integration=run.integration,
            data=event,
            body=json.dumps(event, separators=(",", ":")),
            headers={},
            source="backfill",
        )
        report.counts[f"{phase}.stored" if created else f"{phase}.known"] += 1


def _dry_plan(
    integration: Integration,
    phase: str,
    event: dict[str, Any],
    report: BackfillReport,
    output: TextIO | None,
    api: Any,
) -> None:
    """Plan the event, map each record's payload, prove payouts; keep nothing."""
    planner = WORKFLOWS.get(event["type"])
    flow = EVENT_FLOWS.get(event["type"], "")
    lines: list[dict[str, Any]] = []
    if planner is None or (flow and not integration.flow_enabled(flow)):
        lines.append({"event": event["id"], "ignored": "no workflow or flow off"})
    else:
        try:
            with transaction.atomic():
                plan = planner(
                    WorkflowContext(integration=integration, stripe=lambda: api), event
                )
                if plan.ignored_reason:
                    lines.append({"event": event["id"], "ignored": plan.ignored_reason})
                for planned in plan.records:
                    report.counts[f"{phase}.planned"] += 1
                    entry = {
                        "event": event["id"],
                        "key": planned.key,
                        "operation": planned.operation,
                        "stripe_id": planned.stripe_id,
                        "depends_on": list(planned.depends_on),
                    }
                    try:
                        payload, _ = payload_build(
                            integration=integration,
                            entity=OPERATION_ENTITY[planned.operation],
                            source={**planned.source, "options": integration.options},
                        )
                        entry["payload"] = payload
                    except Exception as exc:
                        report.counts[f"{phase}.errors"] += 1
                        entry["error"] = f"{exc.__class__.__name__}: {exc}"
                    lines.append(entry)
                if phase == "payouts":
                    lines.extend(_dry_proof(integration, event))
                raise _Rollback
        except _Rollback:
            pass
        except Exception as exc:
            report.counts[f"{phase}.errors"] += 1
            error = f"{exc.__class__.__name__}: {exc}"
            lines.append({"event": event["id"], "error": error})
    if output is not None:
        for line in lines:
            output.write(json.dumps(line, default=str) + "\n")


def _dry_proof(integration: Integration, event: dict[str, Any]) -> list[dict]:
    payout = Payout.objects.filter(
        integration=integration, stripe_id=event["data"]["object"]["id"]
    ).first()
    if payout is None:
        return []
    payout = payout_proof_compute(payout=payout)
    header, *rows = list(payout_proof_csv_rows(payout=payout))
    return [
        {
            "event": event["id"],
            "proof": {
                "payout": payout.stripe_id,
                "status": payout.proof_status,
                "difference": payout.difference,
                "lines": [dict(zip(header, row, strict=True)) for row in rows],
            },
        }
    ]


def dry_run_path(run: BackfillRun) -> Path:
    from django.conf import settings

    directory = Path(getattr(settings, "VAR_DIR", Path("var"))) / "backfill"
    directory.mkdir(parents=True, exist_ok=True)
    return directory / f"backfill-{run.pk}-dry-run.jsonl"
