from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class AccountsConfig(AppConfig):
    default = True
    name = "accounts"
    verbose_name = "Staff accounts"


class StaffAdminConfig(admin_apps.AdminConfig):
    """The admin, served by the site that asks staff for their TOTP code."""

    default = False
    default_site = "accounts.admin_site.StaffAdminSite"
