from django.urls import path

from . import views

app_name = "reconciliation"

urlpatterns = [
    path("payouts/<int:pk>/proof/", views.payout_proof, name="payout_proof"),
    path(
        "payouts/<int:pk>/proof/refresh/",
        views.payout_proof_refresh,
        name="payout_proof_refresh",
    ),
    path("payouts/<int:pk>/proof.csv", views.payout_proof_csv, name="payout_proof_csv"),
]
