"""dj-stripe's webhook URLs (/stripe/webhook/<djstripe_uuid>/) and a readiness
probe for the bench's server start."""

from django.http import HttpResponse
from django.urls import include, path


def ready(request):
    return HttpResponse("ok")


urlpatterns = [
    path("ready/", ready),
    path("stripe/", include("djstripe.urls", namespace="djstripe")),
]
