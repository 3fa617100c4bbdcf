from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from accounts.services import totp_devices_reset


class Command(BaseCommand):
    help = (
        "Remove a staff user's TOTP devices (a lost phone): they set up a new "
        "authenticator app at their next login. To lift a login lockout, use "
        "django-axes' axes_reset_username."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("username")
        parser.add_argument("--reason", default="reset by an administrator")

    def handle(self, *args, username: str, reason: str, **options) -> None:
        user_model = get_user_model()
        try:
            user = user_model.objects.get(**{user_model.USERNAME_FIELD: username})
        except user_model.DoesNotExist as error:
            raise CommandError(f"No user named {username!r}.") from error
        count = totp_devices_reset(user=user, actor=None, reason=reason)
        if count:
            self.stdout.write(f"Removed {count} TOTP device(s) of {username}.")
        else:
            self.stdout.write(f"{username} has no TOTP device.")
