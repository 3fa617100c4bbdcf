"""Latency benchmark: a Stripe event to its ERP document, in an open loop.

For each ERP sandbox (SYSPRO, Sage Pro) one stack runs as in production on one
machine (bench/harness.py): gunicorn serving the portal and its sandboxes, the
Stripe sandbox's webhook deliverer (`manage.py sandbox_webhooks`) sending
signed deliveries to the portal's intake, and a qcluster with 4 workers
posting to the ERP sandbox, on PostgreSQL with Redis as the broker.

The driver creates charges through the Stripe sandbox with the official SDK
(a PaymentIntent confirmed with a test card, distinct payer and amount each)
at a fixed rate, open loop: every charge is sent at its scheduled time
whatever the earlier ones did. The sandbox webhook endpoint is subscribed to
charge.succeeded only, so a rate counts charges and Stripe events alike (with
Stripe's "*" each charge would also send payment_intent.succeeded, which
finds the charge's records already planned).

Measured per charge, on the one database the sandbox and the portal share,
with one clock:

  start  the Stripe sandbox creating the charge.succeeded event (its
         delivery's created_at: the instant of the event's `created`, at
         microsecond resolution, in the transaction that made the charge)
  end    the charge's post_payment SyncRecord reaching succeeded
         (succeeded_at): the payment is the last of the three ERP documents
         a charge becomes (customer, sales order, payment)

Also reported: event → stored by the intake (WebhookEvent.received_at: the
sandbox deliverer's delay plus our intake), stored → payment, and event →
sales order. Each rate ends when every charge's payment is in the ERP (or
nothing moved for a minute); the ERP's documents are then compared with the
charges one by one.

Usage: python bench/latency.py [--quick] [--rates 10,25,50] [--erps syspro]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import common  # noqa: E402

common.fix_sys_path()

import stripe  # noqa: E402

from bench.harness import Portal, compare_charges, portal_start  # noqa: E402
from bench.pipeline import _cpu_of, _pids_named  # noqa: E402

TARGET = {"rate_per_s": 25, "p95_ms": 2000.0}
QCLUSTER_WORKERS = 4
# The deliverer's idle poll: the wait a quiet Stripe sandbox adds before it
# sends a new event. Short, so the figure is the portal's and not the poll's.
DELIVERER_POLL_S = 0.05
# Enough concurrent SDK calls that a slow answer never delays the next
# scheduled charge at the highest rate.
CREATOR_THREADS = 32


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog="Writes bench/results/latency.json.",
    )
    parser.add_argument("--rates", default="10,25,50", help="charges (events)/s")
    parser.add_argument("--duration", type=float, default=20.0, help="s per rate")
    parser.add_argument("--erps", default="syspro,sagepro")
    parser.add_argument("--workers", type=int, default=QCLUSTER_WORKERS)
    parser.add_argument("--drain-timeout", type=float, default=300.0)
    parser.add_argument("--quick", action="store_true", help="6 s per rate")
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args(argv)
    if args.quick:
        args.duration = min(args.duration, 6.0)
    return args


# Stack ----------------------------------------------------------------------


def _subscribe(portal: Portal) -> None:
    """A Stripe sandbox webhook endpoint for the portal, with the signing
    secret the integration accepts (what setup_sandbox does, one event type)."""
    portal.stack.django(
        "from integrations.models import Integration\n"
        "from integrations.services import webhook_secret_add\n"
        "from sandbox.stripeapi.services.webhooks import webhook_endpoint_create\n"
        "integration = Integration.objects.get()\n"
        "endpoint = webhook_endpoint_create(\n"
        f"    url={portal.webhook_url!r}, enabled_events=['charge.succeeded'],\n"
        "    api_version='2024-06-20', description='bench', metadata=None)\n"
        "webhook_secret_add(integration=integration, secret=endpoint.secret,"
        " actor=None)\n"
        "result = endpoint.stripe_id\n"
    )


def _deliverer_start(portal: Portal) -> subprocess.Popen:
    log = portal.stack.workdir / "sandbox-webhooks.log"
    return subprocess.Popen(
        [
            common.PYTHON,
            "manage.py",
            "sandbox_webhooks",
            "--poll",
            str(DELIVERER_POLL_S),
            "--workers",
            "8",
        ],
        cwd=common.ROOT,
        env=portal.stack.env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )


# Load -----------------------------------------------------------------------


@dataclass
class Created:
    """What the open loop got back from the Stripe sandbox."""

    charges: dict[str, Decimal] = field(default_factory=dict)
    call_seconds: list[float] = field(default_factory=list)
    lateness: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=dict)
    elapsed: float = 0.0


def charges_create(
    portal: Portal, *, rate: float, duration: float, prefix: str
) -> Created:
    """Open loop: charge i is sent at start + i / rate, from a thread pool."""
    api_base = f"{portal.web.base_url}/sandbox/stripe"
    api_key = "sk_test_ledgerbridge_sandbox"
    total = int(rate * duration)
    created = Created()
    lock = threading.Lock()
    slots = iter(range(total))
    start = time.time() + 0.5

    def create_one(i: int) -> None:
        scheduled = start + i / rate
        delay = scheduled - time.time()
        if delay > 0:
            time.sleep(delay)
        sent = time.time()
        # Distinct payer and amount: a repeat of both is held for review as a
        # possible duplicate, which is not what this measures.
        amount = 500 + i * 7
        try:
            intent = stripe.PaymentIntent.create(
                api_key=api_key,
                amount=amount,
                currency="usd",
                payment_method="pm_card_visa",
                confirm=True,
                receipt_email=f"{prefix}{i}@example.com",
                description=f"bench {prefix} {i}",
            )
        except stripe.StripeError as exc:
            with lock:
                key = type(exc).__name__
                created.errors[key] = created.errors.get(key, 0) + 1
            return
        done = time.time()
        with lock:
            created.charges[intent.latest_charge] = Decimal(amount) / 100
            created.call_seconds.append(done - sent)
            created.lateness.append(sent - scheduled)

    def worker() -> None:
        while True:
            with lock:
                i = next(slots, None)
            if i is None:
                return
            create_one(i)

    stripe.api_base = api_base
    threads = [threading.Thread(target=worker) for _ in range(CREATOR_THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    created.elapsed = time.time() - start
    return created


def _posted(portal: Portal, charge_ids: list[str]) -> int:
    ((n,),) = portal.sql(
        "SELECT COUNT(*) FROM integrations_syncrecord WHERE operation = "
        "'post_payment' AND status = 'succeeded' AND stripe_id = ANY(%s)",
        (charge_ids,),
    )
    return n


def wait_posted(
    portal: Portal, charge_ids: list[str], *, timeout: float, stall: float = 60.0
) -> tuple[bool, float]:
    """Until every charge's payment is in the ERP, or nothing moved for `stall`."""
    started = time.monotonic()
    last, changed = -1, started
    while time.monotonic() - started < timeout:
        posted = _posted(portal, charge_ids)
        if posted >= len(charge_ids):
            return True, time.monotonic() - started
        if posted != last:
            last, changed = posted, time.monotonic()
        elif time.monotonic() - changed > stall:
            break
        time.sleep(0.25)
    return False, time.monotonic() - started


# Measurement ----------------------------------------------------------------


def _tree(pid: int) -> list[int]:
    found, frontier = [pid], [pid]
    while frontier:
        kids = common.children(frontier.pop())
        found += kids
        frontier += kids
    return found


class CpuMeter:
    """Processor seconds each part of the stack spent during one rate.

    Processes that exit during the rate (django-q2 recycles workers) are
    counted through their parent's cumulative children time; PostgreSQL's and
    Redis's are the whole servers', so other work on the machine shows there.
    """

    def __init__(self, portal: Portal, deliverer: subprocess.Popen) -> None:
        self.parts = {
            "web_portal_and_sandboxes": lambda: _tree(portal.web.process.pid),
            "sagepro_agent": lambda: (
                _tree(portal.agent.process.pid)
                if portal.agent and portal.agent.process
                else []
            ),
            "qcluster": lambda: _tree(portal.qcluster.pid) if portal.qcluster else [],
            "webhook_deliverer": lambda: [deliverer.pid],
            "postgres": lambda: _pids_named("postgres"),
            "redis": lambda: _pids_named("redis-server"),
        }

    def _read(self) -> dict[str, dict[int, float]]:
        return {name: _cpu_of(pids()) for name, pids in self.parts.items()}

    def start(self) -> None:
        self.before = self._read()
        self.driver_before = sum(os.times()[:2])
        self.wall_before = time.monotonic()

    def stop(self, charges: int) -> dict[str, Any]:
        after = self._read()
        used = {
            name: sum(v - self.before[name].get(pid, 0.0) for pid, v in now.items())
            for name, now in after.items()
        }
        used["driver_sdk_calls"] = sum(os.times()[:2]) - self.driver_before
        wall = time.monotonic() - self.wall_before
        per = 1000 / max(1, charges)
        return {
            "ms_per_charge": {k: round(v * per, 2) for k, v in used.items()},
            "total_ms_per_charge": round(sum(used.values()) * per, 2),
            "cores_busy": round(sum(used.values()) / wall, 2),
        }


_TIMES = """
SELECT r.stripe_id, r.operation, d.created_at, e.received_at, r.succeeded_at
FROM integrations_syncrecord r
JOIN integrations_webhookevent e ON e.id = r.event_id
JOIN sandbox_stripeapi_event se ON se.stripe_id = e.stripe_id
JOIN sandbox_stripeapi_webhookdelivery d ON d.event_id = se.id
WHERE r.stripe_id = ANY(%s)
  AND r.operation IN ('create_sales_order', 'post_payment')
  AND r.succeeded_at IS NOT NULL
"""


def _spread(values: list[float]) -> dict[str, float | None]:
    return {
        "p50_ms": common.ms(common.percentile(values, 50)),
        "p95_ms": common.ms(common.percentile(values, 95)),
        "p99_ms": common.ms(common.percentile(values, 99)),
        "max_ms": common.ms(max(values) if values else None),
    }


def latencies(portal: Portal, charge_ids: list[str]) -> dict[str, Any]:
    to_payment, to_order, to_stored, stored_to_payment = [], [], [], []
    for _charge, operation, created, received, succeeded in portal.sql(
        _TIMES, (charge_ids,)
    ):
        if operation == "post_payment":
            to_payment.append((succeeded - created).total_seconds())
            to_stored.append((received - created).total_seconds())
            stored_to_payment.append((succeeded - received).total_seconds())
        else:
            to_order.append((succeeded - created).total_seconds())
    return {
        "measured_charges": len(to_payment),
        "event_to_payment": _spread(to_payment),
        "event_to_sales_order": _spread(to_order),
        "event_to_stored": _spread(to_stored),
        "stored_to_payment": _spread(stored_to_payment),
    }


def run_rate(
    portal: Portal,
    args,
    rate: float,
    label: str,
    *,
    meter: CpuMeter,
    every_charge: dict[str, Decimal],
) -> dict[str, Any]:
    meter.start()
    created = charges_create(portal, rate=rate, duration=args.duration, prefix=label)
    charge_ids = list(created.charges)
    complete, drain_s = wait_posted(portal, charge_ids, timeout=args.drain_timeout)
    cpu = meter.stop(len(charge_ids))
    every_charge.update(created.charges)
    result = {
        "rate_per_s": rate,
        "duration_s": args.duration,
        "charges": len(charge_ids),
        "created_per_s": round(len(charge_ids) / created.elapsed, 2),
        "create_errors": created.errors,
        "create_call": _spread(created.call_seconds),
        "create_late_p99_ms": common.ms(common.percentile(created.lateness, 99)),
        "all_posted": complete,
        "drain_after_last_charge_s": round(drain_s, 2),
        **latencies(portal, charge_ids),
        "cpu": cpu,
        "ledger": portal.ledger_counts(),
    }
    # Every charge of this stack so far: documents of earlier rates are
    # expected, not "unexpected".
    result["erp_check"] = compare_charges(portal.erp, portal.erp_state(), every_charge)
    return result


# A rate starts once the machine is this idle over one second (or after the
# wait below): what an earlier rate left behind (the last posts, PostgreSQL's
# checkpoint and autovacuum, a stack shutting down) is not measured again.
QUIET_IDLE_FRACTION = 0.85
QUIET_WAIT_S = 90.0


def _cpu_times() -> tuple[int, int]:
    """(idle, total) jiffies of all CPUs, from /proc/stat."""
    with open("/proc/stat") as stat:
        fields = [int(x) for x in stat.readline().split()[1:]]
    return fields[3] + fields[4], sum(fields)


def machine_quiet_wait() -> dict[str, float]:
    """Wait until the CPUs are QUIET_IDLE_FRACTION idle over a second; the
    idle fraction seen and the seconds waited."""
    started = time.monotonic()
    idle = 0.0
    while True:
        idle_before, total_before = _cpu_times()
        time.sleep(1.0)
        idle_after, total_after = _cpu_times()
        idle = (idle_after - idle_before) / max(1, total_after - total_before)
        waited = time.monotonic() - started
        if idle >= QUIET_IDLE_FRACTION or waited >= QUIET_WAIT_S:
            return {"idle_fraction": round(idle, 3), "waited_s": round(waited, 1)}


def run_erp(args, erp: str) -> dict[str, Any]:
    out: dict[str, Any] = {"erp": erp, "rates": []}
    with common.stack("postgres", redis=True) as stack:
        portal = portal_start(stack, erp=erp)
        deliverer = None
        try:
            _subscribe(portal)
            deliverer = _deliverer_start(portal)
            portal.qcluster_start(args.workers)
            # Boot the workers and warm every process before measuring.
            warm = charges_create(portal, rate=5, duration=2, prefix="warm")
            wait_posted(portal, list(warm.charges), timeout=120)
            every_charge = dict(warm.charges)
            meter = CpuMeter(portal, deliverer)
            for rate in [float(x) for x in args.rates.split(",") if x]:
                quiet = machine_quiet_wait()
                started_load = os.getloadavg()[0]
                result = run_rate(
                    portal,
                    args,
                    rate,
                    f"r{int(rate)}x",
                    meter=meter,
                    every_charge=every_charge,
                )
                result["loadavg_1m_before"] = round(started_load, 2)
                result["cpu_idle_before"] = quiet
                out["rates"].append(result)
                _print_rate(erp, result)
        finally:
            if deliverer is not None:
                common.process_stop(deliverer, timeout=10)
            portal.close()
    return out


def _print_rate(erp: str, r: dict[str, Any]) -> None:
    p, s = r["event_to_payment"], r["event_to_stored"]
    print(
        f"  {erp} {r['rate_per_s']:g}/s: {r['charges']} charges "
        f"({r['created_per_s']}/s created) event → payment p50 {p['p50_ms']} "
        f"p95 {p['p95_ms']} p99 {p['p99_ms']} ms | event → stored p95 "
        f"{s['p95_ms']} ms | all posted {r['all_posted']} | "
        f"exact {r['erp_check']['exact']} | load {r['loadavg_1m_before']}, "
        f"idle {r['cpu_idle_before']['idle_fraction']:.0%}\n"
        f"    CPU ms/charge {r['cpu']['ms_per_charge']} = "
        f"{r['cpu']['total_ms_per_charge']}, {r['cpu']['cores_busy']} cores busy",
        flush=True,
    )


def summary_rows(results: dict) -> list[dict[str, Any]]:
    rows = []
    for case in results.get("erps", []):
        for r in case["rates"]:
            p = r["event_to_payment"]
            exact = r["all_posted"] and r["erp_check"]["exact"]
            if r["rate_per_s"] == TARGET["rate_per_s"]:
                met = exact and (p["p95_ms"] or float("inf")) <= TARGET["p95_ms"]
                verdict = "met" if met else "MISSED"
            else:
                # No latency target at this rate: only the documents count.
                verdict = "exact" if exact else "NOT EXACT"
            rows.append(
                {
                    "benchmark": "latency",
                    "case": f"{case['erp']} {r['rate_per_s']:g} ev/s",
                    "result": f"event → ERP payment p50 {p['p50_ms']} / p95 "
                    f"{p['p95_ms']} / p99 {p['p99_ms']} ms over {r['charges']} "
                    f"charges; exact={r['erp_check']['exact']}",
                    "target": verdict,
                }
            )
    return rows


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if not (common.postgres_available() and common.redis_available()):
        print("latency: PostgreSQL or Redis not reachable")
        return 2
    results: dict[str, Any] = {
        "settings": {
            "rates_per_s": args.rates,
            "duration_s_per_rate": args.duration,
            "qcluster_workers": args.workers,
            "backend": "postgres+redis",
            "web": "gunicorn gthread 3x4 serving portal + sandboxes",
            "deliverer": f"manage.py sandbox_webhooks --poll {DELIVERER_POLL_S} "
            "--workers 8",
            "webhook_events": ["charge.succeeded"],
            "start": "Stripe sandbox event created (webhook delivery created_at)",
            "end": "post_payment SyncRecord succeeded_at",
            "loadavg_at_start": list(os.getloadavg()),
        },
        "target": TARGET,
        "erps": [],
    }
    started = time.monotonic()
    for erp in [e for e in args.erps.split(",") if e]:
        print(f"latency: {erp}", flush=True)
        results["erps"].append(run_erp(args, erp))
    results["wall_time_s"] = round(time.monotonic() - started, 1)
    if not args.no_write:
        path = common.results_write("latency", results)
        print(f"wrote {path.relative_to(common.ROOT)}")
    print(
        common.table(summary_rows(results), ["benchmark", "case", "result", "target"])
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
