from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import urlencode

from . import selectors

# Pages an unverified admin still reaches: the way to a verified session, and
# the way out. Webhook deliveries and the sandboxes carry no staff session.
_EXEMPT_VIEW_NAMES = frozenset(
    {
        "admin:login",
        "admin:logout",
        "admin:two_factor",
        "admin:two_factor_verify",
        "stripe-webhook",
    }
)
_EXEMPT_PACKAGES = frozenset({"sandbox"})


class OTPRequiredMiddleware:
    """With OTP_REQUIRED_FOR_ADMINS, admins pass a TOTP code before anything.

    Integration admins and superusers without a verified session are sent to
    set up an authenticator app (no device yet) or to the code step. Install
    after django_otp's OTPMiddleware, which provides `user.is_verified()`.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view_func: Callable, view_args, view_kwargs
    ) -> HttpResponse | None:
        if not settings.OTP_REQUIRED_FOR_ADMINS:
            return None
        # Before the user: webhook deliveries have none (portal.middleware).
        if request.resolver_match.view_name in _EXEMPT_VIEW_NAMES:
            return None
        if view_func.__module__.partition(".")[0] in _EXEMPT_PACKAGES:
            return None
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        if not selectors.otp_required_for(user=user):
            return None
        step = (
            "admin:two_factor_verify"
            if selectors.totp_device_confirmed(user=user)
            else "admin:two_factor"
        )
        query = urlencode({"next": request.get_full_path()})
        return HttpResponseRedirect(f"{reverse(step)}?{query}")
