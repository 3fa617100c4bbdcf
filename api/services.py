"""Writes of the API app: personal tokens, stored answers, resolving alerts."""

import hashlib
import json
import secrets
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from integrations.audit import audit_record
from portal.exceptions import ApplicationError

from .models import ApiToken, IdempotentResponse
from .scopes import scopes_allowed_for

TOKEN_PREFIX = "lbk"
TOKEN_DEFAULT_DAYS = 90
TOKEN_MAX_DAYS = 365
# last_used_at is written at most this often per token, not on every request.
TOKEN_USE_RESOLUTION = timedelta(minutes=5)


def _digest(raw: str) -> str:
    # A keyed hash (HMAC-SHA256 under SECRET_KEY): the token has 256 bits of
    # randomness, so a slow password hash adds nothing but latency, and a
    # leaked table is useless without the key.
    return salted_hmac("api.ApiToken", raw, algorithm="sha256").hexdigest()


def api_token_create(
    *,
    user: AbstractBaseUser,
    name: str,
    scope: str,
    expires_at: datetime | None = None,
    actor: AbstractBaseUser | None = None,
) -> tuple[ApiToken, str]:
    """Create a token for `user`; the secret is returned here and never again."""
    actor = actor if actor is not None else user
    if actor.pk != user.pk:
        raise ApplicationError("Staff create API tokens for themselves only")
    if scope not in scopes_allowed_for(user=user):
        raise ApplicationError(
            f"Your role does not allow a token with the {scope} scope",
            {"allowed": scopes_allowed_for(user=user)},
        )
    now = timezone.now()
    if expires_at is None:
        expires_at = now + timedelta(days=TOKEN_DEFAULT_DAYS)
    if expires_at <= now or expires_at > now + timedelta(days=TOKEN_MAX_DAYS):
        raise ApplicationError(
            f"A token expires in the future, at most {TOKEN_MAX_DAYS} days ahead"
        )
    prefix = secrets.token_hex(6)
    raw = f"{TOKEN_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user,
            name=name.strip() or "API token",
            scope=scope,
            prefix=prefix,
            digest=_digest(raw),
            expires_at=expires_at,
        )
        audit_record(
            actor=actor,
            action="api_token.created",
            target=token,
            after={"prefix": prefix, "scope": scope, "expires_at": str(expires_at)},
        )
    return token, raw


def api_token_revoke(*, token: ApiToken, actor: AbstractBaseUser | None) -> bool:
    with transaction.atomic():
        token = ApiToken.objects.select_for_update().get(pk=token.pk)
        if token.revoked_at is not None:
            return False
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        audit_record(
            actor=actor,
            action="api_token.revoked",
            target=token,
            before={"prefix": token.prefix, "scope": token.scope},
        )
    return True


def api_token_authenticate(*, raw: str) -> ApiToken | None:
    """The live token `raw` stands for, or None; notes when it was last used."""
    parts = raw.split("_", 2)
    if len(parts) != 3 or parts[0] != TOKEN_PREFIX:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(prefix=parts[1], revoked_at__isnull=True)
        .first()
    )
    if token is None or not constant_time_compare(token.digest, _digest(raw)):
        return None
    now = timezone.now()
    if token.expires_at <= now:
        return None
    if token.last_used_at is None or token.last_used_at < now - TOKEN_USE_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token


def request_digest(*, method: str, path: str, body: bytes) -> str:
    return hashlib.sha256(
        b"\n".join([method.encode(), path.encode(), body])
    ).hexdigest()


def idempotent_response_claim(
    *, user: AbstractBaseUser, key: str, method: str, path: str, digest: str
) -> tuple[IdempotentResponse, bool]:
    """The stored row for this key, and whether this request just claimed it."""
    try:
        with transaction.atomic():
            row = IdempotentResponse.objects.create(
                user=user, key=key, method=method, path=path, request_digest=digest
            )
        return row, True
    except IntegrityError:
        return IdempotentResponse.objects.get(user=user, key=key), False


def idempotent_response_store(
    *, row: IdempotentResponse, status_code: int, body: Any
) -> None:
    row.status_code = status_code
    row.body = json.loads(json.dumps(body, cls=DjangoJSONEncoder))
    row.save(update_fields=["status_code", "body"])


def idempotent_response_release(*, row: IdempotentResponse) -> None:
    """Forget a claim whose request failed unexpectedly, so it may be sent again."""
    IdempotentResponse.objects.filter(pk=row.pk, status_code=0).delete()
