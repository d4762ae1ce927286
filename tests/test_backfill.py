"""Backfilling past days against the fixture server's archives (sitemaps, a GDELT
look-alike) and a real PostgreSQL: exact day windows, reruns, reprocessing, concurrency."""

import os
import subprocess
import sys
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from extractors.sources import Discovery
from extractors.urls import normalize_url
from newsfacts.discover import crawl_sitemaps
from newsfacts.fixture_server import GDELT_PATH
from newsfacts.reprocess import reprocess_day
from newsfacts.window import Window
from pipeline_helpers import expected_by_day, loaded_by_day, rows, run_day, scalar, snapshot, state_differences

DAYS = [date(2025, 3, 14), date(2025, 3, 15), date(2025, 3, 16)]
BROKEN_FEEDS = {"/steppe-times/feed.xml", "/arctic-signal/rss", "/carpathian-post/feed.xml",
                "/lakeside-gazette/feed.xml", "/pacific-digest/feed.xml", "/borderland-news/rss"}


def test_a_three_day_backfill_loads_exactly_the_articles_of_each_day(pipeline_env, server):
    for day in DAYS:
        run_day(pipeline_env, day)
    expected, loaded = expected_by_day(server), loaded_by_day(pipeline_env)
    assert set(loaded) == set(DAYS)
    for day in DAYS:
        assert loaded[day] == expected[day], day
    # Three outlets' feeds list only their latest items: their days came from the archives.
    attempts = rows(pipeline_env, "SELECT s.slug, a.method, a.outcome FROM raw.discovery_attempts a "
                                  "JOIN core.sources s USING (source_id) WHERE a.urls_found > 0")
    assert {("kyiv-ledger", "sitemap", "ok"), ("gulf-meridian", "sitemap", "ok"),
            ("continental-press", "gdelt", "ok")} <= set(attempts)
    assert scalar(pipeline_env, "SELECT count(*) FROM core.articles") == \
        scalar(pipeline_env, "SELECT count(DISTINCT url) FROM core.articles")


def test_a_second_backfill_changes_nothing_and_fetches_no_page(pipeline_env, server):
    for day in DAYS:
        run_day(pipeline_env, day)
    before = snapshot(pipeline_env)
    server.reset_counts()
    for day in DAYS:
        run_day(pipeline_env, day)
    assert state_differences(before, snapshot(pipeline_env)) == []
    retried_pages = {"/volga-dispatch/world/20250315/railways-record-passengers.html"}  # a timeout: transient
    assert set(server.requests) <= BROKEN_FEEDS | retried_pages | {"/robots.txt"}  # read before a page


def test_reprocessing_makes_no_request_and_reproduces_the_rows(pipeline_env, server, monkeypatch):
    for day in DAYS:
        run_day(pipeline_env, day)
    before = snapshot(pipeline_env)
    server.reset_counts()
    for day in DAYS:
        reprocess_day(pipeline_env, day, "reprocess")
    assert server.total_requests() == 0
    assert state_differences(before, snapshot(pipeline_env)) == []
    # A new extractor version rewrites the rows it produced, still without the network.
    monkeypatch.setattr("newsfacts.load_articles.EXTRACTOR_VERSION", "newsfacts-article/test")
    reprocess_day(pipeline_env, DAYS[1], "reprocess")
    assert server.total_requests() == 0
    versions = dict(rows(pipeline_env, "SELECT extractor_version, count(*) FROM core.articles "
                                       "WHERE published_at >= '2025-03-15' AND published_at < '2025-03-16' GROUP BY 1"))
    assert versions == {"newsfacts-article/test": len(expected_by_day(server)[DAYS[1]])}


LATE_NIGHT = "/continental-press/article/"


def _late_article(server):
    """The wire story published at 23:40 on 11 March, which GDELT sees after midnight."""
    late = [a for a in server.site.articles
            if a.outlet == "continental-press" and a.published == datetime(2025, 3, 11, 23, 40, tzinfo=timezone.utc)]
    assert len(late) == 1
    return normalize_url(server.url(late[0].path))


@pytest.mark.parametrize("order", ["forward", "backward"])
def test_an_article_listed_on_the_wrong_day_belongs_to_its_own(pipeline_env, server, order):
    url = _late_article(server)
    days = [date(2025, 3, 11), date(2025, 3, 12)]
    if order == "backward":
        run_day(pipeline_env, days[1])
        # Found by the 12th's GDELT query, dated the 11th by its page: it waits for the 11th.
        assert scalar(pipeline_env, "SELECT count(*) FROM core.articles WHERE url = %s", url) == 0
        assert rows(pipeline_env, "SELECT window_start, fetch_outcome FROM raw.links WHERE url = %s", url) == [
            (datetime(2025, 3, 11, tzinfo=timezone.utc), "ok")]
        server.reset_counts()
        run_day(pipeline_env, days[0])
        assert not any(LATE_NIGHT in p and "23-40" in p for p in server.requests)
    else:
        for day in days:
            run_day(pipeline_env, day)
    (published, origin), = rows(pipeline_env, "SELECT published_at, published_from FROM core.articles WHERE url = %s", url)
    assert published == datetime(2025, 3, 11, 23, 40, tzinfo=timezone.utc) and origin == "page"
    assert scalar(pipeline_env, "SELECT count(*) FROM raw.pages p JOIN raw.links l USING (link_id) WHERE l.url = %s", url) == 1
    assert loaded_by_day(pipeline_env)[date(2025, 3, 11)] == expected_by_day(server)[date(2025, 3, 11)]


def _only(tmp_path, monkeypatch, server, slug):
    """A sources file holding one outlet of the demo (to script its requests exactly)."""
    entry = next(line for line in (Path(__file__).parent.parent / "demo" / "sources.yml").read_text().splitlines()
                 if f"slug: {slug}," in line)
    path = tmp_path / "sources.yml"
    path.write_text("sources:\n" + entry + "\n")
    monkeypatch.setenv("NEWSFACTS_SOURCES", str(path))


@pytest.mark.parametrize(
    "script, outcome",
    [(["429", "429"], "http_error"), (["limit", "truncated"], "malformed"), (["bad_query"], "error_message")],
)
def test_gdelt_failures_are_recorded_and_retried_by_the_next_run(pipeline_env, server, tmp_path, monkeypatch,
                                                                 script, outcome):
    _only(tmp_path, monkeypatch, server, "continental-press")
    server.script(GDELT_PATH, script)
    (summary,) = run_day(pipeline_env, DAYS[1])
    (attempt,) = rows(pipeline_env, "SELECT outcome, detail FROM raw.discovery_attempts")
    assert attempt[0] == outcome and attempt[1]
    assert "gdelt: " + outcome in summary.discovery
    run_day(pipeline_env, DAYS[1])
    assert rows(pipeline_env, "SELECT outcome FROM raw.discovery_attempts") == [("ok",)]
    cpa = {u for u in expected_by_day(server)[DAYS[1]] if "/continental-press/" in u}
    assert loaded_by_day(pipeline_env)[DAYS[1]] == cpa


def test_gdelt_transient_errors_are_retried_within_the_run(pipeline_env, server, tmp_path, monkeypatch):
    _only(tmp_path, monkeypatch, server, "continental-press")
    server.script(GDELT_PATH, ["empty"])
    run_day(pipeline_env, DAYS[1])
    assert rows(pipeline_env, "SELECT outcome, requests FROM raw.discovery_attempts") == [("ok", 2)]


def test_gdelt_spans_are_split_under_the_record_cap(pipeline_env, server, tmp_path, monkeypatch):
    _only(tmp_path, monkeypatch, server, "continental-press")
    monkeypatch.setenv("NEWSFACTS_GDELT_MAX_RECORDS", "2")
    run_day(pipeline_env, DAYS[1])
    cpa = {u for u in expected_by_day(server)[DAYS[1]] if "/continental-press/" in u}
    assert len(cpa) == 3
    (requests, found), = rows(pipeline_env, "SELECT requests, urls_found FROM raw.discovery_attempts")
    assert found == 3 and requests >= 3
    assert server.requests[GDELT_PATH] == requests


def test_sitemap_discovery_reads_only_what_can_hold_the_day(server, monkeypatch):
    monkeypatch.setenv("NEWSFACTS_HOST_MIN_INTERVAL", "0")
    from extractors.fetch import Fetcher
    from newsfacts import settings

    with Fetcher(settings.sitemap_policy()) as fetcher:
        attempt = crawl_sitemaps(fetcher, Discovery(robots_url=server.url("/kyiv-ledger/robots.txt")),
                                 Window.day(DAYS[1]))
    assert attempt.outcome == "ok" and attempt.detail is None
    kyiv = {a.path for a in server.site.articles if a.outlet == "kyiv-ledger" and a.published.date() == DAYS[1]}
    kyiv.add("/kyiv-ledger/news/2025/03/15/kyiv-metro-extends-night-service/")
    assert set(attempt.found) == {normalize_url(server.url(p)) for p in kyiv}
    assert server.requests["/kyiv-ledger/sitemaps/2024-08-06.xml"] == 0
    assert server.requests["/kyiv-ledger/sitemaps/2025-03-11.xml.gz"] == 0
    assert server.requests["/kyiv-ledger/sitemaps/2025-03-18.xml"] == 0


def test_broken_sitemaps_are_recorded_and_the_good_ones_still_used(server, monkeypatch):
    from extractors.fetch import Fetcher
    from newsfacts import settings

    with Fetcher(settings.sitemap_policy()) as fetcher:
        attempt = crawl_sitemaps(fetcher, Discovery(robots_url=server.url("/rhine-courier/robots.txt")),
                                 Window.day(DAYS[1]))
    assert attempt.outcome == "ok"
    assert "sitemap loop" in attempt.detail
    assert "sitemap-broken.xml" in attempt.detail
    assert "2 implausible dates ignored" in attempt.detail
    rhine = {normalize_url(server.url(a.path)) for a in server.site.articles
             if a.outlet == "rhine-courier" and a.published.date() == DAYS[1]}
    assert rhine < set(attempt.found)


def test_oversized_and_missing_sitemaps_fail_with_a_reason(server, monkeypatch):
    from extractors.fetch import Fetcher
    from newsfacts import settings

    monkeypatch.setenv("NEWSFACTS_MAX_SITEMAP_BYTES", "100000")
    server.put("/t/huge-sitemap.xml", b"", generate="huge_page", megabytes=1)
    with Fetcher(settings.sitemap_policy()) as fetcher:
        huge = crawl_sitemaps(fetcher, Discovery(sitemap_urls=(server.url("/t/huge-sitemap.xml"),)), Window.day(DAYS[1]))
        missing = crawl_sitemaps(fetcher, Discovery(robots_url=server.url("/nowhere/robots.txt")), Window.day(DAYS[1]))
    assert huge.outcome == "too_large" and "larger than 100000" in huge.detail
    assert missing.outcome == "no_sitemaps" and "HTTP 404" in missing.detail


BACKFILL_SCRIPT = """
import sys
from datetime import date
from pipeline_helpers import run_day
for day in sys.argv[2:]:
    run_day(sys.argv[1], date.fromisoformat(day))
print("done")
"""


def _concurrent_backfills(dsn, ranges, extra_env=None):
    env = {**os.environ, **(extra_env or {}), "PYTHONPATH": str(Path(__file__).parent)}
    procs = [subprocess.Popen([sys.executable, "-c", BACKFILL_SCRIPT, dsn, *map(str, days)], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for days in ranges]
    results = [p.communicate(timeout=600) for p in procs]
    for proc, (out, err) in zip(procs, results):
        assert proc.returncode == 0 and out.strip().endswith("done"), err[-3000:]


def test_two_overlapping_backfills_at_once_leave_no_duplicates(pipeline_env, server):
    first = [date(2025, 3, 14), date(2025, 3, 15), date(2025, 3, 16)]
    second = [date(2025, 3, 15), date(2025, 3, 16), date(2025, 3, 17)]
    _concurrent_backfills(pipeline_env, [first, second])
    expected, loaded = expected_by_day(server), loaded_by_day(pipeline_env)
    for day in sorted(set(first) | set(second)):
        assert loaded[day] == expected[day], day
    for table, key in [("core.articles", "url"), ("raw.links", "url"), ("raw.pages", "link_id, body_sha256")]:
        assert scalar(pipeline_env, f"SELECT count(*) - count(DISTINCT ({key})) FROM {table}") == 0


def test_per_host_pacing_holds_across_concurrent_runs(pipeline_env, server):
    # Slots are reserved interval apart; arrival at the server adds client-side jitter
    # (thread wake-up, connecting, a loaded machine), so one late request can arrive close
    # to the next: the gaps are judged as a whole — the median gap, and the span of the
    # log, which paced requests cannot compress. Unpaced, the gaps are ~1 ms.
    interval = 0.1
    _concurrent_backfills(
        pipeline_env, [[date(2025, 3, 14)], [date(2025, 3, 16)]],
        {"NEWSFACTS_HOST_MIN_INTERVAL": str(interval), "NEWSFACTS_GDELT_MIN_INTERVAL": str(interval)},
    )
    times = sorted(t for t, _ in server.request_log)
    gaps = [b - a for a, b in zip(times, times[1:])]
    assert len(times) > 40
    assert sorted(gaps)[len(gaps) // 2] >= interval * 0.9, f"median gap {sorted(gaps)[len(gaps) // 2]:.3f} s"
    assert times[-1] - times[0] >= (len(times) - 1) * interval * 0.9
    assert server.max_requests_per_second() <= 1 / interval + 1
