"""Staff two-factor pages (served by the admin site) and the lockout page."""

from base64 import b32encode

import django_otp
import segno
from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib import admin, messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import mark_safe
from django_otp.plugins.otp_totp.models import TOTPDevice

from . import selectors, services
from .forms import TokenForm


def two_factor(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app, or remove it (with a current code)."""
    device = selectors.totp_device_confirmed(user=request.user)
    form = TokenForm(request.POST or None)
    if device is None:
        pending = services.totp_device_pending_get_or_create(user=request.user)
        if form.is_valid():
            try:
                confirmed = services.totp_device_confirm(
                    device=pending,
                    token=form.cleaned_data["otp_token"],
                    actor=request.user,
                )
            except services.TokenRejected as error:
                form.add_error("otp_token", error.message)
            else:
                _session_verify(request, confirmed)
                messages.success(
                    request,
                    "Two-factor authentication is on: enter a code from your "
                    "app each time you log in.",
                )
                return HttpResponseRedirect(_next_url(request))
        return _render(
            request,
            "accounts/two_factor.html",
            form=form,
            qr_svg=_qr_svg(pending),
            secret=_secret_groups(pending),
            next_url=_next_url(request, default=""),
        )
    if form.is_valid():
        try:
            services.totp_device_remove(
                user=request.user,
                token=form.cleaned_data["otp_token"],
                actor=request.user,
            )
        except services.TokenRejected as error:
            form.add_error("otp_token", error.message)
        else:
            messages.success(
                request,
                "Your authenticator app was removed: scan the new code below "
                "to set up a replacement.",
            )
            return HttpResponseRedirect(reverse("admin:two_factor"))
    return _render(request, "accounts/two_factor.html", form=form, device=device)


def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """The code step for a session logged in without one."""
    device = selectors.totp_device_confirmed(user=request.user)
    if device is None:
        query = urlencode({"next": _next_url(request)})
        return HttpResponseRedirect(f"{reverse('admin:two_factor')}?{query}")
    if request.user.is_verified():
        return HttpResponseRedirect(_next_url(request))
    form = TokenForm(request.POST or None)
    if form.is_valid():
        try:
            verified = services.totp_token_verify(
                device=device, token=form.cleaned_data["otp_token"]
            )
        except services.TokenRejected as error:
            form.add_error("otp_token", error.message)
        else:
            _session_verify(request, verified)
            return HttpResponseRedirect(_next_url(request))
    return _render(
        request,
        "accounts/two_factor_verify.html",
        form=form,
        next_url=_next_url(request, default=""),
    )


def lockout(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict | None = None,
) -> HttpResponse:
    """django-axes' answer to a locked-out login (AXES_LOCKOUT_CALLABLE)."""
    cool_off = get_cool_off(request)
    minutes = max(1, round(cool_off.total_seconds() / 60)) if cool_off else None
    # Rendered here, not as a TemplateResponse: AxesMiddleware swaps it in
    # after the view's response has already been rendered.
    return render(
        request,
        "accounts/lockout.html",
        {"minutes": minutes, "title": "Too many failed logins"},
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )


def _render(request: HttpRequest, template: str, **context) -> TemplateResponse:
    return TemplateResponse(
        request,
        template,
        {
            **admin.site.each_context(request),
            "title": "Two-factor authentication",
            **context,
        },
    )


def _session_verify(request: HttpRequest, device: TOTPDevice) -> None:
    # A new session key for the stronger login, as django.contrib.auth does
    # at login.
    request.session.cycle_key()
    django_otp.login(request, device)


def _next_url(request: HttpRequest, *, default: str | None = None) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate,
        allowed_hosts={request.get_host()},
        require_https=request.is_secure(),
    ):
        return candidate
    return reverse("admin:index") if default is None else default


def _qr_svg(device: TOTPDevice) -> str:
    # segno writes only the QR modules as SVG paths (no external image, no
    # script); the otpauth URL itself is not echoed into the markup.
    svg = segno.make(device.config_url, error="m").svg_inline(
        scale=5, dark="#000", light="#fff", title="Two-factor set-up code"
    )
    return mark_safe(svg)  # noqa: S308


def _secret_groups(device: TOTPDevice) -> str:
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
