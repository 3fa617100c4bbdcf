"""Token scopes and the staff roles they map to (integrations/roles.py).

A token never gives more than its owner has: a request passes when the
token's scope covers the operation *and* the owner holds the Django
permissions the admin asks for the same thing.
"""

from django.contrib.auth.models import AbstractBaseUser

from integrations.roles import INTEGRATION_ADMINS

from .models import ApiToken

Scope = ApiToken.Scope

SCOPE_RANK = {Scope.READ: 0, Scope.OPERATE: 1, Scope.ADMIN: 2}

# Any one of these makes a person an operator (roles.FINANCE_EXTRA).
OPERATE_PERMISSIONS = (
    "integrations.retry_syncrecord",
    "integrations.skip_syncrecord",
    "integrations.edit_payload_syncrecord",
    "integrations.release_syncrecord",
    "integrations.reprocess_webhookevent",
)


def scope_covers(granted: str, required: str) -> bool:
    return SCOPE_RANK[Scope(granted)] >= SCOPE_RANK[Scope(required)]


def scopes_allowed_for(*, user: AbstractBaseUser) -> list[str]:
    """The scopes this person may put on a token of their own.

    Admin scope is for Integration admins (and superusers) only: a Finance
    reviewer's token stays at operate, below connections and secrets.
    """
    if not (user.is_active and user.is_staff):
        return []
    allowed = [Scope.READ]
    if user.is_superuser or any(user.has_perm(p) for p in OPERATE_PERMISSIONS):
        allowed.append(Scope.OPERATE)
    if user.is_superuser or user.groups.filter(name=INTEGRATION_ADMINS).exists():
        allowed.append(Scope.ADMIN)
    return [str(scope) for scope in allowed]
