"""A webhook load generator: separate processes, keep-alive connections.

Two modes. Closed loop: a fixed number of connections each send the next
request as soon as the last one answers (throughput at a concurrency level).
Open loop: requests are scheduled at a fixed rate and latency is measured
from the scheduled send time, so a stalled server is charged for the queue it
causes (no coordinated omission).

Every request is a distinct, freshly signed charge.succeeded event, built the
same way for the ceiling and for the intake, so the generator costs the same
in both runs.
"""

from __future__ import annotations

import http.client
import itertools
import json
import multiprocessing
import os
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from bench.common import charge_event, percentile


@dataclass
class LoadSpec:
    port: int
    path: str
    secret: str
    run_id: str
    concurrency: int = 8
    duration: float = 5.0
    rate: float = 0.0  # > 0: open loop at this many requests per second
    processes: int = 2


@dataclass
class LoadResult:
    sent: int = 0
    ok: int = 0
    statuses: Counter = field(default_factory=Counter)
    errors: Counter = field(default_factory=Counter)
    latencies: list[float] = field(default_factory=list)
    elapsed: float = 0.0

    def merge(self, other: LoadResult) -> None:
        self.sent += other.sent
        self.ok += other.ok
        self.statuses.update(other.statuses)
        self.errors.update(other.errors)
        self.latencies.extend(other.latencies)
        self.elapsed = max(self.elapsed, other.elapsed)

    def summary(self) -> dict[str, Any]:
        lat = self.latencies
        return {
            "sent": self.sent,
            "ok": self.ok,
            "throughput_per_s": round(self.ok / self.elapsed, 1) if self.elapsed else 0,
            "p50_ms": _ms(percentile(lat, 50)),
            "p95_ms": _ms(percentile(lat, 95)),
            "p99_ms": _ms(percentile(lat, 99)),
            "max_ms": _ms(max(lat) if lat else None),
            "statuses": {str(k): v for k, v in sorted(self.statuses.items())},
            "errors": dict(self.errors),
            "error_count": sum(self.errors.values())
            + sum(v for k, v in self.statuses.items() if k != 200),
            "elapsed_s": round(self.elapsed, 2),
        }


def _ms(value: float | None) -> float | None:
    return None if value is None else round(value * 1000, 2)


class _Bodies:
    """Unique signed events from one JSON template (cheap per request)."""

    def __init__(self, secret: str, prefix: str) -> None:
        import stripe

        self._sign = stripe.WebhookSignature.generate_signature_header
        self._secret = secret
        self._prefix = prefix
        template = charge_event("evt_@@ID@@", "ch_@@ID@@", amount=1999)
        self._template = json.dumps(template, separators=(",", ":"))
        self._counter = itertools.count(1)
        self._lock = threading.Lock()

    def next(self) -> tuple[bytes, dict[str, str]]:
        with self._lock:
            n = next(self._counter)
        body = self._template.replace("@@ID@@", f"{self._prefix}{n:07d}")
        return body.encode(), {
            "Content-Type": "application/json; charset=utf-8",
            "Stripe-Signature": self._sign(body, self._secret),
            "User-Agent": "Stripe/1.0 (+https://stripe.com/docs/webhooks)",
        }

    @property
    def size(self) -> int:
        return len(self._template.replace("@@ID@@", f"{self._prefix}0000000"))


def body_size(secret: str = "whsec_x") -> int:
    return _Bodies(secret, "size").size


def _send(conn_box: list, spec: LoadSpec, body: bytes, headers: dict) -> int:
    for attempt in range(2):
        if conn_box[0] is None:
            conn_box[0] = http.client.HTTPConnection("127.0.0.1", spec.port, timeout=30)
        conn = conn_box[0]
        try:
            conn.request("POST", spec.path, body=body, headers=headers)
            response = conn.getresponse()
            response.read()
            if response.will_close:
                conn.close()
                conn_box[0] = None
            return response.status
        except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
            # A kept-alive connection the server closed: reconnect once.
            conn.close()
            conn_box[0] = None
            if attempt:
                raise
    raise AssertionError("unreachable")


def _process_main(spec: LoadSpec, index: int, start_at: float, queue) -> None:
    threads_n = max(1, spec.concurrency // spec.processes)
    if index < spec.concurrency % spec.processes:
        threads_n += 1
    bodies = _Bodies(spec.secret, f"{spec.run_id}p{index}x")
    result = LoadResult()
    lock = threading.Lock()
    stop_at = start_at + spec.duration
    slots = itertools.count()
    rate = spec.rate / spec.processes if spec.rate else 0.0

    def worker() -> None:
        local = LoadResult()
        conn_box: list = [None]
        while True:
            if rate:
                with lock:
                    slot = next(slots)
                scheduled = start_at + slot / rate
                if scheduled >= stop_at:
                    break
                delay = scheduled - time.time()
                if delay > 0:
                    time.sleep(delay)
            else:
                scheduled = time.time()
                if scheduled >= stop_at:
                    break
            body, headers = bodies.next()
            local.sent += 1
            try:
                status = _send(conn_box, spec, body, headers)
            except Exception as exc:
                local.errors[exc.__class__.__name__] += 1
                conn_box[0] = None
                continue
            local.statuses[status] += 1
            if status == 200:
                local.ok += 1
                local.latencies.append(time.time() - scheduled)
        with lock:
            result.merge(local)

    delay = start_at - time.time()
    if delay > 0:
        time.sleep(delay)
    threads = [threading.Thread(target=worker) for _ in range(threads_n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.elapsed = max(spec.duration, time.time() - start_at)
    queue.put(
        (
            result.sent,
            result.ok,
            dict(result.statuses),
            dict(result.errors),
            result.latencies,
            result.elapsed,
        )
    )


def load_run(spec: LoadSpec) -> LoadResult:
    """Run the load in `spec.processes` processes and merge what they saw."""
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    processes = max(1, min(spec.processes, spec.concurrency or spec.processes))
    spec = LoadSpec(**{**spec.__dict__, "processes": processes})
    # Start together, after every process has forked and built its template.
    start_at = time.time() + 0.5
    workers = [
        context.Process(target=_process_main, args=(spec, i, start_at, queue))
        for i in range(processes)
    ]
    for process in workers:
        process.start()
    total = LoadResult()
    for _ in workers:
        sent, ok, statuses, errors, latencies, elapsed = queue.get(
            timeout=spec.duration + 120
        )
        total.merge(
            LoadResult(
                sent=sent,
                ok=ok,
                statuses=Counter(statuses),
                errors=Counter(errors),
                latencies=latencies,
                elapsed=elapsed,
            )
        )
    for process in workers:
        process.join(timeout=10)
    return total


def default_processes() -> int:
    return max(2, min(4, os.cpu_count() or 2))
