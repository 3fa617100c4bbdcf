from django.apps import AppConfig


class SysproConfig(AppConfig):
    name = "sandbox.syspro"
    label = "sandbox_syspro"
