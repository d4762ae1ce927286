"""Stage 6: extract the structured facts of every new or changed war article.

Entities and their mentions, quotes and events (with participants and quantities) are
extracted with :func:`extractors.facts.extract_facts` from the text in ``core.articles``
— no network — and replace the article's previous facts in one transaction per batch,
so an article never has half of its facts. Which articles: those marked
``facts_pending`` (new, or their text changed; reprocessing marks its days), taken with
``FOR UPDATE SKIP LOCKED`` so concurrent runs share the work instead of repeating it.
The entity registry is synchronised into ``core.entities`` first; unlinked names are
stored on the mention itself.
"""

from __future__ import annotations

import logging

import psycopg

from extractors.entities import registry
from extractors.facts import FACTS_VERSION, entity_key, extract_facts
from newsfacts.warehouse import connect

log = logging.getLogger(__name__)

BATCH = 50

_PENDING = """
SELECT article_id, title, body_text, published_at FROM core.articles
WHERE facts_pending ORDER BY article_id LIMIT %s
FOR UPDATE SKIP LOCKED
"""


def sync_registry(conn: psycopg.Connection) -> int:
    """Upsert the registry into core.entities / core.entity_aliases; returns rows changed."""
    entries = registry()
    with conn.transaction(), conn.cursor() as cur:
        cur.execute(
            "CREATE TEMP TABLE stage_entities (LIKE core.entities) ON COMMIT DROP"
        )
        with cur.copy("COPY stage_entities FROM STDIN") as copy:
            for e in entries:
                copy.write_row((e.id, e.name, e.type, e.wikidata, e.geonames, e.lat, e.lon, e.country))
        cur.execute(
            """
            INSERT INTO core.entities AS t SELECT * FROM stage_entities
            ON CONFLICT (entity_id) DO UPDATE SET name = EXCLUDED.name, type = EXCLUDED.type,
                wikidata = EXCLUDED.wikidata, geonames = EXCLUDED.geonames, lat = EXCLUDED.lat,
                lon = EXCLUDED.lon, country = EXCLUDED.country
            WHERE (t.name, t.type, t.wikidata, t.geonames, t.lat, t.lon, t.country)
                  IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.type, EXCLUDED.wikidata, EXCLUDED.geonames,
                                    EXCLUDED.lat, EXCLUDED.lon, EXCLUDED.country)
            """
        )
        changed = cur.rowcount
        cur.executemany(
            "INSERT INTO core.entity_aliases (entity_id, alias) VALUES (%s, %s) ON CONFLICT DO NOTHING",
            sorted({(e.id, alias) for e in entries for alias in (e.name, *entries.record(e.id).aliases)}),
        )
        return changed + max(cur.rowcount, 0)


def _store(cur: psycopg.Cursor, article_id: int, facts, known: set[str]) -> dict:
    def linked(mention):
        return mention.entity.id if mention is not None and mention.entity is not None and mention.entity.id in known else None

    with cur.copy("COPY core.mentions (article_id, entity_id, name, type, surface, start_offset, end_offset, "
                  "linked_via, extractor_version) FROM STDIN") as copy:
        for m in facts.mentions:
            copy.write_row((article_id, linked(m), m.name, m.type, m.text, m.start, m.end, m.via, FACTS_VERSION))
    with cur.copy("COPY core.quotes (article_id, speaker_entity_id, speaker_name, cue, quote_text, direct, "
                  "start_offset, end_offset, sentence_start, sentence_end, extractor_version) FROM STDIN") as copy:
        for q in facts.quotes:
            copy.write_row((article_id, linked(q.speaker), q.speaker.name if q.speaker else None, q.cue, q.text,
                            q.direct, q.start, q.end, q.sentence_start, q.sentence_end, FACTS_VERSION))
    for ev in facts.events:
        event_id = cur.execute(
            """
            INSERT INTO core.events (article_id, event_type, mode, cameo_root, acled_event_type, location_entity_id,
                location_name, event_date, date_precision, sentence, sentence_start, sentence_end, confidence,
                extractor_version)
            VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s) RETURNING event_id
            """,
            (article_id, ev.type, ev.mode, ev.cameo, ev.acled, linked(ev.location),
             ev.location.name if ev.location else None, ev.date, ev.date_precision, ev.sentence, ev.start, ev.end,
             ev.confidence, FACTS_VERSION),
        ).fetchone()[0]
        participants = [(event_id, role, i, linked(m), m.name)
                        for role, group in (("actor", ev.actors), ("recipient", ev.recipients))
                        for i, m in enumerate(group)]
        cur.executemany("INSERT INTO core.event_participants VALUES (%s, %s, %s, %s, %s)", participants)
        cur.executemany(
            "INSERT INTO core.event_quantities VALUES (%s, %s, %s, %s, %s, %s)",
            [(event_id, i, q.kind, q.value, q.unit, q.text) for i, q in enumerate(ev.quantities)],
        )
    return {"mentions": len(facts.mentions), "quotes": len(facts.quotes), "events": len(facts.events),
            "entities": len({entity_key(m) for m in facts.mentions})}


def load_facts(dsn: str, run_id: str | None = None) -> dict:
    """Extract and store the facts of every pending article; counts for XCom."""
    counts = {"articles": 0, "mentions": 0, "quotes": 0, "events": 0}
    with connect(dsn) as conn:
        sync_registry(conn)
        known = {row[0] for row in conn.execute("SELECT entity_id FROM core.entities").fetchall()}
        while True:
            with conn.transaction(), conn.cursor() as cur:
                batch = cur.execute(_PENDING, (BATCH,)).fetchall()
                if not batch:
                    break
                ids = [row[0] for row in batch]
                for table in ("core.mentions", "core.quotes", "core.events"):
                    cur.execute(f"DELETE FROM {table} WHERE article_id = ANY(%s)", (ids,))
                for article_id, title, body, published in batch:
                    stored = _store(cur, article_id, extract_facts(title, body, published), known)
                    counts["articles"] += 1
                    for key in ("mentions", "quotes", "events"):
                        counts[key] += stored[key]
                cur.execute("UPDATE core.articles SET facts_pending = false, facts_version = %s "
                            "WHERE article_id = ANY(%s)", (FACTS_VERSION, ids))
    log.info("facts %s: %s", run_id or "", counts)
    return counts
