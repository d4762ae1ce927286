"""Stage 1: poll every active source's feed and turn its entries into links to fetch.

Polls run concurrently in threads (network-bound); results are written by the calling
thread, one transaction per source, so a source either has its poll, entries, links and
metrics stored together or not at all.

A re-run of a window polls again only the sources whose poll failed; a source with a
good poll for the window is not polled again (``repoll=True`` forces it): the entries are in ``raw.feed_entries`` already, and
not touching the network is what makes a re-run leave the warehouse unchanged. Feeds
are polled with the validators (ETag / Last-Modified) of the source's latest good poll;
a ``304 Not Modified`` is fine because links are always built from the stored entries,
not from the document just received.
"""

from __future__ import annotations

import gzip
import hashlib
import logging
import time
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass

import psycopg

from extractors.feeds import FeedError, ParsedFeed, parse_feed
from extractors.fetch import FetchResult, Fetcher
from extractors.timeutil import plausible
from extractors.urls import BadUrl, normalize_url
from newsfacts import settings
from newsfacts.window import Window

log = logging.getLogger(__name__)

FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, "
    "application/rdf+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.1"
)
GOOD_POLL = ("ok", "not_modified")


@dataclass
class _Target:
    source_id: int
    slug: str
    feed_url: str
    etag: str | None
    last_modified: str | None


@dataclass
class _Polled:
    target: _Target
    fetch: FetchResult
    feed: ParsedFeed | None
    error: FeedError | None
    seconds: float


def deterministic_gzip(data: bytes) -> bytes:
    """gzip with a zero timestamp: the same input always gives the same bytes."""
    return gzip.compress(data, compresslevel=6, mtime=0)


def _targets(conn: psycopg.Connection, window: Window, repoll: bool) -> list[_Target]:
    rows = conn.execute(
        """
        SELECT s.source_id, s.slug, s.feed_url, v.etag, v.last_modified
        FROM core.sources s
        LEFT JOIN LATERAL (
            SELECT etag, last_modified FROM raw.feed_polls p
            WHERE p.source_id = s.source_id AND p.outcome = 'ok'
            ORDER BY p.window_start DESC LIMIT 1
        ) v ON true
        WHERE s.active
          AND (%(repoll)s OR NOT EXISTS (
              SELECT 1 FROM raw.feed_polls p
              WHERE p.source_id = s.source_id AND p.window_start = %(start)s
                AND p.outcome = ANY(%(good)s)))
        ORDER BY s.slug
        """,
        {"repoll": repoll, "start": window.start, "good": list(GOOD_POLL)},
    ).fetchall()
    return [_Target(*row) for row in rows]


def _poll_one(fetcher: Fetcher, target: _Target) -> _Polled:
    started = time.monotonic()
    fetched = fetcher.get(
        target.feed_url, accept=FEED_ACCEPT, etag=target.etag, last_modified=target.last_modified
    )
    feed = error = None
    if fetched.ok:
        try:
            feed = parse_feed(fetched.body, url=fetched.final_url, content_type=fetched.content_type)
        except FeedError as exc:
            error = exc
    return _Polled(target, fetched, feed, error, time.monotonic() - started)


def _outcome(polled: _Polled) -> tuple[str, str | None]:
    if polled.error is not None:
        return polled.error.reason, str(polled.error)
    if polled.feed is not None:
        return "ok", polled.feed.problem
    return polled.fetch.outcome, polled.fetch.detail


def _store(conn: psycopg.Connection, polled: _Polled, window: Window, run_id: str) -> int:
    """Write one source's poll, entries, links and poll metrics in one transaction."""
    outcome, detail = _outcome(polled)
    fetched, feed = polled.fetch, polled.feed
    body = fetched.body if fetched.ok else None
    entries = feed.entries if feed else []
    source_id = polled.target.source_id
    with conn.transaction(), conn.cursor() as cur:
        cur.execute(
            """
            INSERT INTO raw.feed_polls (source_id, window_start, window_end, outcome, detail, http_status,
                etag, last_modified, feed_format, entries_seen, body_gzip, body_sha256, served_at)
            VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)
            ON CONFLICT (source_id, window_start) DO UPDATE SET
                window_end = EXCLUDED.window_end, outcome = EXCLUDED.outcome, detail = EXCLUDED.detail,
                http_status = EXCLUDED.http_status, etag = EXCLUDED.etag,
                last_modified = EXCLUDED.last_modified, feed_format = EXCLUDED.feed_format,
                entries_seen = EXCLUDED.entries_seen, body_gzip = EXCLUDED.body_gzip,
                body_sha256 = EXCLUDED.body_sha256, served_at = EXCLUDED.served_at
            """,
            (
                source_id, window.start, window.end, outcome, detail, fetched.status,
                # Validators and the server's clock only matter for a feed we read;
                # dropping them on failures keeps a re-run's row identical.
                fetched.etag if feed else None, fetched.last_modified if feed else None,
                feed.format if feed else None, len(entries),
                deterministic_gzip(body) if body else None,
                hashlib.sha256(body).digest() if body else None,
                fetched.served_at if feed else None,
            ),
        )
        cur.executemany(
            """
            INSERT INTO raw.feed_entries AS e (source_id, entry_key, url, title, summary, published_at,
                updated_at, authors, first_seen_window, last_seen_window)
            VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s)
            ON CONFLICT (source_id, entry_key) DO UPDATE SET
                url = CASE WHEN EXCLUDED.last_seen_window >= e.last_seen_window THEN EXCLUDED.url ELSE e.url END,
                title = CASE WHEN EXCLUDED.last_seen_window >= e.last_seen_window THEN EXCLUDED.title ELSE e.title END,
                summary = CASE WHEN EXCLUDED.last_seen_window >= e.last_seen_window THEN EXCLUDED.summary ELSE e.summary END,
                published_at = CASE WHEN EXCLUDED.last_seen_window >= e.last_seen_window THEN EXCLUDED.published_at ELSE e.published_at END,
                updated_at = CASE WHEN EXCLUDED.last_seen_window >= e.last_seen_window THEN EXCLUDED.updated_at ELSE e.updated_at END,
                authors = CASE WHEN EXCLUDED.last_seen_window >= e.last_seen_window THEN EXCLUDED.authors ELSE e.authors END,
                first_seen_window = LEAST(e.first_seen_window, EXCLUDED.first_seen_window),
                last_seen_window = GREATEST(e.last_seen_window, EXCLUDED.last_seen_window)
            """,
            [
                (
                    source_id, entry.key, entry.url, entry.title, entry.summary,
                    plausible(entry.published_at, not_after=fetched.served_at),
                    plausible(entry.updated_at, not_after=fetched.served_at),
                    list(entry.authors), window.start, window.start,
                )
                for entry in _unique_entries(entries)
            ],
        )
        links = _create_links(cur, source_id, window)
        _note_updates(cur, entries)
        cur.execute(
            """
            INSERT INTO ops.run_metrics (window_start, source_id, window_end, run_id, poll_outcome,
                poll_detail, entries_seen, poll_seconds)
            VALUES (%s, %s, %s, %s, %s, %s, %s, %s)
            ON CONFLICT (window_start, source_id) DO UPDATE SET
                window_end = EXCLUDED.window_end, run_id = EXCLUDED.run_id,
                poll_outcome = EXCLUDED.poll_outcome, poll_detail = EXCLUDED.poll_detail,
                entries_seen = EXCLUDED.entries_seen, poll_seconds = EXCLUDED.poll_seconds
            """,
            (window.start, source_id, window.end, run_id, outcome, detail, len(entries), polled.seconds),
        )
    return links


def _unique_entries(entries):
    """Feeds repeat GUIDs; keep the first entry per key (an upsert batch must not
    touch the same row twice)."""
    seen = set()
    for entry in entries:
        if entry.key not in seen:
            seen.add(entry.key)
            yield entry


def _create_links(cur: psycopg.Cursor, source_id: int, window: Window) -> int:
    """Links for the stored entries of this source that belong to the window.

    An entry belongs to the window when its claimed publication time is inside it, or,
    having no usable date, when this window's poll was the first to list it.
    """
    cur.execute(
        """
        SELECT url, published_at, updated_at FROM raw.feed_entries
        WHERE source_id = %(source)s AND url IS NOT NULL
          AND ((published_at >= %(start)s AND published_at < %(end)s)
               OR (published_at IS NULL AND first_seen_window = %(start)s))
        ORDER BY url
        """,
        {"source": source_id, "start": window.start, "end": window.end},
    )
    rows = []
    for url, published, updated in cur.fetchall():
        try:
            rows.append((normalize_url(url), url, source_id, window.start, published, updated))
        except BadUrl:
            log.warning("skipping unusable link %r", url)
    rows = list({row[0]: row for row in rows}.values())
    cur.executemany(
        """
        INSERT INTO raw.links AS l (url, fetch_url, source_id, window_start, claimed_published_at, claimed_updated_at)
        VALUES (%s, %s, %s, %s, %s, %s)
        ON CONFLICT (url) DO UPDATE SET
            claimed_updated_at = GREATEST(l.claimed_updated_at, EXCLUDED.claimed_updated_at)
        WHERE EXCLUDED.claimed_updated_at > l.claimed_updated_at
           OR (l.claimed_updated_at IS NULL AND EXCLUDED.claimed_updated_at IS NOT NULL)
        """,
        rows,
    )
    return len(rows)


def _note_updates(cur: psycopg.Cursor, entries) -> None:
    """Record newer update times the feed claims for links we already have.

    The fetch stage of the window the update falls in fetches such a page again, so an
    article corrected on Tuesday is refreshed by Tuesday's run, not by re-running Monday.
    """
    rows = []
    for entry in entries:
        if entry.url and entry.updated_at:
            try:
                rows.append((entry.updated_at, normalize_url(entry.url)))
            except BadUrl:
                continue
    cur.executemany(
        """
        UPDATE raw.links SET claimed_updated_at = %(updated)s
        WHERE url = %(url)s AND (claimed_updated_at IS NULL OR claimed_updated_at < %(updated)s)
        """,
        [{"updated": updated, "url": url} for updated, url in sorted(set(rows), key=lambda r: r[1])],
    )


def poll_feeds(dsn: str, window: Window, run_id: str, *, repoll: bool = False) -> dict:
    """Poll the sources that need it for ``window``; return counts for XCom."""
    from newsfacts.warehouse import connect

    counts = {"sources_polled": 0, "sources_failed": 0, "links_in_window": 0}
    with connect(dsn) as conn:
        targets = _targets(conn, window, repoll)
        with Fetcher(settings.feed_policy()) as fetcher, ThreadPoolExecutor(
            max_workers=settings.fetch_workers()
        ) as pool:
            futures = [pool.submit(_poll_one, fetcher, target) for target in targets]
            for future in as_completed(futures):
                polled = future.result()
                counts["links_in_window"] += _store(conn, polled, window, run_id)
                counts["sources_polled"] += 1
                outcome, detail = _outcome(polled)
                if outcome not in GOOD_POLL:
                    counts["sources_failed"] += 1
                    log.warning("feed %s failed: %s (%s)", polled.target.slug, outcome, detail)
    return counts
