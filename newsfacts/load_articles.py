"""Stage 4: extract articles from stored pages and load them into core.articles.

Reads only the warehouse, never the network, so the same function re-extracts a window
after the extractor improves (``reextract=True``).

**Exact day windows.** An article belongs to the UTC day of its own publication time
(the page's; the listing's when the page has none). When a page dates its article into
another day than the listing did, the link moves to that day. The article is loaded now
if that day is this window or a window already completed; otherwise it waits, stored and
extracted, for that day's run, which loads it without any request. Finishing a window
(under an advisory lock shared with those moves) loads whatever arrived meanwhile and
marks it completed, so nothing falls between two runs and nothing is loaded twice.

**Batches.** Each batch is COPY'd into a temporary staging table and merged with one
``INSERT .. ON CONFLICT DO UPDATE .. WHERE IS DISTINCT FROM``: an unchanged article is
not rewritten, a changed one is updated in place with its version bumped. A second URL of
the same outlet with the same canonical URL is recorded as a duplicate, not loaded.
"""

from __future__ import annotations

import gzip
import hashlib
import logging
import time
from collections import defaultdict, deque
from concurrent.futures import Future
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import datetime
from functools import partial

import psycopg

from extractors.article import EXTRACTOR_VERSION, Article, ExtractionError, extract_article
from extractors.hygiene import clean_article
from extractors.relevance import SCORER_VERSION
from extractors.timeutil import day_window
from newsfacts import settings
from newsfacts.errors import plain_errors
from newsfacts.groups import lock_dedupe, refresh
from newsfacts.locks import stage_lock
from newsfacts.parallel import cpu_pool
from newsfacts.relevance import assess
from newsfacts.testhooks import pause_point
from newsfacts.warehouse import connect
from newsfacts.window import Window

log = logging.getLogger(__name__)

BATCH = 100
_LOCK_CLASS = 0x6E66  # "nf": advisory locks on run windows

_STAGE_COLUMNS = (
    "link_id", "page_id", "source_id", "url", "canonical_url", "title", "authors", "published_at",
    "published_from", "language", "top_image_url", "description", "body_text", "word_count",
    "text_sha256", "extractor_version", "first_window", "relevance_score", "relevance_reasons",
)

_MERGE = """
INSERT INTO core.articles AS a ({cols})
SELECT {cols} FROM stage_articles ORDER BY link_id
ON CONFLICT (link_id) DO UPDATE SET
    page_id = EXCLUDED.page_id, canonical_url = EXCLUDED.canonical_url, title = EXCLUDED.title,
    authors = EXCLUDED.authors, published_at = EXCLUDED.published_at,
    published_from = EXCLUDED.published_from, language = EXCLUDED.language,
    top_image_url = EXCLUDED.top_image_url, description = EXCLUDED.description,
    body_text = EXCLUDED.body_text, word_count = EXCLUDED.word_count,
    text_sha256 = EXCLUDED.text_sha256, extractor_version = EXCLUDED.extractor_version,
    relevance_score = EXCLUDED.relevance_score, relevance_reasons = EXCLUDED.relevance_reasons,
    version = a.version + (a.text_sha256 <> EXCLUDED.text_sha256)::int,
    dedupe_pending = a.dedupe_pending OR a.text_sha256 <> EXCLUDED.text_sha256,
    facts_pending = a.facts_pending OR a.text_sha256 <> EXCLUDED.text_sha256,
    updated_window = CASE WHEN a.text_sha256 <> EXCLUDED.text_sha256
                          THEN EXCLUDED.first_window ELSE a.updated_window END
WHERE (a.page_id, a.canonical_url, a.title, a.authors, a.published_at, a.published_from, a.language,
       a.top_image_url, a.description, a.text_sha256, a.extractor_version, a.relevance_score,
       a.relevance_reasons)
   IS DISTINCT FROM
      (EXCLUDED.page_id, EXCLUDED.canonical_url, EXCLUDED.title, EXCLUDED.authors,
       EXCLUDED.published_at, EXCLUDED.published_from, EXCLUDED.language, EXCLUDED.top_image_url,
       EXCLUDED.description, EXCLUDED.text_sha256, EXCLUDED.extractor_version, EXCLUDED.relevance_score,
       EXCLUDED.relevance_reasons)
RETURNING (xmax = 0) AS inserted
""".format(cols=", ".join(_STAGE_COLUMNS))

#: Same outlet, same canonical URL (not just the home page): the same article twice.
_DUPLICATES = """
WITH within_batch AS (
    DELETE FROM stage_articles s USING stage_articles t
    WHERE s.source_id = t.source_id AND s.canonical_url = t.canonical_url AND s.link_id > t.link_id
      AND s.canonical_url !~ '^https?://[^/]+/?$'
    RETURNING s.link_id, 'same canonical URL as link ' || t.link_id AS detail
), existing AS (
    DELETE FROM stage_articles s USING core.articles a
    WHERE a.source_id = s.source_id AND a.canonical_url = s.canonical_url AND a.link_id <> s.link_id
      AND s.canonical_url !~ '^https?://[^/]+/?$'
    RETURNING s.link_id, 'same canonical URL as article ' || a.article_id AS detail
)
SELECT link_id, detail FROM within_batch UNION ALL SELECT link_id, detail FROM existing
"""


#: Every version an article's text has had (the merge keeps only the latest in core.articles).
_VERSIONS = """
INSERT INTO core.article_versions (article_id, version, page_id, title, word_count, text_sha256,
                                   extractor_version, loaded_window)
SELECT a.article_id, a.version, a.page_id, a.title, a.word_count, a.text_sha256, a.extractor_version,
       s.first_window
FROM core.articles a JOIN stage_articles s USING (link_id)
ON CONFLICT (article_id, version) DO NOTHING
"""


@dataclass
class _Extracted:
    link_id: int
    row: tuple | None  # staging row, or None when extraction failed or the article is not relevant
    failure: tuple[str, str] | None
    home_window: datetime  # the day the article belongs to
    link_window: datetime
    assessment: tuple | None = None  # raw.relevance_assessments row
    cleaned: str | None = None  # what extractors.hygiene changed to make the article storable


def text_digest(article: Article) -> bytes:
    """Identity of an article's content: its title and text."""
    return hashlib.sha256(f"{article.title}\n{article.text}".encode()).digest()


def _pending(conn: psycopg.Connection, window: Window, reextract: bool) -> list[int]:
    """Links to (re)extract for the window: its own, and pages the window's run fetched."""
    rows = conn.execute(
        """
        SELECT l.link_id FROM raw.links l
        WHERE l.fetch_outcome = 'ok'
          AND (l.window_start = %(start)s
               OR EXISTS (SELECT 1 FROM raw.pages p WHERE p.link_id = l.link_id AND p.fetched_window = %(start)s))
          AND (%(all)s OR l.extract_outcome IS NULL)
        ORDER BY l.link_id
        """,
        {"start": window.start, "all": reextract},
    ).fetchall()
    return [row[0] for row in rows]


def _extract_page(page: tuple) -> tuple:
    """Extraction and relevance of one stored ``(body_gzip, final_url, content_type,
    served_at)`` page: ``(article, failure, verdict, seconds, cleaned)``. Pure, so a worker
    process can run it."""
    body_gzip, final_url, content_type, served_at = page
    started = time.monotonic()
    body = gzip.decompress(body_gzip)
    try:
        article = extract_article(body, final_url, content_type=content_type, not_after=served_at)
    except ExtractionError as exc:
        return None, (exc.reason, str(exc)), None, time.monotonic() - started, None
    # Text PostgreSQL can store (no NUL, no lone surrogate) and of sane size; what was
    # cleaned is recorded with the link (see extractors.hygiene).
    article, cleaned = clean_article(article, body, content_type)
    verdict = assess(article.title, article.text, article.language)
    return article, None, verdict, time.monotonic() - started, cleaned


def _page_key(page: tuple) -> tuple:
    """What :func:`_extract_page`'s result depends on, compactly (the body by its digest)."""
    body_gzip, final_url, content_type, served_at = page
    return hashlib.blake2b(body_gzip, digest_size=16).digest(), final_url, content_type, served_at


class ExtractionsAhead:
    """Pages handed to the workers as soon as fetch_pages has stored them, so that their
    extraction runs while the fetch waits on the network; load_articles then takes these
    results instead of extracting the same pages again. A result is taken only for the very
    page it was computed from (same body, URL, type and date): extraction being a pure
    function of the page, it is exactly what load_articles would have computed."""

    def __init__(self, pool) -> None:
        self.pool = pool
        self._started: dict[tuple, list[Future]] = defaultdict(list)
        self.taken = 0

    def start(self, pages: list[tuple]) -> None:
        for page in pages:
            self._started[_page_key(page)].append(self.pool.submit(_extract_page, page))

    def forget_queued(self) -> int:
        """Forget the extractions not started yet (how many): the pool takes them in the
        fetch's order, outlet after outlet, while load_articles wants them in its own, so
        its first batch would wait for almost the whole queue; it starts them itself."""
        forgotten = 0
        for key, futures in list(self._started.items()):
            kept = [future for future in futures if not future.cancel()]
            forgotten += len(futures) - len(kept)
            if kept:
                self._started[key] = kept
            else:
                del self._started[key]
        return forgotten

    def result_of(self, page: tuple) -> Future:
        """The page's extraction: started ahead (and then forgotten here), or started now."""
        key = _page_key(page)
        started = self._started.get(key)
        if not started:
            return self.pool.submit(_extract_page, page)
        future = started.pop()
        if not started:
            del self._started[key]
        self.taken += 1
        return future


def _read_pages(conn: psycopg.Connection, link_ids: list[int]) -> list[tuple]:
    return conn.execute(
        """
        SELECT DISTINCT ON (l.link_id) l.link_id, p.page_id, l.source_id, l.url, l.window_start,
               l.claimed_published_at, l.discovered_via, p.body_gzip, p.content_type, p.final_url, p.served_at
        FROM raw.links l JOIN raw.pages p USING (link_id)
        WHERE l.link_id = ANY(%s)
        ORDER BY l.link_id, p.page_id DESC
        """,
        (link_ids,),
    ).fetchall()


def _extract(conn: psycopg.Connection, link_ids: list[int], window: Window, seconds: dict) -> list[_Extracted]:
    pages = _read_pages(conn, link_ids)
    return _items(pages, map(_extract_page, _page_inputs(pages)), window, seconds)


def _page_inputs(pages: list[tuple]) -> list[tuple]:
    return [(body_gzip, final_url, content_type, served_at)
            for *_, body_gzip, content_type, final_url, served_at in pages]


def _items(pages: list[tuple], outcomes, window: Window, seconds: dict) -> list[_Extracted]:
    """The staging rows (or failures) of ``pages`` from their extraction ``outcomes``."""
    results = []
    for (link_id, page_id, source_id, url, link_window, claimed, via, *_), (article, failure, verdict, elapsed,
                                                                         cleaned) in zip(pages, outcomes):
        if failure is not None:
            log.warning("no article in %s: %s", url, failure[1])
            results.append(_Extracted(link_id, None, failure, link_window, link_window))
        else:
            if article.published_at is not None:
                published, origin = article.published_at, "page"
            elif claimed is not None:
                published, origin = claimed, via
            else:
                published, origin = None, "none"
            home = day_window(published.date())[0] if published else link_window
            assessment = (link_id, page_id, verdict.score, verdict.relevant, list(verdict.reasons),
                          settings.relevance_threshold(), SCORER_VERSION, article.title, window.start)
            if not verdict.relevant:
                detail = f"relevance {verdict.score:.2f} below {settings.relevance_threshold()}: " + "; ".join(verdict.reasons)
                detail += f"; {cleaned}" if cleaned else ""
                results.append(_Extracted(link_id, None, ("irrelevant", detail), home, link_window, assessment))
            else:
                row = (
                    link_id, page_id, source_id, url, article.canonical_url, article.title, article.authors,
                    published, origin, article.language, article.top_image_url, article.description,
                    article.text, article.word_count, text_digest(article), EXTRACTOR_VERSION, window.start,
                    verdict.score, list(verdict.reasons),
                )
                results.append(_Extracted(link_id, row, None, home, link_window, assessment, cleaned))
        seconds[source_id] += elapsed
    return results


def _extracted_batches(conn: psycopg.Connection, pending: list[int], window: Window, seconds: dict,
                       pool, ahead: ExtractionsAhead | None = None):
    """Batches of extracted pages, in order. With a process pool, the next batch is read
    and handed to the workers before this one is returned, so its extraction runs while
    the caller loads this one (pages already started ``ahead`` are not started again)."""
    batches = [pending[offset: offset + BATCH] for offset in range(0, len(pending), BATCH)]
    if pool is None:
        for link_ids in batches:
            yield _extract(conn, link_ids, window, seconds)
        return
    extraction = ahead.result_of if ahead is not None else partial(pool.submit, _extract_page)
    started: deque = deque()
    for link_ids in batches:
        pages = _read_pages(conn, link_ids)
        started.append((pages, [extraction(page) for page in _page_inputs(pages)]))
        if len(started) > 1:
            pages, futures = started.popleft()
            yield _items(pages, (f.result() for f in futures), window, seconds)
    while started:
        pages, futures = started.popleft()
        yield _items(pages, (f.result() for f in futures), window, seconds)


def _lock_window(cur: psycopg.Cursor, start: datetime) -> None:
    """Serialise loading into one window with finishing it (see the module docstring)."""
    cur.execute("SELECT pg_advisory_xact_lock(%s, %s)", (_LOCK_CLASS, start.toordinal()))


def _merge(cur: psycopg.Cursor, items: list[_Extracted]) -> tuple[int, int]:
    """Load extracted rows and record failures and duplicates; returns (inserted, updated)."""
    dropped = [item.link_id for item in items if item.assessment is not None and item.row is None]
    if dropped and cur.execute("SELECT 1 FROM core.articles WHERE link_id = ANY(%s) LIMIT 1", (dropped,)).fetchone():
        # Articles leave core and their groups and stories are recomputed: like the dedupe
        # stage, under its lock, taken before any row lock (no deadlock with a dedupe batch).
        lock_dedupe(cur)
    cur.execute(
        """
        CREATE TEMP TABLE IF NOT EXISTS stage_articles (
            link_id bigint, page_id bigint, source_id integer, url text, canonical_url text,
            title text, authors text[], published_at timestamptz, published_from text,
            language text, top_image_url text, description text, body_text text,
            word_count integer, text_sha256 bytea, extractor_version text, first_window timestamptz,
            relevance_score real, relevance_reasons text[]
        ) ON COMMIT DELETE ROWS
        """
    )
    with cur.copy(f"COPY stage_articles ({', '.join(_STAGE_COLUMNS)}) FROM STDIN") as copy:
        for item in items:
            if item.row is not None:
                copy.write_row(item.row)
    cur.execute(_DUPLICATES)
    duplicates = cur.fetchall()
    cur.execute(_MERGE)
    merged = [inserted for (inserted,) in cur.fetchall()]
    cur.execute(_VERSIONS)
    _record_assessments(cur, items)
    cur.execute(
        "UPDATE raw.links l SET extract_outcome = 'ok', extract_detail = NULL FROM stage_articles s "
        "WHERE l.link_id = s.link_id"
    )
    cur.executemany(
        "UPDATE raw.links SET extract_outcome = 'duplicate', extract_detail = %s WHERE link_id = %s",
        [(detail, link_id) for link_id, detail in duplicates],
    )
    cur.executemany(
        "UPDATE raw.links SET extract_outcome = %s, extract_detail = %s WHERE link_id = %s",
        [(*item.failure, item.link_id) for item in items if item.failure is not None],
    )
    cur.executemany(
        "UPDATE raw.links SET extract_detail = %s WHERE link_id = %s AND extract_outcome = 'ok'",
        [(item.cleaned, item.link_id) for item in items if item.row is not None and item.cleaned],
    )
    inserted = sum(merged)
    return inserted, len(merged) - inserted


def _record_assessments(cur: psycopg.Cursor, items: list[_Extracted]) -> None:
    """Store every relevance verdict; an article that is no longer relevant leaves core."""
    cur.executemany(
        """
        INSERT INTO raw.relevance_assessments AS r (link_id, page_id, score, relevant, reasons, threshold,
                                               scorer_version, title, assessed_window)
        VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)
        ON CONFLICT (link_id) DO UPDATE SET
            page_id = EXCLUDED.page_id, score = EXCLUDED.score, relevant = EXCLUDED.relevant,
            reasons = EXCLUDED.reasons, threshold = EXCLUDED.threshold, scorer_version = EXCLUDED.scorer_version,
            title = EXCLUDED.title, assessed_window = EXCLUDED.assessed_window
        WHERE (r.page_id, r.score, r.relevant, r.reasons, r.threshold, r.scorer_version, r.title)
              IS DISTINCT FROM (EXCLUDED.page_id, EXCLUDED.score, EXCLUDED.relevant, EXCLUDED.reasons,
                                EXCLUDED.threshold, EXCLUDED.scorer_version, EXCLUDED.title)
        """,
        [item.assessment for item in items if item.assessment is not None],
    )
    dropped = [item.link_id for item in items if item.assessment is not None and item.row is None]
    if dropped:
        cur.execute("DELETE FROM core.articles WHERE link_id = ANY(%s) RETURNING duplicate_group_id, story_id",
                    (dropped,))
        left = cur.fetchall()
        refresh(cur, {g for g, _ in left}, {s for _, s in left})


def _completed(cur: psycopg.Cursor, start: datetime) -> bool:
    cur.execute("SELECT 1 FROM ops.completed_windows WHERE window_start = %s", (start,))
    return cur.fetchone() is not None


def _load(conn: psycopg.Connection, items: list[_Extracted], window: Window, counts: dict) -> None:
    """Load what belongs to this window; move the rest, loading it if its day is done."""
    here = [i for i in items if i.row is None or i.home_window == window.start]
    elsewhere: dict[datetime, list[_Extracted]] = defaultdict(list)
    for item in items:
        if item.row is not None and item.home_window != window.start:
            elsewhere[item.home_window].append(item)
    with conn.transaction(), conn.cursor() as cur:
        _count(counts, _merge(cur, here))
        cur.executemany(
            "UPDATE raw.links SET window_start = %s WHERE link_id = %s AND window_start <> %s",
            [(i.home_window, i.link_id, i.home_window) for i in items if i.row is not None],
        )
        pause_point("load_articles.merge")
    for home, group in sorted(elsewhere.items()):
        with conn.transaction(), conn.cursor() as cur:
            _lock_window(cur, home)
            if _completed(cur, home):
                _count(counts, _merge(cur, group))
            else:
                counts["deferred"] += len(group)
                log.info("%d articles dated %s wait for that day's run", len(group), home.date())


def _count(counts: dict, merged: tuple[int, int]) -> None:
    counts["inserted"] += merged[0]
    counts["updated"] += merged[1]


@plain_errors
def load_articles(dsn: str, window: Window, run_id: str, *, reextract: bool = False,
                  ahead: ExtractionsAhead | None = None) -> dict:
    """Extract and load the window's pending pages, then complete the window. With
    ``ahead``, its pool does the extraction, taking the results it has already computed."""
    counts = {"extracted": 0, "failed": 0, "inserted": 0, "updated": 0, "deferred": 0}
    seconds: dict[int, float] = defaultdict(float)
    with connect(dsn) as conn, stage_lock(conn, "load_articles", window):
        pending = _pending(conn, window, reextract)
        # Extraction and relevance (pure CPU) run on every core when there is enough of it.
        with (nullcontext(ahead.pool) if ahead is not None
              else cpu_pool(len(pending), preload=("newsfacts.load_articles",))) as pool:
            for items in _extracted_batches(conn, pending, window, seconds, pool, ahead):
                counts["extracted"] += sum(i.row is not None for i in items)
                counts["failed"] += sum(i.failure is not None for i in items)
                _load(conn, items, window, counts)
                pause_point("load_articles.batch")
        _complete(conn, window, run_id, counts, seconds)
        _record_seconds(conn, window, run_id, seconds)
    return counts


def _complete(conn: psycopg.Connection, window: Window, run_id: str, counts: dict, seconds: dict) -> None:
    """Under the window's lock: load links moved here meanwhile, then mark it completed."""
    with conn.transaction(), conn.cursor() as cur:
        _lock_window(cur, window.start)
        cur.execute(
            "SELECT link_id FROM raw.links WHERE window_start = %s AND fetch_outcome = 'ok' "
            "AND extract_outcome IS NULL ORDER BY link_id",
            (window.start,),
        )
        arrived = [row[0] for row in cur.fetchall()]
        if arrived:
            items = [i for i in _extract(conn, arrived, window, seconds) if i.row is None or i.home_window == window.start]
            _count(counts, _merge(cur, items))
        cur.execute(
            "INSERT INTO ops.completed_windows (window_start, window_end, run_id) VALUES (%s, %s, %s) "
            "ON CONFLICT (window_start) DO NOTHING",
            (window.start, window.end, run_id),
        )


def _record_seconds(conn: psycopg.Connection, window: Window, run_id: str, seconds: dict[int, float]) -> None:
    with conn.transaction(), conn.cursor() as cur:
        cur.executemany(
            """
            INSERT INTO ops.run_metrics (window_start, source_id, window_end, run_id, extract_seconds)
            VALUES (%s, %s, %s, %s, %s)
            ON CONFLICT (window_start, source_id) DO UPDATE SET
                run_id = EXCLUDED.run_id, extract_seconds = EXCLUDED.extract_seconds
            """,
            [(window.start, sid, window.end, run_id, s) for sid, s in sorted(seconds.items())],
        )
