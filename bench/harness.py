"""A whole LedgerBridge on loopback: gunicorn (portal + sandboxes) and qcluster.

Shared by bench/pipeline.py and the process-level reliability scenarios in
tests/reliability/. The driver never imports Django; it reads progress with
plain SQL on the throwaway database and talks to the sandboxes over HTTP.
With erp="sagepro" the ERP is the Sage Pro agent (agent/) as a customer runs
it, gunicorn over a generated company's DBF tables, with its test hooks on
(loopback, no TLS); what it wrote is read back from the DBF files.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import sqlite3
import subprocess
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import requests
import stripe

from bench import common
from sandbox.sagepro_books import books_read

SYSPRO_CONTROL = ("/sandbox/syspro", "syspro_control_sandbox")
OPEN = ("pending", "running", "retrying")
AGENT_DIR = common.ROOT / "agent"
AGENT_COMPANY = "01"
AGENT_KEY = "bench-agent-key-0123456789abcdef"
AGENT_START_SECONDS = 60


@dataclass
class SageProAgent:
    """The Sage Pro agent over a generated company, on a fixed loopback port.

    `reset` stops it, generates a fresh company and starts it again on the
    same port, so the portal's connection (its base URL) stays right.
    """

    workdir: Path
    port: int = field(default_factory=common.free_port)
    process: subprocess.Popen | None = None
    starts: int = 0
    # The switches in force: the agent's POST /_hooks replaces them all.
    switches: dict[str, Any] = field(default_factory=dict)

    @property
    def data(self) -> Path:
        return self.workdir / "sagepro" / "data"

    @property
    def key_file(self) -> Path:
        return self.workdir / "sagepro" / "agent-keys"

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/v1"

    @property
    def key(self) -> str:
        return AGENT_KEY

    def _run(self, *args: str, stdin: str | None = None) -> None:
        subprocess.run(
            [common.PYTHON, "-m", "ledgerbridge_agent", *args],
            cwd=AGENT_DIR,
            input=stdin,
            text=True,
            check=True,
            capture_output=True,
            timeout=AGENT_START_SECONDS,
        )

    def generate(self) -> None:
        if self.data.exists():
            shutil.rmtree(self.data)
        self.data.parent.mkdir(parents=True, exist_ok=True)
        self._run("generate", "--data", str(self.data), "--company", AGENT_COMPANY)
        if not self.key_file.exists():
            self._run(
                "key", "add", "--key-file", str(self.key_file), "--overlap-hours",
                "0", stdin=f"{AGENT_KEY}\n",
            )  # fmt: skip

    def start(self) -> None:
        self.starts += 1
        log = self.workdir / f"agent-{self.starts}.log"
        self.process = subprocess.Popen(
            [common.PYTHON, "-m", "ledgerbridge_agent", "serve"]
            + ["--data", str(self.data), "--company", AGENT_COMPANY]
            + ["--key-file", str(self.key_file), "--server", "gunicorn"]
            + ["--host", "127.0.0.1", "--port", str(self.port), "--test-hooks"],
            cwd=AGENT_DIR,
            # gunicorn's access log goes to stdout: erp_calls counts it.
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + AGENT_START_SECONDS
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"the agent exited:\n{log.read_text()[-3000:]}")
            try:
                requests.get(f"{self.base_url}/info", timeout=2)
                break
            except requests.ConnectionError:
                if time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(
                        f"the agent did not answer:\n{log.read_text()[-3000:]}"
                    ) from None
                time.sleep(0.2)
        if self.switches:
            self.hooks(self.switches)

    def stop(self) -> None:
        if self.process is not None:
            common.process_stop(self.process)
            self.process = None

    def reset(self) -> None:
        self.stop()
        self.generate()
        self.start()

    def hooks(self, switches: dict[str, Any]) -> dict:
        response = requests.post(
            f"http://127.0.0.1:{self.port}/_hooks",
            json=switches,
            headers={"Authorization": f"Bearer {AGENT_KEY}"},
            timeout=30,
        )
        response.raise_for_status()
        self.switches = dict(switches)
        return response.json()

    def calls(self) -> int:
        """The /api/v1 requests the agent answered (its access logs)."""
        return sum(
            1
            for log in self.workdir.glob("agent-*.log")
            for line in log.read_text(errors="replace").splitlines()
            if " /api/v1/" in line
        )

    def books(self) -> dict:
        return books_read(self.data, AGENT_COMPANY)


def agent_start(workdir: Path) -> SageProAgent:
    agent = SageProAgent(workdir=workdir)
    agent.generate()
    agent.start()
    return agent


@dataclass
class Portal:
    stack: common.Stack
    erp: str
    web: common.Server
    integration: dict[str, Any]
    qcluster: subprocess.Popen | None = None
    session: requests.Session = field(default_factory=requests.Session)
    agent: SageProAgent | None = None
    # The driver's own connection for sql() (psycopg's, when PostgreSQL).
    _db: Any = field(default=None, repr=False)
    _db_lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    # Processes -------------------------------------------------------------

    def qcluster_start(self, workers: int) -> None:
        log = self.stack.workdir / f"qcluster-{int(time.time())}.log"
        self.qcluster = subprocess.Popen(
            [common.PYTHON, "manage.py", "qcluster"],
            cwd=common.ROOT,
            env={**self.stack.env, "Q_WORKERS": str(workers)},
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def qcluster_stop(self) -> None:
        """SIGTERM the cluster; SIGKILL what is left after 10 s (it only stops
        once drained, and the ledger survives a kill by design)."""
        if self.qcluster is not None:
            common.process_stop(self.qcluster, timeout=10)
            self.qcluster = None

    def qcluster_worker_pids(self) -> list[int]:
        """The pool workers: grandchildren of the qcluster command (via sentinel)."""
        if self.qcluster is None:
            return []
        found: list[int] = []
        frontier = [self.qcluster.pid]
        while frontier:
            pid = frontier.pop()
            kids = common.children(pid)
            found += kids
            frontier += kids
        return found

    def close(self) -> None:
        self.qcluster_stop()
        common.process_stop(self.web.process)
        if self.agent is not None:
            self.agent.stop()
        with self._db_lock:
            if self._db is not None:
                self._db.close()
                self._db = None

    # Sandboxes -------------------------------------------------------------

    def _erp(self, path: str) -> tuple[str, dict[str, str]]:
        root, key = SYSPRO_CONTROL
        return f"{self.web.base_url}{root}/{path}", {"Authorization": f"Bearer {key}"}

    def faults(self, *, reset: bool = False, **switches: Any) -> dict:
        """Change the ERP's injected faults, keeping the others unless `reset`.

        The switch names are the sandboxes' (latency_ms, error_rate,
        rate_limit_per_second, down, reject_credentials, ...); the agent's
        test hooks take the same names.
        """
        if self.agent is not None:
            kept = {} if reset else self.agent.switches
            wanted = {**kept, **switches}
            return self.agent.hooks({k: v for k, v in wanted.items() if v})
        url, headers = self._erp("_control")
        body = {"reset": True, **switches} if reset else switches
        try:
            response = self.session.post(url, json=body, headers=headers, timeout=30)
        except requests.ConnectionError:
            # A kept-alive connection the server closed while the scenario
            # slept ("connection reset by peer"): setting the same switches
            # again, on a fresh connection, is harmless.
            response = self.session.post(url, json=body, headers=headers, timeout=30)
        response.raise_for_status()
        return response.json()

    def erp_state(self) -> dict:
        """Every document the ERP holds: the agent's DBF files read back, or
        the SYSPRO sandbox's `_state`."""
        if self.agent is not None:
            return self.agent.books()
        url, headers = self._erp("_state")
        response = self.session.get(url, headers=headers, timeout=120)
        response.raise_for_status()
        return response.json()

    def erp_reset(self) -> None:
        """The ERP back to its starting data (the agent: a fresh company)."""
        if self.agent is not None:
            self.agent.reset()
            return
        url, headers = self._erp("_reset")
        self.session.post(url, headers=headers, timeout=60).raise_for_status()

    def erp_calls(self, access_log: Path | None = None) -> int:
        """The ERP API requests answered so far (not the control endpoints)."""
        if self.agent is not None:
            return self.agent.calls()
        if access_log is None or not access_log.exists():
            return 0
        marker = f"/sandbox/{self.erp}/"
        return sum(
            1
            for line in access_log.read_text(errors="replace").splitlines()
            if marker in line
            and "/_state" not in line
            and "/_control" not in line
            and "/_reset" not in line
        )

    # Intake ----------------------------------------------------------------

    @property
    def webhook_url(self) -> str:
        return (
            f"{self.web.base_url}/webhooks/stripe/{self.integration['integration_id']}/"
        )

    def deliver(self, event: dict[str, Any], *, session=None) -> int:
        body = json.dumps(event)
        signature = stripe.WebhookSignature.generate_signature_header(
            body, self.integration["webhook_secret"]
        )
        response = (session or self.session).post(
            self.webhook_url,
            data=body.encode(),
            headers={"Content-Type": "application/json", "Stripe-Signature": signature},
            timeout=60,
        )
        return response.status_code

    def deliver_retrying(self, event: dict[str, Any], *, session=None) -> int:
        """Deliver like Stripe: a non-2xx or a dropped connection is retried."""
        for attempt in range(30):
            try:
                status = self.deliver(event, session=session)
            except requests.RequestException:
                status = 0
            if status == 200:
                return status
            time.sleep(min(2.0, 0.2 * (attempt + 1)))
        return status

    # Progress --------------------------------------------------------------

    def sql(self, query: str, params: tuple = ()) -> list[tuple]:
        """A read of the stack's database, on one connection the driver keeps.

        The progress polls run several times a second; a new PostgreSQL
        connection for each (a backend process started, authenticated and
        torn down) was CPU the benchmarks charged to the stack's PostgreSQL.
        A connection the server dropped (a restart in a reliability scenario)
        fails that one read and is opened again on the next.
        """
        if self.stack.backend == "sqlite":
            path = self.stack.database_url.removeprefix("sqlite:///")
            with contextlib.closing(sqlite3.connect(path, timeout=30)) as conn:
                return conn.execute(query.replace("%s", "?"), params).fetchall()
        import psycopg

        with self._db_lock:
            if self._db is None or self._db.closed:
                self._db = psycopg.connect(
                    self.stack.database_url, connect_timeout=5, autocommit=True
                )
            try:
                return self._db.execute(query, params).fetchall()
            except psycopg.OperationalError:
                self._db.close()
                self._db = None
                raise

    def ledger_counts(self) -> dict[str, int]:
        rows = self.sql(
            "SELECT status, COUNT(*) FROM integrations_syncrecord GROUP BY status"
        )
        counts = {status: n for status, n in rows}
        events = self.sql(
            "SELECT status, COUNT(*) FROM integrations_webhookevent GROUP BY status"
        )
        counts.update({f"event_{status}": n for status, n in events})
        return counts

    def wait_drained(
        self,
        *,
        expected_records: int | None,
        timeout: float,
        poll: float = 0.5,
        stall: float = 60.0,
    ) -> tuple[bool, float, dict[str, int]]:
        """Until no event waits and no record is open (and enough exist)."""
        started = time.monotonic()
        counts: dict[str, int] = {}
        last: dict[str, int] = {}
        changed = started
        while time.monotonic() - started < timeout:
            try:
                counts = self.ledger_counts()
            except Exception:  # the database may be restarting
                time.sleep(poll)
                continue
            if counts != last:
                last, changed = counts, time.monotonic()
            elif counts.get("held") and time.monotonic() - changed > stall:
                # Held records wait for a person: nothing more will move.
                return False, time.monotonic() - started, counts
            total = sum(v for k, v in counts.items() if not k.startswith("event_"))
            busy = counts.get("event_received", 0) + sum(counts.get(s, 0) for s in OPEN)
            if not busy and (expected_records is None or total >= expected_records):
                return True, time.monotonic() - started, counts
            time.sleep(poll)
        return False, time.monotonic() - started, counts


def portal_start(
    stack: common.Stack,
    *,
    erp: str,
    web_workers: int = 3,
    threads: int = 4,
    access_log: bool = False,
) -> Portal:
    env = {}
    extra_args = {}
    if access_log:
        env["BENCH_ACCESS_LOG"] = "1"
        extra_args["access_log"] = stack.workdir / "access.log"
    agent = agent_start(stack.workdir) if erp == "sagepro" else None
    try:
        web = common.gunicorn_start(
            stack, workers=web_workers, threads=threads, env=env, **extra_args
        )
    except BaseException:
        if agent is not None:
            agent.stop()
        raise
    integration = common.integration_create(
        stack,
        erp=erp,
        portal_url=web.base_url,
        erp_url=agent.base_url if agent else "",
        erp_key=agent.key if agent else "",
    )
    return Portal(stack=stack, erp=erp, web=web, integration=integration, agent=agent)


# Checking the ERP against what Stripe holds ------------------------------------

ORDER_REF = {"syspro": "reference", "sagepro": "ponum"}
ORDER_VALUE = {"syspro": "order_value", "sagepro": "ordamt"}
PAYMENT_VALUE = {"syspro": "payment_value", "sagepro": "amount"}


def compare_charges(
    erp: str, state: dict[str, Any], charges: dict[str, Decimal]
) -> dict[str, Any]:
    """Sales orders and payments vs the charges Stripe holds, one by one.

    Documents of other batches (another charge id prefix) are left out.
    """
    prefix = os.path.commonprefix(list(charges)) if charges else "ch_"
    report: dict[str, Any] = {"expected_documents": 2 * len(charges)}
    found = duplicated = lost = wrong_amount = 0
    unexpected = 0
    for collection, ref_key, value_key in (
        ("sales_orders", ORDER_REF[erp], ORDER_VALUE[erp]),
        ("payments", "reference", PAYMENT_VALUE[erp]),
    ):
        by_ref = Counter(str(doc.get(ref_key) or "") for doc in state[collection])
        amounts = {
            str(doc.get(ref_key) or ""): doc.get(value_key) for doc in state[collection]
        }
        for charge_id, amount in charges.items():
            n = by_ref.get(charge_id, 0)
            if n == 0:
                lost += 1
                continue
            found += 1
            duplicated += n - 1
            got = amounts.get(charge_id)
            if got is not None and abs(Decimal(str(got))) != amount:
                wrong_amount += 1
        unexpected += sum(
            n
            for ref, n in by_ref.items()
            if ref.startswith(prefix) and ref not in charges
        )
    report.update(
        found=found,
        duplicated=duplicated,
        lost=lost,
        wrong_amount=wrong_amount,
        unexpected=unexpected,
    )
    report["exact"] = not (duplicated or lost or wrong_amount or unexpected)
    return report
