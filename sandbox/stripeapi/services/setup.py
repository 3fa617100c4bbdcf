"""Wire the portal to the built-in sandboxes: connections, integration, webhook.

Repeat-safe: a second run finds every row it made the first time and reports
the same ids and secret.
"""

from typing import Any

from django.conf import settings
from django.db import transaction

from integrations.models import Connection, Integration
from integrations.services import connection_set_secrets, webhook_secret_add
from mapping.services import mapping_defaults_install

from ..models import WebhookEndpoint
from .core import API_VERSION
from .webhooks import webhook_endpoint_create

ERP_KINDS = (Connection.Kind.SYSPRO, Connection.Kind.SAGEPRO)

DEFAULT_OPTIONS: dict[str, Any] = {
    "bank": "STRIPE",
    "warehouse": "FG",
    "misc_charge_description": "Stripe payment",
    "customer_code_prefix": "S",
    "terms_code": "30",
    "payment_type": "CC",
    "gl": {
        "bank": "1010",
        "clearing": "1090",
        "ar": "1200",
        "fees": "6210",
        "refunds": "4900",
        "disputes": "5910",
        "dispute_fees": "6220",
        "adjustments": "6900",
        "fx": "7910",
    },
}


def _connection(
    *,
    name: str,
    kind: str,
    base_url: str,
    config: dict[str, str],
    secrets: dict[str, str],
) -> Connection:
    connection, _ = Connection.objects.get_or_create(
        name=name,
        defaults={
            "kind": kind,
            "base_url": base_url,
            "config": config,
            "is_sandbox": True,
        },
    )
    wanted = {"kind": kind, "base_url": base_url, "config": config, "is_sandbox": True}
    changed = [f for f, v in wanted.items() if getattr(connection, f) != v]
    if changed:
        for field in changed:
            setattr(connection, field, wanted[field])
        connection.save(update_fields=[*changed, "updated_at"])
    stale = {k: v for k, v in secrets.items() if connection.secrets.get(k) != v}
    if stale:
        connection_set_secrets(connection=connection, secrets=stale, actor=None)
    return connection


def _erp_credentials(kind: str) -> tuple[dict[str, str], dict[str, str], str]:
    """(config, secrets, control key) of the ERP sandbox, from settings."""
    if kind == Connection.Kind.SYSPRO:
        return (
            {
                "operator": settings.SANDBOX_SYSPRO_OPERATOR,
                "company_id": settings.SANDBOX_SYSPRO_COMPANY,
            },
            {
                "operator_password": settings.SANDBOX_SYSPRO_OPERATOR_PASSWORD,
                "company_password": settings.SANDBOX_SYSPRO_COMPANY_PASSWORD,
            },
            settings.SANDBOX_SYSPRO_CONTROL_KEY,
        )
    return (
        {},
        {"api_key": settings.SANDBOX_SAGEPRO_API_KEY},
        settings.SANDBOX_SAGEPRO_API_KEY,
    )


def sandbox_setup(*, erp: str, portal_url: str) -> dict[str, Any]:
    """Create (or find) the sandbox connections, integration and webhook endpoint."""
    if erp not in ERP_KINDS:
        raise ValueError(f"erp must be one of {', '.join(ERP_KINDS)}, got {erp!r}")
    portal = portal_url.rstrip("/")
    base_urls = {
        Connection.Kind.STRIPE: f"{portal}/sandbox/stripe",
        Connection.Kind.SYSPRO: f"{portal}/sandbox/syspro/SYSPROWCFService/Rest",
        Connection.Kind.SAGEPRO: f"{portal}/sandbox/sagepro/api/v1",
    }
    api_key = settings.SANDBOX_STRIPE_API_KEY
    with transaction.atomic():
        stripe_conn = _connection(
            name="Stripe sandbox",
            kind=Connection.Kind.STRIPE,
            base_url=base_urls[Connection.Kind.STRIPE],
            config={},
            secrets={"api_key": api_key},
        )
        erp_conns = {}
        for kind, name in (
            (Connection.Kind.SYSPRO, "SYSPRO sandbox"),
            (Connection.Kind.SAGEPRO, "Sage Pro sandbox"),
        ):
            config, secrets, _ = _erp_credentials(kind)
            erp_conns[kind] = _connection(
                name=name,
                kind=kind,
                base_url=base_urls[kind],
                config=config,
                secrets=secrets,
            )
        label = Connection.Kind(erp).label
        integration, created = Integration.objects.get_or_create(
            name=f"Sandbox Stripe ↔ {label}",
            defaults={
                "stripe_connection": stripe_conn,
                "erp_connection": erp_conns[erp],
                "flows": list(Integration.Flow.values),
                "options": DEFAULT_OPTIONS,
                "stripe_api_version": API_VERSION,
            },
        )
        if created:
            mapping_defaults_install(integration=integration)
        webhook_url = f"{portal}/webhooks/stripe/{integration.uuid}/"
        endpoint = WebhookEndpoint.objects.filter(url=webhook_url).first()
        if endpoint is None:
            endpoint = webhook_endpoint_create(
                url=webhook_url,
                enabled_events=["*"],
                api_version=integration.stripe_api_version or API_VERSION,
                description=f"LedgerBridge {integration.name}",
                metadata=None,
            )
        known = {
            row.secret for row in integration.webhook_secrets.filter(is_active=True)
        }
        if endpoint.secret not in known:
            webhook_secret_add(
                integration=integration, secret=endpoint.secret, actor=None
            )
    config, secrets, control_key = _erp_credentials(erp)
    if erp == Connection.Kind.SYSPRO:
        credentials = {
            "operator": config["operator"],
            "operator_password": secrets["operator_password"],
            "company_id": config["company_id"],
            "company_password": secrets["company_password"],
        }
    else:
        credentials = {"api_key": secrets["api_key"]}
    return {
        "portal_url": portal,
        "webhook_url": webhook_url,
        "webhook_secret": endpoint.secret,
        "integration_id": str(integration.uuid),
        "stripe": {"api_base": base_urls[Connection.Kind.STRIPE], "api_key": api_key},
        "erp": {
            "kind": erp,
            "base_url": base_urls[erp],
            "credentials": credentials,
            "control_key": control_key,
        },
    }
