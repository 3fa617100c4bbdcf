from django.urls import path

from . import views

urlpatterns = [
    path(
        "stripe/<str:integration_uuid>/",
        views.stripe_webhook,
        name="stripe-webhook",
    ),
]
