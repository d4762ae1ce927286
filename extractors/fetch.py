"""Polite, bounded HTTP fetching for feeds and article pages.

Every request the pipeline makes goes through :class:`Fetcher`, because every limit an
unattended nightly job needs lives here: a User-Agent that says who we are, a cap on
concurrent requests per host, connect/read timeouts and a total deadline, a maximum
body size checked on the *decompressed* bytes (a 50 KB gzip bomb must not become
5 GB of memory), a redirect limit with loop detection, and retries with backoff for
the failures that are worth retrying (timeouts, dropped connections, 429 and 5xx).

Only ``http(s)`` URLs are fetched, and only from public addresses: every host (and
every redirect hop) is resolved and checked, and the connection goes to the checked
address (see :mod:`extractors.netguard`; the policy's ``address_policy`` lists the
operator's exceptions). A refused URL ends with outcome ``blocked_address``.

A fetch never raises for a network or HTTP problem: it returns a :class:`FetchResult`
whose ``outcome`` names what happened, so callers can record the reason and go on.
"""

from __future__ import annotations

import email.utils
import threading
import time
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from urllib.parse import urljoin, urlsplit

import httpcore
import httpx

from extractors.netguard import AddressPolicy, BlockedAddress, GuardedBackend, set_deadline
from extractors.urls import host_of

DEFAULT_USER_AGENT = (
    "newsfacts/0.1 (news research pipeline; +https://github.com/newsfacts/newsfacts)"
)

#: Outcomes after which another attempt may succeed.
RETRYABLE_OUTCOMES = frozenset({"timeout", "connection_error"})
RETRYABLE_STATUSES = frozenset({429, 500, 502, 503, 504})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})


@dataclass(frozen=True)
class FetchPolicy:
    """Limits for one kind of fetch (feeds and pages get different sizes)."""

    user_agent: str = DEFAULT_USER_AGENT
    connect_timeout: float = 5.0
    read_timeout: float = 15.0
    total_timeout: float = 30.0
    max_bytes: int = 8 * 1024 * 1024
    max_redirects: int = 5
    retries: int = 2
    backoff_seconds: float = 1.0
    max_retry_after: float = 30.0
    per_host_concurrency: int = 2
    #: Exceptions to the public-addresses-only rule (none by default).
    address_policy: AddressPolicy = AddressPolicy()


@dataclass
class FetchResult:
    """What one fetch produced. ``body`` is set only when ``outcome == "ok"``."""

    url: str
    final_url: str
    outcome: str
    status: int | None = None
    body: bytes | None = None
    content_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    detail: str | None = None
    served_at: datetime | None = None
    attempts: int = 0
    elapsed: float = 0.0

    @property
    def ok(self) -> bool:
        return self.outcome == "ok"


class _Failure(Exception):
    """Internal: ends one attempt with an outcome and a human-readable reason."""

    def __init__(self, outcome: str, detail: str, status: int | None = None):
        super().__init__(detail)
        self.outcome, self.detail, self.status = outcome, detail, status


class _BoundedDecoder:
    """Undo Content-Encoding while refusing to produce more than ``limit`` bytes."""

    def __init__(self, encoding: str, limit: int):
        encoding = encoding.strip().lower()
        if encoding in ("", "identity", "none"):
            self._inflater = None
        elif encoding in ("gzip", "x-gzip"):
            self._inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif encoding == "deflate":
            self._inflater = zlib.decompressobj()
            self._raw_deflate_fallback = True
        else:
            raise _Failure("decode_error", f"unsupported Content-Encoding {encoding!r}")
        self._limit = limit
        self._size = 0
        self._chunks: list[bytes] = []

    def feed(self, data: bytes) -> None:
        if self._inflater is None:
            self._append(data)
            return
        while data and not self._inflater.eof:
            try:
                out = self._inflater.decompress(data, self._limit - self._size + 1)
            except zlib.error as exc:
                if getattr(self, "_raw_deflate_fallback", False) and self._size == 0:
                    # Some servers send raw deflate without the zlib header.
                    self._inflater = zlib.decompressobj(-zlib.MAX_WBITS)
                    self._raw_deflate_fallback = False
                    continue
                raise _Failure("decode_error", f"corrupt compressed body: {exc}") from None
            self._append(out)
            data = self._inflater.unconsumed_tail

    def _append(self, data: bytes) -> None:
        self._size += len(data)
        if self._size > self._limit:
            raise _Failure("too_large", f"body larger than {self._limit} bytes (decompressed)")
        self._chunks.append(data)

    def result(self) -> bytes:
        if self._inflater is not None and not self._inflater.eof:
            raise _Failure("decode_error", "compressed body ends before its end marker")
        return b"".join(self._chunks)


def _http_date(value: str | None) -> datetime | None:
    """An HTTP date header as an aware UTC datetime (None when absent or garbled).

    The server's ``Date`` is the reference for "published in the future?" checks: it
    is part of the response we store, so a re-run judges dates exactly as before.
    """
    if not value:
        return None
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return when.astimezone(timezone.utc) if when.tzinfo else when.replace(tzinfo=timezone.utc)


def _retry_after_seconds(value: str | None) -> float | None:
    """Parse a Retry-After header (seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    when = _http_date(value)
    if when is None:
        return None
    return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())


def _guarded_transport(policy: AddressPolicy) -> httpx.HTTPTransport:
    """httpx's transport whose connections go through :class:`GuardedBackend`."""
    limits = httpx.Limits(max_connections=100, max_keepalive_connections=20)
    ssl_context = httpx.create_ssl_context()
    transport = httpx.HTTPTransport(verify=ssl_context, limits=limits)
    # httpx 0.28 (pinned) takes no network backend; swap in the same connection pool
    # with the guarded backend.
    transport._pool = httpcore.ConnectionPool(
        ssl_context=ssl_context,
        max_connections=limits.max_connections,
        max_keepalive_connections=limits.max_keepalive_connections,
        keepalive_expiry=limits.keepalive_expiry,
        network_backend=GuardedBackend(policy),
    )
    return transport


def _blocked_detail(url: str, hop: int, exc: BlockedAddress) -> str:
    where = f"redirect hop {hop} to {url[:200]}" if hop else url[:200]
    return f"refused {where}: {exc}"


class Fetcher:
    """A thread-safe HTTP client with per-host concurrency limits.

    One instance is shared by all worker threads of a stage, so the per-host
    semaphore really limits what a site sees from this process.
    """

    def __init__(self, policy: FetchPolicy | None = None, pacer: Callable[[str], None] | None = None):
        """``pacer(url)`` is called before every request and may sleep: it spaces
        requests to a host across processes (see ``newsfacts.pacing``)."""
        self.policy = policy or FetchPolicy()
        self._pacer = pacer
        p = self.policy
        self._client = httpx.Client(
            timeout=httpx.Timeout(p.read_timeout, connect=p.connect_timeout),
            follow_redirects=False,
            headers={"User-Agent": p.user_agent, "Accept-Encoding": "gzip, deflate"},
            # An explicit transport also keeps httpx from using the environment's
            # proxies: a proxy would connect to addresses we never checked.
            transport=_guarded_transport(p.address_policy),
        )
        self._host_slots: dict[str, threading.BoundedSemaphore] = {}
        self._lock = threading.Lock()

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(self, *exc_info) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    def _slot(self, url: str) -> threading.BoundedSemaphore:
        host = host_of(url)
        with self._lock:
            if host not in self._host_slots:
                self._host_slots[host] = threading.BoundedSemaphore(
                    self.policy.per_host_concurrency
                )
            return self._host_slots[host]

    def get(
        self,
        url: str,
        *,
        accept: str | None = None,
        etag: str | None = None,
        last_modified: str | None = None,
    ) -> FetchResult:
        """GET ``url`` following redirects, with retries; never raises for I/O errors."""
        headers = {}
        if accept:
            headers["Accept"] = accept
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        started = time.monotonic()
        attempt = 0
        while True:
            attempt += 1
            result, wait = self._attempt(url, headers)
            result.attempts = attempt
            retryable = result.outcome in RETRYABLE_OUTCOMES or (
                result.outcome == "http_error" and result.status in RETRYABLE_STATUSES
            )
            if not retryable or attempt > self.policy.retries:
                result.elapsed = time.monotonic() - started
                return result
            backoff = self.policy.backoff_seconds * (2 ** (attempt - 1))
            if wait is not None:
                backoff = max(backoff, min(wait, self.policy.max_retry_after))
            time.sleep(backoff)

    def _attempt(self, url: str, headers: dict[str, str]) -> tuple[FetchResult, float | None]:
        """One attempt: follow up to ``max_redirects`` redirects and read the body.

        The total time limit covers every hop, connects and header reads included, from
        the moment the first request may start (waiting for a host slot does not count)."""
        try:
            return self._hops(url, headers)
        finally:
            set_deadline(None)

    def _precheck(self, url: str, hop: int) -> None:
        """Scheme and what can be decided about the host before connecting (every hop)."""
        try:
            parts = urlsplit(url)
            port = parts.port
        except ValueError as exc:
            raise _Failure("bad_url", f"unparsable URL {url[:200]!r}: {exc}") from None
        if parts.scheme.lower() not in ("http", "https"):
            what = "redirect to a" if hop else "a"
            raise _Failure("bad_url", f"{what} non-http(s) URL: {url[:200]!r}")
        if not parts.hostname:
            raise _Failure("bad_url", f"URL without a host: {url[:200]!r}")
        try:
            self.policy.address_policy.precheck(parts.hostname, port or (443 if parts.scheme.lower() == "https" else 80))
        except BlockedAddress as exc:
            raise _Failure("blocked_address", _blocked_detail(url, hop, exc)) from None

    def _hops(self, url: str, headers: dict[str, str]) -> tuple[FetchResult, float | None]:
        current = url
        visited = [url]
        deadline = None
        try:
            for hop in range(self.policy.max_redirects + 1):
                self._precheck(current, hop)
                with self._slot(current):
                    if self._pacer is not None:
                        self._pacer(current)
                    if deadline is None:
                        deadline = time.monotonic() + self.policy.total_timeout
                        set_deadline(deadline)
                    request = self._client.build_request("GET", current, headers=headers)
                    try:
                        response = self._client.send(request, stream=True)
                    except BlockedAddress as exc:
                        raise _Failure("blocked_address", _blocked_detail(current, hop, exc)) from None
                    try:
                        if response.status_code in REDIRECT_STATUSES and "location" in response.headers:
                            nxt = urljoin(current, response.headers["location"])
                        else:
                            return self._finish(url, current, response, deadline), _retry_after_seconds(
                                response.headers.get("retry-after")
                            )
                    finally:
                        response.close()
                if nxt in visited:
                    chain = " -> ".join(visited + [nxt])
                    raise _Failure("too_many_redirects", f"redirect loop: {chain}")
                visited.append(nxt)
                current = nxt
            raise _Failure(
                "too_many_redirects", f"more than {self.policy.max_redirects} redirects"
            )
        except _Failure as failure:
            return (
                FetchResult(url, current, failure.outcome, status=failure.status, detail=failure.detail),
                None,
            )
        except httpx.TimeoutException as exc:
            detail = f"timed out: {type(exc).__name__}"
            if deadline is not None and time.monotonic() >= deadline - 0.05:
                detail += f" (no complete answer within {self.policy.total_timeout:g} s in total)"
            return FetchResult(url, current, "timeout", detail=detail), None
        except (httpx.UnsupportedProtocol, httpx.InvalidURL) as exc:
            return FetchResult(url, current, "bad_url", detail=str(exc)), None
        except (httpx.TransportError, httpx.HTTPError) as exc:
            return (
                FetchResult(url, current, "connection_error", detail=f"{type(exc).__name__}: {exc}"),
                None,
            )

    def _finish(
        self, url: str, final_url: str, response: httpx.Response, deadline: float
    ) -> FetchResult:
        status = response.status_code
        base = dict(
            url=url,
            final_url=final_url,
            status=status,
            content_type=response.headers.get("content-type"),
            etag=response.headers.get("etag"),
            last_modified=response.headers.get("last-modified"),
            served_at=_http_date(response.headers.get("date")),
        )
        if status == 304:
            return FetchResult(outcome="not_modified", detail="HTTP 304 Not Modified", **base)
        if not 200 <= status < 300:
            reason = response.reason_phrase or ""
            return FetchResult(outcome="http_error", detail=f"HTTP {status} {reason}".strip(), **base)
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > self.policy.max_bytes:
            return FetchResult(
                outcome="too_large",
                detail=f"Content-Length {declared} exceeds {self.policy.max_bytes} bytes",
                **base,
            )
        decoder = _BoundedDecoder(response.headers.get("content-encoding", ""), self.policy.max_bytes)
        for chunk in self._raw_chunks(response, deadline):
            decoder.feed(chunk)
        return FetchResult(outcome="ok", body=decoder.result(), **base)

    def _raw_chunks(self, response: httpx.Response, deadline: float) -> Iterator[bytes]:
        received = 0
        for chunk in response.iter_raw():
            received += len(chunk)
            if received > self.policy.max_bytes:
                raise _Failure("too_large", f"body larger than {self.policy.max_bytes} bytes")
            if time.monotonic() > deadline:
                raise _Failure(
                    "timeout", f"body not received within {self.policy.total_timeout:g} s in total"
                )
            yield chunk
