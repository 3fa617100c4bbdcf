from django.apps import AppConfig


class StripeapiConfig(AppConfig):
    name = "sandbox.stripeapi"
    label = "sandbox_stripeapi"
