from django.apps import AppConfig


class MappingConfig(AppConfig):
    name = "mapping"
