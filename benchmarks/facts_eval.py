"""Score facts extraction (entities, quotes, events) against the annotated development set.

    .venv/bin/python benchmarks/facts_eval.py [--show-errors] [--json PATH]
                                             [--extractor MODULE:FUNCTION] [--articles DIR]

The set is ``benchmarks/facts/articles/*.md`` (see benchmarks/facts/README.md): articles
written for the project, each with its gold annotations in the front matter. Every article
goes through ``extract_facts(title, body, published)`` (``extractors.facts`` unless
``--extractor`` names another function with the same signature), and the printout gives:

* entities: precision / recall / F1 of the set of canonical names per article (case- and
  accent-insensitive), micro-averaged over the articles, overall and by type (a name counts
  for a type when gold and prediction both give it that type);
* quotes: recall of the gold direct quotes (found = some predicted direct quote covers at
  least 80% of the gold quote's characters: by its offsets in the text when they point at
  its text, else by the longest stretch of text the two share, so that a quote joined
  across its attribution still finds both halves), speaker accuracy over the found quotes
  (predicted speaker name == gold speaker; a gold ``null`` wants no speaker) and precision
  (share of predicted direct quotes that are at least 80% gold quote: scare quotes and
  quoted names count against it); recall and precision also for a baseline that takes
  everything between paired quotation marks within a paragraph;
* events: precision / recall / F1 of event types, overall and by type. A predicted event
  matches a gold event when the types are equal and its sentence contains the gold
  ``sentence`` or overlaps it in the article text (one prediction per gold event; the main
  events are matched first). The gold holds every event the articles state, so these are
  exact figures. Recall is also given for the main events of each article alone (gold
  ``main: true``). Among matched events: the share with the gold date (and precision) and
  with the gold location;
* time of one extraction per article (median and p95 over the set, after one warm-up call).

The exit code is 0 whenever the evaluation ran, 2 when the extractor cannot be imported.
"""

from __future__ import annotations

import argparse
from functools import lru_cache
import importlib
import json
import math
import re
import statistics
import sys
import time
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timezone
from difflib import SequenceMatcher
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

ARTICLES_DIR = Path(__file__).resolve().parent / "facts" / "articles"
DEFAULT_EXTRACTOR = "extractors.facts:extract_facts"

ENTITY_TYPES = ("person", "organization", "place", "weapon", "group")
EVENT_TYPES = (
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
)
DATE_PRECISIONS = ("day", "week", "month", "year")

#: A quote is found when a prediction covers this share of its characters.
QUOTE_COVERAGE = 0.8

#: Baseline: text between paired quotation marks within one paragraph.
BASELINE_QUOTE = re.compile(r"“([^”\n]+)”|\"([^\"\n]+)\"|«([^»\n]+)»|„([^“”\n]+)[“”]")


@dataclass(frozen=True)
class GoldEntity:
    name: str
    type: str


@dataclass(frozen=True)
class GoldQuote:
    text: str
    speaker: str | None


@dataclass(frozen=True)
class GoldEvent:
    type: str
    sentence: str
    actors: tuple[str, ...]
    location: str | None
    date: date | None
    date_precision: str | None
    main: bool  # one of the article's main events (the rest: background, restatements, secondary)


@dataclass(frozen=True)
class GoldArticle:
    key: str
    title: str
    published: datetime
    language: str
    style: str | None
    body: str
    entities: tuple[GoldEntity, ...]
    quotes: tuple[GoldQuote, ...]
    events: tuple[GoldEvent, ...]


def load_articles(directory: Path = ARTICLES_DIR) -> list[GoldArticle]:
    """Every ``*.md`` of the set, front matter parsed, body kept byte for byte (stripped)."""
    return [load_article(path) for path in sorted(directory.glob("*.md"))]


def load_article(path: Path) -> GoldArticle:
    raw = path.read_text(encoding="utf-8")
    if not raw.startswith("---\n"):
        raise ValueError(f"{path.name}: no front matter")
    front, separator, body = raw[4:].partition("\n---\n")
    if not separator:
        raise ValueError(f"{path.name}: front matter is not closed")
    meta = yaml.safe_load(front)
    gold = meta["gold"]
    return GoldArticle(
        key=path.stem,
        title=str(meta["title"]),
        published=_utc(meta["published"]),
        language=str(meta["language"]),
        style=meta.get("style"),
        body=body.strip(),
        entities=tuple(GoldEntity(str(e["name"]), str(e["type"])) for e in gold["entities"]),
        quotes=tuple(GoldQuote(str(q["text"]), q.get("speaker")) for q in gold["quotes"]),
        events=tuple(
            GoldEvent(
                type=str(e["type"]),
                sentence=str(e["sentence"]),
                actors=tuple(e.get("actors") or ()),
                location=e.get("location"),
                date=_date(e.get("date")),
                date_precision=e.get("date_precision"),
                main=_main(path.name, e),
            )
            for e in gold["events"]
        ),
    )


def _main(name: str, event: dict) -> bool:
    """The required ``main`` flag of a gold event (a boolean, no default)."""
    if not isinstance(event.get("main"), bool):
        raise ValueError(f"{name}: event {event.get('sentence')!r} has no boolean 'main'")
    return event["main"]


def _utc(value) -> datetime:
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment.astimezone(timezone.utc)


def _date(value) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def normalize_name(name: str) -> str:
    """Names compare without case, accents, typographic apostrophes or extra spaces."""
    decomposed = unicodedata.normalize("NFKD", name.replace("’", "'"))
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.casefold().split())


@lru_cache(maxsize=1)
def _registry_names() -> dict[str, str]:
    """Every name and alias of the entity registry (normalised) -> the entity's id.

    Linking is judged by identity: a gold "Washington, D.C." and a predicted "Washington"
    are the same entity when the registry lists both spellings for it. Aliases shared by
    two entities are left out.
    """
    from extractors.entities import registry

    reg, owners = registry(), {}
    for entity in reg:
        for name in (entity.name, *reg.record(entity.id).aliases):
            owners.setdefault(normalize_name(name), set()).add(entity.id)
    return {name: next(iter(ids)) for name, ids in owners.items() if len(ids) == 1}


def identity(name: str) -> str:
    """What two entity names are compared by: the registry entity, else the normalised name."""
    normalised = normalize_name(name)
    return _registry_names().get(normalised, normalised)


def _normalize_text(text: str) -> str:
    return " ".join(text.replace("’", "'").replace("‘", "'").split())


def common_run(a: str, b: str) -> int:
    """Length of the longest stretch of ``a`` that also occurs in ``b`` (whitespace and apostrophes normalised)."""
    a, b = _normalize_text(a), _normalize_text(b)
    return SequenceMatcher(None, a, b, autojunk=False).find_longest_match(0, len(a), 0, len(b)).size


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


# ---------------------------------------------------------------- counting


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    def add(self, tp: int, fp: int, fn: int) -> None:
        self.tp += tp
        self.fp += fp
        self.fn += fn

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def as_dict(self) -> dict:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "precision": round(self.precision, 4),
                "recall": round(self.recall, 4), "f1": round(self.f1, 4)}


@dataclass
class Ratio:
    hits: int = 0
    total: int = 0

    @property
    def value(self) -> float:
        return self.hits / self.total if self.total else 0.0

    def as_dict(self) -> dict:
        return {"hits": self.hits, "total": self.total, "value": round(self.value, 4)}


# ---------------------------------------------------------------- entities


def score_entities(article: GoldArticle, predicted, overall: Score, by_type: dict[str, Score], errors: list[str]) -> None:
    gold = {identity(e.name): e for e in article.entities}
    guessed: dict[str, tuple[str, str]] = {}
    for entity in predicted:
        guessed.setdefault(identity(entity.name), (entity.name, entity.type))
    hits = gold.keys() & guessed.keys()
    overall.add(len(hits), len(guessed) - len(hits), len(gold) - len(hits))
    for kind in ENTITY_TYPES:
        gold_of_type = {n for n, e in gold.items() if e.type == kind}
        guessed_of_type = {n for n, (_, t) in guessed.items() if t == kind}
        both = gold_of_type & guessed_of_type
        by_type[kind].add(len(both), len(guessed_of_type - both), len(gold_of_type - both))
    missed = sorted(gold[n].name for n in gold.keys() - hits)
    spurious = sorted(f"{guessed[n][0]} ({guessed[n][1]})" for n in guessed.keys() - hits)
    if missed:
        errors.append(f"  entities missed: {', '.join(missed)}")
    if spurious:
        errors.append(f"  entities spurious: {', '.join(spurious)}")


# ---------------------------------------------------------------- quotes


@dataclass
class QuoteScore:
    recall: Ratio
    precision: Ratio
    speaker: Ratio


@dataclass(frozen=True)
class PredictedQuote:
    text: str
    speaker: str | None
    span: tuple[int, int] | None  # where ``text`` lies in the body, when the prediction says so


def predicted_quote(body: str, quote) -> PredictedQuote:
    """A project quote; its offsets count only if they point at its text in the body."""
    start, end = getattr(quote, "start", None), getattr(quote, "end", None)
    span = (start, end) if isinstance(start, int) and isinstance(end, int) and body[start:end] == quote.text else None
    speaker = getattr(quote, "speaker", None)
    return PredictedQuote(quote.text, speaker.name if speaker is not None else None, span)


def gold_covered(gold: GoldQuote, gold_span: tuple[int, int], predicted: PredictedQuote) -> float:
    """Share of the gold quote a prediction covers: by offsets when it has them, else by its text
    (the longest common stretch, so a quote joined across its attribution still covers each half)."""
    if predicted.span is not None:
        return _overlap(gold_span, predicted.span) / len(gold.text)
    return common_run(gold.text, predicted.text) / len(_normalize_text(gold.text))


def predicted_covered(predicted: PredictedQuote, golds: tuple[GoldQuote, ...], spans: list[tuple[int, int]]) -> float:
    """Share of a predicted quote that is gold quote text (a scare quote or a quoted title is not)."""
    if predicted.span is not None:
        length = predicted.span[1] - predicted.span[0]
        return sum(_overlap(predicted.span, span) for span in spans) / length if length else 0.0
    length = len(_normalize_text(predicted.text))
    return min(length, sum(common_run(predicted.text, g.text) for g in golds)) / length if length else 0.0


def score_quotes(article: GoldArticle, predicted: list[PredictedQuote], score: QuoteScore,
                 errors: list[str] | None) -> None:
    spans = [(article.body.find(q.text), article.body.find(q.text) + len(q.text)) for q in article.quotes]
    for gold, span in zip(article.quotes, spans):
        best = max(predicted, key=lambda p: gold_covered(gold, span, p), default=None)
        score.recall.total += 1
        if best is None or gold_covered(gold, span, best) < QUOTE_COVERAGE:
            if errors is not None:
                errors.append(f"  quote missed ({gold.speaker}): {gold.text[:90]!r}")
            continue
        score.recall.hits += 1
        right = (identity(best.speaker) if best.speaker else None) == (identity(gold.speaker) if gold.speaker else None)
        score.speaker.total += 1
        score.speaker.hits += right
        if not right and errors is not None:
            errors.append(f"  speaker {best.speaker!r}, gold {gold.speaker!r}: {gold.text[:70]!r}")
    for quote in predicted:
        score.precision.total += 1
        if predicted_covered(quote, article.quotes, spans) >= QUOTE_COVERAGE:
            score.precision.hits += 1
        elif errors is not None:
            errors.append(f"  quote not in gold: {quote.text[:90]!r}")


def baseline_quotes(body: str) -> list[PredictedQuote]:
    """Everything between paired quotation marks within a paragraph, with no speaker."""
    quotes = []
    for match in BASELINE_QUOTE.finditer(body):
        group = next(i for i, g in enumerate(match.groups(), 1) if g is not None)
        quotes.append(PredictedQuote(match.group(group), None, match.span(group)))
    return quotes


# ---------------------------------------------------------------- events


def _span_in(body: str, sentence: str, start: int | None, end: int | None) -> tuple[int, int] | None:
    """Where a predicted sentence lies in the body: its own offsets if they point at it there."""
    if isinstance(start, int) and isinstance(end, int) and body[start:end] == sentence:
        return start, end
    at = body.find(sentence)
    return (at, at + len(sentence)) if at >= 0 and sentence else None


def _same_sentence(body: str, gold: GoldEvent, gold_span: tuple[int, int], event) -> bool:
    if gold.sentence in event.sentence:
        return True
    span = _span_in(body, event.sentence, getattr(event, "start", None), getattr(event, "end", None))
    return span is not None and span[0] < gold_span[1] and gold_span[0] < span[1]


@dataclass
class EventScore:
    overall: Score
    by_type: dict[str, Score]
    main: Ratio  # recall of the main events
    date: Ratio
    location: Ratio


def score_events(article: GoldArticle, predicted, score: EventScore, errors: list[str]) -> None:
    body = article.body
    # Main events first, so that a prediction in a sentence with a main and another event of
    # its type counts for the main one.
    golds = sorted(article.events, key=lambda g: not g.main)
    spans = [(body.find(g.sentence), body.find(g.sentence) + len(g.sentence)) for g in golds]
    unmatched = list(predicted)
    for gold, span in zip(golds, spans):
        match = next((e for e in unmatched if e.type == gold.type and _same_sentence(body, gold, span, e)), None)
        score.main.total += gold.main
        if match is None:
            score.overall.fn += 1
            score.by_type[gold.type].fn += 1
            near = [e.type for e in predicted if _same_sentence(body, gold, span, e)]
            errors.append(f"  event missed {gold.type}{' (main)' if gold.main else ''} "
                          f"(predicted there: {', '.join(near) or 'nothing'}): {gold.sentence[:80]!r}")
            continue
        unmatched.remove(match)
        score.overall.tp += 1
        score.by_type[gold.type].tp += 1
        score.main.hits += gold.main
        if gold.date is not None:
            score.date.total += 1
            right = getattr(match, "date", None) == gold.date and getattr(match, "date_precision", None) == gold.date_precision
            score.date.hits += right
            if not right:
                errors.append(f"  event date {getattr(match, 'date', None)}/{getattr(match, 'date_precision', None)}, "
                              f"gold {gold.date}/{gold.date_precision}: {gold.sentence[:60]!r}")
        if gold.location is not None:
            score.location.total += 1
            place = getattr(match, "location", None)
            right = place is not None and normalize_name(place.name) == normalize_name(gold.location)
            score.location.hits += right
            if not right:
                errors.append(f"  event location {place.name if place else None!r}, gold {gold.location!r}: "
                              f"{gold.sentence[:60]!r}")
    for event in unmatched:
        score.overall.fp += 1
        score.by_type[event.type].fp += 1
        errors.append(f"  event spurious {event.type}: {event.sentence[:80]!r}")


# ---------------------------------------------------------------- run


def load_extractor(spec: str):
    module_name, _, function_name = spec.partition(":")
    module = importlib.import_module(module_name)
    return getattr(module, function_name or "extract_facts")


def percentile(values: list[float], share: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    return ordered[max(1, math.ceil(len(ordered) * share)) - 1]


def evaluate(articles: list[GoldArticle], extract) -> tuple[dict, dict[str, list[str]]]:
    entities, entities_by_type = Score(), {kind: Score() for kind in ENTITY_TYPES}
    quotes = QuoteScore(Ratio(), Ratio(), Ratio())
    baseline = QuoteScore(Ratio(), Ratio(), Ratio())
    events = EventScore(Score(), defaultdict(Score), Ratio(), Ratio(), Ratio())
    errors: dict[str, list[str]] = {}
    warm_up_started = time.perf_counter()
    extract(articles[0].title, articles[0].body, articles[0].published)
    warm_up_ms = (time.perf_counter() - warm_up_started) * 1000
    timings = []
    for article in articles:
        started = time.perf_counter()
        facts = extract(article.title, article.body, article.published)
        timings.append((time.perf_counter() - started) * 1000)
        mistakes: list[str] = []
        score_entities(article, facts.entities, entities, entities_by_type, mistakes)
        direct = [predicted_quote(article.body, q) for q in facts.quotes if getattr(q, "direct", True)]
        score_quotes(article, direct, quotes, mistakes)
        score_quotes(article, baseline_quotes(article.body), baseline, None)
        score_events(article, facts.events, events, mistakes)
        errors[article.key] = mistakes
    report = {
        "articles": len(articles),
        "entities": entities.as_dict(),
        "entities_by_type": {kind: s.as_dict() for kind, s in entities_by_type.items()},
        "quotes": {"recall": quotes.recall.as_dict(), "precision": quotes.precision.as_dict(),
                   "speaker_accuracy": quotes.speaker.as_dict()},
        "quotes_baseline": {"recall": baseline.recall.as_dict(), "precision": baseline.precision.as_dict()},
        "events": events.overall.as_dict(),
        "events_main_recall": events.main.as_dict(),
        "events_by_type": {kind: s.as_dict() for kind, s in sorted(events.by_type.items())},
        "event_date_accuracy": events.date.as_dict(),
        "event_location_accuracy": events.location.as_dict(),
        "time_ms": {"warm_up": round(warm_up_ms, 1), "median": round(statistics.median(timings), 1),
                    "p95": round(percentile(timings, 0.95), 1), "max": round(max(timings), 1)},
    }
    return report, errors


def gold_counts(articles: list[GoldArticle]) -> dict:
    return {
        "articles": len(articles),
        "languages": dict(Counter(a.language for a in articles)),
        "entities": len([e for a in articles for e in a.entities]),
        "entities_by_type": dict(Counter(e.type for a in articles for e in a.entities)),
        "quotes": len([q for a in articles for q in a.quotes]),
        "quotes_without_speaker": len([q for a in articles for q in a.quotes if q.speaker is None]),
        "events": len([e for a in articles for e in a.events]),
        "main_events": len([e for a in articles for e in a.events if e.main]),
        "events_by_type": dict(sorted(Counter(e.type for a in articles for e in a.events).items())),
    }


def print_report(counts: dict, report: dict) -> None:
    print(f"Facts extraction on {counts['articles']} annotated articles "
          f"({', '.join(f'{n} {lang}' for lang, n in counts['languages'].items())}): "
          f"{counts['entities']} entities, {counts['quotes']} quotes, {counts['events']} events")
    row = "{:<30}{:>10}{:>8}{:>8}{:>8}"
    print("\nEntities (canonical names per article, micro-averaged)")
    print(row.format("", "precision", "recall", "F1", "gold"))
    for label, s in [("all", report["entities"]), *report["entities_by_type"].items()]:
        print(row.format(label, f"{s['precision']:.3f}", f"{s['recall']:.3f}", f"{s['f1']:.3f}", s["tp"] + s["fn"]))
    q, b = report["quotes"], report["quotes_baseline"]
    print(f"\nQuotes ({q['recall']['total']} gold direct quotes; found = >= {QUOTE_COVERAGE:.0%} of the gold characters)")
    print(f"{'project':<30}recall {q['recall']['value']:.3f}  precision {q['precision']['value']:.3f} "
          f"({q['precision']['total']} predicted)  speaker accuracy {q['speaker_accuracy']['value']:.3f} "
          f"({q['speaker_accuracy']['hits']}/{q['speaker_accuracy']['total']} found)")
    print(f"{'baseline (quotation marks)':<30}recall {b['recall']['value']:.3f}  precision {b['precision']['value']:.3f} "
          f"({b['precision']['total']} predicted)")
    e = report["events"]
    print(f"\nEvents (type + sentence; every event the articles state, {counts['main_events']} of them main)")
    print(row.format("", "precision", "recall", "F1", "gold"))
    print(row.format("all", f"{e['precision']:.3f}", f"{e['recall']:.3f}", f"{e['f1']:.3f}", e["tp"] + e["fn"]))
    for kind, s in report["events_by_type"].items():
        print(row.format(kind, f"{s['precision']:.3f}", f"{s['recall']:.3f}", f"{s['f1']:.3f}", s["tp"] + s["fn"]))
    m = report["events_main_recall"]
    print(f"recall of the main events {m['value']:.3f} ({m['hits']}/{m['total']}); "
          f"matched events with the gold date {report['event_date_accuracy']['value']:.3f} "
          f"({report['event_date_accuracy']['total']}), with the gold location "
          f"{report['event_location_accuracy']['value']:.3f} ({report['event_location_accuracy']['total']})")
    t = report["time_ms"]
    print(f"\nTime per article: median {t['median']:.1f} ms, p95 {t['p95']:.1f} ms, max {t['max']:.1f} ms "
          f"(warm-up call {t['warm_up']:.1f} ms, not counted)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--show-errors", action="store_true", help="list the mistakes per article")
    parser.add_argument("--json", type=Path, help="write the figures and gold counts to this file")
    parser.add_argument("--extractor", default=DEFAULT_EXTRACTOR, help="MODULE:FUNCTION to evaluate")
    parser.add_argument("--articles", type=Path, default=ARTICLES_DIR)
    args = parser.parse_args(argv)
    try:
        extract = load_extractor(args.extractor)
    except (ImportError, AttributeError) as error:
        print(f"cannot load the extractor {args.extractor}: {error}", file=sys.stderr)
        return 2
    articles = load_articles(args.articles)
    counts = gold_counts(articles)
    report, errors = evaluate(articles, extract)
    print_report(counts, report)
    if args.show_errors:
        for key, mistakes in errors.items():
            if mistakes:
                print(f"\n{key}")
                print("\n".join(mistakes))
    if args.json:
        args.json.write_text(json.dumps({"gold": counts, **report}, indent=2, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
