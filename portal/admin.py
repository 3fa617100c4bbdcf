"""django-q2's admin, read-only for every role, superusers included.

A schedule or a task names a Python callable that the worker imports and runs,
so adding or editing one in the admin runs arbitrary code as the worker's
user. Schedules are code (`portal/schedules.py`); the admin only shows them,
with the tasks and failures they produced. django-q2's "resubmit" action would
re-run whatever a task row names, so no action is offered at all.
"""

from django.contrib import admin
from django.http import HttpRequest
from django_q import admin as django_q_admin
from django_q.models import Failure, OrmQ, Schedule, Success


class ReadOnlyMixin:
    """No add, change or delete in the admin, for anyone (logs and inboxes)."""

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


class QueueReadOnlyMixin(ReadOnlyMixin):
    """No add, change, delete or action on a task queue model, for anyone."""

    actions = None


class ScheduleAdmin(QueueReadOnlyMixin, django_q_admin.ScheduleAdmin):
    pass


class SuccessAdmin(QueueReadOnlyMixin, django_q_admin.TaskAdmin):
    pass


class FailureAdmin(QueueReadOnlyMixin, django_q_admin.FailAdmin):
    pass


class QueuedTaskAdmin(QueueReadOnlyMixin, django_q_admin.QueueAdmin):
    pass


# Importing django_q.admin above registered its own admins, whatever the order
# of INSTALLED_APPS; replace them.
for model, model_admin in (
    (Schedule, ScheduleAdmin),
    (Success, SuccessAdmin),
    (Failure, FailureAdmin),
    (OrmQ, QueuedTaskAdmin),
):
    if admin.site.is_registered(model):
        admin.site.unregister(model)
        admin.site.register(model, model_admin)
