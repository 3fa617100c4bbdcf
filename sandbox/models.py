from django.db import models


class SandboxName(models.TextChoices):
    STRIPE = "stripe", "Stripe"
    SYSPRO = "syspro", "SYSPRO"


class FaultConfig(models.Model):
    """Fault-injection switches of one sandbox, shared by every process.

    Stored in the database (not in memory) because gunicorn workers, django-q2
    clusters and the test client all have to see the same switches.
    """

    sandbox = models.CharField(max_length=20, choices=SandboxName.choices, unique=True)
    settings = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "fault configuration"

    def __str__(self) -> str:
        return f"faults of {self.sandbox}"
