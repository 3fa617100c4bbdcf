"""The portal's URLs plus a trivial Django endpoint used as the ceiling."""

from django.http import HttpRequest, JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from portal.urls import urlpatterns as portal_urlpatterns


@csrf_exempt
def ceiling(request: HttpRequest) -> JsonResponse:
    """Read the body and answer like the intake does, with no database work."""
    body = request.body
    return JsonResponse({"received": True, "bytes": len(body)})


urlpatterns = [
    path("ceiling/django/", ceiling, name="bench-ceiling"),
    *portal_urlpatterns,
]
