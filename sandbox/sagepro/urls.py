from django.urls import path, re_path

from . import views

resources = "customers|salesorders|invoices|cashreceipts|creditmemos|journalentries"

urlpatterns = [
    re_path(rf"^api/v1/(?P<resource>{resources})/?$", views.collection),
    re_path(rf"^api/v1/(?P<resource>{resources})/(?P<key>[^/]+)/?$", views.detail),
    re_path(r"^api/v1/(?P<path>.*)$", views.unknown),
    path("_control", views.control),
    path("_state", views.state),
    path("_reset", views.reset),
]
