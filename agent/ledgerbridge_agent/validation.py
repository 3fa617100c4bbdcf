"""Typed reads from a JSON body, checked against the field they will land in.

Every failure is an AgentError 400 naming the field (`lines[1].extprice`)
and the reason. Amounts are checked against the column's precision: a value
with more decimals than Sage Pro's field holds is refused, never rounded.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from .dbffile import CODEPAGE
from .errors import invalid
from .layout import Field

DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DECIMAL_RE = re.compile(r"^-?\d+(\.\d+)?$")
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
CURRENCY_RE = re.compile(r"^[A-Z]{3}$")


class Body:
    """A JSON object's fields; `prefix` names nested ones (`lines[0].`)."""

    def __init__(self, data: Any, *, prefix: str = "", table: str = "") -> None:
        if not isinstance(data, dict):
            raise invalid(prefix.rstrip(".") or "body", "expected a JSON object")
        self.data = data
        self.prefix = prefix
        self.table = table

    def name(self, key: str) -> str:
        return f"{self.prefix}{key}"

    def only(self, names: set[str] | frozenset[str]) -> Body:
        """Refuse a field the document does not have: a typo is not dropped."""
        for key in self.data:
            if key not in names:
                raise invalid(
                    self.name(key),
                    f"{self.name(key)} is not a field the agent takes here",
                    "unknown_field",
                )
        return self

    def has(self, key: str) -> bool:
        return self.data.get(key) is not None

    def text(self, key: str, field: Field, *, required: bool = False) -> str:
        value = self.data.get(key)
        if value is None:
            value = ""
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise invalid(self.name(key), f"{self.name(key)} must be a string")
        value = str(value).strip()
        if required and not value:
            raise invalid(self.name(key), f"{self.name(key)} is required", "required")
        if "\x00" in value or any(ord(c) < 32 for c in value):
            raise invalid(self.name(key), f"{self.name(key)} holds a control character")
        try:
            encoded = value.encode(CODEPAGE)
        except UnicodeEncodeError:
            raise invalid(
                self.name(key),
                f"{self.name(key)} holds a character Sage Pro's code page "
                f"({CODEPAGE}) cannot store",
            ) from None
        if len(encoded) > field.length:
            raise invalid(
                self.name(key),
                f"{self.name(key)} may be at most {field.length} characters "
                f"({self._column(field)} is C({field.length}))",
            )
        return value

    def decimal(
        self,
        key: str,
        field: Field,
        *,
        required: bool = False,
        positive: bool = False,
        nonzero: bool = False,
        minimum: Decimal | None = None,
        default: Decimal | None = None,
    ) -> Decimal | None:
        raw = self.data.get(key)
        if raw is None or raw == "":
            if required:
                raise invalid(
                    self.name(key), f"{self.name(key)} is required", "required"
                )
            return default
        if isinstance(raw, float):
            # A JSON float may already have lost a digit: use its shortest repr.
            raw = repr(raw)
        if isinstance(raw, bool) or not isinstance(raw, str | int):
            raise invalid(self.name(key), f"{self.name(key)} must be a decimal")
        text = str(raw).strip()
        if not DECIMAL_RE.match(text) or len(text) > 40:
            raise invalid(self.name(key), f"{self.name(key)} must be a decimal")
        try:
            value = Decimal(text)
        except InvalidOperation:
            raise invalid(
                self.name(key), f"{self.name(key)} must be a decimal"
            ) from None
        places = -value.as_tuple().exponent if value.as_tuple().exponent < 0 else 0
        if value != value.quantize(Decimal(1).scaleb(-field.decimals)):
            raise invalid(
                self.name(key),
                f"{self.name(key)} {text} has {places} decimals; Sage Pro's "
                f"{self._column(field)} is N({field.length},{field.decimals}) and "
                f"holds {field.decimals}: the agent does not round",
                "precision",
            )
        integer_digits = field.length - (field.decimals + 1 if field.decimals else 0)
        if value < 0:
            integer_digits -= 1
        if len(str(abs(int(value)))) > integer_digits:
            raise invalid(
                self.name(key),
                f"{self.name(key)} {text} is too large for "
                f"{self._column(field)} N({field.length},{field.decimals})",
            )
        if positive and value <= 0:
            raise invalid(self.name(key), f"{self.name(key)} must be positive")
        if nonzero and value == 0:
            raise invalid(self.name(key), f"{self.name(key)} may not be zero")
        if minimum is not None and value < minimum:
            raise invalid(
                self.name(key), f"{self.name(key)} may not be less than {minimum}"
            )
        return value

    def date(self, key: str, *, required: bool = True) -> dt.date | None:
        value = self.data.get(key)
        if value in (None, ""):
            if required:
                raise invalid(
                    self.name(key), f"{self.name(key)} is required", "required"
                )
            return None
        try:
            if not isinstance(value, str) or not DATE_RE.match(value):
                raise ValueError
            return dt.date.fromisoformat(value)
        except ValueError:
            raise invalid(
                self.name(key), f"{self.name(key)} must be a date YYYY-MM-DD"
            ) from None

    def currency(self, key: str, field: Field, *, expected: str) -> str:
        value = self.text(key, field).upper()
        if value and not CURRENCY_RE.match(value):
            raise invalid(self.name(key), f"{self.name(key)} must be 3 letters")
        if value and expected and value != expected:
            raise invalid(
                self.name(key),
                f"{self.name(key)} {value} differs from the customer's {expected}",
            )
        return value or expected

    def email(self, key: str, field: Field) -> str:
        value = self.text(key, field)
        if value and not EMAIL_RE.match(value):
            raise invalid(self.name(key), f"{self.name(key)} is not an email address")
        return value

    def _column(self, field: Field) -> str:
        return f"{self.table}.{field.name}" if self.table else field.name
