"""Where connectors may send credentials: base URL rules, resolution, transport.

No test here resolves a name or opens a socket beyond loopback: names are
answered by a patched `socket.getaddrinfo`.
"""

import socket

import pytest
import requests
from django.core.exceptions import ValidationError as DjangoValidationError

from integrations.admin import ConnectionForm
from integrations.connectors.errors import AuthenticationError, ConnectorError
from integrations.erps.sagepro.connector import SageProConnector
from integrations.erps.syspro.connector import SysproConnector
from integrations.models import Connection, validate_base_url
from portal import outbound
from portal.outbound import GuardedHTTPAdapter, OutboundUrlRefused

from .support import scripted_session

SECRET = "op-Secret-123"


@pytest.fixture
def private_hosts(settings):
    """Start every test from an empty private allow-list."""
    settings.ERP_ALLOW_HTTP = True
    settings.ERP_PRIVATE_HOSTS = []
    return settings


@pytest.fixture
def dns(monkeypatch):
    """`socket.getaddrinfo` answering from a dict; unknown names do not resolve."""
    answers: dict[str, list[str]] = {}
    real = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):
        if host in answers:
            return [
                (socket.AF_INET6 if ":" in a else socket.AF_INET, 1, 6, "", (a, port))
                for a in answers[host]
            ]
        if host in ("127.0.0.1", "::1"):
            return real(host, port, *args, **kwargs)
        raise socket.gaierror(socket.EAI_NONAME, "Name or service not known")

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return answers


# --- base URL rules (no network) -------------------------------------------


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("https://erp:pw@erp.example.com/rest", "user:password@"),
        ("https://erp.example.com/rest?company=EDU1", "query string"),
        ("https://erp.example.com/rest?", "query string"),
        ("https://erp.example.com/rest#top", "fragment"),
        ("ftp://erp.example.com/rest", "https://"),
        ("https:///rest", "host name"),
        ("http://169.254.169.254/latest/meta-data", "metadata"),
        ("http://[fd00:ec2::254]/", "metadata"),
        ("http://100.100.100.200/", "metadata"),
        ("http://metadata.google.internal/computeMetadata/v1", "metadata"),
        ("http://[fe80::1]/rest", "link-local"),
        ("http://169.254.10.1/rest", "link-local"),
        ("http://2852039166/", "metadata"),
        ("http://0xa9.254.169.254/", "metadata"),
        ("http://[::ffff:169.254.169.254]/", "metadata"),
        ("http://0.0.0.0:8000/", "not a single server"),
        ("http://[::]/", "not a single server"),
        ("http://224.0.0.1/", "not a single server"),
        ("http://10.0.0.5/rest", "ERP_PRIVATE_HOSTS"),
        ("http://127.0.0.1:8000/sandbox", "ERP_PRIVATE_HOSTS"),
        ("http://localhost:8000/sandbox", "ERP_PRIVATE_HOSTS"),
        ("http://100.64.1.1/rest", "ERP_PRIVATE_HOSTS"),
        ("http://[fd12::1]/rest", "ERP_PRIVATE_HOSTS"),
        ("http://erp.example.com\\@evil.example/", "backslashes"),
    ],
)
def test_base_url_refused_says_what_to_fix(private_hosts, url, says):
    with pytest.raises(DjangoValidationError) as refused:
        validate_base_url(url)

    assert says in refused.value.messages[0]


def test_a_public_https_url_is_accepted(private_hosts):
    validate_base_url("https://erp.example.com:8443/SYSPROWCFService/Rest")
    validate_base_url("https://93.184.216.34/api/v1")


def test_http_needs_erp_allow_http(private_hosts):
    private_hosts.ERP_ALLOW_HTTP = False

    with pytest.raises(DjangoValidationError, match="https://"):
        validate_base_url("http://erp.example.com/rest")


def test_a_private_address_is_accepted_once_its_network_is_allow_listed(
    private_hosts,
):
    private_hosts.ERP_PRIVATE_HOSTS = ["10.0.0.0/24"]

    validate_base_url("http://10.0.0.5/rest")
    with pytest.raises(DjangoValidationError):
        validate_base_url("http://10.0.1.5/rest")


def test_link_local_and_metadata_stay_refused_when_allow_listed(private_hosts):
    private_hosts.ERP_PRIVATE_HOSTS = ["169.254.0.0/16", "fe80::/10", "0.0.0.0/0"]

    for url in ("http://169.254.169.254/", "http://[fe80::1]/", "http://[::]/"):
        with pytest.raises(DjangoValidationError):
            validate_base_url(url)


@pytest.mark.django_db
def test_the_admin_form_refuses_a_metadata_url(private_hosts):
    form = ConnectionForm(
        data={
            "name": "ERP",
            "kind": Connection.Kind.SAGEPRO,
            "base_url": "http://169.254.169.254/api/v1",
            "timeout_seconds": 30,
        }
    )

    assert not form.is_valid()
    assert "metadata" in form.errors["base_url"][0]


# --- resolution right before the request ---------------------------------


def test_a_name_resolving_to_a_metadata_address_is_refused(private_hosts, dns):
    dns["erp.example.com"] = ["169.254.169.254"]

    with pytest.raises(OutboundUrlRefused, match="metadata"):
        outbound.request_url_check("https://erp.example.com/rest")


def test_every_resolved_address_is_checked(private_hosts, dns):
    dns["erp.example.com"] = ["93.184.216.34", "10.0.0.5"]

    with pytest.raises(OutboundUrlRefused, match="10.0.0.5"):
        outbound.request_url_check("https://erp.example.com/rest")


def test_an_allow_listed_host_name_may_resolve_to_a_private_address(private_hosts, dns):
    private_hosts.ERP_PRIVATE_HOSTS = ["erp01", ".corp.lan"]
    dns["erp01"] = ["10.1.2.3"]
    dns["syspro.corp.lan"] = ["10.1.2.4"]
    dns["other"] = ["10.1.2.5"]

    outbound.request_url_check("http://erp01:20000/SYSPROWCFService/Rest")
    outbound.request_url_check("https://syspro.corp.lan/Rest")
    with pytest.raises(OutboundUrlRefused):
        outbound.request_url_check("https://other/Rest")


def test_the_transport_refuses_before_connecting(private_hosts, dns, monkeypatch):
    dns["erp.example.com"] = ["169.254.169.254"]
    connects = []
    monkeypatch.setattr(
        "urllib3.util.connection.create_connection",
        lambda *args, **kwargs: connects.append(args),
    )
    session = requests.Session()
    session.mount("https://", GuardedHTTPAdapter())

    with pytest.raises(OutboundUrlRefused):
        session.get("https://erp.example.com/rest/Logon?OperatorPassword=x", timeout=5)

    assert connects == []


def test_the_transport_checks_the_address_it_connected_to(private_hosts, dns):
    # given a name that resolved to a public address when checked and to
    # loopback when urllib3 connected (DNS rebinding)
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(5)
    port = server.getsockname()[1]
    dns["erp.example.com"] = ["93.184.216.34"]
    real_check = outbound.resolved_addresses

    def check_then_rebind(host, port):
        found = real_check(host, port)
        dns["erp.example.com"] = ["127.0.0.1"]
        return found

    session = requests.Session()
    session.mount("http://", GuardedHTTPAdapter(max_retries=0))
    try:
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(outbound, "resolved_addresses", check_then_rebind)
            # when
            with pytest.raises(OutboundUrlRefused, match="127.0.0.1"):
                session.get(
                    f"http://erp.example.com:{port}/Logon",
                    params={"OperatorPassword": SECRET},
                    timeout=5,
                )
        # then the socket was closed before a byte of the request was sent
        accepted, _ = server.accept()
        accepted.settimeout(5)
        assert accepted.recv(1024) == b""
        accepted.close()
    finally:
        server.close()
        session.close()


# --- the connectors check again at call time -----------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "forbidden",
    [
        "http://169.254.169.254/latest",
        "http://erp:pw@10.9.9.9/rest",
        "http://10.9.9.9/rest?x=1",
    ],
)
def test_a_url_changed_behind_the_form_is_refused_without_sending_secrets(
    private_hosts, forbidden
):
    syspro = Connection.objects.create(
        name="SYSPRO",
        kind=Connection.Kind.SYSPRO,
        base_url="https://erp.example.com/SYSPROWCFService/Rest",
        config={"operator": "ADMIN", "company_id": "EDU1"},
        secrets={"operator_password": SECRET, "company_password": SECRET},
    )
    sage = Connection.objects.create(
        name="Sage",
        kind=Connection.Kind.SAGEPRO,
        base_url="https://sage.example.com",
        secrets={"api_key": SECRET},
    )
    Connection.objects.filter(pk__in=[syspro.pk, sage.pk]).update(base_url=forbidden)
    session, adapter = scripted_session(lambda request: (200, "GUID-1"))
    session.mount("https://", adapter)

    with pytest.raises(ConnectorError) as syspro_refused:
        SysproConnector(Connection.objects.get(pk=syspro.pk), session=session).stock(
            "A100"
        )
    with pytest.raises(ConnectorError) as sage_refused:
        SageProConnector(Connection.objects.get(pk=sage.pk), session=session).stock(
            "A100"
        )

    assert adapter.requests == []
    for refused in (syspro_refused.value, sage_refused.value):
        assert refused.field == "base_url"
        assert "base URL" in refused.describe()
        assert SECRET not in refused.describe()


def test_redirects_are_not_followed(private_hosts):
    def handler(request):
        if "erp.test" in request.url:
            return 302, "", {"Location": "http://10.9.9.9/steal"}
        return 200, {"custno": "X"}

    session, adapter = scripted_session(handler)
    sage = SageProConnector(
        Connection(pk=1, kind="sagepro", base_url="http://erp.test", secrets={}),
        session=session,
    )
    syspro = SysproConnector(
        Connection(pk=2, kind="syspro", base_url="http://erp.test/Rest", secrets={}),
        session=session,
    )

    with pytest.raises(ConnectorError, match="302"):
        sage.stock("A100")
    with pytest.raises(ConnectorError, match="302"):
        syspro.stock("A100")

    assert all("erp.test" in request.url for request in adapter.requests)


# --- replies are not echoed into what users see ---------------------------


def _sage(handler) -> SageProConnector:
    session, _ = scripted_session(handler)
    return SageProConnector(
        Connection(pk=3, kind="sagepro", base_url="http://erp.test", secrets={}),
        session=session,
    )


@pytest.mark.parametrize(
    "reply",
    [
        (500, "<html>internal admin console, token-4242</html>"),
        (400, {"detail": "token-4242"}),
        (404, "token-4242"),
    ],
)
def test_sage_pro_does_not_echo_a_reply_outside_its_error_shape(reply):
    connector = _sage(lambda request: reply)

    with pytest.raises(ConnectorError) as failed:
        connector.stock("A100")

    assert "token-4242" not in failed.value.describe()
    assert "token-4242" not in str(failed.value.extra)
    assert f"HTTP {reply[0]}" in failed.value.describe()


def test_sage_pro_keeps_the_message_of_its_error_shape():
    connector = _sage(
        lambda request: (422, {"error": {"message": "ordate is required"}})
    )

    with pytest.raises(ConnectorError, match="ordate is required"):
        connector.stock("A100")


def _syspro(handler) -> SysproConnector:
    session, _ = scripted_session(handler)
    return SysproConnector(
        Connection(
            pk=4,
            kind="syspro",
            base_url="http://erp.test/Rest",
            config={"operator": "ADMIN", "company_id": "EDU1"},
            secrets={},
        ),
        session=session,
    )


def test_syspro_does_not_take_a_web_page_for_a_session_id():
    connector = _syspro(
        lambda request: (200, "<html><body>admin console token-4242</body></html>")
    )

    with pytest.raises(AuthenticationError) as refused:
        connector.stock("A100")

    assert "token-4242" not in refused.value.describe()
    assert "token-4242" not in str(refused.value.extra)


def test_syspro_does_not_echo_a_business_reply_that_is_not_xml():
    def handler(request):
        if "/Logon" in request.url:
            return 200, "GUID-1"
        return 200, "Diagnostics: connection string Password=token-4242"

    with pytest.raises(ConnectorError) as failed:
        _syspro(handler).stock("A100")

    assert "token-4242" not in failed.value.describe()
    assert "token-4242" not in str(failed.value.extra)


def test_syspro_keeps_its_own_logon_error_line():
    connector = _syspro(
        lambda request: (200, "ERROR: Invalid operator password\nstack token-4242")
    )

    with pytest.raises(AuthenticationError) as refused:
        connector.stock("A100")

    assert "ERROR: Invalid operator password" in refused.value.describe()
    assert "token-4242" not in refused.value.describe()
