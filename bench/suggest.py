"""Benchmark the mapping suggestion engine: top-1 accuracy on labelled schema pairs.

Each pair gives a target schema (an ERP entity of ours, or the fields of
another ERP written inline), sample Stripe objects and the gold source path
per target. A target counts as correct when the top suggestion is its gold
path. Runs in a second or two with no model download.

    .venv/bin/python bench/suggest.py [--data FILE] [--no-write] [--verbose]

--data takes {"pairs": [{"name", "samples": [source objects], "gold":
{target: source path}, and either "erp" + "entity" (a schema in
mapping/schemas.py) or "schema": [{"name", "type", "max_length",
"description"}]}]}; see bench/data/suggest_pairs.json.
"""

import argparse
import json
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import fix_sys_path, results_write, table  # noqa: E402

fix_sys_path()
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")


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
        "--no-write", action="store_true", help="print only, do not write results"
    )
    parser.add_argument("--verbose", action="store_true", help="print every miss")
    args = parser.parse_args()

    import django

    django.setup()
    pairs = json.loads(Path(args.data).read_text())["pairs"]
    started = time.perf_counter()
    result = evaluate(pairs, verbose=args.verbose)
    elapsed = time.perf_counter() - started

    print(table(result["rows"], ["pair", "targets", "top1"]))
    print(
        f"top-1 accuracy {result['top1_accuracy']:.1%} "
        f"({result['correct']}/{result['total']}) in {elapsed:.2f} s"
    )
    if not args.no_write:
        path = results_write(
            "suggest",
            {
                **result,
                "seconds": round(elapsed, 3),
                "data": os.path.relpath(args.data, ROOT),
            },
        )
        print(f"written {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
