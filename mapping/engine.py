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
from typing import Any

from .errors import PayloadInvalid
from .schemas import DATE, DECIMAL, FLAG, INT, LINES, STRING, EntitySchema
from .transforms import REGISTRY, TransformError, compare, is_empty, is_ref

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


Step = Callable[[Any, dict], Any]


def _compile_step(step: dict, target: str) -> Step:
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
    name = found.name

    def failed(value: Any, exc: Exception) -> PayloadInvalid:
        return PayloadInvalid(
            field=target, value=value, rule=f"transform {name}: {exc}"
        )

    if not dynamic:

        def run_static(value: Any, source: dict) -> Any:
            try:
                return fn(value, **static)
            except (TransformError, ValueError, TypeError, ArithmeticError) as exc:
                raise failed(value, exc) from exc

        return run_static

    def run_dynamic(value: Any, source: dict) -> Any:
        params = dict(static)
        for key, reader in dynamic.items():
            params[key] = reader(source)
        try:
            return fn(value, **params)
        except (TransformError, ValueError, TypeError, ArithmeticError) as exc:
            raise failed(value, exc) from exc

    return run_dynamic


def _compile_condition(condition: Any) -> Callable[[dict], bool] | None:
    if not condition:
        return None
    get = _path_getter(condition.get("path", ""))
    op = condition.get("op", "present")
    operand = condition.get("value")
    return lambda source: compare(get(source), op, operand)


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


@dataclass(frozen=True)
class CompiledMapping:
    schema: EntitySchema
    fields: tuple[CompiledField, ...]
    version: int | None = None

    def build(self, source: dict) -> dict:
        """The payload for one source; raises PayloadInvalid on a mapping failure."""
        payload: dict[str, Any] = {}
        for f in self.fields:
            if f.condition is not None and not f.condition(source):
                continue
            value = f.getter(source)
            if f.child is not None:
                payload[f.target] = self._lines(f, value, source)
                continue
            for step in f.steps:
                value = step(value, source)
            if (value is None or value == "") and f.default is not None:
                value = f.default
            if f.required and (value is None or value == ""):
                raise PayloadInvalid(
                    field=f.target,
                    value=value,
                    rule="required by the mapping",
                    entity=self.schema.entity,
                )
            payload[f.target] = _coerce(value, f.kind)
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


def _coerce(value: Any, kind: str) -> Any:
    """Bring a transformed value to the wire form of its schema type."""
    if value is None:
        return ""
    if kind == STRING:
        return value if isinstance(value, str) else _plain(value)
    if kind == DECIMAL:
        if isinstance(value, int | Decimal) and not isinstance(value, bool):
            return str(value)
        return value
    if kind == INT and isinstance(value, str) and value.strip().isdigit():
        return int(value)
    if kind == FLAG and isinstance(value, bool):
        return "Y" if value else "N"
    return value


def _plain(value: Any) -> Any:
    if isinstance(value, bool):
        return "Y" if value else "N"
    if isinstance(value, int | Decimal):
        return str(value)
    return value


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
                    _compile_step(step, spec["target"])
                    for step in spec.get("transforms") or ()
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


def validate_payload(
    *,
    schema: EntitySchema,
    payload: Any,
    child_schemas: dict[str, EntitySchema] | None = None,
    prefix: str = "",
) -> None:
    """Check a payload against the ERP schema; the first problem is raised."""
    entity = schema.entity
    if not isinstance(payload, dict):
        raise PayloadInvalid(
            field=prefix or entity, value=payload, rule="must be a JSON object"
        )
    for name in payload:
        if name not in schema.by_name:
            raise PayloadInvalid(
                field=prefix + name,
                value=payload[name],
                rule=f"not a field of {schema.title}",
                entity="" if prefix else entity,
            )
    for spec in schema.fields:
        value = payload.get(spec.name, _MISSING)
        where = prefix + spec.name
        empty = value is _MISSING or is_empty(value) or value == []
        required = spec.required
        if not required and spec.required_when:
            other, values = spec.required_when
            required = payload.get(other) in values
        if empty:
            if required:
                rule = "required"
                if spec.required_when and not spec.required:
                    other, values = spec.required_when
                    rule = f"required when {other} is {'/'.join(values)}"
                raise PayloadInvalid(
                    field=where,
                    value=None if value is _MISSING else value,
                    rule=rule,
                    entity="" if prefix else entity,
                )
            continue
        problem = _type_problem(spec.type, value)
        if (
            not problem
            and spec.max_length
            and isinstance(value, str)
            and len(value) > spec.max_length
        ):
            problem = f"longer than {spec.max_length} characters ({len(value)})"
        if not problem and spec.choices and value not in spec.choices:
            problem = f"must be one of {', '.join(repr(c) for c in spec.choices)}"
        if not problem and spec.positive and Decimal(value) <= 0:
            problem = "must be greater than zero"
        if problem:
            raise PayloadInvalid(
                field=where, value=value, rule=problem, entity="" if prefix else entity
            )
        if spec.type == LINES and child_schemas:
            child = child_schemas[spec.child]
            for number, line in enumerate(value, start=1):
                validate_payload(
                    schema=child,
                    payload=line,
                    prefix=f"{entity}.{spec.name}[{number}].",
                )
