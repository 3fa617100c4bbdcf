"""Mounted at /sandbox/stripe/: the SDK's api_base is http://host/sandbox/stripe."""

from django.urls import path, re_path

from sandbox.faults import control_view

from . import account, apis, checkout, views
from .dispatch import endpoint

urlpatterns = [
    path("_control", control_view("stripe", views.KEY_SETTING)),
    path("_state", views.state),
    path("_reset", views.reset),
    path(
        "v1/customers",
        endpoint(GET=apis.customer_list, POST=apis.customer_create),
    ),
    path("v1/customers/search", endpoint(GET=apis.customer_search)),
    path(
        "v1/customers/<str:obj_id>",
        endpoint(
            GET=apis.customer_retrieve,
            POST=apis.customer_update,
            DELETE=apis.customer_delete,
        ),
    ),
    path(
        "v1/payment_intents",
        endpoint(GET=apis.payment_intent_list, POST=apis.payment_intent_create),
    ),
    path(
        "v1/payment_intents/<str:obj_id>",
        endpoint(GET=apis.payment_intent_retrieve, POST=apis.payment_intent_update),
    ),
    path(
        "v1/payment_intents/<str:obj_id>/confirm",
        endpoint(POST=apis.payment_intent_confirm),
    ),
    path("v1/charges", endpoint(GET=apis.charge_list)),
    path("v1/charges/<str:obj_id>", endpoint(GET=apis.charge_retrieve)),
    path("v1/refunds", endpoint(GET=apis.refund_list, POST=apis.refund_create)),
    path("v1/refunds/<str:obj_id>", endpoint(GET=apis.refund_retrieve)),
    path("v1/disputes", endpoint(GET=apis.dispute_list)),
    path("v1/disputes/<str:obj_id>", endpoint(GET=apis.dispute_retrieve)),
    path("v1/disputes/<str:obj_id>/close", endpoint(POST=apis.dispute_accept)),
    path(
        "v1/test_helpers/disputes/<str:obj_id>/close",
        endpoint(POST=apis.test_helper_dispute_close),
    ),
    path("v1/balance", endpoint(GET=apis.balance_retrieve)),
    path("v1/balance_transactions", endpoint(GET=apis.balance_transaction_list)),
    path(
        "v1/balance_transactions/<str:obj_id>",
        endpoint(GET=apis.balance_transaction_retrieve),
    ),
    path("v1/payouts", endpoint(GET=apis.payout_list, POST=apis.payout_create)),
    path(
        "v1/test_helpers/payouts/automatic",
        endpoint(POST=apis.test_helper_payouts_automatic),
    ),
    path("v1/payouts/<str:obj_id>", endpoint(GET=apis.payout_retrieve)),
    path("v1/products", endpoint(GET=apis.product_list, POST=apis.product_create)),
    path("v1/products/search", endpoint(GET=apis.product_search)),
    path(
        "v1/products/<str:obj_id>",
        endpoint(
            GET=apis.product_retrieve,
            POST=apis.product_update,
            DELETE=apis.product_delete,
        ),
    ),
    path("v1/prices", endpoint(GET=apis.price_list, POST=apis.price_create)),
    path("v1/prices/search", endpoint(GET=apis.price_search)),
    path(
        "v1/prices/<str:obj_id>",
        endpoint(GET=apis.price_retrieve, POST=apis.price_update),
    ),
    path("v1/invoices", endpoint(GET=apis.invoice_list, POST=apis.invoice_create)),
    path("v1/invoices/<str:obj_id>", endpoint(GET=apis.invoice_retrieve)),
    path("v1/invoices/<str:obj_id>/finalize", endpoint(POST=apis.invoice_finalize)),
    path("v1/invoices/<str:obj_id>/pay", endpoint(POST=apis.invoice_pay)),
    path("v1/invoices/<str:obj_id>/void", endpoint(POST=apis.invoice_void)),
    path(
        "v1/invoices/<str:obj_id>/mark_uncollectible",
        endpoint(POST=apis.invoice_mark_uncollectible),
    ),
    path("v1/invoiceitems", endpoint(POST=apis.invoice_item_create)),
    path("v1/invoiceitems/<str:obj_id>", endpoint(GET=apis.invoice_item_retrieve)),
    path("v1/invoice_payments", endpoint(GET=apis.invoice_payment_list)),
    path(
        "v1/invoice_payments/<str:obj_id>",
        endpoint(GET=apis.invoice_payment_retrieve),
    ),
    path(
        "v1/credit_notes",
        endpoint(GET=apis.credit_note_list, POST=apis.credit_note_create),
    ),
    path("v1/credit_notes/<str:obj_id>", endpoint(GET=apis.credit_note_retrieve)),
    path("v1/credit_notes/<str:obj_id>/void", endpoint(POST=apis.credit_note_void)),
    path(
        "v1/subscriptions",
        endpoint(GET=apis.subscription_list, POST=apis.subscription_create),
    ),
    path(
        "v1/subscriptions/<str:obj_id>",
        endpoint(
            GET=apis.subscription_retrieve,
            POST=apis.subscription_update,
            DELETE=apis.subscription_cancel,
        ),
    ),
    path(
        "v1/test_helpers/test_clocks",
        endpoint(GET=apis.clock_list, POST=apis.clock_create),
    ),
    path(
        "v1/test_helpers/test_clocks/<str:obj_id>",
        endpoint(GET=apis.clock_retrieve, DELETE=apis.clock_delete),
    ),
    path(
        "v1/test_helpers/test_clocks/<str:obj_id>/advance",
        endpoint(POST=apis.clock_advance),
    ),
    path(
        "v1/checkout/sessions",
        checkout.with_hosted_base(endpoint(POST=checkout.session_create)),
    ),
    path(
        "v1/checkout/sessions/<str:obj_id>",
        endpoint(GET=checkout.session_retrieve),
    ),
    path(
        "checkout/pay/<str:session_id>",
        checkout.hosted_page,
        name="sandbox_stripe_checkout_page",
    ),
    path("v1/account", endpoint(GET=account.account_retrieve)),
    path("v1/events", endpoint(GET=apis.event_list)),
    path("v1/events/<str:obj_id>", endpoint(GET=apis.event_get)),
    path(
        "v1/webhook_endpoints",
        endpoint(GET=apis.webhook_endpoint_list, POST=apis.webhook_endpoint_create),
    ),
    path(
        "v1/webhook_endpoints/<str:obj_id>",
        endpoint(
            GET=apis.webhook_endpoint_retrieve,
            POST=apis.webhook_endpoint_update,
            DELETE=apis.webhook_endpoint_delete,
        ),
    ),
    # Anything else under /v1/ gets Stripe's JSON 404, not Django's HTML page.
    re_path(r"^v1/", endpoint()),
]
