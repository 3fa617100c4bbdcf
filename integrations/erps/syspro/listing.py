"""SYSPRO customers, read for go-live customer matching (read only).

e.net has a customer enquiry by key (ARSQRY) but the sandbox offers no
customer list query business object, so this reads the customers whose
codes the caller names (from a spreadsheet, the metadata of Stripe
customers, or a code range) one ARSQRY at a time. ARSQRY's header carries
the name and currency, not the email, tax number or postcode
(https://github.com/Zindaar/SYSPROIntegration/blob/c03d75db2a7c175a21d5171a0e1fdfe736e816bf/SysproIntegration/Common/Query/BusinessObjects/CustomerQuery/Header.vb),
so matching SYSPRO customers rests on the name unless the codes are known.
"""

from integrations.connectors.records import ErpCustomer

from .connector import SysproConnector


def list_customers(
    connector: SysproConnector, *, codes: tuple[str, ...] = (), limit: int = 1000
) -> list[ErpCustomer]:
    """The customers among `codes` that exist, at most `limit` of them."""
    found = []
    for code in codes[:limit]:
        customer = connector.find_customer(code=code)
        if customer is not None:
            found.append(customer)
    return found
