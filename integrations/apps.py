from django.apps import AppConfig
from django.db.models.signals import post_migrate


class IntegrationsConfig(AppConfig):
    name = "integrations"
    verbose_name = "Integrations"

    def ready(self) -> None:
        from . import checks  # noqa: F401
        from .roles import on_post_migrate

        post_migrate.connect(on_post_migrate, dispatch_uid="integrations.roles")
