"""The portal's own middleware: Django's and django-csp's, with no work on the
paths no browser visits.

SESSIONLESS_URL_PREFIXES (settings) lists them: Stripe's webhook deliveries
carry no session cookie, have no user and render no page, so the session,
the user, the message storage and the page policy are not set up for them.
Everything else (SecurityMiddleware's redirect and headers, CommonMiddleware,
the CSRF check, clickjacking protection) applies to them as to any request.
"""

from collections.abc import Callable

from csp.middleware import CSPMiddleware
from django.conf import settings
from django.contrib.auth import middleware as auth
from django.contrib.messages import middleware as messages
from django.contrib.sessions import middleware as sessions
from django.http import HttpRequest, HttpResponseBase

GetResponse = Callable[[HttpRequest], HttpResponseBase]


class _SkipsSessionlessPaths:
    """Mixed into a MiddlewareMixin: no work on SESSIONLESS_URL_PREFIXES."""

    def __init__(self, get_response: GetResponse) -> None:
        super().__init__(get_response)
        self._skipped = tuple(settings.SESSIONLESS_URL_PREFIXES)

    def process_request(self, request: HttpRequest) -> None:
        if not request.path_info.startswith(self._skipped):
            super().process_request(request)

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        parent = getattr(super(), "process_response", None)
        if parent is None or request.path_info.startswith(self._skipped):
            return response
        return parent(request, response)


class SessionMiddleware(_SkipsSessionlessPaths, sessions.SessionMiddleware):
    """Django's, with no session on SESSIONLESS_URL_PREFIXES."""


class AuthenticationMiddleware(_SkipsSessionlessPaths, auth.AuthenticationMiddleware):
    """Django's, with no request.user on SESSIONLESS_URL_PREFIXES."""


class MessageMiddleware(_SkipsSessionlessPaths, messages.MessageMiddleware):
    """Django's, with no message storage on SESSIONLESS_URL_PREFIXES."""


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's, with no work for the paths its settings exclude.

    django-csp builds the policy for every response and only then looks at
    EXCLUDE_URL_PREFIXES
    (https://django-csp.readthedocs.io/en/latest/configuration.html). A
    response under an excluded prefix is handed back before the policy is
    built.
    """

    def __init__(self, get_response: GetResponse) -> None:
        super().__init__(get_response)
        # A report-only policy (none is configured) keeps every path on
        # django-csp's own way.
        report_only = getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None)
        policy = settings.CONTENT_SECURITY_POLICY or {}
        self._skipped = (
            () if report_only else tuple(policy.get("EXCLUDE_URL_PREFIXES") or ())
        )

    def process_response(
        self, request: HttpRequest, response: HttpResponseBase
    ) -> HttpResponseBase:
        if self._skipped and request.path_info.startswith(self._skipped):
            return response
        return super().process_response(request, response)
