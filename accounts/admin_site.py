from django.contrib import admin
from django.urls import URLPattern, URLResolver, path

from . import views
from .forms import StaffAuthenticationForm


class StaffAdminSite(admin.AdminSite):
    """The default admin site, with TOTP at login and the two-factor pages."""

    login_form = StaffAuthenticationForm
    login_template = "accounts/login.html"

    def get_urls(self) -> list[URLPattern | URLResolver]:
        return [
            path(
                "two-factor/",
                self.admin_view(views.two_factor),
                name="two_factor",
            ),
            path(
                "two-factor/verify/",
                self.admin_view(views.two_factor_verify),
                name="two_factor_verify",
            ),
            *super().get_urls(),
        ]
