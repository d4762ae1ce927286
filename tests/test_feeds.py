"""Feed parsing: every format the outlets use, and every way a feed arrives broken."""

from datetime import datetime, timezone

import pytest

from extractors.feeds import FeedError, parse_feed

UTC = timezone.utc
FEED_URL = "https://news.example/feeds/world.xml"

RSS20 = b"""<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:atom="http://www.w3.org/2005/Atom">
<channel><title>Example World</title><link>https://news.example/</link><description>x</description>
<item><title>Drones hit &lt;b&gt;Odesa&lt;/b&gt; port</title><link>/2025/03/15/odesa-port</link>
<guid isPermaLink="false">ex-1</guid><pubDate>Sat, 15 Mar 2025 08:30:00 +0200</pubDate>
<description>&lt;p&gt;Four people were &lt;em&gt;injured&lt;/em&gt;.&lt;/p&gt;</description><dc:creator>Olena K.</dc:creator>
<atom:updated>2025-03-15T12:00:00Z</atom:updated></item>
<item><title>Duplicate of the first</title><link>https://news.example/2025/03/15/odesa-port</link><guid isPermaLink="false">ex-1</guid></item>
<item><title>No date at all</title><link>https://news.example/undated</link></item>
<item><title>Script link</title><link>javascript:openStory(3)</link><pubDate>Sat, 15 Mar 2025 09:00:00 GMT</pubDate></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Атом</title><id>urn:x</id><updated>2025-03-15T10:00:00Z</updated>
<entry><title>Київ: нічна атака</title><link rel="alternate" href="https://ua.example/news/1"/><id>urn:ua:1</id>
<published>2025-03-15T01:10:00+02:00</published><updated>2025-03-15T03:00:00+02:00</updated>
<author><name>Ганна</name></author><summary type="html">Коротко</summary></entry>
</feed>""".encode()

RSS10 = b"""<?xml version="1.0" encoding="UTF-8"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel rdf:about="https://rdf.example/rdf"><title>RDF</title><link>https://rdf.example/</link><description>d</description></channel>
<item rdf:about="https://rdf.example/a"><title>A</title><link>https://rdf.example/a</link><dc:date>2025-03-15T07:05:00+00:00</dc:date></item>
</rdf:RDF>"""

JSON_FEED = b"""{"version": "https://jsonfeed.org/version/1.1", "title": "JF", "home_page_url": "https://jf.example/",
 "items": [{"id": "1", "url": "/posts/1", "title": "Ceasefire talks", "content_text": "Text",
            "date_published": "2025-03-15T10:00:00Z", "authors": [{"name": "A. Writer"}]},
           {"id": "2", "title": "No link"}]}"""


def test_rss20_entries_are_absolute_deduplicable_and_text_only():
    feed = parse_feed(RSS20, url=FEED_URL, content_type="application/rss+xml")
    assert feed.format == "rss20" and feed.problem is None
    first = feed.entries[0]
    assert first.url == "https://news.example/2025/03/15/odesa-port"
    assert first.key == "ex-1"
    assert first.title == "Drones hit Odesa port"
    assert first.summary == "Four people were injured."
    assert first.published_at == datetime(2025, 3, 15, 6, 30, tzinfo=UTC)
    assert first.updated_at == datetime(2025, 3, 15, 12, 0, tzinfo=UTC)
    assert first.authors == ("Olena K.",)
    # The repeated GUID is kept as parsed (the loader keeps the first per key).
    assert [e.key for e in feed.entries].count("ex-1") == 2
    undated = feed.entries[2]
    assert undated.published_at is None and undated.key == "https://news.example/undated"
    assert feed.entries[3].url is None  # javascript: links are never fetched


def test_atom_with_cyrillic_and_offsets():
    feed = parse_feed(ATOM, url="https://ua.example/atom")
    entry = feed.entries[0]
    assert feed.format == "atom10"
    assert entry.title == "Київ: нічна атака"
    assert entry.published_at == datetime(2025, 3, 14, 23, 10, tzinfo=UTC)
    assert entry.authors == ("Ганна",)


def test_rss10_uses_dc_date():
    feed = parse_feed(RSS10, url="https://rdf.example/rdf")
    assert feed.format == "rss10"
    assert feed.entries[0].published_at == datetime(2025, 3, 15, 7, 5, tzinfo=UTC)


def test_json_feed_11():
    feed = parse_feed(b"\n  " + JSON_FEED, url="https://jf.example/feed.json")
    assert feed.format == "json11"
    assert feed.entries[0].url == "https://jf.example/posts/1"
    assert feed.entries[0].authors == ("A. Writer",)
    assert feed.entries[0].published_at == datetime(2025, 3, 15, 10, tzinfo=UTC)
    assert feed.entries[1].url is None


def test_undefined_entity_is_recorded_but_entries_are_kept():
    broken = RSS20.replace(b"<title>No date at all", b"<title>No&nbsp;date at all")
    feed = parse_feed(broken, url=FEED_URL)
    assert "undefined entity" in feed.problem
    assert len(feed.entries) == 4


def test_truncated_feed_keeps_the_complete_items():
    truncated = RSS20[: RSS20.index(b"<item><title>No date")] + b"<item><title>Cut off mid"
    feed = parse_feed(truncated, url=FEED_URL)
    assert feed.problem
    assert feed.entries[0].url == "https://news.example/2025/03/15/odesa-port"


def test_mangled_declaration_and_unquoted_attributes_are_salvaged():
    mangled = (
        b'<?xml?xml version="1.0" ??>\n<rss rss:version=2.0><rss:channel>'
        b"<rss:item><rss:title>Salvaged</rss:title><rss:link>https://s.example/1</rss:link>"
        b"<rss:pubDate>Sat, 15 Mar 2025 10:00:00 GMT</rss:pubDate></rss:item></rss:channel></rss>"
    )
    feed = parse_feed(mangled, url="https://s.example/feed")
    assert feed.format == "salvaged"
    assert "salvaged" in feed.problem
    assert feed.entries[0].url == "https://s.example/1"
    assert feed.entries[0].published_at == datetime(2025, 3, 15, 10, tzinfo=UTC)


@pytest.mark.parametrize(
    "body, reason",
    [
        (b"", "empty"),
        (b"   \n", "empty"),
        (b"<!DOCTYPE html><html><head><title>Just a moment...</title></head><body>x</body></html>", "not_a_feed"),
        (b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title></channel></rss>', "no_entries"),
        (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><rect/></svg>', "not_a_feed"),
        (b'{"version": "https://jsonfeed.org/version/1.1", "items": [', "malformed"),
        (b'{"hello": "world"}', "not_a_feed"),
        (b"\x00\x01\x02 binary garbage \xff\xfe", "malformed"),
    ],
)
def test_unusable_documents_raise_with_a_reason(body, reason):
    with pytest.raises(FeedError) as excinfo:
        parse_feed(body, url=FEED_URL)
    assert excinfo.value.reason == reason
    assert str(excinfo.value)


def test_entity_expansion_attack_is_not_expanded():
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa">'
        b'<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;"><!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">'
        b'<!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;"><!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">'
        b'<!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;"><!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;">]>'
        b'<rss version="2.0"><channel><title>t</title><item><title>&g;</title><link>https://b.example/1</link></item></channel></rss>'
    )
    try:
        feed = parse_feed(bomb, url="https://b.example/feed")
    except FeedError:
        return  # refusing the document outright is fine
    assert all(len(e.title) < 10_000 for e in feed.entries)
