from django.apps import AppConfig


class ReconciliationConfig(AppConfig):
    name = "reconciliation"
    verbose_name = "Payout reconciliation"

    def ready(self) -> None:
        from . import workflows

        workflows.register()
