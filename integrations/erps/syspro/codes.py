"""SYSPRO customer codes in the company's key format.

SYSPRO keys customers either alphanumerically (left-aligned, trailing blanks)
or numerically: "Numeric keys result in the right-alignment of all data, with
preceding zeros. Only the digits 0 to 9 are allowed." (Setup Options > Keys,
https://help.syspro.com/syspro-8-2023/g_programs/imp/impcfg/forms/keys/impcfg-keys.htm).
A company that numbers customers automatically must key them numerically
(https://help.syspro.com/syspro-7-update-1/impbik.htm). The connection says
which the company uses (`customer_key_type`, A or N, and for N the width
SYSPRO zero-fills to, `customer_key_length`); every code the connector sends
or looks up is put in that format first, and a code that cannot be is refused
here with a reason instead of by SYSPRO.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from integrations.connectors.errors import ValidationError

from .schemas import CUSTOMER_CODE_LENGTH

ALPHANUMERIC = "A"
NUMERIC = "N"
KEY_TYPES = {ALPHANUMERIC: "alphanumeric", NUMERIC: "numeric"}


@dataclass(frozen=True)
class CustomerKeyFormat:
    key_type: str = ALPHANUMERIC
    length: int = CUSTOMER_CODE_LENGTH

    @classmethod
    def of_config(cls, config: Mapping[str, Any]) -> "CustomerKeyFormat":
        """The connection's format; raises ValidationError on a bad setting."""
        raw_type = str(config.get("customer_key_type") or ALPHANUMERIC).strip()
        key_type = raw_type.upper()[:1]
        if key_type not in KEY_TYPES:
            raise ValidationError(
                f"The SYSPRO customer key type {raw_type!r} is neither A "
                "(alphanumeric) nor N (numeric)",
                field="customer_key_type",
                value=raw_type,
            )
        raw_length = str(config.get("customer_key_length") or "").strip()
        length = CUSTOMER_CODE_LENGTH
        if raw_length:
            if not raw_length.isdigit() or not 1 <= int(raw_length) <= 15:
                raise ValidationError(
                    f"The SYSPRO customer key length {raw_length!r} is not a "
                    "number from 1 to 15",
                    field="customer_key_length",
                    value=raw_length,
                )
            length = int(raw_length)
        # The connector's customer code field is no wider than ARSSCS's.
        return cls(key_type=key_type, length=min(length, CUSTOMER_CODE_LENGTH))

    @property
    def numeric(self) -> bool:
        return self.key_type == NUMERIC

    def formatted(self, code: str) -> str:
        """`code` as SYSPRO keys it: a numeric code right-aligned with
        preceding zeros, an alphanumeric one as given (blanks trimmed; its
        length is the customer schema's and SYSPRO's to refuse)."""
        code = code.strip()
        if not code:
            return code
        if self.numeric:
            if not code.isascii() or not code.isdigit():
                raise ValidationError(
                    f"Customer code {code!r} is not numeric, and this SYSPRO "
                    "company keys customers numerically (digits 0 to 9 only). "
                    "Set the integration's customer code prefix to digits, or "
                    "link the customer to its numeric SYSPRO code.",
                    field="Customer",
                    value=code,
                )
            if len(code.lstrip("0")) > self.length:
                raise ValidationError(
                    f"Customer code {code!r} is longer than the {self.length} "
                    "digits of this SYSPRO company's numeric customer key",
                    field="Customer",
                    value=code,
                )
            return code.lstrip("0").rjust(self.length, "0")
        return code

    def prefix_problem(self, prefix: str) -> str:
        """Why a generated-code prefix does not fit this format ('' if it does)."""
        if self.numeric and prefix and not (prefix.isascii() and prefix.isdigit()):
            return (
                "This SYSPRO company keys customers numerically: the customer "
                "code prefix must be digits (for example 0), not "
                f"{prefix!r}."
            )
        return ""
