from django.db import migrations

from sandbox.sagepro.seed import seed_master_data


def seed(apps, schema_editor):
    seed_master_data(lambda name: apps.get_model("sandbox_sagepro", name))


class Migration(migrations.Migration):
    dependencies = [("sandbox_sagepro", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
