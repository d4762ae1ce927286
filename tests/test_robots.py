"""robots.txt: the rules (RFC 9309) and the fetch stage obeying them against the fixture server."""

from __future__ import annotations

from datetime import date

import pytest

from extractors.robots import parse_robots, robots_url
from extractors.urls import normalize_url
from pipeline_helpers import rows, run_day

DAY = date(2025, 3, 15)
AGENT = "newsfacts"

ROBOTS = """\ufeff# a comment
User-agent: *
Disallow: /

User-agent: Googlebot
User-agent: newsfacts/0.1
Disallow: /private/
Allow: /private/open-*.html$
Disallow: /*?session=
Disallow: /caf%C3%A9/
Crawl-delay: 10
Sitemap: https://x.example/sitemap.xml
Disallow: /drafts

User-agent: newsfacts
Disallow: /merged-group/
Disallow:
"""


@pytest.mark.parametrize("path, allowed", [
    ("/news/1", True),
    ("/private/story", False),
    ("/private/open-day.html", True),        # longer Allow wins
    ("/private/open-day.html?x=1", False),   # $ anchors the end
    ("/news?session=abc", False),            # * in the middle
    ("/news?id=2", True),
    ("/café/menu", False),                    # compared percent-encoded
    ("/caf%c3%a9/menu", False),
    ("/drafts/x", False),                     # a Sitemap line does not end the group
    ("/merged-group/a", False),               # groups for the same agent are merged
    ("/robots.txt", True),
])
def test_rules_for_our_agent(path, allowed):
    rules = parse_robots(ROBOTS)
    assert rules.allowed("https://x.example" + path, AGENT) is allowed
    # Another crawler falls to the * group.
    assert rules.allowed("https://x.example/news/1", "otherbot") is False


def test_ties_go_to_allow_and_empty_disallow_allows_everything():
    rules = parse_robots("User-agent: *\nDisallow: /a\nAllow: /a\n\nUser-agent: b\nDisallow:\n")
    assert rules.allowed("https://x.example/a/1", AGENT)
    assert rules.allowed("https://x.example/anything", "b")
    assert parse_robots("<html><body>Not a robots file</body></html>").allowed("https://x.example/", AGENT)
    allowed, rule = parse_robots("User-agent: *\nDisallow: /x/\n").verdict("https://x.example/x/1", AGENT)
    assert not allowed and rule.line == "Disallow: /x/"
    assert robots_url("https://User@X.example:8443/a/b?c#d") == "https://x.example:8443/robots.txt"


def _links(dsn):
    return {url: (outcome, detail) for url, outcome, detail in
            rows(dsn, "SELECT url, fetch_outcome, fetch_detail FROM raw.links")}


def test_disallowed_pages_are_recorded_and_never_requested(pipeline_env, server):
    server.put("/robots.txt", b"User-agent: newsfacts\nDisallow: /kyiv-ledger/news/\n\n"
                              b"User-agent: *\nDisallow: /volga-dispatch/\n", "text/plain")
    run_day(pipeline_env, DAY)
    kyiv = [a for a in server.site.articles if a.outlet == "kyiv-ledger" and a.published.date() == DAY and a.war]
    volga = [a for a in server.site.articles if a.outlet == "volga-dispatch" and a.published.date() == DAY and a.war]
    assert kyiv and volga
    links = _links(pipeline_env)
    for article in kyiv:
        outcome, detail = links[normalize_url(server.url(article.path))]
        assert outcome == "robots_disallowed"
        assert detail == f"{server.base_url}/robots.txt disallows this page for newsfacts (Disallow: /kyiv-ledger/news/)"
        assert server.requests[article.path] == 0
    # The * group is not ours when a group names us: Volga Dispatch's pages are fetched.
    assert all(server.requests[a.path] >= 1 for a in volga)
    loaded = {u for (u,) in rows(pipeline_env, "SELECT url FROM core.articles")}
    assert not any("/kyiv-ledger/" in u for u in loaded) and any("/volga-dispatch/" in u for u in loaded)
    assert server.requests["/robots.txt"] == 1  # once per site and run
    failures = dict(rows(pipeline_env, "SELECT s.slug, m.failures FROM ops.run_metrics m JOIN core.sources s USING (source_id)"))
    refused = sum(1 for url, (outcome, _) in links.items() if "/kyiv-ledger/" in url and outcome == "robots_disallowed")
    assert refused >= len(kyiv) and failures["kyiv-ledger"]["fetch:robots_disallowed"] == refused


def test_an_unreadable_robots_txt_means_not_now(pipeline_env, server):
    server.put("/robots.txt", b"", status=503)
    run_day(pipeline_env, DAY)
    links = _links(pipeline_env)
    waiting = [v for v in links.values() if v[0] == "robots_unavailable"]
    assert waiting and all("HTTP 503" in detail for _, detail in waiting)
    assert rows(pipeline_env, "SELECT count(*) FROM core.articles")[0][0] == 0
    assert server.requests["/robots.txt"] == 2  # one retry, then nothing else was asked for

    # The next run asks again; now there is no robots.txt, so everything may be fetched.
    server.put("/robots.txt", b"", status=404)
    server.reset_counts()
    run_day(pipeline_env, DAY)
    assert not [v for v in _links(pipeline_env).values() if v[0] == "robots_unavailable"]
    assert rows(pipeline_env, "SELECT count(*) FROM core.articles")[0][0] > 10


def test_robots_can_be_turned_off(pipeline_env, server, monkeypatch):
    server.put("/robots.txt", b"User-agent: *\nDisallow: /\n", "text/plain")
    monkeypatch.setenv("NEWSFACTS_ROBOTS", "0")
    run_day(pipeline_env, DAY)
    assert server.requests["/robots.txt"] == 0
    assert rows(pipeline_env, "SELECT count(*) FROM core.articles")[0][0] > 10
