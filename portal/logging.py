"""A logging filter that masks anything shaped like a secret."""

import logging
import re

_SECRET = re.compile(
    r"\b(sk|rk|whsec|pk)_(live|test)?_?[A-Za-z0-9]{6,}"
    r"|(?i:(password|passwd|secret|api_key|apikey|authorization)"
    r"[\"']?\s*[:=]\s*[\"']?(?:bearer\s+)?)([^\s\"',&<]+)"
)


def _mask(match: re.Match) -> str:
    if match.group(1):
        return f"{match.group(1)}_***"
    return f"{match.group(3)}=***"


def mask_secrets(text: str) -> str:
    return _SECRET.sub(_mask, text)


class MaskSecretsFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_secrets(message)
        if masked != message:
            record.msg, record.args = masked, ()
        return True
