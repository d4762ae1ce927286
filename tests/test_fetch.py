"""The fetcher against a real HTTP server on 127.0.0.1: limits, retries, politeness."""

import gzip
import os
import socket
import threading
import zlib

import pytest

from extractors.fetch import DEFAULT_USER_AGENT, FetchPolicy, Fetcher
from extractors.netguard import AddressPolicy

#: The fixture server is on 127.0.0.1, which the fetcher refuses unless allowed.
LOCAL = AddressPolicy(allow_hosts=("127.0.0.1",))
FAST = FetchPolicy(read_timeout=0.5, total_timeout=2, retries=1, backoff_seconds=0.01, max_bytes=200_000,
                   address_policy=LOCAL)


@pytest.fixture
def fetcher():
    with Fetcher(FAST) as f:
        yield f


def test_ok_body_is_decompressed_and_identifies_us(server, fetcher):
    body = b"<html>" + b"war news " * 2000 + b"</html>"
    server.put("/t/page", body)
    result = fetcher.get(server.url("/t/page"))
    assert result.ok and result.status == 200
    assert result.body == body
    assert result.etag and result.served_at is not None
    sent = server.last_headers["/t/page"]
    assert sent["User-Agent"] == DEFAULT_USER_AGENT
    assert "gzip" in sent["Accept-Encoding"]


def test_conditional_get_gives_not_modified(server, fetcher):
    server.put("/t/feed", b"<rss/>" * 200, "application/rss+xml")
    first = fetcher.get(server.url("/t/feed"))
    again = fetcher.get(server.url("/t/feed"), etag=first.etag)
    assert again.outcome == "not_modified" and again.body is None


def test_http_errors_are_recorded_and_only_transient_ones_retried(server, fetcher):
    server.put("/t/gone", b"", status=404)
    server.put("/t/busy", b"", status=503)
    gone = fetcher.get(server.url("/t/gone"))
    busy = fetcher.get(server.url("/t/busy"))
    assert (gone.outcome, gone.status, gone.attempts) == ("http_error", 404, 1)
    assert gone.detail == "HTTP 404 Not Found"
    assert (busy.outcome, busy.status, busy.attempts) == ("http_error", 503, 2)
    assert server.requests["/t/busy"] == 2


def test_slow_server_times_out_and_is_retried(server, fetcher):
    server.put("/t/slow", b"late", delay_seconds=1.5)
    result = fetcher.get(server.url("/t/slow"))
    assert result.outcome == "timeout" and result.attempts == 2


def test_declared_oversize_body_is_refused_without_reading(server, fetcher):
    server.put("/t/big", os.urandom(300_000), "text/plain")  # incompressible
    result = fetcher.get(server.url("/t/big"))
    assert result.outcome == "too_large" and "Content-Length" in result.detail


def test_undeclared_oversize_stream_is_cut(server, fetcher):
    server.put("/t/stream", b"", generate="huge_page", megabytes=2)
    result = fetcher.get(server.url("/t/stream"))
    assert result.outcome == "too_large" and result.body is None


def test_gzip_bomb_is_stopped_at_the_decompressed_limit(server, fetcher):
    bomb = gzip.compress(b"\0" * 50_000_000)
    assert len(bomb) < 100_000  # small on the wire...
    server.put("/t/bomb", bomb, "text/html", headers={"Content-Encoding": "gzip"})
    result = fetcher.get(server.url("/t/bomb"))
    assert result.outcome == "too_large" and "decompressed" in result.detail


def test_raw_deflate_and_corrupt_gzip(server, fetcher):
    raw = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    data = raw.compress(b"<p>deflated</p>") + raw.flush()
    server.put("/t/deflate", data, "text/html", headers={"Content-Encoding": "deflate"})
    server.put("/t/corrupt", b"\x1f\x8b\x08\x00garbage", "text/html", headers={"Content-Encoding": "gzip"})
    assert fetcher.get(server.url("/t/deflate")).body == b"<p>deflated</p>"
    assert fetcher.get(server.url("/t/corrupt")).outcome == "decode_error"


def test_redirects_are_followed_within_the_limit(server, fetcher):
    server.put("/t/final", b"<p>here</p>")
    server.put("/t/hop1", b"", redirect=server.url("/t/hop2"))
    server.put("/t/hop2", b"", redirect="/t/final")  # relative Location
    result = fetcher.get(server.url("/t/hop1"))
    assert result.ok and result.final_url == server.url("/t/final")


def test_redirect_loops_and_long_chains_stop(server):
    for i in range(8):
        server.put(f"/t/chain{i}", b"", redirect=server.url(f"/t/chain{i + 1}"))
    server.put("/t/a", b"", redirect=server.url("/t/b"))
    server.put("/t/b", b"", redirect=server.url("/t/a"))
    with Fetcher(FetchPolicy(max_redirects=5, retries=0, address_policy=LOCAL)) as fetcher:
        loop = fetcher.get(server.url("/t/a"))
        chain = fetcher.get(server.url("/t/chain0"))
    assert loop.outcome == "too_many_redirects" and "loop" in loop.detail
    assert chain.outcome == "too_many_redirects" and "more than 5" in chain.detail
    assert server.requests["/t/chain6"] == 0


def test_unfetchable_urls_and_dead_hosts(fetcher):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed_port = s.getsockname()[1]
    assert fetcher.get("ftp://example.com/x").outcome == "bad_url"
    dead = fetcher.get(f"http://127.0.0.1:{closed_port}/")
    assert dead.outcome == "connection_error" and dead.attempts == 2


def test_per_host_concurrency_is_limited(server):
    server.put("/t/wait", b"ok", delay_seconds=0.2)
    with Fetcher(FetchPolicy(per_host_concurrency=2, retries=0, address_policy=LOCAL)) as fetcher:
        threads = [threading.Thread(target=fetcher.get, args=(server.url("/t/wait"),)) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    assert server.requests["/t/wait"] == 8
    assert server.max_in_flight["/t/wait"] == 2
