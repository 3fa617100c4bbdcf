"""Serving the WSGI app: gunicorn on Linux, cheroot or waitress on Windows.

One process per data folder (the journal and the VFP locks assume it), with
threads for concurrent reads; writes are serialised inside the agent.
TLS is required unless the agent listens on loopback only: gunicorn and
cheroot terminate it themselves; waitress does not, so with waitress the
agent must stay on loopback behind a TLS proxy (IIS, nginx). `wsgiref` (the
standard library's server) is for tests and a local demo: loopback only.
"""

from __future__ import annotations

import ipaddress
import socket
import ssl
import sys
from collections.abc import Callable
from importlib.util import find_spec
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

SERVERS = ("auto", "gunicorn", "cheroot", "waitress", "wsgiref")


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def pick_server(choice: str) -> str:
    if choice != "auto":
        if choice != "wsgiref" and find_spec(choice) is None:
            raise SystemExit(f"--server {choice}: the package is not installed")
        return choice
    if sys.platform != "win32" and find_spec("gunicorn"):
        return "gunicorn"
    for name in ("cheroot", "waitress"):
        if find_spec(name):
            return name
    raise SystemExit(
        "no production WSGI server installed: pip install gunicorn (Linux) or "
        "cheroot (Windows), or give --server wsgiref for a loopback test run"
    )


def check_binding(*, host: str, server: str, cert: str | None) -> None:
    loopback = is_loopback(host)
    if not loopback and not cert:
        raise SystemExit(
            f"refusing to serve on {host} without TLS: give --cert and --key "
            "(plain HTTP is for loopback only)"
        )
    if not loopback and server in ("waitress", "wsgiref"):
        raise SystemExit(
            f"--server {server} may only listen on loopback "
            "(put a TLS proxy in front, or use gunicorn or cheroot)"
        )


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        sys.stderr.write(f"{self.address_string()} - {format % args}\n")


def serve(
    app_factory: Callable[[], Callable[..., Any]],
    *,
    host: str,
    port: int,
    server: str,
    cert: str | None,
    key: str | None,
    threads: int,
    ready: Callable[[str], None] = lambda url: None,
) -> None:
    """Serve until stopped. gunicorn builds the app in its worker process."""
    scheme = "https" if cert else "http"
    if server == "gunicorn":
        _serve_gunicorn(app_factory, host, port, cert, key, threads)
        return
    app = app_factory()
    if server == "cheroot":  # pragma: no cover - not installed here
        from cheroot import wsgi  # noqa: PLC0415 - optional server
        from cheroot.ssl.builtin import BuiltinSSLAdapter  # noqa: PLC0415

        httpd = wsgi.Server((host, port), app, numthreads=threads)
        if cert:
            httpd.ssl_adapter = BuiltinSSLAdapter(cert, key)
        ready(f"{scheme}://{host}:{port}")
        httpd.safe_start()
    elif server == "waitress":  # pragma: no cover - not installed here
        import waitress  # noqa: PLC0415 - optional server

        ready(f"http://{host}:{port}")
        waitress.serve(app, host=host, port=port, threads=threads)
    else:
        httpd = make_server(
            host, port, app, server_class=_ThreadingServer, handler_class=_QuietHandler
        )
        if cert:
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            context.minimum_version = ssl.TLSVersion.TLSv1_2
            context.load_cert_chain(cert, key)
            httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
        ready(f"{scheme}://{host}:{httpd.server_port}")
        httpd.serve_forever()


def _serve_gunicorn(
    app_factory: Callable[[], Callable[..., Any]],
    host: str,
    port: int,
    cert: str | None,
    key: str | None,
    threads: int,
) -> None:
    from gunicorn.app.base import BaseApplication  # noqa: PLC0415 - POSIX only

    class AgentServer(BaseApplication):
        def load_config(self) -> None:
            bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
            settings = {
                "bind": bind,
                # One process: the journal and the table locks assume it.
                "workers": 1,
                "worker_class": "gthread",
                "threads": threads,
                "timeout": 60,
                "accesslog": "-",
                "certfile": cert,
                "keyfile": key,
            }
            for name, value in settings.items():
                if value is not None:
                    self.cfg.set(name, value)

        def load(self) -> Callable[..., Any]:
            return app_factory()

    AgentServer().run()


def free_port(host: str = "127.0.0.1") -> int:
    with socket.socket() as probe:
        probe.bind((host, 0))
        return probe.getsockname()[1]
