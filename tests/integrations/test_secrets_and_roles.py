"""Secrets stay encrypted and unseen; the two staff groups can do what they should."""

import io
import logging

import pytest
from django.contrib.auth.models import Group, User
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from integrations.models import Connection, SyncRecord
from portal.logging import mask_secrets
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
        "base_url": "http://testserver/sandbox/sagepro/api/v1",
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
        "integrations.view_webhookevent",
    ):
        assert finance.has_perm(perm), perm
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
