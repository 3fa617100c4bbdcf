from django.conf import settings
from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/setup/", include("onboarding.urls")),
    path("admin/", admin.site.urls),
    path("webhooks/", include("integrations.urls")),
    path("reconciliation/", include("reconciliation.urls")),
    path("api/", include("api.urls")),
    path("portal/", include("b2b.urls")),
    path("", include("monitoring.urls")),
]

if settings.SANDBOX_ENABLED:
    urlpatterns.append(path("sandbox/", include("sandbox.urls")))
