"""Documents written per second through the Sage Pro agent on DBF tables.

Generates a company, starts the agent as it is installed (gunicorn, one
process, loopback), and POSTs sales orders with 1 and with 20 lines and cash
receipts, one client at a time and four at once, over keep-alive HTTP.
Every document goes through the whole write: lookup of its reference,
next-number lock, journal entry, appends under VFP header locks. A second
pass does what the portal's connector does per document (GET ?ponum= first,
then POST). Prints a table and writes bench/results/agent.json.

Usage: python bench/agent.py [--quick] [--count N]
"""

from __future__ import annotations

import argparse
import http.client
import json
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import common  # noqa: E402

common.fix_sys_path()

AGENT_DIR = common.ROOT / "agent"
KEY = "bench-agent-key-0123456789abcdef"


def order(reference: str, lines: int, custno: str) -> dict[str, Any]:
    return {
        "custno": custno,
        "ordate": "2025-06-01",
        "ponum": reference,
        "lines": [
            {
                "item": "A100",
                "qtyord": str(1 + n % 5),
                "price": "10.00",
                "extprice": f"{(1 + n % 5) * 10}.00",
            }
            for n in range(lines)
        ],
    }


def receipt(reference: str, custno: str) -> dict[str, Any]:
    return {
        "custno": custno,
        "reference": reference,
        "amount": "125.40",
        "date": "2025-06-01",
        "bank": "STRIPE",
    }


class Client:
    def __init__(self, port: int) -> None:
        self.connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.headers = {
            "Authorization": f"Bearer {KEY}",
            "Content-Type": "application/json",
        }

    def call(self, method: str, path: str, body: Any = None) -> tuple[int, Any]:
        data = None if body is None else json.dumps(body)
        self.connection.request(method, f"/api/v1/{path}", data, self.headers)
        response = self.connection.getresponse()
        return response.status, json.loads(response.read())


def run_case(
    port: int,
    *,
    name: str,
    count: int,
    clients: int,
    make: Any,
    path: str,
    lookup: bool,
) -> dict[str, Any]:
    latencies: list[float] = []
    failures: list[str] = []
    lock = threading.Lock()

    def worker(index: int) -> None:
        client = Client(port)
        for n in range(index, count, clients):
            reference = f"{name}-{n}"
            body = make(reference)
            started = time.perf_counter()
            if lookup:
                key = "ponum" if path == "salesorders" else "reference"
                client.call("GET", f"{path}?{key}={reference}")
            status, reply = client.call("POST", path, body)
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                if status != 201:
                    failures.append(f"{status} {reply}")

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    return {
        "case": name,
        "documents": count,
        "clients": clients,
        "lookup_first": lookup,
        "wall_seconds": round(wall, 3),
        "per_second": round(count / wall, 1),
        "p50_ms": common.ms(common.percentile(latencies, 50)),
        "p95_ms": common.ms(common.percentile(latencies, 95)),
        "failures": len(failures),
        "first_failure": failures[0] if failures else "",
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--count", type=int, default=0)
    args = parser.parse_args(argv)
    count = args.count or (60 if args.quick else 400)

    with tempfile.TemporaryDirectory(prefix="bench-agent-") as temp:
        data = Path(temp) / "data"
        keys = Path(temp) / "keys"
        python = common.PYTHON
        agent = [python, "-m", "ledgerbridge_agent"]
        subprocess.run(
            [*agent, "generate", "--data", str(data), "--company", "01"]
            + ["--customers", "200", "--items", "300", "--orders", "2000"],
            cwd=AGENT_DIR,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        subprocess.run(
            [*agent, "key", "add", "--key-file", str(keys)],
            cwd=AGENT_DIR,
            input=KEY,
            text=True,
            check=True,
        )
        port = common.free_port()
        server = subprocess.Popen(
            [*agent, "serve", "--data", str(data), "--company", "01"]
            + ["--key-file", str(keys), "--server", "gunicorn", "--threads", "4"]
            + ["--port", str(port)],
            cwd=AGENT_DIR,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    Client(port).call("GET", "info")
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.2)
            cases = [
                ("order-1-line", "salesorders", lambda r: order(r, 1, "0000001")),
                ("order-20-lines", "salesorders", lambda r: order(r, 20, "0000001")),
                ("receipt", "cashreceipts", lambda r: receipt(r, "0000001")),
            ]
            rows = []
            for clients in (1, 4):
                for lookup in (False, True):
                    for name, path, make in cases:
                        label = f"{name}-c{clients}{'-lookup' if lookup else ''}"
                        rows.append(
                            run_case(
                                port,
                                name=label,
                                count=count,
                                clients=clients,
                                make=make,
                                path=path,
                                lookup=lookup,
                            )
                        )
            sizes = {
                name: (data / f"{name}01.dbf").stat().st_size
                for name in ("somast", "sotran", "arcash")
            }
        finally:
            server.terminate()
            common.process_stop(server)

    print(
        common.table(
            rows,
            [
                "case",
                "documents",
                "clients",
                "per_second",
                "p50_ms",
                "p95_ms",
                "failures",
            ],
        )
    )
    path = common.results_write(
        "agent",
        {
            "server": "gunicorn, 1 process, 4 threads, loopback HTTP",
            "storage": "dbf",
            "starting_company": {"customers": 200, "items": 300, "orders": 2000},
            "final_table_bytes": sizes,
            "count": count,
            "rows": rows,
            "summary": {row["case"]: row["per_second"] for row in rows},
        },
    )
    print(f"wrote {path}")
    return 1 if any(row["failures"] for row in rows) else 0


if __name__ == "__main__":
    raise SystemExit(main())
