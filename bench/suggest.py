"""Benchmark the mapping suggestion engine: top-1 accuracy on labelled schema pairs.

Each pair gives a target schema (an ERP entity of ours, or the fields of
another ERP written inline), sample Stripe objects and the gold source path
per target. A target counts as correct when the top suggestion is its gold
path. Runs in a second or two with no model download.

    .venv/bin/python bench/suggest.py [--data FILE] [--output FILE] [--verbose]
"""

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")


def _revision() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"


def evaluate(pairs: list[dict], *, verbose: bool = False) -> dict:
    from mapping.schemas import schema_for
    from mapping.suggest import field_specs_from_dicts, suggest_mapping

    rows = []
    correct = total = 0
    for pair in pairs:
        if "schema" in pair:
            fields = field_specs_from_dicts(pair["schema"])
        else:
            fields = list(schema_for(erp=pair["erp"], entity=pair["entity"]).fields)
        wanted = {f.name: f for f in fields if f.name in pair["gold"]}
        suggestions = suggest_mapping(
            target_fields=list(wanted.values()), samples=pair["samples"]
        )
        hits = 0
        for item in suggestions:
            gold = pair["gold"][item.target]
            ok = item.source == gold
            hits += ok
            if verbose and not ok:
                print(
                    f"  miss {pair['name']}: {item.target} → {item.source or '∅'} "
                    f"(gold {gold}; {item.reason})"
                )
        rows.append({"pair": pair["name"], "targets": len(wanted), "top1": hits})
        correct += hits
        total += len(wanted)
    return {
        "rows": rows,
        "correct": correct,
        "total": total,
        "top1_accuracy": round(correct / total, 4) if total else 0.0,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--data",
        default=str(ROOT / "bench/data/suggest_pairs.json"),
        help="labelled pairs JSON; default bench/data/suggest_pairs.json",
    )
    parser.add_argument(
        "--output",
        default=str(ROOT / "bench/results/suggest.json"),
        help="where to write the figures",
    )
    parser.add_argument("--verbose", action="store_true", help="print every miss")
    args = parser.parse_args()

    import django

    django.setup()
    pairs = json.loads(Path(args.data).read_text())["pairs"]
    started = time.perf_counter()
    result = evaluate(pairs, verbose=args.verbose)
    elapsed = time.perf_counter() - started

    width = max(len(row["pair"]) for row in result["rows"])
    print(f"{'schema pair':<{width}}  targets  top-1")
    for row in result["rows"]:
        print(f"{row['pair']:<{width}}  {row['targets']:>7}  {row['top1']:>5}")
    print(
        f"top-1 accuracy {result['top1_accuracy']:.1%} "
        f"({result['correct']}/{result['total']}) in {elapsed:.2f} s"
    )
    output = {
        **result,
        "seconds": round(elapsed, 3),
        "data": os.path.relpath(args.data, ROOT),
        "machine": {
            "python": platform.python_version(),
            "platform": platform.platform(),
            "processor": platform.processor() or platform.machine(),
            "cpus": os.cpu_count(),
        },
        "git_revision": _revision(),
    }
    Path(args.output).parent.mkdir(parents=True, exist_ok=True)
    Path(args.output).write_text(json.dumps(output, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
