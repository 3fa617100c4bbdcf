"""What /metrics and the scheduled monitoring pass cost on a full database.

Fills a throwaway database (DATABASE_URL; it must be empty and migrated)
with events, ledger records and attempts, then times the attempt-log
roll-up, the scheduled pass (roll-up, rules, delivery planning) and three
scrapes of /metrics' text. Results go to bench/results/monitoring-<engine>.json.

Usage:
  DJANGO_SETTINGS_MODULE=portal.settings.dev DATABASE_URL=postgres://…/bench \\
  FIELD_ENCRYPTION_KEYS=<a Fernet key> python bench/monitoring.py [--rows 100000]
"""

import argparse
import json
import random
import sys
import time
from pathlib import Path

import django

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
django.setup()

from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from integrations.models import (  # noqa: E402
    Connection,
    Integration,
    SyncAttempt,
    SyncRecord,
    WebhookEvent,
)
from monitoring.metrics import metrics_text  # noqa: E402
from monitoring.rollup import erp_calls_rollup  # noqa: E402
from monitoring.services import monitoring_run  # noqa: E402

TYPES = ["charge.succeeded", "charge.refunded", "customer.created", "payout.paid"]
STATUSES = ["succeeded"] * 95 + [
    "retrying",
    "needs_attention",
    "pending",
    "held",
    "skipped",
]


def _fill(rows: int) -> Integration:
    stripe = Connection.objects.create(name="bench stripe", kind="stripe")
    erp = Connection.objects.create(name="bench erp", kind="syspro")
    integration = Integration.objects.create(
        name="bench", stripe_connection=stripe, erp_connection=erp
    )
    now = timezone.now()
    WebhookEvent.objects.bulk_create(
        (
            WebhookEvent(
                integration=integration,
                stripe_id=f"evt_{i}",
                type=random.choice(TYPES),
                status="processed",
                body="{}",
            )
            for i in range(rows)
        ),
        batch_size=5000,
    )
    SyncRecord.objects.bulk_create(
        (
            SyncRecord(
                integration=integration,
                operation="post_payment",
                idempotency_key=f"k{i}",
                stripe_id=f"ch_{i}",
                status=random.choice(STATUSES),
            )
            for i in range(rows)
        ),
        batch_size=5000,
    )
    SyncAttempt.objects.bulk_create(
        (
            SyncAttempt(
                record_id=pk,
                number=number,
                started_at=now,
                duration_ms=random.randint(20, 5000),
                succeeded=number == 2,
            )
            for pk in SyncRecord.objects.values_list("pk", flat=True)
            for number in (1, 2)
        ),
        batch_size=5000,
    )
    return integration


def _ms(call) -> float:
    started = time.perf_counter()
    call()
    return round((time.perf_counter() - started) * 1000, 1)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=100_000)
    rows = parser.parse_args().rows
    if WebhookEvent.objects.exists():
        sys.exit("the database is not empty: use a throwaway one")
    _fill(rows)
    result = {
        "engine": connection.vendor,
        "events": rows,
        "records": rows,
        "attempts": 2 * rows,
        "rollup_first_run_ms": _ms(erp_calls_rollup),
        "rollup_all_attempts_ms": _ms(erp_calls_rollup),
        "monitoring_run_ms": _ms(monitoring_run),
        "scrape_ms": [_ms(metrics_text) for _ in range(3)],
        "scrape_bytes": len(metrics_text()),
    }
    print(json.dumps(result, indent=2))
    out = ROOT / "bench" / "results" / f"monitoring-{connection.vendor}.json"
    out.write_text(json.dumps(result, indent=2) + "\n")


if __name__ == "__main__":
    main()
