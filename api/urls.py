from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import APIRootView, DefaultRouter

from . import docs, errors, views
from .mapping import MappingSetViewSet
from .reconciliation import BackfillViewSet, PayoutViewSet
from .throttling import ApiTokenRateThrottle


class RootView(APIRootView):
    """The resources of the LedgerBridge API."""

    authentication_classes = views.ApiViewSet.authentication_classes
    permission_classes = views.ApiViewSet.permission_classes
    throttle_classes = views.ApiViewSet.throttle_classes


class SchemaView(SpectacularAPIView):
    throttle_classes = [ApiTokenRateThrottle]


router = DefaultRouter()
router.APIRootView = RootView
router.register("integrations", views.IntegrationViewSet, basename="integration")
router.register("events", views.WebhookEventViewSet, basename="event")
router.register("records", views.SyncRecordViewSet, basename="record")
router.register(
    "payload-changes", views.PayloadChangeViewSet, basename="payload-change"
)
router.register("payouts", PayoutViewSet, basename="payout")
router.register("alerts", views.AlertViewSet, basename="alert")
router.register("mapping-sets", MappingSetViewSet, basename="mapping-set")
router.register("backfills", BackfillViewSet, basename="backfill")

app_name = "api"

urlpatterns = [
    path("v1/", include(router.urls)),
    path("schema/", SchemaView.as_view(), name="schema"),
    path("docs/", docs.reference, name="reference"),
    re_path(r"", errors.not_found),
]
