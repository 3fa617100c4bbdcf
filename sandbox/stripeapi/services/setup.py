"""Wire the portal to the built-in sandboxes: connections, integration, webhook.

Repeat-safe: a second run finds every row it made the first time and reports
the same ids and secret.
"""

from typing import Any

from django.conf import settings
from django.db import transaction

from integrations.erps.registry import ERPS
from integrations.models import Connection, Integration
from integrations.services import connection_set_secrets, webhook_secret_add
from mapping.services import mapping_defaults_install

from ..models import WebhookEndpoint
from .core import API_VERSION
from .webhooks import webhook_endpoint_create


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


def _sandbox_kinds() -> tuple[str, ...]:
    """The ERP kinds whose package names a built-in sandbox."""
    return tuple(kind for kind, package in ERPS.items() if package.sandbox)


def sandbox_setup(*, erp: str, portal_url: str, erp_url: str = "") -> dict[str, Any]:
    """Create (or find) the sandbox connections, integration and webhook endpoint.

    `erp_url` points the chosen ERP's connection at another server than the
    sandbox's default (the Sage Pro agent on another port).
    """
    kinds = _sandbox_kinds()
    if erp not in kinds:
        raise ValueError(f"erp must be one of {', '.join(kinds)}, got {erp!r}")
    portal = portal_url.rstrip("/")
    hooks = {kind: ERPS[kind].sandbox for kind in kinds}
    base_urls = {
        Connection.Kind.STRIPE: f"{portal}/sandbox/stripe",
        **{
            kind: hook.base_url or f"{portal}{hook.path}"
            for kind, hook in hooks.items()
        },
    }
    if erp_url:
        base_urls[erp] = erp_url.rstrip("/")
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
        for kind, hook in hooks.items():
            credentials = hook.credentials()
            erp_conns[kind] = _connection(
                name=hook.connection_name,
                kind=kind,
                base_url=base_urls[kind],
                config=credentials.config,
                secrets=credentials.secrets,
            )
        label = ERPS[erp].label
        integration, created = Integration.objects.get_or_create(
            name=f"Sandbox Stripe ↔ {label}",
            defaults={
                "stripe_connection": stripe_conn,
                "erp_connection": erp_conns[erp],
                "flows": list(Integration.Flow.values),
                "options": dict(ERPS[erp].default_options),
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
    credentials = hooks[erp].credentials()
    return {
        "portal_url": portal,
        "webhook_url": webhook_url,
        "webhook_secret": endpoint.secret,
        "integration_id": str(integration.uuid),
        "stripe": {"api_base": base_urls[Connection.Kind.STRIPE], "api_key": api_key},
        "erp": {
            "kind": erp,
            "base_url": base_urls[erp],
            "credentials": {**credentials.config, **credentials.secrets},
            "control_key": credentials.control_key,
        },
    }
