"""The catalog links (read-only) and the page that syncs a price list to
Stripe: a dry run lists what would change, then the same page applies it."""

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.urls import path

from integrations.models import Integration
from portal.admin_views import dry_run_then_apply
from portal.money import money_format

from .models import CatalogLink
from .services import catalog_sync_run

SYNC_PERMISSION = "catalog_sync.sync_catalog"


class CatalogSyncForm(forms.Form):
    integration = forms.ModelChoiceField(
        queryset=Integration.objects.order_by("name"),
        help_text='The option catalog_sync (e.g. {"price_code": "A", '
        '"currency": "usd"}) says which price list it publishes.',
    )
    plan = forms.CharField(required=False, widget=forms.HiddenInput)


@admin.register(CatalogLink)
class CatalogLinkAdmin(admin.ModelAdmin):
    change_list_template = "admin/catalog_sync/cataloglink/change_list.html"
    list_display = [
        "erp_item",
        "name",
        "integration",
        "price_code",
        "amount_display",
        "stripe_product",
        "stripe_price",
        "synced_at",
        "archived_at",
    ]
    list_filter = ["integration", "price_code", "currency", "archived_at"]
    search_fields = ["erp_item", "name", "stripe_product", "stripe_price"]
    list_select_related = ["integration"]
    readonly_fields = [f.name for f in CatalogLink._meta.fields]

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_urls(self):
        return [
            path(
                "sync/",
                self.admin_site.admin_view(self.sync_view),
                name="catalog_sync_cataloglink_sync",
            ),
            *super().get_urls(),
        ]

    @admin.display(description="Price", ordering="unit_amount")
    def amount_display(self, obj: CatalogLink) -> str:
        return money_format(obj.unit_amount, obj.currency)

    def sync_view(self, request: HttpRequest) -> HttpResponse:
        """GET: the form. POST with `dry_run`: the plan, nothing changed.
        POST with `apply`: the plan applied to Stripe."""
        if not request.user.has_perm(SYNC_PERMISSION):
            raise PermissionDenied
        form, plan = dry_run_then_apply(
            self, request, form_class=CatalogSyncForm, run=catalog_sync_run
        )
        rows = [
            {
                "change": change,
                "amount": _money(change.unit_amount, plan.currency),
                "previous": _money(change.previous_amount, plan.currency),
            }
            for change in (plan.changes if plan else ())
        ]
        return TemplateResponse(
            request,
            "admin/catalog_sync/cataloglink/sync.html",
            {
                **self.admin_site.each_context(request),
                "opts": self.model._meta,
                "title": "Sync catalog to Stripe (dry run first)",
                "form": form,
                "plan": plan,
                "rows": rows,
            },
        )


def _money(minor: int | None, currency: str) -> str:
    return "" if minor is None else money_format(minor, currency)
