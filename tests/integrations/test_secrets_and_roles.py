"""Secrets stay encrypted and unseen; the two staff groups can do what they should."""

import importlib
import io
import json
import logging

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from integrations import services
from integrations.models import AuditEntry, Connection, SyncRecord, WebhookSecret
from portal.crypto import fingerprint
from portal.logging import MaskSecretsFilter, mask_secrets
from tests.factories import WEBHOOK_SECRET, ConnectionFactory, IntegrationFactory

pytestmark = pytest.mark.django_db

PLAIN_SECRETS = (
    "sk_test_ledgerbridge_sandbox",
    "sandbox-operator",
    "sandbox-company",
    WEBHOOK_SECRET,
)


def raw_table_text() -> str:
    with connection.cursor() as cursor:
        rows = []
        for table in ("integrations_connection", "integrations_webhooksecret"):
            cursor.execute(f"SELECT * FROM {table}")  # noqa: S608
            rows += [repr(row) for row in cursor.fetchall()]
    return "\n".join(rows)


def test_secrets_are_not_stored_in_plaintext():
    IntegrationFactory()
    text = raw_table_text()
    assert "gAAAA" in text  # Fernet tokens
    for secret in PLAIN_SECRETS:
        assert secret not in text


def test_dumpdata_contains_no_plaintext_secret():
    IntegrationFactory()
    out = io.StringIO()
    call_command("dumpdata", "integrations", stdout=out)
    for secret in PLAIN_SECRETS:
        assert secret not in out.getvalue()


def test_secrets_round_trip_through_the_orm():
    connection_row = ConnectionFactory()
    assert Connection.objects.get(pk=connection_row.pk).secrets == {
        "api_key": "sk_test_ledgerbridge_sandbox"
    }


def test_admin_never_renders_a_secret(admin_client):
    integration = IntegrationFactory()
    pages = [
        reverse(
            "admin:integrations_connection_change", args=[integration.erp_connection.pk]
        ),
        reverse(
            "admin:integrations_connection_change",
            args=[integration.stripe_connection.pk],
        ),
        reverse("admin:integrations_connection_changelist"),
        reverse("admin:integrations_integration_change", args=[integration.pk]),
    ]
    for url in pages:
        response = admin_client.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        for secret in PLAIN_SECRETS:
            assert secret not in html, url
    assert "stored — leave blank to keep" in admin_client.get(pages[0]).content.decode()


def test_admin_blank_secret_keeps_the_stored_one(admin_client):
    row = ConnectionFactory(
        kind=Connection.Kind.SAGEPRO, secrets={"api_key": "old-key"}
    )
    url = reverse("admin:integrations_connection_change", args=[row.pk])
    data = {
        "name": row.name,
        "kind": "sagepro",
        "base_url": "http://127.0.0.1:8765/api/v1",
        "timeout_seconds": 30,
        "api_key": "",
    }
    assert admin_client.post(url, data).status_code == 302
    row.refresh_from_db()
    assert row.secrets == {"api_key": "old-key"}
    data["api_key"] = "new-key"
    admin_client.post(url, data)
    row.refresh_from_db()
    assert row.secrets == {"api_key": "new-key"}


def test_log_lines_are_masked(caplog):
    from portal.logging import MaskSecretsFilter

    assert "sk_test_ledgerbridge_sandbox" not in mask_secrets(
        "calling with sk_test_ledgerbridge_sandbox"
    )
    masked = mask_secrets("Logon?Operator=ADMIN&OperatorPassword=sandbox-operator")
    assert masked == "Logon?Operator=ADMIN&OperatorPassword=***"
    assert WEBHOOK_SECRET not in mask_secrets(f"secret {WEBHOOK_SECRET}")
    assert "abc123" not in mask_secrets("Authorization: Bearer abc123")
    logger = logging.getLogger("integrations.test")
    logger.addFilter(MaskSecretsFilter())
    with caplog.at_level(logging.INFO):
        logger.info("key %s", "sk_test_ledgerbridge_sandbox")
    assert "sk_test_ledgerbridge_sandbox" not in caplog.text


def _staff(group_name: str) -> User:
    user = User.objects.create_user(f"u-{group_name[:5]}", password="x", is_staff=True)
    user.groups.add(Group.objects.get(name=group_name))
    return user


def test_groups_exist_with_the_right_permissions():
    finance = _staff("Finance reviewers")
    admin = _staff("Integration admins")
    for perm in (
        "integrations.view_syncrecord",
        "integrations.retry_syncrecord",
        "integrations.skip_syncrecord",
        "integrations.edit_payload_syncrecord",
        "integrations.approve_payload_syncrecord",
        "integrations.view_webhookevent",
    ):
        assert finance.has_perm(perm), perm
    assert admin.has_perm("integrations.approve_payload_syncrecord")
    for perm in (
        "integrations.view_connection",
        "integrations.change_connection",
        "integrations.change_integration",
        "integrations.view_webhooksecret",
    ):
        assert not finance.has_perm(perm), perm
        assert admin.has_perm(perm), perm


def test_finance_reviewer_cannot_open_connections(client):
    integration = IntegrationFactory()
    client.force_login(_staff("Finance reviewers"))
    url = reverse(
        "admin:integrations_connection_change", args=[integration.erp_connection.pk]
    )
    assert client.get(url).status_code == 403
    assert (
        client.get(reverse("admin:integrations_syncrecord_changelist")).status_code
        == 200
    )


def test_ledger_changelist_query_count_does_not_grow(
    admin_client, django_assert_max_num_queries
):
    integration = IntegrationFactory()
    for n in range(30):
        SyncRecord.objects.create(
            integration=integration,
            operation="post_payment",
            idempotency_key=f"k{n}",
            stripe_id=f"ch_{n}",
        )
    with django_assert_max_num_queries(12):
        response = admin_client.get(reverse("admin:integrations_syncrecord_changelist"))
    assert response.status_code == 200
    assert "ch_29" in response.content.decode()


def test_rotating_the_key_keeps_every_secret_readable(settings):
    from cryptography.fernet import Fernet

    integration = IntegrationFactory()
    old_key = settings.FIELD_ENCRYPTION_KEYS[0]
    new_key = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEYS = [new_key, old_key]
    call_command("rotate_encryption_keys", stdout=io.StringIO())
    settings.FIELD_ENCRYPTION_KEYS = [new_key]
    assert (
        Connection.objects.get(pk=integration.erp_connection.pk).secrets[
            "operator_password"
        ]
        == "sandbox-operator"
    )
    assert integration.webhook_secrets.get().secret == WEBHOOK_SECRET


# No character of a secret in the audit trail, the admin or the logs ----------

PASSWORD = "Summer2024!x"
LIVE_KEY = "sk_live_51HqAbCdEfGh0123456789"


def test_audit_of_changed_secrets_names_them_and_shows_no_character():
    row = ConnectionFactory(kind=Connection.Kind.SYSPRO)
    services.connection_set_secrets(
        connection=row, secrets={"operator_password": PASSWORD}, actor=None
    )
    entry = AuditEntry.objects.get(action="connection.secrets_changed")
    assert entry.after == {"changed": ["operator_password"]}
    text = json.dumps([entry.before, entry.after])
    for part in (PASSWORD[:4], PASSWORD[-4:]):
        assert part not in text


def test_a_signing_secret_is_told_apart_by_a_fingerprint_not_its_characters(
    admin_client,
):
    integration = IntegrationFactory()
    row = integration.webhook_secrets.get()
    assert row.hint == fingerprint(WEBHOOK_SECRET)
    assert len(row.hint) == 8
    body = WEBHOOK_SECRET.removeprefix("whsec_")
    for part in (body[:4], body[-4:]):
        assert part not in row.hint
    entry = AuditEntry.objects.get(action="webhook_secret.added")
    assert entry.after == {"fingerprint": row.hint}
    other = services.webhook_secret_add(
        integration=integration, secret="whsec_another_0123456789", actor=None
    )
    assert other.hint != row.hint
    html = admin_client.get(
        reverse("admin:integrations_integration_change", args=[integration.pk])
    ).content.decode()
    assert row.hint in html
    assert body[-4:] not in html


def test_old_audit_rows_and_hints_holding_masks_are_rewritten():
    integration = IntegrationFactory()
    secret = integration.webhook_secrets.get()
    WebhookSecret.objects.filter(pk=secret.pk).update(hint="whse…cdef")
    AuditEntry.objects.all().delete()
    old_secret_row = AuditEntry.objects.create(
        action="webhook_secret.added",
        target_type="integrations.integration",
        target_id=str(integration.pk),
        after="whse…cdef",
    )
    old_connection_row = AuditEntry.objects.create(
        action="connection.secrets_changed",
        target_type="integrations.connection",
        target_id=str(integration.erp_connection.pk),
        after={"operator_password": "Summ…24!x", "company_password": "••••••••"},
    )
    migration = importlib.import_module(
        "integrations.migrations.0007_payloadchange_and_secret_redaction"
    )
    # when
    from django.apps import apps

    migration.redact_secrets(apps, None)
    # then
    secret.refresh_from_db()
    assert secret.hint == fingerprint(WEBHOOK_SECRET)
    old_secret_row.refresh_from_db()
    assert old_secret_row.after == {"fingerprint": secret.hint}
    old_connection_row.refresh_from_db()
    assert old_connection_row.after == {
        "changed": ["company_password", "operator_password"]
    }


@pytest.fixture
def masked_logger(caplog):
    logger = logging.getLogger("integrations.test.masked")
    mask = MaskSecretsFilter()
    logger.addFilter(mask)
    caplog.set_level(logging.INFO, logger=logger.name)
    yield logger
    logger.removeFilter(mask)


def _fail_with_secrets() -> None:
    try:
        raise ConnectionError(f"GET /Logon?Operator=ADMIN&password={PASSWORD} failed")
    except ConnectionError as exc:
        raise RuntimeError(f"Stripe call with {LIVE_KEY} failed") from exc


def test_a_logged_exception_shows_no_secret_in_message_or_traceback(
    masked_logger, caplog
):
    try:
        _fail_with_secrets()
    except RuntimeError:
        masked_logger.exception("call failed: password=%s", PASSWORD)
    assert "Traceback" in caplog.text
    assert "ConnectionError" in caplog.text
    assert PASSWORD not in caplog.text
    assert LIVE_KEY not in caplog.text
    assert caplog.records[-1].exc_info is None  # handlers cannot format it again


def test_a_logged_stack_shows_no_secret(masked_logger, caplog):
    # The stack quotes this source line, key and all.
    masked_logger.info("sk_live_51HqAbCdEfGh0123456789 in use", stack_info=True)
    assert "Stack (most recent call last)" in caplog.text
    assert LIVE_KEY not in caplog.text


def test_a_known_secret_is_masked_where_no_pattern_announces_it(masked_logger, caplog):
    # given a connection whose password the process has read
    row = ConnectionFactory(
        kind=Connection.Kind.SYSPRO,
        secrets={"operator_password": PASSWORD, "company_password": "Winter-2025"},
    )
    Connection.objects.get(pk=row.pk).secrets  # noqa: B018
    # when SYSPRO echoes it back, or a URL quotes it
    masked_logger.warning("SYSPRO refused logon ADMIN/%s", PASSWORD)
    masked_logger.warning("GET /Logon?Operator=ADMIN&Pwd=Summer2024%21x: timed out")
    # then
    assert PASSWORD not in caplog.text
    assert "Summer2024%21x" not in caplog.text
    assert "Winter-2025" not in mask_secrets("company Winter-2025")


def test_stripe_s_echo_of_a_refused_key_is_masked():
    masked = mask_secrets("Invalid API Key provided: sk_live_********4242")
    assert "4242" not in masked
