"""The duplicate groups' and stories' summaries, and the lock that serialises writing them.

dedupe_articles writes groups and stories; load_articles removes an article from core
when a new version of its page is no longer about the war, which changes its group and
story too. Both take :func:`lock_dedupe` first and call :func:`refresh` for what they
touched. (Kept apart from :mod:`newsfacts.dedupe` so that loading does not import the
MinHash machinery.)
"""

from __future__ import annotations

import psycopg

_LOCK = (0x6E66, 0x6464)  # "nf", "dd": one dedup writer at a time


def lock_dedupe(cur: psycopg.Cursor) -> None:
    """Take the dedupe stage's lock for the current transaction (before any row lock)."""
    cur.execute("SELECT pg_advisory_xact_lock(%s, %s)", _LOCK)


_REFRESH_GROUPS = """
UPDATE core.duplicate_groups g
SET canonical_article_id = x.first, article_count = x.n, outlet_count = x.outlets, first_published_at = x.published
FROM (
    SELECT duplicate_group_id, (array_agg(article_id ORDER BY published_at NULLS LAST, url))[1] AS first,
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
    SELECT story_id, (array_agg(article_id ORDER BY published_at NULLS LAST, url))[1] AS first,
           (array_agg(title ORDER BY published_at NULLS LAST, url))[1] AS headline,
           min(published_at) AS first_at, max(published_at) AS last_at, count(*) AS n,
           count(DISTINCT source_id) AS outlets
    FROM core.articles WHERE story_id = ANY(%(ids)s) GROUP BY story_id
) x
WHERE s.story_id = x.story_id
  AND (s.first_article_id, s.headline, s.first_published_at, s.last_published_at, s.article_count, s.outlet_count)
      IS DISTINCT FROM (x.first, x.headline, x.first_at, x.last_at, x.n, x.outlets)
"""


def refresh(cur: psycopg.Cursor, groups, stories) -> None:
    """Recompute the canonical article, first report and counts of these groups and stories;
    delete those left without articles."""
    for ids, summarise, table, key in ((groups, _REFRESH_GROUPS, "core.duplicate_groups", "duplicate_group_id"),
                                       (stories, _REFRESH_STORIES, "core.stories", "story_id")):
        ids = sorted(i for i in ids if i is not None)
        if ids:
            cur.execute(summarise, {"ids": ids})
            cur.execute(f"DELETE FROM {table} t WHERE {key} = ANY(%s) "
                        f"AND NOT EXISTS (SELECT 1 FROM core.articles a WHERE a.{key} = t.{key})", (ids,))
