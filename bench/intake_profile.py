"""Where an intake request's time goes: one process, no server, cProfile.

Calls the portal's WSGI application (bench.ceiling_app) directly, one request
after another, with the same signed events as bench/intake.py, on a throwaway
PostgreSQL + Redis stack: the Django ceiling and the intake alternately, round
by round. Prints each one's CPU and wall time per request without the
profiler (the fastest round, and the median CPU), then the intake's profile in
processor time (cumulative and own time). On PostgreSQL it also prints the
CPU time the request's database backend spent per request (the server runs on
the same cores). Nothing is written: it explains
bench/results/intake.json, it does not add to it.

Usage: python bench/intake_profile.py [--requests 500] [--rounds 6] [--top 40]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench import common  # noqa: E402

common.fix_sys_path()

# Runs in a child with the stack's environment (the driver never imports
# Django). argv: signing secret, integration uuid, requests per round, top
# entries, rounds.
_CHILD = r"""
import cProfile, io, json, os, pstats, sys, time
import django
django.setup()
from django.db import connection
import stripe
from bench.ceiling_app import application
from bench.common import charge_event

secret, integration = sys.argv[1], sys.argv[2]
requests, top, repeats = map(int, sys.argv[3:])
template = json.dumps(charge_event("evt_@@", "ch_@@"), separators=(",", ":"))
serial = iter(range(10**9))


def signed():
    body = template.replace("@@", f"profile{next(serial):09d}")
    sign = stripe.WebhookSignature.generate_signature_header
    return body.encode(), sign(body, secret)


def environ(path, body, signature):
    return {
        "REQUEST_METHOD": "POST", "PATH_INFO": path, "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000", "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "127.0.0.1:8000", "REMOTE_ADDR": "127.0.0.1",
        "wsgi.url_scheme": "http", "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr, "CONTENT_LENGTH": str(len(body)),
        "CONTENT_TYPE": "application/json; charset=utf-8",
        "HTTP_STRIPE_SIGNATURE": signature, "HTTP_USER_AGENT": "Stripe/1.0",
    }


def send(path, bodies):
    for body, signature in bodies:
        status = []
        answer = application(
            environ(path, body, signature), lambda s, h: status.append(s)
        )
        b"".join(answer)
        answer.close()
        if not status[0].startswith("200"):
            raise SystemExit(f"{path}: {status[0]}")


# CPU time, in seconds, of this process's PostgreSQL backend so far. The
# server runs on this machine: /proc/<pid>/schedstat counts its time on the
# CPU in nanoseconds, where /proc/<pid>/stat counts clock ticks.
def backend_cpu():
    if pg_pid is None:
        return 0.0
    with open(f"/proc/{pg_pid}/schedstat") as stat:
        return int(stat.read().split()[0]) / 1e9


paths = {"ceiling": "/ceiling/django/", "intake": f"/webhooks/stripe/{integration}/"}
for path in paths.values():
    send(path, [signed() for _ in range(100)])
# The connection is persistent (BENCH_CONN_MAX_AGE, set by the driver): after
# the warm-up it is the one every request below uses.
pg_pid = None
if connection.vendor == "postgresql":
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pg_pid = cursor.fetchone()[0]
    if not os.path.exists(f"/proc/{pg_pid}/schedstat"):
        pg_pid = None
# Other work on the machine only ever slows a round down: alternate the two
# endpoints round by round and keep each one's fastest round (and the median).
cpu_ms = {label: [] for label in paths}
db_ms = {label: [] for label in paths}
wall_ms = {label: [] for label in paths}
for _ in range(repeats):
    for label, path in paths.items():
        bodies = [signed() for _ in range(requests)]
        cpu, db = time.process_time(), backend_cpu()
        wall = time.perf_counter()
        send(path, bodies)
        wall = time.perf_counter() - wall
        cpu, db = time.process_time() - cpu, backend_cpu() - db
        cpu_ms[label].append(1000 * cpu / requests)
        db_ms[label].append(1000 * db / requests)
        wall_ms[label].append(1000 * wall / requests)
for label in paths:
    cpu, db = sorted(cpu_ms[label]), sorted(db_ms[label])
    wall = sorted(wall_ms[label])
    print(f"{label}: {cpu[0]:.3f} ms CPU (median {cpu[len(cpu) // 2]:.3f}), "
          f"database backend {db[0]:.3f} ms CPU (median {db[len(db) // 2]:.3f}), "
          f"{wall[0]:.3f} ms wall per request (no profiler, best of {repeats} "
          f"rounds of {requests})")
# Processor time, not wall: waits on PostgreSQL and Redis are spent by other
# processes and would hide where this one's CPU goes.
profile = cProfile.Profile(time.process_time)
bodies = [signed() for _ in range(requests)]
profile.enable()
send(paths["intake"], bodies)
profile.disable()
for order in ("cumulative", "tottime"):
    out = io.StringIO()
    pstats.Stats(profile, stream=out).sort_stats(order).print_stats(top)
    print(out.getvalue())
"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=500, help="per round")
    parser.add_argument("--rounds", type=int, default=6, help="per endpoint")
    parser.add_argument("--top", type=int, default=40)
    args = parser.parse_args(argv)
    with common.stack("postgres", redis=True) as stack:
        # integration_create wants a portal URL only for the sandbox connections.
        info = common.integration_create(
            stack, erp="syspro", portal_url="http://127.0.0.1:9"
        )
        proc = subprocess.run(
            [
                common.PYTHON,
                "-c",
                _CHILD,
                info["webhook_secret"],
                info["integration_id"],
                str(args.requests),
                str(args.top),
                str(args.rounds),
            ],
            cwd=common.ROOT,
            # One database connection for the whole run, so that its backend's
            # CPU can be read (the default max age reconnects every minute).
            env={"BENCH_CONN_MAX_AGE": "3600", **stack.env},
        )
    return proc.returncode


if __name__ == "__main__":
    sys.exit(main())
