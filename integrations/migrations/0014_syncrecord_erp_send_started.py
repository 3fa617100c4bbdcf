from django.db import migrations, models


class Migration(migrations.Migration):
    """Records that exist already may have been sent: they get the marker, so
    their next send still looks the document up first. New records start
    without it."""

    dependencies = [
        ("integrations", "0013_customerlink_currency"),
    ]

    operations = [
        migrations.AddField(
            model_name="syncrecord",
            name="erp_send_started",
            field=models.BooleanField(
                default=True,
                help_text="An attempt that may send this record to the ERP has "
                "started.",
            ),
        ),
        migrations.AlterField(
            model_name="syncrecord",
            name="erp_send_started",
            field=models.BooleanField(
                default=False,
                help_text="An attempt that may send this record to the ERP has "
                "started.",
            ),
        ),
    ]
