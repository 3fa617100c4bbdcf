"""Pipeline benchmark: stored charge events drained by K django-q2 workers.

For each ERP (the SYSPRO sandbox; Sage Pro: the agent over generated DBF
tables, bench/harness.py) and injected ERP latency (0, 50 ms): N
charge.succeeded events are stored through the real intake service (and
enqueued), then a qcluster with K workers (1, 2, 4, 8) drains them into the
ERP served by gunicorn. Reported: events/s, end-to-end latency (stored →
payment's ERP reference recorded) p50/p95, and ERP HTTP calls per event
counted from the ERP server's access log.

The ceiling, in the same run: the ERP sandbox's own capacity for the same
calls made directly by K processes through the same connector (payloads the
pipeline sent, replayed after a sandbox reset, for the agent over a freshly
generated company; bench/erp_direct.py), with no ledger, queue or mapping
between. Pipeline ÷ ceiling is reported; the target is ≥ 50 % with 4
workers. Every run ends with the ERP state compared with
the charges, document by document.

A charge needs three ERP operations (customer ensure, sales order, payment);
with lookup-before-create each is a lookup plus a create, plus a Logon per
worker session, so the floor is 6 calls per new-customer charge.

Usage: python bench/pipeline.py [--quick] [--events N] [--workers 1,2,4,8]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import common  # noqa: E402

common.fix_sys_path()

from bench.harness import Portal, compare_charges, portal_start  # noqa: E402

TARGET_RATIO_AT_4 = 0.5


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0],
        epilog="Writes bench/results/pipeline.json.",
    )
    parser.add_argument("--events", type=int, default=5000, help="per run, no latency")
    parser.add_argument(
        "--latency-events",
        type=int,
        default=1000,
        help="per run with injected latency (at 50 ms one worker drains ~3/s)",
    )
    parser.add_argument("--workers", default="1,2,4,8")
    parser.add_argument("--erps", default="syspro,sagepro")
    parser.add_argument("--latencies", default="0,50", help="injected ERP ms")
    parser.add_argument("--backend", default="postgres", choices=["postgres", "sqlite"])
    parser.add_argument("--customers", type=int, default=200, help="distinct payers")
    parser.add_argument("--timeout", type=float, default=1800.0, help="s per drain")
    parser.add_argument("--quick", action="store_true", help="few events, K in 1,4")
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument(
        "--result",
        default="pipeline",
        help="write bench/results/RESULT.json (a partial run beside the full one)",
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.events = min(args.events, 60)
        args.latency_events = min(args.latency_events, 60)
        args.workers = "1,4"
        args.latencies = "0"
    return args


def _store_events(portal: Portal, prefix: str, n: int, customers: int) -> dict:
    """Store n events through webhook_event_store (enqueued on commit)."""
    code = f"""
import json, time
from integrations.models import Integration
from integrations.intake import webhook_event_store
from bench.common import charge_event
integration = Integration.objects.get()
amounts = {{}}
now = int(time.time())
for i in range({n}):
    charge_id = "{prefix}%06d" % i
    # Distinct payers and amounts per batch: a repeat of the same customer and
    # amount is held by the anomaly checks as a possible duplicate.
    amount = 500 + i * 101
    event = charge_event("evt_" + charge_id, charge_id, amount=amount, created=now)
    obj = event["data"]["object"]
    obj["billing_details"]["email"] = "{prefix}payer%d@example.com" % (i % {customers})
    webhook_event_store(integration=integration, data=event,
                        body=json.dumps(event), source="webhook")
    amounts[charge_id] = str(amount)
result = amounts
"""
    return portal.stack.django(code)


def _access_calls(portal: Portal, erp: str) -> int:
    return portal.erp_calls(portal.stack.workdir / "access.log")


def _latencies(portal: Portal, prefix: str, drain_started: float) -> dict[str, Any]:
    rows = portal.sql(
        "SELECT e.received_at, r.succeeded_at FROM integrations_syncrecord r "
        "JOIN integrations_webhookevent e ON r.event_id = e.id "
        "WHERE r.operation = 'post_payment' AND r.stripe_id LIKE %s "
        "AND r.succeeded_at IS NOT NULL",
        (prefix + "%",),
    )
    stored, drained = [], []
    for received, succeeded in rows:
        received, succeeded = _dt(received), _dt(succeeded)
        stored.append((succeeded - received).total_seconds())
        drained.append(succeeded.timestamp() - drain_started)
    return {
        "stored_to_erp_p50_ms": common.ms(common.percentile(stored, 50)),
        "stored_to_erp_p95_ms": common.ms(common.percentile(stored, 95)),
        "drain_start_to_erp_p50_ms": common.ms(common.percentile(drained, 50)),
        "drain_start_to_erp_p95_ms": common.ms(common.percentile(drained, 95)),
    }


def _work_window(portal: Portal, prefix: str) -> float:
    """First attempt started → last payment recorded, from the ledger."""
    ((first, last),) = portal.sql(
        "SELECT MIN(a.started_at), MAX(r.succeeded_at) FROM integrations_syncrecord r "
        "JOIN integrations_syncattempt a ON a.record_id = r.id "
        "WHERE r.stripe_id LIKE %s",
        (prefix + "%",),
    )
    if first is None or last is None:
        return float("inf")
    return max(0.001, (_dt(last) - _dt(first)).total_seconds())


def _dt(value: Any) -> datetime:
    if isinstance(value, datetime):
        return value
    return datetime.fromisoformat(str(value).replace(" ", "T"))


# CPU accounting: where each event's processor time goes ------------------------

_TICK = os.sysconf("SC_CLK_TCK")


def _cpu_of(pids: list[int]) -> dict[int, float]:
    """CPU seconds of each live process and of its children that have exited
    (utime + stime + cutime + cstime): django-q2 replaces a worker after 500
    tasks, and PostgreSQL's backends end with their connections."""
    found = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        found[pid] = sum(int(value) for value in fields[11:15]) / _TICK
    return found


def _pids_named(name: str) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() == name:
                    pids.append(int(entry.name))
            except OSError:
                continue
    return pids


class CpuMeter:
    """Processor seconds of the qcluster (every process, from its start) or
    of the direct-call processes (waited children), the ERP sandbox (the
    gunicorn serving it, or the Sage Pro agent), the PostgreSQL server and
    Redis."""

    def __init__(self, portal: Portal) -> None:
        self.portal = portal

    def _web_pids(self) -> list[int]:
        """The ERP's server: the Sage Pro agent's gunicorn, or the portal's
        gunicorn that mounts the SYSPRO sandbox."""
        agent = self.portal.agent
        if agent is not None and agent.process is not None:
            return [agent.process.pid, *common.children(agent.process.pid)]
        return [self.portal.web.process.pid, *self.portal.web.worker_pids()]

    def start(self) -> None:
        self.web = _cpu_of(self._web_pids())
        self.pg = _cpu_of(_pids_named("postgres"))
        self.redis = _cpu_of(_pids_named("redis-server"))
        self.children = _children_cpu()

    def read_servers(self) -> None:
        """Call while the measured processes still run and hold connections."""
        cluster = self.portal.qcluster
        self.cluster_used = 0.0
        if cluster is not None:
            pids = [cluster.pid, *self.portal.qcluster_worker_pids()]
            self.cluster_used = sum(_cpu_of(pids).values())
        self.web_used = _delta(self.web, _cpu_of(self._web_pids()))
        self.pg_used = _delta(self.pg, _cpu_of(_pids_named("postgres")))
        self.redis_used = _delta(self.redis, _cpu_of(_pids_named("redis-server")))

    def result(self, events: int) -> dict[str, float]:
        per = 1000 / max(1, events)
        if self.cluster_used:
            clients = {"qcluster_ms": round(self.cluster_used * per, 2)}
        else:
            clients = {
                "direct_clients_ms": round((_children_cpu() - self.children) * per, 2)
            }
        return {
            **clients,
            "erp_sandbox_ms": round(self.web_used * per, 2),
            "postgres_ms": round(self.pg_used * per, 2),
            "redis_ms": round(self.redis_used * per, 2),
        }


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _delta(before: dict[int, float], after: dict[int, float]) -> float:
    return sum(value - before.get(pid, 0.0) for pid, value in after.items())


def _ceiling(portal: Portal, prefix: str, workers: int) -> dict[str, Any]:
    portal.erp_reset()
    before = _access_calls(portal, portal.erp)
    meter = CpuMeter(portal)
    meter.start()
    start_at = time.time() + 3
    procs = [
        subprocess.Popen(
            [
                common.PYTHON,
                "-m",
                "bench.erp_direct",
                "--prefix",
                prefix,
                "--worker",
                str(i),
                "--of",
                str(workers),
                "--start-at",
                str(start_at),
            ],
            cwd=common.ROOT,
            env=portal.stack.env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for i in range(workers)
    ]
    outputs = []
    for proc in procs:
        out, err = proc.communicate(timeout=3600)
        if proc.returncode != 0:
            raise RuntimeError(f"erp_direct failed: {err[-2000:]}")
        outputs.append(json.loads(out.strip().splitlines()[-1]))
    meter.read_servers()
    wall = max(o["seconds"] for o in outputs)
    charges = sum(o["charges"] for o in outputs)
    return {
        "cpu_per_event": meter.result(charges),
        "charges": charges,
        "operations": sum(o["operations"] for o in outputs),
        "seconds": round(wall, 2),
        "events_per_s": round(charges / wall, 2) if wall else None,
        "erp_calls_per_event": round(
            (_access_calls(portal, portal.erp) - before) / max(1, charges), 2
        ),
    }


def run_case(args, erp: str, latency: int) -> dict[str, Any]:
    use_redis = args.backend == "postgres"
    out: dict[str, Any] = {"erp": erp, "latency_ms": latency, "runs": []}
    with common.stack(args.backend, redis=use_redis) as stack:
        portal = portal_start(stack, erp=erp, access_log=True)
        try:
            portal.faults(reset=True, latency_ms=latency)
            events = args.latency_events if latency else args.events
            for k in [int(x) for x in args.workers.split(",") if x]:
                prefix = f"ch_k{k}l{latency}x"
                amounts = _store_events(portal, prefix, events, args.customers)
                calls_before = _access_calls(portal, erp)
                meter = CpuMeter(portal)
                meter.start()
                drain_started = time.time()
                portal.qcluster_start(k)
                drained, seconds, counts = portal.wait_drained(
                    expected_records=None, timeout=args.timeout
                )
                meter.read_servers()
                portal.qcluster_stop()
                calls = _access_calls(portal, erp) - calls_before
                # Worker boot is not throughput: time from the first claim.
                window = _work_window(portal, prefix)
                state = portal.erp_state()
                exact = compare_charges(
                    erp,
                    state,
                    {c: Decimal(a) / 100 for c, a in amounts.items()},
                )
                run = {
                    "workers": k,
                    "events": events,
                    "drained": drained,
                    "wall_seconds_incl_boot": round(seconds, 2),
                    "seconds": round(window, 2),
                    "events_per_s": round(events / window, 2),
                    **_latencies(portal, prefix, drain_started),
                    "erp_calls_per_event": round(calls / events, 2),
                    # Workers include the qcluster's start-up (about 1 s each).
                    "cpu_per_event": meter.result(events),
                    "ledger": counts,
                    "erp_check": exact,
                }
                run["ceiling"] = _ceiling(portal, prefix, k)
                ceiling = run["ceiling"]["events_per_s"]
                run["ratio"] = (
                    round(run["events_per_s"] / ceiling, 3) if ceiling else None
                )
                out["runs"].append(run)
                print(
                    f"  {erp} {latency}ms K={k}: {run['events_per_s']} ev/s "
                    f"(ceiling {ceiling}), ratio {run['ratio']}, "
                    f"{run['erp_calls_per_event']} calls/event, "
                    f"exact={exact['exact']}\n"
                    f"    CPU ms/event pipeline {run['cpu_per_event']}\n"
                    f"    CPU ms/event ceiling  {run['ceiling']['cpu_per_event']}",
                    flush=True,
                )
                portal.faults(reset=True, latency_ms=latency)
        finally:
            portal.close()
    return out


def summary_rows(results: dict) -> list[dict[str, Any]]:
    rows = []
    for case in results.get("cases", []):
        for run in case["runs"]:
            ok = run["erp_check"]["exact"] and (
                run["workers"] != 4 or (run["ratio"] or 0) >= TARGET_RATIO_AT_4
            )
            rows.append(
                {
                    "benchmark": "pipeline",
                    "case": f"{case['erp']} {case['latency_ms']}ms K={run['workers']}",
                    "result": f"{run['events_per_s']} ev/s, "
                    f"{run['ratio']:.0%} of ceiling "
                    f"{run['ceiling']['events_per_s']} ev/s; p95 "
                    f"{run['stored_to_erp_p95_ms']} ms; "
                    f"{run['erp_calls_per_event']} ERP calls/event; "
                    f"exact={run['erp_check']['exact']}",
                    "target": "met" if ok else "MISSED",
                }
            )
    return rows


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.backend == "postgres" and not (
        common.postgres_available() and common.redis_available()
    ):
        print("pipeline: PostgreSQL or Redis not reachable; use --backend sqlite")
        return 2
    results: dict[str, Any] = {
        "settings": {
            "events": args.events,
            "events_with_latency": args.latency_events,
            "workers": args.workers,
            "backend": args.backend,
            "distinct_customers": args.customers,
            "latencies_ms": args.latencies,
            "web": "gunicorn gthread 3x4 serving portal + sandboxes",
            "loadavg_at_start": list(os.getloadavg()),
        },
        "target": {"ratio_at_4_workers": TARGET_RATIO_AT_4},
        "cases": [],
    }
    for erp in [e for e in args.erps.split(",") if e]:
        for latency in [int(x) for x in args.latencies.split(",") if x]:
            print(f"pipeline: {erp}, ERP latency {latency} ms", flush=True)
            results["cases"].append(run_case(args, erp, latency))
    if not args.no_write:
        path = common.results_write(args.result, results)
        print(f"wrote {path.relative_to(common.ROOT)}")
    print(
        common.table(summary_rows(results), ["benchmark", "case", "result", "target"])
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
