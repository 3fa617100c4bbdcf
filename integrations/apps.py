import gc

from django.apps import AppConfig
from django.db.models.signals import post_migrate


class IntegrationsConfig(AppConfig):
    name = "integrations"
    verbose_name = "Integrations"

    def ready(self) -> None:
        from . import checks  # noqa: F401
        from .roles import on_post_migrate

        post_migrate.connect(on_post_migrate, dispatch_uid="integrations.roles")
        # What startup loaded (models, admin, URL patterns' modules, every
        # import) lives as long as the process: leave it out of the cyclic
        # collector, so a full collection in a web or queue worker scans only
        # what was made since. The qcluster forks its workers after this, and
        # their collections then never write to the pages they share with it.
        # https://docs.python.org/3/library/gc.html#gc.freeze
        gc.freeze()
