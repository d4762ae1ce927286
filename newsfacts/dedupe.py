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

import bisect
import json
import logging
from collections import OrderedDict
from datetime import datetime

import numpy as np
import psycopg

from extractors.dedup import (MAX_BUCKET, Document, Fingerprint, Shingles, assign, could_be_copy, fingerprint,
                              shingles_of)
from extractors.stories import WINDOW, StoryCandidate, StoryIndex, open_to, story_terms
from newsfacts.errors import plain_errors
from newsfacts.parallel import cpu_pool
from newsfacts.testhooks import pause_point
from newsfacts.warehouse import connect

log = logging.getLogger(__name__)

BATCH = 200
_LOCK = (0x6E66, 0x6464)  # "nf", "dd": one dedup writer at a time
#: The order articles are grouped and clustered in (see the module docstring).
_ORDER = "coalesce(a.published_at, a.first_window), a.url"

_PENDING = f"""
SELECT a.article_id, a.title, a.body_text, a.published_at, a.first_window, a.source_id,
       f.article_id IS NOT NULL AS fingerprinted, a.url
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


def lock_dedupe(cur: psycopg.Cursor) -> None:
    """Take the dedupe stage's lock for the current transaction (before any row lock)."""
    cur.execute("SELECT pg_advisory_xact_lock(%s, %s)", _LOCK)

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
    groups, stories = sorted(g for g in groups if g is not None), sorted(s for s in stories if s is not None)
    if groups:
        cur.execute(_REFRESH_GROUPS, {"ids": groups})
        cur.execute(
            "DELETE FROM core.duplicate_groups g WHERE duplicate_group_id = ANY(%s) "
            "AND NOT EXISTS (SELECT 1 FROM core.articles a WHERE a.duplicate_group_id = g.duplicate_group_id)",
            (groups,),
        )
    if stories:
        cur.execute(_REFRESH_STORIES, {"ids": stories})
        cur.execute(
            "DELETE FROM core.stories s WHERE story_id = ANY(%s) "
            "AND NOT EXISTS (SELECT 1 FROM core.articles a WHERE a.story_id = s.story_id)",
            (stories,),
        )


class FingerprintCache:
    """Shingles of texts seen by this stage, across its batches: a candidate is shingled
    from its text again in every batch that finds it otherwise (the warehouse keeps only
    its MinHash). Keyed by article and exact text, so a changed text is never matched with
    old shingles; the least recently used are dropped beyond ``size``."""

    def __init__(self, size: int = 2000) -> None:
        self._size = size
        self._entries: OrderedDict[tuple[int, str], Fingerprint | Shingles] = OrderedDict()

    def get(self, article_id: int, text: str) -> Fingerprint | Shingles:
        key = (article_id, text)
        fp = self._entries.get(key)
        if fp is None:
            fp = self._entries[key] = shingles_of(text)
            if len(self._entries) > self._size:
                self._entries.popitem(last=False)
        else:
            self._entries.move_to_end(key)
        return fp

    def put(self, article_id: int, text: str, fp: Fingerprint) -> None:
        self._entries[(article_id, text)] = fp
        if len(self._entries) > self._size:
            self._entries.popitem(last=False)


class WarehouseIndex:
    """:class:`extractors.dedup.Index` over the warehouse tables, inside one transaction."""

    def __init__(self, cur: psycopg.Cursor, reopened: _Reopened | None = None,
                 fingerprints: FingerprintCache | None = None):
        self._cur = cur
        #: Candidates' fingerprints come from this bounded cache only: keeping every
        #: candidate of a batch as well (a dict per transaction) made the stage's memory
        #: grow with the warehouse's history, some 230 MB a batch after ten nights of the
        #: soak (benchmarks/soak.py), as ever more old articles share a band.
        self._known = fingerprints or FingerprintCache(0)
        self._reopened = reopened or _Reopened()
        #: Story terms of the neighbours read in this transaction (see :class:`StoryNeighbours`),
        #: and the story centroids built from them so far (see :class:`StoryIndex`).
        self.story_terms: dict[int, dict] = {}
        self.stories = StoryIndex()
        self.neighbours = StoryNeighbours()
        #: Fingerprints and story terms of the batch's articles being computed by worker
        #: processes (futures of :func:`prepare`), if any.
        self.prepared: dict[int, object] = {}

    def remember(self, article_id: int, text: str, fp: Fingerprint) -> None:
        """Keep an article's fingerprint for the candidates of later batches."""
        self._known.put(article_id, text, fp)

    def prepared_for(self, article_id: int) -> tuple[Fingerprint | None, dict | None]:
        future = self.prepared.pop(article_id, None)
        return (None, None) if future is None else future.result()

    def exact(self, text_hash: bytes) -> tuple[str, str] | None:
        row = self._cur.execute(
            "SELECT f.article_id, a.duplicate_group_id FROM core.article_fingerprints f "
            "JOIN core.articles a USING (article_id) "
            f"WHERE f.normalized_sha256 = %s AND a.duplicate_group_id IS NOT NULL ORDER BY {_ORDER} LIMIT 1",
            (text_hash,),
        ).fetchone()
        return None if row is None else (str(row[0]), str(row[1]))

    def candidates(self, fp: Fingerprint, exclude: str) -> list[tuple[str, str, Fingerprint | Shingles]]:
        """Stored articles sharing a band with ``fp``; only those whose stored MinHash says
        they could be copies (:func:`extractors.dedup.could_be_copy`) have their text read."""
        ids = [row[0] for row in self._cur.execute(
            _CANDIDATES,
            {"bands": [b for b, _ in fp.bands], "buckets": [k for _, k in fp.bands], "self": int(exclude),
             "cap": MAX_BUCKET},
        ).fetchall()]
        if not ids:
            return []
        worth = [article_id for article_id, minhash, words in self._cur.execute(
            "SELECT f.article_id, f.minhash, a.word_count FROM core.article_fingerprints f "
            "JOIN core.articles a USING (article_id) WHERE f.article_id = ANY(%s) AND a.duplicate_group_id IS NOT NULL",
            (ids,),
        ).fetchall() if could_be_copy(fp, np.frombuffer(minhash, dtype="<u4"), words or 0)]
        if not worth:
            return []
        rows = self._cur.execute(
            "SELECT article_id, duplicate_group_id, title, body_text FROM core.articles "
            "WHERE article_id = ANY(%s) ORDER BY article_id",
            (worth,),
        ).fetchall()
        return [(str(article_id), str(group), self._known.get(article_id, f"{title}\n{body}"))
                for article_id, group, title, body in rows]

    def add(self, doc: Document, fp: Fingerprint, group: str | None) -> str:
        if group is None and (previous := self._reopened.vacant(self._cur, "duplicate_group_id", doc.id)):
            group = str(previous)
        if group is None:
            group = str(self._cur.execute(
                "INSERT INTO core.duplicate_groups DEFAULT VALUES RETURNING duplicate_group_id").fetchone()[0])
        store_fingerprint(self._cur, int(doc.id), fp)
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


class StoryNeighbours:
    """The articles in a story around a batch, kept in order while the batch is placed.

    Each article's neighbours are the members of the stories it can join: those whose first
    report was published within the story window of it (:func:`extractors.stories.open_to`).
    They are read from the warehouse once per batch, for the window around the whole batch,
    with each story's first report, and each article placed in the batch is added where it
    belongs, so an article's neighbours are a slice of this list rather than a query
    returning a day's articles (which, at 10,000 articles a day, made most of the dedupe
    task's time). Kept in (time, URL) order, bytewise, as the query reads them.
    """

    def __init__(self) -> None:
        self._keys: list[tuple[datetime, str]] = []
        self._rows: list[tuple[int, int, datetime | None]] = []  # (article, story, published_at)
        self._first: dict[int, datetime] = {}  # story -> its first report's time

    def load(self, cur: psycopg.Cursor, start: datetime, end: datetime) -> None:
        rows = cur.execute(
            """
            SELECT a.article_id, a.story_id, a.published_at, coalesce(a.published_at, a.first_window), a.url
            FROM core.articles a JOIN core.article_fingerprints f USING (article_id)
            WHERE a.story_id IS NOT NULL
              AND coalesce(a.published_at, a.first_window) BETWEEN %(from)s AND %(to)s
            ORDER BY coalesce(a.published_at, a.first_window), a.url COLLATE "C"
            """,
            {"from": start - WINDOW, "to": end + WINDOW},
        ).fetchall()
        self._keys = [(when, url) for _, _, _, when, url in rows]
        self._rows = [(aid, story, published) for aid, story, published, _, _ in rows]
        self._first = dict(cur.execute(
            "SELECT story_id, min(coalesce(published_at, first_window)) FROM core.articles "
            "WHERE story_id = ANY(%s) GROUP BY story_id", (sorted({story for _, story, _ in self._rows}),)
        ).fetchall())

    def add(self, article_id: int, story: int, published: datetime | None, when: datetime, url: str) -> None:
        at = bisect.bisect_right(self._keys, (when, url))
        self._keys.insert(at, (when, url))
        self._rows.insert(at, (article_id, story, published))
        self._first[story] = min(self._first.get(story, when), when)

    def around(self, cur: psycopg.Cursor, article_id: int, when: datetime,
               known: dict[int, dict]) -> list[StoryCandidate]:
        """The neighbours of an article, with their story terms (read once per transaction
        and kept in ``known``; an article whose terms are rewritten is dropped from it)."""
        lo = bisect.bisect_left(self._keys, (when - WINDOW,))
        hi = bisect.bisect_right(self._keys, (when + WINDOW, "\U0010ffff"))
        first = self._first
        rows = [r for r in self._rows[lo:hi] if r[0] != article_id and open_to(first[r[1]], when)]
        missing = [aid for aid, _, _ in rows if aid not in known]
        if missing:
            known.update(cur.execute("SELECT article_id, story_terms FROM core.article_fingerprints "
                                     "WHERE article_id = ANY(%s)", (missing,)).fetchall())
        return [StoryCandidate(str(aid), str(story), published, known[aid]) for aid, story, published in rows]


def _place_in_story(cur: psycopg.Cursor, article_id: int, group: int, title: str, body: str,
                    published: datetime | None, when: datetime, url: str, counts: dict, reopened: _Reopened,
                    index: WarehouseIndex, terms: dict | None = None) -> tuple[int, float | None]:
    if terms is None:
        terms = story_terms(title, body)
    index.story_terms.pop(article_id, None)
    cur.execute("UPDATE core.article_fingerprints SET story_terms = %s WHERE article_id = %s",
                (json.dumps(terms, sort_keys=True), article_id))
    row = cur.execute(
        "SELECT story_id FROM core.articles a WHERE duplicate_group_id = %s AND story_id IS NOT NULL "
        f"ORDER BY {_ORDER} LIMIT 1",
        (group,),
    ).fetchone()
    similarity = None
    if row is not None:
        story = row[0]
        counts["stories_joined"] += 1
    else:
        found = index.stories.best(terms, index.neighbours.around(cur, article_id, when, index.story_terms))
        if found is None:
            story = reopened.vacant(cur, "story_id", str(article_id)) or \
                cur.execute("INSERT INTO core.stories DEFAULT VALUES RETURNING story_id").fetchone()[0]
            counts["stories_new"] += 1
        else:
            story, similarity = int(found[0]), found[1]
            counts["stories_joined"] += 1
    index.neighbours.add(article_id, story, published, when, url)
    return story, similarity


def prepare(title: str, body: str) -> tuple[Fingerprint, dict]:
    """An article's fingerprint and story terms (pure, for a worker process)."""
    return fingerprint(f"{title}\n{body}"), story_terms(title, body)


def _process(cur: psycopg.Cursor, index: WarehouseIndex, row: tuple, counts: dict,
             groups: set[int], stories: set[int], reopened: _Reopened) -> None:
    article_id, title, body, published, first_window, _source, fingerprinted, url = row
    fp, terms = index.prepared_for(article_id)
    if fingerprinted:
        # The same URL with a changed text: a new version of the same article.
        store_fingerprint(cur, article_id, fp or fingerprint(f"{title}\n{body}"))
        index.story_terms.pop(article_id, None)
        index.stories = StoryIndex()  # a neighbour's terms change: rebuild the centroids
        cur.execute(
            "UPDATE core.article_fingerprints SET story_terms = %s WHERE article_id = %s",
            (json.dumps(story_terms(title, body) if terms is None else terms, sort_keys=True), article_id),
        )
        counts["version"] += 1
        ids = cur.execute("UPDATE core.articles SET dedupe_pending = false WHERE article_id = %s "
                          "RETURNING duplicate_group_id, story_id", (article_id,)).fetchone()
        groups.update(i for i in ids[:1] if i is not None)
        stories.update(i for i in ids[1:] if i is not None)
        return
    doc = Document(str(article_id), "", title, body, published)
    fp = fp or fingerprint(f"{title}\n{body}")
    index.remember(article_id, f"{title}\n{body}", fp)
    assignment = assign(index, doc, fp)
    group = int(assignment.duplicate_group)
    counts[assignment.kind] += 1
    groups.add(group)
    story, story_similarity = _place_in_story(cur, article_id, group, title, body, published,
                                              published or first_window, url, counts, reopened, index, terms)
    stories.add(story)
    # One new row version for all of it: every update of core.articles rewrites its
    # indexes and recomputes its full-text column.
    cur.execute(
        "UPDATE core.articles SET dedupe_pending = false, duplicate_group_id = %s, duplicate_of_similarity = %s, "
        "story_id = %s, story_similarity = %s WHERE article_id = %s",
        (group, None if assignment.kind == "new" else assignment.similarity, story, story_similarity, article_id))


class _Reopened:
    """The groups and stories of the articles reopened in this batch, for reuse."""

    def __init__(self) -> None:
        self.previous: dict[str, dict[str, int]] = {"duplicate_group_id": {}, "story_id": {}}

    def vacant(self, cur: psycopg.Cursor, column: str, article_id: str) -> int | None:
        """The article's previous group or story, if it has no member now (to reuse its id)."""
        previous = self.previous[column].pop(article_id, None)
        if previous is None or cur.execute(
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
        known = FingerprintCache()
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
                    index.neighbours.load(cur, min(r[3] or r[4] for r in batch), max(r[3] or r[4] for r in batch))
                    if pool is not None:
                        index.prepared = {row[0]: pool.submit(prepare, row[1], row[2]) for row in batch}
                    for row in batch:
                        _process(cur, index, row, counts, groups, stories, reopened)
                    refresh(cur, groups, stories)
                    pause_point("dedupe.batch")
    log.info("dedupe %s: %s", run_id or "", counts)
    return counts
