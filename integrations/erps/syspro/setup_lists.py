"""What the guided setup reads from SYSPRO: the logon's company, and the
options it asks for with the lengths of the SYSPRO fields they fill.

The company, its local currency and the SYSPRO version come from the logon
profile (GetLogonProfile, answered for any valid UserId). e.net offers no
list query for banks, warehouses, terms, product classes or ledger codes that
the sandbox answers, so those are typed codes checked against the length of
the SYSPRO field they are posted into (schemas.py); on save the package's
settings check (validation.py) also asks SYSPRO about each ledger code.
"""

from integrations.erps.setup_records import ErpProfile, OptionSpec

from .connector import SysproConnector
from .schemas import SCHEMAS


def erp_profile(connector: SysproConnector) -> ErpProfile:
    """Log on (once) and read the company the operator reached."""
    profile = connector.logon_profile()
    return ErpProfile(
        company=str(profile.get("CompanyName") or ""),
        company_id=str(profile.get("CompanyId") or ""),
        currency=str(profile.get("LocalCurrencyCode") or "").upper(),
        version=str(profile.get("SysproVersion") or ""),
    )


def _length(entity: str, name: str) -> int:
    spec = SCHEMAS[entity].get(name)
    if spec is None or not spec.max_length:
        raise LookupError(f"the {entity} schema gives no length for {name}")
    return spec.max_length


GL_LENGTH = _length("journal_line", "LedgerCode")


def option_specs() -> tuple[OptionSpec, ...]:
    return (
        OptionSpec(
            "bank",
            "AR bank",
            _length("payment", "Bank"),
            "The AR bank code Stripe payments are deposited to (ARSTPY Bank).",
        ),
        OptionSpec(
            "warehouse",
            "Warehouse",
            _length("order_line", "Warehouse"),
            "Warehouse of stock lines on sales orders.",
        ),
        OptionSpec(
            "terms_code",
            "Terms code",
            _length("customer", "TermsCode"),
            "Terms of customers created from Stripe.",
        ),
        OptionSpec(
            "product_class",
            "Product class",
            _length("invoice", "ProductClass"),
            "Product class of invoices and notes posted from Stripe.",
        ),
        OptionSpec(
            "misc_product_class",
            "Misc. charge product class",
            _length("invoice", "ProductClass"),
            "Product class of miscellaneous charge lines.",
        ),
    )
