"""Four-eyes payload changes; secrets redacted from hints and the audit trail.

Audit rows and signing-secret hints written before this kept the first and
last four characters of a secret. Hints become a fingerprint (HMAC-SHA256
under SECRET_KEY, eight hex digits, as portal.crypto.fingerprint), the audit
rows of signing secrets carry that fingerprint, and those of connection
secrets only the names of the secrets that changed.
"""

import hashlib
import hmac

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def _fingerprint(value: str) -> str:
    # A copy, not an import: a migration must keep working as the code moves.
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()[:8]


def redact_secrets(apps, schema_editor) -> None:
    WebhookSecret = apps.get_model("integrations", "WebhookSecret")
    AuditEntry = apps.get_model("integrations", "AuditEntry")
    by_old_hint: dict[tuple[str, str], str] = {}
    for row in WebhookSecret.objects.all():
        new_hint = _fingerprint(row.secret)
        by_old_hint[(str(row.integration_id), row.hint)] = new_hint
        if row.hint != new_hint:
            WebhookSecret.objects.filter(pk=row.pk).update(hint=new_hint)
    for entry in AuditEntry.objects.filter(action="webhook_secret.added"):
        if isinstance(entry.after, dict):
            continue
        found = by_old_hint.get((entry.target_id, entry.after))
        entry.after = {"fingerprint": found} if found else {"redacted": True}
        entry.save(update_fields=["after"])
    for entry in AuditEntry.objects.filter(action="connection.secrets_changed"):
        if isinstance(entry.after, dict) and set(entry.after) != {"changed"}:
            entry.after = {"changed": sorted(entry.after)}
            entry.save(update_fields=["after"])


class Migration(migrations.Migration):
    dependencies = [
        ("integrations", "0006_webhookevent_integration_foreign_key"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterField(
            model_name="webhooksecret",
            name="hint",
            field=models.CharField(
                blank=True,
                editable=False,
                help_text=(
                    "Tells secrets apart without showing any of their characters."
                ),
                max_length=20,
                verbose_name="fingerprint",
            ),
        ),
        migrations.AlterModelOptions(
            name="syncrecord",
            options={
                "ordering": ["-created_at"],
                "permissions": [
                    ("retry_syncrecord", "Can retry ledger records"),
                    ("skip_syncrecord", "Can skip ledger records"),
                    ("edit_payload_syncrecord", "Can edit ledger payloads"),
                    ("release_syncrecord", "Can release held ledger records"),
                    (
                        "approve_payload_syncrecord",
                        "Can approve another person's edit of money, customer "
                        "or reference",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="PayloadChange",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True,
                        primary_key=True,
                        serialize=False,
                        verbose_name="ID",
                    ),
                ),
                (
                    "base_payload",
                    models.JSONField(
                        blank=True,
                        help_text="The record's payload when proposed.",
                        null=True,
                    ),
                ),
                ("payload", models.JSONField(help_text="The payload proposed.")),
                (
                    "protected_fields",
                    models.JSONField(
                        default=list,
                        help_text="The protected fields the proposal changes.",
                    ),
                ),
                ("reason", models.TextField(blank=True)),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("pending", "Pending approval"),
                            ("approved", "Approved"),
                            ("rejected", "Rejected"),
                        ],
                        default="pending",
                        max_length=20,
                    ),
                ),
                ("proposed_by_label", models.CharField(blank=True, max_length=150)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("decided_by_label", models.CharField(blank=True, max_length=150)),
                ("decided_at", models.DateTimeField(blank=True, null=True)),
                ("decision_reason", models.TextField(blank=True)),
                (
                    "decided_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "proposed_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "record",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="payload_changes",
                        to="integrations.syncrecord",
                    ),
                ),
            ],
            options={
                "ordering": ["-created_at"],
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("status", "pending")),
                        fields=("record",),
                        name="uniq_pending_payload_change",
                    )
                ],
            },
        ),
        migrations.RunPython(redact_secrets, migrations.RunPython.noop),
    ]
