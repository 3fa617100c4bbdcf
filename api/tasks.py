"""django-q2 tasks of the API: take primary keys, load, call a service."""

from reconciliation.backfill import backfill_execute, dry_run_path
from reconciliation.models import BackfillRun


def backfill_run(run_pk: int) -> dict[str, int]:
    """Run (or resume) a backfill started through the API."""
    run = BackfillRun.objects.select_related("integration").get(pk=run_pk)
    if not run.dry_run:
        return dict(backfill_execute(run=run).counts)
    with open(dry_run_path(run), "a", encoding="utf-8") as output:
        return dict(backfill_execute(run=run, output=output).counts)
