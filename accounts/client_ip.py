"""The client address django-axes counts failed logins against."""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def client_ip_address(request: HttpRequest) -> str | None:
    """REMOTE_ADDR, or the address the outermost trusted proxy saw.

    Each reverse proxy appends the address it received the request from to
    X-Forwarded-For, so with N trusted proxies the client is the N-th entry
    from the right; anything left of it was sent by the client and is not
    trusted. Without CLIENT_IP_PROXY_COUNT the header is ignored.
    """
    remote = request.META.get("REMOTE_ADDR")
    proxies = settings.CLIENT_IP_PROXY_COUNT
    if proxies <= 0:
        return remote
    forwarded = [
        entry.strip()
        for entry in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        if entry.strip()
    ]
    if len(forwarded) < proxies:
        return remote
    candidate = forwarded[-proxies]
    try:
        ipaddress.ip_address(candidate)
    except ValueError:
        return remote
    return candidate
