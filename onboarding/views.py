"""The guided setup's pages, inside the admin site (its login, two-factor
check and look): parse the form, call one service, render.

Only people who may add and change integrations and connections (the
Integration admins role, integrations/roles.py) get past `_require_admin`.
"""

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from integrations.connectors import stripe_api
from integrations.erps.registry import ERPS
from integrations.models import Integration
from portal.exceptions import ApplicationError

from . import forms, selectors, services
from .models import SetupDraft

REQUIRED_PERMISSIONS = (
    "integrations.add_integration",
    "integrations.change_integration",
    "integrations.add_connection",
    "integrations.change_connection",
)


def may_set_up(user) -> bool:
    return bool(
        user.is_active and user.is_staff and user.has_perms(REQUIRED_PERMISSIONS)
    )


def _require_admin(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    def checked(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not may_set_up(request.user):
            raise PermissionDenied("The guided setup is for integration admins.")
        return view(request, *args, **kwargs)

    # Inside the admin site: its login, two-factor check, never cached.
    return admin.site.admin_view(checked)


def _public_url(request: HttpRequest) -> str:
    """Where Stripe reaches this portal: PORTAL_PUBLIC_URL, else the address
    the person is using."""
    return settings.PORTAL_PUBLIC_URL or request.build_absolute_uri("/")


def _sandbox_urls(request: HttpRequest) -> dict[str, str]:
    """Where the built-in sandboxes answer, for a demo (never in production)."""
    if not settings.SANDBOX_ENABLED:
        return {}
    root = request.build_absolute_uri("/sandbox/")
    return {
        "stripe": f"{root}stripe",
        "syspro": f"{root}syspro/SYSPROWCFService/Rest",
        "sagepro": f"{root}sagepro/api/v1",
    }


def _context(request: HttpRequest, draft: SetupDraft | None, **more) -> dict:
    steps = []
    if draft is not None:
        done = {
            SetupDraft.Step.STRIPE: draft.stripe_done,
            SetupDraft.Step.ERP: draft.erp_done,
            SetupDraft.Step.OPTIONS: draft.options_done,
            SetupDraft.Step.GO_LIVE: draft.live_at is not None,
        }
        steps = [
            {
                "key": step.value,
                "label": step.label,
                "done": done[step],
                "url": reverse(f"onboarding:{step.value}", args=[draft.pk]),
            }
            for step in SetupDraft.Step
        ]
    return {
        **admin.site.each_context(request),
        "title": "Guided setup",
        "subtitle": draft.name if draft else "",
        "draft": draft,
        "steps": steps,
        "sandbox_urls": _sandbox_urls(request),
        **more,
    }


def _draft(pk: int) -> SetupDraft:
    return get_object_or_404(selectors.setup_drafts(), pk=pk)


@_require_admin
@require_http_methods(["GET", "POST"])
def setup_index(request: HttpRequest) -> HttpResponse:
    form = forms.StartForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            draft = services.setup_draft_start(
                name=form.cleaned_data["name"], actor=request.user
            )
        except ApplicationError as exc:
            form.add_error("name", exc.message)
        else:
            return redirect("onboarding:stripe", draft.pk)
    return TemplateResponse(
        request,
        "onboarding/index.html",
        _context(
            request,
            None,
            form=form,
            drafts=selectors.setup_drafts(),
            integrations=selectors.integrations_without_setup(),
        ),
    )


@_require_admin
@require_http_methods(["GET"])
def setup_integration(request: HttpRequest, integration_pk: int) -> HttpResponse:
    """The setup of an existing integration (linked from its admin page)."""
    integration = get_object_or_404(Integration, pk=integration_pk)
    draft = services.setup_draft_for_integration(
        integration=integration, actor=request.user
    )
    return redirect(draft)


@_require_admin
@require_http_methods(["GET", "POST"])
def step_stripe(request: HttpRequest, pk: int) -> HttpResponse:
    draft = _draft(pk)
    initial = (
        {"base_url": draft.stripe_connection.base_url}
        if draft.stripe_connection
        else {}
    )
    form = forms.StripeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.stripe_connect(
                draft=draft,
                api_key=form.cleaned_data["api_key"],
                base_url=form.cleaned_data["base_url"],
                public_url=_public_url(request),
                actor=request.user,
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request, "Stripe is connected and the webhook endpoint registered."
            )
            return redirect("onboarding:stripe", draft.pk)
    key_stored = bool(
        draft.stripe_connection
        and (draft.stripe_connection.secrets or {}).get("api_key")
    )
    return TemplateResponse(
        request,
        "onboarding/stripe.html",
        _context(
            request,
            draft,
            form=form,
            key_stored=key_stored,
            pinned_api_version=stripe_api.API_VERSION,
            step="stripe",
        ),
    )


@_require_admin
@require_http_methods(["GET", "POST"])
def step_erp(request: HttpRequest, pk: int) -> HttpResponse:
    draft = _draft(pk)
    connection = draft.erp_connection
    kind = (
        request.POST.get("kind")
        or request.GET.get("kind")
        or (connection.kind if connection else next(iter(ERPS)))
    )
    if kind not in ERPS:
        kind = next(iter(ERPS))
    same_kind = connection is not None and connection.kind == kind
    initial = (
        {"base_url": connection.base_url, **(connection.config or {})}
        if same_kind
        else {}
    )
    stored = tuple((connection.secrets or {}) if same_kind else ())
    form = forms.ErpForm(
        request.POST or None, kind=kind, stored_secrets=stored, initial=initial
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.erp_connect(
                draft=draft,
                kind=kind,
                base_url=form.cleaned_data["base_url"],
                config=form.values(secret=False),
                secrets=form.values(secret=True),
                actor=request.user,
            )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"{ERPS[kind].label} logon works.")
            return redirect("onboarding:erp", draft.pk)
    return TemplateResponse(
        request,
        "onboarding/erp.html",
        _context(
            request,
            draft,
            form=form,
            kind=kind,
            kinds=[(k, p.label) for k, p in ERPS.items()],
            step="erp",
        ),
    )


@_require_admin
@require_http_methods(["GET", "POST"])
def step_options(request: HttpRequest, pk: int) -> HttpResponse:
    draft = _draft(pk)
    if not draft.erp_done:
        messages.warning(request, "Connect the ERP first.")
        return redirect("onboarding:erp", draft.pk)
    specs = selectors.option_specs_for(draft)
    initial = selectors.option_values(draft)
    form = forms.OptionsForm(request.POST or None, specs=specs, initial=initial)
    currency_form = forms.CurrencyOptionsForm(request.POST or None, initial=initial)
    period_form = forms.PeriodOptionsForm(request.POST or None, initial=initial)
    if (
        request.method == "POST"
        and form.is_valid()
        and currency_form.is_valid()
        and period_form.is_valid()
    ):
        try:
            services.integration_options_set(
                draft=draft,
                values={
                    **form.cleaned_data,
                    **currency_form.cleaned_data,
                    **period_form.cleaned_data,
                },
                actor=request.user,
            )
        except services.OptionProblems as exc:
            for key, problem in exc.problems.items():
                target = form if key in form.fields else currency_form
                if key in target.fields:
                    target.add_error(key, problem)
                else:
                    form.add_error(None, f"{key}: {problem}")
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, "Saved into the integration's options.")
            if draft.options_unchecked:
                messages.warning(request, draft.options_unchecked)
            return redirect("onboarding:go_live", draft.pk)
    return TemplateResponse(
        request,
        "onboarding/options.html",
        _context(
            request,
            draft,
            form=form,
            currency_form=currency_form,
            period_form=period_form,
            step="options",
        ),
    )


@_require_admin
@require_http_methods(["GET", "POST"])
def step_go_live(request: HttpRequest, pk: int) -> HttpResponse:
    draft = _draft(pk)
    if not draft.options_done:
        messages.warning(request, "Choose the bank, warehouse and GL accounts first.")
        return redirect("onboarding:options", draft.pk)
    initial = {
        "flows": draft.flows or list(draft.integration.flows) or ["charges"],
        "days": (draft.dry_run or {}).get("days", 7),
    }
    form = forms.GoLiveForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        flows = form.cleaned_data["flows"]
        try:
            if "go_live" in request.POST:
                services.setup_go_live(
                    draft=draft,
                    flows=flows,
                    public_url=_public_url(request),
                    actor=request.user,
                )
                messages.success(request, f"{draft.name} is live.")
            else:
                services.setup_dry_run(
                    draft=draft,
                    flows=flows,
                    days=form.cleaned_data["days"],
                    actor=request.user,
                )
        except ApplicationError as exc:
            form.add_error(None, exc.message)
        else:
            return redirect("onboarding:go_live", draft.pk)
    return TemplateResponse(
        request,
        "onboarding/go_live.html",
        _context(request, draft, form=form, step="go_live"),
    )
