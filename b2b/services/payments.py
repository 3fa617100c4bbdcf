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

Open invoices are still paid server-side with Stripe's test card, with the
sandboxes only: one PaymentIntent per invoice, as the charge workflow applies
a charge to one invoice.
"""

import uuid
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from integrations.audit import audit_record
from integrations.connectors import stripe_api
from integrations.connectors.catalog_records import Statement
from integrations.connectors.errors import ConnectorError
from integrations.workflows.common import (
    META_ERP_CODE,
    META_ERP_INVOICE,
    META_ERP_ORDER,
)
from portal.exceptions import ApplicationError
from portal.money import to_minor

from ..models import Buyer, Company, InvoicePayment, Order

META_PORTAL_ORDER = "portal_order"
# Stripe's test PaymentMethod for a Visa card that succeeds
# (https://docs.stripe.com/testing#cards); used only against the sandbox.
TEST_CARD = "pm_card_visa"


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


def test_card_allowed() -> bool:
    """Paying invoices with Stripe's test card is offered with the sandboxes
    only."""
    return bool(settings.SANDBOX_ENABLED)


def invoices_pay_test_card(
    *,
    buyer: Buyer,
    statement: Statement,
    invoices: list[str],
    submission: uuid.UUID,
) -> list[InvoicePayment]:
    """Pay several open invoices by card (the sandbox's test Visa): one
    PaymentIntent per invoice, its balance as the amount and the invoice in
    `metadata.erp_invoice`, so the charge workflow applies each payment to
    exactly that invoice. The same form (`submission`) sent again pays
    nothing more; every Stripe call is keyed by the form and the invoice."""
    if not test_card_allowed():
        raise PaymentRefused("Test cards are accepted in the sandbox only.")
    if not buyer.can_order:
        raise PaymentRefused("Your role lets you view invoices, not pay them.")
    company = buyer.company
    open_invoices = {
        invoice.number: invoice
        for invoice in statement.invoices
        if invoice.kind == "invoice" and invoice.balance > 0
    }
    chosen = sorted(set(invoices))
    unknown = [number for number in chosen if number not in open_invoices]
    if not chosen or unknown:
        raise PaymentRefused(
            "Choose open invoices of your company to pay"
            + (f" ({', '.join(unknown)} is not one)." if unknown else ".")
        )
    api = _stripe(company)
    customer = _stripe_customer(company, api)
    done = []
    for number in chosen:
        payment, _ = InvoicePayment.objects.get_or_create(
            submission=submission,
            invoice=number,
            defaults={
                "company": company,
                "buyer": buyer,
                "currency": company.currency,
                "amount": to_minor(open_invoices[number].balance, company.currency),
            },
        )
        if payment.company_id != company.pk:
            raise PaymentRefused("That form belongs to another company.")
        if payment.paid_at is None:
            _invoice_charge(payment, api=api, customer=customer)
        done.append(payment)
    return done


def _invoice_charge(
    payment: InvoicePayment, *, api: stripe_api.StripeApi, customer: str
) -> None:
    key = f"b2b-invoice-{payment.submission}-{payment.invoice}"
    try:
        intent = api.create_payment_intent(
            {
                "amount": payment.amount,
                "currency": payment.currency.lower(),
                "customer": customer,
                "description": f"Invoice {payment.invoice}",
                "metadata": {
                    META_ERP_INVOICE: payment.invoice,
                    META_ERP_CODE: payment.company.erp_customer_code,
                },
            },
            idempotency_key=f"{key}-intent",
        )
        confirmed = api.confirm_payment_intent(
            intent["id"],
            {"payment_method": TEST_CARD},
            idempotency_key=f"{key}-confirm",
        )
    except ConnectorError as exc:
        InvoicePayment.objects.filter(pk=payment.pk).update(error=exc.message[:500])
        raise PaymentRefused(
            f"Invoice {payment.invoice} was not charged: {exc.message}"
        ) from None
    with transaction.atomic():
        InvoicePayment.objects.filter(pk=payment.pk, paid_at=None).update(
            payment_intent=intent["id"],
            paid_at=timezone.now() if confirmed.get("status") == "succeeded" else None,
            error="" if confirmed.get("status") == "succeeded" else "not charged",
        )
        audit_record(
            actor=payment.buyer.user,
            action="b2b.invoice.paid_by_card",
            target=payment,
            after={"invoice": payment.invoice, "amount": payment.amount},
        )
    payment.refresh_from_db()
