"""`python -m ledgerbridge_agent serve | generate | key`."""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import logging
import re
import sys
from pathlib import Path

from .app import AgentApp
from .auth import KeyFileError, KeyStore, read_keys, rotate
from .generate import company_rows, write_dbf
from .hooks import Hooks
from .journal import Journal
from .layout import Layout
from .locks import LockBusy, pid_lock
from .server import SERVERS, check_binding, is_loopback, pick_server, serve
from .service import Agent
from .sqlstore import DIALECTS, SqlStore
from .storage import DbfStore, Store

COMPANY_RE = re.compile(r"^[A-Za-z0-9]{1,3}$")


def _company(value: str) -> str:
    if not COMPANY_RE.match(value):
        raise argparse.ArgumentTypeError("a company id is 1 to 3 letters or digits")
    return value


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="ledgerbridge-agent")
    commands = main.add_subparsers(dest="command", required=True)

    run = commands.add_parser("serve", help="serve /api/v1 over a company's tables")
    run.add_argument("--data", type=Path, required=True, help="company data folder")
    run.add_argument("--company", type=_company, required=True, help="e.g. 01")
    run.add_argument("--key-file", type=Path, required=True)
    run.add_argument(
        "--state", type=Path, help="journal folder (default DATA/.ledgerbridge-agent)"
    )
    run.add_argument("--layout", type=Path, help="JSON file changing table defaults")
    run.add_argument("--host", default="127.0.0.1")
    run.add_argument("--port", type=int, default=8765)
    run.add_argument("--cert", help="TLS certificate chain (PEM)")
    run.add_argument("--key", help="TLS private key (PEM)")
    run.add_argument("--server", choices=SERVERS, default="auto")
    run.add_argument("--threads", type=int, default=8)
    run.add_argument("--currency", default="USD", help="the company's home currency")
    run.add_argument(
        "--lock-wait",
        type=float,
        default=2.0,
        help="seconds to retry a lock before answering 423",
    )
    run.add_argument(
        "--exclusive-wait",
        type=float,
        default=10.0,
        help="seconds to wait for another agent on this data folder to stop",
    )
    run.add_argument(
        "--max-queue",
        type=int,
        default=32,
        help="writes allowed to wait; more are answered 429 with Retry-After",
    )
    run.add_argument("--storage", choices=("dbf", "sql"), default="dbf")
    run.add_argument("--odbc", help="ODBC connection string (SQL edition)")
    run.add_argument("--dialect", choices=sorted(DIALECTS), default="mssql")
    run.add_argument(
        "--allow-unindexed-writes",
        action="store_true",
        help="write tables that have a structural .cdx index the agent cannot "
        "update (Sage Pro must reindex them)",
    )
    run.add_argument(
        "--test-hooks",
        action="store_true",
        help="fault injection for tests: loopback without TLS only",
    )

    gen = commands.add_parser("generate", help="create a company's tables")
    gen.add_argument("--data", type=Path, required=True)
    gen.add_argument("--company", type=_company, required=True)
    gen.add_argument("--customers", type=int, default=20)
    gen.add_argument("--items", type=int, default=30)
    gen.add_argument("--orders", type=int)
    gen.add_argument("--seed", type=int, default=1)
    gen.add_argument("--layout", type=Path)
    gen.add_argument("--force", action="store_true", help="replace generated tables")

    check = commands.add_parser(
        "check", help="compare a data folder with the layout, without serving"
    )
    check.add_argument("--data", type=Path, required=True)
    check.add_argument("--company", type=_company, required=True)
    check.add_argument("--layout", type=Path)

    keys = commands.add_parser("key", help="make, add or list API keys")
    keys.add_argument("action", choices=("new", "add", "list"))
    keys.add_argument("--key-file", type=Path, required=True)
    keys.add_argument(
        "--overlap-hours",
        type=float,
        default=24.0,
        help="how long the keys in use keep working after `new` or `add`",
    )
    return main


def build_agent(args: argparse.Namespace) -> tuple[Agent, KeyStore]:
    layout = Layout.load(args.layout)
    store: Store
    if args.storage == "sql":
        if not args.odbc:
            raise SystemExit("--storage sql needs --odbc CONNECTION-STRING")
        store = SqlStore(args.odbc, args.company, layout, dialect=args.dialect)
    else:
        if not args.data.is_dir():
            raise SystemExit(f"{args.data} is not a folder")
        store = DbfStore(args.data, args.company, layout)
    state = args.state or args.data / ".ledgerbridge-agent"
    state.mkdir(parents=True, exist_ok=True)
    journal = Journal(state / f"journal{args.company}.sqlite3", layout)
    agent = Agent(
        store=store,
        journal=journal,
        hooks=Hooks(enabled=args.test_hooks, marker=state / "crash-hook-fired"),
        company=args.company,
        home_currency=args.currency.upper(),
        lock_wait=args.lock_wait,
        max_queue=args.max_queue,
    )
    return agent, KeyStore(args.key_file)


def command_serve(args: argparse.Namespace) -> int:
    if args.test_hooks and (not is_loopback(args.host) or args.cert):
        raise SystemExit("--test-hooks: only on a loopback address without TLS")
    if bool(args.cert) != bool(args.key):
        raise SystemExit("give --cert and --key together")
    server = pick_server(args.server)
    check_binding(host=args.host, server=server, cert=args.cert)
    state = args.state or args.data / ".ledgerbridge-agent"
    state.mkdir(parents=True, exist_ok=True)
    try:
        KeyStore(args.key_file)  # refuse to start on a bad key file
    except (OSError, KeyFileError) as exc:
        raise SystemExit(f"key file: {exc}") from None

    def app_factory() -> AgentApp:
        try:
            held = pid_lock(
                state / f"agent{args.company}.lock", wait=args.exclusive_wait
            )
        except LockBusy as exc:
            raise SystemExit(str(exc)) from None
        agent, keys = build_agent(args)
        agent.store.own_tables_create()
        problems = agent.store.structure_problems()
        if problems:
            raise SystemExit(
                "the data folder does not match the agent's layout; fix it or "
                "describe the tables with --layout FILE:\n  " + "\n  ".join(problems)
            )
        indexed = agent.store.indexed_tables()
        if indexed and not args.allow_unindexed_writes:
            raise SystemExit(
                f"{', '.join(indexed)} have a structural .cdx index the agent "
                "cannot update: records it appends would be missing from the "
                "index until Sage Pro reindexes. Arrange that reindex (Sage "
                "Pro's reindex utility, e.g. nightly), then start the agent with "
                "--allow-unindexed-writes."
            )
        completed = agent.recover()
        if completed:
            logging.getLogger(__name__).warning(
                "completed %d documents a crash had left pending", completed
            )
        return AgentApp(agent, keys, held=held)

    def ready(url: str) -> None:
        print(
            f"ledgerbridge-agent serving {url} (company {args.company}, "
            f"{args.storage}{', test hooks' if args.test_hooks else ''})",
            flush=True,
        )

    # Ctrl-C ends a foreground run quietly; a service manager sends SIGTERM.
    with contextlib.suppress(KeyboardInterrupt):
        serve(
            app_factory,
            host=args.host,
            port=args.port,
            server=server,
            cert=args.cert,
            key=args.key,
            threads=args.threads,
            ready=ready,
        )
    return 0


def command_generate(args: argparse.Namespace) -> int:
    rows = company_rows(
        customers=args.customers, items=args.items, seed=args.seed, orders=args.orders
    )
    try:
        paths = write_dbf(
            args.data, args.company, Layout.load(args.layout), rows, force=args.force
        )
    except FileExistsError as exc:
        raise SystemExit(str(exc)) from None
    for path in paths:
        print(path)
    return 0


def command_check(args: argparse.Namespace) -> int:
    store = DbfStore(args.data, args.company, Layout.load(args.layout))
    problems = store.structure_problems()
    indexed = [] if problems else store.indexed_tables()
    for problem in problems:
        print(f"layout: {problem}")
    for name in indexed:
        print(f"index: {name} has a structural .cdx index the agent cannot update")
    if not problems and not indexed:
        print(f"{args.data}: every table matches the layout for company {args.company}")
    return 1 if problems or indexed else 0


def command_key(args: argparse.Namespace) -> int:
    overlap = dt.timedelta(hours=args.overlap_hours)
    try:
        if args.action == "list":
            for key in read_keys(args.key_file):
                expires = key.expires.isoformat() if key.expires else "no expiry"
                print(f"sha256:{key.digest[:12]}… {expires}")
            return 0
        given = sys.stdin.readline().strip() if args.action == "add" else None
        key = rotate(args.key_file, overlap=overlap, key=given)
    except (OSError, KeyFileError) as exc:
        raise SystemExit(f"key file: {exc}") from None
    if args.action == "new":
        print(key)
    return 0


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s %(message)s"
    )
    args = parser().parse_args(argv)
    return {
        "serve": command_serve,
        "generate": command_generate,
        "check": command_check,
        "key": command_key,
    }[args.command](args)
