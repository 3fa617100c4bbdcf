"""Mapping sets over the API: export, import as a new version, dry run."""

from django.db import transaction
from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_view
from rest_framework import mixins, serializers
from rest_framework.decorators import action
from rest_framework.generics import get_object_or_404
from rest_framework.request import Request
from rest_framework.response import Response

from integrations.models import Integration
from mapping import selectors, services
from mapping.models import Entity, MappingSet

from .idempotency import IDEMPOTENCY_PARAMETER, idempotent
from .pagination import cursor_pagination
from .parsers import no_nul_inside
from .serializers import Text, id_field
from .views import ApiViewSet

DRY_RUN_MAX = 100


class MappingSetFilterSerializer(serializers.Serializer):
    integration = id_field()
    entity = serializers.ChoiceField(Entity.choices, required=False)
    active = serializers.BooleanField(required=False, allow_null=True, default=None)


class FieldSpecSerializer(serializers.Serializer):
    target = Text(max_length=60, help_text="ERP field name.")
    source = Text(
        max_length=200,
        allow_blank=True,
        required=False,
        default="",
        help_text="Dotted path into the source record.",
    )
    transforms = serializers.ListField(
        child=serializers.DictField(),
        required=False,
        default=list,
        validators=[no_nul_inside],
    )
    default = serializers.JSONField(
        required=False, allow_null=True, default=None, validators=[no_nul_inside]
    )
    condition = serializers.DictField(
        required=False, allow_null=True, default=None, validators=[no_nul_inside]
    )
    required = serializers.BooleanField(required=False, default=False)


class MappingSetSerializer(serializers.ModelSerializer):
    class Meta:
        model = MappingSet
        fields = [
            "id",
            "integration",
            "entity",
            "version",
            "is_active",
            "note",
            "based_on",
            "created_at",
            "updated_at",
        ]


class MappingSetExportSerializer(MappingSetSerializer):
    mappings = serializers.SerializerMethodField()

    class Meta(MappingSetSerializer.Meta):
        fields = [*MappingSetSerializer.Meta.fields, "mappings"]

    @extend_schema_field(FieldSpecSerializer(many=True))
    def get_mappings(self, obj: MappingSet) -> list[dict]:
        return selectors.mapping_set_field_specs(mapping_set_id=obj.pk)


class MappingSetImportSerializer(serializers.Serializer):
    integration = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    entity = serializers.ChoiceField(Entity.choices)
    mappings = FieldSpecSerializer(many=True)
    note = Text(max_length=255, allow_blank=True, required=False, default="")
    activate = serializers.BooleanField(
        required=False,
        default=False,
        help_text="Make the new version the active one (checked against the "
        "ERP schema either way).",
    )


class DryRunQuerySerializer(serializers.Serializer):
    limit = serializers.IntegerField(
        min_value=1, max_value=DRY_RUN_MAX, required=False, default=20
    )


class DryRunRowSerializer(serializers.Serializer):
    record = serializers.IntegerField()
    stripe_id = serializers.CharField()
    posted = serializers.JSONField(allow_null=True)
    payload = serializers.JSONField(allow_null=True)
    error = serializers.CharField()
    changes = serializers.ListField(child=serializers.DictField())


@extend_schema_view(
    list=extend_schema(
        parameters=[MappingSetFilterSerializer], summary="Mapping sets (versions)"
    ),
    retrieve=extend_schema(
        summary="Export one mapping set as JSON (importable as it is)",
        responses=MappingSetExportSerializer,
    ),
)
class MappingSetViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, ApiViewSet):
    serializer_class = MappingSetSerializer
    filter_serializer_class = MappingSetFilterSerializer
    pagination_class = cursor_pagination(("-created_at", "-id"))
    scopes = {"import_set": "admin"}
    permissions = {
        "list": ("mapping.view_mappingset",),
        "retrieve": ("mapping.view_mappingset",),
        "dry_run": ("mapping.view_mappingset",),
        "import_set": ("mapping.add_mappingset", "mapping.change_mappingset"),
    }

    def get_queryset(self):
        queryset = MappingSet.objects.all()
        if self.action != "list":
            return queryset
        filters = self.filters
        if filters.get("integration") is not None:
            queryset = queryset.filter(integration=filters["integration"])
        if filters.get("entity"):
            queryset = queryset.filter(entity=filters["entity"])
        if filters.get("active") is not None:
            queryset = queryset.filter(is_active=filters["active"])
        return queryset

    def get_serializer_class(self):
        if self.action == "retrieve":
            return MappingSetExportSerializer
        return super().get_serializer_class()

    @extend_schema(
        summary="Replay the latest records of the entity through this version",
        parameters=[DryRunQuerySerializer],
        responses=DryRunRowSerializer(many=True),
    )
    @action(detail=True, methods=["get"], url_path="dry-run")
    def dry_run(self, request: Request, pk=None) -> Response:
        mapping_set = self.get_object()
        query = DryRunQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        rows = services.mapping_dry_run(
            mapping_set=mapping_set, limit=query.validated_data["limit"]
        )
        return Response(
            [
                {
                    "record": row["record"].pk,
                    "stripe_id": row["record"].stripe_id,
                    "posted": row["posted"],
                    "payload": row["payload"],
                    "error": row["error"],
                    "changes": row["changes"],
                }
                for row in rows
            ]
        )

    @extend_schema(
        summary="Import a mapping as a new version of the integration's entity",
        request=MappingSetImportSerializer,
        responses={201: MappingSetExportSerializer},
        parameters=[IDEMPOTENCY_PARAMETER],
    )
    @action(detail=False, methods=["post"], url_path="import")
    @idempotent
    def import_set(self, request: Request) -> Response:
        parsed = MappingSetImportSerializer(data=request.data)
        parsed.is_valid(raise_exception=True)
        data = parsed.validated_data
        integration = get_object_or_404(Integration, pk=data["integration"])
        with transaction.atomic():
            mapping_set = services.mapping_set_create(
                integration=integration,
                entity=data["entity"],
                fields=[dict(spec) for spec in data["mappings"]],
                activate=data["activate"],
                note=data["note"],
            )
        return Response(MappingSetExportSerializer(mapping_set).data, status=201)
