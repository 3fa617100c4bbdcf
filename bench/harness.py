"""A whole LedgerBridge on loopback: gunicorn (portal + sandboxes) and qcluster.

Shared by bench/pipeline.py and the process-level reliability scenarios in
tests/reliability/. The driver never imports Django; it reads progress with
plain SQL on the throwaway database and talks to the sandboxes over HTTP.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import subprocess
import time
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import requests
import stripe

from bench import common

CONTROL = {
    "syspro": ("/sandbox/syspro", "syspro_control_sandbox"),
    "sagepro": ("/sandbox/sagepro", "sagepro_sandbox_key"),
}
OPEN = ("pending", "running", "retrying")


@dataclass
class Portal:
    stack: common.Stack
    erp: str
    web: common.Server
    integration: dict[str, Any]
    qcluster: subprocess.Popen | None = None
    session: requests.Session = field(default_factory=requests.Session)

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

    # Sandboxes -------------------------------------------------------------

    def _erp(self, path: str) -> tuple[str, dict[str, str]]:
        root, key = CONTROL[self.erp]
        return f"{self.web.base_url}{root}/{path}", {"Authorization": f"Bearer {key}"}

    def faults(self, **switches: Any) -> dict:
        url, headers = self._erp("_control")
        response = self.session.post(url, json=switches, headers=headers, timeout=30)
        response.raise_for_status()
        return response.json()

    def erp_state(self) -> dict:
        url, headers = self._erp("_state")
        response = self.session.get(url, headers=headers, timeout=120)
        response.raise_for_status()
        return response.json()

    def erp_reset(self) -> None:
        url, headers = self._erp("_reset")
        self.session.post(url, headers=headers, timeout=60).raise_for_status()

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
        if self.stack.backend == "sqlite":
            path = self.stack.database_url.removeprefix("sqlite:///")
            with contextlib.closing(sqlite3.connect(path, timeout=30)) as conn:
                return conn.execute(query.replace("%s", "?"), params).fetchall()
        import psycopg

        with psycopg.connect(self.stack.database_url, connect_timeout=5) as conn:
            return conn.execute(query, params).fetchall()

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
    web = common.gunicorn_start(
        stack, workers=web_workers, threads=threads, env=env, **extra_args
    )
    integration = common.integration_create(stack, erp=erp, portal_url=web.base_url)
    return Portal(stack=stack, erp=erp, web=web, integration=integration)


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
