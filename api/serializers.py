"""What the API says and accepts; no business logic here (STYLE item 2)."""

import json
from typing import Any

from django.core.validators import RegexValidator
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from integrations.models import (
    Alert,
    AuditEntry,
    Integration,
    PayloadChange,
    SyncAttempt,
    SyncRecord,
    WebhookEvent,
)
from integrations.templatetags.explanations import record_explanation
from portal.money import to_decimal

from .parsers import no_nul_inside

NO_NUL = r"^[^\x00]*$"
PRINTABLE = r"^[^\x00-\x1f\x7f]+$"


class MoneySerializer(serializers.Serializer):
    amount = serializers.CharField(help_text='In currency units, e.g. "19.99".')
    currency = serializers.CharField(help_text="ISO 4217 code, upper case.")
    minor_units = serializers.IntegerField(
        help_text="The same amount in the currency's minor units, e.g. 1999."
    )


def money(minor: int | None, currency: str) -> dict | None:
    if minor is None or not currency:
        return None
    return {
        "amount": str(to_decimal(minor, currency)),
        "currency": currency.upper(),
        "minor_units": minor,
    }


class MoneyField(serializers.Field):
    """Minor units on the model, rendered as a Money object."""

    def __init__(self, *, currency_field: str = "currency", **kwargs) -> None:
        self.currency_field = currency_field
        kwargs.setdefault("read_only", True)
        kwargs.setdefault("allow_null", True)
        super().__init__(**kwargs)

    def get_attribute(self, instance):
        return (
            super().get_attribute(instance),
            getattr(instance, self.currency_field) or "",
        )

    def to_representation(self, value):
        return money(*value)


extend_schema_field(MoneySerializer(allow_null=True))(MoneyField)


@extend_schema_field(
    {
        "type": "object",
        "nullable": True,
        "description": "The error in plain words, above error_message (the raw "
        "text, never replaced): what went wrong and what to do.",
        "properties": {
            "key": {"type": "string"},
            "what": {"type": "string"},
            "todo": {"type": "string"},
            "known": {"type": "boolean"},
        },
    }
)
class ErrorExplanationField(serializers.Field):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(source="*", read_only=True, **kwargs)

    def to_representation(self, value: SyncRecord) -> dict | None:
        # Texts only: the ERP's number is in the detail's attempt_log.
        explained = record_explanation(value, error_number="")
        if explained is None:
            return None
        data = explained.as_dict()
        del data["raw"]  # error_message already carries it
        return data


class Text(serializers.CharField):
    """A CharField that takes strings only, and whose schema says what DRF
    refuses anyway: no NUL character."""

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.validators.append(RegexValidator(NO_NUL, "No NUL character, please."))

    def to_internal_value(self, data) -> str:
        # DRF would turn 12 or true into "12" or "True"; the schema says string.
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


# Filters (query parameters)


def id_field() -> serializers.IntegerField:
    return serializers.IntegerField(required=False, min_value=1, max_value=2**63 - 1)


class EventFilterSerializer(serializers.Serializer):
    integration = id_field()
    status = serializers.ChoiceField(WebhookEvent.Status.choices, required=False)
    type = Text(required=False, max_length=100)
    stripe_id = Text(required=False, max_length=255)
    object_id = Text(
        required=False, max_length=255, help_text="The Stripe object of the event."
    )
    received_after = serializers.DateTimeField(required=False)
    received_before = serializers.DateTimeField(required=False)


class RecordFilterSerializer(serializers.Serializer):
    integration = id_field()
    status = serializers.ChoiceField(SyncRecord.Status.choices, required=False)
    operation = serializers.ChoiceField(SyncRecord.Operation.choices, required=False)
    stripe_id = Text(required=False, max_length=255)
    erp_reference = Text(required=False, max_length=255)
    event = id_field()
    created_after = serializers.DateTimeField(required=False)
    created_before = serializers.DateTimeField(required=False)
    reversal = serializers.ChoiceField(
        [
            ("reversed", "Reversed"),
            ("reversal", "Is a reversal"),
            ("neither", "Neither"),
        ],
        required=False,
        help_text="reversed: records whose document was reversed; reversal: the "
        "records that reverse one; neither: the rest.",
    )


class PayloadChangeFilterSerializer(serializers.Serializer):
    status = serializers.ChoiceField(PayloadChange.Status.choices, required=False)
    record = id_field()


class AlertFilterSerializer(serializers.Serializer):
    integration = id_field()
    level = serializers.ChoiceField(Alert.Level.choices, required=False)
    code = Text(required=False, max_length=50)
    open = serializers.BooleanField(
        required=False,
        allow_null=True,
        default=None,
        help_text="true: unresolved only; false: resolved only.",
    )


# Resources


class IntegrationHealthSerializer(serializers.Serializer):
    needs_attention = serializers.IntegerField()
    retrying = serializers.IntegerField()
    held = serializers.IntegerField()
    unknown_outcome = serializers.IntegerField(
        help_text="Writes whose reply was lost: a person confirms or posts again."
    )
    open_alerts = serializers.IntegerField()
    last_event_at = serializers.DateTimeField(allow_null=True)
    queue_paused = serializers.BooleanField()
    queue_paused_reason = serializers.CharField()


class IntegrationSerializer(serializers.ModelSerializer):
    erp_kind = serializers.CharField(source="erp_connection.kind")
    health = serializers.SerializerMethodField()

    class Meta:
        model = Integration
        fields = [
            "id",
            "uuid",
            "name",
            "erp_kind",
            "is_active",
            "flows",
            "stripe_api_version",
            "health",
            "created_at",
            "updated_at",
        ]

    @extend_schema_field(IntegrationHealthSerializer)
    def get_health(self, obj: Integration) -> dict:
        return {
            "needs_attention": obj.needs_attention,
            "retrying": obj.retrying,
            "held": obj.held,
            "unknown_outcome": obj.unknown_outcome,
            "open_alerts": obj.open_alerts,
            "last_event_at": serializers.DateTimeField().to_representation(
                obj.last_event_at
            )
            if obj.last_event_at
            else None,
            "queue_paused": bool(obj.queue_paused_reason),
            "queue_paused_reason": obj.queue_paused_reason,
        }


class WebhookEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = WebhookEvent
        fields = [
            "id",
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
        ]


class WebhookEventDetailSerializer(WebhookEventSerializer):
    data = serializers.SerializerMethodField(
        help_text="The event as Stripe sent it (headers are not shown)."
    )

    class Meta(WebhookEventSerializer.Meta):
        fields = [*WebhookEventSerializer.Meta.fields, "data"]

    @extend_schema_field({"type": "object", "nullable": True})
    def get_data(self, obj: WebhookEvent) -> dict | None:
        try:
            data = json.loads(obj.body)
        except ValueError:
            return None
        return data if isinstance(data, dict) else None


class SyncRecordSerializer(serializers.ModelSerializer):
    amount = MoneyField()
    explanation = ErrorExplanationField()
    reverses = serializers.PrimaryKeyRelatedField(
        read_only=True,
        allow_null=True,
        help_text="The record whose ERP document this one reverses, if any.",
    )
    reversed_by = serializers.SerializerMethodField(
        help_text="The record that reverses this one's ERP document, if any."
    )

    class Meta:
        model = SyncRecord
        fields = [
            "id",
            "integration",
            "event",
            "operation",
            "status",
            "stripe_id",
            "erp_reference",
            "amount",
            "attempts",
            "next_attempt_at",
            "error_class",
            "error_message",
            "explanation",
            "hold_reason",
            "payload_edited",
            "reverses",
            "reversed_by",
            "requested_by_label",
            "created_at",
            "updated_at",
            "succeeded_at",
        ]

    @extend_schema_field({"type": "integer", "nullable": True})
    def get_reversed_by(self, obj: SyncRecord) -> int | None:
        try:
            return obj.reversal.pk
        except SyncRecord.reversal.RelatedObjectDoesNotExist:
            return None


class SyncAttemptSerializer(serializers.ModelSerializer):
    class Meta:
        model = SyncAttempt
        fields = [
            "number",
            "started_at",
            "duration_ms",
            "succeeded",
            "request",
            "response",
            "error_class",
            "error_message",
        ]


class AuditEntrySerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor_label")

    class Meta:
        model = AuditEntry
        fields = ["id", "actor", "action", "before", "after", "reason", "created_at"]


class PayloadChangeSerializer(serializers.ModelSerializer):
    proposed_by = serializers.CharField(source="proposed_by_label")
    decided_by = serializers.CharField(source="decided_by_label")

    class Meta:
        model = PayloadChange
        fields = [
            "id",
            "record",
            "status",
            "base_payload",
            "payload",
            "protected_fields",
            "reason",
            "proposed_by",
            "created_at",
            "decided_by",
            "decided_at",
            "decision_reason",
        ]


class SyncRecordDetailSerializer(SyncRecordSerializer):
    depends_on = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    attempt_log = SyncAttemptSerializer(many=True, read_only=True)
    audit = serializers.SerializerMethodField()
    payload_changes = PayloadChangeSerializer(many=True, read_only=True)

    class Meta(SyncRecordSerializer.Meta):
        fields = [
            *SyncRecordSerializer.Meta.fields,
            "idempotency_key",
            "source",
            "payload",
            "response",
            "depends_on",
            "attempt_log",
            "audit",
            "payload_changes",
        ]

    @extend_schema_field(AuditEntrySerializer(many=True))
    def get_audit(self, obj: SyncRecord) -> list[dict]:
        return AuditEntrySerializer(self.context["audit"], many=True).data


class AlertSerializer(serializers.ModelSerializer):
    acknowledged_by = serializers.StringRelatedField(
        read_only=True, allow_null=True, help_text="Username of who acknowledged it."
    )

    class Meta:
        model = Alert
        fields = [
            "id",
            "integration",
            "level",
            "code",
            "message",
            "created_at",
            "acknowledged_at",
            "acknowledged_by",
            "resolved_at",
        ]


# Action input and output


class ReasonSerializer(serializers.Serializer):
    reason = Text(required=False, allow_blank=True, default="", max_length=2000)


class SkipSerializer(serializers.Serializer):
    reason = Text(max_length=2000, help_text="Why it is skipped.")


class ReverseSerializer(serializers.Serializer):
    reason = Text(max_length=2000, help_text="Why the posting is reversed.")


class ReverseResultSerializer(serializers.Serializer):
    changed = serializers.BooleanField(
        help_text="False: the record was already reversed; `reversal` is that "
        "reversal, and nothing new was planned."
    )
    record = SyncRecordSerializer(help_text="The original record.")
    reversal = SyncRecordSerializer(
        help_text="The record that posts the ERP's reversing document; it runs "
        "like any ledger record (see its status)."
    )


class EditPayloadSerializer(serializers.Serializer):
    payload = serializers.DictField(
        help_text="The whole ERP payload, a JSON object.", validators=[no_nul_inside]
    )
    reason = Text(required=False, allow_blank=True, default="", max_length=2000)


class ConfirmPostedSerializer(serializers.Serializer):
    erp_reference = Text(
        max_length=SyncRecord._meta.get_field("erp_reference").max_length,
        validators=[RegexValidator(PRINTABLE, "No line break or control character.")],
        help_text="The document's reference as the ERP shows it.",
    )
    reason = Text(required=False, allow_blank=True, default="", max_length=2000)


class RecordActionResultSerializer(serializers.Serializer):
    changed = serializers.BooleanField(
        help_text="False: the record was not in a state this action applies to."
    )
    record = SyncRecordSerializer()


class EditPayloadResultSerializer(serializers.Serializer):
    applied = serializers.BooleanField(
        help_text="False: the edit changes protected fields and waits for a "
        "second person's approval (payload_change)."
    )
    record = SyncRecordSerializer()
    payload_change = PayloadChangeSerializer(allow_null=True)


class EventActionResultSerializer(serializers.Serializer):
    changed = serializers.BooleanField()
    event = WebhookEventSerializer()


class AlertActionResultSerializer(serializers.Serializer):
    changed = serializers.BooleanField()
    alert = AlertSerializer()


class IntegrationResumeResultSerializer(serializers.Serializer):
    queued = serializers.IntegerField(help_text="Records queued again.")
