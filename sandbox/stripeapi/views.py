"""Sandbox housekeeping views: `_state`, `_reset` (and `_control` in urls)."""

from django.http import HttpRequest, JsonResponse

from sandbox.faults import bearer_required

from .selectors import sandbox_state
from .services.core import sandbox_reset

KEY_SETTING = "SANDBOX_STRIPE_API_KEY"


@bearer_required(KEY_SETTING)
def state(request: HttpRequest) -> JsonResponse:
    return JsonResponse(sandbox_state())


@bearer_required(KEY_SETTING)
def reset(request: HttpRequest) -> JsonResponse:
    """POST: wipe the sandbox; `?endpoints=true` also drops webhook endpoints."""
    if request.method != "POST":
        return JsonResponse(
            {"error": {"code": "method_not_allowed", "message": "use POST"}}, status=405
        )
    sandbox_reset(endpoints=request.GET.get("endpoints") == "true")
    return JsonResponse({"reset": True, "state": sandbox_state()})
