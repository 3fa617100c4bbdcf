"""Test hooks: injected faults and crash points, off unless asked for.

They exist for the test suite and the demo, which run this same agent over
generated tables. `serve --test-hooks` turns them on, and `serve` refuses
that flag unless the agent listens on a loopback address only and no TLS
certificate is given (a production install has both), so no production
setting can enable them. With hooks on, `POST /_hooks` (bearer key) sets:

- `latency_ms`: wait before each /api/v1 answer;
- `fail_next`: answer the next N requests 500 before doing anything;
  `error_rate`: answer that share of requests 500;
- `rate_limit_next`, `retry_after`: answer the next N requests 429;
  `rate_limit_per_second`: answer 429 past N requests in a second;
- `down`: answer every request 503 until cleared;
- `reject_key` (or `reject_credentials`): answer every request 401;
- `lose_reply_next`: write the next N documents, then answer 500;
  `error_after_write_rate`: do that for a share of the writes;
- `crash_at`: SIGKILL the agent at a step of the next write (CRASH_STEPS).

The switch names the portal's sandboxes use (latency_ms, error_rate,
rate_limit_per_second, down, reject_credentials, error_after_write_rate)
mean the same here. A POST replaces every switch (absent ones are off).

`LB_AGENT_CRASH_AT` in the environment sets `crash_at` at start, once: the
hook leaves a marker in the state folder when it fires, so an agent
restarted with the same environment (gunicorn restarts its worker) does not
crash again.
"""

from __future__ import annotations

import os
import random
import signal
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from .errors import AgentError, invalid

CRASH_STEPS = (
    "after_number",  # next number taken, nothing recorded
    "after_outbox",  # plan recorded as pending, no row written
    "after_header",  # header row written, no line
    "after_line",  # header and the first line written
    "after_rows",  # every row written, entry still pending
    "after_done",  # entry done, reply not sent
)


@dataclass
class Faults:
    latency_ms: int = 0
    fail_next: int = 0
    rate_limit_next: int = 0
    retry_after: int = 1
    down: bool = False
    reject_key: bool = False
    lose_reply_next: int = 0
    crash_at: str = ""
    error_rate: float = 0.0
    rate_limit_per_second: int = 0
    reject_credentials: bool = False
    error_after_write_rate: float = 0.0


class Hooks:
    def __init__(
        self,
        *,
        enabled: bool,
        clock: Callable[[], float] = time.monotonic,
        chance: Callable[[], float] = random.random,
        sleep: Callable[[float], None] = time.sleep,
        marker: Path | None = None,
    ) -> None:
        self.enabled = enabled
        self.faults = Faults()
        self.lock = threading.Lock()
        self.clock = clock
        self.chance = chance
        self.sleep = sleep
        self.window = (-1, 0)  # (second, requests seen in it)
        self.marker = marker
        if enabled:
            crash_at = os.environ.get("LB_AGENT_CRASH_AT", "")
            if crash_at and not (marker and marker.exists()):
                self.configure({"crash_at": crash_at})

    def configure(self, data: Any) -> dict[str, Any]:
        if not isinstance(data, dict):
            raise invalid("body", "expected a JSON object")
        fresh = Faults()
        for name, value in data.items():
            if name not in fresh.__dataclass_fields__:
                raise invalid(name, f"unknown hook {name}")
            default = getattr(fresh, name)
            if isinstance(default, float):
                # A share, not money: float is right. JSON numbers with a
                # fraction reach here as strings (the app parses them so).
                try:
                    if isinstance(value, bool):
                        raise ValueError
                    value = float(value)
                except (TypeError, ValueError):
                    raise invalid(
                        name, f"{name} must be a number from 0 to 1"
                    ) from None
                if not 0 <= value <= 1:
                    raise invalid(name, f"{name} must be a number from 0 to 1")
            elif isinstance(default, bool):
                if not isinstance(value, bool):
                    raise invalid(name, f"{name} must be true or false")
            elif isinstance(default, int):
                if isinstance(value, bool) or not isinstance(value, int):
                    raise invalid(name, f"{name} must be an integer")
                if not 0 <= value <= 600_000:
                    raise invalid(name, f"{name} must be between 0 and 600000")
            elif value not in ("", *CRASH_STEPS):
                raise invalid(name, f"crash_at must be one of {', '.join(CRASH_STEPS)}")
            setattr(fresh, name, value)
        with self.lock:
            self.faults = fresh
        return asdict(fresh)

    def current(self) -> dict[str, Any]:
        with self.lock:
            return asdict(self.faults)

    def before_request(self) -> None:
        """Faults a gateway in front of the agent would show; raise to answer."""
        if not self.enabled:
            return
        latency = self.faults.latency_ms
        if latency:
            self.sleep(latency / 1000)
        with self.lock:
            faults = self.faults
            if faults.down:
                raise AgentError(503, "unavailable", "the agent is down (test hook)")
            if faults.fail_next or (
                faults.error_rate and self.chance() < faults.error_rate
            ):
                faults.fail_next = max(faults.fail_next - 1, 0)
                raise AgentError(500, "server_error", "injected failure (test hook)")
            if faults.rate_limit_per_second:
                second = int(self.clock())
                seen = self.window[1] + 1 if self.window[0] == second else 1
                self.window = (second, seen)
                if seen > faults.rate_limit_per_second:
                    raise AgentError(
                        429,
                        "rate_limited",
                        "too many requests this second (test hook)",
                        retry_after=1,
                    )
            if faults.rate_limit_next:
                faults.rate_limit_next -= 1
                raise AgentError(
                    429,
                    "rate_limited",
                    "too many requests (test hook)",
                    retry_after=faults.retry_after,
                )

    def rejects_key(self) -> bool:
        faults = self.faults
        return self.enabled and (faults.reject_key or faults.reject_credentials)

    def lose_reply(self) -> bool:
        if not self.enabled:
            return False
        with self.lock:
            faults = self.faults
            if faults.lose_reply_next:
                faults.lose_reply_next -= 1
                return True
            rate = faults.error_after_write_rate
            return bool(rate) and self.chance() < rate

    def crash_point(self, step: str) -> None:
        if self.enabled and self.faults.crash_at == step:
            sys.stderr.write(f"ledgerbridge-agent: crash hook at {step}\n")
            sys.stderr.flush()
            if self.marker is not None:
                self.marker.write_text(step)
            if hasattr(signal, "SIGKILL"):
                os.kill(os.getpid(), signal.SIGKILL)
            os._exit(137)  # pragma: no cover - Windows has no SIGKILL
