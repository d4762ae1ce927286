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
    assert 2 <= len([e for e in article.events if e.main]) <= 6, "an article has 2-6 main events"
    for event in article.events:
        assert isinstance(event.main, bool)
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


@pytest.mark.parametrize("article", ARTICLES, ids=lambda a: a.key)
def test_two_events_of_one_type_never_share_a_stretch_of_text(article):
    """Separate events of the same type in one sentence take separate clauses (README, Events rule 7)."""
    spans = [(e.type, article.body.index(e.sentence), article.body.index(e.sentence) + len(e.sentence))
             for e in article.events]
    for i, (kind, start, end) in enumerate(spans):
        for other_kind, other_start, other_end in spans[i + 1:]:
            assert kind != other_kind or end <= other_start or other_end <= start, (kind, article.body[start:end])


def test_every_gold_event_needs_its_main_flag(tmp_path):
    source = next(facts_eval.ARTICLES_DIR.glob("*.md")).read_text(encoding="utf-8")
    assert "      main: true\n" in source
    broken = tmp_path / "broken.md"
    broken.write_text(source.replace("      main: true\n", "", 1), encoding="utf-8")
    with pytest.raises(ValueError, match="main"):
        facts_eval.load_article(broken)


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
    assert report["events_main_recall"]["value"] == 1.0
    assert report["events_main_recall"]["total"] == sum(e.main for a in ARTICLES for e in a.events)
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
    assert report["events_main_recall"]["hits"] == 0


def test_a_prediction_in_a_sentence_with_a_main_and_another_event_of_its_type_counts_for_the_main_one():
    body = "Russian drones hit Kharkiv on Monday, a day after Ukrainian drones hit Belgorod."
    background = facts_eval.GoldEvent("ASSAULT", "a day after Ukrainian drones hit Belgorod", ("Ukraine",),
                                      "Belgorod", None, None, main=False)
    main = facts_eval.GoldEvent("ASSAULT", "Russian drones hit Kharkiv on Monday", ("Russia",), "Kharkiv",
                                None, None, main=True)
    article = facts_eval.GoldArticle("k", "t", ARTICLES[0].published, "en", None, body, (), (), (background, main))
    score = facts_eval.EventScore(facts_eval.Score(), facts_eval.defaultdict(facts_eval.Score), facts_eval.Ratio(),
                                  facts_eval.Ratio(), facts_eval.Ratio())
    predicted = [SimpleNamespace(type="ASSAULT", sentence=body, start=0, end=len(body))]
    facts_eval.score_events(article, predicted, score, [])
    assert (score.overall.tp, score.overall.fn, score.overall.fp) == (1, 1, 0)
    assert (score.main.hits, score.main.total) == (1, 1)


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
