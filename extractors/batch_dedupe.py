"""Deduplicate and cluster a batch of documents in memory: what ``newsfacts dedupe`` runs.

The same steps as the pipeline's ``dedupe_articles`` task (:func:`extractors.dedup.assign`,
then the story of the duplicate group or :class:`extractors.stories.MemoryStories`),
with an in-memory index instead of the warehouse tables. Documents are processed in
order of publication, as the pipeline does, and the results come back in input order.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from extractors.dedup import Document, MemoryIndex, assign
from extractors.stories import MIN_SIMILARITY, MemoryStories


@dataclass(frozen=True)
class Grouped:
    id: str
    duplicate_group: str
    canonical_id: str
    story: str
    kind: str  # new | exact | near


def dedupe_documents(docs: list[Document], min_similarity: float = MIN_SIMILARITY) -> list[Grouped]:
    """Group ``docs``; a group is named by the id of its first member in publication order
    (ids need not be unique: documents are tracked by position)."""
    order = sorted(range(len(docs)), key=lambda i: (docs[i].published_at is None,
                                                    docs[i].published_at or datetime.min, i))
    index, stories = MemoryIndex(), MemoryStories(min_similarity)
    story_of_group: dict[str, str] = {}
    placed: dict[int, tuple[str, str, str]] = {}
    for i in order:
        doc = docs[i]
        internal = Document(str(i), doc.url, doc.title, doc.text, doc.published_at)
        assignment = assign(index, internal)
        group = assignment.duplicate_group
        story = stories.assign(str(i), doc.title, doc.text, doc.published_at, story_of_group.get(group))
        story_of_group.setdefault(group, story)
        placed[i] = (group, story, assignment.kind)

    def original(internal_id: str) -> str:
        return docs[int(internal_id)].id

    return [
        Grouped(docs[i].id, original(placed[i][0]), original(index.canonical(placed[i][0])), placed[i][1], placed[i][2])
        for i in range(len(docs))
    ]
