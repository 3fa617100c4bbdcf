"""`Authorization: Bearer lbk_…`: a personal API token."""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from . import services
from .models import ApiToken


class ApiTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request: Request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed("Send one token after Bearer")
        try:
            raw = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed("Unknown token") from None
        token = services.api_token_authenticate(raw=raw)
        if token is None:
            raise exceptions.AuthenticationFailed("Unknown, expired or revoked token")
        if not (token.user.is_active and token.user.is_staff):
            raise exceptions.AuthenticationFailed("The token's owner cannot sign in")
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return self.keyword


class ApiTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.ApiTokenAuthentication"
    name = "apiToken"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "description": "A personal API token (Admin → API tokens), "
            f"scopes: {', '.join(ApiToken.Scope.values)}.",
        }
