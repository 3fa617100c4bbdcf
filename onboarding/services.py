"""The guided setup's writes: one service per step, each repeat-safe.

Every step tests what the person entered against the real system before
anything is stored: a refused key or logon leaves the stored connection as
it was. Secrets go through `connection_set_secrets` (encrypted, audited by
name only) and `webhook_secret_add`.
"""

import io
import json
import logging
from collections.abc import Iterable, Mapping
from dataclasses import asdict
from datetime import timedelta
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from integrations import currency_accounts, precision
from integrations.audit import audit_record
from integrations.connectors import stripe_api
from integrations.erps.registry import erp_package
from integrations.models import Connection, Integration
from integrations.services import connection_set_secrets, webhook_secret_add
from mapping.services import mapping_defaults_install
from portal.exceptions import ApplicationError
from reconciliation import backfill
from reconciliation.models import GlAccounts

from .models import SetupDraft
from .selectors import erp_reader, flow_events

logger = logging.getLogger(__name__)

# Marks the webhook endpoint in Stripe as this integration's, so running the
# step again finds it (with the URL) instead of making a second one.
ENDPOINT_METADATA_KEY = "ledgerbridge_integration"
STRIPE_KEY_PREFIXES = ("sk_", "rk_")
DRY_RUN_ENTRIES_KEPT = 200
MAX_DRY_RUN_DAYS = 90


def setup_draft_start(*, name: str, actor: AbstractBaseUser | None) -> SetupDraft:
    name = name.strip()
    if not name:
        raise ApplicationError("Give the integration a name.")
    if (
        SetupDraft.objects.filter(name=name).exists()
        or Integration.objects.filter(name=name).exists()
    ):
        raise ApplicationError(f"An integration named {name!r} already exists.")
    with transaction.atomic():
        draft = SetupDraft.objects.create(name=name, created_by=actor)
        audit_record(actor=actor, action="setup.started", target=draft)
    return draft


def setup_draft_for_integration(
    *, integration: Integration, actor: AbstractBaseUser | None
) -> SetupDraft:
    """The setup of an integration that exists (made by hand or by an earlier
    setup): its connections adopted, every step to be tested again."""
    with transaction.atomic():
        draft, created = SetupDraft.objects.get_or_create(
            integration=integration,
            defaults={
                "name": integration.name,
                "integration_uuid": integration.uuid,
                "stripe_connection": integration.stripe_connection,
                "erp_connection": integration.erp_connection,
                "flows": sorted(integration.flows or []),
                "created_by": actor,
            },
        )
        if created:
            audit_record(actor=actor, action="setup.resumed", target=draft)
    return draft


def _connection_name(draft: SetupDraft, what: str) -> str:
    """A connection name no other connection has (names are unique)."""
    base = f"{draft.name} — {what}"[:90]
    name, number = base, 1
    while Connection.objects.filter(name=name).exists():
        number += 1
        name = f"{base} ({number})"
    return name


def _connection_clean(connection: Connection) -> None:
    try:
        connection.full_clean(exclude=["name"])
    except DjangoValidationError as exc:
        messages = [m for ms in exc.message_dict.values() for m in ms]
        raise ApplicationError(" ".join(messages)) from None


# --- step 1: Stripe -----------------------------------------------------------


def _account_summary(account: Mapping[str, Any]) -> dict[str, str]:
    profile = account.get("business_profile") or {}
    dashboard = (account.get("settings") or {}).get("dashboard") or {}
    return {
        "id": str(account.get("id") or ""),
        "name": str(profile.get("name") or dashboard.get("display_name") or ""),
        "country": str(account.get("country") or ""),
        "default_currency": str(account.get("default_currency") or "").upper(),
    }


def stripe_connect(
    *,
    draft: SetupDraft,
    api_key: str,
    base_url: str,
    public_url: str,
    actor: AbstractBaseUser | None,
) -> SetupDraft:
    """Test the key, store it, register (or update) the webhook endpoint.

    A blank key keeps the stored one, so the step can be run again to
    re-register the endpoint without typing the key again.
    """
    api_key = api_key.strip()
    connection = draft.stripe_connection or Connection(
        name=_connection_name(draft, "Stripe"), kind=Connection.Kind.STRIPE
    )
    if api_key and not api_key.startswith(STRIPE_KEY_PREFIXES):
        raise ApplicationError(
            "A Stripe secret key starts with sk_ (or rk_ for a restricted key); "
            "copy it from Developers → API keys in the Stripe dashboard."
        )
    if not api_key and not (connection.secrets or {}).get("api_key"):
        raise ApplicationError("Enter the Stripe secret key.")
    connection.base_url = base_url.strip()
    _connection_clean(connection)
    trial = Connection(
        pk=connection.pk,
        name=connection.name,
        kind=Connection.Kind.STRIPE,
        base_url=connection.base_url,
        timeout_seconds=connection.timeout_seconds,
        secrets={
            **(connection.secrets or {}),
            **({"api_key": api_key} if api_key else {}),
        },
    )
    api = stripe_api.StripeApi(trial)
    account = _account_summary(api.retrieve_account())
    with transaction.atomic():
        connection.save()
        if api_key:
            connection_set_secrets(
                connection=connection, secrets={"api_key": api_key}, actor=actor
            )
        draft.stripe_connection = connection
        draft.stripe_account = account
        draft.save()
        audit_record(
            actor=actor, action="setup.stripe_connected", target=draft, after=account
        )
    return webhook_endpoint_register(
        draft=draft,
        public_url=public_url,
        flows=draft.flows or list(Integration.Flow.values),
        actor=actor,
    )


def webhook_url_of(*, draft: SetupDraft, public_url: str) -> str:
    path = reverse("stripe-webhook", args=[draft.integration_uuid])
    return public_url.rstrip("/") + path


def _ours(endpoint: Mapping[str, Any], *, url: str, key: str) -> bool:
    metadata = endpoint.get("metadata") or {}
    return metadata.get(ENDPOINT_METADATA_KEY) == key or endpoint.get("url") == url


def webhook_endpoint_register(
    *,
    draft: SetupDraft,
    public_url: str,
    flows: Iterable[str],
    actor: AbstractBaseUser | None,
) -> SetupDraft:
    """This integration's endpoint in Stripe, with exactly the events of
    `flows`: created once, found again by its metadata or URL and updated
    after that (https://docs.stripe.com/api/webhook_endpoints/update).

    Stripe shows the signing secret only in the create reply, so it is
    stored from that reply and never asked of the person.
    """
    if draft.stripe_connection is None:
        raise ApplicationError("Connect Stripe first.")
    url = webhook_url_of(draft=draft, public_url=public_url)
    events = flow_events(flows)
    if not events:
        raise ApplicationError("Switch on at least one flow.")
    key = str(draft.integration_uuid)
    api = stripe_api.StripeApi(draft.stripe_connection)
    found = next(
        (e for e in api.list_webhook_endpoints() if _ours(e, url=url, key=key)), None
    )
    params = {
        "url": url,
        "enabled_events": events,
        "description": f"LedgerBridge: {draft.name}"[:5000],
        "metadata": {ENDPOINT_METADATA_KEY: key},
    }
    secret = ""
    if found is None:
        created = api.create_webhook_endpoint(
            {**params, "api_version": stripe_api.API_VERSION}
        )
        endpoint_id = str(created["id"])
        secret = str(created.get("secret") or "")
    else:
        endpoint_id = str(found["id"])
        if not _secret_known(draft):
            raise ApplicationError(
                f"Stripe already has an endpoint for this integration "
                f"({endpoint_id}) whose signing secret is not stored here. "
                "Delete it in the Stripe dashboard (Developers → Webhooks), "
                "then run this step again."
            )
        api.update_webhook_endpoint(endpoint_id, params)
        if found.get("api_version") not in (None, "", stripe_api.API_VERSION):
            # Stripe cannot change an endpoint's version once created: the
            # page tells the person to delete it and run the step again.
            logger.warning(
                "Webhook endpoint pinned to another API version",
                extra={"endpoint": endpoint_id, "api_version": found["api_version"]},
            )
    with transaction.atomic():
        draft.webhook_endpoint_id = endpoint_id
        draft.webhook_url = url
        draft.webhook_events = events
        draft.webhook_api_version = str(
            (found or {}).get("api_version") or stripe_api.API_VERSION
        )
        if secret:
            _secret_keep(draft, secret, actor)
        draft.save()
        audit_record(
            actor=actor,
            action="setup.webhook_endpoint_registered",
            target=draft,
            after={"endpoint": endpoint_id, "created": found is None, "events": events},
        )
    return draft


def _secret_known(draft: SetupDraft) -> bool:
    if draft.integration_id is not None:
        return draft.integration.webhook_secrets.filter(is_active=True).exists()
    return bool(draft.pending_webhook_secret)


def _secret_keep(draft: SetupDraft, secret: str, actor) -> None:
    if draft.integration_id is not None:
        webhook_secret_add(integration=draft.integration, secret=secret, actor=actor)
    else:
        draft.pending_webhook_secret = secret


# --- step 2: the ERP ----------------------------------------------------------


def erp_connect(
    *,
    draft: SetupDraft,
    kind: str,
    base_url: str,
    config: Mapping[str, str],
    secrets: Mapping[str, str],
    actor: AbstractBaseUser | None,
) -> SetupDraft:
    """Test the logon, store the connection, and create the integration
    (switched off, no flows) once Stripe and the ERP are both connected.

    Blank secrets keep the stored ones. Changing the ERP kind of an
    integration that exists is refused: its mappings are the old ERP's.
    """
    package = erp_package(kind)
    connection = draft.erp_connection
    if connection is not None and connection.kind != kind:
        if draft.integration_id is not None:
            raise ApplicationError(
                f"This integration posts to {connection.get_kind_display()}; "
                "start a new setup to connect another ERP."
            )
        connection = None
    if connection is None:
        connection = Connection(name=_connection_name(draft, package.label), kind=kind)
    connection.base_url = base_url.strip()
    connection.config = {
        **(connection.config or {}),
        **{name: str(config.get(name) or "").strip() for name in package.config_names},
    }
    new_secrets = {
        name: str(secrets.get(name) or "")
        for name in package.secret_names
        if secrets.get(name)
    }
    missing = [
        name
        for name in package.secret_names
        if not new_secrets.get(name) and not (connection.secrets or {}).get(name)
    ]
    if missing:
        labels = {s.name: s.label for s in package.settings}
        raise ApplicationError(
            "Enter " + ", ".join(labels[name] for name in missing) + "."
        )
    _connection_clean(connection)
    trial = Connection(
        name=connection.name,
        kind=kind,
        base_url=connection.base_url,
        config=dict(connection.config),
        secrets={**(connection.secrets or {}), **new_secrets},
        timeout_seconds=connection.timeout_seconds,
    )
    connector = package.connector(trial)
    try:
        profile = erp_reader(kind).erp_profile(connector)
    finally:
        connector.close()
    with transaction.atomic():
        connection.save()
        connection_set_secrets(connection=connection, secrets=new_secrets, actor=actor)
        draft.erp_connection = connection
        draft.erp_profile = asdict(profile)
        if draft.integration_id is None:
            draft.integration = _integration_create(draft, actor)
        elif draft.integration.erp_connection_id != connection.pk:
            draft.integration.erp_connection = connection
            draft.integration.save(update_fields=["erp_connection", "updated_at"])
        draft.save()
        audit_record(
            actor=actor,
            action="setup.erp_connected",
            target=draft,
            after=asdict(profile),
        )
    return draft


def _integration_create(draft: SetupDraft, actor) -> Integration:
    if draft.stripe_connection is None:
        raise ApplicationError("Connect Stripe first.")
    package = erp_package(draft.erp_connection.kind)
    if Integration.objects.filter(name=draft.name).exists():
        raise ApplicationError(
            f"An integration named {draft.name!r} was created meanwhile; "
            "start a new setup under another name."
        )
    integration = Integration.objects.create(
        uuid=draft.integration_uuid,
        name=draft.name,
        stripe_connection=draft.stripe_connection,
        erp_connection=draft.erp_connection,
        is_active=False,
        flows=[],
        stripe_api_version=stripe_api.API_VERSION,
        options=json.loads(json.dumps(package.default_options)),
    )
    mapping_defaults_install(integration=integration)
    if draft.pending_webhook_secret:
        webhook_secret_add(
            integration=integration, secret=draft.pending_webhook_secret, actor=actor
        )
        draft.pending_webhook_secret = ""
    audit_record(actor=actor, action="setup.integration_created", target=integration)
    return integration


# --- step 3: bank, warehouse, terms, GL accounts ------------------------------


def integration_options_set(
    *,
    draft: SetupDraft,
    values: Mapping[str, Any],
    actor: AbstractBaseUser | None,
) -> SetupDraft:
    """Write the chosen codes into the integration's options, the one place
    the workflows and the payout journals read them (`gl.<role>` keys go
    under options["gl"])."""
    if draft.integration is None:
        raise ApplicationError("Connect the ERP first.")
    # The ERP is asked before the row is locked: no lock is held across a
    # network call, and a concurrent edit is refused rather than merged blind.
    integration = Integration.objects.get(pk=draft.integration.pk)
    before = json.loads(json.dumps(integration.options or {}))
    options = _options_merge(before, values)
    errors = precision.integration_options_errors(
        erp_kind=integration.erp_kind, options=options
    )
    if errors:
        raise ApplicationError(" ".join(errors))
    package = erp_package(integration.erp_kind)
    problems = currency_accounts.options_problems(
        options,
        rule=package.code_rule(integration.erp_connection.config),
        default_pattern=package.default_options.get(
            currency_accounts.PATTERN_OPTION, currency_accounts.DEFAULT_PATTERN
        ),
    )
    if problems:
        raise OptionProblems(problems)
    unchecked = _erp_problems_raise(integration, options)
    gl = options["gl"]
    with transaction.atomic():
        integration = Integration.objects.select_for_update().get(pk=integration.pk)
        if (integration.options or {}) != before:
            raise ApplicationError(
                "The integration's settings were changed meanwhile; "
                "reload the page and save again."
            )
        integration.options = options
        integration.save(update_fields=["options", "updated_at"])
        _gl_accounts_follow(integration, gl)
        draft.integration = integration
        draft.options_saved_at = timezone.now()
        draft.options_unchecked = unchecked
        draft.save()
        audit_record(
            actor=actor,
            action="setup.options_set",
            target=integration,
            before=before,
            after=options,
        )
    return draft


def _options_merge(
    options: Mapping[str, Any], values: Mapping[str, Any]
) -> dict[str, Any]:
    merged = json.loads(json.dumps(options))
    gl = dict(merged.get("gl") or {})
    for key, value in values.items():
        if key.startswith("gl."):
            gl[key[3:]] = value
        else:
            merged[key] = value
    merged["gl"] = gl
    return merged


class OptionProblems(ApplicationError):
    """The ERP refused some of the codes: `problems` by option key."""

    def __init__(self, problems: Mapping[str, str]) -> None:
        super().__init__(
            "The ERP does not accept some of these codes.", {"fields": problems}
        )
        self.problems = dict(problems)


def _erp_problems_raise(integration: Integration, options: Mapping[str, Any]) -> str:
    """Ask the ERP about the codes where its package can (SYSPRO: ledger codes
    through GENQGL, the others by format: erps/syspro/validation.py); raise
    OptionProblems for what it refuses. An ERP that cannot be reached does
    not block the save: what it could not check is returned, to be said."""
    package = erp_package(integration.erp_kind)
    if package.settings_problems is None:
        return ""
    problems = dict(
        package.settings_problems(
            options=options, connection=integration.erp_connection
        )
    )
    unchecked = problems.pop("connection", "")
    if problems:
        raise OptionProblems(problems)
    return unchecked


def _gl_accounts_follow(integration: Integration, gl: Mapping[str, str]) -> None:
    """An integration that already has a GL accounts row (reconciliation/)
    posts payout journals to it, not to options["gl"]: keep it equal to what
    was chosen here, so the setup stays the place the accounts are chosen."""
    row = GlAccounts.objects.filter(integration=integration).first()
    if row is None:
        return
    for role in GlAccounts.ROLES:
        if gl.get(role):
            setattr(row, role, gl[role])
    row.save()


# --- step 4: dry run and go live ----------------------------------------------


def setup_dry_run(
    *,
    draft: SetupDraft,
    flows: list[str],
    days: int,
    actor: AbstractBaseUser | None,
) -> SetupDraft:
    """What the last `days` of Stripe history would post with `flows` on:
    the backfill's dry run (reconciliation/backfill.py), which keeps nothing."""
    integration = draft.integration
    if integration is None or not draft.options_done:
        raise ApplicationError("Finish the earlier steps first.")
    if not 1 <= days <= MAX_DRY_RUN_DAYS:
        raise ApplicationError(f"Choose between 1 and {MAX_DRY_RUN_DAYS} days.")
    unknown = sorted(set(flows) - set(Integration.Flow.values))
    if unknown or not flows:
        raise ApplicationError("Switch on at least one known flow.")
    # Planned with the chosen flows, on an unsaved copy: nothing goes live.
    integration.flows = list(flows)
    since = timezone.now() - timedelta(days=days)
    run = backfill.backfill_run_start(
        integration=integration, since=since, until=None, dry_run=True
    )
    run.integration = integration
    output = io.StringIO()
    report = backfill.backfill_execute(run=run, output=output)
    entries = [json.loads(line) for line in output.getvalue().splitlines() if line]
    summary = {
        "days": days,
        "flows": sorted(flows),
        "at": timezone.now().isoformat(),
        "counts": dict(report.counts),
        "planned": sum(1 for e in entries if "operation" in e),
        "errors": sum(1 for e in entries if "error" in e),
        "entries": entries[:DRY_RUN_ENTRIES_KEPT],
        "more": max(len(entries) - DRY_RUN_ENTRIES_KEPT, 0),
    }
    with transaction.atomic():
        draft.flows = sorted(flows)
        draft.dry_run = summary
        draft.save()
        audit_record(
            actor=actor,
            action="setup.dry_run",
            target=draft,
            after={k: summary[k] for k in ("days", "flows", "planned", "errors")},
        )
    return draft


def setup_go_live(
    *,
    draft: SetupDraft,
    flows: list[str],
    public_url: str,
    actor: AbstractBaseUser | None,
) -> SetupDraft:
    """Point the endpoint at exactly the chosen flows' events, switch the
    flows on and the integration active. Needs a dry run of these flows."""
    integration = draft.integration
    if integration is None or not draft.dry_run:
        raise ApplicationError("Run the dry run first.")
    if sorted(flows) != draft.dry_run.get("flows"):
        raise ApplicationError(
            "The flows differ from the dry run's: run the dry run again with "
            "these flows first."
        )
    webhook_endpoint_register(
        draft=draft, public_url=public_url, flows=flows, actor=actor
    )
    with transaction.atomic():
        integration = Integration.objects.select_for_update().get(pk=integration.pk)
        before = {"flows": integration.flows, "is_active": integration.is_active}
        if before == {"flows": sorted(flows), "is_active": True} and draft.live_at:
            return draft
        integration.flows = sorted(flows)
        integration.is_active = True
        integration.save(update_fields=["flows", "is_active", "updated_at"])
        draft.integration = integration
        draft.live_at = draft.live_at or timezone.now()
        draft.save()
        audit_record(
            actor=actor,
            action="setup.live",
            target=integration,
            before=before,
            after={"flows": integration.flows, "is_active": True},
        )
    return draft
