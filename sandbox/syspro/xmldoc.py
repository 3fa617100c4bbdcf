"""XML in and out for the SYSPRO sandbox: safe parsing, field checks, XmlOut.

Validation failures are reported the way e.net does: the failing element is
echoed with `Value`, `ErrorNumber` and `ErrorDescription` children, each item
ends with a zero-padded `ItemNumber` (SORTOI's Order does not), and
`StatusOfItems` closes the document.
Error numbers are the sandbox's own (SYSPRO's are not published).
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET  # noqa: S405 - builds XML; parsing uses defusedxml
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from defusedxml import DefusedXmlException
from defusedxml import ElementTree as SafeET

from portal.money import exponent

# Sandbox error numbers, grouped by kind.
REQUIRED = "100001"
TOO_LONG = "100002"
BAD_DATE = "100003"
BAD_DECIMAL = "100004"
BAD_FLAG = "100005"
TOO_PRECISE = "100006"
BAD_VALUE = "100007"
CUSTOMER_NOT_FOUND = "200101"
CUSTOMER_EXISTS = "200102"
CURRENCY_MISMATCH = "200103"
STOCK_NOT_FOUND = "200201"
WAREHOUSE_NOT_FOUND = "200202"
ZERO_PRICE = "200203"
NO_LINES = "200204"
DUPLICATE_PO = "200205"
BANK_NOT_FOUND = "200301"
INVOICE_NOT_FOUND = "200302"
INVOICE_EXISTS = "200303"
OVER_DISTRIBUTED = "200304"
UNDISTRIBUTED = "200305"
EXCEEDS_BALANCE = "200306"
SALES_ORDER_NOT_FOUND = "200307"
PRODUCT_CLASS_NOT_FOUND = "200308"
LEDGER_NOT_FOUND = "200401"
NOT_BALANCED = "200402"
TOO_FEW_LINES = "200403"

DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
DECIMAL_RE = re.compile(r"^-?\d{1,15}(\.\d{1,6})?$")


class XmlInError(Exception):
    """XmlIn or XmlParameters is not well-formed XML or has the wrong root."""


def parse(text: str, *, name: str, roots: tuple[str, ...]) -> ET.Element:
    if not text or not text.strip():
        raise XmlInError(f"{name} is empty")
    try:
        root = SafeET.fromstring(text.encode())
    except (ET.ParseError, DefusedXmlException, ValueError) as exc:
        raise XmlInError(f"{name} is not well-formed XML: {exc}") from None
    if roots and root.tag not in roots:
        raise XmlInError(
            f"{name} root element must be <{'> or <'.join(roots)}>, got <{root.tag}>"
        )
    return root


def parse_optional(text: str, *, name: str, roots: tuple[str, ...]) -> ET.Element:
    if not text or not text.strip():
        return ET.Element(roots[0])
    return parse(text, name=name, roots=roots)


def parameter(root: ET.Element, tag: str, default: str = "") -> str:
    node = root.find(f"Parameters/{tag}")
    if node is None:
        node = root.find(f".//{tag}")
    value = (node.text or "").strip() if node is not None else ""
    return value.upper() if value else default


def to_text(root: ET.Element) -> str:
    return '<?xml version="1.0" encoding="Windows-1252"?>\n' + ET.tostring(
        root, encoding="unicode"
    )


def add(parent: ET.Element, tag: str, value: object = "") -> ET.Element:
    node = ET.SubElement(parent, tag)
    node.text = "" if value is None else str(value)
    return node


def money_text(value: Decimal) -> str:
    """Decimal as SYSPRO prints it: at least two places, no exponent."""
    value = Decimal(value)  # unsaved defaults may still be ints
    two = value.quantize(Decimal("0.01"))
    return f"{two if two == value else value.normalize():f}"


def padded(number: int) -> str:
    return f"{number:06d}"


@dataclass
class FieldError:
    tag: str
    value: str
    number: str
    description: str
    # The line element the field sits in (tag, identifying child values).
    section: tuple[str, dict[str, str]] | None = None


@dataclass
class Fields:
    """Read one element's children, collecting e.net-style errors."""

    element: ET.Element
    errors: list[FieldError] = field(default_factory=list)
    section: tuple[str, dict[str, str]] | None = None

    def fail(self, tag: str, value: str, number: str, description: str) -> None:
        self.errors.append(FieldError(tag, value, number, description, self.section))

    def peek(self, tag: str, *, max_len: int = 0) -> str:
        """What `text` will return for `tag`, recording nothing: lets a
        lookup read ahead what the checks come to in their own order."""
        value = self._raw(tag)
        return value[:max_len] if max_len else value

    def _raw(self, tag: str) -> str:
        node = self.element.find(tag)
        return (node.text or "").strip() if node is not None else ""

    def text(self, tag: str, *, required: bool = False, max_len: int = 0) -> str:
        value = self._raw(tag)
        if required and not value:
            self.fail(tag, value, REQUIRED, f"{tag} is required")
        elif max_len and len(value) > max_len:
            self.fail(
                tag, value, TOO_LONG, f"{tag} may be at most {max_len} characters"
            )
            return value[:max_len]
        return value

    def decimal(
        self,
        tag: str,
        *,
        required: bool = False,
        currency: str = "",
        minimum: Decimal | None = None,
        nonzero: bool = False,
    ) -> Decimal | None:
        raw = self.text(tag, required=required)
        if not raw:
            return None
        if not DECIMAL_RE.match(raw):
            self.fail(tag, raw, BAD_DECIMAL, f"{tag} must be a decimal number")
            return None
        try:
            value = Decimal(raw)
        except InvalidOperation:
            self.fail(tag, raw, BAD_DECIMAL, f"{tag} must be a decimal number")
            return None
        if currency:
            places = exponent(currency)
            if value != value.quantize(Decimal(1).scaleb(-places)):
                self.fail(
                    tag,
                    raw,
                    TOO_PRECISE,
                    f"{tag} has more than {places} decimals for currency {currency}",
                )
                return None
        if minimum is not None and value < minimum:
            self.fail(tag, raw, BAD_VALUE, f"{tag} may not be less than {minimum}")
            return None
        if nonzero and value == 0:
            self.fail(tag, raw, BAD_VALUE, f"{tag} may not be zero")
            return None
        return value

    def date(self, tag: str, *, required: bool = False) -> dt.date | None:
        raw = self.text(tag, required=required)
        if not raw:
            return None
        try:
            if not DATE_RE.match(raw):
                raise ValueError
            return dt.date.fromisoformat(raw)
        except ValueError:
            self.fail(tag, raw, BAD_DATE, f"{tag} must be a date as CCYY-MM-DD")
            return None

    def flag(self, tag: str, *, default: bool = False) -> bool:
        raw = self.text(tag).upper()
        if not raw:
            return default
        if raw not in ("Y", "N"):
            self.fail(tag, raw, BAD_FLAG, f"{tag} must be Y or N")
            return default
        return raw == "Y"

    def choice(self, tag: str, allowed: tuple[str, ...], *, default: str) -> str:
        raw = self.text(tag).upper() or default
        if raw not in allowed:
            self.fail(tag, raw, BAD_VALUE, f"{tag} must be one of {', '.join(allowed)}")
        return raw


def render_errors(parent: ET.Element, errors: list[FieldError]) -> None:
    sections: dict[tuple, ET.Element] = {}
    for error in errors:
        target = parent
        if error.section:
            tag, key = error.section
            ident = (tag, tuple(sorted(key.items())))
            if ident not in sections:
                sections[ident] = ET.SubElement(parent, tag)
                for name, value in key.items():
                    add(sections[ident], name, value)
            target = sections[ident]
        node = ET.SubElement(target, error.tag)
        add(node, "Value", error.value)
        add(node, "ErrorNumber", error.number)
        add(node, "ErrorDescription", error.description)


def add_status(
    root: ET.Element, *, processed: int, invalid: int, journal: bool = False
) -> None:
    """The counters SYSPRO closes a posting's XmlOut with, six digits.

    SORTOI's as a live SYSPRO 8 answers them
    (https://github.com/trismegistus0/rectella-shopify-service/blob/main/internal/syspro/client_test.go);
    GENTJL's from its XmlOut class (Zindaar/SYSPROIntegration
    GeneralLedgerPrimaryPosting/.../GENTJLOUT). The other postings use
    SORTOI's names here.
    """
    status = ET.SubElement(root, "StatusOfItems")
    if journal:
        add(status, "JournalsProcessed", padded(processed))
        add(status, "PostingsProcessed", padded(processed))
        add(status, "PostingsInvalid", padded(invalid))
        return
    add(status, "ItemsProcessed", padded(processed))
    add(status, "ItemsRejectedWithWarnings", padded(invalid))
    add(status, "ItemsProcessedWithWarnings", padded(0))


def processed_nothing(body: str) -> bool:
    """True when a posting's XmlOut says nothing was written."""
    return "<ItemsProcessed>000000<" in body or "<JournalsProcessed>000000<" in body
