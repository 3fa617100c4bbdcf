"""What the guided setup reads from Sage Pro through the agent: the company
behind it, and the options it asks for with the lengths of the Sage Pro
columns they fill.

The agent's GET /api/v1/info names the company, its home currency and the
agent's version. The agent lists no banks, terms or GL accounts, so those
are typed codes checked against the column lengths (schemas.py).
"""

from integrations.erps.setup_records import ErpProfile, OptionSpec

from .connector import SageProConnector
from .schemas import SCHEMAS


def erp_profile(connector: SageProConnector) -> ErpProfile:
    info = connector.request("GET", "info")
    info = info if isinstance(info, dict) else {}
    return ErpProfile(
        company=str(info.get("company") or ""),
        currency=str(info.get("currency") or "").upper(),
        version=f"agent {info.get('version') or '?'}",
    )


def _length(entity: str, name: str) -> int:
    spec = SCHEMAS[entity].get(name)
    if spec is None or not spec.max_length:
        raise LookupError(f"the {entity} schema gives no length for {name}")
    return spec.max_length


GL_LENGTH = _length("journal_line", "account")


def option_specs() -> tuple[OptionSpec, ...]:
    return (
        OptionSpec(
            "bank",
            "Bank",
            _length("payment", "bank"),
            "The Sage Pro bank code Stripe receipts are deposited to.",
        ),
        OptionSpec(
            "terms_code",
            "Payment terms",
            _length("customer", "pterms"),
            "Terms of customers created from Stripe.",
        ),
    )
