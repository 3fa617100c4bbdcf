"""A requests transport adapter that calls a WSGI app in-process.

Lets connectors and the official Stripe SDK (through `stripe.RequestsClient`)
talk to the sandboxes inside a test transaction, with no server thread.
"""

import io
import threading
from contextlib import contextmanager
from urllib.parse import urlsplit

import requests
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict

_quiet_lock = threading.Lock()
_quiet_depth = 0
_quiet_reconnect = False


@contextmanager
def _connections_kept_open():
    """Like Django's test Client: the request signals must not close the
    calling thread's database connection (on PostgreSQL that ends the test's
    transaction, and inside an atomic block it leaves a closed connection).

    The browser tests make in-process calls from two threads at once (the
    test and the live server): the receivers stay disconnected until the last
    of them returns, and are put back only if they were connected before.
    """
    global _quiet_depth, _quiet_reconnect
    with _quiet_lock:
        if _quiet_depth == 0:
            started = signals.request_started.disconnect(close_old_connections)
            finished = signals.request_finished.disconnect(close_old_connections)
            _quiet_reconnect = started or finished
        _quiet_depth += 1
    try:
        yield
    finally:
        with _quiet_lock:
            _quiet_depth -= 1
            if _quiet_depth == 0 and _quiet_reconnect:
                signals.request_started.connect(close_old_connections)
                signals.request_finished.connect(close_old_connections)


class WSGIAdapter(BaseAdapter):
    def __init__(self, app=None) -> None:
        super().__init__()
        self.app = app or WSGIHandler()

    def send(
        self, request, stream=False, timeout=None, verify=True, cert=None, proxies=None
    ):
        url = urlsplit(request.url)
        body = request.body or b""
        if isinstance(body, str):
            body = body.encode()
        environ = {
            "REQUEST_METHOD": request.method,
            "SCRIPT_NAME": "",
            "PATH_INFO": requests.utils.unquote(url.path),
            "QUERY_STRING": url.query,
            "SERVER_NAME": url.hostname or "testserver",
            "SERVER_PORT": str(url.port or 80),
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "127.0.0.1",
            "CONTENT_LENGTH": str(len(body)),
            "wsgi.version": (1, 0),
            "wsgi.url_scheme": url.scheme,
            "wsgi.input": io.BytesIO(body),
            "wsgi.errors": io.StringIO(),
            "wsgi.multithread": False,
            "wsgi.multiprocess": False,
            "wsgi.run_once": False,
        }
        for name, value in request.headers.items():
            key = name.upper().replace("-", "_")
            if key == "CONTENT_TYPE":
                environ["CONTENT_TYPE"] = value
            elif key != "CONTENT_LENGTH":
                environ[f"HTTP_{key}"] = value
        captured = {}

        def start_response(status, headers, exc_info=None):
            captured["status"] = status
            captured["headers"] = headers

        with _connections_kept_open():
            chunks = self.app(environ, start_response)
            try:
                content = b"".join(chunks)
            finally:
                if hasattr(chunks, "close"):
                    chunks.close()
        response = requests.Response()
        response.status_code = int(captured["status"].split(" ", 1)[0])
        response.reason = captured["status"].split(" ", 1)[1]
        response.headers = CaseInsensitiveDict(captured["headers"])
        response._content = content
        response.url = request.url
        response.request = request
        response.encoding = requests.utils.get_encoding_from_headers(response.headers)
        return response

    def close(self) -> None:
        pass


def wsgi_session(base_url: str = "http://testserver") -> requests.Session:
    session = requests.Session()
    session.mount(base_url, WSGIAdapter())
    return session
