from django.apps import AppConfig, apps
from django.db.models.signals import post_migrate


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Portal"

    def ready(self) -> None:
        from django_q.signals import pre_enqueue

        from . import schedules

        # portal has no models, so Django sends it no post_migrate of its own.
        post_migrate.connect(
            schedules.on_post_migrate,
            sender=apps.get_app_config("django_q"),
            dispatch_uid="portal.schedules",
        )
        pre_enqueue.connect(schedules.task_guard, dispatch_uid="portal.task_guard")
