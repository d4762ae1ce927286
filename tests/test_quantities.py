"""Numbers with what they count: casualties, weapons, troops, durations, money."""

from __future__ import annotations

import pytest

from extractors.quantities import find_quantities


def readings(text: str) -> list[tuple[float, str | None, str, str]]:
    return [(q.value, q.unit, q.kind, q.text) for q in find_quantities(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Russian drones hit the city, killing three people and injuring 12.",
         [(3, None, "killed", "killing three people"), (12, None, "injured", "injuring 12")]),
        ("Three people were killed and 12 others were wounded.",
         [(3, None, "killed", "Three people were killed"), (12, None, "injured", "12 others were wounded")]),
        ("At least 5 civilians were reportedly killed.",
         [(5, None, "killed", "At least 5 civilians were reportedly killed")]),
        ("The attack killed 1,500 Russian soldiers.", [(1500, None, "killed", "killed 1,500 Russian soldiers")]),
        ("The death toll has now risen to 14.", [(14, None, "killed", "death toll has now risen to 14")]),
        ("Two died and one was hurt.", [(2, None, "killed", "Two died"), (1, None, "injured", "one was hurt")]),
    ],
)
def test_casualties(text, expected):
    assert readings(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Russia launched 112 drones and two ballistic missiles.",
         [(112, "drones", "drones", "112 drones"), (2, "missiles", "missiles", "two ballistic missiles")]),
        ("Two Iskander-M ballistic missiles and 40 Shahed drones",
         [(2, "missiles", "missiles", "Two Iskander-M ballistic missiles"),
          (40, "drones", "drones", "40 Shahed drones")]),
        ("about 1,500 troops", [(1500, "troops", "troops", "about 1,500 troops")]),
        ("a meeting of 25 leaders", [(25, "leaders", "people", "25 leaders")]),
        ("with 25 European Union and other world leaders",
         [(25, "leaders", "people", "25 European Union and other world leaders")]),
        ("twenty-five leaders", [(25, "leaders", "people", "twenty-five leaders")]),
        ("1.5 million people fled", [(1.5e6, "people", "people", "1.5 million people")]),
        ("they lost 40 tanks", [(40, "tanks", "other", "40 tanks")]),
        ("up to 50% of the grid", [(50, "%", "other", "up to 50%")]),
    ],
)
def test_counted_nouns(text, expected):
    assert readings(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("an immediate 30-day ceasefire", [(30, "days", "days", "30-day")]),
        ("within 30 days", [(30, "days", "days", "30 days")]),
        ("a 72-hour truce", [(72, "hours", "other", "72-hour")]),
        ("three years of war", [(3, "years", "other", "three years")]),
    ],
)
def test_durations(text, expected):
    assert readings(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("$500 million", (5e8, "USD")),
        ("€1.2bn", (1.2e9, "EUR")),
        ("£2.26 billion", (2.26e9, "GBP")),
        ("US$40m", (4e7, "USD")),
        ("USD 5 million", (5e6, "USD")),
        ("40 million euros", (4e7, "EUR")),
        ("₴10 billion", (1e10, "UAH")),
    ],
)
def test_money_is_scaled_and_carries_its_currency(text, expected):
    (quantity,) = find_quantities(f"The package is worth {text} in total.")
    assert (quantity.value, quantity.unit, quantity.kind, quantity.text) == (*expected, "money", text)


def test_ranges_take_the_lower_bound_and_keep_the_whole_text():
    assert readings("between 10 and 15 drones") == [(10, "drones", "drones", "between 10 and 15 drones")]
    assert readings("10-15 Shahed drones") == [(10, "drones", "drones", "10-15 Shahed drones")]
    assert readings("killing 10 to 15 people") == [(10, None, "killed", "killing 10 to 15 people")]


@pytest.mark.parametrize(
    "text",
    [
        "dozens of drones and hundreds of troops",
        "No one was killed.",
        "In 2022 elections were postponed.",
        "the 15 March attacks",
        "a 45-year-old man",
        "F-16s and Kh-101 missiles",
        "one of the drones",
        "",
        "   ",
        "1" * 5000,
    ],
)
def test_vague_or_non_quantities_are_left_alone(text):
    assert find_quantities(text) == []


def test_offsets_point_into_the_text_in_order():
    text = "Overnight, 48 drones were launched; 3 people were killed and $20m was pledged."
    found = find_quantities(text)
    assert [q.kind for q in found] == ["drones", "killed", "money"]
    assert all(text[q.start:q.end] == q.text for q in found)
