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


def test_story_index_follows_neighbours_arriving_and_leaving_anywhere():
    """Stories leave the window whole (their first report ages), members leave from the
    middle of the list, and come back: after thousands of additions and removals the running
    sums still give best_story's answers, and stories that left score nothing."""
    rng = random.Random(11)
    start = datetime(2025, 3, 15, tzinfo=timezone.utc)
    index, placed, first = StoryIndex(), [], {}
    removed = restored = 0
    for i in range(400):
        title, text = _article(rng, i)
        terms = story_terms(title, text)
        now = start + timedelta(hours=i)
        view = [n for n in placed if now - first[n.story] <= timedelta(hours=30)]
        if rng.random() < 0.3 and len(view) > 3:  # a member in the middle is missing this once
            gone = rng.randrange(1, len(view) - 1)
            view, removed = view[:gone] + view[gone + 1:], removed + 1
        threshold = 0.2 if i % 3 else 0.5
        expected = best_story(terms, view, threshold)
        assert index.best(terms, view, threshold) == expected, i
        story = expected[0] if expected else f"story-{i}"
        first.setdefault(story, now)
        placed.append(StoryCandidate(str(i), story, now, terms))
        restored += bool(expected)
    assert removed > 50 and restored > 50
    assert len(first) > 20  # many stories started, so many left the window whole
