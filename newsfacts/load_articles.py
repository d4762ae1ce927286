"""Stage 3: extract articles from stored pages and upsert them into core.articles.

Reads only the warehouse (never the network), so the same function re-extracts a
window after the extractor improves (``reextract=True``).

Loading is batched: each batch is COPY'd into a temporary staging table and merged with
one ``INSERT .. ON CONFLICT DO UPDATE .. WHERE IS DISTINCT FROM``, so an unchanged
article is not even rewritten, a changed one is updated in place with its version
bumped, and the whole batch is one transaction.
"""

from __future__ import annotations

import gzip
import hashlib
import logging
import time
from collections import defaultdict

import psycopg

from extractors.article import EXTRACTOR_VERSION, Article, ExtractionError, extract_article
from newsfacts.warehouse import connect
from newsfacts.window import Window

log = logging.getLogger(__name__)

BATCH = 100

_STAGE_COLUMNS = (
    "link_id", "page_id", "source_id", "url", "canonical_url", "title", "authors", "published_at",
    "published_from", "language", "top_image_url", "description", "body_text", "word_count",
    "text_sha256", "extractor_version", "first_window",
)

_MERGE = """
INSERT INTO core.articles AS a ({cols})
SELECT {cols} FROM stage_articles
ON CONFLICT (link_id) DO UPDATE SET
    page_id = EXCLUDED.page_id, canonical_url = EXCLUDED.canonical_url, title = EXCLUDED.title,
    authors = EXCLUDED.authors, published_at = EXCLUDED.published_at,
    published_from = EXCLUDED.published_from, language = EXCLUDED.language,
    top_image_url = EXCLUDED.top_image_url, description = EXCLUDED.description,
    body_text = EXCLUDED.body_text, word_count = EXCLUDED.word_count,
    text_sha256 = EXCLUDED.text_sha256, extractor_version = EXCLUDED.extractor_version,
    version = a.version + (a.text_sha256 <> EXCLUDED.text_sha256)::int,
    updated_window = CASE WHEN a.text_sha256 <> EXCLUDED.text_sha256
                          THEN EXCLUDED.first_window ELSE a.updated_window END
WHERE (a.page_id, a.canonical_url, a.title, a.authors, a.published_at, a.published_from, a.language,
       a.top_image_url, a.description, a.text_sha256, a.extractor_version)
   IS DISTINCT FROM
      (EXCLUDED.page_id, EXCLUDED.canonical_url, EXCLUDED.title, EXCLUDED.authors,
       EXCLUDED.published_at, EXCLUDED.published_from, EXCLUDED.language, EXCLUDED.top_image_url,
       EXCLUDED.description, EXCLUDED.text_sha256, EXCLUDED.extractor_version)
RETURNING (xmax = 0) AS inserted
""".format(cols=", ".join(_STAGE_COLUMNS))


def text_digest(article: Article) -> bytes:
    """Identity of an article's content: its title and text."""
    return hashlib.sha256(f"{article.title}\n{article.text}".encode()).digest()


def _pending(conn: psycopg.Connection, window: Window, reextract: bool) -> list[int]:
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


def _pages(conn: psycopg.Connection, link_ids: list[int]) -> list[tuple]:
    return conn.execute(
        """
        SELECT DISTINCT ON (l.link_id) l.link_id, p.page_id, l.source_id, l.url, l.claimed_published_at,
               p.body_gzip, p.content_type, p.final_url, p.served_at
        FROM raw.links l JOIN raw.pages p USING (link_id)
        WHERE l.link_id = ANY(%s)
        ORDER BY l.link_id, p.page_id DESC
        """,
        (link_ids,),
    ).fetchall()


def load_articles(dsn: str, window: Window, run_id: str, *, reextract: bool = False) -> dict:
    """Extract and load the window's pending pages; return counts for XCom."""
    counts = {"extracted": 0, "failed": 0, "inserted": 0, "updated": 0}
    seconds: dict[int, float] = defaultdict(float)
    with connect(dsn) as conn:
        pending = _pending(conn, window, reextract)
        for offset in range(0, len(pending), BATCH):
            rows, failures = [], []
            for link_id, page_id, source_id, url, claimed, body_gzip, content_type, final_url, served_at in _pages(
                conn, pending[offset : offset + BATCH]
            ):
                started = time.monotonic()
                try:
                    article = extract_article(
                        gzip.decompress(body_gzip), final_url, content_type=content_type, not_after=served_at
                    )
                except ExtractionError as exc:
                    failures.append((exc.reason, str(exc), link_id))
                    log.warning("no article in %s: %s", url, exc)
                else:
                    published, origin = (
                        (article.published_at, "page") if article.published_at
                        else (claimed, "feed") if claimed else (None, "none")
                    )
                    rows.append((
                        link_id, page_id, source_id, url, article.canonical_url, article.title,
                        article.authors, published, origin, article.language, article.top_image_url,
                        article.description, article.text, article.word_count, text_digest(article),
                        EXTRACTOR_VERSION, window.start,
                    ))
                seconds[source_id] += time.monotonic() - started
            merged = _merge(conn, rows, failures)
            counts["extracted"] += len(rows)
            counts["failed"] += len(failures)
            counts["inserted"] += sum(merged)
            counts["updated"] += len(merged) - sum(merged)
        _record_seconds(conn, window, run_id, seconds)
    return counts


def _merge(conn: psycopg.Connection, rows: list[tuple], failures: list[tuple]) -> list[bool]:
    """Load one batch in one transaction; return, per written row, whether it was new."""
    with conn.transaction(), conn.cursor() as cur:
        cur.execute(
            """
            CREATE TEMP TABLE stage_articles (
                link_id bigint, page_id bigint, source_id integer, url text, canonical_url text,
                title text, authors text[], published_at timestamptz, published_from text,
                language text, top_image_url text, description text, body_text text,
                word_count integer, text_sha256 bytea, extractor_version text, first_window timestamptz
            ) ON COMMIT DROP
            """
        )
        with cur.copy(f"COPY stage_articles ({', '.join(_STAGE_COLUMNS)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        cur.execute(_MERGE)
        merged = [inserted for (inserted,) in cur.fetchall()]
        cur.executemany(
            "UPDATE raw.links SET extract_outcome = 'ok', extract_detail = NULL WHERE link_id = %s",
            [(row[0],) for row in rows],
        )
        cur.executemany(
            "UPDATE raw.links SET extract_outcome = %s, extract_detail = %s WHERE link_id = %s",
            failures,
        )
    return merged


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
