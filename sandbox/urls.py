from django.urls import include, path

urlpatterns = [
    path("stripe/", include("sandbox.stripeapi.urls")),
    path("syspro/", include("sandbox.syspro.urls")),
]
