"""The same article, once: exact and near-duplicate detection with MinHash and LSH bands.

Copies of one story look alike in ways a single similarity threshold handles badly: a
trimmed wire version holds half of the original (Jaccard 0.5, but all of it is in the
original), a republisher adds its own header and footer, an update adds a paragraph,
another outlet writes "Kiev" for "Kyiv". So:

1. texts are **normalised** (case, quotes, transliteration variants of the war's names)
   before anything is compared, and a hash of the normalised text finds exact copies;
2. **candidates** come from LSH bands of a 128-permutation MinHash of word 5-shingles
   (32 bands of 4 rows: a pair at Jaccard 0.4 becomes a candidate with probability 0.56,
   at 0.6 with 0.98, at 0.02 with 5 in a million — so a lookup stays cheap however many
   articles are stored), plus one band keyed on the opening words, which trimmed copies
   keep;
3. each candidate is **verified** on the exact shingle sets: containment (the share of the
   smaller text found in the larger) catches trims and added boilerplate, and a check of
   the figures both texts give keeps apart same-template reports of different events
   ("3 killed in Kharkiv" on Monday, "5 killed in Kharkiv" on Thursday).

The index is abstract (:class:`Index`): :class:`MemoryIndex` here, for the CLI and tests;
the warehouse one in ``newsfacts.dedupe`` keeps the bands in a table, so a lookup is an
indexed query across days, runs and workers.
"""

from __future__ import annotations

import hashlib
import re
import struct
import unicodedata
import zlib
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

import numpy as np
from datasketch import MinHash

from extractors.spans import sentence_pieces

NUM_PERM = 128
BANDS = 32
ROWS = NUM_PERM // BANDS
SHINGLE = 5
#: The opening-words band: index ``BANDS``, keyed on this many normalised words.
LEAD_BAND = BANDS
LEAD_WORDS = 25
#: The sampled-sentences band: a sentence of at least SENTENCE_WORDS words is a key when its
#: hash falls in 1/SENTENCE_SAMPLE of the range. The choice depends on the sentence alone,
#: not on the rest of the text, so a copy that keeps ten of the original's sentences shares
#: a key with probability 1 - (3/4)^10 = 0.94 however much was cut or added around them.
SENTENCE_BAND = BANDS + 1
SENTENCE_WORDS = 8
SENTENCE_SAMPLE = 4
#: A bucket holding more documents than this is boilerplate ("Sign up for our newsletter"):
#: only its most recent members are candidates, which keeps a lookup's cost flat.
MAX_BUCKET = 50
#: A candidate is a copy when this share of the smaller text is in the larger one...
MIN_CONTAINMENT = 0.6
#: ...or when the two are this similar overall.
MIN_JACCARD = 0.5
#: A stored candidate is verified only when its MinHash says it could be a copy: an
#: estimated Jaccard or containment at least this. The estimates err by a few hundredths
#: at 128 permutations, and no copy of the evaluation set (benchmarks/dedup_cases.py) is
#: estimated below 0.54 containment, so only texts that merely share a band by chance
#: (nine in ten candidates there, and many more once the warehouse holds months of
#: similar reports) are spared reading and shingling their text.
PREFILTER_JACCARD = 0.2
PREFILTER_CONTAINMENT = 0.25
#: Texts shorter than this (in shingles) are only matched exactly: too little to compare.
MIN_SHINGLES = 8
_SEED = 1

#: Spelling and transliteration variants, mapped to one form before comparing.
_VARIANTS = {
    "kiev": "kyiv", "kyyiv": "kyiv", "kharkov": "kharkiv", "odessa": "odesa", "lvov": "lviv",
    "lugansk": "luhansk", "zaporozhye": "zaporizhzhia", "zaporizhia": "zaporizhzhia",
    "nikolaev": "mykolaiv", "mykolayiv": "mykolaiv", "dnepr": "dnipro", "dnipropetrovsk": "dnipro",
    "chernigov": "chernihiv", "rovno": "rivne", "zelensky": "zelenskyy", "zelenskiy": "zelenskyy",
    "zelenskyi": "zelenskyy", "artemovsk": "bakhmut", "avdeevka": "avdiivka", "avdiyivka": "avdiivka",
    "donbass": "donbas", "kherson's": "kherson's", "defence": "defense", "mobilisation": "mobilization",
    "organisation": "organization", "programme": "program", "centre": "center",
}
_TOKEN = re.compile(r"\w+", re.UNICODE)
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")


@dataclass(frozen=True)
class Document:
    id: str
    url: str
    title: str
    text: str
    published_at: datetime | None = None


@dataclass(frozen=True)
class Assignment:
    """Where a document went: its group, the group's canonical article, and why."""

    id: str
    duplicate_group: str
    canonical_id: str
    kind: str  # new | exact | near | version
    similarity: float = 1.0


@dataclass(frozen=True)
class Fingerprint:
    """What the index needs of a text: its hash, shingles, MinHash and band keys."""

    text_hash: bytes
    shingles: frozenset[int]
    minhash: np.ndarray  # uint64 values, NUM_PERM of them
    bands: tuple[tuple[int, int], ...]  # (band number, bucket)
    numbers: frozenset[str]  # the shingles holding a figure

    def minhash_bytes(self) -> bytes:
        return self.minhash.astype("<u4").tobytes()


def tokens(text: str) -> list[str]:
    """Normalised words: NFKC, lower case, one spelling for each variant."""
    words = _TOKEN.findall(unicodedata.normalize("NFKC", text or "").lower())
    return [_VARIANTS.get(w, w) for w in words]


def _hash64(data: bytes) -> int:
    return struct.unpack("<q", hashlib.blake2b(data, digest_size=8).digest())[0]


@dataclass(frozen=True)
class Shingles:
    """What the verification of a candidate compares (see :func:`similarity`)."""

    shingles: frozenset[int]
    numbers: frozenset[str]


def _grams(words: list[str]) -> set[str]:
    return {" ".join(words[i : i + SHINGLE]) for i in range(max(1, len(words) - SHINGLE + 1))} if words else set()


def _figure_grams(words: list[str]) -> frozenset[str]:
    """The shingles holding a figure: those that cover a word with a digit."""
    starts = {max(0, i - SHINGLE + 1) + k for i, w in enumerate(words) if _NUMBER.search(w)
              for k in range(min(i, SHINGLE - 1) + 1)}
    last = max(0, len(words) - SHINGLE)
    return frozenset(" ".join(words[i : i + SHINGLE]) for i in starts if i <= last)


def shingles_of(text: str) -> Shingles:
    """A stored candidate's side of the verification, at a fraction of the cost of its whole
    :func:`fingerprint` (no MinHash, no band keys), which a lookup needs only for the new text.

    The shingles compared are CRC-32s of the 5-word shingles: a C call per shingle, where
    the MinHash's input (:func:`_hash64`, which stored signatures depend on) is not."""
    words = tokens(text)
    return Shingles(frozenset(map(zlib.crc32, map(str.encode, _grams(words)))), _figure_grams(words))


def fingerprint(text: str) -> Fingerprint:
    words = tokens(text)
    normalised = " ".join(words)
    grams = _grams(words)
    m = MinHash(num_perm=NUM_PERM, seed=_SEED)
    if grams:
        # The low 32 bits of _hash64 as 4 little-endian bytes: the digest's first 4 bytes.
        m.update_batch([hashlib.blake2b(g.encode(), digest_size=8).digest()[:4] for g in grams])
    values = m.hashvalues
    bands = [(b, _hash64(values[b * ROWS : (b + 1) * ROWS].astype("<u4").tobytes())) for b in range(BANDS)]
    if len(words) >= LEAD_WORDS:
        bands.append((LEAD_BAND, _hash64(" ".join(words[:LEAD_WORDS]).encode())))
    for sentence in sentence_pieces(text):
        sentence_words = tokens(sentence)
        if len(sentence_words) >= SENTENCE_WORDS:
            key = _hash64(" ".join(sentence_words).encode())
            if key % SENTENCE_SAMPLE == 0:
                bands.append((SENTENCE_BAND, key))
    bands = list(dict.fromkeys(bands))
    return Fingerprint(
        text_hash=hashlib.sha256(normalised.encode()).digest(),
        shingles=frozenset(map(zlib.crc32, map(str.encode, grams))),
        minhash=values,
        bands=tuple(bands),
        numbers=_figure_grams(words),
    )


def similarity(a: Fingerprint | Shingles, b: Fingerprint | Shingles) -> float:
    """How much of one text is a copy of the other (0–1); 0 when they report different figures."""
    if len(a.shingles) < MIN_SHINGLES or len(b.shingles) < MIN_SHINGLES:
        return 0.0
    shared = len(a.shingles & b.shingles)
    containment = shared / min(len(a.shingles), len(b.shingles))
    jaccard = shared / len(a.shingles | b.shingles)
    if containment < MIN_CONTAINMENT and jaccard < MIN_JACCARD:
        return 0.0
    if not _figures_agree(a, b):
        return 0.0
    return round(max(containment, jaccard), 4)


_DIGITS = re.compile(r"\d+")


def _figures_agree(a: Fingerprint | Shingles, b: Fingerprint | Shingles) -> bool:
    """Copies give the same figures in the same words; same-template reports of other events
    share the words but not the figures ("killing 3 people" / "killing 5 people").

    Looks only at phrasings the two texts share once digits are masked: a republisher that
    rewords around a figure, trims it or adds a dated footer leaves nothing to compare, an
    update that corrects one figure leaves most of them agreeing, and a report of another
    event disagrees on most of them.
    """
    masked_a: dict[str, set[str]] = {}
    for gram in a.numbers:
        masked_a.setdefault(_DIGITS.sub("#", gram), set()).add(gram)
    same = differ = 0
    for gram in b.numbers:
        variants = masked_a.get(_DIGITS.sub("#", gram))
        if variants is not None:
            if gram in variants:
                same += 1
            else:
                differ += 1
    return same + differ < 3 or differ <= same


class Index(Protocol):
    """Storage of fingerprints and groups: in memory, or in the warehouse."""

    def exact(self, text_hash: bytes) -> tuple[str, str] | None:
        """(document id, group) of a stored document with this normalised text."""

    def candidates(self, fp: Fingerprint, exclude: str) -> list[tuple[str, str, Fingerprint | Shingles]]:
        """(document id, group, shingles) of stored documents sharing a band with ``fp``
        that :func:`could_be_copy` it."""

    def add(self, doc: Document, fp: Fingerprint, group: str | None) -> str:
        """Store the document in ``group`` (a new group when None); return the group."""

    def canonical(self, group: str) -> str:
        """The group's chosen article."""


def could_be_copy(fp: Fingerprint, stored_minhash: np.ndarray, stored_words: int) -> bool:
    """Whether a candidate is worth verifying against ``fp``, from its MinHash values (as
    stored, ``<u4``) and its length in words (which bounds its number of shingles).

    Containment is estimated from the Jaccard estimate and the two sizes:
    |A ∩ B| = J / (1 + J) · (|A| + |B|).
    """
    jaccard = np.count_nonzero(fp.minhash.astype("<u4") == stored_minhash) / NUM_PERM
    if jaccard >= PREFILTER_JACCARD:
        return True
    mine, theirs = len(fp.shingles), max(1, stored_words)
    shared = jaccard / (1 + jaccard) * (mine + theirs)
    return shared / max(1, min(mine, theirs)) >= PREFILTER_CONTAINMENT


def assign(index: Index, doc: Document, fp: Fingerprint | None = None, canonical: bool = True) -> Assignment:
    """Put one document into a duplicate group (stores it in the index). ``fp``: the
    document's fingerprint when already computed (elsewhere, e.g. in a worker process).
    ``canonical=False`` leaves ``canonical_id`` empty: the warehouse names a group's
    canonical article once its whole batch is placed, and asks for none on the way."""
    fp = fp or fingerprint(f"{doc.title}\n{doc.text}")
    exact = index.exact(fp.text_hash)
    if exact is not None:
        group, kind, score = index.add(doc, fp, exact[1]), "exact", 1.0
    else:
        best: tuple[float, str] | None = None
        for _, group, other in index.candidates(fp, exclude=doc.id):
            score = similarity(fp, other)
            if score > 0 and (best is None or score > best[0]):
                best = (score, group)
        if best is None:
            group, kind, score = index.add(doc, fp, None), "new", 1.0
        else:
            group, kind, score = index.add(doc, fp, best[1]), "near", best[0]
    return Assignment(doc.id, group, index.canonical(group) if canonical else "", kind, score)


class MemoryIndex:
    """An in-process index (the CLI's ``dedupe``, tests): the canonical article of a group
    is its earliest published member, the first seen on ties."""

    def __init__(self) -> None:
        self._by_hash: dict[bytes, str] = {}
        self._buckets: dict[tuple[int, int], list[str]] = {}
        self._docs: dict[str, tuple[Document, Fingerprint, str]] = {}
        self._canonical: dict[str, tuple[tuple, str]] = {}

    def exact(self, text_hash: bytes) -> tuple[str, str] | None:
        doc_id = self._by_hash.get(text_hash)
        return None if doc_id is None else (doc_id, self._docs[doc_id][2])

    def candidates(self, fp: Fingerprint, exclude: str):
        seen: dict[str, None] = {}
        for band in fp.bands:
            for doc_id in self._buckets.get(band, ())[-MAX_BUCKET:]:
                if doc_id != exclude:
                    seen.setdefault(doc_id)
        found = []
        for doc_id in seen:
            _, other, group = self._docs[doc_id]
            if could_be_copy(fp, other.minhash.astype("<u4"), len(other.shingles) + SHINGLE - 1):
                found.append((doc_id, group, other))
        return found

    def add(self, doc: Document, fp: Fingerprint, group: str | None) -> str:
        group = group or doc.id
        self._docs[doc.id] = (doc, fp, group)
        self._by_hash.setdefault(fp.text_hash, doc.id)
        for band in fp.bands:
            self._buckets.setdefault(band, []).append(doc.id)
        order = (doc.published_at is None, doc.published_at or datetime.min, len(self._docs))
        if group not in self._canonical or order < self._canonical[group][0]:
            self._canonical[group] = (order, doc.id)
        return group

    def canonical(self, group: str) -> str:
        return self._canonical[group][1]
