"""django-q2's admin is read-only: no role adds, edits or re-runs a task."""

import pytest
from django.contrib.admin import site
from django.contrib.auth.models import Group, Permission, User
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone
from django_q.models import Failure, Schedule

from integrations.roles import FINANCE_REVIEWERS, INTEGRATION_ADMINS

pytestmark = pytest.mark.django_db

ROLES = ("integration_admin", "superuser")

CALLS: list[tuple] = []


def record_call(*args: object) -> None:
    """Stands in for a command: a resubmitted failure would run it."""
    CALLS.append(args)


SCHEDULE_FORM = {
    "name": "pwned",
    "func": "os.system",
    "args": "'touch /tmp/ledgerbridge-pwned'",
    "schedule_type": Schedule.MINUTES,
    "minutes": "1",
    "repeats": "-1",
    "next_run_0": "2026-01-01",
    "next_run_1": "00:00:00",
}


def _client(role: str) -> Client:
    if role == "superuser":
        user = User.objects.create_superuser("root", password="x")
    else:
        user = User.objects.create_user("ops", password="x", is_staff=True)
        user.groups.add(Group.objects.get(name=INTEGRATION_ADMINS))
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("role", ROLES)
def test_no_role_can_add_a_schedule(role):
    client = _client(role)
    url = reverse("admin:django_q_schedule_add")
    before = Schedule.objects.count()

    assert client.get(url).status_code == 403
    assert client.post(url, SCHEDULE_FORM).status_code == 403

    assert Schedule.objects.count() == before
    assert not Schedule.objects.filter(func="os.system").exists()


@pytest.mark.parametrize("role", ROLES)
def test_no_role_can_change_or_delete_a_schedule(role):
    client = _client(role)
    schedule = Schedule.objects.get(name="ledger-sweep")
    change = reverse("admin:django_q_schedule_change", args=[schedule.pk])
    delete = reverse("admin:django_q_schedule_delete", args=[schedule.pk])

    page = client.get(change)
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    assert client.post(change, SCHEDULE_FORM).status_code == 403
    assert client.post(delete, {"post": "yes"}).status_code == 403

    schedule.refresh_from_db()
    assert schedule.func == "integrations.tasks.sweep_ledger"


@pytest.fixture
def failure() -> Failure:
    return Failure.objects.create(
        id="a" * 32,
        name="failed-task",
        func="tests.portal.test_admin.record_call",
        args=("resubmitted",),
        started=timezone.now(),
        stopped=timezone.now(),
        success=False,
    )


@pytest.mark.parametrize("role", ROLES)
def test_the_queue_is_visible_without_actions(role, failure):
    client = _client(role)
    for model in ("schedule", "success", "failure"):
        page = client.get(reverse(f"admin:django_q_{model}_changelist"))
        assert page.status_code == 200, model
        assert 'name="action"' not in page.content.decode(), model
    page = client.get(reverse("admin:django_q_failure_change", args=[failure.pk]))
    assert page.status_code == 200
    assert "failed-task" in page.content.decode()


def test_a_failed_task_cannot_be_resubmitted(admin_user, failure):
    request = RequestFactory().get("/")
    request.user = admin_user
    assert site.get_model_admin(Failure).get_actions(request) == {}

    client = Client()
    client.force_login(admin_user)
    client.post(
        reverse("admin:django_q_failure_changelist"),
        {"action": "resubmit_task", "_selected_action": [failure.pk]},
    )

    assert Failure.objects.filter(pk=failure.pk).exists()
    assert CALLS == []


def test_roles_only_view_the_queue():
    queue_perms = Permission.objects.filter(content_type__app_label="django_q")
    admins = Group.objects.get(name=INTEGRATION_ADMINS).permissions.all()
    finance = Group.objects.get(name=FINANCE_REVIEWERS).permissions.all()

    granted = set(queue_perms.filter(pk__in=admins).values_list("codename", flat=True))
    assert granted == set(
        queue_perms.filter(codename__startswith="view_").values_list(
            "codename", flat=True
        )
    )
    assert {"view_schedule", "view_success", "view_failure"} <= granted
    assert not queue_perms.filter(pk__in=finance).exists()
