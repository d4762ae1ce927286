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
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

import feedparser
from feedparser.datetimes import _parse_date  # feedparser's tolerant RFC 822/ISO 8601 parser
import lxml.etree
import lxml.html

from extractors.hygiene import MAX_AUTHOR, MAX_AUTHORS, MAX_TITLE, clean_text, describe
from extractors.timeutil import from_struct_time
from extractors.urls import resolve_link

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
    #: What was not taken as served: unusable links (javascript:, mailto:, over-long...),
    #: cleaned text, skipped items. The document itself may be fine.
    notes: list[str] = field(default_factory=list)


class _Collector:
    """Builds entries the same way for every format and counts what it had to change."""

    def __init__(self):
        self.entries: list[FeedEntry] = []
        self.unusable: Counter = Counter()
        self.cleaned: Counter = Counter()
        self.linkless = 0
        self.skipped: Counter = Counter()

    def add(self, *, guid: str | None, links: list[str | None], bases: list[str | None], title: str,
            summary: str, published: datetime | None, updated: datetime | None,
            authors: tuple[str, ...] = ()) -> None:
        link, problem = None, None
        for raw in links:
            for base in bases:
                link, problem = resolve_link(raw, base)
                if link or problem:
                    break
            if link:
                break
        if problem and not link:
            self.unusable[problem] += 1
        elif not link:
            self.linkless += 1
        # Clean first: lxml refuses strings with NUL or control characters.
        title = clean_text(plain_text(clean_text(title, None, self.cleaned), None), MAX_TITLE, self.cleaned, "title")
        summary = plain_text(clean_text(summary, None, self.cleaned))
        authors = tuple(a for a in (clean_text(" ".join(x.split()), MAX_AUTHOR, self.cleaned, "author")
                                    for x in authors[:MAX_AUTHORS]) if a)
        guid = clean_text(guid, None, self.cleaned, "guid") if guid else guid
        self.entries.append(
            FeedEntry(
                key=_entry_key(guid, link, title, published or updated),
                url=link,
                title=title,
                summary=summary,
                published_at=published or updated,
                updated_at=updated,
                authors=authors,
            )
        )

    def notes(self) -> list[str]:
        notes = []
        if self.unusable:
            total = sum(self.unusable.values())
            kinds = ", ".join(f"{what} {n}" for what, n in sorted(self.unusable.items()))
            notes.append(f"{total} {'entry' if total == 1 else 'entries'} with a link that is not fetched ({kinds})")
        if self.linkless:
            notes.append(f"{self.linkless} {'entry' if self.linkless == 1 else 'entries'} without a link")
        for what, n in sorted(self.skipped.items()):
            notes.append(f"{n} {what} skipped")
        if cleaned := describe(self.cleaned):
            notes.append(cleaned)
        return notes


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
    """A stable identity for an entry: its GUID, else its link, else a hash of its content.

    A key over 1,000 characters or 2,000 bytes (too big for the primary key's index) is
    replaced by the hash of all of it: cutting it would give two GUIDs that differ only
    at the end the same key."""
    if guid and guid.strip():
        key = guid.strip()
    elif url:
        key = url
    else:
        digest = hashlib.sha256(f"{title}|{published}".encode("utf-8", "replace")).hexdigest()
        return f"sha256:{digest}"
    if len(key) > 1000 or len(key.encode("utf-8", "replace")) > 2000:
        return "sha256:" + hashlib.sha256(key.encode("utf-8", "replace")).hexdigest()
    return key


def _looks_like_html(body: bytes) -> bool:
    head = _LEADING_JUNK.sub(b"", body[:2048]).lower()
    return head.startswith((b"<!doctype html", b"<html")) or b"<html" in head[:200]


def _html_title(body: bytes) -> str:
    try:
        title = lxml.html.fromstring(body[:200_000]).findtext(".//title") or ""
    except (lxml.etree.ParserError, ValueError):
        return ""
    return " ".join(title.split())[:120]


_DOCTYPE = re.compile(rb"<!DOCTYPE", re.IGNORECASE)
_ELEMENT_START = re.compile(rb"<[A-Za-z_]")
#: Inside a DOCTYPE: quoted strings (skipped whole), subset brackets and the closing >.
_DTD_TOKEN = re.compile(rb""""[^"]*"|'[^']*'|[\[\]>]""")
_UTF16_32 = (
    (b"\x00\x00\xfe\xff", "utf-32-be"), (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\xfe\xff", "utf-16-be"), (b"\xff\xfe", "utf-16-le"),
    (b"\x00<\x00?", "utf-16-be"), (b"<\x00?\x00", "utf-16-le"),
)
_DECLARED_ENCODING = re.compile(rb"""^(<\?xml[^>]*?encoding\s*=\s*)["'][^"']*["']""")


def _as_utf8(body: bytes) -> bytes:
    """UTF-16/32 documents re-encoded as UTF-8 (declaration included), so the checks
    below, which read bytes, see their markup."""
    for mark, codec in _UTF16_32:
        if body.startswith(mark):
            text = body.decode(codec, errors="replace").lstrip("\ufeff").encode("utf-8")
            return _DECLARED_ENCODING.sub(rb'\1"utf-8"', text, count=1)
    return body


def _without_internal_subset(body: bytes) -> tuple[bytes, bool]:
    """Remove the internal subset of the DOCTYPE (``<!DOCTYPE rss [ ... ]>``).

    Its entity declarations are how "billion laughs" and quadratic-blowup documents
    multiply a few kilobytes into gigabytes, and how external entities (XXE) read local
    files: feedparser keeps entities it deems safe, and a 100 KB literal entity
    referenced 10,000 times is "safe" to it. No news feed needs its own entities, so
    none are ever declared; references to them stay undefined (recorded as a problem).
    """
    found = False
    start = 0
    while match := _DOCTYPE.search(body, start):
        if _ELEMENT_START.search(body, 0, match.start()):
            break  # a DOCTYPE after the root element is no DTD to a parser
        depth, end = 0, None
        for token in _DTD_TOKEN.finditer(body, match.end()):
            mark = token.group()
            if mark == b"[":
                depth += 1
            elif mark == b"]":
                depth -= 1
            elif mark == b">" and depth <= 0:
                end = token.end()
                break
        declaration = body[match.start(): end or len(body)]
        if b"[" not in declaration:
            start = end or len(body)
            continue
        name = re.match(rb"<!DOCTYPE\s+([A-Za-z_:][\w.:-]*)", declaration, re.IGNORECASE)
        replacement = b"<!DOCTYPE " + name.group(1) + b">" if name else b""
        body = body[: match.start()] + replacement + body[end or len(body):]
        start = match.start() + len(replacement)
        found = True
    return body, found


def parse_feed(body: bytes, *, url: str, content_type: str | None = None) -> ParsedFeed:
    """Parse a feed document fetched from ``url``.

    Raises :class:`FeedError` when nothing usable is in it: ``empty`` (no bytes),
    ``not_a_feed`` (an HTML page, say a login wall or an error page), ``malformed``
    (XML or JSON too broken to read any entry), or ``no_entries`` (a valid feed with
    an empty channel, which is worth recording because it usually means the feed moved).
    """
    if not body or not body.strip():
        raise FeedError("empty", "empty response body")
    original = body
    body = _as_utf8(body)
    if _LEADING_JUNK.sub(b"", body[:4096])[:1] == b"{":
        return _parse_json_feed(body, url)
    if _looks_like_html(body):
        raise FeedError("not_a_feed", f"HTML page instead of a feed: {_html_title(body)!r}")
    if content_type and body is not original:
        content_type = re.sub(r"(?i)charset\s*=\s*[\w-]+", "charset=utf-8", content_type)
    body, had_subset = _without_internal_subset(body)
    feed = _parse_xml(body, url, content_type)
    if had_subset:
        feed.notes.insert(0, "DTD internal subset ignored (entities are never expanded)")
    return feed


def _parse_xml(body: bytes, url: str, content_type: str | None) -> ParsedFeed:
    headers = {"content-location": url}
    if content_type:
        headers["content-type"] = content_type
    try:
        parsed = feedparser.parse(body, response_headers=headers)
    except (RecursionError, ValueError, UnicodeError, LookupError, TypeError) as exc:
        # feedparser gives up with an exception on a few pathological documents.
        salvaged = _salvage_entries(body, url)
        if salvaged.entries:
            salvaged.problem = f"unreadable for the feed parser ({type(exc).__name__}); {len(salvaged.entries)} entries salvaged"
            return salvaged
        raise FeedError("malformed", f"unreadable feed ({type(exc).__name__}: {str(exc)[:200]})") from None
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
        if salvaged.entries:
            salvaged.problem = f"{problem}; {len(salvaged.entries)} entries salvaged"
            return salvaged
        raise FeedError("malformed", problem or "malformed feed")
    if not parsed.entries:
        if not parsed.version:
            raise FeedError("not_a_feed", "document is not RSS, Atom or JSON Feed")
        raise FeedError("no_entries", f"{parsed.version} feed with no entries")

    base = parsed.feed.get("link") or url
    collect = _Collector()
    for item in parsed.entries:
        collect.add(
            guid=item.get("id"),
            links=[item.get("link")],
            bases=[url, base],
            title=item.get("title") or "",
            summary=item.get("summary") or item.get("description") or "",
            published=from_struct_time(item.get("published_parsed") or item.get("created_parsed")),
            updated=from_struct_time(item.get("updated_parsed")),
            authors=tuple(a.get("name", "") for a in item.get("authors", []) if isinstance(a, dict)),
        )
    return ParsedFeed(
        format=parsed.version or "unknown",
        title=clean_text(plain_text(parsed.feed.get("title"), 300)),
        entries=collect.entries,
        problem=problem,
        notes=collect.notes(),
    )


def _salvage_entries(body: bytes, url: str) -> ParsedFeed:
    """Last resort for XML too broken for feedparser (mangled declaration, unquoted
    attributes): read it with lxml's HTML parser, which never gives up, and pick out
    elements named item/entry by their local name. Entities are never expanded and
    nothing is loaded from the network.
    """
    feed = ParsedFeed(format="salvaged", title="")
    parser = lxml.etree.HTMLParser(recover=True, no_network=True, remove_comments=True)
    try:
        root = lxml.etree.fromstring(body, parser)
    except (lxml.etree.XMLSyntaxError, ValueError):
        return feed
    if root is None:
        return feed
    collect = _Collector()
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
        when = next((fields[k] for k in ("pubdate", "published", "date", "updated") if fields.get(k)), None)
        published = from_struct_time(_parse_date(when)) if when else None
        collect.add(
            guid=fields.get("guid") or fields.get("id"),
            links=[fields.get("link")],
            bases=[url],
            title=fields.get("title") or "",
            summary=fields.get("description") or fields.get("summary") or "",
            published=published,
            updated=None,
        )
    feed.entries, feed.notes = collect.entries, collect.notes()
    return feed


def _parse_json_feed(body: bytes, url: str) -> ParsedFeed:
    """JSON Feed 1.0/1.1 (https://jsonfeed.org/version/1.1).

    Items that are not objects are skipped (and counted); ``url``, else
    ``external_url``, is the link, resolved against the feed's URL (then its
    ``home_page_url``); ``authors`` (1.1) and ``author`` (1.0) are both read."""
    text = body.decode("utf-8-sig", errors="replace")
    problem = None
    try:
        doc = json.loads(text)
    except (ValueError, RecursionError) as exc:
        problem = f"invalid JSON: {str(exc)[:200]}"
        doc = _salvage_json_feed(text)
        if doc is None:
            raise FeedError("malformed", problem) from None
    if not isinstance(doc, dict) or "jsonfeed.org/version" not in str(doc.get("version", "")):
        raise FeedError("not_a_feed", "JSON document is not a JSON Feed")
    items = doc.get("items")
    if not isinstance(items, list):
        raise FeedError("malformed", "JSON Feed without an items list")
    home = doc.get("home_page_url") if isinstance(doc.get("home_page_url"), str) else None
    collect = _Collector()
    for item in items:
        if not isinstance(item, dict):
            collect.skipped["items that are not JSON objects"] += 1
            continue
        links = [v for v in (item.get("url"), item.get("external_url")) if isinstance(v, str)]
        people = item.get("authors") if isinstance(item.get("authors"), list) else (
            [item["author"]] if isinstance(item.get("author"), dict) else [])
        published = _iso_datetime(item.get("date_published"))
        updated = _iso_datetime(item.get("date_modified"))
        collect.add(
            guid=_json_text(item.get("id")),
            links=links or [None],
            bases=[url, home],
            title=_json_text(item.get("title")),
            summary=_json_text(item.get("summary") or item.get("content_text") or item.get("content_html")),
            published=published,
            updated=updated,
            authors=tuple(_json_text(p.get("name")) for p in people if isinstance(p, dict) and p.get("name")),
        )
    if not collect.entries:
        if problem:
            raise FeedError("malformed", problem)
        raise FeedError("no_entries", "JSON Feed with no items" + (
            f" ({'; '.join(collect.notes())})" if collect.skipped else ""))
    version = "json11" if str(doc.get("version", "")).endswith("1.1") else "json10"
    if problem:
        problem = f"{problem}; {len(collect.entries)} items salvaged"
    return ParsedFeed(format=version, title=clean_text(plain_text(_json_text(doc.get("title")), 300)),
                      entries=collect.entries, problem=problem, notes=collect.notes())


_JSON_VERSION = re.compile(r'"version"\s*:\s*"([^"]*jsonfeed\.org/version[^"]*)"')
_JSON_ITEMS = re.compile(r'"items"\s*:\s*\[')
_JSON_BETWEEN = re.compile(r"[\s,]*")


def _salvage_json_feed(text: str) -> dict | None:
    """The complete items of a JSON Feed cut short or broken after them: read the
    ``items`` array one value at a time until the first one that does not parse."""
    version, start = _JSON_VERSION.search(text[:65536]), _JSON_ITEMS.search(text)
    if version is None or start is None:
        return None
    decoder, position, items = json.JSONDecoder(), start.end(), []
    while True:
        position = _JSON_BETWEEN.match(text, position).end()
        if position >= len(text) or text[position] == "]":
            break
        try:
            item, position = decoder.raw_decode(text, position)
        except (ValueError, RecursionError):
            break
        items.append(item)
    return {"version": version.group(1), "items": items} if items else None


def _json_text(value: object) -> str:
    """A JSON value meant as text: strings as they are, numbers as digits, else nothing."""
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return ""


def _iso_datetime(value: object) -> datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else None
