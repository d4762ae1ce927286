"""StoryIndex gives exactly best_story's answers, call after call, however the neighbours change."""

from __future__ import annotations

import random
from datetime import datetime, timedelta, timezone

from extractors.stories import WINDOW, StoryCandidate, StoryIndex, StoryWindow, best_story, story_terms

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


def _neighbours_by_definition(placed, first, when):
    """The members an article published at ``when`` is compared with, straight from the
    definition: published within a window of it, in a story first reported within a window."""
    return [n for key, n in sorted(placed, key=lambda p: p[0])
            if abs(key[0] - when) <= WINDOW and abs(first[n.story] - when) <= WINDOW]


def test_story_window_gives_best_story_over_the_open_stories():
    """Three days of articles, an hour or so apart, placed in order after a loaded history
    (including members published after them, as in a backfill), copies joining their
    group's story without a comparison, and now and then an article earlier than the
    last (the window starts over): every answer is best_story's over the definition."""
    rng = random.Random(5)
    start = datetime(2025, 3, 15, tzinfo=timezone.utc)
    placed, first = [], {}
    for i in range(60):  # history: earlier days and a later one
        when = start + timedelta(hours=rng.choice([-40, -30, -20, -5, 2, 50, 60]) + rng.random())
        title, text = _article(rng, i)
        story = f"old-{i % 9}"
        first[story] = min(first.get(story, when), when)
        placed.append(((when, f"u{i}"), StoryCandidate(f"h{i}", story, when, story_terms(title, text))))
    window = StoryWindow()
    window.load(sorted(placed, key=lambda p: p[0]), first)
    when, compared, joined_by_group, backwards, aged_out = start, 0, 0, 0, 0
    for i in range(300):
        if rng.random() < 0.03:
            when -= timedelta(hours=rng.randint(1, 30))
            backwards += 1
        else:
            when += timedelta(minutes=rng.randint(0, 50))
        title, text = _article(rng, i)
        terms = story_terms(title, text)
        threshold = 0.2 if i % 3 else 0.5
        if rng.random() < 0.1 and placed:  # a copy: its group's story, whatever its age
            story = rng.choice(placed)[1].story
            joined_by_group += 1
        else:
            expected = best_story(terms, _neighbours_by_definition(placed, first, when), threshold)
            assert window.best(terms, when, threshold) == expected, i
            aged_out += any(abs(key[0] - when) <= WINDOW < abs(first[n.story] - when) for key, n in placed)
            story = expected[0] if expected else f"story-{i}"
            compared += 1
        first[story] = min(first.get(story, when), when)
        member = StoryCandidate(str(i), story, when, terms)
        window.add((when, f"p{i}"), member)
        placed.append(((when, f"p{i}"), member))
    assert compared > 250 and joined_by_group > 10 and backwards > 3
    # Stories started, and recent members were left out because their story's first report aged.
    assert len(first) > 15 and aged_out > 50


def test_story_window_learns_the_first_report_of_a_story_it_did_not_load():
    """A copy joins its group's story first reported days before: that story is not open
    to the next article, though nothing of it was loaded."""
    day = datetime(2025, 3, 15, 12, tzinfo=timezone.utc)
    terms = story_terms("Drone attack on Odesa port", "Russian drones hit the Odesa port, Kiper said.")
    window = StoryWindow()
    window.load([], {})
    assert window.best(terms, day) is None
    window.add((day, "a"), StoryCandidate("copy", "old-story", day, terms), first=day - timedelta(days=3))
    assert window.first_report("old-story") == day - timedelta(days=3)
    assert window.best(terms, day + timedelta(minutes=5)) is None
    window.add((day, "b"), StoryCandidate("fresh", "new-story", day, terms))
    assert window.best(terms, day + timedelta(minutes=10))[0] == "new-story"
