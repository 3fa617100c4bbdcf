"""Errors of the mapping engine, in the project's one exception tree."""

from typing import Any

from portal.exceptions import ApplicationError


class PayloadInvalid(ApplicationError):
    """A mapped (or hand-edited) payload breaks a rule of the ERP schema."""

    def __init__(self, *, field: str, value: Any, rule: str, entity: str = "") -> None:
        where = f"{entity}.{field}" if entity else field
        shown = repr(value)
        if len(shown) > 80:
            shown = shown[:77] + "..."
        super().__init__(
            f"{where}: value {shown} breaks rule: {rule}",
            {"field": where, "value": value, "rule": rule},
        )
        self.field = where
        self.value = value
        self.rule = rule


class MappingInvalid(ApplicationError):
    """A mapping set (or one field mapping) cannot be saved as it stands."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems), {"problems": problems})
        self.problems = problems
