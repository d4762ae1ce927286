"""Stage 2: find a window's articles in the archives when the feed does not cover it.

A feed covers a window when one of its stored polls was made after the window ended
and already held an item older than the window's start: then every article of the day
passed through it and ``raw.feed_entries`` has them (the nightly case, and replays of
days polled before). For any other source and window — a backfill of last month, a
feed that was down — the source's archives are asked: its sitemaps (from robots.txt,
following only the child sitemaps that can hold the window) and the GDELT DOC API
(split into spans under its 250-record cap). Each attempt is recorded in
``raw.discovery_attempts``, each URL found in ``raw.discoveries``, and links for the
window are created from them. A re-run repeats only the attempts that failed.
"""

from __future__ import annotations

import logging
import time
from collections import deque
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime

import psycopg

from extractors.fetch import Fetcher
from extractors.gdelt import GdeltError, halves, outlet_query, parse_artlist, query_url
from extractors.sitemaps import (
    SitemapError,
    date_range_in_url,
    in_scope,
    may_hold,
    parse_sitemap,
    sitemaps_in_robots,
)
from extractors.sources import Discovery
from extractors.urls import BadUrl, normalize_url
from newsfacts import settings
from newsfacts.errors import plain_errors
from newsfacts.locks import stage_lock
from newsfacts.pacing import pacer_for
from newsfacts.relevance import prefetch_verdict
from newsfacts.warehouse import connect
from newsfacts.window import Window

log = logging.getLogger(__name__)

SITEMAP_ACCEPT = "application/xml, text/xml;q=0.9, application/x-gzip;q=0.8, */*;q=0.1"
#: Index -> child index -> sitemap is as deep as real outlets go.
MAX_DEPTH = 3


@dataclass
class Found:
    fetch_url: str
    claimed: datetime | None
    title: str | None
    listed_in: str


@dataclass
class Attempt:
    method: str
    outcome: str = "ok"
    problems: list[str] = field(default_factory=list)
    requests: int = 0
    found: dict[str, Found] = field(default_factory=dict)

    def add(self, url: str, found: Found) -> None:
        try:
            self.found.setdefault(normalize_url(url), found)
        except BadUrl:
            self.problems.append(f"unusable URL {url[:100]!r}")

    @property
    def detail(self) -> str | None:
        return "; ".join(self.problems)[:2000] or None


@dataclass
class _Target:
    source_id: int
    slug: str
    discovery: Discovery
    methods: list[str]


def _targets(conn: psycopg.Connection, window: Window) -> list[_Target]:
    """Active sources whose feed does not cover the window, with the methods still to try."""
    rows = conn.execute(
        """
        SELECT s.source_id, s.slug, s.config -> 'discovery',
               array(SELECT a.method FROM raw.discovery_attempts a
                     WHERE a.source_id = s.source_id AND a.window_start = %(start)s AND a.outcome = 'ok')
        FROM core.sources s
        WHERE s.active AND NOT EXISTS (
            SELECT 1 FROM raw.feed_polls p
            WHERE p.source_id = s.source_id AND p.outcome IN ('ok', 'not_modified')
              AND p.oldest_entry_at <= %(start)s AND p.served_at >= %(end)s)
        ORDER BY s.slug
        """,
        {"start": window.start, "end": window.end},
    ).fetchall()
    targets = []
    for source_id, slug, config, done in rows:
        config = config or {}
        discovery = Discovery(config.get("robots_url"), tuple(config.get("sitemap_urls") or ()),
                              config.get("gdelt_domain"))
        methods = []
        if (discovery.robots_url or discovery.sitemap_urls) and "sitemap" not in done:
            methods.append("sitemap")
        if discovery.gdelt_domain and "gdelt" not in done:
            methods.append("gdelt")
        if methods:
            targets.append(_Target(source_id, slug, discovery, methods))
    return targets


def crawl_sitemaps(fetcher: Fetcher, discovery: Discovery, window: Window) -> Attempt:
    """Read robots.txt and the sitemaps that can hold the window; collect its articles."""
    attempt = Attempt("sitemap")
    roots = list(discovery.sitemap_urls)
    if discovery.robots_url:
        robots = fetcher.get(discovery.robots_url, accept="text/plain")
        attempt.requests += robots.attempts
        if robots.ok:
            roots += [u for u in sitemaps_in_robots(robots.body.decode("utf-8", "replace"), robots.final_url)
                      if u not in roots]
        else:
            attempt.problems.append(f"robots.txt: {robots.detail}")
    if not roots:
        attempt.outcome = "no_sitemaps"
        attempt.problems.append("no sitemap configured or listed in robots.txt")
        return attempt
    queue, seen, read, failures = deque((url, 0) for url in roots), set(), 0, []
    while queue:
        url, depth = queue.popleft()
        if url in seen:
            attempt.problems.append(f"sitemap loop: {url} is listed again")
            continue
        if len(seen) >= settings.max_sitemaps():
            attempt.problems.append(f"stopped after {len(seen)} sitemaps")
            break
        seen.add(url)
        fetched = fetcher.get(url, accept=SITEMAP_ACCEPT)
        attempt.requests += fetched.attempts
        if not fetched.ok:
            failures.append(fetched.outcome)
            attempt.problems.append(f"{url}: {fetched.detail}")
            continue
        try:
            sitemap = parse_sitemap(fetched.body, url=fetched.final_url, served_at=fetched.served_at,
                                    max_bytes=fetcher.policy.max_bytes)
        except SitemapError as exc:
            failures.append(exc.reason)
            attempt.problems.append(f"{url}: {exc}")
            continue
        read += 1
        if sitemap.problem:
            attempt.problems.append(f"{url}: {sitemap.problem}")
        if sitemap.dropped_dates:
            attempt.problems.append(f"{url}: {sitemap.dropped_dates} implausible dates ignored")
        if sitemap.kind == "index":
            if depth + 1 >= MAX_DEPTH:
                attempt.problems.append(f"{url}: sitemap indexes nested deeper than {MAX_DEPTH}")
                continue
            queue.extend((child.loc, depth + 1) for child in sitemap.entries if may_hold(child, *window))
            continue
        span = date_range_in_url(url)
        for entry in sitemap.entries:
            if in_scope(entry, window.start, window.end, span):
                attempt.add(entry.loc, Found(entry.loc, entry.published or entry.lastmod, entry.title, url))
    if not read:
        attempt.outcome = failures[0] if failures else "no_sitemaps"
    return attempt


def ask_gdelt(fetcher: Fetcher, domain: str, window: Window) -> Attempt:
    """Ask GDELT for the domain's articles seen in the window, splitting spans at the cap."""
    attempt = Attempt("gdelt")
    cap = settings.gdelt_max_records()
    spans = [(window.start, window.end)]
    while spans:
        start, end = spans.pop(0)
        request = query_url(settings.gdelt_endpoint(), outlet_query(domain), start, end, cap)
        articles, error = _gdelt_call(fetcher, request, attempt)
        if error is not None:
            attempt.outcome = error[0]
            attempt.problems.append(f"{start:%Y-%m-%d %H:%M}..{end:%H:%M}: {error[1]}")
            continue
        if len(articles) >= cap:
            if split := halves(start, end):
                spans[:0] = split
                continue
            attempt.problems.append(f"{start:%Y-%m-%d %H:%M}: {cap} articles in 15 minutes, some may be missing")
        for article in articles:
            if article.seen_at is None or window.start <= article.seen_at < window.end:
                attempt.add(article.url, Found(article.url, article.seen_at, article.title or None, request))
    return attempt


def _gdelt_call(fetcher: Fetcher, request: str, attempt: Attempt):
    """One span: the fetcher retries HTTP trouble; GDELT's own error bodies are retried here."""
    error = None
    for retry in range(settings.fetch_retries() + 1):
        if retry:
            time.sleep(settings.backoff_seconds() * 2 ** (retry - 1))
        fetched = fetcher.get(request, accept="application/json")
        attempt.requests += fetched.attempts
        if not fetched.ok:
            return [], (fetched.outcome, fetched.detail)
        try:
            return parse_artlist(fetched.body), None
        except GdeltError as exc:
            error = (exc.reason, str(exc))
            if not exc.retry:
                break
    return [], error


def _discover(fetcher: Fetcher, target: _Target, window: Window) -> list[Attempt]:
    attempts = []
    if "sitemap" in target.methods:
        attempts.append(crawl_sitemaps(fetcher, target.discovery, window))
    if "gdelt" in target.methods:
        attempts.append(ask_gdelt(fetcher, target.discovery.gdelt_domain, window))
    return attempts


def _store(conn: psycopg.Connection, target: _Target, attempts: list[Attempt], window: Window) -> int:
    """Attempts, discoveries and the window's new links of one source, in one transaction."""
    links = {}
    with conn.transaction(), conn.cursor() as cur:
        for attempt in attempts:
            cur.execute(
                """
                INSERT INTO raw.discovery_attempts (source_id, window_start, method, outcome, detail, requests, urls_found)
                VALUES (%s, %s, %s, %s, %s, %s, %s)
                ON CONFLICT (source_id, window_start, method) DO UPDATE SET
                    outcome = EXCLUDED.outcome, detail = EXCLUDED.detail,
                    requests = EXCLUDED.requests, urls_found = EXCLUDED.urls_found
                """,
                (target.source_id, window.start, attempt.method, attempt.outcome, attempt.detail,
                 attempt.requests, len(attempt.found)),
            )
            cur.executemany(
                """
                INSERT INTO raw.discoveries (url, method, source_id, fetch_url, claimed_published_at, title,
                    listed_in, found_for_window)
                VALUES (%s, %s, %s, %s, %s, %s, %s, %s)
                ON CONFLICT (url, method) DO NOTHING
                """,
                [(url, attempt.method, target.source_id, f.fetch_url, f.claimed, f.title, f.listed_in, window.start)
                 for url, f in sorted(attempt.found.items())],
            )
            for url, found in attempt.found.items():
                links.setdefault(url, (found.fetch_url, found.claimed, attempt.method, found.title))
        cur.executemany(
            """
            INSERT INTO raw.links (url, fetch_url, source_id, window_start, claimed_published_at, discovered_via,
                                   fetch_outcome, fetch_detail)
            VALUES (%s, %s, %s, %s, %s, %s, %s, %s)
            ON CONFLICT (url) DO NOTHING
            """,
            [(url, fetch_url, target.source_id, window.start, claimed, method, *prefetch_verdict(title, ""))
             for url, (fetch_url, claimed, method, title) in sorted(links.items())],
        )
    return len(links)


@plain_errors
def discover_archives(dsn: str, window: Window, run_id: str) -> dict:
    """Archive discovery for every source the feeds leave uncovered; counts for XCom."""
    counts = {"sources": 0, "attempts_failed": 0, "urls_found": 0}
    with connect(dsn) as conn, stage_lock(conn, "discover_archives", window):
        targets = _targets(conn, window)
        with pacer_for(dsn) as pacer, Fetcher(settings.sitemap_policy(), pacer=pacer) as fetcher, \
                ThreadPoolExecutor(max_workers=min(8, settings.fetch_workers())) as pool:
            for target, attempts in zip(targets, pool.map(lambda t: _discover(fetcher, t, window), targets)):
                counts["sources"] += 1
                counts["urls_found"] += _store(conn, target, attempts, window)
                for attempt in attempts:
                    if attempt.outcome != "ok":
                        counts["attempts_failed"] += 1
                        log.warning("%s discovery for %s failed: %s (%s)", attempt.method, target.slug,
                                    attempt.outcome, attempt.detail)
    return counts
