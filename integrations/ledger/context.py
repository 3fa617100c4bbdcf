"""What an executor gets to run one ledger record: the RunContext.

Executors (integrations.workflows.EXECUTORS, else `default_executor`) take a
RunContext and return the ERP document; the payload they send is kept on it
for the attempt log.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from integrations import periods
from integrations.audit import audit_record
from integrations.connectors.protocol import ErpConnector
from integrations.connectors.records import ErpDocument
from integrations.erps.registry import erp_package
from integrations.models import AuditEntry, Integration, SyncRecord
from integrations.operations import OPERATION_ENTITY
from integrations.precision import payload_fitted, source_fitted
from mapping.services import ActiveSets, payload_build

# The history action of a posting moved out of a closed ERP period.
PERIOD_MOVED = "sync_record.period_moved"


@dataclass
class RunContext:
    record: SyncRecord
    integration: Integration
    connector: ErpConnector
    source: dict[str, Any]
    stripe: Callable[[], Any]
    # The run's reading of the active mapping sets, shared by its records.
    active_sets: ActiveSets | None = None
    # This is the record's first attempt (its claim found erp_send_started
    # unset): the ERP cannot hold its document, so the connector may write
    # without looking it up first.
    never_sent: bool = False
    built_payload: dict | None = field(default=None, init=False)

    def payload(self, entity: str, source: dict | None = None) -> dict:
        """The payload to send: the one finance staff edited, else mapped now.

        Either way its amounts fit the ERP's fields (integrations/precision.py:
        rounded with an explicit line, or refused before the ERP sees them).
        """
        erp = self.integration.erp_kind
        if self.record.payload_edited and self.record.payload is not None:
            self.built_payload = self.record.payload
            fitted = payload_fitted(
                erp_kind=erp, entity=entity, payload=self.record.payload
            )
            dated = self._period_checked(entity, fitted)
            if dated != fitted:
                # Moved out of a closed period: log what is sent.
                self.built_payload = dated
            return dated
        fitted = source_fitted(
            erp_kind=erp,
            entity=entity,
            source=self.source if source is None else source,
        )
        payload, version = payload_build(
            integration=self.integration,
            entity=entity,
            source=dict(fitted),
            active_sets=self.active_sets,
        )
        payload = payload_fitted(erp_kind=erp, entity=entity, payload=payload)
        payload = self._period_checked(entity, payload)
        self.built_payload = payload
        self.record.payload = payload
        self.record.mapping_version = version
        return payload

    def _period_checked(self, entity: str, payload: dict) -> dict:
        """The payload dated in an open GL period of the ERP: moved to the next
        open one when the integration allows it (noted on the document and in
        the record's history), else PeriodClosedError, which holds the record
        (integrations/periods.py)."""
        package = erp_package(self.integration.erp_kind)
        date_field = package.posting_date_fields.get(entity)
        if not date_field or not isinstance(payload, dict):
            return payload
        note_field = package.posting_note_fields.get(entity, "")
        schema = package.schemas.get(entity)
        spec = schema.get(note_field) if schema and note_field else None
        dated = periods.posting_dated(
            payload=payload,
            date_field=date_field,
            calendar=periods.PeriodCalendar.of_config(
                self.integration.erp_connection.config
            ),
            policy=periods.closed_period_policy(self.integration.options),
            erp_label=package.label,
            note_field=note_field,
            note_length=spec.max_length if spec else None,
        )
        if dated.moved_from is not None:
            self._period_move_record(
                moved_from=dated.moved_from.isoformat(),
                moved_to=str(dated.payload[date_field]),
                note=dated.note,
            )
        return dated.payload

    def _period_move_record(self, *, moved_from: str, moved_to: str, note: str) -> None:
        """One history row per move of this record (a retry moves it again)."""
        after = {"date": moved_to, "note": note}
        earlier = AuditEntry.objects.filter(
            target_type=self.record._meta.label_lower,
            target_id=str(self.record.pk),
            action=PERIOD_MOVED,
        ).values_list("after", flat=True)
        if after in list(earlier):
            return
        audit_record(
            actor=None,
            action=PERIOD_MOVED,
            target=self.record,
            before={"date": moved_from},
            after=after,
            reason="Dated in a closed ERP period; the integration moves such "
            "postings to the next open period.",
        )


def default_executor(ctx: RunContext) -> ErpDocument:
    operation = ctx.record.operation
    payload = ctx.payload(OPERATION_ENTITY[operation])
    return getattr(ctx.connector, operation)(
        payload, reference=ctx.record.stripe_id, never_sent=ctx.never_sent
    )
