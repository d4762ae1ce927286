"""StoryIndex gives exactly best_story's answers, call after call, however the neighbours change."""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone

from extractors.stories import StoryCandidate, StoryIndex, best_story, story_terms

PLACES = ["Kharkiv", "Odesa", "Sumy", "Dnipro", "Kherson", "Pokrovsk", "Zaporizhzhia", "Lviv"]
WHO = ["Zelensky", "Peskov", "Rutte", "Starmer", "Macron", "Sybiha", "Lavrov", "Syrskyi"]
WHAT = ["drone attack", "missile strike", "ceasefire talks", "prisoner exchange", "aid package", "blackout"]


def _article(rng: random.Random, i: int) -> tuple[str, str]:
    place, who, what = rng.choice(PLACES), rng.choice(WHO), rng.choice(WHAT)
    title = f"{who} on {what} in {place}"
    text = " ".join(f"{rng.choice(WHO)} said the {rng.choice(WHAT)} near {rng.choice(PLACES)} was number {i % 7}."
                    for _ in range(rng.randint(3, 8)))
    return title, text


def test_story_index_matches_best_story():
    rng = random.Random(7)
    start = datetime(2025, 3, 15, tzinfo=timezone.utc)
    index, neighbours, resets = StoryIndex(), [], 0
    for i in range(160):
        title, text = _article(rng, i)
        terms = story_terms(title, text)
        view = neighbours
        roll = rng.random()
        if roll < 0.05 and neighbours:  # the oldest neighbour left the window
            view, resets = neighbours[1:], resets + 1
        elif roll < 0.1 and len(neighbours) > 2:  # a neighbour is in another story now
            moved = neighbours[1]
            view = [neighbours[0], StoryCandidate(moved.id, "moved", moved.published_at, moved.terms), *neighbours[2:]]
            resets += 1
        threshold = 0.2 if i % 2 else 0.6  # both: stories join and stories start
        expected = best_story(terms, view, threshold)
        assert index.best(terms, view, threshold) == expected, i
        story = expected[0] if expected else f"story-{i}"
        neighbours.append(StoryCandidate(str(i), story, start + timedelta(minutes=i), terms))
    assert resets > 5
    assert len({n.story for n in neighbours}) > 3  # several stories, so the choice mattered
