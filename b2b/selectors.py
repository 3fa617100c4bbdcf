"""Reads of the customer portal, every one scoped to one company."""

from django.contrib.auth.models import AbstractBaseUser
from django.db.models import QuerySet
from django.http import Http404

from integrations.connectors.catalog_records import (
    OrderDetail,
    OrderSummary,
    Statement,
)
from integrations.connectors.errors import ConnectorError
from integrations.connectors.records import ErpAddress
from integrations.erps.catalogs import portal_erp_for
from integrations.erps.registry import connector_for
from integrations.models import SyncRecord
from portal.exceptions import ApplicationError

from .models import Buyer, Company, InvoicePayment, Order


class ErpUnavailable(ApplicationError):
    status_code = 503


def buyer_of(*, user: AbstractBaseUser) -> Buyer | None:
    if not user.is_authenticated or user.is_staff:
        return None
    return (
        Buyer.objects.select_related("company", "company__integration")
        .filter(user=user, company__is_active=True)
        .first()
    )


def company_orders(*, company: Company) -> QuerySet[Order]:
    return Order.objects.filter(company=company).select_related("buyer__user")


def company_order(*, company: Company, pk: int) -> Order:
    """The company's portal order; 404 for any other company's."""
    order = (
        Order.objects.filter(company=company, pk=pk)
        .select_related("buyer__user", "approved_by__user")
        .prefetch_related("lines")
        .first()
    )
    if order is None:
        raise Http404("No such order")
    return order


def _unavailable(what: str) -> ErpUnavailable:
    return ErpUnavailable(
        f"{what} cannot be read from the ERP right now. Try again in a few minutes."
    )


def erp_orders(*, company: Company) -> list[OrderSummary]:
    """The company's orders in the ERP, newest first."""
    try:
        orders = portal_erp_for(company.integration.erp_connection).orders(
            customer_code=company.erp_customer_code
        )
    except ConnectorError:
        raise _unavailable("Your order history") from None
    return sorted(orders, key=lambda o: (o.date, o.number), reverse=True)


# Longer than any ERP's order number (SYSPRO 20, Sage Pro sono 10): not one.
ORDER_NUMBER_MAX = 20


def erp_order(*, company: Company, number: str) -> OrderDetail:
    """One ERP order of the company; 404 when it is not theirs."""
    if not number or len(number) > ORDER_NUMBER_MAX:
        raise Http404("No such order")
    try:
        detail = portal_erp_for(company.integration.erp_connection).order(
            customer_code=company.erp_customer_code, number=number
        )
    except ConnectorError:
        raise _unavailable("This order") from None
    if detail is None:
        raise Http404("No such order")
    return detail


def statement(*, company: Company) -> Statement:
    try:
        found = portal_erp_for(company.integration.erp_connection).statement(
            customer_code=company.erp_customer_code
        )
    except ConnectorError:
        raise _unavailable("Your statement") from None
    if found is None:
        raise _unavailable("Your statement")
    return found


def invoice_payments(*, company: Company) -> QuerySet[InvoicePayment]:
    return InvoicePayment.objects.filter(company=company, paid_at__isnull=False)


def order_payment_booked(*, order: Order) -> bool:
    """Whether the webhook pipeline has posted a card payment to the order's
    ERP order (the charge workflow's post_payment, by `metadata.erp_order`)."""
    if not order.erp_order_number:
        return False
    return SyncRecord.objects.filter(
        integration_id=order.company.integration_id,
        operation="post_payment",
        status=SyncRecord.Status.SUCCEEDED,
        source__order_number=order.erp_order_number,
    ).exists()


# SORTOI's ShipAddress1..5 and the ship-to text the portal keeps: five lines
# of 40 characters (b2b/forms.py checks typed addresses the same way).
SHIP_TO_LINES = 5
SHIP_TO_LINE_LENGTH = 40


def _address_lines(address: ErpAddress) -> tuple[str, ...]:
    parts = (
        address.line1,
        address.line2,
        f"{address.city} {address.postal_code}".strip(),
        address.state,
        address.country,
    )
    lines = [part.strip()[:SHIP_TO_LINE_LENGTH] for part in parts if part.strip()]
    return tuple(lines[:SHIP_TO_LINES])


def ship_to_addresses(*, company: Company) -> list[tuple[str, ...]]:
    """Where the ERP ships this customer's orders, as address lines: its
    ship-to address, then its own address when different (SYSPRO: ARSQRY's
    header ShipToAddr1..5 and SoldToAddr1..5, Header.vb in
    Zindaar/SYSPROIntegration; Sage Pro: arcust's one address). Empty when
    the ERP has none or cannot be read now: the buyer then types one."""
    try:
        customer = connector_for(company.integration.erp_connection).find_customer(
            code=company.erp_customer_code
        )
    except ConnectorError:
        return []
    if customer is None:
        return []
    found = []
    for address in (customer.shipping, customer.address):
        lines = _address_lines(address) if address is not None else ()
        if lines and lines not in found:
            found.append(lines)
    return found
