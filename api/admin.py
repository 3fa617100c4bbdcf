"""API tokens in the admin: each person creates their own, sees it once, revokes it."""

from datetime import timedelta

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.template.response import TemplateResponse
from django.utils import timezone

from portal.exceptions import ApplicationError

from . import services
from .models import ApiToken
from .scopes import scopes_allowed_for


class ApiTokenCreateForm(forms.ModelForm):
    expires_in_days = forms.IntegerField(
        min_value=1,
        max_value=services.TOKEN_MAX_DAYS,
        initial=services.TOKEN_DEFAULT_DAYS,
        help_text=f"At most {services.TOKEN_MAX_DAYS} days.",
    )

    class Meta:
        model = ApiToken
        fields = ["name", "scope"]

    def __init__(self, *args, user=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        allowed = scopes_allowed_for(user=user) if user is not None else []
        self.fields["scope"].choices = [
            (value, label)
            for value, label in ApiToken.Scope.choices
            if value in allowed
        ]
        self.fields["scope"].help_text = (
            "Read: look only. Operate: also retry, skip, edit payloads, release, "
            "reprocess, resolve alerts. Admin: also resume integrations "
            "(Integration admins only). A token never does more than you may."
        )


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "prefix",
        "user",
        "scope",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    ]
    list_filter = ["scope", "revoked_at", "expires_at"]
    search_fields = ["name", "prefix", "user__username"]
    list_select_related = ["user"]
    readonly_fields = [
        "user",
        "name",
        "scope",
        "prefix",
        "created_at",
        "expires_at",
        "last_used_at",
        "revoked_at",
    ]
    actions = ["revoke"]

    # Every staff member manages their own tokens, whatever their role: the
    # token's scope is capped by that role when it is created and used.
    def has_module_permission(self, request) -> bool:
        return request.user.is_active and request.user.is_staff

    def has_view_permission(self, request, obj=None) -> bool:
        return self.has_module_permission(request) and (
            obj is None or obj.user_id == request.user.pk or request.user.is_superuser
        )

    has_change_permission = has_view_permission

    def has_add_permission(self, request) -> bool:
        return bool(scopes_allowed_for(user=request.user))

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_queryset(self, request) -> QuerySet[ApiToken]:
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(user=request.user)

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is not None:
            return super().get_form(request, obj, change=change, **kwargs)
        form = ApiTokenCreateForm

        class BoundForm(form):
            def __init__(self, *args, **inner) -> None:
                super().__init__(*args, user=request.user, **inner)

        return BoundForm

    def get_readonly_fields(self, request, obj=None) -> list[str]:
        return self.readonly_fields if obj is not None else []

    def get_fields(self, request, obj=None) -> list[str]:
        if obj is None:
            return ["name", "scope", "expires_in_days"]
        return self.readonly_fields

    def save_model(self, request, obj, form, change) -> None:
        if change:
            return
        token, raw = services.api_token_create(
            user=request.user,
            name=form.cleaned_data["name"],
            scope=form.cleaned_data["scope"],
            expires_at=timezone.now()
            + timedelta(days=form.cleaned_data["expires_in_days"]),
        )
        obj.pk = token.pk
        request.api_token_shown_once = (token, raw)

    def response_add(self, request, obj, post_url_continue=None):
        token, raw = request.api_token_shown_once
        return TemplateResponse(
            request,
            "api/token_created.html",
            {
                **self.admin_site.each_context(request),
                "title": "API token created",
                "token": token,
                "raw": raw,
                "opts": self.model._meta,
            },
        )

    def add_view(self, request, form_url="", extra_context=None):
        try:
            return super().add_view(request, form_url, extra_context)
        except ApplicationError as exc:
            self.message_user(request, exc.message, messages.ERROR)
            return super().add_view(request, form_url, extra_context)

    @admin.action(description="Revoke selected tokens", permissions=["change"])
    def revoke(self, request, queryset: QuerySet[ApiToken]) -> None:
        count = sum(
            services.api_token_revoke(token=token, actor=request.user)
            for token in self.get_queryset(request).filter(pk__in=queryset.values("pk"))
        )
        self.message_user(request, f"{count} token(s) revoked.", messages.SUCCESS)
