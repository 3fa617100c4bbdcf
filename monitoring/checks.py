"""System checks of the alert and metrics settings (`manage.py check --deploy`)."""

from django.conf import settings
from django.core.checks import CheckMessage, Info, Tags, Warning, register

CONSOLE_BACKEND = "django.core.mail.backends.console.EmailBackend"
METRICS_TOKEN_MIN_LENGTH = 32


@register(Tags.compatibility, deploy=True)
def alert_delivery_check(app_configs, **kwargs) -> list[CheckMessage]:
    found = []
    if settings.EMAIL_BACKEND == CONSOLE_BACKEND:
        # Info, not a warning: alerts may go to chat channels only.
        found.append(
            Info(
                "EMAIL_URL is not set: alert and digest emails are written to "
                "the log instead of being sent.",
                hint="Set EMAIL_URL=smtp+tls://user:password@smtp.example.com:587 "
                "in .env (README, Alerts and operations).",
                id="monitoring.I001",
            )
        )
    token = settings.METRICS_TOKEN
    if token and len(token) < METRICS_TOKEN_MIN_LENGTH:
        found.append(
            Warning(
                f"METRICS_TOKEN is shorter than {METRICS_TOKEN_MIN_LENGTH} characters.",
                hint="python -c 'import secrets; print(secrets.token_urlsafe(32))'",
                id="monitoring.W002",
            )
        )
    return found
