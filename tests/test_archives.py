"""Sitemaps, robots.txt and GDELT responses: the parsing and the decisions, offline."""

import gzip
from datetime import datetime, timedelta, timezone

import pytest

from extractors.gdelt import GdeltError, halves, outlet_query, parse_artlist, query_url
from extractors.sitemaps import (
    SitemapEntry,
    SitemapError,
    date_range_in_url,
    in_scope,
    may_hold,
    parse_sitemap,
    sitemaps_in_robots,
)

UTC = timezone.utc
DAY = (datetime(2025, 3, 15, tzinfo=UTC), datetime(2025, 3, 16, tzinfo=UTC))
SERVED = datetime(2025, 3, 20, tzinfo=UTC)


def test_robots_lists_sitemaps_in_order_once():
    robots = "User-agent: *\nDisallow: /admin\nSITEMAP: /sitemap-news.xml\nsitemap:https://x.example/sitemap.xml\nSitemap: /sitemap-news.xml\n"
    assert sitemaps_in_robots(robots, "https://x.example/robots.txt") == [
        "https://x.example/sitemap-news.xml", "https://x.example/sitemap.xml"]


INDEX = b"""<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>https://x.example/sitemaps/2025-03-15.xml</loc><lastmod>2025-03-15T22:00:00Z</lastmod></sitemap>
<sitemap><loc>/sitemaps/2025-02.xml</loc></sitemap></sitemapindex>"""

NEWS = """<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>https://x.example/a</loc><news:news><news:publication><news:name>X</news:name><news:language>uk</news:language></news:publication>
<news:publication_date>2025-03-15T09:00:00+02:00</news:publication_date><news:title>Київ</news:title></news:news></url>
<url><loc>https://x.example/b</loc><lastmod>2031-01-01</lastmod></url>
<url><loc>https://x.example/c</loc><lastmod>1970-01-01T00:00:00Z</lastmod></url>
<url><loc>javascript:alert(1)</loc></url>
</urlset>""".encode()


def test_index_and_news_sitemaps_parse_with_dates_checked():
    index = parse_sitemap(INDEX, url="https://x.example/sitemap.xml")
    assert index.kind == "index"
    assert [e.loc for e in index.entries] == ["https://x.example/sitemaps/2025-03-15.xml", "https://x.example/sitemaps/2025-02.xml"]
    news = parse_sitemap(gzip.compress(NEWS), url="https://x.example/news.xml.gz", served_at=SERVED)
    assert news.kind == "urlset"
    a, b, c = news.entries
    assert a.published == datetime(2025, 3, 15, 7, tzinfo=UTC) and a.title == "Київ"
    assert b.lastmod is None and c.lastmod is None  # 2031 and 1970 are not believed
    assert news.dropped_dates == 2


@pytest.mark.parametrize(
    "body, reason",
    [
        (b"", "empty"),
        (b"<html><body>Not found</body></html>", "not_a_sitemap"),
        (b"\x1f\x8b\x08\x00broken", "malformed"),
        (gzip.compress(b"<urlset>" + b"<url><loc>https://x.example/a</loc></url>" * 5000 + b"</urlset>"), "too_large"),
    ],
)
def test_unusable_sitemaps_raise_with_a_reason(body, reason):
    with pytest.raises(SitemapError) as excinfo:
        parse_sitemap(body, url="https://x.example/s.xml", max_bytes=100_000)
    assert excinfo.value.reason == reason


def test_truncated_sitemap_keeps_complete_entries():
    truncated = b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>https://x.example/a</loc></url><url><loc>https://x.exa'
    sitemap = parse_sitemap(truncated, url="https://x.example/s.xml")
    assert [e.loc for e in sitemap.entries][0] == "https://x.example/a"
    assert sitemap.problem.startswith("malformed XML, line 1")


@pytest.mark.parametrize(
    "url, expected",
    [
        ("https://x.example/sitemaps/2025-03-15.xml", ("2025-03-15", "2025-03-16")),
        ("https://x.example/sitemap/2025/03/15.xml.gz", ("2025-03-15", "2025-03-16")),
        ("https://x.example/sitemap-20250315.xml", ("2025-03-15", "2025-03-16")),
        ("https://x.example/sitemap-2025-03.xml", ("2025-03-01", "2025-04-01")),
        ("https://x.example/sitemap-2024-12.xml", ("2024-12-01", "2025-01-01")),
        ("https://x.example/sitemap.xml?yyyy=2025", ("2025-01-01", "2026-01-01")),
        ("https://x.example/sitemap-posts-3.xml", None),
    ],
)
def test_dates_in_sitemap_urls(url, expected):
    span = date_range_in_url(url)
    assert (span and tuple(d.strftime("%Y-%m-%d") for d in span)) == (expected or None)


def test_only_children_that_can_hold_the_window_are_read():
    old = SitemapEntry("https://x.example/sitemaps/2024-08-06.xml")
    other_month = SitemapEntry("https://x.example/sitemap-2025-02.xml", lastmod=datetime(2025, 2, 28, tzinfo=UTC))
    stale = SitemapEntry("https://x.example/sitemap-posts-9.xml", lastmod=datetime(2024, 1, 1, tzinfo=UTC))
    same_day = SitemapEntry("https://x.example/sitemaps/2025-03-15.xml")
    month = SitemapEntry("https://x.example/sitemap-2025-03.xml", lastmod=datetime(2025, 3, 31, tzinfo=UTC))
    undated = SitemapEntry("https://x.example/sitemap-posts-1.xml")
    assert [may_hold(c, *DAY) for c in (old, other_month, stale, same_day, month, undated)] == [
        False, False, False, True, True, True]


def test_entries_in_scope():
    daily = date_range_in_url("https://x.example/sitemaps/2025-03-15.xml")
    monthly = date_range_in_url("https://x.example/sitemap-2025-03.xml")
    edited_later = SitemapEntry("https://x.example/a", lastmod=datetime(2025, 3, 18, tzinfo=UTC))
    assert in_scope(edited_later, *DAY, daily)          # a daily sitemap lists the day's articles
    assert not in_scope(edited_later, *DAY, monthly)    # elsewhere lastmod decides...
    assert in_scope(SitemapEntry("https://x.example/b", lastmod=datetime(2025, 3, 15, 8, tzinfo=UTC)), *DAY, monthly)
    news = SitemapEntry("https://x.example/c", lastmod=datetime(2025, 3, 15, tzinfo=UTC),
                        published=datetime(2025, 3, 14, 23, tzinfo=UTC))
    assert not in_scope(news, *DAY, daily)              # ...and a publication date beats both
    assert not in_scope(SitemapEntry("https://x.example/d"), *DAY, monthly)


def test_gdelt_request_and_response():
    url = query_url("https://api.example/doc", outlet_query("kyivindependent.com"), *DAY, 250)
    assert "mode=artlist" in url and "format=json" in url and "maxrecords=250" in url
    assert "startdatetime=20250315000000" in url and "enddatetime=20250315235959" in url
    assert "domainis%3Akyivindependent.com" in url
    body = b'{"articles": [{"url": "https://k.example/a", "title": "T", "seendate": "20250315T101500Z", "domain": "k.example"},' \
           b' {"url": "", "title": "no url"}]}'
    (article,) = parse_artlist(body)
    assert article.url == "https://k.example/a" and article.seen_at == datetime(2025, 3, 15, 10, 15, tzinfo=UTC)
    assert parse_artlist(b"{}") == []


@pytest.mark.parametrize(
    "body, reason, retry",
    [
        (b"", "empty", True),
        (b"Please limit requests to one every 5 seconds or contact us.", "error_message", True),
        (b"Your search contained a keyword that was too short.", "error_message", False),
        (b'{"articles": [{"url": "https://k.example/a", "title": "cu', "malformed", True),
        (b"[1, 2]", "malformed", False),
    ],
)
def test_gdelt_errors_say_whether_to_retry(body, reason, retry):
    with pytest.raises(GdeltError) as excinfo:
        parse_artlist(body)
    assert (excinfo.value.reason, excinfo.value.retry) == (reason, retry)


def test_spans_split_down_to_fifteen_minutes():
    first, second = halves(*DAY)
    assert first == (DAY[0], DAY[0] + timedelta(hours=12)) and second == (DAY[0] + timedelta(hours=12), DAY[1])
    start = DAY[0]
    assert halves(start, start + timedelta(minutes=15)) is None
    spans, depth = [DAY], 0
    while (split := halves(*spans[0])) is not None:
        spans, depth = split, depth + 1
    assert depth == 7 and spans[0][1] - spans[0][0] < timedelta(minutes=15)  # 24 h / 2**7 = 11 min
