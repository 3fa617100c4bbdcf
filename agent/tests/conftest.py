"""Fixtures for the agent's own tests: generated companies, in-process and real agents.

The agent is a separate package: put its folder on the path so these tests
run from the portal's checkout (`make test`) as well as from `agent/`.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import subprocess
import sys
import urllib.error
import urllib.request
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

AGENT_ROOT = Path(__file__).resolve().parent.parent
if str(AGENT_ROOT) not in sys.path:
    sys.path.insert(0, str(AGENT_ROOT))

import dbf  # noqa: E402

from ledgerbridge_agent.app import AgentApp  # noqa: E402
from ledgerbridge_agent.auth import KeyStore, rotate  # noqa: E402
from ledgerbridge_agent.generate import company_rows, write_dbf  # noqa: E402
from ledgerbridge_agent.hooks import Hooks  # noqa: E402
from ledgerbridge_agent.journal import Journal  # noqa: E402
from ledgerbridge_agent.layout import Layout  # noqa: E402
from ledgerbridge_agent.server import free_port  # noqa: E402
from ledgerbridge_agent.service import Agent  # noqa: E402
from ledgerbridge_agent.storage import DbfStore  # noqa: E402

KEY = "agent-test-key-0123456789"
COMPANY = "01"


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    data = tmp_path / "data"
    rows = company_rows(customers=6, items=6, seed=7)
    write_dbf(data, COMPANY, Layout.default(), rows)
    return data


@pytest.fixture
def key_file(tmp_path: Path) -> Path:
    path = tmp_path / "keys"
    rotate(path, overlap=dt.timedelta(0), key=KEY)
    return path


class Response:
    def __init__(self, status: int, headers: dict[str, str], body: bytes) -> None:
        self.status_code = status
        self.headers = headers
        self.content = body

    def json(self) -> Any:
        return json.loads(self.content)

    @property
    def error(self) -> tuple[int, str, str]:
        error = self.json()["error"]
        return self.status_code, error["code"], error["field"]


class WsgiClient:
    """Calls the WSGI app in process, as a server would."""

    def __init__(self, app: AgentApp) -> None:
        self.app = app

    def request(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        key: str | None = KEY,
        raw: bytes | None = None,
        query: str = "",
        length: str | None = None,
    ) -> Response:
        data = (
            raw
            if raw is not None
            else b""
            if body is None
            else json.dumps(body).encode()
        )
        environ = {
            "REQUEST_METHOD": method,
            "PATH_INFO": path,
            "QUERY_STRING": query,
            "CONTENT_LENGTH": length if length is not None else str(len(data)),
            "CONTENT_TYPE": "application/json",
            "wsgi.input": io.BytesIO(data),
        }
        if key is not None:
            environ["HTTP_AUTHORIZATION"] = f"Bearer {key}"
        captured: dict[str, Any] = {}

        def start_response(status: str, headers: list[tuple[str, str]]) -> None:
            captured["status"] = int(status.split()[0])
            captured["headers"] = dict(headers)

        chunks = self.app(environ, start_response)
        return Response(captured["status"], captured["headers"], b"".join(chunks))

    def get(self, path: str, query: str = "", **kw: Any) -> Response:
        return self.request("GET", f"/api/v1/{path}", query=query, **kw)

    def post(self, path: str, body: Any, **kw: Any) -> Response:
        return self.request("POST", f"/api/v1/{path}", body, **kw)

    def put(self, path: str, body: Any, **kw: Any) -> Response:
        return self.request("PUT", f"/api/v1/{path}", body, **kw)


def make_agent(data: Path, *, hooks: bool = False, lock_wait: float = 0.0) -> Agent:
    layout = Layout.default()
    state = data / ".ledgerbridge-agent"
    state.mkdir(exist_ok=True)
    return Agent(
        store=DbfStore(data, COMPANY, layout),
        journal=Journal(state / f"journal{COMPANY}.sqlite3", layout),
        hooks=Hooks(enabled=hooks),
        company=COMPANY,
        home_currency="USD",
        lock_wait=lock_wait,
    )


@pytest.fixture
def agent(data_dir: Path) -> Agent:
    made = make_agent(data_dir, hooks=True)
    yield made
    made.journal.close()


@pytest.fixture
def client(agent: Agent, key_file: Path) -> WsgiClient:
    return WsgiClient(AgentApp(agent, KeyStore(key_file)))


def read_table(data: Path, name: str) -> list[dict[str, Any]]:
    """Rows of a DBF read back with the `dbf` package: an independent reader."""

    class Exact(Decimal):
        def __new__(cls, raw: bytes) -> Decimal:  # type: ignore[misc]
            return Decimal(raw.decode("ascii").strip() or "0")

    table = dbf.Table(
        str(data / f"{name}{COMPANY}.dbf"), default_data_types={"N": Exact}
    )
    table.open(dbf.READ_ONLY)
    try:
        rows = []
        for record in table:
            if dbf.is_deleted(record):
                continue
            rows.append(
                {
                    field.lower(): (value.strip() if isinstance(value, str) else value)
                    for field, value in zip(table.field_names, record, strict=True)
                }
            )
        return rows
    finally:
        table.close()


def order_body(ponum: str = "ch_1", **changes: Any) -> dict[str, Any]:
    return {
        "sono": "",
        "custno": "0000001",
        "ordate": "2025-04-01",
        "ponum": ponum,
        "currid": "USD",
        "sostat": "",
        "lines": [
            {
                "item": "A100",
                "descrip": "Widget A",
                "qtyord": "3",
                "price": "9.00",
                "disc": "10",
                "extprice": "24.30",
            },
            {
                "item": "",
                "descrip": "Stripe payment",
                "qtyord": "1",
                "price": "0.70",
                "disc": "0",
                "extprice": "0.70",
            },
            {
                "item": "B100",
                "descrip": "Gadget",
                "qtyord": "2",
                "price": "99.99",
                "disc": "0",
                "extprice": "199.98",
            },
        ],
        **changes,
    }


class RunningAgent:
    """The agent as a real process, started with `python -m ledgerbridge_agent`."""

    def __init__(
        self,
        data: Path,
        key_file: Path,
        *,
        env: dict[str, str] | None = None,
        extra: tuple[str, ...] = (),
    ) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        # A file, not a pipe: a pipe nobody reads would block a chatty agent.
        self.log = (data.parent / f"agent-{self.port}.log").open("w+")
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "ledgerbridge_agent",
                "serve",
                "--data",
                str(data),
                "--company",
                COMPANY,
                "--key-file",
                str(key_file),
                "--server",
                "wsgiref",
                "--port",
                str(self.port),
                "--lock-wait",
                "0",
                "--test-hooks",
                *extra,
            ],
            cwd=AGENT_ROOT,
            env={**os.environ, **(env or {})},
            stdout=subprocess.PIPE,
            stderr=self.log,
            text=True,
        )
        line = self.process.stdout.readline()
        if "serving" not in line:
            self.process.kill()
            self.process.wait(timeout=10)
            self.log.seek(0)
            raise RuntimeError(f"agent did not start: {line}{self.log.read()}")

    def call(
        self, method: str, path: str, body: Any = None, *, query: str = ""
    ) -> Response:
        data = None if body is None else json.dumps(body).encode()
        url = f"{self.url}/api/v1/{path}" + (f"?{query}" if query else "")
        request = urllib.request.Request(
            url,
            data=data,
            method=method,
            headers={
                "Authorization": f"Bearer {KEY}",
                "Content-Type": "application/json",
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=20) as reply:  # noqa: S310
                return Response(reply.status, dict(reply.headers), reply.read())
        except urllib.error.HTTPError as exc:
            return Response(exc.code, dict(exc.headers), exc.read())

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait(timeout=10)
        self.process.stdout.close()
        self.log.close()
