"""WSGI entry point for the benchmarks: the portal, plus a bare WSGI ceiling.

`/ceiling/` answers 200 below Django (no middleware, no database): the most
the server, its workers and the load generator can do on this machine.
`/ceiling/django/` (bench.urls) answers through Django's full middleware
stack with no database work. Everything else is the portal itself.
"""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

from django.core.wsgi import get_wsgi_application  # noqa: E402

django_application = get_wsgi_application()
_BODY = b'{"received": true}'


def application(environ, start_response):
    if environ.get("PATH_INFO") == "/ceiling/":
        length = int(environ.get("CONTENT_LENGTH") or 0)
        if length:
            environ["wsgi.input"].read(length)
        start_response(
            "200 OK",
            [("Content-Type", "application/json"), ("Content-Length", str(len(_BODY)))],
        )
        return [_BODY]
    return django_application(environ, start_response)
