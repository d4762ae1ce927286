"""Time of facts extraction per article over the demo corpus (one core, in process).

    .venv/bin/python benchmarks/facts_speed.py [--repeat 5]

Each article of ``demo/corpus/articles`` goes through ``extractors.facts.extract_facts``
``--repeat`` times after one warm-up pass (which builds the entity matcher); the figure
per article is its median over the repeats. Printed: median and p95 over the articles,
the same scaled to 800 words (time / words x 800), and the word counts.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from extractors.facts import extract_facts  # noqa: E402
from newsfacts.fixture_site import load_articles  # noqa: E402


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    articles = [(a.title, "\n\n".join(a.paragraphs), a.published) for a in load_articles()]
    for title, text, published in articles:  # warm-up
        extract_facts(title, text, published)
    per_article, per_800, words = [], [], []
    for title, text, published in articles:
        runs = []
        for _ in range(args.repeat):
            started = time.process_time()
            extract_facts(title, text, published)
            runs.append((time.process_time() - started) * 1000)
        ms, n = statistics.median(runs), len(text.split())
        per_article.append(ms)
        per_800.append(ms / n * 800)
        words.append(n)
    print(f"facts extraction over {len(articles)} demo articles ({min(words)}-{max(words)} words, "
          f"median {statistics.median(words):.0f}); CPU ms, median of {args.repeat} runs each")
    print(f"  per article:           median {statistics.median(per_article):.1f} ms, p95 {_p95(per_article):.1f} ms")
    print(f"  scaled to 800 words:   median {statistics.median(per_800):.1f} ms, p95 {_p95(per_800):.1f} ms (target < 20)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
