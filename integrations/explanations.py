"""Errors in plain words: what went wrong and what to do, for finance staff.

A record that failed keeps our error class (`SyncRecord.error_class`, the
`code` of integrations.connectors.errors) and the raw text (`error_message`,
the ERP's own words where it gave any). `explain` turns them into two
sentences from a maintained table: the ERP package's entries first (keyed by
the ERP's error numbers or codes and by its message texts, in
integrations/erps/<kind>/explanations.py), then the generic entries below,
then a fallback that says to read the raw text. The raw text is never
replaced: the admin and the API show it under the explanation.

Entries may name `{field}`, `{value}` (from ConnectorError.describe()'s
"— field X — value 'Y'") and the named groups of their pattern. What fills
them comes from the ERP's reply: untrusted text, escaped where it is shown.
"""

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

SETTLED_BY_A_PERSON = ("unknown_outcome", "lease_expired")
# Longest part of the raw text put into an explanation.
_PLACEHOLDER_LENGTH = 80


@dataclass(frozen=True)
class Explanation:
    """One entry of the table."""

    key: str
    what: str  # what went wrong, in the finance user's words
    todo: str  # what to do about it
    # The ERP's error numbers or codes this entry is for.
    numbers: tuple[str, ...] = ()
    # Searched in the raw message, case-insensitive.
    pattern: str = ""
    # Only for these error classes (SyncRecord.error_class); empty: any.
    error_classes: tuple[str, ...] = ()
    # Where the vendor fact comes from, for whoever maintains the entry.
    source: str = ""
    _compiled: re.Pattern | None = field(
        default=None, init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        if self.pattern:
            compiled = re.compile(self.pattern, re.IGNORECASE)
            object.__setattr__(self, "_compiled", compiled)

    def applies_to(self, error_class: str) -> bool:
        if self.error_classes:
            return error_class in self.error_classes
        # A lost reply is about what happened to the write, whatever the
        # message around it says.
        return error_class not in SETTLED_BY_A_PERSON

    def search(self, message: str) -> re.Match | None:
        return self._compiled.search(message) if self._compiled else None


@dataclass(frozen=True)
class Explained:
    key: str
    what: str
    todo: str
    raw: str  # the stored message, unchanged
    known: bool  # False: the fallback, nothing in the table fitted

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": self.key,
            "what": self.what,
            "todo": self.todo,
            "raw": self.raw,
            "known": self.known,
        }


_DESCRIBED = re.compile(
    r" — field (?P<field>.+?)(?= — value |$)(?: — value (?P<value>.*))?$"
)


def explain(
    *,
    error_class: str,
    message: str,
    error_number: str = "",
    erp_entries: Sequence[Explanation] = (),
    erp_label: str = "the ERP",
) -> Explained | None:
    """The explanation of a stored error; None when there is no error."""
    error_class = error_class or ""
    message = message or ""
    if not error_class and not message:
        return None
    found = _find(error_class, message, error_number, erp_entries)
    if found is None:
        return Explained(
            key="unexplained",
            what=f"{erp_label} or LedgerBridge reported a problem this page has "
            "no explanation for yet.",
            todo="Read the message below: it is the error as it was reported. "
            "Fix what it names, then retry the record; if it makes no sense, "
            "send it to whoever supports your integration.",
            raw=message,
            known=False,
        )
    entry, match = found
    values = _values(message, match, erp_label)
    return Explained(
        key=entry.key,
        what=_fill(entry.what, values),
        todo=_fill(entry.todo, values),
        raw=message,
        known=True,
    )


def _find(
    error_class: str,
    message: str,
    error_number: str,
    erp_entries: Sequence[Explanation],
) -> tuple[Explanation, re.Match | None] | None:
    usable = [e for e in erp_entries if e.applies_to(error_class)]
    # The ERP's texts first: one error code can cover many causes ("invalid").
    for entry in usable:
        match = entry.search(message)
        if match:
            return entry, match
    if error_number:
        for entry in usable:
            if error_number in entry.numbers:
                return entry, None
    for entry in GENERIC:
        match = entry.search(message) if entry.applies_to(error_class) else None
        if match:
            return entry, match
    for entry in BY_CLASS:
        if error_class in entry.error_classes:
            return entry, None
    return None


class _Blank(dict):
    """What an entry names but the message did not say reads as a plain phrase."""

    def __missing__(self, key: str) -> str:
        return {"field": "the field", "value": "the value"}.get(key, "")


def _values(message: str, match: re.Match | None, erp_label: str) -> Mapping[str, str]:
    values = _Blank(erp=erp_label)
    described = _DESCRIBED.search(message)
    if described:
        values.update({k: v for k, v in described.groupdict().items() if v})
    if match:
        # A group the text did not fill reads as nothing, not as "?".
        values.update(match.groupdict(default=""))
    return _Blank(
        {k: _short(_unquoted(v)) for k, v in values.items()},
    )


def _unquoted(value: str) -> str:
    value = value.strip()
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "'\"":
        return value[1:-1]
    return value


def _short(value: str) -> str:
    value = "".join(c for c in value if c.isprintable())
    if len(value) > _PLACEHOLDER_LENGTH:
        return value[: _PLACEHOLDER_LENGTH - 1] + "…"
    return value


def _fill(template: str, values: Mapping[str, str]) -> str:
    return " ".join(template.format_map(values).split())


# --- Generic entries: our own error classes and messages --------------------

RETRY = "then retry the record"

GENERIC: tuple[Explanation, ...] = (
    Explanation(
        key="query_string_too_long",
        pattern=r"bytes of query string, over the (?P<limit>[\d,]+) bytes",
        what="The document is too large to send to SYSPRO in one request "
        "(the SYSPRO web server accepts {limit} bytes).",
        todo="Have the SYSPRO administrator raise the web server's limit "
        "(IIS maxQueryString) and enter the new figure as Longest query string "
        "on the connection, " + RETRY + ".",
    ),
    Explanation(
        key="base_url_refused",
        pattern=r"base URL is refused|check the base URL|set the connection's base",
        what="LedgerBridge will not send to the address set on the ERP connection.",
        todo="Correct the base URL on the ERP connection (Admin → Connections), "
        + RETRY
        + ".",
    ),
    Explanation(
        key="currency_precision_refused",
        pattern=r"decimals but .* refuses such currencies",
        what="The amount has more decimals than the ERP's amount fields hold, "
        "and this integration is set to refuse such currencies.",
        todo='Set the integration option currency_precision to "round" (the '
        "ERP gets the amount rounded, with a rounding line), " + RETRY + "; or "
        "skip the record and book it by hand.",
    ),
    Explanation(
        key="rounds_to_zero",
        pattern=r"rounds to zero in amount fields",
        what="The amount is smaller than the ERP's amount fields can show: "
        "rounded, nothing is left to book.",
        todo="Skip the record: the payout journal books the amount on its "
        "rounding line.",
    ),
    Explanation(
        key="value_too_long",
        pattern=r"(?:may be at most|longer than|too long).{0,20}?(?P<max>\d+)",
        what="A value is longer than the ERP field {field} takes (at most {max} "
        "characters).",
        todo="Shorten it: edit the record's payload, or add a truncate step for "
        "{field} in the integration's field mapping so later records fit; "
        + RETRY
        + ".",
    ),
    Explanation(
        key="amount_precision",
        pattern=r"more than (?P<places>\d+) decimals",
        what="An amount has more decimals than the ERP field {field} takes ({places}).",
        todo="For a three-decimal currency (KWD, BHD, JOD, OMR, TND) set the "
        'integration option currency_precision to "round"; otherwise correct '
        "the amount in the payload. " + RETRY.capitalize() + ".",
    ),
    Explanation(
        key="gave_up",
        pattern=r"^Gave up after (?P<attempts>\d+) attempts",
        what="The ERP could not be reached or kept failing; LedgerBridge stopped "
        "after {attempts} attempts.",
        todo="Check with whoever runs the ERP that it is up and reachable, "
        + RETRY
        + ".",
    ),
    Explanation(
        key="unexpected",
        pattern=r"^Unexpected error: ",
        what="Something failed inside LedgerBridge, not in the ERP.",
        todo="Send the record number and the message below to whoever supports "
        "your integration; retry the record once they have fixed it.",
    ),
)

# Matched on the error class when no pattern fitted.
BY_CLASS: tuple[Explanation, ...] = (
    Explanation(
        key="credentials_rejected",
        error_classes=("authentication",),
        what="{erp} refused LedgerBridge's sign-in: the credentials on the ERP "
        "connection are wrong, expired or locked.",
        todo="Ask the ERP administrator for the current ones, enter them on the "
        "ERP connection (Admin → Connections), then resume the integration: "
        "its queue is paused until then.",
    ),
    Explanation(
        key="rate_limited",
        error_classes=("rate_limited",),
        what="{erp} asked LedgerBridge to slow down (too many requests).",
        todo="Nothing to do: the record is retried automatically after the "
        "wait the ERP asked for. If it keeps happening, ask the ERP "
        "administrator to raise the limit.",
    ),
    Explanation(
        key="erp_unavailable",
        error_classes=("transient",),
        what="{erp} could not be reached or answered with a temporary error.",
        todo="Nothing to do yet: the record is retried automatically. If it "
        "ends in needs attention, check the ERP is up, " + RETRY + ".",
    ),
    Explanation(
        key="unknown_outcome",
        error_classes=("unknown_outcome", "lease_expired"),
        what="The document was sent but the answer was lost: {erp} may or may "
        "not have posted it.",
        todo="Look for it in {erp} by its Stripe reference. If it is there, "
        "choose Confirm posted and enter its {erp} number; if it is not, "
        "choose Post again. Never both.",
    ),
    Explanation(
        key="duplicate_reference",
        error_classes=("duplicate",),
        what="{erp} already has a document with this reference.",
        todo="Find it in {erp}: if it is this Stripe payment, it posted before "
        "(confirm it or skip this record); if it belongs to something else, "
        "correct the reference in the payload, " + RETRY + ".",
    ),
    Explanation(
        key="not_found",
        error_classes=("not_found",),
        what="{erp} has no record that this document refers to (a customer, "
        "an invoice or an order).",
        todo="Check the record it depends on posted (retry that one first), "
        "or correct the reference in the payload, " + RETRY + ".",
    ),
    Explanation(
        key="erp_refused",
        error_classes=("validation",),
        what="{erp} refused the document's content.",
        todo="The message below names the field and value it refused: correct "
        "them in the payload or in the integration's field mapping, " + RETRY + ".",
    ),
    Explanation(
        key="connection_problem",
        error_classes=("connector",),
        what="LedgerBridge could not talk to {erp} as configured.",
        todo="Check the ERP connection's settings (base URL, company) against "
        "the message below, " + RETRY + ".",
    ),
)
