"""Staff TOTP devices: one per user, confirmed by a first code, audited."""

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from integrations.audit import audit_record
from portal.exceptions import ApplicationError

from . import selectors

DEVICE_NAME = "Authenticator app"


class TokenRejected(ApplicationError):
    """A TOTP code that did not verify, or a device still throttled."""


def totp_token_verify(*, device: TOTPDevice, token: str) -> TOTPDevice:
    # Lock the row so two requests cannot both spend the same code, and let
    # the failure count commit even though the caller reports an error:
    # django-otp backs off exponentially on it.
    with transaction.atomic():
        locked = TOTPDevice.objects.select_for_update().get(pk=device.pk)
        allowed, throttle = locked.verify_is_allowed()
        verified = allowed and locked.verify_token(token.strip())
    if verified:
        return locked
    if not allowed:
        wait = (throttle or {}).get("locked_until")
        seconds = max(1, round((wait - timezone.now()).total_seconds())) if wait else 1
        raise TokenRejected(
            f"Too many wrong codes: wait {seconds} seconds, then enter the "
            "current code."
        )
    raise TokenRejected(
        "That code is not valid: enter the current 6-digit code from your "
        "authenticator app."
    )


@transaction.atomic
def totp_device_pending_get_or_create(*, user: AbstractBaseUser) -> TOTPDevice:
    """The unconfirmed device shown while the user sets up their app.

    Kept between visits so the QR code stays the same until it is confirmed.
    """
    device = (
        TOTPDevice.objects.filter(user=user, confirmed=False).order_by("pk").first()
    )
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def totp_device_confirm(
    *, device: TOTPDevice, token: str, actor: AbstractBaseUser
) -> TOTPDevice:
    if device.confirmed:
        return device
    verified = totp_token_verify(device=device, token=token)
    with transaction.atomic():
        TOTPDevice.objects.filter(user_id=device.user_id).exclude(pk=device.pk).delete()
        verified.confirmed = True
        verified.save(update_fields=["confirmed"])
        audit_record(
            actor=actor,
            action="otp_device_confirm",
            target=verified.user,
            after={"device": verified.name},
        )
    return verified


def totp_device_remove(
    *, user: AbstractBaseUser, token: str, actor: AbstractBaseUser
) -> int:
    """The user's own removal: only with a current code from the device."""
    device = selectors.totp_device_confirmed(user=user)
    if device is None:
        return 0
    totp_token_verify(device=device, token=token)
    return totp_devices_reset(user=user, actor=actor, reason="removed by its owner")


@transaction.atomic
def totp_devices_reset(
    *, user: AbstractBaseUser, actor: AbstractBaseUser | None, reason: str = ""
) -> int:
    """Delete every TOTP device of a user; they enrol again at next login."""
    count, _ = TOTPDevice.objects.filter(user=user).delete()
    if count:
        audit_record(
            actor=actor,
            action="otp_device_reset",
            target=user,
            before={"devices": count},
            after={"devices": 0},
            reason=reason,
        )
    return count
