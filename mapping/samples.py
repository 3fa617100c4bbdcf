"""Sample canonical sources per entity: the fixtures of the preview page and bench.

Built from integrations.canonical records exactly as the workflows store them
on SyncRecord.source, plus what the ledger adds at run time
(customer_code, order_number, invoice_number).
"""

from typing import Any

from integrations.canonical import (
    Address,
    Adjustment,
    CreditNote,
    Customer,
    Invoice,
    Journal,
    JournalLine,
    OrderLine,
    Payment,
    SalesOrder,
    to_source,
)

# 2024-04-01 00:00:00 UTC; 2024-03-31 20:00 in New York.
CREATED = 1711929600

_ADDRESS = Address(
    line1="1 Harbour Way",
    line2="Unit 4",
    city="Bayside",
    state="CA",
    postal_code="94016",
    country="US",
)


def sample_sources() -> dict[str, dict[str, Any]]:
    """entity → a realistic canonical source, one per top-level entity."""
    return {
        "customer": to_source(
            Customer(
                stripe_id="cus_NffrFeUfNV2Hib",
                name="Bayside Bikes and Outdoor Equipment Co",
                email="accounts@baysidebikes.example",
                phone="+1 415 555 0100",
                currency="USD",
                address=_ADDRESS,
                shipping_address=_ADDRESS,
                erp_code="S000042",
                created=CREATED,
            )
        ),
        "sales_order": {
            **to_source(
                SalesOrder(
                    stripe_id="ch_3MmlLrLkdIwHu7ix0snN0B15",
                    currency="USD",
                    amount=3549,
                    created=CREATED,
                    lines=(
                        OrderLine("Widget A", 2, 1000, 2000, sku="A100"),
                        OrderLine("Setup fee", 1, 1549, 1549),
                    ),
                    email="accounts@baysidebikes.example",
                    description="Order 1001",
                    ship_address=_ADDRESS,
                )
            ),
            "customer_code": "0000001",
        },
        "payment": {
            **to_source(
                Payment(
                    stripe_id="ch_3MmlLrLkdIwHu7ix0snN0B15",
                    currency="USD",
                    amount=3549,
                    created=CREATED,
                )
            ),
            "customer_code": "0000001",
            "order_number": "000123",
        },
        "credit_note": {
            **to_source(
                CreditNote(
                    stripe_id="re_3MmlLrLkdIwHu7ix0Y3qG1Cz",
                    charge_id="ch_3MmlLrLkdIwHu7ix0snN0B15",
                    currency="JPY",
                    amount=500,
                    created=CREATED,
                    reason="requested_by_customer",
                )
            ),
            "customer_code": "0000002",
        },
        "adjustment": {
            **to_source(
                Adjustment(
                    stripe_id="dp_1MtJUT2eZvKYlo2CNaw2HvEv:funds_withdrawn",
                    charge_id="ch_3MmlLrLkdIwHu7ix0snN0B15",
                    currency="KWD",
                    amount=-1234,
                    created=CREATED,
                    reason="fraudulent",
                )
            ),
            "customer_code": "0000003",
            "order_number": "000124",
        },
        "invoice": {
            **to_source(
                Invoice(
                    stripe_id="in_1MtHbELkdIwHu7ixl4OzzPMv",
                    number="9A3F2B1C-0001",
                    currency="EUR",
                    amount=11900,
                    tax=1900,
                    created=CREATED,
                    lines=(OrderLine("Service hour", 1, 10000, 10000, sku="SVC01"),),
                )
            ),
            "customer_code": "0000002",
        },
        "journal": to_source(
            Journal(
                stripe_id="po_1OaFDbEcg9tTZuTgNYmX0PKB",
                currency="USD",
                created=CREATED,
                description="Stripe payout po_1OaFDbEcg9tTZuTgNYmX0PKB",
                lines=(
                    JournalLine("1010", 9651, "Payout to bank"),
                    JournalLine("6210", 349, "Stripe fees"),
                    JournalLine("1090", -10000, "Clear Stripe balance"),
                ),
            )
        ),
    }
