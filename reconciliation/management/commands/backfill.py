"""python manage.py backfill --integration ID --since DATE [--until DATE] [--dry-run]"""

import sys
from datetime import UTC, datetime, time

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.dateparse import parse_date, parse_datetime
from tqdm import tqdm

from integrations.models import Integration
from reconciliation.backfill import backfill_execute, backfill_run_start, dry_run_path


def _moment(value: str, *, end_of_day: bool = False) -> datetime:
    moment = parse_datetime(value)
    if moment is None:
        day = parse_date(value)
        if day is None:
            raise CommandError(f"{value!r} is not a date (YYYY-MM-DD) or ISO datetime")
        moment = datetime.combine(day, time.max if end_of_day else time.min)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class Command(BaseCommand):
    help = (
        "Replay historical Stripe charges, refunds, disputes and payouts through "
        "the event workflows. Resumable: the same range continues where it stopped."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--integration", required=True, help="Integration id or name"
        )
        parser.add_argument("--since", required=True, help="YYYY-MM-DD or ISO datetime")
        parser.add_argument("--until", help="YYYY-MM-DD (inclusive) or ISO datetime")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Write ERP payloads and payout proofs to a file; post nothing",
        )
        parser.add_argument("--output", help="Dry-run output file (JSON lines)")
        parser.add_argument("--no-progress", action="store_true")

    def handle(self, *args, **options) -> None:
        key = options["integration"]
        integration = Integration.objects.filter(
            **({"pk": int(key)} if key.isdigit() else {"name": key})
        ).first()
        if integration is None:
            raise CommandError(f"No integration {key!r}")
        since = _moment(options["since"])
        until = _moment(options["until"], end_of_day=True) if options["until"] else None
        if until is not None and until < since:
            raise CommandError("--until is before --since")
        run = backfill_run_start(
            integration=integration,
            since=since,
            until=until,
            dry_run=options["dry_run"],
        )
        cursor = run.cursor or {}
        resumed = bool(cursor.get("after") or cursor.get("done"))
        self.stdout.write(
            f"Backfill #{run.pk} of {integration} from {since:%Y-%m-%d %H:%M}"
            + (f" to {until:%Y-%m-%d %H:%M}" if until else "")
            + (" (dry run)" if run.dry_run else "")
            + (f", resuming after {run.cursor}" if resumed else "")
        )
        bar = tqdm(
            unit=" objects",
            file=sys.stderr,
            disable=options["no_progress"] or options["verbosity"] == 0,
        )

        def tick(phase: str) -> None:
            bar.set_description(phase)
            bar.update(1)

        output_path = None
        output = None
        if run.dry_run:
            output_path = options["output"] or dry_run_path(run)
            output = open(output_path, "a", encoding="utf-8")  # noqa: SIM115
        try:
            report = backfill_execute(run=run, output=output, progress=tick)
        except KeyboardInterrupt as exc:
            raise CommandError(
                f"Interrupted; run the same command again to resume (run #{run.pk})."
            ) from exc
        except Exception as exc:
            raise CommandError(
                f"Stopped: {exc}. Run the same command again to resume (run #{run.pk})."
            ) from exc
        finally:
            bar.close()
            if output is not None:
                output.close()
        self.stdout.write(report.table())
        if output_path:
            self.stdout.write(f"Payloads and payout proofs written to {output_path}")
        self.stdout.write(self.style.SUCCESS(f"Backfill #{run.pk} completed."))
