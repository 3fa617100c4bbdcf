"""Handlers of the /v1/ endpoints: parse Stripe parameters, call one service.

Each handler takes the decoded parameters (and URL kwargs) and returns the
JSON body; `dispatch.endpoint` does auth, faults, transactions, idempotency.
"""

from typing import Any

from .errors import invalid, missing
from .models import ApiObject, WebhookEndpoint
from .params import (
    get_bool,
    get_currency,
    get_dict,
    get_int,
    get_list,
    get_metadata,
    get_str,
    reject_unknown,
)
from .selectors import (
    created_filter,
    event_retrieve,
    events_queryset,
    object_retrieve,
    objects_of,
    page,
    render_event,
    render_object,
    render_webhook_endpoint,
    search_page,
    search_queryset,
)
from .services import (
    balance,
    billing,
    catalog,
    clocks,
    customers,
    payments,
    subscriptions,
    webhooks,
)
from .services.core import EVENT_TYPES

Kind = ApiObject.Kind
MAX_AMOUNT = 99_999_999
LIST_PARAMS = {"limit", "starting_after", "ending_before", "created"}


def _list(params: dict[str, Any], queryset, url: str, render=render_object) -> dict:
    return page(
        queryset=created_filter(queryset, params.get("created")),
        render=render,
        url=url,
        limit=get_int(params, "limit", minimum=1, maximum=100) or 10,
        starting_after=get_str(params, "starting_after"),
        ending_before=get_str(params, "ending_before"),
    )


def _search(params: dict[str, Any], kind: str, url: str, searchable: set[str]):
    reject_unknown(params, {"query", "limit", "page"})
    return search_page(
        queryset=search_queryset(
            kind=kind,
            query=get_str(params, "query", required=True) or "",
            searchable=searchable,
        ),
        url=url,
        limit=get_int(params, "limit", minimum=1, maximum=100) or 10,
        page_token=get_str(params, "page"),
    )


def _amount(params: dict[str, Any], name: str = "amount", *, required=True):
    return get_int(params, name, required=required, minimum=1, maximum=MAX_AMOUNT)


def _nullable_str(params: dict[str, Any], name: str, out: dict[str, Any]) -> None:
    """Copy a string field; "" clears it to null as Stripe does on update."""
    value = get_str(params, name)
    if value is not None:
        out[name] = value or None


_ADDRESS_KEYS = ("city", "country", "line1", "line2", "postal_code", "state")


def _address(value: Any, param: str) -> dict[str, Any] | None:
    if value == "":
        return None
    if not isinstance(value, dict):
        raise invalid(param, f"Invalid object: {param} must be a hash")
    for key, item in value.items():
        if key not in _ADDRESS_KEYS:
            raise invalid(
                f"{param}[{key}]", f"Received unknown parameter: {param}[{key}]"
            )
        if not isinstance(item, str):
            raise invalid(f"{param}[{key}]", "Address fields must be strings.")
    return {key: value.get(key) or None for key in _ADDRESS_KEYS}


# -- customers -------------------------------------------------------------

_CUSTOMER_STRINGS = ("email", "name", "phone", "description", "invoice_prefix")


def _customer_fields(params: dict[str, Any]) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for name in _CUSTOMER_STRINGS:
        _nullable_str(params, name, fields)
    if "address" in params:
        fields["address"] = _address(params["address"], "address")
    if "shipping" in params:
        shipping = params["shipping"]
        if shipping == "":
            fields["shipping"] = None
        elif isinstance(shipping, dict):
            if not shipping.get("name"):
                raise missing("shipping[name]")
            fields["shipping"] = {
                "address": _address(shipping.get("address") or {}, "shipping[address]"),
                "name": shipping["name"],
                "phone": shipping.get("phone") or None,
            }
        else:
            raise invalid("shipping", "Invalid object: shipping must be a hash")
    if "preferred_locales" in params:
        fields["preferred_locales"] = [
            str(x) for x in get_list(params, "preferred_locales")
        ]
    return fields


_CUSTOMER_PARAMS = {*customers.CUSTOMER_FIELDS, "metadata"}


def _invoice_settings(params: dict[str, Any], fields: dict[str, Any]) -> None:
    """`invoice_settings[default_payment_method]`: the card subscriptions and
    invoices charge. The sandbox's payment methods are Stripe's test ones
    (https://docs.stripe.com/testing); attaching them is not modelled."""
    settings = get_dict(params, "invoice_settings")
    if settings is None:
        return
    reject_unknown(
        {f"invoice_settings[{k}]": v for k, v in settings.items()},
        {"invoice_settings[default_payment_method]"},
    )
    method = get_str(settings, "default_payment_method")
    if method:
        payments.card_require(method, param="invoice_settings")
    fields["invoice_settings"] = {
        "custom_fields": None,
        "default_payment_method": method or None,
        "footer": None,
        "rendering_options": None,
    }


def customer_create(params: dict[str, Any]) -> dict[str, Any]:
    reject_unknown(
        params, {*_CUSTOMER_PARAMS, "test_clock", "payment_method", "invoice_settings"}
    )
    fields = _customer_fields(params)
    if method := get_str(params, "payment_method"):
        payments.card_require(method, param="payment_method")
    _invoice_settings(params, fields)
    return customers.customer_create(
        fields=fields,
        metadata=get_metadata(params),
        test_clock=get_str(params, "test_clock") or None,
    )


def customer_list(params: dict[str, Any]) -> dict[str, Any]:
    reject_unknown(params, {*LIST_PARAMS, "email"})
    queryset = objects_of(Kind.CUSTOMER)
    email = get_str(params, "email", max_length=512)
    if email:
        queryset = queryset.filter(data__email=email)
    return _list(params, queryset, "/v1/customers")


def customer_retrieve(params: dict[str, Any], obj_id: str) -> dict[str, Any]:
    return object_retrieve(kind=Kind.CUSTOMER, stripe_id=obj_id)


def customer_update(params: dict[str, Any], obj_id: str) -> dict[str, Any]:
    reject_unknown(params, {*_CUSTOMER_PARAMS, "invoice_settings"})
    fields = _customer_fields(params)
    _invoice_settings(params, fields)
    return customers.customer_update(
        customer_id=obj_id, fields=fields, metadata=get_metadata(params)
    )


def customer_delete(params: dict[str, Any], obj_id: str) -> dict[str, Any]:
    return customers.customer_delete(customer_id=obj_id)


def customer_search(params: dict[str, Any]) -> dict[str, Any]:
    return _search(
        params, Kind.CUSTOMER, "/v1/customers/search", {"email", "name", "phone"}
    )


# -- payment intents, charges, refunds, disputes ---------------------------

_PI_ACCEPTED = {
    # Accepted for SDK compatibility; the sandbox only charges cards.
    "payment_method_types",
    "automatic_payment_methods",
    "capture_method",
    "return_url",
    "off_session",
    "statement_descriptor",
    "statement_descriptor_suffix",
}


def _check_capture(params: dict[str, Any]) -> None:
    capture = get_str(params, "capture_method")
    if capture not in (None, "automatic", "automatic_async"):
        raise invalid("capture_method", "The sandbox supports automatic capture only.")
    types = get_list(params, "payment_method_types")
    if any(kind != "card" for kind in types):
        raise invalid("payment_method_types", "The sandbox supports card only.")


def payment_intent_create(params: dict[str, Any]) -> dict[str, Any]:
    reject_unknown(
        params,
        {
            "amount",
            "currency",
            "customer",
            "payment_method",
            "confirm",
            "description",
            "receipt_email",
            "metadata",
            *_PI_ACCEPTED,
        },
    )
    _check_capture(params)
    return payments.payment_intent_create(
        amount=_amount(params),
        currency=get_currency(params),
        customer=get_str(params, "customer") or None,
        payment_method=get_str(params, "payment_method") or None,
        confirm=bool(get_bool(params, "confirm")),
        description=get_str(params, "description") or None,
        receipt_email=get_str(params, "receipt_email") or None,
        metadata=get_metadata(params),
    )


def payment_intent_list(params: dict[str, Any]) -> dict[str, Any]:
    reject_unknown(params, {*LIST_PARAMS, "customer"})
    queryset = objects_of(Kind.PAYMENT_INTENT)
    if customer := get_str(params, "customer"):
        queryset = queryset.filter(customer=customer)
    return _list(params, queryset, "/v1/payment_intents")


def payment_intent_retrieve(params: dict[str, Any], obj_id: str) -> dict[str, Any]:
    return object_retrieve(kind=Kind.PAYMENT_INTENT, stripe_id=obj_id)


def payment_intent_update(params: dict[str, Any], obj_id: str) -> dict[str, Any]:
    reject_unknown(
        params,
        {
            "amount",
            "currency",
            "customer",
            "description",
            "metadata",
            "payment_method",
            "receipt_email",
        },
    )
    fields: dict[str, Any] = {}
    if "amount" in params:
        fields["amount"] = _amount(params)
    if "currency" in params:
        fields["currency"] = get_currency(params)
    for name in ("customer", "description", "payment_method", "receipt_email"):
        _nullable_str(params, name, fields)
    return payments.payment_intent_update(
        payment_intent_id=obj_id, fields=fields, metadata=get_metadata(params)
    )


def payment_intent_confirm(params: dict[str, Any], obj_id: str) -> dict[str, Any]:
    reject_unknown(params, {"payment_method", "return_url", "off_session"})
    return payments.payment_intent_confirm(
        payment_intent_id=obj_id,
        payment_method=get_str(params, "payment_method") or None,
    )


def charge_list(params: dict[str, Any]) -> dict[str, Any]:
    reject_unknown(params, {*LIST_PARAMS, "customer", "payment_intent"})
    queryset = objects_of(Kind.CHARGE)
    if customer := get_str(params, "customer"):
        queryset = queryset.filter(customer=customer)
    if payment_intent := get_str(params, "payment_intent"):
        queryset = queryset.filter(parent=payment_intent)
    return _list(params, queryset, "/v1/charges")


def charge_retrieve(params: dict[str, Any], obj_id: str) -> dict[str, Any]:
    return object_retrieve(kind=Kind.CHARGE, stripe_id=obj_id)


_REFUND_REASONS = ("duplicate", "fraudulent", "requested_by_customer")


def refund_create(params: dict[str, Any]) -> dict[str, Any]:
    reject_unknown(params, {"charge", "payment_intent", "amount", "reason", "metadata"})
    reason = get_str(params, "reason") or None
    if reason and reason not in _REFUND_REASONS:
        raise invalid("reason", f"Invalid reason: must be one of {_REFUND_REASONS}")
    return payments.refund_create(
        charge_id=get_str(params, "charge") or None,
        payment_intent_id=get_str(params, "payment_intent") or None,
        amount=_amount(params, required=False),
        reason=reason,
        metadata=get_metadata(params),
    )


def refund_list(params: dict[str, Any]) -> dict[str, Any]:
    reject_unknown(params, {*LIST_PARAMS, "charge", "payment_intent"})
    queryset = objects_of(Kind.REFUND)
    if charge := get_str(params, "charge"):
        queryset = queryset.filter(parent=charge)
    if payment_intent := get_str(params, "payment_intent"):
        queryset = queryset.filter(data__payment_intent=payment_intent)
    return _list(params, queryset, "/v1/refunds")


def refund_retrieve(params: dict[str, Any], obj_id: str) -> dict[str, Any]:
    return object_retrieve(kind=Kind.REFUND, stripe_id=obj_id)


def dispute_list(params: dict[str, Any]) -> dict[str, Any]:
    reject_unknown(params, {*LIST_PARAMS, "charge", "payment_intent"})
    queryset = objects_of(Kind.DISPUTE)
    if charge := get_str(params, "charge"):
        queryset = queryset.filter(parent=charge)
    if payment_intent := get_str(params, "payment_intent"):
        queryset = queryset.filter(data__payment_intent=payment_intent)
    return _list(params, queryset, "/v1/disputes")


def dispute_retrieve(params: dict[str, Any], obj_id: str) -> dict[str, Any]:
    return object_retrieve(kind=Kind.DISPUTE, stripe_id=obj_id)


def dispute_accept(params: dict[str, Any], obj_id: str) -> dict[str, Any]:
    """POST /v1/disputes/{id}/close: the merchant accepts, so the dispute is lost."""
    reject_unknown(params, set())
    return payments.dispute_close(dispute_id=obj_id, outcome="lost")


def test_helper_dispute_close(params: dict[str, Any], obj_id: str) -> dict[str, Any]:
    reject_unknown(params, {"outcome"})
    return payments.dispute_close(
        dispute_id=obj_id, outcome=get_str(params, "outcome", required=True) or ""
    )


# -- balance and payouts ---------------------------------------------------


def balance_retrieve(params: dict[str, Any]) -> dict[str, Any]:
    reject_unknown(params, set())
    return balance.balance_get()


def balance_transaction_list(params: dict[str, Any]) -> dict[str, Any]:
    reject_unknown(params, {*LIST_PARAMS, "payout", "type", "source", "currency"})
    queryset = objects_of(Kind.BALANCE_TRANSACTION)
    if payout := get_str(params, "payout"):
        found = objects_of(Kind.PAYOUT).filter(stripe_id=payout).first()
        if found is None:
            raise invalid("payout", f"No such payout: '{payout}'", "resource_missing")
        if not found.data["automatic"]:
            raise invalid(
                "payout",
                "Balance transaction history can only be filtered on automatic "
                "transfers, not manual.",
            )
        queryset = queryset.filter(payout=payout)
    if kind := get_str(params, "type"):
        queryset = queryset.filter(data__type=kind)
    if source := get_str(params, "source"):
        queryset = queryset.filter(parent=source)
    if "currency" in params:
        queryset = queryset.filter(currency=get_currency(params))
    return _list(params, queryset, "/v1/balance_transactions")


def balance_transaction_retrieve(params: dict[str, Any], obj_id: str) -> dict:
    return object_retrieve(kind=Kind.BALANCE_TRANSACTION, stripe_id=obj_id)


def payout_create(params: dict[str, Any]) -> dict[str, Any]:
    reject_unknown(
        params,
        {
            "amount",
            "currency",
            "description",
            "metadata",
            "method",
            "statement_descriptor",
        },
    )
    if get_str(params, "method") not in (None, "standard"):
        raise invalid("method", "The sandbox pays out with the standard method only.")
    return balance.payout_create(
        amount=_amount(params),
        currency=get_currency(params),
        description=get_str(params, "description") or None,
        metadata=get_metadata(params),
    )


def payout_list(params: dict[str, Any]) -> dict[str, Any]:
    reject_unknown(params, {*LIST_PARAMS, "status"})
    queryset = objects_of(Kind.PAYOUT)
    if status := get_str(params, "status"):
        queryset = queryset.filter(data__status=status)
    return _list(params, queryset, "/v1/payouts")


def payout_retrieve(params: dict[str, Any], obj_id: str) -> dict[str, Any]:
    return object_retrieve(kind=Kind.PAYOUT, stripe_id=obj_id)


def test_helper_payouts_automatic(params: dict[str, Any]) -> dict[str, Any]:
    """Sandbox helper: pay out every currency's available balance now."""
    reject_unknown(params, {"currency"})
    currency = get_currency(params) if "currency" in params else None
    payouts = balance.payout_run_automatic(currency=currency)
    return {
        "object": "list",
        "data": payouts,
        "has_more": False,
        "url": "/v1/test_helpers/payouts/automatic",
    }


# -- products and prices ---------------------------------------------------

_PRODUCT_STRINGS = (
    "description",
    "statement_descriptor",
    "tax_code",
    "unit_label",
    "url",
)


def _product_fields(params: dict[str, Any]) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    if "name" in params:
        name = get_str(params, "name", max_length=250)
        if not name:
            raise invalid("name", "A product name cannot be blank.")
        fields["name"] = name
    for name in _PRODUCT_STRINGS:
        _nullable_str(params, name, fields)
    for name in ("active", "shippable"):
        value = get_bool(params, name)
        if value is not None:
            fields[name] = value
    if "images" in params:
        fields["images"] = [str(url) for url in get_list(params, "images")]
    return fields


_PRODUCT_PARAMS = {*catalog.PRODUCT_FIELDS, "metadata"}


def product_create(params: dict[str, Any]) -> dict[str, Any]:
    reject_unknown(params, {*_PRODUCT_PARAMS, "id", "default_price_data"})
    get_str(params, "name", required=True)
    default_price_data = get_dict(params, "default_price_data")
    if default_price_data is not None:
        default_price_data = {
            "currency": get_currency(default_price_data),
            "unit_amount": get_int(
                default_price_data, "unit_amount", required=True, minimum=0
            ),
            "recurring": get_dict(default_price_data, "recurring"),
        }
    return catalog.product_create(
        product_id=get_str(params, "id", max_length=255) or None,
        fields=_product_fields(params),
        metadata=get_metadata(params),
        default_price_data=default_price_data,
    )


def product_list(params: dict[str, Any]) -> dict[str, Any]:
    reject_unknown(params, {*LIST_PARAMS, "active", "ids", "shippable", "url"})
    queryset = objects_of(Kind.PRODUCT)
    active = get_bool(params, "active")
    if active is not None:
        queryset = queryset.filter(data__active=active)
    if ids := get_list(params, "ids"):
        queryset = queryset.filter(stripe_id__in=ids)
    return _list(params, queryset, "/v1/products")


def product_retrieve(params: dict[str, Any], obj_id: str) -> dict[str, Any]:
    return object_retrieve(kind=Kind.PRODUCT, stripe_id=obj_id)


def product_update(params: dict[str, Any], obj_id: str) -> dict[str, Any]:
    reject_unknown(params, {*_PRODUCT_PARAMS, "default_price"})
    fields = _product_fields(params)
    _nullable_str(params, "default_price", fields)
    return catalog.product_update(
        product_id=obj_id, fields=fields, metadata=get_metadata(params)
    )


def product_delete(params: dict[str, Any], obj_id: str) -> dict[str, Any]:
    return catalog.product_delete(product_id=obj_id)


def product_search(params: dict[str, Any]) -> dict[str, Any]:
    return _search(
        params, Kind.PRODUCT, "/v1/products/search", {"active", "name", "description"}
    )


_PRICE_UPDATE_PARAMS = {
    "active",
    "metadata",
    "nickname",
    "lookup_key",
    "tax_behavior",
    "transfer_lookup_key",
}
_TAX_BEHAVIORS = ("exclusive", "inclusive", "unspecified")


def _price_fields(params: dict[str, Any]) -> dict[str, Any]:
    fields: dict[str, Any] = {}
    active = get_bool(params, "active")
    if active is not None:
        fields["active"] = active
    _nullable_str(params, "nickname", fields)
    _nullable_str(params, "lookup_key", fields)
    if "tax_behavior" in params:
        behavior = get_str(params, "tax_behavior")
        if behavior not in _TAX_BEHAVIORS:
            raise invalid(
                "tax_behavior", f"tax_behavior must be one of {_TAX_BEHAVIORS}"
            )
        fields["tax_behavior"] = behavior
    return fields


def price_create(params: dict[str, Any]) -> dict[str, Any]:
    reject_unknown(
        params,
        {
            *_PRICE_UPDATE_PARAMS,
            "currency",
            "product",
            "product_data",
            "unit_amount",
            "unit_amount_decimal",
            "recurring",
        },
    )
    currency = get_currency(params)
    product = get_str(params, "product")
    product_data = get_dict(params, "product_data")
    if not product and not product_data:
        raise missing("product")
    if product_data is not None:
        product = catalog.product_create(
            product_id=None,
            fields={"name": get_str(product_data, "name", required=True)},
            metadata=None,
            default_price_data=None,
        )["id"]
    unit_amount = get_int(params, "unit_amount", minimum=0, maximum=MAX_AMOUNT)
    if unit_amount is None:
        decimal = get_str(params, "unit_amount_decimal")
        if decimal is None:
            raise missing("unit_amount")
        if not decimal.isdigit():
            raise invalid(
                "unit_amount_decimal",
                "The sandbox supports whole minor units in unit_amount_decimal only.",
            )
        unit_amount = int(decimal)
    recurring = get_dict(params, "recurring")
    if recurring is not None and recurring.get("interval") not in (
        "day",
        "week",
        "month",
        "year",
    ):
        raise invalid(
            "recurring[interval]", "interval must be day, week, month or year"
        )
    return catalog.price_create(
        product=product or "",
        currency=currency,
        unit_amount=unit_amount,
        recurring=recurring,
        fields=_price_fields(params),
        metadata=get_metadata(params),
        transfer_lookup_key=bool(get_bool(params, "transfer_lookup_key")),
    )


def price_list(params: dict[str, Any]) -> dict[str, Any]:
    reject_unknown(
        params, {*LIST_PARAMS, "active", "product", "currency", "type", "lookup_keys"}
    )
    queryset = objects_of(Kind.PRICE)
    active = get_bool(params, "active")
    if active is not None:
        queryset = queryset.filter(data__active=active)
    if product := get_str(params, "product"):
        queryset = queryset.filter(parent=product)
    if "currency" in params:
        queryset = queryset.filter(currency=get_currency(params))
    if kind := get_str(params, "type"):
        queryset = queryset.filter(data__type=kind)
    if lookup_keys := get_list(params, "lookup_keys"):
        queryset = queryset.filter(data__lookup_key__in=lookup_keys)
    return _list(params, queryset, "/v1/prices")


def price_retrieve(params: dict[str, Any], obj_id: str) -> dict[str, Any]:
    return object_retrieve(kind=Kind.PRICE, stripe_id=obj_id)


def price_update(params: dict[str, Any], obj_id: str) -> dict[str, Any]:
    reject_unknown(params, _PRICE_UPDATE_PARAMS)
    return catalog.price_update(
        price_id=obj_id,
        fields=_price_fields(params),
        metadata=get_metadata(params),
        transfer_lookup_key=bool(get_bool(params, "transfer_lookup_key")),
    )


def price_search(params: dict[str, Any]) -> dict[str, Any]:
    return _search(
        params,
        Kind.PRICE,
        "/v1/prices/search",
        {"active", "currency", "product", "lookup_key", "type"},
    )


# -- events and webhook endpoints ------------------------------------------


def event_list(params: dict[str, Any]) -> dict[str, Any]:
    reject_unknown(params, {*LIST_PARAMS, "type", "types", "delivery_success"})
    queryset = events_queryset(
        type=get_str(params, "type"),
        types=[str(t) for t in get_list(params, "types")],
        created=None,
        delivery_success=get_bool(params, "delivery_success"),
    )
    return _list(params, queryset, "/v1/events", render=render_event)


def event_get(params: dict[str, Any], obj_id: str) -> dict[str, Any]:
    return event_retrieve(event_id=obj_id)


def _url(params: dict[str, Any], *, required: bool) -> str | None:
    url = get_str(params, "url", required=required, max_length=2000)
    if url is not None and not url.startswith(("http://", "https://")):
        raise invalid("url", "Invalid URL: must start with http:// or https://")
    return url


def _enabled_events(params: dict[str, Any], *, required: bool) -> list[str] | None:
    if "enabled_events" not in params:
        if required:
            raise missing("enabled_events")
        return None
    events = [str(item) for item in get_list(params, "enabled_events")]
    if not events:
        raise missing("enabled_events")
    for index, name in enumerate(events):
        if name != "*" and name not in EVENT_TYPES:
            raise invalid(
                f"enabled_events[{index}]",
                f"Invalid enabled_events[{index}]: unknown event type {name!r}",
            )
    return events


def webhook_endpoint_create(params: dict[str, Any]) -> dict[str, Any]:
    reject_unknown(
        params, {"url", "enabled_events", "api_version", "description", "metadata"}
    )
    endpoint = webhooks.webhook_endpoint_create(
        url=_url(params, required=True) or "",
        enabled_events=_enabled_events(params, required=True) or [],
        api_version=get_str(params, "api_version", max_length=40),
        description=get_str(params, "description"),
        metadata=get_metadata(params),
    )
    return render_webhook_endpoint(endpoint, with_secret=True)


def webhook_endpoint_list(params: dict[str, Any]) -> dict[str, Any]:
    reject_unknown(params, LIST_PARAMS - {"created"})
    return _list(
        params,
        WebhookEndpoint.objects.all(),
        "/v1/webhook_endpoints",
        render=render_webhook_endpoint,
    )


def webhook_endpoint_retrieve(params: dict[str, Any], obj_id: str) -> dict[str, Any]:
    return render_webhook_endpoint(webhooks.webhook_endpoint_get(endpoint_id=obj_id))


def webhook_endpoint_update(params: dict[str, Any], obj_id: str) -> dict[str, Any]:
    reject_unknown(
        params, {"url", "enabled_events", "disabled", "description", "metadata"}
    )
    endpoint = webhooks.webhook_endpoint_update(
        endpoint_id=obj_id,
        url=_url(params, required=False),
        enabled_events=_enabled_events(params, required=False),
        disabled=get_bool(params, "disabled"),
        description=get_str(params, "description"),
        metadata=get_metadata(params),
    )
    return render_webhook_endpoint(endpoint)


def webhook_endpoint_delete(params: dict[str, Any], obj_id: str) -> dict[str, Any]:
    return webhooks.webhook_endpoint_delete(endpoint_id=obj_id)


# -- invoices, invoice items, invoice payments -----------------------------

_INVOICE_ACCEPTED = {
    # Accepted for SDK compatibility; the sandbox has no use for them.
    "footer",
    "statement_descriptor",
}


def invoice_create(params: dict[str, Any]) -> dict[str, Any]:
    reject_unknown(
        params,
        {
            "customer",
            "currency",
            "collection_method",
            "days_until_due",
            "description",
            "auto_advance",
            "metadata",
            "pending_invoice_items_behavior",
            *_INVOICE_ACCEPTED,
        },
    )
    pending = get_str(params, "pending_invoice_items_behavior") or "exclude"
    if pending not in ("exclude", "include"):
        raise invalid(
            "pending_invoice_items_behavior",
            f"Invalid pending_invoice_items_behavior: {pending}",
        )
    invoice = billing.invoice_create(
        customer=get_str(params, "customer", required=True) or "",
        currency=get_currency(params) if "currency" in params else None,
        collection_method=get_str(params, "collection_method"),
        days_until_due=get_int(params, "days_until_due", minimum=0, maximum=3650),
        description=get_str(params, "description") or None,
        auto_advance=get_bool(params, "auto_advance"),
        metadata=get_metadata(params),
    )
    if pending == "include":
        billing.invoice_pending_items_take(invoice_id=invoice["id"])
        return object_retrieve(kind=Kind.INVOICE, stripe_id=invoice["id"])
    return invoice


def invoice_list(params: dict[str, Any]) -> dict[str, Any]:
    reject_unknown(params, {*LIST_PARAMS, "customer", "status", "subscription"})
    queryset = objects_of(Kind.INVOICE)
    if customer := get_str(params, "customer"):
        queryset = queryset.filter(customer=customer)
    status = get_str(params, "status")
    if status:
        if status not in ("draft", "open", "paid", "uncollectible", "void"):
            raise invalid("status", f"Invalid status: {status}")
        queryset = queryset.filter(data__status=status)
    if subscription := get_str(params, "subscription"):
        queryset = queryset.filter(
            data__parent__subscription_details__subscription=subscription
        )
    return _list(params, queryset, "/v1/invoices")


def invoice_retrieve(params: dict[str, Any], obj_id: str) -> dict[str, Any]:
    return object_retrieve(kind=Kind.INVOICE, stripe_id=obj_id)


def invoice_finalize(params: dict[str, Any], obj_id: str) -> dict[str, Any]:
    reject_unknown(params, {"auto_advance"})
    get_bool(params, "auto_advance")
    return billing.invoice_finalize(invoice_id=obj_id)


def invoice_pay(params: dict[str, Any], obj_id: str) -> dict[str, Any]:
    reject_unknown(params, {"payment_method", "paid_out_of_band", "off_session"})
    get_bool(params, "off_session")
    return billing.invoice_pay(
        invoice_id=obj_id,
        payment_method=get_str(params, "payment_method") or None,
        paid_out_of_band=bool(get_bool(params, "paid_out_of_band")),
    )


def invoice_void(params: dict[str, Any], obj_id: str) -> dict[str, Any]:
    reject_unknown(params, set())
    return billing.invoice_void(invoice_id=obj_id)


def invoice_mark_uncollectible(params: dict[str, Any], obj_id: str) -> dict[str, Any]:
    reject_unknown(params, set())
    return billing.invoice_mark_uncollectible(invoice_id=obj_id)


def invoice_item_create(params: dict[str, Any]) -> dict[str, Any]:
    reject_unknown(
        params,
        {
            "customer",
            "invoice",
            "amount",
            "currency",
            "pricing",
            "quantity",
            "description",
            "metadata",
        },
    )
    pricing = get_dict(params, "pricing") or {}
    reject_unknown({f"pricing[{k}]": v for k, v in pricing.items()}, {"pricing[price]"})
    amount = get_int(params, "amount", minimum=-MAX_AMOUNT, maximum=MAX_AMOUNT)
    if amount is not None and "currency" not in params:
        raise missing("currency")
    return billing.invoice_item_create(
        customer=get_str(params, "customer", required=True) or "",
        invoice=get_str(params, "invoice") or None,
        amount=amount,
        currency=get_currency(params) if "currency" in params else None,
        price=get_str(pricing, "price") or None,
        quantity=get_int(params, "quantity", minimum=1, maximum=MAX_AMOUNT),
        description=get_str(params, "description") or None,
        metadata=get_metadata(params),
    )


def invoice_item_retrieve(params: dict[str, Any], obj_id: str) -> dict[str, Any]:
    return object_retrieve(kind=Kind.INVOICE_ITEM, stripe_id=obj_id)


def invoice_payment_list(params: dict[str, Any]) -> dict[str, Any]:
    """GET /v1/invoice_payments: by invoice, by payment intent, by status
    (https://docs.stripe.com/api/invoice-payment/list); `payment[type]` is
    required with `payment`."""
    reject_unknown(params, {*LIST_PARAMS, "invoice", "payment", "status"})
    queryset = objects_of(Kind.INVOICE_PAYMENT)
    if invoice := get_str(params, "invoice"):
        queryset = queryset.filter(parent=invoice)
    payment = get_dict(params, "payment")
    if payment is not None:
        reject_unknown(
            {f"payment[{k}]": v for k, v in payment.items()},
            {"payment[type]", "payment[payment_intent]", "payment[payment_record]"},
        )
        kind = get_str(payment, "type")
        if not kind:
            raise missing("payment[type]")
        if kind not in ("payment_intent", "payment_record"):
            raise invalid("payment[type]", f"Invalid payment[type]: {kind}")
        queryset = queryset.filter(data__payment__type=kind)
        if intent := get_str(payment, "payment_intent"):
            queryset = queryset.filter(data__payment__payment_intent=intent)
    status = get_str(params, "status")
    if status:
        if status not in ("canceled", "open", "paid"):
            raise invalid("status", f"Invalid status: {status}")
        queryset = queryset.filter(data__status=status)
    return _list(params, queryset, "/v1/invoice_payments")


def invoice_payment_retrieve(params: dict[str, Any], obj_id: str) -> dict[str, Any]:
    return object_retrieve(kind=Kind.INVOICE_PAYMENT, stripe_id=obj_id)


# -- credit notes ----------------------------------------------------------

_CREDIT_NOTE_REASONS = (
    "duplicate",
    "fraudulent",
    "order_change",
    "product_unsatisfactory",
)


def credit_note_create(params: dict[str, Any]) -> dict[str, Any]:
    reject_unknown(
        params,
        {
            "invoice",
            "amount",
            "lines",
            "reason",
            "memo",
            "metadata",
            "credit_amount",
            "out_of_band_amount",
            "refund_amount",
            "refunds",
        },
    )
    if "refund_amount" in params or "refunds" in params:
        raise invalid(
            "refund_amount",
            "The sandbox does not refund through credit notes: create the refund "
            "(POST /v1/refunds) and a credit note with credit_amount or "
            "out_of_band_amount.",
        )
    reason = get_str(params, "reason") or None
    if reason and reason not in _CREDIT_NOTE_REASONS:
        raise invalid(
            "reason",
            f"Invalid reason: must be one of {', '.join(_CREDIT_NOTE_REASONS)}",
        )
    lines = get_list(params, "lines")
    if not all(isinstance(line, dict) for line in lines):
        raise invalid("lines", "Invalid array: lines must be hashes")
    amount = _amount(params, required=False)
    if amount is None and not lines:
        raise missing("amount")
    if amount is not None and lines:
        raise invalid("amount", "Pass either amount or lines, not both.")
    return billing.credit_note_create(
        invoice_id=get_str(params, "invoice", required=True) or "",
        amount=amount,
        lines=lines,
        reason=reason,
        memo=get_str(params, "memo") or None,
        credit_amount=get_int(params, "credit_amount", minimum=0, maximum=MAX_AMOUNT),
        out_of_band_amount=get_int(
            params, "out_of_band_amount", minimum=0, maximum=MAX_AMOUNT
        ),
        metadata=get_metadata(params),
    )


def credit_note_list(params: dict[str, Any]) -> dict[str, Any]:
    reject_unknown(params, {*LIST_PARAMS, "customer", "invoice"})
    queryset = objects_of(Kind.CREDIT_NOTE)
    if customer := get_str(params, "customer"):
        queryset = queryset.filter(customer=customer)
    if invoice := get_str(params, "invoice"):
        queryset = queryset.filter(parent=invoice)
    return _list(params, queryset, "/v1/credit_notes")


def credit_note_retrieve(params: dict[str, Any], obj_id: str) -> dict[str, Any]:
    return object_retrieve(kind=Kind.CREDIT_NOTE, stripe_id=obj_id)


def credit_note_void(params: dict[str, Any], obj_id: str) -> dict[str, Any]:
    reject_unknown(params, set())
    return billing.credit_note_void(credit_note_id=obj_id)


# -- subscriptions ---------------------------------------------------------


def _subscription_items(params: dict[str, Any], *, update: bool) -> list[dict]:
    items = []
    for index, raw in enumerate(get_list(params, "items")):
        if not isinstance(raw, dict):
            raise invalid(f"items[{index}]", "Invalid object: items must be hashes")
        allowed = {"id", "price", "quantity"} if update else {"price", "quantity"}
        reject_unknown(
            {f"items[{index}][{k}]": v for k, v in raw.items()},
            {f"items[{index}][{name}]" for name in allowed},
        )
        price = get_str(raw, "price")
        if not update and not price:
            raise missing(f"items[{index}][price]")
        quantity = get_int(raw, "quantity", minimum=1, maximum=MAX_AMOUNT)
        items.append(
            {
                "id": get_str(raw, "id"),
                "price": price,
                "quantity": quantity if update else (quantity or 1),
            }
        )
    return items


def subscription_create(params: dict[str, Any]) -> dict[str, Any]:
    reject_unknown(
        params,
        {
            "customer",
            "items",
            "default_payment_method",
            "payment_behavior",
            "metadata",
            "collection_method",
            "proration_behavior",
        },
    )
    if get_str(params, "collection_method") not in (None, "charge_automatically"):
        raise invalid(
            "collection_method",
            "The sandbox bills subscriptions with charge_automatically only.",
        )
    return subscriptions.subscription_create(
        customer=get_str(params, "customer", required=True) or "",
        items=_subscription_items(params, update=False),
        default_payment_method=get_str(params, "default_payment_method") or None,
        payment_behavior=get_str(params, "payment_behavior"),
        metadata=get_metadata(params),
    )


def subscription_list(params: dict[str, Any]) -> dict[str, Any]:
    reject_unknown(params, {*LIST_PARAMS, "customer", "status", "price"})
    queryset = objects_of(Kind.SUBSCRIPTION)
    if customer := get_str(params, "customer"):
        queryset = queryset.filter(customer=customer)
    status = get_str(params, "status")
    if status and status != "all":
        queryset = queryset.filter(data__status=status)
    elif not status:
        queryset = queryset.exclude(data__status="canceled")
    return _list(params, queryset, "/v1/subscriptions")


def subscription_retrieve(params: dict[str, Any], obj_id: str) -> dict[str, Any]:
    return object_retrieve(kind=Kind.SUBSCRIPTION, stripe_id=obj_id)


def subscription_update(params: dict[str, Any], obj_id: str) -> dict[str, Any]:
    reject_unknown(
        params, {"items", "proration_behavior", "metadata", "cancel_at_period_end"}
    )
    return subscriptions.subscription_update(
        subscription_id=obj_id,
        items=_subscription_items(params, update=True),
        proration_behavior=get_str(params, "proration_behavior"),
        metadata=get_metadata(params),
        cancel_at_period_end=get_bool(params, "cancel_at_period_end"),
    )


def subscription_cancel(params: dict[str, Any], obj_id: str) -> dict[str, Any]:
    reject_unknown(params, {"invoice_now", "prorate", "cancellation_details"})
    if get_bool(params, "invoice_now") or get_bool(params, "prorate"):
        raise invalid(
            "invoice_now",
            "The sandbox cancels without a final invoice or prorations.",
        )
    return subscriptions.subscription_cancel(subscription_id=obj_id)


# -- test clocks -----------------------------------------------------------


def clock_create(params: dict[str, Any]) -> dict[str, Any]:
    reject_unknown(params, {"frozen_time", "name"})
    return clocks.clock_create(
        frozen_time=get_int(params, "frozen_time", required=True, minimum=0) or 0,
        name=get_str(params, "name", max_length=300) or None,
    )


def clock_list(params: dict[str, Any]) -> dict[str, Any]:
    reject_unknown(params, {*LIST_PARAMS})
    return _list(params, objects_of(Kind.TEST_CLOCK), "/v1/test_helpers/test_clocks")


def clock_retrieve(params: dict[str, Any], obj_id: str) -> dict[str, Any]:
    return object_retrieve(kind=Kind.TEST_CLOCK, stripe_id=obj_id)


def clock_advance(params: dict[str, Any], obj_id: str) -> dict[str, Any]:
    reject_unknown(params, {"frozen_time"})
    return clocks.clock_advance(
        clock_id=obj_id,
        frozen_time=get_int(params, "frozen_time", required=True, minimum=0) or 0,
    )


def clock_delete(params: dict[str, Any], obj_id: str) -> dict[str, Any]:
    return clocks.clock_delete(clock_id=obj_id)
