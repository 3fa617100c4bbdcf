"""Test settings: fast hashing, sandboxes on, django-q2 runs tasks inline."""

from .dev import *  # noqa: F401,F403
from .dev import Q_CLUSTER, REDIS_URL

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
FIELD_ENCRYPTION_KEYS = ["7IH0LHUe0Hb5X2OF8SmK9C3Hw7lHIXFAq-mzwpE_sQ8="]
Q_CLUSTER = {**Q_CLUSTER, "sync": True}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
SYNC_BACKOFF_BASE_SECONDS = 1.0
# Tests run tasks inline: no timers firing later, no sleeping on rate limits
# (the tests of each switch it on).
SYNC_RETRY_TIMER_MAX_SECONDS = 0.0
ERP_RATE_LIMIT_WAIT_SECONDS = 0.0
if not REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
