"""django-q2 tasks: take primary keys, load, call a service."""

from . import services


def sync_customers() -> dict[str, int]:
    return services.customer_sync_scheduled()
