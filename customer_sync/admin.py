"""Customer sync settings (field owners), the per-customer sync state
(read-only), and the page that syncs ERP customers to Stripe: a dry run
lists what would change, then the same page applies exactly that."""

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path

from integrations.models import Integration
from portal.admin_views import dry_run_then_apply

from .models import CustomerSyncSettings, CustomerSyncState
from .services import CustomerPlan, customer_sync_run

SYNC_PERMISSION = "customer_sync.sync_customers"


class CustomerSyncForm(forms.Form):
    integration = forms.ModelChoiceField(
        queryset=Integration.objects.filter(customer_sync__isnull=False).order_by(
            "name"
        ),
        help_text="Integrations with customer sync settings.",
    )
    plan = forms.CharField(required=False, widget=forms.HiddenInput)


@admin.register(CustomerSyncSettings)
class CustomerSyncSettingsAdmin(admin.ModelAdmin):
    list_display = [
        "integration",
        "enabled",
        "name_owner",
        "email_owner",
        "phone_owner",
        "address_owner",
        "shipping_owner",
        "terms_owner",
    ]
    list_filter = ["enabled"]
    list_select_related = ["integration"]


@admin.register(CustomerSyncState)
class CustomerSyncStateAdmin(admin.ModelAdmin):
    change_list_template = "admin/customer_sync/customersyncstate/change_list.html"
    list_display = [
        "erp_customer",
        "stripe_customer",
        "integration",
        "synced_at",
        "stripe_dirty",
        "last_error",
    ]
    list_filter = ["link__integration", "stripe_dirty"]
    search_fields = ["link__erp_customer_code", "link__stripe_customer_id"]
    list_select_related = ["link__integration"]
    readonly_fields = [f.name for f in CustomerSyncState._meta.fields]

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description="ERP customer", ordering="link__erp_customer_code")
    def erp_customer(self, obj: CustomerSyncState) -> str:
        return obj.link.erp_customer_code

    @admin.display(description="Stripe customer")
    def stripe_customer(self, obj: CustomerSyncState) -> str:
        return obj.link.stripe_customer_id

    @admin.display(description="Integration")
    def integration(self, obj: CustomerSyncState) -> str:
        return str(obj.link.integration)

    def get_urls(self):
        return [
            path(
                "sync/",
                self.admin_site.admin_view(self.sync_view),
                name="customer_sync_customersyncstate_sync",
            ),
            *super().get_urls(),
        ]

    def sync_view(self, request: HttpRequest) -> HttpResponse:
        """GET: the form. POST with `dry_run`: the plan, nothing changed.
        POST with `apply`: the dry run's plan applied to Stripe, or nothing."""
        if not request.user.has_perm(SYNC_PERMISSION):
            raise PermissionDenied
        form, plan = dry_run_then_apply(
            self, request, form_class=CustomerSyncForm, run=customer_sync_run
        )
        return TemplateResponse(
            request,
            "admin/customer_sync/customersyncstate/sync.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": "Sync ERP customers to Stripe (dry run first)",
                "form": form,
                "plan": plan,
                "rows": _rows(plan),
            },
        )


def _text(value: Any) -> str:
    """A field value for people: an address as its non-blank parts."""
    if isinstance(value, dict):
        return ", ".join(part for part in value.values() if part)
    return str(value)


def _rows(plan: CustomerPlan | None) -> list[dict[str, Any]]:
    rows = []
    for change in plan.changes if plan else ():
        for index, field in enumerate(change.fields or (None,)):
            rows.append(
                {
                    "change": change,
                    "first": index == 0,
                    "field": field.field if field else "",
                    "old": _text(field.old) if field else "",
                    "new": _text(field.new) if field else "",
                }
            )
    return rows
