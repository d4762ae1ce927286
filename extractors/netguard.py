"""Where the fetcher may connect: public addresses only, unless the operator says otherwise.

Feed and article URLs come from outlets, feeds, sitemaps, GDELT and redirects, that is
from strangers. A URL like ``http://169.254.169.254/latest/meta-data/`` (the cloud
metadata service), ``http://localhost:5432/`` or a public name whose DNS answer is
``10.0.0.7`` must never be fetched by a pipeline running inside a private network
(server-side request forgery). So:

* only ``http`` and ``https`` URLs are fetched (also after a redirect);
* the host is resolved and **every** address it resolves to is checked: loopback,
  private (RFC 1918), shared (100.64/10), link-local (169.254/16, fe80::/10), unique-local
  (fc00::/7), multicast, reserved and documentation ranges, the unspecified address and
  known cloud-metadata endpoints are refused; IPv4 addresses embedded in IPv6
  (``::ffff:a.b.c.d``, 6to4, NAT64, Teredo) are checked as the IPv4 address they carry;
* the connection is then made to the **checked address** (:class:`GuardedBackend` is
  httpx's network backend), never by resolving the name a second time, so a DNS
  answer that changes between the check and the connect (DNS rebinding) cannot slip
  through. TLS still verifies the certificate against the host name.

The fetcher checks every hop of a redirect chain the same way: each hop is a new
request, each new connection goes through the backend.

Exceptions are explicit: :class:`AddressPolicy` takes host names (optionally with a
port: ``127.0.0.1:8765``) whose addresses are not checked, and networks
(``127.0.0.0/8``) whose addresses are allowed. The demo and the tests allow 127.0.0.1,
where their fixture server lives.

Residual risks, honestly: the system resolver is used (``getaddrinfo``), so its
timeout, not ours, bounds a lookup; an HTTP proxy would see the real destination, so
the fetcher never uses the environment's proxy settings; an allowed *host name* is
trusted with whatever it resolves to (allow an address or a network to pin it).
"""

from __future__ import annotations

import ipaddress
import socket
import threading
import time
from dataclasses import dataclass
from typing import Iterable

import httpcore

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

#: Instance metadata services of the big clouds (most are link-local or private anyway;
#: Oracle's 192.0.0.192 counts as global for Python's ``ipaddress``).
METADATA_ADDRESSES = frozenset(
    ipaddress.ip_address(a)
    for a in (
        "169.254.169.254",  # AWS, GCP, Azure, OpenStack, DigitalOcean...
        "169.254.170.2",  # AWS ECS task metadata
        "169.254.170.23",  # AWS EKS pod identity
        "fd00:ec2::254",  # AWS IMDS over IPv6
        "fd00:ec2::23",  # AWS EKS pod identity over IPv6
        "100.100.100.200",  # Alibaba Cloud
        "192.0.0.192",  # Oracle Cloud
        "169.254.0.23",  # Tencent Cloud
    )
)
#: Names of metadata services, refused without even resolving them.
METADATA_HOSTS = frozenset(
    {
        "metadata.google.internal",
        "metadata.goog",
        "metadata",
        "instance-data",
        "instance-data.ec2.internal",
        "metadata.tencentyun.com",
        "metadata.azure.internal",
    }
)
_UNIQUE_LOCAL = ipaddress.ip_network("fc00::/7")
_NAT64 = ipaddress.ip_network("64:ff9b::/96")
_SHARED = ipaddress.ip_network("100.64.0.0/10")
_RFC1918 = tuple(ipaddress.ip_network(n) for n in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"))


class BlockedAddress(Exception):
    """A URL whose host is, or resolves to, an address the policy refuses."""


def address_problem(address: IPAddress) -> str | None:
    """Why ``address`` must not be contacted (a short category), or None if it may be."""
    if isinstance(address, ipaddress.IPv6Address):
        embedded = address.ipv4_mapped or address.sixtofour
        if embedded is None and address in _NAT64:
            embedded = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if embedded is not None:
            problem = address_problem(embedded)
            return f"{problem} (embedded {embedded})" if problem else None
        if address.teredo is not None:
            server, client = address.teredo
            for part in (client, server):
                if problem := address_problem(part):
                    return f"{problem} (Teredo {part})"
    if address in METADATA_ADDRESSES:
        return "cloud metadata"
    if address.is_loopback:
        return "loopback"
    if address.is_unspecified:
        return "unspecified"
    if address.is_link_local:
        return "link-local"
    if address.is_multicast:
        return "multicast"
    if isinstance(address, ipaddress.IPv6Address) and address in _UNIQUE_LOCAL:
        return "unique-local"
    if isinstance(address, ipaddress.IPv4Address) and any(address in n for n in _RFC1918):
        return "private"
    if isinstance(address, ipaddress.IPv4Address) and address in _SHARED:
        return "shared (carrier-grade NAT)"
    if address.is_reserved or address.is_private or not address.is_global:
        return "reserved"
    return None


def _host_key(host: str) -> str:
    host = host.strip().lower().rstrip(".")
    if host.startswith("[") and host.endswith("]"):
        host = host[1:-1]
    return host


def _split_entry(entry: str) -> tuple[str, int | None]:
    """``host``, ``host:port``, ``[v6]:port`` or a bare IPv6 literal."""
    entry = entry.strip()
    if entry.startswith("["):
        host, _, rest = entry[1:].partition("]")
        return _host_key(host), int(rest[1:]) if rest.startswith(":") else None
    if entry.count(":") == 1:
        host, port = entry.split(":")
        return _host_key(host), int(port)
    return _host_key(entry), None


@dataclass(frozen=True)
class AddressPolicy:
    """Which hosts and addresses the fetcher may connect to.

    ``allow_hosts``: host names or address literals, optionally ``:port``, that are
    exempt from the address check (exactly as written in the URL; ``localhost`` does
    not allow ``127.0.0.1``). ``allow_networks``: networks whose addresses are allowed.
    """

    allow_hosts: tuple[str, ...] = ()
    allow_networks: tuple[str, ...] = ()

    @classmethod
    def from_strings(cls, hosts: str | Iterable[str] = (), networks: str | Iterable[str] = ()) -> AddressPolicy:
        """From comma-separated lists (what the settings read from the environment)."""
        if isinstance(hosts, str):
            hosts = hosts.split(",")
        if isinstance(networks, str):
            networks = networks.split(",")
        hosts = tuple(h.strip() for h in hosts if h.strip())
        networks = tuple(n.strip() for n in networks if n.strip())
        for entry in hosts:
            _split_entry(entry)  # a typo fails loudly at start-up, not at 02:00
        for net in networks:
            ipaddress.ip_network(net, strict=False)
        return cls(hosts, networks)

    def _allowed_host(self, host: str, port: int | None) -> bool:
        host = _host_key(host)
        for entry in self.allow_hosts:
            name, allowed_port = _split_entry(entry)
            if name == host and (allowed_port is None or allowed_port == port):
                return True
        return False

    def _allowed_address(self, address: IPAddress) -> bool:
        return any(address in ipaddress.ip_network(n, strict=False) for n in self.allow_networks)

    def precheck(self, host: str, port: int | None) -> None:
        """What can be decided without DNS: metadata host names and address literals."""
        if self._allowed_host(host, port):
            return
        key = _host_key(host)
        if key in METADATA_HOSTS:
            raise BlockedAddress(f"{key} is a cloud metadata service")
        try:
            literal = ipaddress.ip_address(key)
        except ValueError:
            return
        self._check(key, literal, literal=True)

    def _check(self, host: str, address: IPAddress, *, literal: bool = False) -> None:
        if self._allowed_address(address):
            return
        if problem := address_problem(address):
            if literal:
                raise BlockedAddress(f"{address} is a {problem} address")
            raise BlockedAddress(f"{host} resolves to {address}, a {problem} address")

    def resolve(self, host: str, port: int) -> list[tuple[int, str]]:
        """Resolve ``host`` and check every address; return ``(family, address)`` pairs
        to connect to, in the resolver's order. Raises :class:`BlockedAddress`."""
        self.precheck(host, port)
        key = _host_key(host)
        try:
            infos = socket.getaddrinfo(key, port, type=socket.SOCK_STREAM)
        except (socket.gaierror, UnicodeError) as exc:
            raise httpcore.ConnectError(f"cannot resolve {key}: {exc}") from None
        addresses: list[tuple[int, str]] = []
        for family, _, _, _, sockaddr in infos:
            if family not in (socket.AF_INET, socket.AF_INET6):
                continue
            literal = sockaddr[0].split("%", 1)[0]  # drop an IPv6 zone id
            if (family, literal) not in addresses:
                addresses.append((family, literal))
        if not addresses:
            raise httpcore.ConnectError(f"{key} has no IPv4 or IPv6 address")
        return self.check_addresses(host, port, addresses)

    def check_addresses(self, host: str, port: int, addresses: list[tuple[int, str]]) -> list[tuple[int, str]]:
        """Check a DNS answer: one refused address refuses the host (a name that
        answers with a public and a private address is not half trusted)."""
        if not self._allowed_host(host, port):
            for _, literal in addresses:
                self._check(_host_key(host), ipaddress.ip_address(literal))
        return addresses


# -- the network backend ---------------------------------------------------------------

_deadline = threading.local()


def set_deadline(when: float | None) -> None:
    """Every socket operation of the calling thread ends by ``when`` (time.monotonic()).

    httpx has per-operation timeouts only: a server that sends one header byte every
    second keeps a request alive for hours. The fetcher sets a deadline for each
    request; the streams of :class:`GuardedBackend` cut every read, write and connect
    to what is left of it."""
    _deadline.value = when


def _bounded(timeout: float | None, error: type[Exception]) -> float | None:
    when = getattr(_deadline, "value", None)
    if when is None:
        return timeout
    remaining = when - time.monotonic()
    if remaining <= 0:
        raise error("total time limit reached")
    return remaining if timeout is None else min(timeout, remaining)


class _DeadlineStream(httpcore.NetworkStream):
    def __init__(self, stream: httpcore.NetworkStream):
        self._stream = stream

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, _bounded(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, _bounded(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(self, ssl_context, server_hostname=None, timeout=None) -> httpcore.NetworkStream:
        return _DeadlineStream(
            self._stream.start_tls(ssl_context, server_hostname, _bounded(timeout, httpcore.ConnectTimeout))
        )

    def get_extra_info(self, info: str):
        return self._stream.get_extra_info(info)


class GuardedBackend(httpcore.NetworkBackend):
    """httpcore's network backend that resolves, checks and connects to checked addresses."""

    def __init__(self, policy: AddressPolicy):
        self.policy = policy
        self._plain = httpcore.SyncBackend()

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        addresses = self.policy.resolve(host, port)
        error: Exception | None = None
        for _, literal in addresses:
            try:
                # A numeric host: create_connection does not consult DNS again.
                stream = self._plain.connect_tcp(
                    literal, port, _bounded(timeout, httpcore.ConnectTimeout), local_address, socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                error = exc
                continue
            return _DeadlineStream(stream)
        assert error is not None
        raise error

    def connect_unix_socket(self, path, timeout=None, socket_options=None):
        raise BlockedAddress("Unix sockets are never used for fetching")

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)
