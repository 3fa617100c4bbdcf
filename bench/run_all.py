"""Run every benchmark present, on loopback, and print one summary table.

Each benchmark runs in its own process (`python -m bench.<name>`) and writes
bench/results/<name>.json itself; this driver only sequences them, passes
--quick where a script supports it, and summarises what they recorded.

Usage: python bench/run_all.py [--quick] [--only intake,pipeline]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import common  # noqa: E402

common.fix_sys_path()

# Run order: the cheap in-process ones first, the process-heavy ones last.
BENCHMARKS = ["mapping", "suggest", "payout", "intake", "latency", "pipeline"]
HEADLINE_KEYS = ("summary", "headline", "result")


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="short runs")
    parser.add_argument(
        "--only", default="", help="comma-separated subset of " + ",".join(BENCHMARKS)
    )
    return parser.parse_args(argv)


def _supports(module: str, flag: str) -> bool:
    proc = subprocess.run(
        [common.PYTHON, "-m", f"bench.{module}", "--help"],
        cwd=common.ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    return proc.returncode == 0 and flag in proc.stdout


def _run(name: str, quick: bool) -> dict[str, Any]:
    args = [common.PYTHON, "-m", f"bench.{name}"]
    if quick and _supports(name, "--quick"):
        args.append("--quick")
    print(f"\n==> {' '.join(args[1:])}", flush=True)
    started = time.monotonic()
    proc = subprocess.run(args, cwd=common.ROOT)
    return {
        "name": name,
        "rc": proc.returncode,
        "seconds": round(time.monotonic() - started, 1),
    }


def _headline(name: str) -> tuple[list[dict[str, Any]], str]:
    path = common.RESULTS_DIR / f"{name}.json"
    if not path.exists():
        return [], "no results file"
    data = json.loads(path.read_text())
    module = _own_summariser(name)
    if module is not None:
        return module(data), str(path.relative_to(common.ROOT))
    for key in HEADLINE_KEYS:
        if isinstance(data.get(key), str | int | float):
            return [{"result": str(data[key])}], str(path.relative_to(common.ROOT))
        if isinstance(data.get(key), dict):
            return [{"result": _flat(data[key])}], str(path.relative_to(common.ROOT))
    return [{"result": _flat(data)}], str(path.relative_to(common.ROOT))


def _own_summariser(name: str):
    """The summary_rows() of a benchmark that defines one, else None."""
    import importlib

    try:
        module = importlib.import_module(f"bench.{name}")
    except Exception:
        return None
    return getattr(module, "summary_rows", None)


def _flat(data: dict[str, Any], limit: int = 5) -> str:
    skip = {"benchmark", "recorded_at", "git", "machine", "settings", "targets"}
    parts = []
    for key, value in data.items():
        if key in skip:
            continue
        if isinstance(value, bool | int | float | str) and len(str(value)) < 40:
            parts.append(f"{key}={value}")
        if len(parts) >= limit:
            break
    return ", ".join(parts) or "(see file)"


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    wanted = [n for n in args.only.split(",") if n] or BENCHMARKS
    present = [n for n in wanted if (common.ROOT / "bench" / f"{n}.py").exists()]
    runs = [_run(name, args.quick) for name in present]
    rows = []
    for run in runs:
        lines, source = _headline(run["name"])
        status = "ok" if run["rc"] == 0 else f"exit {run['rc']}"
        for line in lines or [{"result": source}]:
            rows.append(
                {
                    "benchmark": run["name"],
                    "status": status,
                    "seconds": run["seconds"],
                    "case": line.get("case", ""),
                    "result": line.get("result", ""),
                    "target": line.get("target", ""),
                }
            )
    for name in wanted:
        if name not in present:
            rows.append({"benchmark": name, "status": "absent", "result": ""})
    print("\n" + "=" * 30 + " benchmark summary " + "=" * 30)
    print(
        common.table(
            rows, ["benchmark", "status", "seconds", "case", "result", "target"]
        )
    )
    return 0 if all(run["rc"] == 0 for run in runs) else 1


if __name__ == "__main__":
    sys.exit(main())
