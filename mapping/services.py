"""Writes and the hot path of the mapping engine.

`payload_build` runs for every ledger record: it reads which mapping sets
are active in one query and reuses compiled mappings from a process cache
keyed by (set id, version, updated_at), so an edit in admin is picked up by
the next record while unchanged sets are never recompiled. A run of records
(one event's customer, order and payment) may share one reading of the
active sets (`ActiveSets`) for up to ACTIVE_SETS_SECONDS.
"""

import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from django.db import transaction
from django.db.models import F, Max
from django.utils import timezone

from integrations import periods
from integrations.audit import audit_record
from integrations.models import SyncRecord
from integrations.operations import entity_operations, source_resolved

from .engine import (
    CompiledMapping,
    compile_mapping,
    protected_changes,
    validate_payload,
)
from .errors import MappingInvalid, PayloadInvalid
from .idmaps import IdMaps
from .models import AnomalyPolicy, FieldMapping, MappingSet, SuggestionFeedback
from .samples import sample_sources
from .schemas import (
    DATE,
    DECIMAL,
    ENTITIES,
    INT,
    LINES,
    STRING,
    EntitySchema,
    schema_for,
)
from .selectors import (
    mapping_set_active_keys,
    mapping_set_field_specs,
    suggestion_feedback_scores,
)
from .suggest import suggest_mapping
from .templates import default_options, template_for
from .transforms import CONDITION_OPS, PATH_RE, pipeline_problems

_CACHE: dict[tuple, CompiledMapping] = {}
_CACHE_LIMIT = 512
# How long a run of records maps with the active sets it read: an edit in
# admin reaches the next records of a long run within this.
ACTIVE_SETS_SECONDS = 1.0


class ActiveSets:
    """An integration's active mapping sets, read once per ACTIVE_SETS_SECONDS
    for the records of one run instead of once per record."""

    def __init__(
        self, integration_id: int, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.integration_id = integration_id
        self._clock = clock
        self._read: tuple[float, dict[str, tuple]] | None = None

    def keys(self) -> dict[str, tuple]:
        """entity → (pk, version, updated_at), as mapping_set_active_keys."""
        now = self._clock()
        if self._read is None or now - self._read[0] > ACTIVE_SETS_SECONDS:
            found = mapping_set_active_keys(integration_id=self.integration_id)
            self._read = (now, found)
        return self._read[1]


def _children_of(schema: EntitySchema) -> dict[str, str]:
    return {spec.name: spec.child for spec in schema.fields if spec.type == LINES}


def _child_schemas(erp: str, schema: EntitySchema) -> dict[str, EntitySchema]:
    return {
        child: schema_for(erp=erp, entity=child)
        for child in _children_of(schema).values()
    }


def _compile_specs(
    *,
    erp: str,
    entity: str,
    fields: list[dict],
    child_fields: dict[str, list[dict]],
    version: int | None,
) -> CompiledMapping:
    schema = schema_for(erp=erp, entity=entity)
    children = {
        child: compile_mapping(
            schema=schema_for(erp=erp, entity=child), fields=child_fields[child]
        )
        for child in _children_of(schema).values()
    }
    compiled = compile_mapping(
        schema=schema, fields=fields, children=children, version=version
    )
    compiled.child_schemas = _child_schemas(erp, schema)
    return compiled


def _fields_for(erp: str, entity: str, active: dict[str, tuple]) -> list[dict]:
    key = active.get(entity)
    if key is None:
        return template_for(erp=erp, entity=entity)
    return mapping_set_field_specs(mapping_set_id=key[0])


def compiled_for(
    *, integration: Any, entity: str, active_sets: ActiveSets | None = None
) -> CompiledMapping:
    """The integration's active mapping for an entity, compiled (cached).

    `active_sets`: the run's reading of the active sets, if it keeps one.
    """
    erp = integration.erp_kind
    if active_sets is not None and active_sets.integration_id == integration.pk:
        active = active_sets.keys()
    else:
        active = mapping_set_active_keys(integration_id=integration.pk)
    schema = schema_for(erp=erp, entity=entity)
    involved = (entity, *_children_of(schema).values())
    key = (erp, tuple((name, active.get(name)) for name in involved))
    found = _CACHE.get(key)
    if found is not None:
        return found
    if len(_CACHE) >= _CACHE_LIMIT:
        _CACHE.clear()
    top = active.get(entity)
    found = _compile_specs(
        erp=erp,
        entity=entity,
        fields=_fields_for(erp, entity, active),
        child_fields={
            child: _fields_for(erp, child, active)
            for child in _children_of(schema).values()
        },
        version=top[1] if top else None,
    )
    _CACHE[key] = found
    return found


def template_compiled(*, erp: str, entity: str) -> CompiledMapping:
    """The default template of an ERP kind, compiled (cached)."""
    key = (erp, entity, "template")
    found = _CACHE.get(key)
    if found is None:
        schema = schema_for(erp=erp, entity=entity)
        found = _compile_specs(
            erp=erp,
            entity=entity,
            fields=template_for(erp=erp, entity=entity),
            child_fields={
                child: template_for(erp=erp, entity=child)
                for child in _children_of(schema).values()
            },
            version=None,
        )
        _CACHE[key] = found
    return found


def source_with_options(source: dict, *, erp: str) -> dict:
    """The source with the integration options over the ERP's documented
    defaults, its business time zone always named (integrations/periods.py)."""
    options = source.get("options") or {}
    merged = periods.options_with_timezone({**default_options(erp=erp), **options})
    return {**source, "options": merged}


def payload_map(*, compiled: CompiledMapping, erp: str, source: dict) -> dict:
    """Map and validate one source through a compiled mapping."""
    payload = compiled.build(source_with_options(source, erp=erp))
    validate_payload(
        schema=compiled.schema,
        payload=payload,
        child_schemas=compiled.child_schemas,
    )
    return payload


def payload_build(
    *,
    integration: Any,
    entity: str,
    source: dict,
    active_sets: ActiveSets | None = None,
) -> tuple[dict, int | None]:
    """The validated ERP payload for a canonical source, and the mapping version.

    The version is None when the integration has no stored set for the
    entity and the default template was used.
    """
    compiled = compiled_for(
        integration=integration, entity=entity, active_sets=active_sets
    )
    lookups = IdMaps(integration=integration, options=integration.options)
    payload = payload_map(
        compiled=compiled,
        erp=integration.erp_kind,
        source={**source, "lookups": lookups},
    )
    return payload, compiled.version


def payload_validate(*, integration: Any, entity: str, payload: Any) -> None:
    """Check a payload (e.g. one edited by hand) against the ERP schema."""
    erp = integration.erp_kind
    schema = schema_for(erp=erp, entity=entity)
    validate_payload(
        schema=schema, payload=payload, child_schemas=_child_schemas(erp, schema)
    )


def payload_protected_changes(
    *, integration: Any, entity: str, before: Any, after: Any
) -> list[str]:
    """The money, customer and reference fields an edit of a payload changes."""
    erp = integration.erp_kind
    schema = schema_for(erp=erp, entity=entity)
    return protected_changes(
        schema=schema,
        before=before,
        after=after,
        child_schemas=_child_schemas(erp, schema),
    )


# ---------------------------------------------------------------- save checks

# What a transform's output is, for the type fit of a target.
_OUTPUT_TYPES = {
    "unix_to_date": DATE,
    "unix_to_datetime": STRING,
    "lookup": None,  # whatever the id map holds: text, or a number for an id
    "minor_to_decimal": DECIMAL,
    "to_int": INT,
    "signed_part": INT,
    "upper": STRING,
    "lower": STRING,
    "trim": STRING,
    "truncate": STRING,
    "concat": STRING,
    "split_name": STRING,
    "regex_extract": STRING,
    "digits_only": STRING,
    "country_code": STRING,
    "state_code": STRING,
}
_FITS = {
    STRING: {STRING, DATE, DECIMAL, INT},
    DECIMAL: {DECIMAL, INT},
    DATE: {DATE, STRING},
    INT: {INT},
}


def _value_problem(spec: Any, value: Any, what: str) -> str:
    """A literal (constant or default) checked against the target's schema."""
    alone = replace(spec, required=False, required_when=None, positive=False)
    schema = EntitySchema(erp="", entity="", title="", fields=(alone,))
    try:
        validate_payload(schema=schema, payload={spec.name: _as_wire(value, spec.type)})
    except PayloadInvalid as exc:
        return f"{spec.name}: {what} {value!r} {exc.rule}"
    return ""


def _as_wire(value: Any, kind: str) -> Any:
    if (
        kind in (STRING, DECIMAL)
        and isinstance(value, int)
        and not isinstance(value, bool)
    ):
        return str(value)
    return value


def _condition_problem(condition: Any) -> str:
    if condition in (None, "", {}):
        return ""
    if not isinstance(condition, dict):
        return 'condition must be an object like {"path": "sku", "op": "present"}'
    unknown = sorted(set(condition) - {"path", "op", "value"})
    if unknown:
        return f"condition has unknown keys {unknown}"
    if not isinstance(condition.get("path"), str) or not PATH_RE.match(
        condition["path"]
    ):
        return f"condition path {condition.get('path')!r} is not a dotted path"
    op = condition.get("op", "present")
    if op not in CONDITION_OPS:
        return f"condition op {op!r} is not one of {', '.join(CONDITION_OPS)}"
    if op == "in" and not isinstance(condition.get("value"), list):
        return "condition op 'in' needs a list value"
    return ""


def field_mapping_problems(*, schema: EntitySchema, spec: dict) -> list[str]:
    """What is wrong with one field mapping on its own."""
    target = spec.get("target", "")
    target_spec = schema.get(target)
    if target_spec is None:
        return [f"{target!r} is not a field of {schema.title}"]
    problems = []
    source = spec.get("source") or ""
    if source and not PATH_RE.match(source):
        problems.append(f"{target}: source {source!r} is not a dotted path")
    pipeline = spec.get("transforms") or []
    pipeline_errors = pipeline_problems(pipeline)
    problems += [f"{target}: {p}" for p in pipeline_errors]
    problem = _condition_problem(spec.get("condition"))
    if problem:
        problems.append(f"{target}: {problem}")
    if target_spec.type == LINES:
        if pipeline:
            problems.append(f"{target}: a lines field takes no transforms")
        if not source:
            problems.append(f"{target}: a lines field needs a source list")
    elif not pipeline_errors:
        problems += _fit_problems(target_spec, pipeline, spec.get("default"))
    return problems


def mapping_fields_problems(*, erp: str, entity: str, fields: list[dict]) -> list[str]:
    """Everything that stops a set of field mappings from being saved."""
    schema = schema_for(erp=erp, entity=entity)
    problems: list[str] = []
    seen: set[str] = set()
    for spec in fields:
        target = spec.get("target", "")
        if target in seen:
            problems.append(f"{target}: mapped twice")
        seen.add(target)
        problems += field_mapping_problems(schema=schema, spec=spec)
    for name in schema.required:
        if name not in seen:
            problems.append(f"{name}: required by {schema.title} but not mapped")
    return problems


def _fit_problems(target_spec: Any, pipeline: list[dict], default: Any) -> list[str]:
    problems = []
    name = target_spec.name
    output = None
    for step in pipeline:
        params = step.get("params") or {}
        if step["name"] == "constant":
            output = "constant"
            problem = _value_problem(target_spec, params.get("value"), "constant")
            if problem:
                problems.append(problem)
        elif step["name"] == "truncate" and target_spec.max_length:
            length = params.get("length")
            if isinstance(length, int) and length > target_spec.max_length:
                problems.append(
                    f"{name}: truncate length {length} exceeds the field's "
                    f"{target_spec.max_length} characters"
                )
            output = STRING
        else:
            output = _OUTPUT_TYPES.get(step["name"], output)
    if output in _FITS.get(target_spec.type, set()) or output in (None, "constant"):
        pass
    else:
        problems.append(
            f"{name}: the pipeline gives a {output} value but the field is "
            f"{target_spec.type}"
        )
    if default is not None:
        problem = _value_problem(target_spec, default, "default")
        if problem:
            problems.append(problem)
    return problems


def mapping_fields_check(*, erp: str, entity: str, fields: list[dict]) -> None:
    problems = mapping_fields_problems(erp=erp, entity=entity, fields=fields)
    if problems:
        raise MappingInvalid(problems)


# ---------------------------------------------------------------- sets


def _next_version(*, integration: Any, entity: str) -> int:
    top = MappingSet.objects.filter(integration=integration, entity=entity).aggregate(
        top=Max("version")
    )["top"]
    return (top or 0) + 1


def _store_fields(mapping_set: MappingSet, fields: list[dict]) -> None:
    FieldMapping.objects.bulk_create(
        FieldMapping(
            mapping_set=mapping_set,
            position=index,
            target=spec["target"],
            source_path=spec.get("source") or "",
            transforms=spec.get("transforms") or [],
            default=spec.get("default"),
            condition=spec.get("condition") or None,
            required=bool(spec.get("required")),
            suggestion_confidence=spec.get("confidence"),
            suggestion_reason=(spec.get("reason") or "")[:255],
            suggested_source=spec.get("source") or "" if "confidence" in spec else "",
        )
        for index, spec in enumerate(fields)
    )


@transaction.atomic
def mapping_set_create(
    *,
    integration: Any,
    entity: str,
    fields: list[dict],
    activate: bool = False,
    note: str = "",
    based_on: MappingSet | None = None,
    check: bool = True,
) -> MappingSet:
    """A new version of an entity's mapping, checked against the ERP schema.

    `check=False` stores an unchecked draft (a suggestion); activating it
    checks it then.
    """
    if check or activate:
        mapping_fields_check(erp=integration.erp_kind, entity=entity, fields=fields)
    if activate:
        MappingSet.objects.filter(
            integration=integration, entity=entity, is_active=True
        ).update(is_active=False)
    mapping_set = MappingSet.objects.create(
        integration=integration,
        entity=entity,
        version=_next_version(integration=integration, entity=entity),
        is_active=activate,
        note=note[:255],
        based_on=based_on,
    )
    _store_fields(mapping_set, fields)
    return mapping_set


def mapping_defaults_install(*, integration: Any) -> list[MappingSet]:
    """Give an integration the default templates of its ERP (idempotent).

    Entities that already have any version are left alone.
    """
    installed = []
    existing = set(
        MappingSet.objects.filter(integration=integration).values_list(
            "entity", flat=True
        )
    )
    for entity in ENTITIES:
        if entity in existing:
            continue
        installed.append(
            mapping_set_create(
                integration=integration,
                entity=entity,
                fields=template_for(erp=integration.erp_kind, entity=entity),
                activate=True,
                note="Default template",
            )
        )
    return installed


@transaction.atomic
def mapping_set_archive(*, mapping_set: MappingSet) -> MappingSet:
    """Keep the stored content of a set under its current number, bump the live one.

    Called before an active set is edited in place, so records mapped with
    the old version still find exactly what they were mapped with.
    """
    stored = MappingSet.objects.select_for_update().get(pk=mapping_set.pk)
    old_version = stored.version
    new_version = _next_version(integration=stored.integration, entity=stored.entity)
    MappingSet.objects.filter(pk=stored.pk).update(version=new_version)
    archive = MappingSet.objects.create(
        integration_id=stored.integration_id,
        entity=stored.entity,
        version=old_version,
        is_active=False,
        note=f"Archived v{old_version}"[:255],
        based_on=stored.based_on,
    )
    _store_fields(archive, mapping_set_field_specs(mapping_set_id=stored.pk))
    mapping_set.version = new_version
    return archive


@transaction.atomic
def mapping_set_activate(*, mapping_set: MappingSet, actor: Any = None) -> MappingSet:
    """Make a version the one in use; record what was kept of its suggestions."""
    if mapping_set.is_active:
        return mapping_set
    fields = mapping_set_field_specs(mapping_set_id=mapping_set.pk)
    mapping_fields_check(
        erp=mapping_set.integration.erp_kind, entity=mapping_set.entity, fields=fields
    )
    previous = MappingSet.objects.filter(
        integration_id=mapping_set.integration_id,
        entity=mapping_set.entity,
        is_active=True,
    ).first()
    if previous:
        MappingSet.objects.filter(pk=previous.pk).update(is_active=False)
    mapping_set.is_active = True
    mapping_set.save(update_fields=["is_active", "updated_at"])
    suggestion_feedback_record(mapping_set=mapping_set)
    audit_record(
        actor=actor,
        action="mapping_set.activated",
        target=mapping_set,
        before={"version": previous.version if previous else None},
        after={"version": mapping_set.version, "entity": mapping_set.entity},
    )
    return mapping_set


@transaction.atomic
def mapping_set_touch(*, mapping_set: MappingSet) -> None:
    """Mark a set changed so compiled caches pick up edits of its fields."""
    MappingSet.objects.filter(pk=mapping_set.pk).update(updated_at=timezone.now())


def suggestion_feedback_record(*, mapping_set: MappingSet) -> int:
    """Count kept suggestions as accepted, replaced ones as rejected."""
    erp = mapping_set.integration.erp_kind
    counted = 0
    for row in FieldMapping.objects.filter(mapping_set=mapping_set).exclude(
        suggested_source=""
    ):
        kept = row.source_path == row.suggested_source
        feedback, _ = SuggestionFeedback.objects.get_or_create(
            erp=erp,
            entity=mapping_set.entity,
            target=row.target,
            source_path=row.suggested_source,
        )
        column = "accepted" if kept else "rejected"
        SuggestionFeedback.objects.filter(pk=feedback.pk).update(
            **{column: F(column) + 1}
        )
        if not kept and row.source_path:
            chosen, _ = SuggestionFeedback.objects.get_or_create(
                erp=erp,
                entity=mapping_set.entity,
                target=row.target,
                source_path=row.source_path,
            )
            SuggestionFeedback.objects.filter(pk=chosen.pk).update(
                accepted=F("accepted") + 1
            )
        counted += 1
    # Count each suggestion once: later activations of the same set change nothing.
    FieldMapping.objects.filter(mapping_set=mapping_set).update(suggested_source="")
    return counted


def anomaly_policy_ensure(*, integration: Any) -> AnomalyPolicy:
    policy, _ = AnomalyPolicy.objects.get_or_create(integration=integration)
    return policy


# ---------------------------------------------------------------- suggestions


def suggestion_samples(*, integration: Any, entity: str, limit: int = 20) -> list[dict]:
    """Recent canonical sources of the entity (as the ledger maps them), else samples.

    Suggestions must name paths that exist at run time, so they are drawn
    from canonical records, not raw Stripe objects.
    """
    operations = entity_operations(entity)
    options = periods.options_with_timezone(
        {**default_options(erp=integration.erp_kind), **(integration.options or {})}
    )
    rows = list(
        SyncRecord.objects.filter(integration=integration, operation__in=operations)
        .order_by("-created_at")
        .values_list("source", flat=True)[:limit]
    )
    if not rows:
        fallback = sample_sources().get(entity)
        rows = [fallback] if fallback else []
    return [{**row, "options": options} for row in rows]


@transaction.atomic
def mapping_set_suggest_draft(
    *, integration: Any, entity: str, samples: list[dict] | None = None
) -> MappingSet:
    """A new inactive version filled with suggestions, for review before use.

    Targets the engine has nothing convincing for keep what the active
    version (or the default template) does, so the draft stays complete.
    """
    erp = integration.erp_kind
    schema = schema_for(erp=erp, entity=entity)
    if samples is None:
        samples = suggestion_samples(integration=integration, entity=entity)
    current = {
        spec["target"]: spec
        for spec in _fields_for(
            erp, entity, mapping_set_active_keys(integration_id=integration.pk)
        )
    }
    feedback = suggestion_feedback_scores(erp=erp, entity=entity)
    fields = []
    for suggestion in suggest_mapping(
        target_fields=schema.fields, samples=samples, feedback=feedback, entity=entity
    ):
        kept = current.get(suggestion.target)
        if suggestion.source and suggestion.target in _children_of(schema):
            fields.append(
                {
                    **(kept or {}),
                    "target": suggestion.target,
                    "source": suggestion.source,
                    "transforms": [],
                }
            )
        elif suggestion.source or suggestion.transforms:
            spec = suggestion.as_spec()
            if kept and kept.get("source") == suggestion.source:
                # Same source as today: keep today's pipeline, note the agreement.
                spec = {
                    **kept,
                    "confidence": spec["confidence"],
                    "reason": spec["reason"],
                }
            fields.append(spec)
        elif kept:
            fields.append({**kept, "reason": "no suggestion: kept from current"})
    # A suggested pipeline that does not fit the schema gives way to the
    # current mapping of that target.
    fields = [
        current[spec["target"]]
        if spec["target"] in current
        and field_mapping_problems(schema=schema, spec=spec)
        else spec
        for spec in fields
    ]
    top = MappingSet.objects.filter(integration=integration, entity=entity).first()
    return mapping_set_create(
        integration=integration,
        entity=entity,
        fields=fields,
        activate=False,
        note="Suggested draft: review before activating",
        based_on=top,
        check=False,
    )


# ---------------------------------------------------------------- preview


def compiled_for_set(*, mapping_set: MappingSet) -> CompiledMapping:
    """A stored version (draft or not) compiled, lines through the active sets."""
    integration = mapping_set.integration
    erp = integration.erp_kind
    active = mapping_set_active_keys(integration_id=integration.pk)
    schema = schema_for(erp=erp, entity=mapping_set.entity)
    return _compile_specs(
        erp=erp,
        entity=mapping_set.entity,
        fields=mapping_set_field_specs(mapping_set_id=mapping_set.pk),
        child_fields={
            child: _fields_for(erp, child, active)
            for child in _children_of(schema).values()
        },
        version=mapping_set.version,
    )


def mapping_preview(*, mapping_set: MappingSet, source: dict) -> dict:
    """Source, payload and validation result of one source through a version."""
    erp = mapping_set.integration.erp_kind
    result: dict[str, Any] = {"source": source, "payload": None, "error": ""}
    try:
        compiled = compiled_for_set(mapping_set=mapping_set)
        integration = mapping_set.integration
        lookups = IdMaps(integration=integration, options=integration.options)
        payload = compiled.build(
            source_with_options({**source, "lookups": lookups}, erp=erp)
        )
        result["payload"] = payload
        validate_payload(
            schema=compiled.schema,
            payload=payload,
            child_schemas=_child_schemas(erp, compiled.schema),
        )
    except (PayloadInvalid, KeyError) as exc:
        result["error"] = getattr(exc, "message", str(exc))
    return result


def payload_diff(before: Any, after: Any, prefix: str = "") -> list[dict]:
    """Field-by-field differences between two payloads (lines by position)."""
    if isinstance(before, dict) and isinstance(after, dict):
        changes = []
        for key in list(before) + [k for k in after if k not in before]:
            changes += payload_diff(
                before.get(key),
                after.get(key),
                f"{prefix}{key}" if not prefix else f"{prefix}.{key}",
            )
        return changes
    if isinstance(before, list) and isinstance(after, list):
        changes = []
        for index in range(max(len(before), len(after))):
            changes += payload_diff(
                before[index] if index < len(before) else None,
                after[index] if index < len(after) else None,
                f"{prefix}[{index + 1}]",
            )
        return changes
    if before != after:
        return [{"field": prefix, "before": before, "after": after}]
    return []


def mapping_dry_run(*, mapping_set: MappingSet, limit: int = 20) -> list[dict]:
    """Replay the latest records of the entity through a version vs what was sent."""
    records = (
        SyncRecord.objects.filter(
            integration=mapping_set.integration,
            operation__in=entity_operations(mapping_set.entity),
        )
        .select_related("integration")
        .prefetch_related("depends_on")
        .order_by("-created_at")[:limit]
    )
    rows = []
    for record in records:
        preview = mapping_preview(
            mapping_set=mapping_set, source=source_resolved(record)
        )
        rows.append(
            {
                "record": record,
                "posted": record.payload,
                "payload": preview["payload"],
                "error": preview["error"],
                "changes": (
                    payload_diff(record.payload, preview["payload"])
                    if record.payload is not None and preview["payload"] is not None
                    else []
                ),
            }
        )
    return rows
