"""The facts development set (benchmarks/facts/articles) parses, its gold agrees with the
article texts, and the scorer in benchmarks/facts_eval.py counts what it says it counts."""

from __future__ import annotations

import sys
from datetime import timezone
from pathlib import Path
from types import SimpleNamespace

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

import facts_eval  # noqa: E402
from facts_eval import DATE_PRECISIONS, ENTITY_TYPES, EVENT_TYPES, normalize_name  # noqa: E402

ARTICLES = facts_eval.load_articles()


def test_the_set_covers_languages_years_and_every_event_type():
    assert len(ARTICLES) >= 32
    assert {a.language for a in ARTICLES} >= {"en", "uk", "ru"}
    assert {a.published.year for a in ARTICLES} == {2024, 2025}
    assert {e.type for a in ARTICLES for e in a.events} == set(EVENT_TYPES)


@pytest.mark.parametrize("article", ARTICLES, ids=lambda a: a.key)
def test_gold_agrees_with_the_article_text(article):
    assert 250 <= len(f"{article.title} {article.body}".split()) <= 900
    assert article.published.tzinfo == timezone.utc
    names = [normalize_name(e.name) for e in article.entities]
    assert len(names) == len(set(names)), "an entity is listed twice"
    assert {e.type for e in article.entities} <= set(ENTITY_TYPES)
    for quote in article.quotes:
        assert article.body.count(quote.text) == 1, f"not exactly once in the body: {quote.text!r}"
        assert quote.speaker is None or normalize_name(quote.speaker) in names, quote.speaker
    assert 2 <= len(article.events) <= 6
    for event in article.events:
        assert event.type in EVENT_TYPES
        assert article.body.count(event.sentence) == 1, f"not exactly once in the body: {event.sentence!r}"
        assert all(normalize_name(actor) in names for actor in event.actors), event.actors
        assert event.location is None or normalize_name(event.location) in names, event.location
        assert (event.date is None) == (event.date_precision is None)
        if event.date is not None:
            assert event.date_precision in DATE_PRECISIONS
            assert event.date <= article.published.date()
            assert event.date_precision != "week" or event.date.weekday() == 0, "weeks start on Monday"
            assert event.date_precision != "month" or event.date.day == 1
            assert event.date_precision != "year" or (event.date.month, event.date.day) == (1, 1)


def _gold_as_facts(title, text, published):
    """An extractor that returns exactly the gold of the article it is given."""
    article = next(a for a in ARTICLES if a.title == title)
    return SimpleNamespace(
        entities=[SimpleNamespace(name=e.name, type=e.type) for e in article.entities],
        quotes=[SimpleNamespace(text=q.text, direct=True,
                                speaker=SimpleNamespace(name=q.speaker) if q.speaker else None)
                for q in article.quotes],
        events=[SimpleNamespace(type=e.type, sentence=e.sentence, start=text.index(e.sentence),
                                end=text.index(e.sentence) + len(e.sentence), date=e.date,
                                date_precision=e.date_precision,
                                location=SimpleNamespace(name=e.location) if e.location else None)
                for e in article.events],
    )


def test_an_extractor_returning_the_gold_scores_one_everywhere():
    report, errors = facts_eval.evaluate(ARTICLES, _gold_as_facts)
    assert (report["entities"]["precision"], report["entities"]["recall"]) == (1.0, 1.0)
    assert all(s["f1"] == 1.0 for s in report["entities_by_type"].values())
    assert report["quotes"]["recall"]["value"] == 1.0
    assert report["quotes"]["precision"]["value"] == 1.0
    assert report["quotes"]["speaker_accuracy"]["value"] == 1.0
    assert (report["events"]["precision"], report["events"]["recall"]) == (1.0, 1.0)
    assert report["event_date_accuracy"]["value"] == 1.0
    assert report["event_location_accuracy"]["value"] == 1.0
    assert not any(errors.values())


def test_an_extractor_finding_nothing_recalls_nothing():
    def nothing(title, text, published):
        return SimpleNamespace(entities=[], quotes=[], events=[])

    report, _ = facts_eval.evaluate(ARTICLES[:3], nothing)
    assert report["entities"]["recall"] == 0.0
    assert report["quotes"]["recall"] == {"hits": 0, "total": sum(len(a.quotes) for a in ARTICLES[:3]), "value": 0.0}
    assert report["events"]["tp"] == 0


def test_a_quote_joined_across_its_attribution_covers_both_halves_and_a_reworded_one_does_not():
    first = facts_eval.GoldQuote("The day the guns fall silent,", "Emmanuel Macron")
    second = facts_eval.GoldQuote("the guarantees will be ready.", "Emmanuel Macron")
    joined = facts_eval.PredictedQuote("The day the guns fall silent, the guarantees will be ready.", None, None)
    assert facts_eval.gold_covered(first, (0, 0), joined) == facts_eval.gold_covered(second, (0, 0), joined) == 1.0
    reworded = facts_eval.PredictedQuote("the politics of a show trial", None, None)
    political_show = facts_eval.GoldQuote("a political show", None)
    assert facts_eval.gold_covered(political_show, (0, 0), reworded) < facts_eval.QUOTE_COVERAGE


def test_a_scare_quote_is_not_gold_even_where_a_gold_quote_uses_the_same_words():
    article = next(a for a in ARTICLES if a.key == "2025-05-09-uk-shadow-fleet-sanctions")
    at = article.body.index("“shadow fleet”") + 1
    scare = facts_eval.PredictedQuote("shadow fleet", None, (at, at + len("shadow fleet")))
    score = facts_eval.QuoteScore(facts_eval.Ratio(), facts_eval.Ratio(), facts_eval.Ratio())
    facts_eval.score_quotes(article, [scare], score, None)
    assert (score.precision.hits, score.precision.total) == (0, 1)


def test_the_baseline_misses_a_quote_whose_paragraph_does_not_close_it():
    body = "“We warned them.\n\n“They did not listen,” he said."
    [quote] = facts_eval.baseline_quotes(body)
    assert quote.text == "They did not listen," == body[quote.span[0]:quote.span[1]]


def test_names_match_without_case_accents_or_typographic_apostrophes():
    assert normalize_name("Recep Tayyip Erdoğan") == normalize_name("recep tayyip  erdogan")
    assert normalize_name("Dolmabahçe Palace") == normalize_name("Dolmabahce Palace")
    assert normalize_name("St. Peter’s Basilica") == normalize_name("St. Peter's Basilica")
