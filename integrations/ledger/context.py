"""What an executor gets to run one ledger record: the RunContext.

Executors (integrations.workflows.EXECUTORS, else `default_executor`) take a
RunContext and return the ERP document; the payload they send is kept on it
for the attempt log.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from integrations.connectors.protocol import ErpConnector
from integrations.connectors.records import ErpDocument
from integrations.models import Integration, SyncRecord
from integrations.operations import OPERATION_ENTITY
from integrations.precision import payload_fitted, source_fitted
from mapping.services import payload_build


@dataclass
class RunContext:
    record: SyncRecord
    integration: Integration
    connector: ErpConnector
    source: dict[str, Any]
    stripe: Callable[[], Any]
    built_payload: dict | None = field(default=None, init=False)

    def payload(self, entity: str, source: dict | None = None) -> dict:
        """The payload to send: the one finance staff edited, else mapped now.

        Either way its amounts fit the ERP's fields (integrations/precision.py:
        rounded with an explicit line, or refused before the ERP sees them).
        """
        erp = self.integration.erp_kind
        if self.record.payload_edited and self.record.payload is not None:
            self.built_payload = self.record.payload
            return payload_fitted(
                erp_kind=erp, entity=entity, payload=self.record.payload
            )
        fitted = source_fitted(
            erp_kind=erp,
            entity=entity,
            source=self.source if source is None else source,
        )
        payload, version = payload_build(
            integration=self.integration, entity=entity, source=dict(fitted)
        )
        payload = payload_fitted(erp_kind=erp, entity=entity, payload=payload)
        self.built_payload = payload
        self.record.payload = payload
        self.record.mapping_version = version
        return payload


def default_executor(ctx: RunContext) -> ErpDocument:
    operation = ctx.record.operation
    payload = ctx.payload(OPERATION_ENTITY[operation])
    return getattr(ctx.connector, operation)(payload, reference=ctx.record.stripe_id)
