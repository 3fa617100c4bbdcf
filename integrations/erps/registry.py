"""The ERP packages LedgerBridge can connect to, by `Connection.kind`.

Adding an ERP is one package under integrations/erps/<kind>/ and one line
here (plus its `Connection.Kind` choice and the migration that records it).
"""

from integrations.erps import sagepro, syspro

from .package import ErpPackage

ERPS: dict[str, ErpPackage] = {
    syspro.PACKAGE.kind: syspro.PACKAGE,
    sagepro.PACKAGE.kind: sagepro.PACKAGE,
}


def erp_package(kind: str) -> ErpPackage:
    """The package of an ERP kind; KeyError for a kind that is not an ERP."""
    return ERPS[kind]
