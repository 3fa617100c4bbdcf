"""A dry run, then apply exactly what it showed: the admin page shape shared
by the syncs to Stripe (catalog_sync, customer_sync)."""

from collections.abc import Callable
from typing import Any, Protocol

from django import forms
from django.contrib import admin, messages
from django.http import HttpRequest

from portal.exceptions import ApplicationError


class SyncPlan(Protocol):
    fingerprint: str
    counts: Any  # action → how many
    unchanged: int


def dry_run_then_apply(
    modeladmin: admin.ModelAdmin,
    request: HttpRequest,
    *,
    form_class: type[forms.Form],
    run: Callable[..., SyncPlan],
) -> tuple[forms.Form, SyncPlan | None]:
    """The page's form and plan. POST with `dry_run`: the plan, nothing
    changed. POST with `apply`: `run` applies the dry run's plan (the form's
    `plan` fingerprint) or refuses when it moved. `form_class` has an
    `integration` and a hidden `plan` field."""
    form = form_class(request.POST or None)
    plan = None
    if request.method != "POST" or not form.is_valid():
        return form, plan
    dry_run = "apply" not in request.POST
    if not dry_run and not form.cleaned_data["plan"]:
        modeladmin.message_user(request, "Run the dry run first.", messages.ERROR)
        dry_run = True
    try:
        plan = run(
            integration=form.cleaned_data["integration"],
            dry_run=dry_run,
            actor=request.user,
            expected_fingerprint="" if dry_run else form.cleaned_data["plan"],
        )
    except ApplicationError as exc:
        modeladmin.message_user(request, str(exc), messages.ERROR)
        return form, plan
    form = form_class(
        initial={
            "integration": form.cleaned_data["integration"],
            "plan": plan.fingerprint if dry_run else "",
        }
    )
    counts = ", ".join(f"{n} {a}" for a, n in plan.counts.items())
    modeladmin.message_user(
        request,
        f"{'Dry run' if dry_run else 'Applied'}: "
        f"{counts or 'nothing to change'}; {plan.unchanged} unchanged.",
        messages.INFO if dry_run else messages.SUCCESS,
    )
    return form, plan
