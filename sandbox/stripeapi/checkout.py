"""Checkout Sessions: the /v1/checkout/sessions handlers and the hosted page.

The handlers check parameters as Stripe's API reference describes them
(https://docs.stripe.com/api/checkout/sessions/create); the sandbox knows
`mode=payment` only and says so. The hosted page is a plain form without
script, standing in for checkout.stripe.com.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from .errors import StripeApiError, invalid, missing
from .params import (
    MAX_METADATA_KEYS,
    get_currency,
    get_dict,
    get_int,
    get_list,
    get_metadata,
    get_str,
    reject_unknown,
)
from .services import checkout

MAX_AMOUNT = 99_999_999
MAX_LINE_ITEMS = 100  # "a maximum of 100 line items" in payment mode
MAX_URL_LENGTH = 5000
MAX_CLIENT_REFERENCE = 200

_hosted_base: ContextVar[str] = ContextVar("stripe_sandbox_checkout_base", default="")


@contextmanager
def _hosted_base_of(request: HttpRequest) -> Iterator[None]:
    path = reverse("sandbox_stripe_checkout_page", kwargs={"session_id": "x"})[:-2]
    base = settings.PORTAL_PUBLIC_URL.rstrip("/") or request.build_absolute_uri("/")
    token = _hosted_base.set(base.rstrip("/") + path)
    try:
        yield
    finally:
        _hosted_base.reset(token)


def with_hosted_base(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Let the create handler know where the hosted page answers."""

    def wrapped(request: HttpRequest, **kwargs: Any) -> HttpResponse:
        with _hosted_base_of(request):
            return view(request, **kwargs)

    wrapped.csrf_exempt = True  # type: ignore[attr-defined]
    return wrapped


def _url(params: dict[str, Any], name: str, *, required: bool) -> str | None:
    value = get_str(params, name, required=required, max_length=MAX_URL_LENGTH)
    if value is None:
        return None
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise invalid(name, "Not a valid URL", code="url_invalid")
    return value


def _line_items(params: dict[str, Any], currency: str | None) -> tuple[str, list]:
    raw = get_list(params, "line_items")
    if not raw:
        raise invalid(
            "line_items",
            "You must specify either `line_items` or `prices` in `payment` mode.",
        )
    if len(raw) > MAX_LINE_ITEMS:
        raise invalid("line_items", "You may only specify up to 100 line items.")
    items = []
    currencies = {currency} if currency else set()
    for index, item in enumerate(raw):
        name = f"line_items[{index}]"
        if not isinstance(item, dict):
            raise invalid(name, f"Invalid object: {name} must be a hash")
        reject_unknown(item, {"price_data", "quantity"})
        if "price" in item:
            raise invalid(f"{name}[price]", "The sandbox takes `price_data` only.")
        quantity = get_int(item, "quantity", required=True, minimum=1, maximum=999_999)
        price_data = get_dict(item, "price_data")
        if price_data is None:
            raise missing(f"{name}[price_data]")
        reject_unknown(price_data, {"currency", "unit_amount", "product_data"})
        currencies.add(get_currency(price_data))
        unit_amount = get_int(
            price_data, "unit_amount", required=True, minimum=0, maximum=MAX_AMOUNT
        )
        product = get_dict(price_data, "product_data")
        if product is None:
            raise missing(f"{name}[price_data][product_data]")
        reject_unknown(product, {"name", "description", "metadata"})
        product_name = get_str(product, "name", required=True, max_length=250)
        items.append(
            checkout.LineItem(
                name=product_name or "", unit_amount=unit_amount or 0, quantity=quantity
            )
        )
    if len(currencies) != 1:
        raise invalid(
            "line_items", "All line items must be in the same currency as the session."
        )
    total = sum(i.unit_amount * i.quantity for i in items)
    if total < 1 or total > MAX_AMOUNT:
        raise invalid("line_items", "The Checkout Session's total amount is invalid.")
    return currencies.pop(), items


def _payment_intent_data(params: dict[str, Any]) -> dict[str, Any]:
    data = get_dict(params, "payment_intent_data") or {}
    reject_unknown(data, {"description", "metadata", "receipt_email"})
    metadata = get_metadata(data)
    if metadata is not None and len(metadata) > MAX_METADATA_KEYS:
        raise invalid("payment_intent_data[metadata]", "Up to 50 keys.")
    return {
        "description": get_str(data, "description", max_length=1000),
        "receipt_email": get_str(data, "receipt_email"),
        "metadata": metadata,
    }


def session_create(params: dict[str, Any]) -> dict[str, Any]:
    reject_unknown(
        params,
        {
            "mode",
            "line_items",
            "currency",
            "success_url",
            "cancel_url",
            "customer",
            "customer_email",
            "client_reference_id",
            "metadata",
            "payment_intent_data",
            "payment_method_types",
            "expires_at",
            "ui_mode",
        },
    )
    mode = get_str(params, "mode", required=True)
    if mode not in ("payment", "setup", "subscription"):
        raise invalid(
            "mode", "Invalid mode: must be one of payment, setup or subscription."
        )
    if mode != "payment":
        raise invalid("mode", "The Stripe sandbox takes `mode=payment` only.")
    if get_str(params, "ui_mode") not in (None, "hosted"):
        raise invalid("ui_mode", "The Stripe sandbox hosts Checkout only.")
    customer = get_str(params, "customer")
    customer_email = get_str(params, "customer_email", max_length=800)
    if customer and customer_email:
        raise StripeApiError(
            "You may only specify one of these parameters: customer, customer_email."
        )
    currency = get_currency(params) if "currency" in params else None
    session_currency, items = _line_items(params, currency)
    return checkout.checkout_session_create(
        hosted_base=_hosted_base.get(),
        currency=session_currency,
        line_items=items,
        # Required with the hosted page (ui_mode=hosted).
        success_url=_url(params, "success_url", required=True) or "",
        cancel_url=_url(params, "cancel_url", required=False),
        customer=customer or None,
        customer_email=customer_email or None,
        client_reference_id=get_str(
            params, "client_reference_id", max_length=MAX_CLIENT_REFERENCE
        )
        or None,
        metadata=get_metadata(params),
        payment_intent_data=_payment_intent_data(params),
        expires_at=get_int(params, "expires_at", minimum=1),
    )


def session_retrieve(params: dict[str, Any], obj_id: str) -> dict[str, Any]:
    reject_unknown(params, set())
    return checkout.checkout_session_get(session_id=obj_id)


@require_http_methods(["GET", "POST"])
def hosted_page(request: HttpRequest, session_id: str) -> HttpResponse:
    """The page at `session.url`: pay with the test card (its cancel link goes
    back to `cancel_url`)."""
    try:
        page = checkout.checkout_session_page(session_id=session_id[:100])
    except StripeApiError:
        return render(
            request, "stripeapi/checkout_gone.html", {"message": ""}, status=404
        )
    if request.method == "POST":
        try:
            target = checkout.checkout_session_pay(session_id=page.session_id)
        except StripeApiError as error:
            return render(
                request,
                "stripeapi/checkout_gone.html",
                {"message": error.message},
                status=409,
            )
        return HttpResponseRedirect(target, status=303)
    return render(request, "stripeapi/checkout.html", {"page": page})
