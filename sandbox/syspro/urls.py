from django.urls import path

from . import views

rest = "SYSPROWCFService/Rest"

urlpatterns = [
    path(f"{rest}/Logon", views.logon),
    path(f"{rest}/Logoff", views.logoff),
    path(f"{rest}/GetLogonProfile", views.logon_profile),
    path(f"{rest}/Transaction/Post", views.transaction_post),
    path(f"{rest}/Query/Query", views.query),
    path(f"{rest}/Setup/Add", views.setup_add),
    path(f"{rest}/Setup/Update", views.setup_update),
    path("_control", views.control),
    path("_state", views.state),
    path("_reset", views.reset),
]
