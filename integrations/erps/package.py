"""What an ERP package tells the rest of LedgerBridge about its ERP.

Each package under integrations/erps/<kind>/ builds one `ErpPackage` and the
registry (registry.py) lists it by kind. Nothing outside the package names a
vendor field: the pipeline, mapping, reconciliation, the admin and the
sandbox set-up ask the package.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from integrations.connectors.protocol import ErpConnector
from integrations.connectors.records import ErpCustomer
from integrations.connectors.settings import SettingField
from integrations.currency_accounts import CodeRule
from integrations.explanations import Explanation
from integrations.models import Connection

from .spec import DEFAULT_OPTIONS, EntitySchema


@dataclass(frozen=True)
class SandboxCredentials:
    config: dict[str, str]
    secrets: dict[str, str]
    control_key: str  # opens the sandbox's fault-injection and reset endpoints


@dataclass(frozen=True)
class SandboxHook:
    """How `setup_sandbox` points a connection at the built-in stand-in."""

    connection_name: str
    path: str  # under the portal's URL
    credentials: Callable[[], SandboxCredentials]  # read from settings when called
    # A sandbox served outside the portal (Sage Pro's: the agent the demo
    # starts on loopback) is at this address instead of `path`.
    base_url: str = ""


@dataclass(frozen=True)
class ErpPackage:
    kind: str
    label: str
    connector: Callable[[Connection], ErpConnector]
    schemas: Mapping[str, EntitySchema]  # by entity
    templates: Mapping[str, list[dict]]  # default field mappings, by entity
    # Longest customer code the ERP accepts; generated codes are cut to it.
    customer_code_length: int
    # A mapped customer payload read back as the canonical customer.
    customer_of_payload: Callable[[Mapping[str, Any]], ErpCustomer]
    # The journal dialect: what a mapped (or hand-edited) journal payload is
    # out of balance by, debits minus credits.
    journal_difference: Callable[[Mapping[str, Any]], Decimal]
    # The payload fields that carry the amount of a payment, credit note,
    # adjustment or invoice, in the order they are looked for.
    document_amount_fields: tuple[str, ...] = ()
    settings: tuple[SettingField, ...] = ()  # the admin's connection settings
    sandbox: SandboxHook | None = None
    default_options: Mapping[str, Any] = field(default_factory=lambda: DEFAULT_OPTIONS)
    # Abbreviations in the ERP's field names, for mapping suggestions.
    vocabulary: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # The write operations (SyncRecord.Operation values) whose document the
    # connector finds by its Stripe reference before it creates, with a query
    # the real ERP answers. After a lost reply (UnknownOutcomeError) these are
    # retried and the lookup adopts what the ERP committed; any other write
    # goes to unknown_outcome for a person to settle. None is the safe default.
    lookup_operations: frozenset[str] = frozenset()
    # The ERP's errors in plain words (integrations/explanations.py).
    explanations: tuple[Explanation, ...] = ()
    # What is wrong with an integration's options on its ERP connection, by
    # field, asking the ERP where it can be asked; None: nothing to check.
    settings_problems: Callable[..., Mapping[str, str]] | None = None
    # The posting date of each entity booked into a GL period (invoice, credit
    # note, payment, adjustment, journal), checked against the connection's
    # calendar before it is sent (integrations/periods.py).
    posting_date_fields: Mapping[str, str] = field(default_factory=dict)
    # The free-text field of each entity that takes a note when a posting is
    # moved out of a closed period; an entity without one is noted on the
    # ledger record only.
    posting_note_fields: Mapping[str, str] = field(default_factory=dict)
    # What the ERP accepts as a customer code on a connection (its config):
    # per-currency account codes are made to it. None: customer_code_length,
    # any letters and digits.
    customer_code_rule: Callable[[Mapping[str, Any]], CodeRule] | None = None

    def code_rule(self, config: Mapping[str, Any] | None) -> CodeRule:
        """The customer code rule on a connection with `config`."""
        if self.customer_code_rule is None:
            return CodeRule(max_length=self.customer_code_length)
        return self.customer_code_rule(config or {})

    def can_look_up(self, operation: str) -> bool:
        """Whether a lost reply of `operation` may be retried: the connector
        finds the committed document by its Stripe reference first."""
        return operation in self.lookup_operations

    @property
    def secret_names(self) -> tuple[str, ...]:
        return tuple(s.name for s in self.settings if s.secret)

    @property
    def config_names(self) -> tuple[str, ...]:
        return tuple(s.name for s in self.settings if not s.secret)
