"""Benchmark payout reconciliation: one payout of N balance transactions is
fetched (paged, JSON-decoded), stored, journaled (planned in the ledger,
mapped, posted), and proven line by line against the ledger, on SQLite.

The Stripe API is an in-process stand-in that serves the payout's
transactions 100 per page as JSON text (the figure includes decoding them,
not the network); the ERP is the in-memory fake connector. Every charge,
refund and dispute of the payout has a succeeded ledger record, so the proof
must come out reconciled with every line matched; the run fails otherwise.

    .venv/bin/python bench/payout.py [--transactions 10000] [--output FILE]

Writes bench/results/payout.json (figures, machine facts, git revision) and
prints a table. Target: under 10 s for 10,000 transactions.
"""

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_SECONDS = 10.0
PAGE = 100


def _setup_django(db_path: Path) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings.test"
    os.environ["DATABASE_URL"] = f"sqlite:///{db_path}"
    import django
    from django.conf import settings

    django.setup()
    from portal.settings.base import _sqlite_database

    # The embedded production set-up: WAL, IMMEDIATE transactions, busy timeout.
    settings.DATABASES["default"].update(_sqlite_database(db_path))
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


class PagedStripe:
    """Serves `list_balance_transactions(payout=…)` as JSON pages, like the API."""

    def __init__(self, pages: list[str]) -> None:
        self.pages = pages
        self.requests = 0

    def list_balance_transactions(self, *, payout: str):
        for page in self.pages:
            self.requests += 1
            yield from json.loads(page)["data"]


def _stream(n: int, payout_id: str, currency: str) -> tuple[list[dict], list[tuple]]:
    """N balance transactions (charges, refunds, disputes, Stripe fees) and the
    ledger records (operation, stripe id, amount) that booked them."""
    transactions, records = [], []
    created = 1_767_225_600
    for i in range(n - 1):
        kind = i % 100
        txn = {"id": f"txn_{i:07d}", "object": "balance_transaction"}
        if kind < 85:
            amount = 1000 + (i * 37) % 90_000
            fee = (amount * 29 + 500) // 1000 + 30
            txn |= {
                "amount": amount,
                "fee": fee,
                "reporting_category": "charge",
                "type": "charge",
                "source": f"ch_{i:07d}",
            }
            records.append(("post_payment", f"ch_{i:07d}", amount))
        elif kind < 97:
            amount = 500 + (i * 13) % 9_000
            txn |= {
                "amount": -amount,
                "fee": 0,
                "reporting_category": "refund",
                "type": "refund",
                "source": f"re_{i:07d}",
            }
            records.append(("post_credit_note", f"re_{i:07d}", amount))
        elif kind < 99:
            amount = 2_000 + i % 5_000
            txn |= {
                "amount": -amount,
                "fee": 1500,
                "reporting_category": "dispute",
                "type": "adjustment",
                "source": f"dp_{i:07d}",
            }
            records.append(("post_adjustment", f"dp_{i:07d}:withdrawn", -amount))
        else:
            txn |= {
                "amount": -250,
                "fee": 0,
                "reporting_category": "fee",
                "type": "stripe_fee",
                "source": "",
            }
        txn |= {
            "currency": currency,
            "net": txn["amount"] - txn["fee"],
            "exchange_rate": None,
            "fee_details": (
                [
                    {
                        "amount": txn["fee"],
                        "currency": currency,
                        "type": "stripe_fee",
                        "description": "Stripe processing fees",
                        "application": None,
                    }
                ]
                if txn["fee"]
                else []
            ),
            "created": created + i,
            "available_on": created + i,
            "status": "available",
            "description": None,
        }
        transactions.append(txn)
    total = sum(t["net"] for t in transactions)
    transactions.append(
        {
            "id": "txn_payout",
            "object": "balance_transaction",
            "amount": -total,
            "fee": 0,
            "net": -total,
            "currency": currency,
            "exchange_rate": None,
            "fee_details": [],
            "reporting_category": "payout",
            "type": "payout",
            "source": payout_id,
            "created": created + n,
            "available_on": created + n,
            "status": "available",
            "description": "STRIPE PAYOUT",
        }
    )
    return transactions, records


def run(n: int, currency: str) -> dict:
    from integrations.connectors import stripe_api
    from integrations.intake import webhook_event_store
    from integrations.models import Connection, Integration, SyncRecord
    from reconciliation.models import JournalPosting, Payout
    from reconciliation.services import payout_proof_compute
    from tests.support.fake_erp import FakeErp

    stripe_conn = Connection.objects.create(
        name="bench stripe", kind="stripe", secrets={"api_key": "sk_test_bench"}
    )
    erp_conn = Connection.objects.create(
        name="bench syspro",
        kind="syspro",
        base_url="http://bench.invalid/SYSPROWCFService/Rest",
        config={"operator": "ADMIN", "company_id": "EDU1"},
        secrets={"operator_password": "x", "company_password": "y"},
    )
    integration = Integration.objects.create(
        name="bench",
        stripe_connection=stripe_conn,
        erp_connection=erp_conn,
        flows=["payouts"],
        options={"bank": "STRIPE"},
    )
    payout_id = "po_bench"
    transactions, records = _stream(n, payout_id, currency)
    pages = [
        json.dumps(
            {
                "object": "list",
                "data": transactions[i : i + PAGE],
                "has_more": i + PAGE < len(transactions),
            }
        )
        for i in range(0, len(transactions), PAGE)
    ]
    SyncRecord.objects.bulk_create(
        [
            SyncRecord(
                integration=integration,
                operation=operation,
                idempotency_key=f"{integration.pk}:{stripe_id}:{operation}",
                stripe_id=stripe_id,
                source={
                    "stripe_id": stripe_id,
                    "amount": amount,
                    "currency": currency.upper(),
                },
                status="succeeded",
                erp_reference=f"DOC{index:07d}",
            )
            for index, (operation, stripe_id, amount) in enumerate(records)
        ],
        batch_size=2000,
    )
    amount = -transactions[-1]["amount"]
    event = {
        "id": "evt_bench_payout_paid",
        "object": "event",
        "type": "payout.paid",
        "created": 1_767_312_000,
        "data": {
            "object": {
                "id": payout_id,
                "object": "payout",
                "amount": amount,
                "currency": currency,
                "automatic": True,
                "status": "paid",
                "created": 1_767_312_000,
                "arrival_date": 1_767_398_400,
                "reconciliation_status": "completed",
                "balance_transaction": "txn_payout",
            }
        },
    }
    stripe = PagedStripe(pages)
    stripe_api.stripe_api_for = lambda integration: lambda: stripe
    erp = FakeErp(kind="syspro")
    timings: dict[str, float] = {}
    cpu: dict[str, float] = {}
    with erp.installed():
        clock, cpu_clock = time.perf_counter(), time.process_time()
        # Stored like a webhook; django-q2 runs inline (sync) in these settings,
        # so storing processes the event: fetch, store lines, plan and post.
        stored, _ = webhook_event_store(
            integration=integration,
            data=event,
            body=json.dumps(event),
            source="webhook",
        )
        timings["fetch_store_journal"] = time.perf_counter() - clock
        cpu["fetch_store_journal"] = time.process_time() - cpu_clock
        clock, cpu_clock = time.perf_counter(), time.process_time()
        payout = Payout.objects.get(stripe_id=payout_id)
        payout_proof_compute(payout=payout)
        timings["prove"] = time.perf_counter() - clock
        cpu["prove"] = time.process_time() - cpu_clock
    stored.refresh_from_db()
    payout.refresh_from_db()
    posting = JournalPosting.objects.get(payout=payout)
    record = posting.sync_record
    checks = {
        "event_processed": stored.status == "processed",
        "lines_stored": payout.line_count == n,
        "journal_balanced": posting.difference == 0,
        "journal_posted": record is not None and record.status == "succeeded",
        "erp_journals": erp.created("post_journal") == 1,
        "reconciled": payout.proof_status == "reconciled",
        "all_lines_matched": payout.matched_count == n,
    }
    return {
        "transactions": n,
        "currency": currency,
        "pages": stripe.requests,
        "journal_lines": len(posting.lines),
        "payout_amount_minor": amount,
        "timings_s": {k: round(v, 3) for k, v in timings.items()},
        "total_s": round(sum(timings.values()), 3),
        # CPU seconds of this process: what the work costs when the machine is
        # shared (wall time includes waiting for the CPU and the disk).
        "cpu_s": {k: round(v, 3) for k, v in cpu.items()},
        "cpu_total_s": round(sum(cpu.values()), 3),
        "checks": checks,
        "event_error": stored.error,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--transactions",
        type=int,
        default=10_000,
        help="balance transactions in the payout (default 10000)",
    )
    parser.add_argument(
        "--currency",
        default="usd",
        help="payout currency, e.g. usd, jpy, kwd (default usd)",
    )
    parser.add_argument(
        "--output",
        default=str(ROOT / "bench/results/payout.json"),
        help="where to write the figures",
    )
    args = parser.parse_args()
    if args.transactions < 2:
        parser.error("--transactions must be at least 2")

    sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
    sys.path.insert(0, str(ROOT))
    from bench.common import git_revision, machine_facts, table

    load_before = list(os.getloadavg())
    with tempfile.TemporaryDirectory(prefix="bench-payout-") as tmp:
        _setup_django(Path(tmp) / "payout.sqlite3")
        result = run(args.transactions, args.currency.lower())

    rows = [
        {"phase": k, "wall s": v, "cpu s": result["cpu_s"][k]}
        for k, v in result["timings_s"].items()
    ]
    rows.append(
        {"phase": "total", "wall s": result["total_s"], "cpu s": result["cpu_total_s"]}
    )
    print(table(rows, ["phase", "wall s", "cpu s"]))
    ok = all(result["checks"].values())
    within = result["total_s"] < TARGET_SECONDS
    print(
        f"{result['transactions']} transactions, {result['pages']} pages, "
        f"{result['journal_lines']} journal lines; checks "
        f"{'passed' if ok else 'FAILED: ' + str(result['checks'])}; "
        f"target < {TARGET_SECONDS:.0f} s {'met' if within else 'MISSED'}"
    )
    document = {
        "benchmark": "payout",
        "database": "sqlite (WAL, file in a temporary directory)",
        "stripe": f"in-process stand-in, {PAGE} per page, JSON-decoded",
        "erp": "in-memory fake connector (tests/support/fake_erp.py)",
        "target_s": TARGET_SECONDS,
        "load_before": load_before,
        "target_met": within,
        **result,
        "git": git_revision(),
        "machine": machine_facts(),
    }
    output = Path(args.output)
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(document, indent=2) + "\n")
    print(f"wrote {os.path.relpath(output, ROOT)}")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
