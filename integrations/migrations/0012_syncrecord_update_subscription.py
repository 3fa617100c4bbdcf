from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("integrations", "0011_syncrecord_reversal"),
    ]

    operations = [
        migrations.AlterField(
            model_name="syncrecord",
            name="operation",
            field=models.CharField(
                choices=[
                    ("upsert_customer", "Upsert customer"),
                    ("create_sales_order", "Create sales order"),
                    ("post_payment", "Post payment"),
                    ("post_credit_note", "Post credit note"),
                    ("post_adjustment", "Post AR adjustment"),
                    ("create_invoice", "Create invoice"),
                    ("post_journal", "Post GL journal"),
                    (
                        "update_subscription",
                        "Update the customer's subscription fields",
                    ),
                ],
                max_length=40,
            ),
        ),
    ]
