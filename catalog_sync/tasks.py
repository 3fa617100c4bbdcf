"""django-q2 tasks: take primary keys, load, call a service."""

from . import services


def sync_catalogs() -> dict[str, int]:
    return services.catalog_sync_scheduled()
