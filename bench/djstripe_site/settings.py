"""Settings of the dj-stripe peer: `django-admin startproject` defaults plus
dj-stripe, on the same PostgreSQL server and with the same persistent
connections as the portal's bench stack."""

import os

import stripe

SECRET_KEY = os.environ["DJSTRIPE_SITE_SECRET_KEY"]
DEBUG = False
ALLOWED_HOSTS = ["*"]
USE_TZ = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "djstripe",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]
ROOT_URLCONF = "djstripe_site.urls"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]
STATIC_URL = "static/"

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": os.environ["DJSTRIPE_SITE_DB_NAME"],
        "USER": os.environ.get("DJSTRIPE_SITE_DB_USER", "postgres"),
        "HOST": os.environ.get("DJSTRIPE_SITE_DB_HOST", "127.0.0.1"),
        "PORT": os.environ.get("DJSTRIPE_SITE_DB_PORT", "5432"),
        # The portal's PostgreSQL settings (portal.settings.base), so both
        # sides pay the same for connections.
        "CONN_MAX_AGE": 60,
        "CONN_HEALTH_CHECKS": True,
    }
}
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

# dj-stripe checks the key's shape (sk_test_ + 24 or more letters and digits).
STRIPE_LIVE_MODE = False
STRIPE_TEST_SECRET_KEY = "sk_test_LedgerBridgeBenchLoopbackOnly01"
DJSTRIPE_FOREIGN_KEY_TO_FIELD = "id"
DJSTRIPE_USE_NATIVE_JSONFIELD = True
# "processing": dj-stripe's default, the event is synced in the request (it
# retrieves the object from the Stripe API). "deferred": the documented hook
# for handing processing to a task queue; here it hands it to nobody.
if os.environ.get("DJSTRIPE_SITE_MODE", "processing") == "deferred":
    DJSTRIPE_WEBHOOK_EVENT_CALLBACK = "djstripe_site.hooks.webhook_event_defer"

# Every Stripe API call goes to the bench's loopback stub, never to Stripe.
stripe.api_base = os.environ["DJSTRIPE_SITE_STRIPE_API_BASE"]
