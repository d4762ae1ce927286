"""The benchmark machinery (benchmarks/bench.py) end to end at a tiny size.

30 generated articles, no added latency, one run: the day is served on 127.0.1.x, the
DAG's tasks run in their own processes (with their process pools forced on), the naive
baseline and every component run, and the JSON report must hold every figure and a
warehouse that matches the generator's truth.
"""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

import bench  # noqa: E402
from bench_corpus import generate, write_sites  # noqa: E402
from newsfacts.fixture_site import article_number  # noqa: E402

STAGE_FIGURES = ("wall_s", "cpu_s", "rss_mb")


def test_generated_day_has_the_promised_shape():
    corpus = generate(200, seed=3)
    truth = corpus.truth()
    assert truth["articles"] == 200
    assert truth["war_articles"] == 140  # 70 %
    assert truth["copies"] == 40  # 20 %
    assert truth["war_originals"] + truth["war_copies"] == truth["war_articles"]
    assert all(300 <= a.words <= 1600 for a in corpus.articles)  # copies add a header and footer
    keys = {a.key for a in corpus.articles}
    for copy in (a for a in corpus.articles if a.copy_of):
        original = next(a for a in corpus.articles if a.key == copy.copy_of)
        assert copy.copy_of in keys and copy.outlet != original.outlet and copy.war == original.war
        assert copy.published > original.published
    assert generate(200, seed=3).articles[7].paragraphs == corpus.articles[7].paragraphs  # deterministic
    # Feed GUIDs carry a number derived from the key: never twice in one outlet's feed.
    numbers = [(a.outlet, article_number(a.key)) for a in corpus.articles]
    assert len(set(numbers)) == len(numbers)


def test_generator_avoids_feed_guid_collisions(monkeypatch):
    import bench_corpus

    monkeypatch.setattr(bench_corpus, "article_number", lambda key: len(key))  # many collisions: same-length keys
    corpus = generate(12, seed=4, outlets=2)
    numbers = [(a.outlet, bench_corpus.article_number(a.key)) for a in corpus.articles]
    assert len(set(numbers)) == len(numbers)
    keys = {a.key for a in corpus.articles}
    assert all(a.copy_of in keys for a in corpus.articles if a.copy_of)


def test_bench_end_to_end_at_tiny_size(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("NEWSFACTS_CPU_POOL_MIN", "1")  # the stages' process pools, even for 30 articles
    monkeypatch.setenv("NEWSFACTS_CPU_WORKERS", "2")
    out = tmp_path / "bench.json"
    code = bench.main(["--sizes", "30", "--latency", "0", "--repeats", "1", "--sample", "30", "--json", str(out)])
    printed = capsys.readouterr().out
    assert code == 0, printed
    assert "pipeline / naive" in printed and "pipeline / CPU floor" in printed

    report = json.loads(out.read_text())
    (size,) = report["sizes"]
    truth = generate(30, seed=0).truth()
    assert size["truth"] == truth
    # The warehouse: every war article (copies included) loaded, each copy in its
    # original's duplicate group, nothing left pending.
    (check,) = size["warehouse_checks"]
    assert check["articles"] == truth["war_articles"]
    assert check["duplicate_groups"] == truth["war_articles"] - truth["war_copies"]
    assert check["pending"] == 0 and check["fetch_failures"] == 0 and check["ok"]

    for key in ("pipeline_articles_per_s", "pipeline_wall_s", "naive_articles_per_s", "speedup_vs_naive",
                "cpu_floor_articles_per_s", "cpu_floor_per_article_ms", "pipeline_share_of_floor",
                "load_rows_per_s", "raw_copy_rows_per_s", "load_share_of_raw_copy", "worker_peak_rss_mb"):
        assert size[key] > 0, key
    assert set(size["cpu_per_article_ms"]) == {"extract", "relevance", "dedup", "facts"}
    for name in (*bench.STAGES, *bench.COMPONENTS):
        assert all(size["per_1000"][name][figure] > 0 for figure in STAGE_FIGURES), name
    assert size["stages"]["extract_facts"]["counts"]["articles"] == truth["war_articles"]
    # The tasks' process pools ran (their workers' CPU time is counted with the task), and
    # the warehouse above is what they produced.
    for stage in ("fetch_and_load_articles", "dedupe_articles", "extract_facts"):
        assert size["stages"][stage]["cpu_workers_s"] > 0, stage
    assert size["naive_articles"] == 30 and size["naive_failed"] == 0


def test_extraction_quality_hook(tmp_path):
    """bench.py takes its extraction F1 figures from benchmarks/extraction_eval.py."""
    from newsfacts.fixture_site import FixtureSite

    sites = write_sites(generate(8, seed=1), tmp_path / "sites")
    folder = tmp_path / "benchmark"
    (folder / "html").mkdir(parents=True)
    truth = {}
    for slug, site_dir in sorted(sites.items())[:2]:
        site = FixtureSite("http://127.0.1.1:8000", site_dir)
        for article in site.articles[:1]:
            page_id = f"{slug}-{article.slug}"[:40]
            (folder / "html" / f"{page_id}.html.gz").write_bytes(gzip.compress(site.routes[article.path].body))
            truth[page_id] = {"articleBody": "\n\n".join(article.paragraphs), "url": site.url(article.path)}
    (folder / "ground-truth.json").write_text(json.dumps(truth))
    quality = bench.extraction_quality(folder)
    assert set(quality["extractors"]) >= {"newsfacts", "newspaper3k", "trafilatura"}
    for summary in quality["extractors"].values():
        assert summary["all"]["pages"] == len(truth)
        assert 0 < summary["all"]["f1"] <= 1


@pytest.fixture(autouse=True)
def _no_stray_environment(monkeypatch):
    """bench.py must not leave the bench's settings in this process's environment."""
    import os

    before = dict(os.environ)
    yield
    leaked = {k for k in set(os.environ) - set(before) if k.startswith("NEWSFACTS_")}
    assert not leaked - {"NEWSFACTS_CPU_POOL_MIN", "NEWSFACTS_CPU_WORKERS"}
