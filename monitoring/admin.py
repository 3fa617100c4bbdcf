from django.contrib import admin, messages
from django.db.models import QuerySet

from . import services
from .channels import DeliveryFailed, Message, channel_send
from .forms import AlertChannelForm
from .models import AlertChannel, AlertDelivery, AlertThresholds, DigestRun


@admin.register(AlertChannel)
class AlertChannelAdmin(admin.ModelAdmin):
    form = AlertChannelForm
    list_display = [
        "name",
        "kind",
        "integration",
        "min_level",
        "daily_digest",
        "is_active",
        "url_fingerprint",
    ]
    list_filter = ["kind", "min_level", "is_active", "integration"]
    search_fields = ["name"]
    list_select_related = ["integration"]
    readonly_fields = ["url_fingerprint", "created_at"]
    actions = ["send_test"]

    def save_model(self, request, obj: AlertChannel, form, change: bool) -> None:
        super().save_model(request, obj, form, change)
        url = form.cleaned_data.get("new_url")
        if url:
            services.alert_channel_url_set(channel=obj, url=url, actor=request.user)

    @admin.action(description="Send a test message", permissions=["change"])
    def send_test(self, request, queryset: QuerySet[AlertChannel]) -> None:
        message = Message(
            subject="LedgerBridge test message",
            text="This channel receives LedgerBridge alerts.",
            level="info",
        )
        sent = 0
        for channel in queryset:
            try:
                channel_send(channel=channel, message=message)
            except DeliveryFailed as exc:
                self.message_user(
                    request, f"{channel}: {exc.message}", level=messages.ERROR
                )
            else:
                sent += 1
        if sent:
            self.message_user(request, f"Test message sent through {sent} channel(s).")


@admin.register(AlertThresholds)
class AlertThresholdsAdmin(admin.ModelAdmin):
    list_display = [
        "integration",
        "needs_attention_count",
        "needs_attention_minutes",
        "retry_backlog_minutes",
        "latency_p95_seconds",
        "payout_unproven_days",
        "rejected_deliveries_per_hour",
    ]
    list_select_related = ["integration"]


class _ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(AlertDelivery)
class AlertDeliveryAdmin(_ReadOnlyAdmin):
    list_display = [
        "alert",
        "channel",
        "reminder",
        "status",
        "attempts",
        "sent_at",
        "next_attempt_at",
        "last_error",
    ]
    list_filter = ["status", "channel"]
    list_select_related = ["alert__integration", "channel"]
    search_fields = ["alert__message", "last_error"]
    readonly_fields = [
        "alert",
        "channel",
        "reminder",
        "status",
        "attempts",
        "next_attempt_at",
        "last_error",
        "created_at",
        "sent_at",
    ]
    exclude = ["lease_expires_at"]


@admin.register(DigestRun)
class DigestRunAdmin(_ReadOnlyAdmin):
    list_display = ["day", "recipients", "created_at"]
