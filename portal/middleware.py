"""The portal's own middleware."""

from collections.abc import Callable

from csp.middleware import CSPMiddleware
from django.conf import settings
from django.http import HttpRequest, HttpResponseBase


def _excluded_prefixes(policy: dict | None) -> tuple[str, ...]:
    return tuple((policy or {}).get("EXCLUDE_URL_PREFIXES") or ())


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, with no work for the paths its settings exclude.

    django-csp builds the policy for every response and only then looks at
    EXCLUDE_URL_PREFIXES
    (https://django-csp.readthedocs.io/en/latest/configuration.html). A
    response under an excluded prefix (the webhook answers: JSON for Stripe's
    servers, never a page) is handed back before the policy is built.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]):
        super().__init__(get_response)
        # A report-only policy (none is configured) keeps every path on
        # django-csp's own way.
        report_only = getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None)
        self._skipped_prefixes = (
            () if report_only else _excluded_prefixes(settings.CONTENT_SECURITY_POLICY)
        )

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        if self._skipped_prefixes and request.path_info.startswith(
            self._skipped_prefixes
        ):
            return response
        return super().process_response(request, response)
