"""Development and demo settings: sandboxes mounted, debug on.

Opt in explicitly (`DJANGO_SETTINGS_MODULE=portal.settings.dev`, as `make
demo` does): without a settings module the portal runs production settings.
"""

from .base import *  # noqa: F401,F403
from .base import (
    CONTENT_SECURITY_POLICY,
    ERP_PRIVATE_HOSTS,
    INSTALLED_APPS,
    SESSIONLESS_URL_PREFIXES,
    env,
)

SECRET_KEY = env("DJANGO_SECRET_KEY", default="dev-insecure-change-me")
DEBUG = env.bool("DJANGO_DEBUG", default=True)
SANDBOX_ENABLED = env.bool("SANDBOX_ENABLED", default=True)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])

if SANDBOX_ENABLED:
    INSTALLED_APPS = [
        *INSTALLED_APPS,
        "sandbox",
        "sandbox.stripeapi",
        "sandbox.syspro",
    ]

# The sandboxes' APIs answer programs, never a browser: no session, user or
# message storage for them either (portal/middleware.py).
if SANDBOX_ENABLED:
    SESSIONLESS_URL_PREFIXES = [
        *SESSIONLESS_URL_PREFIXES,
        "/sandbox/stripe/v1/",
        "/sandbox/syspro/SYSPROWCFService/",
    ]
    CONTENT_SECURITY_POLICY = {
        **CONTENT_SECURITY_POLICY,
        "EXCLUDE_URL_PREFIXES": SESSIONLESS_URL_PREFIXES,
    }

# The sandboxes are mounted on this server, typically at http://127.0.0.1:8000.
ERP_ALLOW_HTTP = env.bool("ERP_ALLOW_HTTP", default=True)
if SANDBOX_ENABLED:
    ERP_PRIVATE_HOSTS = [*ERP_PRIVATE_HOSTS, "localhost", "127.0.0.0/8", "::1"]
