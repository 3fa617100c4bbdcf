import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand

from integrations.roles import INTEGRATION_ADMINS


class Command(BaseCommand):
    help = "Create (or reset) the demo superuser with a freshly generated password."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--username", default="admin")

    def handle(self, *args, username: str, **options) -> None:
        password = secrets.token_urlsafe(12)
        user, _ = get_user_model().objects.get_or_create(
            username=username, defaults={"email": f"{username}@example.com"}
        )
        user.is_staff = user.is_superuser = True
        user.set_password(password)
        user.save()
        user.groups.add(Group.objects.get(name=INTEGRATION_ADMINS))
        self.stdout.write(f"Admin user: {username}  password: {password}")
