"""Settings shared by every environment, read through django-environ.

Environment variables are documented in `.env.example`.
"""

from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

# No default: production settings (the default module) refuse to start
# without one; dev.py supplies a throwaway key for development only.
SECRET_KEY = env("DJANGO_SECRET_KEY", default="")
DEBUG = False
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

# Fernet keys (comma separated, newest first) that encrypt connection secrets.
FIELD_ENCRYPTION_KEYS = env.list("FIELD_ENCRYPTION_KEYS", default=[])

SANDBOX_ENABLED = env.bool("SANDBOX_ENABLED", default=False)

INSTALLED_APPS = [
    # The admin app, served by the site that asks staff for their TOTP code.
    "accounts.apps.StaffAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "drf_spectacular",
    "django_q",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "portal",
    "integrations",
    "mapping",
    "reconciliation",
    "accounts",
    "api",
    "monitoring",
    "b2b",
    "catalog_sync",
    "customer_sync",
    "console",
    "onboarding",
]

# Paths no browser visits (Stripe's webhook deliveries): the portal's
# middleware sets up no session, user, message storage or page policy for them
# (portal/middleware.py).
SESSIONLESS_URL_PREFIXES = ["/webhooks/"]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "portal.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "portal.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "portal.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "accounts.middleware.OTPRequiredMiddleware",
    "portal.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last: it turns a login refused for a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]


def _sqlite_database(path: Path) -> dict:
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(path),
        # django-q2's ORM broker calls close_old_connections() on every
        # enqueue; with a zero max age that reconnects (and re-runs the
        # PRAGMAs) in the middle of each webhook request.
        "CONN_MAX_AGE": 600,
        "OPTIONS": {
            # BEGIN IMMEDIATE takes the write lock up front, so two writers
            # wait on busy_timeout instead of failing with "database is locked"
            # when a read transaction tries to upgrade.
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": (
                "PRAGMA journal_mode=WAL;"
                "PRAGMA synchronous=NORMAL;"
                "PRAGMA busy_timeout=20000;"
            ),
        },
    }


if env("DATABASE_URL", default=""):
    DATABASES = {"default": env.db("DATABASE_URL")}
    if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
        DATABASES["default"] = _sqlite_database(Path(DATABASES["default"]["NAME"]))
    else:
        DATABASES["default"].setdefault("CONN_MAX_AGE", 60)
        DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
        # Server-side parameters with psycopg's prepared statements: a query
        # run more than prepare_threshold times on one connection is parsed
        # and planned once (the webhook INSERT, the workers' claims), and a
        # webhook body travels as a parameter instead of being quoted into the
        # SQL text. Django turns both off by default for transaction-mode
        # connection poolers (PgBouncer before 1.21, or without
        # max_prepared_statements): set DATABASE_PREPARED_STATEMENTS=false
        # behind one.
        # https://docs.djangoproject.com/en/5.2/ref/databases/#server-side-parameters-binding
        # https://www.psycopg.org/psycopg3/docs/advanced/prepare.html
        if "postgresql" in DATABASES["default"]["ENGINE"] and env.bool(
            "DATABASE_PREPARED_STATEMENTS", default=True
        ):
            DATABASES["default"]["OPTIONS"] = {
                **DATABASES["default"].get("OPTIONS", {}),
                "server_side_binding": True,
                "prepare_threshold": 5,
            }
else:
    VAR_DIR.mkdir(exist_ok=True)
    DATABASES = {"default": _sqlite_database(VAR_DIR / "ledgerbridge.sqlite3")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
FORMS_URLFIELD_ASSUME_HTTPS = True

REDIS_URL = env("REDIS_URL", default="")

if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }
else:
    # A file cache is shared by the web server and every worker process on
    # one machine, which the ERP session reuse and rate limits rely on.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

# Sessions are read from the cache (Redis at scale, the shared file cache on
# one machine) and written through to the database: each signed-in page skips
# a session query, and a cleared cache loses no session.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

Q_CLUSTER = {
    "name": "ledgerbridge",
    "workers": env.int("Q_WORKERS", default=2),
    "timeout": 120,
    "retry": 300,
    "max_attempts": 1,
    "ack_failures": True,
    # The sync ledger records every ERP operation; successful task results add
    # nothing to it, and with a positive limit django-q2's monitor re-reads and
    # locks every kept success row after each task (its single process then
    # paces the whole cluster). Failures are still kept for the admin.
    "save_limit": -1,
    "catch_up": False,
    "label": "Task queue",
}
if REDIS_URL:
    Q_CLUSTER["redis"] = REDIS_URL
else:
    Q_CLUSTER["orm"] = "default"
    Q_CLUSTER["poll"] = env.float("Q_POLL", default=0.2)

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation."
        "UserAttributeSimilarityValidator"
    },
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = env("TIME_ZONE", default="UTC")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}

# Staff sign in through the admin's login (password, then TOTP where set up).
LOGIN_URL = "admin:login"
LOGIN_REDIRECT_URL = "admin:index"

# Staff accounts
AUTHENTICATION_BACKENDS = [
    # First: refuses a locked-out login before the password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# django-axes locks a login out after this many failures of one username from
# one address, for AXES_COOLOFF_MINUTES (every failure during the lockout
# starts the wait again); a successful login clears the count. Keyed on the
# pair, so nobody can lock a staff member out of every network by guessing
# at their username; password spraying across usernames and addresses is
# what two-factor authentication is for.
# https://django-axes.readthedocs.io/en/latest/4_configuration.html
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=env.float("AXES_COOLOFF_MINUTES", default=15))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "accounts.views.lockout"
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "otp_token"]
# The client address: REMOTE_ADDR, or with this many reverse proxies in front
# (each appending to X-Forwarded-For) the address the outermost one saw. Leave
# at 0 unless a proxy you run overwrites or appends the header: otherwise a
# client could pick its own address.
AXES_CLIENT_IP_CALLABLE = "accounts.client_ip.client_ip_address"
CLIENT_IP_PROXY_COUNT = env.int("CLIENT_IP_PROXY_COUNT", default=0)
# Two-factor (TOTP) for staff: offered to every staff user on the admin's
# "Two-factor authentication" page; with OTP_REQUIRED_FOR_ADMINS (on in
# production settings) Integration admins and superusers must set it up and
# enter a code before using the portal.
OTP_REQUIRED_FOR_ADMINS = env.bool("OTP_REQUIRED_FOR_ADMINS", default=False)
OTP_TOTP_ISSUER = env("OTP_TOTP_ISSUER", default="LedgerBridge")
# Keep TOTP secrets and set-up QR codes out of the device admin pages.
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# REST API (api/): its views name their own authentication (personal tokens,
# then the staff session), scope checks and throttle; the defaults here stay
# DRF's own classes because DRF imports them while the apps are still loading.
# The rate limit is per token, counted in the shared cache.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_THROTTLE_RATES": {"api": env("API_RATE_LIMIT", default="600/min")},
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.errors.api_exception_handler",
    "DATETIME_FORMAT": "iso-8601",
    "COERCE_DECIMAL_TO_STRING": True,
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}
SPECTACULAR_SETTINGS = {
    "TITLE": "LedgerBridge API",
    "DESCRIPTION": "What staff do in the admin, for scripts: the sync ledger, "
    "webhook events, payouts and their proofs, alerts. Authenticate with "
    "`Authorization: Bearer <personal API token>`.",
    "VERSION": "1.0.0",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {
        "SyncRecordStatusEnum": "integrations.models.SyncRecord.Status",
        "WebhookEventStatusEnum": "integrations.models.WebhookEvent.Status",
        "PayloadChangeStatusEnum": "integrations.models.PayloadChange.Status",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "api.schema.add_error_responses",
    ],
}

# Webhook intake
STRIPE_WEBHOOK_TOLERANCE = env.int("STRIPE_WEBHOOK_TOLERANCE", default=300)
WEBHOOK_MAX_BODY_BYTES = env.int("WEBHOOK_MAX_BODY_BYTES", default=1024 * 1024)
WEBHOOK_REJECTED_LOG_CAP = env.int("WEBHOOK_REJECTED_LOG_CAP", default=1000)
# Refused deliveries each web process writes to the rejected log per minute;
# the rest of a storm is only counted in the log file.
WEBHOOK_REJECTED_LOG_PER_MINUTE = env.int("WEBHOOK_REJECTED_LOG_PER_MINUTE", default=60)
# A delivery's body must arrive within this many seconds of its headers.
WEBHOOK_BODY_TIMEOUT_SECONDS = env.float("WEBHOOK_BODY_TIMEOUT_SECONDS", default=10.0)
DATA_UPLOAD_MAX_MEMORY_SIZE = max(WEBHOOK_MAX_BODY_BYTES * 2, 2621440)

# Sync ledger
SYNC_MAX_ATTEMPTS = env.int("SYNC_MAX_ATTEMPTS", default=8)
SYNC_BACKOFF_BASE_SECONDS = env.float("SYNC_BACKOFF_BASE_SECONDS", default=30.0)
SYNC_BACKOFF_MAX_SECONDS = env.float("SYNC_BACKOFF_MAX_SECONDS", default=3600.0)
SYNC_LEASE_SECONDS = env.int("SYNC_LEASE_SECONDS", default=300)
SYNC_SWEEP_MINUTES = env.int("SYNC_SWEEP_MINUTES", default=1)
# Records one task runs in a chain (an event's customer → order → payment,
# or what a success unblocked) before it enqueues the rest.
SYNC_INLINE_RECORDS = env.int("SYNC_INLINE_RECORDS", default=20)
# A retry due within this many seconds is offered again by a timer in the
# worker that scheduled it, not only by the next sweep (0 = sweep only).
SYNC_RETRY_TIMER_MAX_SECONDS = env.float("SYNC_RETRY_TIMER_MAX_SECONDS", default=120.0)
# How long one ERP call may wait, in total, for the Retry-After of a rate limit
# before the record is handed back to the ledger's backoff (0 = never wait).
ERP_RATE_LIMIT_WAIT_SECONDS = env.float("ERP_RATE_LIMIT_WAIT_SECONDS", default=10.0)

# Outgoing email (alerts, the daily digest) through Django's email backends,
# configured by one URL (django-environ): smtp+tls://user:password@host:587,
# smtp+ssl://…:465, smtp://host:25, or consolemail:// to print them instead.
# https://django-environ.readthedocs.io/en/latest/types.html#environ-env-email-url
_email = env.email_url("EMAIL_URL", default="consolemail://")
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email.get("EMAIL_HOST") or "localhost"
EMAIL_PORT = _email.get("EMAIL_PORT") or 25
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER") or ""
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD") or ""
EMAIL_USE_TLS = bool(_email.get("EMAIL_USE_TLS"))
EMAIL_USE_SSL = bool(_email.get("EMAIL_USE_SSL"))
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="ledgerbridge@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)

# Alerts (monitoring/): the rules run every ALERT_EVALUATE_MINUTES; an open
# alert nobody acknowledged is sent again every ALERT_REMINDER_MINUTES (0 =
# never); a delivery that fails is retried with backoff up to
# ALERT_DELIVERY_MAX_ATTEMPTS times. The finance digest goes out once a day,
# at the first run after ALERT_DIGEST_HOUR (TIME_ZONE).
ALERT_EVALUATE_MINUTES = env.int("ALERT_EVALUATE_MINUTES", default=1)
ALERT_REMINDER_MINUTES = env.int("ALERT_REMINDER_MINUTES", default=240)
ALERT_DELIVERY_MAX_ATTEMPTS = env.int("ALERT_DELIVERY_MAX_ATTEMPTS", default=6)
ALERT_DIGEST_HOUR = env.int("ALERT_DIGEST_HOUR", default=7)
# Links in alert messages point here (https://portal.example.com); blank: none.
PORTAL_PUBLIC_URL = env("PORTAL_PUBLIC_URL", default="")

# /metrics answers only with `Authorization: Bearer <METRICS_TOKEN>`; unset,
# the endpoint does not exist (404).
METRICS_TOKEN = env("METRICS_TOKEN", default="")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"mask_secrets": {"()": "portal.logging.MaskSecretsFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["mask_secrets"],
        },
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
    },
}

# Sandboxes: credentials the built-in stand-ins accept (used only when
# SANDBOX_ENABLED; production settings never mount them).
SANDBOX_STRIPE_API_KEY = env(
    "SANDBOX_STRIPE_API_KEY", default="sk_test_ledgerbridge_sandbox"
)
SANDBOX_SYSPRO_OPERATOR = env("SANDBOX_SYSPRO_OPERATOR", default="ADMIN")
SANDBOX_SYSPRO_OPERATOR_PASSWORD = env(
    "SANDBOX_SYSPRO_OPERATOR_PASSWORD", default="sandbox-operator"
)
SANDBOX_SYSPRO_COMPANY = env("SANDBOX_SYSPRO_COMPANY", default="EDU1")
SANDBOX_SYSPRO_COMPANY_PASSWORD = env(
    "SANDBOX_SYSPRO_COMPANY_PASSWORD", default="sandbox-company"
)
SANDBOX_SYSPRO_CONTROL_KEY = env(
    "SANDBOX_SYSPRO_CONTROL_KEY", default="syspro_control_sandbox"
)
SANDBOX_SAGEPRO_API_KEY = env("SANDBOX_SAGEPRO_API_KEY", default="sagepro_sandbox_key")
# Compressed webhook retry schedule of the Stripe sandbox, in seconds.
SANDBOX_WEBHOOK_RETRY_SCHEDULE = env.list(
    "SANDBOX_WEBHOOK_RETRY_SCHEDULE", cast=float, default=[1, 5, 30, 120, 600]
)

# Outbound requests to ERPs (portal/outbound.py). Base URLs must be https
# unless ERP_ALLOW_HTTP; private, loopback, CGNAT and unique-local addresses
# are refused unless ERP_PRIVATE_HOSTS names the host (`erp01`, `.corp.lan`
# for every host under it) or a network holding its address (`10.0.4.0/24`).
# Link-local and cloud metadata addresses are refused whatever these say.
ERP_ALLOW_HTTP = env.bool("ERP_ALLOW_HTTP", default=False)
ERP_PRIVATE_HOSTS = env.list("ERP_PRIVATE_HOSTS", default=[])

# Content-Security-Policy
# No inline script or style anywhere: templates load code and CSS from static
# files (served by whitenoise). style-src needs no 'unsafe-inline' for Django
# admin: its templates carry no style attributes and only one inline <style>,
# in change_list.html, rendered when a ModelAdmin hides both action bars, which
# none here does; its scripts set element.style through the CSSOM, which CSP
# allows. https://django-csp.readthedocs.io/en/latest/configuration.html
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    },
    # Webhook answers are JSON for Stripe's servers, never a page to protect.
    "EXCLUDE_URL_PREFIXES": SESSIONLESS_URL_PREFIXES,
}
