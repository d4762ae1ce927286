"""A real HTTP server on 127.0.0.1 serving the demo corpus (or any routes a test sets).

Used by ``make demo`` and by the integration tests instead of the internet: the pipeline
makes genuine HTTP requests (conditional GET, gzip, redirects, timeouts) against it.
It answers ETag / Last-Modified validators with 304, gzips when asked, and logs every
request so tests can assert what was fetched, how often and how fast.
"""

from __future__ import annotations

import gzip
import hashlib
import threading
import time
from collections import Counter
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from newsfacts.fixture_site import DEFAULT_CORPUS, FixtureSite, Route

_CHUNK = 64 * 1024
#: Where the GDELT DOC 2.0 look-alike answers (NEWSFACTS_GDELT_URL = base_url + this).
GDELT_PATH = "/gdelt/api/v2/doc/doc"
#: Scripted answers for :meth:`FixtureServer.script`.
SCRIPTED = {
    "429": (429, b"Too Many Requests", {"Retry-After": "0"}),
    "limit": (200, b"Please limit requests to one every 5 seconds or contact kalev.leetaru5@gmail.com for larger queries."),
    "bad_query": (200, b"Your search contained a keyword that was too short."),
    "empty": (200, b""),
    "truncated": (200, b'{"articles": [{"url": "https://x.example/a", "title": "cut'),
    "500": (500, b"Internal Server Error"),
}


class FixtureServer:
    """Serve a :class:`FixtureSite` from a background thread.

    >>> with FixtureServer() as server:
    ...     feed_url = server.url("/kyiv-ledger/rss.xml")
    """

    def __init__(self, corpus: Path = DEFAULT_CORPUS, host: str = "127.0.0.1", port: int = 0):
        self._httpd = ThreadingHTTPServer((host, port), self._handler_class())
        self._httpd.daemon_threads = True
        self.base_url = f"http://{host}:{self._httpd.server_port}"
        self.corpus = corpus
        self.site = FixtureSite(self.base_url, corpus)
        self._lock = threading.Lock()
        self.requests: Counter[str] = Counter()
        self.request_log: list[tuple[float, str]] = []
        self.last_headers: dict[str, dict[str, str]] = {}
        self._scripts: dict[str, list[str]] = {}
        self._in_flight: Counter[str] = Counter()
        self.max_in_flight: Counter[str] = Counter()
        self._in_flight_total = 0
        #: The most requests being worked on at once, all paths together.
        self.max_in_flight_total = 0
        #: Bumped by reset_counts: a slow answer still running from before the reset (a
        #: timeout provoked by an earlier test) does not count as in flight after it.
        self._generation = 0
        self._thread: threading.Thread | None = None

    # -- lifecycle --------------------------------------------------------------------

    def start(self) -> FixtureServer:
        self._thread = threading.Thread(target=self._httpd.serve_forever, name="fixture-server", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def __enter__(self) -> FixtureServer:
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()

    # -- for tests ---------------------------------------------------------------------

    def url(self, path: str) -> str:
        return self.base_url + path

    def load(self, corpus: Path | None = None) -> None:
        """Render the site again from ``corpus`` (default: the current one), dropping
        any route changed with :meth:`put`."""
        site = FixtureSite(self.base_url, corpus or self.corpus)
        with self._lock:
            self.corpus = corpus or self.corpus
            self.site = site

    def put(self, path: str, body: bytes, content_type: str = "text/html; charset=utf-8", **route) -> None:
        """Serve ``body`` at ``path`` from now on (e.g. an updated article)."""
        with self._lock:
            self.site.routes[path] = Route(body=body, content_type=content_type, **route)

    def script(self, path: str, answers: list[str]) -> None:
        """Answer the next requests to ``path`` with these canned failures, in order
        (keys of :data:`SCRIPTED`), then normally again."""
        with self._lock:
            self._scripts[path] = list(answers)

    def _scripted(self, path: str) -> tuple | None:
        with self._lock:
            queue = self._scripts.get(path)
            if queue:
                return SCRIPTED[queue.pop(0)]
        return None

    def reset_counts(self) -> None:
        with self._lock:
            self.requests.clear()
            self.request_log.clear()
            self.last_headers.clear()
            self.max_in_flight.clear()
            self.max_in_flight_total = 0
            self._in_flight.clear()
            self._in_flight_total = 0
            self._generation += 1

    def total_requests(self) -> int:
        with self._lock:
            return sum(self.requests.values())

    def max_requests_per_second(self) -> int:
        """The largest number of requests received within any one-second span."""
        with self._lock:
            times = sorted(t for t, _ in self.request_log)
        best, first = 0, 0
        for last, now in enumerate(times):
            while now - times[first] >= 1.0:
                first += 1
            best = max(best, last - first + 1)
        return best

    def _record(self, path: str, headers) -> tuple[Route | None, int]:
        with self._lock:
            self.requests[path] += 1
            self.request_log.append((time.monotonic(), path))
            self.last_headers[path] = dict(headers.items())
            self._in_flight[path] += 1
            self.max_in_flight[path] = max(self.max_in_flight[path], self._in_flight[path])
            self._in_flight_total += 1
            self.max_in_flight_total = max(self.max_in_flight_total, self._in_flight_total)
            return self.site.routes.get(path), self._generation

    def _done(self, path: str, generation: int) -> None:
        with self._lock:
            if generation == self._generation:
                self._in_flight[path] -= 1
                self._in_flight_total -= 1

    # -- the handler ---------------------------------------------------------------------

    def _handler_class(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            server_version = "newsfacts-fixtures/1"

            def log_message(self, format, *args):  # noqa: A002 - signature from the base class
                pass

            _busy: str | None = None

            _generation = 0

            def do_GET(self):
                self._busy = urlsplit(self.path).path
                try:
                    route, self._generation = server._record(self._busy, self.headers)
                    self._respond(route)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (a timeout we provoked on purpose)
                finally:
                    self._release()

            def _release(self):
                if self._busy is not None:
                    server._done(self._busy, self._generation)
                    self._busy = None

            def send_response(self, code, message=None):
                # A request stops counting as in flight once we start answering it.
                self._release()
                super().send_response(code, message)

            def _respond(self, route: Route | None):
                scripted = server._scripted(urlsplit(self.path).path)
                if scripted is not None:
                    return self._plain(*scripted)
                if urlsplit(self.path).path == GDELT_PATH and route is None:
                    status, body = server.site.gdelt(dict(parse_qsl(urlsplit(self.path).query)))
                    route = Route(body=body, content_type="application/json", status=status)
                if route is None:
                    return self._plain(404, b"not found")
                if route.delay_seconds:
                    time.sleep(route.delay_seconds)
                if route.redirect:
                    self.send_response(302)
                    self.send_header("Location", route.redirect)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                if route.status != 200:
                    return self._plain(route.status, f"error {route.status}".encode())
                if route.generate in ("drip_headers", "drip_body"):
                    return self._drip(route)
                if route.generate:
                    return self._stream(route)
                etag = '"' + hashlib.sha1(route.body).hexdigest()[:16] + '"'
                if self._not_modified(etag, route):
                    self.send_response(304)
                    self.send_header("ETag", etag)
                    self.end_headers()
                    return
                body = route.body
                self.send_response(200)
                self.send_header("Content-Type", route.content_type)
                self.send_header("ETag", etag)
                if route.last_modified:
                    self.send_header("Last-Modified", format_datetime(route.last_modified, usegmt=True))
                for name, value in route.headers.items():
                    self.send_header(name, value)
                precompressed = any(k.lower() == "content-encoding" for k in route.headers)
                if not precompressed and "gzip" in self.headers.get("Accept-Encoding", "") and len(body) > 512:
                    body = gzip.compress(body, mtime=0)
                    self.send_header("Content-Encoding", "gzip")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def _not_modified(self, etag: str, route: Route) -> bool:
                if (sent := self.headers.get("If-None-Match")) is not None:
                    return sent == etag
                since = self.headers.get("If-Modified-Since")
                if since and route.last_modified:
                    try:
                        return route.last_modified <= parsedate_to_datetime(since)
                    except (TypeError, ValueError):
                        return False
                return False

            def _plain(self, status: int, body: bytes, headers: dict | None = None):
                self.send_response(status)
                self.send_header("Content-Type", "text/plain")
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def _drip(self, route: Route):
                """A slow-loris answer: one byte every ``drip_interval`` seconds, within the
                status line's headers (drip_headers) or the body (drip_body), for at most a
                minute or until the client hangs up."""
                interval = route.drip_interval or 0.2
                if route.generate == "drip_headers":
                    self.wfile.write(b"HTTP/1.1 200 OK\r\nX-Slow: ")
                else:
                    self.send_response(200)
                    self.send_header("Content-Type", route.content_type)
                    self.send_header("Content-Length", "1000000")
                    self.end_headers()
                self.wfile.flush()
                stop = time.monotonic() + 60
                while time.monotonic() < stop:
                    time.sleep(interval)
                    self.wfile.write(b"a")
                    self.wfile.flush()

            def _stream(self, route: Route):
                """A body with no Content-Length that is bigger than any limit."""
                self.send_response(200)
                self.send_header("Content-Type", route.content_type)
                self.end_headers()
                if route.generate == "huge_feed":
                    head = b'<?xml version="1.0"?><rss version="2.0"><channel><title>Digest</title>'
                    unit = b"<item><title>Daily digest item</title><description>" + b"x" * 1000 + b"</description></item>"
                else:
                    head = b"<html><head><title>Live</title></head><body>"
                    unit = b"<p>" + b"Live update: reactions continue to come in. " * 20 + b"</p>"
                self.wfile.write(head)
                written, limit = len(head), int(route.megabytes * 1024 * 1024)
                block = unit * max(1, _CHUNK // len(unit))
                while written < limit:
                    self.wfile.write(block)
                    written += len(block)

        return Handler
