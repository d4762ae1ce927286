"""The soak (benchmarks/soak.py, ``make soak``) end to end at a small size.

Two nights of 60 feed items by 4 outlets, a fifth of the pages broken and one in twenty
too slow (every kind of fault at least once), served over real HTTP on 127.0.1.x, each
night's tasks in their own processes against a fresh warehouse. The warehouse is then
read here, not through the soak's own report: every broken page carries the outcome its
fault must produce, ``ops.run_metrics.failures`` counts them by reason, and every healthy
war article (and nothing else) is in ``core.articles``.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from datetime import date, timedelta
from pathlib import Path
from types import SimpleNamespace

import psycopg

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

import soak  # noqa: E402

NIGHTS, ITEMS, FEEDS = 2, 60, 4
START = date(2025, 3, 20)
#: What each fault must leave in raw.links (fetch_outcome, http_status), stated here again.
MUST_RECORD = {
    "http_500": ("http_error", 500), "http_503": ("http_error", 503), "http_404": ("http_error", 404),
    "http_410": ("http_error", 410), "reset": ("connection_error", None), "cut": ("connection_error", None),
    "endless": ("too_large", None), "bad_gzip": ("decode_error", None), "slow": ("timeout", None),
    "trickle": ("timeout", None),
}


def test_soak_small(warehouse, tmp_path):
    out = tmp_path / "soak.json"
    code = soak.main([
        "--days", str(NIGHTS), "--items", str(ITEMS), "--feeds", str(FEEDS), "--fail-share", "0.2",
        "--slow-share", "0.05", "--latency", "0", "--start", START.isoformat(), "--seed", "3",
        "--read-timeout", "0.5", "--total-timeout", "1", "--backoff", "0.05",
        "--dsn", warehouse, "--json", str(out),
    ])
    report = json.loads(out.read_text())
    assert code == 0, json.dumps(report.get("checks"), indent=1)
    assert report["ok"] and all(report["checks"].values())
    assert len(report["nights"]) == NIGHTS

    kinds = Counter()
    taken: set = set()
    args = SimpleNamespace(items=ITEMS, seed=3, start=START, feeds=FEEDS)
    with psycopg.connect(warehouse) as conn:
        for index, night in enumerate(report["nights"]):
            day = START + timedelta(days=index)
            assert night["day"] == day.isoformat() and night["error"] is None
            injected = night["truth"]["injected"]
            # 20 % failing and 5 % slow of the night's items, all fetched (war) pages.
            assert len(injected) == round(0.2 * ITEMS) + round(0.05 * ITEMS)
            kinds.update(i["kind"] for i in injected)

            links = {url: (outcome, status, detail) for url, outcome, status, detail in conn.execute(
                "SELECT fetch_url, fetch_outcome, http_status, fetch_detail FROM raw.links WHERE window_start = %s",
                (day,)).fetchall()}
            assert len(links) == ITEMS  # every feed item became a link of its day
            for item in injected:
                outcome, status, detail = links[item["url"]]
                assert (outcome, status) == MUST_RECORD[item["kind"]], item
                assert detail, item  # a human-readable reason
            # No other page failed.
            broken = {i["url"] for i in injected}
            assert not [u for u, (o, _, _) in links.items() if u not in broken and o not in ("ok", "skipped_irrelevant")]

            # What a user reads per source and day, summed: the injected faults by reason.
            ops = Counter()
            for (failures,) in conn.execute("SELECT failures FROM ops.run_metrics WHERE window_start = %s", (day,)):
                ops.update(failures)
            assert ops == Counter("fetch:" + MUST_RECORD[i["kind"]][0] for i in injected)

            # Nothing valid lost: every war article of the generator's day whose page was
            # not broken is in core.articles, and nothing else is.
            corpus = soak.day_corpus(index, args, taken)
            war = sum(a.war for a in corpus.articles)
            loaded = [url for (url,) in conn.execute(
                "SELECT l.fetch_url FROM core.articles a JOIN raw.links l USING (link_id) WHERE a.first_window = %s",
                (day,))]
            assert len(loaded) == war - len(injected) == night["warehouse"]["healthy_war_articles"]
            assert not broken & set(loaded)
            assert all(links[url][0] == "ok" for url in loaded)
        assert conn.execute("SELECT count(*) FROM core.articles WHERE facts_pending OR dedupe_pending").fetchone()[0] == 0
    assert set(kinds) == set(MUST_RECORD)  # every kind of fault was served at least once

    totals = report["totals"]
    assert totals["items"] == NIGHTS * ITEMS and totals["items_per_s"] > 0 and totals["peak_rss_mb"] > 0
    assert totals["failures_recorded"] == totals["failures_injected"] == sum(kinds.values())
    assert report["memory"]["flat"] and set(report["memory"]["stage_peaks_mb"]) == set(soak.NIGHT)
    assert all(len(p) == NIGHTS for p in report["memory"]["stage_peaks_mb"].values())

    # The soak's own judge has teeth: a healthy page declared broken, and a broken page
    # declared healthy, are caught.
    night = report["nights"][0]
    injected = night["truth"]["injected"]
    with psycopg.connect(warehouse) as conn:
        healthy_url = conn.execute(
            "SELECT l.fetch_url FROM core.articles a JOIN raw.links l USING (link_id) WHERE a.first_window = %s "
            "ORDER BY 1 LIMIT 1", (START,)).fetchone()[0]
    lie = {"injected": [{"url": healthy_url, "kind": "http_404", "expected": ("http_error", 404)}]
           + [{**i, "expected": tuple(i["expected"])} for i in injected[1:]],
           "healthy_war_urls": [injected[0]["url"]], "groups": 1}
    judged = soak.warehouse_day(warehouse, START, lie)
    assert [w["url"] for w in judged["misrecorded"]] == [healthy_url]
    assert judged["lost"] == [injected[0]["url"]]
    assert injected[0]["url"] in {u["url"] for u in judged["unexpected_failures"]}


def test_memory_trend():
    assert soak.memory_trend([300, 100, 104, 101, 110, 120, 118])["flat"]  # the first night warms up
    grows = soak.memory_trend([100, 100, 102, 104, 120, 130, 140])
    assert not grows["flat"] and grows["first_nights_peak_mb"] == 104 and grows["last_nights_peak_mb"] == 140
    assert soak.memory_trend([90, 95])["flat"]


def test_faults_are_deterministic_and_only_on_fetched_pages():
    args = SimpleNamespace(items=200, seed=5, start=START, feeds=4)
    corpus = soak.day_corpus(0, args, set())
    faults = soak.choose_faults(corpus, 5, 0.05, 0.01)
    assert faults == soak.choose_faults(soak.day_corpus(0, args, set()), 5, 0.05, 0.01)
    assert len(faults) == 10 + 2
    assert Counter(faults.values()) == Counter({**{k: 1 for k in soak.FAIL_KINDS}, "http_500": 2, "http_503": 2,
                                                "slow": 1, "trickle": 1})
    war = {a.key for a in corpus.articles if a.war}
    assert set(faults) <= war
    assert soak.choose_faults(corpus, 6, 0.05, 0.01) != faults  # another seed, other pages
    # The next night: new URLs, same outlets.
    taken: set = set()
    first, second = soak.day_corpus(0, args, taken), soak.day_corpus(1, args, taken)
    assert [o.slug for o in first.outlets] == [o.slug for o in second.outlets]
    outlets = {o.slug: o for o in first.outlets}
    paths = [(a.outlet, soak.article_path(outlets[a.outlet], a)) for a in first.articles + second.articles]
    assert len(set(paths)) == len(paths)
