"""Evaluate near-duplicate detection on the generated set of :mod:`dedup_cases`.

Feeds the documents, in publication order, to the project's dedup index
(``extractors.dedup``: ``assign(MemoryIndex(), Document(...))``) and, in the same run,
to a baseline: plain datasketch ``MinHashLSH`` at one threshold (0.8, 128 permutations,
word 5-shingles of the lower-cased text), groups = connected components of LSH matches.

Scores are pairwise over all pairs of documents: a pair is predicted positive when both
documents end up in the same group, and truly positive when they share a ``cluster``.
Recall is also given per transformation kind (over the pairs copy <-> its original),
and false merges per kind of negative pair (template strikes on the same city, on the
same day, corpus articles of the same story, other).

    .venv/bin/python benchmarks/dedup_eval.py [--seed 0] [--scale 1] [--base N] [--json out.json]
"""

from __future__ import annotations

import argparse
import importlib
import json
import re
import sys
import time
from collections import Counter, defaultdict
from itertools import combinations
from pathlib import Path

HERE = Path(__file__).resolve().parent
for _p in (str(HERE.parent), str(HERE)):
    if _p not in sys.path:
        sys.path.insert(0, _p)

from dedup_cases import generate, summary  # noqa: E402

TARGET = {"precision": 0.995, "recall": 0.99}


# -- the two methods --------------------------------------------------------------------


def run_project(docs: list[dict], module: str = "extractors.dedup") -> dict:
    """Predicted groups of the project's index: ``{doc id: duplicate_group}``."""
    dedup = importlib.import_module(module)
    index = dedup.MemoryIndex()
    groups, assigned = {}, {}
    started = time.perf_counter()
    for d in docs:
        a = dedup.assign(index, dedup.Document(
            id=d["id"], url=d["url"], title=d["title"], text=d["text"], published_at=d["published_at"],
        ))
        groups[d["id"]] = str(a.duplicate_group)
        assigned[d["id"]] = str(a.kind)
    return {"groups": groups, "assigned": assigned, "seconds": time.perf_counter() - started}


def shingles(text: str, k: int = 5) -> set[bytes]:
    tokens = re.findall(r"\w+", text.lower())
    if len(tokens) < k:
        return {" ".join(tokens).encode()}
    return {" ".join(tokens[i:i + k]).encode() for i in range(len(tokens) - k + 1)}


def run_baseline(docs: list[dict], threshold: float = 0.8, num_perm: int = 128) -> dict:
    """Plain MinHash LSH: connected components of all LSH matches (no verification)."""
    from datasketch import MinHash, MinHashLSH

    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    started = time.perf_counter()
    for d in docs:
        m = MinHash(num_perm=num_perm)
        m.update_batch(sorted(shingles(d["text"])))
        parent[d["id"]] = d["id"]
        for other in lsh.query(m):
            ra, rb = find(d["id"]), find(other)
            if ra != rb:
                parent[ra] = rb
        lsh.insert(d["id"], m)
    groups = {d["id"]: find(d["id"]) for d in docs}
    return {"groups": groups, "assigned": {}, "seconds": time.perf_counter() - started}


# -- scoring ----------------------------------------------------------------------------


def _pairs(n: int) -> int:
    return n * (n - 1) // 2


def _negative_category(a: dict, b: dict) -> str:
    if a["source"] == b["source"] == "template":
        if a["story"] == b["story"]:
            return "strike, same city"
        if a["day"] == b["day"]:
            return "strike, same day"
        return "strike, other"
    if a["source"] == b["source"] == "corpus" and a["story"] == b["story"]:
        return "corpus, same story"
    return "other"


def negative_pairs_by_category(docs: list[dict]) -> Counter:
    """How many truly negative pairs of each category the set holds (no O(n^2) loop)."""
    out = Counter()
    template = [d for d in docs if d["source"] == "template"]
    corpus = [d for d in docs if d["source"] == "corpus"]
    clusters = Counter(d["cluster"] for d in docs)
    day = lambda d: d["day"]  # noqa: E731

    def positives_in(items) -> int:
        return sum(_pairs(n) for n in Counter(d["cluster"] for d in items).values())

    same_city = sum(_pairs(n) for n in Counter(d["story"] for d in template).values())
    same_day = sum(_pairs(n) for n in Counter(day(d) for d in template).values())
    same_city_day = sum(_pairs(n) for n in Counter((d["story"], day(d)) for d in template).values())
    pos_template = positives_in(template)
    out["strike, same city"] = same_city - pos_template  # a cluster is one city on one day
    out["strike, same day"] = same_day - same_city_day
    out["strike, other"] = _pairs(len(template)) - same_city - same_day + same_city_day
    same_story = sum(_pairs(n) for n in Counter(d["story"] for d in corpus).values())
    out["corpus, same story"] = same_story - positives_in(corpus)
    total_negative = _pairs(len(docs)) - sum(_pairs(n) for n in clusters.values())
    out["other"] = total_negative - sum(out.values())
    return out


def score(docs: list[dict], groups: dict[str, str]) -> dict:
    by_id = {d["id"]: d for d in docs}
    joint = Counter((groups[d["id"]], d["cluster"]) for d in docs)
    tp = sum(_pairs(n) for n in joint.values())
    predicted = sum(_pairs(n) for n in Counter(groups.values()).values())
    actual = sum(_pairs(n) for n in Counter(d["cluster"] for d in docs).values())
    precision = tp / predicted if predicted else 1.0
    recall = tp / actual if actual else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0

    per_kind: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    missed = []
    for d in docs:
        if d["base"] is None:
            continue
        hit = groups[d["id"]] == groups[d["base"]]
        per_kind[d["kind"]][0] += hit
        per_kind[d["kind"]][1] += 1
        if not hit:
            missed.append((d["base"], d["id"]))

    members: dict[str, list[str]] = defaultdict(list)
    for d in docs:
        members[groups[d["id"]]].append(d["id"])
    false_merges, fp_by_category = [], Counter()
    for ids in members.values():
        for a, b in combinations(ids, 2):
            if by_id[a]["cluster"] != by_id[b]["cluster"]:
                false_merges.append((a, b))
                fp_by_category[_negative_category(by_id[a], by_id[b])] += 1
    return {
        "precision": precision, "recall": recall, "f1": f1,
        "true_positive_pairs": tp, "predicted_pairs": predicted, "positive_pairs": actual,
        "false_merge_pairs": predicted - tp, "missed_pairs": actual - tp,
        "groups": len(members),
        "recall_by_kind": {k: {"pairs": n, "found": h, "recall": h / n} for k, (h, n) in sorted(per_kind.items())},
        "false_merges_by_category": dict(fp_by_category),
        "missed_copies": missed, "false_merges": false_merges,
    }


# -- report -----------------------------------------------------------------------------


def _fmt(value) -> str:
    return "-" if value is None else f"{value:.4f}" if isinstance(value, float) else str(value)


def report(docs: list[dict], results: dict[str, dict], args) -> str:
    names = list(results)
    w = max([14] + [len(n) + 2 for n in names])
    s = summary(docs)
    lines = [
        f"Near-duplicate evaluation: {s['documents']} documents, {s['clusters']} clusters, "
        f"{s['positive_pairs']} positive pairs of {s['all_pairs']} (seed {args.seed}, scale {args.scale}"
        + (f", base {args.base}" if args.base is not None else "") + ")",
        f"target: precision >= {TARGET['precision']}, recall >= {TARGET['recall']}",
    ]
    if getattr(args, "project_error", None):
        lines.append(f"project: not scored ({args.project_error})")
    lines += ["", f"{'':28}" + "".join(f"{n:>{w}}" for n in names)]
    rows = [("precision", "precision"), ("recall", "recall"), ("F1", "f1"),
            ("false-merge pairs", "false_merge_pairs"), ("missed pairs", "missed_pairs"),
            ("groups", "groups"), ("seconds", "seconds")]
    for label, key in rows:
        lines.append(f"{label:28}" + "".join(f"{_fmt(results[n].get(key)):>{w}}" for n in names))

    lines += ["", "recall per transformation kind (copy <-> original pairs)",
              f"{'kind':28}{'pairs':>7}" + "".join(f"{n:>{w}}" for n in names)]
    kinds = sorted({k for r in results.values() for k in r["recall_by_kind"]},
                   key=lambda k: (k.count("+"), k))
    for k in kinds:
        first = next(r["recall_by_kind"][k] for r in results.values() if k in r["recall_by_kind"])
        lines.append(f"{k:28}{first['pairs']:>7}" + "".join(
            f"{_fmt(results[n]['recall_by_kind'].get(k, {}).get('recall')):>{w}}" for n in names))

    negatives = negative_pairs_by_category(docs)
    lines += ["", "false merges per kind of negative pair",
              f"{'negative pairs':28}{'pairs':>7}" + "".join(f"{n:>{w}}" for n in names)]
    for cat, count in negatives.items():
        lines.append(f"{cat:28}{count:>7}" + "".join(
            f"{results[n]['false_merges_by_category'].get(cat, 0):>{w}}" for n in names))

    for n in names:
        assigned = results[n].get("assigned") or {}
        if not assigned:
            continue
        lines += ["", f"{n}: assignment kind per transformation kind"]
        table = defaultdict(Counter)
        for d in docs:
            table[d["kind"]][assigned[d["id"]]] += 1
        for k in sorted(table, key=lambda k: (k.count("+"), k)):
            lines.append(f"  {k:26}" + ", ".join(f"{a} {c}" for a, c in table[k].most_common()))

    if args.show_errors:
        by_id = {d["id"]: d for d in docs}
        for n in names:
            lines += ["", f"{n}: up to {args.show_errors} missed copies and false merges"]
            for a, b in results[n]["missed_copies"][: args.show_errors]:
                lines.append(f"  missed [{by_id[b]['kind']}] {b}  <- {a}")
            for a, b in results[n]["false_merges"][: args.show_errors]:
                lines.append(f"  merged [{_negative_category(by_id[a], by_id[b])}] {a} ({by_id[a]['kind']})"
                             f"  ~  {b} ({by_id[b]['kind']})")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--scale", type=float, default=1)
    parser.add_argument("--base", type=int, default=None, help="keep only the first N base stories")
    parser.add_argument("--module", default="extractors.dedup",
                        help="module providing Document, MemoryIndex and assign (default: %(default)s)")
    parser.add_argument("--threshold", type=float, default=0.8, help="baseline LSH threshold")
    parser.add_argument("--num-perm", type=int, default=128, help="baseline MinHash permutations")
    parser.add_argument("--show-errors", type=int, default=0, metavar="N",
                        help="list up to N missed copies and false merges per method")
    parser.add_argument("--json", metavar="PATH", help="also write the figures as JSON")
    args = parser.parse_args(argv)

    docs = generate(seed=args.seed, scale=args.scale, base=args.base)
    results: dict[str, dict] = {}
    project_error = None
    try:
        run = run_project(docs, args.module)
    except ImportError as exc:
        project_error = args.project_error = f"{args.module} unavailable: {exc}"
    else:
        results["project"] = {**score(docs, run["groups"]), "seconds": run["seconds"],
                              "assigned": run["assigned"]}
    base = run_baseline(docs, threshold=args.threshold, num_perm=args.num_perm)
    results[f"minhash-lsh@{args.threshold:g}"] = {**score(docs, base["groups"]), "seconds": base["seconds"]}

    print(report(docs, results, args))
    if args.json:
        out = {
            "config": {"seed": args.seed, "scale": args.scale, "base": args.base, "module": args.module,
                       "baseline": {"threshold": args.threshold, "num_perm": args.num_perm, "shingle_words": 5}},
            "dataset": summary(docs),
            "negative_pairs_by_category": negative_pairs_by_category(docs),
            "target": TARGET,
            "project_error": project_error,
            "results": {n: {k: v for k, v in r.items() if k != "assigned"} for n, r in results.items()},
        }
        Path(args.json).write_text(json.dumps(out, indent=2, ensure_ascii=False), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
