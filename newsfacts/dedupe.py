"""Stage 5: put every new or changed article into its duplicate group and its story.

Runs :func:`extractors.dedup.assign` and :class:`extractors.stories.StoryWindow` against
the warehouse: fingerprints and LSH bands live in ``core.article_fingerprints`` and
``core.article_lsh_bands``, so a lookup is an indexed query that sees every article ever
loaded, by any run on any worker.

Which articles: those marked ``dedupe_pending`` (new, or their text changed since),
found through a partial index however large the table — whatever run loaded them, so an
article that arrived late for its day is handled by the next run that looks. Articles go
in publication order, in batches; each batch is one transaction under one advisory lock,
because two concurrent runs assigning copies of the same story must see each other's
groups (otherwise both would start one). An article whose text changed at the same URL keeps its group and story (it is a new
version of the same article, see ``core.article_versions``); only its fingerprint is
renewed. A re-run finds nothing pending and changes nothing.

**What an article costs.** The stage's order matters, so it runs in one process (its
fingerprints and story terms are computed ahead by worker processes). Per article it makes
two or three round trips: one query for the exact and the band lookups, one for the
candidates' stored MinHash (and, for those that could be copies, their text), one
statement for its fingerprint, terms and bands. Its group, story and the batch's new
groups are written once per batch of 1,000. The stories open to it are kept as the batch
advances (members come in, stories leave whole) rather than listed per article, which cost
the whole day's articles each time.

**Publication order, whatever the arrival order.** Grouping and clustering are greedy
(an article joins the groups and stories of the articles before it), so the result
depends on the order articles are processed in. That order is always publication order
(``coalesce(published_at, first_window)``, then URL; never a surrogate id): when an
article arrives that was published before articles already grouped — a backfill running
days in parallel or backwards, a late article moved to an earlier day — those later
articles are reopened (their group, story and fingerprint cleared, in the same
transaction) and processed again after it. So a backfill gives the same groups and
stories however many days ran at once and in whatever order they finished, and the same
as one run after another. Reopened articles keep their group or story id when it
comes out the same; groups and stories left without articles are deleted. In the
nightly case nothing is reopened: new articles are the latest.
"""

from __future__ import annotations

import json
import logging
from collections import OrderedDict
from datetime import datetime

import numpy as np
import psycopg

from extractors.dedup import (MAX_BUCKET, Document, Fingerprint, Shingles, assign, could_be_copy, fingerprint,
                              shingles_of)
from extractors.stories import WINDOW, StoryCandidate, StoryWindow, story_terms
from newsfacts.errors import plain_errors
from newsfacts.groups import lock_dedupe, refresh
from newsfacts.parallel import cpu_pool
from newsfacts.testhooks import pause_point
from newsfacts.warehouse import connect

log = logging.getLogger(__name__)

BATCH = 1000
#: The order articles are grouped and clustered in (see the module docstring).
_ORDER = "coalesce(a.published_at, a.first_window), a.url"

_PENDING = f"""
SELECT a.article_id, a.title, a.body_text, a.published_at, a.first_window, a.source_id,
       f.article_id IS NOT NULL AS fingerprinted, a.url, a.text_sha256
FROM core.articles a LEFT JOIN core.article_fingerprints f USING (article_id)
WHERE a.dedupe_pending
ORDER BY {_ORDER}
LIMIT %s
"""

#: The first pending article that is not yet grouped (not a new version of a grouped one).
_EARLIEST_NEW = f"""
SELECT coalesce(a.published_at, a.first_window), a.url FROM core.articles a
WHERE a.dedupe_pending
  AND NOT EXISTS (SELECT 1 FROM core.article_fingerprints f WHERE f.article_id = a.article_id)
ORDER BY {_ORDER} LIMIT 1
"""

#: Grouped articles published after it: processed out of order, to be done again.
_LATER = """
SELECT a.article_id, a.duplicate_group_id, a.story_id FROM core.articles a
WHERE a.story_id IS NOT NULL AND NOT a.dedupe_pending
  AND coalesce(a.published_at, a.first_window) >= %(at)s
  AND (coalesce(a.published_at, a.first_window), a.url) > (%(at)s, %(url)s)
ORDER BY a.article_id
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

#: One round trip for both lookups of an article: the first grouped article with the same
#: normalised text (``exact``), and the articles sharing an LSH band with it. The exact
#: match starts from the hash's index and reads each article by its key whatever the
#: planner believes of ungrouped rows (statistics taken while a day's articles were all
#: pending made it scan every grouped article instead).
_LOOKUP = f"""
SELECT true AS exact, e.article_id, e.duplicate_group_id, e.at, e.url FROM (
    SELECT a.article_id, a.duplicate_group_id, a.at, a.url
    FROM core.article_fingerprints f
    CROSS JOIN LATERAL (
        SELECT a.article_id, a.duplicate_group_id, coalesce(a.published_at, a.first_window) AS at, a.url
        FROM core.articles a WHERE a.article_id = f.article_id AND a.duplicate_group_id IS NOT NULL LIMIT 1
    ) a
    WHERE f.normalized_sha256 = %(hash)s
    ORDER BY a.at, a.url LIMIT 1
) e
UNION ALL
SELECT false, c.article_id, NULL, NULL, NULL FROM ({_CANDIDATES}) c
"""

class LruCache:
    """A mapping that drops its least recently used entries beyond ``size``."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._entries: OrderedDict = OrderedDict()

    def get(self, key):
        value = self._entries.get(key)
        if value is not None:
            self._entries.move_to_end(key)
        return value

    def put(self, key, value) -> None:
        self._entries[key] = value
        self._entries.move_to_end(key)
        if len(self._entries) > self._size:
            self._entries.popitem(last=False)


class FingerprintCache(LruCache):
    """Shingles of texts seen by this stage, across its batches: a candidate is shingled
    from its text again in every batch that finds it otherwise (the warehouse keeps only
    its MinHash). Keyed by article and exact text, so a changed text is never matched with
    old shingles."""

    def __init__(self, size: int = 2000) -> None:
        super().__init__(size)

    def shingles(self, article_id: int, text: str) -> Fingerprint | Shingles:
        fp = self.get((article_id, text))
        if fp is None:
            fp = shingles_of(text)
            self.put((article_id, text), fp)
        return fp


class WarehouseIndex:
    """:class:`extractors.dedup.Index` over the warehouse tables, inside one transaction.

    Fingerprints and bands are written as each article is placed (the next article's
    lookup must find them), but the articles' own rows only when the batch ends
    (:meth:`write_placed`, one statement): an UPDATE of core.articles rewrites the row
    with its indexes and full-text column, the costliest write of the stage. Until then
    the groups and stories of the batch's articles are known here, and the lookups
    consult them next to the tables.
    """

    def __init__(self, cur: psycopg.Cursor, reopened: _Reopened | None = None,
                 fingerprints: FingerprintCache | None = None):
        self._cur = cur
        #: Candidates' fingerprints come from this bounded cache only: keeping every
        #: candidate of a batch as well (a dict per transaction) made the stage's memory
        #: grow with the warehouse's history, some 230 MB a batch after ten nights of the
        #: soak (benchmarks/soak.py), as ever more old articles share a band.
        self._known = fingerprints or FingerprintCache(0)
        self._reopened = reopened or _Reopened()
        #: The stories open to the batch's articles (loaded by :func:`load_story_window`),
        #: and the batch's own members of them (kept to load the window again).
        self.window = StoryWindow()
        self.window_stale = False  # a member's terms changed: load the window again
        self.window_placed: list[tuple[tuple, StoryCandidate]] = []
        #: Fingerprints and story terms of the batch's articles being computed by worker
        #: processes (futures of :func:`prepare`), if any.
        self.prepared: dict[int, object] = {}
        #: Story terms to store with the fingerprint of the article being placed.
        self.terms_to_store: dict[int, dict] = {}
        #: The batch's articles placed so far: article -> [group, similarity, story, story similarity].
        self.placed: dict[int, list] = {}
        self.group_story: dict[int, int] = {}  # group -> story, for the groups of the batch's articles
        self.stories_placed: set[int] = set()
        #: The first of the batch's articles with a normalised text: hash -> ((time, URL), article).
        self._placed_texts: dict[bytes, tuple[tuple, int]] = {}
        #: (hash, article, exact match, candidate ids) of the article being placed (:meth:`look_up`).
        self._looked_up: tuple | None = None
        #: Groups started in this batch: negative stand-ins until :meth:`write_placed` creates them.
        self._new_groups = 0

    def remember(self, article_id: int, text: str, fp: Fingerprint) -> None:
        """Keep an article's fingerprint for the candidates of later batches."""
        self._known.put((article_id, text), fp)

    def prepared_for(self, article_id: int) -> tuple[Fingerprint | None, dict | None]:
        future = self.prepared.pop(article_id, None)
        return (None, None) if future is None else future.result()

    def _group_of(self, article_id: int, stored: int | None) -> int | None:
        if stored is not None:
            return stored
        placed = self.placed.get(article_id)
        return None if placed is None else placed[0]

    def look_up(self, fp: Fingerprint, article_id: int) -> None:
        """Run both lookups of the article about to be placed (:data:`_LOOKUP`), for
        :meth:`exact` and :meth:`candidates` to answer from."""
        rows = self._cur.execute(_LOOKUP, {
            "hash": fp.text_hash, "bands": [b for b, _ in fp.bands], "buckets": [k for _, k in fp.bands],
            "self": article_id, "cap": MAX_BUCKET}).fetchall()
        self._looked_up = (fp.text_hash, article_id, next((r[1:] for r in rows if r[0]), None),
                           [r[1] for r in rows if not r[0]])

    def _lookup_for(self, text_hash: bytes, article_id: int | None = None) -> tuple:
        if self._looked_up is None or self._looked_up[0] != text_hash or \
                article_id not in (None, self._looked_up[1]):
            raise RuntimeError("look_up() the article before placing it")
        return self._looked_up

    def exact(self, text_hash: bytes) -> tuple[str, str] | None:
        """The first article, in the stage's order, with this normalised text."""
        row = self._lookup_for(text_hash)[2]
        here = self._placed_texts.get(text_hash)
        if here is not None and (row is None or here[0] < (row[2], row[3])):
            return str(here[1]), str(self.placed[here[1]][0])
        return None if row is None else (str(row[0]), str(row[1]))

    def candidates(self, fp: Fingerprint, exclude: str) -> list[tuple[str, str, Fingerprint | Shingles]]:
        """Stored articles sharing a band with ``fp``; only those whose stored MinHash says
        they could be copies (:func:`extractors.dedup.could_be_copy`) have their text read."""
        ids = self._lookup_for(fp.text_hash, int(exclude))[3]
        if not ids:
            return []
        groups = {}
        for article_id, minhash, words, stored_group in self._cur.execute(
                "SELECT f.article_id, f.minhash, a.word_count, a.duplicate_group_id FROM core.article_fingerprints f "
                "JOIN core.articles a USING (article_id) WHERE f.article_id = ANY(%s)", (ids,)).fetchall():
            group = self._group_of(article_id, stored_group)
            if group is not None and could_be_copy(fp, np.frombuffer(minhash, dtype="<u4"), words or 0):
                groups[article_id] = group
        if not groups:
            return []
        rows = self._cur.execute(
            "SELECT article_id, title, body_text FROM core.articles WHERE article_id = ANY(%s) ORDER BY article_id",
            (list(groups),),
        ).fetchall()
        return [(str(article_id), str(groups[article_id]), self._known.shingles(article_id, f"{title}\n{body}"))
                for article_id, title, body in rows]

    def add(self, doc: Document, fp: Fingerprint, group: str | None) -> str:
        """Place an article (``doc.published_at``: its time in the stage's order)."""
        article_id = int(doc.id)
        if group is None and (previous := self._reopened.vacant(self._cur, "duplicate_group_id", doc.id,
                                                                 self.group_story.keys())):
            group = str(previous)
        if group is None:
            self._new_groups += 1
            group = str(-self._new_groups)
        store_fingerprint(self._cur, article_id, fp, self.terms_to_store.pop(article_id, {}), replace=False)
        self.placed[article_id] = [int(group), None, None, None]
        self._placed_texts.setdefault(fp.text_hash, ((doc.published_at, doc.url), article_id))
        return group

    def place_in_story(self, article_id: int, story: int, similarity: float | None,
                       key: tuple, member: StoryCandidate) -> None:
        placed = self.placed[article_id]
        placed[2], placed[3] = story, similarity
        self.group_story.setdefault(placed[0], story)
        self.stories_placed.add(story)
        self.window_placed.append((key, member))

    def write_placed(self) -> dict[int, int]:
        """Create the batch's new groups (their ids in the order they were started, as one
        by one) and write the groups and stories of its articles to core.articles; the
        real id of each stand-in."""
        created = sorted(row[0] for row in self._cur.execute(
            "INSERT INTO core.duplicate_groups SELECT FROM generate_series(1, %s) RETURNING duplicate_group_id",
            (self._new_groups,)).fetchall()) if self._new_groups else []
        real = {-(i + 1): group for i, group in enumerate(created)}
        for placed in self.placed.values():
            placed[0] = real.get(placed[0], placed[0])
        if not self.placed:
            return real
        ids = sorted(self.placed)
        columns = list(zip(*(self.placed[i] for i in ids)))
        self._cur.execute(
            "UPDATE core.articles a SET dedupe_pending = false, duplicate_group_id = v.grp, "
            "duplicate_of_similarity = v.grp_similarity, story_id = v.story, story_similarity = v.story_similarity "
            "FROM unnest(%s::bigint[], %s::bigint[], %s::real[], %s::bigint[], %s::real[]) "
            "AS v(id, grp, grp_similarity, story, story_similarity) WHERE a.article_id = v.id",
            (ids, *map(list, columns)))
        return real

    def canonical(self, group: str) -> str:
        if int(group) < 0:  # started in this batch: its first article
            return str(min(a for a, placed in self.placed.items() if placed[0] == int(group)))
        row = self._cur.execute(
            "SELECT canonical_article_id FROM core.duplicate_groups WHERE duplicate_group_id = %s", (int(group),)
        ).fetchone()
        return str(row[0]) if row and row[0] is not None else ""


def store_fingerprint(cur: psycopg.Cursor, article_id: int, fp: Fingerprint, terms: dict, replace: bool) -> None:
    """Write an article's fingerprint, story terms and LSH bands (one statement);
    ``replace``: those of an earlier version of its text."""
    if replace:
        cur.execute("DELETE FROM core.article_lsh_bands WHERE article_id = %s", (article_id,))
    cur.execute(
        """
        WITH stored AS (
            INSERT INTO core.article_fingerprints (article_id, text_sha256, normalized_sha256, minhash, story_terms)
            SELECT article_id, text_sha256, %(normalized)s, %(minhash)s, %(terms)s FROM core.articles
            WHERE article_id = %(id)s
            ON CONFLICT (article_id) DO UPDATE SET text_sha256 = EXCLUDED.text_sha256,
                normalized_sha256 = EXCLUDED.normalized_sha256, minhash = EXCLUDED.minhash,
                story_terms = EXCLUDED.story_terms
            RETURNING article_id
        )
        INSERT INTO core.article_lsh_bands (band, bucket, article_id)
        SELECT b.band, b.bucket, stored.article_id
        FROM stored, unnest(%(bands)s::smallint[], %(buckets)s::bigint[]) AS b(band, bucket)
        """,
        {"id": article_id, "normalized": fp.text_hash, "minhash": fp.minhash_bytes(),
         "terms": json.dumps(terms, sort_keys=True), "bands": [b for b, _ in fp.bands],
         "buckets": [k for _, k in fp.bands]},
    )


class StoryTermsCache(LruCache):
    """Story terms of stored articles, kept across a run's batches, so that each batch's
    story window (some 20,000 articles around a 10,000-article day) does not read and
    parse them all again. Keyed by article and the hash of the text the terms were taken
    from: a new version is new terms."""

    def __init__(self, size: int = 50_000) -> None:
        super().__init__(size)


def load_story_window(cur: psycopg.Cursor, window: StoryWindow, terms: StoryTermsCache,
                      start: datetime, end: datetime) -> None:
    """Load the stored members of the stories a batch published between ``start`` and
    ``end`` can join (:class:`extractors.stories.StoryWindow`), with their stories' first
    reports, in (time, URL) order, bytewise, as the batch is processed."""
    rows = cur.execute(
        """
        SELECT a.article_id, a.story_id, a.published_at, coalesce(a.published_at, a.first_window), a.url,
               f.text_sha256
        FROM core.articles a JOIN core.article_fingerprints f USING (article_id)
        WHERE a.story_id IS NOT NULL
          AND coalesce(a.published_at, a.first_window) BETWEEN %(from)s AND %(to)s
        ORDER BY coalesce(a.published_at, a.first_window), a.url COLLATE "C"
        """,
        {"from": start - WINDOW, "to": end + WINDOW},
    ).fetchall()
    shas = {aid: sha for aid, _, _, _, _, sha in rows}
    found = {aid: terms.get((aid, sha)) for aid, sha in shas.items()}
    missing = [aid for aid, known in found.items() if known is None]
    if missing:
        for aid, stored in cur.execute("SELECT article_id, story_terms FROM core.article_fingerprints "
                                       "WHERE article_id = ANY(%s)", (missing,)):
            found[aid] = stored
            terms.put((aid, shas[aid]), stored)
    first = cur.execute(
        "SELECT story_id, min(coalesce(published_at, first_window)) FROM core.articles "
        "WHERE story_id = ANY(%s) GROUP BY story_id", (sorted({story for _, story, _, _, _, _ in rows}),)
    ).fetchall()
    window.load([((when, url), StoryCandidate(str(aid), str(story), published, found[aid]))
                 for aid, story, published, when, url, _ in rows],
                {str(story): at for story, at in first})


def _place_in_story(cur: psycopg.Cursor, article_id: int, group: int, new_group: bool, terms: dict,
                    published: datetime | None, when: datetime, url: str, counts: dict, reopened: _Reopened,
                    index: WarehouseIndex) -> None:
    """The story of the article's group if it has one (copies share a story, whenever they
    appeared), else the most similar open story, else a new one."""
    story = index.group_story.get(group)
    if story is None and not new_group:
        row = cur.execute(
            "SELECT story_id FROM core.articles a WHERE duplicate_group_id = %s AND story_id IS NOT NULL "
            f"ORDER BY {_ORDER} LIMIT 1",
            (group,),
        ).fetchone()
        story = None if row is None else row[0]
    similarity, first = None, None
    if story is not None:
        counts["stories_joined"] += 1
        if index.window.first_report(str(story)) is None:  # a story begun outside the window
            first = cur.execute("SELECT min(coalesce(published_at, first_window)) FROM core.articles "
                                "WHERE story_id = %s", (story,)).fetchone()[0]
    else:
        found = index.window.best(terms, when)
        if found is None:
            story = reopened.vacant(cur, "story_id", str(article_id), index.stories_placed) or \
                cur.execute("INSERT INTO core.stories DEFAULT VALUES RETURNING story_id").fetchone()[0]
            counts["stories_new"] += 1
        else:
            story, similarity = int(found[0]), found[1]
            counts["stories_joined"] += 1
    member = StoryCandidate(str(article_id), str(story), published, terms)
    index.window.add((when, url), member, first)
    index.place_in_story(article_id, story, similarity, (when, url), member)


def prepare(title: str, body: str) -> tuple[Fingerprint, dict]:
    """An article's fingerprint and story terms (pure, for a worker process)."""
    return fingerprint(f"{title}\n{body}"), story_terms(title, body)


def _process(cur: psycopg.Cursor, index: WarehouseIndex, row: tuple, counts: dict,
             groups: set[int], stories: set[int], reopened: _Reopened, known_terms: StoryTermsCache,
             span: tuple[datetime, datetime]) -> None:
    article_id, title, body, published, first_window, _source, fingerprinted, url, text_hash = row
    fp, terms = index.prepared_for(article_id)
    fp = fp or fingerprint(f"{title}\n{body}")
    terms = story_terms(title, body) if terms is None else terms
    known_terms.put((article_id, text_hash), terms)
    if fingerprinted:
        # The same URL with a changed text: a new version of the same article.
        store_fingerprint(cur, article_id, fp, terms, replace=True)
        index.window_stale = True  # a member's terms changed
        counts["version"] += 1
        ids = cur.execute("UPDATE core.articles SET dedupe_pending = false WHERE article_id = %s "
                          "RETURNING duplicate_group_id, story_id", (article_id,)).fetchone()
        groups.update(i for i in ids[:1] if i is not None)
        stories.update(i for i in ids[1:] if i is not None)
        return
    if index.window_stale:
        load_story_window(cur, index.window, known_terms, *span)
        for key, member in index.window_placed:
            index.window.add(key, member)
        index.window_stale = False
    when = published or first_window
    index.remember(article_id, f"{title}\n{body}", fp)
    index.terms_to_store[article_id] = terms
    index.look_up(fp, article_id)
    assignment = assign(index, Document(str(article_id), url, title, body, when), fp, canonical=False)
    group = int(assignment.duplicate_group)
    counts[assignment.kind] += 1
    groups.add(group)
    index.placed[article_id][1] = None if assignment.kind == "new" else assignment.similarity
    _place_in_story(cur, article_id, group, assignment.kind == "new", terms, published, when, url, counts,
                    reopened, index)
    stories.add(index.placed[article_id][2])


class _Reopened:
    """The groups and stories of the articles reopened in this batch, for reuse."""

    def __init__(self) -> None:
        self.previous: dict[str, dict[str, int]] = {"duplicate_group_id": {}, "story_id": {}}

    def vacant(self, cur: psycopg.Cursor, column: str, article_id: str, taken) -> int | None:
        """The article's previous group or story, if it has no member now (to reuse its id);
        ``taken``: those of the articles placed in this batch, not yet written."""
        previous = self.previous[column].pop(article_id, None)
        if previous is None or previous in taken or cur.execute(
                f"SELECT 1 FROM core.articles WHERE {column} = %s LIMIT 1", (previous,)).fetchone():
            return None
        return previous


def _reopen_later(cur: psycopg.Cursor, reopened: _Reopened, groups: set[int], stories: set[int]) -> int:
    """Reopen the grouped articles published after the earliest new pending article."""
    earliest = cur.execute(_EARLIEST_NEW).fetchone()
    if earliest is None:
        return 0
    rows = cur.execute(_LATER, {"at": earliest[0], "url": earliest[1]}).fetchall()
    if not rows:
        return 0
    ids = [article_id for article_id, _, _ in rows]
    cur.execute("UPDATE core.articles SET duplicate_group_id = NULL, duplicate_of_similarity = NULL, "
                "story_id = NULL, story_similarity = NULL, dedupe_pending = true WHERE article_id = ANY(%s)", (ids,))
    cur.execute("DELETE FROM core.article_lsh_bands WHERE article_id = ANY(%s)", (ids,))
    cur.execute("DELETE FROM core.article_fingerprints WHERE article_id = ANY(%s)", (ids,))
    for article_id, group, story in rows:
        reopened.previous["duplicate_group_id"][str(article_id)] = group
        reopened.previous["story_id"][str(article_id)] = story
        groups.add(group)
        stories.add(story)
    log.info("%d articles published after %s (%s) were grouped before it: grouping them again after it",
             len(ids), earliest[1], earliest[0])
    return len(ids)


@plain_errors
def dedupe(dsn: str, run_id: str | None = None) -> dict:
    """Group and cluster every pending article, in publication order; counts for XCom."""
    counts = {"new": 0, "exact": 0, "near": 0, "version": 0, "stories_new": 0, "stories_joined": 0,
              "reopened": 0}
    with connect(dsn) as conn:
        pending = conn.execute("SELECT count(*) FROM core.articles WHERE dedupe_pending").fetchone()[0]
        # Fingerprints and story terms (pure CPU) are computed by worker processes, ahead of
        # the articles' turn, when there are enough articles; the rest stays in order here.
        known, known_terms = FingerprintCache(), StoryTermsCache()
        with cpu_pool(pending, preload=("newsfacts.dedupe",)) as pool:
            while True:
                with conn.transaction(), conn.cursor() as cur:
                    lock_dedupe(cur)
                    reopened, groups, stories = _Reopened(), set(), set()
                    counts["reopened"] += _reopen_later(cur, reopened, groups, stories)
                    batch = cur.execute(_PENDING, (BATCH,)).fetchall()
                    if not batch:
                        break
                    index = WarehouseIndex(cur, reopened, known)
                    span = (min(r[3] or r[4] for r in batch), max(r[3] or r[4] for r in batch))
                    load_story_window(cur, index.window, known_terms, *span)
                    if pool is not None:
                        index.prepared = {row[0]: pool.submit(prepare, row[1], row[2]) for row in batch}
                    for row in batch:
                        _process(cur, index, row, counts, groups, stories, reopened, known_terms, span)
                    created = index.write_placed()
                    groups = {created.get(group, group) for group in groups}
                    refresh(cur, groups, stories)
                    pause_point("dedupe.batch")
    log.info("dedupe %s: %s", run_id or "", counts)
    return counts
