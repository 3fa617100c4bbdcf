"""The real Sage Pro agent for portal tests: generated tables, a subprocess.

The agent is its own package (agent/), never imported here: it is run as a
customer runs it, `python -m ledgerbridge_agent`, with agent/ on PYTHONPATH
(the portal's venv holds its requirements: dbf, gunicorn). Each test gets a
freshly generated company in its tmp dir, a key file holding the bearer key,
and the agent on a free loopback port over plain HTTP (TLS is for off
loopback; the agent refuses its test hooks with TLS, and the portal's test
settings allow http to loopback). Test hooks are on only for the fault
fixture. What it wrote is read back with sandbox.sagepro_books, a DBF reader
of its own.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from sandbox.sagepro_books import books_read

AGENT_ROOT = Path(__file__).resolve().parents[2] / "agent"
COMPANY = "01"
KEY = "portal-test-agent-key-0123456789"
START_TIMEOUT = 60


def agent_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "ledgerbridge_agent", *args]


def _agent_env() -> dict[str, str]:
    path = os.environ.get("PYTHONPATH", "")
    return {
        **os.environ,
        "PYTHONPATH": f"{AGENT_ROOT}{os.pathsep}{path}" if path else str(AGENT_ROOT),
    }


def company_generate(
    data: Path, *, customers: int = 8, items: int = 8, seed: int = 5
) -> None:
    subprocess.run(
        agent_command(
            "generate",
            "--data",
            str(data),
            "--company",
            COMPANY,
            "--customers",
            str(customers),
            "--items",
            str(items),
            "--seed",
            str(seed),
        ),
        env=_agent_env(),
        check=True,
        capture_output=True,
        timeout=START_TIMEOUT,
    )


def key_file_write(path: Path, key: str) -> None:
    subprocess.run(
        agent_command("key", "add", "--key-file", str(path), "--overlap-hours", "0"),
        input=f"{key}\n",
        env=_agent_env(),
        check=True,
        capture_output=True,
        text=True,
        timeout=START_TIMEOUT,
    )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class SageProAgent:
    """A running agent over a company's tables, and what it wrote."""

    data: Path
    key_file: Path
    hooks: bool
    key: str = KEY
    currency: str = "USD"
    port: int = 0
    process: subprocess.Popen | None = None
    log_path: Path | None = None
    starts: int = field(default=0)

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/v1"

    def start(self) -> None:
        """Start the agent; after a stop or a crash, again on the same port
        (the connection's base URL), completing what the crash left."""
        self.port = self.port or _free_port()
        self.starts += 1
        self.log_path = self.data.parent / f"agent-{self.starts}.log"
        with self.log_path.open("w") as log:
            self.process = subprocess.Popen(
                agent_command(
                    "serve",
                    "--data",
                    str(self.data),
                    "--company",
                    COMPANY,
                    "--key-file",
                    str(self.key_file),
                    "--server",
                    "wsgiref",
                    "--port",
                    str(self.port),
                    "--lock-wait",
                    "0",
                    "--currency",
                    self.currency,
                    *(("--test-hooks",) if self.hooks else ()),
                ),
                env=_agent_env(),
                stdout=subprocess.PIPE,
                stderr=log,
                text=True,
            )
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        if "serving" not in line:
            self.stop()
            raise RuntimeError(f"the agent did not start: {line}{self.log()}")

    def stop(self) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=START_TIMEOUT)
        if self.process.stdout is not None:
            self.process.stdout.close()
        self.process = None

    def log(self) -> str:
        return self.log_path.read_text() if self.log_path else ""

    def set_hooks(self, **switches: Any) -> dict[str, Any]:
        """Replace the agent's injected faults (hooks.py); none given clears them."""
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}/_hooks",
            data=json.dumps(switches).encode(),
            method="POST",
            headers={
                "Authorization": f"Bearer {self.key}",
                "Content-Type": "application/json",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=10) as reply:  # noqa: S310
                return json.loads(reply.read())
        except urllib.error.HTTPError as exc:
            raise AssertionError(f"hooks refused: {exc.read()!r}") from exc

    def books(self) -> dict[str, list[dict]]:
        """What the tables hold, read back from the DBF files."""
        return books_read(self.data, COMPANY)


def agent_started(
    tmp_path: Path, *, hooks: bool, currency: str = "USD"
) -> SageProAgent:
    """A fresh company and its agent, running; the caller stops it.

    `currency` is the company's home currency: its GL batches (payout
    journals) are in that currency only.
    """
    data = tmp_path / "sagepro"
    company_generate(data)
    key_file = tmp_path / "agent-keys"
    key_file_write(key_file, KEY)
    agent = SageProAgent(data=data, key_file=key_file, hooks=hooks, currency=currency)
    agent.start()
    return agent


def agent_running(tmp_path: Path, *, hooks: bool) -> Iterator[SageProAgent]:
    agent = agent_started(tmp_path, hooks=hooks)
    try:
        yield agent
    finally:
        agent.stop()


@pytest.fixture
def sagepro_agent(tmp_path: Path) -> Iterator[SageProAgent]:
    """The agent over a generated company, test hooks off (as in production)."""
    yield from agent_running(tmp_path, hooks=False)


@pytest.fixture
def sagepro_agent_faulty(tmp_path: Path) -> Iterator[SageProAgent]:
    """The agent with its test hooks on, for fault scenarios (`set_hooks`)."""
    yield from agent_running(tmp_path, hooks=True)
