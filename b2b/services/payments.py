"""Card payment of a placed portal order through Stripe.

The PaymentIntent is made for the Stripe customer of the company, whose
metadata names the ERP customer, and carries the ERP order number
(`erp_order`): the charge.succeeded it produces goes through the normal
webhook pipeline, which then posts the payment to that customer for that
order and plans no sales order of its own (integrations/workflows/charges.py
plans one only when the metadata names no order or invoice). Every Stripe
call has an idempotency key derived from the order, so a retried or doubled
request makes one intent and one charge.
"""

import uuid

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


def order_payment_start(*, order: Order, buyer: Buyer) -> str:
    """The PaymentIntent of a placed order (made once); the pay page's URL."""
    if buyer.company_id != order.company_id or not buyer.can_order:
        raise PaymentRefused("Only a buyer of this company pays its orders.")
    if order.status != Order.Status.PLACED or not order.erp_order_number:
        raise PaymentRefused("An order is paid once it is placed in the ERP.")
    if order.card_paid_at:
        raise PaymentRefused("This order is already paid.")
    if not order.payment_intent:
        company = order.company
        try:
            api = _stripe(company)
            intent = api.create_payment_intent(
                {
                    "amount": order.total,
                    "currency": order.currency.lower(),
                    "customer": _stripe_customer(company, api),
                    "description": f"{company.name} order {order.erp_order_number}",
                    "receipt_email": buyer.user.email,
                    "metadata": {
                        META_ERP_ORDER: order.erp_order_number,
                        META_ERP_CODE: company.erp_customer_code,
                        META_PORTAL_ORDER: order.reference,
                    },
                },
                idempotency_key=f"b2b-order-{order.pk}-intent",
            )
        except ConnectorError as exc:
            raise PaymentRefused(
                f"Stripe could not start the payment: {exc.message}"
            ) from None
        with transaction.atomic():
            Order.objects.filter(pk=order.pk, payment_intent="").update(
                payment_intent=intent["id"]
            )
            audit_record(
                actor=buyer.user,
                action="b2b.order.payment_start",
                target=order,
                after={"payment_intent": intent["id"], "amount": order.total},
            )
    return reverse("b2b:order_pay", kwargs={"pk": order.pk})


def test_card_allowed() -> bool:
    """Paying with Stripe's test card is offered with the sandboxes only."""
    return bool(settings.SANDBOX_ENABLED)


def order_payment_test_card(*, order: Order, buyer: Buyer) -> Order:
    """Confirm the order's PaymentIntent with Stripe's test Visa (sandbox)."""
    if not test_card_allowed():
        raise PaymentRefused("Test cards are accepted in the sandbox only.")
    if buyer.company_id != order.company_id or not buyer.can_order:
        raise PaymentRefused("Only a buyer of this company pays its orders.")
    order.refresh_from_db()
    if order.card_paid_at:
        return order
    if not order.payment_intent:
        raise PaymentRefused("Start the payment from the order first.")
    try:
        intent = _stripe(order.company).confirm_payment_intent(
            order.payment_intent,
            {"payment_method": TEST_CARD},
            idempotency_key=f"b2b-order-{order.pk}-confirm",
        )
    except ConnectorError as exc:
        raise PaymentRefused(f"The card was not charged: {exc.message}") from None
    if intent.get("status") != "succeeded":
        raise PaymentRefused(
            f"The card was not charged (Stripe says {intent.get('status')})."
        )
    with transaction.atomic():
        updated = Order.objects.filter(pk=order.pk, card_paid_at=None).update(
            card_paid_at=timezone.now()
        )
        if updated:
            audit_record(
                actor=buyer.user,
                action="b2b.order.paid_by_card",
                target=order,
                after={"payment_intent": order.payment_intent},
            )
    order.refresh_from_db()
    return order


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
