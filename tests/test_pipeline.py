"""The nightly stages end to end against the fixture server and a fresh PostgreSQL.

Expected values come from the corpus itself (its front matter and behaviours.yml), not
from a previous run's output.
"""

import gzip
from datetime import date, datetime, timezone

import pytest
import yaml

from extractors.urls import normalize_url
from newsfacts.run_metrics import AllSourcesFailed, check_run
from pipeline_helpers import rows, run_day, scalar, serve_updated, snapshot, state_differences

DAY = date(2025, 3, 15)


def _corpus_day(server, day):
    return [a for a in server.site.articles if a.published.date() == day]


def test_a_day_loads_every_article_published_that_day(pipeline_env, server):
    run_day(pipeline_env, DAY)
    day = _corpus_day(server, DAY)
    expected = {normalize_url(server.url(a.path)): a for a in day if a.war}
    off_topic = {normalize_url(server.url(a.path)) for a in day if not a.war}
    assert expected and off_topic
    loaded = dict(rows(pipeline_env, "SELECT url, title FROM core.articles"))
    corpus_urls = {u for u in loaded if "/danube-herald/" not in u}
    assert corpus_urls == set(expected)
    for url, article in expected.items():
        assert loaded[url] == " ".join(article.title.split())
    # Articles off the war's subject are accounted for, not loaded: skipped before the
    # fetch when the feed item already shows it, else scored and kept in the raw layer.
    outcomes = dict(rows(pipeline_env, "SELECT url, coalesce(extract_outcome, fetch_outcome) FROM raw.links "
                                       "WHERE url = ANY(%s)", list(off_topic)))
    assert set(outcomes) == off_topic
    assert set(outcomes.values()) <= {"skipped_irrelevant", "irrelevant"}
    # The malformed Danube Herald feed still yields its two complete items; one is about the war.
    assert [u for u in loaded if "/danube-herald/" in u] == [
        normalize_url(server.url("/danube-herald/2025/03/15/izmail-port-drone-strike-romania-jets.html"))]
    assert scalar(pipeline_env, "SELECT count(*) FROM raw.links WHERE url LIKE %s", "%/danube-herald/%") == 2
    # Every loaded article is dated inside the day, from the page itself.
    outside = scalar(
        pipeline_env,
        "SELECT count(*) FROM core.articles WHERE published_at < %s OR published_at >= %s OR published_from <> 'page'",
        datetime(2025, 3, 15, tzinfo=timezone.utc), datetime(2025, 3, 16, tzinfo=timezone.utc),
    )
    assert outside == 0


def test_raw_pages_keep_exactly_what_was_served(pipeline_env, server):
    run_day(pipeline_env, DAY)
    stored = rows(pipeline_env, "SELECT l.fetch_url, p.body_gzip, p.body_bytes FROM raw.pages p JOIN raw.links l USING (link_id)")
    assert stored
    for fetch_url, body_gzip, size in stored:
        path = "/" + fetch_url.split("/", 3)[3].split("?")[0]
        body = gzip.decompress(body_gzip)
        assert body == server.site.routes[path].body and size == len(body)


def test_each_broken_feed_and_page_is_recorded_with_its_reason(pipeline_env, server):
    summaries = {s.slug: s for s in run_day(pipeline_env, DAY)}
    behaviours = yaml.safe_load((server.corpus / "behaviours.yml").read_text())
    assert behaviours["/steppe-times/feed.xml"] == {"status": 404}
    expected_polls = {
        "steppe-times": ("http_error", "HTTP 404 Not Found"),
        "arctic-signal": ("http_error", "HTTP 503 Service Unavailable"),
        "carpathian-post": ("not_a_feed", "HTML page instead of a feed"),
        "lakeside-gazette": ("timeout", "timed out"),
        "pacific-digest": ("too_large", "larger than"),
        "borderland-news": ("empty", "empty response body"),
    }
    for slug, (outcome, detail) in expected_polls.items():
        assert summaries[slug].poll_outcome == outcome
        assert detail in summaries[slug].poll_detail
        assert summaries[slug].failed
    assert summaries["danube-herald"].poll_outcome == "ok"
    assert "undefined entity" in summaries["danube-herald"].poll_detail
    expected_pages = {
        "kyiv-ledger": "fetch:http_error",
        "volga-dispatch": "fetch:timeout",
        "rhine-courier": "fetch:too_large",
        "gulf-meridian": "fetch:too_many_redirects",
        "harbor-post": "extract:no_text",
    }
    for slug, reason in expected_pages.items():
        assert summaries[slug].failures == {reason: 1}
        assert summaries[slug].pages_failed == 1
        assert not summaries[slug].failed  # the rest of the source's pages loaded
    details = dict(rows(pipeline_env, "SELECT fetch_url, coalesce(fetch_detail, extract_detail) FROM raw.links "
                                      "WHERE fetch_outcome <> 'ok' OR extract_outcome <> 'ok'"))
    assert details[server.url("/kyiv-ledger/news/2025/03/15/kyiv-metro-extends-night-service/")] == "HTTP 404 Not Found"
    assert "redirect loop" in details[server.url("/gulf-meridian/news/2025/3/15/explainer-30-day-ceasefire")]
    check_run(list(summaries.values()))  # healthy sources exist: the run succeeds


def test_rerunning_a_day_changes_nothing_and_fetches_no_stored_page(pipeline_env, server):
    run_day(pipeline_env, DAY)
    before = snapshot(pipeline_env)
    server.reset_counts()
    run_day(pipeline_env, DAY)
    assert state_differences(before, snapshot(pipeline_env)) == []
    # Feeds whose poll failed are polled again, pages only if they failed for a
    # transient reason; nothing stored is fetched again.
    broken_feeds = {"/steppe-times/feed.xml", "/arctic-signal/rss", "/carpathian-post/feed.xml",
                    "/lakeside-gazette/feed.xml", "/pacific-digest/feed.xml", "/borderland-news/rss"}
    # (A page to fetch means the site's robots.txt is read first, once per run.)
    assert set(server.requests) == broken_feeds | {"/volga-dispatch/world/20250315/railways-record-passengers.html",
                                                   "/robots.txt"}


def test_next_day_uses_conditional_get_and_still_finds_its_links(pipeline_env, server):
    run_day(pipeline_env, DAY)
    server.reset_counts()
    summaries = {s.slug: s for s in run_day(pipeline_env, date(2025, 3, 16))}
    assert summaries["kyiv-ledger"].poll_outcome == "not_modified"
    assert server.last_headers["/kyiv-ledger/rss.xml"]["If-None-Match"]
    expected = {normalize_url(server.url(a.path)) for a in _corpus_day(server, date(2025, 3, 16)) if a.war}
    loaded = {u for (u,) in rows(pipeline_env, "SELECT url FROM core.articles WHERE first_window = '2025-03-16'")}
    assert loaded == expected


def test_an_updated_article_is_updated_not_duplicated(pipeline_env, server, tmp_path):
    run_day(pipeline_env, DAY)
    article = next(a for a in _corpus_day(server, DAY) if a.outlet == "baltic-observer" and not a.updated)
    url = normalize_url(server.url(article.path))
    article_id, count_before = rows(
        pipeline_env, "SELECT article_id, (SELECT count(*) FROM core.articles) FROM core.articles WHERE url = %s", url
    )[0]

    serve_updated(server, tmp_path, article,
                  "\nCorrection: an earlier version of this article misstated the number of ships.\n")

    run_day(pipeline_env, date(2025, 3, 16))
    (row,) = rows(pipeline_env, "SELECT article_id, version, updated_window, body_text FROM core.articles WHERE url = %s", url)
    assert row[0] == article_id
    assert row[1] == 2
    assert row[2] == datetime(2025, 3, 16, tzinfo=timezone.utc)
    assert "misstated the number of ships" in row[3]
    assert scalar(pipeline_env, "SELECT count(*) FROM raw.pages p JOIN raw.links l USING (link_id) WHERE l.url = %s", url) == 2
    new_on_16 = scalar(pipeline_env, "SELECT count(*) FROM core.articles WHERE first_window = '2025-03-16'")
    assert scalar(pipeline_env, "SELECT count(*) FROM core.articles") == count_before + new_on_16
    summaries = {s.slug: s for s in run_day(pipeline_env, date(2025, 3, 16))}
    assert summaries["baltic-observer"].articles_updated == 1


def test_a_run_where_every_source_fails_fails(pipeline_env, server, tmp_path, monkeypatch):
    broken = tmp_path / "sources.yml"
    broken.write_text(
        "sources:\n"
        f"  - {{slug: gone, name: Gone, feed_url: '{server.url('/steppe-times/feed.xml')}', language: en, country: KZ, perspective: asian}}\n"
        f"  - {{slug: wall, name: Wall, feed_url: '{server.url('/carpathian-post/feed.xml')}', language: en, country: SK, perspective: european}}\n"
    )
    monkeypatch.setenv("NEWSFACTS_SOURCES", str(broken))
    summaries = run_day(pipeline_env, DAY)
    assert [s.slug for s in summaries] == ["gone", "wall"]
    with pytest.raises(AllSourcesFailed, match="gone: HTTP 404 Not Found; wall: HTML page instead of a feed"):
        check_run(summaries)
