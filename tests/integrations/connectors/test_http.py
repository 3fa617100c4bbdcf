"""The connectors' HTTP session: the environment's proxy settings, read once."""

import pytest
import requests

from integrations.connectors import http
from integrations.connectors.http import EnvironmentReadOnceSession

URLS = [
    "https://erp.internal/Rest/Query/Query?XmlIn=%3CQuery%3E",
    "https://api.stripe.com/v1/charges",
    "http://127.0.0.1:8000/sandbox/syspro/Rest/Logon",
    "https://books.corp.example/api/v1/customers",
]


@pytest.fixture
def proxied(monkeypatch):
    monkeypatch.setenv("HTTPS_PROXY", "http://proxy.example:3128")
    monkeypatch.setenv("HTTP_PROXY", "http://proxy.example:3128")
    monkeypatch.setenv("NO_PROXY", "erp.internal,.corp.example")
    monkeypatch.setenv("REQUESTS_CA_BUNDLE", "/etc/ssl/company-ca.pem")


@pytest.mark.parametrize("url", URLS)
@pytest.mark.parametrize(
    "proxies", [{}, {"no_proxy": "api.stripe.com"}, {"https": "http://own:1"}]
)
@pytest.mark.parametrize("verify", [None, True, False, "/other-ca.pem"])
def test_the_environment_is_applied_as_requests_applies_it(
    proxied, url, proxies, verify
):
    plain = requests.Session()
    ours = EnvironmentReadOnceSession()

    # asked twice: the second answer comes from what was kept
    for _ in range(2):
        assert ours.merge_environment_settings(
            url, dict(proxies), None, verify, None
        ) == plain.merge_environment_settings(url, dict(proxies), None, verify, None)


def test_the_proxies_of_a_host_are_looked_up_once(proxied, monkeypatch):
    looked_up = []
    real = http.get_environ_proxies

    def counted(url, no_proxy=None):
        looked_up.append(url)
        return real(url, no_proxy=no_proxy)

    monkeypatch.setattr(http, "get_environ_proxies", counted)
    session = EnvironmentReadOnceSession()

    for query in ("a=1", "b=2", "c=3"):
        session.merge_environment_settings(
            f"https://api.stripe.com/v1/charges?{query}", {}, None, None, None
        )
    session.merge_environment_settings(
        "https://erp.internal/Rest/Logon", {}, None, None, None
    )

    assert len(looked_up) == 2


def test_a_session_without_trust_in_the_environment_reads_none_of_it(proxied):
    session = EnvironmentReadOnceSession()
    session.trust_env = False

    merged = session.merge_environment_settings(URLS[1], {}, None, None, None)

    assert merged["proxies"] == {}
    assert merged["verify"] is True
