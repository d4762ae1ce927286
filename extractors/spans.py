"""Small helpers over text: sentence pieces and non-overlapping spans.

Several extractors split prose the same rough way and pick, among overlapping readings
of the text, the best one; they share these so the rules cannot drift apart.
"""

from __future__ import annotations

import bisect
import re
from typing import Iterable, Protocol, TypeVar

#: A sentence ends after . ! ? or … (and a closing quote or bracket), or at a line break.
SENTENCE_BREAK = re.compile(r"(?<=[.!?…])[\"'”»)]?\s+|\n+")


def sentence_pieces(text: str | None) -> list[str]:
    """``text`` cut at sentence breaks (pieces may be empty or whitespace)."""
    return SENTENCE_BREAK.split(text or "")


class _Span(Protocol):
    start: int
    end: int


S = TypeVar("S", bound=_Span)


def non_overlapping(ranked: Iterable[S]) -> list[S]:
    """The spans of ``ranked`` (best first) that overlap no better one, sorted by start."""
    taken: list[S] = []
    starts: list[int] = []
    for span in ranked:
        at = bisect.bisect_left(starts, span.start)
        if (at > 0 and taken[at - 1].end > span.start) or (at < len(taken) and taken[at].start < span.end):
            continue
        taken.insert(at, span)
        starts.insert(at, span.start)
    return taken
