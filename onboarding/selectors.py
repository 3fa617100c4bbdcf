"""The guided setup's reads: what each ERP package can tell the setup, the
Stripe event types the chosen flows need, and the drafts a person resumes."""

from collections.abc import Iterable
from types import ModuleType

from django.db.models import QuerySet

from integrations.erps.sagepro import setup_lists as sagepro_setup
from integrations.erps.setup_records import OptionSpec
from integrations.erps.syspro import setup_lists as syspro_setup
from integrations.models import Connection, Integration
from integrations.workflows import EVENT_FLOWS
from portal.exceptions import ApplicationError

from .models import SetupDraft

# Connection.Kind -> the ERP package's setup module (erp_profile, option_specs,
# GL_LENGTH).
SETUP_READERS: dict[str, ModuleType] = {
    Connection.Kind.SYSPRO: syspro_setup,
    Connection.Kind.SAGEPRO: sagepro_setup,
}


def erp_reader(kind: str) -> ModuleType:
    return SETUP_READERS[kind]


def flow_events(flows: Iterable[str]) -> list[str]:
    """Exactly the Stripe event types the router sends to `flows`, read from
    the router (integrations/workflows/router.py) and what apps above it
    added (reconciliation's payout events)."""
    wanted = set(flows)
    return sorted(event for event, flow in EVENT_FLOWS.items() if flow in wanted)


def option_specs_for(draft: SetupDraft) -> tuple[OptionSpec, ...]:
    """The options step's fields: the ERP's codes, then one per GL role."""
    connection = draft.erp_connection
    if connection is None or draft.integration is None:
        raise ApplicationError("Connect the ERP first.")
    reader = erp_reader(connection.kind)
    gl_roles = (draft.integration.options or {}).get("gl") or {}
    return (
        *reader.option_specs(),
        *(
            OptionSpec(
                f"gl.{role}",
                f"GL account: {role.replace('_', ' ')}",
                reader.GL_LENGTH,
            )
            for role in gl_roles
        ),
    )


def option_values(draft: SetupDraft) -> dict[str, str]:
    options = draft.integration.options or {}
    gl = options.get("gl") or {}
    values = {k: str(v) for k, v in options.items() if isinstance(v, str)}
    values.update({f"gl.{role}": str(code) for role, code in gl.items()})
    currencies = options.get("currencies") or [
        draft.stripe_account.get("default_currency", "")
    ]
    values["currencies"] = ", ".join(code for code in currencies if code)
    return values


def setup_drafts() -> QuerySet[SetupDraft]:
    return SetupDraft.objects.select_related("integration", "erp_connection")


def integrations_without_setup() -> QuerySet[Integration]:
    """Integrations made by hand, whose setup can be opened from here."""
    return Integration.objects.filter(setup_draft__isnull=True).select_related(
        "erp_connection"
    )
