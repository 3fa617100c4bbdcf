"""Finance UI for payouts, their proofs, GL accounts and recovery runs."""

from django import forms
from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from integrations.connectors import stripe_api as stripe_connector
from integrations.models import Integration
from portal.admin import ReadOnlyMixin
from portal.exceptions import ApplicationError
from portal.money import money_format

from . import accruals, services
from .models import (
    BackfillRun,
    GlAccounts,
    JournalPosting,
    Payout,
    SweepRun,
    TransitAccrual,
)


class ReadOnlyAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """Logs and inboxes: nobody adds or edits rows by hand."""


@admin.register(GlAccounts)
class GlAccountsAdmin(admin.ModelAdmin):
    list_display = (
        "integration",
        "bank",
        "clearing",
        "fees",
        "dispute_fees",
        "adjustments",
        "fx",
        "funds_in_transit",
        "validated_at",
    )
    list_select_related = ("integration",)
    readonly_fields = ("validated_at", "validation_message", "updated_at")
    actions = ("validate",)

    @admin.action(description="Validate against the ERP's ledger codes")
    def validate(self, request: HttpRequest, queryset: QuerySet[GlAccounts]) -> None:
        failed = 0
        for row in queryset.select_related("integration__erp_connection"):
            try:
                problems = services.gl_accounts_validate(
                    gl_accounts=row, actor=request.user
                )
            except ApplicationError as exc:
                problems = [exc.message]
            if problems:
                failed += 1
                self.message_user(
                    request, f"{row.integration}: {'; '.join(problems)}", level="error"
                )
        self.message_user(
            request, f"Validated {queryset.count() - failed}, {failed} with problems."
        )


@admin.register(Payout)
class PayoutAdmin(ReadOnlyAdmin):
    list_display = (
        "stripe_id",
        "integration",
        "amount_display",
        "stripe_status",
        "automatic",
        "proof_status",
        "matched_count",
        "unmatched_count",
        "difference_display",
        "proof_link",
        "created",
    )
    list_filter = (
        "proof_status",
        "stripe_status",
        "automatic",
        "currency",
        "integration",
    )
    search_fields = ("stripe_id", "lines__source", "lines__balance_transaction")
    list_select_related = ("integration",)
    date_hierarchy = "created"
    actions = ("recompute_proof",)
    # Amounts in units of the payout currency; the stored minor units only in
    # their own, labelled and folded section.
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "stripe_id",
                    "integration",
                    "amount_display",
                    "stripe_status",
                    "automatic",
                    "created",
                    "arrival_date",
                    "balance_transaction",
                )
            },
        ),
        (
            "Proof",
            {
                "fields": (
                    "proof_status",
                    "proof_link",
                    "lines_net_display",
                    "payout_difference_display",
                    "unexplained_display",
                    "line_count",
                    "matched_count",
                    "unmatched_count",
                    "proved_at",
                    "reconciled_at",
                )
            },
        ),
        (
            "Attribution",
            {"fields": ("attribution", "attribution_note", "lines_fetched_at")},
        ),
        (
            "Minor units",
            {
                "classes": ("collapse",),
                "fields": (
                    "currency",
                    "amount_minor",
                    "lines_net_minor",
                    "difference_minor",
                    "unexplained_minor",
                ),
            },
        ),
    )

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        # The change page shows the record and hosts the action; nothing is editable.
        return request.user.has_perm("reconciliation.change_payout")

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields] + [
            "proof_link",
            "amount_display",
            "lines_net_display",
            "payout_difference_display",
            "unexplained_display",
            "amount_minor",
            "lines_net_minor",
            "difference_minor",
            "unexplained_minor",
        ]

    @admin.display(description="Amount", ordering="amount")
    def amount_display(self, obj: Payout) -> str:
        return format_html(
            '<span class="nowrap">{}</span>', money_format(obj.amount, obj.currency)
        )

    @admin.display(description="Difference")
    def difference_display(self, obj: Payout) -> str:
        """What is left to explain: payout − lines plus the lines' ERP
        differences."""
        return format_html(
            '<span class="nowrap">{}</span>',
            money_format(obj.difference + obj.unexplained, obj.currency),
        )

    @admin.display(description="Attributed lines (net)")
    def lines_net_display(self, obj: Payout) -> str:
        return format_html(
            '<span class="nowrap">{}</span>', money_format(obj.lines_net, obj.currency)
        )

    @admin.display(description="Difference (payout − lines)")
    def payout_difference_display(self, obj: Payout) -> str:
        return format_html(
            '<span class="nowrap">{}</span>', money_format(obj.difference, obj.currency)
        )

    @admin.display(description="Unexplained against the ERP")
    def unexplained_display(self, obj: Payout) -> str:
        return format_html(
            '<span class="nowrap">{}</span>',
            money_format(obj.unexplained, obj.currency),
        )

    @admin.display(description="Amount (minor units)")
    def amount_minor(self, obj: Payout) -> int:
        return obj.amount

    @admin.display(description="Attributed lines, net (minor units)")
    def lines_net_minor(self, obj: Payout) -> int:
        return obj.lines_net

    @admin.display(description="Difference (minor units)")
    def difference_minor(self, obj: Payout) -> int:
        return obj.difference

    @admin.display(description="Unexplained (minor units)")
    def unexplained_minor(self, obj: Payout) -> int:
        return obj.unexplained

    @admin.display(description="Proof")
    def proof_link(self, obj: Payout) -> str:
        return format_html(
            '<a href="{}">report</a> · <a href="{}">CSV</a>',
            reverse("reconciliation:payout_proof", args=[obj.pk]),
            reverse("reconciliation:payout_proof_csv", args=[obj.pk]),
        )

    @admin.action(
        description="Recompute the proof of the selected payouts",
        permissions=["change"],
    )
    def recompute_proof(self, request: HttpRequest, queryset: QuerySet[Payout]) -> None:
        reconciled = 0
        for payout in queryset.select_related("integration"):
            services.payout_proof_compute(payout=payout)
            reconciled += payout.proof_status == Payout.Proof.RECONCILED
        self.message_user(
            request, f"Proved {queryset.count()} payouts; {reconciled} reconciled."
        )


@admin.register(JournalPosting)
class JournalPostingAdmin(ReadOnlyAdmin):
    list_display = (
        "reference",
        "kind",
        "currency",
        "difference_display",
        "sync_record",
    )
    list_filter = ("kind", "currency")
    search_fields = ("reference", "payout__stripe_id")
    list_select_related = ("sync_record", "payout")
    fields = (
        "payout",
        "kind",
        "reference",
        "difference_display",
        "lines",
        "sync_record",
        "created_at",
    )
    readonly_fields = fields

    @admin.display(description="Out of balance by", ordering="difference")
    def difference_display(self, obj: JournalPosting) -> str:
        return format_html(
            '<span class="nowrap">{}</span>', money_format(obj.difference, obj.currency)
        )


@admin.register(BackfillRun)
class BackfillRunAdmin(ReadOnlyAdmin):
    list_display = (
        "integration",
        "since",
        "until",
        "dry_run",
        "status",
        "counts",
        "started_at",
        "finished_at",
    )
    list_filter = ("status", "dry_run")
    list_select_related = ("integration",)


@admin.register(SweepRun)
class SweepRunAdmin(ReadOnlyAdmin):
    list_display = ("integration", "started_at", "listed", "ingested", "error")
    list_filter = ("integration",)
    list_select_related = ("integration",)


class AccruePeriodForm(forms.Form):
    integration = forms.ModelChoiceField(queryset=Integration.objects.all())
    period = forms.CharField(
        required=False,
        help_text="CCYY-MM of the integration's business time zone; blank: the "
        "last month that has ended.",
    )

    def clean_period(self) -> str:
        value = self.cleaned_data["period"].strip()
        if value:
            try:
                accruals.Period.of_text(value)
            except ApplicationError as exc:
                raise forms.ValidationError(exc.message) from exc
        return value


@admin.register(TransitAccrual)
class TransitAccrualAdmin(ReadOnlyAdmin):
    list_display = (
        "period",
        "integration",
        "currency",
        "amount_display",
        "payout_count",
        "accrual_date",
        "accrual_status",
        "reversal_date",
        "reversal_status",
    )
    list_filter = ("integration", "currency")
    list_select_related = ("integration", "accrual_record", "reversal_record")
    search_fields = ("period", "payouts")

    def get_urls(self):
        return [
            path(
                "accrue/",
                self.admin_site.admin_view(self.accrue_view),
                name="reconciliation_transitaccrual_accrue",
            ),
            *super().get_urls(),
        ]

    def accrue_view(self, request: HttpRequest) -> HttpResponse:
        """Accrue one integration's month: a thin edge over the service."""
        if not request.user.has_perm("reconciliation.change_payout"):
            return HttpResponseRedirect(reverse("admin:index"))
        form = AccruePeriodForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            integration = form.cleaned_data["integration"]
            try:
                period = (
                    accruals.Period.of_text(form.cleaned_data["period"])
                    if form.cleaned_data["period"]
                    else accruals.transit_period_last_closed(integration=integration)
                )
                rows = accruals.transit_accruals_post(
                    integration=integration,
                    period=period,
                    stripe_api=stripe_connector.stripe_api_for(integration)(),
                    actor=request.user,
                )
            except ApplicationError as exc:
                self.message_user(request, exc.message, level="error")
            else:
                self.message_user(
                    request,
                    f"{period.label}: "
                    + (
                        "; ".join(
                            f"{money_format(row.amount, row.currency)} in transit "
                            f"({len(row.payouts)} payouts)"
                            for row in rows
                        )
                        or "no payouts in transit"
                    ),
                )
                return HttpResponseRedirect(
                    reverse("admin:reconciliation_transitaccrual_changelist")
                )
        return TemplateResponse(
            request,
            "admin/reconciliation/transitaccrual/accrue.html",
            {
                **self.admin_site.each_context(request),
                "title": "Accrue funds in transit",
                "form": form,
            },
        )

    @admin.display(description="Amount")
    def amount_display(self, obj: TransitAccrual) -> str:
        return money_format(obj.amount, obj.currency)

    @admin.display(description="Payouts")
    def payout_count(self, obj: TransitAccrual) -> int:
        return len(obj.payouts)

    @admin.display(description="Accrual")
    def accrual_status(self, obj: TransitAccrual) -> str:
        return _record_status(obj.accrual_record)

    @admin.display(description="Reversal")
    def reversal_status(self, obj: TransitAccrual) -> str:
        return _record_status(obj.reversal_record)


def _record_status(record) -> str:
    if record is None:
        return "—"
    shown = record.get_status_display()
    return f"{shown} ({record.erp_reference})" if record.erp_reference else shown
