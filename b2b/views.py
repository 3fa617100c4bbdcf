"""The portal's pages: catalog, cart, checkout, orders, invoices. Thin: parse,
call one selector or service, render. Every page is scoped to the visitor's
company (access.portal_view); an id of another company's answers 404."""

import contextlib
import csv
import uuid

from csp.decorators import csp_update
from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from integrations.connectors.catalog_records import Availability
from portal.exceptions import ApplicationError

from . import conf, pricing, selectors
from .access import portal_view
from .forms import MAX_QUANTITY, CartAddForm, ReviewForm
from .models import Order
from .services import orders as order_services
from .services import payments as payment_services

CART_SESSION_KEY = "b2b_cart"
# The pages whose "Pay by card" form is answered with a 303 to Stripe's hosted
# Checkout: Chrome applies form-action to the redirect after a submit
# (https://developer.mozilla.org/en-US/docs/Web/HTTP/Headers/Content-Security-Policy/form-action),
# so the policy names Stripe's Checkout host (https://docs.stripe.com/payments/checkout).
CHECKOUT_FORM_ACTION = csp_update({"form-action": ["https://checkout.stripe.com"]})


def _cart(request: HttpRequest) -> dict[str, int]:
    raw = request.session.get(CART_SESSION_KEY) or {}
    company_id = request.visitor.company.pk
    if not isinstance(raw, dict) or raw.get("company") != company_id:
        return {}
    return {
        str(code): int(quantity)
        for code, quantity in (raw.get("lines") or {}).items()
        if isinstance(quantity, int) and quantity > 0
    }


def _cart_save(request: HttpRequest, cart: dict[str, int]) -> None:
    request.session[CART_SESSION_KEY] = {
        "company": request.visitor.company.pk,
        "lines": cart,
    }


def _unavailable(request: HttpRequest, error: ApplicationError) -> HttpResponse:
    return render(
        request,
        "b2b/unavailable.html",
        {"message": error.message},
        status=error.status_code,
    )


def _page(request: HttpRequest, rows: list) -> object:
    return Paginator(rows, conf.page_size()).get_page(request.GET.get("page"))


def _back(request: HttpRequest, default: str) -> str:
    candidate = request.POST.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


@require_GET
@portal_view
def catalog(request: HttpRequest) -> HttpResponse:
    company = request.visitor.company
    try:
        book = pricing.price_book(company=company)
    except pricing.CatalogUnavailable as error:
        return _unavailable(request, error)
    query = request.GET.get("q", "").strip()[:100]
    category = request.GET.get("category", "").strip()[:20]
    items = sorted(book.items.values(), key=lambda item: item.code)
    if category:
        items = [item for item in items if item.category == category]
    if query:
        words = query.lower().split()
        items = [
            item
            for item in items
            if all(word in f"{item.code} {item.description}".lower() for word in words)
        ]
    page = _page(request, items)

    def rows() -> list[tuple]:
        # Evaluated by the template only when its cached rows have expired.
        stock = pricing.availabilities(
            company=company, codes=[item.code for item in page.object_list]
        )
        return [(item, _on_hand(stock.get(item.code))) for item in page.object_list]

    return render(
        request,
        "b2b/catalog.html",
        {
            "book": book,
            "page": page,
            "rows": rows,
            "stock_max_age": conf.stock_max_age(),
            # Built once, not reversed for every row.
            "item_prefix": reverse("b2b:catalog") + "items/",
            "query": query,
            "category": category,
            "categories": book.categories,
        },
    )


def _on_hand(stock: Availability | None) -> str | None:
    """Whole units on hand as text ("" when none); None when unknown."""
    if stock is None:
        return None
    units = int(stock.on_hand)
    return f"{units:,}" if units > 0 else ""


@require_GET
@portal_view
def item(request: HttpRequest, code: str) -> HttpResponse:
    company = request.visitor.company
    try:
        book = pricing.price_book(company=company)
    except pricing.CatalogUnavailable as error:
        return _unavailable(request, error)
    found = book.items.get(code)
    if found is None:
        return render(request, "b2b/not_found.html", status=404)
    return render(
        request,
        "b2b/item.html",
        {
            "book": book,
            "item": found,
            "stock": pricing.availability(company=company, code=code),
            "form": CartAddForm(initial={"code": code, "quantity": 1}),
        },
    )


@require_POST
@portal_view
def cart_add(request: HttpRequest) -> HttpResponse:
    if not request.visitor.can_order:
        messages.error(request, "Your role lets you view prices, not order.")
        return HttpResponseRedirect(reverse("b2b:catalog"))
    form = CartAddForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            messages.error(request, " ".join(errors))
        return HttpResponseRedirect(_back(request, reverse("b2b:catalog")))
    try:
        book = pricing.price_book(company=request.visitor.company)
    except pricing.CatalogUnavailable as error:
        return _unavailable(request, error)
    code = form.cleaned_data["code"]
    if code not in book.items:
        messages.error(request, "That item is not on your price list.")
        return HttpResponseRedirect(reverse("b2b:catalog"))
    cart = _cart(request)
    cart[code] = min(cart.get(code, 0) + form.cleaned_data["quantity"], MAX_QUANTITY)
    _cart_save(request, cart)
    messages.success(request, f"Added {form.cleaned_data['quantity']} × {code}.")
    return HttpResponseRedirect(_back(request, reverse("b2b:cart")))


@require_http_methods(["GET", "POST"])
@portal_view
def cart(request: HttpRequest) -> HttpResponse:
    cart = _cart(request)
    if request.method == "POST":
        updated: dict[str, int] = {}
        errors = []
        for code in cart:
            raw = request.POST.get(f"qty-{code}", "").strip()
            if not raw.isdigit() or int(raw) > MAX_QUANTITY:
                errors.append(f"{code}: enter a whole number from 0 to 100,000.")
                updated[code] = cart[code]
            elif int(raw) > 0:
                updated[code] = int(raw)
        _cart_save(request, updated)
        for error in errors:
            messages.error(request, error)
        return HttpResponseRedirect(reverse("b2b:cart"))
    try:
        book = pricing.price_book(company=request.visitor.company)
    except pricing.CatalogUnavailable as error:
        return _unavailable(request, error)
    lines = [
        (book.items[code], quantity, price, quantity * price)
        for code, quantity, price in order_services.cart_priced(book=book, cart=cart)
    ]
    return render(
        request,
        "b2b/cart.html",
        {
            "book": book,
            "lines": lines,
            "missing": sorted(set(cart) - set(book.items)),
            "total": sum(line[3] for line in lines),
        },
    )


@require_http_methods(["GET", "POST"])
@portal_view
def checkout(request: HttpRequest) -> HttpResponse:
    visitor = request.visitor
    if not visitor.can_order:
        messages.error(request, "Your role lets you view prices, not order.")
        return HttpResponseRedirect(reverse("b2b:cart"))
    cart = _cart(request)
    addresses = selectors.ship_to_addresses(company=visitor.company)
    if request.method == "POST":
        form = ReviewForm(request.POST, addresses=addresses)
        if form.is_valid():
            data = form.cleaned_data
            try:
                order = order_services.order_create(
                    buyer=visitor.buyer,
                    cart=cart,
                    submission=data["submission"],
                    review=order_services.Review(
                        po_number=data["po_number"],
                        ship_to=data["ship_to"],
                        requested_date=data["requested_date"],
                        notes=data["notes"],
                        payment=data["payment"],
                    ),
                )
            except ApplicationError as error:
                form.add_error(None, error.message)
            else:
                _cart_save(request, {})
                return HttpResponseRedirect(
                    reverse("b2b:order", kwargs={"pk": order.pk})
                )
    else:
        form = ReviewForm(initial={"submission": uuid.uuid4()}, addresses=addresses)
    try:
        book = pricing.price_book(company=visitor.company)
    except pricing.CatalogUnavailable as error:
        return _unavailable(request, error)
    lines = [
        (book.items[code], quantity, price, quantity * price)
        for code, quantity, price in order_services.cart_priced(book=book, cart=cart)
    ]
    total = sum(line[3] for line in lines)
    limit = visitor.company.order_limit
    return render(
        request,
        "b2b/checkout.html",
        {
            "book": book,
            "form": form,
            "lines": lines,
            "total": total,
            "needs_approval": bool(limit) and total > limit and not visitor.can_approve,
        },
        status=200 if form.is_bound is False or form.is_valid() else 400,
    )


@require_GET
@portal_view
def orders(request: HttpRequest) -> HttpResponse:
    company = request.visitor.company
    portal_orders = _page(
        request, list(selectors.company_orders(company=company)[:500])
    )
    try:
        history = selectors.erp_orders(company=company)
        error = ""
    except ApplicationError as exc:
        history, error = [], exc.message
    history_page = Paginator(history, conf.page_size()).get_page(
        request.GET.get("history")
    )
    return render(
        request,
        "b2b/orders.html",
        {
            "portal_orders": portal_orders,
            "history": history_page,
            "history_error": error,
        },
    )


@require_GET
@portal_view
def erp_order(request: HttpRequest, number: str) -> HttpResponse:
    try:
        detail = selectors.erp_order(company=request.visitor.company, number=number)
    except selectors.ErpUnavailable as error:
        return _unavailable(request, error)
    return render(request, "b2b/erp_order.html", {"detail": detail})


@require_POST
@portal_view
def reorder(request: HttpRequest, number: str) -> HttpResponse:
    """Put the lines of a past ERP order into the cart, at today's prices."""
    if not request.visitor.can_order:
        messages.error(request, "Your role lets you view prices, not order.")
        return HttpResponseRedirect(reverse("b2b:orders"))
    company = request.visitor.company
    try:
        detail = selectors.erp_order(company=company, number=number)
        book = pricing.price_book(company=company)
    except ApplicationError as error:
        return _unavailable(request, error)
    cart = _cart(request)
    added, skipped = 0, []
    for line in detail.lines:
        quantity = int(line.quantity)
        if line.code in book.items and quantity > 0:
            cart[line.code] = min(cart.get(line.code, 0) + quantity, MAX_QUANTITY)
            added += 1
        else:
            skipped.append(line.code)
    _cart_save(request, cart)
    messages.success(request, f"{added} line(s) of order {number} added to your cart.")
    if skipped:
        messages.warning(
            request, f"Not on your price list any more: {', '.join(skipped)}."
        )
    return HttpResponseRedirect(reverse("b2b:cart"))


@require_GET
@CHECKOUT_FORM_ACTION
@portal_view
def order(request: HttpRequest, pk: int) -> HttpResponse:
    found = selectors.company_order(company=request.visitor.company, pk=pk)
    if found.checkout_session and found.card_paid_at is None:
        # The buyer may never have come back from Checkout: ask Stripe.
        with contextlib.suppress(ApplicationError):
            payment_services.order_checkout_sync(order=found, actor=request.user)
    return render(
        request,
        "b2b/order.html",
        {
            "order": found,
            "lines": list(found.lines.all()),
            "booked": found.card_paid_at is not None
            and selectors.order_payment_booked(order=found),
        },
    )


@require_POST
@portal_view
def order_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    visitor = request.visitor
    found = selectors.company_order(company=visitor.company, pk=pk)
    if visitor.buyer is None:
        messages.error(request, "Viewing as a company is read-only.")
        return HttpResponseRedirect(reverse("b2b:order", kwargs={"pk": pk}))
    try:
        if action == "approve":
            order_services.order_approve(order=found, approver=visitor.buyer)
        elif action == "reject":
            order_services.order_reject(order=found, approver=visitor.buyer)
        elif action == "retry":
            if not visitor.can_order:
                raise order_services.CheckoutRefused("Your role cannot send orders.")
            order_services.order_submit(order=found)
        elif action == "card":
            return _to_checkout(request, found)
        else:
            return render(request, "b2b/not_found.html", status=404)
    except ApplicationError as error:
        messages.error(request, error.message)
    return HttpResponseRedirect(reverse("b2b:order", kwargs={"pk": pk}))


def _public_base(request: HttpRequest) -> str:
    """Where Stripe sends the buyer back to: PORTAL_PUBLIC_URL, else this host."""
    return settings.PORTAL_PUBLIC_URL or request.build_absolute_uri("/")


def _to_checkout(request: HttpRequest, found: Order) -> HttpResponse:
    """303 to the order's Checkout Session (hosted by Stripe)."""
    url = payment_services.order_checkout_start(
        order=found, buyer=request.visitor.buyer, return_base=_public_base(request)
    )
    return HttpResponseRedirect(url, status=303)


@require_http_methods(["GET", "POST"])
@CHECKOUT_FORM_ACTION
@portal_view
def order_pay(request: HttpRequest, pk: int) -> HttpResponse:
    """The card payment of a placed order. POST sends the buyer to Stripe
    Checkout; GET is where Checkout sends them back, and shows what Stripe
    says of the order's own session (the query string is not read)."""
    visitor = request.visitor
    found = selectors.company_order(company=visitor.company, pk=pk)
    if request.method == "POST":
        if visitor.buyer is None:
            messages.error(request, "Viewing as a company is read-only.")
        else:
            try:
                return _to_checkout(request, found)
            except ApplicationError as error:
                messages.error(request, error.message)
        return HttpResponseRedirect(reverse("b2b:order_pay", kwargs={"pk": pk}))
    try:
        state = payment_services.order_checkout_sync(order=found, actor=request.user)
        problem = ""
    except ApplicationError as error:
        state, problem = None, error.message
    return render(
        request,
        "b2b/pay.html",
        {"order": found, "checkout": state, "problem": problem},
    )


@require_GET
@CHECKOUT_FORM_ACTION
@portal_view
def invoices(request: HttpRequest) -> HttpResponse:
    try:
        found = selectors.statement(company=request.visitor.company)
    except selectors.ErpUnavailable as error:
        return _unavailable(request, error)
    show = request.GET.get("show", "open")
    rows = [
        invoice for invoice in found.invoices if show == "all" or invoice.balance != 0
    ]
    return render(
        request,
        "b2b/invoices.html",
        {
            "statement": found,
            "page": _page(request, rows),
            "show": show,
            "submission": uuid.uuid4(),
            "can_pay": request.visitor.can_order,
            "card_payments": selectors.invoice_payments(
                company=request.visitor.company
            )[:20],
        },
    )


@require_POST
@CHECKOUT_FORM_ACTION
@portal_view
def invoices_pay(request: HttpRequest) -> HttpResponse:
    """Send the buyer to one Stripe Checkout Session for the chosen open
    invoices, each at what the ERP says it owes now."""
    visitor = request.visitor
    if visitor.buyer is None:
        messages.error(request, "Viewing as a company is read-only.")
        return HttpResponseRedirect(reverse("b2b:invoices"))
    try:
        submission = uuid.UUID(request.POST.get("submission", ""))
    except ValueError:
        messages.error(request, "The form has expired: choose the invoices again.")
        return HttpResponseRedirect(reverse("b2b:invoices"))
    try:
        found = selectors.statement(company=visitor.company)
        url = payment_services.invoices_checkout_start(
            buyer=visitor.buyer,
            statement=found,
            invoices=[str(n)[:30] for n in request.POST.getlist("invoice")][:100],
            submission=submission,
            return_base=_public_base(request),
        )
    except ApplicationError as error:
        messages.error(request, error.message)
        return HttpResponseRedirect(reverse("b2b:invoices"))
    return HttpResponseRedirect(url, status=303)


@require_GET
@portal_view
def invoices_paid(request: HttpRequest, submission: uuid.UUID) -> HttpResponse:
    """Where Checkout sends the buyer back: what Stripe says of the form's
    own session (the query string is not read)."""
    try:
        state, paid = payment_services.invoices_checkout_sync(
            company=request.visitor.company, submission=submission, actor=request.user
        )
    except ApplicationError as error:
        messages.error(request, error.message)
        return HttpResponseRedirect(reverse("b2b:invoices"))
    numbers = ", ".join(sorted(p.invoice for p in paid))
    if state.paid:
        messages.success(
            request,
            f"Paid by card: {numbers}. The ERP shows them paid once the payment "
            "is posted.",
        )
    else:
        messages.error(request, f"{numbers}: not paid ({state.status}).")
    return HttpResponseRedirect(reverse("b2b:invoices"))


@require_GET
@portal_view
def invoices_csv(request: HttpRequest) -> HttpResponse:
    try:
        found = selectors.statement(company=request.visitor.company)
    except selectors.ErpUnavailable as error:
        return _unavailable(request, error)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="statement.csv"'
    writer = csv.writer(response)
    writer.writerow(["document", "kind", "date", "due", "value", "balance", "currency"])
    for invoice in found.invoices:
        writer.writerow(
            [
                _csv_safe(invoice.number),
                invoice.kind,
                invoice.date,
                invoice.due_date,
                f"{invoice.value:f}",
                f"{invoice.balance:f}",
                found.currency,
            ]
        )
    return response


def _csv_safe(value: str) -> str:
    """No cell starts a spreadsheet formula."""
    return f"'{value}" if value[:1] in ("=", "+", "-", "@") else value
