import factory

from integrations import services
from integrations.models import Connection, Integration

WEBHOOK_SECRET = "whsec_test_0123456789abcdef"


class ConnectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Connection
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"connection-{n}")
    kind = Connection.Kind.STRIPE
    base_url = "http://testserver/sandbox/stripe"
    secrets = factory.LazyAttribute(
        lambda c: (
            {"api_key": "sk_test_ledgerbridge_sandbox"}
            if c.kind == Connection.Kind.STRIPE
            else {
                "operator_password": "sandbox-operator",
                "company_password": "sandbox-company",
            }
        )
    )


class IntegrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Integration
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"integration-{n}")
    stripe_connection = factory.SubFactory(ConnectionFactory)
    erp_connection = factory.SubFactory(
        ConnectionFactory,
        kind=Connection.Kind.SYSPRO,
        base_url="http://testserver/sandbox/syspro/SYSPROWCFService/Rest",
        config={"operator": "ADMIN", "company_id": "EDU1"},
    )
    flows = [flow.value for flow in Integration.Flow]
    options = {
        "bank": "STRIPE",
        "warehouse": "FG",
        "misc_charge_description": "Stripe payment",
        "customer_code_prefix": "S",
        "terms_code": "30",
        "payment_type": "O",
    }

    @factory.post_generation
    def webhook_secret(obj, create, extracted, **kwargs):
        if create:
            services.webhook_secret_add(
                integration=obj, secret=extracted or WEBHOOK_SECRET, actor=None
            )
