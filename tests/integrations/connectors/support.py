"""Scripted HTTP for connector unit tests: a requests adapter calling a handler.

The handler gets the `requests.PreparedRequest` and returns `(status, body)`,
`(status, body, headers)` or raises a `requests` exception, which is how a
test plays an ERP reply, a timeout or a refused connection without a socket.
"""

import json
from collections.abc import Callable
from urllib.parse import parse_qsl, urlsplit

import requests
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict

Handler = Callable[[requests.PreparedRequest], tuple]


class ScriptedAdapter(BaseAdapter):
    def __init__(self, handler: Handler) -> None:
        super().__init__()
        self.handler = handler
        self.requests: list[requests.PreparedRequest] = []

    def send(self, request, stream=False, timeout=None, **kwargs):
        assert timeout, "every call must carry a timeout"
        self.requests.append(request)
        reply = self.handler(request)
        status, body, *rest = reply
        headers = rest[0] if rest else {}
        if isinstance(body, dict | list):
            body = json.dumps(body)
            headers = {"Content-Type": "application/json", **headers}
        response = requests.Response()
        response.status_code = status
        response.reason = "scripted"
        response.headers = CaseInsensitiveDict(headers)
        response._content = body.encode() if isinstance(body, str) else body
        response.url = request.url
        response.request = request
        response.encoding = "utf-8"
        return response

    def close(self) -> None:
        pass


def scripted_session(handler: Handler) -> tuple[requests.Session, ScriptedAdapter]:
    session = requests.Session()
    adapter = ScriptedAdapter(handler)
    session.mount("http://", adapter)
    return session, adapter


def path_of(request: requests.PreparedRequest) -> str:
    return urlsplit(request.url).path


def query_of(request: requests.PreparedRequest) -> list[tuple[str, str]]:
    return parse_qsl(urlsplit(request.url).query, keep_blank_values=True)
