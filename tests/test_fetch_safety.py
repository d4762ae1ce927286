"""Fetch safety: only http(s), only public addresses (checked after DNS, again on every
redirect, connected to as checked), unless the operator allows them; and every limit of
the fetcher (size, decompressed size, total time, redirects) against a real server.

The fixture server lives on 127.0.0.1, so the tests that reach it allow exactly that
(host, or host and port) and show that anything else on the machine stays refused.
"""

from __future__ import annotations

import ipaddress
import re
import socket
import time
import zlib

import pytest

from extractors.fetch import FetchPolicy, Fetcher
from extractors.netguard import AddressPolicy, BlockedAddress, address_problem
from extractors.urls import normalize_url
from pipeline_helpers import rows, run_day

FAST = dict(read_timeout=1, total_timeout=2, retries=0, backoff_seconds=0.01)


class Listener:
    """A TCP port on 127.0.0.1 that records whether anyone connected to it."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.sock.setblocking(False)
        self.port = self.sock.getsockname()[1]

    def connections(self) -> int:
        n = 0
        while True:
            try:
                conn, _ = self.sock.accept()
            except BlockingIOError:
                return n
            conn.close()
            n += 1


@pytest.fixture
def listener():
    listening = Listener()
    yield listening
    listening.sock.close()


def port_of(server) -> int:
    return int(server.base_url.rsplit(":", 1)[1])


@pytest.mark.parametrize("address, problem", [
    ("127.0.0.1", "loopback"), ("127.255.0.9", "loopback"), ("::1", "loopback"),
    ("10.1.2.3", "private"), ("172.16.0.1", "private"), ("192.168.1.1", "private"),
    ("169.254.169.254", "cloud metadata"), ("169.254.1.1", "link-local"), ("fe80::1", "link-local"),
    ("fd00:ec2::254", "cloud metadata"), ("fd12:3456::1", "unique-local"), ("fc00::1", "unique-local"),
    ("100.100.100.200", "cloud metadata"), ("192.0.0.192", "cloud metadata"), ("100.64.0.1", "shared"),
    ("224.0.0.1", "multicast"), ("ff02::1", "multicast"), ("239.1.1.1", "multicast"),
    ("0.0.0.0", "unspecified"), ("::", "unspecified"), ("240.0.0.1", "reserved"), ("255.255.255.255", "reserved"),
    ("192.0.2.10", "reserved"), ("198.18.0.1", "reserved"), ("2001:db8::1", "reserved"),
    ("::ffff:127.0.0.1", "loopback (embedded 127.0.0.1)"), ("::ffff:169.254.169.254", "cloud metadata"),
    ("2002:7f00:1::", "loopback (embedded 127.0.0.1)"), ("2002:a00:1::", "private (embedded 10.0.0.1)"),
    ("64:ff9b::a9fe:a9fe", "cloud metadata"),
    ("8.8.8.8", None), ("151.101.1.140", None), ("2606:4700::1111", None), ("2a00:1450:4001::200e", None),
])
def test_address_categories(address, problem):
    found = address_problem(ipaddress.ip_address(address))
    if problem is None:
        assert found is None
    else:
        assert found is not None and found.startswith(problem)


def test_resolution_checks_every_address_and_honours_the_exceptions():
    strict = AddressPolicy()
    with pytest.raises(BlockedAddress, match="localhost resolves to .*loopback"):
        strict.resolve("localhost", 80)
    with pytest.raises(BlockedAddress, match="cloud metadata service"):
        strict.resolve("metadata.google.internal", 80)
    with pytest.raises(BlockedAddress, match="2130706433 resolves to 127.0.0.1, a loopback address"):
        strict.resolve("2130706433", 80)  # the decimal spelling of 127.0.0.1
    assert AddressPolicy(allow_hosts=("localhost",)).resolve("localhost", 80)
    assert AddressPolicy(allow_networks=("127.0.0.0/8", "::1/128")).resolve("localhost", 80)
    only_port = AddressPolicy(allow_hosts=("127.0.0.1:8765",))
    assert only_port.resolve("127.0.0.1", 8765) == [(socket.AF_INET, "127.0.0.1")]
    with pytest.raises(BlockedAddress):
        only_port.resolve("127.0.0.1", 8766)
    policy = AddressPolicy.from_strings("127.0.0.1:8765, [::1]:80 ,localhost", "10.0.0.0/8")
    assert policy.allow_hosts == ("127.0.0.1:8765", "[::1]:80", "localhost")
    with pytest.raises(ValueError):
        AddressPolicy.from_strings("", "10.0.0.0/33")


def test_loopback_and_private_targets_are_refused_without_a_connection(server, listener):
    port = listener.port
    server.put("/t/page", b"<p>hello</p>")
    with Fetcher(FetchPolicy(**FAST)) as fetcher:
        results = {url: fetcher.get(url) for url in [
            server.url("/t/page"),
            f"http://localhost:{port}/",
            f"http://2130706433:{port}/",
            f"http://0x7f.0.0.1:{port}/",
            f"http://127.1:{port}/",
            f"http://[::ffff:127.0.0.1]:{port}/",
            f"http://[::1]:{port}/",
            "http://169.254.169.254/latest/meta-data/",
            "http://metadata.google.internal/computeMetadata/v1/",
            "http://[fd00:ec2::254]/latest/meta-data/",
            "http://10.0.0.1/feed.xml",
        ]}
    for url, result in results.items():
        assert result.outcome == "blocked_address", (url, result)
        assert result.detail.startswith("refused ") and result.attempts == 1
    assert listener.connections() == 0
    assert server.requests["/t/page"] == 0


def test_only_http_and_https(server):
    server.put("/t/to-file", b"", redirect="file:///etc/passwd")
    server.put("/t/to-gopher", b"", redirect="gopher://127.0.0.1:70/")
    local = AddressPolicy(allow_hosts=("127.0.0.1",))
    with Fetcher(FetchPolicy(**FAST, address_policy=local)) as fetcher:
        for url in ("file:///etc/passwd", "ftp://127.0.0.1/", "gopher://127.0.0.1/", "javascript:alert(1)"):
            result = fetcher.get(url)
            assert result.outcome == "bad_url" and "non-http(s)" in result.detail, url
        for path in ("/t/to-file", "/t/to-gopher"):
            result = fetcher.get(server.url(path))
            assert result.outcome == "bad_url" and result.detail.startswith("redirect to a non-http(s) URL")


def test_every_redirect_hop_is_checked(server, listener):
    """An allowed server (this host and port only) redirects elsewhere on the machine."""
    other = listener.port
    server.put("/t/final", b"<p>here</p>")
    server.put("/t/to-other-port", b"", redirect=f"http://127.0.0.1:{other}/secret")
    server.put("/t/hop", b"", redirect=server.url("/t/to-other-port"))
    server.put("/t/to-metadata", b"", redirect="http://169.254.169.254/latest/meta-data/")
    server.put("/t/to-localhost", b"", redirect=f"http://localhost:{port_of(server)}/t/final")
    server.put("/t/fine", b"", redirect=server.url("/t/final"))
    only_this_port = AddressPolicy(allow_hosts=(f"127.0.0.1:{port_of(server)}",))
    with Fetcher(FetchPolicy(**FAST, address_policy=only_this_port)) as fetcher:
        fine = fetcher.get(server.url("/t/fine"))
        other_port = fetcher.get(server.url("/t/hop"))
        metadata = fetcher.get(server.url("/t/to-metadata"))
        by_name = fetcher.get(server.url("/t/to-localhost"))
        direct = fetcher.get(f"http://127.0.0.1:{other}/secret")
    assert fine.ok and fine.body == b"<p>here</p>"
    assert other_port.outcome == "blocked_address" and "redirect hop 2" in other_port.detail
    assert metadata.outcome == "blocked_address" and "cloud metadata" in metadata.detail
    assert by_name.outcome == "blocked_address" and "localhost resolves to 127.0.0.1" in by_name.detail
    assert direct.outcome == "blocked_address"
    assert listener.connections() == 0
    assert server.requests["/t/final"] == 1  # only through the allowed redirect


def test_the_connection_goes_to_the_checked_address(server):
    """DNS rebinding: the name is resolved once, checked, and the socket connects to that
    address. ``rebind.invalid`` cannot be resolved at all, so a second lookup at connect
    time would fail the fetch; the check's answer is all the fetcher uses."""
    lookups = []

    class OneAnswer(AddressPolicy):
        def resolve(self, host, port):
            lookups.append(host)
            return [(socket.AF_INET, "127.0.0.1")]

    server.put("/t/page", b"<p>rebound</p>")
    with Fetcher(FetchPolicy(**FAST, address_policy=OneAnswer())) as fetcher:
        result = fetcher.get(f"http://rebind.invalid:{port_of(server)}/t/page")
    assert result.ok and result.body == b"<p>rebound</p>"
    assert lookups == ["rebind.invalid"]
    assert server.last_headers["/t/page"]["Host"] == f"rebind.invalid:{port_of(server)}"



def test_a_dns_answer_is_refused_if_any_address_is_refused():
    """What a rebinding or split-horizon DNS answers: the check reads every address."""
    v4, v6 = socket.AF_INET, socket.AF_INET6
    policy = AddressPolicy()
    public = [(v4, "93.184.216.34"), (v6, "2606:2800:220:1:248:1893:25c8:1946")]
    assert policy.check_addresses("news.example", 443, public) == public
    for bad in [(v4, "127.0.0.1"), (v4, "10.0.0.8"), (v6, "fd00:ec2::254"), (v6, "::ffff:192.168.0.1")]:
        shown = re.escape(str(ipaddress.ip_address(bad[1])))
        with pytest.raises(BlockedAddress, match=f"news.example resolves to {shown}"):
            policy.check_addresses("news.example", 443, public + [bad])
    assert AddressPolicy(allow_networks=("10.0.0.0/8",)).check_addresses("intranet", 80, [(v4, "10.0.0.8")])
    assert AddressPolicy(allow_hosts=("intranet",)).check_addresses("intranet", 80, [(v4, "10.0.0.8")])


def test_size_limits_hold_on_the_wire_and_after_decompression(server):
    server.put("/t/declared", b"x" * 300_000, "text/plain", headers={"Content-Encoding": "identity"})
    server.put("/t/stream", b"", generate="huge_page", megabytes=3)
    deflate = zlib.compressobj(9, zlib.DEFLATED, zlib.MAX_WBITS)
    bomb = deflate.compress(b"\0" * 100_000_000) + deflate.flush()
    server.put("/t/deflate-bomb", bomb, "text/html", headers={"Content-Encoding": "deflate"})
    server.put("/t/small", b"<p>" + b"a" * 190_000 + b"</p>")
    policy = FetchPolicy(**FAST, max_bytes=200_000, address_policy=AddressPolicy(allow_hosts=("127.0.0.1",)))
    with Fetcher(policy) as fetcher:
        declared = fetcher.get(server.url("/t/declared"))
        stream = fetcher.get(server.url("/t/stream"))
        deflated = fetcher.get(server.url("/t/deflate-bomb"))
        small = fetcher.get(server.url("/t/small"))
    assert declared.outcome == "too_large" and "Content-Length 300000" in declared.detail
    assert stream.outcome == "too_large" and stream.body is None
    assert len(bomb) < 200_000 and deflated.outcome == "too_large" and "decompressed" in deflated.detail
    assert small.ok and len(small.body) == 190_007  # gzip on the wire, the limit applies to the page


@pytest.mark.parametrize("generate", ["drip_headers", "drip_body"])
def test_a_slow_loris_is_cut_at_the_total_time_limit(server, generate):
    """One byte every 0.2 s never trips the 1 s read timeout; the 2 s total limit ends it."""
    server.put("/t/slow", b"", generate=generate, drip_interval=0.2)
    with Fetcher(FetchPolicy(**FAST, address_policy=AddressPolicy(allow_hosts=("127.0.0.1",)))) as fetcher:
        started = time.monotonic()
        result = fetcher.get(server.url("/t/slow"))
        elapsed = time.monotonic() - started
    assert result.outcome == "timeout" and "in total" in result.detail
    assert 1.8 < elapsed < 3.5


@pytest.mark.parametrize("limit, outcome", [(2, "too_many_redirects"), (3, "ok")])
def test_the_redirect_limit_is_a_setting(server, limit, outcome):
    server.put("/t/r0", b"", redirect=server.url("/t/r1"))
    server.put("/t/r1", b"", redirect=server.url("/t/r2"))
    server.put("/t/r2", b"", redirect=server.url("/t/end"))
    server.put("/t/end", b"<p>end</p>")
    policy = FetchPolicy(**FAST, max_redirects=limit, address_policy=AddressPolicy(allow_hosts=("127.0.0.1",)))
    with Fetcher(policy) as fetcher:
        result = fetcher.get(server.url("/t/r0"))
    assert result.outcome == outcome
    assert server.requests["/t/end"] == (1 if outcome == "ok" else 0)


def test_the_pipeline_records_refused_feeds_and_pages(pipeline_env, server, tmp_path, monkeypatch):
    """Feeds and article links pointing at private addresses are recorded failures; the
    rest of the day loads. The conftest allows 127.0.0.1 only, so localhost stays refused."""
    port = port_of(server)
    article = next(a for a in server.site.articles if a.outlet == "kyiv-ledger" and a.war
                   and a.published.date().isoformat() == "2025-03-15")
    links = {
        "good": server.url(article.path),
        "private": "http://10.1.2.3/news/2025/03/15/story",
        "localhost": f"http://localhost:{port}{article.path}",
        "v6-loopback": f"http://[::1]:{port}/news/a",
        "metadata": "http://169.254.169.254/latest/meta-data/",
    }
    items = "".join(
        f"<item><title>Russian strike on Kharkiv ({name})</title><link>{link}</link><guid>g-{name}</guid>"
        "<pubDate>Sat, 15 Mar 2025 10:00:00 GMT</pubDate></item>" for name, link in links.items())
    server.put("/ssrf/feed.xml", ('<?xml version="1.0"?><rss version="2.0"><channel><title>S</title>'
                                  f"{items}</channel></rss>").encode(), "application/rss+xml")
    sources = tmp_path / "sources.yml"
    sources.write_text(
        "sources:\n"
        f"  - {{slug: ssrf-feed, name: S, feed_url: '{server.url('/ssrf/feed.xml')}', language: en, country: UA, perspective: ukrainian}}\n"
        "  - {slug: metadata-feed, name: M, feed_url: 'http://169.254.169.254/latest/meta-data/', language: en, country: UA, perspective: ukrainian}\n"
        f"  - {{slug: localhost-feed, name: L, feed_url: 'http://localhost:{port}/kyiv-ledger/rss.xml', language: en, country: UA, perspective: ukrainian}}\n"
    )
    monkeypatch.setenv("NEWSFACTS_SOURCES", str(sources))
    run_day(pipeline_env, __import__("datetime").date(2025, 3, 15))

    polls = dict(rows(pipeline_env, "SELECT s.slug, p.outcome || ': ' || p.detail FROM raw.feed_polls p "
                                    "JOIN core.sources s USING (source_id) WHERE p.outcome <> 'ok'"))
    assert polls["metadata-feed"].startswith("blocked_address: refused") and "cloud metadata" in polls["metadata-feed"]
    assert "localhost resolves to 127.0.0.1, a loopback address" in polls["localhost-feed"]
    fetched = dict(rows(pipeline_env, "SELECT url, fetch_outcome || ': ' || coalesce(fetch_detail, '') FROM raw.links"))
    assert fetched[normalize_url(links["good"])].startswith("ok")
    for name in ("private", "localhost", "v6-loopback", "metadata"):
        assert fetched[normalize_url(links[name])].startswith("blocked_address: refused"), name
    assert rows(pipeline_env, "SELECT count(*) FROM core.articles")[0][0] == 1
    assert server.requests[article.path] == 1  # by its allowed address only
    assert server.requests["/kyiv-ledger/rss.xml"] == 0
