from django.conf import settings
from django.db import models
from django.db.models import Q


class ApiToken(models.Model):
    """A personal API token: its owner's rights, narrowed to one scope.

    Only a keyed hash of the secret is kept; the token itself is shown once,
    when it is created.
    """

    class Scope(models.TextChoices):
        READ = "read", "Read"
        OPERATE = "operate", "Operate (retry, skip, edit, release …)"
        ADMIN = "admin", "Admin"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=100, help_text="What the token is for.")
    scope = models.CharField(max_length=10, choices=Scope.choices)
    prefix = models.CharField(
        max_length=16,
        unique=True,
        editable=False,
        help_text="The public start of the token, to tell tokens apart.",
    )
    digest = models.CharField(max_length=128, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "API token"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class IdempotentResponse(models.Model):
    """The first answer to a POST sent with an Idempotency-Key.

    A repeat of the key by the same person gets this answer back instead of
    running the action again. `status_code` 0 marks a request still running.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    key = models.CharField(max_length=255)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=500)
    request_digest = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField(default=0)
    body = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "key"], name="uniq_idempotency_key_per_user"
            ),
            models.CheckConstraint(
                condition=Q(status_code=0) | Q(status_code__gte=100),
                name="idempotent_response_status",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.method} {self.path} [{self.key}]"
