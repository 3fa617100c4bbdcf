from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "monitoring"
    verbose_name = "Alerts and monitoring"

    def ready(self) -> None:
        from . import checks  # noqa: F401
