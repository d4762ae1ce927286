"""Structured facts of one article: linked entities, quotes with speakers, events.

The three extractors share one pass of entity mentions, so a quote's speaker and an
event's actors point at the same linked entities the article's entity list shows.
Offsets are into the article text (not the headline); the headline's mentions count
towards the article's entities.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from extractors.entities import Entity, Mention, find_forces, find_mentions, find_place_anaphora
from extractors.events import Event, find_events
from extractors.quotes import Quote, find_quotes

#: Version of the facts extractors; stored with every fact row.
FACTS_VERSION = "facts-3"
#: Facts are extracted from at most this much text: a 10 MB "article" is a broken page,
#: and every extractor's time grows with the text.
MAX_TEXT = 200_000


@dataclass(frozen=True)
class EntitySummary:
    """One distinct entity of the article (linked, or an unlinked name) and its mentions."""

    key: str  # registry id, or "unlinked/<type>/<name>"
    name: str
    type: str
    entity: Entity | None  # None for an unlinked name
    mentions: int


@dataclass(frozen=True)
class Facts:
    entities: list[EntitySummary]
    mentions: list[Mention]
    quotes: list[Quote]
    events: list[Event]


def entity_key(mention: Mention) -> str:
    if mention.entity is not None:
        return mention.entity.id
    return f"unlinked/{mention.type}/{mention.name}"


def _clean(text: str) -> str:
    """NUL bytes and lone surrogates cannot be stored or matched; drop them, keep offsets' meaning."""
    text = (text or "")[:MAX_TEXT].replace("\x00", " ")
    return text.encode("utf-8", "replace").decode("utf-8")


#: A direct quote this long is a statement; shorter quoted words are terms or scare quotes.
_STATEMENT_WORDS = 4


def extract_facts(title: str, text: str, published: datetime | date | None) -> Facts:
    text = _clean(text)
    day = published.date() if isinstance(published, datetime) else published
    when = published if isinstance(published, datetime) else (
        datetime(published.year, published.month, published.day) if published else None)
    mentions = find_mentions(text, day)
    quotes = find_quotes(text, mentions)
    # Scare quotes ("had “liberated” the district") are the reporter's words, not a speaker's.
    statements = [(q.start, q.end) for q in quotes if q.direct and len(q.text.split()) >= _STATEMENT_WORDS]
    described = [*find_forces(text, mentions), *find_place_anaphora(text, mentions)]
    events = find_events(text, sorted([*mentions, *described], key=lambda m: m.start), when, statements)
    counted: dict[str, tuple[Mention, int]] = {}
    for mention in [*find_mentions(_clean(title), day), *mentions]:
        key = entity_key(mention)
        first, n = counted.get(key, (mention, 0))
        counted[key] = (first, n + 1)
    entities = []
    for key, (m, n) in counted.items():
        entities.append(EntitySummary(key, m.name, m.type, m.entity, n))
    return Facts(entities, mentions, quotes, events)


def _identifiers(entity: Entity | None) -> dict:
    """Wikidata, GeoNames and coordinates of a linked entity (all null when unlinked)."""
    if entity is None:
        return {"wikidata": None, "geonames": None, "lat": None, "lon": None}
    return {"wikidata": entity.wikidata, "geonames": entity.geonames, "lat": entity.lat, "lon": entity.lon}


def _who(mention: Mention | None) -> dict | None:
    if mention is None:
        return None
    return {"name": mention.name, "wikidata": mention.entity.wikidata if mention.entity else None}


def facts_json(facts: Facts) -> dict:
    """What ``newsfacts extract`` prints for the facts."""
    return {
        "entities": [
            {"name": e.name, "type": e.type, **_identifiers(e.entity), "mentions": e.mentions}
            for e in sorted(facts.entities, key=lambda e: (-e.mentions, e.name))
        ],
        "quotes": [
            {"speaker": _who(q.speaker), "text": q.text, "cue": q.cue, "direct": q.direct,
             "start": q.start, "end": q.end}
            for q in facts.quotes
        ],
        "events": [
            {
                "type": ev.type, "mode": ev.mode, "cameo": ev.cameo, "acled": ev.acled,
                "actors": [_who(m) for m in ev.actors], "recipients": [_who(m) for m in ev.recipients],
                "location": None if ev.location is None else {
                    "name": ev.location.name,
                    **{k: v for k, v in _identifiers(ev.location.entity).items() if k != "wikidata"},
                },
                "date": ev.date.isoformat() if ev.date else None, "date_precision": ev.date_precision,
                "quantities": [{"value": q.value, "unit": q.unit, "kind": q.kind, "text": q.text}
                               for q in ev.quantities],
                "sentence": ev.sentence, "start": ev.start, "end": ev.end, "confidence": ev.confidence,
            }
            for ev in facts.events
        ],
    }
