from django.db import migrations, models


class Migration(migrations.Migration):
    """The workers' history and lease queries run as prepared statements; a
    generic plan cannot use an index whose condition a parameter must meet,
    so these two indexes lose their conditions."""

    dependencies = [
        ("integrations", "0014_syncrecord_erp_send_started"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="syncrecord", name="sync_lease_idx"),
        migrations.RemoveIndex(
            model_name="syncrecord", name="sync_customer_history_idx"
        ),
        migrations.AddIndex(
            model_name="syncrecord",
            index=models.Index(
                fields=["status", "lease_expires_at"], name="sync_lease_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="syncrecord",
            index=models.Index(
                fields=["integration", "operation", "customer_key", "created_at"],
                name="sync_customer_history_idx",
            ),
        ),
    ]
