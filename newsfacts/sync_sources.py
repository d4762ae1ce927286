"""Make ``core.sources`` match the sources file.

Outlets are upserted by slug; an outlet no longer in the file is marked inactive rather
than deleted, so its articles keep their source. Rows are written in slug order so
concurrent runs (a backfill) take row locks in the same order and cannot deadlock.
"""

from __future__ import annotations

from dataclasses import asdict

import psycopg
from psycopg.types.json import Jsonb

from extractors.sources import Source

_UPSERT = """
INSERT INTO core.sources (slug, name, feed_url, homepage_url, language, country, perspective, active, config)
VALUES (%(slug)s, %(name)s, %(feed_url)s, %(homepage)s, %(language)s, %(country)s, %(perspective)s, true, %(config)s)
ON CONFLICT (slug) DO UPDATE SET
    name = EXCLUDED.name, feed_url = EXCLUDED.feed_url, homepage_url = EXCLUDED.homepage_url,
    language = EXCLUDED.language, country = EXCLUDED.country, perspective = EXCLUDED.perspective,
    active = true, config = EXCLUDED.config
WHERE (core.sources.name, core.sources.feed_url, core.sources.homepage_url, core.sources.language,
       core.sources.country, core.sources.perspective, core.sources.active, core.sources.config)
   IS DISTINCT FROM
      (EXCLUDED.name, EXCLUDED.feed_url, EXCLUDED.homepage_url, EXCLUDED.language,
       EXCLUDED.country, EXCLUDED.perspective, true, EXCLUDED.config)
"""


def sync_sources(conn: psycopg.Connection, sources: list[Source]) -> int:
    """Upsert ``sources`` and deactivate the rest; return the number of active sources."""
    rows = []
    for source in sorted(sources, key=lambda s: s.slug):
        row = asdict(source)
        row["config"] = Jsonb({**row.pop("extra"), "discovery": row.pop("discovery")})
        rows.append(row)
    with conn.transaction():
        with conn.cursor() as cur:
            cur.executemany(_UPSERT, rows)
            cur.execute(
                "UPDATE core.sources SET active = false WHERE active AND NOT (slug = ANY(%s))",
                ([s.slug for s in sources],),
            )
    return len(rows)
