"""Run the fault scenarios and record their figures in bench/results/reliability.json.

The scenarios are tests (tests/reliability/test_scenarios.py); run by pytest
alone they check and record nothing. This script runs them with recording on,
against PostgreSQL + Redis.

Usage: python bench/reliability.py [--scale 1.0] [--erp syspro|sagepro]
       [-- extra pytest arguments]

--erp sagepro runs them against the Sage Pro agent over generated DBF tables
(bench/harness.py starts it) and records bench/results/reliability-sagepro.json.
"""

import argparse
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", default=os.environ.get("RELIABILITY_SCALE", "1"))
    parser.add_argument(
        "--erp",
        choices=("syspro", "sagepro"),
        default=os.environ.get("RELIABILITY_ERP", "syspro"),
    )
    parser.add_argument(
        "--database-url",
        default=os.environ.get(
            "DATABASE_URL", "postgres://postgres@127.0.0.1:5432/test"
        ),
    )
    parser.add_argument(
        "--redis-url", default=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15")
    )
    args, pytest_args = parser.parse_known_args(argv)
    env = {
        **os.environ,
        "DATABASE_URL": args.database_url,
        "REDIS_URL": args.redis_url,
        "RELIABILITY_SCALE": str(args.scale),
        "RELIABILITY_ERP": args.erp,
        "RELIABILITY_RECORD": "1",
    }
    command = [
        sys.executable,
        "-m",
        "pytest",
        "-q",
        "-m",
        "reliability",
        "tests/reliability/test_scenarios.py",
        *[a for a in pytest_args if a != "--"],
    ]
    return subprocess.call(command, cwd=ROOT, env=env)


if __name__ == "__main__":
    sys.exit(main())
