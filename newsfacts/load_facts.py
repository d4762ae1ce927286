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

import itertools
import logging

import psycopg

from extractors.entities import registry
from extractors.facts import FACTS_VERSION, entity_key, extract_facts
from newsfacts.errors import plain_errors
from newsfacts.parallel import cpu_pool
from newsfacts.testhooks import pause_point
from newsfacts.warehouse import connect

log = logging.getLogger(__name__)

BATCH = 200
#: Articles whose facts are written together while the workers extract the next ones.
STORE_EVERY = 20

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
        with cur.copy("COPY stage_entities (entity_id, name, type, wikidata, geonames, lat, lon, country, "
                      "region_entity_id) FROM STDIN") as copy:
            for e in entries:
                copy.write_row((e.id, e.name, e.type, e.wikidata, e.geonames, e.lat, e.lon, e.country, e.region))
        cur.execute(
            """
            INSERT INTO core.entities AS t SELECT * FROM stage_entities
            ON CONFLICT (entity_id) DO UPDATE SET name = EXCLUDED.name, type = EXCLUDED.type,
                wikidata = EXCLUDED.wikidata, geonames = EXCLUDED.geonames, lat = EXCLUDED.lat,
                lon = EXCLUDED.lon, country = EXCLUDED.country, region_entity_id = EXCLUDED.region_entity_id
            WHERE (t.name, t.type, t.wikidata, t.geonames, t.lat, t.lon, t.country, t.region_entity_id)
                  IS DISTINCT FROM (EXCLUDED.name, EXCLUDED.type, EXCLUDED.wikidata, EXCLUDED.geonames,
                                    EXCLUDED.lat, EXCLUDED.lon, EXCLUDED.country, EXCLUDED.region_entity_id)
            """
        )
        changed = cur.rowcount
        cur.executemany(
            "INSERT INTO core.entity_aliases (entity_id, alias) VALUES (%s, %s) ON CONFLICT DO NOTHING",
            sorted({(e.id, alias) for e in entries for alias in (e.name, *entries.record(e.id).aliases)}),
        )
        return changed + max(cur.rowcount, 0)


def fact_rows(article: tuple) -> tuple:
    """The facts of one ``(article_id, title, body, published)`` as plain rows (pure, so a
    worker process can compute it): (article_id, mentions, quotes, events, entities), each
    row naming its registry entity id (or None), events with their participants and
    quantities."""
    article_id, title, body, published = article
    facts = extract_facts(title, body, published)

    def entity(mention):
        return mention.entity.id if mention is not None and mention.entity is not None else None

    mentions = [(entity(m), m.name, m.type, m.text, m.start, m.end, m.via) for m in facts.mentions]
    quotes = [(entity(q.speaker), q.speaker.name if q.speaker else None, q.cue, q.text, q.direct, q.start, q.end,
               q.sentence_start, q.sentence_end) for q in facts.quotes]
    events = [
        ((ev.type, ev.mode, ev.cameo, ev.acled, entity(ev.location), ev.location.name if ev.location else None,
          ev.date, ev.date_precision, ev.sentence, ev.start, ev.end, ev.confidence),
         [(role, i, entity(m), m.name) for role, group in (("actor", ev.actors), ("recipient", ev.recipients))
          for i, m in enumerate(group)],
         [(i, q.kind, q.value, q.unit, q.text) for i, q in enumerate(ev.quantities)])
        for ev in facts.events
    ]
    return article_id, mentions, quotes, events, len({entity_key(m) for m in facts.mentions})


def _store(cur: psycopg.Cursor, extracted: list[tuple], known: set[str]) -> dict:
    """Write the facts of a batch of articles (rows of :func:`fact_rows`, in article order):
    COPY for every table, event ids drawn from their identity in the same order as one
    INSERT per event would."""
    def linked(entity_id):
        return entity_id if entity_id in known else None

    with cur.copy("COPY core.mentions (article_id, entity_id, name, type, surface, start_offset, end_offset, "
                  "linked_via, extractor_version) FROM STDIN") as copy:
        for article_id, mentions, _, _, _ in extracted:
            for entity_id, *rest in mentions:
                copy.write_row((article_id, linked(entity_id), *rest, FACTS_VERSION))
    with cur.copy("COPY core.quotes (article_id, speaker_entity_id, speaker_name, cue, quote_text, direct, "
                  "start_offset, end_offset, sentence_start, sentence_end, extractor_version) FROM STDIN") as copy:
        for article_id, _, quotes, _, _ in extracted:
            for entity_id, *rest in quotes:
                copy.write_row((article_id, linked(entity_id), *rest, FACTS_VERSION))
    events = [(article_id, event) for article_id, _, _, article_events, _ in extracted for event in article_events]
    if events:
        ids = [row[0] for row in cur.execute(
            "SELECT nextval(pg_get_serial_sequence('core.events', 'event_id')) FROM generate_series(1, %s)",
            (len(events),)).fetchall()]
        # COPY writes identity values given in its input (like OVERRIDING SYSTEM VALUE).
        with cur.copy("COPY core.events (event_id, article_id, event_type, mode, cameo_root, acled_event_type, "
                      "location_entity_id, location_name, event_date, date_precision, sentence, sentence_start, "
                      "sentence_end, confidence, extractor_version) FROM STDIN") as copy:
            for event_id, (article_id, (row, _, _)) in zip(ids, events):
                kind, mode, cameo, acled, location, *rest = row
                copy.write_row((event_id, article_id, kind, mode, cameo, acled, linked(location), *rest, FACTS_VERSION))
        with cur.copy("COPY core.event_participants (event_id, role, position, entity_id, name) FROM STDIN") as copy:
            for event_id, (_, (_, participants, _)) in zip(ids, events):
                for role, position, entity_id, name in participants:
                    copy.write_row((event_id, role, position, linked(entity_id), name))
        with cur.copy("COPY core.event_quantities (event_id, position, kind, value, unit, surface) FROM STDIN") as copy:
            for event_id, (_, (_, _, quantities)) in zip(ids, events):
                for quantity in quantities:
                    copy.write_row((event_id, *quantity))
    return {"mentions": sum(len(x[1]) for x in extracted), "quotes": sum(len(x[2]) for x in extracted),
            "events": len(events)}


@plain_errors
def load_facts(dsn: str, run_id: str | None = None) -> dict:
    """Extract and store the facts of every pending article; counts for XCom."""
    counts = {"articles": 0, "mentions": 0, "quotes": 0, "events": 0}
    with connect(dsn) as conn:
        sync_registry(conn)
        known = {row[0] for row in conn.execute("SELECT entity_id FROM core.entities").fetchall()}
        pending = conn.execute("SELECT count(*) FROM core.articles WHERE facts_pending").fetchone()[0]
        # Extraction (pure CPU) runs on every core when there is enough of it.
        with cpu_pool(pending, preload=("newsfacts.load_facts",)) as pool:
            while True:
                with conn.transaction(), conn.cursor() as cur:
                    batch = cur.execute(_PENDING, (BATCH,)).fetchall()
                    if not batch:
                        break
                    ids = [row[0] for row in batch]
                    for table in ("core.mentions", "core.quotes", "core.events"):
                        cur.execute(f"DELETE FROM {table} WHERE article_id = ANY(%s)", (ids,))
                    # Stored a few articles at a time, in order, as the workers finish them, so
                    # the writing overlaps the extraction of the rest of the batch.
                    extracted = iter(pool.map(fact_rows, batch, chunksize=2) if pool else map(fact_rows, batch))
                    while chunk := list(itertools.islice(extracted, STORE_EVERY)):
                        stored = _store(cur, chunk, known)
                        for key in ("mentions", "quotes", "events"):
                            counts[key] += stored[key]
                    counts["articles"] += len(batch)
                    pause_point("load_facts.store")
                    cur.execute("UPDATE core.articles SET facts_pending = false, facts_version = %s "
                                "WHERE article_id = ANY(%s)", (FACTS_VERSION, ids))
                pause_point("load_facts.batch")
    log.info("facts %s: %s", run_id or "", counts)
    return counts
