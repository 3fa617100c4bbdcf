from django.urls import path

from . import account_views, views

app_name = "b2b"

urlpatterns = [
    path("", views.catalog, name="catalog"),
    path("items/<str:code>/", views.item, name="item"),
    path("cart/", views.cart, name="cart"),
    path("cart/add/", views.cart_add, name="cart_add"),
    path("checkout/", views.checkout, name="checkout"),
    path("orders/", views.orders, name="orders"),
    path("orders/<int:pk>/", views.order, name="order"),
    path("orders/<int:pk>/pay/", views.order_pay, name="order_pay"),
    path("orders/<int:pk>/<str:action>/", views.order_action, name="order_action"),
    path("history/<str:number>/", views.erp_order, name="erp_order"),
    path("history/<str:number>/reorder/", views.reorder, name="reorder"),
    path("invoices/", views.invoices, name="invoices"),
    path("invoices.csv", views.invoices_csv, name="invoices_csv"),
    path("invoices/pay/", views.invoices_pay, name="invoices_pay"),
    path(
        "invoices/paid/<uuid:submission>/",
        views.invoices_paid,
        name="invoices_paid",
    ),
    path("login/", account_views.LoginView.as_view(), name="login"),
    path("logout/", account_views.logout, name="logout"),
    path(
        "invitation/<uidb64>/<token>/",
        account_views.InvitationView.as_view(),
        name="invitation",
    ),
    path(
        "password-reset/",
        account_views.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "password-reset/sent/",
        account_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "password-reset/<uidb64>/<token>/",
        account_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("two-factor/", account_views.two_factor, name="two_factor"),
    path("view-as/", account_views.view_as, name="view_as"),
    path("view-as/stop/", account_views.view_as_stop, name="view_as_stop"),
]
