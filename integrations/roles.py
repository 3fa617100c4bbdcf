"""The two staff roles, kept in step after migrate.

The groups are created by a migration; their permissions are (re)assigned
after every migrate so models added later are covered too.
"""

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

FINANCE_REVIEWERS = "Finance reviewers"
INTEGRATION_ADMINS = "Integration admins"

PORTAL_APPS = ("integrations", "mapping", "reconciliation", "monitoring")

# Finance staff review, retry, skip and edit payloads, but never see or
# change connections (where the secrets live) or the webhook signing secrets.
# Nor do they see the task queue: a failed task's traceback is operations data
# (ERP replies, file paths), and the ledger and alerts already show them, in
# their terms, what failed.
FINANCE_EXTRA = (
    "integrations.change_syncrecord",
    "integrations.retry_syncrecord",
    "integrations.skip_syncrecord",
    "integrations.edit_payload_syncrecord",
    # Four eyes: a reviewer approves another's edit of money, customer or
    # reference, never their own (ledger.sync_record_payload_change_approve).
    "integrations.approve_payload_syncrecord",
    "integrations.release_syncrecord",
    # Settle a write whose reply was lost: confirm it posted, or post again.
    "integrations.settle_syncrecord",
    # Post the ERP's reversing document of a succeeded record (never a delete).
    "integrations.reverse_syncrecord",
    "integrations.reprocess_webhookevent",
    "integrations.change_alert",
)
FINANCE_HIDDEN_MODELS = ("connection", "webhooksecret")


def _perms(spec: tuple[str, ...]) -> list[Permission]:
    query = Q(pk__in=[])
    for dotted in spec:
        app_label, codename = dotted.split(".")
        query |= Q(content_type__app_label=app_label, codename=codename)
    return list(Permission.objects.filter(query))


def roles_sync() -> None:
    finance, _ = Group.objects.get_or_create(name=FINANCE_REVIEWERS)
    admins, _ = Group.objects.get_or_create(name=INTEGRATION_ADMINS)
    finance_perms = list(
        Permission.objects.filter(
            content_type__app_label__in=PORTAL_APPS, codename__startswith="view_"
        ).exclude(content_type__model__in=FINANCE_HIDDEN_MODELS)
    ) + _perms(FINANCE_EXTRA)
    finance.permissions.set(finance_perms)
    admins.permissions.set(
        Permission.objects.filter(
            Q(content_type__app_label__in=PORTAL_APPS)
            | Q(content_type__app_label__startswith="sandbox")
            # Schedules and tasks name code the worker runs: they are code
            # (portal/schedules.py), so admins only watch the queue.
            | Q(content_type__app_label="django_q", codename__startswith="view_")
        )
    )


def on_post_migrate(sender, **kwargs) -> None:
    roles_sync()
