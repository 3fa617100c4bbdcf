"""Read-only admin views of the Stripe sandbox: objects, events, deliveries."""

from django.contrib import admin
from django.utils.html import format_html

from portal.money import money_format

from .models import (
    ApiKey,
    ApiObject,
    Event,
    IdempotentRequest,
    WebhookAttempt,
    WebhookDelivery,
    WebhookEndpoint,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Log and state models: looked at, never edited by hand."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = ["label", "created_at"]
    search_fields = ["label"]


@admin.register(ApiObject)
class ApiObjectAdmin(ReadOnlyAdmin):
    list_display = ["stripe_id", "kind", "created", "customer", "net_display"]
    list_filter = ["kind", "currency", "deleted"]
    search_fields = ["stripe_id", "customer", "parent", "payout"]
    readonly_fields = ["net_display"]

    @admin.display(description="Net", ordering="net")
    def net_display(self, obj: ApiObject) -> str:
        if obj.net is None:
            return ""
        return format_html(
            '<span class="nowrap">{}</span>', money_format(obj.net, obj.currency)
        )


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = ["stripe_id", "type", "created"]
    list_filter = ["type"]
    search_fields = ["stripe_id", "type"]


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(ReadOnlyAdmin):
    list_display = ["stripe_id", "url", "status", "api_version", "created"]
    list_filter = ["status"]
    search_fields = ["stripe_id", "url"]
    exclude = ["secret"]


class WebhookAttemptInline(admin.TabularInline):
    model = WebhookAttempt
    extra = 0
    can_delete = False
    readonly_fields = [
        "number",
        "started_at",
        "duration_ms",
        "status_code",
        "error",
        "duplicate",
    ]

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnlyAdmin):
    list_display = [
        "id",
        "event",
        "endpoint",
        "status",
        "attempt_count",
        "last_status_code",
        "next_attempt_at",
        "delivered_at",
    ]
    list_filter = ["status", "endpoint"]
    list_select_related = ["event", "endpoint"]
    search_fields = ["event__stripe_id", "event__type"]
    inlines = [WebhookAttemptInline]


@admin.register(WebhookAttempt)
class WebhookAttemptAdmin(ReadOnlyAdmin):
    list_display = [
        "delivery",
        "number",
        "started_at",
        "status_code",
        "duration_ms",
        "duplicate",
        "error",
    ]
    list_filter = ["status_code", "duplicate"]
    list_select_related = ["delivery__event", "delivery__endpoint"]


@admin.register(IdempotentRequest)
class IdempotentRequestAdmin(ReadOnlyAdmin):
    list_display = ["key", "method", "path", "status_code", "created_at"]
    search_fields = ["key", "path"]
