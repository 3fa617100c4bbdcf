"""The mapping engine: compile field mappings once, apply them to sources fast.

A field mapping (a dict, from a `FieldMapping` row or a default template)::

    {"target": "Name", "source": "name",
     "transforms": [{"name": "truncate", "params": {"length": 30}}],
     "default": None, "condition": {"path": "sku", "op": "present"},
     "required": False}

`compile_mapping` turns a list of them plus the ERP schema into closures, so
building a payload is a loop over prepared callables (the ledger maps every
record through here; bench/mapping.py measures it). A target of type
``lines`` maps each item of the source list through the child entity's
compiled mapping; each line's source is the item plus ``line_number``
(1-based), the parent's ``currency`` and ``options``, and ``parent``.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import partial
from typing import Any

from .errors import PayloadInvalid
from .schemas import DATE, DECIMAL, FLAG, INT, LINES, STRING, EntitySchema
from .transforms import REGISTRY, TransformError, compare, is_ref

_MISSING = object()


def _path_getter(path: str) -> Callable[[Any], Any]:
    """A fast reader for a dotted path; list items by number (lines.0.sku)."""
    if not path:
        return lambda source: None
    parts = tuple(int(p) if p.isdigit() else p for p in path.split("."))
    if len(parts) == 1:
        key = parts[0]
        return lambda source: source.get(key) if isinstance(source, dict) else None

    def get(source: Any) -> Any:
        current = source
        for part in parts:
            if isinstance(current, dict):
                current = current.get(part)
            elif isinstance(current, list | tuple) and isinstance(part, int):
                current = (
                    current[part] if -len(current) <= part < len(current) else None
                )
            else:
                return None
            if current is None:
                return None
        return current

    return get


def resolve(source: Any, path: str) -> Any:
    return _path_getter(path)(source)


def _param_resolver(value: Any) -> Callable[[dict], Any] | None:
    """A run-time reader for a parameter holding $path references, else None."""
    if is_ref(value):
        return _path_getter(value[1:])
    if isinstance(value, list) and any(is_ref(v) for v in value):
        readers = [_param_resolver(v) or (lambda s, v=v: _literal(v)) for v in value]
        return lambda source: [read(source) for read in readers]
    return None


def _literal(value: Any) -> Any:
    return value[1:] if isinstance(value, str) and value.startswith("$$") else value


# A prepared transform: (callable, whether it takes the source, transform name).
Step = tuple[Callable[..., Any], bool, str]


def _compile_step(step: dict) -> Step:
    found = REGISTRY[step["name"]]
    fn = found.fn
    static: dict[str, Any] = {}
    dynamic: dict[str, Callable[[dict], Any]] = {}
    for name, value in (step.get("params") or {}).items():
        reader = _param_resolver(value)
        if reader is None:
            static[name] = (
                [_literal(v) for v in value]
                if isinstance(value, list)
                else _literal(value)
            )
        else:
            dynamic[name] = reader
    for key in found.reads:
        dynamic[key] = _path_getter(key)
    if not dynamic:
        return partial(fn, **static), False, found.name
    if len(dynamic) == 1 and not static:
        ((key, read),) = dynamic.items()

        def run_one(value: Any, source: dict) -> Any:
            return fn(value, **{key: read(source)})

        return run_one, True, found.name

    def run_dynamic(value: Any, source: dict) -> Any:
        params = dict(static)
        for key, reader in dynamic.items():
            params[key] = reader(source)
        return fn(value, **params)

    return run_dynamic, True, found.name


def _compile_condition(condition: Any) -> Callable[[dict], bool] | None:
    if not condition:
        return None
    get = _path_getter(condition.get("path", ""))
    op = condition.get("op", "present")
    operand = condition.get("value")
    return lambda source: compare(get(source), op, operand)


_SKIP = object()  # a field whose condition is false: left out of the payload


@dataclass(frozen=True)
class CompiledField:
    target: str
    getter: Callable[[Any], Any]
    steps: tuple[Step, ...]
    default: Any
    condition: Callable[[dict], bool] | None
    required: bool
    kind: str
    child: "CompiledMapping | None" = None


def _fuse(f: CompiledField, entity: str) -> Callable[[dict], Any]:
    """One closure per field: condition, read, pipeline, default, required, wire form.

    Fusing keeps the per-record cost to a handful of calls per field, which
    is what lets the ledger map thousands of records a second.
    """
    getter, steps, default, condition = f.getter, f.steps, f.default, f.condition
    required, target, kind = f.required, f.target, f.kind
    coerce = _COERCERS.get(kind)

    def run(source: dict) -> Any:
        if condition is not None and not condition(source):
            return _SKIP
        value = getter(source)
        for step, with_source, name in steps:
            try:
                value = step(value, source) if with_source else step(value)
            except (TransformError, ValueError, TypeError, ArithmeticError) as exc:
                raise PayloadInvalid(
                    field=target,
                    value=value,
                    rule=f"transform {name}: {exc}",
                    entity=entity,
                ) from exc
        if value is None or value == "":
            if default is not None:
                value = default
            elif required:
                raise PayloadInvalid(
                    field=target,
                    value=value,
                    rule="required by the mapping",
                    entity=entity,
                )
            else:
                return ""
        return coerce(value) if coerce is not None else value

    return run


class CompiledMapping:
    """A mapping ready to apply: `build(source)` gives the payload."""

    def __init__(
        self,
        *,
        schema: EntitySchema,
        fields: tuple[CompiledField, ...],
        version: int | None = None,
    ) -> None:
        self.schema = schema
        self.fields = fields
        self.version = version
        # Line entities' schemas, for validating the payloads this builds.
        self.child_schemas: dict[str, EntitySchema] = {}
        entity = schema.entity
        self._plan = tuple(
            (f.target, _fuse(f, entity), f) if f.child is None else (f.target, None, f)
            for f in fields
        )

    def build(self, source: dict) -> dict:
        """The payload for one source; raises PayloadInvalid on a mapping failure."""
        payload: dict[str, Any] = {}
        for target, run, f in self._plan:
            if run is not None:
                value = run(source)
                if value is not _SKIP:
                    payload[target] = value
            elif f.condition is None or f.condition(source):
                payload[target] = self._lines(f, f.getter(source), source)
        return payload

    def _lines(self, f: CompiledField, items: Any, source: dict) -> list[dict]:
        if items is None or items == "":
            items = []
        if not isinstance(items, list | tuple):
            raise PayloadInvalid(
                field=f.target, value=items, rule="must be a list of lines"
            )
        child = f.child
        currency = source.get("currency")
        options = source.get("options")
        lines = []
        for number, item in enumerate(items, start=1):
            line_source = dict(item) if isinstance(item, dict) else {"value": item}
            line_source["line_number"] = number
            line_source.setdefault("currency", currency)
            line_source["options"] = options
            line_source["lookups"] = source.get("lookups")
            line_source["parent"] = source
            try:
                lines.append(child.build(line_source))
            except PayloadInvalid as exc:
                raise PayloadInvalid(
                    field=f"{f.target}[{number}].{exc.field}",
                    value=exc.value,
                    rule=exc.rule,
                ) from exc
        return lines


def _to_text(value: Any) -> Any:
    if type(value) is str:
        return value
    if isinstance(value, bool):
        return "Y" if value else "N"
    if isinstance(value, int | Decimal):
        return str(value)
    return value


def _to_decimal_text(value: Any) -> Any:
    if isinstance(value, int | Decimal) and not isinstance(value, bool):
        return str(value)
    return value


def _to_int(value: Any) -> Any:
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    return value


def _to_flag(value: Any) -> Any:
    if isinstance(value, bool):
        return "Y" if value else "N"
    return value


# Bring a transformed value to the wire form of its schema type.
_COERCERS: dict[str, Callable[[Any], Any]] = {
    STRING: _to_text,
    DECIMAL: _to_decimal_text,
    INT: _to_int,
    FLAG: _to_flag,
}


def compile_mapping(
    *,
    schema: EntitySchema,
    fields: list[dict],
    children: dict[str, "CompiledMapping"] | None = None,
    version: int | None = None,
) -> CompiledMapping:
    """Prepare field mappings for fast application (they must be valid already)."""
    compiled = []
    for spec in fields:
        target_spec = schema.get(spec["target"])
        kind = target_spec.type if target_spec else STRING
        child = None
        if kind == LINES:
            child = (children or {}).get(target_spec.child)
            if child is None:
                raise KeyError(f"no mapping for line entity {target_spec.child}")
        compiled.append(
            CompiledField(
                target=spec["target"],
                getter=_path_getter(spec.get("source") or ""),
                steps=tuple(
                    _compile_step(step) for step in spec.get("transforms") or ()
                ),
                default=spec.get("default"),
                condition=_compile_condition(spec.get("condition")),
                required=bool(spec.get("required")),
                kind=kind,
                child=child,
            )
        )
    return CompiledMapping(schema=schema, fields=tuple(compiled), version=version)


# ---------------------------------------------------------------- validation

_DECIMAL_RE = re.compile(r"-?\d+(\.\d+)?")
_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _type_problem(kind: str, value: Any) -> str:
    if kind == STRING:
        return "" if isinstance(value, str) else "must be text"
    if kind == DECIMAL:
        if isinstance(value, str) and _DECIMAL_RE.fullmatch(value):
            return ""
        return "must be a decimal number as text, like 19.99"
    if kind == DATE:
        if isinstance(value, str) and _DATE_RE.fullmatch(value):
            try:
                date.fromisoformat(value)
            except ValueError:
                return "must be a real calendar date"
            return ""
        return "must be a date CCYY-MM-DD"
    if kind == INT:
        if isinstance(value, int) and not isinstance(value, bool):
            return ""
        if isinstance(value, str) and value.isdigit():
            return ""
        return "must be a whole number"
    if kind == FLAG:
        return "" if value in ("Y", "N") else "must be Y or N"
    if kind == LINES:
        return "" if isinstance(value, list) else "must be a list of lines"
    return ""


def _checker(spec: Any) -> Callable[[Any], str]:
    """A type, length, choice and sign check for one field, specialised once."""
    kind, limit, choices, positive = (
        spec.type,
        spec.max_length,
        frozenset(spec.choices),
        spec.positive,
    )
    shown_choices = ", ".join(repr(c) for c in spec.choices)

    def check(value: Any) -> str:
        problem = _type_problem(kind, value)
        if problem:
            return problem
        if limit and type(value) is str and len(value) > limit:
            return f"longer than {limit} characters ({len(value)})"
        if choices and value not in choices:
            return f"must be one of {shown_choices}"
        if positive and Decimal(value) <= 0:
            return "must be greater than zero"
        return ""

    if kind == STRING and not choices:

        def check_text(value: Any) -> str:
            if type(value) is not str:
                return "must be text"
            if limit and len(value) > limit:
                return f"longer than {limit} characters ({len(value)})"
            return ""

        return check_text
    return check


def _entries(schema: EntitySchema) -> tuple:
    """Per-schema validation plan, computed once and kept on the schema."""
    found = schema.__dict__.get("_validation_plan")
    if found is None:
        found = (
            frozenset(schema.by_name),
            tuple(
                (
                    spec.name,
                    spec.required,
                    spec.required_when,
                    _checker(spec),
                    spec.child if spec.type == LINES else "",
                )
                for spec in schema.fields
            ),
        )
        object.__setattr__(schema, "_validation_plan", found)
    return found


def validate_payload(
    *,
    schema: EntitySchema,
    payload: Any,
    child_schemas: dict[str, EntitySchema] | None = None,
    prefix: str = "",
) -> None:
    """Check a payload against the ERP schema; the first problem is raised."""
    entity = schema.entity
    if type(payload) is not dict:
        raise PayloadInvalid(
            field=prefix or entity, value=payload, rule="must be a JSON object"
        )
    names, entries = _entries(schema)
    where_entity = "" if prefix else entity
    if not payload.keys() <= names:
        name = next(n for n in payload if n not in names)
        raise PayloadInvalid(
            field=prefix + name,
            value=payload[name],
            rule=f"not a field of {schema.title}",
            entity=where_entity,
        )
    for name, required, required_when, check, child in entries:
        value = payload.get(name, _MISSING)
        if value is _MISSING or value is None or value == "" or value == []:
            rule = ""
            if required:
                rule = "required"
            elif required_when and payload.get(required_when[0]) in required_when[1]:
                other, values = required_when
                rule = f"required when {other} is {'/'.join(values)}"
            if rule:
                raise PayloadInvalid(
                    field=prefix + name,
                    value=None if value is _MISSING else value,
                    rule=rule,
                    entity=where_entity,
                )
            continue
        problem = check(value)
        if problem:
            raise PayloadInvalid(
                field=prefix + name, value=value, rule=problem, entity=where_entity
            )
        if child and child_schemas:
            child_schema = child_schemas[child]
            for number, line in enumerate(value, start=1):
                validate_payload(
                    schema=child_schema,
                    payload=line,
                    prefix=f"{entity}.{name}[{number}].",
                )


def _same_value(spec: Any, old: Any, new: Any) -> bool:
    """Equal as the ERP would read them: "10.0" is "10.00", blank is absent."""
    if old in (None, "") and new in (None, ""):
        return True
    if spec.type == DECIMAL:
        try:
            return Decimal(str(old)) == Decimal(str(new))
        except ArithmeticError:
            pass
    return old == new


def protected_changes(
    *,
    schema: EntitySchema,
    before: Any,
    after: Any,
    child_schemas: dict[str, EntitySchema] | None = None,
    prefix: str = "",
) -> list[str]:
    """The protected fields (money, customer, reference) `after` changes.

    Paths as validate_payload names them (`lines[2].Price`); a line added or
    removed counts as a change of the lines when a line holds protected fields.
    """
    before = before if isinstance(before, dict) else {}
    after = after if isinstance(after, dict) else {}
    changed: list[str] = []
    for spec in schema.fields:
        old, new = before.get(spec.name), after.get(spec.name)
        if spec.type == LINES:
            child = (child_schemas or {}).get(spec.child)
            if child is None or not any(f.protected for f in child.fields):
                continue
            old_lines = old if isinstance(old, list) else []
            new_lines = new if isinstance(new, list) else []
            if len(old_lines) != len(new_lines):
                changed.append(prefix + spec.name)
            for number, (old_line, new_line) in enumerate(
                zip(old_lines, new_lines, strict=False), start=1
            ):
                changed += protected_changes(
                    schema=child,
                    before=old_line,
                    after=new_line,
                    prefix=f"{prefix}{spec.name}[{number}].",
                )
        elif spec.protected and not _same_value(spec, old, new):
            changed.append(prefix + spec.name)
    return changed
