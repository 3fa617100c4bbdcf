"""Where the portal may send requests that carry credentials (ERP base URLs).

A connection's base URL is typed in the admin and stored in the database, and
every call to it carries an ERP password or API key. So the URL is checked
three times: by the model field validator when it is saved
(`validate_base_url`, no network), by the connector before it builds each
request (the same check, for a row edited behind the form's back), and by the
HTTP transport (`GuardedHTTPAdapter`), which resolves the host right before
the request, checks every address, and checks again the address the socket
actually connected to, so a DNS answer that changes in between (rebinding)
cannot reach a refused address either.

Rules: https only (http when ERP_ALLOW_HTTP is on); no user:password@, query
or fragment; never link-local, cloud metadata, unspecified, multicast or
reserved addresses; private, loopback, shared (CGNAT) and unique-local
addresses only when ERP_PRIVATE_HOSTS names the host or a network holding
the address, since ERPs usually live on a private network.
"""

import functools
import ipaddress
import socket
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import SplitResult, urlsplit

from django.conf import settings
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from portal.exceptions import ApplicationError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

# Instance metadata services hand out cloud credentials to whoever asks from
# inside the instance: AWS/Azure/GCP/OpenStack 169.254.169.254, AWS IPv6
# fd00:ec2::254, Alibaba 100.100.100.200, Oracle 192.0.0.192.
METADATA_ADDRESSES = frozenset(
    ipaddress.ip_address(address)
    for address in (
        "169.254.169.254",
        "169.254.170.2",
        "fd00:ec2::254",
        "100.100.100.200",
        "192.0.0.192",
    )
)
METADATA_HOSTS = frozenset(
    {
        "metadata",
        "metadata.google.internal",
        "metadata.goog",
        "instance-data",
        "instance-data.ec2.internal",
    }
)
ALLOW_LIST_HINT = (
    "If the ERP server lives on your private network, add its host name or "
    "network (e.g. 10.0.0.0/24) to ERP_PRIVATE_HOSTS."
)


class OutboundUrlRefused(ApplicationError):
    """A base URL or address the portal will not send credentials to.

    Not an OSError, so urllib3 neither retries it nor hides it in a
    connection error: it reaches the connector as it is.
    """


@dataclass(frozen=True)
class PrivateAllowList:
    hosts: frozenset[str]
    networks: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]

    def allows(self, host: str, address: IPAddress) -> bool:
        name = _host_name(host)
        if name in self.hosts or any(
            name.endswith(entry) for entry in self.hosts if entry.startswith(".")
        ):
            return True
        return any(address in network for network in self.networks)


def private_allow_list(entries: Iterable[str] | None = None) -> PrivateAllowList:
    """ERP_PRIVATE_HOSTS parsed: CIDRs and addresses, host names, `.suffix`es."""
    if entries is None:
        entries = getattr(settings, "ERP_PRIVATE_HOSTS", [])
    return _allow_list_parsed(tuple(entries))


@functools.lru_cache(maxsize=16)
def _allow_list_parsed(entries: tuple[str, ...]) -> PrivateAllowList:
    """Parsed once per value: every outbound request checks its target."""
    hosts: set[str] = set()
    networks = []
    for entry in entries:
        entry = entry.strip()
        if not entry:
            continue
        try:
            networks.append(ipaddress.ip_network(entry.strip("[]"), strict=False))
        except ValueError:
            hosts.add(_host_name(entry))
    return PrivateAllowList(frozenset(hosts), tuple(networks))


def _host_name(host: str) -> str:
    return host.strip().strip("[]").rstrip(".").lower()


NAT64_PREFIX = ipaddress.ip_network("64:ff9b::/96")
THIS_NETWORK = ipaddress.ip_network("0.0.0.0/8")


def _unmapped(address: IPAddress) -> IPAddress:
    """The IPv4 address an IPv6 one carries (mapped, NAT64, 6to4), else itself."""
    if isinstance(address, ipaddress.IPv4Address):
        return address
    if address.ipv4_mapped:
        return address.ipv4_mapped
    if address in NAT64_PREFIX:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    if address.sixtofour:
        return address.sixtofour
    return address


def address_check(
    host: str, address: IPAddress, *, allow_list: PrivateAllowList | None = None
) -> None:
    """Refuse `address` (one that `host` resolves to) as a request target."""
    address = _unmapped(address)
    shown = host if _host_name(host) == str(address) else f"{host} ({address})"
    if address in METADATA_ADDRESSES:
        raise OutboundUrlRefused(
            f"{shown} is a cloud metadata service address; "
            "enter the ERP server's own address."
        )
    if address.is_link_local:
        raise OutboundUrlRefused(
            f"{shown} is a link-local address; enter the ERP server's "
            "routable address or host name."
        )
    if (
        address.is_unspecified
        or address.is_multicast
        or (
            isinstance(address, ipaddress.IPv4Address)
            and (address.is_reserved or address in THIS_NETWORK)
        )
    ):
        raise OutboundUrlRefused(
            f"{shown} is not a single server's address; enter the ERP server's address."
        )
    if address.is_global and not address.is_loopback:
        return
    if allow_list is None:
        allow_list = private_allow_list()
    if not allow_list.allows(host, address):
        raise OutboundUrlRefused(
            f"{shown} is a private or loopback address. {ALLOW_LIST_HINT}"
        )


def _literal_address(host: str) -> IPAddress | None:
    """The address a host written as an IP literal stands for, in any spelling.

    `2852039166` and `0xa9.254.169.254` are what the C resolver reads as
    169.254.169.254: treat them as that address, not as names.
    """
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    if not host or not all(c in "0123456789abcdefx." for c in host):
        return None
    try:
        return ipaddress.IPv4Address(socket.inet_aton(host))
    except OSError:
        return None


def base_url_check(value: str) -> SplitResult:
    """Check a base URL without the network; the URL's parts if it is fine."""
    if any(c.isspace() or ord(c) < 32 or c == "\\" for c in value):
        raise OutboundUrlRefused(
            "The URL contains spaces, control characters or backslashes; remove them."
        )
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError as exc:
        raise OutboundUrlRefused(f"The URL is not valid ({exc}); correct it.") from None
    schemes = (
        ("https", "http") if getattr(settings, "ERP_ALLOW_HTTP", False) else ("https",)
    )
    if parts.scheme.lower() not in schemes:
        raise OutboundUrlRefused(
            "Enter an https:// URL."
            if schemes == ("https",)
            else "Enter an http:// or https:// URL."
        )
    if "@" in parts.netloc:
        raise OutboundUrlRefused(
            "Remove the user name and password (user:password@) from the URL; "
            "credentials go in the connection's secret fields."
        )
    if parts.query or "?" in value:
        raise OutboundUrlRefused(
            "Remove the query string (?…) from the URL: enter the API root only."
        )
    if parts.fragment or "#" in value:
        raise OutboundUrlRefused("Remove the fragment (#…) from the URL.")
    host = _host_name(parts.hostname or "")
    if not host:
        raise OutboundUrlRefused("Enter a URL with a host name, e.g. https://erp01/.")
    if port == 0:
        raise OutboundUrlRefused("Enter a port between 1 and 65535, or none.")
    if host in METADATA_HOSTS:
        raise OutboundUrlRefused(
            f"{host} is a cloud metadata service; enter the ERP server's address."
        )
    address = _literal_address(host)
    if address is None and (host == "localhost" or host.endswith(".localhost")):
        address = ipaddress.ip_address("127.0.0.1")
    if address is not None:
        address_check(host, address)
    return parts


def resolved_addresses(host: str, port: int) -> list[IPAddress]:
    """Every address `host` resolves to now, as the transport will resolve it."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [ipaddress.ip_address(info[4][0].split("%", 1)[0]) for info in infos]


def request_url_check(url: str) -> None:
    """The base URL rules plus every address the host resolves to right now.

    A name that does not resolve is left to the connection attempt, which
    fails, or which `GuardedHTTPAdapter` checks when it connects.
    """
    parts = base_url_check(url)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme.lower() == "https" else 80)
    try:
        addresses = resolved_addresses(host, port)
    except (socket.gaierror, UnicodeError):
        return
    allow_list = private_allow_list()
    for address in addresses:
        address_check(host, address, allow_list=allow_list)


def connected_peer_check(connection: HTTPConnection, sock: socket.socket) -> None:
    """Refuse a socket connected to a refused address, before a byte is sent."""
    peer = sock.getpeername()[0]
    try:
        address_check(connection.host, ipaddress.ip_address(str(peer).split("%", 1)[0]))
    except OutboundUrlRefused:
        sock.close()
        raise


class _CheckedHTTPConnection(HTTPConnection):
    def _new_conn(self) -> socket.socket:
        sock = super()._new_conn()
        connected_peer_check(self, sock)
        return sock


class _CheckedHTTPSConnection(HTTPSConnection):
    def _new_conn(self) -> socket.socket:
        sock = super()._new_conn()
        connected_peer_check(self, sock)
        return sock


class _CheckedHTTPConnectionPool(HTTPConnectionPool):
    ConnectionCls = _CheckedHTTPConnection


class _CheckedHTTPSConnectionPool(HTTPSConnectionPool):
    ConnectionCls = _CheckedHTTPSConnection


class GuardedHTTPAdapter(HTTPAdapter):
    """A requests adapter that sends only to addresses the rules above allow.

    Through a proxy the socket's peer is the proxy, so only the resolution
    check of the target applies there.
    """

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {
            "http": _CheckedHTTPConnectionPool,
            "https": _CheckedHTTPSConnectionPool,
        }

    def send(self, request, *args: Any, **kwargs: Any):
        request_url_check(_without_query(request.url or ""))
        return super().send(request, *args, **kwargs)


def _without_query(url: str) -> str:
    """A request URL checked as a base URL: its own query is the caller's."""
    return url.split("?", 1)[0].split("#", 1)[0]
