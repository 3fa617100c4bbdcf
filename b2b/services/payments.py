"""Card payment of a placed portal order, and of open invoices, through Stripe.

A placed order is paid on a Stripe Checkout Session (hosted by Stripe, so the
portal loads no script from anyone): made for the Stripe customer of the
company, whose metadata names the ERP customer, with the ERP order number
(`erp_order`) in the PaymentIntent's metadata. The charge.succeeded it
produces goes through the normal webhook pipeline, which posts the payment
to that customer for that order and plans no sales order of its own
(integrations/workflows/charges.py plans one only when the metadata names no
order or invoice). Every Stripe call has an idempotency key derived from the
order, so a retried or doubled request makes one session and one charge.

Open invoices are paid several at once on one Checkout Session: its
metadata names each ERP invoice and the amount it owes now (read from the
ERP when the session is made), and the charge workflow posts that one charge
as one ERP payment applied to exactly those invoices.
"""

import uuid
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from integrations.audit import audit_record
from integrations.canonical import InvoiceAllocation
from integrations.connectors import stripe_api
from integrations.connectors.catalog_records import Statement
from integrations.connectors.errors import ConnectorError
from integrations.workflows.charges import META_ERP_INVOICES, allocations_encode
from integrations.workflows.common import META_ERP_CODE, META_ERP_ORDER
from portal.exceptions import ApplicationError
from portal.money import to_minor

from ..models import Buyer, Company, InvoicePayment, Order

META_PORTAL_ORDER = "portal_order"
META_PORTAL_INVOICES = "portal_invoice_payment"


class PaymentRefused(ApplicationError):
    pass


def _stripe(company: Company) -> stripe_api.StripeApi:
    return stripe_api.stripe_api_for(company.integration)()


def _stripe_customer(company: Company, api: stripe_api.StripeApi) -> str:
    if company.stripe_customer:
        return company.stripe_customer
    customer = api.create_customer(
        {
            "name": company.name,
            "metadata": {META_ERP_CODE: company.erp_customer_code},
        },
        idempotency_key=f"b2b-company-{company.pk}-customer",
    )
    Company.objects.filter(pk=company.pk, stripe_customer="").update(
        stripe_customer=customer["id"]
    )
    company.refresh_from_db()
    return company.stripe_customer


@dataclass(frozen=True)
class CheckoutState:
    """What Stripe says of an order's Checkout Session."""

    status: str  # "open" | "complete" | "expired"
    payment_status: str  # "unpaid" | "paid" | "no_payment_required"

    @property
    def paid(self) -> bool:
        return self.status == "complete" and self.payment_status == "paid"


def _order_payable(order: Order, buyer: Buyer) -> None:
    if buyer.company_id != order.company_id or not buyer.can_order:
        raise PaymentRefused("Only a buyer of this company pays its orders.")
    if order.status != Order.Status.PLACED or not order.erp_order_number:
        raise PaymentRefused("An order is paid once it is placed in the ERP.")
    if order.card_paid_at:
        raise PaymentRefused("This order is already paid.")


def _checkout_params(
    *, order: Order, buyer: Buyer, customer: str, base: str
) -> dict[str, Any]:
    company = order.company
    metadata = {
        META_ERP_ORDER: order.erp_order_number,
        META_ERP_CODE: company.erp_customer_code,
        META_PORTAL_ORDER: order.reference,
    }
    description = f"{company.name} order {order.erp_order_number}"
    pay_page = base + reverse("b2b:order_pay", kwargs={"pk": order.pk})
    return {
        "mode": "payment",
        "customer": customer,
        "client_reference_id": order.reference,
        "line_items": [
            {
                "price_data": {
                    "currency": order.currency.lower(),
                    "unit_amount": order.total,
                    "product_data": {"name": description},
                },
                "quantity": 1,
            }
        ],
        # Stripe puts the session id in place of the template
        # (https://docs.stripe.com/payments/checkout/custom-success-page); the
        # return page reads the order's own session and never trusts it.
        "success_url": pay_page + "?session_id={CHECKOUT_SESSION_ID}",
        "cancel_url": base + reverse("b2b:order", kwargs={"pk": order.pk}),
        "metadata": metadata,
        # The charge carries the PaymentIntent's metadata: the charge workflow
        # pays this ERP order and plans no sales order of its own.
        "payment_intent_data": {
            "description": description,
            "receipt_email": buyer.user.email,
            "metadata": metadata,
        },
    }


def order_checkout_start(*, order: Order, buyer: Buyer, return_base: str) -> str:
    """Where the buyer pays a placed order: the URL of its open Checkout
    Session, made once. A second click, a back or a retry finds the same
    session (and the same idempotency key makes the same session if two
    requests race); only an expired session is replaced, under a new key.
    A session already paid sends the buyer to the order's pay page."""
    _order_payable(order, buyer)
    company = order.company
    api = _stripe(company)
    previous = order.checkout_session
    attempt = order.checkout_attempt
    try:
        if previous:
            session = api.retrieve_checkout_session(previous)
            if session.get("status") == "open" and session.get("url"):
                return str(session["url"])
            if session.get("status") == "complete":
                return reverse("b2b:order_pay", kwargs={"pk": order.pk})
            attempt += 1
        session = api.create_checkout_session(
            _checkout_params(
                order=order,
                buyer=buyer,
                customer=_stripe_customer(company, api),
                base=return_base.rstrip("/"),
            ),
            idempotency_key=f"b2b-order-{order.pk}-checkout-{attempt}",
        )
    except ConnectorError as exc:
        raise PaymentRefused(
            f"Stripe could not start the payment: {exc.message}"
        ) from None
    with transaction.atomic():
        updated = Order.objects.filter(
            pk=order.pk, checkout_session=previous, card_paid_at=None
        ).update(checkout_session=session["id"], checkout_attempt=attempt)
        if updated:
            audit_record(
                actor=buyer.user,
                action="b2b.order.checkout_start",
                target=order,
                after={"checkout_session": session["id"], "amount": order.total},
            )
    order.refresh_from_db()
    if order.checkout_session != session["id"]:
        # Another request recorded a session first: send the buyer to that one.
        return order_checkout_start(order=order, buyer=buyer, return_base=return_base)
    return str(session["url"])


def order_checkout_sync(*, order: Order, actor: Any) -> CheckoutState | None:
    """Read the order's Checkout Session from Stripe (never from the return
    URL) and record the payment once Stripe says it is paid. None when no
    payment was started."""
    if not order.checkout_session:
        return None
    try:
        session = _stripe(order.company).retrieve_checkout_session(
            order.checkout_session
        )
    except ConnectorError as exc:
        raise PaymentRefused(
            f"Stripe could not say how the payment went: {exc.message}"
        ) from None
    if session.get("client_reference_id") != order.reference:
        raise PaymentRefused("That payment does not belong to this order.")
    state = CheckoutState(
        status=str(session.get("status") or ""),
        payment_status=str(session.get("payment_status") or ""),
    )
    if state.paid and order.card_paid_at is None:
        intent = session.get("payment_intent") or ""
        if isinstance(intent, dict):
            intent = intent.get("id") or ""
        with transaction.atomic():
            updated = Order.objects.filter(pk=order.pk, card_paid_at=None).update(
                card_paid_at=timezone.now(), payment_intent=str(intent)[:100]
            )
            if updated:
                audit_record(
                    actor=actor,
                    action="b2b.order.paid_by_card",
                    target=order,
                    after={
                        "checkout_session": order.checkout_session,
                        "payment_intent": intent,
                    },
                )
        order.refresh_from_db()
    return state


def _invoices_chosen(
    *, statement: Statement, invoices: list[str], currency: str
) -> list[InvoiceAllocation]:
    """What each chosen invoice owes now, as the ERP says (the statement is
    read from it for this request): a partly paid invoice pays its balance;
    one paid meanwhile, or not this company's, is refused by name."""
    owing = {
        invoice.number: invoice
        for invoice in statement.invoices
        if invoice.kind == "invoice"
    }
    chosen = sorted(set(invoices))
    if not chosen:
        raise PaymentRefused("Choose the open invoices to pay.")
    unknown = [number for number in chosen if number not in owing]
    if unknown:
        raise PaymentRefused(
            "Choose open invoices of your company to pay "
            f"({', '.join(unknown)} is not one)."
        )
    settled = [number for number in chosen if owing[number].balance <= 0]
    if settled:
        raise PaymentRefused(
            f"{', '.join(settled)} {'is' if len(settled) == 1 else 'are'} already "
            "paid in the ERP: choose the invoices again."
        )
    return [
        InvoiceAllocation(
            invoice=number, amount=to_minor(owing[number].balance, currency)
        )
        for number in chosen
    ]


def _invoices_checkout_params(
    *,
    company: Company,
    buyer: Buyer,
    submission: uuid.UUID,
    allocations: list[InvoiceAllocation],
    customer: str,
    base: str,
) -> dict[str, Any]:
    try:
        named = allocations_encode(allocations)
    except ValueError as exc:
        raise PaymentRefused(f"Pay fewer invoices at once: {exc}.") from None
    metadata = {
        META_ERP_INVOICES: named,
        META_ERP_CODE: company.erp_customer_code,
        META_PORTAL_INVOICES: str(submission),
    }
    numbers = ", ".join(a.invoice for a in allocations)
    description = f"{company.name} invoices {numbers}"[:500]
    return_page = base + reverse("b2b:invoices_paid", kwargs={"submission": submission})
    return {
        "mode": "payment",
        "customer": customer,
        "client_reference_id": str(submission),
        "line_items": [
            {
                "price_data": {
                    "currency": company.currency.lower(),
                    "unit_amount": allocation.amount,
                    "product_data": {"name": f"Invoice {allocation.invoice}"},
                },
                "quantity": 1,
            }
            for allocation in allocations
        ],
        "success_url": return_page + "?session_id={CHECKOUT_SESSION_ID}",
        "cancel_url": base + reverse("b2b:invoices"),
        "metadata": metadata,
        # The charge carries the PaymentIntent's metadata: the charge workflow
        # posts one payment applied to exactly these invoices, these amounts.
        "payment_intent_data": {
            "description": description,
            "receipt_email": buyer.user.email,
            "metadata": metadata,
        },
    }


def invoices_checkout_start(
    *,
    buyer: Buyer,
    statement: Statement,
    invoices: list[str],
    submission: uuid.UUID,
    return_base: str,
) -> str:
    """Where the buyer pays several open invoices at once: one Checkout
    Session (one charge) whose metadata names each invoice and its amount.

    Amounts are what the ERP says each invoice owes now. The same form
    (`submission`) sent again finds its session instead of making another;
    the idempotency key makes one session if two requests race. An expired
    session is not renewed: the balances may have moved, so the buyer
    chooses again on a fresh form."""
    if not buyer.can_order:
        raise PaymentRefused("Your role lets you view invoices, not pay them.")
    company = buyer.company
    api = _stripe(company)
    existing = list(InvoicePayment.objects.filter(submission=submission))
    if any(p.company_id != company.pk for p in existing):
        raise PaymentRefused("That form belongs to another company.")
    session_id = next((p.checkout_session for p in existing if p.checkout_session), "")
    try:
        if session_id:
            session = api.retrieve_checkout_session(session_id)
            if session.get("status") == "open" and session.get("url"):
                return str(session["url"])
            if session.get("status") == "complete":
                return reverse("b2b:invoices_paid", kwargs={"submission": submission})
            raise PaymentRefused(
                "That payment expired unpaid: choose the invoices again."
            )
        allocations = _invoices_chosen(
            statement=statement, invoices=invoices, currency=company.currency
        )
        params = _invoices_checkout_params(
            company=company,
            buyer=buyer,
            submission=submission,
            allocations=allocations,
            customer=_stripe_customer(company, api),
            base=return_base.rstrip("/"),
        )
        session = api.create_checkout_session(
            params, idempotency_key=f"b2b-invoices-{submission}-checkout"
        )
    except ConnectorError as exc:
        raise PaymentRefused(
            f"Stripe could not start the payment: {exc.message}"
        ) from None
    with transaction.atomic():
        for allocation in allocations:
            InvoicePayment.objects.get_or_create(
                submission=submission,
                invoice=allocation.invoice,
                defaults={
                    "company": company,
                    "buyer": buyer,
                    "currency": company.currency,
                    "amount": allocation.amount,
                    "checkout_session": session["id"],
                },
            )
        audit_record(
            actor=buyer.user,
            action="b2b.invoices.checkout_start",
            target=company,
            after={
                "checkout_session": session["id"],
                "invoices": {a.invoice: a.amount for a in allocations},
            },
        )
    return str(session["url"])


def invoices_checkout_sync(
    *, company: Company, submission: uuid.UUID, actor: Any
) -> tuple[CheckoutState, list[InvoicePayment]]:
    """Read the form's Checkout Session from Stripe (never from the return
    URL) and record its invoices paid once Stripe says so."""
    payments = list(
        InvoicePayment.objects.filter(company=company, submission=submission)
    )
    session_id = next((p.checkout_session for p in payments if p.checkout_session), "")
    if not session_id:
        raise Http404("No such payment")
    try:
        session = _stripe(company).retrieve_checkout_session(session_id)
    except ConnectorError as exc:
        raise PaymentRefused(
            f"Stripe could not say how the payment went: {exc.message}"
        ) from None
    if session.get("client_reference_id") != str(submission):
        raise PaymentRefused("That payment does not belong to these invoices.")
    state = CheckoutState(
        status=str(session.get("status") or ""),
        payment_status=str(session.get("payment_status") or ""),
    )
    if state.paid and any(p.paid_at is None for p in payments):
        intent = session.get("payment_intent") or ""
        if isinstance(intent, dict):
            intent = intent.get("id") or ""
        with transaction.atomic():
            updated = InvoicePayment.objects.filter(
                company=company, submission=submission, paid_at=None
            ).update(paid_at=timezone.now(), payment_intent=str(intent)[:100])
            if updated:
                audit_record(
                    actor=actor,
                    action="b2b.invoices.paid_by_card",
                    target=company,
                    after={
                        "checkout_session": session_id,
                        "payment_intent": intent,
                        "invoices": {p.invoice: p.amount for p in payments},
                    },
                )
        payments = list(
            InvoicePayment.objects.filter(company=company, submission=submission)
        )
    return state, payments
