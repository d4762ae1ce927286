"""Feed documents (RSS 0.9x/1.0/2.0, Atom, JSON Feed) to a list of entries.

feedparser does the XML formats and is tolerant of most breakage: it sets ``bozo`` and
still returns what it could read. We keep that tolerance, add JSON Feed (which
feedparser 6 does not read), retry badly broken XML through lxml's recovering parser,
and turn every outcome into either a :class:`ParsedFeed` (possibly with a ``problem``
note: salvaged entries are kept, the breakage is recorded) or a :class:`FeedError` with
a reason code the warehouse stores.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from datetime import datetime

import feedparser
from feedparser.datetimes import _parse_date  # feedparser's tolerant RFC 822/ISO 8601 parser
import lxml.etree
import lxml.html

from extractors.timeutil import from_struct_time
from extractors.urls import absolute_url

_LEADING_JUNK = re.compile(rb"^(?:\xef\xbb\xbf|\s|<!--.*?-->)*", re.DOTALL)
_XML_DECLARATION = re.compile(rb"^<\?xml.*?\?>", re.DOTALL)


class FeedError(Exception):
    """The document yields no entries. ``reason`` is a short code, the message says why."""

    def __init__(self, reason: str, message: str):
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class FeedEntry:
    """One item of a feed, as the feed claims it (dates are not yet trusted)."""

    key: str
    url: str | None
    title: str
    summary: str
    published_at: datetime | None
    updated_at: datetime | None
    authors: tuple[str, ...] = ()


@dataclass
class ParsedFeed:
    format: str
    title: str
    entries: list[FeedEntry] = field(default_factory=list)
    problem: str | None = None


def plain_text(markup: str | None, limit: int | None = 2000) -> str:
    """Strip tags from a summary; feeds put anything from plain text to full HTML there.

    The result is whitespace-collapsed and cut to ``limit`` characters (None: no limit)."""
    if not markup:
        return ""
    if "<" in markup:
        try:
            markup = lxml.html.fromstring(markup).text_content()
        except (lxml.etree.ParserError, ValueError):
            markup = re.sub(r"<[^>]+>", " ", markup)
    return " ".join(markup.split())[:limit]


def _entry_key(guid: str | None, url: str | None, title: str, published: datetime | None) -> str:
    """A stable identity for an entry: its GUID, else its link, else a hash of its content."""
    if guid and guid.strip():
        return guid.strip()[:1000]
    if url:
        return url[:1000]
    digest = hashlib.sha256(f"{title}|{published}".encode()).hexdigest()
    return f"sha256:{digest}"


def _looks_like_html(body: bytes) -> bool:
    head = _LEADING_JUNK.sub(b"", body[:2048]).lower()
    return head.startswith((b"<!doctype html", b"<html")) or b"<html" in head[:200]


def _html_title(body: bytes) -> str:
    try:
        title = lxml.html.fromstring(body[:200_000]).findtext(".//title") or ""
    except (lxml.etree.ParserError, ValueError):
        return ""
    return " ".join(title.split())[:120]


def parse_feed(body: bytes, *, url: str, content_type: str | None = None) -> ParsedFeed:
    """Parse a feed document fetched from ``url``.

    Raises :class:`FeedError` when nothing usable is in it: ``empty`` (no bytes),
    ``not_a_feed`` (an HTML page, say a login wall or an error page), ``malformed``
    (XML or JSON too broken to read any entry), or ``no_entries`` (a valid feed with
    an empty channel, which is worth recording because it usually means the feed moved).
    """
    if not body or not body.strip():
        raise FeedError("empty", "empty response body")
    if _LEADING_JUNK.sub(b"", body[:4096])[:1] == b"{":
        return _parse_json_feed(body, url)
    if _looks_like_html(body):
        raise FeedError("not_a_feed", f"HTML page instead of a feed: {_html_title(body)!r}")

    headers = {"content-location": url}
    if content_type:
        headers["content-type"] = content_type
    parsed = feedparser.parse(body, response_headers=headers)
    warning = parsed.get("bozo_exception") if parsed.bozo else None
    # feedparser flags a missing/odd Content-Type or an overridden encoding the same
    # way as broken XML; only the latter makes a document malformed.
    broken = warning is not None and not isinstance(
        warning, (feedparser.NonXMLContentType, feedparser.CharacterEncodingOverride)
    )
    problem = None
    if warning is not None and not isinstance(warning, feedparser.NonXMLContentType):
        problem = f"malformed feed ({type(warning).__name__}: {warning})"
    if not parsed.entries and broken:
        salvaged = _salvage_entries(body, url)
        if salvaged:
            return ParsedFeed(
                format="salvaged",
                title="",
                entries=salvaged,
                problem=f"{problem}; {len(salvaged)} entries salvaged",
            )
        raise FeedError("malformed", problem or "malformed feed")
    if not parsed.entries:
        if not parsed.version:
            raise FeedError("not_a_feed", "document is not RSS, Atom or JSON Feed")
        raise FeedError("no_entries", f"{parsed.version} feed with no entries")

    base = parsed.feed.get("link") or url
    entries = []
    for item in parsed.entries:
        link = absolute_url(item.get("link"), url) or absolute_url(item.get("link"), base)
        title = plain_text(item.get("title"), 1000)
        published = from_struct_time(item.get("published_parsed") or item.get("created_parsed"))
        updated = from_struct_time(item.get("updated_parsed"))
        summary = plain_text(item.get("summary") or item.get("description"))
        authors = tuple(
            a.get("name", "").strip() for a in item.get("authors", []) if a.get("name", "").strip()
        )
        entries.append(
            FeedEntry(
                key=_entry_key(item.get("id"), link, title, published or updated),
                url=link,
                title=title,
                summary=summary,
                published_at=published or updated,
                updated_at=updated,
                authors=authors,
            )
        )
    return ParsedFeed(
        format=parsed.version or "unknown",
        title=plain_text(parsed.feed.get("title"), 300),
        entries=entries,
        problem=problem,
    )


def _salvage_entries(body: bytes, url: str) -> list[FeedEntry]:
    """Last resort for XML too broken for feedparser (mangled declaration, unquoted
    attributes): read it with lxml's HTML parser, which never gives up, and pick out
    elements named item/entry by their local name. Entities are never expanded.
    """
    parser = lxml.etree.HTMLParser(recover=True, no_network=True, remove_comments=True)
    try:
        root = lxml.etree.fromstring(body, parser)
    except (lxml.etree.XMLSyntaxError, ValueError):
        return []
    if root is None:
        return []
    entries = []
    for item in root.iter():
        if not isinstance(item.tag, str) or item.tag.rsplit(":", 1)[-1] not in ("item", "entry"):
            continue
        fields: dict[str, str] = {}
        for child in item:
            if not isinstance(child.tag, str):
                continue
            name = child.tag.rsplit(":", 1)[-1]
            # HTML parsing treats <link> as void: its URL ends up in the tail.
            value = child.get("href") or child.text or (child.tail if name == "link" else "") or ""
            fields.setdefault(name, value.strip())
        link = absolute_url(fields.get("link"), url)
        title = plain_text(fields.get("title"), 1000)
        when = next((fields[k] for k in ("pubdate", "published", "date", "updated") if fields.get(k)), None)
        published = from_struct_time(_parse_date(when)) if when else None
        entries.append(
            FeedEntry(
                key=_entry_key(fields.get("guid") or fields.get("id"), link, title, published),
                url=link,
                title=title,
                summary=plain_text(fields.get("description") or fields.get("summary")),
                published_at=published,
                updated_at=None,
            )
        )
    return entries


def _parse_json_feed(body: bytes, url: str) -> ParsedFeed:
    """JSON Feed 1.0/1.1 (https://jsonfeed.org/version/1.1)."""
    try:
        doc = json.loads(body.decode("utf-8-sig", errors="replace"))
    except ValueError as exc:
        raise FeedError("malformed", f"invalid JSON: {exc}") from None
    if not isinstance(doc, dict) or "jsonfeed.org/version" not in str(doc.get("version", "")):
        raise FeedError("not_a_feed", "JSON document is not a JSON Feed")
    items = doc.get("items")
    if not isinstance(items, list):
        raise FeedError("malformed", "JSON Feed without an items list")
    base = doc.get("home_page_url") or url
    entries = []
    for item in items:
        if not isinstance(item, dict):
            continue
        link = absolute_url(item.get("url") or item.get("external_url"), base)
        title = plain_text(str(item.get("title") or ""), 1000)
        published = _iso_datetime(item.get("date_published"))
        updated = _iso_datetime(item.get("date_modified"))
        summary = plain_text(
            str(item.get("summary") or item.get("content_text") or item.get("content_html") or "")
        )
        people = item.get("authors") or ([item["author"]] if isinstance(item.get("author"), dict) else [])
        authors = tuple(
            str(p.get("name")).strip() for p in people if isinstance(p, dict) and p.get("name")
        )
        entries.append(
            FeedEntry(
                key=_entry_key(str(item.get("id") or ""), link, title, published),
                url=link,
                title=title,
                summary=summary,
                published_at=published or updated,
                updated_at=updated,
                authors=authors,
            )
        )
    if not entries:
        raise FeedError("no_entries", "JSON Feed with no items")
    version = "json11" if str(doc.get("version", "")).endswith("1.1") else "json10"
    return ParsedFeed(format=version, title=plain_text(str(doc.get("title") or ""), 300), entries=entries)


def _iso_datetime(value: object) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else None
