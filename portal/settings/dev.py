"""Development and demo settings: sandboxes mounted, debug on."""

from .base import *  # noqa: F401,F403
from .base import INSTALLED_APPS, env

DEBUG = env.bool("DJANGO_DEBUG", default=True)
SANDBOX_ENABLED = env.bool("SANDBOX_ENABLED", default=True)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["*"])

if SANDBOX_ENABLED:
    INSTALLED_APPS = [
        *INSTALLED_APPS,
        "sandbox",
        "sandbox.stripeapi",
        "sandbox.syspro",
        "sandbox.sagepro",
    ]
