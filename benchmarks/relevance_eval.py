"""Evaluate the war-relevance scorer against the hand-labelled development set.

    python benchmarks/relevance_eval.py CORPORA_DIR [--threshold X] [--show-errors]
                                        [--json PATH] [--labels PATH] [--sweep]

CORPORA_DIR holds ``news-feeds-2026-02/`` and ``article-extraction-benchmark/`` (see
benchmarks/relevance/README.md). Labels are read from benchmarks/relevance/labels.csv;
the corpus texts are not stored there, so every labelled item is rebuilt from the corpus:

* feed items: parsed with ``extractors.feeds.parse_feed`` (the pipeline's parser) and
  matched on ``file`` + ``key`` (the entry's link, else its id). The scorer gets the
  title and the fullest text the feed carries (``content:encoded`` / JSON Feed content
  if present, else the summary), HTML stripped; the pre-fetch filter gets the title and
  the parsed summary, which is what the pipeline has before it fetches a page.
* benchmark pages: title from ``extractors.article.extract_article`` (first line of the
  ground-truth body if extraction fails), text = the ground-truth ``articleBody``.

Figures printed (and written with ``--json``):

(a) the project scorer ``extractors.relevance.score_article`` on all items, feed items
    and pages: n, positives, predicted positives, tp/fp/fn, precision, recall, F1;
(b) a keyword-count baseline on the same items (see ``KEYWORD_PATTERN``);
(c) the pre-fetch filter ``worth_fetching`` on feed items: relevant items it would skip
    (should be 0) and the share of irrelevant items it skips;
(d) robustness: the demo corpus's war articles rewritten the way features are written —
    a headline naming neither side, a scene-setting opening before the news, both (with two
    different openings) — and
    how many the scorer still keeps (long real articles are written like this, the feed
    items of the development set rarely are).

The exit code is 0 whenever the evaluation ran, whatever the figures.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
import re
import sys
import warnings
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import feedparser  # noqa: E402

from extractors.article import ExtractionError, extract_article  # noqa: E402
from extractors.feeds import FeedError, parse_feed, plain_text  # noqa: E402

FEEDS_DIR = "news-feeds-2026-02"
PAGES_DIR = "article-extraction-benchmark"
DEFAULT_LABELS = Path(__file__).resolve().parent / "relevance" / "labels.csv"
#: Feeds are parsed as if served from here; the labelled keys do not depend on it
#: (every item in the corpus has an absolute link), but it must stay fixed.
FEED_BASE_URL = "https://feeds.invalid/"

#: Keyword baseline: count every match (case-insensitive, whole words, prefixes where
#: marked) in title + text; the item is predicted relevant when the count is at least
#: ``BASELINE_MIN_HITS``. Deliberately naive: it is the bar the scorer must clear.
KEYWORD_PATTERN = re.compile(
    r"\b(?:ukrain\w*|russia\w*|kyiv|kiev|kremlin|putin\w*|zelensk\w*|"
    r"war|wars|wartime|invasion|invade\w*|missiles?|drones?)\b",
    re.IGNORECASE,
)
BASELINE_MIN_HITS = 3


@dataclass
class Item:
    kind: str  # "feed" or "page"
    file: str
    key: str
    label: int
    note: str
    title: str = ""
    text: str = ""  # what the scorer gets
    summary: str = ""  # what the pre-fetch filter gets (feeds only)
    language: str | None = None


@dataclass
class Counts:
    n: int = 0
    positives: int = 0
    predicted: int = 0
    tp: int = 0
    fp: int = 0
    fn: int = 0
    errors: list = field(default_factory=list)

    def add(self, item: Item, predicted: bool, score: float | None = None) -> None:
        self.n += 1
        self.positives += item.label
        self.predicted += int(predicted)
        if predicted and item.label:
            self.tp += 1
        elif predicted:
            self.fp += 1
            self.errors.append(("FP", item, score))
        elif item.label:
            self.fn += 1
            self.errors.append(("FN", item, score))

    @property
    def precision(self) -> float | None:
        return self.tp / self.predicted if self.predicted else None

    @property
    def recall(self) -> float | None:
        return self.tp / self.positives if self.positives else None

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        if p is None or r is None or p + r == 0:
            return None if p is None or r is None else 0.0
        return 2 * p * r / (p + r)

    def as_dict(self) -> dict:
        return {
            "n": self.n,
            "positives": self.positives,
            "predicted_positive": self.predicted,
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "precision": _round(self.precision),
            "recall": _round(self.recall),
            "f1": _round(self.f1),
        }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _full_contents(body: bytes) -> dict[str, str]:
    """Link -> full item content (RSS content:encoded, Atom content, JSON Feed content),
    HTML stripped. parse_feed keeps only a 2,000-character summary; the scorer is meant
    for article text, so give it the longest text the feed carries."""
    contents: dict[str, str] = {}
    head = body.lstrip()[:1]
    if head in (b"{", b"\xef"):
        try:
            doc = json.loads(body.decode("utf-8-sig", errors="replace"))
        except ValueError:
            return contents
        for it in doc.get("items") or []:
            if isinstance(it, dict) and it.get("url"):
                text = it.get("content_html") or it.get("content_text") or ""
                contents.setdefault(str(it["url"]), plain_text(str(text), limit=None))
        return contents
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        parsed = feedparser.parse(body)
    for entry in parsed.entries:
        if entry.get("content") and entry.get("link"):
            text = " ".join(c.get("value", "") for c in entry.content)
            contents.setdefault(entry.link, plain_text(text, limit=None))
    return contents


def load_labels(path: Path) -> list[Item]:
    with path.open(newline="", encoding="utf-8") as fh:
        return [
            Item(kind=r["kind"], file=r["file"], key=r["key"], label=int(r["label"]), note=r["note"])
            for r in csv.DictReader(fh)
        ]


def attach_feed_texts(items: list[Item], feeds_dir: Path, report: dict) -> list[Item]:
    """Fill title/summary/text of feed items from the corpus; return the items found."""
    wanted: dict[str, list[Item]] = {}
    for item in items:
        wanted.setdefault(item.file, []).append(item)
    found: list[Item] = []
    for name, group in wanted.items():
        path = feeds_dir / name
        if not path.exists():
            report["missing_feeds"].append(name)
            report["missing_items"] += len(group)
            continue
        body = path.read_bytes()
        try:
            parsed = parse_feed(body, url=FEED_BASE_URL + name)
        except FeedError as exc:
            report["unparsable_feeds"].append(f"{name}: {exc.reason}")
            report["missing_items"] += len(group)
            continue
        contents = _full_contents(body)
        entries = {}
        for entry in parsed.entries:
            entries.setdefault(entry.url or entry.key, entry)  # duplicates: first one wins
        labelled = {item.key for item in group}
        report["unlabelled_items"] += len(set(entries) - labelled)
        for item in group:
            entry = entries.get(item.key)
            if entry is None:
                report["missing_items"] += 1
                continue
            item.title = entry.title
            item.summary = entry.summary
            content = contents.get(entry.url or "", "")
            item.text = content if len(content) > len(entry.summary) else entry.summary
            found.append(item)
    return found


def attach_page_texts(items: list[Item], pages_dir: Path, report: dict) -> list[Item]:
    truth = json.loads((pages_dir / "ground-truth.json").read_text(encoding="utf-8"))
    report["unlabelled_items"] += len(set(truth) - {i.file for i in items})
    found: list[Item] = []
    for item in items:
        record = truth.get(item.file)
        html_path = pages_dir / "html" / f"{item.file}.html.gz"
        if record is None:
            report["missing_items"] += 1
            continue
        body = record.get("articleBody") or ""
        title = ""
        if html_path.exists():
            try:
                article = extract_article(gzip.decompress(html_path.read_bytes()), record.get("url") or item.key)
                title, item.language = article.title, article.language
            except ExtractionError:
                report["pages_title_fallback"] += 1
        else:
            report["pages_title_fallback"] += 1
        if not title:
            title = next((line.strip() for line in body.splitlines() if line.strip()), "")[:300]
        item.title, item.text = title, body
        found.append(item)
    return found


def demo_items() -> list[Item]:
    """The articles of demo/corpus, with their `war:` label."""
    from newsfacts.fixture_site import load_articles

    return [
        Item("demo", a.outlet, a.slug, int(a.war), a.section, a.title, "\n\n".join(a.paragraphs), a.summary, a.lang)
        for a in load_articles()
    ]


#: A scene-setting opening of the kind features start with, naming neither side.
FEATURE_OPENING = ("The kettle had just boiled when the windows shook. Olena grabbed her two children and ran "
                   "for the corridor, the only place in the flat without glass. It was the third time that week. ")
FEATURE_HEADLINE = "The long night"
#: A second, longer one (four sentences, no war word at all), so the figure is not one opening's.
QUIET_OPENING = ("Snow had fallen overnight, and by seven the queue outside the bakery reached the corner. "
                 "Nobody spoke much. A man in a grey coat counted his coins twice. The baker, who has run "
                 "the shop for thirty years, lifted the shutter at eight, as she always does. ")
QUIET_HEADLINE = "What the winter brings"
REWRITES = {
    "neutral headline": lambda title, text: (FEATURE_HEADLINE, text),
    "scene-setting opening": lambda title, text: (title, FEATURE_OPENING + text),
    "both": lambda title, text: (FEATURE_HEADLINE, FEATURE_OPENING + text),
    "both, a quiet opening": lambda title, text: (QUIET_HEADLINE, QUIET_OPENING + text),
}


def robustness(items: list[Item], score_article, threshold: float) -> dict[str, tuple[int, int]]:
    """{rewrite: (war articles still relevant, war articles)} over the demo corpus."""
    war = [i for i in items if i.label]
    return {name: (sum(score_article(*rewrite(i.title, i.text), i.language, threshold=threshold).relevant
                       for i in war), len(war))
            for name, rewrite in REWRITES.items()}


def keyword_hits(item: Item) -> int:
    return len(KEYWORD_PATTERN.findall(f"{item.title}\n{item.text}"))


def _fmt(value: float | None) -> str:
    return "   n/a" if value is None else f"{value:6.3f}"


def print_table(rows: list[tuple[str, Counts]]) -> None:
    print(f"{'':28} {'n':>5} {'pos':>4} {'pred':>5} {'tp':>4} {'fp':>4} {'fn':>4} {'prec':>6} {'rec':>6} {'F1':>6}")
    for name, c in rows:
        print(
            f"{name:28} {c.n:5d} {c.positives:4d} {c.predicted:5d} {c.tp:4d} {c.fp:4d} {c.fn:4d} "
            f"{_fmt(c.precision)} {_fmt(c.recall)} {_fmt(c.f1)}"
        )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("corpora_dir", type=Path, help=f"folder holding {FEEDS_DIR}/ and {PAGES_DIR}/")
    parser.add_argument("--threshold", type=float, default=None, help="score_article threshold (default: the scorer's DEFAULT_THRESHOLD)")
    parser.add_argument("--show-errors", action="store_true", help="list the scorer's false positives/negatives and pre-fetch misses")
    parser.add_argument("--json", type=Path, default=None, metavar="PATH", help="also write the figures as JSON to PATH")
    parser.add_argument("--labels", type=Path, default=DEFAULT_LABELS, help="labels CSV (default: %(default)s)")
    parser.add_argument("--sweep", action="store_true", help="also show F1 of 'score >= t' for t = 0.1 .. 0.9")
    args = parser.parse_args(argv)

    feeds_dir, pages_dir = args.corpora_dir / FEEDS_DIR, args.corpora_dir / PAGES_DIR
    for folder in (feeds_dir, pages_dir):
        if not folder.is_dir():
            parser.error(f"{folder} not found")

    from extractors.relevance import DEFAULT_THRESHOLD, score_article, worth_fetching

    threshold = DEFAULT_THRESHOLD if args.threshold is None else args.threshold
    warnings.filterwarnings("ignore", module="dateutil")  # newspaper3k's date parsing

    labels = load_labels(args.labels)
    report = {
        "missing_feeds": [],
        "unparsable_feeds": [],
        "missing_items": 0,
        "unlabelled_items": 0,
        "pages_title_fallback": 0,
    }
    feeds = attach_feed_texts([i for i in labels if i.kind == "feed"], feeds_dir, report)
    pages = attach_page_texts([i for i in labels if i.kind == "page"], pages_dir, report)

    scorer = {"all": Counts(), "feed": Counts(), "page": Counts(), "demo": Counts()}
    baseline = {"all": Counts(), "feed": Counts(), "page": Counts(), "demo": Counts()}
    scores: list[tuple[Item, float]] = []
    for item in feeds + pages:
        result = score_article(item.title, item.text, item.language, threshold=threshold)
        hits = keyword_hits(item)
        for group in ("all", item.kind):
            scorer[group].add(item, bool(result.relevant), result.score)
            baseline[group].add(item, hits >= BASELINE_MIN_HITS, hits)
        scores.append((item, float(result.score)))
    # The project's own demo corpus (labelled by construction: `war:` in each article's front
    # matter), reported apart from the real material: written for the project, not fitted on.
    demo = demo_items()
    for item in demo:
        result = score_article(item.title, item.text, item.language, threshold=threshold)
        hits = keyword_hits(item)
        scorer["demo"].add(item, bool(result.relevant), result.score)
        baseline["demo"].add(item, hits >= BASELINE_MIN_HITS, hits)

    prefetch_missed: list[Item] = []
    irrelevant_skipped = irrelevant = relevant = 0
    for item in feeds:
        keep = worth_fetching(item.title, item.summary, item.language)
        if item.label:
            relevant += 1
            if not keep:
                prefetch_missed.append(item)
        else:
            irrelevant += 1
            irrelevant_skipped += int(not keep)

    print(f"War-relevance dev set: {len(labels)} labels, {len(feeds)} feed items and {len(pages)} pages found "
          f"in {args.corpora_dir}; threshold {threshold}")
    for key, label in (("unparsable_feeds", "feeds skipped (unparsable)"), ("missing_feeds", "feeds missing")):
        if report[key]:
            print(f"  {label}: {', '.join(report[key])}")
    if report["missing_items"]:
        print(f"  WARNING: {report['missing_items']} labelled items not found in the corpus (parser or corpus changed?)")
    if report["unlabelled_items"]:
        print(f"  note: {report['unlabelled_items']} corpus items have no label and are not scored")
    print()
    print("(a) project scorer (extractors.relevance.score_article)")
    print_table([(f"scorer / {k}", c) for k, c in scorer.items()])
    print()
    print(f"(b) keyword baseline: >= {BASELINE_MIN_HITS} hits of war keywords in title + text")
    print_table([(f"baseline / {k}", c) for k, c in baseline.items()])
    print()
    share = irrelevant_skipped / irrelevant if irrelevant else None
    print("(c) pre-fetch filter (worth_fetching on feed title + summary)")
    print(f"  relevant feed items skipped:   {len(prefetch_missed)} of {relevant} (should be 0)")
    print(f"  irrelevant feed items skipped: {irrelevant_skipped} of {irrelevant}"
          + ("" if share is None else f" ({share:.1%})"))
    print()
    print("(d) robustness: demo war articles rewritten as features, still relevant")
    robust = robustness(demo, score_article, threshold)
    for name, (kept, total) in robust.items():
        print(f"  {name:<24} {kept} of {total}")

    sweep = []
    if args.sweep:
        print()
        print("threshold sweep on score (all items): t, precision, recall, F1")
        for step in range(1, 10):
            t = step / 10
            c = Counts()
            for item, score in scores:
                c.add(item, score >= t)
            sweep.append({"t": t, **c.as_dict()})
            print(f"  {t:.1f} {_fmt(c.precision)} {_fmt(c.recall)} {_fmt(c.f1)}")

    if args.show_errors:
        print()
        errors = sorted(scorer["all"].errors, key=lambda e: (e[0], e[1].kind, e[1].file))
        print(f"scorer errors ({len(errors)}): kind, score, item, note")
        for what, item, score in errors:
            print(f"  {what} {score:.3f} [{item.kind} {item.file}] {item.title[:90]!r}\n"
                  f"        {item.key}\n        label note: {item.note}")
        print(f"pre-fetch misses ({len(prefetch_missed)}): relevant feed items worth_fetching would skip")
        for item in prefetch_missed:
            print(f"  [{item.file}] {item.title[:90]!r}\n        label note: {item.note}")

    if args.json:
        figures = {
            "threshold": threshold,
            "labels": len(labels),
            "corpus": report,
            "scorer": {k: c.as_dict() for k, c in scorer.items()},
            "baseline": {
                "rule": f">= {BASELINE_MIN_HITS} matches of {KEYWORD_PATTERN.pattern}",
                **{k: c.as_dict() for k, c in baseline.items()},
            },
            "prefetch": {
                "relevant_feed_items": relevant,
                "relevant_skipped": len(prefetch_missed),
                "irrelevant_feed_items": irrelevant,
                "irrelevant_skipped": irrelevant_skipped,
                "irrelevant_skipped_share": _round(share),
            },
        }
        figures["robustness"] = {name: {"kept": kept, "war_articles": total} for name, (kept, total) in robust.items()}
        if sweep:
            figures["sweep"] = sweep
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
        print(f"\nfigures written to {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
