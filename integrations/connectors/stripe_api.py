"""The Stripe API, through the official SDK: the only module that calls it.

Every method returns plain dicts (`to_dict()`), never SDK objects, so raw
vendor objects do not travel further than this module, and every SDK error is
re-raised as one of ours (integrations/connectors/errors.py). List methods
return iterators that page through everything (`auto_paging_iter`), with
errors raised while paging mapped the same way.

Webhook signature checks stay with the intake (`stripe.Webhook`), which does
not call the API.
"""

import logging
from collections.abc import Callable, Iterator, Mapping
from typing import Any, TypeVar

import stripe

from integrations.models import Connection

from .errors import (
    AuthenticationError,
    ConnectorError,
    NotFoundError,
    RateLimitedError,
    TransientError,
    ValidationError,
)
from .http import http_session_for
from .settings import SettingField

logger = logging.getLogger(__name__)

# The version of every object this module fetches: the SDK's pinned one
# (integrations/stripe_versions.py reads both shapes by it).
API_VERSION: str = stripe.api_version
# The SDK retries network errors and 409/429/5xx with Idempotency-Keys on
# POSTs; keep it small, the ledger owns the long backoff.
MAX_NETWORK_RETRIES = 2
PAGE_LIMIT = 100
# What a Stripe connection needs; the admin renders secrets write-only.
SETTINGS = (SettingField("api_key", "API key", secret=True),)

T = TypeVar("T")


def map_stripe_error(exc: stripe.StripeError) -> ConnectorError:
    """One of our errors for an SDK error, with Stripe's code and request id."""
    status = exc.http_status or 0
    param = str(getattr(exc, "param", None) or "")
    extra = {
        # Some SDK error classes leave `code` unset; the error object has it.
        "stripe_code": exc.code or str(getattr(exc.error, "code", "") or ""),
        "http_status": status,
        "request_id": exc.request_id or "",
    }
    message = f"Stripe: {exc.user_message or type(exc).__name__}"
    if isinstance(exc, stripe.AuthenticationError | stripe.PermissionError):
        # Stripe's own message repeats part of the refused key
        # ("Invalid API Key provided: sk_test_****4242"): never keep it.
        return AuthenticationError(
            f"Stripe refused the connection's secret key ({status or 'no'} "
            "HTTP status): check the Stripe connection",
            extra,
        )
    if isinstance(exc, stripe.RateLimitError) or status == 429:
        return RateLimitedError(
            message, retry_after=_retry_after(exc.headers), extra=extra
        )
    if isinstance(exc, stripe.APIConnectionError) or status >= 500:
        return TransientError(message, extra)
    if isinstance(exc, stripe.InvalidRequestError) and status == 404:
        return NotFoundError(message, extra, field=param)
    if isinstance(exc, stripe.IdempotencyError):
        return ValidationError(message, extra)
    if isinstance(exc, stripe.APIError):
        return TransientError(message, extra)
    return ValidationError(message, extra, field=param)


def _retry_after(headers: Mapping[str, str] | None) -> float | None:
    if not headers:
        return None
    for name, value in headers.items():
        if name.lower() == "retry-after":
            try:
                return max(float(value), 0.0)
            except (TypeError, ValueError):
                return None
    return None


def _plain(obj: Any) -> dict[str, Any]:
    return obj.to_dict() if hasattr(obj, "to_dict") else dict(obj)


def _without_none(params: Mapping[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in params.items() if value is not None}


def _created_range(
    created_gte: int | None, created_lte: int | None
) -> dict[str, int] | None:
    created = _without_none({"gte": created_gte, "lte": created_lte})
    return created or None


class StripeApi:
    kind = "stripe"

    def __init__(
        self,
        connection: Connection,
        *,
        http_client: stripe.HTTPClient | None = None,
    ) -> None:
        self.connection_id = connection.pk
        api_key = str((connection.secrets or {}).get("api_key", ""))
        if http_client is None:
            http_client = stripe.RequestsClient(
                timeout=connection.timeout_seconds,
                session=http_session_for(connection),
            )
        options: dict[str, Any] = {
            "http_client": http_client,
            "max_network_retries": MAX_NETWORK_RETRIES,
        }
        if connection.base_url:
            options["base_addresses"] = {"api": connection.base_url.rstrip("/")}
        self._client = stripe.StripeClient(api_key, **options)

    def __repr__(self) -> str:
        return f"<StripeApi connection={self.connection_id}>"

    @property
    def v1(self) -> Any:
        return self._client.v1

    def _call(self, what: str, fn: Callable[[], T]) -> T:
        try:
            return fn()
        except stripe.StripeError as exc:
            error = map_stripe_error(exc)
            logger.warning(
                "Stripe call failed",
                extra={
                    "connection_id": self.connection_id,
                    "call": what,
                    "error_class": error.code,
                    **error.extra,
                },
            )
            raise error from exc

    def _one(self, what: str, fn: Callable[[], Any]) -> dict[str, Any]:
        return _plain(self._call(what, fn))

    def _iterate(self, what: str, fn: Callable[[], Any]) -> Iterator[dict[str, Any]]:
        """Every item of a list, page after page, errors mapped while paging."""
        page = self._call(what, fn)
        pages = page.auto_paging_iter()
        while True:
            try:
                item = next(pages)
            except StopIteration:
                return
            except stripe.StripeError as exc:
                raise map_stripe_error(exc) from exc
            yield _plain(item)

    # --- single objects ----------------------------------------------------

    def retrieve_charge(
        self, charge_id: str, *, expand: list[str] | None = None
    ) -> dict[str, Any]:
        params = {"expand": expand} if expand else None
        return self._one(
            "charges.retrieve", lambda: self.v1.charges.retrieve(charge_id, params)
        )

    def retrieve_customer(self, customer_id: str) -> dict[str, Any]:
        return self._one(
            "customers.retrieve", lambda: self.v1.customers.retrieve(customer_id)
        )

    def update_customer_metadata(
        self, customer_id: str, metadata: Mapping[str, str]
    ) -> dict[str, Any]:
        return self._one(
            "customers.update",
            lambda: self.v1.customers.update(customer_id, {"metadata": dict(metadata)}),
        )

    def update_customer(
        self, customer_id: str, params: Mapping[str, Any], *, idempotency_key: str
    ) -> dict[str, Any]:
        return self._one(
            "customers.update",
            lambda: self.v1.customers.update(
                customer_id, dict(params), _options(idempotency_key)
            ),
        )

    def retrieve_payment_intent(
        self, payment_intent_id: str, *, expand: list[str] | None = None
    ) -> dict[str, Any]:
        params = {"expand": expand} if expand else None
        return self._one(
            "payment_intents.retrieve",
            lambda: self.v1.payment_intents.retrieve(payment_intent_id, params),
        )

    def retrieve_invoice(self, invoice_id: str) -> dict[str, Any]:
        return self._one(
            "invoices.retrieve", lambda: self.v1.invoices.retrieve(invoice_id)
        )

    def retrieve_subscription(
        self, subscription_id: str, *, expand: list[str] | None = None
    ) -> dict[str, Any]:
        return self._one(
            "subscriptions.retrieve",
            lambda: self.v1.subscriptions.retrieve(
                subscription_id, params={"expand": expand} if expand else None
            ),
        )

    def retrieve_refund(self, refund_id: str) -> dict[str, Any]:
        return self._one(
            "refunds.retrieve", lambda: self.v1.refunds.retrieve(refund_id)
        )

    def retrieve_dispute(self, dispute_id: str) -> dict[str, Any]:
        return self._one(
            "disputes.retrieve", lambda: self.v1.disputes.retrieve(dispute_id)
        )

    def retrieve_payout(self, payout_id: str) -> dict[str, Any]:
        return self._one(
            "payouts.retrieve", lambda: self.v1.payouts.retrieve(payout_id)
        )

    def retrieve_balance_transaction(self, transaction_id: str) -> dict[str, Any]:
        return self._one(
            "balance_transactions.retrieve",
            lambda: self.v1.balance_transactions.retrieve(transaction_id),
        )

    # --- lists -------------------------------------------------------------

    def list_balance_transactions(
        self,
        *,
        payout: str | None = None,
        created_gte: int | None = None,
        created_lte: int | None = None,
        expand: list[str] | None = None,
    ) -> Iterator[dict[str, Any]]:
        """A payout's transactions (automatic payouts), or those of a time window.

        Manual payouts cannot be listed by `payout`; reconciliation attributes
        them by the window of creation dates instead.
        """
        params = _without_none(
            {
                "payout": payout,
                "limit": PAGE_LIMIT,
                "created": _created_range(created_gte, created_lte),
                "expand": expand,
            }
        )
        return self._iterate(
            "balance_transactions.list",
            lambda: self.v1.balance_transactions.list(params),
        )

    def list_invoice_payments(
        self, *, invoice: str | None = None, payment_intent: str | None = None
    ) -> Iterator[dict[str, Any]]:
        """The InvoicePayments of an invoice, or those a payment intent made:
        since 2025-03-31.basil the only link between an invoice and its
        payments (https://docs.stripe.com/api/invoice-payment/list)."""
        payment = (
            {"type": "payment_intent", "payment_intent": payment_intent}
            if payment_intent
            else None
        )
        params = _without_none(
            {"limit": PAGE_LIMIT, "invoice": invoice, "payment": payment}
        )
        return self._iterate(
            "invoice_payments.list", lambda: self.v1.invoice_payments.list(params)
        )

    def list_events(
        self,
        *,
        delivery_success: bool | None = None,
        created_gte: int | None = None,
        types: list[str] | None = None,
    ) -> Iterator[dict[str, Any]]:
        params = _without_none(
            {
                "limit": PAGE_LIMIT,
                "delivery_success": delivery_success,
                "created": _created_range(created_gte, None),
                "types": types,
            }
        )
        return self._iterate("events.list", lambda: self.v1.events.list(params))

    def _backfill(
        self,
        resource: str,
        *,
        created_gte: int | None,
        created_lte: int | None,
        starting_after: str | None,
    ) -> Iterator[dict[str, Any]]:
        params = _without_none(
            {
                "limit": PAGE_LIMIT,
                "created": _created_range(created_gte, created_lte),
                "starting_after": starting_after,
            }
        )
        service = getattr(self.v1, resource)
        return self._iterate(f"{resource}.list", lambda: service.list(params))

    def list_charges(
        self,
        *,
        created_gte: int | None = None,
        created_lte: int | None = None,
        starting_after: str | None = None,
    ) -> Iterator[dict[str, Any]]:
        return self._backfill(
            "charges",
            created_gte=created_gte,
            created_lte=created_lte,
            starting_after=starting_after,
        )

    def list_refunds(
        self,
        *,
        created_gte: int | None = None,
        created_lte: int | None = None,
        starting_after: str | None = None,
    ) -> Iterator[dict[str, Any]]:
        return self._backfill(
            "refunds",
            created_gte=created_gte,
            created_lte=created_lte,
            starting_after=starting_after,
        )

    def list_disputes(
        self,
        *,
        created_gte: int | None = None,
        created_lte: int | None = None,
        starting_after: str | None = None,
    ) -> Iterator[dict[str, Any]]:
        return self._backfill(
            "disputes",
            created_gte=created_gte,
            created_lte=created_lte,
            starting_after=starting_after,
        )

    def list_payouts(
        self,
        *,
        created_gte: int | None = None,
        created_lte: int | None = None,
        starting_after: str | None = None,
    ) -> Iterator[dict[str, Any]]:
        return self._backfill(
            "payouts",
            created_gte=created_gte,
            created_lte=created_lte,
            starting_after=starting_after,
        )

    def list_customers(
        self,
        *,
        created_gte: int | None = None,
        created_lte: int | None = None,
        starting_after: str | None = None,
    ) -> Iterator[dict[str, Any]]:
        return self._backfill(
            "customers",
            created_gte=created_gte,
            created_lte=created_lte,
            starting_after=starting_after,
        )

    # --- catalog sync ------------------------------------------------------

    def create_product(
        self, params: Mapping[str, Any], *, idempotency_key: str | None = None
    ) -> dict[str, Any]:
        return self._one(
            "products.create",
            lambda: self.v1.products.create(dict(params), _options(idempotency_key)),
        )

    def update_product(
        self, product_id: str, params: Mapping[str, Any]
    ) -> dict[str, Any]:
        return self._one(
            "products.update",
            lambda: self.v1.products.update(product_id, dict(params)),
        )

    def retrieve_product(self, product_id: str) -> dict[str, Any]:
        return self._one(
            "products.retrieve", lambda: self.v1.products.retrieve(product_id)
        )

    def create_price(
        self, params: Mapping[str, Any], *, idempotency_key: str | None = None
    ) -> dict[str, Any]:
        return self._one(
            "prices.create",
            lambda: self.v1.prices.create(dict(params), _options(idempotency_key)),
        )

    def update_price(self, price_id: str, params: Mapping[str, Any]) -> dict[str, Any]:
        return self._one(
            "prices.update", lambda: self.v1.prices.update(price_id, dict(params))
        )

    def list_prices(
        self, *, product: str | None = None, active: bool | None = None
    ) -> Iterator[dict[str, Any]]:
        params = _without_none(
            {"limit": PAGE_LIMIT, "product": product, "active": active}
        )
        return self._iterate("prices.list", lambda: self.v1.prices.list(params))

    def prices_by_lookup_key(self, lookup_key: str) -> list[dict[str, Any]]:
        """The prices holding a lookup key, read from the list endpoint, which
        is consistent at once (search is not: its index lags)."""
        return list(
            self._iterate(
                "prices.list",
                lambda: self.v1.prices.list(
                    {"lookup_keys": [lookup_key], "limit": PAGE_LIMIT}
                ),
            )
        )

    # --- card payments of the customer portal (b2b/) ------------------------

    def create_customer(
        self, params: Mapping[str, Any], *, idempotency_key: str
    ) -> dict[str, Any]:
        return self._one(
            "customers.create",
            lambda: self.v1.customers.create(dict(params), _options(idempotency_key)),
        )

    def create_payment_intent(
        self, params: Mapping[str, Any], *, idempotency_key: str
    ) -> dict[str, Any]:
        return self._one(
            "payment_intents.create",
            lambda: self.v1.payment_intents.create(
                dict(params), _options(idempotency_key)
            ),
        )

    def confirm_payment_intent(
        self,
        payment_intent_id: str,
        params: Mapping[str, Any],
        *,
        idempotency_key: str,
    ) -> dict[str, Any]:
        return self._one(
            "payment_intents.confirm",
            lambda: self.v1.payment_intents.confirm(
                payment_intent_id, dict(params), _options(idempotency_key)
            ),
        )

    def create_checkout_session(
        self, params: Mapping[str, Any], *, idempotency_key: str
    ) -> dict[str, Any]:
        """A Checkout Session hosted by Stripe; the buyer is sent to its `url`
        (https://docs.stripe.com/api/checkout/sessions/create)."""
        return self._one(
            "checkout.sessions.create",
            lambda: self.v1.checkout.sessions.create(
                dict(params), _options(idempotency_key)
            ),
        )

    def retrieve_checkout_session(self, session_id: str) -> dict[str, Any]:
        return self._one(
            "checkout.sessions.retrieve",
            lambda: self.v1.checkout.sessions.retrieve(session_id),
        )

    # --- guided setup (onboarding/) -----------------------------------------

    def retrieve_account(self) -> dict[str, Any]:
        """The account the secret key belongs to: tests the key."""
        return self._one(
            "accounts.retrieve_current", lambda: self.v1.accounts.retrieve_current()
        )

    def list_webhook_endpoints(self) -> Iterator[dict[str, Any]]:
        return self._iterate(
            "webhook_endpoints.list",
            lambda: self.v1.webhook_endpoints.list({"limit": PAGE_LIMIT}),
        )

    def create_webhook_endpoint(self, params: Mapping[str, Any]) -> dict[str, Any]:
        """A new endpoint; its reply is the only one that carries the secret
        (https://docs.stripe.com/api/webhook_endpoints/create)."""
        return self._one(
            "webhook_endpoints.create",
            lambda: self.v1.webhook_endpoints.create(dict(params)),
        )

    def update_webhook_endpoint(
        self, endpoint_id: str, params: Mapping[str, Any]
    ) -> dict[str, Any]:
        return self._one(
            "webhook_endpoints.update",
            lambda: self.v1.webhook_endpoints.update(endpoint_id, dict(params)),
        )

    def close(self) -> None:
        """Nothing to release: the SDK's HTTP client closes with the process."""


def _options(idempotency_key: str | None) -> dict[str, str] | None:
    return {"idempotency_key": idempotency_key} if idempotency_key else None


def stripe_api_for(integration: Any) -> Callable[[], StripeApi]:
    """A factory of the integration's Stripe client, built only if called.

    The one seam for Stripe: callers look it up on this module at call time
    (`stripe_api.stripe_api_for(...)`), so a test swaps it in one place.
    """

    def client() -> StripeApi:
        # The connection is read here, not when the factory is made: most
        # events are planned without calling Stripe.
        return StripeApi(integration.stripe_connection)

    return client
