from django.apps import AppConfig


class SageproConfig(AppConfig):
    name = "sandbox.sagepro"
    label = "sandbox_sagepro"
