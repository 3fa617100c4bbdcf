from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from .models import ApiToken


class ApiTokenRateThrottle(SimpleRateThrottle):
    """Per token (per person for the browsable pages, per address without sign-in).

    Counts live in the default cache, shared by every web process.
    """

    scope = "api"

    def get_rate(self) -> str | None:
        # Read when used (DRF reads its rates once, at import).
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_cache_key(self, request, view) -> str:
        if isinstance(request.auth, ApiToken):
            ident = f"token:{request.auth.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user:{request.user.pk}"
        else:
            ident = f"addr:{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}
