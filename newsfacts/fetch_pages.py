"""Stage 2: fetch the pages of the window's links and store them compressed in raw.pages.

Which links are fetched:
- the window's links never fetched yet;
- the window's links that failed with a transient reason (timeout, connection error,
  HTTP 429/5xx), or with any reason when ``retry_failed`` is set;
- any link whose feed claims an update, made before the window's end, newer than the
  one we fetched: the article changed, so we ask again (conditionally, with the stored
  ETag). The run of the day an update is claimed on picks it up.
Anything else is left alone, so a re-run of a finished window makes no request.

robots.txt is honoured: before the first page of a site, its robots.txt is read (once per
site and run); a page it disallows for our User-Agent is not requested and its link is
recorded as ``robots_disallowed`` with the rule. A robots.txt that cannot be read (5xx,
timeout) means "not now" (RFC 9309): the link is recorded as ``robots_unavailable`` and
retried by the next run, like any transient failure.

A new body is stored as a new page version (same body twice is stored once) and resets
the link's extraction status so stage 3 extracts it.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import psycopg

from extractors.fetch import RETRYABLE_OUTCOMES, RETRYABLE_STATUSES, FetchResult, Fetcher
from extractors.robots import RobotsRules, parse_robots, robots_url
from extractors.urls import host_of
from newsfacts import settings
from newsfacts.errors import plain_errors
from newsfacts.locks import stage_lock
from newsfacts.pacing import pacer_for
from newsfacts.parallel import completed_batches, interleave
from newsfacts.poll import deterministic_gzip
from newsfacts.testhooks import pause_point
from newsfacts.warehouse import connect
from newsfacts.window import Window

log = logging.getLogger(__name__)

PAGE_ACCEPT = "text/html,application/xhtml+xml;q=0.9,*/*;q=0.5"
#: Pages written per transaction: bounds memory (bodies are held until written).
BATCH = 50
#: Link outcomes the next run retries by itself (besides HTTP 429/5xx).
TRANSIENT_OUTCOMES = RETRYABLE_OUTCOMES | {"robots_unavailable"}


class RobotsCache:
    """Each site's robots.txt, read once per run of the stage (thread-safe).

    ``check(url)`` returns None when the page may be fetched, else the FetchResult to
    record instead of fetching it (``robots_disallowed`` or ``robots_unavailable``).
    """

    def __init__(self, fetcher: Fetcher):
        self._fetcher = fetcher
        self.token = fetcher.policy.user_agent.split("/", 1)[0].strip().lower()
        self._lock = threading.Lock()
        self._sites: dict[str, tuple[threading.Lock, list]] = {}

    def _rules(self, site: str) -> tuple[RobotsRules | None, str | None]:
        """(rules, None) to obey, (None, None) when anything goes, (None, reason) when
        the file could not be read."""
        with self._lock:
            lock, slot = self._sites.setdefault(site, (threading.Lock(), []))
        with lock:
            if not slot:
                slot.append(self._read(site))
            return slot[0]

    def _read(self, site: str) -> tuple[RobotsRules | None, str | None]:
        result = self._fetcher.get(site, accept="text/plain")
        if result.ok:
            return parse_robots(result.body.decode("utf-8", "replace")), None
        if result.outcome == "http_error" and result.status is not None and 400 <= result.status < 500 \
                and result.status != 429:
            return None, None  # no robots.txt: everything is allowed
        if result.outcome in ("too_many_redirects", "blocked_address", "bad_url"):
            # RFC 9309 lets a crawler treat a redirect maze as "no robots.txt"; a refused
            # address is refused again, with its reason, when the page itself is asked for.
            return None, None
        return None, f"{site}: {result.outcome} ({result.detail})"

    def check(self, url: str) -> FetchResult | None:
        try:
            site = robots_url(url)
        except ValueError:
            return None  # the fetch records why the URL is unusable
        rules, unavailable = self._rules(site)
        if unavailable:
            return FetchResult(url, url, "robots_unavailable",
                               detail=f"robots.txt could not be read, so nothing is fetched from the site for now: {unavailable}")
        if rules is None:
            return None
        allowed, rule = rules.verdict(url, self.token)
        if allowed:
            return None
        return FetchResult(url, url, "robots_disallowed",
                           detail=f"{site} disallows this page for {self.token} ({rule.line})")


@dataclass
class _Link:
    link_id: int
    source_id: int
    fetch_url: str
    claimed_update: object
    etag: str | None
    last_modified: str | None


def _links_to_fetch(conn: psycopg.Connection, window: Window, retry_failed: bool) -> list[_Link]:
    rows = conn.execute(
        """
        SELECT l.link_id, l.source_id, l.fetch_url, l.claimed_updated_at,
               CASE WHEN l.fetch_outcome = 'ok' THEN p.etag END,
               CASE WHEN l.fetch_outcome = 'ok' THEN p.last_modified END
        FROM raw.links l
        LEFT JOIN LATERAL (
            SELECT etag, last_modified FROM raw.pages WHERE link_id = l.link_id
            ORDER BY page_id DESC LIMIT 1
        ) p ON true
        WHERE (l.window_start = %(start)s
               AND (l.fetch_outcome IS NULL
                    OR (l.fetch_outcome <> 'ok' AND (%(retry_all)s
                        OR l.fetch_outcome = ANY(%(transient)s)
                        OR (l.fetch_outcome = 'http_error' AND l.http_status = ANY(%(statuses)s))))))
           OR (l.fetch_outcome = 'ok' AND l.claimed_updated_at < %(end)s
               AND l.claimed_updated_at > coalesce(l.fetched_claimed_update, '-infinity'))
        ORDER BY l.link_id
        """,
        {
            "start": window.start,
            "end": window.end,
            "retry_all": retry_failed,
            "transient": sorted(TRANSIENT_OUTCOMES),
            "statuses": list(RETRYABLE_STATUSES),
        },
    ).fetchall()
    return [_Link(*row) for row in rows]


_PAGE_COLUMNS = (
    "link_id", "body_sha256", "body_gzip", "body_bytes", "final_url", "http_status", "content_type",
    "etag", "last_modified", "served_at", "fetched_window",
)


def _store_batch(
    conn: psycopg.Connection, batch: list[tuple[_Link, FetchResult]], window: Window
) -> list[tuple]:
    """Write one batch of fetch results in one transaction (pages via COPY + upsert);
    returns the pages as load_articles reads them back: ``(body_gzip, final_url,
    content_type, served_at)``."""
    columns = ", ".join(_PAGE_COLUMNS)
    pages = [(link, result, deterministic_gzip(result.body)) for link, result in batch if result.ok]
    with conn.transaction(), conn.cursor() as cur:
        cur.execute(
            """
            CREATE TEMP TABLE stage_pages (
                link_id bigint, body_sha256 bytea, body_gzip bytea, body_bytes integer, final_url text,
                http_status integer, content_type text, etag text, last_modified text,
                served_at timestamptz, fetched_window timestamptz
            ) ON COMMIT DROP
            """
        )
        with cur.copy(f"COPY stage_pages ({columns}) FROM STDIN") as copy:
            for link, result, body_gzip in pages:
                copy.write_row((
                    link.link_id, hashlib.sha256(result.body).digest(), body_gzip, len(result.body),
                    result.final_url, result.status, result.content_type, result.etag,
                    result.last_modified, result.served_at, window.start,
                ))
        # A body already stored for the link is not a new version: keep its extraction.
        cur.execute(
            f"""
            WITH new_versions AS (
                INSERT INTO raw.pages ({columns}) SELECT {columns} FROM stage_pages
                ON CONFLICT (link_id, body_sha256) DO NOTHING
                RETURNING link_id
            )
            UPDATE raw.links l SET fetch_outcome = 'ok', fetch_detail = NULL, http_status = s.http_status,
                fetched_claimed_update = l.claimed_updated_at,
                extract_outcome = CASE WHEN n.link_id IS NULL THEN l.extract_outcome END,
                extract_detail = CASE WHEN n.link_id IS NULL THEN l.extract_detail END
            FROM stage_pages s LEFT JOIN new_versions n USING (link_id)
            WHERE l.link_id = s.link_id
            """
        )
        cur.executemany(
            "UPDATE raw.links SET fetched_claimed_update = claimed_updated_at WHERE link_id = %s",
            [(link.link_id,) for link, result in batch if result.outcome == "not_modified"],
        )
        cur.executemany(
            "UPDATE raw.links SET fetch_outcome = %s, fetch_detail = %s, http_status = %s WHERE link_id = %s",
            [
                (result.outcome, result.detail, result.status, link.link_id)
                for link, result in batch
                if not result.ok and result.outcome != "not_modified"
            ],
        )
    return [(body_gzip, result.final_url, result.content_type, result.served_at) for _, result, body_gzip in pages]


def _host(url: str) -> str:
    try:
        return host_of(url)
    except ValueError:
        return ""  # the fetch records why the URL is unusable


@plain_errors
def fetch_pages(dsn: str, window: Window, run_id: str, *, retry_failed: bool = False,
                on_stored: Callable[[list[tuple]], None] | None = None) -> dict:
    """Fetch what the window needs; return counts for XCom. ``on_stored`` is handed each
    committed batch's pages (see :func:`_store_batch`), to start their extraction."""
    counts = {"requested": 0, "stored": 0, "failed": 0}
    seconds: dict[int, float] = defaultdict(float)
    with connect(dsn) as conn, stage_lock(conn, "fetch_pages", window):
        links = _links_to_fetch(conn, window, retry_failed)
        with pacer_for(dsn) as pacer, Fetcher(settings.page_policy(), pacer=pacer) as fetcher, \
                Fetcher(settings.robots_policy(), pacer=pacer) as robots_fetcher, \
                ThreadPoolExecutor(max_workers=settings.fetch_workers()) as pool:
            robots = RobotsCache(robots_fetcher) if settings.obey_robots() else None

            def fetch(link: _Link) -> tuple[_Link, FetchResult]:
                if robots is not None and (refused := robots.check(link.fetch_url)) is not None:
                    return link, refused
                return link, fetcher.get(
                    link.fetch_url, accept=PAGE_ACCEPT, etag=link.etag, last_modified=link.last_modified
                )

            # Round-robin over hosts, so that one outlet's politeness limits (two requests at
            # a time, paced) do not hold up the others; pages are written as they arrive, so
            # a page that takes until its time limit holds up one thread, not a batch.
            ordered = interleave(links, lambda link: _host(link.fetch_url))
            for batch in completed_batches(pool, fetch, ordered, BATCH, in_flight=settings.fetch_workers()):
                for link, result in batch:
                    counts["requested"] += 1
                    seconds[link.source_id] += result.elapsed
                    if result.ok:
                        counts["stored"] += 1
                    elif result.outcome != "not_modified":
                        counts["failed"] += 1
                        log.warning("page %s failed: %s (%s)", link.fetch_url, result.outcome, result.detail)
                stored = _store_batch(conn, batch, window)
                pause_point("fetch_pages.batch")
                if on_stored is not None and stored:
                    on_stored(stored)
        _record_seconds(conn, window, run_id, seconds)
    return counts


def _record_seconds(conn: psycopg.Connection, window: Window, run_id: str, seconds: dict[int, float]) -> None:
    with conn.transaction(), conn.cursor() as cur:
        cur.executemany(
            """
            INSERT INTO ops.run_metrics (window_start, source_id, window_end, run_id, fetch_seconds)
            VALUES (%s, %s, %s, %s, %s)
            ON CONFLICT (window_start, source_id) DO UPDATE SET
                run_id = EXCLUDED.run_id, fetch_seconds = EXCLUDED.fetch_seconds
            """,
            [(window.start, sid, window.end, run_id, s) for sid, s in sorted(seconds.items())],
        )
