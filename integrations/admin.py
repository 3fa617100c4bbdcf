"""The finance UI: ledger, events, alerts; and connection set-up for admins."""

import json
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html

from mapping.services import mapping_defaults_install
from portal.admin import ReadOnlyMixin
from portal.exceptions import ApplicationError
from portal.money import money_format

from . import audit, currency_accounts, ledger, periods, precision, services
from .connectors import stripe_api
from .connectors.settings import SettingField
from .erps.registry import ERPS, erp_package
from .models import (
    Alert,
    AuditEntry,
    Connection,
    CustomerLink,
    Integration,
    PayloadChange,
    RejectedDelivery,
    SyncAttempt,
    SyncRecord,
    WebhookEvent,
    WebhookSecret,
)


class ReadOnlyAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """Logs and inboxes: nobody adds or edits rows by hand."""


# Connections ----------------------------------------------------------------

# The settings of each connection kind: Stripe's, and each ERP package's.
KIND_SETTINGS: dict[str, tuple[SettingField, ...]] = {
    Connection.Kind.STRIPE: stripe_api.SETTINGS,
    **{kind: package.settings for kind, package in ERPS.items()},
}
_SETTINGS = {s.name: s for settings in KIND_SETTINGS.values() for s in settings}
_ALL_SECRETS = sorted(name for name, s in _SETTINGS.items() if s.secret)
_ALL_CONFIG = sorted(name for name, s in _SETTINGS.items() if not s.secret)
# Settings several ERP kinds share (the GL calendar, integrations/periods.py):
# one fieldset, since a form shows each field once.
_SHARED = sorted(
    name
    for name in _ALL_CONFIG
    if sum(name in package.config_names for package in ERPS.values()) > 1
)


def _secret_names(kind: str) -> tuple[str, ...]:
    return tuple(s.name for s in KIND_SETTINGS.get(kind, ()) if s.secret)


def _config_names(kind: str) -> tuple[str, ...]:
    return tuple(s.name for s in KIND_SETTINGS.get(kind, ()) if not s.secret)


def _form_field(setting: SettingField) -> forms.CharField:
    if setting.secret:
        return forms.CharField(
            label=setting.label,
            required=False,
            widget=forms.PasswordInput(render_value=False),
        )
    return forms.CharField(
        label=setting.label, required=False, help_text=setting.help_text
    )


class ConnectionSettingsForm(forms.ModelForm):
    """Secrets are write-only: blank keeps the stored value, nothing is echoed."""

    class Meta:
        model = Connection
        fields = ["name", "kind", "base_url", "timeout_seconds", "is_sandbox"]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name in _ALL_CONFIG:
            self.fields[name].initial = (self.instance.config or {}).get(name, "")
        stored = self.instance.secrets if self.instance.pk else {}
        for name in _ALL_SECRETS:
            hint = "stored — leave blank to keep" if stored.get(name) else "not set"
            self.fields[name].help_text = f"Write-only ({hint})."

    def clean(self) -> dict:
        cleaned = super().clean()
        kind = cleaned.get("kind")
        allowed = set(_secret_names(kind))
        for name in _ALL_SECRETS:
            if cleaned.get(name) and name not in allowed:
                self.add_error(name, f"A {kind} connection has no {name}.")
        return cleaned

    def new_secrets(self) -> dict[str, str]:
        return {
            name: self.cleaned_data[name]
            for name in _ALL_SECRETS
            if self.cleaned_data.get(name)
        }


# The settings are declared fields, as the admin's fieldsets require; they
# come from the registry, so the class is built rather than written out.
ConnectionForm = type(ConnectionSettingsForm)(
    "ConnectionForm",
    (ConnectionSettingsForm,),
    {
        "__module__": __name__,
        **{name: _form_field(setting) for name, setting in _SETTINGS.items()},
    },
)


@admin.register(Connection)
class ConnectionAdmin(admin.ModelAdmin):
    form = ConnectionForm
    list_display = [
        "name",
        "kind",
        "base_url",
        "is_sandbox",
        "secret_status",
        "updated_at",
    ]
    list_filter = ["kind", "is_sandbox"]
    search_fields = ["name", "base_url"]

    def get_fieldsets(self, request, obj=None):
        return [
            (
                None,
                {
                    "fields": [
                        "name",
                        "kind",
                        "base_url",
                        "timeout_seconds",
                        "is_sandbox",
                    ]
                },
            ),
            *(
                (f"{package.label} settings", {"fields": own})
                for package in ERPS.values()
                if (own := [n for n in package.config_names if n not in _SHARED])
            ),
            *([("GL calendar (any ERP)", {"fields": _SHARED})] if _SHARED else []),
            ("Secrets (write-only, encrypted at rest)", {"fields": _ALL_SECRETS}),
        ]

    @admin.display(description="Secrets")
    def secret_status(self, obj: Connection) -> str:
        names = _secret_names(obj.kind)
        stored = [n for n in names if obj.secrets.get(n)]
        return f"{len(stored)}/{len(names)} set"

    def save_model(
        self, request, obj: Connection, form: ConnectionSettingsForm, change: bool
    ) -> None:
        obj.config = {
            **(obj.config or {}),
            **{
                name: form.cleaned_data.get(name, "")
                for name in _config_names(obj.kind)
            },
        }
        super().save_model(request, obj, form, change)
        services.connection_set_secrets(
            connection=obj, secrets=form.new_secrets(), actor=request.user
        )


# Integrations ---------------------------------------------------------------


class WebhookSecretInline(admin.TabularInline):
    model = WebhookSecret
    extra = 0
    fields = ["hint", "is_active", "expires_at", "created_at"]
    readonly_fields = ["hint", "created_at"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False


def _currency_account_problems(erp: Connection, options: Any) -> dict[str, str]:
    """The per-currency account options against the ERP's customer codes on
    this connection (a pattern that cannot fit is refused here, not later)."""
    if not isinstance(options, dict):
        return {}
    package = erp_package(erp.kind)
    return currency_accounts.options_problems(
        options,
        rule=package.code_rule(erp.config),
        default_pattern=package.default_options.get(
            currency_accounts.PATTERN_OPTION, currency_accounts.DEFAULT_PATTERN
        ),
    )


class IntegrationForm(forms.ModelForm):
    flows = forms.MultipleChoiceField(
        choices=Integration.Flow.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    new_signing_secret = forms.CharField(
        required=False,
        widget=forms.PasswordInput(render_value=False),
        help_text="Add a Stripe signing secret (whsec_…). Old secrets stay active "
        "until you untick them, so a secret can be rotated without downtime.",
    )

    business_timezone = forms.CharField(
        required=False,
        help_text="IANA time zone the ERP's business day is cut in (e.g. "
        "Africa/Johannesburg): every date sent to the ERP is this zone's day of "
        "the Stripe time. Blank: the portal's TIME_ZONE.",
    )
    closed_period = forms.ChoiceField(
        label="Posting into a closed ERP period",
        choices=[
            (periods.HOLD, "Hold the record with the reason"),
            (periods.MOVE, "Date it the first day of the next open period"),
        ],
        required=False,
        initial=periods.HOLD,
    )

    class Meta:
        model = Integration
        fields = [
            "name",
            "stripe_connection",
            "erp_connection",
            "is_active",
            "flows",
            "stripe_api_version",
            "options",
        ]

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        options = self.instance.options or {}
        self.fields["business_timezone"].initial = options.get(
            periods.TIMEZONE_OPTION, ""
        )
        self.fields["business_timezone"].widget.attrs["placeholder"] = (
            settings.TIME_ZONE
        )
        self.fields["closed_period"].initial = periods.closed_period_policy(options)

    def clean_business_timezone(self) -> str:
        value = self.cleaned_data["business_timezone"].strip()
        problem = periods.timezone_problem(value)
        if problem:
            raise forms.ValidationError(problem)
        return value

    def clean_new_signing_secret(self) -> str:
        value = self.cleaned_data["new_signing_secret"].strip()
        if value and not value.startswith("whsec_"):
            raise forms.ValidationError("A Stripe signing secret starts with whsec_.")
        return value

    def clean(self) -> dict:
        cleaned = super().clean()
        self._period_options(cleaned)
        erp = cleaned.get("erp_connection")
        if erp is not None:
            for message in precision.integration_options_errors(
                erp_kind=erp.kind, options=cleaned.get("options")
            ):
                self.add_error("options", message)
            for field, message in _currency_account_problems(
                erp, cleaned.get("options")
            ).items():
                self.add_error("options", f"{field}: {message}")
        if erp is not None and not self.errors:
            self._erp_settings_check(erp, cleaned.get("options") or {})
        return cleaned

    def _period_options(self, cleaned: dict) -> None:
        """The time zone and closed-period fields written into the options."""
        options = cleaned.get("options")
        if not isinstance(options, dict) or "business_timezone" not in cleaned:
            return
        options = dict(options)
        for key, value in (
            (periods.TIMEZONE_OPTION, cleaned.get("business_timezone")),
            (periods.CLOSED_PERIOD_OPTION, cleaned.get("closed_period")),
        ):
            if value:
                options[key] = value
            else:
                options.pop(key, None)
        cleaned["options"] = options

    def _erp_settings_check(self, erp, options: dict) -> None:
        """The options checked against the ERP itself where its package can
        (SYSPRO: GL accounts asked of SYSPRO, codes in its formats). An ERP
        that cannot be reached does not block the save: it is said after."""
        self.erp_unchecked = ""
        package = erp_package(erp.kind)
        if package.settings_problems is None:
            return
        problems = dict(package.settings_problems(options=options, connection=erp))
        self.erp_unchecked = problems.pop("connection", "")
        for field, message in problems.items():
            self.add_error("options", f"{field}: {message}")


@admin.register(Integration)
class IntegrationAdmin(admin.ModelAdmin):
    form = IntegrationForm
    list_display = ["name", "erp_connection", "is_active", "paused", "webhook_url"]
    list_filter = ["is_active", "erp_connection__kind"]
    list_select_related = ["erp_connection"]
    search_fields = ["name", "uuid"]
    readonly_fields = ["uuid", "webhook_url", "queue_paused_reason", "guided_setup"]
    inlines = [WebhookSecretInline]
    actions = ["resume_queue"]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "name",
                    "stripe_connection",
                    "erp_connection",
                    "is_active",
                    "flows",
                    "stripe_api_version",
                    "business_timezone",
                    "closed_period",
                    "new_signing_secret",
                    "uuid",
                    "webhook_url",
                    "queue_paused_reason",
                    "guided_setup",
                ]
            },
        ),
        (
            "Advanced: options as JSON",
            {
                "classes": ["collapse"],
                "description": "Bank, warehouse, terms, product classes and GL "
                "accounts are chosen in the guided setup; edit the JSON only "
                "for what it does not cover.",
                "fields": ["options"],
            },
        ),
    ]

    @admin.display(description="Guided setup")
    def guided_setup(self, obj: Integration) -> str:
        if not obj.pk:
            return format_html(
                '<a href="{}">Set up a new integration step by step</a>',
                reverse("onboarding:index"),
            )
        return format_html(
            '<a href="{}">Open this integration in the guided setup</a>',
            reverse("onboarding:integration", args=[obj.pk]),
        )

    @admin.display(description="Webhook URL")
    def webhook_url(self, obj: Integration) -> str:
        if not obj.pk:
            return "—"
        path = reverse("stripe-webhook", args=[obj.uuid])
        if not settings.PORTAL_PUBLIC_URL:
            return f"{path} (set PORTAL_PUBLIC_URL for the full address)"
        return settings.PORTAL_PUBLIC_URL.rstrip("/") + path

    @admin.display(boolean=True, description="Queue paused")
    def paused(self, obj: Integration) -> bool:
        return bool(obj.queue_paused_reason)

    def save_model(self, request, obj, form, change) -> None:
        super().save_model(request, obj, form, change)
        if getattr(form, "erp_unchecked", ""):
            messages.warning(
                request,
                f"Saved, but the options were not checked: {form.erp_unchecked}",
            )
        if not change:
            mapping_defaults_install(integration=obj)
        secret = form.cleaned_data.get("new_signing_secret")
        if secret:
            services.webhook_secret_add(
                integration=obj, secret=secret, actor=request.user
            )

    @admin.action(
        description="Resume the queue (credentials fixed)", permissions=["change"]
    )
    def resume_queue(self, request, queryset: QuerySet[Integration]) -> None:
        queued = sum(
            ledger.integration_resume(integration=i, actor=request.user)
            for i in queryset
        )
        self.message_user(request, f"Resumed; {queued} waiting records queued again.")


# Webhook events -------------------------------------------------------------


@admin.register(WebhookEvent)
class WebhookEventAdmin(ReadOnlyAdmin):
    list_display = [
        "stripe_id",
        "type",
        "integration",
        "status",
        "source",
        "received_at",
    ]
    list_filter = ["status", "type", "source", "integration", "received_at"]
    search_fields = ["stripe_id", "object_id"]
    date_hierarchy = "received_at"
    list_select_related = ["integration"]
    readonly_fields = [
        "integration",
        "stripe_id",
        "type",
        "api_version",
        "livemode",
        "stripe_created",
        "object_id",
        "source",
        "status",
        "error",
        "received_at",
        "processed_at",
        "headers",
        "pretty_body",
    ]
    exclude = ["body"]
    actions = ["reprocess"]

    @admin.display(description="Body")
    def pretty_body(self, obj: WebhookEvent) -> str:
        try:
            text = json.dumps(json.loads(obj.body), indent=2, sort_keys=True)
        except ValueError:
            text = obj.body
        return format_html('<pre class="lb-webhook-body">{}</pre>', text)

    @admin.action(description="Process again", permissions=["reprocess"])
    def reprocess(self, request, queryset: QuerySet[WebhookEvent]) -> None:
        count = sum(
            services.webhook_event_reprocess(event=e, actor=request.user)
            for e in queryset
        )
        self.message_user(request, f"{count} event(s) queued again.")

    def has_reprocess_permission(self, request) -> bool:
        return request.user.has_perm("integrations.reprocess_webhookevent")


@admin.register(RejectedDelivery)
class RejectedDeliveryAdmin(ReadOnlyAdmin):
    list_display = [
        "received_at",
        "status_code",
        "reason",
        "integration_uuid",
        "remote_addr",
        "body_bytes",
    ]
    list_filter = ["status_code", "received_at"]
    search_fields = ["integration_uuid", "reason"]


# The ledger -----------------------------------------------------------------


class SyncAttemptInline(admin.TabularInline):
    model = SyncAttempt
    extra = 0
    can_delete = False
    fields = [
        "number",
        "started_at",
        "duration_ms",
        "succeeded",
        "error_class",
        "error_message",
        "worker",
    ]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class PayloadEditForm(forms.Form):
    payload = forms.CharField(widget=forms.Textarea(attrs={"rows": 24, "cols": 100}))
    reason = forms.CharField(required=False, max_length=500)

    def clean_payload(self) -> dict:
        try:
            value = json.loads(self.cleaned_data["payload"])
        except ValueError as exc:
            raise forms.ValidationError(f"Not valid JSON: {exc}") from exc
        if not isinstance(value, dict):
            raise forms.ValidationError("The payload must be a JSON object.")
        return value


class PayloadDecisionForm(forms.Form):
    """Approve or reject a pending payload change; the button says which."""

    decision = forms.ChoiceField(
        choices=[("approve", "Approve"), ("reject", "Reject")],
        widget=forms.HiddenInput,
    )
    reason = forms.CharField(
        required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 3})
    )


class SkipForm(forms.Form):
    reason = forms.CharField(max_length=500, widget=forms.Textarea(attrs={"rows": 3}))


class ConfirmPostedForm(forms.Form):
    """One ERP reference per record, as a person read it in the ERP."""

    reason = forms.CharField(
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Where and how you found the documents (kept in the audit).",
    )

    def __init__(self, *args, records: list[SyncRecord], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.records = records
        for record in records:
            self.fields[self.field_name(record)] = forms.CharField(
                label=f"ERP reference of #{record.pk} {record}",
                max_length=ledger.ERP_REFERENCE_MAX_LENGTH,
                help_text="The document's number as the ERP shows it.",
            )

    @staticmethod
    def field_name(record: SyncRecord) -> str:
        return f"erp_reference_{record.pk}"

    def clean(self) -> dict:
        cleaned = super().clean()
        for record in self.records:
            name = self.field_name(record)
            if name in cleaned:
                try:
                    cleaned[name] = ledger.erp_reference_cleaned(cleaned[name])
                except ApplicationError as exc:
                    self.add_error(name, exc.message)
        return cleaned

    def rows(self) -> list[tuple[SyncRecord, str, forms.BoundField]]:
        """Each record, the payload it sent (as JSON) and its reference field."""
        return [
            (record, _json_text(record.payload), self[self.field_name(record)])
            for record in self.records
        ]


def _json_text(value) -> str:
    return json.dumps(value, indent=2, sort_keys=True)


class ReverseForm(forms.Form):
    reason = forms.CharField(
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Why the posting is reversed (kept in the audit).",
    )
    confirm = forms.BooleanField(
        label="Post the reversing document in the ERP",
        help_text="The original stays in the ledger and in the ERP; the "
        "reversal is a document of its own.",
    )


class PostAgainForm(forms.Form):
    reason = forms.CharField(
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="How you checked that the ERP has no such document (kept in "
        "the audit).",
    )


class ReversalFilter(admin.SimpleListFilter):
    title = "reversal"
    parameter_name = "reversal"

    def lookups(self, request, model_admin):
        return [
            ("reversed", "Reversed"),
            ("reversal", "Is a reversal"),
            ("neither", "Neither"),
        ]

    def queryset(self, request, queryset):
        if self.value() == "reversed":
            return queryset.filter(reversal__isnull=False)
        if self.value() == "reversal":
            return queryset.filter(reverses__isnull=False)
        if self.value() == "neither":
            return queryset.filter(reversal__isnull=True, reverses__isnull=True)
        return queryset


@admin.register(SyncRecord)
class SyncRecordAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "operation",
        "stripe_id",
        "amount_display",
        "status",
        "erp_reference",
        "attempts",
        "integration",
        "problem",
        "updated_at",
    ]
    list_filter = [
        "status",
        "operation",
        "integration",
        "error_class",
        ReversalFilter,
        "created_at",
    ]
    search_fields = ["stripe_id", "erp_reference", "idempotency_key"]
    date_hierarchy = "created_at"
    list_select_related = ["integration"]
    inlines = [SyncAttemptInline]
    actions = [
        "retry",
        "release",
        "skip",
        "confirm_posted",
        "post_again",
        "reverse_selected",
    ]
    readonly_fields = [
        "integration",
        "event",
        "operation",
        "idempotency_key",
        "stripe_id",
        "amount_display",
        "amount_minor",
        "status",
        "problem",
        "sent_request",
        "erp_reference",
        "attempts",
        "next_attempt_at",
        "lease_owner",
        "lease_expires_at",
        "mapping_version",
        "hold_reason",
        "hold_released",
        "payload_edited",
        "pending_payload_change",
        "dependencies",
        "pretty_source",
        "pretty_payload",
        "pretty_response",
        "created_at",
        "updated_at",
        "succeeded_at",
        "reversal_state",
    ]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "integration",
                    "operation",
                    "stripe_id",
                    "amount_display",
                    "amount_minor",
                    "status",
                    "problem",
                    "erp_reference",
                    "reversal_state",
                ]
            },
        ),
        (
            "Payload",
            {
                "fields": [
                    "pretty_payload",
                    "pending_payload_change",
                    "payload_edited",
                    "mapping_version",
                    "pretty_source",
                ]
            },
        ),
        ("Sent to the ERP", {"fields": ["sent_request"]}),
        ("ERP response", {"fields": ["pretty_response"]}),
        (
            "Processing",
            {
                "fields": [
                    "event",
                    "idempotency_key",
                    "dependencies",
                    "attempts",
                    "next_attempt_at",
                    "lease_owner",
                    "lease_expires_at",
                    "hold_reason",
                    "hold_released",
                    "created_at",
                    "updated_at",
                    "succeeded_at",
                ]
            },
        ),
    ]

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_urls(self):
        return [
            path(
                "<int:record_id>/edit-payload/",
                self.admin_site.admin_view(self.edit_payload_view),
                name="integrations_syncrecord_edit_payload",
            ),
            path(
                "<int:record_id>/reverse/",
                self.admin_site.admin_view(self.reverse_view),
                name="integrations_syncrecord_reverse",
            ),
            path(
                "<int:record_id>/payload-change/<int:change_id>/",
                self.admin_site.admin_view(self.payload_change_view),
                name="integrations_syncrecord_payload_change",
            ),
            *super().get_urls(),
        ]

    @admin.display(description="Amount", ordering="amount")
    def amount_display(self, obj: SyncRecord) -> str:
        if obj.amount is None:
            return ""
        return format_html(
            '<span class="nowrap">{}</span>', money_format(obj.amount, obj.currency)
        )

    @admin.display(description="Amount (minor units)")
    def amount_minor(self, obj: SyncRecord) -> str:
        if obj.amount is None:
            return ""
        return f"{obj.amount} {obj.currency.upper()}"

    @admin.display(description="Problem")
    def problem(self, obj: SyncRecord) -> str:
        if obj.status == SyncRecord.Status.HELD:
            return f"Held: {obj.hold_reason}"
        if obj.error_message and obj.status != SyncRecord.Status.SUCCEEDED:
            return obj.error_message
        return ""

    @admin.display(description="Depends on")
    def dependencies(self, obj: SyncRecord) -> str:
        return (
            ", ".join(
                f"#{d.pk} {d.get_operation_display()} ({d.status})"
                for d in obj.depends_on.all()
            )
            or "—"
        )

    def _pre(self, value) -> str:
        if value in (None, "", {}):
            return "—"
        return format_html(
            '<pre class="lb-payload">{}</pre>',
            json.dumps(value, indent=2, sort_keys=True),
        )

    @admin.display(description="Reversal")
    def reversal_state(self, obj: SyncRecord) -> str:
        """Which record reverses this one (and who asked), or which it reverses."""
        reversal = SyncRecord.objects.filter(reverses=obj).first() if obj.pk else None
        if reversal is not None:
            return format_html(
                "Reversed by <a href='{}'>#{}</a> ({}), asked by {} on {}",
                reverse("admin:integrations_syncrecord_change", args=[reversal.pk]),
                reversal.pk,
                reversal.get_status_display().lower(),
                reversal.requested_by_label,
                timezone.localtime(reversal.created_at).strftime("%Y-%m-%d %H:%M"),
            )
        if obj.reverses_id is not None:
            return format_html(
                "Reverses <a href='{}'>#{}</a>, asked by {}",
                reverse("admin:integrations_syncrecord_change", args=[obj.reverses_id]),
                obj.reverses_id,
                obj.requested_by_label,
            )
        return "—"

    def change_view(self, request, object_id, form_url="", extra_context=None):
        record = self.get_object(request, object_id)
        if (
            record is not None
            and record.status == SyncRecord.Status.SUCCEEDED
            and request.user.has_perm(ledger.REVERSE_PERMISSION)
            and not ledger.sync_record_reversal_refusal(record=record)
        ):
            extra_context = {
                **(extra_context or {}),
                "reverse_url": reverse(
                    "admin:integrations_syncrecord_reverse", args=[record.pk]
                ),
            }
        return super().change_view(request, object_id, form_url, extra_context)

    def reverse_view(self, request, record_id: int):
        """Confirm, with a reason, the reversal of one succeeded record."""
        if not request.user.has_perm(ledger.REVERSE_PERMISSION):
            raise PermissionDenied
        record = get_object_or_404(SyncRecord, pk=record_id)
        change_url = reverse("admin:integrations_syncrecord_change", args=[record.pk])
        refusal = ledger.sync_record_reversal_refusal(record=record)
        form = ReverseForm(request.POST or None)
        if request.method == "POST" and not refusal and form.is_valid():
            try:
                reversal, created = ledger.sync_record_reverse(
                    record=record,
                    actor=request.user,
                    reason=form.cleaned_data["reason"],
                )
            except ApplicationError as exc:
                refusal = exc.message
            else:
                self.message_user(
                    request,
                    f"Reversal #{reversal.pk} planned; it posts the reversing "
                    "document now."
                    if created
                    else f"Already reversed by #{reversal.pk}; nothing new planned.",
                    messages.SUCCESS if created else messages.WARNING,
                )
                return HttpResponseRedirect(
                    reverse("admin:integrations_syncrecord_change", args=[reversal.pk])
                )
        return TemplateResponse(
            request,
            "admin/integrations/syncrecord/reverse.html",
            {
                **self.admin_site.each_context(request),
                "title": f"Reverse {record}",
                "form": form,
                "record": record,
                "refusal": refusal,
                "opts": self.model._meta,
                "change_url": change_url,
            },
        )

    @admin.display(description="Canonical source")
    def pretty_source(self, obj: SyncRecord) -> str:
        return self._pre(obj.source)

    @admin.display(description="ERP payload")
    def pretty_payload(self, obj: SyncRecord) -> str:
        html = self._pre(obj.payload)
        if obj.pk and obj.status in ledger.RETRYABLE_BY_HAND + (
            SyncRecord.Status.HELD,
        ):
            url = reverse("admin:integrations_syncrecord_edit_payload", args=[obj.pk])
            return format_html(
                "{}<a class='button' href='{}'>Edit payload then retry</a>", html, url
            )
        return html

    @admin.display(description="Change waiting for approval")
    def pending_payload_change(self, obj: SyncRecord) -> str:
        change = (
            obj.payload_changes.filter(status=PayloadChange.Status.PENDING).first()
            if obj.pk
            else None
        )
        if change is None:
            return "—"
        url = reverse(
            "admin:integrations_syncrecord_payload_change", args=[obj.pk, change.pk]
        )
        return format_html(
            "{} proposed a change of {} on {}. "
            "<a class='button' href='{}'>Review: approve or reject</a>",
            change.proposed_by_label,
            ", ".join(change.protected_fields),
            timezone.localtime(change.created_at).strftime("%Y-%m-%d %H:%M"),
            url,
        )

    @admin.display(description="ERP response")
    def pretty_response(self, obj: SyncRecord) -> str:
        return self._pre(obj.response)

    @admin.display(description="Last request sent")
    def sent_request(self, obj: SyncRecord) -> str:
        """What the last attempt sent: for an unknown outcome, the document to
        look for in the ERP."""
        attempt = obj.attempt_log.order_by("-number", "-pk").first() if obj.pk else None
        return self._pre(attempt.request if attempt else None)

    def has_retry_permission(self, request) -> bool:
        return request.user.has_perm("integrations.retry_syncrecord")

    def has_skip_permission(self, request) -> bool:
        return request.user.has_perm("integrations.skip_syncrecord")

    def has_release_permission(self, request) -> bool:
        return request.user.has_perm("integrations.release_syncrecord")

    def has_settle_permission(self, request) -> bool:
        return request.user.has_perm(ledger.SETTLE_PERMISSION)

    def has_reverse_permission(self, request) -> bool:
        return request.user.has_perm(ledger.REVERSE_PERMISSION)

    @admin.action(
        description="Reverse selected records in the ERP (asks for a reason)",
        permissions=["reverse"],
    )
    def reverse_selected(self, request, queryset: QuerySet[SyncRecord]):
        records = list(queryset.order_by("pk"))
        refusals = {
            r.pk: ledger.sync_record_reversal_refusal(record=r) for r in records
        }
        form = ReverseForm(request.POST if "apply" in request.POST else None)
        if "apply" in request.POST and form.is_valid():
            done, refused = 0, []
            for record in records:
                if refusals[record.pk]:
                    continue
                try:
                    _, created = ledger.sync_record_reverse(
                        record=record,
                        actor=request.user,
                        reason=form.cleaned_data["reason"],
                    )
                except ApplicationError as exc:
                    refused.append(f"#{record.pk}: {exc.message}")
                else:
                    done += created
            skipped = sum(1 for reason in refusals.values() if reason)
            self.message_user(
                request,
                f"{done} reversal(s) planned; {skipped + len(refused)} record(s) "
                "not reversible." + (" " + " ".join(refused) if refused else ""),
                messages.WARNING if skipped or refused else messages.SUCCESS,
            )
            return None
        return self._settle_page(
            request,
            template="reverse_selected.html",
            title="Reverse ledger records in the ERP",
            context={
                "form": form,
                "records": [(r, refusals[r.pk]) for r in records],
            },
        )

    @admin.action(description="Retry selected records", permissions=["retry"])
    def retry(self, request, queryset: QuerySet[SyncRecord]) -> None:
        done = sum(
            ledger.sync_record_retry(record=r, actor=request.user) for r in queryset
        )
        skipped = queryset.count() - done
        self.message_user(
            request,
            f"{done} record(s) queued again; {skipped} were not in a retryable state.",
        )

    @admin.action(
        description="Release held records (post despite the anomaly)",
        permissions=["release"],
    )
    def release(self, request, queryset: QuerySet[SyncRecord]) -> None:
        done = sum(
            ledger.sync_record_release(record=r, actor=request.user) for r in queryset
        )
        self.message_user(request, f"{done} held record(s) released.")

    @admin.action(
        description="Skip selected records (asks for a reason)", permissions=["skip"]
    )
    def skip(self, request, queryset: QuerySet[SyncRecord]):
        if "reason" in request.POST:
            form = SkipForm(request.POST)
            if form.is_valid():
                done = sum(
                    ledger.sync_record_skip(
                        record=r, actor=request.user, reason=form.cleaned_data["reason"]
                    )
                    for r in queryset
                )
                self.message_user(request, f"{done} record(s) skipped.")
                return None
        else:
            form = SkipForm()
        return TemplateResponse(
            request,
            "admin/integrations/syncrecord/skip.html",
            {
                **self.admin_site.each_context(request),
                "title": "Skip ledger records",
                "form": form,
                "records": queryset,
                "opts": self.model._meta,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
            },
        )

    def _settle_page(self, request, *, template: str, title: str, context: dict):
        return TemplateResponse(
            request,
            f"admin/integrations/syncrecord/{template}",
            {
                **self.admin_site.each_context(request),
                "title": title,
                "opts": self.model._meta,
                "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
                **context,
            },
        )

    @admin.action(
        description="Unknown outcome: confirm posted (asks for the ERP reference)",
        permissions=["settle"],
    )
    def confirm_posted(self, request, queryset: QuerySet[SyncRecord]):
        records = list(
            queryset.filter(status=SyncRecord.Status.UNKNOWN_OUTCOME).order_by("pk")
        )
        if not records:
            self.message_user(
                request,
                "None of the selected records has an unknown outcome.",
                messages.WARNING,
            )
            return None
        if "apply" in request.POST:
            form = ConfirmPostedForm(request.POST, records=records)
            if form.is_valid():
                done = 0
                for record in records:
                    try:
                        done += ledger.sync_record_confirm_posted(
                            record=record,
                            actor=request.user,
                            erp_reference=form.cleaned_data[form.field_name(record)],
                            reason=form.cleaned_data["reason"],
                        )
                    except ApplicationError as exc:
                        form.add_error(form.field_name(record), exc.message)
                if not form.errors:
                    self.message_user(
                        request,
                        f"{done} record(s) confirmed posted; what waited on them "
                        "is queued.",
                    )
                    return None
                if done:
                    self.message_user(request, f"{done} record(s) confirmed posted.")
                form.records = [r for r in records if form.field_name(r) in form.errors]
        else:
            form = ConfirmPostedForm(records=records)
        return self._settle_page(
            request,
            template="confirm_posted.html",
            title="Confirm posted: records whose ERP outcome is unknown",
            context={"form": form},
        )

    @admin.action(
        description="Unknown outcome: post again (asks why)", permissions=["settle"]
    )
    def post_again(self, request, queryset: QuerySet[SyncRecord]):
        records = list(
            queryset.filter(status=SyncRecord.Status.UNKNOWN_OUTCOME).order_by("pk")
        )
        if not records:
            self.message_user(
                request,
                "None of the selected records has an unknown outcome.",
                messages.WARNING,
            )
            return None
        if "apply" in request.POST:
            form = PostAgainForm(request.POST)
            if form.is_valid():
                done = sum(
                    ledger.sync_record_post_again(
                        record=r, actor=request.user, reason=form.cleaned_data["reason"]
                    )
                    for r in records
                )
                self.message_user(request, f"{done} record(s) queued to post again.")
                return None
        else:
            form = PostAgainForm()
        return self._settle_page(
            request,
            template="post_again.html",
            title="Post again: records whose ERP outcome is unknown",
            context={
                "form": form,
                "records": [(r, _json_text(r.payload)) for r in records],
            },
        )

    def edit_payload_view(self, request, record_id: int):
        if not request.user.has_perm("integrations.edit_payload_syncrecord"):
            raise PermissionDenied
        record = get_object_or_404(SyncRecord, pk=record_id)
        change_url = reverse("admin:integrations_syncrecord_change", args=[record.pk])
        if request.method == "POST":
            form = PayloadEditForm(request.POST)
            if form.is_valid():
                try:
                    change = ledger.sync_record_edit_payload(
                        record=record,
                        actor=request.user,
                        payload=form.cleaned_data["payload"],
                        reason=form.cleaned_data["reason"],
                    )
                except ApplicationError as exc:
                    form.add_error("payload", exc.message)
                else:
                    if change is None:
                        self.message_user(
                            request, "Payload saved; the record is queued again."
                        )
                    else:
                        self.message_user(
                            request,
                            "The edit changes "
                            f"{', '.join(change.protected_fields)}: it waits for "
                            "another person's approval and is not applied yet.",
                            messages.WARNING,
                        )
                    return HttpResponseRedirect(change_url)
        else:
            form = PayloadEditForm(
                initial={
                    "payload": json.dumps(
                        record.payload or {}, indent=2, sort_keys=True
                    )
                }
            )
        return TemplateResponse(
            request,
            "admin/integrations/syncrecord/edit_payload.html",
            {
                **self.admin_site.each_context(request),
                "title": f"Edit payload of {record}",
                "form": form,
                "record": record,
                "opts": self.model._meta,
                "change_url": change_url,
            },
        )

    def payload_change_view(self, request, record_id: int, change_id: int):
        user = request.user
        if not (
            user.has_perm(ledger.APPROVE_PAYLOAD_PERMISSION)
            or user.has_perm("integrations.edit_payload_syncrecord")
        ):
            raise PermissionDenied
        change = get_object_or_404(
            PayloadChange.objects.select_related("record"),
            pk=change_id,
            record_id=record_id,
        )
        change_url = reverse("admin:integrations_syncrecord_change", args=[record_id])
        if request.method == "POST":
            form = PayloadDecisionForm(request.POST)
            if form.is_valid():
                decide = (
                    ledger.sync_record_payload_change_approve
                    if form.cleaned_data["decision"] == "approve"
                    else ledger.sync_record_payload_change_reject
                )
                try:
                    change = decide(
                        change=change, actor=user, reason=form.cleaned_data["reason"]
                    )
                except ApplicationError as exc:
                    self.message_user(request, exc.message, messages.ERROR)
                else:
                    self.message_user(
                        request,
                        f"Change {change.get_status_display().lower()}"
                        + (
                            "; the record is queued again."
                            if change.status == PayloadChange.Status.APPROVED
                            else "."
                        ),
                    )
                    return HttpResponseRedirect(change_url)
        else:
            form = PayloadDecisionForm()
        proposer = (
            change.proposed_by_id is not None and change.proposed_by_id == user.pk
        )
        return TemplateResponse(
            request,
            "admin/integrations/syncrecord/payload_change.html",
            {
                **self.admin_site.each_context(request),
                "title": f"Payload change #{change.pk} of {change.record}",
                "form": form,
                "change": change,
                "record": change.record,
                "opts": self.model._meta,
                "change_url": change_url,
                "current": json.dumps(change.base_payload, indent=2, sort_keys=True),
                "proposed": json.dumps(change.payload, indent=2, sort_keys=True),
                "pending": change.status == PayloadChange.Status.PENDING,
                "can_approve": user.has_perm(ledger.APPROVE_PAYLOAD_PERMISSION)
                and not proposer,
                "can_reject": user.has_perm(ledger.APPROVE_PAYLOAD_PERMISSION)
                or proposer,
                "proposer": proposer,
            },
        )


@admin.register(PayloadChange)
class PayloadChangeAdmin(ReadOnlyAdmin):
    """Hand edits of money, customer or reference, and who decided them."""

    list_display = [
        "created_at",
        "record",
        "status",
        "proposed_by_label",
        "changed_fields",
        "decided_by_label",
        "decided_at",
        "review",
    ]
    list_filter = ["status", "created_at"]
    search_fields = ["record__stripe_id", "proposed_by_label", "decided_by_label"]
    list_select_related = ["record"]

    @admin.display(description="Protected fields changed")
    def changed_fields(self, obj: PayloadChange) -> str:
        return ", ".join(obj.protected_fields)

    @admin.display(description="Review")
    def review(self, obj: PayloadChange) -> str:
        url = reverse(
            "admin:integrations_syncrecord_payload_change",
            args=[obj.record_id, obj.pk],
        )
        return format_html("<a href='{}'>Open</a>", url)


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = [
        "created_at",
        "actor_label",
        "action",
        "target_type",
        "target_id",
        "reason",
    ]
    list_filter = ["action", "target_type", "created_at"]
    search_fields = ["target_id", "actor_label", "reason"]
    list_select_related = ["actor"]


@admin.register(CustomerLink)
class CustomerLinkAdmin(admin.ModelAdmin):
    list_display = [
        "stripe_customer_id",
        "currency",
        "erp_customer_code",
        "erp_currency",
        "integration",
        "created_at",
    ]
    list_filter = ["integration", "currency"]
    search_fields = ["stripe_customer_id", "erp_customer_code"]
    list_select_related = ["integration"]


@admin.register(Alert)
class AlertAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "level",
        "code",
        "message",
        "integration",
        "acknowledged_at",
        "acknowledged_by",
        "resolved_at",
    ]
    list_filter = ["level", "code", "acknowledged_at", "resolved_at", "integration"]
    search_fields = ["message"]
    list_select_related = ["integration", "acknowledged_by"]
    readonly_fields = [
        "integration",
        "level",
        "code",
        "message",
        "dedupe_key",
        "created_at",
        "acknowledged_at",
        "acknowledged_by",
        "resolved_at",
    ]
    actions = ["acknowledge", "resolve"]

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description="Acknowledge (I am on it)", permissions=["change"])
    def acknowledge(self, request, queryset: QuerySet[Alert]) -> None:
        count = sum(
            audit.alert_acknowledge(alert=alert, actor=request.user)
            for alert in queryset
        )
        self.message_user(request, f"{count} alert(s) acknowledged.", messages.SUCCESS)

    @admin.action(description="Mark resolved", permissions=["change"])
    def resolve(self, request, queryset: QuerySet[Alert]) -> None:
        count = sum(
            audit.alert_resolve(alert=alert, actor=request.user) for alert in queryset
        )
        self.message_user(request, f"{count} alert(s) resolved.", messages.SUCCESS)
