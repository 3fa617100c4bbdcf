"""Scope and role checks of every API operation."""

from rest_framework import permissions
from rest_framework.exceptions import PermissionDenied
from rest_framework.request import Request

from .models import ApiToken
from .scopes import scope_covers


class InsufficientScope(PermissionDenied):
    default_detail = "This token's scope does not allow this operation"
    default_code = "insufficient_scope"


class ScopedPermission(permissions.BasePermission):
    """Staff only; the token's scope and the owner's permissions must both allow.

    A view names, per action, the scope it needs (`scopes`, default read for
    reads and operate for writes) and the Django permissions the admin asks
    for the same thing (`permissions`). Session users are limited by their
    permissions alone.
    """

    def has_permission(self, request: Request, view) -> bool:
        user = request.user
        if not (user and user.is_authenticated and user.is_active and user.is_staff):
            return False
        action = getattr(view, "action", None) or request.method.lower()
        token = request.auth if isinstance(request.auth, ApiToken) else None
        if token is not None:
            default = (
                "read" if request.method in permissions.SAFE_METHODS else "operate"
            )
            required = getattr(view, "scopes", {}).get(action, default)
            if not scope_covers(token.scope, required):
                raise InsufficientScope(
                    f"This operation needs a token with the {required} scope"
                )
        needed = getattr(view, "permissions", {}).get(action, ())
        return user.has_perms(needed)
