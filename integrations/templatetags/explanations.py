"""The explanation of a ledger record's error, for the admin and the API.

Lives here rather than in integrations/explanations.py because it asks the
ERP registry for the ERP's table, and the ERP packages import that module.
"""

from typing import Any

from django import template

from integrations.erps.registry import ERPS
from integrations.explanations import Explained, explain
from integrations.models import SyncRecord

register = template.Library()

# The key an ERP's error number or code is kept under in an attempt's
# response (ConnectorError.extra): SYSPRO's ErrorNumber, Sage Pro's code.
NUMBER_KEYS = ("error_number", "code")


def record_explanation(
    record: SyncRecord, *, error_number: str | None = None
) -> Explained | None:
    """What went wrong with `record` and what to do; None if nothing did.

    `error_number`: the ERP's number or code when the caller has it; None
    reads it from the latest attempt (one query).
    """
    if record.status == SyncRecord.Status.SUCCEEDED or not (
        record.error_class or record.error_message
    ):
        return None
    if error_number is None:
        error_number = _latest_number(record)
    kind = record.integration.erp_kind
    package = ERPS.get(kind)
    return explain(
        error_class=record.error_class,
        message=record.error_message,
        error_number=error_number,
        erp_entries=package.explanations if package else (),
        erp_label=package.label if package else "the ERP",
    )


def _latest_number(record: SyncRecord) -> str:
    response: Any = (
        record.attempt_log.order_by("-number")
        .values_list("response", flat=True)
        .first()
    )
    if not isinstance(response, dict):
        return ""
    for key in NUMBER_KEYS:
        value = response.get(key)
        if isinstance(value, str | int) and not isinstance(value, bool):
            return str(value)
    return ""


@register.inclusion_tag("admin/integrations/syncrecord/error_explanation.html")
def error_explanation(record: SyncRecord | None) -> dict[str, Any]:
    explained = record_explanation(record) if record is not None else None
    return {"explained": explained}
