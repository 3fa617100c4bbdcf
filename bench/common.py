"""Shared plumbing for the benchmarks: throwaway databases, processes, results.

The benchmark driver itself never imports Django: every measured component
(gunicorn, qcluster, setup steps) runs in its own process with an explicit
environment, so one run can measure SQLite and PostgreSQL side by side.
"""

from __future__ import annotations

import contextlib
import json
import os
import platform
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS_DIR = ROOT / "bench" / "results"
PYTHON = str(ROOT / ".venv" / "bin" / "python")
if not Path(PYTHON).exists():
    PYTHON = sys.executable
GUNICORN = str(Path(PYTHON).parent / "gunicorn")
PG_ADMIN_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")
REDIS_BENCH_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/12")


def fix_sys_path() -> None:
    """Run as `python bench/x.py`, sys.path[0] is bench/, where a file named
    mapping.py would shadow the Django app; put the repository root first."""
    bench_dir = str(ROOT / "bench")
    sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != bench_dir]
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))


# Facts ----------------------------------------------------------------------


def git_revision() -> dict[str, Any]:
    def run(*args: str) -> str:
        try:
            return subprocess.run(
                ["git", *args], cwd=ROOT, capture_output=True, text=True, check=True
            ).stdout.strip()
        except (OSError, subprocess.CalledProcessError):
            return ""

    return {
        "commit": run("rev-parse", "HEAD"),
        "dirty": bool(run("status", "--porcelain", "--untracked-files=no")),
    }


def machine_facts() -> dict[str, Any]:
    cpu_model = ""
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu_model = line.split(":", 1)[1].strip()
                break
    mem_kb = 0
    with contextlib.suppress(OSError, ValueError, IndexError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                mem_kb = int(line.split()[1])
    return {
        "hostname": socket.gethostname(),
        "platform": platform.platform(),
        "python": platform.python_version(),
        # Which build ran the stack: a distribution's optimised CPython and
        # pyenv's default build differ in CPU per request.
        "python_binary": os.path.realpath(PYTHON),
        "cpus": os.cpu_count(),
        "cpu_model": cpu_model,
        "memory_mb": mem_kb // 1024,
        "loadavg_at_write": list(os.getloadavg()),
    }


def results_write(name: str, data: dict[str, Any]) -> Path:
    """Write bench/results/<name>.json atomically with machine and git facts."""
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    document = {
        "benchmark": name,
        "recorded_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "git": git_revision(),
        "machine": machine_facts(),
        **data,
    }
    path = RESULTS_DIR / f"{name}.json"
    tmp = path.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(document, indent=2, sort_keys=False) + "\n")
    tmp.replace(path)
    return path


def percentile(values: Sequence[float], pct: float) -> float | None:
    """Nearest-rank percentile; None for an empty sample."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(pct / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def ms(seconds: float | None) -> float | None:
    return None if seconds is None else round(seconds * 1000, 2)


def table(rows: list[dict[str, Any]], columns: list[str]) -> str:
    """A plain fixed-width table for the terminal."""
    cells = [[_cell(row.get(col)) for col in columns] for row in rows]
    widths = [
        max(len(col), *(len(r[i]) for r in cells)) if cells else len(col)
        for i, col in enumerate(columns)
    ]
    lines = ["  ".join(col.ljust(w) for col, w in zip(columns, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    for row in cells:
        lines.append("  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)))
    return "\n".join(lines)


def _cell(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:.3g}" if abs(value) < 10 else f"{value:.1f}"
    return str(value)


# Databases and environment --------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def postgres_available() -> bool:
    return _psql("SELECT 1", database="postgres").returncode == 0


def redis_available(url: str = REDIS_BENCH_URL) -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(url, socket_timeout=2).ping())
    except Exception:
        return False


def redis_forget(url: str, stack_id: str) -> None:
    """Delete one stack's queue and cache keys, and nobody else's."""
    import redis

    client = redis.Redis.from_url(url)
    keys = list(client.scan_iter(match=f"*{stack_id}*", count=1000))
    if keys:
        client.delete(*keys)


def _psql(sql: str, *, database: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        ["psql", f"{PG_ADMIN_URL}/{database}", "-v", "ON_ERROR_STOP=1", "-qAtc", sql],
        capture_output=True,
        text=True,
    )


@dataclass
class Stack:
    """One throwaway database (+ optional Redis) and the env to reach it."""

    backend: str  # "sqlite" | "postgres"
    env: dict[str, str]
    database_url: str
    redis_url: str = ""
    workdir: Path = field(default_factory=lambda: Path(tempfile.mkdtemp("lb-bench")))
    _pg_name: str = ""

    @property
    def label(self) -> str:
        broker = "redis" if self.redis_url else "orm"
        return f"{self.backend}+{broker}"

    def manage(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        return subprocess.run(
            [PYTHON, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            check=check,
        )

    def django(self, code: str) -> Any:
        """Run Python with Django set up in a child process; return its JSON."""
        script = (
            "import django, json, sys\n"
            "django.setup()\n" + code + "\n"
            "sys.stdout.write('\\n@@RESULT@@' + json.dumps(result))\n"
        )
        proc = subprocess.run(
            [PYTHON, "-c", script],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
        )
        if proc.returncode != 0 or "@@RESULT@@" not in proc.stdout:
            raise RuntimeError(f"django step failed:\n{proc.stdout}\n{proc.stderr}")
        return json.loads(proc.stdout.rsplit("@@RESULT@@", 1)[1])


def base_env(**extra: str) -> dict[str, str]:
    from cryptography.fernet import Fernet

    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL", "REDIS_URL", "Q_"))
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            # DEBUG keeps every SQL query in memory; a benchmark must not.
            "DJANGO_DEBUG": "false",
            "DJANGO_ALLOWED_HOSTS": "*",
            "DJANGO_SECRET_KEY": secrets.token_urlsafe(40),
            "FIELD_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
            "SANDBOX_ENABLED": "true",
            "LOG_LEVEL": "WARNING",
            "PYTHONPATH": str(ROOT),
            "PYTHONDONTWRITEBYTECODE": "1",
        }
    )
    env.update(extra)
    return env


@contextlib.contextmanager
def stack(
    backend: str, *, redis: bool = False, migrate: bool = True, **extra_env: str
) -> Iterator[Stack]:
    """A migrated throwaway database; dropped (and Redis db flushed) afterwards."""
    workdir = Path(tempfile.mkdtemp(prefix="lb-bench-"))
    pg_name = ""
    if backend == "sqlite":
        database_url = f"sqlite:///{workdir}/bench.sqlite3"
    elif backend == "postgres":
        pg_name = f"lb_bench_{os.getpid()}_{secrets.token_hex(3)}"
        created = _psql(f'CREATE DATABASE "{pg_name}"', database="postgres")
        if created.returncode != 0:
            raise RuntimeError(f"cannot create {pg_name}: {created.stderr}")
        database_url = f"{PG_ADMIN_URL}/{pg_name}"
    else:
        raise ValueError(backend)
    redis_url = REDIS_BENCH_URL if redis else ""
    stack_id = f"b{os.getpid()}{secrets.token_hex(3)}"
    # bench.settings names the django-q2 queue and prefixes cache keys with
    # this id, so concurrent benchmark stacks sharing one Redis never consume
    # each other's tasks.
    env = base_env(DATABASE_URL=database_url, BENCH_STACK_ID=stack_id, **extra_env)
    if redis_url:
        env["REDIS_URL"] = redis_url
    # bench.settings keeps the file cache (no Redis) out of the repository's var/.
    env["BENCH_WORKDIR"] = str(workdir)
    current = Stack(
        backend=backend,
        env=env,
        database_url=database_url,
        redis_url=redis_url,
        workdir=workdir,
        _pg_name=pg_name,
    )
    try:
        if migrate:
            current.manage("migrate", "--noinput", "-v", "0")
        yield current
    finally:
        if pg_name:
            _psql(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                f"WHERE datname = '{pg_name}'",
                database="postgres",
            )
            _psql(f'DROP DATABASE IF EXISTS "{pg_name}"', database="postgres")
        if redis_url:
            with contextlib.suppress(Exception):
                redis_forget(redis_url, stack_id)
        subprocess.run(["rm", "-rf", str(workdir)], check=False)


# Processes ------------------------------------------------------------------


@dataclass
class Server:
    process: subprocess.Popen
    port: int
    log: Path

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def worker_pids(self) -> list[int]:
        return children(self.process.pid)


def children(pid: int) -> list[int]:
    found: list[int] = []
    with contextlib.suppress(OSError):
        for task in Path(f"/proc/{pid}/task").iterdir():
            with contextlib.suppress(OSError):
                found += [int(p) for p in (task / "children").read_text().split()]
    return found


def peak_rss_mb(pids: Sequence[int]) -> dict[str, float]:
    """VmHWM (peak resident set) per process, max and sum, in MB."""
    peaks = []
    for pid in pids:
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmHWM:"):
                    peaks.append(int(line.split()[1]) / 1024)
    return {
        "max_process_mb": round(max(peaks), 1) if peaks else 0.0,
        "sum_mb": round(sum(peaks), 1),
        "processes": len(peaks),
    }


def gunicorn_start(
    current: Stack,
    *,
    app: str = "bench.ceiling_app:application",
    workers: int = 3,
    threads: int = 4,
    worker_class: str = "gthread",
    ready_path: str = "/ceiling/",
    env: dict[str, str] | None = None,
    access_log: Path | None = None,
    executable: str = GUNICORN,
    cwd: Path = ROOT,
) -> Server:
    port = free_port()
    log = current.workdir / f"gunicorn-{port}.log"
    args = [
        executable,
        app,
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        worker_class,
        "--threads",
        str(threads),
        "--backlog",
        "2048",
        "--keep-alive",
        "30",
        "--log-level",
        "warning",
    ]
    if access_log is not None:
        args += ["--access-logfile", str(access_log)]
    process = subprocess.Popen(
        args,
        cwd=cwd,
        env={**current.env, **(env or {})},
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    server = Server(process=process, port=port, log=log)
    try:
        _ready_wait(server, ready_path)
        # Let every worker boot (the first answer only proves one is up).
        time.sleep(1.0)
    except BaseException:
        # A failed start or a Ctrl-C while waiting: leave no server behind.
        process_stop(process)
        raise
    return server


def _ready_wait(server: Server, ready_path: str) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"gunicorn exited:\n{server.log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(server.base_url + ready_path, timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"gunicorn did not answer:\n{server.log.read_text()[-3000:]}")


def process_stop(process: subprocess.Popen, *, timeout: float = 20) -> None:
    if process.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=5)


def integration_create(
    current: Stack, *, erp: str, portal_url: str, erp_url: str = "", erp_key: str = ""
) -> dict[str, Any]:
    """Connections, one integration and a signing secret, for the sandboxes.

    Sage Pro's is the agent at `erp_url` (bench.harness starts it) with its
    bearer key `erp_key`.
    """
    code = f"""
from integrations.models import Connection, Integration
from integrations.services import webhook_secret_add
import secrets as _s
erp = {erp!r}
portal = {portal_url!r}
stripe_conn, _ = Connection.objects.get_or_create(
    name="bench-stripe", defaults=dict(
        kind="stripe", base_url=portal + "/sandbox/stripe", is_sandbox=True,
        secrets={{"api_key": "sk_test_ledgerbridge_sandbox"}}))
if erp == "syspro":
    erp_conn, _ = Connection.objects.get_or_create(
        name="bench-syspro", defaults=dict(
            kind="syspro", is_sandbox=True,
            base_url=portal + "/sandbox/syspro/SYSPROWCFService/Rest",
            config={{"operator": "ADMIN", "company_id": "EDU1"}},
            secrets={{"operator_password": "sandbox-operator",
                      "company_password": "sandbox-company"}}))
else:
    erp_conn, _ = Connection.objects.get_or_create(
        name="bench-sagepro", defaults=dict(
            kind="sagepro", is_sandbox=True,
            base_url={erp_url!r},
            secrets={{"api_key": {erp_key!r}}}))
integration, created = Integration.objects.get_or_create(
    name="bench-" + erp, defaults=dict(
        stripe_connection=stripe_conn, erp_connection=erp_conn,
        flows=[f.value for f in Integration.Flow],
        options={OPTIONS!r}))
secret = "whsec_bench_" + _s.token_hex(16)
webhook_secret_add(integration=integration, secret=secret, actor=None)
result = {{"integration_id": str(integration.uuid), "integration_pk": integration.pk,
          "webhook_secret": secret}}
"""
    return current.django(code)


OPTIONS = {
    "bank": "STRIPE",
    "warehouse": "FG",
    "misc_charge_description": "Stripe payment",
    "customer_code_prefix": "S",
    "terms_code": "30",
    "gl": {
        "bank": "1010",
        "clearing": "1090",
        "ar": "1200",
        "fees": "6210",
        "refunds": "4900",
        "disputes": "5910",
        "dispute_fees": "6220",
        "adjustments": "6900",
        "fx": "7910",
    },
}


# Stripe-shaped events ---------------------------------------------------------

CHARGE_FIXTURE = ROOT / "tests" / "fixtures" / "stripe" / "charge.json"


def charge_event(
    event_id: str,
    charge_id: str,
    *,
    amount: int = 1999,
    currency: str = "usd",
    customer: str | None = None,
    created: int | None = None,
) -> dict[str, Any]:
    """A charge.succeeded event built on Stripe's published charge example."""
    charge = json.loads(CHARGE_FIXTURE.read_text())
    created = created or int(time.time())
    charge.update(
        id=charge_id,
        amount=amount,
        amount_captured=amount,
        currency=currency,
        customer=customer,
        created=created,
        description=None,
        payment_intent=None,
        status="succeeded",
        paid=True,
        captured=True,
        metadata={},
    )
    charge["billing_details"] = {
        **(charge.get("billing_details") or {}),
        "email": f"buyer+{charge_id}@example.com",
        "name": "Jenny Rosen",
    }
    return {
        "id": event_id,
        "object": "event",
        "api_version": "2024-06-20",
        "created": created,
        "livemode": False,
        "pending_webhooks": 1,
        "request": {"id": None, "idempotency_key": None},
        "type": "charge.succeeded",
        "data": {"object": charge},
    }
