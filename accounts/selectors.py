from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django_otp.plugins.otp_totp.models import TOTPDevice

from integrations.roles import INTEGRATION_ADMINS


def totp_device_confirmed(*, user: AbstractBaseUser) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("pk").first()


def otp_required_for(*, user: AbstractBaseUser) -> bool:
    """Whether this user must pass a TOTP code before using the portal."""
    if not settings.OTP_REQUIRED_FOR_ADMINS:
        return False
    return user.is_superuser or user.groups.filter(name=INTEGRATION_ADMINS).exists()
