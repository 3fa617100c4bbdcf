"""Portal orders: cart → review → one order in the ERP, exactly once.

Exactly once rests on three legs:
- the review form carries a one-time `submission` token, unique in the
  table: a double click or a resent form finds the order it already made;
- only the request that moves the order into `submitting` (one conditional
  UPDATE) calls the ERP; the others show the order as it is;
- the ERP call is keyed by the order's reference and the connector looks it
  up before it creates (SYSPRO: SORQSO on CustomerPoNumber), so a retry after
  a lost reply or a dead worker adopts the order instead of making another.

Prices are read from the ERP again at checkout (never from the cache) and at
submission after an approval; an ERP that cannot be read refuses the order.
"""

import datetime as dt
import logging
import uuid
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils import timezone

from integrations.audit import audit_record
from integrations.connectors.catalog_records import NewOrder, NewOrderLine
from integrations.connectors.errors import ConnectorError, UnknownOutcomeError
from integrations.erps.catalogs import portal_erp_for
from integrations.periods import business_today
from portal.exceptions import ApplicationError, PermissionDenied
from portal.money import to_decimal

from ..models import Buyer, Order, OrderLine
from ..pricing import PriceBook, price_book

logger = logging.getLogger(__name__)

# A submission whose request died is claimed again after this long.
CLAIM_SECONDS = 120
SHIP_TO_LINES = 5
SHIP_TO_LINE_LENGTH = 40


class CheckoutRefused(ApplicationError):
    pass


@dataclass(frozen=True)
class Review:
    po_number: str
    ship_to: str
    requested_date: dt.date | None
    notes: str
    payment: str


def cart_priced(*, book: PriceBook, cart: dict[str, int]) -> list[tuple[str, int, int]]:
    """(code, quantity, unit price) of each cart line the price book knows."""
    return [
        (code, quantity, book.items[code].unit_price(quantity))
        for code, quantity in sorted(cart.items())
        if code in book.items and quantity > 0
    ]


def order_create(
    *, buyer: Buyer, cart: dict[str, int], review: Review, submission: uuid.UUID
) -> Order:
    """The portal order for this cart, priced by the ERP now; then sent to
    the ERP, or left for an approver when above the company's limit.

    The same `submission` answers the order it made the first time.
    """
    existing = Order.objects.filter(submission=submission).first()
    if existing is not None:
        if existing.company_id != buyer.company_id:
            raise PermissionDenied("That form belongs to another company.")
        return existing
    if not buyer.can_order:
        raise PermissionDenied("Your role lets you view prices, not order.")
    if not cart:
        raise CheckoutRefused("Your cart is empty.")
    company = buyer.company
    book = price_book(company=company, fresh=True)
    lines = cart_priced(book=book, cart=cart)
    unknown = sorted(set(cart) - {code for code, _, _ in lines})
    if unknown:
        raise CheckoutRefused(
            "These items are no longer on your price list: "
            f"{', '.join(unknown)}. Remove them from the cart to continue."
        )
    total = sum(quantity * price for _, quantity, price in lines)
    needs_approval = (
        company.order_limit > 0
        and total > company.order_limit
        and not buyer.can_approve
    )
    try:
        with transaction.atomic():
            order = Order.objects.create(
                company=company,
                buyer=buyer,
                submission=submission,
                status=(
                    Order.Status.AWAITING_APPROVAL
                    if needs_approval
                    else Order.Status.READY
                ),
                payment=review.payment,
                currency=company.currency,
                total=total,
                po_number=review.po_number,
                ship_to=review.ship_to,
                requested_date=review.requested_date,
                notes=review.notes,
            )
            OrderLine.objects.bulk_create(
                [
                    OrderLine(
                        order=order,
                        code=code,
                        description=book.items[code].description,
                        unit=book.items[code].unit,
                        quantity=quantity,
                        unit_price=price,
                        amount=quantity * price,
                    )
                    for code, quantity, price in lines
                ]
            )
            audit_record(
                actor=buyer.user,
                action="b2b.order.create",
                target=order,
                after={"total": total, "currency": order.currency},
            )
    except IntegrityError:
        # The same form submitted twice at once: the other request made it.
        return Order.objects.get(submission=submission, company=company)
    if needs_approval:
        return order
    return order_submit(order=order, book=book)


def order_approve(*, order: Order, approver: Buyer) -> Order:
    if not approver.can_approve or approver.company_id != order.company_id:
        raise PermissionDenied("Only an approver of this company approves orders.")
    updated = Order.objects.filter(
        pk=order.pk, status=Order.Status.AWAITING_APPROVAL
    ).update(approved_by=approver, status=Order.Status.READY)
    order.refresh_from_db()
    if not updated:
        return order
    audit_record(actor=approver.user, action="b2b.order.approve", target=order)
    return order_submit(order=order)


def order_reject(*, order: Order, approver: Buyer) -> Order:
    if not approver.can_approve or approver.company_id != order.company_id:
        raise PermissionDenied("Only an approver of this company rejects orders.")
    updated = Order.objects.filter(
        pk=order.pk, status=Order.Status.AWAITING_APPROVAL
    ).update(status=Order.Status.REJECTED, approved_by=approver)
    order.refresh_from_db()
    if updated:
        audit_record(actor=approver.user, action="b2b.order.reject", target=order)
    return order


def _claim(order: Order) -> bool:
    """Move the order into `submitting`; True for the one request that did."""
    now = timezone.now()
    stale = now - dt.timedelta(seconds=CLAIM_SECONDS)
    claimable = Order.objects.filter(
        pk=order.pk, status__in=(Order.Status.READY, Order.Status.FAILED)
    ) | Order.objects.filter(
        pk=order.pk, status=Order.Status.SUBMITTING, claimed_at__lt=stale
    )
    return bool(claimable.update(status=Order.Status.SUBMITTING, claimed_at=now))


def ship_to_lines(ship_to: str) -> tuple[str, ...]:
    lines = [line.strip() for line in ship_to.splitlines() if line.strip()]
    return tuple(line[:SHIP_TO_LINE_LENGTH] for line in lines[:SHIP_TO_LINES])


def order_submit(*, order: Order, book: PriceBook | None = None) -> Order:
    """Send the order to the ERP once; safe to call again at any time."""
    if not _claim(order):
        order.refresh_from_db()
        return order
    order.refresh_from_db()
    company = order.company
    lines = list(order.lines.all())
    try:
        if book is None:
            book = price_book(company=company, fresh=True)
        changed = [
            line.code
            for line in lines
            if line.code not in book.items
            or book.items[line.code].unit_price(line.quantity) != line.unit_price
        ]
        if changed:
            return _failed(
                order,
                "Prices changed in the ERP since this order was reviewed "
                f"({', '.join(changed)}): place it again from your cart.",
            )
        document = portal_erp_for(company.integration.erp_connection).place_order(
            NewOrder(
                reference=order.reference,
                customer_code=company.erp_customer_code,
                currency=order.currency,
                # The ERP's business day, not the server's (integrations/periods.py).
                date=business_today(company.integration.options).isoformat(),
                warehouse=str((company.integration.options or {}).get("warehouse", "")),
                email=order.buyer.user.email,
                ship_to=ship_to_lines(order.ship_to),
                buyer_po=order.po_number,
                requested_date=(
                    order.requested_date.isoformat() if order.requested_date else ""
                ),
                notes=order.notes,
                lines=tuple(
                    NewOrderLine(
                        code=line.code,
                        quantity=line.quantity,
                        unit=line.unit,
                        price=to_decimal(line.unit_price, order.currency),
                    )
                    for line in lines
                ),
            )
        )
    except ApplicationError as exc:
        message = exc.message
        if isinstance(exc, UnknownOutcomeError):
            message = (
                "The ERP did not answer: the order may be there already. "
                "Sending it again is safe, it is looked up first."
            )
        elif isinstance(exc, ConnectorError):
            message = f"The ERP did not take the order: {exc.message}"
        logger.warning(
            "portal order not placed",
            extra={"order_id": order.pk, "error_class": type(exc).__name__},
        )
        return _failed(order, message)
    Order.objects.filter(pk=order.pk).update(
        status=Order.Status.PLACED,
        erp_order_number=document.number,
        placed_at=timezone.now(),
        error="",
    )
    order.refresh_from_db()
    audit_record(
        actor=order.buyer.user,
        action="b2b.order.place",
        target=order,
        after={"erp_order": document.number, "adopted": document.adopted},
    )
    return order


def _failed(order: Order, message: str) -> Order:
    Order.objects.filter(pk=order.pk, status=Order.Status.SUBMITTING).update(
        status=Order.Status.FAILED, error=message[:500]
    )
    order.refresh_from_db()
    return order
