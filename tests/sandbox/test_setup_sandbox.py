"""`manage.py setup_sandbox`: repeat-safe wiring of the portal to the sandboxes."""

import io
import json

import pytest
import stripe
from django.conf import settings
from django.core.management import call_command

from integrations.models import Connection, Integration, WebhookSecret
from sandbox.stripeapi.models import WebhookEndpoint

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("setup_sandbox", *args, stdout=out)
    return out.getvalue()


def test_json_shape_for_syspro():
    result = json.loads(run("--erp", "syspro", "--json"))

    assert set(result) == {
        "portal_url",
        "webhook_url",
        "webhook_secret",
        "integration_id",
        "stripe",
        "erp",
    }
    integration = Integration.objects.get(uuid=result["integration_id"])
    assert result["portal_url"] == "http://127.0.0.1:8000"
    assert result["webhook_url"] == (
        f"http://127.0.0.1:8000/webhooks/stripe/{integration.uuid}/"
    )
    assert result["webhook_secret"].startswith("whsec_")
    assert result["stripe"] == {
        "api_base": "http://127.0.0.1:8000/sandbox/stripe",
        "api_key": settings.SANDBOX_STRIPE_API_KEY,
    }
    assert result["erp"] == {
        "kind": "syspro",
        "base_url": "http://127.0.0.1:8000/sandbox/syspro/SYSPROWCFService/Rest",
        "credentials": {
            "operator": settings.SANDBOX_SYSPRO_OPERATOR,
            "operator_password": settings.SANDBOX_SYSPRO_OPERATOR_PASSWORD,
            "company_id": settings.SANDBOX_SYSPRO_COMPANY,
            "company_password": settings.SANDBOX_SYSPRO_COMPANY_PASSWORD,
        },
        "control_key": settings.SANDBOX_SYSPRO_CONTROL_KEY,
    }

    assert integration.name == "Sandbox Stripe ↔ SYSPRO"
    assert sorted(integration.flows) == sorted(Integration.Flow.values)
    assert integration.options["gl"]["clearing"] == "1090"
    assert integration.options["bank"] == "STRIPE"
    assert integration.erp_connection.kind == "syspro"
    assert integration.erp_connection.config == {
        "operator": settings.SANDBOX_SYSPRO_OPERATOR,
        "company_id": settings.SANDBOX_SYSPRO_COMPANY,
    }
    assert integration.erp_connection.secrets == {
        "operator_password": settings.SANDBOX_SYSPRO_OPERATOR_PASSWORD,
        "company_password": settings.SANDBOX_SYSPRO_COMPANY_PASSWORD,
    }
    assert integration.stripe_connection.secrets == {
        "api_key": settings.SANDBOX_STRIPE_API_KEY
    }
    assert set(Connection.objects.values_list("kind", "is_sandbox")) == {
        ("stripe", True),
        ("syspro", True),
        ("sagepro", True),
    }
    endpoint = WebhookEndpoint.objects.get()
    assert (endpoint.url, endpoint.enabled_events) == (result["webhook_url"], ["*"])
    (secret,) = integration.webhook_secrets.all()
    assert secret.secret == result["webhook_secret"] == endpoint.secret


def test_second_run_changes_nothing():
    first = run("--erp", "syspro", "--json", "--portal-url", "http://localhost:9000/")
    counts = (
        Connection.objects.count(),
        Integration.objects.count(),
        WebhookSecret.objects.count(),
        WebhookEndpoint.objects.count(),
    )
    stamps = list(Connection.objects.values_list("updated_at", flat=True))

    second = run("--erp", "syspro", "--json", "--portal-url", "http://localhost:9000/")

    assert second == first
    assert json.loads(second)["portal_url"] == "http://localhost:9000"
    assert counts == (3, 1, 1, 1)
    assert (
        Connection.objects.count(),
        Integration.objects.count(),
        WebhookSecret.objects.count(),
        WebhookEndpoint.objects.count(),
    ) == counts
    assert list(Connection.objects.values_list("updated_at", flat=True)) == stamps


def test_sagepro_integration_alongside_syspro():
    syspro = json.loads(run("--erp", "syspro", "--json"))
    sagepro = json.loads(run("--erp", "sagepro", "--json"))

    assert sagepro["integration_id"] != syspro["integration_id"]
    assert sagepro["erp"] == {
        "kind": "sagepro",
        "base_url": "http://127.0.0.1:8765/api/v1",
        "credentials": {"api_key": settings.SANDBOX_SAGEPRO_API_KEY},
        "control_key": settings.SANDBOX_SAGEPRO_API_KEY,
    }
    assert Connection.objects.count() == 3
    assert WebhookEndpoint.objects.count() == 2
    assert Integration.objects.get(uuid=sagepro["integration_id"]).name == (
        "Sandbox Stripe ↔ Sage Pro"
    )


def test_human_output_names_the_webhook():
    out = run("--erp", "sagepro")
    integration = Integration.objects.get()
    assert str(integration.uuid) in out
    assert "whsec_" in out


def test_registered_secret_verifies_a_sandbox_delivery():
    result = json.loads(run("--json"))
    from sandbox.stripeapi.services.customers import customer_create
    from sandbox.stripeapi.services.webhooks import webhook_deliveries_run_due

    customer_create(fields={"email": "v@example.com"}, metadata=None)
    calls = []
    webhook_deliveries_run_due(send=lambda *a: calls.append(a) or 200)
    (url, body, headers, _timeout) = calls[0]
    assert url == result["webhook_url"]
    event = stripe.Webhook.construct_event(
        body, headers["Stripe-Signature"], result["webhook_secret"]
    )
    assert event.type == "customer.created"
