"""dj-stripe's webhook endpoint, served as the intake benchmark's peer.

A Django shop that did not build its own intake would install dj-stripe and
mount its webhook view. This module installs a pinned dj-stripe into its own
virtualenv (under var/, so the portal's environment stays as it is), keeps a
migrated template database per pinned version (dj-stripe's migrations take
about a minute), and serves bench/djstripe_site/ under gunicorn with the same
worker class, workers and threads as the portal.

Two modes, one gunicorn each:

- processing: dj-stripe as installed. The view stores a WebhookEventTrigger,
  verifies the signature (the endpoint's `djstripe_validation_method` is
  `verify_signature`, so the event is not re-fetched), then syncs the event in
  the request: it retrieves the charge from the Stripe API. `stripe.api_base`
  points at a loopback stub (bench/djstripe_site/stripe_stub.py); without
  one, every delivery answers 500 (connection refused).
- deferred: `DJSTRIPE_WEBHOOK_EVENT_CALLBACK` set to a function that hands
  the trigger to nobody: verify and store only, dj-stripe's lower bound.

The driver never imports Django or dj-stripe; every step runs in the
peer's own interpreter.
"""

from __future__ import annotations

import contextlib
import importlib.metadata
import os
import secrets
import subprocess
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from bench import common

DJSTRIPE_VERSION = "2.10.4"
# dj-stripe 2.10.4 allows stripe<16, but under stripe 15 (StripeObject is no
# longer a dict) its first account sync fails with "Object of type Account is
# not JSON serializable": pin the last stripe 14.
STRIPE_VERSION = "14.4.2"
PINS = (
    f"dj-stripe=={DJSTRIPE_VERSION}",
    f"stripe=={STRIPE_VERSION}",
    # The portal's own versions of everything both sides run.
    f"Django=={importlib.metadata.version('Django')}",
    f"gunicorn=={importlib.metadata.version('gunicorn')}",
    f"psycopg[binary]=={importlib.metadata.version('psycopg')}",
)
VENV = common.ROOT / "var" / f"bench-djstripe-{DJSTRIPE_VERSION}"
PEER_PYTHON = VENV / "bin" / "python"
PEER_GUNICORN = str(VENV / "bin" / "gunicorn")
TEMPLATE_DB = "bench_djstripe_template_" + DJSTRIPE_VERSION.replace(".", "_")
MODES = ("processing", "deferred")


def venv_ensure() -> Path:
    """The peer's virtualenv with the pinned packages (installed once)."""
    marker = VENV / "ledgerbridge-bench-pins.txt"
    wanted = "\n".join(PINS) + "\n"
    if PEER_PYTHON.exists() and marker.exists() and marker.read_text() == wanted:
        return VENV
    print(f"  dj-stripe peer: installing {', '.join(PINS)} into {VENV}", flush=True)
    subprocess.run([common.PYTHON, "-m", "venv", "--clear", str(VENV)], check=True)
    subprocess.run(
        [str(PEER_PYTHON), "-m", "pip", "install", "--quiet", *PINS], check=True
    )
    marker.write_text(wanted)
    return VENV


def _env(database: str, **extra: str) -> dict[str, str]:
    host_port = common.PG_ADMIN_URL.rsplit("@", 1)[-1]
    host, _, port = host_port.partition(":")
    user = common.PG_ADMIN_URL.split("://", 1)[1].split("@", 1)[0] or "postgres"
    return {
        "DJANGO_SETTINGS_MODULE": "djstripe_site.settings",
        "PYTHONPATH": str(common.ROOT / "bench"),
        "PYTHONDONTWRITEBYTECODE": "1",
        "DJSTRIPE_SITE_SECRET_KEY": secrets.token_urlsafe(40),
        "DJSTRIPE_SITE_DB_NAME": database,
        "DJSTRIPE_SITE_DB_USER": user,
        "DJSTRIPE_SITE_DB_HOST": host,
        "DJSTRIPE_SITE_DB_PORT": port or "5432",
        "DJSTRIPE_SITE_CHARGE_FIXTURE": str(common.CHARGE_FIXTURE),
        # Until a stub is up, a Stripe call is refused on loopback.
        "DJSTRIPE_SITE_STRIPE_API_BASE": "http://127.0.0.1:9",
        **extra,
    }


def _peer(env: dict[str, str], *args: str) -> str:
    proc = subprocess.run(
        [str(PEER_PYTHON), *args],
        cwd=common.ROOT / "bench",
        env={**_base_env(), **env},
        capture_output=True,
        text=True,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"dj-stripe peer step failed:\n{proc.stdout}{proc.stderr}")
    return proc.stdout


def _base_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG")}


def _database_exists(name: str) -> bool:
    found = common._psql(
        f"SELECT 1 FROM pg_database WHERE datname = '{name}'", database="postgres"
    )
    return found.stdout.strip() == "1"


def template_ensure() -> str:
    """A migrated dj-stripe database to copy; built under another name first
    so an interrupted migration is never used as the template."""
    if _database_exists(TEMPLATE_DB):
        return TEMPLATE_DB
    building = TEMPLATE_DB + "_building"
    common._psql(f'DROP DATABASE IF EXISTS "{building}"', database="postgres")
    common._psql(f'CREATE DATABASE "{building}"', database="postgres")
    print("  dj-stripe peer: migrating the template database (once)", flush=True)
    _peer(_env(building), "-m", "django", "migrate", "--noinput", "-v", "0")
    renamed = common._psql(
        f'ALTER DATABASE "{building}" RENAME TO "{TEMPLATE_DB}"', database="postgres"
    )
    if renamed.returncode != 0:
        raise RuntimeError(renamed.stderr)
    return TEMPLATE_DB


_ENDPOINT_CODE = """
import sys, uuid, django
django.setup()
from djstripe.models import WebhookEndpoint
WebhookEndpoint.objects.create(
    id="we_ledgerbridgebench", livemode=False, api_version="2024-06-20",
    enabled_events=["*"], secret=sys.argv[1], status="enabled",
    url="http://127.0.0.1/stripe/webhook/", djstripe_uuid=uuid.UUID(sys.argv[2]),
    djstripe_validation_method="verify_signature")
"""


@dataclass
class Peer:
    """The peer's database, its servers and the endpoint the load goes to."""

    database: str
    secret: str
    endpoint_uuid: str
    workdir: Path
    servers: dict[str, common.Server] = field(default_factory=dict)
    stub: common.Server | None = None

    @property
    def path(self) -> str:
        return f"/stripe/webhook/{self.endpoint_uuid}/"

    def stub_calls(self) -> int:
        log = self.workdir / "stripe-stub-access.log"
        return len(log.read_text().splitlines()) if log.exists() else 0

    def triggers(self) -> dict[str, int]:
        """What dj-stripe stored: triggers, valid, processed, distinct events."""
        found = common._psql(
            "SELECT COUNT(*), COUNT(*) FILTER (WHERE valid), "
            "COUNT(*) FILTER (WHERE processed), "
            "(SELECT COUNT(*) FROM djstripe_event), "
            "COUNT(*) FILTER (WHERE exception <> '') "
            "FROM djstripe_webhookeventtrigger",
            database=self.database,
        )
        total, valid, processed, events, failed = (
            int(x) for x in found.stdout.strip().split("|")
        )
        return {
            "triggers": total,
            "valid": valid,
            "processed": processed,
            "events": events,
            "with_exception": failed,
        }


@contextlib.contextmanager
def peer_serve(
    stack: common.Stack, *, workers: int, threads: int, worker_class: str
) -> Iterator[Peer]:
    """Both modes served from one fresh copy of the template database."""
    venv_ensure()
    template = template_ensure()
    database = f"bench_djstripe_{secrets.token_hex(4)}"
    created = common._psql(
        f'CREATE DATABASE "{database}" TEMPLATE "{template}"', database="postgres"
    )
    if created.returncode != 0:
        raise RuntimeError(created.stderr)
    peer = Peer(
        database=database,
        secret="whsec_djstripe_bench_" + secrets.token_hex(16),
        endpoint_uuid=str(uuid.uuid4()),
        workdir=stack.workdir,
    )
    try:
        env = _env(database)
        _peer(env, "-c", _ENDPOINT_CODE, peer.secret, peer.endpoint_uuid)
        peer.stub = common.gunicorn_start(
            stack,
            app="djstripe_site.stripe_stub:application",
            executable=PEER_GUNICORN,
            cwd=common.ROOT / "bench",
            workers=1,
            threads=4,
            worker_class="gthread",
            ready_path="/v1/account",
            env=env,
            access_log=stack.workdir / "stripe-stub-access.log",
        )
        env["DJSTRIPE_SITE_STRIPE_API_BASE"] = peer.stub.base_url
        for mode in MODES:
            peer.servers[mode] = common.gunicorn_start(
                stack,
                app="djstripe_site.wsgi:application",
                executable=PEER_GUNICORN,
                cwd=common.ROOT / "bench",
                workers=workers,
                threads=threads,
                worker_class=worker_class,
                ready_path="/ready/",
                env={**env, "DJSTRIPE_SITE_MODE": mode},
            )
        yield peer
    finally:
        for server in [*peer.servers.values(), peer.stub]:
            if server is not None:
                common.process_stop(server.process)
        common._psql(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            f"WHERE datname = '{database}'",
            database="postgres",
        )
        common._psql(f'DROP DATABASE IF EXISTS "{database}"', database="postgres")
