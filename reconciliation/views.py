"""The payout proof report and its CSV export (finance staff only)."""

import csv

from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import permission_required
from django.core.paginator import Paginator
from django.http import (
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from portal.money import money_format

from . import accruals, selectors, services
from .models import JournalPosting, Payout, PayoutLine

LINES_PER_PAGE = 500


class _Echo:
    """csv.writer target that hands each row back for streaming."""

    def write(self, value: str) -> str:
        return value


def _payout(pk: int) -> Payout:
    return get_object_or_404(Payout.objects.select_related("integration"), pk=pk)


@staff_member_required
@permission_required("reconciliation.view_payout", raise_exception=True)
@require_http_methods(["GET", "HEAD"])
def payout_proof(request: HttpRequest, pk: int) -> HttpResponse:
    payout = _payout(pk)
    currency = payout.currency
    lines = selectors.payout_proof_lines(payout=payout)
    match = request.GET.get("match", "")
    if match:
        if match not in PayoutLine.Match.values:
            # Leave the value out and answer in plain text: markup in a
            # crafted `match` link must never come back as HTML to staff.
            return HttpResponseBadRequest(
                "Unknown match class; use one of: "
                + ", ".join(PayoutLine.Match.values),
                content_type="text/plain; charset=utf-8",
            )
        lines = lines.filter(match=match)
    page = Paginator(lines, LINES_PER_PAGE).get_page(request.GET.get("page"))
    rows = [
        {
            "line": line,
            "amount": money_format(line.amount, line.currency),
            "fee": money_format(line.fee, line.currency),
            "net": money_format(line.net, line.currency),
            "erp_amount": (
                None
                if line.erp_amount is None
                else money_format(line.erp_amount, line.erp_currency or line.currency)
            ),
            "difference": money_format(line.difference, line.currency),
        }
        for line in page.object_list
    ]
    journals = [
        {
            "posting": posting,
            "difference": money_format(posting.difference, posting.currency),
            "lines": [
                {**line, "shown": money_format(int(line["amount"]), posting.currency)}
                for line in posting.lines
            ],
        }
        for posting in JournalPosting.objects.filter(payout=payout).select_related(
            "sync_record"
        )
    ]
    summary = [
        {**row, "difference": money_format(row["difference"], currency)}
        for row in selectors.payout_proof_summary(payout=payout)
    ]
    transit = [
        {"row": accrual, "amount": money_format(accrual.amount, accrual.currency)}
        for accrual in accruals.transit_accruals_for_payout(payout=payout)
    ]
    context = {
        "title": f"Payout proof {payout.stripe_id}",
        "transit_accruals": transit,
        "payout": payout,
        "amount": money_format(payout.amount, currency),
        "lines_net": money_format(payout.lines_net, currency),
        "difference": money_format(payout.difference, currency),
        "unexplained": money_format(payout.unexplained, currency),
        "summary": summary,
        "journals": journals,
        "page": page,
        "rows": rows,
        "match": match,
        "match_choices": PayoutLine.Match.choices,
        "has_permission": True,
        "site_header": "LedgerBridge",
    }
    return render(request, "reconciliation/payout_proof.html", context)


@staff_member_required
@permission_required("reconciliation.change_payout", raise_exception=True)
@require_POST
def payout_proof_refresh(request: HttpRequest, pk: int) -> HttpResponse:
    services.payout_proof_compute(payout=_payout(pk))
    return redirect("reconciliation:payout_proof", pk=pk)


@staff_member_required
@permission_required("reconciliation.view_payout", raise_exception=True)
@require_http_methods(["GET", "HEAD"])
def payout_proof_csv(request: HttpRequest, pk: int) -> StreamingHttpResponse:
    payout = _payout(pk)
    writer = csv.writer(_Echo())
    response = StreamingHttpResponse(
        (
            writer.writerow(row)
            for row in selectors.payout_proof_csv_rows(payout=payout)
        ),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="payout-proof-{payout.stripe_id}.csv"'
    )
    return response
