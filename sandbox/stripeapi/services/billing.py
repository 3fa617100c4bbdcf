"""Invoices, invoice items and invoice payments, in the basil-and-later shape.

The lifecycle follows https://docs.stripe.com/invoicing/overview: a draft
takes items, finalizing gives it a number and makes it `open` (with its
default InvoicePayment and, for `charge_automatically`, its PaymentIntent),
paying makes it `paid`, and an open invoice can be voided or marked
uncollectible. Since 2025-03-31.basil an invoice names no charge or payment
intent: the InvoicePayment links them
(https://docs.stripe.com/changelog/basil/2025-03-31/add-support-for-multiple-partial-payments-on-invoices),
and lines carry `pricing` and `parent` instead of `price` and `subscription`
(https://docs.stripe.com/changelog/basil/2025-03-31/invoice-pricing-configurations,
https://docs.stripe.com/changelog/basil/2025-03-31/adds-new-parent-field-to-invoicing-objects).
"""

from typing import Any

from django.db import transaction

from ..errors import StripeApiError, invalid, missing
from ..models import ApiObject
from ..params import metadata_apply
from . import payments
from .core import event_emit, new_id, now_ts, object_create, object_get, object_save
from .customers import customer_require

Kind = ApiObject.Kind

COLLECTION_METHODS = ("charge_automatically", "send_invoice")


def _invoice_live(invoice_id: str, *, param: str = "id") -> ApiObject:
    return object_get(
        kind=Kind.INVOICE, stripe_id=invoice_id, param=param, for_update=True
    )


def invoice_create(
    *,
    customer: str,
    currency: str | None,
    collection_method: str | None,
    days_until_due: int | None,
    description: str | None,
    auto_advance: bool | None,
    metadata: dict[str, str] | None,
    subscription: str = "",
    billing_reason: str = "manual",
) -> dict[str, Any]:
    method = collection_method or "charge_automatically"
    if method not in COLLECTION_METHODS:
        raise invalid(
            "collection_method",
            "Invalid collection_method: must be one of "
            + ", ".join(COLLECTION_METHODS),
        )
    if method == "send_invoice" and days_until_due is None:
        raise StripeApiError(
            "Missing required param: days_until_due (or due_date) for invoices "
            "with collection_method=send_invoice.",
            code="parameter_missing",
            param="days_until_due",
        )
    if method == "charge_automatically" and days_until_due is not None:
        raise invalid(
            "days_until_due",
            "You can only set days_until_due with collection_method=send_invoice.",
        )
    with transaction.atomic():
        cust = customer_require(customer_id=customer)
        created = now_ts()
        data: dict[str, Any] = {
            "id": new_id("in"),
            "object": "invoice",
            "account_country": "US",
            "account_name": "LedgerBridge sandbox",
            "amount_due": 0,
            "amount_overpaid": 0,
            "amount_paid": 0,
            "amount_remaining": 0,
            "amount_shipping": 0,
            "attempt_count": 0,
            "attempted": False,
            "auto_advance": bool(auto_advance) if auto_advance is not None else False,
            "billing_reason": billing_reason,
            "collection_method": method,
            "created": created,
            "currency": currency or cust.data.get("currency") or "usd",
            "customer": customer,
            "customer_address": cust.data.get("address"),
            "customer_email": cust.data.get("email"),
            "customer_name": cust.data.get("name"),
            "customer_phone": cust.data.get("phone"),
            "customer_shipping": cust.data.get("shipping"),
            "description": description,
            "due_date": (
                created + days_until_due * 86400 if days_until_due is not None else None
            ),
            "effective_at": None,
            "ending_balance": None,
            "hosted_invoice_url": None,
            "lines": {
                "object": "list",
                "data": [],
                "has_more": False,
                "url": "",
            },
            "livemode": False,
            "metadata": metadata_apply({}, metadata),
            "number": None,
            "parent": (
                {
                    "type": "subscription_details",
                    "quote_details": None,
                    "subscription_details": {
                        "metadata": {},
                        "subscription": subscription,
                    },
                }
                if subscription
                else None
            ),
            "period_end": created,
            "period_start": created,
            "starting_balance": 0,
            "status": "draft",
            "status_transitions": {
                "finalized_at": None,
                "marked_uncollectible_at": None,
                "paid_at": None,
                "voided_at": None,
            },
            "subtotal": 0,
            "subtotal_excluding_tax": 0,
            "total": 0,
            "total_discount_amounts": [],
            "total_excluding_tax": 0,
            "total_pretax_credit_amounts": [],
            "total_taxes": [],
            "webhooks_delivered_at": None,
        }
        data["lines"]["url"] = f"/v1/invoices/{data['id']}/lines"
        object_create(
            kind=Kind.INVOICE, data=data, customer=customer, currency=data["currency"]
        )
        event_emit(type="invoice.created", obj=data)
    return data


def _line(
    *,
    invoice: dict[str, Any],
    item_id: str,
    amount: int,
    quantity: int,
    description: str | None,
    price: dict[str, Any] | None,
    metadata: dict[str, str],
    subscription_item: str = "",
) -> dict[str, Any]:
    pricing = None
    if price is not None:
        pricing = {
            "type": "price_details",
            "price_details": {"price": price["id"], "product": price["product"]},
            "unit_amount_decimal": str(price["unit_amount"]),
        }
    if subscription_item:
        parent = {
            "type": "subscription_item_details",
            "invoice_item_details": None,
            "subscription_item_details": {
                "invoice_item": None,
                "proration": False,
                "proration_details": {"credited_items": None},
                "subscription": _subscription_of(invoice),
                "subscription_item": subscription_item,
            },
        }
    else:
        parent = {
            "type": "invoice_item_details",
            "invoice_item_details": {
                "invoice_item": item_id,
                "proration": False,
                "proration_details": {"credited_items": None},
                "subscription": None,
            },
            "subscription_item_details": None,
        }
    return {
        "id": new_id("il"),
        "object": "line_item",
        "amount": amount,
        "currency": invoice["currency"],
        "description": description,
        "discount_amounts": [],
        "discountable": True,
        "discounts": [],
        "invoice": invoice["id"],
        "livemode": False,
        "metadata": metadata,
        "parent": parent,
        "period": {"end": invoice["period_end"], "start": invoice["period_start"]},
        "pretax_credit_amounts": [],
        "pricing": pricing,
        "quantity": quantity,
        "taxes": [],
    }


def _subscription_of(invoice: dict[str, Any]) -> str | None:
    parent = invoice.get("parent") or {}
    return (parent.get("subscription_details") or {}).get("subscription")


def _totals(data: dict[str, Any]) -> None:
    subtotal = sum(line["amount"] for line in data["lines"]["data"])
    data["subtotal"] = data["subtotal_excluding_tax"] = subtotal
    data["total"] = data["total_excluding_tax"] = subtotal
    data["amount_due"] = subtotal
    data["amount_remaining"] = subtotal - data["amount_paid"]


def invoice_item_create(
    *,
    customer: str,
    invoice: str | None,
    amount: int | None,
    currency: str | None,
    price: str | None,
    quantity: int | None,
    description: str | None,
    metadata: dict[str, str] | None,
) -> dict[str, Any]:
    """An item on a draft invoice, or (without `invoice`) a pending item that
    the customer's next invoice created with
    `pending_invoice_items_behavior=include` takes."""
    if (amount is None) == (price is None):
        raise StripeApiError(
            "You must specify exactly one of amount or pricing[price].",
            code="parameter_missing",
            param="amount",
        )
    with transaction.atomic():
        cust = customer_require(customer_id=customer)
        inv = _invoice_live(invoice, param="invoice") if invoice else None
        if inv is not None:
            if inv.data["customer"] != customer:
                raise invalid(
                    "invoice", f"The invoice {invoice} belongs to another customer."
                )
            if inv.data["status"] != "draft":
                raise invalid(
                    "invoice",
                    "You can only add invoice items to draft invoices.",
                    code="invoice_not_editable",
                )
        price_data = None
        if price is not None:
            price_data = object_get(
                kind=Kind.PRICE, stripe_id=price, param="pricing[price]"
            ).data
            if not price_data.get("active", True):
                raise invalid("pricing[price]", f"The price {price} is not active.")
        item_currency = (
            inv.data["currency"]
            if inv is not None
            else (
                currency
                or (price_data or {}).get("currency")
                or cust.data.get("currency")
                or "usd"
            )
        )
        given = price_data["currency"] if price_data else currency
        if given and given != item_currency:
            raise invalid(
                "pricing[price]" if price_data else "currency",
                "The currency of the invoice item must match the invoice's "
                f"currency ({item_currency}).",
            )
        count = quantity or 1
        if price_data is not None:
            amount = price_data["unit_amount"] * count
        created = now_ts()
        item = {
            "id": new_id("ii"),
            "object": "invoiceitem",
            "amount": amount,
            "currency": item_currency,
            "customer": customer,
            "date": created,
            "description": description,
            "discountable": True,
            "invoice": invoice,
            "livemode": False,
            "metadata": metadata_apply({}, metadata),
            "parent": None,
            "period": {"end": created, "start": created},
            "pricing": (
                {
                    "type": "price_details",
                    "price_details": {
                        "price": price_data["id"],
                        "product": price_data["product"],
                    },
                    "unit_amount_decimal": str(price_data["unit_amount"]),
                }
                if price_data
                else None
            ),
            "proration": False,
            "quantity": count,
            "tax_rates": [],
        }
        obj = object_create(
            kind=Kind.INVOICE_ITEM,
            data=item,
            customer=customer,
            parent=invoice or "",
            created=created,
        )
        if inv is not None:
            _item_add(inv, obj, price_data)
    return item


def _item_add(inv: ApiObject, item: ApiObject, price: dict[str, Any] | None) -> None:
    """Put an invoice item on a draft invoice as a line."""
    data = inv.data
    item.data["invoice"] = data["id"]
    item.data["period"] = {"end": data["period_end"], "start": data["period_start"]}
    item.parent = data["id"]
    object_save(obj=item, fields=("parent",))
    data["lines"]["data"].append(
        _line(
            invoice=data,
            item_id=item.data["id"],
            amount=item.data["amount"],
            quantity=item.data["quantity"],
            description=item.data["description"],
            price=price,
            metadata=item.data["metadata"],
        )
    )
    _totals(data)
    object_save(obj=inv)


def invoice_pending_items_take(*, invoice_id: str) -> None:
    """Move the customer's pending items (not a subscription's) onto a new
    invoice of the same currency."""
    inv = _invoice_live(invoice_id)
    pending = ApiObject.objects.select_for_update().filter(
        kind=Kind.INVOICE_ITEM,
        customer=inv.data["customer"],
        parent="",
        data__parent=None,
        data__currency=inv.data["currency"],
    )
    for item in pending.order_by("id"):
        price = None
        if item.data["pricing"]:
            price = object_get(
                kind=Kind.PRICE,
                stripe_id=item.data["pricing"]["price_details"]["price"],
            ).data
        _item_add(inv, item, price)


def invoice_lines_add(*, invoice_id: str, lines: list[dict[str, Any]]) -> None:
    """Subscription lines, for the subscription service."""
    inv = _invoice_live(invoice_id)
    for line in lines:
        inv.data["lines"]["data"].append(_line(invoice=inv.data, item_id="", **line))
    _totals(inv.data)
    object_save(obj=inv)


def _invoice_payment_create(
    *, invoice: dict[str, Any], payment_intent: str
) -> ApiObject:
    data = {
        "id": new_id("inpay"),
        "object": "invoice_payment",
        "amount_paid": None,
        "amount_requested": invoice["amount_remaining"],
        "created": now_ts(),
        "currency": invoice["currency"],
        "invoice": invoice["id"],
        "is_default": True,
        "livemode": False,
        "payment": {"type": "payment_intent", "payment_intent": payment_intent},
        "status": "open",
        "status_transitions": {"canceled_at": None, "paid_at": None},
    }
    return object_create(
        kind=Kind.INVOICE_PAYMENT,
        data=data,
        customer=invoice["customer"],
        parent=invoice["id"],
        currency=invoice["currency"],
    )


def _default_payment(invoice_id: str) -> ApiObject | None:
    return (
        ApiObject.objects.select_for_update()
        .filter(kind=Kind.INVOICE_PAYMENT, parent=invoice_id, data__is_default=True)
        .first()
    )


def invoice_finalize(*, invoice_id: str) -> dict[str, Any]:
    with transaction.atomic():
        inv = _invoice_live(invoice_id)
        data = inv.data
        if data["status"] != "draft":
            raise StripeApiError(
                "This invoice is already finalized, you can't re-finalize a "
                "non-draft invoice.",
                code="invoice_not_editable",
            )
        cust = customer_require(customer_id=data["customer"])
        sequence = int(cust.data.get("next_invoice_sequence") or 1)
        cust.data["next_invoice_sequence"] = sequence + 1
        object_save(obj=cust)
        finalized = now_ts()
        data["number"] = f"{cust.data['invoice_prefix']}-{sequence:04d}"
        data["status"] = "open"
        data["effective_at"] = finalized
        data["status_transitions"]["finalized_at"] = finalized
        data["ending_balance"] = 0
        data["hosted_invoice_url"] = f"https://invoice.stripe.com/i/{data['id']}"
        if data["amount_remaining"] > 0:
            intent = payments.payment_intent_for_invoice(
                amount=data["amount_remaining"],
                currency=data["currency"],
                customer=data["customer"],
                description=f"Invoice {data['number']}",
            )
            _invoice_payment_create(invoice=data, payment_intent=intent["id"])
        object_save(obj=inv)
        event_emit(type="invoice.finalized", obj=data)
        if data["amount_remaining"] == 0:
            # A zero invoice is paid as it is finalized.
            _invoice_paid(inv, paid_at=finalized)
    return inv.data


def _invoice_paid(inv: ApiObject, *, paid_at: int) -> None:
    data = inv.data
    data["amount_paid"] += data["amount_remaining"]
    data["amount_remaining"] = 0
    data["attempted"] = True
    data["status"] = "paid"
    data["status_transitions"]["paid_at"] = paid_at
    object_save(obj=inv)
    event_emit(type="invoice.paid", obj=data)
    event_emit(type="invoice.payment_succeeded", obj=data)


def invoice_pay(
    *, invoice_id: str, payment_method: str | None, paid_out_of_band: bool
) -> dict[str, Any]:
    """Pay an open invoice by card (its PaymentIntent) or out of band.

    A declined card leaves it open and answers 402, as Stripe does.
    """
    with transaction.atomic():
        inv = _invoice_live(invoice_id)
        data = inv.data
        _require_status(data, "open", "pay")
        if paid_out_of_band:
            default = _default_payment(invoice_id)
            if default is not None:
                default.data["status"] = "canceled"
                default.data["status_transitions"]["canceled_at"] = now_ts()
                object_save(obj=default)
            _invoice_paid(inv, paid_at=now_ts())
            return inv.data
        cust = customer_require(customer_id=data["customer"])
        method = payment_method or (cust.data.get("invoice_settings") or {}).get(
            "default_payment_method"
        )
        if not method:
            raise StripeApiError(
                "Cannot charge a customer that has no active card or default "
                "payment method.",
                code="invoice_no_payment_method_types",
            )
        default = _default_payment(invoice_id)
        if default is None:
            raise StripeApiError("This invoice has nothing left to pay.")
        data["attempt_count"] += 1
        data["attempted"] = True
        intent, declined = payments.payment_intent_pay(
            payment_intent_id=default.data["payment"]["payment_intent"],
            payment_method=method,
        )
        if declined is None:
            paid_at = now_ts()
            default.data["status"] = "paid"
            default.data["amount_paid"] = intent["amount_received"]
            default.data["status_transitions"]["paid_at"] = paid_at
            object_save(obj=default)
            _invoice_paid(inv, paid_at=paid_at)
        else:
            object_save(obj=inv)
            event_emit(type="invoice.payment_failed", obj=data)
    if declined is not None:
        raise declined
    return inv.data


def _require_status(data: dict[str, Any], wanted: str, action: str) -> None:
    if data["status"] == wanted:
        return
    if data["status"] == "paid":
        message = "Invoice is already paid"
    else:
        message = f"You cannot {action} an invoice whose status is {data['status']}."
    raise StripeApiError(message, code="invoice_unexpected_state")


def invoice_void(*, invoice_id: str) -> dict[str, Any]:
    """Void an open or uncollectible invoice (https://docs.stripe.com/api/invoices/void)."""
    with transaction.atomic():
        inv = _invoice_live(invoice_id)
        data = inv.data
        if data["status"] not in ("open", "uncollectible"):
            _require_status(data, "open", "void")
        default = _default_payment(invoice_id)
        if default is not None and default.data["status"] == "open":
            default.data["status"] = "canceled"
            default.data["status_transitions"]["canceled_at"] = now_ts()
            object_save(obj=default)
            payments.payment_intent_cancel_for_invoice(
                payment_intent_id=default.data["payment"]["payment_intent"]
            )
        data["status"] = "void"
        data["status_transitions"]["voided_at"] = now_ts()
        object_save(obj=inv)
        event_emit(type="invoice.voided", obj=data)
    return inv.data


def invoice_mark_uncollectible(*, invoice_id: str) -> dict[str, Any]:
    with transaction.atomic():
        inv = _invoice_live(invoice_id)
        data = inv.data
        _require_status(data, "open", "mark uncollectible")
        data["status"] = "uncollectible"
        data["status_transitions"]["marked_uncollectible_at"] = now_ts()
        object_save(obj=inv)
        event_emit(type="invoice.marked_uncollectible", obj=data)
    return inv.data


def credit_note_create(
    *,
    invoice_id: str,
    amount: int | None,
    lines: list[dict[str, Any]],
    reason: str | None,
    memo: str | None,
    credit_amount: int | None,
    out_of_band_amount: int | None,
    metadata: dict[str, str] | None,
) -> dict[str, Any]:
    """A credit note on an open invoice (lowers what remains due) or a paid one
    (credited to the customer's balance or out of band).
    https://docs.stripe.com/invoicing/dashboard/credit-notes
    """
    with transaction.atomic():
        inv = _invoice_live(invoice_id, param="invoice")
        data = inv.data
        if data["status"] not in ("open", "paid"):
            raise invalid(
                "invoice",
                "Credit notes can only be created for open or paid invoices; "
                f"{invoice_id} is {data['status']}.",
            )
        credit_lines = [
            _credit_note_line(data, line, index) for index, line in enumerate(lines)
        ]
        total = (
            amount
            if amount is not None
            else sum(line["amount"] for line in credit_lines)
        )
        if total <= 0:
            raise invalid("amount", "The credit note amount must be positive.")
        pre_payment = data["status"] == "open"
        credited = sum(
            obj.data["total"]
            for obj in ApiObject.objects.filter(
                kind=Kind.CREDIT_NOTE, parent=invoice_id, data__status="issued"
            )
        )
        if pre_payment and total > data["amount_remaining"]:
            raise invalid(
                "amount",
                f"The credit note amount ({total}) is greater than the amount "
                f"remaining on the invoice ({data['amount_remaining']}).",
            )
        if not pre_payment:
            if total > data["total"] - credited:
                raise invalid(
                    "amount",
                    f"The credit note amount ({total}) is greater than what can "
                    f"still be credited on the invoice ({data['total'] - credited}).",
                )
            split = (credit_amount or 0) + (out_of_band_amount or 0)
            if (credit_amount is not None or out_of_band_amount is not None) and (
                split != total
            ):
                raise invalid(
                    "amount",
                    "The sum of credit_amount and out_of_band_amount must equal "
                    f"the credit note total ({total}).",
                )
            if credit_amount is None and out_of_band_amount is None:
                credit_amount = total
        sequence = (
            ApiObject.objects.filter(kind=Kind.CREDIT_NOTE, parent=invoice_id).count()
            + 1
        )
        created = now_ts()
        note = {
            "id": new_id("cn"),
            "object": "credit_note",
            "amount": total,
            "amount_shipping": 0,
            "created": created,
            "currency": data["currency"],
            "customer": data["customer"],
            "customer_balance_transaction": None,
            "discount_amount": 0,
            "discount_amounts": [],
            "effective_at": created,
            "invoice": invoice_id,
            "lines": {
                "object": "list",
                "data": credit_lines,
                "has_more": False,
                "url": "",
            },
            "livemode": False,
            "memo": memo,
            "metadata": metadata_apply({}, metadata),
            "number": f"{data['number']}-CN-{sequence:02d}",
            "out_of_band_amount": None if pre_payment else out_of_band_amount,
            "pdf": "",
            "post_payment_amount": 0 if pre_payment else total,
            "pre_payment_amount": total if pre_payment else 0,
            "pretax_credit_amounts": [],
            "reason": reason,
            "refunds": [],
            "shipping_cost": None,
            "status": "issued",
            "subtotal": total,
            "subtotal_excluding_tax": total,
            "total": total,
            "total_excluding_tax": total,
            "total_taxes": [],
            "type": "pre_payment" if pre_payment else "post_payment",
            "voided_at": None,
        }
        note["lines"]["url"] = f"/v1/credit_notes/{note['id']}/lines"
        object_create(
            kind=Kind.CREDIT_NOTE,
            data=note,
            customer=data["customer"],
            parent=invoice_id,
            currency=data["currency"],
        )
        event_emit(type="credit_note.created", obj=note)
        if pre_payment:
            _pre_payment_credit(inv, delta=total)
    return note


def _credit_note_line(
    invoice: dict[str, Any], line: dict[str, Any], index: int
) -> dict[str, Any]:
    """A line of a credit note: a custom amount, or (part of) an invoice line."""
    param = f"lines[{index}]"
    kind = line.get("type")
    if kind == "custom_line_item":
        unit = line.get("unit_amount")
        quantity = line.get("quantity") or "1"
        if not (isinstance(unit, str) and unit.isdigit()):
            raise missing(f"{param}[unit_amount]")
        if not (isinstance(quantity, str) and quantity.isdigit()):
            raise invalid(f"{param}[quantity]", "Invalid integer")
        amount = int(unit) * int(quantity)
        reference = None
    elif kind == "invoice_line_item":
        reference = line.get("invoice_line_item")
        known = {item["id"]: item for item in invoice["lines"]["data"]}
        if reference not in known:
            raise invalid(
                f"{param}[invoice_line_item]",
                f"No such invoice line item: '{reference}'",
            )
        raw = line.get("amount")
        amount = int(raw) if isinstance(raw, str) and raw.isdigit() else None
        if amount is None:
            amount = known[reference]["amount"]
        if amount > known[reference]["amount"]:
            raise invalid(
                f"{param}[amount]", "The amount exceeds the invoice line's amount."
            )
        quantity = "1"
    else:
        raise invalid(
            f"{param}[type]",
            "Invalid type: must be one of custom_line_item, invoice_line_item",
        )
    return {
        "id": new_id("cnli"),
        "object": "credit_note_line_item",
        "amount": amount,
        "description": line.get("description") or None,
        "discount_amount": 0,
        "discount_amounts": [],
        "invoice_line_item": reference,
        "livemode": False,
        "pretax_credit_amounts": [],
        "quantity": int(quantity),
        "taxes": [],
        "type": kind,
        "unit_amount": amount // int(quantity or 1),
        "unit_amount_decimal": str(amount // int(quantity or 1)),
    }


def _pre_payment_credit(inv: ApiObject, *, delta: int) -> None:
    """A credit before payment changes what remains due; crediting all of it
    leaves nothing to pay, so the invoice is paid."""
    data = inv.data
    data["amount_remaining"] -= delta
    data["amount_due"] -= delta
    data["pre_payment_credit_notes_amount"] = (
        int(data.get("pre_payment_credit_notes_amount") or 0) + delta
    )
    default = _default_payment(data["id"])
    if default is not None and default.data["status"] == "open":
        default.data["amount_requested"] = data["amount_remaining"]
        object_save(obj=default)
    object_save(obj=inv)
    if data["amount_remaining"] == 0 and data["status"] == "open":
        if default is not None and default.data["status"] == "open":
            default.data["status"] = "canceled"
            default.data["status_transitions"]["canceled_at"] = now_ts()
            object_save(obj=default)
        _invoice_paid(inv, paid_at=now_ts())


def credit_note_void(*, credit_note_id: str) -> dict[str, Any]:
    with transaction.atomic():
        obj = object_get(
            kind=Kind.CREDIT_NOTE, stripe_id=credit_note_id, for_update=True
        )
        note = obj.data
        if note["status"] != "issued":
            raise StripeApiError("This credit note has already been voided.")
        inv = _invoice_live(note["invoice"])
        if note["type"] == "pre_payment":
            if inv.data["status"] != "open":
                raise StripeApiError(
                    "A pre-payment credit note can only be voided while its "
                    "invoice is open."
                )
            _pre_payment_credit(inv, delta=-note["total"])
        note["status"] = "void"
        note["voided_at"] = now_ts()
        object_save(obj=obj)
        event_emit(type="credit_note.voided", obj=note)
    return note
