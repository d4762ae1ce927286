"""Stage 5: put every new or changed article into its duplicate group and its story.

Runs :func:`extractors.dedup.assign` and :func:`extractors.stories.best_story` against
the warehouse: fingerprints and LSH bands live in ``core.article_fingerprints`` and
``core.article_lsh_bands``, so a lookup is an indexed query that sees every article ever
loaded, by any run on any worker.

Which articles: those marked ``dedupe_pending`` (new, or their text changed since),
found through a partial index however large the table — whatever run loaded them, so an article that arrived late for its day is
handled by the next run that looks. Articles go in publication order, in batches; each
batch is one transaction under one advisory lock, because two concurrent runs assigning
copies of the same story must see each other's groups (otherwise both would start one).
An article whose text changed at the same URL keeps its group and story (it is a new
version of the same article, see ``core.article_versions``); only its fingerprint is
renewed. A re-run finds nothing pending and changes nothing.
"""

from __future__ import annotations

import json
import logging
from datetime import datetime

import psycopg

from extractors.dedup import MAX_BUCKET, Document, Fingerprint, assign, fingerprint
from extractors.stories import WINDOW, StoryCandidate, best_story, story_terms
from newsfacts.warehouse import connect

log = logging.getLogger(__name__)

BATCH = 200
_LOCK = (0x6E66, 0x6464)  # "nf", "dd": one dedup writer at a time

_PENDING = """
SELECT a.article_id, a.title, a.body_text, a.published_at, a.first_window, a.source_id,
       f.article_id IS NOT NULL AS fingerprinted
FROM core.articles a LEFT JOIN core.article_fingerprints f USING (article_id)
WHERE a.dedupe_pending
ORDER BY a.published_at NULLS LAST, a.article_id
LIMIT %s
"""

_CANDIDATES = """
SELECT DISTINCT c.article_id
FROM unnest(%(bands)s::smallint[], %(buckets)s::bigint[]) AS k(band, bucket)
CROSS JOIN LATERAL (
    SELECT l.article_id FROM core.article_lsh_bands l
    WHERE l.band = k.band AND l.bucket = k.bucket AND l.article_id <> %(self)s
    ORDER BY l.article_id DESC LIMIT %(cap)s
) c
"""

_REFRESH_GROUPS = """
UPDATE core.duplicate_groups g
SET canonical_article_id = x.first, article_count = x.n, outlet_count = x.outlets, first_published_at = x.published
FROM (
    SELECT duplicate_group_id, (array_agg(article_id ORDER BY published_at NULLS LAST, article_id))[1] AS first,
           count(*) AS n, count(DISTINCT source_id) AS outlets, min(published_at) AS published
    FROM core.articles WHERE duplicate_group_id = ANY(%(ids)s) GROUP BY duplicate_group_id
) x
WHERE g.duplicate_group_id = x.duplicate_group_id
  AND (g.canonical_article_id, g.article_count, g.outlet_count, g.first_published_at)
      IS DISTINCT FROM (x.first, x.n, x.outlets, x.published)
"""

_REFRESH_STORIES = """
UPDATE core.stories s
SET first_article_id = x.first, headline = x.headline, first_published_at = x.first_at,
    last_published_at = x.last_at, article_count = x.n, outlet_count = x.outlets
FROM (
    SELECT story_id, (array_agg(article_id ORDER BY published_at NULLS LAST, article_id))[1] AS first,
           (array_agg(title ORDER BY published_at NULLS LAST, article_id))[1] AS headline,
           min(published_at) AS first_at, max(published_at) AS last_at, count(*) AS n,
           count(DISTINCT source_id) AS outlets
    FROM core.articles WHERE story_id = ANY(%(ids)s) GROUP BY story_id
) x
WHERE s.story_id = x.story_id
  AND (s.first_article_id, s.headline, s.first_published_at, s.last_published_at, s.article_count, s.outlet_count)
      IS DISTINCT FROM (x.first, x.headline, x.first_at, x.last_at, x.n, x.outlets)
"""


def refresh(cur: psycopg.Cursor, groups, stories) -> None:
    """Recompute the canonical article, first report and counts of these groups and stories."""
    groups, stories = sorted(g for g in groups if g is not None), sorted(s for s in stories if s is not None)
    if groups:
        cur.execute(_REFRESH_GROUPS, {"ids": groups})
        cur.execute(
            "UPDATE core.duplicate_groups g SET canonical_article_id = NULL, article_count = 0, outlet_count = 0, "
            "first_published_at = NULL WHERE duplicate_group_id = ANY(%s) AND article_count > 0 "
            "AND NOT EXISTS (SELECT 1 FROM core.articles a WHERE a.duplicate_group_id = g.duplicate_group_id)",
            (groups,),
        )
    if stories:
        cur.execute(_REFRESH_STORIES, {"ids": stories})
        cur.execute(
            "UPDATE core.stories s SET first_article_id = NULL, article_count = 0, outlet_count = 0 "
            "WHERE story_id = ANY(%s) AND article_count > 0 "
            "AND NOT EXISTS (SELECT 1 FROM core.articles a WHERE a.story_id = s.story_id)",
            (stories,),
        )


class WarehouseIndex:
    """:class:`extractors.dedup.Index` over the warehouse tables, inside one transaction."""

    def __init__(self, cur: psycopg.Cursor):
        self._cur = cur
        self._fingerprints: dict[str, Fingerprint] = {}

    def exact(self, text_hash: bytes) -> tuple[str, str] | None:
        row = self._cur.execute(
            "SELECT f.article_id, a.duplicate_group_id FROM core.article_fingerprints f "
            "JOIN core.articles a USING (article_id) "
            "WHERE f.normalized_sha256 = %s AND a.duplicate_group_id IS NOT NULL ORDER BY f.article_id LIMIT 1",
            (text_hash,),
        ).fetchone()
        return None if row is None else (str(row[0]), str(row[1]))

    def candidates(self, bands, exclude: str) -> list[tuple[str, str, Fingerprint]]:
        bands = list(bands)
        ids = [row[0] for row in self._cur.execute(
            _CANDIDATES,
            {"bands": [b for b, _ in bands], "buckets": [k for _, k in bands], "self": int(exclude), "cap": MAX_BUCKET},
        ).fetchall()]
        if not ids:
            return []
        rows = self._cur.execute(
            "SELECT article_id, duplicate_group_id, title, body_text FROM core.articles "
            "WHERE article_id = ANY(%s) AND duplicate_group_id IS NOT NULL ORDER BY article_id",
            (ids,),
        ).fetchall()
        found = []
        for article_id, group, title, body in rows:
            key = str(article_id)
            if key not in self._fingerprints:
                self._fingerprints[key] = fingerprint(f"{title}\n{body}")
            found.append((key, str(group), self._fingerprints[key]))
        return found

    def add(self, doc: Document, fp: Fingerprint, group: str | None) -> str:
        if group is None:
            group = str(self._cur.execute(
                "INSERT INTO core.duplicate_groups DEFAULT VALUES RETURNING duplicate_group_id").fetchone()[0])
        store_fingerprint(self._cur, int(doc.id), fp)
        self._fingerprints[doc.id] = fp
        return group

    def canonical(self, group: str) -> str:
        row = self._cur.execute(
            "SELECT canonical_article_id FROM core.duplicate_groups WHERE duplicate_group_id = %s", (int(group),)
        ).fetchone()
        return str(row[0]) if row and row[0] is not None else ""


def store_fingerprint(cur: psycopg.Cursor, article_id: int, fp: Fingerprint) -> None:
    """(Re)write an article's fingerprint and LSH bands."""
    cur.execute("DELETE FROM core.article_lsh_bands WHERE article_id = %s", (article_id,))
    cur.execute(
        """
        INSERT INTO core.article_fingerprints (article_id, text_sha256, normalized_sha256, minhash)
        SELECT article_id, text_sha256, %(normalized)s, %(minhash)s FROM core.articles WHERE article_id = %(id)s
        ON CONFLICT (article_id) DO UPDATE SET text_sha256 = EXCLUDED.text_sha256,
            normalized_sha256 = EXCLUDED.normalized_sha256, minhash = EXCLUDED.minhash
        """,
        {"id": article_id, "normalized": fp.text_hash, "minhash": fp.minhash_bytes()},
    )
    with cur.copy("COPY core.article_lsh_bands (band, bucket, article_id) FROM STDIN") as copy:
        for band, bucket in fp.bands:
            copy.write_row((band, bucket, article_id))


def _neighbours(cur: psycopg.Cursor, article_id: int, when: datetime) -> list[StoryCandidate]:
    rows = cur.execute(
        """
        SELECT a.article_id, a.story_id, a.published_at, f.story_terms
        FROM core.articles a JOIN core.article_fingerprints f USING (article_id)
        WHERE a.story_id IS NOT NULL AND a.article_id <> %(id)s
          AND coalesce(a.published_at, a.first_window) BETWEEN %(from)s AND %(to)s
        ORDER BY a.article_id
        """,
        {"id": article_id, "from": when - WINDOW, "to": when + WINDOW},
    ).fetchall()
    return [StoryCandidate(str(aid), str(story), published, terms) for aid, story, published, terms in rows]


def _place_in_story(cur: psycopg.Cursor, article_id: int, group: int, title: str, body: str,
                    when: datetime, counts: dict) -> int:
    terms = story_terms(title, body)
    cur.execute("UPDATE core.article_fingerprints SET story_terms = %s WHERE article_id = %s",
                (json.dumps(terms, sort_keys=True), article_id))
    row = cur.execute(
        "SELECT story_id FROM core.articles WHERE duplicate_group_id = %s AND story_id IS NOT NULL "
        "ORDER BY article_id LIMIT 1",
        (group,),
    ).fetchone()
    similarity = None
    if row is not None:
        story = row[0]
        counts["stories_joined"] += 1
    else:
        found = best_story(terms, _neighbours(cur, article_id, when))
        if found is None:
            story = cur.execute("INSERT INTO core.stories DEFAULT VALUES RETURNING story_id").fetchone()[0]
            counts["stories_new"] += 1
        else:
            story, similarity = int(found[0]), found[1]
            counts["stories_joined"] += 1
    cur.execute("UPDATE core.articles SET story_id = %s, story_similarity = %s WHERE article_id = %s",
                (story, similarity, article_id))
    return story


def _process(cur: psycopg.Cursor, index: WarehouseIndex, row: tuple, counts: dict,
             groups: set[int], stories: set[int]) -> None:
    article_id, title, body, published, first_window, _source, fingerprinted = row
    cur.execute("UPDATE core.articles SET dedupe_pending = false WHERE article_id = %s", (article_id,))
    if fingerprinted:
        # The same URL with a changed text: a new version of the same article.
        store_fingerprint(cur, article_id, fingerprint(f"{title}\n{body}"))
        cur.execute(
            "UPDATE core.article_fingerprints SET story_terms = %s WHERE article_id = %s",
            (json.dumps(story_terms(title, body), sort_keys=True), article_id),
        )
        counts["version"] += 1
        ids = cur.execute("SELECT duplicate_group_id, story_id FROM core.articles WHERE article_id = %s",
                          (article_id,)).fetchone()
        groups.update(i for i in ids[:1] if i is not None)
        stories.update(i for i in ids[1:] if i is not None)
        return
    doc = Document(str(article_id), "", title, body, published)
    assignment = assign(index, doc)
    group = int(assignment.duplicate_group)
    similarity = None if assignment.kind == "new" else assignment.similarity
    cur.execute("UPDATE core.articles SET duplicate_group_id = %s, duplicate_of_similarity = %s WHERE article_id = %s",
                (group, similarity, article_id))
    counts[assignment.kind] += 1
    groups.add(group)
    stories.add(_place_in_story(cur, article_id, group, title, body, published or first_window, counts))


def dedupe(dsn: str, run_id: str | None = None) -> dict:
    """Group and cluster every pending article; counts for XCom."""
    counts = {"new": 0, "exact": 0, "near": 0, "version": 0, "stories_new": 0, "stories_joined": 0}
    with connect(dsn) as conn:
        while True:
            with conn.transaction(), conn.cursor() as cur:
                cur.execute("SELECT pg_advisory_xact_lock(%s, %s)", _LOCK)
                batch = cur.execute(_PENDING, (BATCH,)).fetchall()
                if not batch:
                    break
                index, groups, stories = WarehouseIndex(cur), set(), set()
                for row in batch:
                    _process(cur, index, row, counts, groups, stories)
                refresh(cur, groups, stories)
    log.info("dedupe %s: %s", run_id or "", counts)
    return counts
