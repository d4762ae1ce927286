"""A warehouse of 1,000,000 war articles and their facts, and what it costs to query it.

    python benchmarks/warehouse_scale.py [--articles 1000000] [--days 1095] [--database newsfacts_scale]
                                         [--dsn DSN] [--raw-share 0.1] [--seed 0] [--json out.json]
                                         [--skip-generate] [--skip-queries] [--skip-marts] [--skip-nightly]

``make bench-warehouse`` runs it (see benchmarks/README.md). Three parts:

1. **generate** (this module): a fresh database (``--database``, default
   ``newsfacts_scale``, dropped and re-created; or ``--dsn`` of an existing database,
   used as it is) is migrated with the project's migrations, then filled with
   ``--articles`` articles over ``--days`` UTC days ending ``--end-date``, in the
   proportions below, through ``COPY ... (FREEZE)`` into freshly truncated tables, one
   connection per table, while every secondary index, primary key and foreign key is
   dropped; they are rebuilt afterwards (two sessions at a time), the foreign keys added
   and validated, sequences moved past the generated ids, the marts built and
   everything analysed.
2. **queries and marts** (``warehouse_scale_timing.py``): every ``sql/queries/*.sql``
   (found when the timing runs) and every mart refresh.
3. **the nightly load** (``warehouse_scale_timing.py``): one generated day through the
   real ``load_articles``, ``dedupe`` and ``load_facts`` at an early point of the
   warehouse and at full size.

What is generated (all deterministic for a ``--seed``):

* 40 outlets: the 24 of ``sources.yml`` and 16 more, with perspectives; wires publish most.
* days: a spike at the start, a slow decline, quieter weekends, noise and news spikes;
  ``--articles`` spread over them (about 900 a day for 1M over 3 years).
* stories of 1-30 articles (a truncated power law, mean about 3); about 20 % of the
  articles are copies (wire reprints, exact or with a republisher's header and footer
  and a rewritten headline) of an earlier article of their story, in duplicate groups of
  2-8; every article has its group and story, fingerprint (random MinHash bytes) and
  about 36 LSH band rows, as the dedupe stage leaves them, nothing pending.
* bodies of about 250 words (mean; 120-450) made of the war sentences of
  ``bench_corpus.py`` with names of entities in them, quotes, unlinked names from a
  syllable generator (the long tail of the vocabulary): realistic ``search_vector``
  and GIN index. 250 rather than 600 words keeps the text at about 1.6 GB.
* facts: about 25 mentions per article (92 % linked) over about 2,000 entities (the
  646 of the real registry, synchronised as ``load_facts`` does, plus synthetic places,
  people and organisations; Zipf popularity), about 3 quotes (half direct), about 6
  events (PLOVER types, modes, CAMEO and ACLED in the proportions the demo corpus gives)
  with about 1.1 participants and 0.45 quantities each, all with character offsets
  into the body; copies carry their original's facts, shifted.
* raw: for each article a feed entry, a link and a page; plus irrelevant pages (25 %
  of the articles: link, page, relevance assessment), links skipped as off-topic
  (30 %), failed fetches (3 %), same-canonical duplicates and empty pages (1 % each);
  2 % of the articles have a second version (page, ``article_versions`` row). Feed
  polls, run metrics and completed windows for every outlet and day. Page bodies are
  stored compressed as the pipeline stores them (gzip) for ``--raw-share`` of the
  pages (default 10 %, about 20 KB compressed each); the other pages keep every column
  but a 60-byte placeholder body, and feed documents are stored for the same share of
  the polls.
"""

from __future__ import annotations

import argparse
import bisect
import gzip
import hashlib
import json
import math
import os
import random
import re
import sys
import threading
import time
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import psycopg
from psycopg import sql
from psycopg.copy import QueuedLibpqWriter

ROOT = Path(__file__).resolve().parents[1]
for _path in (ROOT, ROOT / "benchmarks"):
    if str(_path) not in sys.path:
        sys.path.insert(0, str(_path))

import bench_corpus as bc  # noqa: E402

ADMIN_DSN = os.environ.get("NEWSFACTS_TEST_PG", "host=127.0.0.1 port=5432 user=postgres dbname=postgres")
DEFAULT_DATABASE = "newsfacts_scale"
DEFAULT_ARTICLES = 1_000_000
DEFAULT_DAYS = 1095
DEFAULT_END = date(2025, 2, 27)

# ---------------------------------------------------------------------------- proportions

OUTLETS = 40
ENTITIES = 2000
MAX_STORY = 30
STORY_EXPONENT = 1.6  # P(size = k) ~ k^-1.6, k = 1..30: mean about 3.1
DUPLICATE_SHARE = 0.20
EXACT_COPY_SHARE = 0.35
WORDS = (245, 50, 120, 450)  # target words per body: mean, sd, min, max (bodies come out about as long)
MENTIONS = (25, 6, 6, 60)
UNLINKED_SHARE = 0.08
QUOTES_MEAN = 3.0
EVENTS_MEAN = 6.0
IRRELEVANT_SHARE = 0.25
SKIPPED_SHARE = 0.30
FAILED_SHARE = 0.03
CANONICAL_DUPLICATE_SHARE = 0.01
EMPTY_PAGE_SHARE = 0.01
SECOND_VERSION_SHARE = 0.02
DISCOVERED_SHARE = 0.05
RAW_SHARE = 0.10

#: Event type, mode, CAMEO root, ACLED type, weight: the demo corpus's events.
EVENT_KINDS = [
    ("ACCUSE", None, "11", None, 11), ("ACCUSE", None, "09", None, 2), ("AGREE", None, "03", None, 69),
    ("AID", "military", "07", None, 8), ("AID", None, "07", None, 3), ("AID", "humanitarian", "07", None, 1),
    ("ASSAULT", None, "19", None, 51), ("ASSAULT", "ground", "19", "Battles", 39),
    ("ASSAULT", "drone", "19", "Explosions/Remote violence", 28), ("ASSAULT", "drone", "19", "Strategic developments", 7),
    ("ASSAULT", "artillery", "19", "Explosions/Remote violence", 4),
    ("ASSAULT", "missile", "19", "Explosions/Remote violence", 4),
    ("ASSAULT", "glide-bomb", "19", "Explosions/Remote violence", 4),
    ("ASSAULT", "missile", "19", "Strategic developments", 3), ("ASSAULT", "torture", "18", "Violence against civilians", 1),
    ("ASSAULT", "airstrike", "19", "Explosions/Remote violence", 1), ("COERCE", "ban", "17", None, 3),
    ("COERCE", "confiscate", "17", None, 2), ("CONCEDE", None, "08", None, 2), ("CONSULT", "talks", "04", None, 43),
    ("CONSULT", "meeting", "04", None, 27), ("CONSULT", "virtual", "04", None, 18), ("CONSULT", "phone", "04", None, 6),
    ("CONSULT", "visit", "04", None, 5), ("COOPERATE", None, "06", None, 10), ("MOBILIZE", "troops", "15", None, 30),
    ("MOBILIZE", "weapons", "15", None, 1), ("REJECT", None, "12", None, 13), ("REQUEST", None, "02", None, 33),
    ("REQUEST", None, "10", None, 2), ("RETREAT", "release", "08", None, 14),
    ("RETREAT", "withdraw", "08", "Strategic developments", 6), ("SANCTION", None, "16", None, 5),
    ("SANCTION", "sever", "16", None, 1), ("SUPPORT", None, "05", None, 14), ("THREATEN", None, "13", None, 6),
    ("PROTEST", None, "14", "Protests", 3),
]
CUES = ["said", "said", "said", "told reporters", "added", "wrote on Telegram", "said in a statement", "stressed"]

EXTRA_SOURCES = [
    ("suspilne", "Suspilne News", "uk", "UA", "ukrainian"), ("ukrainian-wire", "Ukrainian Wire Service", "en", "UA", "ukrainian"),
    ("novaya-gazeta-europe", "Novaya Gazeta Europe", "en", "LV", "russian_independent"),
    ("ria-novosti", "RIA Novosti", "ru", "RU", "russian_state"), ("spiegel-international", "Der Spiegel International", "en", "DE", "european"),
    ("le-monde-english", "Le Monde in English", "en", "FR", "european"), ("kyiv-digest", "Kyiv Digest", "en", "UA", "ukrainian"),
    ("notes-from-poland", "Notes from Poland", "en", "PL", "european"), ("lrt-english", "LRT English", "en", "LT", "european"),
    ("cnn-world", "CNN World", "en", "US", "us"), ("wsj-world", "The Wall Street Journal (World)", "en", "US", "us"),
    ("reuters-world", "Reuters (World)", "en", "GB", "wire"), ("afp-world", "AFP (World)", "en", "FR", "wire"),
    ("daily-sabah", "Daily Sabah", "en", "TR", "middle_east"), ("nhk-world", "NHK World", "en", "JP", "asian"),
    ("the-hindu-world", "The Hindu (World)", "en", "IN", "asian"),
]

# ---------------------------------------------------------------------------- small helpers

_EPOCH = datetime(1970, 1, 1, tzinfo=timezone.utc)


def _dsn_for(dbname: str, base: str = ADMIN_DSN) -> str:
    info = psycopg.conninfo.conninfo_to_dict(base)
    info["dbname"] = dbname
    return psycopg.conninfo.make_conninfo(**info)


_ts_cache: dict[int, str] = {}


def _ts(seconds: int) -> str:
    """COPY text of a UTC timestamp given in seconds since the epoch."""
    if seconds % 86400 == 0:
        text = _ts_cache.get(seconds)
        if text is None:
            text = _ts_cache[seconds] = f"{_DAY_TEXT(seconds // 86400)} 00:00:00+00"
        return text
    days, rest = divmod(seconds, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{_DAY_TEXT(days)} {hours:02d}:{minutes:02d}:{secs:02d}+00"


_day_cache: dict[int, str] = {}


def _DAY_TEXT(days: int) -> str:  # noqa: N802 - a cached function used like a constant table
    text = _day_cache.get(days)
    if text is None:
        text = _day_cache[days] = (date(1970, 1, 1) + timedelta(days=days)).isoformat()
    return text


def _esc(text: str) -> str:
    """COPY text format escaping of free text (backslash, tab, newline, carriage return)."""
    if "\\" in text:
        text = text.replace("\\", "\\\\")
    return text.replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _bytea(data: bytes) -> str:
    return "\\\\x" + data.hex()


def _array(items) -> str:
    if not items:
        return "{}"
    return "{" + ",".join('"' + i.replace("\\", "\\\\\\\\").replace('"', '\\\\"') + '"' for i in items) + "}"


def _n(value) -> str:
    return "\\N" if value is None else str(value)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60].strip("-")


def _poisson(rng: random.Random, mean: float, cap: int) -> int:
    # Knuth's method is fine for small means.
    limit, k, p = math.exp(-mean), 0, 1.0
    while True:
        p *= rng.random()
        if p <= limit or k >= cap:
            return k
        k += 1


# ---------------------------------------------------------------------------- word pools


class Pools:
    """Sentence templates, titles and quotes composed once from ``bench_corpus``'s pools."""

    def __init__(self, seed: int, sentences: int = 40_000, titles: int = 20_000, quotes: int = 12_000):
        rng = random.Random(seed * 7919 + 1)
        writer = bc._Writer(rng)
        names = {
            **{n: "place" for n in bc.UA_TOWNS + bc.UA_REGIONS + bc.RU_PLACES + bc.CAPITALS},
            **{n: "person" for n, _ in bc.UA_SPEAKERS + bc.RU_SPEAKERS + bc.WEST_SPEAKERS},
            **{u: "organization" for u in bc.UNITS},
        }
        alternation = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
        splitter = re.compile(f"({alternation})")
        self.templates: list[tuple[tuple[str, ...], tuple[str, ...], int]] = []
        for _ in range(sentences):
            scene = writer.war_scene()
            text = writer.war_sentence(scene)
            text = text.replace("\t", " ").replace("\\", "")
            parts = splitter.split(text)
            literals, slots = tuple(parts[0::2]), tuple(names[p] for p in parts[1::2])
            words = sum(len(lit.split()) for lit in literals) + len(slots)
            self.templates.append((literals, slots, words))
        # Short sentences naming several things, used when a text is behind on mentions.
        fillers = [("", " met ", " in ", "."), ("Officials in ", " and ", " reported damage."),
                   ("", " said it was working with ", "."), ("", " of ", " visited ", "."),
                   ("Sirens sounded in ", ", ", " and ", "."), ("", " spoke to ", " about ", ".")]
        kinds = [("person", "person", "place"), ("place", "place"), ("organization", "organization"),
                 ("person", "organization", "place"), ("place", "place", "place"), ("person", "person", "place")]
        self.fillers = [(lits, slots, sum(len(x.split()) for x in lits) + len(slots)) for lits, slots in zip(fillers, kinds)]
        self.titles = []
        for _ in range(titles):
            scene = writer.war_scene()
            if rng.random() < 0.3:
                # A headline made of a sentence's first clause: the vocabulary of the bodies.
                clause = re.split(r",| according| officials| the ", writer.war_sentence(scene).rstrip("."))[0]
                words = clause.split()
                if 4 <= len(words):
                    self.titles.append(" ".join(words[:12]))
                    continue
            self.titles.append(writer.war_title(scene, rng.randrange(4)))
        self.other_titles = []
        for _ in range(titles // 4):
            scene = writer.other_scene()
            self.other_titles.append(writer.other_title(scene, rng.randrange(4)))
        self.quotes = []
        for _ in range(quotes):
            scene = writer.war_scene()
            self.quotes.append(writer._quote_text(scene, rng.choice(["ua", "ua", "ru", "west"])))
        syllables = ("ko va len chu shev bon dar tka che ro ma vy sko lyk hor les pet mak sym hry "
                     "zhy tar bor dub pol sin kra myk ost ter bil yar hal nov stа".replace("а", "a")).split()
        self.syllables = syllables
        self.first_names = bc.FIRST
        self.authors = [f"{f} {l}" for f in bc.FIRST for l in bc.LAST]


def _generated_word(rng: random.Random, pools: Pools, parts: tuple[int, int]) -> str:
    word = "".join(rng.choice(pools.syllables) for _ in range(rng.randint(*parts)))
    return word.capitalize()


def _unlinked_name(rng: random.Random, pools: Pools, kind: str) -> str:
    if kind == "person":
        return f"{rng.choice(pools.first_names)} {_generated_word(rng, pools, (2, 4))}{rng.choice(['enko', 'uk', 'ov', 'ska', 'ych', ''])}"
    if kind == "place":
        return _generated_word(rng, pools, (2, 4)) + rng.choice(["ivka", "ove", "ne", "ka", "sk", "ivske", ""])
    if kind == "organization":
        return f"{_generated_word(rng, pools, (2, 3))} {rng.choice(['Battalion', 'Council', 'Foundation', 'Committee', 'Group', 'Ministry'])}"
    return _generated_word(rng, pools, (2, 3)) + "-" + str(rng.randint(2, 40))


# ---------------------------------------------------------------------------- entities


class EntityTable:
    """The registry (synchronised into core.entities by load_facts' own function) plus
    synthetic entities up to ``ENTITIES``, with Zipf popularity."""

    TOP = ("place/ukraine", "place/russia", "place/kyiv", "person/volodymyr-zelenskyy", "person/vladimir-putin",
           "place/moscow", "organization/kremlin", "place/kharkiv", "place/united-states", "organization/nato",
           "place/donetsk-oblast", "place/zaporizhzhia", "person/donald-trump", "organization/european-union",
           "place/odesa", "weapon/shahed")

    def __init__(self, conn: psycopg.Connection, seed: int, total: int = ENTITIES):
        from extractors.entities import registry
        from newsfacts.load_facts import sync_registry

        sync_registry(conn)
        entries = registry()
        rng = random.Random(seed * 31 + 5)
        rows = []
        for e in entries:
            aliases = [a for a in entries.record(e.id).aliases if a.isascii() and a != e.name and len(a) > 2]
            rows.append((e.id, e.name, e.type, aliases))
        top = [r for key in self.TOP for r in rows if r[0] == key]
        rest = [r for r in rows if r not in top]
        rng.shuffle(rest)
        pools = Pools.__new__(Pools)
        pools.syllables = ("ko va len chu shev bon dar tka che ro ma vy sko lyk hor les pet mak sym hry "
                           "zhy tar bor dub pol sin kra myk ost ter bil yar hal nov sta").split()
        pools.first_names = bc.FIRST
        synthetic, seen = [], {r[0] for r in rows}
        kinds = ["place"] * 50 + ["person"] * 30 + ["organization"] * 15 + ["weapon"] * 3 + ["group"] * 2
        while len(rows) + len(synthetic) < total:
            kind = rng.choice(kinds)
            name = _unlinked_name(rng, pools, "person" if kind == "person" else
                                  "organization" if kind in ("organization", "group") else "place" if kind == "place" else "weapon")
            entity_id = f"{kind}/scale-{_slug(name)}"
            if entity_id in seen:
                continue
            seen.add(entity_id)
            synthetic.append((entity_id, name, kind, []))
        with conn.transaction(), conn.cursor() as cur:
            cur.execute("DELETE FROM core.entities WHERE entity_id LIKE '%%/scale-%%'")  # an earlier run's
            with cur.copy("COPY core.entities (entity_id, name, type, lat, lon, country) FROM STDIN") as copy:
                for entity_id, name, kind, _ in synthetic:
                    if kind == "place":
                        copy.write_row((entity_id, name, kind, round(rng.uniform(44.5, 52.0), 4),
                                        round(rng.uniform(22.5, 40.0), 4), "UA"))
                    else:
                        copy.write_row((entity_id, name, kind, None, None, None))
            with cur.copy("COPY core.entity_aliases (entity_id, alias) FROM STDIN") as copy:
                for entity_id, name, _, _ in synthetic:
                    copy.write_row((entity_id, name))
        # Popularity: the registry's best-known first, then the registry and the synthetic
        # ones mixed, synthetic ones mostly in the tail.
        mixed = rest + synthetic[: len(synthetic) // 3]
        rng.shuffle(mixed)
        self.ranked = top + mixed + synthetic[len(synthetic) // 3:]
        weights = [1.0 / (rank + 2) ** 1.05 for rank in range(len(self.ranked))]
        self.cum = []
        total_weight = 0.0
        for w in weights:
            total_weight += w
            self.cum.append(total_weight)
        self.by_type: dict[str, list[int]] = defaultdict(list)
        for index, row in enumerate(self.ranked):
            self.by_type[row[2]].append(index)
        self.type_cum = {}
        for kind, indexes in self.by_type.items():
            acc, cum = 0.0, []
            for i in indexes:
                acc += weights[i]
                cum.append(acc)
            self.type_cum[kind] = (indexes, cum)

    def draw(self, rng: random.Random, k: int) -> list[int]:
        return rng.choices(range(len(self.ranked)), cum_weights=self.cum, k=k)

    def draw_type(self, rng: random.Random, kind: str) -> int:
        indexes, cum = self.type_cum[kind]
        return indexes[bisect.bisect(cum, rng.random() * cum[-1])]


# ---------------------------------------------------------------------------- outlets


def _outlets(seed: int) -> list[dict]:
    import yaml

    rng = random.Random(seed * 17 + 3)
    listed = yaml.safe_load((ROOT / "sources.yml").read_text(encoding="utf-8"))["sources"]
    outlets = []
    for s in listed:
        outlets.append({"slug": s["slug"], "name": s["name"], "feed_url": s["feed_url"], "homepage": s.get("homepage"),
                        "language": s["language"], "country": s["country"], "perspective": s["perspective"],
                        "kind": s.get("kind", "online")})
    for slug, name, language, country, perspective in EXTRA_SOURCES:
        outlets.append({"slug": slug, "name": name, "feed_url": f"https://{slug}.example/rss.xml",
                        "homepage": f"https://{slug}.example/", "language": language, "country": country,
                        "perspective": perspective, "kind": "wire" if perspective == "wire" else "online"})
    outlets = outlets[:OUTLETS]
    for i, o in enumerate(outlets):
        o["source_id"] = i + 1
        o["host"] = (o["homepage"] or o["feed_url"]).split("/")[2]
        o["weight"] = (3.0 if o["kind"] == "wire" else 1.0) * rng.uniform(0.4, 1.6)
        o["feed_format"] = ("rss20", "atom10", "rss10")[i % 3]
        o["header"], o["footer"] = _page_furniture(rng, o)
        o["header_gz"] = gzip.compress(o["header"], compresslevel=6, mtime=0)
        o["footer_gz"] = gzip.compress(o["footer"], compresslevel=6, mtime=0)
        o["header_sha"] = hashlib.sha256(o["header"])
    return outlets


def _page_furniture(rng: random.Random, outlet: dict) -> tuple[bytes, bytes]:
    """An outlet's page head, navigation and footer: about 45 KB and 15 KB of HTML with
    the entropy of real furniture (ids, hashes, menus), so it compresses as real pages do."""
    def token(n):
        return "".join(rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(n))
    head = [f"<!doctype html><html lang=\"{outlet['language']}\"><head><meta charset=\"utf-8\">"
            f"<title>{outlet['name']}</title>"]
    for _ in range(60):
        head.append(f"<link rel=\"preload\" href=\"https://cdn.{outlet['host']}/assets/{token(24)}.js\" as=\"script\">")
    head.append("<style>")
    for _ in range(220):
        head.append(f".c-{token(6)}{{margin:{rng.randint(0, 40)}px {rng.randint(0, 40)}px;color:#{token(6)};"
                    f"font-size:{rng.randint(10, 30)}px}}")
    head.append("</style><script>window.__CONFIG__={")
    for _ in range(160):
        head.append(f"\"{token(8)}\":\"{token(rng.randint(8, 40))}\",")
    head.append("};</script></head><body><nav><ul>")
    sections = ["world", "europe", "ukraine", "politics", "business", "opinion", "video", "live", "sport", "culture"]
    for _ in range(150):
        head.append(f"<li><a href=\"https://{outlet['host']}/{rng.choice(sections)}/{token(10)}\">{token(rng.randint(5, 14))}</a></li>")
    head.append("</ul></nav><main><article>")
    foot = ["</article></main><footer><ul>"]
    for _ in range(120):
        foot.append(f"<li><a href=\"https://{outlet['host']}/{token(12)}\">{token(rng.randint(5, 16))}</a></li>")
    foot.append("</ul><script>")
    for _ in range(40):
        foot.append(f"var {token(5)}=\"{token(40)}\";")
    foot.append("</script></footer></body></html>")
    return "".join(head).encode(), "".join(foot).encode()


# ---------------------------------------------------------------------------- days and stories


def day_counts(articles: int, days: int, seed: int) -> list[int]:
    rng = random.Random(seed * 101 + 7)
    weights = []
    for t in range(days):
        trend = (1 + 1.5 * math.exp(-t / 45)) * (1 - 0.25 * t / max(days, 1))
        weekday = (1.0, 1.0, 1.0, 1.0, 1.0, 0.7, 0.65)[t % 7]
        spike = rng.uniform(1.5, 2.5) if rng.random() < 0.03 else 1.0
        weights.append(trend * weekday * spike * rng.lognormvariate(0, 0.2))
    total = sum(weights)
    counts, acc, given = [], 0.0, 0
    for w in weights:
        acc += w * articles / total
        n = round(acc) - given
        counts.append(n)
        given += n
    return counts


_STORY_CUM = []
_acc = 0.0
for _k in range(1, MAX_STORY + 1):
    _acc += _k ** -STORY_EXPONENT
    _STORY_CUM.append(_acc)
STORY_MEAN = sum(k * k ** -STORY_EXPONENT for k in range(1, MAX_STORY + 1)) / _acc
#: Probability that a story member after the first is a copy, for DUPLICATE_SHARE overall.
COPY_PROBABILITY = DUPLICATE_SHARE / (1 - 1 / STORY_MEAN)


def story_size(rng: random.Random) -> int:
    return bisect.bisect(_STORY_CUM, rng.random() * _STORY_CUM[-1]) + 1


_EVENT_CUM = []
_acc = 0.0
for _kind in EVENT_KINDS:
    _acc += _kind[4]
    _EVENT_CUM.append(_acc)


# ---------------------------------------------------------------------------- COPY streams

#: Tables filled by COPY and their columns, in the order rows are written.
STREAMS = {
    "raw.feed_polls": "source_id, window_start, window_end, outcome, detail, http_status, etag, last_modified, "
                      "feed_format, entries_seen, body_gzip, body_sha256, served_at, oldest_entry_at, newest_entry_at",
    "raw.feed_entries": "source_id, entry_key, url, title, summary, published_at, updated_at, authors, "
                        "first_seen_window, last_seen_window",
    "raw.discoveries": "url, method, source_id, fetch_url, claimed_published_at, title, listed_in, found_for_window",
    "raw.links": "link_id, url, fetch_url, source_id, window_start, claimed_published_at, claimed_updated_at, "
                 "fetch_outcome, fetch_detail, http_status, fetched_claimed_update, extract_outcome, extract_detail, "
                 "discovered_via",
    "raw.pages": "page_id, link_id, body_sha256, body_gzip, body_bytes, final_url, http_status, content_type, etag, "
                 "last_modified, served_at, fetched_window",
    "raw.relevance_assessments": "link_id, page_id, score, relevant, reasons, threshold, scorer_version, title, "
                                 "assessed_window",
    "core.articles": "article_id, link_id, page_id, source_id, url, canonical_url, title, authors, published_at, "
                     "published_from, language, top_image_url, description, body_text, word_count, text_sha256, "
                     "extractor_version, version, first_window, updated_window, relevance_score, relevance_reasons, "
                     "duplicate_group_id, duplicate_of_similarity, story_id, story_similarity, dedupe_pending, "
                     "facts_version, facts_pending",
    "core.article_versions": "article_id, version, page_id, title, word_count, text_sha256, extractor_version, "
                             "loaded_window",
    "core.duplicate_groups": "duplicate_group_id, canonical_article_id, article_count, outlet_count, first_published_at",
    "core.stories": "story_id, first_article_id, headline, first_published_at, last_published_at, article_count, "
                    "outlet_count",
    "core.article_fingerprints": "article_id, text_sha256, normalized_sha256, minhash, story_terms",
    "core.article_lsh_bands": "band, bucket, article_id",
    "core.mentions": "mention_id, article_id, entity_id, name, type, surface, start_offset, end_offset, linked_via, "
                     "extractor_version",
    "core.quotes": "quote_id, article_id, speaker_entity_id, speaker_name, cue, quote_text, direct, start_offset, "
                   "end_offset, sentence_start, sentence_end, extractor_version",
    "core.events": "event_id, article_id, event_type, mode, cameo_root, acled_event_type, location_entity_id, "
                   "location_name, event_date, date_precision, sentence, sentence_start, sentence_end, confidence, "
                   "extractor_version",
    "core.event_participants": "event_id, role, position, entity_id, name",
    "core.event_quantities": "event_id, position, kind, value, unit, surface",
    "ops.run_metrics": "window_start, source_id, window_end, run_id, poll_outcome, poll_detail, entries_seen, "
                       "entries_in_window, pages_fetched, pages_failed, articles_new, articles_updated, failures, "
                       "poll_seconds, fetch_seconds, extract_seconds, entries_skipped, articles_irrelevant, "
                       "articles_duplicate",
    "ops.completed_windows": "window_start, window_end, run_id",
}
#: Identity columns moved past the generated ids at the end.
IDENTITIES = [("raw.links", "link_id"), ("raw.pages", "page_id"), ("core.articles", "article_id"),
              ("core.duplicate_groups", "duplicate_group_id"), ("core.stories", "story_id"),
              ("core.mentions", "mention_id"), ("core.quotes", "quote_id"), ("core.events", "event_id")]

FLUSH_CHARS = 1 << 20


class Streams:
    """One ``COPY ... FROM STDIN (FREEZE)`` per table, each on its own connection in a
    transaction that truncated the table first; rows are buffered here and handed to a
    writer thread per connection, so the generator keeps computing while PostgreSQL parses."""

    def __init__(self, dsn: str, freeze: bool = True):
        self.conns, self.managers, self.copies = {}, {}, {}
        self.buffers: dict[str, list[str]] = {}
        self.chars: dict[str, int] = {}
        self.rows: Counter = Counter()
        for table, columns in STREAMS.items():
            conn = psycopg.connect(dsn)
            conn.execute("SET synchronous_commit = off")
            if freeze:
                conn.execute(f"TRUNCATE {table}")
            cur = conn.cursor()
            manager = cur.copy(f"COPY {table} ({columns}) FROM STDIN" + (" (FREEZE)" if freeze else ""),
                               writer=QueuedLibpqWriter(cur))
            self.conns[table], self.managers[table] = conn, manager
            self.copies[table] = manager.__enter__()
            self.buffers[table], self.chars[table] = [], 0

    def add(self, table: str, line: str) -> None:
        buffer = self.buffers[table]
        buffer.append(line)
        self.chars[table] += len(line)
        if self.chars[table] > FLUSH_CHARS:
            self.flush(table)

    def flush(self, table: str) -> None:
        buffer = self.buffers[table]
        if buffer:
            data = "".join(buffer)
            self.rows[table] += data.count("\n")
            self.copies[table].write(data)
            buffer.clear()
            self.chars[table] = 0

    def close(self) -> None:
        for table in STREAMS:
            self.flush(table)
        errors = []
        for table, manager in self.managers.items():
            try:
                manager.__exit__(None, None, None)
                self.conns[table].commit()
            except Exception as exc:  # report every table that failed
                errors.append(f"{table}: {exc}")
            finally:
                self.conns[table].close()
        if errors:
            raise RuntimeError("COPY failed:\n" + "\n".join(errors))

    def abort(self) -> None:
        for table, conn in self.conns.items():
            try:
                conn.cancel()
                conn.close()
            except Exception:
                pass


# ---------------------------------------------------------------------------- the generator


class Generator:
    def __init__(self, conn: psycopg.Connection, streams: Streams, args):
        self.s = streams
        self.args = args
        self.seed = args.seed
        # Smaller pools for small warehouses (the tests): composing them is most of the start-up.
        size = min(1.0, max(0.1, args.articles / 400_000))
        self.pools = Pools(args.seed, sentences=int(40_000 * size), titles=int(20_000 * size), quotes=int(12_000 * size))
        self.entities = EntityTable(conn, args.seed)
        self.outlets = _outlets(args.seed)
        self.outlet_cum = []
        acc = 0.0
        for o in self.outlets:
            acc += o["weight"]
            self.outlet_cum.append(acc)
        from extractors.article import EXTRACTOR_VERSION
        from extractors.facts import FACTS_VERSION
        from extractors.relevance import SCORER_VERSION

        self.extractor_version, self.facts_version, self.scorer_version = EXTRACTOR_VERSION, FACTS_VERSION, SCORER_VERSION
        self.ids = Counter()
        self.stats = Counter()
        self.placeholder = gzip.compress(b"<!-- newsfacts warehouse_scale: page body not generated -->", mtime=0)
        self.reasons_ok = [
            _array(["headline about the war", f"{a} of {b} sentences about the war (weighted share {round(100 * a / b)}%)",
                    "lead: 2 of the first 3 sentences about the war", "both sides named"])
            for a, b in ((6, 12), (9, 14), (11, 15), (7, 13), (10, 11))
        ]
        self.reasons_no = _array(["war absent from headline and lead"])

    def next_id(self, name: str) -> int:
        self.ids[name] += 1
        return self.ids[name]

    def outlet(self, rng: random.Random, avoid: int | None = None) -> dict:
        while True:
            o = self.outlets[bisect.bisect(self.outlet_cum, rng.random() * self.outlet_cum[-1])]
            if o["source_id"] != avoid:
                return o

    # -- one article's text and facts ------------------------------------------------------

    def compose(self, rng: random.Random, story_entities: list[int], published_day: int) -> dict:
        """Title, body and the facts found in it, offsets included."""
        pools, table = self.pools, self.entities
        words_target = min(WORDS[3], max(WORDS[2], int(rng.gauss(WORDS[0], WORDS[1]))))
        mentions_target = min(MENTIONS[3], max(MENTIONS[2], int(rng.gauss(MENTIONS[0], MENTIONS[1]))))
        own = story_entities + story_entities + table.draw(rng, rng.randint(5, 10))
        by_type = defaultdict(list)
        for index in own:
            by_type[table.ranked[index][2]].append(index)

        def mention(kind: str) -> tuple:
            if rng.random() < UNLINKED_SHARE:
                name = _unlinked_name(rng, pools, kind)
                return (None, name, kind, name, "unlinked")
            candidates = by_type.get(kind) or own
            entity_id, name, etype, aliases = table.ranked[rng.choice(candidates)]
            r = rng.random()
            if etype == "person" and r < 0.25:
                return (entity_id, name, etype, name.split()[-1], "surname")
            if aliases and r > 0.8:
                return (entity_id, name, etype, rng.choice(aliases), "alias")
            return (entity_id, name, etype, name, "alias")

        pieces: list[str] = []
        offset = 0
        words = 0
        mentions: list[tuple] = []  # (entity_id, name, type, surface, start, end, via)
        sentences: list[tuple[int, int, list[int]]] = []  # start, end, mention indexes
        quotes: list[tuple] = []
        quote_count = _poisson(rng, QUOTES_MEAN, 12)
        paragraph_left = rng.randint(2, 4)
        templates = pools.templates
        suffix_forms = {"person": (", ", " said."), "place": (" near ", "."), "organization": (", according to ", "."),
                        "weapon": (", using ", "."), "group": (", ", " said.")}
        while words < words_target or len(mentions) < mentions_target - 1:
            start = offset
            indexes = []
            sentences_left = max(1.0, (words_target - words) / 20)
            if len(quotes) < quote_count and sentences and rng.random() < (quote_count - len(quotes)) / sentences_left:
                speaker = mention("person") if rng.random() < 0.85 else None
                text = rng.choice(pools.quotes)
                direct = rng.random() < 0.52
                cue = rng.choice(CUES)
                if direct:
                    head = "\u201c"
                    pieces.append(head)
                    q_start = offset + len(head)
                    pieces.append(text)
                    q_end = q_start + len(text)
                    tail = ",\u201d "
                    pieces.append(tail)
                    offset = q_end + len(tail)
                    who = speaker[3] if speaker else "an official"
                    if speaker:
                        indexes.append(len(mentions))
                        mentions.append((*speaker[:4], offset, offset + len(who), speaker[4]))
                    pieces.append(who)
                    pieces.append(f" {cue}.")
                    offset += len(who) + len(cue) + 2
                else:
                    who = speaker[3] if speaker else "Officials"
                    if speaker:
                        indexes.append(len(mentions))
                        mentions.append((*speaker[:4], offset, offset + len(who), speaker[4]))
                    lead = f"{who} said that "
                    pieces.append(lead)
                    q_start = offset + len(lead)
                    body = text[0].lower() + text[1:]
                    pieces.append(body + ".")
                    q_end = q_start + len(body)
                    offset = q_end + 1
                quotes.append((speaker, text if direct else body, direct, cue, q_start, q_end, start, offset))
                words += len(text.split()) + 4
            else:
                if len(mentions) + 3 < mentions_target * (words + 20) / words_target:
                    literals, slots, n_words = pools.fillers[rng.randrange(len(pools.fillers))]
                else:
                    literals, slots, n_words = templates[rng.randrange(len(templates))]
                for i, kind in enumerate(slots):
                    pieces.append(literals[i])
                    offset += len(literals[i])
                    m = mention(kind)
                    indexes.append(len(mentions))
                    mentions.append((*m[:4], offset, offset + len(m[3]), m[4]))
                    pieces.append(m[3])
                    offset += len(m[3])
                last = literals[-1]
                behind = len(mentions) < mentions_target * (words + n_words) / words_target
                if behind and last.endswith("."):
                    kind = rng.choice(("person", "place", "place", "organization"))
                    before, after = suffix_forms[kind]
                    body = last[:-1] + before
                    pieces.append(body)
                    offset += len(body)
                    m = mention(kind)
                    indexes.append(len(mentions))
                    mentions.append((*m[:4], offset, offset + len(m[3]), m[4]))
                    pieces.append(m[3])
                    pieces.append(after)
                    offset += len(m[3]) + len(after)
                    n_words += len(m[3].split()) + 2
                else:
                    pieces.append(last)
                    offset += len(last)
                words += n_words
            sentences.append((start, offset, indexes))
            paragraph_left -= 1
            if paragraph_left == 0:
                pieces.append("\n\n")
                offset += 2
                paragraph_left = rng.randint(2, 4)
            else:
                pieces.append(" ")
                offset += 1
        body = "".join(pieces).rstrip()
        title = rng.choice(pools.titles)
        # Events: sentences of the body, their places and actors from the sentence's mentions.
        events = []
        for _ in range(_poisson(rng, EVENTS_MEAN, 16)):
            s_start, s_end, indexes = sentences[rng.randrange(len(sentences))]
            s_end = min(s_end, len(body))
            kind = EVENT_KINDS[bisect.bisect(_EVENT_CUM, rng.random() * _EVENT_CUM[-1])]
            places = [mentions[i] for i in indexes if mentions[i][2] == "place"]
            actors = [mentions[i] for i in indexes if mentions[i][2] in ("person", "organization", "group")]
            place = places[0] if places else None
            r = rng.random()
            if r < 0.34:
                event_date, precision = None, None
            elif r < 0.85:
                back = 0 if rng.random() < 0.7 else (1 if rng.random() < 0.8 else rng.randint(2, 6))
                event_date, precision = published_day - back, "day"
            elif r < 0.94:
                d = date(1970, 1, 1) + timedelta(days=published_day - rng.randint(0, 60))
                event_date, precision = (d.replace(day=1) - date(1970, 1, 1)).days, "month"
            elif r < 0.96:
                d = published_day - rng.randint(0, 14)
                event_date, precision = d - (d + 3) % 7, "week"
            else:
                d = date(1970, 1, 1) + timedelta(days=published_day - rng.randint(0, 400))
                event_date, precision = (d.replace(month=1, day=1) - date(1970, 1, 1)).days, "year"
            participants = []
            if rng.random() < 0.8:
                a = actors[0] if actors else mention("organization")
                participants.append(("actor", 0, a[0], a[1]))
                if rng.random() < 0.1:
                    b = mention("person")
                    participants.append(("actor", 1, b[0], b[1]))
            if rng.random() < 0.22:
                b = places[-1] if len(places) > 1 else mention("place")
                participants.append(("recipient", 0, b[0], b[1]))
            quantities = []
            if kind[0] == "ASSAULT" and rng.random() < 0.6:
                for position, q in enumerate(rng.sample(("killed", "injured", "drones", "missiles"), rng.randint(1, 3))):
                    value = {"killed": rng.randint(1, 25), "injured": rng.randint(1, 90),
                             "drones": rng.randint(10, 300), "missiles": rng.randint(1, 60)}[q]
                    unit = q if q in ("drones", "missiles") else None
                    quantities.append((position, q, value, unit, f"{value} {q}"))
            elif rng.random() < 0.12:
                q, unit, value = rng.choice((("days", "days", rng.randint(1, 90)), ("money", "EUR", rng.randint(1, 900) * 1e6),
                                             ("money", "USD", rng.randint(1, 900) * 1e6), ("people", "people", rng.randint(2, 900)),
                                             ("troops", "troops", rng.randint(100, 9000)), ("other", "km", rng.randint(1, 60))))
                quantities.append((0, q, value, unit, f"{value:g} {unit}"))
            events.append((kind, place, event_date, precision, body[s_start:s_end], s_start, s_end,
                           round(rng.uniform(0.5, 0.95), 3), participants, quantities))
        return {"title": title, "body": body, "words": len(body.split()), "mentions": mentions, "quotes": quotes,
                "events": events, "entities": own}

    # -- a day -------------------------------------------------------------------------------

    def day(self, day_number: int, count: int, end_second: int) -> None:
        rng = random.Random(self.seed * 1_000_003 + day_number)
        day_start = day_number * 86400
        stories = []
        left = count
        while left > 0:
            size = min(story_size(rng), left)
            left -= size
            t0 = day_start + int(rng.triangular(5 * 3600, 23.5 * 3600, 13 * 3600))
            ents = [self.entities.draw_type(rng, "place")] + \
                [self.entities.draw_type(rng, "person") for _ in range(rng.randint(1, 2))] + \
                ([self.entities.draw_type(rng, "organization")] if rng.random() < 0.6 else [])
            members = []  # (time, copy_of index or None, exact)
            for k in range(size):
                if k == 0:
                    members.append([t0, None, False])
                    continue
                originals = [i for i, m in enumerate(members) if m[1] is None]
                if rng.random() < COPY_PROBABILITY:
                    of = originals[0] if rng.random() < 0.6 else rng.choice(originals)
                    members.append([members[of][0] + rng.randint(600, 4 * 3600), of, rng.random() < EXACT_COPY_SHARE])
                else:
                    members.append([t0 + int(rng.expovariate(1 / (3 * 3600))), None, False])
            for m in members:
                m[0] = min(m[0], end_second - rng.randint(1, 600))
            stories.append((ents, members))
        # Article ids in publication order, as the nightly runs load them.
        flat = [(m[0], si, mi) for si, (_, members) in enumerate(stories) for mi, m in enumerate(members)]
        flat.sort()
        ids = {}
        for t, si, mi in flat:
            ids[(si, mi)] = self.next_id("article")
        metrics = defaultdict(Counter)
        for si, (ents, members) in enumerate(stories):
            self.story(rng, si, ents, members, ids, metrics)
        self.extras(rng, day_number, count, metrics)
        self.day_rows(rng, day_number, metrics)

    def story(self, rng, si, ents, members, ids, metrics) -> None:
        story_id = self.next_id("story")
        texts = {}
        groups = {}  # member index of the original -> [group id, members]
        first_index = min(range(len(members)), key=lambda i: (members[i][0], ids[(si, i)]))
        first = None
        sources = set()
        times = []
        # Originals before their copies (clamping at the end of the range may reorder times).
        for mi in sorted(range(len(members)), key=lambda i: (members[i][1] is not None, members[i][0], ids[(si, i)])):
            t, copy_of, exact = members[mi]
            article_id = ids[(si, mi)]
            day_number = t // 86400
            if copy_of is None:
                outlet = self.outlet(rng)
                text = self.compose(rng, ents, day_number)
                group_id = self.next_id("group")
                groups[mi] = [group_id, [(article_id, outlet["source_id"], t)]]
                texts[mi] = (text, outlet)
                shift, similarity, header, footer = 0, None, "", ""
                minhash = rng.randbytes(512)
                bands = [rng.getrandbits(64) - (1 << 63) for _ in range(33)]
                sentence_bands = [rng.getrandbits(64) - (1 << 63) for _ in range(_poisson(rng, 3.5, 10))]
                normalized = rng.randbytes(32)
                texts[mi] = (text, outlet, minhash, bands, sentence_bands, normalized)
                title = text["title"]
            else:
                original, original_outlet, minhash, bands, sentence_bands, normalized = texts[copy_of]
                outlet = self.outlet(rng, avoid=original_outlet["source_id"])
                group_id = groups[copy_of][0]
                groups[copy_of][1].append((article_id, outlet["source_id"], t))
                text = original
                title = original["title"]
                if exact:
                    header = footer = ""
                    similarity = 1.0
                else:
                    header = (f"This story was first published by {original_outlet['name']} and is republished "
                              "here with permission.\n\n")
                    footer = f"\n\nRead more: the latest updates are on the {outlet['name']} website."
                    similarity = round(rng.uniform(0.7, 0.97), 4)
                    if rng.random() < 0.5:
                        title = rng.choice(self.pools.titles)
                    minhash = bytes(b if rng.random() < 0.8 else rng.randrange(256) for b in minhash[:64]) + minhash[64:]
                    bands = [b if rng.random() < 0.8 else rng.getrandbits(64) - (1 << 63) for b in bands[:32]] + \
                        [rng.getrandbits(64) - (1 << 63)]
                    normalized = rng.randbytes(32)
                shift = len(header)
                self.stats["copies"] += 1
                self.stats["exact_copies" if exact else "near_copies"] += 1
            sources.add(outlet["source_id"])
            times.append((t, article_id, title))
            body = header + text["body"] + footer
            self.article(rng, article_id, outlet, t, title, body, text, shift, group_id, similarity, story_id,
                         mi != first_index and copy_of is None, minhash, bands, sentence_bands, normalized,
                         copy_of is not None, metrics)
            if mi == first_index:
                first = (article_id, title, t)
        for group_id, group_members in groups.values():
            canonical = min(group_members, key=lambda m: (m[2], m[0]))
            self.s.add("core.duplicate_groups",
                       f"{group_id}\t{canonical[0]}\t{len(group_members)}\t{len({m[1] for m in group_members})}"
                       f"\t{_ts(min(m[2] for m in group_members))}\n")
        self.s.add("core.stories", f"{story_id}\t{first[0]}\t{_esc(first[1])}\t{_ts(first[2])}\t{_ts(max(times)[0])}"
                                   f"\t{len(members)}\t{len(sources)}\n")
        self.stats["stories"] += 1
        self.stats[f"story_size_{min(len(members), 30)}"] += 1

    def _page(self, rng, link_id: int, outlet: dict, url: str, title: str, body: str, t: int, fetched_window: int,
              full: bool) -> tuple[int, str]:
        page_id = self.next_id("page")
        if full:
            middle = (f"<h1>{title}</h1><p>" + body.replace("\n\n", "</p>\n<p>") + "</p>").encode()
            gz = outlet["header_gz"] + gzip.compress(middle, compresslevel=6, mtime=0) + outlet["footer_gz"]
            digest = outlet["header_sha"].copy()
            digest.update(middle)
            digest.update(outlet["footer"])
            size = len(outlet["header"]) + len(middle) + len(outlet["footer"])
            self.stats["pages_full"] += 1
            self.stats["page_gzip_bytes_full"] += len(gz)
        else:
            gz = self.placeholder
            digest = hashlib.sha256(url.encode() + str(page_id).encode())
            size = 60
        etag = f'"{rng.getrandbits(48):012x}"'
        self.s.add("raw.pages", f"{page_id}\t{link_id}\t{_bytea(digest.digest())}\t{_bytea(gz)}\t{size}\t{url}\t200"
                                f"\ttext/html; charset=utf-8\t{etag}\t\\N\t{_ts(t + 7200)}\t{_ts(fetched_window)}\n")
        return page_id, digest.hexdigest()

    def article(self, rng, article_id, outlet, t, title, body, text, shift, group_id, similarity, story_id,
                joined, minhash, bands, sentence_bands, normalized, is_copy, metrics) -> None:
        s = self.s
        window = (t // 86400) * 86400
        link_id = self.next_id("link")
        slug = _slug(title)
        url = f"https://{outlet['host']}/news/{_DAY_TEXT(t // 86400).replace('-', '/')}/{slug}-{article_id}"
        published_from = "page" if rng.random() < 0.92 else "feed"
        published = None if rng.random() < 0.005 else t
        authors = [rng.choice(self.pools.authors) for _ in range(rng.choice((0, 1, 1, 1, 2)))]
        versions = 2 if rng.random() < SECOND_VERSION_SHARE else 1
        full = rng.random() < self.args.raw_share
        fetch_window = window
        page_id, _ = self._page(rng, link_id, outlet, url, title, body, t, fetch_window, full)
        first_page = page_id
        if versions == 2:
            page_id, _ = self._page(rng, link_id, outlet, url, title, body + " (Updated.)", t + 86400,
                                    fetch_window + 86400, rng.random() < self.args.raw_share)
        via = "feed" if rng.random() > DISCOVERED_SHARE else rng.choice(("sitemap", "gdelt"))
        s.add("raw.links", f"{link_id}\t{url}\t{url}?utm_source=rss\t{outlet['source_id']}\t{_ts(window)}\t{_ts(t)}"
                           f"\t{_ts(t + 86400) if versions == 2 else chr(92) + 'N'}\tok\t\\N\t200"
                           f"\t{_ts(t + 86400) if versions == 2 else chr(92) + 'N'}\tok\t\\N\t{via}\n")
        summary = body[:200].split("\n")[0]
        if via == "feed":
            s.add("raw.feed_entries", f"{outlet['source_id']}\t{url}\t{url}\t{_esc(title)}\t{_esc(summary)}\t{_ts(t)}"
                                      f"\t\\N\t{_array(authors)}\t{_ts(window)}\t{_ts(window + 86400)}\n")
        else:
            s.add("raw.discoveries", f"{url}\t{via}\t{outlet['source_id']}\t{url}\t{_ts(t)}\t{_esc(title)}"
                                     f"\thttps://{outlet['host']}/sitemap.xml\t{_ts(window)}\n")
        score = round(rng.uniform(0.5, 1.0), 4)
        reasons = rng.choice(self.reasons_ok)
        s.add("raw.relevance_assessments", f"{link_id}\t{page_id}\t{score}\tt\t{reasons}\t0.5\t{self.scorer_version}"
                                           f"\t{_esc(title)}\t{_ts(fetch_window + 86400 * (versions - 1))}\n")
        text_sha = hashlib.sha256(f"{title}\n{body}".encode()).digest()
        words = text["words"] + (len(body) - len(text["body"])) // 6
        updated = _ts(window + 86400) if versions == 2 else "\\N"
        s.add("core.articles",
              f"{article_id}\t{link_id}\t{page_id}\t{outlet['source_id']}\t{url}\t{url}\t{_esc(title)}\t{_array(authors)}"
              f"\t{_n(published and _ts(published))}\t{published_from}\t{outlet['language']}"
              f"\thttps://cdn.{outlet['host']}/img/{article_id}.jpg\t{_esc(summary)}\t{_esc(body)}\t{words}"
              f"\t{_bytea(text_sha)}\t{self.extractor_version}\t{versions}\t{_ts(window)}\t{updated}\t{score}\t{reasons}"
              f"\t{group_id}\t{_n(similarity)}\t{story_id}\t{round(rng.uniform(0.2, 0.9), 4) if joined else chr(92) + 'N'}"
              f"\tf\t{self.facts_version}\tf\n")
        for v, pid in ((1, first_page), (2, page_id))[:versions]:
            s.add("core.article_versions", f"{article_id}\t{v}\t{pid}\t{_esc(title)}\t{words}\t{_bytea(text_sha)}"
                                           f"\t{self.extractor_version}\t{_ts(window + 86400 * (v - 1))}\n")
        # Fingerprint, story terms and LSH bands, as the dedupe stage stores them.
        terms = {}
        for index in text["entities"][:14]:
            terms["@" + self.entities.ranked[index][0]] = round(rng.uniform(1.0, 2.9), 4)
        for word in title.lower().split():
            if len(word) > 3 and word.isalpha():
                terms[word[:5]] = round(rng.uniform(1.0, 2.9), 4)
        s.add("core.article_fingerprints", f"{article_id}\t{_bytea(text_sha)}\t{_bytea(normalized)}\t{_bytea(minhash)}"
                                           f"\t{json.dumps(terms)}\n")
        s.add("core.article_lsh_bands", "".join(f"{b}\t{bucket}\t{article_id}\n" for b, bucket in enumerate(bands)) +
              "".join(f"33\t{bucket}\t{article_id}\n" for bucket in sentence_bands))
        self.stats["lsh_rows"] += len(bands) + len(sentence_bands)
        # Facts.
        fv = self.facts_version
        lines = []
        for entity_id, name, kind, surface, start, end, linked_via in text["mentions"]:
            lines.append(f"{self.next_id('mention')}\t{article_id}\t{_n(entity_id)}\t{name}\t{kind}\t{surface}"
                         f"\t{start + shift}\t{end + shift}\t{linked_via}\t{fv}\n")
        s.add("core.mentions", "".join(lines))
        self.stats["mentions"] += len(lines)
        self.stats["mentions_linked"] += sum(1 for m in text["mentions"] if m[0] is not None)
        lines = []
        for speaker, quote, direct, cue, start, end, s_start, s_end in text["quotes"]:
            lines.append(f"{self.next_id('quote')}\t{article_id}\t{_n(speaker and speaker[0])}"
                         f"\t{_n(speaker and speaker[1])}\t{cue}\t{quote}\t{'t' if direct else 'f'}\t{start + shift}"
                         f"\t{end + shift}\t{s_start + shift}\t{s_end + shift}\t{fv}\n")
        if lines:
            s.add("core.quotes", "".join(lines))
        self.stats["quotes"] += len(lines)
        ev, parts, quants = [], [], []
        for kind, place, event_date, precision, sentence, s_start, s_end, confidence, participants, quantities in text["events"]:
            event_id = self.next_id("event")
            ev.append(f"{event_id}\t{article_id}\t{kind[0]}\t{_n(kind[1])}\t{kind[2]}\t{_n(kind[3])}"
                      f"\t{_n(place and place[0])}\t{_n(place and place[3])}\t{_n(event_date is not None and _DAY_TEXT(event_date) or None)}"
                      f"\t{_n(precision)}\t{_esc(sentence)}\t{s_start + shift}\t{s_end + shift}\t{confidence}\t{fv}\n")
            for role, position, entity_id, name in participants:
                parts.append(f"{event_id}\t{role}\t{position}\t{_n(entity_id)}\t{name}\n")
            for position, q, value, unit, surface in quantities:
                quants.append(f"{event_id}\t{position}\t{q}\t{value}\t{_n(unit)}\t{surface}\n")
        if ev:
            s.add("core.events", "".join(ev))
        if parts:
            s.add("core.event_participants", "".join(parts))
        if quants:
            s.add("core.event_quantities", "".join(quants))
        self.stats["events"] += len(ev)
        self.stats["participants"] += len(parts)
        self.stats["quantities"] += len(quants)
        self.stats["articles"] += 1
        self.stats["words"] += words
        self.stats["body_chars"] += len(body)
        self.stats["second_versions"] += versions == 2
        m = metrics[(window, outlet["source_id"])]
        m["links"] += 1
        m["fetched"] += versions
        m["new"] += 1
        m["duplicate"] += is_copy

    def extras(self, rng, day_number: int, count: int, metrics) -> None:
        """Links that are not war articles: irrelevant pages, skipped items, failed fetches,
        same-canonical duplicates and empty pages."""
        window = day_number * 86400
        kinds = (("irrelevant", IRRELEVANT_SHARE), ("skipped", SKIPPED_SHARE), ("failed", FAILED_SHARE),
                 ("duplicate", CANONICAL_DUPLICATE_SHARE), ("empty", EMPTY_PAGE_SHARE))
        for kind, share in kinds:
            n = int(count * share) + (rng.random() < (count * share) % 1)
            for _ in range(n):
                outlet = self.outlet(rng)
                link_id = self.next_id("link")
                t = window + rng.randrange(86400)
                title = rng.choice(self.pools.other_titles if kind != "duplicate" else self.pools.titles)
                url = f"https://{outlet['host']}/{kind}/{_DAY_TEXT(day_number).replace('-', '/')}/{_slug(title)}-l{link_id}"
                fetch, extract, detail, status = "ok", None, None, 200
                if kind == "irrelevant":
                    score = round(rng.uniform(0.0, 0.45), 4)
                    extract, detail = "irrelevant", f"relevance {score:.2f} below 0.5: war absent from headline and lead"
                elif kind == "skipped":
                    fetch, status = "skipped_irrelevant", None
                elif kind == "failed":
                    fetch, status, detail = rng.choice((("http_error", 404, "HTTP 404 Not Found"), ("timeout", None, "read timed out after 15 s"),
                                                        ("http_error", 503, "HTTP 503 Service Unavailable"), ("too_large", 200, "body over 5 MB")))
                elif kind == "duplicate":
                    extract, detail = "duplicate", "same canonical URL as article 1"
                else:
                    extract, detail = "no_text", "no article text found"
                fetch_detail = detail if fetch not in ("ok", "skipped_irrelevant") else None
                s = self.s
                s.add("raw.links", f"{link_id}\t{url}\t{url}\t{outlet['source_id']}\t{_ts(window)}\t{_ts(t)}\t\\N\t{fetch}"
                                   f"\t{_n(fetch_detail)}\t{_n(status)}\t\\N\t{_n(extract)}"
                                   f"\t{_n(detail if fetch == 'ok' else None)}\tfeed\n")
                s.add("raw.feed_entries", f"{outlet['source_id']}\t{url}\t{url}\t{_esc(title)}\t\t{_ts(t)}\t\\N\t{{}}"
                                          f"\t{_ts(window)}\t{_ts(window + 86400)}\n")
                m = metrics[(window, outlet["source_id"])]
                m["links"] += 1
                if fetch == "ok":
                    page_id, _ = self._page(rng, link_id, outlet, url, title, title + "\n\n" + title, t, window,
                                            rng.random() < self.args.raw_share)
                    m["fetched"] += 1
                    if kind == "irrelevant":
                        s.add("raw.relevance_assessments", f"{link_id}\t{page_id}\t{score}\tf\t{self.reasons_no}\t0.5"
                                                           f"\t{self.scorer_version}\t{_esc(title)}\t{_ts(window)}\n")
                        m["irrelevant"] += 1
                    else:
                        m["failed"] += 1
                        m[f"extract:{extract}"] += 1
                elif fetch == "skipped_irrelevant":
                    m["skipped"] += 1
                else:
                    m["failed"] += 1
                    m[f"fetch:{fetch}"] += 1

    def day_rows(self, rng, day_number: int, metrics) -> None:
        window = day_number * 86400
        s = self.s
        for o in self.outlets:
            m = metrics.get((window, o["source_id"]), Counter())
            r = rng.random()
            outcome, status, detail = ("ok", 200, None) if r < 0.97 else (("http_error", 503, "HTTP 503 Service Unavailable")
                                                                         if r < 0.985 else ("timeout", None, "read timed out after 15 s"))
            entries = m["links"] + rng.randint(5, 30) if outcome == "ok" else 0
            body, digest = "\\N", "\\N"
            if outcome == "ok" and rng.random() < self.args.raw_share:
                items = "".join(f"<item><title>{rng.choice(self.pools.titles)}</title><link>https://{o['host']}/news/{i}</link>"
                                f"<guid>{rng.getrandbits(64):x}</guid><description>{rng.choice(self.pools.quotes)}</description></item>"
                                for i in range(entries))
                doc = f"<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>{o['name']}</title>{items}</channel></rss>".encode()
                body, digest = _bytea(gzip.compress(doc, compresslevel=6, mtime=0)), _bytea(hashlib.sha256(doc).digest())
            s.add("raw.feed_polls", f"{o['source_id']}\t{_ts(window)}\t{_ts(window + 86400)}\t{outcome}\t{_n(detail)}\t{_n(status)}"
                                    f"\t\"{rng.getrandbits(40):x}\"\t\\N\t{o['feed_format']}\t{entries}\t{body}\t{digest}"
                                    f"\t{_ts(window + 86400 + 7200)}\t{_ts(window - 86400)}\t{_ts(window + 86399)}\n")
            failures = {k: v for k, v in m.items() if ":" in k}
            s.add("ops.run_metrics",
                  f"{_ts(window)}\t{o['source_id']}\t{_ts(window + 86400)}\tscheduled__{_DAY_TEXT(day_number)}T02:00:00+00:00"
                  f"\t{outcome}\t{_n(detail)}\t{entries}\t{m['links']}\t{m['fetched']}\t{m['failed']}\t{m['new']}\t0"
                  f"\t{json.dumps(failures)}\t{round(rng.uniform(0.2, 3), 3)}\t{round(m['fetched'] * rng.uniform(0.3, 1.5), 3)}"
                  f"\t{round(m['fetched'] * rng.uniform(0.05, 0.2), 3)}\t{m['skipped']}\t{m['irrelevant']}\t{m['duplicate']}\n")
        s.add("ops.completed_windows", f"{_ts(window)}\t{_ts(window + 86400)}\tscheduled__{_DAY_TEXT(day_number)}\n")


# ---------------------------------------------------------------------------- schema around the load


def _tables() -> list[str]:
    return list(STREAMS)


def capture_schema(conn: psycopg.Connection) -> dict:
    """Foreign keys, primary/unique keys and plain indexes of the loaded tables."""
    tables = _tables()
    constraints = conn.execute(
        """
        SELECT con.conrelid::regclass::text, con.conname, con.contype, pg_get_constraintdef(con.oid)
        FROM pg_constraint con
        WHERE con.contype IN ('p', 'u', 'f')
          AND (con.conrelid = ANY(%(t)s::regclass[]) OR (con.contype = 'f' AND con.confrelid = ANY(%(t)s::regclass[])))
        ORDER BY con.conrelid::regclass::text, con.conname
        """,
        {"t": tables},
    ).fetchall()
    indexes = conn.execute(
        """
        SELECT i.indexrelid::regclass::text, i.indrelid::regclass::text, pg_get_indexdef(i.indexrelid)
        FROM pg_index i
        WHERE i.indrelid = ANY(%(t)s::regclass[])
          AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid AND c.contype IN ('p', 'u', 'x'))
        ORDER BY 2, 1
        """,
        {"t": tables},
    ).fetchall()
    return {"constraints": [list(c) for c in constraints], "indexes": [list(i) for i in indexes]}


def drop_schema(conn: psycopg.Connection, schema: dict) -> None:
    with conn.transaction():
        for table, name, kind, _ in schema["constraints"]:
            if kind == "f":
                conn.execute(sql.SQL("ALTER TABLE {} DROP CONSTRAINT {}").format(sql.SQL(table), sql.Identifier(name)))
        for index, _, _ in schema["indexes"]:
            conn.execute(sql.SQL("DROP INDEX {}").format(sql.SQL(index)))
        for table, name, kind, _ in schema["constraints"]:
            if kind in ("p", "u"):
                conn.execute(sql.SQL("ALTER TABLE {} DROP CONSTRAINT {}").format(sql.SQL(table), sql.Identifier(name)))


def _run_parallel(dsn: str, statements: list[str], sessions: int, log, label: str, retries: int = 3) -> None:
    """Run statements on ``sessions`` connections, longest first (the caller orders them)."""
    lock = threading.Lock()
    queue = list(statements)

    def worker() -> None:
        with psycopg.connect(dsn, autocommit=True) as conn:
            conn.execute("SET maintenance_work_mem = '1GB'")
            conn.execute("SET max_parallel_maintenance_workers = 2")
            conn.execute("SET synchronous_commit = off")
            while True:
                with lock:
                    if not queue:
                        return
                    statement = queue.pop(0)
                started = time.perf_counter()
                for attempt in range(retries):
                    try:
                        conn.execute(statement)
                        break
                    except psycopg.errors.DeadlockDetected:
                        if attempt == retries - 1:
                            raise
                        time.sleep(0.5)
                log(f"  {label} {time.perf_counter() - started:7.1f} s  {statement[:110]}")

    with ThreadPoolExecutor(sessions) as pool:
        for future in [pool.submit(worker) for _ in range(sessions)]:
            future.result()


def restore_schema(dsn: str, schema: dict, log, sessions: int = 2) -> dict:
    timings = {}
    with psycopg.connect(dsn, autocommit=True) as conn:
        sizes = dict(conn.execute(
            "SELECT c.oid::regclass::text, pg_total_relation_size(c.oid) FROM pg_class c WHERE c.oid = ANY(%s::regclass[])",
            (_tables(),)).fetchall())
    keys = [(sizes.get(t, 0), f"ALTER TABLE {t} ADD CONSTRAINT {sql.Identifier(n).as_string(None)} {d}")
            for t, n, k, d in schema["constraints"] if k in ("p", "u")]
    indexes = [(sizes.get(t, 0), d) for _, t, d in schema["indexes"]]
    started = time.perf_counter()
    _run_parallel(dsn, [s for _, s in sorted(keys + indexes, key=lambda x: -x[0])], sessions, log, "index")
    timings["indexes_seconds"] = time.perf_counter() - started
    foreign = [(t, n, d) for t, n, k, d in schema["constraints"] if k == "f"]
    started = time.perf_counter()
    with psycopg.connect(dsn, autocommit=True) as conn:
        for t, n, d in foreign:
            conn.execute(f"ALTER TABLE {t} ADD CONSTRAINT {sql.Identifier(n).as_string(conn)} {d} NOT VALID")
    _run_parallel(dsn, [f"ALTER TABLE {t} VALIDATE CONSTRAINT {sql.Identifier(n).as_string(None)}"
                        for t, n, _ in sorted(foreign, key=lambda f: -sizes.get(f[0], 0))], sessions, log, "fk   ")
    timings["foreign_keys_seconds"] = time.perf_counter() - started
    return timings


# ---------------------------------------------------------------------------- the whole load


def create_database(name: str, admin_dsn: str = ADMIN_DSN) -> str:
    with psycopg.connect(admin_dsn, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    return _dsn_for(name, admin_dsn)


def generate(dsn: str, args, log=print) -> dict:
    """Migrate and fill the database at ``dsn``; returns what was made and how long each step took."""
    from newsfacts.migrations import migrate

    report = {"parameters": {"articles": args.articles, "days": args.days, "end_date": args.end_date.isoformat(),
                             "raw_share": args.raw_share, "seed": args.seed}}
    timings = report["timings"] = {}
    total_started = started = time.perf_counter()
    migrate(dsn)
    timings["migrate_seconds"] = time.perf_counter() - started
    with psycopg.connect(dsn, autocommit=True) as conn:
        schema = capture_schema(conn)
        drop_schema(conn, schema)
        outlets = _outlets(args.seed)
        with conn.transaction(), conn.cursor() as cur:
            cur.execute("TRUNCATE core.sources CASCADE")
            with cur.copy("COPY core.sources (source_id, slug, name, feed_url, homepage_url, language, country, perspective, "
                          "config) FROM STDIN") as copy:
                for o in outlets:
                    copy.write_row((o["source_id"], o["slug"], o["name"], o["feed_url"], o["homepage"], o["language"],
                                    o["country"], o["perspective"], json.dumps({"kind": o["kind"]})))
        started = time.perf_counter()
        streams = Streams(dsn)
        try:
            generator = Generator(conn, streams, args)
            counts = day_counts(args.articles, args.days, args.seed)
            first_day = (args.end_date - date(1970, 1, 1)).days - args.days + 1
            end_second = (first_day + args.days) * 86400
            last_log = time.perf_counter()
            for i, n in enumerate(counts):
                generator.day(first_day + i, n, end_second)
                if time.perf_counter() - last_log > 30 or i == len(counts) - 1:
                    last_log = time.perf_counter()
                    done = generator.stats["articles"]
                    log(f"  day {i + 1}/{len(counts)}: {done:,} articles, {time.perf_counter() - started:.0f} s, "
                        f"{done / (time.perf_counter() - started):,.0f} articles/s")
            streams.close()
        except BaseException:
            streams.abort()
            raise
        timings["copy_seconds"] = time.perf_counter() - started
        report["rows"] = dict(streams.rows)
        report["generated"] = dict(generator.stats)
        report["first_day"] = _DAY_TEXT(first_day)
        report["last_day"] = _DAY_TEXT(first_day + args.days - 1)
        report["day_counts"] = {"min": min(counts), "max": max(counts), "mean": sum(counts) / len(counts)}
        log(f"copied in {timings['copy_seconds']:.0f} s; rebuilding keys and indexes")
    timings.update(restore_schema(dsn, schema, log))
    started = time.perf_counter()
    _run_parallel(dsn, [f"ANALYZE {t}" for t in _tables()] + ["ANALYZE core.sources", "ANALYZE core.entities",
                                                               "ANALYZE core.entity_aliases"], 2, log, "analyze")
    timings["analyze_seconds"] = time.perf_counter() - started
    with psycopg.connect(dsn, autocommit=True) as conn:
        for table, column in IDENTITIES:
            conn.execute(f"SELECT setval(pg_get_serial_sequence('{table}', '{column}'), "
                         f"coalesce((SELECT max({column}) FROM {table}), 0) + 1, false)")
        started = time.perf_counter()
        conn.execute("SET work_mem = '256MB'")
        conn.execute("SET maintenance_work_mem = '1GB'")
        marts = [name for (name,) in conn.execute("SELECT name FROM ops.mart_definitions ORDER BY name")]
        timings["marts"] = {}
        for name in marts:
            one = time.perf_counter()
            conn.execute("SELECT ops.refresh_mart(%s::regclass, concurrent => false)", (f"marts.{name}",))
            timings["marts"][name] = time.perf_counter() - one
            log(f"  mart {name}: {timings['marts'][name]:.1f} s")
        timings["marts_seconds"] = time.perf_counter() - started
    started = time.perf_counter()
    _run_parallel(dsn, [f"ANALYZE marts.{m}" for m in marts], 2, log, "analyze")
    timings["analyze_seconds"] += time.perf_counter() - started
    timings["total_seconds"] = time.perf_counter() - total_started
    with psycopg.connect(dsn, autocommit=True) as conn:
        report["database_bytes"] = conn.execute("SELECT pg_database_size(current_database())").fetchone()[0]
        report["table_bytes"] = dict(conn.execute(
            """SELECT c.oid::regclass::text, pg_total_relation_size(c.oid) FROM pg_class c
               JOIN pg_namespace n ON n.oid = c.relnamespace
               WHERE n.nspname IN ('raw', 'core', 'ops', 'marts') AND c.relkind IN ('r', 'm')
               ORDER BY 2 DESC""").fetchall())
        manifest = json.dumps({"warehouse_scale": report["parameters"]})
        conn.execute(sql.SQL("COMMENT ON DATABASE {} IS {}").format(
            sql.Identifier(conn.info.dbname), sql.Literal(manifest)))
    return report


def manifest(dsn: str) -> dict | None:
    with psycopg.connect(dsn) as conn:
        row = conn.execute("SELECT shobj_description(oid, 'pg_database') FROM pg_database "
                           "WHERE datname = current_database()").fetchone()
    try:
        return json.loads(row[0])["warehouse_scale"] if row and row[0] else None
    except (ValueError, KeyError):
        return None


def summary(dsn: str) -> dict:
    """The proportions of a generated warehouse, measured in the database."""
    with psycopg.connect(dsn) as conn:
        one = lambda q: conn.execute(q).fetchone()[0]  # noqa: E731
        articles = one("SELECT count(*) FROM core.articles")
        return {
            "articles": articles,
            "duplicate_share": one("SELECT count(*) FILTER (WHERE g.canonical_article_id <> a.article_id)::float / count(*) "
                                   "FROM core.articles a JOIN core.duplicate_groups g USING (duplicate_group_id)"),
            "mentions_per_article": one("SELECT count(*) FROM core.mentions") / articles,
            "quotes_per_article": one("SELECT count(*) FROM core.quotes") / articles,
            "events_per_article": one("SELECT count(*) FROM core.events") / articles,
            "participants_per_event": one("SELECT count(*) FROM core.event_participants") / max(1, one("SELECT count(*) FROM core.events")),
            "quantities_per_event": one("SELECT count(*) FROM core.event_quantities") / max(1, one("SELECT count(*) FROM core.events")),
            "entities": one("SELECT count(*) FROM core.entities"),
            "entities_mentioned": one("SELECT count(DISTINCT entity_id) FROM core.mentions"),
            "outlets": one("SELECT count(*) FROM core.sources"),
            "days": one("SELECT count(DISTINCT first_window) FROM core.articles"),
            "stories": one("SELECT count(*) FROM core.stories"),
            "story_size_max": one("SELECT max(article_count) FROM core.stories"),
            "story_size_mean": one("SELECT avg(article_count)::float FROM core.stories"),
            "duplicate_group_size_max": one("SELECT max(article_count) FROM core.duplicate_groups"),
            "words_mean": one("SELECT avg(word_count)::float FROM core.articles"),
            "links": one("SELECT count(*) FROM raw.links"),
            "pages": one("SELECT count(*) FROM raw.pages"),
            "pages_with_body": one("SELECT count(*) FROM raw.pages WHERE body_bytes > 60"),
            "lsh_rows_per_article": one("SELECT count(*) FROM core.article_lsh_bands") / articles,
        }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=DEFAULT_ARTICLES)
    parser.add_argument("--days", type=int, default=DEFAULT_DAYS)
    parser.add_argument("--end-date", type=date.fromisoformat, default=DEFAULT_END)
    parser.add_argument("--database", default=DEFAULT_DATABASE,
                        help="database to (re)create on the server of NEWSFACTS_TEST_PG (default %(default)s)")
    parser.add_argument("--dsn", help="use this existing (empty or migrated) database instead of creating one")
    parser.add_argument("--raw-share", type=float, default=RAW_SHARE, help="share of pages stored with their body")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--skip-generate", action="store_true", help="time the database as it is")
    parser.add_argument("--skip-queries", action="store_true")
    parser.add_argument("--skip-marts", action="store_true")
    parser.add_argument("--skip-nightly", action="store_true")
    parser.add_argument("--early-articles", type=int, default=10_000,
                        help="size of the early warehouse the nightly load is compared with")
    parser.add_argument("--nightly-articles", type=int, default=1500, help="war articles of the nightly day")
    parser.add_argument("--nightly-repeats", type=int, default=1)
    parser.add_argument("--runs", type=int, default=5, help="timed runs of each query (after one warm-up)")
    parser.add_argument("--mart-runs", type=int, default=2, help="timed calls of refresh_marts")
    parser.add_argument("--mart-warmup", type=int, default=0, help="untimed calls of refresh_marts first")
    parser.add_argument("--param", action="append", default=[], help="query parameter name=value (repeatable)")
    parser.add_argument("--role", default="newsfacts_analyst", help="role the example queries run as ('' = as connected)")
    parser.add_argument("--json", type=Path, default=ROOT / "benchmarks" / "results" / "warehouse_scale.json")
    parser.add_argument("--merge", action="store_true", help="update the --json file instead of replacing it")
    parser.add_argument("--plans", type=Path, default=ROOT / "benchmarks" / "results" / "warehouse_scale_plans.txt")
    args = parser.parse_args(argv)

    import warehouse_scale_timing as timing

    def log(message: str) -> None:
        print(message, flush=True)

    dsn = args.dsn or _dsn_for(args.database)
    result = {"machine": timing.machine()}
    if not args.skip_generate:
        if not args.dsn:
            dsn = create_database(args.database)
        log(f"generating {args.articles:,} articles over {args.days} days into {psycopg.conninfo.conninfo_to_dict(dsn).get('dbname')}")
        result["generate"] = generate(dsn, args, log)
        t = result["generate"]["timings"]
        log(f"generated in {t['total_seconds']:.0f} s (copy {t['copy_seconds']:.0f}, indexes {t['indexes_seconds']:.0f}, "
            f"foreign keys {t['foreign_keys_seconds']:.0f}, marts {t['marts_seconds']:.0f}, analyze {t['analyze_seconds']:.0f}); "
            f"database {result['generate']['database_bytes'] / 2**30:.1f} GiB")
    result["manifest"] = manifest(dsn)
    result["summary"] = summary(dsn)
    log("proportions: " + json.dumps({k: round(v, 3) if isinstance(v, float) else v for k, v in result["summary"].items()}))
    timing.run_all(dsn, args, result, log)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    if args.merge and args.json.exists():
        result = {**json.loads(args.json.read_text(encoding="utf-8")), **result}
    args.json.write_text(json.dumps(result, indent=2, default=str), encoding="utf-8")
    log(timing.table(result))
    log(f"wrote {args.json}" + (f" and {args.plans}" if result.get("plans_written") else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
