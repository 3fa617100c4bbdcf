"""A logging filter that masks secrets in messages, tracebacks and stacks.

Two nets: patterns for anything shaped like a secret (Stripe keys,
`password=…`, bearer tokens), and the exact values of the secrets this process
has decrypted or encrypted, so a password is masked even where nothing
announces it (an ERP's error text, a URL quoted in an exception).
"""

import logging
import re
import threading
from collections.abc import Iterable
from urllib.parse import quote, quote_plus

# Stars too: Stripe echoes a refused key as `sk_test_********4242`.
_SECRET = re.compile(
    r"\b(sk|rk|whsec|pk)_(live|test)?_?[A-Za-z0-9*]{6,}"
    r"|(?i:(password|passwd|secret|api_key|apikey|authorization)"
    r"[\"']?\s*[:=]\s*[\"']?(?:bearer\s+)?)([^\s\"',&<]+)"
)

# Shorter values are left to the patterns: masking every "1234" would garble
# the logs and protect little.
KNOWN_SECRET_MIN_LENGTH = 6

_known: set[str] = set()
_known_pattern: re.Pattern | None = None
_known_lock = threading.Lock()
_formatter = logging.Formatter()


def secret_values_add(values: Iterable[object]) -> None:
    """Mask these values, as written and URL-encoded, in every later log record."""
    global _known_pattern
    forms = {
        form
        for value in values
        if isinstance(value, str) and len(value) >= KNOWN_SECRET_MIN_LENGTH
        for form in (value, quote(value, safe=""), quote_plus(value))
    }
    if forms <= _known:
        return
    with _known_lock:
        _known.update(forms)
        _known_pattern = None


def _known_secrets() -> re.Pattern | None:
    global _known_pattern
    pattern = _known_pattern
    if pattern is None and _known:
        with _known_lock:
            # Longest first, so a value is never half-masked by a shorter one.
            values = sorted(_known, key=len, reverse=True)
            pattern = _known_pattern = re.compile("|".join(map(re.escape, values)))
    return pattern


def _mask(match: re.Match) -> str:
    if match.group(1):
        return f"{match.group(1)}_***"
    return f"{match.group(3)}=***"


def mask_secrets(text: str) -> str:
    known = _known_secrets()
    if known is not None:
        text = known.sub("***", text)
    return _SECRET.sub(_mask, text)


class MaskSecretsFilter(logging.Filter):
    """Mask the message, the traceback and the stack of every record.

    The traceback is formatted here, masked, and kept as `exc_text`; the
    exception itself is dropped from the record, because handlers that read
    `exc_info` (Django's AdminEmailHandler renders every frame's local
    variables) would show what the text no longer does.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_secrets(message)
        if masked != message:
            record.msg, record.args = masked, ()
        if record.exc_info:
            if not record.exc_text:
                record.exc_text = _formatter.formatException(record.exc_info)
            record.exc_info = None
        if record.exc_text:
            record.exc_text = mask_secrets(record.exc_text)
        if record.stack_info:
            record.stack_info = mask_secrets(record.stack_info)
        return True
