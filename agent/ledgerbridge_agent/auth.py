"""Bearer keys: stored hashed, compared in constant time, rotated with an overlap.

The key file holds one line per key: `sha256:<hex digest> <expiry>`, the
expiry an ISO timestamp or `-` for none. The key itself is shown once, when
`key new` makes it, and never stored. Rotation: `key new` adds a key and
gives every key still open an expiry `--overlap-hours` ahead, so the portal
can switch to the new key while the old one still works. The agent re-reads
the file when it changes, so rotation needs no restart. On POSIX the file
must not be readable by group or others (the agent refuses to start).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import hmac
import os
import secrets
import stat
import sys
import threading
from dataclasses import dataclass
from pathlib import Path

MIN_KEY_LENGTH = 16


class KeyFileError(Exception):
    pass


@dataclass(frozen=True)
class StoredKey:
    digest: str
    expires: dt.datetime | None

    def line(self) -> str:
        expires = self.expires.isoformat() if self.expires else "-"
        return f"sha256:{self.digest} {expires}"


def digest_of(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def read_keys(path: Path) -> list[StoredKey]:
    keys = []
    for number, line in enumerate(path.read_text(encoding="ascii").splitlines(), 1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = line.split()
        if len(parts) != 2 or not parts[0].startswith("sha256:"):
            raise KeyFileError(f"{path}:{number}: expected 'sha256:<hex> <expiry|->'")
        digest = parts[0].removeprefix("sha256:")
        if len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
            raise KeyFileError(f"{path}:{number}: not a SHA-256 hex digest")
        try:
            expires = None if parts[1] == "-" else dt.datetime.fromisoformat(parts[1])
        except ValueError:
            raise KeyFileError(f"{path}:{number}: bad expiry {parts[1]!r}") from None
        if expires is not None and expires.tzinfo is None:
            raise KeyFileError(f"{path}:{number}: the expiry needs a time zone")
        keys.append(StoredKey(digest, expires))
    return keys


def write_keys(path: Path, keys: list[StoredKey]) -> None:
    """Replace the file atomically, readable by its owner only."""
    temporary = path.with_name(f".{path.name}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="ascii") as handle:
        handle.write("# LedgerBridge agent keys: sha256 digest and expiry\n")
        for key in keys:
            handle.write(key.line() + "\n")
    os.replace(temporary, path)


def check_permissions(path: Path) -> None:
    if sys.platform == "win32":  # pragma: no cover - ACLs, not mode bits
        return
    mode = path.stat().st_mode
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        raise KeyFileError(
            f"{path} may be read by other users (mode {stat.filemode(mode)}); "
            f"run: chmod 600 {path}"
        )


def rotate(path: Path, *, overlap: dt.timedelta, key: str | None = None) -> str:
    """Add a key (a new random one unless given); open keys expire after overlap."""
    if key is None:
        key = secrets.token_urlsafe(32)
    if len(key) < MIN_KEY_LENGTH:
        raise KeyFileError(f"a key needs at least {MIN_KEY_LENGTH} characters")
    keys = read_keys(path) if path.exists() else []
    cutoff = now() + overlap
    kept = [
        StoredKey(k.digest, min(k.expires, cutoff) if k.expires else cutoff)
        for k in keys
        if k.expires is None or k.expires > now()
    ]
    digest = digest_of(key)
    kept = [k for k in kept if k.digest != digest]
    write_keys(path, [*kept, StoredKey(digest, None)])
    return key


class KeyStore:
    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.lock = threading.Lock()
        self._stamp: tuple[int, int] | None = None
        self._keys: list[StoredKey] = []
        self._load()
        if not self._keys:
            raise KeyFileError(f"{self.path} holds no key; run `key new` first")

    def _load(self) -> None:
        check_permissions(self.path)
        status = self.path.stat()
        stamp = (status.st_mtime_ns, status.st_size)
        if stamp != self._stamp:
            self._keys = read_keys(self.path)
            self._stamp = stamp

    def verify(self, presented: str) -> bool:
        with self.lock:
            # A broken file mid-rotation: keep the keys already loaded.
            with contextlib.suppress(OSError, KeyFileError):
                self._load()
            keys = list(self._keys)
        digest = digest_of(presented)
        moment = now()
        accepted = False
        for key in keys:
            # Compare against every key, without stopping at a match.
            matches = hmac.compare_digest(key.digest, digest)
            accepted |= matches and (key.expires is None or moment < key.expires)
        return accepted
