from django.conf import settings
from django.core.checks import Error, register


@register()
def encryption_keys_check(app_configs, **kwargs) -> list[Error]:
    if settings.FIELD_ENCRYPTION_KEYS:
        return []
    return [
        Error(
            "FIELD_ENCRYPTION_KEYS is not set; connection secrets cannot be stored.",
            hint="Generate a key with `python -c 'from cryptography.fernet import "
            "Fernet; print(Fernet.generate_key().decode())'` and put it in .env.",
            id="integrations.E001",
        )
    ]
