"""Customer portal benchmark: the catalog page and a price lookup, 20 buyers.

One stack as in production on one machine (bench/harness.py's pieces):
gunicorn serving the portal and its SYSPRO sandbox, on PostgreSQL with Redis
as the cache when both are up (else SQLite and the file cache). The SYSPRO
sandbox holds the portal's seeded catalog (388 items, price codes with
quantity breaks, contract prices); 20 buyers of 3 companies log in through
the portal's login form.

Each round sends one request per buyer at once (20 concurrent, closed loop):

  catalog  GET /portal/?page=N   (24 items: prices, contract flags, stock)
  price    GET /portal/items/<code>/   (one item's price, breaks, stock)
  peer     GET /ceiling/django/   (Django's full middleware, no portal work),
           the floor of a logged-in page on this machine in this run

cold  the cache is emptied before every round: each company's price book is
      read from the ERP (INVQPL + SORQCP) and each item's stock (INVQRY);
warm  the same requests again with the cache filled.

ERP calls per page are counted from gunicorn's access log: the SYSPRO
sandbox's Query/Query requests during the phase divided by the portal pages
served in it (the logon is counted when it happens).

Target: p95 <= 300 ms warm. Writes bench/results/buyers.json.

Usage: python bench/buyers.py [--quick] [--rounds 10] [--buyers 20] [--result NAME]

The portal reads sessions from the cache (portal/settings/base.py);
BENCH_SESSION_ENGINE=django.contrib.sessions.backends.db measures the pages
with sessions read from the database instead (one query more per page).
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import threading
import time
from pathlib import Path
from typing import Any

import requests

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import common  # noqa: E402

common.fix_sys_path()

PASSWORD = "bench buyer password 18"
TARGET_P95_MS = 300
PORTAL_WORKERS = 2
PORTAL_THREADS = 4
COMPANIES = [("0000001", "B"), ("0000002", "A"), ("0000003", "E")]
PEER_PATH = "/ceiling/django/"

SETUP = """
import datetime as dt
from django.apps import apps
from django.contrib.auth import get_user_model
from b2b.models import Buyer, Company
from integrations.models import Integration
from sandbox.syspro.seed import seed_catalog, seed_history

model = lambda name: apps.get_model("sandbox_syspro", name)
seed_catalog(model)
seed_history(model, today=dt.date.today())
integration = Integration.objects.get(uuid={integration_id!r})
customers = {{c.code: c for c in model("Customer").objects.all()}}
companies = []
for code, price_code in {companies!r}:
    company, _ = Company.objects.get_or_create(
        integration=integration, erp_customer_code=code,
        defaults=dict(name=customers[code].name, currency=customers[code].currency,
                      price_code=price_code))
    companies.append(company)
emails = []
for index in range({buyers}):
    email = f"bench-buyer-{{index}}@example.com"
    user = get_user_model().objects.create_user(email, email, {password!r})
    Buyer.objects.create(user=user, company=companies[index % len(companies)],
                         role="buyer")
    emails.append(email)
codes = sorted(model("InventoryPrice").objects.filter(price_code="A")
               .values_list("stock_item__stock_code", flat=True))
result = {{"emails": emails, "codes": codes}}
"""

CLEAR_CACHE = """
from django.core.cache import cache
cache.clear()
result = True
"""


def log_in(base_url: str, email: str) -> requests.Session:
    session = requests.Session()
    session.get(f"{base_url}/portal/login/", timeout=30)
    response = session.post(
        f"{base_url}/portal/login/",
        data={
            "username": email,
            "password": PASSWORD,
            "csrfmiddlewaretoken": session.cookies["csrftoken"],
        },
        headers={"Referer": f"{base_url}/portal/login/"},
        allow_redirects=False,
        timeout=30,
    )
    if response.status_code != 302:
        raise RuntimeError(f"login of {email} failed: {response.status_code}")
    return session


def one_round(
    sessions: list[requests.Session], urls: list[str]
) -> tuple[list[float], int]:
    """Every session fetches its URL at once; (latencies, failures)."""
    latencies: list[float] = []
    failures = 0
    lock = threading.Lock()
    start = threading.Barrier(len(sessions))

    def fetch(session: requests.Session, url: str) -> None:
        nonlocal failures
        start.wait()
        began = time.perf_counter()
        response = session.get(url, timeout=60)
        elapsed = time.perf_counter() - began
        with lock:
            if response.status_code == 200:
                latencies.append(elapsed)
            else:
                failures += 1

    threads = [
        threading.Thread(target=fetch, args=(session, url))
        for session, url in zip(sessions, urls, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return latencies, failures


def access_counts(log: Path, offset: int) -> tuple[int, int, int]:
    """(portal pages, SYSPRO queries, new offset) in the access log after
    `offset` bytes."""
    with log.open("rb") as handle:
        handle.seek(offset)
        text = handle.read().decode(errors="replace")
        end = handle.tell()
    pages = len(re.findall(r'"GET /portal/(\?|items/)', text))
    queries = len(re.findall(r"/sandbox/syspro/SYSPROWCFService/Rest/", text))
    return pages, queries, end


def phase(
    name: str,
    *,
    current: common.Stack,
    sessions: list[requests.Session],
    url_rounds: list[list[str]],
    cold: bool,
    log: Path,
) -> dict[str, Any]:
    latencies: list[float] = []
    failures = 0
    offset = log.stat().st_size
    for urls in url_rounds:
        if cold:
            current.django(CLEAR_CACHE)
        got, failed = one_round(sessions, urls)
        latencies += got
        failures += failed
    time.sleep(1.0)  # gunicorn writes its access log line after the response
    pages, queries, _ = access_counts(log, offset)
    return {
        "phase": name,
        "requests": len(latencies) + failures,
        "failures": failures,
        "p50_ms": common.ms(common.percentile(latencies, 50)),
        "p95_ms": common.ms(common.percentile(latencies, 95)),
        "max_ms": common.ms(max(latencies) if latencies else None),
        "erp_calls_per_page": round(queries / pages, 2) if pages else None,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="3 rounds")
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--buyers", type=int, default=20)
    parser.add_argument(
        "--result",
        default="buyers",
        help="write bench/results/RESULT.json (an experiment beside the default)",
    )
    args = parser.parse_args(argv)
    rounds = 3 if args.quick else args.rounds
    backend = "postgres" if common.postgres_available() else "sqlite"
    redis = common.redis_available()
    rows = []
    load_before = os.getloadavg()
    with common.stack(backend, redis=redis) as current:
        log = current.workdir / "access.log"
        # The portal's pages name their CSS through the static manifest.
        current.manage("collectstatic", "--noinput", "-v", "0")
        # The ERP (the SYSPRO sandbox) is a server of its own, as SYSPRO is:
        # the portal's workers never wait for their own threads.
        erp = common.gunicorn_start(
            current,
            app="portal.wsgi:application",
            workers=2,
            threads=8,
            ready_path="/portal/login/",
            access_log=log,
        )
        server = common.gunicorn_start(
            current,
            app="portal.wsgi:application",
            workers=PORTAL_WORKERS,
            threads=PORTAL_THREADS,
            ready_path="/portal/login/",
            access_log=log,
        )
        try:
            info = common.integration_create(
                current, erp="syspro", portal_url=erp.base_url
            )
            seeded = current.django(
                SETUP.format(
                    integration_id=info["integration_id"],
                    companies=COMPANIES,
                    buyers=args.buyers,
                    password=PASSWORD,
                )
            )
            sessions = [log_in(server.base_url, email) for email in seeded["emails"]]
            codes = seeded["codes"]
            catalog_rounds = [
                [
                    f"{server.base_url}/portal/?page={(r * 7 + i) % 16 + 1}"
                    for i in range(len(sessions))
                ]
                for r in range(rounds)
            ]
            price_rounds = [
                [
                    f"{server.base_url}/portal/items/"
                    f"{codes[(r * 53 + i * 17) % len(codes)]}/"
                    for i in range(len(sessions))
                ]
                for r in range(rounds)
            ]
            # The peer, in the same run and at the same concurrency: Django's
            # full middleware (session, auth, OTP, axes, CSP) answering with no
            # portal work (bench/urls.py). What the catalog adds over it is
            # the portal's own cost; what the peer takes is the machine's.
            for urls in catalog_rounds:
                one_round(sessions, [f"{server.base_url}{PEER_PATH}" for _ in urls])
            rows.append(
                phase(
                    "peer: Django floor",
                    current=current,
                    sessions=sessions,
                    url_rounds=[
                        [f"{server.base_url}{PEER_PATH}" for _ in urls]
                        for urls in catalog_rounds
                    ],
                    cold=False,
                    log=log,
                )
            )
            for name, url_rounds in (
                ("catalog", catalog_rounds),
                ("price", price_rounds),
            ):
                rows.append(
                    phase(
                        f"{name} cold",
                        current=current,
                        sessions=sessions,
                        url_rounds=url_rounds,
                        cold=True,
                        log=log,
                    )
                )
                # Fill the cache with exactly these pages, then measure warm.
                for urls in url_rounds:
                    one_round(sessions, urls)
                rows.append(
                    phase(
                        f"{name} warm",
                        current=current,
                        sessions=sessions,
                        url_rounds=url_rounds,
                        cold=False,
                        log=log,
                    )
                )
        finally:
            common.process_stop(server.process)
            common.process_stop(erp.process)
    columns = [
        "phase",
        "requests",
        "failures",
        "p50_ms",
        "p95_ms",
        "max_ms",
        "erp_calls_per_page",
    ]
    print(common.table(rows, columns))
    warm_p95 = max(
        (row["p95_ms"] or 0) for row in rows if row["phase"].endswith("warm")
    )
    peer = next(row for row in rows if row["phase"].startswith("peer"))
    summary = {
        "warm_p95_ms": warm_p95,
        "peer_p95_ms": peer["p95_ms"],
        "target_p95_ms": TARGET_P95_MS,
        "meets_target": warm_p95 <= TARGET_P95_MS,
    }
    print(summary)
    common.results_write(
        args.result,
        {
            "summary": summary,
            "setup": {
                "backend": backend,
                "cache": "redis" if redis else "file",
                "portal_gunicorn": {
                    "workers": PORTAL_WORKERS,
                    "threads": PORTAL_THREADS,
                },
                "erp_sandbox_gunicorn": {"workers": 2, "threads": 8},
                "session_engine": os.environ.get(
                    "BENCH_SESSION_ENGINE", "the portal's (cached_db)"
                ),
                "concurrent_buyers": args.buyers,
                "companies": len(COMPANIES),
                "rounds": rounds,
                # The machine is shared: its load says how far the figures
                # are from an idle one's.
                "load_average_1m": {
                    "before": round(load_before[0], 2),
                    "after": round(os.getloadavg()[0], 2),
                },
            },
            "phases": rows,
        },
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
