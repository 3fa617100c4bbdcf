"""The agent's reference → document table and write-ahead outbox (SQLite).

FoxPro free tables have no transactions, so a document is written in this
order: take the number, record the whole plan here as *pending* (every row
of every table, and the reply), append the rows, mark the entry *done*, then
answer. A crash anywhere leaves either nothing in Sage Pro's tables, or a
pending entry whose plan says exactly what is missing; `Agent.recover`
appends the missing rows (each row has a key: sono + tranlineno …) and marks
it done, at start-up and before any request for the same reference. So no
half document stays behind, and a second POST with the same reference finds
the first one instead of writing it again.

The file lives in the agent's state folder, never among Sage Pro's tables.
A plan is committed with `synchronous=FULL` before its first row is written;
marking it done needs no fsync (see `finish`).
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import threading
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from .layout import DATE, NUMERIC, Layout

PENDING, DONE = "pending", "done"

SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    resource TEXT NOT NULL,
    scope TEXT NOT NULL,
    reference TEXT NOT NULL,
    number TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('pending', 'done')),
    plan TEXT NOT NULL,
    reply TEXT NOT NULL,
    created_at TEXT NOT NULL,
    done_at TEXT,
    PRIMARY KEY (resource, scope, reference)
);
CREATE INDEX IF NOT EXISTS documents_pending ON documents (state)
    WHERE state = 'pending';
"""


@dataclass(frozen=True)
class Entry:
    resource: str
    scope: str
    reference: str
    number: str
    state: str
    rows: list[tuple[str, dict[str, Any]]]
    reply: dict[str, Any]


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return f"{value:f}"
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


class Journal:
    def __init__(self, path: Path, layout: Layout) -> None:
        self.layout = layout
        self.lock = threading.Lock()
        self.db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=FULL")
        self.db.executescript(SCHEMA)

    def close(self) -> None:
        self.db.close()

    def get(self, resource: str, scope: str, reference: str) -> Entry | None:
        with self.lock:
            row = self.db.execute(
                "SELECT resource, scope, reference, number, state, plan, reply "
                "FROM documents WHERE resource = ? AND scope = ? AND reference = ?",
                (resource, scope, reference),
            ).fetchone()
        return self._entry(row) if row else None

    def pending(self) -> list[Entry]:
        with self.lock:
            rows = self.db.execute(
                "SELECT resource, scope, reference, number, state, plan, reply "
                "FROM documents WHERE state = 'pending' ORDER BY created_at"
            ).fetchall()
        return [self._entry(row) for row in rows]

    def begin(
        self,
        *,
        resource: str,
        scope: str,
        reference: str,
        number: str,
        rows: list[tuple[str, dict[str, Any]]],
        reply: dict[str, Any],
    ) -> None:
        plan = json.dumps(
            [[table, {k: _plain(v) for k, v in row.items()}] for table, row in rows]
        )
        with self.lock:
            self.db.execute(
                "INSERT INTO documents (resource, scope, reference, number, state, "
                "plan, reply, created_at) VALUES (?, ?, ?, ?, 'pending', ?, ?, ?)",
                (
                    resource,
                    scope,
                    reference,
                    number,
                    plan,
                    json.dumps(reply),
                    dt.datetime.now(dt.UTC).isoformat(),
                ),
            )

    def finish(self, resource: str, scope: str, reference: str) -> None:
        # No fsync for this one: if a power cut loses it, the entry is still
        # pending and recovery finds every row written, so it only marks it
        # done. `begin` is synced: no row is written before its plan is on disk.
        with self.lock:
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.execute(
                "UPDATE documents SET state = 'done', done_at = ? "
                "WHERE resource = ? AND scope = ? AND reference = ?",
                (dt.datetime.now(dt.UTC).isoformat(), resource, scope, reference),
            )
            self.db.execute("PRAGMA synchronous=FULL")

    def has_pending(self) -> bool:
        """Cheap, through the partial index: asked before every request."""
        with self.lock:
            return (
                self.db.execute(
                    "SELECT 1 FROM documents WHERE state = 'pending' LIMIT 1"
                ).fetchone()
                is not None
            )

    def counts(self) -> dict[str, int]:
        with self.lock:
            return dict(
                self.db.execute(
                    "SELECT state, COUNT(*) FROM documents GROUP BY state"
                ).fetchall()
            )

    def _entry(self, row: tuple) -> Entry:
        resource, scope, reference, number, state, plan, reply = row
        rows = [
            (table, self._typed(table, values)) for table, values in json.loads(plan)
        ]
        return Entry(resource, scope, reference, number, state, rows, json.loads(reply))

    def _typed(self, table: str, values: dict[str, Any]) -> dict[str, Any]:
        if table not in self.layout.tables:
            # A table earlier versions wrote (armemo): the entry still answers
            # a repeated reference with its stored reply.
            return dict(values)
        typed: dict[str, Any] = {}
        for name, value in values.items():
            kind = self.layout[table].field(name).type
            if kind == NUMERIC and value is not None:
                typed[name] = Decimal(str(value))
            elif kind == DATE and value:
                typed[name] = dt.date.fromisoformat(value)
            else:
                typed[name] = value
        return typed
