"""Getting in and out of the portal: login (django-axes counts failures),
logout, the invitation link, password reset by email, optional TOTP, and
staff "view as" a company."""

import segno
from django.contrib import messages
from django.contrib.auth import logout as auth_logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse, reverse_lazy
from django.views.decorators.http import require_http_methods, require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import selectors as staff_selectors
from accounts import services as staff_services

from .access import VIEW_AS_PERMISSION, VIEW_AS_SESSION_KEY, portal_view
from .forms import BuyerLoginForm, BuyerPasswordResetForm, TokenForm
from .models import Company
from .services.accounts import view_as_start
from .tokens import invitation_tokens


class LoginView(auth_views.LoginView):
    form_class = BuyerLoginForm
    template_name = "b2b/login.html"
    redirect_authenticated_user = False

    def get_default_redirect_url(self) -> str:
        return reverse("b2b:catalog")


@require_POST
def logout(request: HttpRequest) -> HttpResponse:
    auth_logout(request)
    messages.info(request, "You are logged out.")
    return HttpResponseRedirect(reverse("b2b:login"))


class InvitationView(auth_views.PasswordResetConfirmView):
    """The invitation link: the buyer chooses a password (once)."""

    token_generator = invitation_tokens
    template_name = "b2b/set_password.html"
    success_url = reverse_lazy("b2b:login")
    reset_url_token = "set-password"  # noqa: S105 - a URL segment, not a secret
    extra_context = {"title": "Choose your password"}

    def form_valid(self, form):
        messages.success(self.request, "Your password is set: log in below.")
        return super().form_valid(form)


class PasswordResetView(auth_views.PasswordResetView):
    form_class = BuyerPasswordResetForm
    template_name = "b2b/password_reset.html"
    email_template_name = "b2b/email/password_reset.txt"
    subject_template_name = "b2b/email/password_reset_subject.txt"
    success_url = reverse_lazy("b2b:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "b2b/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "b2b/set_password.html"
    success_url = reverse_lazy("b2b:login")
    extra_context = {"title": "Choose a new password"}

    def form_valid(self, form):
        messages.success(self.request, "Your password is changed: log in below.")
        return super().form_valid(form)


@require_http_methods(["GET", "POST"])
@portal_view
def two_factor(request: HttpRequest) -> HttpResponse:
    """Turn on an authenticator app (or off, with a current code)."""
    visitor = request.visitor
    if visitor.buyer is None:
        raise PermissionDenied
    user = visitor.user
    device = staff_selectors.totp_device_confirmed(user=user)
    form = TokenForm(request.POST or None)
    if device is None:
        pending = staff_services.totp_device_pending_get_or_create(user=user)
        if form.is_valid():
            try:
                staff_services.totp_device_confirm(
                    device=pending, token=form.cleaned_data["otp_token"], actor=user
                )
            except staff_services.TokenRejected as error:
                form.add_error("otp_token", error.message)
            else:
                messages.success(
                    request,
                    "Two-factor authentication is on: enter a code from your "
                    "app each time you log in.",
                )
                return HttpResponseRedirect(reverse("b2b:two_factor"))
        return render(
            request,
            "b2b/two_factor.html",
            {"form": form, "qr_svg": _qr_svg(pending), "device": None},
        )
    if form.is_valid():
        try:
            staff_services.totp_device_remove(
                user=user, token=form.cleaned_data["otp_token"], actor=user
            )
        except staff_services.TokenRejected as error:
            form.add_error("otp_token", error.message)
        else:
            messages.success(request, "Two-factor authentication is off.")
            return HttpResponseRedirect(reverse("b2b:two_factor"))
    return render(request, "b2b/two_factor.html", {"form": form, "device": device})


def _qr_svg(device: TOTPDevice) -> str:
    # segno draws the QR modules as SVG paths: no external image, no script.
    return segno.make(device.config_url, error="m").svg_inline(scale=4)


@login_required(login_url=reverse_lazy("admin:login"))
@permission_required(VIEW_AS_PERMISSION, raise_exception=True)
@require_http_methods(["GET", "POST"])
def view_as(request: HttpRequest) -> HttpResponse:
    """Staff pick the company whose portal they look at (read-only, audited)."""
    if not request.user.is_staff:
        raise PermissionDenied
    if request.method == "POST":
        raw = request.POST.get("company", "")
        company = get_object_or_404(
            Company, pk=int(raw) if raw.isdigit() else 0, is_active=True
        )
        view_as_start(actor=request.user, company=company)
        request.session[VIEW_AS_SESSION_KEY] = company.pk
        return HttpResponseRedirect(reverse("b2b:catalog"))
    return render(
        request,
        "b2b/view_as.html",
        {
            "companies": Company.objects.filter(is_active=True).order_by("name"),
            "current": request.session.get(VIEW_AS_SESSION_KEY),
        },
    )


@require_POST
def view_as_stop(request: HttpRequest) -> HttpResponse:
    request.session.pop(VIEW_AS_SESSION_KEY, None)
    return HttpResponseRedirect(reverse("admin:index"))
