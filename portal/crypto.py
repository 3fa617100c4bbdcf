"""Encryption at rest for connection secrets.

Secrets are encrypted with Fernet (AES-128-CBC + HMAC) keys from the
`FIELD_ENCRYPTION_KEYS` setting. Several keys can be listed, newest first, so a
key can be rotated: values are read with any key and written with the first
(`python manage.py rotate_encryption_keys` rewrites every secret).
"""

import hashlib
import hmac
import json
from functools import cache
from typing import Any, TypeVar

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

from .logging import secret_values_add

_T = TypeVar("_T")


@cache
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    if not keys:
        raise ImproperlyConfigured(
            "FIELD_ENCRYPTION_KEYS is empty: generate one with "
            "`python -c 'from cryptography.fernet import Fernet; "
            "print(Fernet.generate_key().decode())'`"
        )
    return MultiFernet([Fernet(key.encode()) for key in keys])


def fernet() -> MultiFernet:
    return _fernet(tuple(settings.FIELD_ENCRYPTION_KEYS))


def encrypt(value: str) -> str:
    return fernet().encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise ImproperlyConfigured(
            "A stored secret cannot be decrypted with FIELD_ENCRYPTION_KEYS"
        ) from exc


def _known(value: _T) -> _T:
    """Tell the log filter about a secret in hand, so that no log shows it."""
    secret_values_add(value.values() if isinstance(value, dict) else [value])
    return value


class EncryptedJSONField(models.TextField):
    """A dict of secrets stored as one Fernet token; never plaintext in the DB."""

    description = "Encrypted JSON"

    def from_db_value(self, value: str | None, expression, connection) -> Any:
        if value in (None, ""):
            return {}
        return _known(json.loads(decrypt(value)))

    def to_python(self, value: Any) -> Any:
        if isinstance(value, dict):
            return _known(value)
        if value in (None, ""):
            return {}
        try:
            return _known(json.loads(value))
        except ValueError:
            # A fixture written by dumpdata carries the token, not the JSON.
            return _known(json.loads(decrypt(value)))

    def get_prep_value(self, value: Any) -> str:
        return encrypt(json.dumps(_known(value or {}), sort_keys=True))

    def value_to_string(self, obj: models.Model) -> str:
        """Serialise (dumpdata) as the token so no dump holds the plaintext."""
        return self.get_prep_value(self.value_from_object(obj))


class EncryptedTextField(models.TextField):
    description = "Encrypted text"

    def from_db_value(self, value: str | None, expression, connection) -> str:
        if value in (None, ""):
            return ""
        return _known(decrypt(value))

    def to_python(self, value: Any) -> str:
        if isinstance(value, str) and value.startswith("gAAAA"):
            return _known(decrypt(value))
        return _known(value or "")

    def get_prep_value(self, value: Any) -> str:
        return encrypt(_known(value or ""))

    def value_to_string(self, obj: models.Model) -> str:
        return self.get_prep_value(self.value_from_object(obj))


def fingerprint(value: str) -> str:
    """Eight hex digits that tell two secrets apart and reveal none of them.

    The first 32 bits of an HMAC-SHA256 keyed with SECRET_KEY: unlike a
    prefix and suffix of the secret, it gives away no character, and without
    the key it cannot be checked against guesses.
    """
    digest = hmac.new(
        settings.SECRET_KEY.encode(), value.encode(), hashlib.sha256
    ).hexdigest()
    return digest[:8]
