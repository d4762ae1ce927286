"""Polling thousands of feeds: concurrency stays under the configured bound, every feed is
polled once and stored, and the run does not hold more documents than it needs."""

from __future__ import annotations

from datetime import date

from extractors.sources import load_sources
from newsfacts import settings
from newsfacts.poll import poll_feeds
from newsfacts.sync_sources import sync_sources
from newsfacts.warehouse import connect
from newsfacts.window import Window
from pipeline_helpers import rows

FEEDS = 1000
WORKERS = 6


def _serve(server, tmp_path, monkeypatch, n: int, delay: float) -> None:
    lines = ["sources:"]
    for i in range(n):
        # Each answer takes a moment, so polls overlap and concurrency really builds up.
        server.put(f"/bulk/{i}.xml", _feed(i), "application/rss+xml", delay_seconds=delay)
        lines.append(f"  - {{slug: bulk-{i:04d}, name: Bulk {i}, feed_url: '{server.url(f'/bulk/{i}.xml')}', "
                     "language: en, country: UA, perspective: ukrainian}")
    sources = tmp_path / "sources.yml"
    sources.write_text("\n".join(lines) + "\n")
    monkeypatch.setenv("NEWSFACTS_SOURCES", str(sources))


def _poll(dsn: str) -> dict:
    with connect(dsn) as conn:
        sync_sources(conn, load_sources(settings.sources_path()))
    return poll_feeds(dsn, Window.day(date(2025, 3, 15)), "scale")


def _feed(i: int) -> bytes:
    return (f'<?xml version="1.0"?><rss version="2.0"><channel><title>Feed {i}</title>'
            f"<item><title>Russian strike on Kharkiv, report {i}</title><link>https://news{i}.example/a/{i}</link>"
            f"<guid>bulk-{i}</guid><pubDate>Sat, 15 Mar 2025 09:00:00 GMT</pubDate></item>"
            "</channel></rss>").encode()


def test_a_thousand_feeds_are_polled_with_bounded_concurrency(pipeline_env, server, tmp_path, monkeypatch):
    _serve(server, tmp_path, monkeypatch, FEEDS, 0.02)
    monkeypatch.setenv("NEWSFACTS_FETCH_WORKERS", str(WORKERS))
    monkeypatch.setenv("NEWSFACTS_PER_HOST_CONCURRENCY", "100")  # one host here; the worker bound must hold
    counts = _poll(pipeline_env)

    assert counts["sources_polled"] == FEEDS and counts["sources_failed"] == 0
    assert rows(pipeline_env, "SELECT outcome, count(*) FROM raw.feed_polls GROUP BY 1") == [("ok", FEEDS)]
    assert rows(pipeline_env, "SELECT count(DISTINCT url) FROM raw.links")[0][0] == FEEDS
    assert all(server.requests[f"/bulk/{i}.xml"] == 1 for i in range(FEEDS))
    assert 2 <= server.max_in_flight_total <= WORKERS


def test_per_host_concurrency_bounds_polls_of_one_site(pipeline_env, server, tmp_path, monkeypatch):
    _serve(server, tmp_path, monkeypatch, 40, 0.05)
    monkeypatch.setenv("NEWSFACTS_FETCH_WORKERS", "16")
    monkeypatch.setenv("NEWSFACTS_PER_HOST_CONCURRENCY", "2")
    counts = _poll(pipeline_env)
    assert counts["sources_polled"] == 40 and counts["sources_failed"] == 0
    assert server.max_in_flight_total == 2


def test_polls_run_ahead_of_storing_by_a_bounded_window(pipeline_env, server, tmp_path, monkeypatch):
    """Fetching is fast here and storing is the slow part: polls started but not yet
    stored (each holding its document) stay within the window of 2 x workers."""
    import threading

    import psycopg

    _serve(server, tmp_path, monkeypatch, 300, 0.0)
    monkeypatch.setenv("NEWSFACTS_FETCH_WORKERS", "4")
    monkeypatch.setenv("NEWSFACTS_PER_HOST_CONCURRENCY", "4")
    with connect(pipeline_env) as conn:
        sync_sources(conn, load_sources(settings.sources_path()))
    ahead, done = [], threading.Event()

    def watch():
        with psycopg.connect(pipeline_env, autocommit=True) as conn:
            while not done.is_set():
                stored = conn.execute("SELECT count(*) FROM raw.feed_polls").fetchone()[0]
                ahead.append(server.total_requests() - stored)

    watcher = threading.Thread(target=watch)
    watcher.start()
    try:
        counts = poll_feeds(pipeline_env, Window.day(date(2025, 3, 15)), "scale")
    finally:
        done.set()
        watcher.join()
    assert counts["sources_polled"] == 300 and len(ahead) > 20
    assert max(ahead) <= 2 * 4 + 4  # the window, plus requests that arrived while we counted
