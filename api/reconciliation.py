"""The API over payouts, their proofs and backfills (above the integrations API)."""

import csv
from datetime import datetime
from functools import partial
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.http import StreamingHttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from integrations import queue
from integrations.models import Integration
from portal.exceptions import ApplicationError
from reconciliation import selectors, services
from reconciliation.backfill import backfill_run_start
from reconciliation.models import BackfillRun, JournalPosting, Payout, PayoutLine

from .idempotency import IDEMPOTENCY_PARAMETER, idempotent
from .pagination import cursor_pagination
from .serializers import MoneyField, Text, id_field, money
from .views import ApiViewSet


class PayoutFilterSerializer(serializers.Serializer):
    integration = id_field()
    proof_status = serializers.ChoiceField(Payout.Proof.choices, required=False)
    stripe_id = Text(required=False, max_length=255)
    arrival_after = serializers.DateTimeField(
        required=False, help_text="Arrival date on or after (month-end: the 1st)."
    )
    arrival_before = serializers.DateTimeField(
        required=False, help_text="Arrival date before (month-end: the next 1st)."
    )


class PayoutSerializer(serializers.ModelSerializer):
    amount = MoneyField()
    lines_net = MoneyField()
    difference = MoneyField(help_text="Payout amount minus its attributed lines.")
    unexplained = MoneyField(help_text="Sum of the line differences against the ERP.")

    class Meta:
        model = Payout
        fields = [
            "id",
            "integration",
            "stripe_id",
            "amount",
            "automatic",
            "stripe_status",
            "created",
            "arrival_date",
            "attribution",
            "line_count",
            "lines_net",
            "proof_status",
            "matched_count",
            "unmatched_count",
            "difference",
            "unexplained",
            "proved_at",
            "reconciled_at",
        ]


class PayoutLineSerializer(serializers.ModelSerializer):
    amount = MoneyField()
    fee = MoneyField()
    net = MoneyField()
    erp_amount = MoneyField(currency_field="erp_currency")
    difference = MoneyField()
    exchange_rate = serializers.DecimalField(
        max_digits=24, decimal_places=12, allow_null=True, coerce_to_string=True
    )

    class Meta:
        model = PayoutLine
        fields = [
            "balance_transaction",
            "type",
            "reporting_category",
            "source",
            "amount",
            "fee",
            "net",
            "exchange_rate",
            "created",
            "attributed",
            "match",
            "erp_document",
            "erp_amount",
            "difference",
            "note",
        ]


class ProofSummarySerializer(serializers.Serializer):
    match = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()
    difference = MoneyField()


class JournalSerializer(serializers.ModelSerializer):
    difference = MoneyField()
    sync_record = serializers.PrimaryKeyRelatedField(read_only=True)

    class Meta:
        model = JournalPosting
        fields = ["kind", "sync_record", "difference"]


class PayoutProofSerializer(serializers.Serializer):
    payout = PayoutSerializer()
    summary = ProofSummarySerializer(many=True)
    journals = JournalSerializer(many=True)
    lines = PayoutLineSerializer(many=True)


def _payouts(filters: dict[str, Any]) -> QuerySet[Payout]:
    queryset = Payout.objects.all()
    for name in ("integration", "proof_status", "stripe_id"):
        if filters.get(name) not in (None, ""):
            queryset = queryset.filter(**{name: filters[name]})
    after: datetime | None = filters.get("arrival_after")
    before: datetime | None = filters.get("arrival_before")
    if after is not None:
        queryset = queryset.filter(arrival_date__gte=after)
    if before is not None:
        queryset = queryset.filter(arrival_date__lt=before)
    return queryset


class CsvRenderer(BaseRenderer):
    """Lets `Accept: text/csv` through content negotiation; the CSV itself is
    streamed by the view, and errors are rendered as JSON (handle_exception)."""

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return JSONRenderer().render(data)


class _Echo:
    """csv.writer target that hands each row back for streaming."""

    def write(self, value: str) -> str:
        return value


def _proof_csv(payouts: list[Payout], filename: str) -> StreamingHttpResponse:
    writer = csv.writer(_Echo())

    def rows():
        yield writer.writerow(selectors.PROOF_CSV_HEADER)
        for payout in payouts:
            body = selectors.payout_proof_csv_rows(payout=payout)
            next(body)  # each payout's own header row
            for row in body:
                yield writer.writerow(row)

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# DRF's ?format= switch is not part of the API: ask with Accept: text/csv.
NO_FORMAT_PARAMETER = OpenApiParameter("format", exclude=True)

CSV_RESPONSE = OpenApiResponse(
    response=OpenApiTypes.STR,
    description="The proof lines as CSV (text/csv), amounts in currency units.",
)


@extend_schema_view(
    list=extend_schema(parameters=[PayoutFilterSerializer], summary="Payouts"),
    retrieve=extend_schema(summary="One payout and the outcome of its proof"),
)
class PayoutViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    serializer_class = PayoutSerializer
    filter_serializer_class = PayoutFilterSerializer
    pagination_class = cursor_pagination(("-created_at", "-id"))
    permissions = {
        "list": ("reconciliation.view_payout",),
        "retrieve": ("reconciliation.view_payout",),
        "proof": ("reconciliation.view_payout",),
        "proof_csv": ("reconciliation.view_payout",),
        "proofs_csv": ("reconciliation.view_payout",),
        "recompute": ("reconciliation.change_payout",),
    }

    def handle_exception(self, exc: Exception):
        # Errors of the CSV downloads are the API's JSON error, whatever was asked.
        if isinstance(getattr(self.request, "accepted_renderer", None), CsvRenderer):
            self.request.accepted_renderer = JSONRenderer()
            self.request.accepted_media_type = JSONRenderer.media_type
        return super().handle_exception(exc)

    def get_queryset(self):
        if self.action in ("list", "proofs_csv"):
            return _payouts(self.filters)
        return Payout.objects.all()

    @extend_schema(
        summary="The proof of one payout, line by line",
        responses=PayoutProofSerializer,
    )
    @action(detail=True, methods=["get"])
    def proof(self, request: Request, pk=None) -> Response:
        payout = self.get_object()
        summary = [
            {**row, "difference": money(row["difference"], payout.currency)}
            for row in selectors.payout_proof_summary(payout=payout)
        ]
        journals = JournalPosting.objects.filter(payout=payout)
        return Response(
            {
                "payout": PayoutSerializer(payout).data,
                "summary": [{**row, "match": row["match"] or ""} for row in summary],
                "journals": JournalSerializer(journals, many=True).data,
                "lines": PayoutLineSerializer(
                    selectors.payout_proof_lines(payout=payout), many=True
                ).data,
            }
        )

    @extend_schema(
        summary="The proof of one payout as CSV",
        parameters=[NO_FORMAT_PARAMETER],
        responses={(200, "text/csv"): CSV_RESPONSE},
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="proof/csv",
        renderer_classes=[JSONRenderer, CsvRenderer],
    )
    def proof_csv(self, request: Request, pk=None) -> StreamingHttpResponse:
        payout = self.get_object()
        return _proof_csv([payout], f"payout-proof-{payout.stripe_id}.csv")

    @extend_schema(
        summary="The proofs of every payout the filters select, as one CSV",
        parameters=[PayoutFilterSerializer, NO_FORMAT_PARAMETER],
        responses={(200, "text/csv"): CSV_RESPONSE},
    )
    @action(
        detail=False,
        methods=["get"],
        url_path="proofs/csv",
        renderer_classes=[JSONRenderer, CsvRenderer],
    )
    def proofs_csv(self, request: Request) -> StreamingHttpResponse:
        payouts = list(self.get_queryset().order_by("arrival_date", "id"))
        return _proof_csv(payouts, "payout-proofs.csv")

    @extend_schema(
        request=None,
        responses={200: PayoutSerializer},
        parameters=[IDEMPOTENCY_PARAMETER],
        summary="Prove the payout against the ERP again",
    )
    @action(detail=True, methods=["post"])
    @idempotent
    def recompute(self, request: Request, pk=None) -> Response:
        payout = services.payout_proof_compute(payout=self.get_object())
        return Response(PayoutSerializer(payout).data)


class BackfillFilterSerializer(serializers.Serializer):
    integration = id_field()
    status = serializers.ChoiceField(BackfillRun.Status.choices, required=False)


class BackfillStartSerializer(serializers.Serializer):
    integration = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    since = serializers.DateTimeField()
    until = serializers.DateTimeField(required=False, allow_null=True, default=None)
    dry_run = serializers.BooleanField(
        required=False,
        default=True,
        help_text="Plan and prove without writing to the ERP (the default).",
    )


class BackfillRunSerializer(serializers.ModelSerializer):
    class Meta:
        model = BackfillRun
        fields = [
            "id",
            "integration",
            "since",
            "until",
            "dry_run",
            "status",
            "cursor",
            "counts",
            "error",
            "started_at",
            "finished_at",
        ]


@extend_schema_view(
    list=extend_schema(parameters=[BackfillFilterSerializer], summary="Backfills"),
    retrieve=extend_schema(summary="One backfill: its status, cursor and counts"),
)
class BackfillViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    serializer_class = BackfillRunSerializer
    filter_serializer_class = BackfillFilterSerializer
    pagination_class = cursor_pagination(("-started_at", "-id"))
    scopes = {"start": "admin"}
    permissions = {
        "list": ("reconciliation.view_backfillrun",),
        "retrieve": ("reconciliation.view_backfillrun",),
        "start": ("reconciliation.add_backfillrun",),
    }

    def get_queryset(self):
        queryset = BackfillRun.objects.all()
        if self.action == "list":
            filters = self.filters
            if filters.get("integration") is not None:
                queryset = queryset.filter(integration=filters["integration"])
            if filters.get("status"):
                queryset = queryset.filter(status=filters["status"])
        return queryset

    @extend_schema(
        summary="Start a backfill (a dry run unless told otherwise), or resume "
        "the interrupted run of the same range",
        request=BackfillStartSerializer,
        responses={202: BackfillRunSerializer},
        parameters=[IDEMPOTENCY_PARAMETER],
    )
    @action(detail=False, methods=["post"])
    @idempotent
    def start(self, request: Request) -> Response:
        parsed = BackfillStartSerializer(data=request.data)
        parsed.is_valid(raise_exception=True)
        data = parsed.validated_data
        integration = get_object_or_404(Integration, pk=data["integration"])
        if data["until"] is not None and data["until"] < data["since"]:
            raise ApplicationError("until is before since: nothing to backfill")
        open_run = BackfillRun.objects.filter(
            integration=integration,
            since=data["since"],
            until=data["until"],
            dry_run=data["dry_run"],
            status=BackfillRun.Status.RUNNING,
        ).first()
        if open_run is not None:
            # It may be running now; a worker that died leaves it "running",
            # and `manage.py backfill` with the same range resumes it.
            return Response(BackfillRunSerializer(open_run).data, status=202)
        with transaction.atomic():
            run = backfill_run_start(
                integration=integration,
                since=data["since"],
                until=data["until"],
                dry_run=data["dry_run"],
            )
            transaction.on_commit(
                partial(queue.task_enqueue, "api.tasks.backfill_run", run.pk)
            )
        return Response(BackfillRunSerializer(run).data, status=202)
