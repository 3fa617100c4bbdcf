from django.apps import AppConfig


class CustomerSyncConfig(AppConfig):
    name = "customer_sync"
    verbose_name = "Customer sync (ERP → Stripe)"
