"""Reads for mapping sets, feedback and anomaly policies."""

from typing import Any

from django.db.models import QuerySet

from .models import FieldMapping, MappingSet, SuggestionFeedback


def mapping_set_active_get(*, integration: Any, entity: str) -> MappingSet | None:
    return MappingSet.objects.filter(
        integration=integration, entity=entity, is_active=True
    ).first()


def mapping_set_active_keys(*, integration_id: int) -> dict[str, tuple]:
    """entity → (pk, version, updated_at) of the active sets, in one query."""
    rows = (
        MappingSet.objects.filter(integration_id=integration_id, is_active=True)
        .order_by()
        .values_list("entity", "pk", "version", "updated_at")
    )
    return {entity: (pk, version, updated) for entity, pk, version, updated in rows}


def mapping_set_field_specs(*, mapping_set_id: int) -> list[dict]:
    return [
        row.as_spec()
        for row in FieldMapping.objects.filter(mapping_set_id=mapping_set_id)
    ]


def mapping_set_versions(*, integration: Any, entity: str) -> QuerySet[MappingSet]:
    return MappingSet.objects.filter(integration=integration, entity=entity)


def suggestion_feedback_scores(*, erp: str, entity: str) -> dict[tuple[str, str], int]:
    """(target, source_path) → accepted minus rejected, for the suggestion ranker."""
    return {
        (row.target, row.source_path): row.accepted - row.rejected
        for row in SuggestionFeedback.objects.filter(erp=erp, entity=entity)
    }
