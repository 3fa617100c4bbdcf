"""Links from a dashboard figure to the admin list it counts.

Each link is a changelist URL with the admin's own filter parameters
(`integration__id__exact`, `status__exact`, a `__gte` on a date), so the list
shows exactly the rows behind the figure, and only for a person who may view
that list.
"""

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.urls import reverse
from django.utils.http import urlencode

# model label → (admin URL name, view permission)
CHANGELISTS = {
    "syncrecord": (
        "admin:integrations_syncrecord_changelist",
        "integrations.view_syncrecord",
    ),
    "webhookevent": (
        "admin:integrations_webhookevent_changelist",
        "integrations.view_webhookevent",
    ),
    "payout": (
        "admin:reconciliation_payout_changelist",
        "reconciliation.view_payout",
    ),
    "integration": (
        "admin:integrations_integration_changelist",
        "integrations.view_integration",
    ),
}


@dataclass(frozen=True)
class Figure:
    """A number as shown, and the filtered list behind it ("" if none)."""

    text: str
    url: str = ""
    css: str = ""


def since(value: datetime) -> str:
    """A datetime as the admin's date filters write it (ISO, with offset)."""
    return value.isoformat(sep=" ")


class Linker:
    """Changelist URLs for the lists this user may view."""

    def __init__(self, *, user: AbstractBaseUser | AnonymousUser) -> None:
        self._allowed = {
            model: user.has_perm(permission)
            for model, (_, permission) in CHANGELISTS.items()
        }
        self._base = {model: reverse(name) for model, (name, _) in CHANGELISTS.items()}

    def can_view(self, model: str) -> bool:
        return self._allowed[model]

    def url(self, model: str, **filters: str | int) -> str:
        if not self._allowed[model]:
            return ""
        query = urlencode({key: str(value) for key, value in filters.items()})
        return f"{self._base[model]}?{query}" if query else self._base[model]

    def figure(self, text: str, model: str, css: str = "", **filters) -> Figure:
        return Figure(text=text, url=self.url(model, **filters), css=css)
