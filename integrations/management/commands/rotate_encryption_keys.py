from django.core.management.base import BaseCommand
from django.db import transaction

from integrations.models import Connection, WebhookSecret


class Command(BaseCommand):
    help = (
        "Re-encrypt every stored secret with the first key of "
        "FIELD_ENCRYPTION_KEYS. Put the new key first, keep the old one after "
        "it, run this, then drop the old key."
    )

    def handle(self, *args, **options) -> None:
        with transaction.atomic():
            connections = list(Connection.objects.select_for_update())
            for row in connections:
                row.save(update_fields=["secrets"])
            secrets = list(WebhookSecret.objects.select_for_update())
            for row in secrets:
                row.save(update_fields=["secret"])
        self.stdout.write(
            f"Re-encrypted {len(connections)} connection(s) and "
            f"{len(secrets)} signing secret(s)."
        )
