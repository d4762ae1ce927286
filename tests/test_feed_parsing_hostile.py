"""Feed parsing, offline: JSON Feed 1.0/1.1 in detail, entity bombs and external entities,
encodings, keys and links. The same documents over HTTP and through the poll stage are
in test_hostile_feeds.py."""

from __future__ import annotations

import json
import time
from datetime import datetime, timezone

import pytest

from extractors.feeds import FeedError, parse_feed

URL = "https://feeds.example/world/feed.json"


def _json(items, **doc):
    return json.dumps({"version": "https://jsonfeed.org/version/1.1", "items": items, **doc}).encode()


def test_json_feed_11_and_10_fields():
    feed = parse_feed(_json([
        {"id": "a", "url": "/a", "title": "Eleven", "authors": [{"name": "One"}, {"name": "Two"}, {"url": "x"}],
         "date_published": "2025-03-15T10:00:00+02:00", "date_modified": "2025-03-15T12:00:00Z",
         "content_html": "<p>Shelling in <b>Kherson</b></p>"},
        {"id": "b", "external_url": "https://elsewhere.example/b", "title": "External", "author": {"name": "Old"}},
        {"id": 7, "url": "c/d", "title": 12, "summary": "plain"},
    ], home_page_url="https://home.example/"), url=URL)
    first, second, third = feed.entries
    assert feed.format == "json11" and feed.problem is None
    assert first.url == "https://feeds.example/a" and first.authors == ("One", "Two")
    assert first.published_at == datetime(2025, 3, 15, 8, tzinfo=timezone.utc)
    assert first.updated_at == datetime(2025, 3, 15, 12, tzinfo=timezone.utc)
    assert first.summary == "Shelling in Kherson"
    assert second.url == "https://elsewhere.example/b" and second.authors == ("Old",)
    assert third.url == "https://feeds.example/world/c/d" and third.key == "7" and third.title == "12"
    version_10 = parse_feed(json.dumps({"version": "https://jsonfeed.org/version/1", "items": [{"id": "x"}]}).encode(),
                            url=URL)
    assert version_10.format == "json10"


def test_json_feed_junk_is_skipped_and_noted():
    feed = parse_feed(_json([1, None, "x", {"id": "ok", "url": "https://a.example/1", "title": "Fine"},
                             {"id": "js", "url": "javascript:alert(1)", "title": "Script"}]), url=URL)
    assert [e.url for e in feed.entries] == ["https://a.example/1", None]
    assert "3 items that are not JSON objects skipped" in feed.notes
    assert "1 entry with a link that is not fetched (javascript: link 1)" in feed.notes


def test_truncated_json_feed_keeps_its_complete_items():
    body = _json([{"id": str(i), "url": f"https://a.example/{i}", "title": f"T{i}"} for i in range(4)])
    cut = body[: body.index(b'"id": "3"') + 5]
    feed = parse_feed(cut, url=URL)
    assert [e.key for e in feed.entries] == ["0", "1", "2"]
    assert feed.problem.startswith("invalid JSON") and "3 items salvaged" in feed.problem
    with pytest.raises(FeedError) as broken:
        parse_feed(b'{"version": "https://jsonfeed.org/version/1.1", "items": [' + b"[" * 100_000, url=URL)
    assert broken.value.reason == "malformed"


def test_json_feed_text_is_made_storable():
    body = _json([{"id": "\ud800", "url": "https://a.example/1", "title": "Kyiv\u0000 \u202eattack",
                   "authors": [{"name": "\udfff"}]}])
    (entry,) = parse_feed(body, url=URL).entries
    assert entry.title == "Kyiv attack" and entry.key == "\ufffd"
    assert entry.authors == ("\ufffd",)
    assert "lone surrogate" in " ".join(parse_feed(body, url=URL).notes)


RSS_HEAD = b'<?xml version="1.0"?>\n'
RSS_BODY = (b'<rss version="2.0"><channel><title>t</title><item><title>%s</title><link>https://b.example/1</link>'
            b"</item><item><title>ok</title><link>https://b.example/2</link></item></channel></rss>")


@pytest.mark.parametrize("doctype, ref", [
    (b'<!DOCTYPE rss [\n<!ENTITY big "' + b"B" * 200_000 + b'">\n]>\n', b"&big;" * 2000),
    (b'<!DOCTYPE rss [\n<!ENTITY a "aaaaaaaaaa">\n<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">\n'
     b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">\n<!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">\n]>\n', b"&d;"),
    (b'<!DOCTYPE rss [\n<!ENTITY xxe SYSTEM "file:///etc/passwd">\n]>\n', b"&xxe;"),
    (b'<!DOCTYPE rss [\n<!ENTITY % p SYSTEM "file:///etc/passwd">\n%p;\n]>\n', b"x"),
])
def test_entities_are_never_declared(doctype, ref):
    started = time.monotonic()
    feed = parse_feed(RSS_HEAD + doctype + RSS_BODY % ref, url="https://b.example/feed")
    assert time.monotonic() - started < 2
    assert [e.url for e in feed.entries] == ["https://b.example/1", "https://b.example/2"]
    assert "DTD internal subset ignored (entities are never expanded)" in feed.notes
    assert all("BBBBB" not in e.title and "aaaaaaaaaaa" not in e.title and "root:" not in e.title
               for e in feed.entries)


def test_an_external_dtd_keeps_the_netscape_hint_and_loads_nothing():
    doctype = (b'<!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" '
               b'"http://my.netscape.com/publish/formats/rss-0.91.dtd">\n')
    feed = parse_feed(RSS_HEAD + doctype + (RSS_BODY % b"x").replace(b'"2.0"', b'"0.91"'), url="https://b.example/f")
    assert feed.format == "rss091n" and len(feed.entries) == 2


def test_utf16_documents_and_keys():
    body = (RSS_HEAD.replace(b"?>", b' encoding="utf-16"?>') + RSS_BODY % "Київ".encode()).decode().encode("utf-16")
    feed = parse_feed(body, url="https://b.example/feed")
    assert feed.entries[0].title == "Київ"
    long_a = b"<guid>" + b"g" * 1500 + b"a</guid>"
    long_b = b"<guid>" + b"g" * 1500 + b"b</guid>"
    doc = (RSS_HEAD + RSS_BODY % b"x").replace(b"</title><link>https://b.example/1", b"</title>" + long_a
                                               + b"<link>https://b.example/1", 1)
    doc = doc.replace(b"<title>ok</title>", b"<title>ok</title>" + long_b, 1)
    keys = [e.key for e in parse_feed(doc, url="https://b.example/feed").entries]
    assert keys[0] != keys[1] and all(k.startswith("sha256:") for k in keys)
