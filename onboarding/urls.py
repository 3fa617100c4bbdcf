from django.urls import path

from . import views

app_name = "onboarding"

urlpatterns = [
    path("", views.setup_index, name="index"),
    path(
        "integration/<int:integration_pk>/",
        views.setup_integration,
        name="integration",
    ),
    path("<int:pk>/stripe/", views.step_stripe, name="stripe"),
    path("<int:pk>/erp/", views.step_erp, name="erp"),
    path("<int:pk>/options/", views.step_options, name="options"),
    path("<int:pk>/go-live/", views.step_go_live, name="go_live"),
]
