"""Story-cluster quality on the demo corpus, where every article's story is known.

    .venv/bin/python benchmarks/stories_eval.py [--min-similarity 0.3] [--show]

Each article of ``demo/corpus/articles`` carries ``story:`` in its front matter (the
ground truth, written with the corpus). The articles go, in order of publication,
through the same duplicate detection and story assignment the pipeline uses (in memory),
and the predicted stories are scored pairwise: precision = share of article pairs put in
one story that truly are one story; recall = share of true same-story pairs found.
Pairs of articles in different languages are reported apart: names are matched across
scripts by transliteration, the rest of the words are not.
"""

from __future__ import annotations

import argparse
import sys
from itertools import combinations
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from extractors.batch_dedupe import dedupe_documents  # noqa: E402
from extractors.dedup import Document  # noqa: E402
from extractors.stories import MIN_SIMILARITY  # noqa: E402
from newsfacts.fixture_site import load_articles  # noqa: E402


def predict(articles, min_similarity: float) -> dict[str, str]:
    """The pipeline's steps, in memory (extractors.batch_dedupe), with a chosen threshold."""
    ordered = sorted(articles, key=lambda a: (a.published, a.key))
    docs = [Document(a.key, a.key, a.title, "\n\n".join(a.paragraphs), a.published) for a in ordered]
    return {g.id: g.story for g in dedupe_documents(docs, min_similarity)}


def pairwise(articles, predicted, same_language: bool | None) -> tuple[float, float, int]:
    tp = fp = fn = 0
    for a, b in combinations(articles, 2):
        if same_language is not None and (a.lang == b.lang) != same_language:
            continue
        truth, guess = a.story == b.story, predicted[a.key] == predicted[b.key]
        tp += truth and guess
        fp += guess and not truth
        fn += truth and not guess
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return precision, recall, tp + fn


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--min-similarity", type=float, default=MIN_SIMILARITY)
    parser.add_argument("--show", action="store_true", help="list the predicted stories")
    args = parser.parse_args(argv)
    articles = load_articles()
    predicted = predict(articles, args.min_similarity)
    print(f"Story clusters on the demo corpus: {len(articles)} articles, "
          f"{len({a.story for a in articles})} true stories, {len(set(predicted.values()))} predicted "
          f"(min similarity {args.min_similarity})")
    print(f"{'pairs':<22}{'precision':>10}{'recall':>8}{'true pairs':>12}")
    for label, same in (("all", None), ("same language", True), ("across languages", False)):
        p, r, n = pairwise(articles, predicted, same)
        print(f"{label:<22}{p:>10.3f}{r:>8.3f}{n:>12}")
    if args.show:
        by_story: dict[str, list] = {}
        for a in articles:
            by_story.setdefault(predicted[a.key], []).append(a)
        for story, members in sorted(by_story.items(), key=lambda s: -len(s[1])):
            print(story, ", ".join(f"{m.story}:{m.key}" for m in members))
    return 0


if __name__ == "__main__":
    sys.exit(main())
