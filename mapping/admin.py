"""Admin for mappings: versions with inline fields, preview, suggestions, policies."""

import json
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from integrations.models import Integration, WebhookEvent
from integrations.workflows.router import event_sources
from portal.exceptions import ApplicationError

from . import customer_matching, services
from .calibration import abstention_threshold
from .models import AnomalyPolicy, FieldMapping, MappingSet, SuggestionFeedback
from .samples import sample_sources
from .schemas import schema_for
from .transforms import REGISTRY


def _pretty(value: Any) -> str:
    return json.dumps(value, indent=2, sort_keys=False, default=str)


class FieldMappingFormSet(BaseInlineFormSet):
    """Check the whole set against the ERP schema before anything is saved."""

    def clean(self) -> None:
        super().clean()
        parent = self.instance
        if not parent.integration_id or not parent.entity:
            return
        specs = []
        for form in self.forms:
            data = getattr(form, "cleaned_data", None)
            if not data or data.get("DELETE") or not data.get("target"):
                continue
            specs.append(
                {
                    "target": data["target"],
                    "source": data.get("source_path") or "",
                    "transforms": data.get("transforms") or [],
                    "default": data.get("default"),
                    "condition": data.get("condition"),
                    "required": data.get("required", False),
                }
            )
        problems = services.mapping_fields_problems(
            erp=parent.integration.erp_kind, entity=parent.entity, fields=specs
        )
        if problems:
            raise ValidationError(problems)


class FieldMappingForm(forms.ModelForm):
    class Meta:
        model = FieldMapping
        fields = [
            "position",
            "target",
            "source_path",
            "transforms",
            "default",
            "condition",
            "required",
        ]

    def clean_transforms(self) -> list:
        # An empty cell means "no transforms", stored as an empty pipeline.
        return self.cleaned_data.get("transforms") or []


class FieldMappingInline(admin.TabularInline):
    model = FieldMapping
    form = FieldMappingForm
    formset = FieldMappingFormSet
    extra = 0
    fields = [
        "position",
        "target",
        "source_path",
        "transforms",
        "default",
        "condition",
        "required",
        "suggestion",
    ]
    readonly_fields = ["suggestion"]
    formfield_overrides = {
        FieldMapping._meta.get_field("transforms").__class__: {
            "widget": forms.Textarea(attrs={"rows": 2, "cols": 48})
        },
    }

    @admin.display(description="Suggested")
    def suggestion(self, obj: FieldMapping) -> str:
        if obj.suggestion_confidence is None:
            return "—"
        threshold = abstention_threshold()
        below = obj.suggestion_confidence < threshold
        return format_html(
            "{}% · {} · {} the {}% abstention threshold",
            round(obj.suggestion_confidence * 100),
            obj.suggestion_reason,
            "under" if below else "over",
            round(threshold * 100),
        )


@admin.register(MappingSet)
class MappingSetAdmin(admin.ModelAdmin):
    list_display = [
        "integration",
        "entity",
        "version",
        "is_active",
        "note",
        "updated_at",
    ]
    list_filter = ["entity", "is_active", "integration"]
    list_select_related = ["integration"]
    search_fields = ["integration__name", "note"]
    readonly_fields = ["version", "is_active", "based_on", "created_at", "updated_at"]
    inlines = [FieldMappingInline]
    actions = ["activate", "suggest_drafts"]
    change_form_template = "admin/mapping/mappingset/change_form.html"
    change_list_template = "admin/mapping/mappingset/change_list.html"

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            fields += ["integration", "entity"]
        return fields

    def save_model(self, request, obj: MappingSet, form, change: bool) -> None:
        if not change:
            obj.version = services._next_version(
                integration=obj.integration, entity=obj.entity
            )
            obj.is_active = False
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change: bool) -> None:
        obj = form.instance
        edited = form.has_changed() or any(fs.has_changed() for fs in formsets)
        if change and obj.is_active and edited:
            # Records mapped with the active version keep pointing at exactly
            # what they were mapped with: its content moves to an archive row.
            archive = services.mapping_set_archive(mapping_set=obj)
            self.message_user(
                request,
                f"Saved as version {obj.version} (active); the previous content "
                f"is kept as version {archive.version}.",
            )
        super().save_related(request, form, formsets, change)
        services.mapping_set_touch(mapping_set=obj)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        extra_context = {
            **(extra_context or {}),
            "transforms": sorted(REGISTRY.values(), key=lambda t: t.name),
        }
        if object_id:
            obj = self.get_object(request, object_id)
            if obj is not None:
                extra_context["schema"] = schema_for(
                    erp=obj.integration.erp_kind, entity=obj.entity
                )
        return super().changeform_view(request, object_id, form_url, extra_context)

    @admin.action(description="Activate the selected versions", permissions=["change"])
    def activate(self, request, queryset: QuerySet[MappingSet]) -> None:
        done = 0
        for mapping_set in queryset.select_related("integration"):
            try:
                services.mapping_set_activate(
                    mapping_set=mapping_set, actor=request.user
                )
            except ApplicationError as exc:
                self.message_user(
                    request, f"{mapping_set}: {exc.message}", level=messages.ERROR
                )
            else:
                done += 1
        self.message_user(request, f"{done} version(s) active.")

    @admin.action(description="Suggest a draft for these entities", permissions=["add"])
    def suggest_drafts(self, request, queryset: QuerySet[MappingSet]) -> None:
        seen = set()
        for mapping_set in queryset.select_related("integration"):
            key = (mapping_set.integration_id, mapping_set.entity)
            if key in seen:
                continue
            seen.add(key)
            services.mapping_set_suggest_draft(
                integration=mapping_set.integration, entity=mapping_set.entity
            )
        self.message_user(
            request, f"{len(seen)} suggested draft(s) created, inactive, for review."
        )

    def get_urls(self):
        wrap = self.admin_site.admin_view
        return [
            path(
                "<int:pk>/preview/",
                wrap(self.preview_view),
                name="mapping_mappingset_preview",
            ),
            path(
                "<int:pk>/suggest/",
                wrap(self.suggest_view),
                name="mapping_mappingset_suggest",
            ),
            path(
                "install-defaults/",
                wrap(self.install_defaults_view),
                name="mapping_mappingset_install_defaults",
            ),
            path(
                "transforms/",
                wrap(self.transforms_view),
                name="mapping_mappingset_transforms",
            ),
            path(
                "customer-matching/",
                wrap(self.customer_matching_view),
                name="mapping_mappingset_customer_matching",
            ),
            *super().get_urls(),
        ]

    def suggest_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        if request.method != "POST" or not self.has_add_permission(request):
            raise PermissionDenied
        mapping_set = get_object_or_404(MappingSet, pk=pk)
        draft = services.mapping_set_suggest_draft(
            integration=mapping_set.integration, entity=mapping_set.entity
        )
        self.message_user(
            request,
            f"Suggested draft version {draft.version} created. It is inactive: "
            "review each field, then activate it.",
        )
        return HttpResponseRedirect(
            reverse("admin:mapping_mappingset_change", args=[draft.pk])
        )

    def install_defaults_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_add_permission(request):
            raise PermissionDenied
        if request.method == "POST":
            integration = get_object_or_404(
                Integration, pk=request.POST.get("integration") or 0
            )
            installed = services.mapping_defaults_install(integration=integration)
            self.message_user(
                request,
                f"{len(installed)} default mapping set(s) installed for "
                f"{integration}; entities that already had one were left alone.",
            )
            return HttpResponseRedirect(
                reverse("admin:mapping_mappingset_changelist")
                + f"?integration__id__exact={integration.pk}"
            )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Install the default mapping templates",
            "integrations": Integration.objects.select_related("erp_connection"),
        }
        return TemplateResponse(request, "admin/mapping/install_defaults.html", context)

    def customer_matching_view(self, request: HttpRequest) -> HttpResponse:
        """Go-live: propose ERP ↔ Stripe customer matches; accepted ones are linked."""
        if not request.user.has_perm("integrations.add_customerlink"):
            raise PermissionDenied
        integrations = Integration.objects.select_related("erp_connection")
        chosen = request.POST.get("integration") or request.GET.get("integration")
        integration = (
            get_object_or_404(integrations, pk=chosen)
            if chosen and str(chosen).isdigit()
            else None
        )
        if request.method == "POST" and integration is not None:
            try:
                pairs = customer_matching.parse_accepted(request.POST.getlist("match"))
                created, skipped = customer_matching.customer_matches_accept(
                    integration=integration, pairs=pairs, actor=request.user
                )
            except ApplicationError as exc:
                self.message_user(request, exc.message, messages.ERROR)
            else:
                self.message_user(
                    request, f"{created} customer link(s) created for {integration}."
                )
                for note in skipped:
                    self.message_user(request, note, messages.WARNING)
            return HttpResponseRedirect(
                reverse("admin:mapping_mappingset_customer_matching")
                + f"?integration={integration.pk}"
            )
        codes_text = request.GET.get("codes", "")
        proposal, error = None, ""
        if integration is not None and request.GET.get("run"):
            try:
                proposal = customer_matching.customer_match_proposal(
                    integration=integration,
                    erp_customers=customer_matching.erp_customers_list(
                        integration=integration, codes=codes_text.splitlines()
                    ),
                    stripe_customers=customer_matching.stripe_customers_list(
                        integration=integration
                    ),
                )
            except ApplicationError as exc:
                error = exc.message
            except Exception as exc:  # noqa: BLE001 - a connector failure, shown
                error = f"Could not read the customers: {exc}"
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Match ERP customers with Stripe customers",
            "integrations": integrations,
            "integration": integration,
            "codes": codes_text,
            "needs_codes": integration is not None
            and integration.erp_kind in customer_matching.NEEDS_CODES,
            "proposal": proposal,
            "error": error,
        }
        return TemplateResponse(
            request, "admin/mapping/customer_matching.html", context
        )

    def transforms_view(self, request: HttpRequest) -> HttpResponse:
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": "Transform reference",
            "transforms": sorted(REGISTRY.values(), key=lambda t: t.name),
        }
        return TemplateResponse(request, "admin/mapping/transforms.html", context)

    def preview_view(self, request: HttpRequest, pk: int) -> HttpResponse:
        mapping_set = get_object_or_404(
            MappingSet.objects.select_related("integration"), pk=pk
        )
        if not self.has_view_permission(request, mapping_set):
            raise PermissionDenied
        events = WebhookEvent.objects.filter(
            integration=mapping_set.integration
        ).order_by("-received_at")[:50]
        fixtures = sample_sources()
        chosen_event = request.GET.get("event", "")
        chosen_fixture = request.GET.get("fixture", "")
        previews: list[dict] = []
        stripe_object = None
        error = ""
        if chosen_event:
            event = (
                WebhookEvent.objects.filter(
                    integration=mapping_set.integration, pk=int(chosen_event)
                ).first()
                if chosen_event.isdecimal() and len(chosen_event) < 19
                else None
            )
            if event is None:
                error = "No such event for this integration."
            else:
                try:
                    sources = event_sources(event=event, entity=mapping_set.entity)
                except Exception as exc:  # noqa: BLE001 - shown, not raised
                    sources = []
                    error = f"Could not plan this event: {exc}"
                if not sources and not error:
                    error = f"This event produces no {mapping_set.entity} record."
                previews = [
                    services.mapping_preview(mapping_set=mapping_set, source=s)
                    for s in sources
                ]
                try:
                    stripe_object = json.loads(event.body)["data"]["object"]
                except (ValueError, KeyError, TypeError):
                    stripe_object = None
        elif chosen_fixture:
            source = fixtures.get(chosen_fixture)
            if source is None:
                error = "Unknown fixture."
            else:
                previews = [
                    services.mapping_preview(mapping_set=mapping_set, source=source)
                ]
        try:
            limit = max(0, min(int(request.GET.get("replay", "0") or 0), 200))
        except ValueError:
            limit = 0
        replay = (
            services.mapping_dry_run(mapping_set=mapping_set, limit=limit)
            if limit
            else []
        )
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": mapping_set,
            "title": f"Preview {mapping_set}",
            "events": events,
            "fixtures": sorted(fixtures),
            "chosen_event": chosen_event,
            "chosen_fixture": chosen_fixture,
            "previews": [
                {
                    **p,
                    "source_json": _pretty(p["source"]),
                    "payload_json": _pretty(p["payload"]),
                }
                for p in previews
            ],
            "error": error,
            "stripe_json": _pretty(stripe_object) if stripe_object else "",
            "replay": replay,
            "replay_limit": limit,
            "replay_changed": sum(1 for row in replay if row["changes"]),
        }
        return TemplateResponse(request, "admin/mapping/preview.html", context)


@admin.register(AnomalyPolicy)
class AnomalyPolicyAdmin(admin.ModelAdmin):
    list_display = [
        "integration",
        "enabled",
        "amount_outlier",
        "duplicate_charge",
        "refund_excess",
        "currency_mismatch",
        "updated_at",
    ]
    list_filter = ["enabled"]
    list_select_related = ["integration"]
    fieldsets = [
        (None, {"fields": ["integration", "enabled"]}),
        (
            "Amount far outside the customer's history",
            {"fields": ["amount_outlier", "outlier_threshold"]},
        ),
        (
            "Likely duplicate charge",
            {"fields": ["duplicate_charge", "duplicate_window_minutes"]},
        ),
        ("Refunds and currency", {"fields": ["refund_excess", "currency_mismatch"]}),
    ]


@admin.register(SuggestionFeedback)
class SuggestionFeedbackAdmin(admin.ModelAdmin):
    list_display = ["erp", "entity", "target", "source_path", "accepted", "rejected"]
    list_filter = ["erp", "entity"]
    search_fields = ["target", "source_path"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
