"""The API over integrations: thin views that parse, call one service, render.

Payouts are in reconciliation.py, a layer above.
"""

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, viewsets
from rest_framework.authentication import SessionAuthentication
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response

from integrations import audit, ledger
from integrations.ledger import integration_resume
from integrations.models import Alert, PayloadChange, SyncRecord, WebhookEvent
from integrations.services import webhook_event_reprocess

from . import selectors, serializers
from .authentication import ApiTokenAuthentication
from .idempotency import IDEMPOTENCY_PARAMETER, idempotent
from .pagination import cursor_pagination
from .parsers import ApiJSONParser
from .permissions import ScopedPermission
from .throttling import ApiTokenRateThrottle


class ApiViewSet(viewsets.GenericViewSet):
    """Token or session sign-in, scope and role checks, a rate limit per token.

    `filter_serializer_class` validates the list's query parameters into
    `self.filters` for the selector.
    """

    authentication_classes = [ApiTokenAuthentication, SessionAuthentication]
    parser_classes = [ApiJSONParser]
    permission_classes = [ScopedPermission]
    throttle_classes = [ApiTokenRateThrottle]
    lookup_value_regex = "[0-9]+"
    filter_serializer_class: type[serializers.serializers.Serializer] | None = None
    scopes: dict[str, str] = {}
    permissions: dict[str, tuple[str, ...]] = {}

    @property
    def filters(self) -> dict:
        if self.filter_serializer_class is None:
            return {}
        params = self.request.query_params
        serializer = self.filter_serializer_class(data=params)
        # DRF skips a blank optional query parameter; say it is wrong instead.
        blank = {
            name: ["Leave the parameter out instead of sending it blank."]
            for name in serializer.fields
            if name in params and params[name] == ""
        }
        if blank:
            raise ValidationError(blank)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data


def _action_schema(request, response, summary: str):
    return extend_schema(
        request=request,
        responses={200: response},
        parameters=[IDEMPOTENCY_PARAMETER],
        summary=summary,
    )


def _list_schema(filters, summary: str):
    return extend_schema(parameters=[filters], summary=summary)


@extend_schema_view(
    list=extend_schema(summary="Integrations with their flows and health"),
    retrieve=extend_schema(summary="One integration with its flows and health"),
)
class IntegrationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    serializer_class = serializers.IntegrationSerializer
    pagination_class = cursor_pagination("name")
    scopes = {"resume": "admin"}
    permissions = {
        "list": ("integrations.view_integration",),
        "retrieve": ("integrations.view_integration",),
        "resume": ("integrations.change_integration",),
    }

    def get_queryset(self):
        return selectors.integrations_with_health()

    @_action_schema(
        None,
        serializers.IntegrationResumeResultSerializer,
        "Resume an integration paused on refused ERP credentials",
    )
    @action(detail=True, methods=["post"])
    @idempotent
    def resume(self, request: Request, pk=None) -> Response:
        queued = integration_resume(integration=self.get_object(), actor=request.user)
        return Response({"queued": queued})


@extend_schema_view(
    list=_list_schema(serializers.EventFilterSerializer, "Webhook events"),
    retrieve=extend_schema(
        summary="One webhook event",
        responses=serializers.WebhookEventDetailSerializer,
    ),
)
class WebhookEventViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    serializer_class = serializers.WebhookEventSerializer
    filter_serializer_class = serializers.EventFilterSerializer
    pagination_class = cursor_pagination(("-received_at", "-id"))
    permissions = {
        "list": ("integrations.view_webhookevent",),
        "retrieve": ("integrations.view_webhookevent",),
        "reprocess": ("integrations.reprocess_webhookevent",),
    }

    def get_queryset(self):
        if self.action == "list":
            return selectors.webhook_events_list(filters=self.filters)
        return WebhookEvent.objects.all()

    def get_serializer_class(self):
        if self.action == "retrieve":
            return serializers.WebhookEventDetailSerializer
        return super().get_serializer_class()

    @_action_schema(
        None,
        serializers.EventActionResultSerializer,
        "Run a failed or ignored event through its workflow again",
    )
    @action(detail=True, methods=["post"])
    @idempotent
    def reprocess(self, request: Request, pk=None) -> Response:
        event = self.get_object()
        changed = webhook_event_reprocess(event=event, actor=request.user)
        event.refresh_from_db()
        return Response(
            {
                "changed": changed,
                "event": serializers.WebhookEventSerializer(event).data,
            }
        )


@extend_schema_view(
    list=_list_schema(serializers.RecordFilterSerializer, "Ledger records"),
    retrieve=extend_schema(
        summary="One ledger record with its attempts, audit trail and payload changes",
        responses=serializers.SyncRecordDetailSerializer,
    ),
)
class SyncRecordViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    serializer_class = serializers.SyncRecordSerializer
    filter_serializer_class = serializers.RecordFilterSerializer
    pagination_class = cursor_pagination(("-created_at", "-id"))
    permissions = {
        "list": ("integrations.view_syncrecord",),
        "retrieve": ("integrations.view_syncrecord",),
        "retry": ("integrations.retry_syncrecord",),
        "skip": ("integrations.skip_syncrecord",),
        "release": ("integrations.release_syncrecord",),
        "edit_payload": ("integrations.edit_payload_syncrecord",),
        "confirm_posted": (ledger.SETTLE_PERMISSION,),
        "post_again": (ledger.SETTLE_PERMISSION,),
        "reverse": (ledger.REVERSE_PERMISSION,),
    }

    def get_queryset(self):
        if self.action == "list":
            return selectors.sync_records_list(filters=self.filters)
        if self.action == "retrieve":
            return SyncRecord.objects.prefetch_related(
                "attempt_log", "payload_changes", "depends_on"
            )
        return SyncRecord.objects.all()

    def get_serializer_class(self):
        if self.action == "retrieve":
            return serializers.SyncRecordDetailSerializer
        return super().get_serializer_class()

    def retrieve(self, request: Request, pk=None) -> Response:
        record = self.get_object()
        audit = selectors.sync_record_audit(record=record)
        return Response(
            serializers.SyncRecordDetailSerializer(
                record, context={"audit": audit}
            ).data
        )

    def _result(self, record: SyncRecord, changed: bool) -> Response:
        record.refresh_from_db()
        return Response(
            {
                "changed": changed,
                "record": serializers.SyncRecordSerializer(record).data,
            }
        )

    def _reason(self, request: Request, serializer=serializers.ReasonSerializer) -> str:
        parsed = serializer(data=request.data)
        parsed.is_valid(raise_exception=True)
        return parsed.validated_data["reason"]

    @_action_schema(
        serializers.ReasonSerializer,
        serializers.RecordActionResultSerializer,
        "Queue a failed, retrying or skipped record again with a fresh budget",
    )
    @action(detail=True, methods=["post"])
    @idempotent
    def retry(self, request: Request, pk=None) -> Response:
        record = self.get_object()
        reason = self._reason(request)
        changed = ledger.sync_record_retry(
            record=record, actor=request.user, reason=reason
        )
        return self._result(record, changed)

    @_action_schema(
        serializers.SkipSerializer,
        serializers.RecordActionResultSerializer,
        "Give up on a record on purpose, saying why",
    )
    @action(detail=True, methods=["post"])
    @idempotent
    def skip(self, request: Request, pk=None) -> Response:
        record = self.get_object()
        reason = self._reason(request, serializers.SkipSerializer)
        changed = ledger.sync_record_skip(
            record=record, actor=request.user, reason=reason
        )
        return self._result(record, changed)

    @_action_schema(
        serializers.ReasonSerializer,
        serializers.RecordActionResultSerializer,
        "Let a held record post despite its anomaly",
    )
    @action(detail=True, methods=["post"])
    @idempotent
    def release(self, request: Request, pk=None) -> Response:
        record = self.get_object()
        reason = self._reason(request)
        changed = ledger.sync_record_release(
            record=record, actor=request.user, reason=reason
        )
        return self._result(record, changed)

    @_action_schema(
        serializers.ConfirmPostedSerializer,
        serializers.RecordActionResultSerializer,
        "Settle an unknown outcome as posted: the document is in the ERP",
    )
    @action(detail=True, methods=["post"], url_path="confirm-posted")
    @idempotent
    def confirm_posted(self, request: Request, pk=None) -> Response:
        record = self.get_object()
        parsed = serializers.ConfirmPostedSerializer(data=request.data)
        parsed.is_valid(raise_exception=True)
        changed = ledger.sync_record_confirm_posted(
            record=record,
            actor=request.user,
            erp_reference=parsed.validated_data["erp_reference"],
            reason=parsed.validated_data["reason"],
        )
        return self._result(record, changed)

    @_action_schema(
        serializers.ReasonSerializer,
        serializers.RecordActionResultSerializer,
        "Settle an unknown outcome as not posted: queue the record to post again",
    )
    @action(detail=True, methods=["post"], url_path="post-again")
    @idempotent
    def post_again(self, request: Request, pk=None) -> Response:
        record = self.get_object()
        reason = self._reason(request)
        changed = ledger.sync_record_post_again(
            record=record, actor=request.user, reason=reason
        )
        return self._result(record, changed)

    @_action_schema(
        serializers.ReverseSerializer,
        serializers.ReverseResultSerializer,
        "Reverse a succeeded record by posting the ERP's reversing document "
        "(never a delete); asked again, answers the reversal already made",
    )
    @action(detail=True, methods=["post"])
    @idempotent
    def reverse(self, request: Request, pk=None) -> Response:
        record = self.get_object()
        reason = self._reason(request, serializers.ReverseSerializer)
        reversal, created = ledger.sync_record_reverse(
            record=record, actor=request.user, reason=reason
        )
        record.refresh_from_db()
        reversal.refresh_from_db()
        return Response(
            {
                "changed": created,
                "record": serializers.SyncRecordSerializer(record).data,
                "reversal": serializers.SyncRecordSerializer(reversal).data,
            }
        )

    @_action_schema(
        serializers.EditPayloadSerializer,
        serializers.EditPayloadResultSerializer,
        "Replace the ERP payload of a failed, skipped or held record",
    )
    @action(detail=True, methods=["post"], url_path="edit-payload")
    @idempotent
    def edit_payload(self, request: Request, pk=None) -> Response:
        record = self.get_object()
        parsed = serializers.EditPayloadSerializer(data=request.data)
        parsed.is_valid(raise_exception=True)
        change = ledger.sync_record_edit_payload(
            record=record,
            actor=request.user,
            payload=parsed.validated_data["payload"],
            reason=parsed.validated_data["reason"],
        )
        record.refresh_from_db()
        return Response(
            {
                "applied": change is None,
                "record": serializers.SyncRecordSerializer(record).data,
                "payload_change": (
                    serializers.PayloadChangeSerializer(change).data if change else None
                ),
            }
        )


@extend_schema_view(
    list=_list_schema(
        serializers.PayloadChangeFilterSerializer,
        "Payload edits of protected fields and their four-eyes decisions",
    ),
    retrieve=extend_schema(summary="One payload change"),
)
class PayloadChangeViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet
):
    serializer_class = serializers.PayloadChangeSerializer
    filter_serializer_class = serializers.PayloadChangeFilterSerializer
    pagination_class = cursor_pagination(("-created_at", "-id"))
    permissions = {
        "list": ("integrations.view_payloadchange",),
        "retrieve": ("integrations.view_payloadchange",),
        "approve": (ledger.APPROVE_PAYLOAD_PERMISSION,),
        "reject": ("integrations.view_payloadchange",),
    }

    def get_queryset(self):
        if self.action == "list":
            return selectors.payload_changes_list(filters=self.filters)
        return PayloadChange.objects.all()

    def _decided(self, change: PayloadChange) -> Response:
        change.refresh_from_db()
        return Response(serializers.PayloadChangeSerializer(change).data)

    @_action_schema(
        serializers.ReasonSerializer,
        serializers.PayloadChangeSerializer,
        "Approve another person's edit (four eyes) and queue the record again",
    )
    @action(detail=True, methods=["post"])
    @idempotent
    def approve(self, request: Request, pk=None) -> Response:
        change = self.get_object()
        parsed = serializers.ReasonSerializer(data=request.data)
        parsed.is_valid(raise_exception=True)
        ledger.sync_record_payload_change_approve(
            change=change, actor=request.user, reason=parsed.validated_data["reason"]
        )
        return self._decided(change)

    @_action_schema(
        serializers.ReasonSerializer,
        serializers.PayloadChangeSerializer,
        "Reject a pending edit (its proposer may withdraw it)",
    )
    @action(detail=True, methods=["post"])
    @idempotent
    def reject(self, request: Request, pk=None) -> Response:
        change = self.get_object()
        parsed = serializers.ReasonSerializer(data=request.data)
        parsed.is_valid(raise_exception=True)
        ledger.sync_record_payload_change_reject(
            change=change, actor=request.user, reason=parsed.validated_data["reason"]
        )
        return self._decided(change)


@extend_schema_view(
    list=_list_schema(serializers.AlertFilterSerializer, "Alerts"),
    retrieve=extend_schema(summary="One alert"),
)
class AlertViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    serializer_class = serializers.AlertSerializer
    filter_serializer_class = serializers.AlertFilterSerializer
    pagination_class = cursor_pagination(("-created_at", "-id"))
    permissions = {
        "list": ("integrations.view_alert",),
        "retrieve": ("integrations.view_alert",),
        "acknowledge": ("integrations.change_alert",),
        "resolve": ("integrations.change_alert",),
    }

    def get_queryset(self):
        if self.action == "list":
            return selectors.alerts_list(filters=self.filters)
        return Alert.objects.all()

    @_action_schema(
        None,
        serializers.AlertActionResultSerializer,
        "Acknowledge an open alert (someone is on it; it stays open)",
    )
    @action(detail=True, methods=["post"])
    @idempotent
    def acknowledge(self, request: Request, pk=None) -> Response:
        alert = self.get_object()
        changed = audit.alert_acknowledge(alert=alert, actor=request.user)
        alert.refresh_from_db()
        return Response(
            {"changed": changed, "alert": serializers.AlertSerializer(alert).data}
        )

    @_action_schema(
        None, serializers.AlertActionResultSerializer, "Mark an alert resolved"
    )
    @action(detail=True, methods=["post"])
    @idempotent
    def resolve(self, request: Request, pk=None) -> Response:
        alert = self.get_object()
        changed = audit.alert_resolve(alert=alert, actor=request.user)
        alert.refresh_from_db()
        return Response(
            {"changed": changed, "alert": serializers.AlertSerializer(alert).data}
        )
