"""One request through the portal's own WSGI entry point (portal.wsgi), in-process.

Unlike Django's test client this goes through what gunicorn serves, the
webhook intake's path below Django's request handling included.
"""

import io
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import unquote_to_bytes

from django.core import signals
from django.db import close_old_connections

from integrations import wsgi as intake_wsgi
from portal.wsgi import application


@dataclass
class Answer:
    status_code: int
    headers: dict[str, str]
    content: bytes

    def __iter__(self) -> Iterator:
        return iter((self.status_code, self.headers, self.content))


def call(path: str, body: bytes = b"", method: str = "POST", **environ) -> Answer:
    """`path` as a client sends it (percent-encoded); `environ` adds CGI names."""
    answered = {}

    def start_response(status, headers, exc_info=None):
        answered["status"] = int(status.split()[0])
        answered["headers"] = dict(headers)

    request = {
        "REQUEST_METHOD": method,
        # As a server hands it over: percent-decoded bytes read as latin-1.
        "PATH_INFO": unquote_to_bytes(path).decode("iso-8859-1"),
        "SCRIPT_NAME": "",
        "QUERY_STRING": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "testserver",
        "REMOTE_ADDR": "127.0.0.1",
        "CONTENT_TYPE": "application/json",
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": io.StringIO(),
        "wsgi.url_scheme": "http",
        "wsgi.version": (1, 0),
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        **environ,
    }
    # As Django's test client does: closing "old" connections would close the
    # test's own, which is inside the test's transaction.
    real = intake_wsgi.close_old_connections
    if real is close_old_connections:
        intake_wsgi.close_old_connections = lambda: None
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        content = b"".join(application(request, start_response))
    finally:
        intake_wsgi.close_old_connections = real
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)
    return Answer(answered["status"], answered["headers"], content)
