"""Relative dates in news prose resolved against the publication date."""

from __future__ import annotations

from datetime import date, datetime, timezone

import pytest

from extractors.timeexpr import find_time_expressions, resolve

#: A Sunday: "on Friday" is two days back, "on Sunday" is the day itself.
SUNDAY = datetime(2025, 3, 16, 9, 30, tzinfo=timezone.utc)


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("on Friday", (date(2025, 3, 14), "day")),
        ("on Saturday", (date(2025, 3, 15), "day")),
        ("on Sunday", (date(2025, 3, 16), "day")),
        ("on Tuesday", (date(2025, 3, 11), "day")),
        ("on Monday night", (date(2025, 3, 10), "day")),
        ("last Sunday", (date(2025, 3, 9), "day")),
        ("next Friday", (date(2025, 3, 21), "day")),
        ("yesterday", (date(2025, 3, 15), "day")),
        ("today", (date(2025, 3, 16), "day")),
        ("overnight", (date(2025, 3, 16), "day")),
        ("last night", (date(2025, 3, 15), "day")),
        ("two days ago", (date(2025, 3, 14), "day")),
        ("this week", (date(2025, 3, 10), "week")),
        ("last week", (date(2025, 3, 3), "week")),
        ("next week", (date(2025, 3, 17), "week")),
        ("earlier this month", (date(2025, 3, 1), "month")),
        ("last month", (date(2025, 2, 1), "month")),
        ("in August", (date(2024, 8, 1), "month")),
        ("last August", (date(2024, 8, 1), "month")),
        ("in March", (date(2025, 3, 1), "month")),
        ("in March 2024", (date(2024, 3, 1), "month")),
        ("on 15 March", (date(2025, 3, 15), "day")),
        ("March 15", (date(2025, 3, 15), "day")),
        ("on 20 March", (date(2024, 3, 20), "day")),
        ("15 March 2025", (date(2025, 3, 15), "day")),
        ("March 15, 2025", (date(2025, 3, 15), "day")),
        ("in 2022", (date(2022, 1, 1), "year")),
        ("last year", (date(2024, 1, 1), "year")),
    ],
)
def test_past_tense_phrases_resolve_to_the_latest_match_on_or_before_publication(phrase, expected):
    assert resolve(phrase, SUNDAY) == expected


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("on Thursday", date(2025, 3, 20)),
        ("on Sunday", date(2025, 3, 16)),
        ("in August", date(2025, 8, 1)),
        ("on 20 March", date(2025, 3, 20)),
        ("on 10 March", date(2026, 3, 10)),
    ],
)
def test_future_tense_phrases_resolve_forward(phrase, expected):
    assert resolve(phrase, SUNDAY, future=True)[0] == expected


def test_month_and_week_arithmetic_crosses_year_boundaries():
    new_year = date(2025, 1, 2)  # a Thursday
    assert resolve("last month", new_year) == (date(2024, 12, 1), "month")
    assert resolve("last week", new_year) == (date(2024, 12, 23), "week")
    assert resolve("in December", new_year) == (date(2024, 12, 1), "month")
    assert resolve("next month", date(2025, 12, 5)) == (date(2026, 1, 1), "month")


def test_last_month_name_is_strictly_before_the_publication_month():
    september = date(2025, 9, 10)
    assert resolve("last August", september) == (date(2025, 8, 1), "month")
    assert resolve("last September", september) == (date(2024, 9, 1), "month")


def test_weekends_are_week_precision_and_last_weekend_is_one_already_over():
    assert resolve("last weekend", date(2025, 3, 17)) == (date(2025, 3, 10), "week")  # Monday after it
    assert resolve("last weekend", SUNDAY) == (date(2025, 3, 3), "week")  # said during one
    assert resolve("this weekend", date(2025, 3, 12)) == (date(2025, 3, 10), "week")


def test_tense_is_read_from_the_clause_around_each_expression():
    text = ("Leaders will meet on Thursday. Putin agreed on Friday. "
            "Trump will travel to Moscow, he said on Tuesday. On Thursday, ministers will gather in Paris.")
    found = [(e.text, e.date) for e in find_time_expressions(text, SUNDAY)]
    assert found == [
        ("on Thursday", date(2025, 3, 20)),
        ("on Friday", date(2025, 3, 14)),
        ("on Tuesday", date(2025, 3, 11)),
        ("On Thursday", date(2025, 3, 20)),
    ]


def test_offsets_point_at_the_expression_and_the_longest_reading_wins():
    text = "The strike on 15 March 2025 followed talks earlier this month and a raid in mid-August."
    found = find_time_expressions(text, SUNDAY)
    assert [text[e.start:e.end] for e in found] == [e.text for e in found]
    assert [(e.text, e.precision) for e in found] == [
        ("on 15 March 2025", "day"), ("earlier this month", "month"), ("mid-August", "month")]
    assert found[2].date == date(2024, 8, 1)


def test_over_the_past_day_is_the_day_before_publication():
    assert resolve("over the past day", SUNDAY) == (date(2025, 3, 15), "day")
    assert resolve("in the last 24 hours", SUNDAY) == (date(2025, 3, 15), "day")
    assert resolve("за минулу добу", SUNDAY) == (date(2025, 3, 15), "day")


def test_a_day_inside_a_longer_month_phrase_wins_and_without_tense_the_nearest_year():
    found = find_time_expressions("The call-up runs from April 1 to July 15.", date(2025, 3, 31))
    assert [(e.text, e.date, e.precision) for e in found] == [
        ("April 1", date(2025, 4, 1), "day"), ("July 15", date(2025, 7, 15), "day")]
    (past,) = find_time_expressions("The call-up ran until July 15.", date(2025, 3, 31))
    assert past.date == date(2024, 7, 15)


def test_lowercase_month_and_weekday_words_are_not_dates():
    text = "Troops may march on the city; the sunday papers said so."
    assert find_time_expressions(text, SUNDAY) == []


def test_bare_numbers_are_not_years():
    assert find_time_expressions("Russia launched 2022 drones and 1990 shells.", SUNDAY) == []


def test_an_impossible_day_falls_back_to_its_month():
    found = find_time_expressions("It happened on 31 February 2025.", SUNDAY)
    assert [(e.text, e.date, e.precision) for e in found] == [("February 2025", date(2025, 2, 1), "month")]
    assert resolve("30 February", SUNDAY) is None


def test_without_publication_only_absolute_dates_resolve():
    found = find_time_expressions("On Friday, a year after the 24 February 2022 invasion.", None)
    assert [(e.text, e.date) for e in found] == [("24 February 2022", date(2022, 2, 24))]
    assert resolve("yesterday", None) is None


def test_ukrainian_and_russian_basics():
    text = ("Вчора дрони атакували Харків, а у п'ятницю — Одесу. В пятницу прошла встреча на этой неделе. "
            "Росія в ніч на четвер завдала удару.")
    found = [(e.text, e.date, e.precision) for e in find_time_expressions(text, SUNDAY)]
    assert found == [
        ("Вчора", date(2025, 3, 15), "day"),
        ("у п'ятницю", date(2025, 3, 14), "day"),
        ("В пятницу", date(2025, 3, 14), "day"),
        ("на этой неделе", date(2025, 3, 10), "week"),
        ("на четвер", date(2025, 3, 13), "day"),
    ]


@pytest.mark.parametrize("text", ["", " ", "\x00", "on", "Friday" * 3, "15 March" * 2])
def test_odd_input_does_not_crash(text):
    for expression in find_time_expressions(text, SUNDAY):
        assert text[expression.start:expression.end] == expression.text
