"""Benchmark the mapping engine: payloads mapped and validated per second.

Every canonical sample (customer, sales order with lines, payment, credit
note, adjustment, invoice, GL journal) is mapped through the default
template of each ERP and validated against the ERP schema, round-robin, for
a fixed number of payloads. This is the work `mapping.services.payload_build`
does per ledger record, minus its one indexed query for the active versions.
Target: at least 10,000 payloads per second. Both wall-clock and process
CPU time are reported (best of --repeat runs, one core); the target is
judged on CPU time, so a machine busy with other work does not hide the
engine's own cost, and the load average at start is recorded with the
machine facts.

    .venv/bin/python bench/mapping.py [--count N] [--repeat R] [--no-write]
"""

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import fix_sys_path, results_write, table  # noqa: E402

fix_sys_path()
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")

TARGET_PER_SECOND = 10_000


def run(count: int, repeat: int) -> list[dict]:
    from integrations.erps.registry import ERPS
    from mapping.samples import sample_sources
    from mapping.services import payload_map, template_compiled

    sources = sample_sources()
    rows = []
    for erp in ERPS:
        jobs = [
            (template_compiled(erp=erp, entity=entity), source)
            for entity, source in sources.items()
        ]
        for compiled, source in jobs:  # warm caches, prove every sample is valid
            payload_map(compiled=compiled, erp=erp, source=source)
        best_wall = best_cpu = float("inf")
        for _ in range(repeat):
            wall, cpu = time.perf_counter(), time.process_time()
            for i in range(count):
                compiled, source = jobs[i % len(jobs)]
                payload_map(compiled=compiled, erp=erp, source=source)
            best_wall = min(best_wall, time.perf_counter() - wall)
            best_cpu = min(best_cpu, time.process_time() - cpu)
        rows.append(
            {
                "erp": erp,
                "payloads": count,
                "entities": len(jobs),
                "wall_seconds": round(best_wall, 4),
                "per_second": round(count / best_wall),
                "cpu_seconds": round(best_cpu, 4),
                "per_cpu_second": round(count / best_cpu),
                "us_per_payload_cpu": round(best_cpu / count * 1e6, 1),
                # A busy machine steals wall time; CPU time is the engine's cost.
                "meets_target": count / best_cpu >= TARGET_PER_SECOND,
            }
        )
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(
        description="Payloads mapped and validated per second through the default "
        "templates; writes bench/results/mapping.json and prints a table."
    )
    parser.add_argument("--count", type=int, default=50_000, help="payloads per run")
    parser.add_argument("--repeat", type=int, default=3, help="runs; the best counts")
    parser.add_argument(
        "--no-write", action="store_true", help="print only, do not write results"
    )
    args = parser.parse_args()
    if args.count < 1 or args.repeat < 1:
        parser.error("--count and --repeat must be at least 1")

    import django

    django.setup()
    rows = run(args.count, args.repeat)
    print(
        table(
            rows,
            [
                "erp",
                "payloads",
                "wall_seconds",
                "per_second",
                "cpu_seconds",
                "per_cpu_second",
                "us_per_payload_cpu",
                "meets_target",
            ],
        )
    )
    if not args.no_write:
        path = results_write(
            "mapping",
            {
                "target_per_second": TARGET_PER_SECOND,
                "count": args.count,
                "repeat": args.repeat,
                "rows": rows,
            },
        )
        print(f"written {path}")
    return 0 if all(row["meets_target"] for row in rows) else 1


if __name__ == "__main__":
    raise SystemExit(main())
