"""Article body extraction quality: the project's extractor next to newspaper3k and trafilatura.

    python benchmarks/extraction_eval.py BENCHMARK_DIR [--json PATH] [--show-worst N]
                                         [--only NAME[,NAME]]

BENCHMARK_DIR is a folder in the format of the article extraction benchmark:
``html/<id>.html.gz`` (the page as served, gzip) and ``ground-truth.json``
(``{"<id>": {"articleBody": ..., "url": ...}}``). Nothing from it is copied here.

Extractors, all run in one process on the same pages (``--only`` picks some):

* ``newsfacts``: :func:`extractors.article.extract_article` on the page bytes and the
  ground-truth URL; its ``text``. A page it refuses (:class:`ExtractionError`) counts as
  an empty prediction.
* ``newspaper3k``: newspaper3k alone, configured as in ``extractors/article.py``
  (:func:`extractors.article.newspaper_parse`); its ``text``.
* ``trafilatura``: trafilatura alone with its default (balanced) settings, comments left
  out (:func:`extractors.article.trafilatura_text`).
* ``trafilatura-precision``: the same with ``favor_precision=True``, the mode the
  project's extractor starts from, to show what the combination adds to it.

Metric (the one published for this benchmark, reimplemented): tokens are the matches of
``\\w+`` (Unicode, case kept); a text becomes the multiset of its word 4-gram shingles
(a text of 1-3 tokens is a single shingle of all of them, an empty text has none); per
page tp = matched, fp = extra and fn = missing shingle counts, normalised by their sum;
page precision tp/(tp+fp), page recall tp/(tp+fn). Precision is averaged over the pages
with a non-empty prediction, recall over all pages (an empty prediction has recall 0),
F1 = 2PR/(P+R) of the two averages. "<0.5" counts pages whose own F1 is below 0.5
(an empty prediction has F1 0).

The pages are also scored in two halves: ids sorted, even positions ("tune", the half
any numeric parameter of the project's extractor was chosen on) and odd positions
("held-out"), to show whether the figures generalise.

Speed is pages per second of wall time in this process (one core), decoding included,
the median, 95th percentile and maximum milliseconds per page, and the median CPU
milliseconds per page of this process (less sensitive to other load on the machine). The exit code is 0 whenever
the evaluation ran.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import statistics
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from extractors.article import (  # noqa: E402
    ExtractionError,
    decode_html,
    extract_article,
    newspaper_parse,
    trafilatura_text,
)

_TOKEN = re.compile(r"\w+")
NGRAM = 4


# --------------------------------------------------------------------------- metric


def shingles(text: str, n: int = NGRAM) -> Counter:
    """Multiset of word n-gram shingles (a text shorter than n words is one shingle)."""
    tokens = _TOKEN.findall(text or "")
    grams = (" ".join(tokens[i : i + n]) for i in range(max(1, len(tokens) - n + 1)))
    return Counter(g for g in grams if g)


def page_scores(truth: str, prediction: str) -> tuple[float, float, float]:
    """(tp, fp, fn) of one page, normalised by their sum."""
    true_sh, pred_sh = shingles(truth), shingles(prediction)
    tp = fp = fn = 0
    for key in true_sh.keys() | pred_sh.keys():
        t, p = true_sh.get(key, 0), pred_sh.get(key, 0)
        tp += min(t, p)
        fp += max(0, p - t)
        fn += max(0, t - p)
    total = tp + fp + fn
    if total:
        return tp / total, fp / total, fn / total
    return 0.0, 0.0, 0.0


def page_f1(tp: float, fp: float, fn: float) -> float:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return 2 * p * r / (p + r) if p + r else 0.0


def aggregate(scores: list[tuple[float, float, float]]) -> dict:
    """Precision over pages with a prediction, recall over all pages, F1 of the two."""
    precisions = [tp / (tp + fp) for tp, fp, _ in scores if tp + fp > 0]
    recalls = [tp / (tp + fn) if tp + fn > 0 else 0.0 for tp, _, fn in scores]
    precision = statistics.fmean(precisions) if precisions else 0.0
    recall = statistics.fmean(recalls) if recalls else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "pages": len(scores),
        "f1": f1,
        "precision": precision,
        "recall": recall,
        "below_0_5": sum(1 for s in scores if page_f1(*s) < 0.5),
        "empty": sum(1 for tp, fp, _ in scores if tp + fp == 0),
    }


# --------------------------------------------------------------------------- corpus


@dataclass
class Page:
    id: str
    url: str
    body: bytes
    truth: str


def load_pages(folder: Path) -> list[Page]:
    truth = json.loads((folder / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for page_id in sorted(truth):
        body = gzip.decompress((folder / "html" / f"{page_id}.html.gz").read_bytes())
        pages.append(Page(page_id, truth[page_id]["url"], body, truth[page_id].get("articleBody") or ""))
    return pages


# --------------------------------------------------------------------------- extractors


def _newsfacts(body: bytes, url: str) -> str:
    try:
        return extract_article(body, url).text
    except ExtractionError:
        return ""


def _newspaper(body: bytes, url: str) -> str:
    try:
        return newspaper_parse(decode_html(body), url).text
    except ExtractionError:
        return ""


def _trafilatura(body: bytes, url: str) -> str:
    return trafilatura_text(decode_html(body), url)


def _trafilatura_precision(body: bytes, url: str) -> str:
    return trafilatura_text(decode_html(body), url, favor_precision=True)


EXTRACTORS: dict[str, Callable[[bytes, str], str]] = {
    "newsfacts": _newsfacts,
    "newspaper3k": _newspaper,
    "trafilatura": _trafilatura,
    "trafilatura-precision": _trafilatura_precision,
}
HALVES = ("all", "tune", "held-out")


@dataclass
class Run:
    name: str
    predictions: dict[str, str] = field(default_factory=dict)
    scores: dict[str, tuple[float, float, float]] = field(default_factory=dict)
    millis: list[float] = field(default_factory=list)
    cpu_millis: list[float] = field(default_factory=list)
    wall: float = 0.0


def run(name: str, pages: list[Page]) -> Run:
    extractor = EXTRACTORS[name]
    result = Run(name)
    extractor(pages[0].body, pages[0].url)  # warm-up: imports, stoplists, compiled XPaths
    start = time.perf_counter()
    for page in pages:
        t0, c0 = time.perf_counter(), time.process_time()
        try:
            prediction = extractor(page.body, page.url) or ""
        except Exception as exc:  # an extractor crash is an empty prediction, and shown
            print(f"  {name} failed on {page.id}: {type(exc).__name__}: {exc}", file=sys.stderr)
            prediction = ""
        result.millis.append(1000 * (time.perf_counter() - t0))
        result.cpu_millis.append(1000 * (time.process_time() - c0))
        result.predictions[page.id] = prediction
        result.scores[page.id] = page_scores(page.truth, prediction)
    result.wall = time.perf_counter() - start
    return result


def halves(pages: list[Page]) -> dict[str, list[str]]:
    ids = [p.id for p in pages]  # already sorted
    return {"all": ids, "tune": ids[0::2], "held-out": ids[1::2]}


def summarise(result: Run, split: dict[str, list[str]]) -> dict:
    summary = {half: aggregate([result.scores[i] for i in ids]) for half, ids in split.items()}
    millis = sorted(result.millis)
    summary["speed"] = {
        "pages_per_second": len(millis) / result.wall if result.wall else 0.0,
        "median_ms": statistics.median(millis),
        "p95_ms": millis[min(len(millis) - 1, int(0.95 * len(millis)))],
        "max_ms": millis[-1],
        "median_cpu_ms": statistics.median(result.cpu_millis),
    }
    return summary


def print_table(summaries: dict[str, dict]) -> None:
    header = f"{'extractor':<21} {'half':<9} {'pages':>5} {'F1':>6} {'prec':>6} {'recall':>6} {'<0.5':>5} {'empty':>5}"
    print(header)
    print("-" * len(header))
    for name, summary in summaries.items():
        for half in HALVES:
            s = summary[half]
            print(
                f"{name:<21} {half:<9} {s['pages']:>5} {s['f1']:>6.3f} {s['precision']:>6.3f} "
                f"{s['recall']:>6.3f} {s['below_0_5']:>5} {s['empty']:>5}"
            )
    print()
    header = f"{'extractor':<21} {'pages/s':>8} {'median ms':>10} {'p95 ms':>8} {'max ms':>8} {'median CPU ms':>14}"
    print(header)
    print("-" * len(header))
    for name, summary in summaries.items():
        s = summary["speed"]
        print(
            f"{name:<21} {s['pages_per_second']:>8.1f} {s['median_ms']:>10.1f} {s['p95_ms']:>8.1f} {s['max_ms']:>8.1f}"
            f" {s['median_cpu_ms']:>14.1f}"
        )


def print_worst(result: Run, pages: list[Page], count: int) -> None:
    by_id = {p.id: p for p in pages}
    worst = sorted(result.scores, key=lambda i: page_f1(*result.scores[i]))[:count]
    print(f"\nworst pages for {result.name}:")
    for page_id in worst:
        tp, fp, fn = result.scores[page_id]
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        print(f"  F1 {page_f1(tp, fp, fn):.3f}  P {p:.3f}  R {r:.3f}  {page_id[:12]}  {by_id[page_id].url}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", type=Path, help="benchmark folder (html/<id>.html.gz, ground-truth.json)")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    parser.add_argument("--show-worst", type=int, default=0, metavar="N", help="list each extractor's N worst pages")
    parser.add_argument("--only", help="comma-separated subset of: " + ", ".join(EXTRACTORS))
    args = parser.parse_args(argv)

    names = args.only.split(",") if args.only else list(EXTRACTORS)
    unknown = [n for n in names if n not in EXTRACTORS]
    if unknown:
        parser.error(f"unknown extractor(s): {', '.join(unknown)}")
    pages = load_pages(args.folder)
    split = halves(pages)
    print(f"{len(pages)} pages from {args.folder} (tune = even positions of the sorted ids, held-out = odd)\n")

    results = [run(name, pages) for name in names]
    summaries = {r.name: summarise(r, split) for r in results}
    print_table(summaries)
    for result in results if args.show_worst else ():
        print_worst(result, pages, args.show_worst)
    if args.json:
        args.json.write_text(json.dumps(summaries, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
