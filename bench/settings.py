"""Benchmark settings: portal.settings.dev plus the ceiling endpoint.

Everything that the intake and the workers do is configured exactly as in
portal.settings.dev; only the URLconf gains /ceiling/ and, without Redis, the
shared file cache moves into the run's throwaway directory.
"""

import os
from pathlib import Path

from portal.settings.base import _sqlite_database
from portal.settings.dev import *  # noqa: F401,F403
from portal.settings.dev import CACHES, DATABASES, Q_CLUSTER, REDIS_URL

ROOT_URLCONF = "bench.urls"

if not REDIS_URL and os.environ.get("BENCH_WORKDIR"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": os.path.join(os.environ["BENCH_WORKDIR"], "cache"),
        }
    }

# DATABASE_URL=sqlite://… yields bare connection options; the embedded default
# (WAL, IMMEDIATE transactions, busy timeout) is what a SQLite install runs, so
# measure that on the throwaway file.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"] = _sqlite_database(Path(DATABASES["default"]["NAME"]))

# An experiment switch for the profile notes (unset: the shipped default).
if os.environ.get("BENCH_CONN_MAX_AGE"):
    DATABASES["default"]["CONN_MAX_AGE"] = int(os.environ["BENCH_CONN_MAX_AGE"])

# An experiment switch for bench/buyers.py (unset: the shipped default, the
# database session engine): e.g. django.contrib.sessions.backends.cached_db.
if os.environ.get("BENCH_SESSION_ENGINE"):
    SESSION_ENGINE = os.environ["BENCH_SESSION_ENGINE"]

# One queue name and cache prefix per benchmark stack (bench.common.stack).
if os.environ.get("BENCH_STACK_ID"):
    Q_CLUSTER = {**Q_CLUSTER, "name": os.environ["BENCH_STACK_ID"]}
    CACHES = {
        name: {**config, "KEY_PREFIX": os.environ["BENCH_STACK_ID"]}
        for name, config in CACHES.items()
    }
