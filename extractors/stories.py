"""Different articles about the same event: story clusters.

Two reports of one event rarely share sentences, but they share who and where — the
names — and the event's own words ("planners", "Witkoff", "ceasefire"), within a day or
so of each other. An article is described by its **story terms**: the proper names and
the headline's words, transliterated from Cyrillic and cut to five-letter stems so that
"Путин"/"Putin", "Британии"/"Britain" and "Zelenskyy's"/"Zelensky" meet. Similarity is a
TF-IDF cosine where document frequencies come from the articles of the same days, so the
names every war article carries (Ukraine, Russia, Kyiv) weigh little and the ones that
single out an event weigh a lot.

An article joins the story most similar to it among the stories whose first report was
published within a day of it (:func:`open_to`), when the similarity reaches
:data:`MIN_SIMILARITY`; else it starts a story. Bounding a story by its first report, not
by its latest member, keeps a running subject (the talks, the front near one town) from
chaining day after day into one endless story. Members of one duplicate group always
share a story, whenever the copy appeared.
"""

from __future__ import annotations

import bisect
import heapq
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from extractors.dedup import tokens
from extractors.entities import find_mentions
from extractors.spans import sentence_pieces

#: How far apart two reports of one event can be published.
WINDOW = timedelta(days=1)
MIN_SIMILARITY = 0.2
STEM = 5
#: Headline words and names count this much more than a name further down.
TITLE_WEIGHT = 2.0
LEAD_SENTENCES = 5

_TRANSLIT = str.maketrans({
    "а": "a", "б": "b", "в": "v", "г": "g", "ґ": "g", "д": "d", "е": "e", "ё": "e", "є": "ie", "ж": "zh",
    "з": "z", "и": "i", "і": "i", "ї": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o",
    "п": "p", "р": "r", "с": "s", "т": "t", "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh",
    "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "iu", "я": "ia",
})
_CAPITALISED = re.compile(r"(?<![\w'’])[A-ZА-ЯЁІЇЄҐ][\w'’-]{2,}")
_WORD = re.compile(r"\w{4,}")
#: Capitalised at a sentence start, in a headline in title case, or simply everywhere.
_COMMON = frozenset(
    """
    about above after again against also amid among another around because been before being
    below between both could does doing down during each even every from further have having
    here into itself just many more most much must near next only other over same says said
    should since some such than that their them then there these they this those through under
    until very were what when where which while whom will with within without would your yours
    year years week weeks monday tuesday wednesday thursday friday saturday sunday today
    yesterday tomorrow news read more also according officials official told added
    """.split()
)


def stem(word: str) -> str:
    """Lower-cased, transliterated, normalised (see :func:`extractors.dedup.tokens`), cut short."""
    normalised = tokens(word.lower().translate(_TRANSLIT))
    return normalised[0][:STEM] if normalised else ""


def story_terms(title: str, text: str) -> dict[str, float]:
    """The weighted terms that single out an article's event.

    Besides the stems, every registry entity the headline and lead name counts as a term
    of its own (``@place/kursk``), whatever the language it was named in, so reports in
    English, Ukrainian and Russian can meet.
    """
    terms: Counter[str] = Counter()
    sentences = sentence_pieces(text)
    lead = " ".join(sentences[:LEAD_SENTENCES])
    for weight, part in ((TITLE_WEIGHT, title or ""), (1.0, lead)):
        for mention in find_mentions(part):
            if mention.entity is not None:
                terms["@" + mention.entity.id] += weight
    for word in _WORD.findall(title or ""):
        s = stem(word)
        if s and word.lower() not in _COMMON:
            terms[s] += TITLE_WEIGHT
    for i, sentence in enumerate(sentences):
        weight = 1.0 if i < LEAD_SENTENCES else 0.5
        for word in _CAPITALISED.findall(sentence):
            s = stem(word)
            if s and word.lower() not in _COMMON:
                terms[s] += weight
    return {t: round(1.0 + math.log(w), 4) for t, w in terms.items() if w > 0}


def cosine(a: dict[str, float], b: dict[str, float], idf: dict[str, float]) -> float:
    shared = a.keys() & b.keys()
    if not shared:
        return 0.0
    dot = sum(a[t] * b[t] * idf.get(t, 1.0) ** 2 for t in shared)
    na = math.sqrt(sum((w * idf.get(t, 1.0)) ** 2 for t, w in a.items()))
    nb = math.sqrt(sum((w * idf.get(t, 1.0)) ** 2 for t, w in b.items()))
    return dot / (na * nb) if na and nb else 0.0


def idf_of(pool: list[dict[str, float]]) -> dict[str, float]:
    """Inverse document frequency over the articles being compared (smoothed)."""
    df: Counter[str] = Counter()
    for terms in pool:
        df.update(terms.keys())
    n = len(pool)
    return {t: math.log((n + 1) / (c + 0.5)) for t, c in df.items()}


@dataclass
class StoryCandidate:
    """A neighbour: an article already in a story."""

    id: str
    story: str
    published_at: datetime | None
    terms: dict[str, float] = field(default_factory=dict)


def best_story(terms: dict[str, float], neighbours: list[StoryCandidate],
               min_similarity: float = MIN_SIMILARITY) -> tuple[str, float] | None:
    """The story whose neighbours, taken together, are most similar, if similar enough.

    Comparing with a story's combined terms rather than its single closest article keeps
    two events that share a few words ("Russian drones hit...") from chaining together.
    """
    if not neighbours or not terms:
        return None
    idf = idf_of([terms, *(n.terms for n in neighbours)])
    centroids: dict[str, Counter] = {}
    for n in neighbours:
        norm = math.sqrt(sum(w * w for w in n.terms.values())) or 1.0
        centroids.setdefault(n.story, Counter()).update({t: w / norm for t, w in n.terms.items()})
    score, story = max((cosine(terms, dict(c), idf), s) for s, c in centroids.items())
    return (story, round(score, 4)) if score >= min_similarity else None


#: Neighbours added at once beyond this many are summed in one pass (see StoryIndex._add_all).
_BULK = 32
#: A centroid weight this close to zero is a member's weight taken away again, not a term.
_GONE = 1e-12


class StoryIndex:
    """:func:`best_story` for a neighbour list that changes a little from one call to the next.

    Articles are placed in publication order, so each article's neighbours are mostly the
    previous article's: a few placed since, a few whose story has left the window.
    Recomputing the document frequencies and every story's centroid and norm on every call
    makes a day of N articles cost N² (at 10,000 articles a day, most of the dedupe task);
    starting over whenever a neighbour leaves costs the same, since one leaves nearly every
    call once a day has passed. This keeps them, adds the neighbours that arrived and takes
    away those that left.

    A call then touches only the stories that share a term with the article (the others
    score 0), and a story's norm under the call's idf comes from three running sums rather
    than from its whole centroid: with ``idf_t = L - l_t`` (``L = log(pool + 1)``,
    ``l_t = log(df_t + 0.5)``), ``Σ (c_t·idf_t)² = L²·Σc_t² - 2L·Σc_t²·l_t + Σc_t²·l_t²``.
    The answer is :func:`best_story`'s up to floating-point rounding (scores agree to
    about 1e-12, far below the 4 decimals they are reported with).
    """

    def __init__(self) -> None:
        self._members: dict[tuple[str, str], StoryCandidate] = {}
        self._df: Counter[str] = Counter()
        self._centroids: dict[str, dict[str, float]] = {}
        self._sizes: Counter[str] = Counter()  # story -> members
        self._stories_with: dict[str, set[str]] = {}  # term -> stories whose centroid has it
        self._sums: dict[str, list[float]] = {}  # story -> [Σc², Σc²·l, Σc²·l²]

    def _sync(self, neighbours: list[StoryCandidate]) -> None:
        """Make the index hold exactly ``neighbours`` (a member is an article in a story)."""
        keys = [(n.id, n.story) for n in neighbours]
        current = set(keys)
        gone = [k for k in self._members if k not in current]
        if len(gone) > len(current):  # mostly new: cheaper to start over
            self.__init__()
            gone = []
        for key in gone:
            self._remove(self._members.pop(key))
        added = [n for n, key in zip(neighbours, keys) if key not in self._members]
        if len(added) > _BULK:
            self._add_all(added)
        else:
            for n in added:
                self._add(n)
        self._members.update((key, n) for n, key in zip(neighbours, keys) if key not in self._members)

    def _story_sums(self, story: str) -> list[float]:
        acc = [0.0, 0.0, 0.0]
        for t, c in self._centroids[story].items():
            l, c2 = math.log(self._df[t] + 0.5), c * c
            acc[0] += c2
            acc[1] += c2 * l
            acc[2] += c2 * l * l
        return acc

    def _add_all(self, added: list[StoryCandidate]) -> None:
        """Many neighbours at once: every story's sums computed once, at the end (the
        document frequencies they depend on changed for all of them)."""
        for n in added:
            self._df.update(n.terms.keys())
            norm = math.sqrt(sum(w * w for w in n.terms.values())) or 1.0
            centroid = self._centroids.setdefault(n.story, {})
            self._sizes[n.story] += 1
            for t, w in n.terms.items():
                centroid[t] = centroid.get(t, 0.0) + w / norm
                self._stories_with.setdefault(t, set()).add(n.story)
        self._sums = {story: self._story_sums(story) for story in self._centroids}

    def _shift_df(self, t: str, old: int, new: int) -> None:
        """Term ``t`` is now in ``new`` neighbours: its l_t changes for every story holding it."""
        if new:
            self._df[t] = new
        else:
            del self._df[t]
        if not old or not new:
            return
        l_old, l_new = math.log(old + 0.5), math.log(new + 0.5)
        for story in self._stories_with.get(t, ()):
            c2 = self._centroids[story][t] ** 2
            acc = self._sums[story]
            acc[1] += c2 * (l_new - l_old)
            acc[2] += c2 * (l_new * l_new - l_old * l_old)

    def _move(self, n: StoryCandidate, sign: float) -> None:
        """Add (sign 1) or take away (sign -1) a neighbour's normalised terms to its story's centroid."""
        norm = math.sqrt(sum(w * w for w in n.terms.values())) or 1.0
        centroid = self._centroids.setdefault(n.story, {})
        acc = self._sums.setdefault(n.story, [0.0, 0.0, 0.0])
        for t, w in n.terms.items():
            before = centroid.get(t, 0.0)
            after = before + sign * w / norm
            l = math.log(self._df[t] + 0.5)
            d2 = after * after - before * before
            if abs(after) < _GONE:
                d2 = -before * before
                del centroid[t]
                self._stories_with[t].discard(n.story)
            else:
                centroid[t] = after
                self._stories_with.setdefault(t, set()).add(n.story)
            acc[0] += d2
            acc[1] += d2 * l
            acc[2] += d2 * l * l

    def _add(self, n: StoryCandidate) -> None:
        for t in n.terms:
            self._shift_df(t, self._df[t], self._df[t] + 1)
        self._move(n, 1.0)
        self._sizes[n.story] += 1

    def _remove(self, n: StoryCandidate) -> None:
        self._move(n, -1.0)
        self._sizes[n.story] -= 1
        if not self._sizes[n.story]:  # the story left: drop what rounding left of it
            for t in self._centroids.pop(n.story):
                self._stories_with[t].discard(n.story)
            del self._sums[n.story], self._sizes[n.story]
        for t in n.terms:
            self._shift_df(t, self._df[t], self._df[t] - 1)
            if not self._df[t] and not self._stories_with.get(t, True):
                del self._stories_with[t]

    def add(self, n: StoryCandidate) -> None:
        """Take in one more member (nothing if it is in already)."""
        key = (n.id, n.story)
        if key not in self._members:
            self._members[key] = n
            self._add(n)

    def add_many(self, added: list[StoryCandidate]) -> None:
        """Take in several members: in one pass when they are many."""
        added = [n for n in added if (n.id, n.story) not in self._members]
        if len(added) <= _BULK:
            for n in added:
                self.add(n)
            return
        self._members.update(((n.id, n.story), n) for n in added)
        self._add_all(added)

    def remove(self, n: StoryCandidate) -> None:
        """Let a member go (nothing if it is not in)."""
        if self._members.pop((n.id, n.story), None) is not None:
            self._remove(n)

    def best(self, terms: dict[str, float], neighbours: list[StoryCandidate],
             min_similarity: float = MIN_SIMILARITY) -> tuple[str, float] | None:
        """:func:`best_story` over ``neighbours``."""
        if not neighbours or not terms:
            return None
        self._sync(neighbours)
        return self.score(terms, min_similarity)

    def score(self, terms: dict[str, float], min_similarity: float = MIN_SIMILARITY) -> tuple[str, float] | None:
        """:func:`best_story` over the members the index holds now."""
        if not self._members or not terms:
            return None
        # The idf of best_story: the neighbours and the article itself.
        big_l = math.log(len(self._members) + 2)
        idf = {t: big_l - math.log(self._df.get(t, 0) + 1.5) for t in terms}
        na = math.sqrt(sum((w * idf[t]) ** 2 for t, w in terms.items()))
        dots: dict[str, float] = {}
        shift: dict[str, list[float]] = {}  # the article's own terms raise df by one
        for t, w in terms.items():
            df = self._df.get(t, 0)
            if not df:
                continue
            l_old, l_new = math.log(df + 0.5), math.log(df + 1.5)
            for story in self._stories_with[t]:
                c = self._centroids[story][t]
                dots[story] = dots.get(story, 0.0) + w * c * idf[t] ** 2
                adj = shift.setdefault(story, [0.0, 0.0])
                adj[0] += c * c * (l_new - l_old)
                adj[1] += c * c * (l_new * l_new - l_old * l_old)
        if not dots or not na:
            return None
        best_score, best = -1.0, None
        for story, dot in dots.items():
            a, b, c = self._sums[story]
            b, c = b + shift[story][0], c + shift[story][1]
            nb2 = big_l * big_l * a - 2 * big_l * b + c
            score = dot / (na * math.sqrt(nb2)) if nb2 > 0 else 0.0
            if (score, story) > (best_score, best or ""):
                best_score, best = score, story
        return (best, round(best_score, 4)) if best is not None and best_score >= min_similarity else None


class StoryWindow:
    """The stories open to each article, for articles placed in publication order.

    An article can join the stories first reported within :data:`WINDOW` of it
    (:func:`open_to`); their members published up to then (and, in a backfill, up to a
    window after it) are its neighbours. Since a story's first report is its earliest
    member, that set is exactly the members published no later than ``when + WINDOW`` of
    the stories first reported no earlier than ``when - WINDOW``. As ``when`` moves forward
    members only come in (from the later end) and stories only leave (whole, when their
    first report ages), so each call adds the members that arrived and drops the stories
    that left, and the :class:`StoryIndex` answers from running sums: a day of N articles
    costs about N, not N² as with recomputing each article's neighbours (at 10,000 articles
    a day that list was the larger part of the dedupe task). A call for an earlier time
    than the last starts over.

    Members are kept in order of ``key``: a tuple starting with the member's time
    (the warehouse adds the URL, bytewise, as its queries sort).
    """

    def __init__(self) -> None:
        self.index = StoryIndex()
        self._keys: list[tuple] = []
        self._rows: list[StoryCandidate] = []
        self._first: dict[str, datetime] = {}  # story -> its first report's time
        self._expiry: list[tuple[datetime, str]] = []  # heap of (first report, story); stale entries skipped
        self._admitted: dict[str, list[StoryCandidate]] = {}  # story -> its members in the index
        self._seen = 0  # rows[:seen] are published no later than now + WINDOW
        self._now: datetime | None = None

    def load(self, rows: list[tuple[tuple, StoryCandidate]], first: dict[str, datetime]) -> None:
        """Start from these members (sorted by key) and their stories' first reports."""
        self.__init__()
        self._keys = [key for key, _ in rows]
        self._rows = [n for _, n in rows]
        self._first = dict(first)
        self._expiry = [(at, story) for story, at in self._first.items()]
        heapq.heapify(self._expiry)

    def first_report(self, story: str) -> datetime | None:
        return self._first.get(story)

    def best(self, terms: dict[str, float], when: datetime,
             min_similarity: float = MIN_SIMILARITY) -> tuple[str, float] | None:
        """The story an article published at ``when`` joins (:func:`best_story` over its neighbours)."""
        self._advance(when)
        return self.index.score(terms, min_similarity)

    def add(self, key: tuple, n: StoryCandidate, first: datetime | None = None) -> None:
        """A member placed (``key[0]`` its time); ``first``: its story's first report when
        the story began outside what was loaded."""
        when = key[0]
        at = bisect.bisect_right(self._keys, key)
        self._keys.insert(at, key)
        self._rows.insert(at, n)
        earliest = min(t for t in (self._first.get(n.story), first, when) if t is not None)
        if self._first.get(n.story) != earliest:
            self._first[n.story] = earliest
            heapq.heappush(self._expiry, (earliest, n.story))
        if self._now is not None and when <= self._now + WINDOW:
            self._seen += 1  # it lies among the rows already seen
            self._admit([n])

    def _advance(self, when: datetime) -> None:
        if self._now is not None and when < self._now:
            self.load(list(zip(self._keys, self._rows)), self._first)
        self._now = when
        oldest = when - WINDOW
        while self._expiry and self._expiry[0][0] < oldest:
            at, story = heapq.heappop(self._expiry)
            if self._first.get(story) == at:
                for n in self._admitted.pop(story, ()):
                    self.index.remove(n)
        latest, start = when + WINDOW, self._seen
        while self._seen < len(self._rows) and self._keys[self._seen][0] <= latest:
            self._seen += 1
        self._admit(self._rows[start:self._seen])

    def _admit(self, rows: list[StoryCandidate]) -> None:
        oldest = self._now - WINDOW
        taken = [n for n in rows if self._first[n.story] >= oldest]
        for n in taken:
            self._admitted.setdefault(n.story, []).append(n)
        self.index.add_many(taken)


class MemoryStories:
    """In-process story assignment (the CLI's ``dedupe``, tests, the quality benchmark),
    for articles given in publication order (those without a time last)."""

    def __init__(self, min_similarity: float = MIN_SIMILARITY) -> None:
        self._articles: list[StoryCandidate] = []
        self._stories = 0
        self._min_similarity = min_similarity
        self._window = StoryWindow()
        self._undated = StoryIndex()

    def assign(self, doc_id: str, title: str, text: str, published_at: datetime | None,
               same_group_story: str | None = None) -> str:
        terms = story_terms(title, text)
        if same_group_story is not None:
            story = same_group_story
        else:
            if published_at is None:  # open to every story
                found = self._undated.best(terms, self._articles, self._min_similarity)
            else:
                found = self._window.best(terms, published_at, self._min_similarity)
            if found is None:
                self._stories += 1
                story = f"story-{self._stories}"
            else:
                story = found[0]
        member = StoryCandidate(doc_id, story, published_at, terms)
        self._articles.append(member)
        if published_at is not None:
            self._window.add((published_at, len(self._articles)), member)
        return story


def open_to(story_first: datetime | None, when: datetime | None) -> bool:
    """Whether a story whose first report came at ``story_first`` can take an article
    published at ``when``: within :data:`WINDOW` of the first report, so a story is one
    event's coverage and not a chain of articles each a day after the last (unknown times
    are open to anything)."""
    return story_first is None or when is None or abs(when - story_first) <= WINDOW
