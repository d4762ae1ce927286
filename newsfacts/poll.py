"""Stage 1: poll every active source's feed and turn its entries into links to fetch.

Polls run concurrently in threads (network-bound), at most ``NEWSFACTS_FETCH_WORKERS``
requests at once (and ``NEWSFACTS_PER_HOST_CONCURRENCY`` per host), and no more than
twice that many polls are started before their results are written: thousands of feeds
are polled in a sliding window, so memory holds a bounded number of feed documents.
Results are written by the calling thread, one transaction per source, so a source
either has its poll, entries, links and metrics stored together or not at all. A feed
that breaks the parser, or whose entries the warehouse refuses, is recorded as a failed
poll with the reason; the other sources go on.

Which sources are polled for a window:
- not one that already has a good poll for the window (a re-run polls again only the
  sources whose poll failed; ``repoll=True`` forces all);
- not one whose feed, at its latest poll, no longer reached back to the window: a feed
  lists its latest items only, so for an old day it cannot help and the archives
  (stage ``discover``) take over. That poll is recorded as ``outside_horizon``.
Feeds are polled with the validators (ETag / Last-Modified) of the latest good poll; a
``304 Not Modified`` is fine because links are always built from the stored entries
(``raw.feed_entries``), which also replays earlier polls for the window.
"""

from __future__ import annotations

import gzip
import hashlib
import logging
import time
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from datetime import datetime

import psycopg

from extractors.feeds import FeedEntry, FeedError, ParsedFeed, parse_feed
from extractors.fetch import FetchResult, Fetcher
from extractors.timeutil import plausible
from extractors.urls import BadUrl, normalize_url
from newsfacts import settings
from newsfacts.errors import plain_errors
from newsfacts.locks import stage_lock
from newsfacts.pacing import pacer_for
from newsfacts.relevance import prefetch_verdict
from newsfacts.warehouse import connect
from newsfacts.window import Window

log = logging.getLogger(__name__)

FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, "
    "application/rdf+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.1"
)
#: Poll outcomes that are not failures of the source.
GOOD_POLL = ("ok", "not_modified", "outside_horizon")


@dataclass
class _Target:
    source_id: int
    slug: str
    feed_url: str
    etag: str | None
    last_modified: str | None
    oldest: datetime | None
    newest: datetime | None


@dataclass
class _Polled:
    target: _Target
    outcome: str
    detail: str | None
    fetch: FetchResult | None = None
    feed: ParsedFeed | None = None
    seconds: float = 0.0


def deterministic_gzip(data: bytes) -> bytes:
    """gzip with a zero timestamp: the same input always gives the same bytes."""
    return gzip.compress(data, compresslevel=6, mtime=0)


def _targets(conn: psycopg.Connection, window: Window, repoll: bool) -> list[_Target]:
    rows = conn.execute(
        """
        SELECT s.source_id, s.slug, s.feed_url, v.etag, v.last_modified, v.oldest_entry_at, v.newest_entry_at
        FROM core.sources s
        LEFT JOIN LATERAL (
            SELECT etag, last_modified, oldest_entry_at, newest_entry_at FROM raw.feed_polls p
            WHERE p.source_id = s.source_id AND p.outcome IN ('ok', 'not_modified')
            ORDER BY p.served_at DESC NULLS LAST, p.window_start DESC LIMIT 1
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
    polled = _Polled(target, fetched.outcome, fetched.detail, fetch=fetched)
    if fetched.ok:
        try:
            polled.feed = parse_feed(fetched.body, url=fetched.final_url, content_type=fetched.content_type)
            polled.outcome = "ok"
            polled.detail = "; ".join(filter(None, [polled.feed.problem, *polled.feed.notes])) or None
        except FeedError as exc:
            polled.outcome, polled.detail = exc.reason, str(exc)
        except Exception as exc:  # noqa: BLE001 - one hostile document must not stop the stage
            log.exception("parsing the feed of %s failed", target.slug)
            polled.outcome, polled.detail = "parse_error", f"the feed parser failed: {type(exc).__name__}: {str(exc)[:300]}"
    polled.seconds = time.monotonic() - started
    return polled


def _outside_horizon(target: _Target, window: Window) -> _Polled | None:
    """Skip the request when the feed's last known oldest item is newer than the window."""
    if target.oldest is None or target.oldest < window.end:
        return None
    return _Polled(
        target,
        "outside_horizon",
        f"the feed reached back only to {target.oldest:%Y-%m-%d %H:%M} UTC at its last poll",
    )


def _dated(entries: list[FeedEntry], served_at: datetime | None) -> tuple[list[FeedEntry], int]:
    """Entries with implausible dates (before 1990, after the server's clock) made undated."""
    checked, dropped = [], 0
    for entry in entries:
        published = plausible(entry.published_at, not_after=served_at)
        updated = plausible(entry.updated_at, not_after=served_at)
        dropped += (entry.published_at is not None and published is None)
        checked.append(
            FeedEntry(entry.key, entry.url, entry.title, entry.summary, published, updated, entry.authors)
        )
    return checked, dropped


#: Errors caused by what a feed contains, not by the warehouse being unavailable.
_DATA_ERRORS = (psycopg.errors.DataError, psycopg.errors.ProgramLimitExceeded, psycopg.errors.IntegrityError,
                UnicodeEncodeError)


def _store(conn: psycopg.Connection, polled: _Polled, window: Window, run_id: str) -> int:
    """Write one source's poll; if the warehouse refuses what the feed holds, record
    the poll as failed (``store_error``) with the database's reason instead."""
    try:
        return _store_poll(conn, polled, window, run_id)
    except _DATA_ERRORS as exc:
        log.exception("storing the poll of %s failed", polled.target.slug)
        failed = _Polled(polled.target, "store_error",
                         f"the warehouse refused the feed's entries: {type(exc).__name__}: {str(exc)[:300]}",
                         fetch=polled.fetch, seconds=polled.seconds)
        return _store_poll(conn, failed, window, run_id)


def _store_poll(conn: psycopg.Connection, polled: _Polled, window: Window, run_id: str) -> int:
    """Write one source's poll, entries, links and poll metrics in one transaction."""
    fetched, feed, target = polled.fetch, polled.feed, polled.target
    body = fetched.body if fetched is not None and fetched.ok else None
    served_at = fetched.served_at if fetched is not None and polled.outcome in ("ok", "not_modified") else None
    entries, dropped = _dated(feed.entries, served_at) if feed else ([], 0)
    detail = polled.detail
    if dropped:
        detail = "; ".join(filter(None, [detail, f"{dropped} entries with implausible dates kept undated"]))
    dates = [e.published_at for e in entries if e.published_at]
    if polled.outcome == "not_modified":
        oldest, newest = target.oldest, target.newest
    else:
        oldest, newest = min(dates, default=None), max(dates, default=None)
    source_id = target.source_id
    with conn.transaction(), conn.cursor() as cur:
        cur.execute(
            """
            INSERT INTO raw.feed_polls (source_id, window_start, window_end, outcome, detail, http_status,
                etag, last_modified, feed_format, entries_seen, body_gzip, body_sha256, served_at,
                oldest_entry_at, newest_entry_at)
            VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)
            ON CONFLICT (source_id, window_start) DO UPDATE SET
                window_end = EXCLUDED.window_end, outcome = EXCLUDED.outcome, detail = EXCLUDED.detail,
                http_status = EXCLUDED.http_status, etag = EXCLUDED.etag,
                last_modified = EXCLUDED.last_modified, feed_format = EXCLUDED.feed_format,
                entries_seen = EXCLUDED.entries_seen, body_gzip = EXCLUDED.body_gzip,
                body_sha256 = EXCLUDED.body_sha256, served_at = EXCLUDED.served_at,
                oldest_entry_at = EXCLUDED.oldest_entry_at, newest_entry_at = EXCLUDED.newest_entry_at
            """,
            (
                source_id, window.start, window.end, polled.outcome, detail,
                fetched.status if fetched else None,
                # Validators only matter for a feed we read; dropping them on failures
                # keeps a re-run's row identical.
                fetched.etag if feed else None, fetched.last_modified if feed else None,
                feed.format if feed else None, len(entries),
                deterministic_gzip(body) if body else None,
                hashlib.sha256(body).digest() if body else None,
                served_at, oldest, newest,
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
                (source_id, entry.key, entry.url, entry.title, entry.summary, entry.published_at,
                 entry.updated_at, list(entry.authors), window.start, window.start)
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
            (window.start, source_id, window.end, run_id, polled.outcome, detail, len(entries), polled.seconds),
        )
    return links


def _unique_entries(entries: list[FeedEntry]) -> list[FeedEntry]:
    """Feeds repeat GUIDs; keep the first entry per key, in key order (an upsert batch must
    not touch a row twice, and concurrent runs must lock rows in the same order)."""
    unique: dict[str, FeedEntry] = {}
    for entry in entries:
        unique.setdefault(entry.key, entry)
    return [unique[key] for key in sorted(unique)]


def _create_links(cur: psycopg.Cursor, source_id: int, window: Window) -> int:
    """Links for the stored entries of this source that belong to the window.

    An entry belongs to the window when its claimed publication time is inside it, or,
    having no usable date, when this window's poll was the first to list it.
    """
    cur.execute(
        """
        SELECT url, published_at, updated_at, title, summary FROM raw.feed_entries
        WHERE source_id = %(source)s AND url IS NOT NULL
          AND ((published_at >= %(start)s AND published_at < %(end)s)
               OR (published_at IS NULL AND first_seen_window = %(start)s))
        ORDER BY url
        """,
        {"source": source_id, "start": window.start, "end": window.end},
    )
    rows = {}
    for url, published, updated, title, summary in cur.fetchall():
        try:
            rows.setdefault(normalize_url(url), (url, source_id, window.start, published, updated,
                                                 *prefetch_verdict(title, summary)))
        except BadUrl:
            log.warning("skipping unusable link %r", url)
    cur.executemany(
        """
        INSERT INTO raw.links AS l (url, fetch_url, source_id, window_start, claimed_published_at, claimed_updated_at,
                                    fetch_outcome, fetch_detail)
        VALUES (%s, %s, %s, %s, %s, %s, %s, %s)
        ON CONFLICT (url) DO UPDATE SET
            claimed_updated_at = GREATEST(l.claimed_updated_at, EXCLUDED.claimed_updated_at)
        WHERE EXCLUDED.claimed_updated_at > l.claimed_updated_at
           OR (l.claimed_updated_at IS NULL AND EXCLUDED.claimed_updated_at IS NOT NULL)
        """,
        [(url, *rest) for url, rest in sorted(rows.items())],
    )
    return len(rows)


def _note_updates(cur: psycopg.Cursor, entries: list[FeedEntry]) -> None:
    """Record newer update times the feed claims for links we already have.

    The fetch stage of the window the update falls in fetches such a page again, so an
    article corrected on Tuesday is refreshed by Tuesday's run, not by re-running Monday.
    """
    rows = set()
    for entry in entries:
        if entry.url and entry.updated_at:
            try:
                rows.add((normalize_url(entry.url), entry.updated_at))
            except BadUrl:
                continue
    cur.executemany(
        """
        UPDATE raw.links SET claimed_updated_at = %(updated)s
        WHERE url = %(url)s AND (claimed_updated_at IS NULL OR claimed_updated_at < %(updated)s)
        """,
        [{"url": url, "updated": updated} for url, updated in sorted(rows)],
    )


@plain_errors
def poll_feeds(dsn: str, window: Window, run_id: str, *, repoll: bool = False) -> dict:
    """Poll the sources that need it for ``window``; return counts for XCom."""
    counts = {"sources_polled": 0, "sources_skipped": 0, "sources_failed": 0, "links_in_window": 0}
    with connect(dsn) as conn, stage_lock(conn, "poll_feeds", window):
        targets = _targets(conn, window, repoll)
        to_poll = []
        for target in targets:
            skipped = None if repoll else _outside_horizon(target, window)
            if skipped is None:
                to_poll.append(target)
            else:
                counts["links_in_window"] += _store(conn, skipped, window, run_id)
                counts["sources_skipped"] += 1
        workers = settings.fetch_workers()
        with pacer_for(dsn) as pacer, Fetcher(settings.feed_policy(), pacer=pacer) as fetcher, ThreadPoolExecutor(
            max_workers=workers
        ) as pool:
            # A sliding window: at most 2 x workers polls started and not yet stored, so
            # polling 10,000 feeds holds no more documents in memory than polling 40.
            pending = iter(to_poll)
            running: set[Future] = set()
            while True:
                for target in pending:
                    running.add(pool.submit(_poll_one, fetcher, target))
                    if len(running) >= 2 * workers:
                        break
                if not running:
                    break
                done, running = wait(running, return_when=FIRST_COMPLETED)
                for future in done:
                    polled = future.result()
                    counts["links_in_window"] += _store(conn, polled, window, run_id)
                    counts["sources_polled"] += 1
                    if polled.outcome not in GOOD_POLL:
                        counts["sources_failed"] += 1
                        log.warning("feed %s failed: %s (%s)", polled.target.slug, polled.outcome, polled.detail)
    return counts
