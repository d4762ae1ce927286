"""The poll stage against ~360 broken, odd and hostile feed documents (newsfacts.hostile_feeds),
served over real HTTP by the fixture server, into a fresh warehouse.

One run of the real stage (in a child process, so its peak memory can be measured)
polls every document; then every document is checked against what its generator says
it holds: the run finished, each document has a poll row whose outcome is one of those
allowed for it (a failure always with a reason), every valid entry is stored (by URL,
or by title when it has no usable link), relative links are resolved against the feed
URL, unusable links are recorded with their reason, implausible dates are not believed,
and nothing an entity expansion or an external entity would produce reached the
warehouse or made a request.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import defaultdict
from datetime import date

import pytest

from newsfacts.hostile_feeds import FAMILIES, corpus, install, write_sources
from newsfacts.settings import PROJECT_ROOT
from pipeline_helpers import rows

DAY = date(2025, 3, 15)
#: Peak memory (VmHWM) the poll may add to the child's resident set; about 80 MiB are
#: used with 8 workers. Any one limit failing adds far more: the gzip bomb inflates to
#: 512 MiB, the deflate bomb to 256 MiB, the quadratic entity to over a gigabyte.
MAX_RSS_GROWTH_MIB = 200

POLL_SCRIPT = """
import gc, json, sys
from datetime import date
from extractors.feeds import parse_feed
from extractors.sources import load_sources
from newsfacts import settings
from newsfacts.poll import poll_feeds
from newsfacts.sync_sources import sync_sources
from newsfacts.warehouse import connect
from newsfacts.window import Window

dsn = sys.argv[1]
with connect(dsn) as conn:
    sync_sources(conn, load_sources(settings.sources_path()))
parse_feed(b'<rss version="2.0"><channel><item><title>warm</title><link>https://a.example/</link></item>'
           b'</channel></rss>', url="https://a.example/feed")


def status(field):
    with open("/proc/self/status") as f:
        return next(int(line.split()[1]) for line in f if line.startswith(field + ":"))


gc.collect()
with open("/proc/self/clear_refs", "w") as f:
    f.write("5")  # reset the peak (VmHWM) to the current RSS: the peak of the run alone
before = status("VmRSS")
counts = poll_feeds(dsn, Window.day(date(2025, 3, 15)), "hostile")
print(json.dumps({"before_kib": before, "after_kib": status("VmHWM"), "counts": counts}))
"""


@pytest.fixture(scope="module")
def documents(fixture_server):
    return corpus(fixture_server.base_url)


def test_the_corpus_is_large_and_generated(documents):
    docs = documents
    assert len(docs) >= 300
    assert len({d.family for d in docs}) == len(FAMILIES)
    assert sum(len(d.valid) for d in docs) > 500
    # Every family has documents with valid entries to lose, or documents that must fail.
    assert any(d.generate == "huge_feed" and d.megabytes > 10 for d in docs)
    assert any(d.headers.get("Content-Encoding") == "gzip" and len(d.body) < 2_000_000 and d.outcomes == {"too_large"}
               for d in docs)


def test_poll_survives_the_hostile_corpus(pipeline_env, server, documents, tmp_path, monkeypatch):
    install(server, documents)
    monkeypatch.setenv("NEWSFACTS_SOURCES", str(write_sources(documents, server.base_url, tmp_path / "sources.yml")))
    monkeypatch.setenv("NEWSFACTS_FETCH_WORKERS", "8")
    monkeypatch.setenv("NEWSFACTS_PER_HOST_CONCURRENCY", "8")

    run = subprocess.run([sys.executable, "-c", POLL_SCRIPT, pipeline_env], cwd=PROJECT_ROOT, env=dict(os.environ),
                         capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-3000:]
    report = json.loads(run.stdout.strip().splitlines()[-1])
    assert report["counts"]["sources_polled"] == len(documents)
    growth_mib = (report["after_kib"] - report["before_kib"]) / 1024
    assert growth_mib < MAX_RSS_GROWTH_MIB, f"peak RSS grew by {growth_mib:.0f} MiB"

    polls = {slug: (outcome, detail, entries_seen) for slug, outcome, detail, entries_seen in rows(
        pipeline_env, "SELECT s.slug, p.outcome, p.detail, p.entries_seen FROM raw.feed_polls p "
                      "JOIN core.sources s USING (source_id)")}
    stored = defaultdict(list)
    for slug, url, title, summary, key, published, authors in rows(
            pipeline_env, "SELECT s.slug, e.url, e.title, e.summary, e.entry_key, e.published_at, e.authors "
                          "FROM raw.feed_entries e JOIN core.sources s USING (source_id)"):
        stored[slug].append({"url": url, "title": title, "summary": summary, "key": key, "published": published,
                             "authors": authors})

    problems = []
    for doc in documents:
        where = f"{doc.name} ({doc.family})"
        if doc.slug not in polls:
            problems.append(f"{where}: no poll recorded")
            continue
        outcome, detail, seen = polls[doc.slug]
        if outcome not in doc.outcomes:
            problems.append(f"{where}: outcome {outcome!r} ({(detail or '')[:200]}), expected one of {sorted(doc.outcomes)}")
        if outcome != "ok" and not detail:
            problems.append(f"{where}: failure {outcome!r} without a reason")
        if outcome == "ok" and seen < 1:
            problems.append(f"{where}: ok without entries")
        for needle in doc.detail_contains:
            if needle not in (detail or ""):
                problems.append(f"{where}: reason {detail!r} does not mention {needle!r}")
        entries = stored[doc.slug]
        for want in doc.valid:
            if want.url is not None:
                found = [e for e in entries if e["url"] == want.url]
            else:
                found = [e for e in entries if e["url"] is None and e["title"] == " ".join(want.title.split())[:1000]]
                found = found or [e for e in entries if e["url"] is None and want.title[:30] in e["title"]]
            if not found:
                problems.append(f"{where}: valid entry lost: {want.url or want.title[:80]!r}; stored: "
                                f"{[(e['url'], e['title'][:40]) for e in entries][:6]}")
                continue
            if want.exact_title and found[0]["title"] != want.title:
                problems.append(f"{where}: title {found[0]['title'][:80]!r} != {want.title[:80]!r}")
            if want.undated and found[0]["published"] is not None:
                problems.append(f"{where}: implausible date stored: {found[0]['published']}")
        texts = [detail or ""] + [" ".join([e["title"], e["summary"], e["key"], e["url"] or "", *e["authors"]])
                                  for e in entries]
        for bad in doc.forbidden:
            if any(bad in text for text in texts):
                problems.append(f"{where}: {bad[:20]!r} reached the warehouse")
    assert problems == [], f"{len(problems)} problems:\n" + "\n".join(problems)

    # Nothing stored is longer than its limit or carries a character that hides text.
    assert rows(pipeline_env, "SELECT count(*) FROM raw.feed_entries WHERE length(title) > 1000 "
                              "OR title ~ '[\u202a-\u202e\u2066-\u2069\u200b\ufeff]' OR length(summary) > 2000")[0][0] == 0
    # No external entity or DTD was ever fetched.
    assert {p: n for p, n in server.requests.items() if p.startswith("/xxe-probe/")} == {}


def test_entries_the_warehouse_refuses_become_a_recorded_failure(warehouse):
    """If something the parser let through is refused by PostgreSQL (here a NUL, which the
    parser would have cleaned), the source gets a failed poll with the reason, its other
    rows are not half-written, and the stage goes on."""
    from datetime import datetime, timezone

    from extractors.feeds import FeedEntry, ParsedFeed
    from extractors.fetch import FetchResult
    from newsfacts.poll import _Polled, _store, _targets
    from newsfacts.warehouse import connect
    from newsfacts.window import Window

    window = Window.day(DAY)
    with connect(warehouse) as conn:
        conn.execute("INSERT INTO core.sources (slug, name, feed_url, language, country, perspective) "
                     "VALUES ('refused', 'R', 'https://r.example/feed', 'en', 'UA', 'ukrainian')")
        conn.commit()
        (target,) = _targets(conn, window, repoll=False)
        served = datetime(2025, 3, 16, tzinfo=timezone.utc)
        fetched = FetchResult(target.feed_url, target.feed_url, "ok", status=200, body=b"<rss/>", served_at=served)
        entries = [FeedEntry("k1", "https://r.example/a", "fine", "", None, None),
                   FeedEntry("k2", "https://r.example/b", "bad\x00title", "", None, None)]
        polled = _Polled(target, "ok", None, fetch=fetched, feed=ParsedFeed("rss20", "R", entries))
        _store(conn, polled, window, "test")
        conn.commit()
    outcome, detail, seen = rows(warehouse, "SELECT outcome, detail, entries_seen FROM raw.feed_polls")[0]
    assert outcome == "store_error" and "NUL" in detail and seen == 0
    assert rows(warehouse, "SELECT count(*) FROM raw.feed_entries")[0][0] == 0
    assert rows(warehouse, "SELECT poll_outcome FROM ops.run_metrics") == [("store_error",)]
