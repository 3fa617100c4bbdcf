from django.apps import AppConfig


class ReconciliationConfig(AppConfig):
    name = "reconciliation"
    verbose_name = "Payout reconciliation"

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from . import workflows
        from .schedules import schedules_ensure

        workflows.register()
        post_migrate.connect(schedules_ensure, sender=self)
